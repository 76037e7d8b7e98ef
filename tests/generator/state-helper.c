/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Writes the boot state files into a test root with seprov's own writers, as apply would:
 *   SEPROV_ROOT=DIR SYSTEMD_PROC_CMDLINE=LINE generator-state applied [WORK...]
 *   SEPROV_ROOT=DIR generator-state initrd done|refused|failed [WORK...]
 * 'applied' records the fingerprint of the root as it is now, with the command line parsed as the
 * system stage parses it. */

#include "boot-state.h"
#include "chase.h"
#include "log.h"
#include "strutil.h"

static int parse_work(char **words, unsigned *ret) {
        unsigned work = 0;

        STRV_FOREACH(w, words) {
                unsigned bit = 1;

                while (boot_work_to_string(bit) && !streq(boot_work_to_string(bit), *w))
                        bit <<= 1;
                if (!boot_work_to_string(bit))
                        return log_error_errno(EINVAL, "Unknown work \"%s\".", *w);
                work |= bit;
        }
        *ret = work;
        return 0;
}

static int record_applied(int root_fd, int run_fd, char **words) {
        _cleanup_(kernel_args_done) KernelArgs args;
        _cleanup_free_ char *line = NULL;
        Diags diags = {};
        unsigned every;
        int r;

        kernel_args_init(&args);
        if (parse_work(words, &every) < 0)
                return -EINVAL;
        r = cmdline_read(&line, NULL);
        if (r >= 0)
                r = kernel_args_parse(&args, line, "cmdline", false, &diags);
        diags_clear(&diags);
        if (r >= 0)
                r = boot_applied_record(root_fd, run_fd, &args, every, /* sources= */ NULL, NULL);
        return r < 0 ? log_error_errno(r, "Failed to record the fingerprint: %m") : 0;
}

static int record_initrd(int run_fd, char **words) {
        BootInitrdState s = { .result = words[0] ? boot_result_from_string(words[0]) : -EINVAL };
        int r;

        if (s.result < 0)
                return log_error_errno(EINVAL, "Need a result: done, refused or failed.");
        if (parse_work(words + 1, &s.left) < 0)
                return -EINVAL;
        r = boot_initrd_state_write(run_fd, &s, NULL);
        return r < 0 ? log_error_errno(r, "Failed to write the initrd state: %m") : 0;
}

int main(int argc, char *argv[]) {
        const char *root = getenv("SEPROV_ROOT");
        _cleanup_close_ int root_fd = -EBADF, run_fd = -EBADF;
        int r;

        log_set_target(LOG_TARGET_CONSOLE);
        if (!root || argc < 2) {
                log_error("Usage: SEPROV_ROOT=DIR generator-state applied|initrd ...");
                return 64;
        }
        root_fd = chase_root_open(root);
        if (root_fd < 0) {
                log_error_errno(root_fd, "Failed to open %s: %m", root);
                return 1;
        }
        run_fd = chase_and_open(root_fd, "/run", 0, O_PATH | O_DIRECTORY, 0, NULL);
        if (streq(argv[1], "applied"))
                r = record_applied(root_fd, run_fd, argv + 2);
        else if (streq(argv[1], "initrd") && run_fd >= 0)
                r = record_initrd(run_fd, argv + 2);
        else
                r = log_error_errno(EINVAL, "Unknown command \"%s\", or no /run in the root.", argv[1]);
        return r < 0 ? 1 : 0;
}
