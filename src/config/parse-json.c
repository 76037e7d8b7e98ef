/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* JSON documents: json-c validates and decodes; a position-tracking walk builds the Node tree. */

#include <json-c/json.h>

#include "json-util.h"
#include "node.h"
#include "strutil.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(json_tokener *, json_tokener_free);

typedef struct Scanner {
        const char *text;
        size_t len, pos;
        unsigned line, column;
        const char *file;
        Diags *diags;
        json_tokener *tok;      /* reused to decode each scalar token */
        const char *strict_key; /* a provisioning document: only this top-level member is seprov's */
        bool strict;            /* judging what is being read by seprov's rules */
} Scanner;

static char peek(const Scanner *s) {
        return s->pos < s->len ? s->text[s->pos] : '\0';
}

static void advance(Scanner *s, size_t n) {
        for (; n > 0 && s->pos < s->len; n--, s->pos++) {
                unsigned char c = (unsigned char) s->text[s->pos];
                if (c == '\n') {
                        s->line++;
                        s->column = 1;
                } else if ((c & 0xC0) != 0x80)
                        s->column++;
        }
}

static void skip_ws(Scanner *s) {
        while (s->pos < s->len && strchr(" \t\r\n", s->text[s->pos]) && s->text[s->pos])
                advance(s, 1);
}

/* The walk only runs on text json-c accepted, so a surprise here is a bug in this file or in
 * json-c; it is still reported, never trusted. */
static int scan_fail(Scanner *s, const char *what) {
        int r = diag_error(s->diags, s->file, s->line, s->column, "%s", what);
        return r < 0 ? r : -EINVAL;
}

/* Length of the token at the cursor: a whole string with its quotes, or a bare literal. */
static size_t token_length(const Scanner *s) {
        size_t i = s->pos;

        if (peek(s) == '"') {
                for (i++; i < s->len && s->text[i] != '"'; i++)
                        if (s->text[i] == '\\')
                                i++;
                return MIN(i + 1, s->len) - s->pos;
        }
        while (i < s->len && !strchr(",]}: \t\r\n", s->text[i]) && s->text[i])
                i++;
        return i - s->pos;
}

/* Decodes one scalar token with json-c. */
static int decode_scalar(Scanner *s, size_t len, json_object **ret) {
        _cleanup_free_ char *token = strndup(s->text + s->pos, len);
        json_object *o;

        if (!token)
                return -ENOMEM;
        json_tokener_reset(s->tok);
        /* Include the terminating NUL so that a number knows where it ends. */
        o = json_tokener_parse_ex(s->tok, token, (int) len + 1);
        if (!o && json_tokener_get_error(s->tok) != json_tokener_success)
                return scan_fail(s, "cannot decode this value");
        *ret = o;
        return 0;
}

static int node_from_json(const Scanner *s, json_object *o, Node **ret) {
        NodeType type;
        Node *n;

        /* json-c decodes "\u0000" into the string; a C string would silently end there. */
        if (json_object_get_type(o) == json_type_string &&
            strlen(json_object_get_string(o)) != (size_t) json_object_get_string_len(o)) {
                if (s->strict)
                        return -EBADMSG;
                *ret = node_new(NODE_NULL, s->line, s->column); /* not seprov's: its tool's business */
                return *ret ? 0 : -ENOMEM;
        }

        switch (json_object_get_type(o)) {
        case json_type_null:
                type = NODE_NULL;
                break;
        case json_type_boolean:
                type = NODE_BOOL;
                break;
        case json_type_int:
                type = NODE_INT;
                break;
        case json_type_double:
                type = NODE_DOUBLE;
                break;
        case json_type_string:
                type = NODE_STRING;
                break;
        default:
                return -EINVAL;
        }
        n = node_new(type, s->line, s->column);
        if (!n)
                return -ENOMEM;
        if (type == NODE_BOOL)
                n->boolean = json_object_get_boolean(o);
        else if (type == NODE_INT)
                n->integer = json_object_get_int64(o);
        else if (type == NODE_DOUBLE)
                n->real = json_object_get_double(o);
        else if (type == NODE_STRING && !(n->string = strdup(json_object_get_string(o)))) {
                node_free(n);
                return -ENOMEM;
        }
        *ret = n;
        return 0;
}

