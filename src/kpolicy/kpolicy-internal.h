/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the kpolicy files share: the policy and libsepol's handle, for the edits and decisions. */
#pragma once

/* Before <stdbool.h>: cond_expr_t has a member named "bool". */
#include <sepol/policydb/policydb.h>
#include <sepol/policydb/sidtab.h>
#include <sepol/sepol.h>

#include "kpolicy.h"

struct KPolicy {
        sepol_handle_t *handle;
        sepol_policydb_t *db;
        char *error;      /* libsepol's first error message of the current operation */
        sidtab_t *sidtab; /* the security server's SIDs, once an access was asked about */
};

/* kpolicy-access.c: frees the SID table of the access questions. */
void kpolicy_access_sidtab_free(KPolicy *p);
