/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The seprov commands. Each parses its own options and returns the process exit status. */
#pragma once

/* Exit statuses (seprov(8), EXIT STATUS). */
#define EXIT_DONE    0  /* done, or nothing to do; for validate: valid */
#define EXIT_REFUSED 1  /* bad input or a failed preflight: nothing was changed */
#define EXIT_FAILED  2  /* failed while applying: the previous state was kept */
#define EXIT_USAGE   64 /* bad command line (EX_USAGE) */

#include <stdbool.h>

/* Parses [--root=DIR] [--json] [--help] for a verb that takes nothing else; --help prints 'usage' and
 * 'what'. Returns 1 to go on, 0 after printing the help, -EINVAL on a usage error (logged). */
int verb_args_parse_root_json(int argc, char *argv[], const char *usage, const char *what, const char **ret_root,
                              bool *ret_json);

int verb_apply(int argc, char *argv[]);
int verb_status(int argc, char *argv[]);
int verb_validate(int argc, char *argv[]);
int verb_show_config(int argc, char *argv[]);
int verb_check(int argc, char *argv[]);
