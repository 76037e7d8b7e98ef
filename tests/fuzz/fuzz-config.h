/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Shared body of the config fuzz targets: one document through parser and schema. */
#pragma once

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz.h"

static inline void fuzz_config(const uint8_t *data, size_t size, ConfigFormat format) {
        char *text = malloc(size + 1);
        Diags d = {};
        Config c;

        if (!text)
                return;
        /* NUL-terminated like a file read, but NUL bytes inside the data stay to be refused. */
        memcpy(text, data, size);
        text[size] = '\0';
        (void) config_parse_text(text, size, "fuzz", format, &c, NULL, &d);
        config_done(&c);
        diags_clear(&d);
        free(text);
}
