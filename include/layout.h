/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where a root keeps its SELinux config, compiled policy and policy store, and whether each is the
 * image's (in the read-only /usr) or a real, writable one. Discovered, not assumed (docs/ARCHITECTURE.md, "Layouts").
 */
#pragma once

#include <stdbool.h>

#include "selinux-config.h"

#define SELINUX_CONFIG_PATH "/etc/selinux/config"
#define SEMANAGE_CONF_PATH  "/etc/selinux/semanage.conf"
#define STORE_ROOT_DEFAULT  "/var/lib/selinux"
#define POLICY_TYPE_DEFAULT "targeted" /* libselinux's, when the config names none */

typedef enum PathKind {
        PATH_MISSING,
        PATH_REAL,  /* a real file or directory outside /usr */
        PATH_IMAGE, /* resolves into /usr: the image's, read-only */
        _PATH_KIND_MAX,
} PathKind;

const char *path_kind_to_string(PathKind k);

typedef struct LayoutPath {
        char *path;     /* as named, e.g. "/etc/selinux/default" */
        char *resolved; /* after symlinks, inside the root; NULL when missing */
        bool is_link;   /* the named path itself is a symlink */
        PathKind kind;
} LayoutPath;

typedef struct Layout {
        SelinuxConfig config; /* /etc/selinux/config as libselinux reads it */
        char *type;           /* the policy type: the config's, else libselinux's default */
        LayoutPath config_file;
        LayoutPath policy;     /* /etc/selinux/<type>: the compiled policy and contexts PID 1 loads */
        LayoutPath store_root; /* semanage.conf's store-root, /var/lib/selinux by default */
        LayoutPath store;      /* <store-root>/<type>: libsemanage's store */
        char *image_store;     /* the image's store in /usr, to copy from; NULL when none */
        char *image_policy;    /* the image's compiled policy in /usr; NULL when none */
} Layout;

void layout_done(Layout *l);

/* Looks at the root: reads /etc/selinux/config (following links inside the root), semanage.conf's
 * store-root, and resolves each path. A missing config or store is not an error (the fields say
 * so). Returns 0, or a negative errno when the root cannot be read (e.g. -ELOOP, -ENOTDIR on a
 * path that must be a directory, -EFBIG for a config larger than 1 MiB). */
int layout_discover(int root_fd, Layout *ret);

/* Whether the root has SELinux at all: an /etc/selinux/config, a /etc/selinux/<type>, or a compiled
 * policy in /usr. An empty directory (a wrong --root) has none, and is not summarised as a system. */
bool layout_has_selinux(const Layout *l);

/* Logs at debug level what layout_discover() found under 'root' (a name for messages): the policy
 * type, where the config, compiled policy and store are and whether each is the image's. */
void layout_log_debug(const char *root, const Layout *l);

/* Resolves 'path' under the root into *ret (see LayoutPath). Returns 0 or a negative errno. */
int layout_path_resolve(int root_fd, const char *path, LayoutPath *ret);
void layout_path_done(LayoutPath *p);

/* True when 'resolved' (a path inside the root) is /usr or below it. */
bool layout_path_in_image(const char *resolved);
