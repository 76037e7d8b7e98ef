/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Local file context rules and equivalences: what the store and the installed policy hold, read
 * without libsemanage (a second apply must not load it), the rules staged in libsemanage's
 * transaction, and the equivalences written as semanage fcontext -a -e writes them. */

#include <fcntl.h>
#include <sys/stat.h>

#include "dlopen-libs.h"
#include "fileio.h"
#include "policy-internal.h"
#include "policy.h"
#include "selinux-xattr.h"
#include "strutil.h"

#define FC_LOCAL_MAX (16 * 1024 * 1024)
#define FC_LOCAL     "active/file_contexts.local"
#define FC_SUBS      "contexts/files/file_contexts.subs"

/* file_contexts' "-X" file type words, in the order of config_file_type_names (SEMANAGE_FCONTEXT_*). */
static const char *const fc_type_words[] = { "", "--", "-d", "-c", "-b", "-s", "-l", "-p" };

void local_fcontexts_done(LocalFcontexts *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].path);
                free(l->items[i].type);
                free(l->items[i].range);
        }
        free(l->items);
        *l = (LocalFcontexts){};
}

static int fc_file_type(const char *word) {
        for (size_t i = 1; i < ELEMENTSOF(fc_type_words); i++)
                if (streq(word, fc_type_words[i]))
                        return (int) i;
        return -EBADMSG;
}

/* "user:role:type[:range]" or "<<none>>" into its type and range. */
static int fc_context_split(const char *con, char **ret_type, char **ret_range) {
        const char *t, *range;

        *ret_type = *ret_range = NULL;
        if (streq(con, "<<none>>"))
                return 0;
        t = strchr(con, ':');
        t = t ? strchr(t + 1, ':') : NULL;
        if (!t)
                return -EBADMSG;
        t++;
        range = strchr(t, ':');
        *ret_type = range ? strndup(t, range - t) : strdup(t);
        if (range)
                *ret_range = strdup(range + 1);
        if (!*ret_type || (range && !*ret_range)) {
                *ret_type = mfree(*ret_type);
                *ret_range = mfree(*ret_range);
                return -ENOMEM;
        }
        return 0;
}

static int local_fcontext_parse(char *line, void *userdata) {
        LocalFcontexts *l = userdata;
        char *words[4] = {}, *save = NULL;
        LocalFcontext f = {};
        LocalFcontext *n;
        size_t k = 0;
        int type = 0, r;

        if (line[strspn(line, " \t")] == '#')
                return 0;
        for (char *w = strtok_r(line, " \t", &save); w; w = strtok_r(NULL, " \t", &save))
                if (k < ELEMENTSOF(words))
                        words[k++] = w;
        if (k == 3)
                type = fc_file_type(words[1]);
        if (k < 2 || k > 3 || type < 0)
                return -EBADMSG;
        r = fc_context_split(words[k - 1], &f.type, &f.range);
        if (r < 0)
                return r;
        f.file_type = config_file_type_names[type];
        f.path = strdup(words[0]);
        n = f.path ? reallocarray(l->items, l->n + 1, sizeof(LocalFcontext)) : NULL;
        if (!n) {
                free(f.path);
                free(f.type);
                free(f.range);
                return -ENOMEM;
        }
        l->items = n;
        l->items[l->n++] = f;
        return 0;
}

int local_fcontexts_read(int store_fd, LocalFcontexts *ret) {
        LocalFcontexts l = {};
        int r;

        assert(ret);

        r = read_lines_at(store_fd, FC_LOCAL, FC_LOCAL_MAX, local_fcontext_parse, &l);
        if (r < 0 && r != -ENOENT) {
                local_fcontexts_done(&l);
                return r;
        }
        *ret = l;
        return 0;
}

const LocalFcontext *local_fcontexts_find(const LocalFcontexts *l, const char *path, const char *file_type) {
        assert(l);
        assert(path);
        assert(file_type);

        for (size_t i = 0; i < l->n; i++)
                if (streq(l->items[i].path, path) && streq(l->items[i].file_type, file_type))
                        return &l->items[i];
        return NULL;
}

bool local_fcontext_matches(const LocalFcontext *f, const ConfigFileContext *c) {
        assert(f);
        assert(c);

        if (!streq_ptr(f->type, c->type))
                return false;
        if (c->range)
                return streq_ptr(f->range, c->range);
        return !f->range || streq(f->range, "s0");
}

static int fcontext_key(semanage_handle_t *sh, const char *path, const char *file_type,
                        semanage_fcontext_key_t **ret) {
        int t = 0;

        while (config_file_type_names[t] && !streq(config_file_type_names[t], file_type))
                t++;
        assert(config_file_type_names[t]);
        return sym_semanage_fcontext_key_create(sh, path, t, ret) < 0 ? -EIO : t;
}

/* The context semanage fcontext -a gives: system_u:object_r:TYPE, with 'range', or s0 on an MLS
 * policy. */
