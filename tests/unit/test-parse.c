/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON and YAML readers: values, positions, and exact error locations. */

#include "node.h"
#include "strutil.h"
#include "tests.h"

static Node *json_ok(const char *text) {
        Diags d = {};
        Node *n = NULL;

        ASSERT_EQ(parse_json_document(text, strlen(text), "t.json", &n, &d), 0);
        ASSERT_EQ(d.n, 0);
        return n;
}

static Node *yaml_ok(const char *text) {
        Diags d = {};
        Node *n = NULL;

        ASSERT_EQ(parse_yaml_document(text, strlen(text), "t.yaml", &n, &d), 0);
        ASSERT_EQ(d.n, 0);
        return n;
}

/* A problem after which the parse goes on (a duplicate key, a YAML tag or anchor): recorded as an
 * error, and the tree is still built, for the schema's checks in the same pass. */
static void assert_recorded(bool yaml, const char *text, const char *expected) {
        _cleanup_free_ char *s = NULL;
        Diags d = {};
        Node *n = NULL;
        int r;

        r = yaml ? parse_yaml_document(text, strlen(text), "t", &n, &d)
                 : parse_json_document(text, strlen(text), "t", &n, &d);
        ASSERT_EQ(r, 0);
        ASSERT_TRUE(n);
        ASSERT_TRUE(d.n_errors >= 1);
        s = diag_format(&d.items[0]);
        ASSERT_STREQ(s, expected);
        node_free(n);
        diags_clear(&d);
}

static void assert_error(bool yaml, const char *text, const char *expected) {
        _cleanup_free_ char *s = NULL;
        Diags d = {};
        Node *n = NULL;
        int r;

        r = yaml ? parse_yaml_document(text, strlen(text), "t", &n, &d)
                 : parse_json_document(text, strlen(text), "t", &n, &d);
        ASSERT_EQ(r, -EINVAL);
        ASSERT_NULL(n);
        ASSERT_TRUE(d.n_errors >= 1);
        s = diag_format(&d.items[0]);
        ASSERT_STREQ(s, expected);
        diags_clear(&d);
}

TEST(json_values_and_positions) {
        _cleanup_node_free_ Node *n = json_ok("{\n  \"a\": true,\n  \"b\": [1, -2.5, \"x\\u00e9\", null],\n"
                                              "  \"c\": {\"d\": \"e\"}\n}\n");
        Node *a = node_get(n, "a"), *b = node_get(n, "b"), *d;

        ASSERT_EQ(n->type, NODE_OBJECT);
        ASSERT_EQ(n->n_items, 3);
        ASSERT_EQ(a->type, NODE_BOOL);
        ASSERT_TRUE(a->boolean);
        ASSERT_EQ(a->key_line, 2);
        ASSERT_EQ(a->key_column, 3);
        ASSERT_EQ(a->line, 2);
        ASSERT_EQ(a->column, 8);
        ASSERT_EQ(b->type, NODE_ARRAY);
        ASSERT_EQ(b->n_items, 4);
        ASSERT_EQ(b->items[0]->type, NODE_INT);
        ASSERT_EQ(b->items[0]->integer, 1);
        ASSERT_EQ(b->items[1]->type, NODE_DOUBLE);
        ASSERT_EQ(b->items[2]->type, NODE_STRING);
        ASSERT_STREQ(b->items[2]->string, "x\xc3\xa9"); /* json-c decoded the escape */
        ASSERT_EQ(b->items[2]->column, 18);
        ASSERT_EQ(b->items[3]->type, NODE_NULL);
        d = node_get(node_get(n, "c"), "d");
        ASSERT_STREQ(d->string, "e");
        ASSERT_EQ(d->line, 4);
        ASSERT_EQ(d->column, 14);
}

TEST(json_columns_count_characters) {
        _cleanup_node_free_ Node *n = json_ok("{\"\xc3\xa9\xc3\xa9\": 1, \"b\": 2}");
        ASSERT_EQ(node_get(n, "b")->key_column, 11);
}

