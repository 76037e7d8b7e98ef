/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The options every verb takes (--help, --version, --no-pager, --json=MODE), and --root=DIR. */

#include <sys/stat.h>

#include "log.h"
#include "verbs.h"

int verb_option_common(int c, const char *arg, const char *help, JsonFormat *json) {
        int f;

        assert(help);

        switch (c) {
        case 'h':
                fputs(help, stdout);
                return 0;
        case 'V':
                printf("seprov %s\n", SEPROV_VERSION);
                return 0;
        case ARG_NO_PAGER: /* seprov never pages; accepted as every systemd tool accepts it */
                return 1;
        case ARG_JSON:
                if (!json)
                        break;
                f = arg ? json_format_from_string(arg) : JSON_FORMAT_PRETTY;
                if (f < 0) {
                        log_error("Unknown --json=%s: use pretty, short or off.", arg);
                        return -EINVAL;
                }
                *json = f;
                return 1;
        default:
                break;
        }
        return -EINVAL; /* getopt_long() said what is wrong */
}

int verb_args_check_root(const char *root) {
        struct stat st;

        if (!root)
                return 0;
        if (isempty(root)) {
                log_error("--root= needs a directory.");
                return -EINVAL;
        }
        if (stat(root, &st) < 0) {
                log_error_errno(errno, "--root=%s: %m.", root);
                return -EINVAL;
        }
        if (!S_ISDIR(st.st_mode)) {
                log_error("--root=%s: not a directory.", root);
                return -EINVAL;
        }
        return 0;
}

int verb_args_parse_root_json(int argc, char *argv[], const char *help, const char **ret_root, JsonFormat *ret_json) {
        enum { ARG_ROOT = 0x100 };
        static const struct option options[] = {
                VERB_OPTIONS_COMMON,
                VERB_OPTION_JSON,
                { "root", required_argument, NULL, ARG_ROOT },
                {},
        };
        int c, r;

        assert(help);
        assert(ret_root);
        assert(ret_json);

        while ((c = getopt_long(argc, argv, VERB_SHORT_OPTIONS, options, NULL)) >= 0)
                if (c == ARG_ROOT)
                        *ret_root = optarg;
                else if ((r = verb_option_common(c, optarg, help, ret_json)) <= 0)
                        return r;
        if (optind < argc) {
                log_error("%s takes no arguments.", argv[0]);
                return -EINVAL;
        }
        return verb_args_check_root(*ret_root) < 0 ? -EINVAL : 1;
}
