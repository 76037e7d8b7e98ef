/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Booleans set in the bytes of a compiled policy, without reading it into libsepol: what a boolean's
 * persistent value changes in the file is its state in the booleans' symbol table, and, for every
 * conditional whose expression then evaluates otherwise, the node's state and the enabled bit of
 * each of its rules. Parsing the file just far enough to find those fields, skipping everything
 * else, costs a hundredth of policydb_read() and policydb_write(); the result is, byte for byte,
 * what libsepol writes after sepol_bool_set() and evaluate_conds() on the same file (test-kpolicy
 * compares the two). Anything this parser does not know is left to libsepol: -EBADMSG. */

/* Before <stdbool.h> (macro.h): cond_expr_t has a member named "bool". */
#include <sepol/policydb/avtab.h>
#include <sepol/policydb/conditional.h>
#include <sepol/policydb/policydb.h>

#include <assert.h>
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "kpolicy-internal.h"

#define SYM_NUM_MLS  8 /* commons, classes, roles, types, users, bools, sensitivities, categories */
#define NAME_MAX_LEN (1U << 20)

/* A cursor over the file's bytes; every read is bounds-checked. */
typedef struct Cursor {
        uint8_t *data;
        size_t size, at;
        bool bad;
} Cursor;

static uint8_t *cursor_take(Cursor *c, size_t n) {
        uint8_t *p;

        if (c->bad || n > c->size - c->at) {
                c->bad = true;
                return NULL;
        }
        p = c->data + c->at;
        c->at += n;
        return p;
}

static uint32_t cursor_u32(Cursor *c) {
        uint8_t *p = cursor_take(c, 4);
        uint32_t v;

        if (!p)
                return 0;
        memcpy(&v, p, 4);
        return le32toh(v);
}

static void cursor_skip_name(Cursor *c, uint32_t len) {
        if (len == 0 || len > NAME_MAX_LEN)
                c->bad = true;
        (void) cursor_take(c, len);
}

/* ebitmap_read(): unit size (always 64), highest bit, count, then count (start, 64-bit map) pairs. */
static void skip_ebitmap(Cursor *c) {
        uint32_t unit = cursor_u32(c), count;

        (void) cursor_u32(c);
        count = cursor_u32(c);
        if (unit != MAPSIZE || count > c->size)
                c->bad = true;
        else
                (void) cursor_take(c, (size_t) count * 12);
}

static void skip_type_set(Cursor *c) {
        skip_ebitmap(c);
        skip_ebitmap(c);
        (void) cursor_u32(c);
}

static void skip_perms(Cursor *c, uint32_t nel) {
        for (uint32_t i = 0; i < nel && !c->bad; i++) {
                uint32_t len = cursor_u32(c);

                (void) cursor_u32(c);
                cursor_skip_name(c, len);
        }
}

static void skip_common(Cursor *c, uint32_t vers) {
        uint32_t len = cursor_u32(c), nel;

        (void) vers;
        (void) cursor_u32(c);
        (void) cursor_u32(c);
        nel = cursor_u32(c);
        cursor_skip_name(c, len);
        skip_perms(c, nel);
}

/* read_cons_helper(): each constraint's permissions and postfix expression. */
static void skip_constraints(Cursor *c, uint32_t ncons, uint32_t vers) {
        for (uint32_t i = 0; i < ncons && !c->bad; i++) {
                uint32_t nexpr;

                (void) cursor_u32(c);
                nexpr = cursor_u32(c);
                for (uint32_t j = 0; j < nexpr && !c->bad; j++) {
                        uint32_t type = cursor_u32(c);

                        (void) cursor_u32(c);
                        (void) cursor_u32(c);
                        if (type == CEXPR_NAMES) {
                                skip_ebitmap(c);
                                if (vers >= POLICYDB_VERSION_CONSTRAINT_NAMES)
                                        skip_type_set(c);
                        } else if (type < CEXPR_NOT || type > CEXPR_NAMES)
                                c->bad = true;
                }
        }
}

