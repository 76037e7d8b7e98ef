/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy rebuilt from the writable store (semodule -B), and the labels of what libsemanage wrote. */

#include "dlopen-libs.h"
#include "label.h"
#include "log.h"
#include "policy-internal.h"
#include "policy.h"
#include "strutil.h"

/* libsemanage writes the store and the compiled policy with no labels when the running kernel has no
 * SELinux (the initrd, an image build): label them as file_contexts says. */
void policy_rebuild_relabel(Apply *a) {
        _cleanup_(labeler_freep) Labeler *lab = NULL;
        _cleanup_free_ char *policy = NULL;
        _cleanup_close_ int scratch_fd = -EBADF;
        unsigned n = 0, m = 0;
        int r;

        assert(a);

        policy = strjoin("/etc/selinux/", a->layout.type);
        if (!policy) {
                log_oom();
                return;
        }
        scratch_fd = context_seprov_run_open(a->ctx);
        r = labeler_open(a->ctx->root_fd, a->ctx->root, policy, STRV_MAKE(a->layout.store_root.path, policy),
                         scratch_fd, &lab);
        if (r >= 0)
                r = labeler_fix(lab, a->ctx->root_fd, a->layout.store_root.path, &n);
        if (r >= 0)
                r = labeler_fix(lab, a->ctx->root_fd, policy, &m);
        if (r < 0)
                log_warning_errno(r, "Failed to label what libsemanage wrote in %s and %s, ignoring: %m",
                                  a->layout.store_root.path, policy);
        else
                log_debug("Labelled %u entries in %s and %u in %s.", n, a->layout.store_root.path, m, policy);
}

int policy_rebuild(Apply *a, char **ret_why) {
        _cleanup_(policy_semanage_done) Semanage s = {};
        int r;

        assert(a);
        assert(ret_why);

        r = policy_semanage_open(a, &s);
        if (r >= 0) {
                sym_semanage_set_rebuild(s.sh, 1);
                if (sym_semanage_begin_transaction(s.sh) < 0 || sym_semanage_commit(s.sh) < 0)
                        r = policy_semanage_fail(&s, -EIO, "cannot rebuild the policy of %s", a->layout.store.path);
        }
        if (r < 0) {
                *ret_why = TAKE_PTR(s.error);
                return r;
        }
        a->policy_changed = true;
        policy_rebuild_relabel(a);
        return 0;
}
