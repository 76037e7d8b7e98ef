/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzzes the seprov key's extraction from whole provisioning documents (cloud-config, Ignition) and
 * the check of the drop-ins an Ignition config writes (data: URLs, base64, gzip). */

#include "fuzz-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        char *text;
        Diags d = {};
        Config c;

        fuzz_config(data, size, CONFIG_FORMAT_CLOUD_CONFIG);
        fuzz_config(data, size, CONFIG_FORMAT_IGNITION);
        text = malloc(size + 1);
        if (!text)
                return 0;
        memcpy(text, data, size);
        text[size] = '\0';
        config_init(&c);
        (void) config_ignition_dropins_check(text, size, "fuzz", &c, &d);
        config_done(&c);
        diags_clear(&d);
        free(text);
        return 0;
}
