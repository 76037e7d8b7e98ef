/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SELinux file labels from the target policy's file_contexts, as the booted system will see them. */
#pragma once

#include <sys/types.h>

#include "macro.h"

typedef struct Labeler Labeler;

/* Opens the file_contexts of the compiled policy 'policy_dir' (e.g. "/etc/selinux/default") under the
 * root, with its .subs and .subs_dist equivalences, .local and .homedirs; each of them must be a
 * regular file in the directory chase() resolved inside the root. 'root' is the root's path, used
 * only when /proc is not mounted. With 'subtrees' (paths as the booted system sees them), only
 * lookups below those are valid, and much faster: the part of file_contexts that matters there is
 * written to a directory in 'scratch_fd' (seprov's runtime directory, see context_seprov_run_open()),
 * loaded and removed; with 'scratch_fd' -EBADF or no /proc, the whole file_contexts is loaded.
 * Returns 0; -ENOENT when the policy has no file_contexts (logged at debug level only: whether that
 * matters is the caller's decision); -ELOOP when one of the files is not a regular file; or another
 * negative errno (logged). */
int labeler_open(int root_fd, const char *root, const char *policy_dir, char *const *subtrees, int scratch_fd,
                 Labeler **ret);

/* Removes what labeler_open() left in 'scratch_fd' when an apply was killed while it ran. Returns how
 * many directories there were, or a negative errno. */
int labeler_scratch_cleanup(int scratch_fd);
Labeler *labeler_free(Labeler *l);
DEFINE_TRIVIAL_CLEANUP_FUNC(Labeler *, labeler_free);
#define _cleanup_labeler_free_ _cleanup_(labeler_freep)

/* The context for 'path' (as the booted system names it, e.g. "/etc/selinux/config") of file type
 * 'mode' into *ret, or NULL when file_contexts gives it none (no entry, or "<<none>>": setfiles leaves
 * such files alone too). Returns 0 or a negative errno. */
int labeler_lookup(Labeler *l, const char *path, mode_t mode, char **ret);

/* Whether the entry 'name' of 'dir_fd' (not following a final symlink), whose path is 'path' as the
 * booted system names it and whose file type is in 'mode', has another label than file_contexts gives
 * it, or none, or one that cannot be read. Returns 1 and *ret_want the label to give (and *ret_have,
 * optional, the one it has, NULL for none); 0 when it has the right one or file_contexts gives none;
 * or a negative errno. */
int labeler_differs(Labeler *l, int dir_fd, const char *name, const char *path, mode_t mode, char **ret_have,
                    char **ret_want);

/* Gives every entry of the directory tree 'tree' (a path inside the root, as the booted system sees it,
 * not through a symlink) the label file_contexts says, where it has another or none: what libsemanage
 * writes is not labelled when the running kernel has no SELinux. *ret_fixed (optional) gets how many
 * changed. Returns 0 or a negative errno. */
int labeler_fix(Labeler *l, int root_fd, const char *tree, unsigned *ret_fixed);
