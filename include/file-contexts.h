/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The part of a policy's file_contexts that can match below a few subtrees ("fc" is file_contexts). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The length of the literal start of a file_contexts regex: every path it matches begins with it.
 * 0 when a top-level alternative makes that unknowable. */
size_t file_contexts_literal_prefix(const char *re);

/* 'path' as a file_contexts regex that matches it alone: the characters a regex gives a meaning
 * escaped. Returns a new string, or NULL. */
char *file_contexts_regex_escape(const char *path);

/* The regexes of the specs that one of two file_contexts texts has and the other has not (a rule
 * added, removed, or given another file type or context): what a rebuild changed in the labels
 * files get, a module's filecon as much as a local rule. Comments and empty lines are ignored. Both
 * texts are split into lines in place. Appends each regex once to *regexes (a strv, maybe NULL).
 * Returns 0 or -ENOMEM. */
int file_contexts_changed_regexes(char *before, char *after, char ***regexes);

/* Whether the regex can match a path below (or leading to) one of 'prefixes'. */
bool file_contexts_regex_relevant(const char *re, char *const *prefixes);

/* The name prefix of the directories file_contexts_subset() makes. */
#define FILE_CONTEXTS_SCRATCH_PREFIX ".#seprov-fc."

/* Writes a private directory ".#seprov-fc.XXXXXXXX" in 'scratch_fd' (seprov's runtime directory)
 * holding the specs of the file_contexts in 'fc_dir_fd' (base, .homedirs, .local, in that order)
 * that can match below 'subtrees', and its .subs_dist and .subs. *ret_name gets its name; the caller
 * removes it (file_contexts_scratch_cleanup() removes what a killed caller left). Returns an fd of it
 * (O_DIRECTORY) or a negative errno. */
int file_contexts_subset(int fc_dir_fd, char *const *subtrees, int scratch_fd, char **ret_name);

/* Removes every directory file_contexts_subset() left in 'scratch_fd' (a killed apply's). Returns
 * how many there were, or a negative errno. */
int file_contexts_scratch_cleanup(int scratch_fd);
