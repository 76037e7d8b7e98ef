/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The origin record of a copied tree, and the identity of an image tree cheap enough for every boot. */

#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "fileio.h"
#include "fnv1a.h"
#include "selinux-xattr.h"
#include "store-internal.h"
#include "strutil.h"

#define ORIGIN_MAX          (64 * 1024)
#define IDENTITY_SMALL_FILE 256 /* content of files this small is part of the identity */

void store_origin_done(StoreOrigin *o) {
        assert(o);

        free(o->source);
        free(o->identity);
        free(o->replaced);
        free(o->replaced_target);
        strv_free(o->image_priorities);
        *o = (StoreOrigin){};
}

static int origin_set(StoreOrigin *o, const char *key, const char *value) {
        char **field = streq(key, "source")            ? &o->source
                       : streq(key, "identity")        ? &o->identity
                       : streq(key, "replaced")        ? &o->replaced
                       : streq(key, "replaced-target") ? &o->replaced_target
                                                       : NULL;

        if (streq(key, "rebuild")) {
                o->rebuild_pending = streq(value, "pending");
                return 0;
        }
        if (streq(key, "image-priorities")) {
                _cleanup_free_ char *copy = strdup(value);
                char *save = NULL;

                if (!copy)
                        return -ENOMEM;
                o->image_priorities = strv_free(o->image_priorities);
                /* Present, even when empty: the image had no module then. */
                if (strv_extend(&o->image_priorities, "") < 0)
                        return -ENOMEM;
                for (char *p = strtok_r(copy, " ", &save); p; p = strtok_r(NULL, " ", &save))
                        if (strv_extend(&o->image_priorities, p) < 0)
                                return -ENOMEM;
                return 0;
        }
        if (!field) /* written by a later version: not ours to judge */
                return 0;
        free(*field);
        *field = strdup(value);
        return *field ? 0 : -ENOMEM;
}

/* "key=value"; comments and lines without '=' are skipped. */
static int origin_line(char *line, void *userdata) {
        char *eq = strchr(line, '=');

        if (line[0] == '#' || !eq)
                return 0;
        *eq = '\0';
        return origin_set(userdata, line, eq + 1);
}

int store_origin_read(int tree_fd, StoreOrigin *ret) {
        _cleanup_(store_origin_done) StoreOrigin o = {};
        int r;

        assert(ret);

        r = read_lines_at(tree_fd, STORE_ORIGIN_FILE, ORIGIN_MAX, origin_line, &o);
        if (r < 0)
                return r;
        if (!o.source || !o.identity)
                return -EBADMSG;
        *ret = o;
        o = (StoreOrigin){};
        return 0;
}

static int write_new(int dir_fd, const char *name, const char *text, const char *label) {
        _cleanup_close_ int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        size_t n = strlen(text);

        if (fd < 0)
                return negative_errno();
        if (write(fd, text, n) != (ssize_t) n)
                return errno > 0 ? -errno : -EIO;
        return selinux_xattr_set(fd, /* name= */ NULL, label);
}

int store_origin_write(int tree_fd, const StoreOrigin *o, const char *label, bool replace) {
        _cleanup_free_ char *text = NULL;
        int r = 0;

        assert(o);

        r = strextend(&text,
                      "# Written by seprov: what this copy was taken from. Do not edit.\n"
                      "source=%s\nidentity=%s\n",
                      o->source, o->identity);
        if (r >= 0 && o->replaced)
                r = strextend(&text, "replaced=%s\nreplaced-target=%s\n", o->replaced, strna(o->replaced_target));
        if (r >= 0 && o->image_priorities) {
                r = strextend(&text, "image-priorities=");
                STRV_FOREACH (p, o->image_priorities)
                        if (r >= 0 && !isempty(*p))
                                r = strextend(&text, "%s ", *p);
                if (r >= 0)
                        r = strextend(&text, "\n");
        }
        if (r >= 0 && o->rebuild_pending)
                r = strextend(&text, "rebuild=pending\n");
        if (r < 0)
                return r;
        if (!replace)
                return write_new(tree_fd, STORE_ORIGIN_FILE, text, label);
        return write_file_atomic_at(
                tree_fd, STORE_ORIGIN_FILE, text, strlen(text),
                &(const WriteOptions){ .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1, .label = label });
}

static void hash_bytes(uint64_t *h, const void *data, size_t n) {
        *h = fnv1a64(*h, data, n);
}

static bool identity_skip(const char *name) {
        return streq(name, ".") || streq(name, "..") || startswith(name, ".seprov-") ||
               startswith(name, STORE_STAGING_PREFIX) || endswith(name, ".LOCK");
}

static int cmp_names(const struct dirent **a, const struct dirent **b) {
        return strcmp((*a)->d_name, (*b)->d_name);
}

static int hash_entry(uint64_t *h, int fd, const char *name, bool *ret_dir) {
        char small[IDENTITY_SMALL_FILE];
        struct stat st;

        if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        hash_bytes(h, name, strlen(name) + 1);
        hash_bytes(h, &st.st_mode, sizeof(st.st_mode));
        *ret_dir = S_ISDIR(st.st_mode);
        if (!S_ISREG(st.st_mode))
                return 0;
        hash_bytes(h, &st.st_size, sizeof(st.st_size));
        hash_bytes(h, &st.st_mtim, sizeof(st.st_mtim));
        if (st.st_size <= IDENTITY_SMALL_FILE) {
                _cleanup_close_ int f = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
                ssize_t n = f < 0 ? -1 : read(f, small, sizeof(small));

                if (n < 0)
                        return negative_errno();
                hash_bytes(h, small, (size_t) n);
        }
        return 0;
}

/* Hashes the entries of the directory 'name' in 'fd' in name order, and those of its subdirectories
 * while depth > 0. */
static int hash_dir(uint64_t *h, int fd, const char *name, unsigned depth) {
        _cleanup_close_ int dfd = openat(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct dirent **list = NULL;
        int n, r = 0;

        if (dfd < 0)
                return negative_errno();
        n = scandirat(dfd, ".", &list, NULL, cmp_names);
        if (n < 0)
                return negative_errno();
        for (int i = 0; i < n; i++) {
                bool dir = false;

                if (r >= 0 && !identity_skip(list[i]->d_name)) {
                        r = hash_entry(h, dfd, list[i]->d_name, &dir);
                        if (r >= 0 && dir && depth > 0)
                                r = hash_dir(h, dfd, list[i]->d_name, depth - 1);
                }
                free(list[i]);
        }
        free(list);
        return r;
}

int store_origin_identity(int fd, char **ret) {
        uint64_t h = FNV1A64_OFFSET;
        int r;

        assert(ret);

        /* Two levels: the store's active/ (policy.kern, modules_checksum, commit_num, the .local
         * files), the compiled policy's policy/ and contexts/. */
        r = hash_dir(&h, fd, ".", 1);
        if (r < 0)
                return r;
        *ret = strprintf("%016llx", (unsigned long long) h);
        return *ret ? 0 : -ENOMEM;
}
