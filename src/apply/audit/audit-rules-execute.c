/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writes a plan of the audit rules action: each file atomically, with its mode, owner and label. */

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "audit-files.h"
#include "audit-rules.h"
#include "chase.h"
#include "fileio.h"
#include "layout.h"
#include "selinux-xattr.h"
#include "log.h"

/* A content change: the file at its resolved path, keeping its current label. */
static int write_in_place(int root_fd, const AuditFileChange *c) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL, *label = NULL;
        WriteOptions o = { .mode = c->mode, .uid = c->uid, .gid = c->gid };
        int r;

        r = chase(root_fd, c->path, CHASE_NOFOLLOW, &dir_fd, &name, /* ret_path= */ NULL);
        if (r < 0)
                return log_error_errno(r, "Failed to resolve %s: %m", c->path);
        r = selinux_xattr_get(dir_fd, name, &label);
        if (r < 0)
                return log_error_errno(r, "Failed to read the label of %s: %m", c->path);
        o.label = label;
        r = write_file_atomic_at(dir_fd, name, c->data, c->size, &o);
        if (r < 0)
                return log_error_errno(r, "Failed to write %s: %m", c->path);
        return 0;
}

static int open_rules_dir(int root_fd, int *ret) {
        _cleanup_close_ int parent = -EBADF;
        _cleanup_free_ char *name = NULL, *resolved = NULL;
        int fd, r;

        r = chase(root_fd, AUDIT_RULES_DIR, /* flags= */ 0, &parent, &name, &resolved);
        if (r < 0)
                return log_error_errno(r, "Failed to resolve %s: %m", AUDIT_RULES_DIR);
        if (layout_path_in_image(resolved))
                return log_error_errno(EROFS, "%s resolves to %s, in read-only /usr.", AUDIT_RULES_DIR, resolved);
        fd = openat(parent, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Failed to open %s: %m", AUDIT_RULES_DIR);
        *ret = fd;
        return 0;
}

/* A link becomes a regular file: written beside it and renamed over it. */
static int replace_link(int root_fd, const AuditFileChange *c) {
        _cleanup_close_ int dir_fd = -EBADF;
        WriteOptions o = { .mode = c->mode, .uid = c->uid, .gid = c->gid, .label = c->label };
        int r;

        r = open_rules_dir(root_fd, &dir_fd);
        if (r < 0)
                return r;
        r = write_file_atomic_at(dir_fd, c->name, c->data, c->size, &o);
        if (r < 0)
                return log_error_errno(r, "Failed to replace %s/%s: %m", AUDIT_RULES_DIR, c->name);
        return 0;
}

/* The regular file becomes the link to the image's file again, atomically, with the file's owner and
 * label. */
static int relink(int root_fd, const AuditFileChange *c) {
        _cleanup_close_ int dir_fd = -EBADF;
        WriteOptions o = { .uid = c->uid, .gid = c->gid, .label = c->label };
        int r;

        r = open_rules_dir(root_fd, &dir_fd);
        if (r < 0)
                return r;
        r = symlink_atomic_at(dir_fd, c->name, c->link_target, &o);
        if (r < 0)
                return log_error_errno(r, "Failed to put back the link %s/%s -> %s: %m", AUDIT_RULES_DIR, c->name,
                                       c->link_target);
        return 0;
}

int audit_rules_execute(int root_fd, const AuditPlan *plan) {
        assert(plan);

        for (size_t i = 0; i < plan->n_changes; i++) {
                const AuditFileChange *c = &plan->changes[i];
                int r;

                switch (c->kind) {
                case AUDIT_CHANGE_WRITE:
                        r = write_in_place(root_fd, c);
                        break;
                case AUDIT_CHANGE_REPLACE_LINK:
                        r = replace_link(root_fd, c);
                        break;
                case AUDIT_CHANGE_RELINK:
                        r = relink(root_fd, c);
                        break;
                default:
                        r = -EINVAL;
                }
                if (r < 0)
                        return r;
                log_debug("%s: %s.", c->path, c->why);
        }
        return 0;
}
