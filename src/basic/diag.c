/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Collects input diagnostics so that every problem of a load is reported, not just the first. */

#include <stdarg.h>

#include "diag.h"
#include "strutil.h"

int diag_add(Diags *d, DiagLevel level, const char *file, unsigned line, unsigned column, const char *format, ...) {
        _cleanup_free_ char *message = NULL, *f = NULL;
        Diag *n;

        assert(d);
        assert(format);

        message = STRPRINTF_VA(format);
        f = strdup(file ?: "");
        if (!message || !f)
                return -ENOMEM;

        n = reallocarray(d->items, d->n + 1, sizeof(Diag));
        if (!n)
                return -ENOMEM;
        d->items = n;
        d->items[d->n++] = (Diag){
                .level = level,
                .file = TAKE_PTR(f),
                .line = line,
                .column = column,
                .message = TAKE_PTR(message),
        };
        if (level == DIAG_ERROR)
                d->n_errors++;
        return 0;
}

char *diag_format_host(const Diag *diag, const char *host_path) {
        _cleanup_free_ char *file = NULL;
        const char *sev;

        assert(diag);

        file = host_path ? strprintf("%s (%s)", diag->file, host_path) : strdup(diag->file);
        if (!file)
                return NULL;
        sev = diag->level == DIAG_WARNING ? "warning: " : diag->level == DIAG_NOTE ? "note: " : "";
        if (diag->line == 0)
                return strprintf("%s: %s%s", file, sev, diag->message);
        if (diag->column == 0)
                return strprintf("%s:%u: %s%s", file, diag->line, sev, diag->message);
        return strprintf("%s:%u:%u: %s%s", file, diag->line, diag->column, sev, diag->message);
}

char *diag_format(const Diag *diag) {
        return diag_format_host(diag, /* host_path= */ NULL);
}

void diags_print(const Diags *d, FILE *f) {
        assert(d);
        assert(f);

        for (size_t i = 0; i < d->n; i++) {
                _cleanup_free_ char *s = diag_format(&d->items[i]);
                fprintf(f, "%s\n", s ?: d->items[i].message);
        }
}

void diags_clear(Diags *d) {
        assert(d);

        for (size_t i = 0; i < d->n; i++) {
                free(d->items[i].file);
                free(d->items[i].message);
        }
        free(d->items);
        *d = (Diags){};
}

void diags_truncate(Diags *d, size_t n) {
        assert(d);

        for (size_t i = n; i < d->n; i++) {
                d->n_errors -= d->items[i].level == DIAG_ERROR;
                free(d->items[i].file);
                free(d->items[i].message);
        }
        d->n = MIN(d->n, n);
}
