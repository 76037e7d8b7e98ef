/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading whole files through the root, and replacing them atomically. */

#include <limits.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <sys/xattr.h>

#include "chase.h"
#include "dir-for-each.h"
#include "fileio.h"
#include "macro.h"
#include "selinux-xattr.h"
#include "strutil.h"

int read_full_fd(int fd, size_t max, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, alloc = 0;

        assert(ret);

        for (;;) {
                ssize_t n;

                if (alloc - size < 4096) {
                        char *b;
                        alloc = alloc ? alloc * 2 : 8192;
                        b = realloc(buf, alloc + 1);
                        if (!b)
                                return -ENOMEM;
                        buf = b;
                }
                n = read(fd, buf + size, alloc - size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (n == 0)
                        break;
                size += (size_t) n;
                if (size > max)
                        return -EFBIG;
        }
        if (!buf && !(buf = malloc(1)))
                return -ENOMEM;
        buf[size] = '\0';
        *ret = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = size;
        return 0;
}

/* Opens 'path' under 'root_fd' for reading as a whole: a regular file of at most 'max' bytes. Returns
 * the fd, -EBADFD (not a regular file), -EFBIG or another negative errno. */
static int open_whole_file_at(int root_fd, const char *path, size_t max, struct stat *ret_st, char **ret_path) {
        _cleanup_close_ int fd = -EBADF;

        assert(path);
        assert(ret_st);

        fd = chase_and_open(root_fd, path, /* flags= */ 0, O_RDONLY | O_NOCTTY | O_NONBLOCK, /* mode= */ 0, ret_path);
        if (fd < 0)
                return fd;
        if (fstat(fd, ret_st) < 0)
                return negative_errno();
        if (!S_ISREG(ret_st->st_mode))
                return -EBADFD;
        if ((size_t) ret_st->st_size > max)
                return -EFBIG;
        return TAKE_FD(fd);
}

int read_full_file_at(int root_fd, const char *path, size_t max, char **ret, size_t *ret_size, struct stat *ret_st,
                      char **ret_path) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *resolved = NULL;
        struct stat st;
        int r;

        assert(path);
        assert(ret);

        fd = open_whole_file_at(root_fd, path, max, &st, ret_path ? &resolved : NULL);
        if (fd < 0)
                return fd;
        r = read_full_fd(fd, max, ret, ret_size);
        if (r < 0)
                return r;
        if (ret_st)
                *ret_st = st;
        if (ret_path)
                *ret_path = TAKE_PTR(resolved);
        return 0;
}

