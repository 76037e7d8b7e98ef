/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading whole files through the root. */
#pragma once

#include <stddef.h>
#include <sys/stat.h>

/* Reads all of 'fd' (at most 'max' bytes) into a NUL-terminated buffer.
 * Returns 0, -EFBIG when larger than 'max', or another negative errno. */
int read_full_fd(int fd, size_t max, char **ret, size_t *ret_size);

/* Opens 'path' under 'root_fd' (see chase(); never blocking on a FIFO) and reads it whole. It must
 * be a regular file: anything else is -EBADFD. *ret_st (optional) gets its stat, *ret_path (optional) the resolved path.
 * Returns 0 or a negative errno. */
int read_full_file_at(int root_fd, const char *path, size_t max, char **ret, size_t *ret_size,
                      struct stat *ret_st, char **ret_path);
