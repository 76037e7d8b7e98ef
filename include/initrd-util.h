/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether this runs in the initrd. */
#pragma once

#include <stdbool.h>

/* True when the kernel runs in the initrd: $SYSTEMD_IN_INITRD when set, else /etc/initrd-release
 * (systemd's in_initrd()). */
bool in_initrd(void);
