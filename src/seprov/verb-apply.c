/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov apply: turn the effective config into the system's SELinux state; report; exit per §5. */

#include <getopt.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "apply-run.h"
#include "boot-state.h"
#include "json-util.h"
#include "initrd-util.h"
#include "pid1.h"
#include "log.h"
#include "messages.h"
#include "status.h"
#include "strutil.h"
#include "verbs.h"

typedef struct ApplyArgs {
        const char *root;
        Stage stage;
        bool dry_run;
        JsonFormat json;
} ApplyArgs;

static const char help_text[] =
        "seprov apply [OPTIONS...]\n\n"
        "Makes the system's SELinux state what the effective config asks, and changes nothing that\n"
        "already matches. Bad input and failed preflight checks refuse the whole apply.\n\n"
        "     --root=DIR              work on the system under DIR\n"
        "     --stage=initrd|system   the boot stage that runs it (default: detected)\n"
        "     --dry-run               print what would change; change nothing\n"
        "     --json[=MODE]           print status.json's entry: pretty (a bare --json), short, off\n"
        "     --no-pager              accepted; seprov never pages\n"
        "  -h --help                  this text\n"
        "  -V --version               the version\n\n"
        "Exit status: 0 done or nothing to do; 1 refused (bad input, preflight), nothing changed;\n"
        "2 failed while applying, the previous state kept (never for --dry-run); 64 bad usage.\n"
        "See seprov(8).\n";

