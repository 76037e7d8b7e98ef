/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Live reloads after an apply in the system stage: policy, enforcing mode, audit rules. */

#include <selinux/selinux.h>
#include <spawn.h>
#include <sys/wait.h>

#include "action-reload.h"
#include "messages.h"
#include "pid1.h"

extern char **environ;

static const char *const augenrules_paths[] = { "/usr/sbin/augenrules", "/sbin/augenrules" };

static int run_augenrules(void) {
        char *argv[] = { NULL, (char *) "--load", NULL };
        int status, r;
        pid_t pid;

        for (size_t i = 0; i < ELEMENTSOF(augenrules_paths) && !argv[0]; i++)
                if (access(augenrules_paths[i], X_OK) >= 0)
                        argv[0] = (char *) augenrules_paths[i];
        if (!argv[0])
                return -ENOENT;
        r = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
        if (r != 0) /* the error is returned, errno is not set */
                return -r;
        if (waitpid(pid, &status, 0) < 0)
                return negative_errno();
        return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -EIO;
}

static int reload_audit(Apply *a) {
        uint64_t since = report_now_usec();
        int r;

        /* Before these units run, they load the new rules themselves: seprov.service is ordered
         * before both. */
        if (pid1_unit_active("audit-rules.service") <= 0 && pid1_unit_active("auditd.service") <= 0)
                return 0;
        r = run_augenrules();
        if (r < 0)
                return report_action(&a->report, "reload", OUTCOME_FAILED, SEPROV_MESSAGE_RELOAD, since,
                                     "augenrules --load failed: %s", strerror(-r))
                               ?: r;
        return report_action(&a->report, "reload", OUTCOME_CHANGED, SEPROV_MESSAGE_RELOAD, since,
                             "audit rules loaded (augenrules --load)");
}

static int reload_policy(Apply *a) {
        uint64_t since = report_now_usec();

        if (selinux_mkload_policy(1) < 0)
                return report_action(&a->report, "reload", OUTCOME_FAILED, SEPROV_MESSAGE_RELOAD, since,
                                     "loading the rebuilt policy failed: %m")
                               ?: negative_errno();
        return report_action(&a->report, "reload", OUTCOME_CHANGED, SEPROV_MESSAGE_RELOAD, since,
                             "loaded the rebuilt policy, booleans kept");
}

static int reload_mode(Apply *a) {
        SelinuxMode want = a->config->mode;
        uint64_t since = report_now_usec();
        int live = security_getenforce();

        if (want == SELINUX_MODE_DISABLED)
                return report_action(&a->report, "reload", OUTCOME_UNCHANGED, SEPROV_MESSAGE_RELOAD, since,
                                     "disabled takes effect at the next boot");
        if (a->ctx->args.enforcing >= 0)
                return report_action(&a->report, "reload", OUTCOME_UNCHANGED, SEPROV_MESSAGE_RELOAD, since,
                                     "enforcing=%d on the kernel command line keeps this boot as it is",
                                     a->ctx->args.enforcing);
        if (live == (want == SELINUX_MODE_ENFORCING))
                return 0;
        if (security_setenforce(want == SELINUX_MODE_ENFORCING) < 0)
                return report_action(&a->report, "reload", OUTCOME_FAILED, SEPROV_MESSAGE_RELOAD, since,
                                     "setting the live mode to %s failed: %m", selinux_mode_to_string(want))
                               ?: negative_errno();
        return report_action(&a->report, "reload", OUTCOME_CHANGED, SEPROV_MESSAGE_RELOAD, since,
                             "live mode is now %s", selinux_mode_to_string(want));
}

int action_reload(Apply *a) {
        bool selinux_live;
        int r;

        assert(a);

        if (a->ctx->stage != STAGE_SYSTEM || a->ctx->offline || a->dry_run)
                return 0;
        selinux_live = is_selinux_enabled() > 0;
        if (a->policy_changed && selinux_live) {
                r = reload_policy(a);
                if (r < 0)
                        return r;
        }
        if (a->mode_changed && selinux_live) {
                r = reload_mode(a);
                if (r < 0)
                        return r;
        }
        return a->audit_changed ? reload_audit(a) : 0;
}
