/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Booleans on the live kernel, every boot, when the store is the image's and cannot keep them. */

#include <selinux/selinux.h>

#include "boot-state.h"
#include "log.h"
#include "messages.h"
#include "policy-internal.h"

#define ACTION "boolean"

/* Why booleans cannot be set on the live kernel now, or NULL when they can. */
static const char *runtime_unavailable(const Apply *a) {
        if (a->ctx->offline)
                return "not set: an offline root has no running kernel";
        if (a->ctx->stage != STAGE_SYSTEM)
                return "deferred to the real root: the policy is loaded after switch-root";
        if (is_selinux_enabled() <= 0)
                return "not set: SELinux is not enabled";
        return NULL;
}

static int runtime_report_all(Apply *a, Outcome o, const char *why) {
        for (size_t i = 0; i < a->config->n_booleans; i++) {
                const ConfigBoolean *b = &a->config->booleans[i];
                int r = report_action(&a->report, ACTION, o, SEPROV_MESSAGE_BOOLEAN, /* since= */ 0,
                                      "%s=%s (runtime): %s", b->name, b->value ? "on" : "off", why);
                if (r < 0)
                        return r;
        }
        return 0;
}

int policy_runtime_booleans(Apply *a) {
        _cleanup_free_ SELboolean *list = NULL;
        const char *why;
        uint64_t since = report_now_usec();
        size_t n = 0;
        int r;

        assert(a);

        why = runtime_unavailable(a);
        if (a->config->n_booleans == 0)
                return 0;
        /* The image's store cannot keep them: the real root sets them on every boot. */
        a->every_boot |= BOOT_WORK_BOOLEANS_RUNTIME;
        if (why)
                return runtime_report_all(a, OUTCOME_SKIPPED, why);
        list = calloc(a->config->n_booleans, sizeof(SELboolean));
        if (!list)
                return log_oom();
        for (size_t i = 0; i < a->config->n_booleans; i++) {
                const ConfigBoolean *b = &a->config->booleans[i];
                int cur = security_get_boolean_active(b->name);

                if (cur < 0) {
                        (void) report_action(&a->report, ACTION, OUTCOME_FAILED, SEPROV_MESSAGE_BOOLEAN, since,
                                             "%s: no such boolean in the loaded policy", b->name);
                        return -ENOENT;
                }
                if (cur == b->value)
                        r = report_action(&a->report, ACTION, OUTCOME_UNCHANGED, SEPROV_MESSAGE_BOOLEAN, since,
                                          "%s=%s (runtime)", b->name, b->value ? "on" : "off");
                else if (a->dry_run)
                        r = report_action(&a->report, ACTION, OUTCOME_PLANNED, SEPROV_MESSAGE_BOOLEAN, since,
                                          "would set %s=%s (runtime)", b->name, b->value ? "on" : "off");
                else {
                        list[n++] = (SELboolean){ .name = b->name, .value = b->value };
                        r = 0;
                }
                if (r < 0)
                        return r;
        }
        if (n == 0)
                return 0;
        if (security_set_boolean_list(n, list, 0) < 0) {
                r = negative_errno();
                return runtime_report_all(a, OUTCOME_FAILED, strerror(-r)) ?: r;
        }
        for (size_t i = 0; i < n; i++) {
                r = report_action(&a->report, ACTION, OUTCOME_CHANGED, SEPROV_MESSAGE_BOOLEAN, since,
                                  "%s=%s (runtime; the store is the image's)", list[i].name,
                                  list[i].value ? "on" : "off");
                if (r < 0)
                        return r;
        }
        return 0;
}
