/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Staging beside a target and swapping it in atomically: a crash leaves the old tree or the new one. */

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>

#include "dir-for-each.h"
#include "fileio.h"
#include "log.h"
#include "rm-rf.h"
#include "store-internal.h"
#include "strutil.h"

int staging_create(int dir_fd, const char *name, char **ret_name) {
        _cleanup_free_ char *prefix = strjoin(STORE_STAGING_PREFIX, name, ".");

        assert(name);

        return prefix ? mkdtemp_at(dir_fd, prefix, 0700, ret_name) : -ENOMEM;
}

void staged_done(Staged *s) {
        assert(s);

        if (s->staged && s->dir_fd >= 0) {
                int r = rm_rf_at(s->dir_fd, s->staged);
                if (r < 0 && r != -ENOENT)
                        log_warning_errno(r, "Failed to remove the staging entry %s, ignoring: %m", s->staged);
        }
        free(s->name);
        free(s->staged);
        closep(&s->dir_fd);
        *s = (Staged){ .dir_fd = -EBADF };
}

/* syncfs() once per filesystem holding a staged entry. */
static int staged_sync(Staged *list, size_t n) {
        for (size_t i = 0; i < n; i++) {
                struct stat st, other;
                bool done = false;

                if (fstat(list[i].dir_fd, &st) < 0)
                        return negative_errno();
                for (size_t j = 0; j < i && !done; j++)
                        done = fstat(list[j].dir_fd, &other) >= 0 && other.st_dev == st.st_dev;
                if (!done && syncfs(list[i].dir_fd) < 0)
                        return negative_errno();
        }
        return 0;
}

int staged_commit(Staged *list, size_t n, size_t *ret_done) {
        int r;

        if (ret_done)
                *ret_done = 0;
        /* Every staged tree is complete on disk before any name points at it. */
        r = staged_sync(list, n);
        if (r < 0)
                return log_error_errno(r, "Failed to sync the staged trees: %m");
        for (size_t i = 0; i < n; i++) {
                Staged *s = &list[i];

                if (renameat2(s->dir_fd, s->staged, s->dir_fd, s->name, RENAME_EXCHANGE) < 0) {
                        /* Nothing to exchange with: a plain rename, which replaces nothing. */
                        if (errno != ENOENT ||
                            renameat2(s->dir_fd, s->staged, s->dir_fd, s->name, RENAME_NOREPLACE) < 0)
                                return log_error_errno(errno, "Cannot put the new %s in place: %m", s->name);
                }
                if (ret_done)
                        (*ret_done)++;
                /* The old entry has the staging name now: removed below, or by the next run's cleanup
                 * after a crash. The exchange is atomic, but durable only once its directory is
                 * synced: what comes later (the mode, on another filesystem maybe) must not outlive
                 * it in a crash. */
                r = fsync_directory(s->dir_fd);
                if (r < 0)
                        return log_error_errno(r, "Failed to sync the directory of the new %s: %m", s->name);
        }
        for (size_t i = 0; i < n; i++)
                staged_done(&list[i]);
        return 0;
}

int staging_cleanup(int dir_fd, bool dry_run) {
        return rm_rf_prefixed_at(dir_fd, STORE_STAGING_PREFIX, dry_run);
}

/* The directories where staging entries live: beside the store root (when it replaces a link),
 * in the store root, and in /etc/selinux. */
int staging_dirs(const Layout *l, char ***ret) {
        _cleanup_strv_free_ char **dirs = NULL;
        const char *slash;
        int r = 0;

        assert(l);
        assert(ret);

        slash = l->store_root.path ? strrchr(l->store_root.path, '/') : NULL;
        if (slash == l->store_root.path)
                r = strv_extend(&dirs, "/");
        else if (slash)
                r = strv_consume(&dirs, strndup(l->store_root.path, slash - l->store_root.path));
        if (r >= 0 && l->store_root.kind == PATH_REAL)
                r = strv_extend(&dirs, l->store_root.path);
        if (r >= 0)
                r = strv_extend(&dirs, "/etc/selinux");
        if (r < 0)
                return r;
        *ret = TAKE_PTR(dirs);
        return 0;
}
