/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Module sources: checked (inside the root, root's, not writable by others) and read. */

#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "fileio.h"
#include "policy-internal.h"

#define MODULE_MAX (64 * 1024 * 1024)

void module_source_done(ModuleSource *s) {
        assert(s);

        free(s->data);
        free(s->digest);
        *s = (ModuleSource){};
}

static const char *module_lang(const char *path) {
        return endswith(path, ".cil") ? "cil" : endswith(path, ".pp") ? "pp" : NULL;
}

/* Why a file with this stat must not become policy, or NULL when it may. */
static const char *module_refusal(const struct stat *st) {
        if (!S_ISREG(st->st_mode))
                return "not a regular file";
        if (st->st_uid != 0)
                return "not owned by root";
        if (st->st_mode & (S_IWGRP | S_IWOTH))
                return "writable by group or others";
        return NULL;
}

int module_source_read(int root_fd, const char *path, ModuleSource *ret, const char **ret_reason) {
        _cleanup_(module_source_done) ModuleSource s = {};
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        assert(path);
        assert(ret);
        assert(ret_reason);

        *ret_reason = NULL;
        s.lang = module_lang(path);
        if (path[0] != '/' || !s.lang) {
                *ret_reason = "not an absolute path to a .cil or .pp file";
                return -EPERM;
        }
        /* Symlinks are followed inside the root only; the file itself must pass the checks. */
        fd = chase_and_open(root_fd, path, /* flags= */ 0, O_RDONLY | O_NOCTTY | O_NONBLOCK, /* mode= */ 0,
                            /* ret_path= */ NULL);
        if (fd < 0) {
                *ret_reason = fd == -ENOENT ? "no such file in the root" : "cannot be opened";
                return fd == -ENOENT ? -EPERM : fd;
        }
        if (fstat(fd, &st) < 0)
                return negative_errno();
        *ret_reason = module_refusal(&st);
        if (*ret_reason)
                return -EPERM;
        r = read_full_fd(fd, MODULE_MAX, &s.data, &s.size);
        if (r < 0)
                return r;
        s.digest = manifest_digest(s.data, s.size);
        if (!s.digest)
                return -ENOMEM;
        *ret = s;
        s = (ModuleSource){};
        return 0;
}
