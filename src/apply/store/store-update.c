/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* OS updates: when the image's store or compiled policy changed under seprov's copy, a fresh copy of
 * the new image with the local changes carried over, and the policy rebuilt with them. */

#include <assert.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "chase.h"
#include "log.h"
#include "messages.h"
#include "policy.h"
#include "store-internal.h"
#include "store.h"
#include "strutil.h"

#define ACTION "store"

/* What an OS update carries into the new copy: the local changes and seprov's own manifest. */
static int update_carry(int store_fd, int image_fd, char **prios, LocalChanges *c) {
        int r = local_changes_find(store_fd, image_fd, prios, c);

        if (r < 0)
                return r;
        if (faccessat(store_fd, POLICY_MANIFEST_FILE, F_OK, AT_SYMLINK_NOFOLLOW) >= 0)
                return strv_extend(&c->paths, POLICY_MANIFEST_FILE);
        return 0;
}

/* What an OS update works from: the previous copies' records, the local changes to carry. */
typedef struct Update {
        StoreOrigin store, policy;
        LocalChanges carry;
        int store_fd;
} Update;

static void update_done(Update *u) {
        store_origin_done(&u->store);
        store_origin_done(&u->policy);
        local_changes_done(&u->carry);
        closep(&u->store_fd);
}

/* The store after an OS update: a fresh copy of the new image's store with the local changes carried
 * over; the policy rebuild they need is recorded as pending in the copy until it is done. */
static int update_store_tree(Apply *a, const StoreState *s, Update *u, TreeCopy *ret) {
        _cleanup_close_ int image_fd = -EBADF;
        const Layout *l = &a->layout;
        int r;

        u->store_fd = chase_and_open_dir(a->ctx->root_fd, l->store.path);
        if (u->store_fd < 0)
                return log_error_errno(u->store_fd, "Cannot open %s: %m", l->store.path);
        r = store_origin_read(u->store_fd, &u->store);
        if (r < 0)
                return log_error_errno(r, "Cannot read the origin of %s: %m", l->store.path);
        image_fd = chase_and_open_dir(a->ctx->root_fd, u->store.source);
        if (image_fd < 0)
                return log_error_errno(image_fd, "The image no longer has %s: %m", u->store.source);
        r = update_carry(u->store_fd, image_fd, u->store.image_priorities, &u->carry);
        if (r < 0)
                return log_error_errno(r, "Cannot list the local changes of %s: %m", l->store.path);
        *ret = (TreeCopy){
                .target = l->store.path,
                .image = u->store.source,
                .carry_fd = u->store_fd,
                .carry = u->carry.paths,
                .previous = &u->store,
                .store = true,
                /* The compiled policy must follow the carried changes; one that is not seprov's copy
                 * (an /etc overlay) cannot be refreshed by copying, only by a rebuild. */
                .rebuild = strv_length(u->carry.descriptions) > 0 || !s->policy_copied_from,
        };
        return 0;
}

static int update_policy_tree(Apply *a, const StoreState *s, Update *u, TreeCopy *ret) {
        _cleanup_close_ int fd = chase_and_open_dir(a->ctx->root_fd, a->layout.policy.path);
        int r = fd < 0 ? fd : store_origin_read(fd, &u->policy);

        if (r < 0)
                return log_error_errno(r, "Cannot read the origin of %s: %m", a->layout.policy.path);
        *ret = (TreeCopy){ .target = a->layout.policy.path,
                           .image = s->policy_copied_from,
                           .carry_fd = -EBADF,
                           .previous = &u->policy };
        return 0;
}

int store_update(Apply *a, const StoreState *s, Labeler **lab) {
        _cleanup_(update_done) Update u = { .store_fd = -EBADF };
        _cleanup_free_ char *fc_before = NULL;
        const Layout *l;
        uint64_t since = report_now_usec();
        bool rebuild;
        TreeCopy trees[2];
        size_t n = 0, done = 0;
        int r;

        assert(a);
        assert(s);
        assert(lab);

        l = &a->layout;
        rebuild = s->rebuild_pending;
        if (a->dry_run) {
                r = report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                  "the image's policy changed: would copy it again and carry the local changes over");
                return r < 0 ? r : store_rebuild(a, lab, "OS update");
        }
        /* The new image's rules and filecons relabel the files they reach, once the policy is rebuilt. */
        fc_before = policy_file_contexts_read(a);
        r = store_labeler(a, lab);
        if (r >= 0 && s->kind == STORE_KIND_STALE)
                r = update_store_tree(a, s, &u, &trees[n++]);
        if (r >= 0 && s->policy_stale)
                r = update_policy_tree(a, s, &u, &trees[n++]);
        if (r >= 0)
                r = store_put_trees(a, trees, n, *lab, &done);
        if (r < 0) {
                /* What was put in place stays (each tree is whole); the next run does the rest. */
                if (done > 0)
                        (void) apply_layout_refresh(a);
                return store_report_failed(a, since, r, "following the OS update");
        }
        if (s->kind == STORE_KIND_STALE) {
                size_t carried = strv_length(u.carry.descriptions);

                rebuild = rebuild || trees[0].rebuild;
                r = report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                                  "copied the updated %s to %s, %zu local change%s carried over", s->copied_from,
                                  l->store.path, carried, carried == 1 ? "" : "s");
        }
        if (r >= 0 && s->policy_stale) {
                a->policy_changed = true;
                r = report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                                  "copied the updated %s to %s", s->policy_copied_from, l->policy.path);
        }
        if (r >= 0)
                r = apply_layout_refresh(a);
        if (r >= 0 && rebuild)
                r = store_rebuild(a, lab, "OS update");
        if (r >= 0 && fc_before && policy_file_contexts_record_changes(a, fc_before) < 0)
                r = log_oom();
        return r;
}
