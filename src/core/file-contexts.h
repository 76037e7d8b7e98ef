/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The part of a policy's file_contexts that can match below a few subtrees ("fc" is file_contexts). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The length of the literal start of a file_contexts regex: every path it matches begins with it.
 * 0 when a top-level alternative makes that unknowable. */
size_t file_contexts_literal_prefix(const char *re);

/* Whether the regex can match a path below (or leading to) one of 'prefixes'. */
bool file_contexts_regex_relevant(const char *re, char *const *prefixes);

/* Writes a private directory (under $TMPDIR or /tmp) holding the specs of the file_contexts in
 * 'fc_dir_fd' (base, .homedirs, .local, in that order) that can match below 'subtrees', and its
 * .subs_dist and .subs. *ret_dir gets its path; the caller removes it. Returns 0 or -errno. */
int file_contexts_subset(int fc_dir_fd, char *const *subtrees, char **ret_dir);
