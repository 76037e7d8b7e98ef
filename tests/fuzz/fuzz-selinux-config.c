/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzzes the /etc/selinux/config reader and rewrite: after setting a mode, the file reads back with
 * that mode, and setting it again changes nothing. */

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "selinux-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *text = (const char *) data;

        for (SelinuxMode m = 0; m < _SELINUX_MODE_MAX; m++) {
                SelinuxConfig c;
                char *out = NULL, *again = NULL;
                size_t len, len2;

                if (selinux_config_set_mode(text, size, m, &out, &len) < 0)
                        return 0;
                if (selinux_config_parse(out ?: text, out ? len : size, &c) < 0) {
                        free(out);
                        return 0;
                }
                assert(c.mode == m);
                selinux_config_done(&c);
                if (out) {
                        assert(selinux_config_set_mode(out, len, m, &again, &len2) == 0);
                        assert(!again);
                }
                free(out);
        }
        return 0;
}
