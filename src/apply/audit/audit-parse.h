/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One line of an audit rules file, read the way auditctl -R reads it, as far as the lists that can drop
 * SELinux records go: the exclude list and the user list. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* auditctl reads rule files with fgets() into a buffer of this size: a longer line is split. */
#define AUDITCTL_LINE_SIZE 6144
/* libaudit refuses the 64th -F of a rule (the kernel's AUDIT_MAX_FIELDS is 64, one is kept for -k). */
#define AUDITCTL_MAX_FIELDS 63

typedef enum AuditOp {
        AUDIT_OP_EQ,      /* = */
        AUDIT_OP_NE,      /* != */
        AUDIT_OP_LT,      /* < */
        AUDIT_OP_GT,      /* > */
        AUDIT_OP_LE,      /* <= */
        AUDIT_OP_GE,      /* >= */
        AUDIT_OP_BITMASK, /* & */
        AUDIT_OP_BITTEST, /* &= */
        _AUDIT_OP_MAX,
} AuditOp;

/* The fields libaudit lets an exclude-list or user-list rule carry. */
typedef enum AuditFieldType {
        AUDIT_FIELD_MSGTYPE,
        AUDIT_FIELD_PID,
        AUDIT_FIELD_UID,
        AUDIT_FIELD_GID,
        AUDIT_FIELD_LOGINUID, /* auid= or loginuid= */
        AUDIT_FIELD_SUBJ_USER,
        AUDIT_FIELD_SUBJ_ROLE,
        AUDIT_FIELD_SUBJ_TYPE,
        AUDIT_FIELD_SUBJ_SEN,
        AUDIT_FIELD_SUBJ_CLR,
        AUDIT_FIELD_EXE,    /* user list only (on the exclude list it depends on auditctl's version) */
        AUDIT_FIELD_UNEVAL, /* user list only: a field libaudit and the kernel take there but the kernel's
                             * audit_filter() does not evaluate: reaching it ends the list, the record is kept */
        _AUDIT_FIELD_MAX,
} AuditFieldType;

typedef struct AuditField {
        AuditFieldType type;
        AuditOp op;
        uint32_t value;   /* msgtype only: the record type */
        char *value_text; /* the value as written */
        char *text;       /* the whole option as written: "-F msgtype>0" or "-Fmsgtype>0" */
} AuditField;

typedef enum AuditLineKind {
        AUDIT_LINE_OTHER,    /* blank, comment, control line, or a rule on another list: not ours */
        AUDIT_LINE_RULE,     /* an exclude- or user-list rule (-a, -A or -d) read exactly as auditctl reads it */
        AUDIT_LINE_REJECTED, /* such a rule auditctl or the kernel refuses: loading stops there */
        AUDIT_LINE_UNCLEAR,  /* about one of these lists, but how auditctl reads it is not certain */
} AuditLineKind;

/* The lists that can drop a SELinux record. The kernel runs the user list on messages user space
 * sends (USER_AVC, 1107, is the only SELinux one) before the exclude list; the first rule whose
 * fields all match decides, by its action. On the exclude list any matching rule drops. */
typedef enum AuditList {
        AUDIT_LIST_EXCLUDE,
        AUDIT_LIST_USER,
} AuditList;

typedef struct AuditLine {
        AuditLineKind kind;
        bool ignore_errors; /* OTHER: a -i or -c line; auditctl goes on past errors from here on */
        AuditList list;     /* RULE, and REJECTED or UNCLEAR when known */
        char verb;          /* RULE: 'a' (append), 'A' (prepend) or 'd' (delete) */
        bool never;         /* RULE: the action is "never" (else "always") */
        char *list_text;    /* RULE: the list option as written, e.g. "-a exclude,always" */
        AuditField *fields; /* RULE: in order */
        size_t n_fields;
        char *reason; /* REJECTED, UNCLEAR: why, for the warning */
} AuditLine;

/* Reads one line ('len' bytes, without its newline; it may hold any bytes). Only allocation fails:
 * anything auditctl would refuse, or seprov cannot be sure of, is a kind with a reason.
 * Returns 0 or -ENOMEM. */
int audit_line_parse(const char *line, size_t len, AuditLine *ret);

void audit_line_done(AuditLine *l);

/* Two rules the kernel considers the same (same list, action and fields in order: a
 * second -a of it fails with EEXIST, and -d of it deletes the first). Field values other than msgtype
 * are compared as written. */
bool audit_line_same_rule(const AuditLine *a, const AuditLine *b);

/* Returns "=", "!=", ... */
const char *audit_op_to_string(AuditOp op);

/* The set of record types a rule's msgtype fields accept, over the kernel's u32 values:
 * the interval [lo, hi] without the 'holes' (sorted, strictly inside). Only comparison operators
 * (the kernel refuses & and &= on msgtype). */
typedef struct AuditTypeSet {
        bool empty;
        uint32_t lo, hi;
        uint32_t *holes;
        size_t n_holes;
} AuditTypeSet;

/* The types accepted by all of 'fields' together; non-msgtype fields are ignored.
 * Returns 0 or -ENOMEM. */
int audit_type_set_of(const AuditField *const *fields, size_t n, AuditTypeSet *ret);

/* Narrows 's' to [lo, hi]. */
void audit_type_set_clamp(AuditTypeSet *s, uint32_t lo, uint32_t hi);

bool audit_type_set_contains(const AuditTypeSet *s, uint32_t t);
bool audit_type_set_equal(const AuditTypeSet *a, const AuditTypeSet *b);
/* Whether 's' holds any type of [lo, hi]. */
bool audit_type_set_meets(const AuditTypeSet *s, uint32_t lo, uint32_t hi);

void audit_type_set_done(AuditTypeSet *s);
