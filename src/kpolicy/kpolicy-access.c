/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Why a policy denies an access: libsepol's access computation (the kernel's security server run on
 * the policy file), its reason, and the booleans that would allow the access, each on its own. */

/* Before <stdbool.h> (macro.h): cond_expr_t has a member named "bool". */
#include <sepol/debug.h>
#include <sepol/policydb/conditional.h>
#include <sepol/policydb/ebitmap.h>
#include <sepol/policydb/policydb.h>
#include <sepol/policydb/services.h>
#include <sepol/policydb/sidtab.h>

#include <assert.h>

#include "kpolicy-internal.h"
#include "strutil.h"

static policydb_t *db(KPolicy *p) {
        return &p->db->p;
}

/* The boolean a conditional expression's term names, read under the member's own name (<stdbool.h>
 * makes "bool" a macro). */
#pragma push_macro("bool")
#undef bool
static uint32_t cond_expr_boolean(const cond_expr_t *e) {
        return e->bool;
}
#pragma pop_macro("bool")

/* libsepol's security server works on one policy and one SID table, process-wide: they become this
 * policy's, at the first question. Its messages go to stderr through a handle of its own, so they
 * are turned off: every name is checked here first, and said in seprov's words. */
static int access_prepare(KPolicy *p) {
        if (!p->sidtab) {
                p->sidtab = calloc(1, sizeof(sidtab_t));
                if (!p->sidtab)
                        return -ENOMEM;
                if (sepol_sidtab_init(p->sidtab) < 0) {
                        p->sidtab = mfree(p->sidtab);
                        return -ENOMEM;
                }
        }
        sepol_debug(0);
        sepol_set_policydb(db(p));
        sepol_set_sidtab(p->sidtab);
        return 0;
}

void kpolicy_access_sidtab_free(KPolicy *p) {
        if (!p->sidtab)
                return;
        sepol_sidtab_destroy(p->sidtab);
        p->sidtab = mfree(p->sidtab);
}

void kpolicy_access_done(KPolicyAccess *a) {
        assert(a);

        a->what = mfree(a->what);
        for (size_t i = 0; i < a->n_booleans; i++)
                free(a->booleans[i].name);
        a->booleans = mfree(a->booleans);
        a->n_booleans = 0;
}

static void *symbol(KPolicy *p, symtab_t *s, const char *name) {
        return hashtab_search(s->table, (hashtab_key_t) name);
}

/* The user, role and type of "user:role:type[:level]", as new strings in 'parts'. */
static int context_split(const char *context, char *parts[static 3]) {
        const char *s = context;

        for (size_t i = 0; i < 3; i++) {
                size_t n = strcspn(s, ":");
                if (n == 0 || (i < 2 && s[n] != ':'))
                        return -EINVAL;
                parts[i] = strndup(s, n);
                if (!parts[i])
                        return -ENOMEM;
                s += n + (s[n] == ':');
        }
        return 0;
}

static int access_set(KPolicyAccess *a, KPolicyAccessResult result, char *what) {
        if (!what)
                return -ENOMEM;
        a->result = result;
        a->what = what;
        return 1;
}

/* Whether the policy knows each name in 'context' and lets them go together, as libsepol's
 * context check does, saying which part does not. Returns 0 when it does, 1 with *a set, or
 * -ENOMEM. */
static int context_check(KPolicy *p, const char *context, KPolicyAccess *a) {
        _cleanup_free_ char *u = NULL, *r = NULL, *t = NULL;
        char *parts[3] = {};
        const user_datum_t *user;
        const role_datum_t *role;
        const type_datum_t *type;
        int k;

        k = context_split(context, parts);
        u = parts[0], r = parts[1], t = parts[2];
        if (k == -ENOMEM)
                return k;
        if (k < 0)
                return access_set(a, KPOLICY_ACCESS_INVALID, strprintf("%s is not a security context", context));
        type = symbol(p, &db(p)->p_types, t);
        if (!type || type->flavor == TYPE_ATTRIB)
                return access_set(a, KPOLICY_ACCESS_UNKNOWN, strprintf("type %s", t));
        role = symbol(p, &db(p)->p_roles, r);
        if (!role)
                return access_set(a, KPOLICY_ACCESS_UNKNOWN, strprintf("role %s", r));
        user = symbol(p, &db(p)->p_users, u);
        if (!user)
                return access_set(a, KPOLICY_ACCESS_UNKNOWN, strprintf("user %s", u));
        if (role->s.value == OBJECT_R_VAL)
                return 0; /* objects' role goes with every type and user */
        if (!ebitmap_get_bit(&role->types.types, type->s.value - 1))
                return access_set(
                        a, KPOLICY_ACCESS_ROLE,
                        strprintf("role %s is not associated with type %s (no 'roletype %s %s')", r, t, r, t));
        if (!ebitmap_get_bit(&user->roles.roles, role->s.value - 1))
                return access_set(
                        a, KPOLICY_ACCESS_ROLE,
                        strprintf("user %s is not authorized for role %s (no 'userrole %s %s')", u, r, u, r));
        return 0;
}

