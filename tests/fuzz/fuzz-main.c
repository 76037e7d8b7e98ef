/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Runs a fuzz target over files, for builds without libFuzzer: the seed corpus becomes a
 * regression test of the normal (sanitized) build. */

#include <dirent.h>
#include <fcntl.h>

#include "fileio.h"
#include "fuzz.h"
#include "macro.h"
#include "strutil.h"

static int run_file(const char *path) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        _cleanup_free_ char *data = NULL;
        size_t size;
        int r;

        if (fd < 0)
                return negative_errno();
        r = read_full_fd(fd, 16 * 1024 * 1024, &data, &size);
        if (r < 0)
                return r;
        LLVMFuzzerTestOneInput((const uint8_t *) data, size);
        return 0;
}

static int run_path(const char *path) {
        DIR *d = opendir(path);
        int r = 0;

        if (!d)
                return errno == ENOTDIR ? run_file(path) : negative_errno();
        for (struct dirent *de; r >= 0 && (de = readdir(d));) {
                _cleanup_free_ char *p = NULL;
                if (de->d_name[0] == '.')
                        continue;
                p = strjoin(path, "/", de->d_name);
                r = p ? run_file(p) : -ENOMEM;
        }
        closedir(d);
        return r;
}

int main(int argc, char *argv[]) {
        for (int i = 1; i < argc; i++) {
                int r = run_path(argv[i]);
                if (r < 0) {
                        fprintf(stderr, "%s: %s\n", argv[i], strerror(-r));
                        return 1;
                }
        }
        return 0;
}
