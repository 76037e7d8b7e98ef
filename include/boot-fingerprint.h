/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A cheap fingerprint of what seprov apply depends on and what it changes, shared by apply (which
 * records it) and the generator (which compares it), so the two cannot disagree. */
#pragma once

#include <stdint.h>

#include "cmdline.h"

/* Hashes directory entries and file metadata, never parsing anything: the seprov.* words of 'args';
 * the entries of the three config.d directories, /run/ignition.json, the cloud-config files and the
 * seprov.config= file; /etc/selinux, /var/lib/selinux and /etc/audit/rules.d; the entries of the
 * image's /usr/lib/selinux and the content of its os-release. Files under the runtime directory
 * ('run_fd', may be negative) count by content, since a tmpfs has new inodes every boot; the others
 * by inode, size and mtime. Hidden files (editors' and seprov's own temporary files) do not count.
 * 'sources' (optional) are the module source files of the config, inside the root, each counted by
 * inode, size and mtime like the others: apply reads them, and an edited .cil must be noticed.
 * Returns 0, or a negative errno when something that exists cannot be read: -ENOTDIR for a watched
 * directory that is not one, -ELOOP, -EACCES, ...; then *ret_failed (optional) names the watched
 * path that could not be read (static, args->config, or one of 'sources'). */
int boot_fingerprint(int root_fd, int run_fd, const KernelArgs *args, char *const *sources, uint64_t *ret,
                     const char **ret_failed);
