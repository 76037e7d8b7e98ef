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
        bool yaml_word; /* a boolean YAML read from a plain word (on, off, yes, no), not true or false */
        union {
                bool boolean;
                int64_t integer;
                double real;
                char *string;
        };
        Node **items; /* object members or array elements, in document order */
        size_t n_items, n_alloc;
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

/* Duplicate members of 'object', found in O(n log n) (an object of 40k keys must not take seconds).
 * Strict (seprov's own documents): each later duplicate is an error in 'diags' under 'file', naming
 * the first, and is dropped. Lenient (the rest of a provisioning document, read as its own tool reads
 * it: Go's JSON and PyYAML both keep the last): every earlier duplicate is dropped, silently.
 * Returns 0, or -ENOMEM (errors recorded are not failures here: the caller counts them). */
int node_drop_duplicates(Node *object, bool strict, const char *file, Diags *diags);

/* "a string", "an object", ...: for messages. */
const char *node_type_describe(NodeType type);

/* Parses a JSON document. json-c checks the syntax strictly and decodes every scalar; positions are
 * tracked here because json-c does not keep them. Duplicate keys are errors, recorded in 'diags'; the
 * first of each is kept and the parse goes on, so that every problem is found in one pass.
 * Returns 0 with the tree, also when such errors were recorded (the caller judges by 'diags');
 * -EINVAL when no tree could be built (the problem recorded in 'diags' under 'file'); or -ENOMEM. */
int parse_json_document(const char *text, size_t len, const char *file, Node **ret, Diags *diags);

/* Parses a provisioning document (an Ignition config) as its own tool reads it: json-c checks the
 * syntax of the whole text; only the top-level member 'key' is read as strictly as
 * parse_json_document() reads a document (duplicate keys, NUL characters); elsewhere duplicate keys
 * keep the last value, as Go's JSON does, and a string with a NUL character becomes null.
 * Returns as parse_json_document(). */
int parse_json_provisioning(const char *text, size_t len, const char *file, const char *key, Node **ret, Diags *diags);

/* Parses a single YAML document with libyaml. Plain scalars resolve as YAML 1.1 does (PyYAML, which
 * cloud-init uses): null/~, yes/no/true/false/on/off, integers; everything else, and every quoted
 * scalar, is a string. Aliases, explicit tags, anchors and non-scalar keys are refused; tags, anchors
 * and duplicate keys are errors recorded in 'diags' after which the parse goes on (a tagged scalar is
 * a string, the first of duplicate keys is kept).
 * Returns as parse_json_document(). */
int parse_yaml_document(const char *text, size_t len, const char *file, Node **ret, Diags *diags);

/* Parses a provisioning document (a cloud-config) as cloud-init reads it, for its top-level member
 * 'key' only: that member is read as strictly as parse_yaml_document() reads a document; every other
 * top-level member is skipped whatever it holds (tags such as !!binary, anchors, aliases, merge keys,
 * duplicate keys), and appears in *ret as a member with a null value, for its name and position. A
 * YAML error outside 'key', a top level that is not a mapping, or a second document, is a warning in
 * 'diags': cloud-init's problem, never seprov's; what was read of 'key' before it counts.
 * Returns as parse_json_document(), for what 'key' holds. */
int parse_yaml_provisioning(const char *text, size_t len, const char *file, const char *key, Node **ret, Diags *diags);

/* 1-based line and column (in characters) of byte 'offset' of 'text'. */
void node_text_position(const char *text, size_t offset, unsigned *ret_line, unsigned *ret_column);
