/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Audit record (message) types: the names auditctl accepts for msgtype=, and which types are SELinux's. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The SELinux record types: USER_AVC (1107) and the kernel's SELinux/MAC block 1400-1499. */
#define AUDIT_TYPE_USER_AVC      1107u
#define AUDIT_TYPE_SELINUX_FIRST 1400u
#define AUDIT_TYPE_SELINUX_LAST  1499u

static inline bool audit_type_is_selinux(uint32_t t) {
        return t == AUDIT_TYPE_USER_AVC || (t >= AUDIT_TYPE_SELINUX_FIRST && t <= AUDIT_TYPE_SELINUX_LAST);
}

/* Looks up a record type name the way auditctl does for msgtype= (ASCII case-insensitive), including
 * libaudit's "UNKNOWN[N]" spelling. Returns 0 and the type in *ret, -ENOENT when auditctl refuses the
 * name, or -EINVAL for an "UNKNOWN[...]" variant auditctl reads leniently and seprov does not guess at. */
int audit_type_from_name(const char *name, uint32_t *ret);

/* Returns the name of a record type, or NULL when it has none. */
const char *audit_type_to_name(uint32_t type);
