/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov-generator: decides at boot whether seprov has work to do and wires its units. */

#include "log.h"

int main(int argc, char *argv[]) {
        log_set_ident("seprov-generator");
        log_parse_environment();

        if (argc != 2 && argc != 4) {
                log_error("Usage: seprov-generator NORMAL_DIR [EARLY_DIR LATE_DIR]");
                return 64;
        }
        /* The wiring is built in the boot integration work; until then the generator adds nothing. */
        return 0;
}
