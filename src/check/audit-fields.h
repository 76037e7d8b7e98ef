/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key=value fields of one audit record's text, and the decoding of their values. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

typedef struct AuditField {
        const char *key; /* not NUL-terminated: key_len bytes */
        size_t key_len;
        const char *value; /* raw, quotes included: value_len bytes */
        size_t value_len;
} AuditField;

/* Steps *p over the next key=value field of an audit record's text and returns it in *ret. Words that
 * are not fields ("avc:", "denied", "{", "for") are skipped. A value is a double-quoted string (up to
 * its closing quote), a single-quoted one (userspace's msg='...': up to the last single quote of the
 * text, as journald reads it), or a run of non-blank bytes.
 * Returns 1 with *ret set, or 0 at the end of the text. */
int audit_field_next(const char **p, AuditField *ret);

/* Whether the field's key is exactly 'key'. */
bool audit_field_is(const AuditField *f, const char *key);

/* Decodes a value the way the kernel and libaudit encode strings: a quoted value loses its quotes;
 * with 'hex' (for fields that carry untrusted strings: comm, path, name, exe...) an unquoted value
 * made of an even number of hex digits is decoded to its bytes, as the kernel writes values with
 * blanks, quotes or control characters; anything else is kept as it is. Control characters and NUL
 * bytes become blanks and bytes that are not UTF-8 become '?', so the result is safe to print and
 * to put in JSON.
 * Returns a new string or NULL when out of memory. */
char *audit_field_value_decode(const char *value, size_t len, bool hex);

/* audit_field_value_decode() of a field's value. */
char *audit_field_decode(const AuditField *f, bool hex);
