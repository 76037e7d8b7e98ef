/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audit rules action. */
#pragma once

#include "apply.h"

/* Rewrites /etc/audit/rules.d so that SELinux records pass (audit.selinuxEvents: true) or puts the
 * image's rules back (false); see audit-rules.h. Rules seprov cannot read are left alone and reported
 * as warnings. See apply_action_t. */
int action_audit(Apply *a);
