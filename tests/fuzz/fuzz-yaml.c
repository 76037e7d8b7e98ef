/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzzes the YAML reader (libyaml events into nodes) and the schema, plain and cloud-config. */

#include "fuzz-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        fuzz_config(data, size, CONFIG_FORMAT_YAML);
        fuzz_config(data, size, CONFIG_FORMAT_CLOUD_CONFIG);
        return 0;
}
