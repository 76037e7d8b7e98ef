/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A test driver for the store and policy actions on a fixture root: loads the root's config the way
 * seprov apply does, runs the actions, prints the report (one "action outcome message" line each).
 *   store-apply --root=DIR [--stage=initrd|system] [--dry-run] apply|status
 *   store-apply normalize POLICY   the policy file read by libsepol and written again, to stdout: two
 *                                  files with the same rules in another order give the same bytes */

#include <fcntl.h>
#include <getopt.h>

#include "apply.h"
#include "config-load.h"
#include "context.h"
#include "fileio.h"
#include "kpolicy.h"
#include "log.h"
#include "policy.h"
#include "store.h"
#include "strutil.h"

static void print_list(const char *name, char **l) {
        printf("%s:", name);
        STRV_FOREACH (p, l)
                printf(" [%s]", *p);
        printf("\n");
}

static int run_status(Context *ctx) {
        _cleanup_(store_state_done) StoreState s = {};
        _cleanup_(layout_done) Layout l = {};
        int r;

        r = layout_discover(ctx->root_fd, &l);
        if (r >= 0)
                r = store_state_read(ctx->root_fd, &l, &s);
        if (r < 0)
                return 2;
        printf("state: %s\nstore: %s\ncopied-from: %s\npolicy-copied-from: %s\npolicy-stale: %s\n"
               "rebuild-pending: %s\ndontaudit: %s\nleftovers: %d\n",
               store_kind_to_string(s.kind), s.store, strna(s.copied_from), strna(s.policy_copied_from),
               yes_no(s.policy_stale), yes_no(s.rebuild_pending), s.dontaudit_disabled ? "disabled" : "enabled",
               s.leftovers);
        print_list("local-changes", s.local_changes);
        print_list("booleans", s.booleans);
        print_list("modules", s.modules);
        return 0;
}

static int run_apply(Context *ctx, bool dry_run) {
        _cleanup_(config_sources_done) ConfigSources sources = {};
        Apply a = { .ctx = ctx, .dry_run = dry_run };
        Config c;
        int r, failed = 0;

        r = context_load_config(ctx, &c, &sources);
        if (r < 0)
                return 1;
        a.config = &c;
        report_init(&a.report);
        r = layout_discover(ctx->root_fd, &a.layout);
        if (r >= 0) {
                failed |= action_store(&a) < 0;
                failed |= action_policy(&a) < 0;
        }
        for (size_t i = 0; i < a.report.n_actions; i++)
                printf("%s %s %s\n", a.report.actions[i].action, outcome_to_string(a.report.actions[i].outcome),
                       a.report.actions[i].message);
        /* What the relabel is to look at after this apply. */
        STRV_FOREACH (f, a.fcontexts_changed)
                printf("relabel-regex %s\n", *f);
        strv_free(a.fcontexts_changed);
        strv_free(a.relabel_regexes);
        strv_free(a.relabel_equivalences);
        report_done(&a.report);
        layout_done(&a.layout);
        config_done(&c);
        return r < 0 || failed ? 2 : 0;
}

/* A read puts the rules in its own order (the table sized by the rule count, each file system's
 * genfscon entries longest first), whatever order the file had: the bytes written after it compare
 * two policies rule for rule. */
static int run_normalize(const char *path) {
        _cleanup_kpolicy_free_ KPolicy *p = NULL;
        _cleanup_free_ char *why = NULL, *file = NULL;
        _cleanup_free_ void *image = NULL;
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        size_t n = 0;

        int r = fd < 0 ? -errno : read_full_fd(fd, 256 * 1024 * 1024, &file, &n);

        if (r < 0) {
                log_error_errno(r, "Cannot read %s: %m", path);
                return 2;
        }
        if (kpolicy_read_mem(file, n, &p, &why) < 0 || kpolicy_image(p, &image, &n, &why) < 0) {
                log_error("Cannot read %s: %s", path, strna(why));
                return 2;
        }
        return fwrite(image, 1, n, stdout) == n && fflush(stdout) == 0 ? 0 : 2;
}

int main(int argc, char *argv[]) {
        static const struct option options[] = {
                { "root", required_argument, NULL, 'r' },
                { "stage", required_argument, NULL, 's' },
                { "dry-run", no_argument, NULL, 'n' },
                {},
        };
        _cleanup_(context_done) Context ctx = { .root_fd = -EBADF, .run_fd = -EBADF };
        const char *root = NULL;
        Stage stage = _STAGE_INVALID;
        bool dry_run = false;
        int c;

        log_set_ident("store-apply");
        log_parse_environment();
        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case 'r':
                        root = optarg;
                        break;
                case 's':
                        stage = stage_from_string(optarg);
                        break;
                case 'n':
                        dry_run = true;
                        break;
                default:
                        return 64;
                }
        if (optind + 2 == argc && streq(argv[optind], "normalize"))
                return run_normalize(argv[optind + 1]);
        if (optind + 1 != argc || context_open(&ctx, root, stage) < 0)
                return 64;
        if (streq(argv[optind], "status"))
                return run_status(&ctx);
        if (streq(argv[optind], "apply"))
                return run_apply(&ctx, dry_run);
        return 64;
}
