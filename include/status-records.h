/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the kernel's SELinux audit records go on a system: auditd's log, journald's audit socket, or
 * only the kernel's rate-limited printk copies. */
#pragma once

#include <stdbool.h>

typedef struct RecordsRoute {
        bool offline; /* from the root's unit files (enabled), not from PID 1 (active) */
        int auditd;   /* auditd.service active (enabled offline): 1, 0, or -1 when it cannot be known */
        int journald; /* systemd-journald-audit.socket active (enabled offline): 1, 0, or -1 */
} RecordsRoute;

/* Looks at the units: PID 1's when 'offline' is false, else the unit files under 'root_fd'. */
void records_route_read(int root_fd, bool offline, RecordsRoute *ret);

/* "auditd", "journald", "printk", or NULL when it cannot be known. */
const char *records_route_destination(const RecordsRoute *r);

/* Whether something other than the kernel's rate-limited printk copies receives the records: 1, 0,
 * or -1 when it cannot be known. */
int records_route_reliable(const RecordsRoute *r);
