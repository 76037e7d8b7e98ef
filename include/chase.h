/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Path resolution under a root directory fd: symlinks are followed inside the root, never out of it. */
#pragma once

#include <fcntl.h>
#include <sys/types.h>

typedef enum ChaseFlags {
        CHASE_NOFOLLOW = 1 << 0,   /* do not follow a symlink in the last component */
        CHASE_MISSING_OK = 1 << 1, /* the last component may be missing (its parent must exist) */
} ChaseFlags;

/* Resolves the absolute or root-relative 'path' under 'root_fd' the way the kernel would after
 * chroot(root): absolute symlinks restart at the root and ".." never climbs above it, so nothing
 * outside the root is ever reached. At most 32 symlinks are followed.
 *
 * On success *ret_dir_fd is an O_PATH fd of the directory holding the last component, *ret_name that
 * component ("." for the root itself) and *ret_path (optional) the resolved path inside the root,
 * starting with "/".
 * Returns: 0 when the last component exists, 1 when it is missing (CHASE_MISSING_OK only), or
 * -ENOENT, -ENOTDIR, -ELOOP, -ENOMEM, or another negative errno from the filesystem. */
int chase(int root_fd, const char *path, ChaseFlags flags, int *ret_dir_fd, char **ret_name, char **ret_path);

/* chase(), then openat() of the result with 'open_flags' (O_NOFOLLOW is added: the last component
 * is already resolved). Returns a new fd or a negative errno. */
int chase_and_open(int root_fd, const char *path, ChaseFlags flags, int open_flags, mode_t mode, char **ret_path);

/* Opens the directory 'path' under 'root_fd' for reading, symlinks followed inside the root (see
 * chase()). Returns a new fd or a negative errno. */
int chase_and_open_dir(int root_fd, const char *path);

/* Opens 'path' under 'root_fd' as chase_and_open(root_fd, path, 0, open_flags, 0, NULL) does, in one
 * openat2(RESOLVE_IN_ROOT) call where the kernel has it (Linux 5.6), else through chase(). For hot
 * paths (the generator); 'open_flags' must not create. Returns a new fd or a negative errno. */
int chase_open(int root_fd, const char *path, int open_flags);

/* Opens 'rel' ("" or NULL: 'fd' itself) below the directory 'fd' with no symlink on the way and no
 * way out of 'fd' (openat2(RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS); before Linux 5.6, openat() with
 * O_NOFOLLOW). For trees that must hold no links, such as a copy's source and target. Returns a
 * new fd or a negative errno. */
int chase_open_beneath(int fd, const char *rel, int open_flags, mode_t mode);

/* chase(), then fstatat() of the result without following. Returns 0 or a negative errno. */
int chase_and_stat(int root_fd, const char *path, ChaseFlags flags, struct stat *ret_st, char **ret_path);

/* "/proc/self/fd/FD/NAME" ("/proc/self/fd/FD" without 'name'): the path that reaches the entry
 * 'name' of the directory 'fd', found by chase() or opened before, without resolving anything but
 * that entry again. A symlink has no fd of its own, so its attributes are reached this way; a
 * library that takes only paths (selabel) reads a file this way. Returns a new string or NULL when
 * out of memory. */
char *chase_proc_fd_path(int fd, const char *name);

/* Opens the directory 'path' names as a root, for every other lookup. Returns an fd or -errno. */
int chase_root_open(const char *path);
