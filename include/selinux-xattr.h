/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The security.selinux attribute of a file, read and written through an fd: the one place that names it. */
#pragma once

#define XATTR_SELINUX "security.selinux"

/* "/proc/self/fd/FD/NAME" ("/proc/self/fd/FD" without 'name'): the path that reaches the entry
 * 'name' of the directory 'fd' without resolving anything again. A symlink has no fd of its own, so
 * its attributes are reached this way. Returns a new string or NULL when out of memory. */
char *proc_fd_path(int fd, const char *name);

/* The label of the entry 'name' of the directory 'fd' (not following a final symlink), or of 'fd'
 * itself without 'name', into *ret: NULL when it has none or the filesystem keeps no labels.
 * Returns 0 or a negative errno. */
int selinux_xattr_get(int fd, const char *name, char **ret);

/* Gives the entry 'name' of the directory 'fd' (not following a final symlink), or 'fd' itself
 * without 'name', the label 'label'; nothing when 'label' is NULL. Returns 0 or a negative errno. */
int selinux_xattr_set(int fd, const char *name, const char *label);
