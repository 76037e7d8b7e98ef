/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy rebuilt from the writable store (semodule -B), the labels of what libsemanage wrote, the
 * dontaudit rules removed after a rebuild by seprov's edit, which keeps the whole policy, and what a
 * rebuild or an OS update changed in file_contexts, for the targeted relabel. */

#include <fcntl.h>

#include "chase.h"
#include "dlopen-libs.h"
#include "file-contexts.h"
#include "fileio.h"
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

bool policy_rebuild_strips(Apply *a, int store_fd) {
        _cleanup_strv_free_ char **records = NULL;
        _cleanup_free_ char *why = NULL;

        assert(a);

        if (policy_fast_check(a, store_fd, &(const FastEdit){ .dontaudit = 1 }, &why) < 0 ||
            policy_booleans_local_read(store_fd, &records) < 0) {
                log_debug("libsemanage builds the policy without the dontaudit rules: %s.",
                          why ?: "booleans.local is not as libsemanage writes it");
                return false;
        }
        return true;
}

int policy_rebuild_finish(Apply *a, int store_fd, bool rebuilt, bool strip, char **ret_why) {
        _cleanup_free_ char *why = NULL, *missing = NULL;
        int r;

        assert(a);
        assert(ret_why);

        a->policy_changed = true; /* the reload action loads it in the system stage */
        policy_rebuild_relabel(a);
        if (rebuilt && !strip) {
                /* What seprov kept from before an earlier edit is not the policy in force any more. */
                r = policy_original_remove(store_fd);
                if (r < 0)
                        log_warning_errno(r, "Failed to remove %s/%s, ignoring: %m", a->layout.store.path,
                                          POLICY_ORIGINAL_FILE);
        }
        if (!strip)
                return 0;
        r = policy_fast_apply(a, store_fd, &(const FastEdit){ .dontaudit = 1 }, &why, &missing);
        if (r < 0)
                *ret_why = strprintf("libsemanage rebuilt the policy, but removing its dontaudit rules failed: %s",
                                     why ?: strerror(-r));
        return r;
}

int policy_rebuild(Apply *a, char **ret_why) {
        _cleanup_(policy_semanage_done) Semanage s = {};
        _cleanup_close_ int store_fd = -EBADF;
        bool strip;
        int r;

        assert(a);
        assert(ret_why);

        store_fd = chase_and_open_dir(a->ctx->root_fd, a->layout.store.path);
        if (store_fd < 0) {
                *ret_why = strprintf("cannot open %s: %s", a->layout.store.path, strerror(-store_fd));
                return store_fd;
        }
        strip = faccessat(store_fd, "active/" POLICY_DISABLE_DONTAUDIT, F_OK, AT_SYMLINK_NOFOLLOW) >= 0 &&
                policy_rebuild_strips(a, store_fd);
        r = policy_semanage_open(a, &s);
        if (r >= 0) {
                sym_semanage_set_rebuild(s.sh, 1);
                if (strip)
                        sym_semanage_set_disable_dontaudit(s.sh, 0);
                if (sym_semanage_begin_transaction(s.sh) < 0 || sym_semanage_commit(s.sh) < 0)
                        r = policy_semanage_fail(&s, -EIO, "cannot rebuild the policy of %s", a->layout.store.path);
        }
        if (r < 0) {
                *ret_why = TAKE_PTR(s.error);
                return r;
        }
        return policy_rebuild_finish(a, store_fd, /* rebuilt= */ true, strip, ret_why);
}

#define FILE_CONTEXTS_MAX (64 * 1024 * 1024)

char *policy_file_contexts_read(Apply *a) {
        _cleanup_free_ char *text = NULL;

        /* The policy's rules, then the local ones: both decide a file's label. */
        static const char *const names[] = { "file_contexts", "file_contexts.local" };

        for (size_t i = 0; i < ELEMENTSOF(names); i++) {
                const char *name = names[i];
                _cleanup_free_ char *path = strjoin(a->layout.policy.path, "/contexts/files/", name), *part = NULL;
                int r;

                if (!path)
                        return NULL;
                r = read_full_file_at(a->ctx->root_fd, path, FILE_CONTEXTS_MAX, &part, NULL, NULL, NULL);
                if (r == -ENOENT && streq(name, "file_contexts.local"))
                        continue;
                if (r < 0) {
                        log_warning_errno(r, "Cannot read %s, so the files its changes relabel are not relabelled: %m",
                                          path);
                        return NULL;
                }
                if (strextend(&text, "%s\n", part) < 0)
                        return NULL;
        }
        return TAKE_PTR(text);
}

int policy_file_contexts_record_changes(Apply *a, char *before) {
        _cleanup_strv_free_ char **changed = NULL;
        _cleanup_free_ char *after = policy_file_contexts_read(a);
        int r;

        if (!after)
                return 0;
        r = file_contexts_changed_regexes(before, after, &changed);
        STRV_FOREACH (re, changed) {
                if (r >= 0 && !strv_contains(a->relabel_regexes, *re))
                        r = strv_extend(&a->relabel_regexes, *re);
                if (r >= 0 && !strv_contains(a->fcontexts_changed, *re))
                        r = strv_extend(&a->fcontexts_changed, *re);
        }
        if (r >= 0 && changed)
                log_debug("%zu file_contexts rules changed, to relabel what they reach.", strv_length(changed));
        return r;
}