/* The access vector of 'perms' in class 'tclass'. Returns 0, 1 with *a set when the policy does
 * not define the class or a permission, or -ENOMEM. */
static int access_vector(const char *tclass, char *const *perms, sepol_security_class_t *ret_class,
                         sepol_access_vector_t *ret_av, KPolicyAccess *a) {
        sepol_access_vector_t av = 0, one;

        if (sepol_string_to_security_class(tclass, ret_class) < 0)
                return access_set(a, KPOLICY_ACCESS_UNKNOWN, strprintf("class %s", tclass));
        for (char *const *q = perms; q && *q; q++) {
                if (sepol_string_to_av_perm(*ret_class, *q, &one) < 0)
                        return access_set(a, KPOLICY_ACCESS_UNKNOWN,
                                          strprintf("permission %s of class %s", *q, tclass));
                av |= one;
        }
        if (av == 0)
                return access_set(a, KPOLICY_ACCESS_INVALID, strdup("no permission named"));
        *ret_av = av;
        return 0;
}

typedef struct AccessQuery {
        sepol_security_id_t ssid, tsid;
        sepol_security_class_t tclass;
        sepol_access_vector_t av;
        uint32_t stype, ttype; /* the contexts' type values */
} AccessQuery;

/* Whether one of the conditional rules 'l' allows part of the query's access. */
static bool cond_list_matches(const cond_av_list_t *l, const AccessQuery *q, const policydb_t *d) {
        for (; l; l = l->next) {
                const avtab_key_t *k = &l->node->key;
                if ((k->specified & AVTAB_ALLOWED) && k->target_class == q->tclass && (l->node->datum.data & q->av) &&
                    ebitmap_get_bit(&d->type_attr_map[q->stype - 1], k->source_type - 1) &&
                    ebitmap_get_bit(&d->type_attr_map[q->ttype - 1], k->target_type - 1))
                        return true;
        }
        return false;
}

/* The booleans that conditional rules allowing part of the access depend on, as a bitmap by value:
 * no other boolean can change the decision. */
static int boolean_candidates(KPolicy *p, const AccessQuery *q, ebitmap_t *ret) {
        for (const cond_node_t *n = db(p)->cond_list; n; n = n->next) {
                if (!cond_list_matches(n->true_list, q, db(p)) && !cond_list_matches(n->false_list, q, db(p)))
                        continue;
                for (const cond_expr_t *e = n->expr; e; e = e->next)
                        if (e->expr_type == COND_BOOL && ebitmap_set_bit(ret, cond_expr_boolean(e) - 1, 1) < 0)
                                return -ENOMEM;
        }
        return 0;
}

/* The decision's reason bits with boolean 'value' flipped, the conditional rules following, and
 * everything put back after. */
static int reason_flipped(KPolicy *p, const AccessQuery *q, uint32_t value, unsigned *ret) {
        cond_bool_datum_t *b = db(p)->bool_val_to_struct[value - 1];
        struct sepol_av_decision avd;
        int r;

        b->state = !b->state;
        r = evaluate_conds(db(p));
        if (r >= 0)
                r = sepol_compute_av_reason(q->ssid, q->tsid, q->tclass, q->av, &avd, ret);
        b->state = !b->state;
        if (evaluate_conds(db(p)) < 0 || r < 0)
                return -ENOMEM;
        return 0;
}

/* audit2why's boolean search: every boolean that, flipped alone, makes the access allowed. */
static int booleans_find(KPolicy *p, const AccessQuery *q, KPolicyAccess *a) {
        ebitmap_t candidates;
        ebitmap_node_t *node;
        unsigned bit;
        int r;

        ebitmap_init(&candidates);
        r = boolean_candidates(p, q, &candidates);
        ebitmap_for_each_positive_bit(&candidates, node, bit) {
                unsigned reason;
                KPolicyBoolean *bs;

                if (r < 0)
                        break;
                r = reason_flipped(p, q, bit + 1, &reason);
                if (r < 0 || reason != 0)
                        continue;
                bs = reallocarray(a->booleans, a->n_booleans + 1, sizeof(KPolicyBoolean));
                if (!bs) {
                        r = -ENOMEM;
                        break;
                }
                a->booleans = bs;
                bs[a->n_booleans] = (KPolicyBoolean){
                        .name = strdup(db(p)->p_bool_val_to_name[bit]),
                        .value = !db(p)->bool_val_to_struct[bit]->state,
                };
                if (!bs[a->n_booleans++].name)
                        r = -ENOMEM;
        }
        ebitmap_destroy(&candidates);
        return r;
}

