/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* One SELinux audit record (AVC, USER_AVC, SELINUX_ERR), parsed from its text. */
#pragma once

#include <stdbool.h>

#include "macro.h"

/* The audit record types seprov check reads (linux/audit.h). */
#define AUDIT_TYPE_USER_AVC    1107
#define AUDIT_TYPE_PATH        1302
#define AUDIT_TYPE_CWD         1307
#define AUDIT_TYPE_AVC         1400
#define AUDIT_TYPE_SELINUX_ERR 1401

typedef enum AvcKind {
        AVC_KIND_AVC,         /* the kernel's access decisions */
        AVC_KIND_USER_AVC,    /* a userspace object manager's (dbus, systemd), wrapped in msg='...' */
        AVC_KIND_SELINUX_ERR, /* the kernel's errors: invalid contexts, refused transitions */
        _AVC_KIND_MAX,
        _AVC_KIND_INVALID = -EINVAL,
} AvcKind;

/* "AVC", "USER_AVC", "SELINUX_ERR": the audit type names. */
const char *avc_kind_to_string(AvcKind k);
/* Returns the kind, or -EINVAL for any other name. */
int avc_kind_from_string(const char *s);
/* Returns the kind of an audit type number, or -EINVAL for any other type. */
AvcKind avc_kind_from_audit_type(int type);

typedef struct AvcRecord {
        AvcKind kind;
        char **perms;   /* sorted, without duplicates; empty for SELINUX_ERR */
        char *scontext; /* whole contexts, as logged */
        char *tcontext;
        char *stype; /* the type fields of scontext and tcontext */
        char *ttype;
        char *tclass;
        char *comm;     /* AVC: the process; USER_AVC: comm=, else the object manager's exe= basename */
        char *path;     /* path=, or an absolute path found in the event's PATH records */
        char *name;     /* name=: the last path component the kernel logs when it has no path */
        char *ino;      /* ino=, to find the matching PATH record */
        char *detail;   /* SELINUX_ERR: what went wrong ("security_compute_sid: invalid context ...") */
        int permissive; /* permissive=1/0; -1 when the record does not say (older kernels) */
} AvcRecord;

/* Parses the text of one record of kind 'k': what follows "audit(TIME:SERIAL): " in auditd's log,
 * which is journald's MESSAGE= without the type name in front of it. Quoted and hex-encoded values are
 * decoded.
 * Returns 1 and fills *ret for a denial (any SELINUX_ERR counts as one: enforcing mode turns it into a
 * failure); 0 for a record that is not a denial (an auditallow "granted", a policy load notice);
 * -EINVAL when the text is not such a record (no "{ permissions }", no scontext, tcontext or
 * tclass); -ENOMEM. *ret is untouched unless 1 is returned. */
int avc_record_parse(AvcKind k, const char *text, AvcRecord *ret);

void avc_record_done(AvcRecord *r);

/* The path to show for the record: path, else name, else NULL. */
const char *avc_record_path(const AvcRecord *r);

/* The type field of a security context ("user:role:type[:level]"). Returns a new string, or NULL
 * when out of memory; a string without three fields is returned whole. */
char *avc_context_type(const char *context);

/* What an audit event's PATH and CWD records say, to complete an AVC of the same event that named
 * only the last component of its target. */
typedef struct AuditEventPaths {
        char *cwd;
        char **names;  /* PATH name= values, in record order */
        char **inodes; /* the matching inode= values ("" when absent) */
} AuditEventPaths;

/* Adds the text of a PATH or CWD record ('type' is AUDIT_TYPE_PATH or AUDIT_TYPE_CWD).
 * Returns 0, or -ENOMEM. */
int audit_event_paths_add(AuditEventPaths *e, int type, const char *text);

/* When 'r' has a name but no path, sets r->path from the event: the PATH record with the same inode,
 * else the one whose last component is the name; a relative one is joined to the event's CWD.
 * Returns 1 when r->path was set, 0 when nothing matched, or -ENOMEM. */
int avc_record_resolve_path(AvcRecord *r, const AuditEventPaths *e);

void audit_event_paths_done(AuditEventPaths *e);
