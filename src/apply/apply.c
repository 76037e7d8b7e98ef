/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The order of the actions of an apply, and how an apply ends. */

#include "action-audit.h"
#include "action-mode.h"
#include "action-relabel.h"
#include "action-reload.h"
#include "policy.h"
#include "apply-run.h"
#include "config-paths.h"
#include "ignition-record.h"
#include "label.h"
#include "log.h"
#include "preflight.h"
#include "store.h"
#include "string-table.h"
#include "strutil.h"

typedef struct ActionEntry {
        const char *name;
        apply_action_t run;
        bool moves_layout; /* the layout is rediscovered after it */
} ActionEntry;

/* The store first (the policy action works in it), the mode last of the persistent changes: it is what
 * the next boot acts on, so it is only written once everything it relies on is in place. A failure
 * stops the apply there. Then the live system is brought in line (system stage only). */
static const ActionEntry actions[] = {
        { "store", action_store, true },      { "policy", action_policy, false }, { "audit", action_audit, false },
        { "relabel", action_relabel, false }, { "mode", action_mode, false },     { "reload", action_reload, false },
};

static const char *const apply_result_names[_APPLY_RESULT_MAX] = {
        [APPLY_RESULT_DONE] = "done",       [APPLY_RESULT_UNCHANGED] = "unchanged",
        [APPLY_RESULT_PLANNED] = "planned", [APPLY_RESULT_DEFERRED] = "deferred",
        [APPLY_RESULT_OFF] = "off",         [APPLY_RESULT_REFUSED] = "refused",
        [APPLY_RESULT_FAILED] = "failed",
};

DEFINE_STRING_TABLE_TO_STRING(apply_result, ApplyResult, apply_result_names, _APPLY_RESULT_MAX);

/* Records why the apply failed; the result to return. */
#define apply_fail(a, ...) (report_set_error(&(a)->report, __VA_ARGS__), APPLY_RESULT_FAILED)

/* Whether an action reported since the 'from'-th changed something. */
static bool changed_since(const Report *r, size_t from) {
        for (size_t i = from; i < r->n_actions; i++)
                if (r->actions[i].outcome == OUTCOME_CHANGED)
                        return true;
        return false;
}

static ApplyResult run_actions(Apply *a) {
        for (size_t i = 0; i < ELEMENTSOF(actions); i++) {
                size_t from = a->report.n_actions;
                int r = actions[i].run(a);
                if (r == -ENOMEM)
                        return apply_fail(a, "out of memory in %s", actions[i].name);
                if (r < 0) {
                        const ReportAction *f = report_first_failure(&a->report);
                        /* A dry run ran nothing: what the apply would do, not what it did. */
                        const char *failed = a->dry_run ? "would fail" : "failed",
                                   *then = a->dry_run ? "the apply would stop there"
                                                      : "later actions were not run and the previous state is kept";

                        if (f && streq(f->action, actions[i].name)) /* said once: "store failed: ..." */
                                return apply_fail(a, "%s %s: %s; %s", actions[i].name, failed, f->message, then);
                        if (f)
                                return apply_fail(a, "%s %s (%s: %s); %s", actions[i].name, failed, f->action,
                                                  f->message, then);
                        return apply_fail(a, "%s %s; %s", actions[i].name, failed, then);
                }
                /* An action that changed nothing moved nothing: the layout (and its debug trace) stays. */
                if (actions[i].moves_layout && changed_since(&a->report, from) && apply_layout_refresh(a) < 0)
                        return apply_fail(a, "cannot look at the layout again after %s", actions[i].name);
        }
        if (!report_changed(&a->report))
                return APPLY_RESULT_UNCHANGED;
        if (a->deferred)
                return APPLY_RESULT_DEFERRED;
        return a->dry_run ? APPLY_RESULT_PLANNED : APPLY_RESULT_DONE;
}

