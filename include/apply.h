/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What an action of seprov apply works on, and the shape every action has (docs/ARCHITECTURE.md). */
#pragma once

#include "config.h"
#include "context.h"
#include "layout.h"
#include "report.h"

typedef struct Apply {
        Context *ctx;         /* root, runtime directory, stage, kernel arguments */
        const Config *config; /* the effective config */
        Layout layout;        /* discovered before the actions; rediscovered after one changes it */
        bool dry_run;         /* report what would change, change nothing */
        bool deferred;        /* a dry run because the root is read-only in the initrd */
        Report report;
        /* What changed, for what the live system must reload in the system stage. */
        bool policy_changed; /* the compiled policy PID 1 loaded was rebuilt */
        bool mode_changed;
        bool audit_changed;
        /* The path regexes whose labels this apply changed (file context rules set or removed; an
         * equivalence's paths as "PATH(/.*)?"): what a relabel after it must look at. In status.json
         * as "fileContextsChanged". */
        char **fcontexts_changed;
        /* Work left to the system stage, and work needed on every boot (BootWork bits), for the
         * generator's decision at the next boot (boot-state.h). */
        unsigned left;
        unsigned every_boot;
        /* What this apply changed in file contexts, for the targeted relabel after it (action-relabel.h):
         * the regexes of the rules added, changed or removed, and the paths of the equivalences. */
        char **relabel_regexes;
        char **relabel_equivalences;
} Apply;

/* Every action looks at the system, does what the config asks (with dry_run: only reports it), and
 * reports one line per change through report_action(). It changes nothing when the system already
 * matches. Returns 0 when done or nothing was to do; a negative errno when it failed, after
 * reporting why; then what it touched is in its previous state. */
typedef int (*apply_action_t)(Apply *a);

/* apply-layout.c: rediscovers a->layout after an action moved things. Returns 0 or a negative errno
 * (logged). */
int apply_layout_refresh(Apply *a);
