/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /etc/selinux/config, read exactly as libselinux reads it, and rewritten with one line changed. */
#pragma once

#include <stddef.h>

#include "settings.h"

typedef struct SelinuxConfig {
        SelinuxMode mode;   /* of the first valid SELINUX= line; _SELINUX_MODE_INVALID when none */
        unsigned mode_line; /* its 1-based line number, 0 when none */
        char *type;         /* the last SELINUXTYPE= value; NULL when none (libselinux: "targeted") */
} SelinuxConfig;

void selinux_config_done(SelinuxConfig *c);

/* Parses the text of a config file with libselinux's rules: the mode comes from the first line
 * that starts with "SELINUX=" (no leading blanks) whose value begins, ignoring case and leading
 * blanks, with enforcing, permissive or disabled; the type from the last "SELINUXTYPE=" line
 * (case-insensitive, leading and trailing blanks ignored). Returns 0 or -ENOMEM. */
int selinux_config_parse(const char *text, size_t len, SelinuxConfig *ret);

/* The text with the mode set to 'mode': the mode word of the first valid SELINUX= line is replaced
 * and everything else stays byte for byte; without such a line, "SELINUX=<mode>" is inserted before
 * the first line that is neither blank nor a comment. *ret is NULL when the text already has that
 * mode. Returns 0 or -ENOMEM. */
int selinux_config_set_mode(const char *text, size_t len, SelinuxMode mode, char **ret, size_t *ret_len);
