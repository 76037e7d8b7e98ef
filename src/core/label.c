/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File labels from the target policy's file_contexts through libselinux's selabel. The host needs no
 * SELinux kernel: the contexts are only looked up here, and written as xattrs (selinux-xattr.c). */

#include <limits.h>
#include <selinux/label.h>
#include <selinux/selinux.h>
#include <sys/stat.h>

#include "chase.h"
#include "dir-for-each.h"
#include "file-contexts.h"
#include "label.h"
#include "log.h"
#include "rm-rf.h"
#include "selinux-xattr.h"
#include "strutil.h"

struct Labeler {
        struct selabel_handle *handle;
        int dir_fd; /* contexts/files of the target policy, kept open while selabel may read it */
};

Labeler *labeler_free(Labeler *l) {
        if (!l)
                return NULL;
        if (l->handle)
                selabel_close(l->handle);
        closep(&l->dir_fd);
        return mfree(l);
}

/* selabel opens file_contexts and its siblings by path. Every one of them must be a plain file in the
 * directory chase() found, so that nothing they name can lead out of the root. */
static int labeler_check_siblings(int dir_fd, const char *dir) {
        static const char *const names[] = {
                "file_contexts",           "file_contexts.bin",          "file_contexts.subs",
                "file_contexts.subs_dist", "file_contexts.local",        "file_contexts.local.bin",
                "file_contexts.homedirs",  "file_contexts.homedirs.bin",
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                struct stat st;

                if (fstatat(dir_fd, names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT && i > 0)
                                continue;
                        if (errno == ENOENT)
                                return log_debug_errno(errno, "Cannot use %s/%s for labels: %m", dir, names[i]);
                        return log_error_errno(errno, "Cannot use %s/%s for labels: %m", dir, names[i]);
                }
                if (!S_ISREG(st.st_mode))
                        return log_error_errno(ELOOP, "Cannot use %s/%s for labels: not a regular file.", dir,
                                               names[i]);
        }
        return 0;
}

/* The path selabel gets: through /proc/self/fd, so the kernel starts from the directory chase()
 * resolved inside the root; without /proc, the resolved path under the root's own path. */
static char *labeler_path(int dir_fd, const char *root, const char *resolved) {
        if (access("/proc/self/fd", F_OK) >= 0)
                return chase_proc_fd_path(dir_fd, "file_contexts");
        return strjoin(streq(root, "/") ? "" : root, resolved, "/file_contexts");
}

/* Opens selabel on the file_contexts in 'path' (a directory path ending in "/file_contexts"). */
static int labeler_selabel(Labeler *l, const char *path, bool base_only) {
        const struct selinux_opt opts[] = {
                { SELABEL_OPT_PATH, path },
                { SELABEL_OPT_BASEONLY, base_only ? (const char *) 1 : NULL },
        };

        l->handle = selabel_open(SELABEL_CTX_FILE, opts, ELEMENTSOF(opts));
        return l->handle ? 0 : negative_errno();
}

/* selabel reads the subset through /proc/self/fd, from a directory in 'scratch_fd' removed once it
 * has read it. */
static int labeler_open_subset(Labeler *l, char *const *subtrees, int scratch_fd) {
        _cleanup_free_ char *name = NULL, *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (scratch_fd < 0)
                return -EBADF;
        if (access("/proc/self/fd", F_OK) < 0)
                return negative_errno();
        fd = file_contexts_subset(l->dir_fd, subtrees, scratch_fd, &name);
        if (fd < 0)
                return fd;
        path = chase_proc_fd_path(fd, "file_contexts");
        r = path ? labeler_selabel(l, path, /* base_only= */ true) : -ENOMEM;
        /* selabel has read everything it needs. */
        (void) rm_rf_at(scratch_fd, name);
        return r;
}

int labeler_scratch_cleanup(int scratch_fd) {
        return file_contexts_scratch_cleanup(scratch_fd);
}

int labeler_open(int root_fd, const char *root, const char *policy_dir, char *const *subtrees, int scratch_fd,
                 Labeler **ret) {
        _cleanup_(labeler_freep) Labeler *l = NULL;
        _cleanup_free_ char *dir = NULL, *resolved = NULL, *path = NULL;
        int r;

        assert(root);
        assert(policy_dir);
        assert(ret);

        dir = strjoin(policy_dir, "/contexts/files");
        if (!dir)
                return log_oom();
        l = calloc(1, sizeof(Labeler));
        if (!l)
                return log_oom();
        l->dir_fd = chase_and_open(root_fd, dir, /* flags= */ 0, O_PATH | O_DIRECTORY, /* mode= */ 0, &resolved);
        if (l->dir_fd == -ENOENT)
                return log_debug_errno(l->dir_fd, "Cannot open %s for labels: %m", dir);
        if (l->dir_fd < 0)
                return log_error_errno(l->dir_fd, "Cannot open %s for labels: %m", dir);
        r = labeler_check_siblings(l->dir_fd, dir);
        if (r < 0)
                return r;
        /* Only the specs that can match below the trees we label: the same labels, a hundred times
         * faster (selabel tries every spec of a stem for each lookup). */
        if (subtrees) {
                r = labeler_open_subset(l, subtrees, scratch_fd);
                if (r >= 0) {
                        *ret = TAKE_PTR(l);
                        return 0;
                }
                log_debug_errno(r, "Cannot load a subset of %s/file_contexts, loading all of it: %m", dir);
        }
        path = labeler_path(l->dir_fd, root, resolved);
        if (!path)
                return log_oom();
        r = labeler_selabel(l, path, /* base_only= */ false);
        if (r < 0)
                return log_error_errno(r, "Cannot load %s/file_contexts: %m", dir);
        *ret = TAKE_PTR(l);
        return 0;
}

