/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every user of json-c shares: the cleanup of a json_object, and printing one. */
#pragma once

#include <json-c/json.h>

#include "macro.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(json_object *, json_object_put);

/* Writes 'o' to 'f' pretty-printed, with a final newline. Returns 0, -ENOMEM or -EIO. */
static inline int json_print(json_object *o, FILE *f) {
        const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                                  JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s)
                return -ENOMEM;
        return fprintf(f, "%s\n", s) < 0 ? -EIO : 0;
}
