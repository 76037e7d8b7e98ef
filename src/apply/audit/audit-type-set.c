/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Sets of audit record types as msgtype comparisons describe them: an interval with holes (from !=). */

#include "audit-parse.h"
#include "macro.h"

static int cmp_u32(const void *a, const void *b) {
        uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;
        return x < y ? -1 : x > y;
}

static bool is_hole(const AuditTypeSet *s, uint32_t t) {
        return s->n_holes > 0 && bsearch(&t, s->holes, s->n_holes, sizeof(uint32_t), cmp_u32);
}

/* Brings 's' to its one canonical form: holes sorted, unique and strictly inside (lo, hi); 'lo' and
 * 'hi' are members; an empty set has no holes. Two equal sets then have equal representations. */
static void canonicalize(AuditTypeSet *s) {
        size_t k = 0;

        if (!s->empty && s->n_holes > 0)
                qsort(s->holes, s->n_holes, sizeof(uint32_t), cmp_u32);
        while (!s->empty && is_hole(s, s->lo)) {
                if (s->lo == s->hi)
                        s->empty = true;
                else
                        s->lo++;
        }
        while (!s->empty && is_hole(s, s->hi))
                s->hi--; /* lo is no hole, so this stops at lo at the latest */
        for (size_t i = 0; !s->empty && i < s->n_holes; i++)
                if (s->holes[i] > s->lo && s->holes[i] < s->hi && (k == 0 || s->holes[k - 1] != s->holes[i]))
                        s->holes[k++] = s->holes[i];
        s->n_holes = s->empty ? 0 : k;
        if (s->empty)
                s->lo = 1, s->hi = 0;
}

static void narrow(AuditTypeSet *s, uint32_t lo, uint32_t hi) {
        s->lo = MAX(s->lo, lo);
        s->hi = MIN(s->hi, hi);
        if (s->lo > s->hi || lo > hi)
                s->empty = true;
}

static void apply_field(AuditTypeSet *s, const AuditField *f) {
        uint32_t v = f->value;

        switch (f->op) {
        case AUDIT_OP_EQ:
                narrow(s, v, v);
                break;
        case AUDIT_OP_NE:
                s->holes[s->n_holes++] = v;
                break;
        case AUDIT_OP_LT:
                if (v == 0)
                        s->empty = true;
                else
                        narrow(s, /* lo= */ 0, v - 1);
                break;
        case AUDIT_OP_LE:
                narrow(s, /* lo= */ 0, v);
                break;
        case AUDIT_OP_GT:
                if (v == UINT32_MAX)
                        s->empty = true;
                else
                        narrow(s, v + 1, UINT32_MAX);
                break;
        case AUDIT_OP_GE:
                narrow(s, v, UINT32_MAX);
                break;
        default:
                /* & and &=: the kernel refuses them on msgtype, so no such field gets here. */
                s->empty = true;
        }
}

int audit_type_set_of(const AuditField *const *fields, size_t n, AuditTypeSet *ret) {
        AuditTypeSet s = { .lo = 0, .hi = UINT32_MAX };

        assert(ret);

        s.holes = calloc(n + 1, sizeof(uint32_t));
        if (!s.holes)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                if (fields[i]->type == AUDIT_FIELD_MSGTYPE)
                        apply_field(&s, fields[i]);
        canonicalize(&s);
        *ret = s;
        return 0;
}

void audit_type_set_clamp(AuditTypeSet *s, uint32_t lo, uint32_t hi) {
        assert(s);

        narrow(s, lo, hi);
        canonicalize(s);
}

bool audit_type_set_contains(const AuditTypeSet *s, uint32_t t) {
        assert(s);

        return !s->empty && t >= s->lo && t <= s->hi && !is_hole(s, t);
}

bool audit_type_set_equal(const AuditTypeSet *a, const AuditTypeSet *b) {
        assert(a);
        assert(b);

        if (a->empty || b->empty)
                return a->empty == b->empty;
        return a->lo == b->lo && a->hi == b->hi && a->n_holes == b->n_holes &&
               (a->n_holes == 0 || memcmp(a->holes, b->holes, a->n_holes * sizeof(uint32_t)) == 0);
}

bool audit_type_set_meets(const AuditTypeSet *s, uint32_t lo, uint32_t hi) {
        uint64_t a, b, holes = 0;

        assert(s);

        if (s->empty || lo > hi || s->hi < lo || s->lo > hi)
                return false;
        a = MAX(s->lo, lo);
        b = MIN(s->hi, hi);
        for (size_t i = 0; i < s->n_holes; i++)
                holes += s->holes[i] >= a && s->holes[i] <= b;
        return holes < b - a + 1;
}

void audit_type_set_done(AuditTypeSet *s) {
        assert(s);

        free(s->holes);
        *s = (AuditTypeSet){};
}
