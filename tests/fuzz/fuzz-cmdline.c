/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzzes the kernel command line parser, in and out of the initrd. */

#include "cmdline.h"
#include "fuzz.h"
#include "macro.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *line = strndup((const char *) data, size);
        Diags d = {};
        KernelArgs a;

        if (!line)
                return 0;
        for (int initrd = 0; initrd <= 1; initrd++) {
                kernel_args_init(&a);
                (void) kernel_args_parse(&a, line, "fuzz", initrd, &d);
                kernel_args_done(&a);
        }
        diags_clear(&d);
        return 0;
}
