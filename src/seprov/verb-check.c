/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov check: what enforcing mode would deny, from the denials logged so far, grouped. */

#include <getopt.h>
#include <systemd/sd-id128.h>

#include "check-cause.h"
#include "check-fix.h"
#include "check-output.h"
#include "check-source.h"
#include "dlopen-libs.h"
#include "log.h"
#include "strutil.h"
#include "verbs.h"

/* check's own exit statuses (seprov(8), CHECK): 0 no denials, 1 denials, 2 could not read, 64 usage. */
#define EXIT_CHECK_CLEAN   0
#define EXIT_CHECK_DENIALS 1

typedef struct CheckArgs {
        usec_t since;
        JsonFormat json;
        char **journal_dirs;
        char **audit_logs;
        const char *root;
        const char *policy;
        const char *fix;
} CheckArgs;

static const char help_text[] =
        "seprov check [OPTIONS...]\n\n"
        "Lists the SELinux denials logged so far, grouped, each with its cause computed against\n"
        "the policy the machine loads (a missing rule, a boolean, a constraint, a label...) and\n"
        "its fix: what enforcing mode would deny. Reads the local journal (current boot), a\n"
        "journal directory (all of it), or auditd's log ('-': standard input).\n\n"
        "     --since=TIME       only denials at or after TIME, as journalctl --since reads it:\n"
        "                        'YYYY-MM-DD HH:MM:SS', 'HH:MM', today, yesterday, now, -1h,\n"
        "                        '2 days ago', @SECONDS ..., local time unless ' UTC', an offset\n"
        "                        (' +02:00') or a zone (' Europe/Berlin') follows; on the local\n"
        "                        journal, every boot since then\n"
        "     --json[=MODE]      a JSON document: pretty (a bare --json), short or off\n"
        "     --journal-dir=DIR  read the journal files in DIR (systemd-journal-remote's output\n"
        "                        too: many machines' journals)\n"
        "     --audit-log=FILE   read auditd's raw log; both may be given any number of times,\n"
        "                        and the groups then say on how many machines each was seen\n"
        "     --policy=FILE      compute the causes against this compiled policy (policy.NN)\n"
        "     --root=DIR         the policy /etc/selinux/<SELINUXTYPE>/policy/policy.NN under DIR\n"
        "     --fix=DIR          write the fix as seprov config into DIR, laid out as the root:\n"
        "                        a drop-in for /etc/seprov/config.d with the booleans, and a CIL\n"
        "                        module in /etc/seprov/modules with the missing rules\n"
        "     --no-pager         accepted; seprov never pages\n"
        "  -h --help             this text\n"
        "  -V --version          the version\n\n"
        "Exit status: 0 no denials, 1 denials, 2 the log could not be read or none of it is audit\n"
        "records, 64 bad usage. See seprov(8).\n";

static void check_args_done(CheckArgs *a) {
        a->journal_dirs = strv_free(a->journal_dirs);
        a->audit_logs = strv_free(a->audit_logs);
}

/* Returns 1 to go on, 0 when done (--help), -EINVAL on a usage error (logged). */
static int parse_argv(int argc, char *argv[], CheckArgs *a) {
        enum { ARG_SINCE = 0x100, ARG_JOURNAL_DIR, ARG_AUDIT_LOG, ARG_ROOT, ARG_POLICY, ARG_FIX };
        static const struct option options[] = {
                VERB_OPTIONS_COMMON,
                VERB_OPTION_JSON,
                { "since", required_argument, NULL, ARG_SINCE },
                { "journal-dir", required_argument, NULL, ARG_JOURNAL_DIR },
                { "audit-log", required_argument, NULL, ARG_AUDIT_LOG },
                { "root", required_argument, NULL, ARG_ROOT },
                { "policy", required_argument, NULL, ARG_POLICY },
                { "fix", required_argument, NULL, ARG_FIX },
                {},
        };
        int c, r;

        while ((c = getopt_long(argc, argv, VERB_SHORT_OPTIONS, options, NULL)) >= 0)
                switch (c) {
                case ARG_SINCE:
                        if (parse_timestamp(optarg, &a->since) < 0) {
                                log_error("Invalid --since=\"%s\": use a time as journalctl reads it, e.g. "
                                          "\"2026-12-01 10:00\", today, yesterday, -1h or @SECONDS.",
                                          optarg);
                                return -EINVAL;
                        }
                        break;
                case ARG_JOURNAL_DIR:
                        if (strv_extend(&a->journal_dirs, optarg) < 0)
                                return log_oom();
                        break;
                case ARG_AUDIT_LOG:
                        if (strv_extend(&a->audit_logs, optarg) < 0)
                                return log_oom();
                        break;
                case ARG_ROOT:
                        a->root = optarg;
                        break;
                case ARG_POLICY:
                        if (isempty(optarg)) {
                                log_error("--policy= needs a compiled policy file (policy.NN).");
                                return -EINVAL;
                        }
                        a->policy = optarg;
                        break;
                case ARG_FIX:
                        if (isempty(optarg)) {
                                log_error("--fix= needs a directory to write the fix into.");
                                return -EINVAL;
                        }
                        a->fix = optarg;
                        break;
                default:
                        r = verb_option_common(c, optarg, help_text, &a->json);
                        if (r <= 0)
                                return r;
                }
        if (optind < argc) {
                log_error("seprov check takes no arguments.");
                return -EINVAL;
        }
        if (a->root && a->policy) {
                log_error("--root and --policy are exclusive: --policy names the policy itself.");
                return -EINVAL;
        }
        return verb_args_check_root(a->root) < 0 ? -EINVAL : 1;
}

