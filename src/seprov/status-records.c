/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where SELinux records go. The kernel sends each audit record to auditd when one is registered;
 * without one it writes the record to its own log, rate-limited ("audit: type=1400 ..."), and
 * multicasts it to listeners such as journald's audit socket (systemd-journald-audit.socket). */

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "fileio.h"
#include "macro.h"
#include "pid1.h"
#include "status-records.h"
#include "strutil.h"

#define AUDITD_UNIT         "auditd.service"
#define JOURNALD_AUDIT_UNIT "systemd-journald-audit.socket"

/* The unit directories a root's unit files are in, administrators' first. */
static const char *const unit_dirs[] = { "/etc/systemd/system", "/usr/lib/systemd/system", "/lib/systemd/system" };

/* Whether a .wants/ or .requires/ directory of 'dir' pulls 'unit' in. Returns 1, 0, or a negative errno. */
static int dir_pulls_in(int root_fd, const char *dir, const char *unit) {
        _cleanup_close_ int fd = chase_and_open_dir(root_fd, dir);
        struct dirent *de;
        DIR *d;
        int r = 0;

        if (fd == -ENOENT || fd == -ENOTDIR)
                return 0;
        if (fd < 0)
                return fd;
        d = fdopendir(fd);
        if (!d)
                return -errno;
        fd = -EBADF; /* the DIR owns it */
        while (r == 0 && (errno = 0, de = readdir(d)))
                if (endswith(de->d_name, ".wants") || endswith(de->d_name, ".requires")) {
                        _cleanup_free_ char *p = strjoin(de->d_name, "/", unit);
                        struct stat st;
                        if (!p) {
                                r = -ENOMEM;
                                break;
                        }
                        r = fstatat(dirfd(d), p, &st, AT_SYMLINK_NOFOLLOW) >= 0;
                }
        closedir(d);
        return r;
}

/* Whether the root's unit files enable 'unit' and do not mask it: 1, 0, or -1 when unreadable. */
static int unit_file_enabled(int root_fd, const char *unit) {
        _cleanup_free_ char *target = NULL;
        _cleanup_close_ int etc_fd = -EBADF;

        etc_fd = chase_and_open_dir(root_fd, unit_dirs[0]);
        if (etc_fd >= 0 && readlinkat_malloc(etc_fd, unit, &target) >= 0 && streq(target, "/dev/null"))
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(unit_dirs); i++) {
                int r = dir_pulls_in(root_fd, unit_dirs[i], unit);
                if (r != 0)
                        return r > 0 ? 1 : -1;
        }
        return 0;
}

static int unit_state(int root_fd, bool offline, const char *unit) {
        int r;

        if (offline)
                return unit_file_enabled(root_fd, unit);
        r = pid1_unit_active(unit);
        return r < 0 ? -1 : r;
}

void records_route_read(int root_fd, bool offline, RecordsRoute *ret) {
        assert(ret);

        *ret = (RecordsRoute){
                .offline = offline,
                .auditd = unit_state(root_fd, offline, AUDITD_UNIT),
                .journald = unit_state(root_fd, offline, JOURNALD_AUDIT_UNIT),
        };
}

const char *records_route_destination(const RecordsRoute *r) {
        assert(r);

        if (r->auditd > 0)
                return "auditd";
        if (r->auditd < 0)
                return NULL;
        if (r->journald > 0)
                return "journald";
        return r->journald == 0 ? "printk" : NULL;
}

int records_route_reliable(const RecordsRoute *r) {
        const char *d = records_route_destination(r);

        return d ? !streq(d, "printk") : -1;
}
