/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* rm -rf below a directory fd, never following a symlink out of the tree; of one tree, or of every
 * entry of a directory whose name has a prefix (what seprov leaves behind when it is killed). */

#include <fcntl.h>

#include "dir-for-each.h"
#include "macro.h"
#include "rm-rf.h"
#include "strutil.h"

static int rm_rf_entry(int dir_fd, const char *name, void *userdata) {
        return rm_rf_at(dir_fd, name);
}

int rm_rf_at(int dir_fd, const char *name) {
        int fd, r;

        assert(name);

        if (unlinkat(dir_fd, name, 0) >= 0)
                return 0;
        if (errno != EISDIR && errno != EPERM)
                return negative_errno();
        fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = dir_for_each(fd, rm_rf_entry, /* userdata= */ NULL);
        if (r < 0)
                return r;
        return unlinkat(dir_fd, name, AT_REMOVEDIR) < 0 ? negative_errno() : 0;
}

typedef struct Prefixed {
        const char *prefix;
        bool dry_run;
        int n;
} Prefixed;

static int rm_rf_prefixed_entry(int dir_fd, const char *name, void *userdata) {
        Prefixed *p = userdata;

        if (!startswith(name, p->prefix))
                return 0;
        p->n++;
        return p->dry_run ? 0 : rm_rf_at(dir_fd, name);
}

int rm_rf_prefixed_at(int dir_fd, const char *prefix, bool dry_run) {
        Prefixed p = { .prefix = prefix, .dry_run = dry_run };
        int fd, r;

        assert(prefix);

        fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        r = dir_for_each(fd, rm_rf_prefixed_entry, &p);
        return r < 0 ? r : p.n;
}
