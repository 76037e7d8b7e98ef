/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one directory walk: every loop over a directory's entries goes through it. */

#include <dirent.h>

#include "dir-for-each.h"
#include "macro.h"

int dir_for_each(int fd, dir_entry_func_t f, void *userdata) {
        DIR *d = fdopendir(fd);
        int r = 0;

        assert(f);

        if (!d) {
                r = negative_errno();
                close(fd);
                return r;
        }
        for (struct dirent *de; r == 0 && (errno = 0, de = readdir(d));)
                if (!streq(de->d_name, ".") && !streq(de->d_name, ".."))
                        r = f(dirfd(d), de->d_name, userdata);
        if (r == 0 && errno > 0)
                r = negative_errno();
        closedir(d);
        return r;
}
