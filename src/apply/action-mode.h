/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The persistent-mode action. */
#pragma once

#include "apply.h"

/* Makes /etc/selinux/config a regular file (a link is replaced by a copy of its target, atomically)
 * whose first valid SELINUX= line says the configured mode; every other byte, the file mode and the
 * owner stay, and the file gets its label from the policy's file_contexts. See apply_action_t. */
int action_mode(Apply *a);
