/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A parsed config document: JSON or YAML values with the line and column each came from. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"

typedef enum NodeType {
        NODE_NULL,
        NODE_BOOL,
        NODE_INT,
        NODE_DOUBLE,
        NODE_STRING,
        NODE_OBJECT,
        NODE_ARRAY,
} NodeType;

typedef struct Node Node;
struct Node {
        NodeType type;
        unsigned line, column; /* where the value starts, 1-based */
        char *key;             /* the member name, when the node is a member of an object */
        unsigned key_line, key_column;
        union {
                bool boolean;
                int64_t integer;
                double real;
                char *string;
        };
        Node **items; /* object members or array elements, in document order */
        size_t n_items;
};

/* Deepest nesting the parsers accept; configs need four levels. */
#define NODE_MAX_DEPTH 64

Node *node_free(Node *n);
DEFINE_TRIVIAL_CLEANUP_FUNC(Node *, node_free);
#define _cleanup_node_free_ _cleanup_(node_freep)

/* Returns a new node of 'type' at line:column, or NULL when out of memory. */
Node *node_new(NodeType type, unsigned line, unsigned column);

/* Appends 'child' to an object or array; takes ownership (frees it on failure). Returns 0 or -ENOMEM. */
int node_append(Node *parent, Node *child);

/* The member 'key' of an object, or NULL. */
Node *node_get(const Node *object, const char *key);

/* "a string", "an object", ...: for messages. */
const char *node_type_describe(NodeType type);

/* Parses a JSON document. json-c checks the syntax strictly and decodes every scalar; positions are
 * tracked here because json-c does not keep them. Duplicate keys are errors.
 * Returns 0; -EINVAL after recording the problem in 'diags' under 'file'; or -ENOMEM. */
int parse_json_document(const char *text, size_t len, const char *file, Node **ret, Diags *diags);

/* Parses a single YAML document with libyaml. Plain scalars resolve as YAML 1.1 does (PyYAML, which
 * cloud-init uses): null/~, yes/no/true/false/on/off, integers; everything else, and every quoted
 * scalar, is a string. Aliases, explicit tags and non-scalar keys are refused.
 * Returns 0; -EINVAL after recording the problem in 'diags'; or -ENOMEM. */
int parse_yaml_document(const char *text, size_t len, const char *file, Node **ret, Diags *diags);

/* 1-based line and column (in characters) of byte 'offset' of 'text'. */
void node_text_position(const char *text, size_t offset, unsigned *ret_line, unsigned *ret_column);