/* json-c's strict mode still takes 'single-quoted' keys, NaN and Infinity; JSON does not. */
static bool token_is_json(const Scanner *s, size_t len) {
        const char *t = s->text + s->pos;
        char c = t[0];

        if (c == '"' || c == '-' || (c >= '0' && c <= '9'))
                return true;
        return (len == 4 && (strneq(t, "true", 4) || strneq(t, "null", 4))) || (len == 5 && strneq(t, "false", 5));
}

static int scan_scalar(Scanner *s, Node **ret) {
        _cleanup_(json_object_putp) json_object *o = NULL;
        size_t len = token_length(s);
        int r;

        if (!token_is_json(s, len))
                return scan_fail(s, "invalid JSON: strings and keys need double quotes, numbers are digits");

        r = decode_scalar(s, len, &o);
        if (r < 0)
                return r;
        r = node_from_json(s, o, ret);
        if (r == -EINVAL)
                return scan_fail(s, "unexpected value");
        if (r == -EBADMSG)
                return scan_fail(s, "a NUL character (\\u0000) in a string is not allowed here");
        if (r < 0)
                return r;
        advance(s, len);
        return 0;
}

static int scan_value(Scanner *s, unsigned depth, Node **ret);

static int scan_member(Scanner *s, Node *object, unsigned depth) {
        _cleanup_node_free_ Node *key = NULL, *value = NULL;
        int r;

        skip_ws(s);
        r = scan_scalar(s, &key);
        if (r < 0)
                return r;
        if (key->type != NODE_STRING)
                return scan_fail(s, "invalid JSON: a key must be a string");
        skip_ws(s);
        if (peek(s) != ':')
                return scan_fail(s, "expected ':'");
        advance(s, 1);
        skip_ws(s);
        if (depth == 0 && s->strict_key)
                s->strict = streq(key->string, s->strict_key);
        r = scan_value(s, depth + 1, &value);
        if (depth == 0 && s->strict_key)
                s->strict = false;
        if (r < 0)
                return r;
        value->key = TAKE_PTR(key->string);
        key->type = NODE_NULL;
        value->key_line = key->line;
        value->key_column = key->column;
        return node_append(object, TAKE_PTR(value));
}

