/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The positioned document tree both config parsers produce. */

#include "node.h"

Node *node_new(NodeType type, unsigned line, unsigned column) {
        Node *n = calloc(1, sizeof(Node));
        if (!n)
                return NULL;
        n->type = type;
        n->line = line;
        n->column = column;
        return n;
}

Node *node_free(Node *n) {
        if (!n)
                return NULL;
        for (size_t i = 0; i < n->n_items; i++)
                node_free(n->items[i]);
        free(n->items);
        if (n->type == NODE_STRING)
                free(n->string);
        free(n->key);
        return mfree(n);
}

int node_append(Node *parent, Node *child) {
        Node **items;

        assert(parent);
        assert(child);

        items = reallocarray(parent->items, parent->n_items + 1, sizeof(Node *));
        if (!items) {
                node_free(child);
                return -ENOMEM;
        }
        parent->items = items;
        parent->items[parent->n_items++] = child;
        return 0;
}

Node *node_get(const Node *object, const char *key) {
        assert(key);

        if (!object || object->type != NODE_OBJECT)
                return NULL;
        for (size_t i = 0; i < object->n_items; i++)
                if (streq(object->items[i]->key, key))
                        return object->items[i];
        return NULL;
}

const char *node_type_describe(NodeType type) {
        switch (type) {
        case NODE_NULL:
                return "null";
        case NODE_BOOL:
                return "a boolean";
        case NODE_INT:
                return "an integer";
        case NODE_DOUBLE:
                return "a number";
        case NODE_STRING:
                return "a string";
        case NODE_OBJECT:
                return "an object";
        case NODE_ARRAY:
                return "a list";
        }
        return "a value";
}

void node_text_position(const char *text, size_t offset, unsigned *ret_line, unsigned *ret_column) {
        unsigned line = 1, column = 1;

        assert(text);
        assert(ret_line);
        assert(ret_column);

        for (size_t i = 0; i < offset && text[i]; i++) {
                unsigned char c = (unsigned char) text[i];
                if (c == '\n') {
                        line++;
                        column = 1;
                } else if ((c & 0xC0) != 0x80) /* count characters, not UTF-8 continuation bytes */
                        column++;
        }
        *ret_line = line;
        *ret_column = column;
}
