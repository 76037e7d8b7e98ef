/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov validate FILE...: the verdict apply would reach on these files, before deployment. */

#include <getopt.h>

#include "config-load.h"
#include "log.h"
#include "verbs.h"

/* Whether a "did you mean" for the seprov key was said since the 'from'-th problem. */
static bool suggested_key(const Diags *diags, size_t from) {
        for (size_t i = from; i < diags->n; i++)
                if (strstr(diags->items[i].message, "did you mean \"seprov\""))
                        return true;
        return false;
}

static int validate_one(const char *path, Diags *diags) {
        _cleanup_(config_done) Config c = {};
        ConfigFormat format = _CONFIG_FORMAT_INVALID;
        size_t n = diags->n;
        bool empty;
        int r;

        r = config_load_file(path, &c, &format, diags);
        if (r == -ENOMEM)
                return log_oom();
        if (r >= 0) {
                empty = config_is_empty(&c) && !suggested_key(diags, n);
                /* Valid, but probably not what was meant. */
                if (empty && (format == CONFIG_FORMAT_IGNITION || format == CONFIG_FORMAT_CLOUD_CONFIG) &&
                    diag_warning(diags, path, /* line= */ 0, /* column= */ 0, "no seprov settings in this %s",
                                 config_format_to_string(format)) < 0)
                        return log_oom();
                return 0;
        }
        if (r != -EINVAL) /* could not even be read */
                return diag_error(diags, path, /* line= */ 0, /* column= */ 0, "cannot read: %s", strerror(-r)) < 0
                               ? log_oom()
                               : -EINVAL;
        return r;
}

int verb_validate(int argc, char *argv[]) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                {},
        };
        Diags diags = {};
        bool invalid = false;
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        printf("seprov validate FILE...\n\n"
                               "Checks seprov configs, Ignition configs and cloud-configs carrying seprov\n"
                               "settings. Prints each problem as FILE:LINE:COL: message.\n"
                               "Exit status: 0 valid, 1 invalid.\n");
                        return EXIT_DONE;
                default:
                        return EXIT_USAGE;
                }
        if (optind >= argc) {
                log_error("seprov validate needs at least one FILE.");
                return EXIT_USAGE;
        }

        for (int i = optind; i < argc; i++) {
                int r = validate_one(argv[i], &diags);
                if (r == -ENOMEM) {
                        diags_clear(&diags);
                        return EXIT_FAILED;
                }
                invalid = invalid || r < 0;
        }
        diags_print(&diags, stdout);
        diags_clear(&diags);
        return invalid ? EXIT_REFUSED : EXIT_DONE;
}
