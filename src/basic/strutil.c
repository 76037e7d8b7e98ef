/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* String and string-vector helpers. */

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <strings.h>

#include "strutil.h"

char *strjoin_internal(const char *first, ...) {
        va_list ap;
        size_t len = 0;
        char *r, *p;

        assert(first);

        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *))
                len += strlen(s);
        va_end(ap);

        r = malloc(len + 1);
        if (!r)
                return NULL;
        p = r;
        va_start(ap, first);
        for (const char *s = first; s; s = va_arg(ap, const char *))
                p = stpcpy(p, s);
        va_end(ap);
        return r;
}

char *vstrprintf(const char *format, va_list ap) {
        char *s;

        assert(format);

        return vasprintf(&s, format, ap) < 0 ? NULL : s;
}

char *strprintf(const char *format, ...) {
        assert(format);

        return STRPRINTF_VA(format);
}

char *path_join(const char *a, const char *b) {
        assert(a);
        assert(b);

        return strjoin(a, streq(a, "/") ? "" : "/", b);
}

int strextend(char **s, const char *format, ...) {
        _cleanup_free_ char *add = NULL;
        size_t a, b;
        char *n;

        assert(s);
        assert(format);

        add = STRPRINTF_VA(format);
        if (!add)
                return -ENOMEM;
        a = *s ? strlen(*s) : 0;
        b = strlen(add);
        n = realloc(*s, a + b + 1);
        if (!n)
                return -ENOMEM;
        memcpy(n + a, add, b + 1);
        *s = n;
        return 0;
}

int strextend_line(char **line, int *line_level, int level, const char *piece) {
        size_t n;

        assert(line);
        assert(line_level);
        assert(piece);

        if (!*line)
                *line_level = level;
        if (strextend(line, "%s", piece) < 0)
                return -ENOMEM;
        n = strlen(*line);
        if (n == 0 || (*line)[n - 1] != '\n')
                return 0;
        (*line)[n - 1] = '\0';
        return 1;
}

int parse_boolean(const char *s) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        assert(s);

        for (size_t i = 0; i < ELEMENTSOF(yes); i++) {
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        }
        return -EINVAL;
}

static bool char_equal_nocase(char a, char b) {
        return tolower((unsigned char) a) == tolower((unsigned char) b);
}

/* Optimal string alignment distance: insertions, deletions, substitutions and swaps of two
 * neighbouring letters ("mdoe" for "mode") each cost one. */
size_t string_distance(const char *a, const char *b) {
        _cleanup_free_ size_t *d = NULL;
        size_t la, lb, w;

        assert(a);
        assert(b);

        la = strlen(a);
        lb = strlen(b);
        w = lb + 1;
        d = calloc((la + 1) * w, sizeof(size_t));
        if (!d)
                return SIZE_MAX;
        for (size_t i = 0; i <= la; i++)
                d[i * w] = i;
        for (size_t j = 0; j <= lb; j++)
                d[j] = j;
        for (size_t i = 1; i <= la; i++)
                for (size_t j = 1; j <= lb; j++) {
                        size_t cost = !char_equal_nocase(a[i - 1], b[j - 1]);
                        size_t v =
                                MIN(MIN(d[(i - 1) * w + j] + 1, d[i * w + j - 1] + 1), d[(i - 1) * w + j - 1] + cost);
                        if (i > 1 && j > 1 && char_equal_nocase(a[i - 1], b[j - 2]) &&
                            char_equal_nocase(a[i - 2], b[j - 1]))
                                v = MIN(v, d[(i - 2) * w + j - 2] + 1);
                        d[i * w + j] = v;
                }
        return d[la * w + lb];
}

const char *string_nearest(const char *s, const char *const *candidates) {
        const char *best = NULL;
        size_t best_d = SIZE_MAX;

        assert(s);
        assert(candidates);

        /* A difference of case only ("Enforcing") is the nearest miss of all. */
        for (const char *const *c = candidates; *c; c++)
                if (strcasecmp(s, *c) == 0)
                        return *c;
        for (const char *const *c = candidates; *c; c++) {
                size_t d = string_distance(s, *c);
                if (d < best_d) {
                        best_d = d;
                        best = *c;
                }
        }
        /* About a third of the word may be wrong: at least one edit, at most three. */
        if (!best || best_d > MAX((size_t) 1, MIN((size_t) 3, (strlen(best) + 1) / 3)))
                return NULL;
        return best;
}

char **strv_free(char **l) {
        STRV_FOREACH (s, l)
                free(*s);
        free(l);
        return NULL;
}

size_t strv_length(char *const *l) {
        size_t n = 0;
        STRV_FOREACH (s, l)
                n++;
        return n;
}

