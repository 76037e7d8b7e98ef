/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File context regexes checked as libselinux will compile them: PCRE2, anchored at both ends. */

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "config.h"
#include "strutil.h"

int config_regex_check(const char *re, char **ret_why) {
        _cleanup_free_ char *anchored = NULL;
        PCRE2_UCHAR message[256];
        PCRE2_SIZE offset = 0;
        pcre2_code *code;
        int error = 0;

        assert(re);
        assert(ret_why);

        /* What label_file.c compiles: "^" REGEX "$", with PCRE2_DOTALL. */
        anchored = strjoin("^", re, "$");
        if (!anchored)
                return -ENOMEM;
        code = pcre2_compile((PCRE2_SPTR) anchored, PCRE2_ZERO_TERMINATED, PCRE2_DOTALL, &error, &offset, NULL);
        if (code) {
                pcre2_code_free(code);
                *ret_why = NULL;
                return 0;
        }
        if (pcre2_get_error_message(error, message, sizeof message) < 0)
                snprintf((char *) message, sizeof message, "error %d", error);
        /* The offset counts the "^" seprov put in front, and may point at the "$" after the end. */
        *ret_why = strprintf("%s at offset %zu", (const char *) message,
                             MIN((size_t) (offset > 0 ? offset - 1 : 0), strlen(re)));
        return *ret_why ? -EINVAL : -ENOMEM;
}
