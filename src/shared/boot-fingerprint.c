/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The boot fingerprint: FNV-1a over the metadata of a fixed list of paths, a few dozen syscalls. */

#include <dirent.h>
#include <sys/stat.h>

#include "boot-fingerprint.h"
#include "chase.h"
#include "config-paths.h"
#include "dir-for-each.h"
#include "fileio.h"
#include "fnv1a.h"
#include "strutil.h"

/* Bump when what is hashed changes: every system then applies once more and records the new value. */
#define FINGERPRINT_VERSION "seprov-fingerprint-2"

typedef enum WatchFlags {
        WATCH_DIR = 1 << 0,     /* a directory: its entries count */
        WATCH_RUN = 1 << 1,     /* under the runtime directory: regular files count by content */
        WATCH_CONTENT = 1 << 2, /* a small file that counts by content */
        WATCH_FOLLOW = 1 << 3,  /* entries that are symlinks count by what they lead to, as config-load.c reads them */
} WatchFlags;

typedef struct Watch {
        const char *path; /* under the root, or under the runtime directory with WATCH_RUN */
        WatchFlags flags;
        const char *shown; /* as the user knows it, when not 'path' */
} Watch;

/* What apply reads (the sources of config-load.c, in its order), what it changes, and the image it
 * copies from. seprov.config= is added from the command line. */
static const Watch watches[] = {
        { CONFIG_DIR_IMAGE, WATCH_DIR | WATCH_FOLLOW },
        { CONFIG_DIR_ADMIN, WATCH_DIR | WATCH_FOLLOW },
        { CONFIG_DIR_RUNTIME, WATCH_DIR | WATCH_FOLLOW | WATCH_RUN, CONFIG_DIR_RUNTIME_SHOWN },
        { IGNITION_CONFIG, WATCH_RUN, IGNITION_CONFIG_SHOWN },
        { IGNITION_RECORD, 0 },
        { CLOUD_CONFIG_FLATCAR, 0 },
        { CLOUD_CONFIG_CLOUD_INIT, 0 },
        { "/etc/selinux", WATCH_DIR },
        { "/var/lib/selinux", WATCH_DIR },
        { "/etc/audit/rules.d", WATCH_DIR },
        /* The image: an OS update shows in os-release's content whatever the new /usr's inodes and
         * times are; /usr/lib/selinux's entries catch a change of its layout. */
        { "/usr/lib/selinux", WATCH_DIR },
        { "/usr/lib/os-release", WATCH_CONTENT },
};

static uint64_t fnv_str(uint64_t h, const char *s) {
        return fnv1a64(h, s, strlen(s) + 1);
}

static uint64_t fnv_u64(uint64_t h, uint64_t v) {
        return fnv1a64(h, &v, sizeof v);
}

/* splitmix64's finaliser: entry hashes are summed (readdir's order is not stable), so each must be
 * well mixed first. */
static uint64_t mix(uint64_t x) {
        x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
        x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
        return x ^ (x >> 31);
}

static int hash_content(uint64_t *h, int fd) {
        char buf[4096];

        for (;;) {
                ssize_t n = read(fd, buf, sizeof buf);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0)
                        return 0;
                *h = fnv1a64(*h, buf, (size_t) n);
        }
}

/* Regular files under WATCH_RUN|WATCH_CONTENT count by content. */
static bool by_content(const struct stat *st, WatchFlags flags) {
        return S_ISREG(st->st_mode) && (flags & (WATCH_RUN | WATCH_CONTENT));
}

/* How a path is opened: for reading when its content may count, else only to fstat() it. */
static int open_flags(WatchFlags flags) {
        return flags & (WATCH_RUN | WATCH_CONTENT) ? O_RDONLY | O_NONBLOCK | O_NOCTTY : O_PATH;
}

/* What counts of a node besides its content: regular files and directories by identity and times
 * (not under /run, where both are new every boot), anything else by type and device number only,
 * since device nodes are new every boot too. */
static void hash_meta(uint64_t *h, const struct stat *st, WatchFlags flags) {
        *h = fnv_u64(*h, st->st_mode);
        if (!S_ISREG(st->st_mode) && !S_ISDIR(st->st_mode)) {
                *h = fnv_u64(*h, st->st_rdev);
                return;
        }
        if (by_content(st, flags) || (flags & WATCH_RUN))
                return;
        *h = fnv_u64(*h, st->st_ino);
        *h = fnv_u64(*h, (uint64_t) st->st_size);
        *h = fnv_u64(*h, (uint64_t) st->st_mtim.tv_sec);
        *h = fnv_u64(*h, (uint64_t) st->st_mtim.tv_nsec);
}

/* Opens and stats 'path' under 'base_fd', following symlinks inside the root. A missing path is
 * hashed as "missing". Returns the fd, -ENOENT when missing, or another negative errno. */
static int open_stat(uint64_t *h, int base_fd, const char *path, int flags, struct stat *ret_st) {
        _cleanup_close_ int fd = chase_open(base_fd, path, flags);

        if (fd == -ENOENT)
                *h = fnv_str(*h, "missing");
        if (fd < 0)
                return fd;
        if (fstat(fd, ret_st) < 0)
                return negative_errno();
        return TAKE_FD(fd);
}

