/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Diagnostics about input: what is wrong, and exactly where (FILE:LINE:COL). */
#pragma once

#include <stdio.h>

#include "macro.h"

typedef enum DiagLevel {
        DIAG_ERROR,
        DIAG_WARNING,
        DIAG_NOTE, /* what is fine but worth saying: a file that apply skips */
} DiagLevel;

typedef struct Diag {
        DiagLevel level;
        char *file;      /* as the user knows it: a path inside the root, or a pseudo-file */
        unsigned line;   /* 1-based; 0 when the problem is about the whole file */
        unsigned column; /* 1-based; 0 when unknown */
        char *message;
} Diag;

typedef struct Diags {
        Diag *items;
        size_t n;
        size_t n_errors;
} Diags;

/* Records one diagnostic. Returns 0 or -ENOMEM. */
int diag_add(Diags *d, DiagLevel level, const char *file, unsigned line, unsigned column, const char *format, ...)
        _printf_(6, 7);

#define diag_error(d, file, line, column, ...)   diag_add((d), DIAG_ERROR, (file), (line), (column), __VA_ARGS__)
#define diag_warning(d, file, line, column, ...) diag_add((d), DIAG_WARNING, (file), (line), (column), __VA_ARGS__)
#define diag_note(d, file, line, column, ...)    diag_add((d), DIAG_NOTE, (file), (line), (column), __VA_ARGS__)

/* Formats one as "FILE:LINE:COL: message" (warnings: "FILE:LINE:COL: warning: message", notes:
 * "note: ").
 * Returns a new string or NULL when out of memory. */
char *diag_format(const Diag *diag);

/* The same with the file shown as "FILE (HOST_PATH)", where the file is on the machine running the
 * command; 'host_path' NULL: as diag_format(). Returns a new string or NULL when out of memory. */
char *diag_format_host(const Diag *diag, const char *host_path);

/* Prints every diagnostic, one per line. */
void diags_print(const Diags *d, FILE *f);

void diags_clear(Diags *d);

/* Forgets every diagnostic after the first 'n'. */
void diags_truncate(Diags *d, size_t n);
