/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where check reads denials from: the journal, or auditd's log. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "check-group.h"

/* Counts the denials journald recorded from the audit subsystem (_TRANSPORT=audit, _AUDIT_TYPE AVC,
 * USER_AVC or SELINUX_ERR, selected through the journal's indexes) and, for boots of which it holds
 * no audit record, the kernel's printk copies of them (counted in n_printk), seen at or after 'since'
 * (0: no limit), into 'set'. 'directory' NULL reads the local system's journal; 'boot_id' (NULL: any)
 * limits it to one boot. Each group notes the machines (_MACHINE_ID) and hosts (_HOSTNAME) it was
 * seen on: a systemd-journal-remote output directory is many machines' journals. Returns 0, or a negative errno
 * (logged). */
int check_journal_read(const char *directory, const char *boot_id, usec_t since, DenialSet *set);

/* Counts the denials of a log in auditd's raw format ("-": standard input) seen at or after 'since'
 * into 'set', each group with the machines it was seen on (node=, else the log). Returns 0; -EBADMSG when the log has
 * lines but none is a record that can be read (then nothing was checked); or another negative errno (logged). */
int check_auditlog_read(const char *path, usec_t since, DenialSet *set);

/* The same from an open stream. 'origin' (optional) stands for the machine of records without node=
 * (auditd's name_format), one log being one machine's. Lines that are neither auditd records nor ausearch's separators
 * are counted in *ret_skipped, records that say they are AVCs but cannot be read in *ret_bad, and the numbers of the
 * first of those lines go in *ret_bad_lines ("3, 7"; NULL when none; optional). Returns the number of records read
 * (of any type), or -ENOMEM or the read's errno (not logged). */
int check_auditlog_parse(FILE *f, const char *origin, usec_t since, DenialSet *set, size_t *ret_skipped,
                         size_t *ret_bad, char **ret_bad_lines);