TEST(json_errors) {
        assert_recorded(false, "{\"a\": 1,\n \"a\": 2}", "t:2:2: duplicate key \"a\" (first at line 1, column 2)");
        assert_error(false, "{\"a\": 1", "t:1:8: unexpected end of file: the JSON document is incomplete");
        assert_error(false, "", "t:1:1: unexpected end of file: the JSON document is incomplete");
        assert_error(false, "{\"a\": tru}", "t:1:10: invalid JSON: boolean expected at '}'");
        assert_error(false, "{\"a\": 1,}", "t:1:9: invalid JSON: '}' after ',': JSON allows no trailing comma");
        assert_error(false, "{\"a\": 1} {", "t:1:10: invalid JSON: unexpected character at '{'");
        assert_error(false, "{'a': 1}",
                     "t:1:2: invalid JSON: strings and keys need double quotes, numbers are digits");
        assert_error(false, "{\"a\": NaN}",
                     "t:1:7: invalid JSON: strings and keys need double quotes, numbers are digits");
        assert_error(false, "{\"a\":\n\n  01}", "t:3:5: invalid JSON: number expected at '}'");
}

TEST(json_nesting_limit) {
        char text[2 * NODE_MAX_DEPTH + 8];
        size_t i;

        for (i = 0; i < NODE_MAX_DEPTH + 2; i++)
                text[i] = '[';
        text[i] = '\0';
        {
                Diags d = {};
                Node *n = NULL;
                ASSERT_EQ(parse_json_document(text, strlen(text), "t", &n, &d), -EINVAL);
                ASSERT_EQ(d.n_errors, 1);
                diags_clear(&d);
        }
}

TEST(yaml_resolution) {
        _cleanup_node_free_ Node *n = yaml_ok("#cloud-config\n"
                                              "a: yes\nb: Off\nc: 400\nd: '400'\ne: 1.0.0\nf: 1.5\n"
                                              "g: ~\nh:\ni: enforcing\nj: 0x1F\nk: \"true\"\nl: 08\n");

        ASSERT_EQ(node_get(n, "a")->type, NODE_BOOL);
        ASSERT_TRUE(node_get(n, "a")->boolean);
        ASSERT_TRUE(!node_get(n, "b")->boolean);
        ASSERT_EQ(node_get(n, "c")->type, NODE_INT);
        ASSERT_EQ(node_get(n, "c")->integer, 400);
        ASSERT_EQ(node_get(n, "d")->type, NODE_STRING);
        ASSERT_STREQ(node_get(n, "e")->string, "1.0.0");
        ASSERT_EQ(node_get(n, "f")->type, NODE_DOUBLE);
        ASSERT_EQ(node_get(n, "g")->type, NODE_NULL);
        ASSERT_EQ(node_get(n, "h")->type, NODE_NULL);
        ASSERT_STREQ(node_get(n, "i")->string, "enforcing");
        ASSERT_EQ(node_get(n, "j")->integer, 31);
        ASSERT_EQ(node_get(n, "k")->type, NODE_STRING);
        ASSERT_EQ(node_get(n, "l")->type, NODE_STRING);
        ASSERT_EQ(node_get(n, "i")->key_line, 10);
        ASSERT_EQ(node_get(n, "i")->column, 4);
}

TEST(yaml_structure) {
        _cleanup_node_free_ Node *n =
                yaml_ok("seprov:\n  selinux:\n    booleans:\n      - name: x\n        value: true\n");
        Node *b = node_get(node_get(node_get(n, "seprov"), "selinux"), "booleans");

        ASSERT_EQ(b->type, NODE_ARRAY);
        ASSERT_EQ(b->n_items, 1);
        ASSERT_EQ(b->items[0]->line, 4);
        ASSERT_EQ(b->items[0]->column, 9);
        ASSERT_STREQ(node_get(b->items[0], "name")->string, "x");
}

TEST(yaml_empty) {
        _cleanup_node_free_ Node *n = yaml_ok("#cloud-config\n");
        ASSERT_EQ(n->type, NODE_NULL);
}

TEST(yaml_errors) {
        assert_recorded(true, "a: 1\na: 2\n", "t:2:1: duplicate key \"a\" (first at line 1, column 1)");
        assert_error(true, "a: 1\nb: *x\n", "t:2:4: YAML aliases are not supported here; write the value out");
        /* An anchor alone is refused too, as the man page says: nothing in seprov's files may use one. */
        assert_recorded(true, "a: &x 1\n", "t:1:4: YAML anchors are not supported here; write the value out");
        assert_recorded(true, "a: &x\n  b: 1\n", "t:1:4: YAML anchors are not supported here; write the value out");
        assert_recorded(true, "a: !!binary aGk=\n",
                        "t:1:4: YAML tags are not supported here; remove the tag (quote a value to keep it a string)");
        /* Every tag, even the string tags: seprov's files are judged strictly. */
        assert_recorded(true, "a: !!str on\n",
                        "t:1:4: YAML tags are not supported here; remove the tag (quote a value to keep it a string)");
        assert_recorded(true, "a: ! on\n",
                        "t:1:4: YAML tags are not supported here; remove the tag (quote a value to keep it a string)");
        assert_error(true, "a: 1\n---\nb: 2\n", "t:2:1: only one YAML document is allowed here");
        assert_error(true, "a: [1, 2\n",
                     "t:2:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence");
        assert_error(true, "? [a]\n: 1\n", "t:1:3: a key must be a plain string");
        assert_error(true, "a:\n\tb: 1\n", "t:2:1: invalid YAML: a tab here; YAML is indented with spaces only");
}

