/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The part of a policy's file_contexts that can match paths below given directories: selabel gives
 * the same labels from it as from the whole file, and looks them up a hundred times faster. */

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "fileio.h"
#include "file-contexts.h"
#include "rm-rf.h"
#include "strutil.h"

#define FC_MAX (64 * 1024 * 1024)

/* Whether 're' has an alternative at the top level: then a match may start anywhere. */
static bool top_level_alternative(const char *re) {
        int depth = 0;
        bool klass = false;

        if (!strchr(re, '|'))
                return false;
        for (const char *p = re; *p; p++) {
                if (*p == '\\' && p[1]) {
                        p++;
                        continue;
                }
                if (klass) {
                        klass = *p != ']';
                        continue;
                }
                if (*p == '[')
                        klass = true;
                else if (*p == '(')
                        depth++;
                else if (*p == ')')
                        depth--;
                else if (*p == '|' && depth == 0)
                        return true;
        }
        return false;
}

/* The literal start of 're' without a top-level alternative, looking at no more than 'max' bytes:
 * exact when it is shorter than max - 1, else at least max - 1. */
static size_t literal_run(const char *re, size_t max) {
        /* A table, not strchr() per character: this runs on every line of file_contexts each time a
         * labeller opens. */
        static const bool special[256] = {
                ['.'] = true, ['^'] = true, ['$'] = true, ['?'] = true, ['*'] = true, ['+'] = true, ['|'] = true,
                ['['] = true, [']'] = true, ['('] = true, [')'] = true, ['{'] = true, ['}'] = true, ['\\'] = true,
        };
        size_t i = 0;

        while (i < max && re[i] && !special[(unsigned char) re[i]])
                i++;
        if (i == max || !re[i])
                return i;
        /* A quantifier makes the character before it optional or repeated. */
        return strchr("?*{+", re[i]) && i > 0 ? i - 1 : i;
}

char *file_contexts_regex_escape(const char *path) {
        _cleanup_free_ char *out = NULL;

        assert(path);

        for (const char *p = path; *p; p++)
                if (strextend(&out, "%s%c", strchr(".^$?*+|[](){}\\", *p) ? "\\" : "", *p) < 0)
                        return NULL;
        return out ? TAKE_PTR(out) : strdup("");
}

size_t file_contexts_literal_prefix(const char *re) {
        assert(re);

        return top_level_alternative(re) ? 0 : literal_run(re, SIZE_MAX);
}

bool file_contexts_regex_relevant(const char *re, char *const *prefixes) {
        int alternative = -1;

        assert(re);
        assert(prefixes);

        if (re[0] != '/')
                return true;
        /* Either the spec's literal start leads to the subtree, or lies inside it: the first
         * MIN(literal start, subtree) bytes agree. With d the bytes they share, that is the whole
         * subtree, or a literal start of at most d bytes. Most specs part from every subtree within a
         * few bytes: only those are looked at, and the rest of the spec is read (for a top-level
         * alternative) only when its literal start goes on beyond them. */
        STRV_FOREACH (q, prefixes) {
                size_t d = 0;

                while ((*q)[d] && (*q)[d] == re[d])
                        d++;
                if (!(*q)[d] || literal_run(re, d + 2) <= d)
                        return true;
                if (alternative < 0)
                        alternative = top_level_alternative(re);
                if (alternative)
                        return true;
        }
        return false;
}

/* The specs of a file_contexts text, split in place and sorted. Returns the number, or -ENOMEM. */
static ssize_t fc_specs(char *text, char ***ret) {
        _cleanup_free_ char **l = NULL;
        size_t n = 0, allocated = 0;

        for (char *line = text, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                line += strspn(line, " \t");
                if (*line == '\0' || *line == '#')
                        continue;
                if (n + 1 >= allocated) {
                        char **m = reallocarray(l, allocated = allocated * 2 + 64, sizeof(char *));
                        if (!m)
                                return -ENOMEM;
                        l = m;
                }
                l[n++] = line;
        }
        if (l) {
                l[n] = NULL;
                strv_sort(l);
        }
        *ret = TAKE_PTR(l);
        return (ssize_t) n;
}

/* Appends the regex of 'spec' (its first field) to *regexes, once. */
static int fc_add_regex(const char *spec, char ***regexes) {
        _cleanup_free_ char *re = strndup(spec, strcspn(spec, " \t"));

        if (!re)
                return -ENOMEM;
        return strv_contains(*regexes, re) ? 0 : strv_consume(regexes, TAKE_PTR(re));
}

int file_contexts_changed_regexes(char *before, char *after, char ***regexes) {
        _cleanup_free_ char **a = NULL, **b = NULL;
        ssize_t na, nb;
        size_t i = 0, j = 0;
        int r = 0;

        assert(before);
        assert(after);
        assert(regexes);

        na = fc_specs(before, &a);
        nb = na < 0 ? na : fc_specs(after, &b);
        if (nb < 0)
                return -ENOMEM;
        while (r >= 0 && (i < (size_t) na || j < (size_t) nb)) {
                int c = i == (size_t) na ? 1 : j == (size_t) nb ? -1 : strcmp(a[i], b[j]);

                if (c == 0) {
                        i++;
                        j++;
                } else
                        r = fc_add_regex(c < 0 ? a[i++] : b[j++], regexes);
        }
        return r;
}

/* The subtrees, and where each maps to through the aliases of .subs_dist and .subs ("alias
 * original" per line): selabel looks paths up after replacing an alias by its original. */
