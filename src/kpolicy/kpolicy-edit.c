/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Edits of a compiled policy that need no rebuild: the dontaudit rules removed, booleans' defaults
 * set, and the rule order a libsemanage (CIL) build writes put back, so that an edited file is byte
 * for byte what `semodule -DB` or `setsebool -P` would have written. */

/* Before <stdbool.h> (macro.h): cond_expr_t has a member named "bool". */
#include <sepol/policydb/avtab.h>
#include <sepol/policydb/conditional.h>
#include <sepol/policydb/hashtab.h>
#include <sepol/policydb/policydb.h>

#include <assert.h>

#include "kpolicy-internal.h"

static policydb_t *db(KPolicy *p) {
        return &p->db->p;
}

/* A dontaudit rule, plain or extended (dontauditx). Conditional keys also carry AVTAB_ENABLED,
 * which the mask ignores. */
static bool key_is_dontaudit(const avtab_key_t *k) {
        return k->specified & (AVTAB_AUDITDENY | AVTAB_XPERMS_DONTAUDIT);
}

/* Unlinks and frees the dontaudit nodes of one table (libsepol has no function that removes a
 * node). For te_cond_avtab this must come after the conditional lists no longer point at them. */
static size_t avtab_strip(avtab_t *a) {
        size_t n = 0;

        for (uint32_t i = 0; i < a->nslot; i++)
                for (avtab_ptr_t *pp = &a->htable[i]; *pp;) {
                        avtab_ptr_t cur = *pp;

                        if (!key_is_dontaudit(&cur->key)) {
                                pp = &cur->next;
                                continue;
                        }
                        *pp = cur->next;
                        free(cur->datum.xperms); /* NULL unless an extended rule */
                        free(cur);
                        a->nel--;
                        n++;
                }
        return n;
}

static size_t cond_av_list_strip(cond_av_list_t **list) {
        size_t n = 0;

        for (cond_av_list_t **pp = list; *pp;) {
                cond_av_list_t *cur = *pp;

                if (!key_is_dontaudit(&cur->node->key)) {
                        pp = &cur->next;
                        continue;
                }
                *pp = cur->next;
                free(cur); /* the node itself belongs to te_cond_avtab */
                n++;
        }
        return n;
}

int kpolicy_dontaudit_strip(KPolicy *p, size_t *ret_removed) {
        policydb_t *d;
        size_t listed = 0, conditional, plain;

        assert(p);

        d = db(p);
        /* The conditional nodes stay, even when left empty: CIL makes one for every booleanif before
         * it looks at the rules inside, so `semodule -DB` keeps them too. */
        for (cond_node_t *c = d->cond_list; c; c = c->next) {
                listed += cond_av_list_strip(&c->true_list);
                listed += cond_av_list_strip(&c->false_list);
        }
        conditional = avtab_strip(&d->te_cond_avtab);
        plain = avtab_strip(&d->te_avtab);
        /* Every conditional rule is in exactly one list of one node: anything else is a policy this
         * code does not understand, and writing it could lose rules. */
        if (listed != conditional)
                return -EUCLEAN;
        if (ret_removed)
                *ret_removed = plain + conditional;
        return 0;
}

int kpolicy_boolean_set(KPolicy *p, const char *name, bool value) {
        cond_bool_datum_t *b;

        assert(p);
        assert(name);

        /* hashtab_search() takes a non-const key it never changes. */
        b = hashtab_search(db(p)->p_bools.table, (const_hashtab_key_t) name);
        if (!b)
                return -ENOENT;
        b->state = value;
        return 0;
}

int kpolicy_booleans_evaluate(KPolicy *p) {
        assert(p);

        /* What sepol_bool_set() runs after each boolean: the conditional rules follow the states. */
        return evaluate_conds(db(p)) < 0 ? -ENOMEM : 0;
}

/* libsepol's avtab_hash() (avtab.c, static there), MurmurHash3-based: the slot a rule lands in, and
 * so the order in which the rules of a table are written. */
static uint32_t avtab_slot(const avtab_key_t *k, uint32_t mask) {
        static const uint32_t c1 = 0xcc9e2d51, c2 = 0x1b873593, r1 = 15, r2 = 13, m = 5, n = 0xe6546b64;
        const uint32_t in[] = { k->target_class, k->target_type, k->source_type };
        uint32_t hash = 0;

        for (size_t i = 0; i < ELEMENTSOF(in); i++) {
                uint32_t v = in[i] * c1;

                v = (v << r1) | (v >> (32 - r1));
                v *= c2;
                hash ^= v;
                hash = (hash << r2) | (hash >> (32 - r2));
                hash = hash * m + n;
        }
        hash ^= hash >> 16;
        hash *= 0x85ebca6b;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35;
        hash ^= hash >> 16;
        return hash & mask;
}

/* avtab_insert()'s order within a slot: by source, target, class. */
static int avtab_key_compare(const avtab_key_t *a, const avtab_key_t *b) {
        if (a->source_type != b->source_type)
                return a->source_type < b->source_type ? -1 : 1;
        if (a->target_type != b->target_type)
                return a->target_type < b->target_type ? -1 : 1;
        if (a->target_class != b->target_class)
                return a->target_class < b->target_class ? -1 : 1;
        return 0;
}

/* The file's rule order is the table's slot order, and the table's size is not in the file: a read
 * sizes it from the rule count, a CIL build always uses MAX_AVTAB_HASH_BUCKETS. Moving every node
 * into a table of CIL's size, each after the equal keys already there (as avtab_insert() appends
 * them), gives the order a rebuild writes. */
static int avtab_rebucket(avtab_t *a, uint32_t nslot) {
        avtab_ptr_t *t = calloc(nslot, sizeof(avtab_ptr_t));

        if (!t)
                return -ENOMEM;
        for (uint32_t i = 0; i < a->nslot; i++)
                for (avtab_ptr_t cur = a->htable[i], next; cur; cur = next) {
                        avtab_ptr_t *pp = &t[avtab_slot(&cur->key, nslot - 1)];

                        next = cur->next;
                        while (*pp && avtab_key_compare(&(*pp)->key, &cur->key) <= 0)
                                pp = &(*pp)->next;
                        cur->next = *pp;
                        *pp = cur;
                }
        free(a->htable);
        a->htable = t;
        a->nslot = nslot;
        a->mask = nslot - 1;
        return 0;
}

/* A read keeps each file system's genfscon entries longest path first (the kernel's first-match
 * order); CIL writes them sorted by path. The kernel sorts them again on load, so both mean the
 * same. A stable insertion sort: the lists are short. */
static void genfs_sort_by_path(policydb_t *d) {
        for (genfs_t *g = d->genfs; g; g = g->next) {
                ocontext_t *sorted = NULL;

                for (ocontext_t *c = g->head, *next; c; c = next) {
                        ocontext_t **pp = &sorted;

                        next = c->next;
                        while (*pp && strcmp((*pp)->u.name, c->u.name) <= 0)
                                pp = &(*pp)->next;
                        c->next = *pp;
                        *pp = c;
                }
                g->head = sorted;
        }
}

int kpolicy_order_as_built(KPolicy *p) {
        assert(p);

        genfs_sort_by_path(db(p));
        return avtab_rebucket(&db(p)->te_avtab, MAX_AVTAB_HASH_BUCKETS);
}
