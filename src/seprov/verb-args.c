/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The options the read-only verbs share: --root=DIR, --json, --help. */

#include <getopt.h>

#include "log.h"
#include "verbs.h"

int verb_args_parse_root_json(int argc, char *argv[], const char *usage, const char *what, const char **ret_root,
                              bool *ret_json) {
        assert(usage);
        assert(what);
        assert(ret_root);
        assert(ret_json);

        enum { ARG_ROOT = 0x100, ARG_JSON };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "root", required_argument, NULL, ARG_ROOT },
                { "json", no_argument, NULL, ARG_JSON },
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        printf("%s\n\n%s\n", usage, what);
                        return 0;
                case ARG_ROOT:
                        *ret_root = optarg;
                        break;
                case ARG_JSON:
                        *ret_json = true;
                        break;
                default:
                        return -EINVAL;
                }
        if (optind < argc) {
                log_error("%s: takes no arguments.", usage);
                return -EINVAL;
        }
        return 1;
}
