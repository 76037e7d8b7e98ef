/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether this runs in the initrd, decided as systemd decides it. */

#include "initrd-util.h"
#include "macro.h"
#include "strutil.h"

bool in_initrd(void) {
        const char *e = getenv("SYSTEMD_IN_INITRD");
        int b;

        if (e) {
                b = parse_boolean(e);
                if (b >= 0)
                        return b;
                /* systemd also accepts "lenient": then the file decides. */
        }
        return access("/etc/initrd-release", F_OK) >= 0;
}
