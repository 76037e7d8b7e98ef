/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What the kernel's exclude and user lists hold once augenrules and auditctl -R have loaded a set of rules
 * files, and whether they drop SELinux records. */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "audit-lines.h"
#include "audit-type.h"

typedef struct Loaded {
        const AuditTextLine **rules; /* in list order (both lists: each keeps its own order) */
        size_t n;
} Loaded;

static const AuditTextLine **loaded_find(Loaded *k, const AuditLine *rule) {
        for (size_t i = 0; i < k->n; i++)
                if (audit_line_same_rule(&k->rules[i]->parsed, rule))
                        return &k->rules[i];
        return NULL;
}

/* One line as auditctl sends it. Returns 0, or -EIO when auditctl reports an error. */
static int load_line(Loaded *k, const AuditTextLine *l) {
        const AuditLine *p = &l->parsed;
        const AuditTextLine **x;

        if (p->kind == AUDIT_LINE_REJECTED)
                return -EIO;
        if (p->kind != AUDIT_LINE_RULE)
                return 0; /* other lists, control lines; UNCLEAR lines are counted and warned about */
        x = loaded_find(k, p);
        if (p->verb == 'd') {
                if (!x)
                        return -EIO; /* ENOENT */
                memmove(x, x + 1, (k->n - (size_t) (x - k->rules) - 1) * sizeof(*x));
                k->n--;
                return 0;
        }
        if (p->verb == 'a' && x)
                return -EIO; /* EEXIST; a new -A is compared with nothing, its prepend flag still set */
        if (p->verb == 'A') {
                memmove(k->rules + 1, k->rules, k->n * sizeof(*k->rules));
                k->rules[0] = l;
        } else
                k->rules[k->n] = l;
        k->n++;
        return 0;
}

static void buf_append(char *buf, size_t size, const char *format, ...) _printf_(3, 4);
static void buf_append(char *buf, size_t size, const char *format, ...) {
        size_t used = strlen(buf);
        va_list ap;

        va_start(ap, format);
        (void) vsnprintf(buf + used, size - used, format, ap);
        va_end(ap);
}

/* The SELinux types of 's' as auditd names them, the first few, and the ranges of their numbers:
 * "AVC, SELINUX_ERR, AVC_PATH and 97 more (types 1400-1499)". */
static void selinux_types_describe(const AuditTypeSet *s, char *buf, size_t size) {
        uint32_t types[2 + AUDIT_TYPE_SELINUX_LAST - AUDIT_TYPE_SELINUX_FIRST];
        size_t n = 0, ranges = 0;

        buf[0] = '\0';
        if (audit_type_set_contains(s, AUDIT_TYPE_USER_AVC))
                types[n++] = AUDIT_TYPE_USER_AVC;
        for (uint32_t t = AUDIT_TYPE_SELINUX_FIRST; t <= AUDIT_TYPE_SELINUX_LAST; t++)
                if (audit_type_set_contains(s, t))
                        types[n++] = t;
        for (size_t i = 0; i < n && i < 3; i++) {
                const char *name = audit_type_to_name(types[i]);

                if (name)
                        buf_append(buf, size, "%s%s", i > 0 ? ", " : "", name);
                else
                        buf_append(buf, size, "%sUNKNOWN[%" PRIu32 "]", i > 0 ? ", " : "", types[i]);
        }
        if (n > 3)
                buf_append(buf, size, " and %zu more", n - 3);
        buf_append(buf, size, " (type%s ", n > 1 ? "s" : "");
        for (size_t i = 0; i < n; i++, ranges++) {
                size_t j = i;

                while (j + 1 < n && types[j + 1] == types[j] + 1)
                        j++;
                if (ranges == 4) {
                        buf_append(buf, size, ", ...");
                        break;
                }
                buf_append(buf, size, "%s%" PRIu32, ranges > 0 ? ", " : "", types[i]);
                if (j > i)
                        buf_append(buf, size, "-%" PRIu32, types[j]);
                i = j;
        }
        buf_append(buf, size, ")");
}

/* Whether the rule drops SELinux types: 1 with the lowest in *ret and all of them described in
 * 'desc', 0, or -ENOMEM. */
static int first_selinux_type(const AuditLine *rule, uint32_t *ret, char *desc, size_t size) {
        _cleanup_free_ const AuditField **f = calloc(rule->n_fields + 1, sizeof(AuditField *));
        AuditTypeSet s;
        int r, found = 0;

        if (!f)
                return -ENOMEM;
        for (size_t i = 0; i < rule->n_fields; i++)
                f[i] = &rule->fields[i];
        r = audit_type_set_of(f, rule->n_fields, &s);
        if (r < 0)
                return r;
        if (audit_type_set_contains(&s, AUDIT_TYPE_USER_AVC)) {
                *ret = AUDIT_TYPE_USER_AVC;
                found = 1;
        }
        for (uint32_t t = AUDIT_TYPE_SELINUX_FIRST; !found && t <= AUDIT_TYPE_SELINUX_LAST; t++)
                if (audit_type_set_contains(&s, t)) {
                        *ret = t;
                        found = 1;
                }
        if (found)
                selinux_types_describe(&s, desc, size);
        audit_type_set_done(&s);
        return found;
}

