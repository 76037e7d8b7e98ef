/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the kpolicy files share: the policy and libsepol's handle, for the edits and decisions. */
#pragma once

/* Before <stdbool.h>: cond_expr_t has a member named "bool". */
#include <sepol/policydb/policydb.h>
#include <sepol/sepol.h>

#include "kpolicy.h"

struct KPolicy {
        sepol_handle_t *handle;
        sepol_policydb_t *db;
        char *error; /* libsepol's first error message of the current operation */
};
