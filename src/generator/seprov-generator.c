/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov-generator: decides at boot whether seprov has work to do and wires its units. */

#include <stdlib.h>

#include "generator.h"
#include "log.h"

#define EXIT_USAGE 64

static void usage(FILE *f) {
        fprintf(f, "seprov-generator NORMAL_DIR [EARLY_DIR LATE_DIR]\n\n"
                   "A systemd generator (systemd.generator(7)): systemd runs it at every boot, in the initrd and\n"
                   "in the real root. It links seprov's units into NORMAL_DIR when seprov has work to do, and\n"
                   "writes nothing else. $SEPROV_ROOT re-roots what it reads; $SYSTEMD_IN_INITRD and\n"
                   "$SYSTEMD_PROC_CMDLINE replace the initrd detection and /proc/cmdline.\n\n"
                   "  -h --help     this text\n"
                   "  -V --version  the version\n\n"
                   "See seprov-generator(8).\n");
}

/* Run by systemd (which sets $SYSTEMD_SCOPE for every generator) there is no journal yet: the
 * kernel log. Run by hand, the terminal. $SYSTEMD_LOG_TARGET says otherwise in either case. */
static void log_setup(void) {
        log_set_ident("seprov-generator");
        log_set_target(getenv("SYSTEMD_SCOPE") ? LOG_TARGET_KMSG : LOG_TARGET_CONSOLE);
        log_parse_environment();
        if (log_get_target() == LOG_TARGET_JOURNAL) /* no journald yet, and no journal sink linked */
                log_set_target(LOG_TARGET_KMSG);
}

int main(int argc, char *argv[]) {
        Generator g = { .root = getenv("SEPROV_ROOT") ?: "/", .unit_dir = SYSTEM_UNIT_DIR };

        log_setup();
        if (argc == 2 && (streq(argv[1], "-h") || streq(argv[1], "--help"))) {
                usage(stdout);
                return EXIT_SUCCESS;
        }
        if (argc == 2 && (streq(argv[1], "-V") || streq(argv[1], "--version"))) {
                printf("seprov-generator %s\n", SEPROV_VERSION);
                return EXIT_SUCCESS;
        }
        if ((argc != 2 && argc != 4) || argv[1][0] == '-') {
                log_error("Usage: seprov-generator NORMAL_DIR [EARLY_DIR LATE_DIR] (see seprov-generator --help).");
                return EXIT_USAGE;
        }
        g.dest = argv[1];
        /* Input problems never fail the boot (they are logged and the unit is wired); failing to write
         * the output is reported as a failed generator, which does not stop the boot either. */
        return generator_run(&g) < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
