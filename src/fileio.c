/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Reading whole files through the root. */

#include "chase.h"
#include "fileio.h"
#include "macro.h"

int read_full_fd(int fd, size_t max, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0, alloc = 0;

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

int read_full_file_at(int root_fd, const char *path, size_t max, char **ret, size_t *ret_size,
                      struct stat *ret_st, char **ret_path) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *resolved = NULL;
        struct stat st;
        int r;

        fd = chase_and_open(root_fd, path, 0, O_RDONLY | O_NOCTTY | O_NONBLOCK, 0, ret_path ? &resolved : NULL);
        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EBADFD;
        if ((size_t) st.st_size > max)
                return -EFBIG;
        r = read_full_fd(fd, max, ret, ret_size);
        if (r < 0)
                return r;
        if (ret_st)
                *ret_st = st;
        if (ret_path)
                *ret_path = TAKE_PTR(resolved);
        return 0;
}