static int fc_prefixes(int fc_dir_fd, char *const *subtrees, char ***ret) {
        static const char *const files[] = { "file_contexts.subs_dist", "file_contexts.subs" };
        _cleanup_strv_free_ char **l = NULL;
        int r = 0;

        STRV_FOREACH (s, subtrees)
                if (r >= 0)
                        r = strv_extend(&l, *s);
        for (size_t f = 0; r >= 0 && f < ELEMENTSOF(files); f++) {
                _cleanup_free_ char *text = NULL;
                char *save = NULL;

                r = read_full_file_at(fc_dir_fd, files[f], FC_MAX, &text, /* ret_size= */ NULL, /* ret_st= */ NULL,
                                      /* ret_path= */ NULL);
                if (r == -ENOENT) {
                        r = 0;
                        continue;
                }
                for (char *line = r >= 0 ? strtok_r(text, "\n", &save) : NULL; r >= 0 && line;
                     line = strtok_r(NULL, "\n", &save)) {
                        char alias[4096], orig[4096];

                        if (line[strspn(line, " \t")] == '#' || sscanf(line, "%4095s %4095s", alias, orig) != 2)
                                continue;
                        for (size_t i = 0, n = strv_length(l); r >= 0 && i < n; i++) {
                                const char *rest = startswith(l[i], alias);
                                if (rest && (*rest == '/' || *rest == '\0'))
                                        r = strv_consume(&l, strjoin(orig, rest));
                                else if (startswith(alias, l[i]))
                                        r = strv_extend(&l, orig);
                        }
                }
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}

/* Appends the relevant lines of 'name' (missing: nothing) to 'out'. */
static int fc_filter(int fc_dir_fd, const char *name, char *const *prefixes, FILE *out) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file_at(fc_dir_fd, name, FC_MAX, &text, /* ret_size= */ NULL, /* ret_st= */ NULL,
                              /* ret_path= */ NULL);
        if (r == -ENOENT && !streq(name, "file_contexts"))
                return 0;
        if (r < 0)
                return r;
        /* Lines split with memchr(), each regex ended in place for a moment: no copy per line. */
        for (char *line = text, *next; *line; line = next) {
                char *nl, *p = line, *end, c;
                bool relevant;

                while (*p == ' ' || *p == '\t')
                        p++;
                end = p + strcspn(p, " \t\n");
                nl = strchrnul(end, '\n');
                next = *nl ? nl + 1 : nl;
                if (p == end || *p == '#')
                        continue;
                c = *end;
                *end = '\0';
                relevant = file_contexts_regex_relevant(p, prefixes);
                *end = c;
                if (relevant)
                        fprintf(out, "%.*s\n", (int) (nl - line), line);
        }
        return 0;
}

static int fc_copy_file(int fc_dir_fd, const char *name, int out_dir_fd) {
        _cleanup_free_ char *text = NULL;
        size_t n;
        int r;

        r = read_full_file_at(fc_dir_fd, name, FC_MAX, &text, &n, /* ret_st= */ NULL, /* ret_path= */ NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        return write_file_atomic_at(
                out_dir_fd, name, text, n,
                &(const WriteOptions){ .mode = 0600, .uid = (uid_t) -1, .gid = (gid_t) -1, .runtime = true });
}

/* The subset's files in the new directory 'dir_fd'. */
static int fc_write_subset(int fc_dir_fd, char *const *prefixes, int dir_fd) {
        static const char *const parts[] = { "file_contexts", "file_contexts.homedirs", "file_contexts.local" };
        _cleanup_fclose_ FILE *out = NULL;
        int fd, r = 0;

        fd = openat(dir_fd, "file_contexts", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        out = fd < 0 ? NULL : fdopen(fd, "w");
        if (!out) {
                r = negative_errno();
                if (fd >= 0)
                        close(fd);
                return r;
        }
        /* In libselinux's order: the base, the home directories, the local customisations. */
        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(parts); i++)
                r = fc_filter(fc_dir_fd, parts[i], prefixes, out);
        if (r >= 0 && fflush(out) != 0)
                r = negative_errno();
        if (r >= 0)
                r = fc_copy_file(fc_dir_fd, "file_contexts.subs_dist", dir_fd);
        if (r >= 0)
                r = fc_copy_file(fc_dir_fd, "file_contexts.subs", dir_fd);
        return r;
}

int file_contexts_scratch_cleanup(int scratch_fd) {
        return rm_rf_prefixed_at(scratch_fd, FILE_CONTEXTS_SCRATCH_PREFIX, /* dry_run= */ false);
}

int file_contexts_subset(int fc_dir_fd, char *const *subtrees, int scratch_fd, char **ret_name) {
        _cleanup_strv_free_ char **prefixes = NULL;
        _cleanup_free_ char *name = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        int r;

        assert(subtrees);
        assert(ret_name);

        r = fc_prefixes(fc_dir_fd, subtrees, &prefixes);
        if (r < 0)
                return r;
        dir_fd = mkdtemp_at(scratch_fd, FILE_CONTEXTS_SCRATCH_PREFIX, 0700, &name);
        if (dir_fd < 0)
                return dir_fd;
        r = fc_write_subset(fc_dir_fd, prefixes, dir_fd);
        if (r < 0) {
                (void) rm_rf_at(scratch_fd, name);
                return r;
        }
        *ret_name = TAKE_PTR(name);
        return TAKE_FD(dir_fd);
}
