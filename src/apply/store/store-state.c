/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The state of a root's policy store, for apply's decisions and for seprov status. */

#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "log.h"
#include "policy.h"
#include "store-internal.h"
#include "store.h"
#include "string-table.h"
#include "strutil.h"

static const char *const store_kind_names[_STORE_KIND_MAX] = {
        [STORE_KIND_MISSING] = "missing",
        [STORE_KIND_IMAGE] = "image",
        [STORE_KIND_WRITABLE] = "writable",
        [STORE_KIND_STALE] = "stale",
};

DEFINE_STRING_TABLE_TO_STRING(store_kind, StoreKind, store_kind_names, _STORE_KIND_MAX);

void store_state_done(StoreState *s) {
        assert(s);

        free(s->store);
        free(s->copied_from);
        free(s->policy_copied_from);
        strv_free(s->local_changes);
        strv_free(s->booleans);
        strv_free(s->modules);
        strv_free(s->permissive);
        *s = (StoreState){};
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
                r = store_origin_identity(image_fd, &now);
                if (r < 0)
                        return r;
                *ret_stale = !streq(now, o->identity);
        }
        return 0;
}

static int state_local(int root_fd, int store_fd, const Layout *l, char **prios, StoreState *s) {
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

static int state_leftovers(int root_fd, const Layout *l) {
        _cleanup_strv_free_ char **dirs = NULL;
        int n = 0;

        if (staging_dirs(l, &dirs) < 0)
                return 0;
        STRV_FOREACH (d, dirs) {
                _cleanup_close_ int fd = chase_and_open_dir(root_fd, *d);

                if (fd >= 0)
                        n += MAX(staging_cleanup(fd, /* dry_run= */ true), 0);
        }
        return n;
}

static int state_store(int root_fd, const Layout *l, StoreState *s) {
        _cleanup_close_ int fd = -EBADF;
        bool stale = false;
        int r;

        s->kind = l->store.kind == PATH_MISSING ? STORE_KIND_MISSING
                  : l->store.kind == PATH_IMAGE ? STORE_KIND_IMAGE
                                                : STORE_KIND_WRITABLE;
        if (s->kind == STORE_KIND_MISSING)
                return 0;
        fd = chase_and_open_dir(root_fd, l->store.path);
        if (fd < 0)
                return fd;
        if (s->kind == STORE_KIND_WRITABLE) {
                _cleanup_(store_origin_done) StoreOrigin o = {};

                r = copy_is_stale(root_fd, fd, &o, &stale);
                if (r < 0)
                        return r;
                s->copied_from = TAKE_PTR(o.source);
                s->rebuild_pending = o.rebuild_pending;
                if (stale)
                        s->kind = STORE_KIND_STALE;
                r = state_local(root_fd, fd, l, o.image_priorities, s);
                if (r < 0)
                        return r;
        }
        s->dontaudit_disabled = faccessat(fd, "active/disable_dontaudit", F_OK, AT_SYMLINK_NOFOLLOW) >= 0;
        r = policy_permissive_managed(fd, &s->permissive);
        if (r < 0)
                return r;
        return policy_booleans_read(fd, &s->booleans);
}

int store_state_read(int root_fd, const Layout *l, StoreState *ret) {
        _cleanup_(store_state_done) StoreState s = {};
        int r;

        assert(l);
        assert(ret);

        s.store = strdup(l->store.path ?: "");
        if (!s.store)
                return log_oom();
        r = state_store(root_fd, l, &s);
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
        s.leftovers = state_leftovers(root_fd, l);
        *ret = s;
        s = (StoreState){};
        return 0;
}
