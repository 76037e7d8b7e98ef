/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Failing closed: onFailure "emergency" in the initrd. */
#pragma once

/* Asks PID 1, over its private bus socket (the initrd has no D-Bus broker), to start
 * emergency.target, replacing the boot transaction. Returns 0 or a negative errno. */
int start_emergency_target(void);