/* Every --journal-dir and --audit-log, into one set of groups: a fleet's journals (a
 * systemd-journal-remote output directory) and logs, each group with its machines. */
static int read_inputs(const CheckArgs *a, CheckSource **ret_more, size_t *ret_n, CheckSource *src, DenialSet *set) {
        size_t n = strv_length(a->journal_dirs) + strv_length(a->audit_logs), i = 0;
        _cleanup_free_ CheckSource *all = calloc(n, sizeof(CheckSource));
        int r;

        if (!all)
                return log_oom();
        STRV_FOREACH (d, a->journal_dirs) {
                all[i++] = (CheckSource){ .type = "journal-dir", .path = *d, .since = a->since };
                r = check_journal_read(*d, /* boot_id= */ NULL, a->since, set);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH (l, a->audit_logs) {
                all[i++] = (CheckSource){ .type = "audit-log", .path = *l, .since = a->since };
                r = check_auditlog_read(*l, a->since, set);
                if (r < 0)
                        return r;
        }
        *src = all[0];
        if (n > 1) {
                memmove(all, all + 1, (n - 1) * sizeof(CheckSource));
                *ret_more = TAKE_PTR(all);
                *ret_n = n - 1;
        }
        return 0;
}

static int read_denials(const CheckArgs *a, CheckSource *src, CheckSource **ret_more, size_t *ret_n,
                        char boot_id[static SD_ID128_STRING_MAX], DenialSet *set) {
        sd_id128_t boot;
        int r;

        if (a->journal_dirs || a->audit_logs)
                return read_inputs(a, ret_more, ret_n, src, set);
        *src = (CheckSource){ .type = "journal", .since = a->since };
        if (a->since == 0) { /* by default the current boot, as the question is about this system now */
                r = dlopen_libsystemd();
                if (r < 0)
                        return r;
                r = sym_sd_id128_get_boot(&boot);
                if (r < 0)
                        return log_error_errno(r, "Failed to get the current boot ID: %m");
                src->boot_id = sym_sd_id128_to_string(boot, boot_id);
        }
        return check_journal_read(/* directory= */ NULL, src->boot_id, a->since, set);
}

/* The causes, against the policy, read only when there are denials. Without a policy on a root
 * that has none, the groups keep their suggested rules (warned). Returns 0, or a negative errno
 * (logged). */
static int causes_compute(const CheckArgs *a, char **ret_path, DenialSet *set) {
        _cleanup_kpolicy_free_ KPolicy *p = NULL;
        int r;

        if (set->n == 0)
                return 0;
        r = check_cause_policy_read(a->root, a->policy, &p, ret_path);
        if (r == -ENOENT && !a->policy && !a->fix)
                return 0;
        if (r == -ENOENT)
                return log_error_errno(r, "--fix needs the causes, and so a policy: name one with --policy=FILE.");
        if (r < 0)
                return r;
        r = check_cause_compute(p, set);
        if (r < 0)
                return log_oom();
        return 0;
}

int verb_check(int argc, char *argv[]) {
        _cleanup_(denial_set_done) DenialSet set = {};
        _cleanup_free_ char *policy_path = NULL;
        _cleanup_(check_fix_done) CheckFix fix = {};
        _cleanup_(check_args_done) CheckArgs a = {};
        _cleanup_free_ CheckSource *more = NULL;
        char boot_id[SD_ID128_STRING_MAX];
        CheckSource src = {};
        int r;

        r = parse_argv(argc, argv, &a);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_DONE;

        r = read_denials(&a, &src, &more, &src.n_more, boot_id, &set);
        if (r < 0)
                return EXIT_FAILED;
        src.more = more;
        r = causes_compute(&a, &policy_path, &set);
        if (r < 0)
                return EXIT_FAILED;
        src.policy = policy_path;
        denial_set_sort(&set);
        if (a.fix) {
                r = check_fix_plan(&set, a.root, &fix);
                if (r < 0) {
                        log_oom();
                        return EXIT_FAILED;
                }
                fix.dir = a.fix;
                if (check_fix_write(&fix, &set, a.fix) < 0)
                        return EXIT_FAILED;
        }
        r = a.json != JSON_FORMAT_OFF ? check_output_json(&src, &set, a.fix ? &fix : NULL, a.json, stdout)
                                      : check_output_table(&src, &set, a.fix ? &fix : NULL, stdout);
        if (r >= 0 && (fflush(stdout) != 0 || ferror(stdout)))
                r = negative_errno();
        if (r < 0) {
                log_error_errno(r, "Failed to write the report: %m");
                return EXIT_FAILED;
        }
        return set.n_records > 0 ? EXIT_CHECK_DENIALS : EXIT_CHECK_CLEAN;
}
