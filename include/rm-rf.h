/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rm -rf below a directory fd. */
#pragma once

#include <stdbool.h>

/* Removes the tree (or file, or link) 'name' in 'dir_fd' without following symlinks. Returns 0 or -errno. */
int rm_rf_at(int dir_fd, const char *name);

/* Removes (with 'dry_run', only counts) every entry of the directory 'dir_fd' whose name starts with
 * 'prefix', as rm_rf_at() does. Returns how many there were, or a negative errno. */
int rm_rf_prefixed_at(int dir_fd, const char *prefix, bool dry_run);
