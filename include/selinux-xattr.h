/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The security.selinux attribute of a file, read and written through an fd: the one place that names it. */
#pragma once

#define XATTR_SELINUX "security.selinux"

/* The label of the entry 'name' of the directory 'fd' (not following a final symlink), or of 'fd'
 * itself without 'name', into *ret: NULL when it has none or the filesystem keeps no labels.
 * Returns 0 or a negative errno. */
int selinux_xattr_get(int fd, const char *name, char **ret);

/* Gives the entry 'name' of the directory 'fd' (not following a final symlink), or 'fd' itself
 * without 'name', the label 'label'; nothing when 'label' is NULL. Returns 0 or a negative errno. */
int selinux_xattr_set(int fd, const char *name, const char *label);
