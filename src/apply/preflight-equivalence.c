/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The equivalence trap: a file context rule whose paths lie under the source of an equivalence
 * never matches, because libselinux rewrites a path by the equivalences before it looks it up
 * (label_file.c, selabel_sub_key(): the local file_contexts.subs first, then file_contexts.subs_dist
 * on the result; in each, the first entry whose source is the path or a leading part of it ending at
 * a "/"). Such a rule is refused with the rule to write instead; so is an equivalence semanage would
 * refuse beside the others. */

#include <ctype.h>

#include "file-contexts.h"
#include "fileio.h"
#include "preflight.h"
#include "strutil.h"

#define SUBS_MAX (1024 * 1024)

typedef struct Sub {
        char *src, *dst;
        const char *where; /* the file it comes from, or NULL for the config's */
        const Origin *origin;
} Sub;

typedef struct Subs {
        Sub *items;
        size_t n;
} Subs;

static void subs_done(Subs *s) {
        for (size_t i = 0; i < s->n; i++) {
                free(s->items[i].src);
                free(s->items[i].dst);
        }
        free(s->items);
}

static int subs_add(Subs *s, const char *src, const char *dst, const char *where, const Origin *origin) {
        Sub *n = reallocarray(s->items, s->n + 1, sizeof(Sub));

        if (!n)
                return -ENOMEM;
        s->items = n;
        n[s->n] = (Sub){ .src = strdup(src), .dst = strdup(dst), .where = where, .origin = origin };
        if (!n[s->n].src || !n[s->n].dst) {
                free(n[s->n].src);
                free(n[s->n].dst);
                return -ENOMEM;
        }
        s->n++;
        return 0;
}

/* The entries of a .subs file as libselinux reads them: "SRC DST" per line, "#" comments, blank
 * lines and lines of one word ignored, a trailing "/" of either dropped. A missing file has none. */
