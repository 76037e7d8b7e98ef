/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzzes the audit rules reader, rewriter and restorer, and checks their round trips on every input:
 * restore(rewrite(x)) == restore(x), rewrite(rewrite(x)) == rewrite(x), and without warnings no rule
 * left loaded drops a SELinux record. Form feeds split the input into up to four rules files. */

#include <assert.h>

#include "audit-rewrite.h"
#include "fuzz.h"
#include "macro.h"
#include "strutil.h"

#define MAX_FILES 4

static size_t split(const uint8_t *data, size_t size, AuditText *in) {
        size_t n = 0, start = 0;

        for (size_t i = 0; i <= size && n < MAX_FILES; i++)
                if (i == size || (data[i] == '\f' && n < MAX_FILES - 1)) {
                        in[n].name = strprintf("/etc/audit/rules.d/%zu.rules", n);
                        in[n].data = malloc(i - start + 1);
                        assert(in[n].name && in[n].data);
                        memcpy(in[n].data, data + start, i - start);
                        in[n].data[i - start] = '\0';
                        in[n].size = i - start;
                        n++;
                        start = i + 1;
                }
        return n;
}

static AuditText *restore_all(const AuditText *t, size_t n) {
        AuditText *r = calloc(MAX_FILES, sizeof(AuditText));

        assert(r);
        for (size_t i = 0; i < n; i++) {
                r[i].name = strdup(t[i].name);
                assert(r[i].name);
                assert(audit_restore_text(t[i].data, t[i].size, &r[i].data, &r[i].size, NULL) >= 0);
        }
        return r;
}

static bool same(const AuditText *a, const AuditText *b) {
        return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        AuditText in[MAX_FILES] = {}, *base, *out, *back, *again;
        Diags w = {}, w2 = {};
        AuditDrop d;
        size_t n;

        if (size > 64 * 1024)
                return 0;
        n = split(data, size, in);
        base = restore_all(in, n);
        assert(audit_rewrite_texts(base, n, &out, NULL, &w) >= 0);
        back = restore_all(out, n);
        for (size_t i = 0; i < n; i++)
                assert(same(&back[i], &base[i]));
        assert(audit_rewrite_texts(back, n, &again, NULL, &w2) >= 0);
        for (size_t i = 0; i < n; i++)
                assert(same(&again[i], &out[i]));
        assert(w2.n == w.n);
        assert(audit_load_drops(out, n, &d) >= 0);
        assert(w.n > 0 || !d.selinux);

        diags_clear(&w);
        diags_clear(&w2);
        for (size_t i = 0; i < n; i++) {
                free(in[i].name);
                free(in[i].data);
        }
        audit_texts_free(base, n);
        audit_texts_free(out, n);
        audit_texts_free(back, n);
        audit_texts_free(again, n);
        return 0;
}
