/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov validate FILE...: the verdict apply would reach on these files, before deployment. */

#include <sys/stat.h>

#include "chase.h"
#include "fileio.h"
#include "config-load.h"
#include "layout.h"
#include "log.h"
#include "preflight.h"
#include "verbs.h"

/* Whether a "did you mean" for the seprov key was said since the 'from'-th problem. */
static bool suggested_key(const Diags *diags, size_t from) {
        for (size_t i = from; i < diags->n; i++)
                if (strstr(diags->items[i].message, "did you mean \"seprov\""))
                        return true;
        return false;
}

/* The system --root=DIR names, to check the files against its policy. */
typedef struct ValidateRoot {
        const char *path;
        int fd;
        Layout layout;
} ValidateRoot;

static void validate_root_done(ValidateRoot *v) {
        closep(&v->fd);
        layout_done(&v->layout);
}

static int validate_root_open(ValidateRoot *v) {
        int r;

        v->fd = chase_root_open(v->path);
        if (v->fd < 0)
                return log_error_errno(v->fd, "Failed to open root directory %s: %m", v->path);
        r = layout_discover(v->fd, &v->layout);
        if (r < 0)
                return log_error_errno(r, "Failed to look at the SELinux layout of %s: %m", v->path);
        /* Else the checks would run against a guessed policy type of nothing. */
        if (!layout_has_selinux(&v->layout)) {
                log_error("--root=%s has no SELinux: no %s, no %s, no compiled policy in /usr; nothing to check the "
                          "files against.",
                          v->path, v->layout.config_file.path, v->layout.policy.path);
                return -ENOENT;
        }
        return 0;
}

/* What apply's preflight would refuse on that system. Returns 0, -EINVAL (problems in 'diags' or
 * logged), or -ENOMEM. */
static int validate_against_root(ValidateRoot *v, const char *path, const Config *c, Diags *diags) {
        _cleanup_free_ char *why = NULL;
        size_t errors = diags->n_errors;
        int r;

        r = preflight_policy(v->fd, &v->layout, c, /* known= */ NULL, /* booleans= */ true, diags, &why);
        if (r >= 0)
                r = preflight_policy_workload(v->fd, &v->layout, c, diags, &why);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0) {
                log_error("%s: cannot check it against the policy of %s: %s", path, v->path, strna(why));
                return -EINVAL;
        }
        return diags->n_errors > errors ? -EINVAL : 0;
}

/* What apply skips, said as a note: a mask (an empty file, a link to /dev/null: systemd's rules, which
 * hide the drop-ins of the same name in lower directories), or a file of a drop-in directory whose
 * suffix apply does not read (a README). Returns 1 when said, 0 to validate the file, or -ENOMEM. */
static int validate_skipped(const char *path, Diags *diags) {
        _cleanup_free_ char *target = NULL, *dir = NULL;
        const char *base = strrchr(path, '/');
        struct stat st;

        if (streq(path, "-"))
                return 0;
        if (lstat(path, &st) >= 0 && S_ISLNK(st.st_mode) && readlinkat_malloc(AT_FDCWD, path, &target) >= 0 &&
            streq(target, "/dev/null"))
                return diag_note(diags, path, 0, 0,
                                 "a symlink to /dev/null: a mask, apply reads nothing from it and skips the drop-ins "
                                 "of the same name in lower directories")
                               ?: 1;
        if (stat(path, &st) >= 0 && S_ISREG(st.st_mode) && st.st_size == 0)
                return diag_note(diags, path, 0, 0,
                                 "an empty file: a mask, apply reads nothing from it and skips the drop-ins of the "
                                 "same name in lower directories")
                               ?: 1;
        dir = base ? strndup(path, base - path) : strdup(".");
        if (!dir)
                return -ENOMEM;
        if (!endswith(dir, "config.d") || endswith(path, ".json") || endswith(path, ".yaml") || endswith(path, ".yml"))
                return 0;
        return diag_note(diags, path, 0, 0,
                         "not a .json, .yaml or .yml file: apply skips it in a drop-in directory, as systemd skips "
                         "other suffixes")
                       ?: 1;
}

