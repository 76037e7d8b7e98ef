/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* semanage.conf, libsemanage's settings for a root's policy store: the ones seprov depends on. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

typedef struct StoreConf {
        char *store_root;        /* store-root, or NULL for libsemanage's default */
        unsigned policy_version; /* policy-version, or 0: the newest libsepol writes */
        mode_t file_mode;        /* file-mode of what libsemanage installs in /etc/selinux (0644) */
        bool direct;             /* module-store = direct (the default) */
        bool optimize_policy;    /* optimize-policy = true */
        bool save_previous;      /* save-previous = true */
        bool verify_kernel;      /* a [verify kernel] program checks every policy.kern */
} StoreConf;

void store_conf_done(StoreConf *c);

/* Parses the text of semanage.conf as libsemanage does: "key = value" lines ('#' starts a comment),
 * and [section] ... [end] blocks, whose settings are not libsemanage's own. Unknown keys are
 * ignored. Returns 0 or -ENOMEM. */
int store_conf_parse(const char *text, size_t len, StoreConf *ret);

/* Reads the root's /etc/selinux/semanage.conf. Returns 0, -ENOENT when the root has none (then
 * libsemanage reads the running system's), or another negative errno. */
int store_conf_read(int root_fd, StoreConf *ret);
