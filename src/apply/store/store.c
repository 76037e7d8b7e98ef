/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the store action's parts share: the labeler for what they write, how they report a failure,
 * and the policy rebuild after an OS update. */

#include "chase.h"
#include "log.h"
#include "messages.h"
#include "policy.h"
#include "store-internal.h"
#include "store.h"
#include "strutil.h"

#define ACTION "store" /* the reports of every part of the store action */

int store_labeler(Apply *a, Labeler **lab) {
        _cleanup_free_ char *policy = NULL;
        _cleanup_close_ int scratch_fd = -EBADF;

        assert(a);
        assert(lab);

        if (*lab)
                return 0;
        policy = strjoin("/etc/selinux/", a->layout.type);
        if (!policy)
                return log_oom();
        scratch_fd = context_seprov_run_open(a->ctx);
        return labeler_open(a->ctx->root_fd, a->ctx->root, policy, STRV_MAKE(a->layout.store_root.path, policy),
                            scratch_fd, lab);
}

int store_report_failed(Apply *a, uint64_t since, int r, const char *what) {
        assert(a);
        assert(what);

        return store_report_failed_why(a, since, r, what, /* why= */ NULL);
}

int store_report_failed_why(Apply *a, uint64_t since, int r, const char *what, const char *why) {
        assert(a);
        assert(what);

        (void) report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_STORE, since, "%s failed: %s", what,
                             why ?: strerror(-r));
        return r;
}

/* Clears the record's rebuild=pending once the policy is rebuilt. */
static int store_clear_pending(Apply *a, Labeler *lab) {
        _cleanup_(store_origin_done) StoreOrigin o = {};
        _cleanup_close_ int fd = chase_and_open_dir(a->ctx->root_fd, a->layout.store.path);
        int r;

        if (fd < 0)
                return fd;
        r = store_origin_read(fd, &o);
        if (r < 0)
                return r;
        o.rebuild_pending = false;
        return store_put_origin(fd, &o, lab, a->layout.store.path, /* replace= */ true);
}

int store_rebuild(Apply *a, Labeler **lab, const char *why) {
        _cleanup_free_ char *failure = NULL;
        uint64_t since = report_now_usec();
        int r;

        assert(a);
        assert(lab);
        assert(why);

        if (a->dry_run)
                return report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                     "would rebuild the policy (%s)", why);
        r = store_labeler(a, lab);
        if (r >= 0)
                r = policy_rebuild(a, &failure);
        if (r >= 0)
                r = store_clear_pending(a, *lab);
        if (r < 0)
                return store_report_failed_why(a, since, r, "rebuilding the policy", failure);
        return report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                             "rebuilt the policy (%s)", why);
}
