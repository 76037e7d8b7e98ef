/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every user of json-c shares: the cleanup of a json_object, and printing one. */
#pragma once

#include <json-c/json.h>

#include "macro.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(json_object *, json_object_put);

/* How --json=MODE prints a document: systemd's words. */
typedef enum JsonFormat {
        JSON_FORMAT_OFF,    /* no JSON: the text output */
        JSON_FORMAT_PRETTY, /* indented, one member a line (a bare --json) */
        JSON_FORMAT_SHORT,  /* the whole document on one line */
        _JSON_FORMAT_MAX,
        _JSON_FORMAT_INVALID = -1,
} JsonFormat;

/* "off", "pretty" or "short": the JsonFormat, or -EINVAL for another word. */
static inline int json_format_from_string(const char *s) {
        static const char *const names[_JSON_FORMAT_MAX] = {
                [JSON_FORMAT_OFF] = "off", [JSON_FORMAT_PRETTY] = "pretty", [JSON_FORMAT_SHORT] = "short"
        };

        for (int i = 0; i < _JSON_FORMAT_MAX; i++)
                if (streq(names[i], s))
                        return i;
        return -EINVAL;
}

/* Writes 'o' to 'f' as 'format' says (JSON_FORMAT_OFF counts as pretty), with a final newline.
 * Returns 0, -ENOMEM or -EIO. */
static inline int json_print(json_object *o, JsonFormat format, FILE *f) {
        int flags = JSON_C_TO_STRING_NOSLASHESCAPE |
                    (format == JSON_FORMAT_SHORT ? JSON_C_TO_STRING_PLAIN
                                                 : JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED);
        const char *s = json_object_to_json_string_ext(o, flags);

        if (!s)
                return -ENOMEM;
        return fprintf(f, "%s\n", s) < 0 ? -EIO : 0;
}
