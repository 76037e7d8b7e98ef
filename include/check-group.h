/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Identical denials grouped, with a count and the first and last time each was seen. */
#pragma once

#include <stdint.h>

#include "avc.h"
#include "kpolicy.h"
#include "timestamp.h"

/* Why the policy denies a group's access (check-cause.c). */
typedef enum CheckCause {
        CHECK_CAUSE_RULE,         /* no allow rule */
        CHECK_CAUSE_BOOLEAN,      /* a boolean would allow it */
        CHECK_CAUSE_CONSTRAINT,   /* a constraint or MLS/MCS rule denies it: no allow rule helps */
        CHECK_CAUSE_ALLOWED,      /* the policy allows it now */
        CHECK_CAUSE_UNKNOWN_TYPE, /* the policy does not define a type, class (or other name) of it */
        CHECK_CAUSE_UNLABELED,    /* the target has no valid label */
        CHECK_CAUSE_ROLE,         /* a role rule or association is missing */
        _CHECK_CAUSE_MAX,
        _CHECK_CAUSE_INVALID = -EINVAL, /* not computed: no policy was read */
} CheckCause;

typedef struct DenialGroup {
        /* The first occurrence, whole. Its kind, source and target types, class, permissions, comm and
         * (SELINUX_ERR) detail are the group's key: denials equal in all of these are one group. */
        AvcRecord first;
        uint64_t count;
        uint64_t n_permissive; /* logged with permissive=1: allowed then, denied once enforcing */
        uint64_t n_enforced;   /* logged with permissive=0: already denied */
        uint64_t n_printk;     /* read from the kernel's rate-limited printk copies, not audit records */
        usec_t first_usec, last_usec;
        uint64_t serial;      /* the audit event serial of the first occurrence, 0 when unknown */
        char *boot_id;        /* the journal's _BOOT_ID of the first occurrence, NULL otherwise */
        CheckCause cause;     /* computed on the first occurrence; _CHECK_CAUSE_INVALID until then */
        KPolicyAccess access; /* libsepol's answer: the booleans, what denies it */
        char *constraint;     /* CONSTRAINT: the constraint, and the MLS levels when they differ */
        char **machines;      /* the machines it was seen on: _MACHINE_ID, node=, or the audit log's path */
        char **hosts;         /* their host names (_HOSTNAME, node=), each once; NULL when none said */
} DenialGroup;

typedef struct DenialSet {
        DenialGroup **groups;
        size_t n;
        uint64_t n_records;           /* every denial counted, in all groups */
        uint64_t n_printk;            /* of them, read from the kernel's printk copies */
        uint64_t n_printk_suppressed; /* kernel messages its printk rate limit dropped, as it said */
        DenialGroup **table;          /* open-addressing index of 'groups' by key */
        size_t table_size;
        char **machines; /* of every group */
} DenialSet;

/* Counts 'r', seen at 'when', in its group. A record that starts a new group is moved into it and *r
 * is left empty (avc_record_done() on it stays correct either way).
 * Returns 1 when a new group was made, 0 when an existing one counted it, or -ENOMEM. *ret_group
 * (optional) is the group. */
int denial_set_add(DenialSet *s, AvcRecord *r, usec_t when, DenialGroup **ret_group);

/* Orders the groups most frequent first; ties by kind, types, class, permissions, comm and detail,
 * so the order is the same on every run. */
void denial_set_sort(DenialSet *s);

void denial_set_done(DenialSet *s);

/* Notes that group 'g' of 's' was seen on 'machine' (NULL: not known) named 'host' (NULL: not
 * known). Returns 0 or -ENOMEM. */
int denial_set_seen_on(DenialSet *s, DenialGroup *g, const char *machine, const char *host);

/* Notes that the record 'g' just counted was the kernel's printk copy of an audit record. */
void denial_set_count_printk(DenialSet *s, DenialGroup *g);

/* "audit" when every occurrence was an audit record, "printk" when each was the kernel's printk copy,
 * "mixed" otherwise. */
const char *denial_group_transport(const DenialGroup *g);

/* "all", "some", "none", or "unknown" when no record said (kernels that do not log permissive=). */
const char *denial_group_permissive(const DenialGroup *g);
