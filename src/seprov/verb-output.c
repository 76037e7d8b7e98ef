/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the verbs print alike: the input diagnostics, with the host path of a file under --root. */

#include "verbs.h"

int verb_diag_format(const Context *ctx, const Diag *d, char **ret) {
        _cleanup_free_ char *host = NULL;

        assert(ctx);
        assert(d);
        assert(ret);

        host = context_host_path(ctx, d->file);
        *ret = diag_format_host(d, host);
        return *ret ? 0 : -ENOMEM;
}

void verb_diags_print(const Context *ctx, const Diags *d, const char *indent, FILE *f) {
        assert(ctx);
        assert(d);
        assert(f);

        for (size_t i = 0; i < d->n; i++) {
                _cleanup_free_ char *s = NULL;

                (void) verb_diag_format(ctx, &d->items[i], &s);
                fprintf(f, "%s%s\n", strempty(indent), s ?: d->items[i].message);
        }
}