int map_full_file_at(int root_fd, const char *path, size_t max, void **ret, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        void *p;

        assert(path);
        assert(ret);
        assert(ret_size);

        fd = open_whole_file_at(root_fd, path, max, &st, /* ret_path= */ NULL);
        if (fd < 0)
                return fd;
        /* mmap() refuses a length of 0. */
        p = st.st_size > 0 ? mmap(NULL, (size_t) st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0)
                           : mmap(NULL, 1, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return negative_errno();
        *ret = p;
        *ret_size = (size_t) st.st_size;
        return 0;
}

void *unmap_full_file(void *p, size_t size) {
        if (p)
                (void) munmap(p, MAX(size, (size_t) 1));
        return NULL;
}

int read_lines_at(int dir_fd, const char *path, size_t max, line_func_t f, void *userdata) {
        _cleanup_free_ char *text = NULL;
        char *save = NULL;
        int r;

        assert(path);
        assert(f);

        r = read_full_file_at(dir_fd, path, max, &text, /* ret_size= */ NULL, /* ret_st= */ NULL,
                              /* ret_path= */ NULL);
        if (r < 0)
                return r;
        for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
                r = f(line, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

int readlinkat_malloc(int dir_fd, const char *name, char **ret) {
        assert(name);
        assert(ret);

        for (size_t l = 256; l <= PATH_MAX * 2; l *= 2) {
                _cleanup_free_ char *buf = malloc(l);
                ssize_t n;

                if (!buf)
                        return -ENOMEM;
                n = readlinkat(dir_fd, name, buf, l);
                if (n < 0)
                        return negative_errno();
                if ((size_t) n < l) {
                        buf[n] = '\0';
                        *ret = TAKE_PTR(buf);
                        return 0;
                }
        }
        return -ENAMETOOLONG;
}

uint32_t random_u32(void) {
        static uint32_t counter;
        struct timespec ts;
        uint32_t x;

        if (getrandom(&x, sizeof(x), GRND_NONBLOCK) == sizeof(x))
                return x;
        /* The pool is not ready this early in the boot: the clock, the pid and a counter, which differ
         * from boot to boot as random()'s unseeded sequence does not. */
        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint32_t) ts.tv_nsec ^ ((uint32_t) getpid() << 16) ^ (++counter * 2654435761u);
}

int fsync_directory(int dir_fd) {
        _cleanup_close_ int fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

        if (fd < 0)
                return negative_errno();
        return fsync(fd) < 0 ? negative_errno() : 0;
}

static int write_all(int fd, const void *data, size_t size) {
        const char *p = data;

        while (size > 0) {
                ssize_t n = write(fd, p, size);
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                p += n;
                size -= (size_t) n;
        }
        return 0;
}

#define TMP_MARK ".seprov-"

/* ".<name>.seprov-": the prefix of seprov's temporary files beside 'name'. Hidden, so that readers of
 * drop-in directories skip them; marked, so that only seprov's own leftovers are ever removed. */
static char *tmp_prefix(const char *name) {
        return strjoin(".", name, TMP_MARK);
}

static int remove_leftover(int dir_fd, const char *name, void *userdata) {
        if (startswith(name, userdata))
                (void) unlinkat(dir_fd, name, 0);
        return 0;
}

/* Removes what a crash (a kill between creating and renaming) left of earlier writes of 'name'. */
static int remove_leftovers(int dir_fd, const char *name) {
        _cleanup_free_ char *prefix = tmp_prefix(name);
        int fd;

        if (!prefix)
                return -ENOMEM;
        fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        return dir_for_each(fd, remove_leftover, prefix);
}

/* Creates a new temporary file beside 'name'. Returns the fd, the name in *ret_tmp. */
static int open_tmpfile_beside(int dir_fd, const char *name, char **ret_tmp) {
        _cleanup_free_ char *prefix = tmp_prefix(name);

        if (!prefix)
                return -ENOMEM;
        for (unsigned attempt = 0; attempt < 100; attempt++) {
                _cleanup_free_ char *tmp = NULL;
                int fd;

                if (asprintf(&tmp, "%s%08x", prefix, random_u32()) < 0)
                        return -ENOMEM;
                fd = openat(dir_fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
                if (fd >= 0) {
                        *ret_tmp = TAKE_PTR(tmp);
                        return fd;
                }
                if (errno != EEXIST)
                        return negative_errno();
        }
        return -EEXIST;
}

static int tmpfile_finish(int fd, const void *data, size_t size, const WriteOptions *o) {
        int r = write_all(fd, data, size);

        if (r < 0)
                return r;
        if (fchmod(fd, o->mode) < 0)
                return negative_errno();
        if ((o->uid != (uid_t) -1 || o->gid != (gid_t) -1) && fchown(fd, o->uid, o->gid) < 0)
                return negative_errno();
        r = selinux_xattr_set(fd, /* name= */ NULL, o->label);
        if (r < 0)
                return r;
        if (o->runtime || o->sync_later)
                return 0;
        return fsync(fd) < 0 ? negative_errno() : 0;
}

/* Renames the finished temporary file 'tmp' over 'name' when 'r' (how finishing it went) is not an
 * error, else removes it; then syncs the directory. Returns 0 or a negative errno. */
static int tmp_rename(int dir_fd, const char *tmp, const char *name, int r, const WriteOptions *opts) {
        if (r >= 0 && renameat(dir_fd, tmp, dir_fd, name) < 0)
                r = negative_errno();
        if (r < 0) {
                (void) unlinkat(dir_fd, tmp, 0);
                return r;
        }
        return opts->runtime || opts->sync_later ? 0 : fsync_directory(dir_fd);
}

int write_file_atomic_at(int dir_fd, const char *name, const void *data, size_t size, const WriteOptions *opts) {
        _cleanup_free_ char *tmp = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        assert(name);
        assert(opts);

        r = remove_leftovers(dir_fd, name);
        if (r < 0)
                return r;
        fd = open_tmpfile_beside(dir_fd, name, &tmp);
        if (fd < 0)
                return fd;
        r = tmpfile_finish(fd, data, size, opts);
        return tmp_rename(dir_fd, tmp, name, r, opts);
}

int mkdtemp_at(int dir_fd, const char *prefix, mode_t mode, char **ret_name) {
        assert(prefix);
        assert(ret_name);

        for (unsigned attempt = 0; attempt < 16; attempt++) {
                _cleanup_free_ char *name = NULL;
                uint32_t rnd;
                int fd;

                rnd = random_u32();
                name = strprintf("%s%08x", prefix, rnd);
                if (!name)
                        return -ENOMEM;
                if (mkdirat(dir_fd, name, mode) < 0) {
                        if (errno == EEXIST)
                                continue;
                        return negative_errno();
                }
                fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0) {
                        int r = negative_errno();
                        (void) unlinkat(dir_fd, name, AT_REMOVEDIR);
                        return r;
                }
                *ret_name = TAKE_PTR(name);
                return fd;
        }
        return -EEXIST;
}

/* Owner and label of the link 'name' itself (a link cannot be opened, so the label goes by path). */
static int link_attrs(int dir_fd, const char *name, const WriteOptions *o) {
        int r = selinux_xattr_set(dir_fd, name, o->label);

        if (r < 0)
                return r;
        if ((o->uid != (uid_t) -1 || o->gid != (gid_t) -1) &&
            fchownat(dir_fd, name, o->uid, o->gid, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        return 0;
}

typedef int (*make_func_t)(int dir_fd, const char *tmp, const void *userdata);

/* Makes an entry with make() under a new temporary name beside 'name' (leftovers of earlier
 * attempts removed first), its name in *ret_tmp. Returns 0 or a negative errno. */
static int make_beside(int dir_fd, const char *name, make_func_t make, const void *userdata, char **ret_tmp) {
        _cleanup_free_ char *prefix = tmp_prefix(name);
        int r;

        if (!prefix)
                return -ENOMEM;
        r = remove_leftovers(dir_fd, name);
        if (r < 0)
                return r;
        for (unsigned attempt = 0; attempt < 100; attempt++) {
                _cleanup_free_ char *tmp = NULL;

                if (asprintf(&tmp, "%s%08x", prefix, random_u32()) < 0)
                        return -ENOMEM;
                r = make(dir_fd, tmp, userdata);
                if (r >= 0) {
                        *ret_tmp = TAKE_PTR(tmp);
                        return 0;
                }
                if (r != -EEXIST)
                        return r;
        }
        return -EEXIST;
}

static int make_symlink(int dir_fd, const char *tmp, const void *userdata) {
        return symlinkat(userdata, dir_fd, tmp) < 0 ? negative_errno() : 0;
}

int symlink_atomic_at(int dir_fd, const char *name, const char *target, const WriteOptions *opts) {
        _cleanup_free_ char *tmp = NULL;
        int r;

        assert(name);
        assert(target);
        assert(opts);

        r = make_beside(dir_fd, name, make_symlink, target, &tmp);
        if (r < 0)
                return r;
        r = link_attrs(dir_fd, tmp, opts);
        return tmp_rename(dir_fd, tmp, name, r, opts);
}

typedef struct LinkSource {
        int dir_fd;
        const char *name;
} LinkSource;

static int make_hard_link(int dir_fd, const char *tmp, const void *userdata) {
        const LinkSource *src = userdata;

        return linkat(src->dir_fd, src->name, dir_fd, tmp, /* flags= */ 0) < 0 ? negative_errno() : 0;
}

int link_atomic_at(int old_dir_fd, const char *old_name, int dir_fd, const char *name) {
        _cleanup_free_ char *tmp = NULL;
        int r;

        assert(old_name);
        assert(name);

        r = make_beside(dir_fd, name, make_hard_link, &(const LinkSource){ .dir_fd = old_dir_fd, .name = old_name },
                        &tmp);
        if (r < 0)
                return r;
        return tmp_rename(dir_fd, tmp, name, /* r= */ 0, &(const WriteOptions){});
}
