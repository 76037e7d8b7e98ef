/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /etc/selinux/config: libselinux's reading rules (selinux_config.c), and a one-line rewrite. */

#include <ctype.h>
#include <strings.h>

#include "macro.h"
#include "selinux-config.h"

#define MODE_TAG "SELINUX="
#define TYPE_TAG "SELINUXTYPE="

void selinux_config_done(SelinuxConfig *c) {
        assert(c);

        c->type = mfree(c->type);
        c->mode = _SELINUX_MODE_INVALID;
        c->mode_line = 0;
}

/* One line of the text: [start, end) without the newline. */
typedef struct Line {
        const char *start, *end;
} Line;

static bool next_line(const char *text, size_t len, size_t *pos, Line *ret) {
        const char *nl;

        if (*pos >= len)
                return false;
        ret->start = text + *pos;
        nl = memchr(ret->start, '\n', len - *pos);
        ret->end = nl ?: text + len;
        *pos = (size_t) (ret->end - text) + (nl ? 1 : 0);
        return true;
}

static const char *skip_blanks(const char *p, const char *end) {
        while (p < end && isspace((unsigned char) *p))
                p++;
        return p;
}

/* For a valid SELINUX= line, the mode and where its word starts; else -1. */
static int line_mode(const Line *l, const char **ret_word) {
        size_t tag = strlen(MODE_TAG);
        const char *v;

        if ((size_t) (l->end - l->start) < tag || memcmp(l->start, MODE_TAG, tag) != 0)
                return -1;
        v = skip_blanks(l->start + tag, l->end);
        for (int m = 0; m < _SELINUX_MODE_MAX; m++) {
                const char *word = selinux_mode_to_string(m);
                size_t n = strlen(word);
                if ((size_t) (l->end - v) >= n && strncasecmp(v, word, n) == 0) {
                        *ret_word = v;
                        return m;
                }
        }
        return -1;
}

static int line_type(const Line *l, char **type) {
        const char *p = skip_blanks(l->start, l->end), *e = l->end;
        size_t tag = strlen(TYPE_TAG);
        char *t;

        if ((size_t) (e - p) < tag || strncasecmp(p, TYPE_TAG, tag) != 0)
                return 0;
        p = skip_blanks(p + tag, e);
        while (e > p && (isspace((unsigned char) e[-1]) || iscntrl((unsigned char) e[-1])))
                e--;
        t = strndup(p, (size_t) (e - p));
        if (!t)
                return -ENOMEM;
        free(*type);
        *type = t; /* the last one wins, as in libselinux */
        return 0;
}

int selinux_config_parse(const char *text, size_t len, SelinuxConfig *ret) {
        SelinuxConfig c = { .mode = _SELINUX_MODE_INVALID };
        unsigned n = 0;
        size_t pos = 0;
        Line l;

        assert(ret);

        while (next_line(text, len, &pos, &l)) {
                const char *word;
                int m;

                n++;
                if (c.mode < 0 && (m = line_mode(&l, &word)) >= 0) {
                        c.mode = m;
                        c.mode_line = n;
                }
                if (line_type(&l, &c.type) < 0) {
                        free(c.type);
                        return -ENOMEM;
                }
        }
        *ret = c;
        return 0;
}

static bool line_is_blank_or_comment(const Line *l) {
        const char *p = skip_blanks(l->start, l->end);
        return p == l->end || *p == '#';
}

/* Builds prefix + insert + suffix. */
static int splice(const char *text, size_t len, size_t at, size_t cut, const char *insert, char **ret,
                  size_t *ret_len) {
        size_t n = strlen(insert), total = len - cut + n;
        char *s = malloc(total + 1);

        if (!s)
                return -ENOMEM;
        memcpy(s, text, at);
        memcpy(s + at, insert, n);
        memcpy(s + at + n, text + at + cut, len - at - cut);
        s[total] = '\0';
        *ret = s;
        *ret_len = total;
        return 0;
}

int selinux_config_set_mode(const char *text, size_t len, SelinuxMode mode, char **ret, size_t *ret_len) {
        const char *name = selinux_mode_to_string(mode);
        size_t pos = 0, insert_at = len;
        bool insert_found = false;
        char line[64];
        Line l;

        assert(ret);
        assert(ret_len);

        *ret = NULL;
        *ret_len = 0;
        while (next_line(text, len, &pos, &l)) {
                const char *word;
                int m = line_mode(&l, &word);

                if (m == (int) mode)
                        return 0;
                if (m >= 0) /* replace just the mode word; the rest of the line stays */
                        return splice(text, len, (size_t) (word - text), strlen(selinux_mode_to_string(m)), name, ret,
                                      ret_len);
                if (!insert_found && !line_is_blank_or_comment(&l)) {
                        insert_at = (size_t) (l.start - text);
                        insert_found = true;
                }
        }

        /* No valid line: a new one, before the first setting (or at the end, after a newline). */
        snprintf(line, sizeof line, "%s" MODE_TAG "%s\n",
                 !insert_found && len > 0 && text[len - 1] != '\n' ? "\n" : "", name);
        return splice(text, len, insert_at, /* cut= */ 0, line, ret, ret_len);
}
