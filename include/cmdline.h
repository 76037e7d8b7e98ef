/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The kernel command line, read with systemd's semantics. */
#pragma once

#include <stdbool.h>

#include "diag.h"
#include "settings.h"

/* Where a word was found: 1-based byte column in the command line, 0 when not given. */
typedef unsigned CmdlinePos;

/* What seprov reads from the kernel command line. Values are -1 (or NULL) when not given. */
typedef struct KernelArgs {
        int seprov; /* seprov=0 turns seprov off; 1 when not given */
        SelinuxMode mode;
        StoreMode store;
        int audit;     /* seprov.audit= */
        int dontaudit; /* seprov.dontaudit= */
        char *config;  /* seprov.config=, a path inside the root */
        CmdlinePos seprov_pos, mode_pos, store_pos, audit_pos, dontaudit_pos, config_pos;

        /* Read, never rewritten: they belong to the kernel and to SELinux userspace. */
        int selinux;   /* selinux= */
        int enforcing; /* enforcing=, a one-boot override */
        bool autorelabel;

        /* Ignition's words, for where the provisioning config came from. */
        char *ignition_platform;  /* ignition.platform.id= */
        bool ignition_config_url; /* ignition.config.url= is given */
} KernelArgs;

/* Name used in diagnostics for the command line ("/proc/cmdline" or "$SYSTEMD_PROC_CMDLINE"). */
extern const char *const cmdline_source_proc;
extern const char *const cmdline_source_env;

/* Reads $SYSTEMD_PROC_CMDLINE when set, else /proc/cmdline. *ret_source (optional) gets the name
 * to use in diagnostics. Returns 0 or a negative errno. */
int cmdline_read(char **ret, const char **ret_source);

/* Splits like systemd's extract_first_word(EXTRACT_UNQUOTE|EXTRACT_RELAX|EXTRACT_RETAIN_ESCAPE):
 * whitespace separates words, quotes group and are removed wherever they are in a word, an
 * unterminated quote ends at the end of the line, backslashes are kept as they are.
 * *ret_words gets the words, *ret_columns (optional) the 1-based column each starts at.
 * Returns the number of words or -ENOMEM. */
int cmdline_split(const char *line, char ***ret_words, unsigned **ret_columns);

/* True when the keys are equal, '-' and '_' counting as the same character. */
bool cmdline_key_equal(const char *a, const char *b);

void kernel_args_init(KernelArgs *a);
void kernel_args_done(KernelArgs *a);

/* Parses 'line' into *a (initialised by the caller). In the initrd, "rd."-prefixed words count as
 * their unprefixed form; elsewhere they are skipped. The last occurrence of a word wins. Bad values
 * and unknown seprov.* words are recorded in 'diags' as errors under 'source'.
 * Returns 0 or -ENOMEM. */
int kernel_args_parse(KernelArgs *a, const char *line, const char *source, bool in_initrd, Diags *diags);