/* Removes what an apply that was killed left in seprov's runtime directory. */
static void apply_scratch_cleanup(Apply *a) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (a->dry_run)
                return;
        fd = context_seprov_run_open(a->ctx);
        r = fd < 0 ? fd : labeler_scratch_cleanup(fd);
        if (r > 0)
                log_debug("Removed %d scratch director%s a killed apply left.", r, r == 1 ? "y" : "ies");
        else if (r < 0 && r != -ENOENT)
                log_debug_errno(r, "Cannot look for what a killed apply left in %s/%s, ignoring: %m", a->ctx->run_dir,
                                CONTEXT_SEPROV_RUN_DIR);
}

/* A refusal changes nothing but the record of what Ignition asked for, made before preflight: Ignition
 * runs on the first boot only, and a refused first boot must not lose it (the boots after say the same
 * problems, at the record's lines). The refusal says so when it was made. */
static ApplyResult refusal_amend(Apply *a) {
        _cleanup_free_ char *why = NULL;
        const char *e;

        if (!report_changed(&a->report) || !a->report.error)
                return APPLY_RESULT_REFUSED;
        why = TAKE_PTR(a->report.error);
        e = endswith(why, "; nothing was changed");
        if (e)
                why[e - why] = '\0';
        if (report_set_error(
                    &a->report,
                    "%s; nothing was changed but %s, which keeps the \"seprov\" key Ignition was given for the "
                    "boots after this one",
                    why, IGNITION_RECORD) < 0)
                a->report.error = TAKE_PTR(why);
        return APPLY_RESULT_REFUSED;
}

static ApplyResult apply_run_checked(Apply *a) {
        int r;

        if (a->ctx->args.selinux == 0 && a->config->mode != SELINUX_MODE_ENFORCING) {
                a->report.error = strdup("selinux=0 on the kernel command line: seprov does nothing");
                return APPLY_RESULT_OFF;
        }
        apply_scratch_cleanup(a);
        /* An offline root without SELinux is a wrong --root more likely than a system to leave as it
         * is: refused, as status does not summarise it. */
        if (a->ctx->offline) {
                r = apply_layout_refresh(a);
                if (r < 0)
                        return apply_fail(a, "cannot look at the SELinux layout of %s", a->ctx->root);
                if (!layout_has_selinux(&a->layout)) {
                        r = report_set_error(&a->report,
                                             "%s has no SELinux: no %s, no %s, no compiled policy in /usr; is --root "
                                             "right? Nothing was changed",
                                             a->ctx->root, a->layout.config_file.path, a->layout.policy.path);
                        return r < 0 ? apply_fail(a, "out of memory") : APPLY_RESULT_REFUSED;
                }
        }
        /* First, so that even an apply that fails keeps what Ignition was asked for. */
        r = ignition_record_update(a);
        if (r == -ENOMEM)
                return apply_fail(a, "out of memory");
        if (r < 0)
                return apply_fail(a, "cannot record Ignition's seprov config in %s", IGNITION_RECORD);
        if (config_is_empty(a->config) && !action_relabel_wanted(a))
                return report_changed(&a->report) ? APPLY_RESULT_DONE : APPLY_RESULT_UNCHANGED;

        r = a->ctx->offline ? 0 : apply_layout_refresh(a); /* an offline root's was read above */
        if (r < 0)
                return apply_fail(a, "cannot look at the SELinux layout of %s", a->ctx->root);
        r = preflight(a);
        if (r < 0)
                return apply_fail(a, "preflight checks failed on %s", a->ctx->root);
        if (r > 0)
                return refusal_amend(a);
        return run_actions(a);
}

ApplyResult apply_run(Apply *a) {
        ApplyResult result;

        assert(a);

        result = apply_run_checked(a);
        /* A dry run changes nothing, so it cannot fail while applying: what would fail is a refusal of
         * the request, as preflight's are (exit status 1, never 2). */
        if (result == APPLY_RESULT_FAILED && a->dry_run && !a->deferred)
                result = APPLY_RESULT_REFUSED;
        return result;
}

void apply_done(Apply *a) {
        assert(a);

        layout_done(&a->layout);
        report_done(&a->report);
        a->fcontexts_changed = strv_free(a->fcontexts_changed);
        a->relabel_regexes = strv_free(a->relabel_regexes);
        a->relabel_equivalences = strv_free(a->relabel_equivalences);
}
