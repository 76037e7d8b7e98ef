/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The security.selinux attribute of a file, read and written through an fd, never by a path from the root. */

#include <sys/xattr.h>

#include "chase.h"
#include "selinux-xattr.h"
#include "strutil.h"

/* Longer than any context a policy writes; a longer one reads as an error. */
#define LABEL_MAX 1024

int selinux_xattr_get(int fd, const char *name, char **ret) {
        _cleanup_free_ char *p = NULL;
        char buf[LABEL_MAX];
        ssize_t n;

        assert(ret);

        if (name) {
                p = chase_proc_fd_path(fd, name);
                if (!p)
                        return -ENOMEM;
                n = lgetxattr(p, XATTR_SELINUX, buf, sizeof(buf) - 1);
        } else
                n = fgetxattr(fd, XATTR_SELINUX, buf, sizeof(buf) - 1);
        if (n < 0 && (errno == ENODATA || errno == ENOTSUP)) {
                *ret = NULL;
                return 0;
        }
        if (n < 0)
                return negative_errno();
        /* The kernel's labels end in a NUL, those written by hand may not. */
        buf[n] = '\0';
        if (buf[0] == '\0') {
                *ret = NULL;
                return 0;
        }
        *ret = strdup(buf);
        return *ret ? 0 : -ENOMEM;
}

int selinux_xattr_set(int fd, const char *name, const char *label) {
        _cleanup_free_ char *p = NULL;

        if (!label)
                return 0;
        if (!name)
                return fsetxattr(fd, XATTR_SELINUX, label, strlen(label) + 1, 0) < 0 ? negative_errno() : 0;
        p = chase_proc_fd_path(fd, name);
        if (!p)
                return -ENOMEM;
        return lsetxattr(p, XATTR_SELINUX, label, strlen(label) + 1, 0) < 0 ? negative_errno() : 0;
}
