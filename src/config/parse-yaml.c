/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* YAML documents (cloud-config) through libyaml's event parser, into the positioned Node tree. */

#include <ctype.h>
#include <yaml.h>

#include "node.h"

typedef struct YamlReader {
        yaml_parser_t parser;
        const char *text;
        size_t len;
        const char *file;
        Diags *diags;
        bool strict; /* judging what is being read by seprov's rules; else it is cloud-init's */
} YamlReader;

static void yaml_event_deletep(yaml_event_t *e) {
        yaml_event_delete(e);
}
#define _cleanup_event_ _cleanup_(yaml_event_deletep)

static int yaml_fail(YamlReader *y, yaml_mark_t mark, const char *message) {
        int r = diag_error(y->diags, y->file, (unsigned) mark.line + 1, (unsigned) mark.column + 1, "%s", message);
        return r < 0 ? r : -EINVAL;
}

/* A YAML error outside seprov's part of a provisioning document: cloud-init's problem. Returns
 * -EPROTO (stop reading, not an error) or -ENOMEM. */
static int yaml_next_lenient_failed(YamlReader *y) {
        int r = diag_warning(y->diags, y->file, (unsigned) y->parser.problem_mark.line + 1,
                             (unsigned) y->parser.problem_mark.column + 1,
                             "invalid YAML (%s%s%s): cloud-init cannot read this document either; seprov reads no "
                             "more of it",
                             strna(y->parser.problem), y->parser.context ? " " : "", y->parser.context ?: "");
        return r < 0 ? r : -EPROTO;
}

static int yaml_next(YamlReader *y, yaml_event_t *e) {
        int r;

        if (yaml_parser_parse(&y->parser, e))
                return 0;
        if (y->parser.error == YAML_MEMORY_ERROR)
                return -ENOMEM;
        if (!y->strict)
                return yaml_next_lenient_failed(y);
        /* libyaml points at the problem; 'context' says what it was in the middle of. Its message
         * for a tab is cryptic, and tabs are the usual mistake. */
        if (y->parser.problem_mark.index < y->len && y->text[y->parser.problem_mark.index] == '\t') {
                r = diag_error(y->diags, y->file, (unsigned) y->parser.problem_mark.line + 1,
                               (unsigned) y->parser.problem_mark.column + 1,
                               "invalid YAML: a tab here; YAML is indented with spaces only");
                return r < 0 ? r : -EINVAL;
        }
        r = diag_error(y->diags, y->file, (unsigned) y->parser.problem_mark.line + 1,
                       (unsigned) y->parser.problem_mark.column + 1, "invalid YAML: %s%s%s", strna(y->parser.problem),
                       y->parser.context ? " " : "", y->parser.context ?: "");
        return r < 0 ? r : -EINVAL;
}

static bool is_one_of(const char *s, const char *const *words) {
        for (; *words; words++)
                if (streq(s, *words))
                        return true;
        return false;
}

/* Copies 's' without YAML 1.1's digit-group underscores. */
static char *strip_underscores(const char *s) {
        char *r = malloc(strlen(s) + 1), *d = r;

        if (!r)
                return NULL;
        for (; *s; s++)
                if (*s != '_')
                        *d++ = *s;
        *d = '\0';
        return r;
}

/* YAML 1.1 integers as PyYAML resolves them: decimal, 0x hex, 0-prefixed octal. */
static bool resolve_int(const char *s, int64_t *ret) {
        _cleanup_free_ char *d = strip_underscores(s);
        const char *p;
        char *end;
        long long v;

        if (!d)
                return false;
        p = d + (d[0] == '+' || d[0] == '-');
        if (!isdigit((unsigned char) p[0]) || strchr(p, '+') || strchr(p, '-'))
                return false;
        errno = 0;
        v = strtoll(d, &end, 0);
        if (errno != 0 || *end != '\0')
                return false;
        *ret = v;
        return true;
}

