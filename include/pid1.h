/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Asking PID 1 about and for units, over its private socket: early in boot and in the initrd there is
 * no D-Bus broker, and seprov runs as root. */
#pragma once

#include <stdbool.h>

/* Whether 'unit' is active (or reloading). Returns 1, 0, or a negative errno (e.g. no PID 1 to ask). */
int pid1_unit_active(const char *unit);

/* Starts 'unit' with 'mode' ("replace", "replace-irreversibly", ...) without waiting for the job.
 * Returns 0 or a negative errno (logged). */
int pid1_start_unit(const char *unit, const char *mode);

/* onFailure "emergency": asks PID 1 to start emergency.target, replacing the boot transaction.
 * Returns 0 or a negative errno (logged). */
int pid1_start_emergency_target(void);
