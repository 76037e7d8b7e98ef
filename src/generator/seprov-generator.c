/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov-generator: decides at boot whether seprov has work to do and wires its units. */

#include <stdlib.h>

#include "generator.h"
#include "log.h"

int main(int argc, char *argv[]) {
        Generator g = { .root = getenv("SEPROV_ROOT") ?: "/", .unit_dir = SYSTEM_UNIT_DIR };

        log_set_ident("seprov-generator");
        /* Generators have no journal yet: the kernel log, unless $SYSTEMD_LOG_TARGET says otherwise. */
        log_set_target(LOG_TARGET_KMSG);
        log_parse_environment();
        if (log_get_target() == LOG_TARGET_JOURNAL) /* no journald yet, and no journal sink linked */
                log_set_target(LOG_TARGET_KMSG);

        if (argc != 2 && argc != 4) {
                log_error("Usage: seprov-generator NORMAL_DIR [EARLY_DIR LATE_DIR]");
                return 64;
        }
        g.dest = argv[1];
        /* Input problems never fail the boot (they are logged and the unit is wired); failing to write
         * the output is reported as a failed generator, which does not stop the boot either. */
        return generator_run(&g) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
