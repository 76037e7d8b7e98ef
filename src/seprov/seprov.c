/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov: the command-line entry point. Picks the verb; each verb is its own thin main. */

#include "log-journal.h"
#include "log.h"
#include "verbs.h"

typedef struct Verb {
        const char *name;
        int (*run)(int argc, char *argv[]);
} Verb;

static const Verb verbs[] = {
        { "apply", verb_apply },       { "status", verb_status }, { "show-config", verb_show_config },
        { "validate", verb_validate }, { "check", verb_check },
};

static void help(FILE *f) {
        fprintf(f, "seprov: provision SELinux on systems with a read-only /usr.\n\n"
                   "  seprov apply [--root=DIR] [--stage=initrd|system] [--dry-run] [--json]\n"
                   "  seprov status [--root=DIR] [--json]\n"
                   "  seprov show-config [--root=DIR] [--json]   effective config, and where each value came from\n"
                   "  seprov validate FILE...                    exit 0 valid, 1 invalid\n"
                   "  seprov check [--since=TIME] [--json] [--journal-dir=DIR | --audit-log=FILE]\n"
                   "                                             SELinux denials, grouped; exit 1 if any\n\n"
                   "  -h --help     this text\n"
                   "     --version  the version\n\n"
                   "See seprov(8).\n");
}

int main(int argc, char *argv[]) {
        log_set_ident("seprov");
        log_set_journal_sink(log_journal_send);
        log_parse_environment();

        if (argc < 2) {
                help(stderr);
                return EXIT_USAGE;
        }
        if (streq(argv[1], "-h") || streq(argv[1], "--help")) {
                help(stdout);
                return EXIT_DONE;
        }
        if (streq(argv[1], "--version")) {
                printf("seprov %s\n", SEPROV_VERSION);
                return EXIT_DONE;
        }
        for (size_t i = 0; i < ELEMENTSOF(verbs); i++)
                if (streq(argv[1], verbs[i].name))
                        return verbs[i].run(argc - 1, argv + 1);

        log_error("Unknown command \"%s\". See 'seprov --help'.", argv[1]);
        return EXIT_USAGE;
}
