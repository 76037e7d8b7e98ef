/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Root-relative path resolution, component by component with O_PATH|O_NOFOLLOW fds, or in one
 * openat2(RESOLVE_IN_ROOT) call where only an fd is wanted. */

#include <assert.h>
#include <limits.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "chase.h"
#include "fileio.h"
#include "strutil.h"

#define CHASE_MAX_LINKS 32

int chase_root_open(const char *path) {
        int fd;

        assert(path);

        fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
        return fd < 0 ? negative_errno() : fd;
}

/* Splits off the first component of *p (skipping slashes); returns its length, 0 at the end. */
static size_t next_component(const char **p) {
        *p += strspn(*p, "/");
        return strcspn(*p, "/");
}

static bool more_components(const char *p) {
        p += strspn(p, "/");
        return *p != '\0';
}

/* Drops the last component of the resolved path (never the leading "/"). */
static void path_pop(char *done) {
        char *slash = strrchr(done, '/');
        if (slash == done)
                done[1] = '\0';
        else if (slash)
                *slash = '\0';
}

static int path_push(char **done, const char *comp, size_t len) {
        size_t l = strlen(*done);
        char *n = realloc(*done, l + 1 + len + 1);
        if (!n)
                return -ENOMEM;
        if (l > 1)
                n[l++] = '/';
        memcpy(n + l, comp, len);
        n[l + len] = '\0';
        *done = n;
        return 0;
}

/* Steps into the directory 'name' of 'at', never through a symlink: one swapped in after it was
 * looked at gives -ENOTDIR (the caller looks again) instead of leading anywhere. */
static int reopen_dir(int *fd, int at, const char *name) {
        int n = openat(at, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (n < 0)
                return negative_errno();
        closep(fd);
        *fd = n;
        return 0;
}

/* Opens the resolved path 'done' (no symlinks in it) again from the root, by names: ".." of a
 * directory a racer moved out of the root would lead out of it. */
static int reopen_done(int root_fd, int *fd, const char *done) {
        _cleanup_close_ int n = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        const char *p = done;
        size_t len;

        if (n < 0)
                return negative_errno();
        while ((len = next_component(&p)) > 0) {
                _cleanup_free_ char *comp = strndup(p, len);
                int r;

                if (!comp)
                        return -ENOMEM;
                r = reopen_dir(&n, n, comp);
                if (r < 0)
                        return r;
                p += len;
        }
        closep(fd);
        *fd = TAKE_FD(n);
        return 0;
}

/* Follows the symlink 'comp' of the directory *fd: an absolute target restarts at the root (*fd
 * and 'done' go back to it), and the work list *todo becomes "target/rest", where 'rest' (*p) is
 * what followed 'comp' in it; *p then points at its start. */
static int follow_link(int root_fd, int *fd, const char *comp, char **todo, const char **p, char *done) {
        _cleanup_free_ char *target = NULL;
        char *n;
        int r;

        r = readlinkat_malloc(*fd, comp, &target);
        if (r < 0)
                return r;
        if (target[0] == '/') {
                r = reopen_dir(fd, root_fd, ".");
                if (r < 0)
                        return r;
                strcpy(done, "/");
        }
        n = path_join(target, *p);
        if (!n)
                return -ENOMEM;
        free(*todo);
        *p = *todo = n;
        return 0;
}

int chase(int root_fd, const char *path, ChaseFlags flags, int *ret_dir_fd, char **ret_name, char **ret_path) {
        _cleanup_free_ char *todo = NULL, *done = NULL, *name = NULL;
        _cleanup_close_ int fd = -EBADF;
        unsigned links = 0;
        const char *p;
        int r, missing = 0;

        assert(path);

        todo = strdup(path);
        done = strdup("/");
        if (!todo || !done)
                return -ENOMEM;
        fd = openat(root_fd, ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();

        p = todo;
        for (;;) {
                _cleanup_free_ char *comp = NULL;
                struct stat st;
                size_t len = next_component(&p);
                bool last;

                if (len == 0)
                        break;
                comp = strndup(p, len);
                if (!comp)
                        return -ENOMEM;
                p += len;
                last = !more_components(p);

                if (streq(comp, "."))
                        continue;
                if (streq(comp, "..")) {
                        /* At the root, ".." stays at the root, as after chroot(). */
                        if (streq(done, "/"))
                                continue;
                        path_pop(done);
                        r = reopen_done(root_fd, &fd, done);
                        if (r < 0)
                                return r;
                        continue;
                }

                if (fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT && last && (flags & CHASE_MISSING_OK)) {
                                name = TAKE_PTR(comp);
                                missing = 1;
                                break;
                        }
                        return negative_errno();
                }

                if (S_ISLNK(st.st_mode) && !(last && (flags & CHASE_NOFOLLOW))) {
                        if (++links > CHASE_MAX_LINKS)
                                return -ELOOP;
                        r = follow_link(root_fd, &fd, comp, &todo, &p, done);
                        if (r < 0)
                                return r;
                        continue;
                }

                if (last) {
                        name = TAKE_PTR(comp);
                        break;
                }
                if (!S_ISDIR(st.st_mode))
                        return -ENOTDIR;
                r = reopen_dir(&fd, fd, comp);
                if (r == -ENOTDIR && ++links <= CHASE_MAX_LINKS) {
                        /* It changed since fstatat(): look at it again. */
                        p -= len;
                        continue;
                }
                if (r < 0)
                        return r;
                r = path_push(&done, comp, len);
                if (r < 0)
                        return r;
        }

        if (!name) {
                /* The path resolved to the current directory itself (e.g. "/"): name it "." in it. */
                name = strdup(".");
                if (!name)
                        return -ENOMEM;
        } else if (ret_path) {
                r = path_push(&done, name, strlen(name));
                if (r < 0)
                        return r;
        }

        if (ret_path)
                *ret_path = TAKE_PTR(done);
        if (ret_name)
                *ret_name = TAKE_PTR(name);
        if (ret_dir_fd)
                *ret_dir_fd = TAKE_FD(fd);
        return missing;
}

int chase_and_open(int root_fd, const char *path, ChaseFlags flags, int open_flags, mode_t mode, char **ret_path) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL;
        int r, fd;

        assert(path);

        r = chase(root_fd, path, flags, &dir_fd, &name, ret_path);
        if (r < 0)
                return r;
        if (r > 0 && !(open_flags & O_CREAT))
                return -ENOENT;
        fd = openat(dir_fd, name, open_flags | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0) {
                r = negative_errno();
                if (ret_path)
                        *ret_path = mfree(*ret_path);
                return r;
        }
        return fd;
}