static int subs_read(Subs *s, int root_fd, const char *path) {
        _cleanup_free_ char *text = NULL;
        char *save = NULL;
        int r;

        r = read_full_file_at(root_fd, path, SUBS_MAX, &text, /* ret_size= */ NULL, /* ret_st= */ NULL,
                              /* ret_path= */ NULL);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                char src[4096], dst[4096];
                size_t n;

                if (line[strspn(line, " \t")] == '#' || sscanf(line, "%4095s %4095s", src, dst) != 2)
                        continue;
                n = strlen(src);
                if (n > 1 && src[n - 1] == '/')
                        src[n - 1] = '\0';
                n = strlen(dst);
                if (n > 1 && dst[n - 1] == '/')
                        dst[n - 1] = '\0';
                r = subs_add(s, src, dst, path, /* origin= */ NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The literal path a regex starts with, unescaped ("\." is "."), in 'buf', and in *ret_len the length
 * of the regex text it came from. A character a quantifier follows is not certain, nor is anything
 * when the regex has a top-level alternative (file_contexts_literal_prefix() says 0 then). */
static void regex_literal(const char *re, char *buf, size_t size, size_t *ret_len) {
        size_t i = 0, n = 0, last_i = 0, last_n = 0;

        if (file_contexts_literal_prefix(re) == 0 && re[0] != '\0') {
                buf[0] = '\0';
                *ret_len = 0;
                return;
        }
        while (re[i] && n + 1 < size) {
                char c = re[i];

                if (c == '\\' && re[i + 1] && !isalnum((unsigned char) re[i + 1])) {
                        last_i = i, last_n = n;
                        buf[n++] = re[i + 1];
                        i += 2;
                        continue;
                }
                if (strchr(".^$?*+|[](){}\\", c))
                        break;
                last_i = i, last_n = n;
                buf[n++] = c;
                i++;
        }
        if (re[i] && strchr("?*{+", re[i]) && n > 0)
                i = last_i, n = last_n;
        buf[n] = '\0';
        *ret_len = i;
}

/* What follows the literal part may only be the end, or "/..." and "(/...)": every path the rule
 * matches then is the literal path itself or lies below it. */
static bool rest_below(const char *rest) {
        return rest[0] == '\0' || rest[0] == '/' || startswith(rest, "(/");
}

/* The entry of 'subs' (from index 'from' to 'to') that rewrites every path the literal 'lit' of a rule
 * leads to; NULL when none does. libselinux 3.4 tries a file's entries last first (selabel_subs_init()
 * puts each at the head of its list): so does this, to name the one a lookup uses. */
static const Sub *sub_find(const Subs *subs, size_t from, size_t to, const char *lit, const char *rest) {
        for (size_t i = to; i-- > from;) {
                const char *tail = startswith(lit, subs->items[i].src);

                if (!tail || streq(subs->items[i].src, "/"))
                        continue;
                if (tail[0] == '/' || (tail[0] == '\0' && rest_below(rest)))
                        return &subs->items[i];
        }
        return NULL;
}

/* The rule to write: the path rewritten as libselinux rewrites a path under 'sub', the rest of the
 * regex kept. */
static char *rule_instead(const char *lit, const char *re_rest, const Sub *sub) {
        _cleanup_free_ char *escaped = NULL;
        const char *tail = lit + strlen(sub->src);

        /* selabel_sub(): an alias of "/" drops the "/" that follows the source. */
        if (streq(sub->dst, "/") && tail[0] == '/')
                tail++;
        escaped = file_contexts_regex_escape(tail);
        if (!escaped)
                return NULL;
        if (streq(sub->dst, "/"))
                return strjoin("/", escaped, re_rest);
        return strjoin(sub->dst, escaped, re_rest);
}

static int trap_error(Diags *diags, const ConfigFileContext *f, const Sub *sub, const char *instead) {
        char where[512];
        const char *from = sub->origin ? config_origin_where(sub->origin, where, sizeof where) : sub->where;

        return config_origin_error(diags, &f->origin,
                                   "file context \"%s\" never matches: the equivalence \"%s %s\" (%s%s) makes "
                                   "libselinux look paths under %s up as paths under %s; write \"%s\" instead",
                                   f->path, sub->src, sub->dst, sub->origin ? "the config, " : "", from, sub->src,
                                   sub->dst, instead);
}

/* The equivalences lookups will use after this apply: the config's (which replace the local ones of
 * the same path), the installed local .subs, then the distribution's .subs_dist. *ret_n_local gets
 * the number of local ones (the config's and .subs), which libselinux applies first. */
static int subs_collect(int root_fd, const Config *c, const char *local, const char *dist, Subs *s,
                        size_t *ret_n_local) {
        int r;

        for (size_t i = 0; i < c->n_equivalences; i++) {
                if (c->equivalences[i].absent)
                        continue;
                r = subs_add(s, c->equivalences[i].path, c->equivalences[i].same_as, NULL, &c->equivalences[i].origin);
                if (r < 0)
                        return r;
        }
        r = subs_read(s, root_fd, local);
        if (r < 0)
                return r;
        *ret_n_local = s->n;
        return subs_read(s, root_fd, dist);
}

/* An equivalence that lies under the source of another, or holds another's source, is refused, as
 * semanage fcontext -a -e refuses it (seobject.py: "conflicts with equivalency rule"): the config
 * says what semanage would make. The entry of the same path in .subs is the one the config replaces. */
static int check_equivalence(const Subs *subs, const Config *c, const ConfigEquivalence *e, Diags *diags) {
        for (size_t i = 0; i < subs->n; i++) {
                const Sub *s = &subs->items[i];
                const ConfigEquivalence *other = s->origin ? NULL : config_find_equivalence(c, s->src);
                const char *below;
                char where[512];

                if (streq(s->src, e->path) || (other && other->absent))
                        continue;
                below = startswith(e->path, s->src);
                if (below && below[0] == '/')
                        return config_origin_error(
                                diags, &e->origin,
                                "equivalence \"%s\" lies under the source of the equivalence \"%s %s\" (%s%s); "
                                "semanage refuses it: write \"%s%s\" instead",
                                e->path, s->src, s->dst, s->origin ? "the config, " : "",
                                s->origin ? config_origin_where(s->origin, where, sizeof where) : s->where,
                                streq(s->dst, "/") ? "" : s->dst, below);
                below = startswith(s->src, e->path);
                if (below && below[0] == '/')
                        return config_origin_error(
                                diags, &e->origin,
                                "equivalence \"%s\" holds the source of the equivalence \"%s %s\" (%s%s); "
                                "semanage refuses it: drop one of the two",
                                e->path, s->src, s->dst, s->origin ? "the config, " : "",
                                s->origin ? config_origin_where(s->origin, where, sizeof where) : s->where);
        }
        return 0;
}

int preflight_equivalence_trap(int root_fd, const Layout *l, const Config *c, Diags *diags) {
        _cleanup_free_ char *local = NULL, *dist = NULL;
        _cleanup_(subs_done) Subs subs = {};
        size_t n_local = 0;
        int r;

        assert(l);
        assert(c);
        assert(diags);

        if (c->n_file_contexts == 0 && c->n_equivalences == 0)
                return 0;
        local = strjoin("/etc/selinux/", l->type, "/contexts/files/file_contexts.subs");
        dist = strjoin("/etc/selinux/", l->type, "/contexts/files/file_contexts.subs_dist");
        if (!local || !dist)
                return -ENOMEM;
        r = subs_collect(root_fd, c, local, dist, &subs, &n_local);
        if (r < 0)
                return r;
        for (size_t i = 0; i < c->n_equivalences; i++) {
                if (c->equivalences[i].absent)
                        continue;
                r = check_equivalence(&subs, c, &c->equivalences[i], diags);
                if (r < 0)
                        return r;
        }

        for (size_t i = 0; i < c->n_file_contexts; i++) {
                const ConfigFileContext *f = &c->file_contexts[i];
                _cleanup_free_ char *instead = NULL;
                const Sub *sub;
                char lit[4096];
                size_t len;

                if (f->absent)
                        continue;
                regex_literal(f->path, lit, sizeof lit, &len);
                /* Local first; the distribution's on what is left (as selabel_sub_key()). */
                sub = sub_find(&subs, 0, n_local, lit, f->path + len);
                if (!sub)
                        sub = sub_find(&subs, n_local, subs.n, lit, f->path + len);
                if (!sub)
                        continue;
                instead = rule_instead(lit, f->path + len, sub);
                if (!instead)
                        return -ENOMEM;
                r = trap_error(diags, f, sub, instead);
                if (r < 0)
                        return r;
        }
        return 0;
}
