/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Splits rules files into lines and reads each one. */

#include "audit-lines.h"
#include <stdarg.h>
#include <stdio.h>

#include "macro.h"
#include "strutil.h"

static int lines_add(AuditTextLine **l, size_t *n, size_t *alloc, const AuditTextLine *x) {
        if (*n == *alloc) {
                size_t a = *alloc ? *alloc * 2 : 64;
                AuditTextLine *m = reallocarray(*l, a, sizeof(AuditTextLine));
                if (!m)
                        return -ENOMEM;
                *l = m;
                *alloc = a;
        }
        (*l)[(*n)++] = *x;
        return 0;
}

static int split_one(const AuditText *t, size_t file, AuditTextLine **l, size_t *n, size_t *alloc) {
        const char *p = t->data, *end = t->data + t->size;

        for (unsigned number = 1; p < end; number++) {
                const char *nl = memchr(p, '\n', end - p);
                AuditTextLine x = {
                        .start = p,
                        .len = nl ? (size_t) (nl - p) : (size_t) (end - p),
                        .newline = nl != NULL,
                        .file = file,
                        .number = number,
                };
                int r = audit_line_parse(x.start, x.len, &x.parsed);

                if (r >= 0)
                        r = lines_add(l, n, alloc, &x);
                if (r < 0) {
                        audit_line_done(&x.parsed);
                        return r;
                }
                p += x.len + x.newline;
        }
        return 0;
}

/* Line i has no newline and lines follow it (in later files): it takes them in up to the first with a
 * newline, as 'cat' of the files does. Returns 0 or -ENOMEM. */
static int join_one(AuditTextLine *l, size_t n, size_t i) {
        AuditBuf b = {};
        int r = audit_buf_put(&b, l[i].start, l[i].len);

        for (size_t j = i + 1; r >= 0 && j < n; j++) {
                r = audit_buf_put(&b, l[j].start, l[j].len);
                audit_line_done(&l[j].parsed);
                l[j].continued = true;
                if (l[j].newline)
                        break;
        }
        if (r >= 0) {
                audit_line_done(&l[i].parsed);
                r = audit_line_parse(b.data, b.size, &l[i].parsed);
                l[i].joined = true;
        }
        free(b.data);
        return r;
}

int audit_lines_split(const AuditText *in, size_t n, AuditTextLine **ret, size_t *ret_n) {
        AuditTextLine *l = NULL;
        size_t count = 0, alloc = 0;
        int r = 0;

        assert(ret);
        assert(ret_n);

        for (size_t i = 0; r >= 0 && i < n; i++)
                r = split_one(&in[i], i, &l, &count, &alloc);
        for (size_t i = 0; r >= 0 && i + 1 < count; i++)
                if (!l[i].newline && !l[i].continued)
                        r = join_one(l, count, i);
        if (r < 0) {
                audit_lines_free(l, count);
                return r;
        }
        *ret = l;
        *ret_n = count;
        return 0;
}

void audit_lines_free(AuditTextLine *l, size_t n) {
        for (size_t i = 0; i < n; i++)
                audit_line_done(&l[i].parsed);
        free(l);
}

int audit_buf_put(AuditBuf *b, const void *p, size_t n) {
        assert(b);

        if (b->size + n + 1 > b->alloc) {
                size_t a = MAX(b->alloc * 2, b->size + n + 1);
                char *d = realloc(b->data, a);
                if (!d)
                        return -ENOMEM;
                b->data = d;
                b->alloc = a;
        }
        if (n > 0)
                memcpy(b->data + b->size, p, n);
        b->size += n;
        b->data[b->size] = '\0';
        return 0;
}

int audit_buf_printf(AuditBuf *b, const char *format, ...) {
        _cleanup_free_ char *s = NULL;

        assert(b);
        assert(format);

        s = STRPRINTF_VA(format);
        if (!s)
                return -ENOMEM;
        return audit_buf_put(b, s, strlen(s));
}
