/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* An independent model of how the kernel's exclude and user lists treat record types once augenrules
 * and auditctl -R have loaded a set of rules files, for checking the audit rules action. Written from
 * the kernel's audit_filter()/audit_add_rule() and auditctl's fileopt(), not from seprov's code, and
 * kept deliberately plain: it covers the rule syntax the tests generate. */
#pragma once

#include <linux/audit.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SIM_MAX_RULES 256
#define SIM_MAX_FIELDS 64
#define SIM_MAX_ENV 8

typedef struct SimField {
        bool msgtype;
        bool stop;         /* a field audit_filter() does not evaluate: reaching it ends the list */
        char op[3];
        int opc;           /* op as an index into sim_ops, for speed */
        int env;           /* other fields: the index of key in the caller's keys, set by sim_bind() */
        uint32_t value;    /* msgtype */
        char key[128];     /* other fields: "name op value", a boolean of the environment */
} SimField;

typedef struct SimRule {
        bool never;
        bool user; /* on the user list, else the exclude list */
        SimField f[SIM_MAX_FIELDS];
        int n;
} SimRule;

typedef struct Sim {
        SimRule rules[SIM_MAX_RULES]; /* both lists, each in its list order */
        int n;
        char env_keys[SIM_MAX_ENV][128]; /* the other-field conditions seen */
        int n_env;
} Sim;

/* Record type names from the kernel's own header, for the names the tests use. */
static const struct {
        const char *name;
        uint32_t type;
} sim_names[] = {
        { "AVC", AUDIT_AVC },
        { "USER_AVC", AUDIT_USER_AVC },
        { "SELINUX_ERR", AUDIT_SELINUX_ERR },
        { "MAC_STATUS", AUDIT_MAC_STATUS },
        { "CONFIG_CHANGE", AUDIT_CONFIG_CHANGE },
        { "SYSCALL", AUDIT_SYSCALL },
        { "USER_TTY", AUDIT_USER_TTY },
        { "ANOM_ABEND", AUDIT_ANOM_ABEND },
        { "CWD", AUDIT_CWD },
        { "EOE", AUDIT_EOE },
        { "PROCTITLE", AUDIT_PROCTITLE },
        /* User-space types the kernel's header does not name: libaudit's numbers. */
        { "CRYPTO_KEY_USER", 2404 },
        { "USER_START", 1105 },
        { "USER_CMD", 1123 },
};

static bool sim_value(const char *v, uint32_t *ret) {
        char *end;
        unsigned long long n;

        if (v[0] >= '0' && v[0] <= '9') {
                n = strtoull(v, &end, 0);
                *ret = (uint32_t) n;
                return *end == '\0' && n <= UINT32_MAX;
        }
        for (size_t i = 0; i < sizeof sim_names / sizeof sim_names[0]; i++)
                if (strcasecmp(sim_names[i].name, v) == 0) {
                        *ret = sim_names[i].type;
                        return true;
                }
        return false;
}

static const char *const sim_ops[] = { "=", "!=", "<", "<=", ">", ">=" };

static int sim_opc(const char *op) {
        for (int i = 0; i < 6; i++)
                if (!strcmp(op, sim_ops[i]))
                        return i;
        abort();
}

/* The kernel's audit_comparator(), for the operators it takes on msgtype. */
static bool sim_cmp(uint32_t left, int opc, uint32_t right) {
        switch (opc) {
        case 0:
                return left == right;
        case 1:
                return left != right;
        case 2:
                return left < right;
        case 3:
                return left <= right;
        case 4:
                return left > right;
        default:
                return left >= right;
        }
}

static bool sim_same(const SimRule *a, const SimRule *b) {
        if (a->never != b->never || a->user != b->user || a->n != b->n)
                return false;
        for (int i = 0; i < a->n; i++)
                if (a->f[i].msgtype != b->f[i].msgtype || a->f[i].stop != b->f[i].stop || strcmp(a->f[i].op, b->f[i].op) ||
                    (a->f[i].msgtype ? a->f[i].value != b->f[i].value : strcmp(a->f[i].key, b->f[i].key)))
                        return false;
        return true;
}

static int sim_env_index(Sim *s, const char *key) {
        for (int i = 0; i < s->n_env; i++)
                if (!strcmp(s->env_keys[i], key))
                        return i;
        if (s->n_env == SIM_MAX_ENV)
                abort();
        strcpy(s->env_keys[s->n_env], key);
        return s->n_env++;
}

/* One -F argument. Returns false for what auditctl or the kernel refuses. */
static bool sim_field(const char *arg, SimField *f) {
        static const char *const ops[] = { "!=", ">=", "<=", "&=", "=", ">", "<", "&" };
        const char *p = NULL;
        size_t i;

        for (i = 0; i < 8 && !(p = strstr(arg, ops[i])); i++)
                ;
        if (!p || p == arg || strchr(ops[i], '&'))
                return false; /* no operator; & and &= are for syscall arguments */
        memset(f, 0, sizeof *f);
        strcpy(f->op, ops[i]);
        f->opc = sim_opc(ops[i]);
        f->msgtype = (size_t) (p - arg) == 7 && strncasecmp(arg, "msgtype", 7) == 0;
        if (f->msgtype)
                return sim_value(p + strlen(ops[i]), &f->value);
        snprintf(f->key, sizeof f->key, "%s", arg);
        /* The credential fields the kernel takes on the user list but does not look at there. */
        f->stop = strncmp(arg, "euid", 4) == 0 || strncmp(arg, "arch", 4) == 0 || strncmp(arg, "sessionid", 9) == 0;
        return true;
}

