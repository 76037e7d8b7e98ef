/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seprov commands. Each parses its own options and returns the process exit status. */
#pragma once

/* Exit statuses (seprov(8), EXIT STATUS). */
#define EXIT_DONE    0  /* done, or nothing to do; for validate: valid */
#define EXIT_REFUSED 1  /* bad input or a failed preflight: nothing was changed */
#define EXIT_FAILED  2  /* failed while applying: the previous state was kept */
#define EXIT_USAGE   64 /* bad command line (EX_USAGE) */

#include <getopt.h>
#include <stdbool.h>

#include "context.h"
#include "json-util.h"

/* The options every verb takes (seprov(8), OPTIONS), for its getopt_long() table: -h/--help,
 * -V/--version and --no-pager; --json[=MODE] for the verbs that print a document. A verb's own
 * options are numbered from 0x100, below these. */
enum {
        ARG_NO_PAGER = 0x1000,
        ARG_JSON,
};
#define VERB_SHORT_OPTIONS "hV"
#define VERB_OPTIONS_COMMON                                                          \
        { "help", no_argument, NULL, 'h' }, { "version", no_argument, NULL, 'V' }, { \
                "no-pager", no_argument, NULL, ARG_NO_PAGER                          \
        }
#define VERB_OPTION_JSON \
        { "json", optional_argument, NULL, ARG_JSON }

/* Handles what getopt_long() returned as 'c' (with 'arg', its optarg) when it is not one of the
 * verb's own options: -h prints 'help' on stdout, -V the version; --json sets *json (NULL when the
 * verb prints no JSON). Returns 1 when the verb goes on, 0 when it is done (help or version
 * printed), or -EINVAL for a bad value or an unknown option (logged, by getopt_long() or here). */
int verb_option_common(int c, const char *arg, const char *help, JsonFormat *json);

/* --root=DIR must name a directory that exists: anything else is bad usage, not a failure of the
 * system. Returns 0 or -EINVAL (logged). */
int verb_args_check_root(const char *root);

/* Parses [--root=DIR] [--json[=MODE]] and the common options for a verb that takes nothing else.
 * Returns 1 to go on, 0 after printing the help or the version, -EINVAL on a usage error (logged). */
int verb_args_parse_root_json(int argc, char *argv[], const char *help, const char **ret_root, JsonFormat *ret_json);

/* verb-output.c: one diagnostic as FILE:LINE:COL: message, the file also shown as it is on this
 * machine under --root (see context_host_path()). Returns 0 or -ENOMEM. */
int verb_diag_format(const Context *ctx, const Diag *d, char **ret);
/* Prints each diagnostic so, one a line, after 'indent' (optional). */
void verb_diags_print(const Context *ctx, const Diags *d, const char *indent, FILE *f);

int verb_apply(int argc, char *argv[]);
int verb_status(int argc, char *argv[]);
int verb_validate(int argc, char *argv[]);
int verb_show_config(int argc, char *argv[]);
int verb_check(int argc, char *argv[]);
