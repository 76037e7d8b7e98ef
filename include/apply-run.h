/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Running a whole apply. */
#pragma once

#include "apply.h"

typedef enum ApplyResult {
        APPLY_RESULT_DONE,      /* changed what the config asks */
        APPLY_RESULT_UNCHANGED, /* the system already matched: nothing was written */
        APPLY_RESULT_PLANNED,   /* --dry-run with changes to make */
        APPLY_RESULT_DEFERRED,  /* initrd stage, root mounted read-only: the system stage makes the changes */
        APPLY_RESULT_OFF,       /* seprov=0 or selinux=0 */
        APPLY_RESULT_REFUSED,   /* bad input or preflight: nothing changed */
        APPLY_RESULT_FAILED,    /* failed while applying: what failed kept its previous state */
        _APPLY_RESULT_MAX,
} ApplyResult;

const char *apply_result_to_string(ApplyResult r);

/* Discovers the layout, runs preflight, then each action in order, stopping at the first failure.
 * a->report says what happened, and why when it did not end well. Returns how it ended; a dry run
 * that finds that the apply would fail is refused (APPLY_RESULT_REFUSED), never failed. */
ApplyResult apply_run(Apply *a);

/* Releases what an apply holds (its layout and report), for _cleanup_(apply_done); not the context
 * or the config, which it borrows. */
void apply_done(Apply *a);