static int fcontext_context(semanage_handle_t *sh, const char *type, const char *range, semanage_context_t **ret) {
        semanage_context_t *con = NULL;

        if (sym_semanage_context_create(sh, &con) < 0)
                return -ENOMEM;
        if (sym_semanage_context_set_user(sh, con, "system_u") < 0 ||
            sym_semanage_context_set_role(sh, con, "object_r") < 0 ||
            sym_semanage_context_set_type(sh, con, type) < 0 ||
            (sym_semanage_mls_enabled(sh) > 0 && sym_semanage_context_set_mls(sh, con, range ?: "s0") < 0)) {
                sym_semanage_context_free(con);
                return -EIO;
        }
        *ret = con;
        return 0;
}

int policy_fcontext_stage(semanage_handle_t *sh, const char *path, const char *file_type, const char *type,
                          const char *range) {
        semanage_fcontext_key_t *key = NULL;
        semanage_fcontext_t *fc = NULL;
        semanage_context_t *con = NULL;
        int t, r = -EIO;

        assert(sh);
        assert(path);
        assert(file_type);

        t = fcontext_key(sh, path, file_type, &key);
        if (t < 0)
                return t;
        if (!type)
                r = sym_semanage_fcontext_del_local(sh, key) < 0 ? -EIO : 0;
        else if (fcontext_context(sh, type, range, &con) >= 0 && sym_semanage_fcontext_create(sh, &fc) >= 0 &&
                 sym_semanage_fcontext_set_expr(sh, fc, path) >= 0) {
                sym_semanage_fcontext_set_type(fc, t);
                if (sym_semanage_fcontext_set_con(sh, fc, con) >= 0)
                        r = sym_semanage_fcontext_modify_local(sh, key, fc) < 0 ? -EIO : 0;
        }
        sym_semanage_fcontext_free(fc);
        sym_semanage_context_free(con);
        sym_semanage_fcontext_key_free(key);
        return r;
}

void local_subs_done(LocalSubs *s) {
        strv_free(s->sources);
        strv_free(s->targets);
        *s = (LocalSubs){};
}

/* As seobject.py reads it: blank lines and "#" comments skipped, "SOURCE TARGET" per line. */
static int local_subs_parse(char *line, void *userdata) {
        LocalSubs *s = userdata;
        char src[4096], dst[4096];

        if (line[strspn(line, " \t")] == '#' || sscanf(line, "%4095s %4095s", src, dst) != 2)
                return 0;
        return local_subs_set(s, src, dst);
}

int local_subs_read(int policy_fd, LocalSubs *ret) {
        LocalSubs s = {};
        int r;

        assert(ret);

        r = read_lines_at(policy_fd, FC_SUBS, FC_LOCAL_MAX, local_subs_parse, &s);
        if (r < 0 && r != -ENOENT) {
                local_subs_done(&s);
                return r;
        }
        *ret = s;
        return 0;
}

const char *local_subs_find(const LocalSubs *s, const char *source) {
        assert(s);
        assert(source);

        for (size_t i = 0; s->sources && s->sources[i]; i++)
                if (streq(s->sources[i], source))
                        return s->targets[i];
        return NULL;
}

int local_subs_set(LocalSubs *s, const char *source, const char *target) {
        size_t i = 0;

        assert(s);
        assert(source);

        while (s->sources && s->sources[i] && !streq(s->sources[i], source))
                i++;
        if (s->sources && s->sources[i]) {
                if (target) {
                        char *t = strdup(target);
                        if (!t)
                                return -ENOMEM;
                        free(s->targets[i]);
                        s->targets[i] = t;
                        return 0;
                }
                free(s->sources[i]);
                free(s->targets[i]);
                memmove(s->sources + i, s->sources + i + 1, (strv_length(s->sources) - i) * sizeof(char *));
                memmove(s->targets + i, s->targets + i + 1, (strv_length(s->targets) - i) * sizeof(char *));
                return 0;
        }
        if (!target)
                return 0;
        if (strv_extend(&s->sources, source) < 0 || strv_extend(&s->targets, target) < 0)
                return -ENOMEM;
        return 0;
}

int local_subs_write(int policy_fd, const LocalSubs *s) {
        _cleanup_free_ char *text = NULL, *label = NULL;
        _cleanup_close_ int dir_fd = -EBADF, dist_fd = -EBADF;
        struct stat st;
        mode_t mode = 0644;
        int r = 0;

        assert(s);

        for (size_t i = 0; r >= 0 && s->sources && s->sources[i]; i++)
                r = strextend(&text, "%s %s\n", s->sources[i], s->targets[i]);
        if (r < 0)
                return r;
        dir_fd = openat(policy_fd, "contexts/files", O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dir_fd < 0)
                return -errno;
        if (fstatat(dir_fd, "file_contexts.subs", &st, AT_SYMLINK_NOFOLLOW) >= 0)
                mode = st.st_mode & 07777;
        /* The label file_contexts gives the policy's contexts directory's files (file_context_t). */
        dist_fd = openat(dir_fd, "file_contexts.subs_dist", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (dist_fd >= 0)
                (void) selinux_xattr_get(dist_fd, /* name= */ NULL, &label);
        return write_file_atomic_at(
                dir_fd, "file_contexts.subs", strempty(text), strlen(strempty(text)),
                &(const WriteOptions){ .mode = mode, .uid = (uid_t) -1, .gid = (gid_t) -1, .label = label });
}