static size_t span_digits(const char *p) {
        size_t n = 0;
        while (isdigit((unsigned char) p[n]))
                n++;
        return n;
}

/* YAML 1.1 floats: [-+]?digits.digits?([eE][-+]digits)?, .digits, and .inf/.nan spellings. */
static bool resolve_float(const char *s) {
        static const char *const special[] = { ".inf",  ".Inf",  ".INF", "-.inf", "-.Inf", "-.INF", "+.inf",
                                               "+.Inf", "+.INF", ".nan", ".NaN",  ".NAN",  NULL };
        _cleanup_free_ char *d = strip_underscores(s);
        const char *p;
        size_t before;

        if (!d)
                return false;
        if (is_one_of(d, special))
                return true;
        p = d + (d[0] == '+' || d[0] == '-');
        before = span_digits(p);
        p += before;
        if (*p != '.')
                return false;
        p++;
        if (before == 0 && span_digits(p) == 0)
                return false;
        p += span_digits(p);
        if (*p == 'e' || *p == 'E') {
                p++;
                if (*p != '+' && *p != '-')
                        return false;
                p++;
                if (span_digits(p) == 0)
                        return false;
                p += span_digits(p);
        }
        return *p == '\0';
}

static int resolve_plain(Node *n, const char *v) {
        static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
        static const char *const trues[] = { "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL };
        static const char *const falses[] = { "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL };

        if (is_one_of(v, nulls))
                n->type = NODE_NULL;
        else if (is_one_of(v, trues) || is_one_of(v, falses)) {
                n->type = NODE_BOOL;
                n->boolean = is_one_of(v, trues);
                n->yaml_word = strcasecmp(v, "true") != 0 && strcasecmp(v, "false") != 0;
        } else if (resolve_int(v, &n->integer))
                n->type = NODE_INT;
        else if (resolve_float(v)) {
                n->type = NODE_DOUBLE;
                n->real = strtod(v, NULL);
        } else {
                n->type = NODE_STRING;
                n->string = strdup(v);
                if (!n->string)
                        return -ENOMEM;
        }
        return 0;
}

/* A tag or an anchor on a value seprov reads: an error, recorded; the value is read on. Returns 0 or
 * -ENOMEM. */
static int yaml_refuse_tag_anchor(YamlReader *y, yaml_mark_t mark, const char *tag, const char *anchor) {
        int r = 0;

        if (tag)
                r = diag_error(y->diags, y->file, (unsigned) mark.line + 1, (unsigned) mark.column + 1,
                               "YAML tags are not supported here; remove the tag (quote a value to keep it a string)");
        if (anchor && r >= 0)
                r = diag_error(y->diags, y->file, (unsigned) mark.line + 1, (unsigned) mark.column + 1,
                               "YAML anchors are not supported here; write the value out");
        return r;
}

static int yaml_scalar(YamlReader *y, yaml_event_t *e, Node **ret) {
        const char *value = (const char *) e->data.scalar.value;
        const char *tag = (const char *) e->data.scalar.tag;
        _cleanup_node_free_ Node *n = NULL;
        int r;

        /* Even !!str and "!": what seprov reads is judged strictly, tags are refused (seprov(8)). Both
         * are reported and the parse goes on (a tagged value as a string), to find every problem. */
        r = yaml_refuse_tag_anchor(y, e->start_mark, tag, (const char *) e->data.scalar.anchor);
        if (r < 0)
                return r;
        if (memchr(value, '\0', e->data.scalar.length))
                return yaml_fail(y, e->start_mark, "unexpected NUL character in a value");

        n = node_new(NODE_STRING, (unsigned) e->start_mark.line + 1, (unsigned) e->start_mark.column + 1);
        if (!n)
                return -ENOMEM;
        if (e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !tag)
                r = resolve_plain(n, value);
        else
                r = (n->string = strdup(value)) ? 0 : -ENOMEM;
        if (r < 0)
                return r;
        *ret = TAKE_PTR(n);
        return 0;
}

static int yaml_node(YamlReader *y, yaml_event_t *e, unsigned depth, Node **ret);

static int yaml_member(YamlReader *y, Node *map, yaml_event_t *key, unsigned depth) {
        _cleanup_event_ yaml_event_t ev = {};
        _cleanup_node_free_ Node *value = NULL;
        int r;

        if (key->type != YAML_SCALAR_EVENT)
                return yaml_fail(y, key->start_mark, "a key must be a plain string");
        r = yaml_next(y, &ev);
        if (r < 0)
                return r;
        r = yaml_node(y, &ev, depth + 1, &value);
        if (r < 0)
                return r;
        value->key = strdup((const char *) key->data.scalar.value);
        if (!value->key)
                return -ENOMEM;
        value->key_line = (unsigned) key->start_mark.line + 1;
        value->key_column = (unsigned) key->start_mark.column + 1;
        return node_append(map, TAKE_PTR(value));
}

static int yaml_collection(YamlReader *y, yaml_event_t *start, unsigned depth, Node **ret) {
        bool is_map = start->type == YAML_MAPPING_START_EVENT;
        yaml_event_type_t end = is_map ? YAML_MAPPING_END_EVENT : YAML_SEQUENCE_END_EVENT;
        const yaml_char_t *tag = is_map ? start->data.mapping_start.tag : start->data.sequence_start.tag;
        const yaml_char_t *anchor = is_map ? start->data.mapping_start.anchor : start->data.sequence_start.anchor;
        _cleanup_node_free_ Node *n = NULL;
        int r;

        if (depth >= NODE_MAX_DEPTH)
                return yaml_fail(y, start->start_mark, "nested too deeply");
        r = yaml_refuse_tag_anchor(y, start->start_mark, (const char *) tag, (const char *) anchor);
        if (r < 0)
                return r;
        n = node_new(is_map ? NODE_OBJECT : NODE_ARRAY, (unsigned) start->start_mark.line + 1,
                     (unsigned) start->start_mark.column + 1);
        if (!n)
                return -ENOMEM;

        for (;;) {
                _cleanup_event_ yaml_event_t ev = {};
                Node *item = NULL;

                r = yaml_next(y, &ev);
                if (r < 0)
                        return r;
                if (ev.type == end)
                        break;
                if (is_map)
                        r = yaml_member(y, n, &ev, depth);
                else {
                        r = yaml_node(y, &ev, depth + 1, &item);
                        if (r >= 0)
                                r = node_append(n, item);
                }
                if (r < 0)
                        return r;
        }
        /* Reported duplicates keep the first, and the parse goes on to find more problems. */
        if (is_map) {
                r = node_drop_duplicates(n, /* strict= */ true, y->file, y->diags);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(n);
        return 0;
}

static int yaml_node(YamlReader *y, yaml_event_t *e, unsigned depth, Node **ret) {
        switch (e->type) {
        case YAML_SCALAR_EVENT:
                return yaml_scalar(y, e, ret);
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
                return yaml_collection(y, e, depth, ret);
        case YAML_ALIAS_EVENT:
                return yaml_fail(y, e->start_mark, "YAML aliases are not supported here; write the value out");
        default:
                return yaml_fail(y, e->start_mark, "unexpected YAML structure");
        }
}

/* Reads events of the given type until one is not; returns the first other one in *e. */
static int yaml_expect(YamlReader *y, yaml_event_type_t type, yaml_event_t *e) {
        int r = yaml_next(y, e);
        if (r < 0)
                return r;
        return e->type == type ? 0 : 1;
}

static int yaml_document(YamlReader *y, Node **ret) {
        _cleanup_event_ yaml_event_t stream = {}, doc = {}, body = {}, doc_end = {}, next = {};
        _cleanup_node_free_ Node *root = NULL;
        int r;

        r = yaml_expect(y, YAML_STREAM_START_EVENT, &stream);
        if (r != 0)
                return r < 0 ? r : yaml_fail(y, stream.start_mark, "unexpected YAML structure");
        r = yaml_expect(y, YAML_DOCUMENT_START_EVENT, &doc);
        if (r < 0)
                return r;
        if (r > 0) { /* no document at all: an empty file */
                *ret = node_new(NODE_NULL, 1, 1);
                return *ret ? 0 : -ENOMEM;
        }
        r = yaml_next(y, &body);
        if (r < 0)
                return r;
        r = yaml_node(y, &body, /* depth= */ 0, &root);
        if (r < 0)
                return r;
        r = yaml_expect(y, YAML_DOCUMENT_END_EVENT, &doc_end);
        if (r != 0)
                return r < 0 ? r : yaml_fail(y, doc_end.start_mark, "unexpected YAML structure");
        r = yaml_expect(y, YAML_STREAM_END_EVENT, &next);
        if (r != 0)
                return r < 0 ? r : yaml_fail(y, next.start_mark, "only one YAML document is allowed here");
        *ret = TAKE_PTR(root);
        return 0;
}

int parse_yaml_document(const char *text, size_t len, const char *file, Node **ret, Diags *diags) {
        YamlReader y = { .text = text, .len = len, .file = file, .diags = diags, .strict = true };
        Node *root = NULL;
        int r;

        assert(file);
        assert(ret);
        assert(diags);

        if (!yaml_parser_initialize(&y.parser))
                return -ENOMEM;
        yaml_parser_set_input_string(&y.parser, (const unsigned char *) text, len);
        r = yaml_document(&y, &root);
        yaml_parser_delete(&y.parser);
        if (r < 0)
                return r;
        /* Duplicate keys, tags, anchors: recorded, and the tree is whole without them. */
        *ret = root;
        return 0;
}

/* Skips the node whose first event is 'e', building nothing. Returns 0, -EPROTO or -ENOMEM. */
static int yaml_skip(YamlReader *y, const yaml_event_t *e) {
        unsigned depth = e->type == YAML_MAPPING_START_EVENT || e->type == YAML_SEQUENCE_START_EVENT;

        while (depth > 0) {
                _cleanup_event_ yaml_event_t ev = {};
                int r = yaml_next(y, &ev);

                if (r < 0)
                        return r;
                if (ev.type == YAML_MAPPING_START_EVENT || ev.type == YAML_SEQUENCE_START_EVENT)
                        depth++;
                else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT)
                        depth--;
        }
        return 0;
}

/* seprov's member, read strictly: a second one is an error, as a duplicate key of seprov's own. */
static int yaml_top_ours(YamlReader *y, Node *root, const yaml_event_t *key) {
        _cleanup_event_ yaml_event_t ev = {};
        const char *name = (const char *) key->data.scalar.value;
        const Node *first = node_get(root, name);
        Node *value = NULL;
        int r;

        y->strict = true;
        r = yaml_next(y, &ev);
        if (r >= 0)
                r = yaml_node(y, &ev, /* depth= */ 1, &value);
        y->strict = false;
        if (r < 0)
                return r;
        if (first) {
                node_free(value);
                r = diag_error(y->diags, y->file, (unsigned) key->start_mark.line + 1,
                               (unsigned) key->start_mark.column + 1,
                               "duplicate key \"%s\" (first at line %u, column %u)", name, first->key_line,
                               first->key_column);
                return r < 0 ? r : 0; /* recorded; the first one is read on */
        }
        value->key = strdup(name);
        value->key_line = (unsigned) key->start_mark.line + 1;
        value->key_column = (unsigned) key->start_mark.column + 1;
        return value->key ? node_append(root, value) : (node_free(value), -ENOMEM);
}

/* Any other member: its name and place only (for "did you mean"), whatever its value holds. */
static int yaml_top_other(YamlReader *y, Node *root, const yaml_event_t *key) {
        _cleanup_event_ yaml_event_t ev = {};
        int r;

        if (key->type == YAML_SCALAR_EVENT) {
                Node *n = node_new(NODE_NULL, (unsigned) key->start_mark.line + 1,
                                   (unsigned) key->start_mark.column + 1);
                if (!n)
                        return -ENOMEM;
                n->key = strdup((const char *) key->data.scalar.value);
                n->key_line = n->line;
                n->key_column = n->column;
                r = n->key ? node_append(root, n) : (node_free(n), -ENOMEM);
        } else
                r = yaml_skip(y, key); /* a complex key */
        if (r >= 0)
                r = yaml_next(y, &ev);
        return r < 0 ? r : yaml_skip(y, &ev);
}

static int yaml_top_members(YamlReader *y, const char *key, Node *root) {
        for (;;) {
                _cleanup_event_ yaml_event_t k = {};
                int r = yaml_next(y, &k);

                if (r < 0)
                        return r;
                if (k.type == YAML_MAPPING_END_EVENT)
                        return 0;
                if (k.type == YAML_SCALAR_EVENT && streq((const char *) k.data.scalar.value, key))
                        r = yaml_top_ours(y, root, &k);
                else
                        r = yaml_top_other(y, root, &k);
                if (r < 0)
                        return r;
        }
}

/* After the first document: cloud-init reads exactly one. */
static int yaml_top_end(YamlReader *y) {
        _cleanup_event_ yaml_event_t end = {}, next = {};
        int r = yaml_next(y, &end);

        if (r >= 0)
                r = yaml_next(y, &next);
        if (r < 0 || next.type != YAML_DOCUMENT_START_EVENT)
                return r;
        r = diag_warning(y->diags, y->file, (unsigned) next.start_mark.line + 1, (unsigned) next.start_mark.column + 1,
                         "a second YAML document: cloud-init reads a cloud-config of one; seprov reads the first");
        return r < 0 ? r : 0;
}

static int yaml_provisioning(YamlReader *y, const char *key, Node *root) {
        _cleanup_event_ yaml_event_t stream = {}, doc = {}, body = {};
        int r;

        r = yaml_next(y, &stream);
        if (r >= 0)
                r = yaml_next(y, &doc);
        if (r < 0 || doc.type != YAML_DOCUMENT_START_EVENT) /* an empty file */
                return r;
        r = yaml_next(y, &body);
        if (r < 0)
                return r;
        if (body.type != YAML_MAPPING_START_EVENT) {
                if (body.type == YAML_SCALAR_EVENT && body.data.scalar.length == 0 &&
                    body.data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
                        return 0; /* nothing but the "#cloud-config" line */
                r = diag_warning(y->diags, y->file, (unsigned) body.start_mark.line + 1,
                                 (unsigned) body.start_mark.column + 1,
                                 "a cloud-config is a mapping of keys, not this: cloud-init cannot use it; it has no "
                                 "\"%s\" key",
                                 key);
                return r < 0 ? r : 0;
        }
        r = yaml_top_members(y, key, root);
        return r < 0 ? r : yaml_top_end(y);
}

int parse_yaml_provisioning(const char *text, size_t len, const char *file, const char *key, Node **ret,
                            Diags *diags) {
        YamlReader y = { .text = text, .len = len, .file = file, .diags = diags };
        _cleanup_node_free_ Node *root = node_new(NODE_OBJECT, 1, 1);
        int r;

        assert(file);
        assert(key);
        assert(ret);
        assert(diags);

        if (!root)
                return -ENOMEM;
        if (!yaml_parser_initialize(&y.parser))
                return -ENOMEM;
        yaml_parser_set_input_string(&y.parser, (const unsigned char *) text, len);
        r = yaml_provisioning(&y, key, root);
        yaml_parser_delete(&y.parser);
        if (r < 0 && r != -EPROTO)
                return r;
        /* Duplicate keys, tags, anchors inside seprov's member: recorded, and the tree is whole without
         * them. */
        *ret = TAKE_PTR(root);
        return 0;
}
