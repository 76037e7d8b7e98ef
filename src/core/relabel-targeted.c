/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The targeted relabel: after file context rules or equivalences changed, only the subtrees they can
 * reach are walked, and only the files whose label changes are written. */

#include <stdlib.h>

#include "chase.h"
#include "file-contexts.h"
#include "fileio.h"
#include "log.h"
#include "relabel.h"
#include "strutil.h"

#define SUBS_MAX (1024 * 1024)

/* The directory a regex's matches all lie in (or are): its literal start when that ends a path
 * component ("/opt/app(/.*)?", "/opt/app/", "/opt/app" alone), else the directory of it
 * ("/opt/app/lib[^/]*\.so" gives "/opt/app"). */
static char *regex_subtree(const char *re) {
        size_t n = file_contexts_literal_prefix(re);
        const char *rest = re + n;
        char *s;

        if (re[0] != '/' || n == 0)
                return strdup("/");
        if (!(*rest == '\0' || *rest == '/' || startswith(rest, "(/"))) {
                while (n > 1 && re[n - 1] != '/')
                        n--;
        }
        while (n > 1 && re[n - 1] == '/')
                n--;
        s = strndup(re, n);
        return s;
}

/* Whether 'path' is 'top' or below it. */
static bool path_below(const char *path, const char *top) {
        const char *rest = startswith(path, top);

        if (streq(top, "/"))
                return true;
        return rest && (*rest == '\0' || *rest == '/');
}

/* Sorts 'l' and drops every path below another of it. */
static void subtrees_merge(char **l) {
        size_t j = 0;

        strv_sort(l);
        for (size_t i = 0; l[i]; i++) {
                if (j > 0 && path_below(l[i], l[j - 1])) {
                        free(l[i]);
                        continue;
                }
                l[j++] = l[i];
        }
        l[j] = NULL;
}

int relabel_subtrees_for(char *const *regexes, char *const *equivalences, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        int r = 0;

        assert(ret);

        STRV_FOREACH (re, regexes) {
                r = strv_consume(&l, regex_subtree(*re));
                if (r < 0)
                        return r;
        }
        STRV_FOREACH (e, equivalences) {
                r = strv_extend(&l, *e);
                if (r < 0)
                        return r;
        }
        if (l)
                subtrees_merge(l);
        *ret = TAKE_PTR(l);
        return 0;
}

int relabel_subtrees_add_aliases(int root_fd, const char *policy_dir, char ***l) {
        static const char *const files[] = { "file_contexts.subs_dist", "file_contexts.subs" };
        size_t n;
        int r;

        assert(policy_dir);
        assert(l);

        n = strv_length(*l);

        for (size_t f = 0; f < ELEMENTSOF(files); f++) {
                _cleanup_free_ char *path = strjoin(policy_dir, "/contexts/files/", files[f]), *text = NULL;
                char *save = NULL;

                if (!path)
                        return -ENOMEM;
                r = read_full_file_at(root_fd, path, SUBS_MAX, &text, /* ret_size= */ NULL, /* ret_st= */ NULL,
                                      /* ret_path= */ NULL);
                if (r == -ENOENT)
                        continue;
                if (r < 0)
                        return log_error_errno(r, "Cannot read %s: %m", path);
                for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                        char alias[4096], orig[4096];

                        if (line[strspn(line, " \t")] == '#' || sscanf(line, "%4095s %4095s", alias, orig) != 2)
                                continue;
                        for (size_t i = 0; i < n; i++) {
                                r = 0;
                                if (path_below((*l)[i], orig))
                                        r = strv_consume(
                                                l, strjoin(alias, (*l)[i] + (streq(orig, "/") ? 0 : strlen(orig))));
                                else if (path_below(orig, (*l)[i]))
                                        r = strv_extend(l, alias);
                                if (r < 0)
                                        return r;
                        }
                }
        }
        if (*l)
                subtrees_merge(*l);
        return 0;
}

int relabel_targeted(int root_fd, const char *root, const char *policy_dir, char *const *regexes,
                     char *const *equivalences, const RelabelOptions *o, RelabelStats *ret_stats) {
        _cleanup_strv_free_ char **subtrees = NULL;
        RelabelOptions t;
        int r;

        assert(root);
        assert(policy_dir);
        assert(o);

        r = relabel_subtrees_for(regexes, equivalences, &subtrees);
        if (r < 0)
                return log_oom();
        if (!subtrees) { /* nothing changed */
                if (ret_stats)
                        *ret_stats = (RelabelStats){};
                return 0;
        }
        r = relabel_subtrees_add_aliases(root_fd, policy_dir, &subtrees);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return r;
        STRV_FOREACH (s, subtrees)
                log_debug("Relabel: walking %s.", *s);
        t = *o;
        t.subtrees = subtrees;
        return relabel_run(root_fd, root, policy_dir, &t, ret_stats);
}