static int scan_container(Scanner *s, unsigned depth, Node **ret) {
        bool is_object = peek(s) == '{';
        char close = is_object ? '}' : ']';
        _cleanup_node_free_ Node *n = node_new(is_object ? NODE_OBJECT : NODE_ARRAY, s->line, s->column);
        int r;

        if (!n)
                return -ENOMEM;
        if (depth >= NODE_MAX_DEPTH)
                return scan_fail(s, "nested too deeply");
        advance(s, 1);
        skip_ws(s);
        if (peek(s) == close) {
                advance(s, 1);
                *ret = TAKE_PTR(n);
                return 0;
        }
        for (;;) {
                if (is_object)
                        r = scan_member(s, n, depth);
                else {
                        Node *item = NULL;
                        r = scan_value(s, depth + 1, &item);
                        if (r >= 0)
                                r = node_append(n, item);
                }
                if (r < 0)
                        return r;
                skip_ws(s);
                if (peek(s) == close) {
                        advance(s, 1);
                        break;
                }
                if (peek(s) != ',')
                        return scan_fail(s, "expected ',' or the end of the list");
                advance(s, 1);
        }
        /* Reported duplicates keep the first and the parse goes on, to find more problems. A
         * provisioning document's top level is judged by its caller. */
        if (is_object && !(depth == 0 && s->strict_key)) {
                r = node_drop_duplicates(n, s->strict, s->file, s->diags);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(n);
        return 0;
}

static int scan_value(Scanner *s, unsigned depth, Node **ret) {
        skip_ws(s);
        if (peek(s) == '{' || peek(s) == '[')
                return scan_container(s, depth, ret);
        if (s->pos >= s->len)
                return scan_fail(s, "unexpected end of file");
        return scan_scalar(s, ret);
}

static char previous_nonspace(const char *text, size_t end) {
        while (end > 0 && strchr(" \t\r\n", text[end - 1]))
                end--;
        return end > 0 ? text[end - 1] : '\0';
}

/* json-c's verdict on the whole text, reported at the exact place it stopped. */
static int json_check_syntax(const char *text, size_t len, const char *file, json_tokener *tok, Diags *diags) {
        _cleanup_(json_object_putp) json_object *o = NULL;
        enum json_tokener_error err;
        unsigned line, column;
        size_t end;
        int r = 0;

        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        o = json_tokener_parse_ex(tok, text, (int) len + 1);
        err = json_tokener_get_error(tok);
        end = json_tokener_get_parse_end(tok);
        if (!o || err != json_tokener_success) {
                node_text_position(text, MIN(end, len), &line, &column);
                if (err == json_tokener_continue || err == json_tokener_error_parse_eof || end >= len)
                        r = diag_error(diags, file, line, column,
                                       "unexpected end of file: the JSON document is incomplete");
                else if (end < len && strchr("}]", text[end]) && previous_nonspace(text, end) == ',')
                        r = diag_error(diags, file, line, column,
                                       "invalid JSON: '%c' after ',': JSON allows no trailing comma", text[end]);
                else if (end < len && text[end] > ' ' && text[end] < 0x7f)
                        r = diag_error(diags, file, line, column, "invalid JSON: %s at '%c'",
                                       json_tokener_error_desc(err), text[end]);
                else
                        r = diag_error(diags, file, line, column, "invalid JSON: %s", json_tokener_error_desc(err));
                return r < 0 ? r : -EINVAL;
        }
        if (end < len && strspn(text + end, " \t\r\n") < len - end) {
                end += strspn(text + end, " \t\r\n");
                node_text_position(text, end, &line, &column);
                r = diag_error(diags, file, line, column, "unexpected content after the end of the JSON document");
                return r < 0 ? r : -EINVAL;
        }
        return 0;
}

/* The top level of a provisioning document: a repeated 'key' is seprov's problem, any other
 * repeated member its tool's (the last one counts). */
static int drop_top_duplicates(Node *root, const char *key, const char *file, Diags *diags) {
        const Node *first = NULL;
        size_t kept = 0;
        int r = 0;

        for (size_t i = 0; i < root->n_items; i++) {
                Node *m = root->items[i];

                if (streq(m->key, key) && first) {
                        if (r >= 0)
                                r = diag_error(diags, file, m->key_line, m->key_column,
                                               "duplicate key \"%s\" (first at line %u, column %u)", m->key,
                                               first->key_line, first->key_column);
                        node_free(m);
                        continue;
                }
                if (streq(m->key, key))
                        first = m;
                root->items[kept++] = m;
        }
        root->n_items = kept;
        return r < 0 ? r : node_drop_duplicates(root, /* strict= */ false, file, diags);
}

static int parse_json(const char *text, size_t len, const char *file, const char *strict_key, Node **ret,
                      Diags *diags) {
        _cleanup_(json_tokener_freep) json_tokener *tok = NULL;
        _cleanup_node_free_ Node *root = NULL;
        const char *nul = memchr(text, '\0', len);
        unsigned line, column;
        Scanner s;
        int r;

        if (nul) {
                node_text_position(text, nul - text, &line, &column);
                r = diag_error(diags, file, line, column, "unexpected NUL byte: this is not a text file");
                return r < 0 ? r : -EINVAL;
        }
        tok = json_tokener_new_ex(NODE_MAX_DEPTH);
        if (!tok)
                return -ENOMEM;
        r = json_check_syntax(text, len, file, tok, diags);
        if (r < 0)
                return r;

        s = (Scanner){ .text = text,
                       .len = len,
                       .line = 1,
                       .column = 1,
                       .file = file,
                       .diags = diags,
                       .tok = tok,
                       .strict_key = strict_key,
                       .strict = !strict_key };
        json_tokener_set_flags(tok, 0);
        r = scan_value(&s, /* depth= */ 0, &root);
        if (r >= 0 && strict_key && root->type == NODE_OBJECT)
                r = drop_top_duplicates(root, strict_key, file, diags);
        if (r < 0)
                return r;
        /* Duplicate keys: recorded, and the tree is whole without them (the first of each kept). */
        *ret = TAKE_PTR(root);
        return 0;
}

int parse_json_document(const char *text, size_t len, const char *file, Node **ret, Diags *diags) {
        assert(file);
        assert(ret);
        assert(diags);

        return parse_json(text, len, file, /* strict_key= */ NULL, ret, diags);
}

int parse_json_provisioning(const char *text, size_t len, const char *file, const char *key, Node **ret,
                            Diags *diags) {
        assert(file);
        assert(key);
        assert(ret);
        assert(diags);

        return parse_json(text, len, file, key, ret, diags);
}
