/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Preflight checks, run before any action. */
#pragma once

#include "apply.h"

/* Refuses a request that cannot work (enforcing with selinux=0, no /etc/selinux/config to set a mode
 * in, no compiled policy for SELINUXTYPE) and warns about what Flatcar lists as incompatible with
 * enforcing (Btrfs volumes: PID 1's mount table, or /etc/fstab for an offline root).
 * Returns 0 to go on, 1 when refused (a->report.error says why), or a negative errno. */
int preflight(Apply *a);
