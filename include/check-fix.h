/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check --fix: the fix of the denials as seprov config, a drop-in and a CIL module. */
#pragma once

#include "check-group.h"

#define CHECK_FIX_DROPIN   "/etc/seprov/config.d/50-seprov-check.json"
#define CHECK_FIX_MODULES  "/etc/seprov/modules"
#define CHECK_FIX_PRIORITY 400 /* seprov's default, above the 100 distributions install at */

typedef struct CheckFix {
        const char *dir;  /* where it was written (--fix=DIR) */
        char **booleans;  /* "name=true": the booleans the drop-in sets */
        char *module;     /* the CIL module's name, NULL when no group needs a rule */
        char *module_src; /* its path on the machine, CHECK_FIX_MODULES/<module>.cil */
        unsigned priority;
        size_t n_rules;
        size_t n_left; /* groups nothing is written for: constraint, unknown-type, unlabeled, role */
} CheckFix;

void check_fix_done(CheckFix *f);

/* Plans the fix of the groups' causes: for each "boolean" group one of its booleans (one another
 * group sets already, else the first), for the "rule" groups one CIL module named after their
 * source types, at a priority above every module of the root's store (from 'root', NULL: "/"; at
 * least CHECK_FIX_PRIORITY) that is not one of check's own. Returns 0 or -ENOMEM. */
int check_fix_plan(const DenialSet *set, const char *root, CheckFix *ret);

/* Writes the planned fix under 'dir' as it goes on the machine: dir/CHECK_FIX_DROPIN and the
 * module in dir/CHECK_FIX_MODULES, directories made as needed. Nothing when there is nothing to
 * fix. Returns 0 or a negative errno (logged). */
int check_fix_write(const CheckFix *f, const DenialSet *set, const char *dir);
