/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The text transformations behind the audit rules action: rewrite, restore, and what a rule set drops. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* One rules file: its name as reported ("/etc/audit/rules.d/99-default.rules") and its bytes. */
typedef struct AuditText {
        char *name;
        char *data;
        size_t size;
} AuditText;

void audit_texts_free(AuditText *t, size_t n);

/* seprov's marks. A rewritten rule becomes a block:
 *   # seprov: <why>
 *   # seprov-was: <the image's line, byte for byte>
 *   <replacement rules, possibly none>
 *   # seprov-end
 * The end line always has a newline: augenrules concatenates the files, so an end line without one
 * would turn the next file's first rule into a comment. When the image's line had none, the end
 * line says so, and the restored line gets none. */
#define AUDIT_MARK_HEADER    "# seprov: "
#define AUDIT_MARK_WAS       "# seprov-was: "
#define AUDIT_MARK_END       "# seprov-end"
#define AUDIT_MARK_END_NO_NL "# seprov-end (the image's line had no newline)"

/* audit-restore.c: puts every seprov block back to the image's line, again and again until none is left, so that the
 * result is a fixed point. A block is only recognized whole: header, a was-line holding an exclude
 * rule, lines that are all exclude rules, the end line; anything else is left as it is.
 * *ret_blocks (optional) counts the blocks restored. Returns 0 or -ENOMEM. */
int audit_restore_text(const char *data, size_t size, char **ret, size_t *ret_size, unsigned *ret_blocks);

/* audit-rewrite.c: rewrites 'in' (files in augenrules' load order, already restored) so that no exclude-list rule
 * drops a SELinux record type (1107, 1400-1499) while every other type the rules dropped stays
 * dropped, under the kernel's semantics (see audit-rewrite.c). Lines that cannot be rewritten safely
 * are kept as they are and reported in 'warnings' as FILE:LINE. *ret gets n texts, same names and
 * order; *ret_rewritten (optional) the number of rules marked. Returns 0 or -ENOMEM. */
int audit_rewrite_texts(const AuditText *in, size_t n, AuditText **ret, unsigned *ret_rewritten, Diags *warnings);

/* What the kernel's exclude and user lists drop once augenrules and auditctl have loaded 'in'. */
typedef struct AuditDrop {
        bool selinux;        /* some loaded rule drops a SELinux type (for some process) */
        size_t file;         /* which: index into 'in' */
        unsigned line;       /* 1-based */
        uint32_t type;       /* the lowest SELinux type it drops */
        char types[160];     /* all of them, as auditd names them: "AVC, ... (types 1400-1499)" */
        unsigned n_rejected; /* exclude- and user-list lines auditctl or the kernel refuses */
        unsigned n_unclear;  /* exclude- and user-list lines seprov cannot read with certainty */
} AuditDrop;

/* audit-load.c: simulates loading 'in' (augenrules' order; auditctl stops at the first error unless -i or -c came
 * before; EEXIST on a second identical -a, -d deletes) and looks for a loaded exclude rule that drops
 * a SELinux type, then for a user-list rule that drops USER_AVC for some process (the first that
 * matches decides). Returns 0 or -ENOMEM. */
int audit_load_drops(const AuditText *in, size_t n, AuditDrop *ret);
