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

        if (parent->n_items == parent->n_alloc) {
                /* Doubling: a document of 40k keys must not cost 40k copies of its member list. */
                size_t n = MAX((size_t) 4, parent->n_alloc * 2);

                items = reallocarray(parent->items, n, sizeof(Node *));
                if (!items) {
                        node_free(child);
                        return -ENOMEM;
                }
                parent->items = items;
                parent->n_alloc = n;
        }
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

typedef struct MemberRef {
        const char *key;
        size_t index; /* in the object */
        size_t first; /* duplicates_find(): the member this one repeats (strict) */
} MemberRef;

static int member_ref_cmp(const void *a, const void *b) {
        const MemberRef *x = a, *y = b;
        int c = strcmp(x->key, y->key);
        return c != 0 ? c : (x->index > y->index) - (x->index < y->index);
}

static int member_ref_index_cmp(const void *a, const void *b) {
        const MemberRef *x = a, *y = b;
        return (x->index > y->index) - (x->index < y->index);
}

/* Moves to the front of 'refs' (sorted by key, then index) the members to drop: strict, all but the
 * first of each key; lenient, all but the last. Returns how many. */
static size_t duplicates_find(MemberRef *refs, size_t n, bool strict) {
        size_t n_drop = 0;

        for (size_t i = 0; i < n;) {
                size_t j = i + 1;

                while (j < n && streq(refs[j].key, refs[i].key))
                        j++;
                for (size_t k = i; k < j; k++)
                        if (strict ? k > i : k + 1 < j)
                                refs[n_drop++] = (MemberRef){ .index = refs[k].index, .first = refs[i].index };
                i = j;
        }
        return n_drop;
}

int node_drop_duplicates(Node *object, bool strict, const char *file, Diags *diags) {
        _cleanup_free_ MemberRef *refs = NULL;
        size_t n_drop, kept = 0, d = 0;
        int r = 0;

        assert(object);
        assert(diags);

        if (object->n_items < 2)
                return 0;
        refs = calloc(object->n_items, sizeof(MemberRef));
        if (!refs)
                return -ENOMEM;
        for (size_t i = 0; i < object->n_items; i++)
                refs[i] = (MemberRef){ .key = object->items[i]->key, .index = i };
        qsort(refs, object->n_items, sizeof(MemberRef), member_ref_cmp);
        n_drop = duplicates_find(refs, object->n_items, strict);
        if (n_drop == 0)
                return 0;
        /* In document order, for the messages and the compaction below. */
        qsort(refs, n_drop, sizeof(MemberRef), member_ref_index_cmp);
        for (size_t i = 0; strict && r >= 0 && i < n_drop; i++) {
                const Node *m = object->items[refs[i].index], *first = object->items[refs[i].first];
                r = diag_error(diags, file, m->key_line, m->key_column,
                               "duplicate key \"%s\" (first at line %u, column %u)", m->key, first->key_line,
                               first->key_column);
        }
        for (size_t i = 0; i < object->n_items; i++) {
                if (d < n_drop && refs[d].index == i) {
                        d++;
                        node_free(object->items[i]);
                        continue;
                }
                object->items[kept++] = object->items[i];
        }
        object->n_items = kept;
        return r;
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
