/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The key=value fields of one audit record's text, and the decoding of their values. */

#include <ctype.h>
#include <stdint.h>

#include "audit-fields.h"
#include "macro.h"

static bool is_blank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool is_key_char(char c) {
        return isalnum((unsigned char) c) || c == '_' || c == '-';
}

/* The end of the value starting at 'v'. */
static const char *value_end(const char *v) {
        const char *e;

        if (*v == '"') {
                e = strchr(v + 1, '"');
                return e ? e + 1 : v + strlen(v);
        }
        if (*v == '\'') {
                e = strrchr(v + 1, '\'');
                return e ? e + 1 : v + strlen(v);
        }
        for (e = v; *e && !is_blank(*e); e++)
                ;
        return e;
}

int audit_field_next(const char **p, AuditField *ret) {
        const char *s;

        assert(p);
        assert(ret);

        s = *p;
        for (;;) {
                const char *k, *v, *e;

                while (is_blank(*s))
                        s++;
                if (!*s) {
                        *p = s;
                        return 0;
                }
                for (k = s; is_key_char(*s); s++)
                        ;
                if (s == k || *s != '=') {
                        /* Not a field: skip the word. */
                        while (*s && !is_blank(*s))
                                s++;
                        continue;
                }
                v = s + 1;
                e = value_end(v);
                *ret = (AuditField){
                        .key = k,
                        .key_len = (size_t) (s - k),
                        .value = v,
                        .value_len = (size_t) (e - v),
                };
                *p = e;
                return 1;
        }
}

bool audit_field_is(const AuditField *f, const char *key) {
        assert(f);
        assert(key);

        return strlen(key) == f->key_len && memcmp(f->key, key, f->key_len) == 0;
}

static int unhex(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

static bool is_hex_string(const char *s, size_t len) {
        if (len == 0 || len % 2 != 0)
                return false;
        for (size_t i = 0; i < len; i++)
                if (unhex(s[i]) < 0)
                        return false;
        return true;
}

/* The length of the well-formed UTF-8 sequence at s (at most 'left' bytes), or 0. */
static size_t utf8_sequence(const unsigned char *s, size_t left) {
        size_t n = s[0] >= 0xf5 ? 0 : s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
        uint32_t c;

        if (n == 0 || n > left)
                return 0;
        c = s[0] & (0x7f >> n);
        for (size_t i = 1; i < n; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                c = c << 6 | (s[i] & 0x3f);
        }
        /* No overlong forms, surrogates or code points past U+10FFFF. */
        if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
                return 0;
        return n;
}

/* Makes 'buf' safe to print and to put in JSON, in place: control characters become blanks, bytes
 * that are not UTF-8 become '?'. */
static void sanitize(char *buf, size_t len) {
        unsigned char *s = (unsigned char *) buf;

        for (size_t i = 0; i < len;) {
                size_t n;
                if (s[i] < 0x80) {
                        if (s[i] < ' ' || s[i] == 0x7f)
                                s[i] = ' ';
                        i++;
                } else if ((n = utf8_sequence(s + i, len - i)) > 0)
                        i += n;
                else
                        s[i++] = '?';
        }
}

char *audit_field_value_decode(const char *value, size_t len, bool hex) {
        bool hexed = false;
        size_t n;
        char *r;

        if (len >= 1 && (value[0] == '"' || value[0] == '\'')) {
                char q = value[0];
                value++, len--;
                if (len >= 1 && value[len - 1] == q)
                        len--;
        } else
                hexed = hex && is_hex_string(value, len);

        n = hexed ? len / 2 : len;
        r = malloc(n + 1);
        if (!r)
                return NULL;
        if (hexed)
                for (size_t i = 0; i < n; i++)
                        r[i] = (char) (unhex(value[2 * i]) << 4 | unhex(value[2 * i + 1]));
        else
                memcpy(r, value, n);
        r[n] = '\0';
        sanitize(r, n);
        return r;
}

char *audit_field_decode(const AuditField *f, bool hex) {
        assert(f);

        return audit_field_value_decode(f->value, f->value_len, hex);
}