static void skip_class(Cursor *c, uint32_t vers) {
        uint32_t len = cursor_u32(c), len2 = cursor_u32(c), nel, ncons;

        (void) cursor_u32(c);
        (void) cursor_u32(c);
        nel = cursor_u32(c);
        ncons = cursor_u32(c);
        cursor_skip_name(c, len);
        if (len2 > 0)
                cursor_skip_name(c, len2);
        skip_perms(c, nel);
        skip_constraints(c, ncons, vers);
        skip_constraints(c, cursor_u32(c), vers); /* validatetrans */
        if (vers >= POLICYDB_VERSION_NEW_OBJECT_DEFAULTS)
                (void) cursor_take(c, 3 * 4);
        if (vers >= POLICYDB_VERSION_DEFAULT_TYPE)
                (void) cursor_u32(c);
}

static void skip_role(Cursor *c, uint32_t vers) {
        uint32_t len = cursor_u32(c);

        (void) vers;
        (void) cursor_take(c, 2 * 4); /* value, bounds */
        cursor_skip_name(c, len);
        skip_ebitmap(c); /* dominates */
        skip_ebitmap(c); /* types */
}

static void skip_type(Cursor *c, uint32_t vers) {
        uint32_t len = cursor_u32(c);

        (void) vers;
        (void) cursor_take(c, 3 * 4); /* value, properties, bounds */
        cursor_skip_name(c, len);
}

/* mls_read_range_helper() and mls_read_level(). */
static void skip_mls_range(Cursor *c) {
        uint32_t items = cursor_u32(c);

        if (items < 1 || items > 2) {
                c->bad = true;
                return;
        }
        (void) cursor_take(c, (size_t) items * 4);
        skip_ebitmap(c);
        if (items > 1)
                skip_ebitmap(c);
}

static void skip_user(Cursor *c, uint32_t vers) {
        uint32_t len = cursor_u32(c);

        (void) vers;
        (void) cursor_take(c, 2 * 4); /* value, bounds */
        cursor_skip_name(c, len);
        skip_ebitmap(c); /* roles */
        skip_mls_range(c);
        (void) cursor_u32(c); /* default level */
        skip_ebitmap(c);
}

/* One rule (avtab_read_item(), the format since version 20): a key of four 16-bit words, then a
 * datum or extended permissions. Returns the offset of its 'specified' field. The hottest loop
 * here (a policy has a hundred thousand rules): one bounds check per rule. */
static size_t skip_avtab_item(Cursor *c) {
        size_t at = c->at;
        uint16_t specified;

        if (c->bad || c->size - at < 4 * 2 + 4) {
                c->bad = true;
                return 0;
        }
        memcpy(&specified, c->data + at + 6, 2);
        specified = le16toh(specified) & ~AVTAB_ENABLED;
        /* Exactly one kind per rule, as libsepol checks: anything else means the parse lost its
         * place. */
        if (specified == 0 || (specified & (specified - 1)) != 0 ||
            (specified & ~(AVTAB_AV | AVTAB_TYPE | AVTAB_XPERMS)) != 0) {
                c->bad = true;
                return 0;
        }
        if (specified & AVTAB_XPERMS) {
                c->at += 4 * 2;
                (void) cursor_take(c, 1 + 1 + 8 * 4);
        } else
                c->at += 4 * 2 + 4;
        return at + 6;
}

/* The states of the booleans, by value; the offset of each state field. */
typedef struct Booleans {
        uint32_t n;
        uint32_t *state;
        size_t *at;
        const char **name; /* into the file, not terminated */
        uint32_t *name_len;
} Booleans;

static void booleans_done(Booleans *b) {
        free(b->state);
        free(b->at);
        free(b->name);
        free(b->name_len);
}

