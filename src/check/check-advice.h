/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What check says about a group: its cause and fix in a line, the allow rule audit2allow would
 * suggest, and known pitfalls. */
#pragma once

#include "check-group.h"

/* The CIL rule that would allow the group's denials, as audit2allow would suggest it:
 * "(allow container_t usr_t (dir (add_name write)))", "self" when source and target types are one,
 * permissions sorted. A suggestion to review, never to load blindly.
 * Returns 0 with a new string in *ret, 0 with NULL when no allow rule can help (SELINUX_ERR, or a
 * cause other than "rule"), or -ENOMEM. */
int check_advice_suggestion(const DenialGroup *g, char **ret);

/* A hint when the group matches a known pitfall of container hosts like Flatcar (containers writing
 * usr_t or etc_t paths, unlabelled files...). Returns a static string, or NULL. */
const char *check_advice_hint(const DenialGroup *g);

/* The group's cause and its fix, in one line: "boolean: httpd_can_network_connect=true would allow
 * it; fix: ...". Returns 0 with a new string in *ret, 0 with NULL when the cause was not computed,
 * or -ENOMEM. */
int check_advice_cause_line(const DenialGroup *g, char **ret);