TEST(json_nul_in_string) {
        /* json-c decodes \u0000; a C string would end there, silently shortening the value. */
        assert_error(false, "{\"a\": \"en\\u0000forcing\"}",
                     "t:1:7: a NUL character (\\u0000) in a string is not allowed here");
        assert_error(false, "{\"a\\u0000b\": 1}", "t:1:2: a NUL character (\\u0000) in a string is not allowed here");
}

/* Many keys: the duplicate check must not be quadratic (40k keys took seconds). */
static char *many_keys(bool yaml, size_t n, bool duplicate) {
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);

        ASSERT_TRUE(f);
        fputs(yaml ? "" : "{", f);
        for (size_t i = 0; i < n; i++)
                fprintf(f, yaml ? "%sk%zu: %zu\n" : "%s\"k%zu\": %zu", yaml || i == 0 ? "" : ",",
                        duplicate && i == n - 1 ? (size_t) 7 : i, i);
        fputs(yaml ? "" : "}", f);
        ASSERT_EQ(fclose(f), 0);
        return text;
}

TEST(duplicates_at_scale) {
        for (int yaml = 0; yaml <= 1; yaml++) {
                _cleanup_free_ char *ok = many_keys(yaml, 40000, false), *dup = many_keys(yaml, 40000, true);
                Diags d = {};
                Node *n = NULL;
                int r;

                r = yaml ? parse_yaml_document(ok, strlen(ok), "t", &n, &d)
                         : parse_json_document(ok, strlen(ok), "t", &n, &d);
                ASSERT_EQ(r, 0);
                ASSERT_EQ(n->n_items, 40000);
                n = node_free(n);
                r = yaml ? parse_yaml_document(dup, strlen(dup), "t", &n, &d)
                         : parse_json_document(dup, strlen(dup), "t", &n, &d);
                ASSERT_EQ(r, 0); /* recorded; the first of the two kept */
                ASSERT_EQ(n->n_items, 39999);
                n = node_free(n);
                ASSERT_EQ(d.n_errors, 1);
                ASSERT_TRUE(strstr(d.items[0].message, "duplicate key \"k7\""));
                ASSERT_EQ(d.items[0].line, yaml ? 40000 : 1);
                diags_clear(&d);
        }
}

/* A provisioning document: only the "seprov" member is judged; the rest is read as its own tool does. */
TEST(json_provisioning) {
        static const char text[] =
                "{\"ignition\": {\"version\": \"3.3.0\"}, \"x\": 1, \"x\": {\"y\": \"a\\u0000b\", \"y\": 2},\n"
                " \"seprov\": {\"version\": \"1.0.0\"}}";
        static const char dup[] = "{\"ignition\": {}, \"seprov\": {\"a\": 1, \"a\": 2}}";
        static const char twice[] = "{\"ignition\": {}, \"seprov\": {}, \"seprov\": {}}";
        Diags d = {};
        Node *n = NULL;

        ASSERT_EQ(parse_json_provisioning(text, strlen(text), "t", "seprov", &n, &d), 0);
        ASSERT_EQ(d.n, 0);
        ASSERT_EQ(n->n_items, 3);
        ASSERT_EQ(node_get(node_get(n, "x"), "y")->integer, 2); /* Go's JSON: the last one counts */
        ASSERT_STREQ(node_get(node_get(n, "seprov"), "version")->string, "1.0.0");
        ASSERT_EQ(node_get(n, "seprov")->key_line, 2);
        n = node_free(n);
        ASSERT_EQ(parse_json_provisioning(dup, strlen(dup), "t", "seprov", &n, &d), 0);
        n = node_free(n);
        ASSERT_STREQ(d.items[0].message, "duplicate key \"a\" (first at line 1, column 29)");
        diags_clear(&d);
        ASSERT_EQ(parse_json_provisioning(twice, strlen(twice), "t", "seprov", &n, &d), 0);
        n = node_free(n);
        ASSERT_STREQ(d.items[0].message, "duplicate key \"seprov\" (first at line 1, column 18)");
        diags_clear(&d);
}

