/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* File labels from the target policy's file_contexts through libselinux's selabel. The host needs no
 * SELinux kernel: the contexts are only looked up here, and written as xattrs by the callers. */

#include <selinux/label.h>
#include <selinux/selinux.h>

#include "chase.h"
#include "label.h"
#include "log.h"
#include "strutil.h"

struct Labeler {
        struct selabel_handle *handle;
};

Labeler *labeler_free(Labeler *l) {
        if (!l)
                return NULL;
        if (l->handle)
                selabel_close(l->handle);
        return mfree(l);
}

int labeler_open(const char *root, int root_fd, const char *type, Labeler **ret) {
        _cleanup_free_ char *path = NULL, *resolved = NULL, *host = NULL;
        _cleanup_labeler_free_ Labeler *l = NULL;
        struct stat st;
        int r;

        path = strjoin("/etc/selinux/", type, "/contexts/files/file_contexts");
        if (!path)
                return -ENOMEM;
        /* Resolved inside the root, so the path handed to libselinux has no link left to follow. */
        r = chase_and_stat(root_fd, path, 0, &st, &resolved);
        if (r < 0)
                return r;
        host = strjoin(streq(root, "/") ? "" : root, resolved);
        l = calloc(1, sizeof(Labeler));
        if (!host || !l)
                return -ENOMEM;

        struct selinux_opt opts[] = {
                { SELABEL_OPT_PATH, host },
                { SELABEL_OPT_VALIDATE, NULL }, /* validating needs a loaded policy; the host has none */
        };
        l->handle = selabel_open(SELABEL_CTX_FILE, opts, ELEMENTSOF(opts));
        if (!l->handle)
                return negative_errno();
        *ret = TAKE_PTR(l);
        return 0;
}

int labeler_lookup(Labeler *l, const char *path, mode_t mode, char **ret) {
        char *con = NULL;

        if (selabel_lookup_raw(l->handle, &con, path, (int) (mode & S_IFMT)) < 0)
                return negative_errno();
        if (streq(con, "<<none>>")) {
                freecon(con);
                return -ENOENT;
        }
        /* freecon() is free(); hand it out as ours. */
        *ret = con;
        return 0;
}
