/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Putting trees in place: staging a copy of an image tree beside its target, swapping staged trees in,
 * and putting the image's links back. */

#include <assert.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "chase.h"
#include "fileio.h"
#include "log.h"
#include "rm-rf.h"
#include "selinux-xattr.h"
#include "store-internal.h"
#include "store.h"
#include "strutil.h"

/* The parent directory of 'path' (opened for writing entries) and the last component. The parent
 * must be real: a tree is never staged inside the image. */
static int open_parent(int root_fd, const char *path, int *ret_fd, char **ret_name) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL, *resolved = NULL;
        char *slash;
        int r, fd;

        r = chase(root_fd, path, CHASE_NOFOLLOW | CHASE_MISSING_OK, &dir_fd, &name, &resolved);
        if (r < 0)
                return r;
        slash = strrchr(resolved, '/');
        if (slash)
                *slash = '\0';
        if (layout_path_in_image(isempty(resolved) ? "/" : resolved))
                return -EROFS;
        fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        *ret_fd = fd;
        *ret_name = TAKE_PTR(name);
        return 0;
}

int store_put_link(int dir_fd, const char *name, const char *target, Labeler *lab, const char *label_path) {
        _cleanup_free_ char *label = NULL;
        int r;

        assert(name);
        assert(target);
        assert(label_path);

        if (symlinkat(target, dir_fd, name) < 0)
                return negative_errno();
        if (!lab)
                return 0;
        r = labeler_lookup(lab, label_path, S_IFLNK, &label);
        if (r < 0 || !label)
                return r;
        return selinux_xattr_set(dir_fd, name, label);
}

static int origin_for(const TreeCopy *t, int image_fd, const char *old_link, StoreOrigin *o) {
        int r;

        *o = (StoreOrigin){ .rebuild_pending = t->rebuild };
        o->source = strdup(t->image);
        if (!o->source)
                return -ENOMEM;
        r = store_origin_identity(image_fd, &o->identity);
        if (r < 0)
                return r;
        if (t->store) {
                _cleanup_strv_free_ char **prios = NULL;

                /* The leading "" says the list is there, even when the image has no module. */
                r = store_local_image_priorities(image_fd, &prios);
                if (r >= 0)
                        r = strv_extend(&o->image_priorities, "");
                STRV_FOREACH (p, prios)
                        if (r >= 0)
                                r = strv_extend(&o->image_priorities, *p);
                if (r < 0)
                        return r;
        }
        /* What the first copy replaced stays recorded through every OS update, for store: image. */
        if (t->previous && t->previous->replaced) {
                o->replaced = strdup(t->previous->replaced);
                o->replaced_target = strdup(strna(t->previous->replaced_target));
        } else if (old_link) {
                o->replaced = strdup(t->target);
                o->replaced_target = strdup(old_link);
        } else
                return 0;
        return o->replaced && o->replaced_target ? 0 : -ENOMEM;
}

int store_put_origin(int tree_fd, const StoreOrigin *o, Labeler *lab, const char *tree_path, bool replace) {
        _cleanup_free_ char *label = NULL, *path = NULL;
        int r;

        assert(o);
        assert(tree_path);

        path = path_join(tree_path, STORE_ORIGIN_FILE);
        if (!path)
                return -ENOMEM;
        if (lab) {
                r = labeler_lookup(lab, path, S_IFREG, &label);
                if (r < 0)
                        return r;
        }
        return store_origin_write(tree_fd, o, label, replace);
}

/* Fills the staging directory: the record first (so the copy gives the tree's top directory the
 * image's times last), the image's tree, the carried local changes, then for a store root its other
 * entries (store_root_populate()) and its own attributes. */
