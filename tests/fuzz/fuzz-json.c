/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzzes the JSON reader (json-c plus the position walk) and the schema. */

#include "fuzz-config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        fuzz_config(data, size, CONFIG_FORMAT_JSON);
        return 0;
}
