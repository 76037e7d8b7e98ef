/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check's report: a table for people, a stable JSON document for machines. */
#pragma once

#include <stdio.h>

#include "check-fix.h"
#include "check-group.h"
#include "json-util.h"

typedef struct CheckSource {
        const char *type;               /* "journal", "journal-dir" or "audit-log" */
        const char *path;               /* the directory or file; NULL for the local journal */
        const char *boot_id;            /* the boot the local journal was read for; NULL for all of it */
        usec_t since;                   /* 0: no lower limit */
        const char *policy;             /* the policy the causes were computed against; NULL: not computed */
        const struct CheckSource *more; /* the other inputs read into the same groups (a fleet's) */
        size_t n_more;
} CheckSource;

/* Prints the groups (sorted) as a table, then each group's cause and fix (or, without a policy, its
 * suggested rule), times, path and hint; then what --fix wrote ('fix', NULL without --fix).
 * Returns 0 or -ENOMEM. */
int check_output_table(const CheckSource *src, const DenialSet *set, const CheckFix *fix, FILE *f);

/* Prints the JSON document described in seprov(8), as 'format' says. Returns 0 or -ENOMEM. */
int check_output_json(const CheckSource *src, const DenialSet *set, const CheckFix *fix, JsonFormat format, FILE *f);