static bool sim_list(const char *t, bool *user) {
        static const char *const lists[] = { "exclude,always", "always,exclude", "exclude,never", "never,exclude",
                                             "user,always",    "always,user",    "user,never",    "never,user" };

        for (int i = 0; i < 8; i++)
                if (!strcmp(t, lists[i])) {
                        *user = i >= 4;
                        return true;
                }
        return false;
}

/* One line, as auditctl sends it. Returns false when auditctl reports an error. */
static bool sim_line(Sim *s, char *line, bool *ignore) {
        char *tok[128], *save = NULL;
        int n = 0, verb = 0;
        SimRule r = {};

        for (char *t = strtok_r(line, " ", &save); t && n < 128; t = strtok_r(NULL, " ", &save))
                tok[n++] = t;
        if (n == 0 || tok[0][0] == '#')
                return true;
        for (int i = 0; i < n; i++)
                if (!strcmp(tok[i], "-i") || !strcmp(tok[i], "-c"))
                        *ignore = true;
        for (int i = 0; i + 1 < n; i++)
                if (!strcmp(tok[i], "-a") || !strcmp(tok[i], "-A") || !strcmp(tok[i], "-d")) {
                        verb = tok[i][1];
                        if (!sim_list(tok[i + 1], &r.user))
                                return true; /* another list: not modelled, assumed to load */
                        r.never = strstr(tok[i + 1], "never") != NULL;
                        for (int j = i + 2; j + 1 < n; j += 2) {
                                if (strcmp(tok[j], "-F") || !sim_field(tok[j + 1], &r.f[r.n]))
                                        return false;
                                if (r.f[r.n].stop && !r.user)
                                        return false; /* auditctl refuses them on the exclude list */
                                if (!r.f[r.n].msgtype && !r.f[r.n].stop)
                                        sim_env_index(s, r.f[r.n].key);
                                r.n++;
                        }
                        break;
                }
        if (!verb)
                return true;
        for (int i = 0; i < s->n; i++)
                if (sim_same(&s->rules[i], &r)) {
                        if (verb == 'd') {
                                memmove(&s->rules[i], &s->rules[i + 1], (s->n - i - 1) * sizeof(SimRule));
                                s->n--;
                                return true;
                        }
                        if (verb == 'a')
                                return false; /* EEXIST; a new -A is compared with nothing */
                }
        if (verb == 'd')
                return false; /* ENOENT */
        if (verb == 'A') {
                memmove(&s->rules[1], &s->rules[0], s->n * sizeof(SimRule));
                s->rules[0] = r;
        } else
                s->rules[s->n] = r;
        s->n++;
        return true;
}

/* Loads files (already in augenrules' order): augenrules drops comments and hoists -D, -b, -f and -e
 * lines, none of which adds an exclude rule, so the rule lines keep their order; auditctl -R stops at
 * the first error unless -i or -c came before. */
static void sim_load(Sim *s, const char *const *texts, int n_texts) {
        bool ignore = false, stop = false;

        memset(s, 0, sizeof *s);
        for (int f = 0; f < n_texts && !stop; f++) {
                char *copy = strdup(texts[f]), *save = NULL;

                for (char *l = strtok_r(copy, "\n", &save); l && !stop; l = strtok_r(NULL, "\n", &save))
                        if (!sim_line(s, l, &ignore) && !ignore)
                                stop = true;
                free(copy);
        }
}

/* Resolves every other-field condition of 's' to its index in 'keys'. */
static void sim_bind(Sim *s, const Sim *keys) {
        for (int i = 0; i < s->n; i++)
                for (int j = 0; j < s->rules[i].n; j++) {
                        SimField *f = &s->rules[i].f[j];
                        if (f->msgtype || f->stop)
                                continue;
                        for (f->env = 0; f->env < keys->n_env && strcmp(keys->env_keys[f->env], f->key); f->env++)
                                ;
                        if (f->env == keys->n_env)
                                abort(); /* a condition the caller did not enumerate */
                }
}

/* Whether the kernel drops a record of 'type' from a process for which the other-field condition
 * env_keys[i] holds exactly when bit i of 'env' is set: the first rule whose fields all match drops
 * it, whatever its action; a rule without fields never matches. Call sim_bind() first. */
static bool sim_drops(const Sim *s, uint32_t type, unsigned env) {
        for (int i = 0; i < s->n; i++) {
                const SimRule *r = &s->rules[i];
                bool match = r->n > 0 && !r->user;

                for (int j = 0; match && j < r->n; j++) {
                        const SimField *f = &r->f[j];
                        if (f->msgtype)
                                match = sim_cmp(type, f->opc, f->value);
                        else
                                match = (env >> f->env) & 1;
                }
                if (match)
                        return true;
        }
        return false;
}

/* Whether the kernel's user list lets a message of 'type' through, from a process as for sim_drops():
 * the first rule whose fields all match decides by its action (never: dropped); a rule without fields
 * never matches; reaching a field the kernel does not evaluate there ends the list, and the message
 * passes. Call sim_bind() first. */
static bool sim_user_passes(const Sim *s, uint32_t type, unsigned env) {
        for (int i = 0; i < s->n; i++) {
                const SimRule *r = &s->rules[i];
                bool match = r->n > 0 && r->user;

                for (int j = 0; match && j < r->n; j++) {
                        const SimField *f = &r->f[j];
                        if (f->stop)
                                return true;
                        if (f->msgtype)
                                match = sim_cmp(type, f->opc, f->value);
                        else
                                match = (env >> f->env) & 1;
                }
                if (match)
                        return !r->never;
        }
        return true;
}