#define YAML_PROV(text, ...) parse_yaml_provisioning(text, strlen(text), __VA_ARGS__)

static Node *yaml_provisioning_ok(const char *text, size_t n_warnings) {
        Diags d = {};
        Node *n = NULL;

        ASSERT_EQ(parse_yaml_provisioning(text, strlen(text), "t", "seprov", &n, &d), 0);
        if (d.n != n_warnings)
                diags_print(&d, stderr);
        ASSERT_EQ(d.n, n_warnings);
        ASSERT_EQ(d.n_errors, 0);
        diags_clear(&d);
        return n;
}

TEST(yaml_provisioning) {
        /* cloud-init's own features anywhere but in "seprov": tags, anchors, aliases, merge keys,
         * duplicate keys, a complex key. */
        static const char text[] = "#cloud-config\n"
                                   "write_files:\n- path: /etc/motd\n  content: !!binary |\n    aGVsbG8K\n"
                                   "base: &b {shell: /bin/bash}\n"
                                   "users:\n- <<: *b\n  name: core\n"
                                   "runcmd: [a]\nruncmd: [b]\n"
                                   "? [complex]\n: key\n"
                                   "seprov:\n  version: 1.0.0\n";
        _cleanup_node_free_ Node *n = yaml_provisioning_ok(text, 0), *late = NULL, *empty = NULL, *list = NULL;
        Diags d = {};
        Node *x = NULL;

        ASSERT_STREQ(node_get(node_get(n, "seprov"), "version")->string, "1.0.0");
        ASSERT_EQ(node_get(n, "seprov")->key_line, 14);
        ASSERT_EQ(node_get(n, "write_files")->type, NODE_NULL); /* not read: a name and a place */

        /* A YAML error after seprov's member: cloud-init's problem, a warning; what was read counts. */
        late = yaml_provisioning_ok("#cloud-config\nseprov:\n  version: 1.0.0\nbad: [1, 2\n", 1);
        ASSERT_TRUE(node_get(late, "seprov"));
        empty = yaml_provisioning_ok("#cloud-config\n", 0);
        list = yaml_provisioning_ok("#cloud-config\n- a\n", 1);
        ASSERT_EQ(list->n_items, 0);
        node_free(yaml_provisioning_ok("a: 1\n---\nb: 2\n", 1));

        /* Inside "seprov", seprov's rules. */
        ASSERT_EQ(YAML_PROV("seprov: !!map {}\n", "t", "seprov", &x, &d), 0);
        x = node_free(x);
        ASSERT_STREQ(d.items[0].message,
                     "YAML tags are not supported here; remove the tag (quote a value to keep it a string)");
        diags_clear(&d);
        ASSERT_EQ(YAML_PROV("seprov:\n  selinux:\n    mode: !!str enforcing\n", "t", "seprov", &x, &d), 0);
        x = node_free(x);
        ASSERT_EQ(d.items[0].line, 3);
        ASSERT_EQ(d.items[0].column, 11);
        diags_clear(&d);
        ASSERT_EQ(YAML_PROV("a: &x 1\nseprov: *x\n", "t", "seprov", &x, &d), -EINVAL);
        ASSERT_EQ(d.items[0].line, 2);
        diags_clear(&d);
        ASSERT_EQ(YAML_PROV("seprov:\n  a: 1\n  a: 2\n", "t", "seprov", &x, &d), 0);
        x = node_free(x);
        ASSERT_STREQ(d.items[0].message, "duplicate key \"a\" (first at line 2, column 3)");
        diags_clear(&d);
        ASSERT_EQ(YAML_PROV("seprov: {}\nseprov: {}\n", "t", "seprov", &x, &d), 0);
        ASSERT_EQ(d.n_errors, 1);
        x = node_free(x);
        diags_clear(&d);
        ASSERT_EQ(YAML_PROV("seprov:\n  a: [1\n", "t", "seprov", &x, &d), -EINVAL);
        ASSERT_EQ(d.items[0].level, DIAG_ERROR);
        diags_clear(&d);
}

int main(void) {
        RUN_TEST(json_values_and_positions);
        RUN_TEST(json_columns_count_characters);
        RUN_TEST(json_errors);
        RUN_TEST(json_nesting_limit);
        RUN_TEST(yaml_resolution);
        RUN_TEST(yaml_structure);
        RUN_TEST(yaml_empty);
        RUN_TEST(yaml_errors);
        RUN_TEST(json_nul_in_string);
        RUN_TEST(duplicates_at_scale);
        RUN_TEST(json_provisioning);
        RUN_TEST(yaml_provisioning);
        return 0;
}