static int validate_one(const char *path, ValidateRoot *root, Diags *diags) {
        _cleanup_(config_done) Config c = {};
        ConfigFormat format = _CONFIG_FORMAT_INVALID;
        size_t n = diags->n, errors = diags->n_errors;
        bool empty;
        int r;

        r = validate_skipped(path, diags);
        if (r != 0)
                return r < 0 ? log_oom() : 0;
        r = config_load_file(path, &c, &format, diags);
        if (r == -ENOMEM)
                return log_oom();
        if (r == -EINVAL) {
                /* Every problem in one pass: what the policy would refuse of the valid entries too. */
                if (preflight_store_changes(/* l= */ NULL, &c, diags) < 0)
                        return log_oom();
                if (root && validate_against_root(root, path, &c, diags) == -ENOMEM)
                        return -ENOMEM;
                return r;
        }
        if (r >= 0) {
                empty = config_is_empty(&c) && !suggested_key(diags, n);
                /* Valid, but probably not what was meant. */
                if (empty && (format == CONFIG_FORMAT_IGNITION || format == CONFIG_FORMAT_CLOUD_CONFIG) &&
                    diag_warning(diags, streq(path, "-") ? CONFIG_STDIN_SHOWN : path, /* line= */ 0,
                                 /* column= */ 0, "no seprov settings in this %s",
                                 config_format_to_string(format)) < 0)
                        return log_oom();
                /* Within the file: another file may set the store, so the root's store is not looked at. */
                if (preflight_store_changes(/* l= */ NULL, &c, diags) < 0)
                        return log_oom();
                r = root ? validate_against_root(root, path, &c, diags) : 0;
                return r == 0 && diags->n_errors > errors ? -EINVAL : r;
        }
        /* Could not even be read. */
        return diag_error(diags, path, /* line= */ 0, /* column= */ 0, "cannot read: %s", strerror(-r)) < 0 ? log_oom()
                                                                                                            : -EINVAL;
}

static const char help_text[] =
        "seprov validate [OPTIONS...] FILE...\n\n"
        "Checks each FILE as apply would read it: a seprov config (JSON or YAML), an Ignition config\n"
        "carrying a \"seprov\" key, or a cloud-config carrying a \"seprov:\" key; '-' reads standard\n"
        "input. Prints every problem on standard error as FILE:LINE:COL: message.\n\n"
        "     --root=DIR        also check the booleans and module sources named against the\n"
        "                       system under DIR, as apply's preflight does\n"
        "     --no-pager        accepted; seprov never pages\n"
        "  -h --help            this text\n"
        "  -V --version         the version\n\n"
        "Exit status: 0 valid, 1 invalid, 64 bad usage. See seprov(8).\n";

int verb_validate(int argc, char *argv[]) {
        enum { ARG_ROOT = 0x100 };
        static const struct option options[] = {
                VERB_OPTIONS_COMMON,
                { "root", required_argument, NULL, ARG_ROOT },
                {},
        };
        _cleanup_(validate_root_done) ValidateRoot root = { .fd = -EBADF };
        Diags diags = {};
        bool invalid = false;
        int c, r;

        while ((c = getopt_long(argc, argv, VERB_SHORT_OPTIONS, options, NULL)) >= 0)
                if (c == ARG_ROOT)
                        root.path = optarg;
                else if ((r = verb_option_common(c, optarg, help_text, /* json= */ NULL)) <= 0)
                        return r < 0 ? EXIT_USAGE : EXIT_DONE;
        if (optind >= argc) {
                log_error("seprov validate needs at least one FILE ('-': standard input).");
                return EXIT_USAGE;
        }
        /* Standard input can be read once. */
        for (int i = optind, n = 0; i < argc; i++)
                if (streq(argv[i], "-") && ++n > 1) {
                        log_error("seprov validate reads standard input once: '-' is given more than once.");
                        return EXIT_USAGE;
                }
        if (verb_args_check_root(root.path) < 0)
                return EXIT_USAGE;
        if (root.path && (r = validate_root_open(&root)) < 0)
                return r == -ENOENT ? EXIT_USAGE : EXIT_FAILED;

        for (int i = optind; i < argc; i++) {
                r = validate_one(argv[i], root.path ? &root : NULL, &diags);
                if (r == -ENOMEM) {
                        diags_clear(&diags);
                        return EXIT_FAILED;
                }
                invalid = invalid || r < 0;
        }
        diags_print(&diags, stderr);
        diags_clear(&diags);
        return invalid ? EXIT_REFUSED : EXIT_DONE;
}