/* The constraint text libsepol gives, on one line: its lines joined with "; ". */
static char *constraint_text(const char *buf) {
        _cleanup_free_ char *s = NULL;

        for (const char *l = buf; l && *l;) {
                size_t n = strcspn(l, "\n");
                if (n > 0 && strextend(&s, "%s%.*s", s ? "; " : "", (int) n, l) < 0)
                        return NULL;
                l += n + (l[n] == '\n');
        }
        return s ? TAKE_PTR(s) : strdup("a constraint");
}

static uint32_t type_value(KPolicy *p, sepol_security_id_t sid) {
        context_struct_t *c = sepol_sidtab_search(p->sidtab, sid);
        return c ? c->type : 0;
}

/* The query's SIDs, class and access vector; 1 with *a set when a name does not resolve. */
static int query_build(KPolicy *p, const char *scontext, const char *tcontext, const char *tclass, char *const *perms,
                       AccessQuery *q, KPolicyAccess *a) {
        int r;

        r = context_check(p, scontext, a);
        if (r == 0)
                r = context_check(p, tcontext, a);
        if (r == 0)
                r = access_vector(tclass, perms, &q->tclass, &q->av, a);
        if (r != 0)
                return r;
        if (sepol_context_to_sid(scontext, strlen(scontext) + 1, &q->ssid) < 0)
                return access_set(a, KPOLICY_ACCESS_INVALID,
                                  strprintf("%s is not valid in this policy (its MLS level or range)", scontext));
        if (sepol_context_to_sid(tcontext, strlen(tcontext) + 1, &q->tsid) < 0)
                return access_set(a, KPOLICY_ACCESS_INVALID,
                                  strprintf("%s is not valid in this policy (its MLS level or range)", tcontext));
        q->stype = type_value(p, q->ssid);
        q->ttype = type_value(p, q->tsid);
        return q->stype && q->ttype ? 0 : -ENOMEM;
}

int kpolicy_access_explain(KPolicy *p, const char *scontext, const char *tcontext, const char *tclass,
                           char *const *perms, KPolicyAccess *ret) {
        _cleanup_(kpolicy_access_done) KPolicyAccess a = {};
        _cleanup_free_ char *buf = NULL;
        struct sepol_av_decision avd;
        AccessQuery q = {};
        unsigned reason = 0;
        int r;

        assert(p);
        assert(scontext);
        assert(tcontext);
        assert(tclass);
        assert(ret);

        r = access_prepare(p);
        if (r < 0)
                return r;
        r = query_build(p, scontext, tcontext, tclass, perms, &q, &a);
        if (r < 0)
                return r;
        if (r > 0)
                goto done;
        if (sepol_compute_av_reason_buffer(q.ssid, q.tsid, q.tclass, q.av, &avd, &reason, &buf, 0) < 0)
                return -ENOMEM;
        if (reason == 0)
                a.result = KPOLICY_ACCESS_ALLOWED;
        else if (reason & SEPOL_COMPUTEAV_TE) {
                r = booleans_find(p, &q, &a);
                if (r < 0)
                        return r;
                /* With a constraint denying it too, an allow rule alone would change nothing. */
                if (a.n_booleans > 0)
                        a.result = KPOLICY_ACCESS_BOOLEAN;
                else if (reason & SEPOL_COMPUTEAV_CONS)
                        r = access_set(&a, KPOLICY_ACCESS_CONSTRAINT, constraint_text(buf));
                else
                        a.result = KPOLICY_ACCESS_TE;
        } else if (reason & SEPOL_COMPUTEAV_CONS)
                r = access_set(&a, KPOLICY_ACCESS_CONSTRAINT, constraint_text(buf));
        else if (reason & SEPOL_COMPUTEAV_RBAC)
                r = access_set(&a, KPOLICY_ACCESS_ROLE,
                               strdup("no role allow rule lets the source's role change to the "
                                      "target's"));
        else
                r = access_set(&a, KPOLICY_ACCESS_BOUNDS, strdup("the source type's typebounds do not allow it"));
        if (r < 0)
                return r;
done:
        *ret = a;
        a = (KPolicyAccess){};
        return 0;
}
