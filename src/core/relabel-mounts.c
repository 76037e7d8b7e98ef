/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filesystems a relabel of a root may enter: its own, and the persistent writable ones mounted
 * below it, found in the mount table with libmount. */

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "chase.h"
#include "dlopen-libs.h"
#include "fileio.h"
#include "log.h"
#include "relabel.h"
#include "strutil.h"

/* Whether the comma-separated 'options' hold the word 'word'. */
static bool options_have(const char *options, const char *word) {
        size_t n = strlen(word);

        for (const char *p = options; p && *p;) {
                const char *e = strchrnul(p, ',');
                if ((size_t) (e - p) == n && strneq(p, word, n))
                        return true;
                p = *e ? e + 1 : e;
        }
        return false;
}

bool relabel_fs_persistent(const char *fstype, const char *target, const char *options) {
        /* Kernel and runtime filesystems: their labels come from the policy's genfscon or fs_use
         * rules, or from whoever mounted them, never from file_contexts on disk. */
        static const char *const volatile_types[] = {
                "autofs", "binfmt_misc", "bpf",      "cgroup",     "cgroup2",    "configfs",  "debugfs",
                "devpts", "devtmpfs",    "efivarfs", "fusectl",    "hugetlbfs",  "mqueue",    "nsfs",
                "proc",   "pstore",      "ramfs",    "rpc_pipefs", "securityfs", "selinuxfs", "sysfs",
                "tmpfs",  "tracefs",     "nfsd",     "iso9660",    "squashfs",   "erofs",
        };

        assert(fstype);
        assert(target);

        for (size_t i = 0; i < ELEMENTSOF(volatile_types); i++)
                if (streq(fstype, volatile_types[i]))
                        return false;
        /* FUSE and network filesystems: another machine's or a daemon's files. */
        if (startswith(fstype, "fuse") ||
            strv_contains(STRV_MAKE("nfs", "nfs4", "cifs", "smb3", "9p", "virtiofs"), fstype))
                return false;
        /* An overlay is a container's root, unless it is the distribution's /etc (Flatcar's). */
        if (streq(fstype, "overlay") && !streq(target, "/etc"))
                return false;
        /* A read-only mount cannot be relabelled, and needs not be: an image's /usr carries its labels. */
        return !options_have(options, "ro");
}

/* The root's path as the mount table names it. */
static char *root_mount_path(int root_fd, const char *root) {
        _cleanup_free_ char *p = chase_proc_fd_path(root_fd, /* name= */ NULL), *link = NULL;

        if (p && readlinkat_malloc(AT_FDCWD, p, &link) >= 0 && link[0] == '/')
                return TAKE_PTR(link);
        return realpath(root, NULL);
}

static int devices_add(dev_t **devs, size_t *n, dev_t d) {
        dev_t *m;

        for (size_t i = 0; i < *n; i++)
                if ((*devs)[i] == d)
                        return 0;
        m = reallocarray(*devs, *n + 1, sizeof(dev_t));
        if (!m)
                return -ENOMEM;
        m[(*n)++] = d;
        *devs = m;
        return 1;
}

/* The inodes in use on the filesystem of 'path' (or of 'fd' without it), 0 when unknown. */
static uint64_t inodes_used(int fd, const char *path) {
        struct statvfs sv;

        if ((path ? statvfs(path, &sv) : fstatvfs(fd, &sv)) < 0 || sv.f_files < sv.f_ffree)
                return 0;
        return sv.f_files - sv.f_ffree;
}

/* Adds the devices of the persistent filesystems mounted below 'top' (the root's path), and the
 * inodes they use to *inodes. */
static int devices_from_mounts(const char *top, dev_t **devs, size_t *n, uint64_t *inodes) {
        _cleanup_(sym_mnt_free_tablep) struct libmnt_table *t = NULL;
        _cleanup_(sym_mnt_free_iterp) struct libmnt_iter *it = NULL;
        struct libmnt_fs *fs;
        int r;

        r = dlopen_libmount();
        if (r < 0)
                return r;
        t = sym_mnt_new_table();
        it = sym_mnt_new_iter(MNT_ITER_FORWARD);
        if (!t || !it)
                return -ENOMEM;
        r = sym_mnt_table_parse_file(t, "/proc/self/mountinfo");
        if (r < 0)
                return r;
        while (sym_mnt_table_next_fs(t, it, &fs) == 0) {
                const char *target = sym_mnt_fs_get_target(fs), *fstype = sym_mnt_fs_get_fstype(fs), *in;

                if (!target || !fstype)
                        continue;
                in = streq(top, "/") ? target : startswith(target, top);
                if (!in || *in != '/' || streq(in, "/")) /* the root's own mount is added by its st_dev */
                        continue;
                if (!relabel_fs_persistent(fstype, in, sym_mnt_fs_get_vfs_options(fs))) {
                        log_debug("Relabel: not entering %s (%s) under the root.", in, fstype);
                        continue;
                }
                r = devices_add(devs, n, sym_mnt_fs_get_devno(fs));
                if (r < 0)
                        return r;
                if (r > 0)
                        *inodes += inodes_used(-EBADF, target);
        }
        return 0;
}

int relabel_devices(int root_fd, const char *root, dev_t **ret, uint64_t *ret_inodes) {
        _cleanup_free_ dev_t *devs = NULL;
        _cleanup_free_ char *top = NULL;
        size_t n = 0;
        uint64_t inodes = 0;
        struct stat st;
        int r;

        assert(root);
        assert(ret);

        if (fstat(root_fd, &st) < 0)
                return log_error_errno(errno, "Cannot look at %s: %m", root);
        r = devices_add(&devs, &n, st.st_dev);
        if (r < 0)
                return log_oom();
        inodes = inodes_used(root_fd, /* path= */ NULL);
        top = root_mount_path(root_fd, root);
        r = top ? devices_from_mounts(top, &devs, &n, &inodes) : -ENOMEM;
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                log_warning_errno(r, "Cannot read the mounts below %s, relabelling its own filesystem only: %m", root);
        *ret = TAKE_PTR(devs);
        if (ret_inodes)
                *ret_inodes = inodes;
        return (int) n;
}
