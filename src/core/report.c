/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The apply report: actions with outcomes and timings, warnings; each logged once as it happens. */

#include <stdarg.h>
#include <time.h>

#include "log.h"
#include "report.h"
#include "string-table.h"
#include "strutil.h"

static const char *const outcome_names[_OUTCOME_MAX] = {
        [OUTCOME_UNCHANGED] = "unchanged", [OUTCOME_CHANGED] = "changed", [OUTCOME_PLANNED] = "planned",
        [OUTCOME_FAILED] = "failed",       [OUTCOME_SKIPPED] = "skipped",
};

DEFINE_STRING_TABLE_TO_STRING(outcome, Outcome, outcome_names, _OUTCOME_MAX);

uint64_t report_now_usec(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000u + (uint64_t) ts.tv_nsec / 1000u;
}

void report_init(Report *r) {
        assert(r);

        *r = (Report){ .started_usec = report_now_usec() };
}

void report_done(Report *r) {
        assert(r);

        for (size_t i = 0; i < r->n_actions; i++) {
                free(r->actions[i].action);
                free(r->actions[i].message);
        }
        free(r->actions);
        strv_free(r->warnings);
        diags_clear(&r->diags);
        free(r->error);
        *r = (Report){};
}

static int outcome_level(Outcome o) {
        switch (o) {
        case OUTCOME_FAILED:
                return LOG_ERR;
        case OUTCOME_CHANGED:
                return LOG_NOTICE;
        case OUTCOME_UNCHANGED:
        case OUTCOME_SKIPPED:
                return LOG_DEBUG;
        default:
                return LOG_INFO;
        }
}

int report_action(Report *r, const char *action, Outcome outcome, const char *message_id, uint64_t since,
                  const char *format, ...) {
        _cleanup_free_ char *message = NULL, *name = NULL;
        ReportAction *n;

        assert(r);
        assert(action);
        assert(format);

        name = strdup(action);
        message = STRPRINTF_VA(format);
        if (!message || !name)
                return -ENOMEM;
        n = reallocarray(r->actions, r->n_actions + 1, sizeof(ReportAction));
        if (!n)
                return -ENOMEM;
        r->actions = n;
        if (log_target_is_structured()) /* on a terminal, the command's report says it */
                log_event(outcome_level(outcome), message_id, "%s: %s", action, message);
        r->actions[r->n_actions++] = (ReportAction){
                .action = TAKE_PTR(name),
                .outcome = outcome,
                .message = TAKE_PTR(message),
                .usec = since > 0 ? report_now_usec() - since : 0,
        };
        return 0;
}

int report_warning(Report *r, const char *message_id, const char *format, ...) {
        _cleanup_free_ char *message = NULL;

        assert(r);
        assert(format);

        message = STRPRINTF_VA(format);
        if (!message)
                return -ENOMEM;
        if (log_target_is_structured())
                log_event(LOG_WARNING, message_id, "%s", message);
        return strv_consume(&r->warnings, TAKE_PTR(message));
}

int report_set_error(Report *r, const char *format, ...) {

        assert(r);
        assert(format);

        r->error = mfree(r->error);
        r->error = STRPRINTF_VA(format);
        return r->error ? 0 : -ENOMEM;
}

bool report_changed(const Report *r) {
        assert(r);

        for (size_t i = 0; i < r->n_actions; i++)
                if (r->actions[i].outcome == OUTCOME_CHANGED || r->actions[i].outcome == OUTCOME_PLANNED)
                        return true;
        return false;
}

const ReportAction *report_first_failure(const Report *r) {
        assert(r);

        for (size_t i = 0; i < r->n_actions; i++)
                if (r->actions[i].outcome == OUTCOME_FAILED)
                        return &r->actions[i];
        return NULL;
}