char *chase_proc_fd_path(int fd, const char *name) {
        return name ? strprintf("/proc/self/fd/%d/%s", fd, name) : strprintf("/proc/self/fd/%d", fd);
}

int chase_and_open_dir(int root_fd, const char *path) {
        assert(path);

        return chase_and_open(root_fd, path, /* flags= */ 0, O_RDONLY | O_DIRECTORY, /* mode= */ 0,
                              /* ret_path= */ NULL);
}

int chase_open(int root_fd, const char *path, int open_flags) {
        static bool no_openat2;
        struct open_how how = {
                .flags = (uint64_t) (open_flags | O_CLOEXEC),
                /* The kernel's chroot-like resolution; magic links (/proc/self/root...) could leave the root. */
                .resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
        };

        assert(path);

        assert(!(open_flags & O_CREAT) && (open_flags & O_TMPFILE) != O_TMPFILE);
        if (!no_openat2) {
                int fd = (int) syscall(SYS_openat2, root_fd, path, &how, sizeof how);
                if (fd >= 0)
                        return fd;
                if (errno == ENOSYS || errno == EPERM) /* an older kernel, or a seccomp filter */
                        no_openat2 = true;
                else if (errno != EAGAIN && errno != EXDEV && errno != ELOOP)
                        return negative_errno();
                /* A rename raced with the lookup (EAGAIN, EXDEV), or a loop or magic link: chase() decides. */
        }
        return chase_and_open(root_fd, path, /* flags= */ 0, open_flags, /* mode= */ 0, /* ret_path= */ NULL);
}

int chase_open_beneath(int fd, const char *rel, int open_flags, mode_t mode) {
        struct open_how how = {
                .flags = (uint64_t) (open_flags | O_CLOEXEC | O_NOFOLLOW),
                .mode = open_flags & O_CREAT ? mode : 0,
                .resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS,
        };
        int r = (int) syscall(SYS_openat2, fd, isempty(rel) ? "." : rel, &how, sizeof(how));

        if (r < 0 && errno == ENOSYS) /* before Linux 5.6 */
                r = openat(fd, isempty(rel) ? "." : rel, open_flags | O_CLOEXEC | O_NOFOLLOW, mode);
        return r < 0 ? negative_errno() : r;
}

int chase_and_stat(int root_fd, const char *path, ChaseFlags flags, struct stat *ret_st, char **ret_path) {
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_free_ char *name = NULL, *resolved = NULL;
        int r;

        assert(path);

        r = chase(root_fd, path, flags, &dir_fd, &name, ret_path ? &resolved : NULL);
        if (r < 0)
                return r;
        if (r > 0)
                return -ENOENT;
        if (fstatat(dir_fd, name, ret_st, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        if (ret_path)
                *ret_path = TAKE_PTR(resolved);
        return 0;
}