static void drop_set(AuditDrop *d, const AuditTextLine *l, uint32_t type) {
        d->selinux = true;
        d->type = type;
        d->file = l->file;
        d->line = l->number;
}

typedef enum Verdict {
        VERDICT_NO,    /* the rule never matches USER_AVC (it may end the list for some processes) */
        VERDICT_MAYBE, /* it matches USER_AVC for some processes */
        VERDICT_ALL,   /* it matches USER_AVC from every process */
        VERDICT_STOP,  /* it ends the list for USER_AVC from every process: kept */
} Verdict;

/* How the kernel's audit_filter() walks one user-list rule's fields for USER_AVC: in order, up to the
 * first that does not match; a field it does not evaluate ends the whole list (the record is kept). */
static Verdict user_rule_verdict(const AuditLine *p) {
        bool certain = true;

        if (p->n_fields == 0)
                return VERDICT_NO;
        for (size_t i = 0; i < p->n_fields; i++) {
                const AuditField *f = &p->fields[i];
                AuditTypeSet s;
                bool in;

                if (f->type == AUDIT_FIELD_UNEVAL) /* such a rule never matches: it ends the list or fails */
                        return certain ? VERDICT_STOP : VERDICT_NO;
                if (f->type != AUDIT_FIELD_MSGTYPE) {
                        certain = false; /* depends on the process */
                        continue;
                }
                if (audit_type_set_of((const AuditField *const[]){ f }, 1, &s) < 0)
                        return VERDICT_MAYBE; /* out of memory: say it may drop rather than fail */
                in = audit_type_set_contains(&s, AUDIT_TYPE_USER_AVC);
                audit_type_set_done(&s);
                if (!in)
                        return VERDICT_NO;
        }
        return certain ? VERDICT_ALL : VERDICT_MAYBE;
}

/* The user list: the first rule that matches USER_AVC decides (never drops, always keeps); one that
 * may match decides for some processes only, so the walk goes on past an "always" one. */
static void find_user_drop(const Loaded *k, AuditDrop *d) {
        for (size_t i = 0; i < k->n; i++) {
                const AuditLine *p = &k->rules[i]->parsed;
                Verdict v;

                if (p->list != AUDIT_LIST_USER)
                        continue;
                v = user_rule_verdict(p);
                if (v == VERDICT_STOP || (v == VERDICT_ALL && !p->never))
                        return;
                if (v != VERDICT_NO && p->never) {
                        AuditTypeSet only = { .lo = AUDIT_TYPE_USER_AVC, .hi = AUDIT_TYPE_USER_AVC };
                        drop_set(d, k->rules[i], AUDIT_TYPE_USER_AVC);
                        selinux_types_describe(&only, d->types, sizeof d->types);
                        return;
                }
        }
}

static int find_drop(const Loaded *k, AuditDrop *d) {
        for (size_t i = 0; i < k->n; i++) {
                const AuditLine *p = &k->rules[i]->parsed;
                int r;

                if (p->list != AUDIT_LIST_EXCLUDE || p->n_fields == 0)
                        continue; /* a rule without fields never matches */
                r = first_selinux_type(p, &d->type, d->types, sizeof d->types);
                if (r < 0)
                        return r;
                if (r > 0) {
                        drop_set(d, k->rules[i], d->type);
                        return 0;
                }
        }
        find_user_drop(k, d);
        return 0;
}

int audit_load_drops(const AuditText *in, size_t n, AuditDrop *ret) {
        _cleanup_free_ const AuditTextLine **rules = NULL;
        AuditTextLine *lines = NULL;
        AuditDrop d = {};
        Loaded k = {};
        size_t nl = 0;
        bool ignore = false;
        int r;

        assert(ret);

        r = audit_lines_split(in, n, &lines, &nl);
        if (r < 0)
                return r;
        rules = calloc(nl + 1, sizeof(*rules));
        k.rules = rules;
        for (size_t i = 0; i < nl; i++) {
                d.n_rejected += lines[i].parsed.kind == AUDIT_LINE_REJECTED;
                d.n_unclear += lines[i].parsed.kind == AUDIT_LINE_UNCLEAR;
        }
        for (size_t i = 0; rules && i < nl; i++) {
                ignore = ignore || lines[i].parsed.ignore_errors;
                if (load_line(&k, &lines[i]) < 0 && !ignore)
                        break; /* auditctl -R stops at the first error */
        }
        r = rules ? find_drop(&k, &d) : -ENOMEM;
        audit_lines_free(lines, nl);
        if (r < 0)
                return r;
        *ret = d;
        return 0;
}
