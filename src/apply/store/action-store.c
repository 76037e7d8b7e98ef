/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The store action: copy the image's policy store and compiled policy out of /usr, follow OS updates,
 * return to the image's store. */

#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "log.h"
#include "messages.h"
#include "store-internal.h"
#include "store.h"
#include "strutil.h"

#define ACTION "store"

/* The store's tree: the store root itself when it is the image's link (or missing), so the new real
 * store root replaces it; else the store directory. */
static void store_tree(const Layout *l, TreeCopy *t) {
        bool root = (l->store_root.is_link && l->store_root.kind == PATH_IMAGE) || l->store_root.kind == PATH_MISSING;

        *t = (TreeCopy){
                .target = root ? l->store_root.path : l->store.path,
                .subdir = root ? l->type : NULL,
                .image = l->image_store,
                .image_root = root && l->store_root.kind == PATH_IMAGE ? l->store_root.resolved : NULL,
                .carry_fd = -EBADF,
                .store = true,
        };
}

static int store_make_writable(Apply *a, const StoreState *s, Labeler **lab) {
        const Layout *l = &a->layout;
        bool do_store = s->kind != STORE_KIND_WRITABLE && s->kind != STORE_KIND_STALE;
        bool do_policy = l->policy.kind == PATH_IMAGE && l->image_policy;
        uint64_t since = report_now_usec();
        TreeCopy trees[2];
        size_t n = 0, done = 0;
        int r = 0, q;

        if (do_store && !l->image_store)
                return store_report_failed_why(a, since, -ENOENT, "making the store writable",
                                               "there is no image store to copy");
        if (!do_store && !do_policy)
                return report_action(&a->report, ACTION, OUTCOME_UNCHANGED, SEPROV_MESSAGE_STORE, since,
                                     "%s is writable", l->store.path);
        if (a->dry_run) {
                if (do_store)
                        r = report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                          "would copy %s to a writable %s", l->image_store, l->store.path);
                if (do_policy)
                        r = report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                          "would copy %s to a writable %s", l->image_policy, l->policy.path);
                return r;
        }
        r = store_labeler(a, lab);
        if (r < 0)
                return store_report_failed(a, since, r, "making the store writable");
        if (do_store)
                store_tree(l, &trees[n++]);
        if (do_policy)
                trees[n++] = (TreeCopy){ .target = l->policy.path, .image = l->image_policy, .carry_fd = -EBADF };
        q = store_put_trees(a, trees, n, *lab, &done);
        for (size_t i = 0; i < n; i++) {
                const char *from = trees[i].store ? l->image_store : l->image_policy;
                const char *to = trees[i].store ? l->store.path : l->policy.path;

                if (i < done)
                        r = report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                                          "copied %s to a writable %s", from, to);
                else
                        r = report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_STORE, since,
                                          "copying %s to a writable %s failed: %s", from, to, strerror(-q));
                if (r < 0)
                        return r;
        }
        if (done > 0)
                r = apply_layout_refresh(a);
        return q < 0 ? q : r;
}

/* Staging entries an interrupted apply left behind (and only those: seprov's prefix). */
static int store_cleanup(Apply *a) {
        _cleanup_strv_free_ char **dirs = NULL;
        uint64_t since = report_now_usec();
        int r;

        r = staging_dirs(&a->layout, &dirs);
        if (r < 0)
                return log_oom();
        STRV_FOREACH (d, dirs) {
                _cleanup_free_ char *resolved = NULL;
                _cleanup_close_ int fd = chase_and_open(a->ctx->root_fd, *d, /* flags= */ 0, O_RDONLY | O_DIRECTORY,
                                                        /* mode= */ 0, &resolved);
                int n;

                if (fd < 0 || layout_path_in_image(resolved))
                        continue;
                n = staging_cleanup(fd, a->dry_run);
                if (n < 0) {
                        log_warning_errno(n, "Failed to remove leftover staging trees in %s, ignoring: %m", *d);
                        continue;
                }
                if (n > 0) {
                        r = report_action(&a->report, ACTION, a->dry_run ? OUTCOME_PLANNED : OUTCOME_CHANGED,
                                          SEPROV_MESSAGE_STORE, since, "%s %d leftover staging entr%s in %s",
                                          a->dry_run ? "would remove" : "removed", n, n == 1 ? "y" : "ies", *d);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

int action_store(Apply *a) {
        _cleanup_(labeler_freep) Labeler *lab = NULL;
        _cleanup_(store_state_done) StoreState s = {};
        int r;

        assert(a);

        r = store_cleanup(a);
        if (r < 0)
                return r;
        r = store_state_read(a->ctx->root_fd, &a->layout, &s);
        if (r < 0)
                return store_report_failed(a, report_now_usec(), r, "reading the store");
        if (a->config->store != STORE_IMAGE) {
                r = store_root_mend(a, &lab);
                if (r < 0)
                        return r;
        }
        if (a->config->store == STORE_IMAGE)
                return store_return(a, &s, &lab);
        if (s.kind == STORE_KIND_STALE || s.policy_stale)
                return store_update(a, &s, &lab);
        if (a->config->store == STORE_WRITABLE) {
                r = store_make_writable(a, &s, &lab);
                if (r < 0)
                        return r;
        }
        if (s.rebuild_pending)
                return store_rebuild(a, &lab, "interrupted OS update");
        return 0;
}
