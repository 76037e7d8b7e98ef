/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Puts the image's audit rules back: every block seprov wrote becomes the line it replaced. */

#include "audit-lines.h"
#include "macro.h"

static bool line_is(const AuditTextLine *l, const char *text) {
        return l->len == strlen(text) && memcmp(l->start, text, l->len) == 0;
}

static bool line_starts(const AuditTextLine *l, const char *prefix) {
        return l->len >= strlen(prefix) && memcmp(l->start, prefix, strlen(prefix)) == 0;
}

/* If a whole block starts at l[i], returns the index of its end line, else 0. The was-line must hold
 * an exclude rule, and every line between it and the end too: so a restored line is never a mark, and
 * no other text is taken for a block. */
static size_t block_end(const AuditTextLine *l, size_t n, size_t i) {
        const size_t wl = strlen(AUDIT_MARK_WAS);
        AuditLine was = {};
        size_t j;
        bool ok;

        if (i + 2 >= n || !line_starts(&l[i], AUDIT_MARK_HEADER) || !line_starts(&l[i + 1], AUDIT_MARK_WAS) ||
            !l[i].newline || !l[i + 1].newline)
                return 0;
        if (audit_line_parse(l[i + 1].start + wl, l[i + 1].len - wl, &was) < 0)
                return 0; /* out of memory: leave the block be rather than fail half-way */
        ok = was.kind == AUDIT_LINE_RULE;
        audit_line_done(&was);
        if (!ok)
                return 0;
        for (j = i + 2; j < n && l[j].parsed.kind == AUDIT_LINE_RULE && l[j].newline; j++)
                ;
        return j < n && (line_is(&l[j], AUDIT_MARK_END) || line_is(&l[j], AUDIT_MARK_END_NO_NL)) ? j : 0;
}

/* One pass. Returns the number of blocks restored, or -ENOMEM. */
static int restore_once(const char *data, size_t size, AuditBuf *out) {
        AuditText t = { .data = (char *) data, .size = size };
        AuditTextLine *l = NULL;
        size_t n = 0;
        int r, blocks = 0;

        r = audit_lines_split(&t, 1, &l, &n);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n && r >= 0; i++) {
                size_t end = block_end(l, n, i);

                if (end > 0) {
                        size_t wl = strlen(AUDIT_MARK_WAS);
                        r = audit_buf_put(out, l[i + 1].start + wl, l[i + 1].len - wl);
                        /* An end line without newline: written so by seprov before 0.2. */
                        if (r >= 0 && l[end].newline && line_is(&l[end], AUDIT_MARK_END))
                                r = audit_buf_put(out, "\n", 1);
                        blocks++;
                        i = end;
                        continue;
                }
                r = audit_buf_put(out, l[i].start, l[i].len + l[i].newline);
        }
        audit_lines_free(l, n);
        return r < 0 ? r : blocks;
}

int audit_restore_text(const char *data, size_t size, char **ret, size_t *ret_size, unsigned *ret_blocks) {
        AuditBuf cur = {};
        unsigned total = 0;
        int r;

        assert(ret);

        r = audit_buf_put(&cur, data, size);
        /* Each pass turns a block of three lines or more into one line, so this ends. No block without a
         * was-line: most texts need no pass at all. */
        while (r >= 0 && memmem(cur.data, cur.size, AUDIT_MARK_WAS, strlen(AUDIT_MARK_WAS))) {
                AuditBuf next = {};

                r = audit_buf_put(&next, "", /* n= */ 0);
                if (r >= 0)
                        r = restore_once(cur.data, cur.size, &next);
                free(cur.data);
                cur = next;
                if (r <= 0)
                        break;
                total += (unsigned) r;
        }
        if (r < 0) {
                free(cur.data);
                return r;
        }
        *ret = cur.data;
        *ret_size = cur.size;
        if (ret_blocks)
                *ret_blocks = total;
        return 0;
}