static int read_booleans(Cursor *c, uint32_t nprim, uint32_t nel, Booleans *b) {
        if (nel != nprim || nprim > c->size)
                return -EBADMSG;
        b->n = nprim;
        b->state = calloc(nprim ?: 1, sizeof(uint32_t));
        b->at = calloc(nprim ?: 1, sizeof(size_t));
        b->name = calloc(nprim ?: 1, sizeof(char *));
        b->name_len = calloc(nprim ?: 1, sizeof(uint32_t));
        if (!b->state || !b->at || !b->name || !b->name_len)
                return -ENOMEM;
        for (uint32_t i = 0; i < nel && !c->bad; i++) {
                uint32_t value = cursor_u32(c);
                size_t at = c->at;
                uint32_t state = cursor_u32(c), len = cursor_u32(c);
                const uint8_t *name = c->data + c->at;

                cursor_skip_name(c, len);
                if (c->bad || value < 1 || value > nprim || b->name[value - 1] || state > 1)
                        return -EBADMSG;
                b->state[value - 1] = state;
                b->at[value - 1] = at;
                b->name[value - 1] = (const char *) name;
                b->name_len[value - 1] = len;
        }
        return c->bad ? -EBADMSG : 0;
}

static int set_boolean(Cursor *c, Booleans *b, const char *name, bool value) {
        size_t n = strlen(name);

        for (uint32_t i = 0; i < b->n; i++)
                if (b->name_len[i] == n && memcmp(b->name[i], name, n) == 0) {
                        uint32_t v = htole32(value);

                        b->state[i] = value;
                        memcpy(c->data + b->at[i], &v, 4);
                        return 0;
                }
        return -ENOENT;
}

/* cond_evaluate_expr(), quirks included: the result is the bottom of the stack, -1 on a malformed
 * expression. 'expr' points at the node's (type, boolean) pairs in the file. */
static int evaluate(const Booleans *b, const uint8_t *expr, uint32_t nexpr) {
        int s[COND_EXPR_MAXDEPTH];
        int sp = -1;

        s[0] = -1;
        for (uint32_t i = 0; i < nexpr; i++) {
                uint32_t type, boolean;

                memcpy(&type, expr + i * 8, 4);
                memcpy(&boolean, expr + i * 8 + 4, 4);
                type = le32toh(type);
                boolean = le32toh(boolean);
                switch (type) {
                case COND_BOOL:
                        if (sp == COND_EXPR_MAXDEPTH - 1 || boolean < 1 || boolean > b->n)
                                return -1;
                        s[++sp] = (int) b->state[boolean - 1];
                        break;
                case COND_NOT:
                        if (sp < 0)
                                return -1;
                        s[sp] = !s[sp];
                        break;
                case COND_OR:
                case COND_AND:
                case COND_XOR:
                case COND_EQ:
                case COND_NEQ:
                        if (sp < 1)
                                return -1;
                        sp--;
                        s[sp] = type == COND_OR    ? s[sp] | s[sp + 1]
                                : type == COND_AND ? s[sp] & s[sp + 1]
                                : type == COND_XOR ? s[sp] ^ s[sp + 1]
                                : type == COND_EQ  ? s[sp] == s[sp + 1]
                                                   : s[sp] != s[sp + 1];
                        break;
                default:
                        return -1;
                }
        }
        return s[0];
}

/* One list of a conditional node: each rule's enabled bit set or cleared. */
static void patch_cond_list(Cursor *c, bool enable, bool write) {
        uint32_t len = cursor_u32(c);

        if (len > c->size) {
                c->bad = true;
                return;
        }
        for (uint32_t i = 0; i < len && !c->bad; i++) {
                size_t at = skip_avtab_item(c);
                uint16_t specified;

                if (c->bad || !write)
                        continue;
                memcpy(&specified, c->data + at, 2);
                specified = le16toh(specified);
                specified = enable ? specified | AVTAB_ENABLED : specified & ~AVTAB_ENABLED;
                specified = htole16(specified);
                memcpy(c->data + at, &specified, 2);
        }
}

/* cond_read_list() with evaluate_cond_node() on each node: a node whose expression now gives another
 * state takes it, and its rules follow; the others stay as they are, as in libsepol. */
