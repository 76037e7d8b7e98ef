/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* SELinux file labels from the target policy's file_contexts, as the booted system will see them. */
#pragma once

#include <sys/types.h>

#include "macro.h"

typedef struct Labeler Labeler;

/* Opens the file_contexts of policy 'type' of the root: /etc/selinux/<type>/contexts/files/
 * file_contexts resolved inside the root ('root' is the root's own path, to hand libselinux a host
 * path), with its .subs and .subs_dist equivalences, .local and .homedirs.
 * Returns 0, -ENOENT when the policy has no file_contexts, or another negative errno. */
int labeler_open(const char *root, int root_fd, const char *type, Labeler **ret);
Labeler *labeler_free(Labeler *l);
DEFINE_TRIVIAL_CLEANUP_FUNC(Labeler *, labeler_free);
#define _cleanup_labeler_free_ _cleanup_(labeler_freep)

/* The context 'path' (as the booted system names it, e.g. "/etc/selinux/config") with file type
 * 'mode' gets. Returns 0; -ENOENT when the policy gives it none ("<<none>>"); or another negative
 * errno. */
int labeler_lookup(Labeler *l, const char *path, mode_t mode, char **ret);