static int stage_tree(int root_fd, const TreeCopy *t, int staged_fd, Labeler *lab, const char *old_link) {
        _cleanup_(store_origin_done) StoreOrigin o = {};
        _cleanup_close_ int image_fd = -EBADF, tree_fd = -EBADF, image_root_fd = -EBADF;
        _cleanup_free_ char *tree_path = t->subdir ? path_join(t->target, t->subdir) : strdup(t->target);
        CopyOptions opts = { .labeler = lab, .label_base = tree_path };
        int r;

        if (!tree_path)
                return log_oom();
        image_fd = chase_and_open_dir(root_fd, t->image);
        if (image_fd < 0)
                return log_error_errno(image_fd, "Cannot open the image's %s: %m", t->image);
        if (t->subdir && mkdirat(staged_fd, t->subdir, 0700) < 0)
                return log_error_errno(errno, "Cannot create %s: %m", tree_path);
        tree_fd = openat(staged_fd, t->subdir ?: ".", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (tree_fd < 0)
                return log_error_errno(errno, "Cannot open %s: %m", tree_path);
        r = origin_for(t, image_fd, old_link, &o);
        if (r >= 0)
                r = store_put_origin(tree_fd, &o, lab, tree_path, /* replace= */ false);
        if (r < 0)
                return log_error_errno(r, "Cannot write the origin record of %s: %m", tree_path);
        r = store_copy_tree(image_fd, tree_fd, &opts);
        STRV_FOREACH (p, t->carry)
                if (r >= 0)
                        r = store_copy_entry(t->carry_fd, tree_fd, *p, &opts);
        if (r < 0 || !t->subdir)
                return r;
        if (old_link && t->image_root) {
                r = store_root_populate(root_fd, t, staged_fd, old_link, lab);
                if (r < 0)
                        return log_error_errno(r, "Cannot give the new store root the other entries of %s: %m",
                                               t->image_root);
        }
        image_root_fd = chase_and_open_dir(root_fd, t->image_root ?: t->image);
        if (image_root_fd < 0)
                return log_error_errno(image_root_fd, "Cannot open %s: %m", t->image_root ?: t->image);
        return store_copy_dir_attrs(image_root_fd, staged_fd,
                                    &(CopyOptions){ .labeler = lab, .label_base = t->target });
}

/* Stages the tree beside its target, for staged_commit(). On failure nothing is left behind.
 * Returns 0 or a negative errno (logged). */
static int tree_stage(Apply *a, const TreeCopy *t, Labeler *lab, Staged *ret) {
        _cleanup_(staged_done) Staged s = { .dir_fd = -EBADF };
        _cleanup_close_ int staged_fd = -EBADF;
        _cleanup_free_ char *old_link = NULL;
        int r;

        r = open_parent(a->ctx->root_fd, t->target, &s.dir_fd, &s.name);
        if (r < 0)
                return log_error_errno(r, "Cannot stage a copy beside %s: %m", t->target);
        r = readlinkat_malloc(s.dir_fd, s.name, &old_link);
        if (r < 0 && r != -EINVAL && r != -ENOENT)
                return log_error_errno(r, "Cannot read %s: %m", t->target);
        staged_fd = staging_create(s.dir_fd, s.name, &s.staged);
        if (staged_fd < 0)
                return log_error_errno(staged_fd, "Cannot create a staging directory beside %s: %m", t->target);
        r = stage_tree(a->ctx->root_fd, t, staged_fd, lab, old_link);
        if (r < 0)
                return r;
        *ret = s;
        s = (Staged){ .dir_fd = -EBADF };
        return 0;
}

static void staged_list_done(Staged *list, size_t n) {
        for (size_t i = 0; i < n; i++)
                staged_done(&list[i]);
}

/* Stages every tree, then puts them all in place with one sync. On failure the targets not yet
 * exchanged are as they were (*ret_done says how many were), and no staging tree is left.
 * Returns 0 or -errno (logged). */
int store_put_trees(Apply *a, const TreeCopy *trees, size_t n, Labeler *lab, size_t *ret_done) {
        Staged staged[2] = { { .dir_fd = -EBADF }, { .dir_fd = -EBADF } };
        int r = 0;

        assert(a);
        assert(ret_done);

        assert(n <= ELEMENTSOF(staged));
        *ret_done = 0;
        for (size_t i = 0; r >= 0 && i < n; i++)
                r = tree_stage(a, &trees[i], lab, &staged[i]);
        if (r >= 0)
                r = staged_commit(staged, n, ret_done);
        staged_list_done(staged, n);
        return r;
}

/* Puts back what a copy replaced (the image's link), or removes a copy that replaced nothing. */
int store_put_undo(Apply *a, const char *tree_path, Labeler *lab) {
        _cleanup_(store_origin_done) StoreOrigin o = {};
        _cleanup_(staged_done) Staged st = { .dir_fd = -EBADF };
        _cleanup_close_ int fd = -EBADF, parent_fd = -EBADF;
        _cleanup_free_ char *name = NULL, *staged = NULL;
        int r;

        assert(a);
        assert(tree_path);

        fd = chase_and_open_dir(a->ctx->root_fd, tree_path);
        r = fd < 0 ? fd : store_origin_read(fd, &o);
        if (r < 0)
                return log_error_errno(r, "Cannot read the origin record of %s: %m", tree_path);
        r = open_parent(a->ctx->root_fd, o.replaced ?: tree_path, &parent_fd, &name);
        if (r < 0)
                return log_error_errno(r, "Cannot open the directory of %s: %m", o.replaced ?: tree_path);
        staged = strprintf(STORE_STAGING_PREFIX "%s.link", name);
        if (!staged)
                return log_oom();
        (void) rm_rf_at(parent_fd, staged);
        if (!o.replaced) {
                /* Nothing was there: the copy goes, in one rename, then the tree. */
                if (renameat(parent_fd, name, parent_fd, staged) < 0)
                        return log_error_errno(errno, "Cannot remove %s: %m", tree_path);
                r = rm_rf_at(parent_fd, staged);
                if (r < 0)
                        log_warning_errno(r, "Failed to remove the old %s, ignoring (removed at the next run): %m",
                                          tree_path);
                return 0;
        }
        r = store_put_link(parent_fd, staged, o.replaced_target, lab, o.replaced);
        if (r < 0) {
                (void) unlinkat(parent_fd, staged, 0);
                return log_error_errno(r, "Cannot put the image's link %s back: %m", o.replaced);
        }
        st = (Staged){ .dir_fd = TAKE_FD(parent_fd), .name = TAKE_PTR(name), .staged = TAKE_PTR(staged) };
        return staged_commit(&st, 1, /* ret_done= */ NULL);
}
