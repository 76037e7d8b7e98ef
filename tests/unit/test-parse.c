/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The JSON and YAML readers: values, positions, and exact error locations. */

#include "node.h"
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
        assert_error(false, "{\"a\": 1,\n \"a\": 2}", "t:2:2: duplicate key \"a\" (first at line 1, column 2)");
        assert_error(false, "{\"a\": 1", "t:1:8: unexpected end of file: the JSON document is incomplete");
        assert_error(false, "", "t:1:1: unexpected end of file: the JSON document is incomplete");
        assert_error(false, "{\"a\": tru}", "t:1:10: invalid JSON: boolean expected at '}'");
        assert_error(false, "{\"a\": 1,}", "t:1:9: invalid JSON: '}' after ',': JSON allows no trailing comma");
        assert_error(false, "{\"a\": 1} {", "t:1:10: invalid JSON: unexpected character at '{'");
        assert_error(false, "{'a': 1}", "t:1:2: invalid JSON: strings and keys need double quotes, numbers are digits");
        assert_error(false, "{\"a\": NaN}", "t:1:7: invalid JSON: strings and keys need double quotes, numbers are digits");
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
        _cleanup_node_free_ Node *n = yaml_ok("seprov:\n  selinux:\n    booleans:\n      - name: x\n        value: true\n");
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
        assert_error(true, "a: 1\na: 2\n", "t:2:1: duplicate key \"a\" (first at line 1, column 1)");
        assert_error(true, "a: &x 1\nb: *x\n", "t:2:4: YAML aliases are not supported here; write the value out");
        assert_error(true, "a: !!binary aGk=\n", "t:1:4: YAML tags are not supported here");
        assert_error(true, "a: 1\n---\nb: 2\n", "t:2:1: only one YAML document is allowed here");
        assert_error(true, "a: [1, 2\n", "t:2:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence");
        assert_error(true, "? [a]\n: 1\n", "t:1:3: a key must be a plain string");
        assert_error(true, "a:\n\tb: 1\n", "t:2:1: invalid YAML: a tab here; YAML is indented with spaces only");
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
        return 0;
}
