/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state of a root's policy store, for apply's decisions and for seprov status. */

#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "fileio.h"
#include "log.h"
#include "policy.h"
#include "store-internal.h"
#include "store.h"
#include "string-table.h"
#include "strutil.h"

static const char *const store_state_names[_STORE_STATE_MAX] = {
        [STORE_STATE_MISSING] = "missing",
        [STORE_STATE_IMAGE] = "image",
        [STORE_STATE_WRITABLE] = "writable",
        [STORE_STATE_STALE] = "stale",
};

DEFINE_STRING_TABLE_TO_STRING(store_state, StoreState, store_state_names, _STORE_STATE_MAX);

void store_status_done(StoreStatus *s) {
        free(s->store);
        free(s->copied_from);
        free(s->policy_copied_from);
        strv_free(s->local_changes);
        strv_free(s->booleans);
        strv_free(s->modules);
        *s = (StoreStatus){};
}

/* Whether the copy in 'tree_fd' still matches the image its record 'o' names (read here; left
 * empty when the tree is not a copy). */
static int copy_is_stale(int root_fd, int tree_fd, StoreOrigin *o, bool *ret_stale) {
        _cleanup_free_ char *now = NULL;
        _cleanup_close_ int image_fd = -EBADF;
        int r;

        r = store_origin_read(tree_fd, o);
        if (r == -ENOENT)
                return 0; /* not a copy: the system's own */
        if (r < 0)
                return r;
        image_fd = chase_and_open_dir(root_fd, o->source);
        if (image_fd == -ENOENT) /* the image no longer has it */
                *ret_stale = true;
        else if (image_fd < 0)
                return image_fd;
        else {
                r = tree_identity(image_fd, &now);
                if (r < 0)
                        return r;
                *ret_stale = !streq(now, o->identity);
        }
        return 0;
}

static int status_local(int root_fd, int store_fd, const Layout *l, char **prios, StoreStatus *s) {
        _cleanup_(local_changes_done) LocalChanges c = {};
        _cleanup_close_ int image_fd = -EBADF;
        const char *image = s->copied_from ?: l->image_store;
        int r;

        if (image) {
                image_fd = chase_and_open_dir(root_fd, image);
                if (image_fd < 0 && image_fd != -ENOENT)
                        return image_fd;
        }
        r = local_changes_find(store_fd, image_fd, prios, &c);
        if (r < 0)
                return r;
        s->local_changes = TAKE_PTR(c.descriptions);
        s->modules = TAKE_PTR(c.modules);
        return 0;
}

/* The directories where staging entries live: beside the store root (when it replaces a link),
 * in the store root, and in /etc/selinux. */
int store_staging_dirs(const Layout *l, char ***ret) {
        _cleanup_strv_free_ char **dirs = NULL;
        const char *slash = l->store_root.path ? strrchr(l->store_root.path, '/') : NULL;
        int r = 0;

        if (slash == l->store_root.path)
                r = strv_extend(&dirs, "/");
        else if (slash)
                r = strv_consume(&dirs, strndup(l->store_root.path, slash - l->store_root.path));
        if (r >= 0 && l->store_root.kind == PATH_REAL)
                r = strv_extend(&dirs, l->store_root.path);
        if (r >= 0)
                r = strv_extend(&dirs, "/etc/selinux");
        if (r < 0)
                return r;
        *ret = TAKE_PTR(dirs);
        return 0;
}

static int status_leftovers(int root_fd, const Layout *l) {
        _cleanup_strv_free_ char **dirs = NULL;
        int n = 0;

        if (store_staging_dirs(l, &dirs) < 0)
                return 0;
        STRV_FOREACH (d, dirs) {
                _cleanup_close_ int fd = chase_and_open_dir(root_fd, *d);

                if (fd >= 0)
                        n += MAX(staging_cleanup(fd, true), 0);
        }
        return n;
}

static int status_store(int root_fd, const Layout *l, StoreStatus *s) {
        _cleanup_close_ int fd = -EBADF;
        bool stale = false;
        int r;

        s->state = l->store.kind == PATH_MISSING ? STORE_STATE_MISSING
                   : l->store.kind == PATH_IMAGE ? STORE_STATE_IMAGE
                                                 : STORE_STATE_WRITABLE;
        if (s->state == STORE_STATE_MISSING)
                return 0;
        fd = chase_and_open_dir(root_fd, l->store.path);
        if (fd < 0)
                return fd;
        if (s->state == STORE_STATE_WRITABLE) {
                _cleanup_(store_origin_done) StoreOrigin o = {};

                r = copy_is_stale(root_fd, fd, &o, &stale);
                if (r < 0)
                        return r;
                s->copied_from = TAKE_PTR(o.source);
                s->rebuild_pending = o.rebuild_pending;
                if (stale)
                        s->state = STORE_STATE_STALE;
                r = status_local(root_fd, fd, l, o.image_priorities, s);
                if (r < 0)
                        return r;
        }
        s->dontaudit_disabled = faccessat(fd, "active/disable_dontaudit", F_OK, AT_SYMLINK_NOFOLLOW) >= 0;
        return policy_booleans_read(fd, &s->booleans);
}

int store_status(int root_fd, const Layout *l, StoreStatus *ret) {
        _cleanup_(store_status_done) StoreStatus s = {};
        int r;

        s.store = strdup(l->store.path ?: "");
        if (!s.store)
                return log_oom();
        r = status_store(root_fd, l, &s);
        if (r < 0)
                return log_error_errno(r, "Failed to read the policy store %s: %m", l->store.path);
        if (l->policy.kind == PATH_REAL) {
                _cleanup_close_ int fd = chase_and_open_dir(root_fd, l->policy.path);

                if (fd < 0)
                        return log_error_errno(fd, "Failed to open %s: %m", l->policy.path);
                _cleanup_(store_origin_done) StoreOrigin o = {};

                r = copy_is_stale(root_fd, fd, &o, &s.policy_stale);
                if (r < 0)
                        return log_error_errno(r, "Failed to read the origin of %s: %m", l->policy.path);
                s.policy_copied_from = TAKE_PTR(o.source);
        }
        s.leftovers = status_leftovers(root_fd, l);
        *ret = s;
        s = (StoreStatus){};
        return 0;
}
