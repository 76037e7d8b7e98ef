/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The lines of a set of rules files, each read as auditctl reads it. Internal to the audit action. */
#pragma once

#include "audit-parse.h"
#include "audit-rewrite.h"
#include "macro.h"

typedef struct AuditTextLine {
        const char *start; /* into the text; not NUL-terminated */
        size_t len;        /* without the newline */
        bool newline;      /* ends with '\n' (only the last line of a file may not) */
        bool joined;       /* no newline, and augenrules joins the next file's first line to it */
        bool continued;    /* the rest of a joined line: parsed as part of that line, not on its own */
        size_t file;       /* index of its text */
        unsigned number;   /* 1-based within its file */
        AuditLine parsed;  /* joined: the whole line as auditctl gets it */
} AuditTextLine;

/* Splits 'in' into lines, in order, and parses each as augenrules hands it to auditctl: it concatenates
 * the files, so a file's last line without a newline goes on with the next file's first line (and
 * further, through empty files and files of one unterminated line). Returns 0 or -ENOMEM. */
int audit_lines_split(const AuditText *in, size_t n, AuditTextLine **ret, size_t *ret_n);

void audit_lines_free(AuditTextLine *l, size_t n);

/* A growing byte buffer, kept NUL-terminated. */
typedef struct AuditBuf {
        char *data;
        size_t size, alloc;
} AuditBuf;

/* Appends 'n' bytes. Returns 0 or -ENOMEM. */
int audit_buf_put(AuditBuf *b, const void *p, size_t n);
int audit_buf_printf(AuditBuf *b, const char *format, ...) _printf_(2, 3);
