/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The store root (/var/lib/selinux): what a real, writable one holds for each entry of the image's,
 * and mending a real one an earlier seprov left with libsemanage's scratch directory in the image. */

#include <assert.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "dir-for-each.h"
#include "fileio.h"
#include "messages.h"
#include "store-internal.h"
#include "strutil.h"

#define ACTION "store"

StoreRootEntry store_root_entry_kind(const char *name, const char *type) {
        assert(name);
        assert(type);

        /* Hidden entries (seprov's own staging trees among them) and lock files are the image's
         * build's, not content: libsemanage makes the locks it needs. */
        if (name[0] == '.' || endswith(name, ".LOCK"))
                return STORE_ROOT_ENTRY_SKIP;
        if (streq(name, type))
                return STORE_ROOT_ENTRY_STORE;
        /* libsemanage builds every commit in <store-root>/final/<type> before installing it: it must
         * be a real directory it can write. */
        if (streq(name, STORE_ROOT_SCRATCH))
                return STORE_ROOT_ENTRY_SCRATCH;
        /* Other policy types' stores and anything unknown: read-only and the image's, as before. */
        return STORE_ROOT_ENTRY_LINK;
}

/* A real, empty directory 'name' in 'dir_fd' with the attributes (mode, owner, xattrs, times) of the
 * image's 'image_fd', labelled for 'label_path'. */
static int scratch_make(int dir_fd, const char *name, int image_fd, Labeler *lab, const char *label_path) {
        _cleanup_close_ int fd = -EBADF;

        if (mkdirat(dir_fd, name, 0700) < 0)
                return negative_errno();
        fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        return store_copy_dir_attrs(image_fd, fd, &(CopyOptions){ .labeler = lab, .label_base = label_path });
}

typedef struct Populate {
        int image_root_fd;
        int staged_fd;
        const TreeCopy *tree;
        const char *old_target;
        Labeler *lab;
} Populate;

static int populate_entry(int dir_fd, const char *name, void *userdata) {
        Populate *p = userdata;
        _cleanup_free_ char *target = NULL, *label_path = path_join(p->tree->target, name);
        _cleanup_close_ int fd = -EBADF;

        if (!label_path)
                return -ENOMEM;
        switch (store_root_entry_kind(name, p->tree->subdir)) {
        case STORE_ROOT_ENTRY_SKIP:
        case STORE_ROOT_ENTRY_STORE: /* the copy, staged by the caller */
                return 0;
        case STORE_ROOT_ENTRY_SCRATCH:
                fd = openat(p->image_root_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0)
                        return scratch_make(p->staged_fd, name, fd, p->lab, label_path);
                if (errno != ENOTDIR && errno != ELOOP)
                        return negative_errno();
                break; /* not a directory in the image: linked like anything unknown */
        case STORE_ROOT_ENTRY_LINK:
                break;
        }
        /* The old link's target is relative to the store root's parent; the new link is one level
         * deeper. */
        target = p->old_target[0] == '/' ? path_join(p->old_target, name) : strjoin("../", p->old_target, "/", name);
        if (!target)
                return -ENOMEM;
        return store_put_link(p->staged_fd, name, target, p->lab, label_path);
}

int store_root_populate(int root_fd, const TreeCopy *t, int staged_fd, const char *old_target, Labeler *lab) {
        _cleanup_close_ int fd = -EBADF;
        int dup_fd;
        Populate p = { .staged_fd = staged_fd, .tree = t, .old_target = old_target, .lab = lab };

        assert(t && t->image_root && t->subdir);
        assert(old_target);

        fd = chase_and_open_dir(root_fd, t->image_root);
        if (fd < 0)
                return fd;
        p.image_root_fd = fd;
        /* dir_for_each() closes what it is given; p.image_root_fd stays open through 'fd'. */
        dup_fd = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (dup_fd < 0)
                return negative_errno();
        return dir_for_each(dup_fd, populate_entry, &p);
}

/* The scratch directory of a real store root when it is a link into the image (what earlier
 * versions of seprov made of it), else -ENOENT. Its path in *ret_path. */
static int scratch_link_find(const Apply *a, char **ret_path) {
        _cleanup_(layout_path_done) LayoutPath p = {};
        _cleanup_free_ char *path = NULL;
        const LayoutPath *root = &a->layout.store_root;
        int r;

        if (root->kind != PATH_REAL || root->is_link)
                return -ENOENT;
        path = path_join(root->path, STORE_ROOT_SCRATCH);
        if (!path)
                return -ENOMEM;
        r = layout_path_resolve(a->ctx->root_fd, path, &p);
        if (r < 0)
                return r;
        if (!p.is_link || p.kind != PATH_IMAGE)
                return -ENOENT;
        *ret_path = TAKE_PTR(path);
        return 0;
}

/* Puts a real scratch directory in place of the link 'path', in one exchange. */
static int scratch_replace(Apply *a, const char *path, Labeler *lab) {
        _cleanup_(staged_done) Staged s = { .dir_fd = -EBADF };
        _cleanup_close_ int image_fd = -EBADF, staged_fd = -EBADF;
        int r;

        s.dir_fd = chase_and_open_dir(a->ctx->root_fd, a->layout.store_root.path);
        if (s.dir_fd < 0)
                return s.dir_fd;
        s.name = strdup(STORE_ROOT_SCRATCH);
        if (!s.name)
                return -ENOMEM;
        /* The link's target, for the attributes; it is a directory in the image (scratch_link_find()). */
        image_fd = chase_and_open_dir(a->ctx->root_fd, path);
        if (image_fd < 0)
                return image_fd;
        staged_fd = staging_create(s.dir_fd, s.name, &s.staged);
        if (staged_fd < 0)
                return staged_fd;
        r = store_copy_dir_attrs(image_fd, staged_fd, &(CopyOptions){ .labeler = lab, .label_base = path });
        if (r < 0)
                return r;
        return staged_commit(&s, 1, /* ret_done= */ NULL);
}

int store_root_mend(Apply *a, Labeler **lab) {
        _cleanup_free_ char *path = NULL;
        uint64_t since = report_now_usec();
        int r;

        assert(a);
        assert(lab);

        r = scratch_link_find(a, &path);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return store_report_failed(a, since, r, "looking at the store root");
        if (a->dry_run)
                return report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                     "would make %s a real directory (libsemanage writes there)", path);
        r = store_labeler(a, lab);
        if (r >= 0)
                r = scratch_replace(a, path, *lab);
        if (r < 0)
                return store_report_failed(a, since, r,
                                           "replacing the link into the image at the store root's scratch directory");
        return report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                             "made %s a real directory (libsemanage writes there)", path);
}
