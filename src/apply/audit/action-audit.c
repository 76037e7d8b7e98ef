/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audit rules action: plans with the audit rules engine, reports, writes. */

#include "action-audit.h"
#include "audit-rules.h"
#include "messages.h"

static int report_warnings(Apply *a, const AuditPlan *p) {
        for (size_t i = 0; i < p->warnings.n; i++) {
                _cleanup_free_ char *s = diag_format(&p->warnings.items[i]);
                if (!s || report_warning(&a->report, SEPROV_MESSAGE_AUDIT, "%s", s) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static int report_changes(Apply *a, const AuditPlan *p, Outcome outcome, uint64_t since) {
        for (size_t i = 0; i < p->n_changes; i++) {
                const AuditFileChange *c = &p->changes[i];
                int r = report_action(&a->report, "audit", outcome, SEPROV_MESSAGE_AUDIT, since, "%s%s/%s: %s",
                                      outcome == OUTCOME_PLANNED ? "would rewrite " : "", AUDIT_RULES_DIR, c->name,
                                      c->why);
                if (r < 0)
                        return r;
        }
        return 0;
}

int action_audit(Apply *a) {
        _cleanup_(audit_plan_done) AuditPlan p = {};
        bool events;
        uint64_t since = report_now_usec();
        int r;

        assert(a);

        events = a->config->audit_selinux_events > 0;
        if (a->config->audit_selinux_events < 0)
                return 0;
        r = audit_rules_plan(a->ctx->root_fd, events, &p);
        if (r < 0)
                return report_action(&a->report, "audit", OUTCOME_FAILED, SEPROV_MESSAGE_AUDIT, since,
                                     "cannot read %s: %s", AUDIT_RULES_DIR, strerror(-r))
                               ?: r;
        r = report_warnings(a, &p);
        if (r < 0)
                return r;
        if (p.missing)
                return report_action(&a->report, "audit", OUTCOME_UNCHANGED, SEPROV_MESSAGE_AUDIT, since,
                                     "no %s: no rules to rewrite", AUDIT_RULES_DIR);
        if (p.n_changes == 0)
                return report_action(&a->report, "audit", OUTCOME_UNCHANGED, SEPROV_MESSAGE_AUDIT, since,
                                     "SELinux records %s by the rules in %s",
                                     events ? "pass" : "are as the image has them", AUDIT_RULES_DIR);
        if (a->dry_run)
                return report_changes(a, &p, OUTCOME_PLANNED, since);

        r = audit_rules_execute(a->ctx->root_fd, &p);
        if (r < 0)
                return report_action(&a->report, "audit", OUTCOME_FAILED, SEPROV_MESSAGE_AUDIT, since,
                                     "cannot write the rules in %s: %s", AUDIT_RULES_DIR, strerror(-r))
                               ?: r;
        a->audit_changed = true;
        return report_changes(a, &p, OUTCOME_CHANGED, since);
}
