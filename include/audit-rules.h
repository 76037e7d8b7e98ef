/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The audit rules action of seprov apply: plan (read and decide), execute (write), and state. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"

#define AUDIT_RULES_DIR "/etc/audit/rules.d"

typedef enum AuditChangeKind {
        AUDIT_CHANGE_WRITE,        /* new content for the file, written where it is (a link to it stays) */
        AUDIT_CHANGE_REPLACE_LINK, /* a link into read-only /usr becomes a regular file in rules.d */
        AUDIT_CHANGE_RELINK,       /* a regular file seprov made from a link becomes that link again */
} AuditChangeKind;

typedef struct AuditFileChange {
        AuditChangeKind kind;
        char *name; /* the entry in /etc/audit/rules.d */
        char *path; /* what is written, inside the root: the resolved file, or the entry */
        char *data; /* the new content (WRITE, REPLACE_LINK) */
        size_t size;
        char *link_target; /* REPLACE_LINK: the link replaced; RELINK: the link put back */
        mode_t mode;       /* kept from the file (for a link: from its target) */
        uid_t uid;
        gid_t gid;
        char *label;      /* the entry's security.selinux label, kept; NULL when it has none */
        unsigned n_rules; /* rules marked (selinuxEvents) or put back (otherwise) in this file */
        char *why;        /* one line for the report */
} AuditFileChange;

typedef struct AuditPlan {
        bool selinux_events;      /* what was asked */
        bool missing;             /* there is no /etc/audit/rules.d: nothing to do */
        char *dir;                /* /etc/audit/rules.d resolved inside the root */
        unsigned n_files;         /* rules files read */
        unsigned n_rules;         /* rules marked (selinuxEvents) or put back (otherwise), all files */
        AuditFileChange *changes; /* only files whose bytes change */
        size_t n_changes;
        Diags warnings; /* FILE:LINE: ...; left as it is */
} AuditPlan;

/* Reads /etc/audit/rules.d under 'root_fd' and decides what to write so that SELinux records (1107,
 * 1400-1499) reach the log (selinux_events) or the image's rules are back (!selinux_events). Changes
 * nothing. Files seprov marked before are first restored, so a second plan after execute is empty.
 * Returns 0 (see ret->missing) or a negative errno (logged). */
int audit_rules_plan(int root_fd, bool selinux_events, AuditPlan *ret);

/* Writes a plan's files atomically, one by one, keeping mode, owner and label. On failure the files
 * not yet written are untouched and every file is either old or new. Returns 0 or a negative errno
 * (logged). */
int audit_rules_execute(int root_fd, const AuditPlan *plan);

void audit_plan_done(AuditPlan *p);

typedef struct AuditState {
        bool missing;          /* there is no /etc/audit/rules.d */
        bool selinux_dropped;  /* a rule the kernel would load drops SELinux records */
        char *dropped_by;      /* FILE:LINE of the first such rule */
        uint32_t dropped_type; /* the lowest SELinux type it drops */
        char *dropped_types;   /* every SELinux type it drops, named as auditd names them */
        unsigned n_marked;     /* rules seprov rewrote, as marked in the files */
        unsigned n_rejected;   /* exclude rules auditctl refuses */
        unsigned n_unclear;    /* exclude rules seprov cannot read with certainty */
} AuditState;

/* What the rules in /etc/audit/rules.d do to SELinux records now. Returns 0 or a negative errno
 * (logged). */
int audit_rules_state(int root_fd, AuditState *ret);

void audit_state_done(AuditState *s);