static void patch_conds(Cursor *c, const Booleans *b) {
        uint32_t n = cursor_u32(c);

        for (uint32_t i = 0; i < n && !c->bad; i++) {
                size_t state_at = c->at;
                uint32_t cur = cursor_u32(c), nexpr = cursor_u32(c);
                const uint8_t *expr;
                int state;
                bool change;

                if (nexpr > c->size / 8)
                        c->bad = true;
                expr = cursor_take(c, (size_t) nexpr * 8);
                if (!expr)
                        break;
                state = evaluate(b, expr, nexpr);
                change = (uint32_t) state != cur;
                if (change) {
                        uint32_t v = htole32((uint32_t) state);
                        memcpy(c->data + state_at, &v, 4);
                }
                patch_cond_list(c, state > 0, change);
                patch_cond_list(c, state == 0, change);
        }
}

/* Skips the header and the symbol tables up to the booleans' (and reads those), then the rules to
 * the conditional list. */
static int parse_to_booleans(Cursor *c, uint32_t *ret_vers, Booleans *b) {
        static void (*const skip[])(Cursor *, uint32_t) = { skip_common, skip_class, skip_role, skip_type, skip_user };
        uint32_t magic = cursor_u32(c), len = cursor_u32(c), vers, config, sym_num;
        const uint8_t *str = cursor_take(c, len);

        if (c->bad || magic != POLICYDB_MAGIC || len != strlen(POLICYDB_STRING) ||
            memcmp(str, POLICYDB_STRING, len) != 0)
                return -EBADMSG;
        vers = cursor_u32(c);
        config = cursor_u32(c);
        sym_num = cursor_u32(c);
        (void) cursor_u32(c); /* ocon_num */
        (void) config;
        /* The versions whose layout this parser follows. */
        if (c->bad || vers < POLICYDB_VERSION_XPERMS_IOCTL || vers > POLICYDB_VERSION_COMP_FTRANS ||
            sym_num != SYM_NUM_MLS)
                return -EBADMSG;
        skip_ebitmap(c); /* policy capabilities */
        skip_ebitmap(c); /* permissive types */
        for (uint32_t i = 0; i <= SYM_BOOLS && !c->bad; i++) {
                uint32_t nprim = cursor_u32(c), nel = cursor_u32(c);

                if (c->bad || nel > c->size)
                        return -EBADMSG;
                if (i == SYM_BOOLS)
                        return read_booleans(c, nprim, nel, b) ?: (*ret_vers = vers, 0);
                for (uint32_t j = 0; j < nel && !c->bad; j++)
                        skip[i](c, vers);
        }
        return -EBADMSG;
}

/* The rest of the symbol tables (sensitivities, categories) and the unconditional rules. */
static void skip_to_conds(Cursor *c) {
        for (uint32_t i = SYM_BOOLS + 1; i < SYM_NUM_MLS && !c->bad; i++) {
                uint32_t nel;

                (void) cursor_u32(c);
                nel = cursor_u32(c);
                for (uint32_t j = 0; j < nel && !c->bad; j++) {
                        uint32_t len = cursor_u32(c);

                        if (i == SYM_LEVELS) { /* sens_read(): name length, isalias, name, level */
                                (void) cursor_u32(c);
                                cursor_skip_name(c, len);
                                (void) cursor_u32(c);
                                skip_ebitmap(c);
                        } else { /* cat_read(): name length, value, isalias, name */
                                (void) cursor_take(c, 2 * 4);
                                cursor_skip_name(c, len);
                        }
                }
        }
        for (uint32_t i = 0, nel = cursor_u32(c); i < nel && !c->bad; i++)
                (void) skip_avtab_item(c);
}

int kpolicy_patch_booleans(void *data, size_t size, char *const *names, const bool *values, size_t n,
                           size_t *ret_missing) {
        _cleanup_(booleans_done) Booleans b = {};
        Cursor c = { .data = data, .size = size };
        uint32_t vers = 0;
        int r;

        assert(data || size == 0);
        assert(names || n == 0);

        r = parse_to_booleans(&c, &vers, &b);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++)
                if (set_boolean(&c, &b, names[i], values[i]) < 0) {
                        if (ret_missing)
                                *ret_missing = i;
                        return -ENOENT;
                }
        skip_to_conds(&c);
        patch_conds(&c, &b);
        return c.bad ? -EBADMSG : 0;
}
