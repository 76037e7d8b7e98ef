/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Making changes count now, not only at the next boot: the system stage on the live system. */
#pragma once

#include "apply.h"

/* In the system stage on the running system only: loads a rebuilt policy, sets the live enforcing
 * mode to a mode that changed (unless enforcing= on the kernel command line overrides this boot),
 * and reloads the audit rules with augenrules when they changed after audit-rules.service or
 * auditd.service loaded them. Elsewhere the next boot, or the units ordered after seprov, load them.
 * See apply_action_t. */
int action_reload(Apply *a);