/* Whether 'path' is the running system's own root directory. */
static bool is_live_root(const char *path) {
        struct stat a, b;
        return stat(path, &a) >= 0 && stat("/", &b) >= 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The initrd stage works on the system being booted: its kernel command line is this machine's, its
 * runtime directory the initrd's /run. Asked for an offline root outside an initrd, it would read the
 * host's /proc/cmdline and write the host's /run/seprov: refused, unless SEPROV_RUNTIME_DIR says which
 * runtime directory stands for the initrd's (as the tests and an initrd built by hand do). */
static int stage_check(const ApplyArgs *args) {
        if (args->stage != STAGE_INITRD || !args->root || in_initrd() || getenv("SEPROV_RUNTIME_DIR") ||
            is_live_root(args->root))
                return 0;
        log_error("--stage=initrd works on the system being booted, but this is not an initrd and --root=%s is "
                  "not the running system: it would read this machine's kernel command line and write its "
                  "/run/seprov. Apply an offline root with the system stage (the default), or set "
                  "SEPROV_RUNTIME_DIR to the runtime directory that stands for the initrd's.",
                  args->root);
        return -EINVAL;
}

static int parse_argv(int argc, char *argv[], ApplyArgs *args) {
        enum { ARG_ROOT = 0x100, ARG_STAGE, ARG_DRY_RUN };
        static const struct option options[] = {
                VERB_OPTIONS_COMMON,
                VERB_OPTION_JSON,
                { "root", required_argument, NULL, ARG_ROOT },
                { "stage", required_argument, NULL, ARG_STAGE },
                { "dry-run", no_argument, NULL, ARG_DRY_RUN },
                {},
        };
        int c, r;

        while ((c = getopt_long(argc, argv, VERB_SHORT_OPTIONS, options, NULL)) >= 0)
                switch (c) {
                case ARG_ROOT:
                        args->root = optarg;
                        break;
                case ARG_STAGE:
                        args->stage = stage_from_string(optarg);
                        if (args->stage < 0) {
                                log_error("Unknown stage \"%s\": use initrd or system.", optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_DRY_RUN:
                        args->dry_run = true;
                        break;
                default:
                        r = verb_option_common(c, optarg, help_text, &args->json);
                        if (r <= 0)
                                return r;
                }
        if (optind < argc) {
                log_error("seprov apply takes no arguments.");
                return -EINVAL;
        }
        if (verb_args_check_root(args->root) < 0)
                return -EINVAL;
        return stage_check(args) < 0 ? -EINVAL : 1;
}

static void print_text(const Apply *a, ApplyResult result) {
        size_t changes = 0;

        for (size_t i = 0; i < a->report.n_actions; i++) {
                const ReportAction *ra = &a->report.actions[i];
                if (ra->outcome == OUTCOME_UNCHANGED)
                        continue;
                changes += ra->outcome == OUTCOME_CHANGED || ra->outcome == OUTCOME_PLANNED;
                /* A dry run's failure is conditional, as its plans are: "store: would fail: ...". */
                if (ra->outcome == OUTCOME_FAILED && a->dry_run && !a->deferred)
                        printf("%s: would fail: %s\n", ra->action, ra->message);
                else
                        printf("%s%s: %s\n", ra->outcome == OUTCOME_FAILED ? "FAILED " : "", ra->action, ra->message);
        }
        /* The report on stdout; the diagnostics about it on stderr, as for every verb. */
        fflush(stdout);
        STRV_FOREACH (w, a->report.warnings)
                fprintf(stderr, "warning: %s\n", *w);
        verb_diags_print(a->ctx, &a->ctx->diags, /* indent= */ NULL, stderr);
        if (a->report.error)
                printf("%s: %s\n", apply_result_to_string(result), a->report.error);
        else if (result == APPLY_RESULT_UNCHANGED)
                printf("nothing to do: the system matches the config\n");
        else if (result == APPLY_RESULT_DEFERRED)
                printf("deferred: the root is read-only in the initrd; the system stage makes %zu change%s\n", changes,
                       changes == 1 ? "" : "s");
        else if (result == APPLY_RESULT_PLANNED)
                printf("dry run: %zu change%s planned, nothing changed\n", changes, changes == 1 ? "" : "s");
        else
                printf("done: %zu change%s\n", changes, changes == 1 ? "" : "s");
}

static int exit_status(ApplyResult r) {
        switch (r) {
        case APPLY_RESULT_REFUSED:
                return EXIT_REFUSED;
        case APPLY_RESULT_FAILED:
                return EXIT_FAILED;
        default:
                return EXIT_DONE;
        }
}

/* Logs the end of the apply once, with the MESSAGE_ID of how it ended, and each input problem. */
static void log_result(const Apply *a, ApplyResult result) {
        if (!log_target_is_structured()) /* on a terminal, the report says it all */
                return;
        for (size_t i = 0; i < a->ctx->diags.n; i++) {
                _cleanup_free_ char *s = diag_format(&a->ctx->diags.items[i]);
                log_event(a->ctx->diags.items[i].level == DIAG_ERROR ? LOG_ERR : LOG_WARNING,
                          SEPROV_MESSAGE_CONFIG_INVALID, "%s", strna(s));
        }
        const char *id = result == APPLY_RESULT_REFUSED  ? SEPROV_MESSAGE_APPLY_REFUSED
                         : result == APPLY_RESULT_FAILED ? SEPROV_MESSAGE_APPLY_FAILED
                                                         : SEPROV_MESSAGE_APPLY_DONE;
        /* Nothing to do is the common case: the debug level keeps it from loading libsystemd for the
         * journal at every boot; the unit's own start and finish say that it ran. */
        log_event(result >= APPLY_RESULT_REFUSED     ? LOG_ERR
                  : result == APPLY_RESULT_UNCHANGED ? LOG_DEBUG
                                                     : LOG_INFO,
                  id, "apply (%s stage, root %s): %s%s%s", stage_to_string(a->ctx->stage), a->ctx->root,
                  apply_result_to_string(result), a->report.error ? ": " : "", strempty(a->report.error));
}

static bool root_read_only(int root_fd) {
        struct statvfs sv;
        return fstatvfs(root_fd, &sv) >= 0 && (sv.f_flag & ST_RDONLY);
}

static BootResult boot_result(ApplyResult r) {
        return r == APPLY_RESULT_REFUSED  ? BOOT_RESULT_REFUSED
               : r == APPLY_RESULT_FAILED ? BOOT_RESULT_FAILED
                                          : BOOT_RESULT_DONE;
}

/* What the generator reads at the next boot: after a good apply, the fingerprint of inputs and
 * targets (not for an offline root: an image being built is copied, and its inodes change); in the
 * initrd, how the stage ended and what it left to the system stage. */
/* The module source files apply read: the fingerprint counts them. Returns a strv, or NULL (none, or
 * out of memory: then the fingerprint misses them, as before). */
static char **module_sources(const Config *c) {
        char **l = NULL;

        for (size_t i = 0; i < c->n_modules; i++)
                if (!c->modules[i].absent && config_module_installs(&c->modules[i]) &&
                    !strv_contains(l, c->modules[i].source) && strv_extend(&l, c->modules[i].source) < 0)
                        return strv_free(l);
        return l;
}

static void record_boot_state(Apply *a, ApplyResult result) {
        bool good = result == APPLY_RESULT_DONE || result == APPLY_RESULT_UNCHANGED;
        int r;

        if (result == APPLY_RESULT_DEFERRED)
                a->left |= BOOT_WORK_RELOAD; /* the system stage must run, and make it count live */
        else if (a->dry_run || result == APPLY_RESULT_OFF)
                return;
        if (good && !a->ctx->offline && !a->dry_run) {
                _cleanup_strv_free_ char **sources = module_sources(a->config);
                r = boot_applied_record(a->ctx->root_fd, a->ctx->run_fd, &a->ctx->args, a->every_boot, sources,
                                        /* label= */ NULL);
                if (r == -ENOENT && a->ctx->stage == STAGE_INITRD)
                        a->left |= BOOT_WORK_STORE; /* /var is not mounted yet: the system stage records it */
                else if (r < 0)
                        log_warning_errno(r, "Failed to record the applied state in %s, ignoring: %m",
                                          BOOT_STATE_APPLIED_DIR);
        }
        if (a->ctx->stage == STAGE_INITRD) {
                BootInitrdState s = { .result = boot_result(result), .left = a->left | a->every_boot };
                r = boot_initrd_state_write(a->ctx->run_fd, &s, /* label= */ NULL);
                if (r < 0)
                        log_warning_errno(r, "Failed to write %s/seprov/initrd, ignoring: %m", a->ctx->run_dir);
        }
}

/* onFailure "emergency" stops the boot in the initrd: the operator finds the machine at its console, so
 * the console says why, in the words the journal has, before the emergency shell takes it. */
static void fail_closed(const Apply *a, ApplyResult result) {
        log_console("the initrd stage was %s: %s", apply_result_to_string(result), strna(a->report.error));
        for (size_t i = 0; i < a->ctx->diags.n; i++) {
                _cleanup_free_ char *s = NULL;

                if (a->ctx->diags.items[i].level != DIAG_ERROR)
                        continue;
                s = diag_format(&a->ctx->diags.items[i]);
                log_console("%s", strna(s));
        }
        if (pid1_start_emergency_target() < 0)
                log_console("cannot start emergency.target (see \"journalctl -b -t seprov\"): the boot goes on");
}

/* Everything after the actions: status.json, the terminal, and failing closed when asked. */
static int finish(Apply *a, ApplyResult result, JsonFormat json) {
        _cleanup_(json_object_putp) json_object *o = status_entry_new(a, result);
        int r;

        if (!o)
                return log_oom();
        log_result(a, result);
        record_boot_state(a, result);
        if (!a->dry_run || a->deferred) {
                r = status_write(a->ctx, o);
                if (r < 0)
                        log_warning_errno(r, "Failed to write %s/seprov/status.json, ignoring: %m", a->ctx->run_dir);
        }
        if (json != JSON_FORMAT_OFF) {
                json_print(o, json, stdout);
                /* The document has them; standard error too, as for every verb. */
                fflush(stdout);
                STRV_FOREACH (w, a->report.warnings)
                        fprintf(stderr, "warning: %s\n", *w);
                verb_diags_print(a->ctx, &a->ctx->diags, /* indent= */ NULL, stderr);
        } else if (!log_fd_is_journal_stream(STDOUT_FILENO)) /* under the unit, the structured log says it */
                print_text(a, result);

        if ((result == APPLY_RESULT_FAILED || result == APPLY_RESULT_REFUSED) && !a->dry_run &&
            a->ctx->stage == STAGE_INITRD && a->config && a->config->on_failure == ON_FAILURE_EMERGENCY)
                fail_closed(a, result);
        return exit_status(result);
}

int verb_apply(int argc, char *argv[]) {
        _cleanup_(context_done) Context ctx = CONTEXT_NULL;
        _cleanup_(config_done) Config c = {};
        _cleanup_(apply_done) Apply a = { .ctx = &ctx };
        ApplyArgs args = { .stage = _STAGE_INVALID };
        int r;

        r = parse_argv(argc, argv, &args);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_DONE;
        r = context_open(&ctx, args.root, args.stage);
        if (r < 0)
                return EXIT_FAILED;
        a.dry_run = args.dry_run;
        if (!a.dry_run && context_lock(&ctx) < 0)
                return EXIT_FAILED;
        report_init(&a.report);
        /* Plain distributions booted with "ro" mount /sysroot read-only in the initrd: plan only, and
         * leave the changes to the system stage, after the root is remounted read-write. */
        if (ctx.stage == STAGE_INITRD && !a.dry_run && root_read_only(ctx.root_fd))
                a.dry_run = a.deferred = true;

        /* seprov=0 is the operator's escape hatch: not even the configs are read. */
        if (ctx.args.seprov == 0) {
                a.report.error = strdup("seprov=0 on the kernel command line: nothing done");
                return finish(&a, APPLY_RESULT_OFF, args.json);
        }

        r = context_load_config(&ctx, &c, /* sources= */ NULL);
        if (r == -EINVAL) {
                a.report.error = strdup("invalid input; nothing was changed");
                return finish(&a, APPLY_RESULT_REFUSED, args.json);
        }
        if (r < 0)
                return EXIT_FAILED;

        a.config = &c;
        return finish(&a, apply_run(&a), args.json);
}