int strv_consume(char ***l, char *value) {
        size_t n;
        char **m;

        assert(l);

        n = strv_length(*l);
        if (!value)
                return -ENOMEM;
        m = reallocarray(*l, n + 2, sizeof(char *));
        if (!m) {
                free(value);
                return -ENOMEM;
        }
        m[n] = value;
        m[n + 1] = NULL;
        *l = m;
        return 0;
}

int strv_extend(char ***l, const char *value) {
        assert(l);
        assert(value);

        return strv_consume(l, strdup(value));
}

bool strv_contains(char *const *l, const char *s) {
        assert(s);

        STRV_FOREACH (i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

char **strv_remove(char **l, const char *s) {
        char **w = l;

        assert(s);

        STRV_FOREACH (i, l) {
                if (streq(*i, s))
                        free(*i);
                else
                        *w++ = *i;
        }
        if (w)
                *w = NULL;
        return l;
}

static int cmp_str(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

void strv_sort(char **l) {
        if (l)
                qsort(l, strv_length(l), sizeof(char *), cmp_str);
}

char *strv_join_or(const char *const *names) {
        char *s = NULL;

        assert(names);

        for (size_t i = 0; names[i]; i++) {
                const char *sep = i == 0 ? "" : names[i + 1] ? ", " : " or ";
                if (strextend(&s, "%s%s", sep, names[i]) < 0)
                        return mfree(s);
        }
        return s ?: strdup("");
}

/* gnulib's order of characters in a version: digits are handled apart, letters first, then '~' lowest,
 * then everything else above letters. */
static int ver_order(unsigned char c) {
        if (isdigit(c))
                return 0;
        if (isalpha(c))
                return c;
        if (c == '~')
                return -1;
        return (int) c + UCHAR_MAX + 1;
}

/* Debian's version comparison over the first 'la' and 'lb' bytes (gnulib's verrevcmp()). */
static int verrevcmp(const char *a, size_t la, const char *b, size_t lb) {
        size_t i = 0, j = 0;

        while (i < la || j < lb) {
                int first_diff = 0;

                while ((i < la && !isdigit((unsigned char) a[i])) || (j < lb && !isdigit((unsigned char) b[j]))) {
                        int ca = i == la ? 0 : ver_order((unsigned char) a[i]);
                        int cb = j == lb ? 0 : ver_order((unsigned char) b[j]);
                        if (ca != cb)
                                return ca - cb;
                        i++;
                        j++;
                }
                while (i < la && a[i] == '0')
                        i++;
                while (j < lb && b[j] == '0')
                        j++;
                while (i < la && j < lb && isdigit((unsigned char) a[i]) && isdigit((unsigned char) b[j])) {
                        if (!first_diff)
                                first_diff = a[i] - b[j];
                        i++;
                        j++;
                }
                if (i < la && isdigit((unsigned char) a[i]))
                        return 1;
                if (j < lb && isdigit((unsigned char) b[j]))
                        return -1;
                if (first_diff)
                        return first_diff;
        }
        return 0;
}

/* The length of 's' without its file suffix, the longest match of (\.[A-Za-z~][A-Za-z0-9~]*)*$ that
 * is not all of 's'. */
static size_t file_prefixlen(const char *s) {
        size_t n = strlen(s), prefix = n;

        for (size_t i = 0; i < n;) {
                /* Try a suffix starting at i. */
                size_t j = i;
                bool ok = true;

                while (j < n && ok) {
                        if (s[j] == '.' && j + 1 < n && (isalpha((unsigned char) s[j + 1]) || s[j + 1] == '~')) {
                                j += 2;
                                while (j < n && (isalnum((unsigned char) s[j]) || s[j] == '~'))
                                        j++;
                        } else
                                ok = false;
                }
                if (ok && i > 0) {
                        prefix = i;
                        break;
                }
                i++;
        }
        return prefix;
}

int filevercmp(const char *a, const char *b) {
        size_t pa, pb;
        int r;

        assert(a);
        assert(b);

        /* Special cases as in gnulib: "" first, then ".", "..", then other names starting with '.'. */
        if (!*a)
                return *b ? -1 : 0;
        if (!*b)
                return 1;
        if (streq(a, ".") || streq(b, "."))
                return streq(b, ".") - streq(a, ".");
        if (streq(a, "..") || streq(b, ".."))
                return streq(b, "..") - streq(a, "..");
        if ((a[0] == '.') != (b[0] == '.'))
                return a[0] == '.' ? -1 : 1;

        pa = file_prefixlen(a);
        pb = file_prefixlen(b);
        r = verrevcmp(a, pa, b, pb);
        if (r != 0 || (pa == strlen(a) && pb == strlen(b)))
                return r;
        return verrevcmp(a, strlen(a), b, strlen(b));
}
