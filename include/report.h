/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What an apply did: one line per action, warnings, errors and timings; for the log, the terminal,
 * --json and /run/seprov/status.json. */
#pragma once

#include <stdint.h>

#include "diag.h"
#include "macro.h"

typedef enum Outcome {
        OUTCOME_UNCHANGED, /* already as asked */
        OUTCOME_CHANGED,   /* changed now */
        OUTCOME_PLANNED,   /* --dry-run: would change */
        OUTCOME_FAILED,    /* tried and failed; the previous state is kept */
        OUTCOME_SKIPPED,   /* not done, because of an earlier failure or a refusal */
        _OUTCOME_MAX,
} Outcome;

const char *outcome_to_string(Outcome o);

typedef struct ReportAction {
        char *action; /* "mode", "store", "audit", "dontaudit", "boolean", "module", "reload", ... */
        Outcome outcome;
        char *message; /* one line for humans */
        uint64_t usec; /* how long it took */
} ReportAction;

typedef struct Report {
        ReportAction *actions;
        size_t n_actions;
        char **warnings;
        Diags diags; /* the input problems, when refused */
        char *error; /* why the apply was refused or failed, one line */
        uint64_t started_usec;
} Report;

void report_init(Report *r);
void report_done(Report *r);

/* Monotonic microseconds, for timings. */
uint64_t report_now_usec(void);

/* Records an action's outcome and logs it once, with the given MESSAGE_ID. 'since' is when the
 * action started (report_now_usec()); 0 when not timed. Returns 0 or -ENOMEM. */
int report_action(Report *r, const char *action, Outcome outcome, const char *message_id, uint64_t since,
                  const char *format, ...) _printf_(6, 7);

/* Records and logs a warning (preflight findings, rules left alone, ...). Returns 0 or -ENOMEM. */
int report_warning(Report *r, const char *message_id, const char *format, ...) _printf_(3, 4);

/* Sets why the apply was refused or failed, replacing an earlier reason. Returns 0 or -ENOMEM (and
 * then no reason is left). */
int report_set_error(Report *r, const char *format, ...) _printf_(2, 3);

/* The first action that failed, or NULL. */
const ReportAction *report_first_failure(const Report *r);

/* True when any action changed, or would change, something. */
bool report_changed(const Report *r);
