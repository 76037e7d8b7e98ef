/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* store: image: back to the image's read-only store, only when no local change would be lost (or the
 * config says to discard them). */

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

static char *join_descriptions(char **l) {
        _cleanup_free_ char *s = NULL;

        STRV_FOREACH (p, l)
                if (strextend(&s, "%s%s", s ? "; " : "", *p) < 0)
                        return NULL;
        return TAKE_PTR(s) ?: strdup("");
}

int store_return(Apply *a, const StoreState *s, Labeler **lab) {
        const Layout *l;
        uint64_t since = report_now_usec();
        bool policy;
        _cleanup_free_ char *changes = NULL, *fc_before = NULL;
        int r;

        assert(a);
        assert(s);
        assert(lab);

        l = &a->layout;
        policy = !!s->policy_copied_from;
        if (s->kind == STORE_KIND_IMAGE && !policy)
                return report_action(&a->report, ACTION, OUTCOME_UNCHANGED, SEPROV_MESSAGE_STORE, since,
                                     "%s is the image's", l->store.path);
        if (s->kind == STORE_KIND_MISSING)
                return store_report_failed_why(a, since, -ENOENT, "returning to the image's store",
                                               "there is no store");
        if (s->kind != STORE_KIND_IMAGE && !s->copied_from) {
                (void) report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_STORE, since,
                                     "returning to the image's store is refused: %s is the system's own store, not a "
                                     "copy of an image's",
                                     l->store.path);
                return -EOPNOTSUPP;
        }
        if (s->local_changes && a->config->discard_local_changes != 1) {
                changes = join_descriptions(s->local_changes);
                (void) report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_STORE, since,
                                     "returning to the image's store is refused: %s has local changes (%s); set "
                                     "discardLocalChanges: "
                                     "true to drop them",
                                     l->store.path, strna(changes));
                return -EBUSY;
        }
        if (a->dry_run)
                return report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_STORE, since,
                                     "would return to the image's store%s",
                                     s->local_changes ? ", discarding the local changes" : "");
        /* What the discarded changes labelled is relabelled as the image's rules say. */
        fc_before = policy ? policy_file_contexts_read(a) : NULL;
        r = store_labeler(a, lab);
        if (r >= 0 && s->kind != STORE_KIND_IMAGE)
                r = store_put_undo(a, l->store.path, *lab);
        if (r >= 0 && policy) {
                r = store_put_undo(a, l->policy.path, *lab);
                /* The copy may have been rebuilt with the discarded changes. */
                a->policy_changed = r >= 0 && s->local_changes;
        }
        if (r < 0)
                return store_report_failed(a, since, r, "returning to the image's store");
        r = report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_STORE, since,
                          "returned to the image's store%s", s->local_changes ? ", local changes discarded" : "");
        /* A compiled policy that is /etc's own (not seprov's copy) was rebuilt from the writable store
         * and cannot be put back from the image by seprov. */
        if (r >= 0 && s->local_changes && !policy && l->policy.kind == PATH_REAL)
                r = report_warning(&a->report, SEPROV_MESSAGE_STORE,
                                   "%s is /etc's own and still holds the policy built with the discarded local "
                                   "changes: seprov cannot put the image's back",
                                   l->policy.path);
        if (r >= 0)
                r = apply_layout_refresh(a);
        if (r >= 0 && fc_before && policy_file_contexts_record_changes(a, fc_before) < 0)
                r = log_oom();
        return r;
}
