/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rm -rf below a directory fd. */
#pragma once

/* Removes the tree (or file, or link) 'name' in 'dir_fd' without following symlinks. Returns 0 or -errno. */
int rm_rf_at(int dir_fd, const char *name);