int labeler_lookup(Labeler *l, const char *path, mode_t mode, char **ret) {
        char *con = NULL;

        assert(l);
        assert(path);
        assert(ret);

        if (selabel_lookup_raw(l->handle, &con, path, (int) (mode & S_IFMT)) < 0) {
                if (errno != ENOENT)
                        return negative_errno();
                *ret = NULL; /* no entry, or <<none>>: setfiles leaves such files alone too */
                return 0;
        }
        *ret = con;
        return 0;
}

int labeler_differs(Labeler *l, int dir_fd, const char *name, const char *path, mode_t mode, char **ret_have,
                    char **ret_want) {
        _cleanup_free_ char *want = NULL, *have = NULL;
        int r;

        assert(l);
        assert(name);
        assert(path);
        assert(ret_want);

        r = labeler_lookup(l, path, mode, &want);
        if (r < 0 || !want)
                return r;
        /* A label that cannot be read is written again. */
        if (selinux_xattr_get(dir_fd, name, &have) >= 0 && streq_ptr(have, want))
                return 0;
        if (ret_have)
                *ret_have = TAKE_PTR(have);
        *ret_want = TAKE_PTR(want);
        return 1;
}

/* Labels one entry of 'dir_fd' if its label is not what file_contexts says. */
static int relabel_entry(Labeler *l, int dir_fd, const char *name, const char *path, mode_t mode, unsigned *n) {
        _cleanup_free_ char *want = NULL;
        int r;

        r = labeler_differs(l, dir_fd, name, path, mode, /* ret_have= */ NULL, &want);
        if (r <= 0)
                return r;
        r = selinux_xattr_set(dir_fd, name, want);
        if (r < 0)
                return r;
        (*n)++;
        return 0;
}

/* A walk of one directory of the tree: 'path' is the directory's path, a buffer of PATH_MAX that
 * each entry's path is appended to in turn. */
typedef struct Relabel {
        Labeler *labeler;
        char *path;
        size_t len;
        unsigned *n;
} Relabel;

static int relabel_dir(Labeler *l, int fd, char *path, size_t len, unsigned *n);

static int relabel_dir_entry(int dir_fd, const char *name, void *userdata) {
        Relabel *w = userdata;
        struct stat st;
        int r;

        if (w->len + 1 + strlen(name) >= PATH_MAX)
                return -ENAMETOOLONG;
        snprintf(w->path + w->len, PATH_MAX - w->len, "/%s", name);
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                r = negative_errno();
        else
                r = relabel_entry(w->labeler, dir_fd, name, w->path, st.st_mode, w->n);
        if (r >= 0 && S_ISDIR(st.st_mode)) {
                int sub = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                r = sub < 0 ? negative_errno() : relabel_dir(w->labeler, sub, w->path, strlen(w->path), w->n);
        }
        w->path[w->len] = '\0';
        return r;
}

/* Takes 'fd' over. */
static int relabel_dir(Labeler *l, int fd, char *path, size_t len, unsigned *n) {
        return dir_for_each(fd, relabel_dir_entry, &(Relabel){ .labeler = l, .path = path, .len = len, .n = n });
}

int labeler_fix(Labeler *l, int root_fd, const char *tree, unsigned *ret_fixed) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL;
        char path[PATH_MAX];
        struct stat st;
        unsigned n = 0;
        int r, fd;

        assert(l);
        assert(tree);

        /* Not through symlinks: the tree is a real directory seprov or libsemanage wrote. */
        r = chase(root_fd, tree, CHASE_NOFOLLOW, &dir_fd, &name, /* ret_path= */ NULL);
        if (r < 0)
                return r;
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        if (!S_ISDIR(st.st_mode))
                return -ENOTDIR;
        r = relabel_entry(l, dir_fd, name, tree, st.st_mode, &n);
        if (r < 0)
                return r;
        fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        snprintf(path, sizeof(path), "%s", tree);
        r = relabel_dir(l, fd, path, strlen(path), &n);
        if (ret_fixed)
                *ret_fixed = n;
        return r;
}