/* 'path' under 'base_fd', following symlinks inside the root; a missing path counts as missing. */
static int hash_path(uint64_t *h, int base_fd, const char *path, WatchFlags flags) {
        struct stat st;
        _cleanup_close_ int fd = open_stat(h, base_fd, path, open_flags(flags), &st);

        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return fd;
        hash_meta(h, &st, flags);
        return by_content(&st, flags) ? hash_content(h, fd) : 0;
}

/* One directory entry. A symlink in a WATCH_FOLLOW directory counts by its target and by what it
 * leads to inside the root, as the config loader sees it. */
static int hash_entry(uint64_t *h, int base_fd, const Watch *w, int dir_fd, const char *name) {
        _cleanup_free_ char *target = NULL, *path = NULL;
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        *h = fnv_str(*h, name);
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return errno == ENOENT ? 0 : negative_errno(); /* removed while listing */
        if (S_ISLNK(st.st_mode) && (w->flags & WATCH_FOLLOW)) {
                r = readlinkat_malloc(dir_fd, name, &target);
                if (r < 0)
                        return r;
                *h = fnv_str(*h, target);
                path = path_join(w->path, name);
                return path ? hash_path(h, base_fd, path, w->flags) : -ENOMEM;
        }
        hash_meta(h, &st, w->flags);
        if (!by_content(&st, w->flags))
                return 0;
        fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        return fd < 0 ? negative_errno() : hash_content(h, fd);
}

/* The entries of one directory, hashed each on its own and summed. */
typedef struct HashEntries {
        int base_fd;
        const Watch *watch;
        uint64_t sum, n;
} HashEntries;

static int hash_entries_one(int dir_fd, const char *name, void *userdata) {
        HashEntries *he = userdata;
        uint64_t e = FNV1A64_OFFSET;
        int r;

        if (name[0] == '.') /* hidden temporary files */
                return 0;
        r = hash_entry(&e, he->base_fd, he->watch, dir_fd, name);
        he->sum += mix(e);
        he->n++;
        return r;
}

/* Takes 'fd' over. */
static int hash_entries(uint64_t *h, int base_fd, const Watch *w, int fd) {
        HashEntries he = { .base_fd = base_fd, .watch = w };
        int r = dir_for_each(fd, hash_entries_one, &he);

        *h = fnv_u64(fnv_u64(*h, he.n), he.sum);
        return r;
}

static int hash_dir(uint64_t *h, int base_fd, const Watch *w) {
        struct stat st;
        _cleanup_close_ int fd = open_stat(h, base_fd, w->path, O_RDONLY | O_DIRECTORY, &st);

        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return fd;
        /* Which directory it is counts (a symlink into /usr replaced by a real directory is a
         * change); its times do not: they also move when a hidden temporary file comes and goes, and
         * every visible change shows in the entries. */
        *h = fnv_u64(*h, w->flags & WATCH_RUN ? 0 : st.st_ino);
        return hash_entries(h, base_fd, w, TAKE_FD(fd));
}

static uint64_t hash_args(uint64_t h, const KernelArgs *a) {
        const int v[] = { a->seprov, a->mode, a->store, a->audit, a->dontaudit };

        for (size_t i = 0; i < ELEMENTSOF(v); i++)
                h = fnv_u64(h, (uint64_t) (int64_t) v[i]);
        return fnv_str(h, a->config ?: "");
}

int boot_fingerprint(int root_fd, int run_fd, const KernelArgs *args, char *const *sources, uint64_t *ret,
                     const char **ret_failed) {
        uint64_t h;
        int r;

        assert(args);
        assert(ret);

        h = hash_args(fnv_str(FNV1A64_OFFSET, FINGERPRINT_VERSION), args);
        for (size_t i = 0; i < ELEMENTSOF(watches); i++) {
                const Watch *w = &watches[i];
                int base_fd = w->flags & WATCH_RUN ? run_fd : root_fd;

                h = fnv_str(h, w->path);
                if (base_fd < 0) { /* no runtime directory: an offline root */
                        h = fnv_str(h, "missing");
                        continue;
                }
                if (w->flags & WATCH_DIR)
                        r = hash_dir(&h, base_fd, w);
                else
                        r = hash_path(&h, base_fd, w->path, w->flags);
                if (r < 0) {
                        if (ret_failed)
                                *ret_failed = w->shown ?: w->path;
                        return r;
                }
        }
        if (args->config) {
                r = hash_path(&h, root_fd, args->config, WATCH_FOLLOW);
                if (r < 0) {
                        if (ret_failed)
                                *ret_failed = args->config;
                        return r;
                }
        }
        STRV_FOREACH (s, sources) {
                h = fnv_str(h, *s);
                r = hash_path(&h, root_fd, *s, /* flags= */ 0);
                if (r < 0) {
                        if (ret_failed)
                                *ret_failed = *s;
                        return r;
                }
        }
        *ret = h;
        return 0;
}
