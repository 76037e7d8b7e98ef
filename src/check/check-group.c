/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Identical denials grouped, with a count and the first and last time each was seen. */

#include "check-group.h"
#include "fnv1a.h"
#include "strutil.h"

/* A field and its end; a NULL field hashes apart from an empty one. */
static uint64_t hash_str(uint64_t h, const char *s) {
        if (!s)
                return fnv1a64(h, "\xff", 1);
        return fnv1a64(fnv1a64(h, s, strlen(s)), "\x1f", 1);
}

static uint64_t record_hash(const AvcRecord *r) {
        unsigned char kind = (unsigned char) r->kind; /* a few values, all below 256 */
        uint64_t h = fnv1a64(FNV1A64_OFFSET, &kind, 1);

        h = hash_str(h, r->stype);
        h = hash_str(h, r->ttype);
        h = hash_str(h, r->tclass);
        STRV_FOREACH (p, r->perms)
                h = hash_str(h, *p);
        h = hash_str(h, r->comm);
        return hash_str(h, r->detail);
}

static int strcmp_null(const char *a, const char *b) {
        if (!a || !b)
                return !!a - !!b;
        return strcmp(a, b);
}

static int strv_cmp(char **a, char **b) {
        for (; a && *a && b && *b; a++, b++) {
                int c = strcmp(*a, *b);
                if (c != 0)
                        return c;
        }
        return (a && *a) - (b && *b);
}

/* The key order: kind, source type, target type, class, permissions, comm, detail. */
static int record_key_cmp(const AvcRecord *a, const AvcRecord *b) {
        int c = (int) a->kind - (int) b->kind;

        if (c == 0)
                c = strcmp_null(a->stype, b->stype);
        if (c == 0)
                c = strcmp_null(a->ttype, b->ttype);
        if (c == 0)
                c = strcmp_null(a->tclass, b->tclass);
        if (c == 0)
                c = strv_cmp(a->perms, b->perms);
        if (c == 0)
                c = strcmp_null(a->comm, b->comm);
        if (c == 0)
                c = strcmp_null(a->detail, b->detail);
        return c;
}

static int table_grow(DenialSet *s) {
        size_t size = s->table_size ? s->table_size * 2 : 64;
        DenialGroup **t = calloc(size, sizeof(DenialGroup *));

        if (!t)
                return -ENOMEM;
        for (size_t i = 0; i < s->n; i++) {
                size_t j = record_hash(&s->groups[i]->first) & (size - 1);
                while (t[j])
                        j = (j + 1) & (size - 1);
                t[j] = s->groups[i];
        }
        free(s->table);
        s->table = t;
        s->table_size = size;
        return 0;
}

static void group_count(DenialGroup *g, const AvcRecord *r, usec_t when) {
        g->count++;
        g->n_permissive += r->permissive == 1;
        g->n_enforced += r->permissive == 0;
        g->first_usec = MIN(g->first_usec, when);
        g->last_usec = MAX(g->last_usec, when);
}

static int group_new(DenialSet *s, AvcRecord *r, usec_t when, size_t slot, DenialGroup **ret) {
        DenialGroup **gs = reallocarray(s->groups, s->n + 1, sizeof(DenialGroup *));
        DenialGroup *g;

        if (!gs)
                return -ENOMEM;
        s->groups = gs;
        g = calloc(1, sizeof(DenialGroup));
        if (!g)
                return -ENOMEM;
        g->first = *r;
        g->cause = _CHECK_CAUSE_INVALID;
        *r = (AvcRecord){ .kind = r->kind };
        g->first_usec = g->last_usec = when;
        s->groups[s->n++] = g;
        s->table[slot] = g;
        *ret = g;
        return 1;
}

int denial_set_add(DenialSet *s, AvcRecord *r, usec_t when, DenialGroup **ret_group) {
        DenialGroup *g;
        size_t j;
        int k;

        assert(s);
        assert(r);

        if ((s->n + 1) * 2 > s->table_size && table_grow(s) < 0)
                return -ENOMEM;
        for (j = record_hash(r) & (s->table_size - 1); s->table[j]; j = (j + 1) & (s->table_size - 1))
                if (record_key_cmp(&s->table[j]->first, r) == 0)
                        break;
        g = s->table[j];
        if (g) {
                group_count(g, r, when);
                k = 0;
        } else {
                k = group_new(s, r, when, j, &g);
                if (k < 0)
                        return k;
                group_count(g, &g->first, when);
        }
        s->n_records++;
        if (ret_group)
                *ret_group = g;
        return k;
}

static int group_cmp(const void *a, const void *b) {
        const DenialGroup *x = *(DenialGroup *const *) a, *y = *(DenialGroup *const *) b;

        if (x->count != y->count)
                return x->count > y->count ? -1 : 1;
        return record_key_cmp(&x->first, &y->first);
}

void denial_set_sort(DenialSet *s) {
        assert(s);

        if (s->n > 1)
                qsort(s->groups, s->n, sizeof(DenialGroup *), group_cmp);
}

void denial_set_done(DenialSet *s) {
        assert(s);

        for (size_t i = 0; i < s->n; i++) {
                avc_record_done(&s->groups[i]->first);
                free(s->groups[i]->boot_id);
                kpolicy_access_done(&s->groups[i]->access);
                free(s->groups[i]->constraint);
                strv_free(s->groups[i]->machines);
                strv_free(s->groups[i]->hosts);
                free(s->groups[i]);
        }
        free(s->groups);
        free(s->table);
        strv_free(s->machines);
        *s = (DenialSet){};
}

/* Adds 'v' to '*l' unless it is there; the last one added is looked at first, as records of one
 * machine come together. */
static int strv_add_once(char ***l, const char *v) {
        size_t n = strv_length(*l);

        for (size_t i = n; i > 0; i--)
                if (streq((*l)[i - 1], v))
                        return 0;
        return strv_extend(l, v);
}

int denial_set_seen_on(DenialSet *s, DenialGroup *g, const char *machine, const char *host) {
        assert(s);
        assert(g);

        if (machine && (strv_add_once(&g->machines, machine) < 0 || strv_add_once(&s->machines, machine) < 0))
                return -ENOMEM;
        if (host && strv_add_once(&g->hosts, host) < 0)
                return -ENOMEM;
        return 0;
}

const char *denial_group_permissive(const DenialGroup *g) {
        assert(g);

        if (g->n_permissive == g->count)
                return "all";
        if (g->n_enforced == g->count)
                return "none";
        if (g->n_permissive == 0 && g->n_enforced == 0)
                return "unknown";
        return "some";
}

void denial_set_count_printk(DenialSet *s, DenialGroup *g) {
        assert(s);
        assert(g);

        s->n_printk++;
        g->n_printk++;
}

const char *denial_group_transport(const DenialGroup *g) {
        assert(g);

        if (g->n_printk == 0)
                return "audit";
        return g->n_printk == g->count ? "printk" : "mixed";
}
