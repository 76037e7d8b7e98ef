/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov: the command-line entry point. Finds the verb; options may come before or after it, as for
 * systemctl; each verb is its own thin main. */

#include "log-journal.h"
#include "log.h"
#include "strutil.h"
#include "verbs.h"

typedef struct Verb {
        const char *name;
        int (*run)(int argc, char *argv[]);
} Verb;

static const Verb verbs[] = {
        { "apply", verb_apply },       { "status", verb_status }, { "show-config", verb_show_config },
        { "validate", verb_validate }, { "check", verb_check },
};

/* The long options of any verb that take their value as the next word ("--root DIR"), so that the
 * value is not taken for the verb. */
static const char *const options_with_value[] = {
        "--root", "--stage", "--since", "--journal-dir", "--audit-log",
};

static const char help_text[] =
        "seprov [OPTIONS...] COMMAND [OPTIONS...]\n\n"
        "Provisions SELinux on systems with a read-only /usr.\n\n"
        "Commands:\n"
        "  apply [--root=DIR] [--stage=initrd|system] [--dry-run] [--json[=MODE]]\n"
        "                       make the SELinux state what the config asks\n"
        "  status [--root=DIR] [--json[=MODE]]\n"
        "                       the SELinux state, and what the last apply of each stage did\n"
        "  show-config [--root=DIR] [--json[=MODE]]\n"
        "                       the effective config, and where each value came from\n"
        "  validate [--root=DIR] FILE...\n"
        "                       check configs before deployment ('-': standard input)\n"
        "  check [--since=TIME] [--json[=MODE]] [--journal-dir=DIR | --audit-log=FILE]\n"
        "                       the SELinux denials logged so far, grouped\n\n"
        "Options (before or after the command; 'seprov COMMAND --help' for each command's):\n"
        "  -h --help            this text\n"
        "  -V --version         the version\n"
        "     --json[=MODE]     a JSON document: pretty (a bare --json), short or off\n"
        "     --no-pager        accepted; seprov never pages\n\n"
        "Exit status: 0 done, nothing to do or valid; 1 refused or invalid (nothing changed);\n"
        "2 failed while applying (the previous state kept; never for --dry-run); 64 bad usage\n"
        "(also a --root that is not a directory). check: 0 no denials, 1 denials, 2 the log could\n"
        "not be read or holds no audit record.\n\n"
        "See seprov(8).\n";

static bool takes_next_word(const char *arg) {
        for (size_t i = 0; i < ELEMENTSOF(options_with_value); i++)
                if (streq(arg, options_with_value[i]))
                        return true;
        return false;
}

/* The index of the verb in argv: the first word that is not an option or an option's value; argc
 * when there is none. */
static int find_verb(int argc, char *argv[]) {
        for (int i = 1; i < argc; i++) {
                if (streq(argv[i], "--"))
                        return i + 1;
                if (argv[i][0] != '-' || argv[i][1] == '\0') /* "-" is a word */
                        return i;
                if (takes_next_word(argv[i]))
                        i++;
        }
        return argc;
}

/* Only options and no command: -h and -V answer, anything else is bad usage. */
static int run_without_verb(int argc, char *argv[]) {
        for (int i = 1; i < argc; i++) {
                if (streq(argv[i], "-h") || streq(argv[i], "--help")) {
                        fputs(help_text, stdout);
                        return EXIT_DONE;
                }
                if (streq(argv[i], "-V") || streq(argv[i], "--version")) {
                        printf("seprov %s\n", SEPROV_VERSION);
                        return EXIT_DONE;
                }
        }
        log_error("%s. See 'seprov --help'.", argc > 1 ? "No command given" : "Usage: seprov COMMAND [OPTIONS...]");
        return EXIT_USAGE;
}

/* "--json short": getopt_long() takes an optional value only after '=', so "short" would be an
 * argument (or the verb). Said with the fix. Returns true when said. */
static bool json_value_apart(int argc, char *argv[]) {
        for (int i = 1; i + 1 < argc; i++) {
                if (streq(argv[i], "--"))
                        return false;
                if (streq(argv[i], "--json") && json_format_from_string(argv[i + 1]) >= 0) {
                        log_error("--json takes its mode after '=': use --json=%s (a bare --json is pretty).",
                                  argv[i + 1]);
                        return true;
                }
        }
        return false;
}

static void unknown_verb(const char *verb) {
        const char *names[ELEMENTSOF(verbs) + 1] = {};
        const char *near;

        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                names[i] = verbs[i].name;
        near = string_nearest(verb, names);
        if (near)
                log_error("Unknown command \"%s\", did you mean \"%s\"? See 'seprov --help'.", verb, near);
        else
                log_error("Unknown command \"%s\". See 'seprov --help'.", verb);
}

int main(int argc, char *argv[]) {
        _cleanup_free_ char **args = NULL;
        _cleanup_free_ char *name = NULL;
        int v, n = 0;

        log_set_ident("seprov");
        log_set_journal_sink(log_journal_send);
        log_parse_environment();

        if (json_value_apart(argc, argv))
                return EXIT_USAGE;
        v = find_verb(argc, argv);
        if (v >= argc)
                return run_without_verb(argc, argv);
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++) {
                if (!streq(argv[v], verbs[i].name))
                        continue;
                /* The verb first, then the options that came before it, then the rest, for the verb's
                 * getopt_long() (which takes options after arguments too). "--" stays where it was. */
                args = calloc(argc + 1, sizeof(char *));
                name = strjoin("seprov ", argv[v]); /* getopt_long() names it in its messages */
                if (!args || !name)
                        return log_oom(), EXIT_FAILED;
                args[n++] = name;
                for (int k = 1; k < argc; k++)
                        if (k != v && !(k == v - 1 && streq(argv[k], "--")))
                                args[n++] = argv[k];
                return verbs[i].run(n, args);
        }
        unknown_verb(argv[v]);
        return EXIT_USAGE;
}
