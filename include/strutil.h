/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* String and string-vector helpers. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

#include "macro.h"

/* Concatenates its arguments up to NULL. Returns a new string or NULL when out of memory. */
char *strjoin_internal(const char *first, ...) _sentinel_;
#define strjoin(...) strjoin_internal(__VA_ARGS__, NULL)

/* Returns a new string formatted like printf, or NULL when out of memory. */
char *strprintf(const char *format, ...) _printf_(1, 2);
/* The same with a va_list. Returns a new string or NULL when out of memory. */
char *vstrprintf(const char *format, va_list ap) _printf_(1, 0);

/* In a function whose last parameters are (const char *format, ...): those arguments formatted like
 * printf. A new string, or NULL when out of memory. */
#define STRPRINTF_VA(format)                            \
        ({                                              \
                va_list _ap_;                           \
                va_start(_ap_, format);                 \
                char *_s_ = vstrprintf((format), _ap_); \
                va_end(_ap_);                           \
                _s_;                                    \
        })

/* "a/b", without a double slash when 'a' is "/". Returns a new string or NULL when out of memory. */
char *path_join(const char *a, const char *b);

/* Appends to *s (which may be NULL). Returns 0 or -ENOMEM. */
int strextend(char **s, const char *format, ...) _printf_(2, 3);

/* Joins a message that arrives in pieces, as libsepol's CIL compiler logs one ("Failed to resolve
 * allow statement", " at FILE:LINE\n"): appends 'piece' to *line and, when *line starts, keeps the
 * piece's 'level' in *line_level. Returns 1 once *line is whole (its newline removed), 0 while it is
 * not, or -ENOMEM. */
int strextend_line(char **line, int *line_level, int level, const char *piece);

/* systemd's boolean words, case-insensitive: 1/yes/y/true/t/on and 0/no/n/false/f/off.
 * Returns 1, 0, or -EINVAL. */
int parse_boolean(const char *s);

/* The edit distance between two strings, ignoring ASCII case. */
size_t string_distance(const char *a, const char *b);

/* Of 'candidates' (NULL-terminated), the one closest to 's' when close enough to be a plausible
 * misspelling (one that differs in case only, first), else NULL. */
const char *string_nearest(const char *s, const char *const *candidates);

/* NULL-terminated string vectors. */
char **strv_free(char **l);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free);
#define _cleanup_strv_free_ _cleanup_(strv_freep)
size_t strv_length(char *const *l);
/* Takes ownership of 'value' (freed on failure). Returns 0 or -ENOMEM. */
int strv_consume(char ***l, char *value);
int strv_extend(char ***l, const char *value);
bool strv_contains(char *const *l, const char *s);
/* Removes (and frees) every entry equal to 's', in place. Returns 'l'. */
char **strv_remove(char **l, const char *s);
#define STRV_MAKE(...)     ((char **) ((const char *[]){ __VA_ARGS__, NULL }))
#define STRV_FOREACH(s, l) for (char *const *s = (l); s && *s; s++)

/* Sorts with strcmp() in place. */
void strv_sort(char **l);

/* "a, b or c" from a NULL-terminated list. Returns a new string or NULL when out of memory. */
char *strv_join_or(const char *const *names);

/* Compares file names the way "ls -v" and "sort -V" do (gnulib's filevercmp(): runs of digits by
 * value, file suffixes like ".rules" considered last). Returns <0, 0 or >0. */
int filevercmp(const char *a, const char *b);
