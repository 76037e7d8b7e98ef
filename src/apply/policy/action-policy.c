/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy action: dontaudit, booleans and modules, changed only when they differ from what the
 * store holds: dontaudit and booleans alone by editing the compiled policy (policy-fast.c), anything
 * else in one libsemanage transaction with at most one rebuild. */

#include <fcntl.h>
#include <sys/stat.h>

#include "chase.h"
#include "dlopen-libs.h"
#include "file-contexts.h"
#include "log.h"
#include "messages.h"
#include "policy-internal.h"
#include "policy.h"
#include "strutil.h"

typedef enum ChangeKind {
        CHANGE_DONTAUDIT,
        CHANGE_BOOLEAN_SET,
        CHANGE_BOOLEAN_DEL,
        CHANGE_MODULE_INSTALL,
        CHANGE_MODULE_REMOVE,
        CHANGE_FCONTEXT_SET,
        CHANGE_FCONTEXT_DEL,
        CHANGE_EQUIVALENCE_SET, /* written by seprov after the transaction, as semanage does */
        CHANGE_EQUIVALENCE_DEL,
        CHANGE_PERMISSIVE_ADD,
        CHANGE_PERMISSIVE_DEL,
        CHANGE_PORT_SET,
        CHANGE_PORT_DEL,
        CHANGE_MODULE_STATE, /* 'value': enabled */
} ChangeKind;

/* One change to make in the transaction. */
typedef struct Change {
        ChangeKind kind;
        const char *name; /* boolean or module name; borrowed from the config or the manifest */
        int value;        /* boolean value; dontaudit: 1 to disable the dontaudit rules */
        unsigned priority;
        ModuleSource source;
        const char *file_type, *type; /* a file context rule's (name: its path) */
        const char *target;           /* an equivalence's (name: its path) */
        const char *protocol;         /* a port's; 'name' is its type */
        unsigned low, high;
        const char *range; /* a file context rule's or a port's */
        bool restore;      /* a module state: back to what it was before seprov changed it */
} Change;

typedef struct Plan {
        Change *changes;
        size_t n;
        Manifest manifest;
        int store_fd;
        bool writable;
        bool after_copy; /* a dry run: the store action plans the copy this works in */
        bool rebuild;    /* an interrupted edit seprov cannot finish: libsemanage rebuilds */
        const char *how; /* said after each change made, e.g. that no rebuild was needed */
} Plan;

static void plan_done(Plan *p) {
        for (size_t i = 0; i < p->n; i++)
                module_source_done(&p->changes[i].source);
        free(p->changes);
        manifest_done(&p->manifest);
        closep(&p->store_fd);
        *p = (Plan){ .store_fd = -EBADF };
}

static int plan_add(Plan *p, Change c) {
        Change *n = reallocarray(p->changes, p->n + 1, sizeof(Change));

        if (!n) {
                module_source_done(&c.source);
                return -ENOMEM;
        }
        p->changes = n;
        p->changes[p->n++] = c;
        return 0;
}

static bool change_is_fcontext(const Change *c) {
        return c->kind == CHANGE_FCONTEXT_SET || c->kind == CHANGE_FCONTEXT_DEL;
}

static bool change_is_equivalence(const Change *c) {
        return c->kind == CHANGE_EQUIVALENCE_SET || c->kind == CHANGE_EQUIVALENCE_DEL;
}

static const char *change_action(const Change *c) {
        if (change_is_fcontext(c))
                return "fcontext";
        if (change_is_equivalence(c))
                return "equivalence";
        return c->kind == CHANGE_DONTAUDIT                                            ? "dontaudit"
               : c->kind == CHANGE_BOOLEAN_SET || c->kind == CHANGE_BOOLEAN_DEL       ? "boolean"
               : c->kind == CHANGE_PERMISSIVE_ADD || c->kind == CHANGE_PERMISSIVE_DEL ? "permissive"
               : c->kind == CHANGE_PORT_SET || c->kind == CHANGE_PORT_DEL             ? "port"
                                                                                      : "module";
}

static const char *change_message_id(const Change *c) {
        if (change_is_fcontext(c) || change_is_equivalence(c))
                return SEPROV_MESSAGE_FCONTEXT;
        return c->kind == CHANGE_DONTAUDIT                                            ? SEPROV_MESSAGE_DONTAUDIT
               : c->kind == CHANGE_BOOLEAN_SET || c->kind == CHANGE_BOOLEAN_DEL       ? SEPROV_MESSAGE_BOOLEAN
               : c->kind == CHANGE_PERMISSIVE_ADD || c->kind == CHANGE_PERMISSIVE_DEL ? SEPROV_MESSAGE_PERMISSIVE
               : c->kind == CHANGE_PORT_SET || c->kind == CHANGE_PORT_DEL             ? SEPROV_MESSAGE_PORT
                                                                                      : SEPROV_MESSAGE_MODULE;
}

/* The report line of a permissive domain, a port or a module state (see change_describe()). */
static char *change_describe_workload(const Change *c, bool planned, bool tried) {
        char port[CONFIG_PORT_STRING_MAX];

        if (c->protocol)
                (void) config_port_string(c->protocol, c->low, c->high, /* protocol_only= */ false, port, sizeof port);
        switch (c->kind) {
        case CHANGE_PERMISSIVE_ADD:
                return planned ? strprintf("would make %s permissive", c->name)
                       : tried ? strprintf("making %s permissive", c->name)
                               : strprintf("%s made permissive", c->name);
        case CHANGE_PERMISSIVE_DEL:
                return strprintf("%s%s%s: the config no longer lists it",
                                 planned ? "would enforce "
                                 : tried ? "enforcing "
                                         : "",
                                 c->name, planned || tried ? " again" : " enforced again");
        case CHANGE_PORT_SET:
                return strprintf("%s%s%s %s%s%s",
                                 planned ? "would label "
                                 : tried ? "labelling "
                                         : "",
                                 port, planned || tried ? "" : " labelled", c->name, c->range ? ":" : "",
                                 strempty(c->range));
        case CHANGE_PORT_DEL:
                return planned ? strprintf("would remove the label of %s: the config no longer lists it", port)
                       : tried ? strprintf("removing the label of %s: the config no longer lists it", port)
                               : strprintf("%s label removed: the config no longer lists it", port);
        case CHANGE_MODULE_STATE:
                return strprintf("%s%s%s%s",
                                 planned ? (c->value ? "would enable " : "would disable ")
                                 : tried ? (c->value ? "enabling " : "disabling ")
                                         : "",
                                 c->name,
                                 planned || tried ? ""
                                 : c->value       ? " enabled"
                                                  : " disabled",
                                 c->restore ? " again: the config no longer sets its state" : "");
        default:
                return NULL;
        }
}

/* What a change's report line says: what it did (done), would do (planned), or what was tried (a
 * failed or skipped change: not what would have happened). */
static char *change_describe(const Change *c, Outcome o) {
        bool planned = o == OUTCOME_PLANNED, tried = o == OUTCOME_FAILED || o == OUTCOME_SKIPPED;
        const char *onoff = c->value ? "on" : "off";

        switch (c->kind) {
        case CHANGE_DONTAUDIT:
                if (planned || tried)
                        return strprintf("%s dontaudit rules", planned ? (c->value ? "would disable" : "would enable")
                                                                       : (c->value ? "disabling" : "enabling"));
                return strprintf("dontaudit rules %s", c->value ? "disabled" : "enabled");
        case CHANGE_BOOLEAN_SET:
                return strprintf("%s%s=%s (persistent)",
                                 planned ? "would set "
                                 : tried ? "setting "
                                         : "",
                                 c->name, onoff);
        case CHANGE_BOOLEAN_DEL:
                /* Dropped from the config or listed with "state": "absent": the config no longer sets it. */
                return strprintf("%s%s%s to the policy's default: the config no longer sets it",
                                 planned ? "would return "
                                 : tried ? "returning "
                                         : "",
                                 c->name, planned || tried ? "" : " returned");
        case CHANGE_MODULE_INSTALL:
                return strprintf("%s%s%s at priority %u",
                                 planned ? "would install "
                                 : tried ? "installing "
                                         : "",
                                 c->name, planned || tried ? "" : " installed", c->priority);
        case CHANGE_MODULE_REMOVE:
                return strprintf("%s%s%s from priority %u: the config no longer lists it",
                                 planned ? "would remove "
                                 : tried ? "removing "
                                         : "",
                                 c->name, planned || tried ? "" : " removed", c->priority);
        case CHANGE_FCONTEXT_SET:
                return strprintf("%s%s (%s) %s%s%s%s",
                                 planned ? "would set "
                                 : tried ? "setting "
                                         : "",
                                 c->name, c->file_type, c->type, c->range ? ":" : "", strempty(c->range),
                                 planned || tried ? "" : " set");
        case CHANGE_FCONTEXT_DEL:
                return strprintf("%s%s (%s)%s: the config no longer lists it",
                                 planned ? "would remove "
                                 : tried ? "removing "
                                         : "",
                                 c->name, c->file_type, planned || tried ? "" : " removed");
        case CHANGE_EQUIVALENCE_SET:
                return strprintf("%s%s = %s%s",
                                 planned ? "would set "
                                 : tried ? "setting "
                                         : "",
                                 c->name, c->target, planned || tried ? "" : " set");
        case CHANGE_EQUIVALENCE_DEL:
                return strprintf("%s%s%s: the config no longer lists it",
                                 planned ? "would remove "
                                 : tried ? "removing "
                                         : "",
                                 c->name, planned || tried ? "" : " removed");
        default:
                return change_describe_workload(c, planned, tried);
        }
        return NULL;
}

static int plan_report(Apply *a, const Plan *p, Outcome o, uint64_t since, const char *why) {
        for (size_t i = 0; i < p->n; i++) {
                _cleanup_free_ char *d = change_describe(&p->changes[i], o);
                /* How the policy was changed says nothing of an equivalence, which is no part of it. */
                const char *how = change_is_equivalence(&p->changes[i]) ? NULL : p->how;
                int r = report_action(&a->report, change_action(&p->changes[i]), o, change_message_id(&p->changes[i]),
                                      since, "%s%s%s%s%s", strna(d), how ? ", " : "", strempty(how), why ? ": " : "",
                                      strempty(why));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Whether the store sets the boolean 'name' (a value that is not a boolean does not count), and to
 * what. */
static bool boolean_local(char **local, const char *name, int *ret_value) {
        size_t n = strlen(name);

        STRV_FOREACH (l, local)
                if (strneq(*l, name, n) && (*l)[n] == '=' && !streq(*l + n + 1, "?")) {
                        *ret_value = streq(*l + n + 1, "on");
                        return true;
                }
        return false;
}

static int plan_dontaudit(Apply *a, Plan *p) {
        bool disabled = faccessat(p->store_fd, "active/disable_dontaudit", F_OK, AT_SYMLINK_NOFOLLOW) >= 0;
        bool want = a->config->dontaudit == 0;

        if (a->config->dontaudit < 0)
                return 0;
        if (disabled == want)
                return report_action(&a->report, "dontaudit", OUTCOME_UNCHANGED, SEPROV_MESSAGE_DONTAUDIT,
                                     /* since= */ 0, "dontaudit rules %s", want ? "disabled" : "enabled");
        return plan_add(p, (Change){ .kind = CHANGE_DONTAUDIT, .value = want });
}

static int plan_booleans(Apply *a, Plan *p) {
        _cleanup_strv_free_ char **local = NULL;
        int r, v;

        r = policy_booleans_read(p->store_fd, &local);
        if (r < 0)
                return log_error_errno(r, "Cannot read the store's local booleans: %m");
        for (size_t i = 0; i < a->config->n_booleans; i++) {
                const ConfigBoolean *b = &a->config->booleans[i];

                if (boolean_local(local, b->name, &v) && v == b->value)
                        r = report_action(&a->report, "boolean", OUTCOME_UNCHANGED, SEPROV_MESSAGE_BOOLEAN,
                                          /* since= */ 0, "%s=%s (persistent)", b->name, b->value ? "on" : "off");
                else
                        r = plan_add(p, (Change){ .kind = CHANGE_BOOLEAN_SET, .name = b->name, .value = b->value });
                if (r < 0)
                        return r;
        }
        /* Booleans seprov set that the config no longer lists go back to the policy's default. */
        STRV_FOREACH (m, p->manifest.booleans) {
                if (config_find_boolean(a->config, *m))
                        continue;
                if (boolean_local(local, *m, &v))
                        r = plan_add(p, (Change){ .kind = CHANGE_BOOLEAN_DEL, .name = *m });
                if (r < 0)
                        return r;
        }
        return 0;
}

static bool module_present(int store_fd, const char *name, unsigned priority) {
        _cleanup_free_ char *rel = strprintf("active/modules/%u/%s", priority, name);

        return rel && faccessat(store_fd, rel, F_OK, AT_SYMLINK_NOFOLLOW) >= 0;
}

/* A module of the config: installed unless seprov already installed this very content there. */
static int plan_module(Apply *a, Plan *p, const ConfigModule *m, bool *refused) {
        _cleanup_(module_source_done) ModuleSource src = {};
        const ManagedModule *had = manifest_find_module(&p->manifest, m->name);
        const char *reason = NULL;
        int r;

        r = module_source_read(a->ctx->root_fd, m->source, &src, &reason);
        if (r < 0) {
                *refused = true;
                return report_action(&a->report, "module", OUTCOME_FAILED, SEPROV_MESSAGE_MODULE, /* since= */ 0,
                                     "%s refused: %s: %s", m->name, m->source, reason ?: strerror(-r));
        }
        if (had && had->priority == m->priority && streq(had->digest, src.digest) &&
            module_present(p->store_fd, m->name, m->priority))
                return report_action(&a->report, "module", OUTCOME_UNCHANGED, SEPROV_MESSAGE_MODULE, /* since= */ 0,
                                     "%s at priority %u", m->name, m->priority);
        if (had && had->priority != m->priority && module_present(p->store_fd, m->name, had->priority)) {
                r = plan_add(p,
                             (Change){ .kind = CHANGE_MODULE_REMOVE, .name = had->name, .priority = had->priority });
                if (r < 0)
                        return r;
        }
        r = plan_add(
                p, (Change){ .kind = CHANGE_MODULE_INSTALL, .name = m->name, .priority = m->priority, .source = src });
        src = (ModuleSource){};
        return r;
}

static int plan_modules(Apply *a, Plan *p, bool *refused) {
        int r;

        for (size_t i = 0; i < a->config->n_modules; i++) {
                if (!config_module_installs(&a->config->modules[i]))
                        continue; /* a module of the store: plan_module_states() */
                r = plan_module(a, p, &a->config->modules[i], refused);
                if (r < 0)
                        return r;
        }
        /* Modules seprov installed that the config no longer lists (dropped, or "state": "absent"). */
        for (size_t i = 0; i < p->manifest.n_modules; i++) {
                const ManagedModule *m = &p->manifest.modules[i];

                if (config_find_module(a->config, m->name) || !module_present(p->store_fd, m->name, m->priority))
                        continue;
                r = plan_add(p, (Change){ .kind = CHANGE_MODULE_REMOVE, .name = m->name, .priority = m->priority });
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The config's file context rules that the store's file_contexts.local does not hold yet, and the
 * rules seprov made that the config no longer lists (those made by other means stay). */
static int plan_fcontexts(Apply *a, Plan *p) {
        _cleanup_(local_fcontexts_done) LocalFcontexts local = {};
        int r;

        if (a->config->n_file_contexts == 0 && !p->manifest.fcontexts)
                return 0;
        r = local_fcontexts_read(p->store_fd, &local);
        if (r < 0)
                return log_error_errno(r, "Cannot read the store's local file context rules: %m");
        for (size_t i = 0; i < a->config->n_file_contexts; i++) {
                const ConfigFileContext *f = &a->config->file_contexts[i];
                const LocalFcontext *l = local_fcontexts_find(&local, f->path, f->file_type);

                if (l && local_fcontext_matches(l, f))
                        r = report_action(&a->report, "fcontext", OUTCOME_UNCHANGED, SEPROV_MESSAGE_FCONTEXT,
                                          /* since= */ 0, "%s (%s) %s", f->path, f->file_type, f->type);
                else
                        r = plan_add(p, (Change){ .kind = CHANGE_FCONTEXT_SET,
                                                  .name = f->path,
                                                  .file_type = f->file_type,
                                                  .type = f->type,
                                                  .range = f->range });
                if (r < 0)
                        return r;
        }
        STRV_FOREACH (m, p->manifest.fcontexts) {
                const char *path = strchr(*m, ' ');
                _cleanup_free_ char *file_type = path ? strndup(*m, path - *m) : NULL;

                if (!file_type)
                        continue;
                path++;
                if (config_find_file_context(a->config, path, file_type) ||
                    !local_fcontexts_find(&local, path, file_type))
                        continue;
                /* The manifest's strings live as long as the plan: borrow them. */
                r = plan_add(p, (Change){ .kind = CHANGE_FCONTEXT_DEL,
                                          .name = path,
                                          .file_type = local_fcontexts_find(&local, path, file_type)->file_type });
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The config's equivalences that the installed file_contexts.subs lacks, and those seprov made that
 * the config no longer lists. */
static int plan_equivalences(Apply *a, Plan *p) {
        _cleanup_(local_subs_done) LocalSubs local = {};
        _cleanup_close_ int policy_fd = -EBADF;
        int r;

        if (a->config->n_equivalences == 0 && !p->manifest.equivalences)
                return 0;
        policy_fd = chase_and_open_dir(a->ctx->root_fd, a->layout.policy.path);
        if (policy_fd < 0)
                return log_error_errno(policy_fd, "Cannot open %s: %m", a->layout.policy.path);
        r = local_subs_read(policy_fd, &local);
        if (r < 0)
                return log_error_errno(r, "Cannot read the local file context equivalences: %m");
        for (size_t i = 0; i < a->config->n_equivalences; i++) {
                const ConfigEquivalence *e = &a->config->equivalences[i];

                if (streq_ptr(local_subs_find(&local, e->path), e->same_as))
                        r = report_action(&a->report, "equivalence", OUTCOME_UNCHANGED, SEPROV_MESSAGE_FCONTEXT,
                                          /* since= */ 0, "%s = %s", e->path, e->same_as);
                else
                        r = plan_add(
                                p, (Change){ .kind = CHANGE_EQUIVALENCE_SET, .name = e->path, .target = e->same_as });
                if (r < 0)
                        return r;
        }
        STRV_FOREACH (m, p->manifest.equivalences) {
                if (config_find_equivalence(a->config, *m) || !local_subs_find(&local, *m))
                        continue;
                r = plan_add(p, (Change){ .kind = CHANGE_EQUIVALENCE_DEL, .name = *m });
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Permissive domains: the module semanage permissive -a installs, unless the store has it (seprov's
 * or the admin's); those seprov made that the config no longer lists are removed. */
static int plan_permissive(Apply *a, Plan *p) {
        int r = 0;

        for (size_t i = 0; r >= 0 && i < a->config->n_permissive; i++) {
                const ConfigPermissive *d = &a->config->permissive[i];

                if (policy_permissive_present(p->store_fd, d->name))
                        r = report_action(&a->report, "permissive", OUTCOME_UNCHANGED, SEPROV_MESSAGE_PERMISSIVE,
                                          /* since= */ 0, "%s permissive", d->name);
                else
                        r = plan_add(p, (Change){ .kind = CHANGE_PERMISSIVE_ADD, .name = d->name });
        }
        STRV_FOREACH (m, p->manifest.permissive)
                if (r >= 0 && !config_find_permissive(a->config, *m) && policy_permissive_present(p->store_fd, *m))
                        r = plan_add(p, (Change){ .kind = CHANGE_PERMISSIVE_DEL, .name = *m });
        return r;
}

/* Ports: labelled unless ports.local labels them so already; those seprov labelled that the config
 * no longer lists lose the store's label (the policy's own, if any, is what they have then). */
static int plan_ports(Apply *a, Plan *p) {
        _cleanup_(policy_ports_done) PolicyPorts local = {};
        int r;

        r = policy_ports_local_read(p->store_fd, &local);
        if (r < 0)
                return log_error_errno(r, "Cannot read the store's %s: %m", POLICY_PORTS_LOCAL);
        for (size_t i = 0; r >= 0 && i < a->config->n_ports; i++) {
                const ConfigPort *c = &a->config->ports[i];
                const PolicyPort *l = policy_ports_find(&local, c->protocol, c->low, c->high);
                char port[CONFIG_PORT_STRING_MAX];

                if (l && policy_port_matches(l, c->type, c->range))
                        r = report_action(&a->report, "port", OUTCOME_UNCHANGED, SEPROV_MESSAGE_PORT, /* since= */ 0,
                                          "%s %s%s%s",
                                          config_port_string(c->protocol, c->low, c->high, /* protocol_only= */ false,
                                                             port, sizeof port),
                                          c->type, c->range ? ":" : "", strempty(c->range));
                else
                        r = plan_add(p, (Change){ .kind = CHANGE_PORT_SET,
                                                  .name = c->type,
                                                  .protocol = c->protocol,
                                                  .low = c->low,
                                                  .high = c->high,
                                                  .range = c->range });
        }
        for (size_t i = 0; r >= 0 && i < p->manifest.n_ports; i++) {
                const ManagedPort *m = &p->manifest.ports[i];

                if (!config_find_port(a->config, m->protocol, m->low, m->high) &&
                    policy_ports_find(&local, m->protocol, m->low, m->high))
                        r = plan_add(p, (Change){ .kind = CHANGE_PORT_DEL,
                                                  .protocol = m->protocol,
                                                  .low = m->low,
                                                  .high = m->high });
        }
        return r;
}

/* The state of a module of the store the config names without a source. Preflight refused a module
 * the store lacks; one that went missing since is refused here. */
static int plan_module_state(Apply *a, Plan *p, const ConfigModule *m, bool *refused) {
        int st = policy_module_state_get(p->store_fd, m->name);

        if (st == -ENOENT) {
                *refused = true;
                return report_action(&a->report, "module", OUTCOME_FAILED, SEPROV_MESSAGE_MODULE, /* since= */ 0,
                                     "%s refused: the store has no module of that name to %s", m->name,
                                     m->enabled ? "enable" : "disable");
        }
        if (st < 0)
                return log_error_errno(st, "Cannot read the state of module %s: %m", m->name);
        if (st == m->enabled)
                return report_action(&a->report, "module", OUTCOME_UNCHANGED, SEPROV_MESSAGE_MODULE, /* since= */ 0,
                                     "%s %s", m->name, m->enabled ? "enabled" : "disabled");
        return plan_add(p, (Change){ .kind = CHANGE_MODULE_STATE, .name = m->name, .value = m->enabled });
}

/* Whether the plan installs the module 'name' (enabled, as every module seprov installs). */
static bool plan_installs(const Plan *p, const char *name) {
        for (size_t i = 0; i < p->n; i++)
                if (p->changes[i].kind == CHANGE_MODULE_INSTALL && streq(p->changes[i].name, name))
                        return true;
        return false;
}

/* Module states: as the config sets them; one seprov changed that the config no longer sets goes back
 * to what it was before. */
static int plan_module_states(Apply *a, Plan *p, bool *refused) {
        int r = 0;

        for (size_t i = 0; r >= 0 && i < a->config->n_modules; i++) {
                const ConfigModule *m = &a->config->modules[i];

                if (m->enabled >= 0 && !config_module_installs(m))
                        r = plan_module_state(a, p, m, refused);
                /* A module seprov installs with "state": "enabled" that was disabled by hand since. */
                else if (m->enabled > 0 && !plan_installs(p, m->name) &&
                         policy_module_state_get(p->store_fd, m->name) == 0)
                        r = plan_add(p, (Change){ .kind = CHANGE_MODULE_STATE, .name = m->name, .value = 1 });
        }
        for (size_t i = 0; r >= 0 && i < p->manifest.n_states; i++) {
                const ManagedState *s = &p->manifest.states[i];
                const ConfigModule *m = config_find_module(a->config, s->name);
                int st;

                /* A module seprov installed goes with its entry, whatever its state. */
                if ((m && m->enabled >= 0 && !config_module_installs(m)) ||
                    manifest_find_module(&p->manifest, s->name))
                        continue;
                st = policy_module_state_get(p->store_fd, s->name);
                if (st >= 0 && st != s->enabled_before)
                        r = plan_add(p, (Change){ .kind = CHANGE_MODULE_STATE,
                                                  .name = s->name,
                                                  .value = s->enabled_before,
                                                  .restore = true });
        }
        return r;
}

/* An edit of the compiled policy that a crash interrupted is finished before anything is planned
 * from the store's files; one seprov cannot finish is left to a rebuild. */
static int plan_mend(Apply *a, Plan *p) {
        _cleanup_free_ char *why = NULL;
        uint64_t since = report_now_usec();
        int r;

        if (!policy_fast_interrupted(p->store_fd))
                return 0;
        if (a->dry_run)
                return report_action(&a->report, "policy", OUTCOME_PLANNED, SEPROV_MESSAGE_MODULE, since,
                                     "would finish the interrupted edit of the policy");
        r = policy_fast_mend(a, p->store_fd, &why);
        if (r == -ESTALE) {
                log_warning("Cannot finish the interrupted edit of the policy in %s (%s), rebuilding it.",
                            a->layout.store.path, strna(why));
                p->rebuild = true;
                return 0;
        }
        if (r < 0) {
                (void) report_action(&a->report, "policy", OUTCOME_FAILED, SEPROV_MESSAGE_MODULE, since,
                                     "cannot finish the interrupted edit of the policy: %s", why ?: strerror(-r));
                return r;
        }
        return report_action(&a->report, "policy", OUTCOME_CHANGED, SEPROV_MESSAGE_MODULE, since,
                             "finished the interrupted edit of the policy");
}

static int plan_open(Apply *a, Plan *p) {
        const Layout *l = &a->layout;

        p->writable = l->store.kind == PATH_REAL;
        /* The copy starts as the image's store is: plan in that what the apply will do in the copy. */
        p->after_copy = !p->writable && a->dry_run && a->config->store == STORE_WRITABLE;
        p->store_fd = chase_and_open_dir(a->ctx->root_fd, l->store.path);
        if (p->store_fd < 0)
                return log_error_errno(p->store_fd, "Cannot open the policy store %s: %m", l->store.path);
        return 0;
}

static int plan_make(Apply *a, Plan *p, bool *refused) {
        const Layout *l = &a->layout;
        int r;

        if (p->writable) {
                r = manifest_read(p->store_fd, &p->manifest);
                if (r < 0)
                        return log_error_errno(r, "Cannot read %s/%s: %m", l->store.path, POLICY_MANIFEST_FILE);
        }
        r = plan_dontaudit(a, p);
        if (r >= 0 && (p->writable || p->after_copy))
                r = plan_booleans(a, p);
        /* Planned on the image's store too: what it cannot take is reported (plan_not_writable()). */
        if (r >= 0)
                r = plan_fcontexts(a, p);
        if (r >= 0)
                r = plan_equivalences(a, p);
        if (r >= 0)
                r = plan_modules(a, p, refused);
        if (r >= 0)
                r = plan_module_states(a, p, refused);
        if (r >= 0)
                r = plan_permissive(a, p);
        if (r >= 0)
                r = plan_ports(a, p);
        return r;
}

/* 'installs': the transaction also installs modules, which may declare the boolean: libsemanage checks
 * it against the policy the commit builds (preflight checked it against the declarations). */
static int change_boolean(semanage_handle_t *sh, const Change *c, bool installs) {
        semanage_bool_key_t *key = NULL;
        semanage_bool_t *b = NULL;
        int exists = 0, r = -EIO;

        if (sym_semanage_bool_key_create(sh, c->name, &key) < 0)
                return -ENOMEM;
        if (c->kind == CHANGE_BOOLEAN_DEL)
                r = sym_semanage_bool_del_local(sh, key) < 0 ? -EIO : 0;
        else if (sym_semanage_bool_exists(sh, key, &exists) < 0)
                r = -EIO;
        else if (!exists && !installs)
                r = -ENOENT;
        else if (sym_semanage_bool_create(sh, &b) >= 0 && sym_semanage_bool_set_name(sh, b, c->name) >= 0) {
                sym_semanage_bool_set_value(b, c->value);
                r = sym_semanage_bool_modify_local(sh, key, b) < 0 ? -EIO : 0;
        }
        sym_semanage_bool_free(b);
        sym_semanage_bool_key_free(key);
        return r;
}

static int change_module(semanage_handle_t *sh, const Change *c) {
        int r = -EIO;

        if (c->kind == CHANGE_MODULE_REMOVE) {
                semanage_module_key_t *key = NULL;

                if (sym_semanage_module_key_create(sh, &key) >= 0 &&
                    sym_semanage_module_key_set_name(sh, key, c->name) >= 0 &&
                    sym_semanage_module_key_set_priority(sh, key, (uint16_t) c->priority) >= 0)
                        r = sym_semanage_module_remove_key(sh, key) < 0 ? -EIO : 0;
                sym_semanage_module_key_destroy(sh, key);
                free(key);
        } else {
                semanage_module_info_t *info = NULL;

                if (sym_semanage_module_info_create(sh, &info) >= 0 &&
                    sym_semanage_module_info_set_name(sh, info, c->name) >= 0 &&
                    sym_semanage_module_info_set_priority(sh, info, (uint16_t) c->priority) >= 0 &&
                    sym_semanage_module_info_set_lang_ext(sh, info, c->source.lang) >= 0 &&
                    sym_semanage_module_info_set_enabled(sh, info, 1) >= 0)
                        r = sym_semanage_module_install_info(sh, info, c->source.data, c->source.size) < 0 ? -EIO : 0;
                sym_semanage_module_info_destroy(sh, info);
                free(info);
        }
        return r;
}

static int change_apply(semanage_handle_t *sh, const Change *c, bool installs) {
        switch (c->kind) {
        case CHANGE_DONTAUDIT:
                return 0; /* set for the whole rebuild (plan_commit()) */
        case CHANGE_BOOLEAN_SET:
        case CHANGE_BOOLEAN_DEL:
                return change_boolean(sh, c, installs);
        case CHANGE_FCONTEXT_SET:
        case CHANGE_FCONTEXT_DEL:
                return policy_fcontext_stage(sh, c->name, c->file_type,
                                             c->kind == CHANGE_FCONTEXT_SET ? c->type : NULL, c->range);
        case CHANGE_EQUIVALENCE_SET:
        case CHANGE_EQUIVALENCE_DEL:
                return 0; /* written after the commit (plan_equivalences_write()) */
        case CHANGE_PERMISSIVE_ADD:
        case CHANGE_PERMISSIVE_DEL:
                return policy_permissive_set(sh, c->name, c->kind == CHANGE_PERMISSIVE_ADD);
        case CHANGE_PORT_SET:
                return policy_ports_set(sh, c->protocol, c->low, c->high, c->name, c->range);
        case CHANGE_PORT_DEL:
                return policy_ports_del(sh, c->protocol, c->low, c->high);
        case CHANGE_MODULE_STATE:
                return policy_module_state_set(sh, c->name, c->value);
        default:
                return change_module(sh, c);
        }
}

static const Change *plan_find(const Plan *p, ChangeKind kind) {
        for (size_t i = 0; i < p->n; i++)
                if (p->changes[i].kind == kind)
                        return &p->changes[i];
        return NULL;
}

/* Whether libsemanage must rebuild: a module changes, dontaudit changes, or an edit was lost. */
static bool plan_rebuilds(const Plan *p) {
        return p->rebuild || plan_find(p, CHANGE_DONTAUDIT) || plan_find(p, CHANGE_MODULE_INSTALL) ||
               plan_find(p, CHANGE_MODULE_REMOVE) || plan_find(p, CHANGE_PERMISSIVE_ADD) ||
               plan_find(p, CHANGE_PERMISSIVE_DEL) || plan_find(p, CHANGE_MODULE_STATE);
}

/* Whether the dontaudit rules are to be off after the commit: as the plan sets them, else as the
 * store has them. */
static bool plan_dontaudit_off(const Plan *p) {
        const Change *c = plan_find(p, CHANGE_DONTAUDIT);

        if (c)
                return c->value;
        return faccessat(p->store_fd, "active/" POLICY_DISABLE_DONTAUDIT, F_OK, AT_SYMLINK_NOFOLLOW) >= 0;
}

/* Every change in one transaction, one commit (at most one rebuild). A rebuild that leaves dontaudit
 * off builds the whole policy, and seprov removes the rules after (policy_rebuild_strips()), unless
 * the commit adds a port: libsemanage merges ports.local into the compiled policy only, not into the
 * policy.linked seprov's edit starts from, so then libsemanage removes the rules itself. On
 * failure nothing is committed (*ret_committed stays false) or only removing the rules failed,
 * *ret_why says why, in libsemanage's words where it gave some, and *ret_failed is the change that
 * libsemanage refused (left as it is when the transaction or its commit failed as a whole). */
static int plan_commit(Apply *a, const Plan *p, bool *ret_committed, char **ret_why, size_t *ret_failed) {
        _cleanup_(policy_semanage_done) Semanage s = {};
        bool installs = plan_find(p, CHANGE_MODULE_INSTALL);
        bool rebuild = plan_rebuilds(p), off = plan_dontaudit_off(p);
        bool strip = rebuild && off && !plan_find(p, CHANGE_PORT_SET) && policy_rebuild_strips(a, p->store_fd);
        _cleanup_free_ char *fc_before = rebuild ? policy_file_contexts_read(a) : NULL;
        int r;

        r = policy_semanage_open(a, &s);
        if (r >= 0 && sym_semanage_begin_transaction(s.sh) < 0)
                r = policy_semanage_fail(&s, -EIO, "cannot start a libsemanage transaction on %s",
                                         a->layout.store.path);
        for (size_t i = 0; r >= 0 && i < p->n; i++) {
                const Change *c = &p->changes[i];

                r = change_apply(s.sh, c, installs);
                if (r < 0)
                        *ret_failed = i;
                if (r == -ENOENT)
                        r = policy_semanage_fail(&s, r, "the policy has no boolean %s", c->name);
                else if (r < 0)
                        r = policy_semanage_fail(&s, r, "cannot stage the change of %s %s in libsemanage",
                                                 change_action(c), strna(c->name));
        }
        if (r >= 0 && rebuild) {
                /* As semodule -DB / -B: the setting takes effect through the rebuild. */
                sym_semanage_set_disable_dontaudit(s.sh, off && !strip);
                sym_semanage_set_rebuild(s.sh, 1);
        }
        if (r >= 0 && sym_semanage_commit(s.sh) < 0)
                r = policy_semanage_fail(&s, -EIO, "cannot commit the policy changes to %s", a->layout.store.path);
        if (r < 0) {
                *ret_why = TAKE_PTR(s.error);
                return r;
        }
        *ret_committed = true;
        if (fc_before && policy_file_contexts_record_changes(a, fc_before) < 0)
                return log_oom();
        return policy_rebuild_finish(a, p->store_fd, rebuild, strip, ret_why);
}

/* The plan as an edit of the compiled policy, when it changes only dontaudit and booleans: made
 * without libsemanage when the store allows it (policy_fast_apply()). Returns 0, -EOPNOTSUPP
 * (*ret_why says why, when not just because something else changes), or another negative errno. */
static int plan_edit(Apply *a, const Plan *p, char **ret_why, char **ret_missing) {
        _cleanup_(fast_edit_done) FastEdit e = { .dontaudit = -1 };
        int r;

        if (p->rebuild)
                return -EOPNOTSUPP;
        for (size_t i = 0; i < p->n; i++) {
                const Change *c = &p->changes[i];

                if (c->kind == CHANGE_DONTAUDIT)
                        e.dontaudit = c->value;
                else if (c->kind == CHANGE_BOOLEAN_SET || c->kind == CHANGE_BOOLEAN_DEL)
                        e.booleans_changed = true;
                else if (!change_is_equivalence(c))
                        return -EOPNOTSUPP;
        }
        if (e.booleans_changed) {
                r = policy_booleans_local_read(p->store_fd, &e.booleans);
                if (r == -EBADMSG) {
                        *ret_why = strdup("booleans.local has lines seprov cannot rewrite as libsemanage would");
                        return -EOPNOTSUPP;
                }
                for (size_t i = 0; r >= 0 && i < p->n; i++) {
                        const Change *c = &p->changes[i];

                        if (c->kind == CHANGE_BOOLEAN_SET || c->kind == CHANGE_BOOLEAN_DEL)
                                r = policy_booleans_local_set(&e.booleans, c->name,
                                                              c->kind == CHANGE_BOOLEAN_SET ? c->value : -1);
                }
                if (r < 0)
                        return r;
        }
        return policy_fast_apply(a, p->store_fd, &e, ret_why, ret_missing);
}

/* Whether the plan changes the policy store (everything but equivalences does). */
static bool plan_changes_store(const Plan *p) {
        for (size_t i = 0; i < p->n; i++)
                if (!change_is_equivalence(&p->changes[i]))
                        return true;
        return p->rebuild;
}

/* The equivalences of the plan, in the installed file_contexts.subs, as semanage fcontext -a -e
 * writes them: libsemanage has no records for them. On failure *ret_failed is the first of them. */
static int plan_equivalences_write(Apply *a, const Plan *p, char **ret_why, size_t *ret_failed) {
        _cleanup_(local_subs_done) LocalSubs subs = {};
        _cleanup_close_ int policy_fd = -EBADF;
        size_t first = p->n;
        int r = 0;

        for (size_t i = p->n; i-- > 0;)
                if (change_is_equivalence(&p->changes[i]))
                        first = i;
        if (first == p->n)
                return 0;
        policy_fd = chase_and_open_dir(a->ctx->root_fd, a->layout.policy.path);
        r = policy_fd < 0 ? policy_fd : local_subs_read(policy_fd, &subs);
        for (size_t i = first; r >= 0 && i < p->n; i++) {
                const Change *c = &p->changes[i];
                if (change_is_equivalence(c))
                        r = local_subs_set(&subs, c->name, c->kind == CHANGE_EQUIVALENCE_SET ? c->target : NULL);
        }
        if (r >= 0)
                r = local_subs_write(policy_fd, &subs);
        if (r < 0) {
                *ret_failed = first;
                *ret_why = strprintf("cannot write %s/contexts/files/file_contexts.subs: %s", a->layout.policy.path,
                                     strerror(-r));
        }
        return r;
}

/* The plan made: by editing the compiled policy where it can be, else through libsemanage. On
 * failure, *ret_failed is the change that failed, or p->n when all did. */
static int plan_apply(Apply *a, Plan *p, bool *ret_committed, char **ret_why, size_t *ret_failed) {
        _cleanup_free_ char *missing = NULL;
        int r;

        *ret_failed = p->n;
        r = plan_edit(a, p, ret_why, &missing);
        if (r == -ENOENT && missing) {
                /* The boolean the policy lacks fails, once; the others were not made because of it. */
                for (size_t i = 0; i < p->n; i++)
                        if (p->changes[i].kind == CHANGE_BOOLEAN_SET && streq(p->changes[i].name, missing))
                                *ret_failed = i;
                return r;
        }

        if (r >= 0) {
                *ret_committed = true;
                p->how = "policy edited without a rebuild";
                return 0;
        }
        if (r != -EOPNOTSUPP)
                return r;
        if (*ret_why)
                log_info("The policy changes go through libsemanage: %s.", *ret_why);
        *ret_why = mfree(*ret_why);
        return plan_commit(a, p, ret_committed, ret_why, ret_failed);
}

/* The regexes of what the plan changed in file contexts (a->fcontexts_changed, and the relabel's lists): a
 * rule's path, and for an equivalence every path below its source. */
static int plan_record_relabel(Apply *a, const Plan *p) {
        int r = 0;

        for (size_t i = 0; r >= 0 && i < p->n; i++) {
                const Change *c = &p->changes[i];
                _cleanup_free_ char *re = NULL;

                /* The targeted relabel after this apply (action-relabel.c) walks what they reach. */
                if (change_is_fcontext(c)) {
                        re = strdup(c->name);
                        if (r >= 0 && !strv_contains(a->relabel_regexes, c->name))
                                r = strv_extend(&a->relabel_regexes, c->name);
                } else if (change_is_equivalence(c)) {
                        re = file_contexts_regex_escape(c->name);
                        if (!re || strextend(&re, "(/.*)?") < 0)
                                return -ENOMEM;
                        if (!strv_contains(a->relabel_equivalences, c->name))
                                r = strv_extend(&a->relabel_equivalences, c->name);
                } else
                        continue;
                if (!re || r < 0)
                        return -ENOMEM;
                if (!strv_contains(a->fcontexts_changed, re))
                        r = strv_consume(&a->fcontexts_changed, TAKE_PTR(re));
        }
        return r;
}

/* The plan made: the store's part (plan_apply()) when there is one, then the equivalences. */
static int plan_apply_all(Apply *a, Plan *p, bool *ret_committed, char **ret_why, size_t *ret_failed) {
        int r;

        *ret_failed = p->n;
        if (plan_changes_store(p)) {
                r = plan_apply(a, p, ret_committed, ret_why, ret_failed);
                if (r < 0)
                        return r;
        }
        r = plan_equivalences_write(a, p, ret_why, ret_failed);
        if (r < 0)
                return r;
        *ret_committed = true;
        return plan_record_relabel(a, p);
}

/* The module installed by the plan whose source libsepol's message 'why' points into: libsemanage
 * compiles each module from a copy in its sandbox, ".../modules/<priority>/<name>/cil". Returns its
 * change's index (and in *ret_mapped the message with that copy's path replaced by the module's
 * source in the config), or p->n when the message names none or on -ENOMEM. */
static size_t plan_failure_module(Apply *a, const Plan *p, const char *why, char **ret_mapped) {
        const char *m = why ? strstr(why, "/modules/") : NULL, *start, *name, *end;
        const ConfigModule *cm;

        *ret_mapped = NULL;
        if (!m)
                return p->n;
        name = m + strlen("/modules/");
        name += strspn(name, "0123456789");
        if (*name != '/')
                return p->n;
        name++;
        end = strchr(name, '/');
        if (!end)
                return p->n;
        for (size_t i = 0; i < p->n; i++) {
                const Change *c = &p->changes[i];

                if (c->kind != CHANGE_MODULE_INSTALL || strlen(c->name) != (size_t) (end - name) ||
                    !strneq(c->name, name, end - name))
                        continue;
                cm = config_find_module(a->config, c->name);
                for (start = m; start > why && start[-1] != ' '; start--)
                        ;
                end += strcspn(end, ": \n");
                *ret_mapped = strprintf("%.*s%s%s", (int) (start - why), why, cm ? cm->source : c->name, end);
                return *ret_mapped ? i : p->n;
        }
        return p->n;
}

/* A failed transaction: the change libsemanage refused (or the module libsepol's message points into)
 * failed, the others were not made because of it; when the commit failed as a whole, every change
 * failed with libsemanage's reason. */
static int plan_report_failure(Apply *a, const Plan *p, size_t failed, uint64_t since, const char *why) {
        _cleanup_free_ char *culprit = NULL, *mapped = NULL;

        if (failed >= p->n) {
                failed = plan_failure_module(a, p, why, &mapped);
                if (mapped)
                        why = mapped;
        }
        if (failed >= p->n)
                return plan_report(a, p, OUTCOME_FAILED, since, why);
        culprit = change_describe(&p->changes[failed], OUTCOME_FAILED);
        for (size_t i = 0; i < p->n; i++) {
                _cleanup_free_ char *d =
                        change_describe(&p->changes[i], i == failed ? OUTCOME_FAILED : OUTCOME_SKIPPED);
                int r = i == failed ? report_action(&a->report, change_action(&p->changes[i]), OUTCOME_FAILED,
                                                    change_message_id(&p->changes[i]), since, "%s: %s", strna(d), why)
                                    : report_action(&a->report, change_action(&p->changes[i]), OUTCOME_SKIPPED,
                                                    change_message_id(&p->changes[i]), since,
                                                    "%s: not made because of %s %s (one transaction)", strna(d),
                                                    change_action(&p->changes[failed]), strna(culprit));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The file context rules and equivalences seprov made: the config's, as for booleans. */
static int manifest_update_fcontexts(Apply *a, Plan *p) {
        _cleanup_strv_free_ char **fcontexts = NULL, **equivalences = NULL;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < a->config->n_file_contexts; i++)
                r = strv_consume(&fcontexts, strjoin(a->config->file_contexts[i].file_type, " ",
                                                     a->config->file_contexts[i].path));
        for (size_t i = 0; r >= 0 && i < a->config->n_equivalences; i++)
                r = strv_extend(&equivalences, a->config->equivalences[i].path);
        if (r < 0)
                return r;
        /* The plan borrows the manifest's strings: they are replaced only now, after the report. */
        strv_free(p->manifest.fcontexts);
        p->manifest.fcontexts = TAKE_PTR(fcontexts);
        strv_free(p->manifest.equivalences);
        p->manifest.equivalences = TAKE_PTR(equivalences);
        return 0;
}

/* What a committed change of a permissive domain, a port or a module state leaves seprov owning. */
static int manifest_update_workload(Manifest *m, const Change *c) {
        _cleanup_free_ char *name = NULL;
        const ManagedState *s;

        switch (c->kind) {
        case CHANGE_PERMISSIVE_ADD:
                return strv_contains(m->permissive, c->name) ? 0 : strv_extend(&m->permissive, c->name);
        case CHANGE_PERMISSIVE_DEL:
                /* The change's name is the manifest's own string, which the removal frees. */
                name = strdup(c->name);
                if (!name)
                        return -ENOMEM;
                strv_remove(m->permissive, name);
                return 0;
        case CHANGE_PORT_SET:
                return manifest_add_port(m, c->protocol, c->low, c->high);
        case CHANGE_PORT_DEL:
                manifest_remove_port(m, c->protocol, c->low, c->high);
                return 0;
        case CHANGE_MODULE_STATE:
                if (manifest_find_module(m, c->name))
                        return 0; /* seprov's own module: removed with its entry, nothing to restore */
                s = manifest_find_state(m, c->name);
                /* Back where it was before seprov first changed it: nothing left to undo. */
                if (c->restore || (s && s->enabled_before == !!c->value)) {
                        manifest_remove_state(m, c->name);
                        return 0;
                }
                return manifest_add_state(m, c->name, !c->value);
        default:
                return 0;
        }
}

/* The manifest after a successful commit: what seprov now has installed and set. */
static int manifest_update(Apply *a, Plan *p) {
        _cleanup_strv_free_ char **booleans = NULL;
        int r = 0;

        for (size_t i = 0; r >= 0 && i < p->n; i++) {
                const Change *c = &p->changes[i];

                if (c->kind == CHANGE_MODULE_INSTALL)
                        r = manifest_add_module(&p->manifest, c->name, c->priority, c->source.digest);
                else if (c->kind == CHANGE_MODULE_REMOVE && !config_find_module(a->config, c->name))
                        manifest_remove_module(&p->manifest, c->name);
                else
                        r = manifest_update_workload(&p->manifest, c);
        }
        for (size_t i = 0; r >= 0 && i < a->config->n_booleans; i++)
                r = strv_extend(&booleans, a->config->booleans[i].name);
        if (r >= 0)
                r = manifest_update_fcontexts(a, p);
        if (r < 0)
                return r;
        strv_free(p->manifest.booleans);
        p->manifest.booleans = TAKE_PTR(booleans);
        return manifest_write(p->store_fd, &p->manifest);
}

/* dontaudit and modules need a writable store; say why they cannot be done. */
static int plan_not_writable(Apply *a, const Plan *p) {
        /* In a dry run the store action only planned the copy this needs. */
        if (p->after_copy)
                return plan_report(a, p, OUTCOME_PLANNED, /* since= */ 0, "once the store is copied");
        if (a->config->store == STORE_WRITABLE) {
                (void) plan_report(a, p, OUTCOME_SKIPPED, /* since= */ 0,
                                   "the store is not writable (the store action failed)");
                return -EROFS;
        }
        (void) plan_report(a, p, OUTCOME_FAILED, /* since= */ 0, "needs store: writable (the store is the image's)");
        return -EROFS;
}

int action_policy(Apply *a) {
        _cleanup_(plan_done) Plan p = { .store_fd = -EBADF };
        _cleanup_free_ char *why = NULL;
        uint64_t since = report_now_usec();
        bool refused = false, committed = false;
        size_t failed;
        int r;

        assert(a);

        if (a->config->dontaudit < 0 && a->config->n_booleans == 0 && a->config->n_modules == 0 &&
            a->config->n_file_contexts == 0 && a->config->n_equivalences == 0 && a->config->n_permissive == 0 &&
            a->config->n_ports == 0 && a->layout.store.kind != PATH_REAL)
                return 0;
        if (a->layout.store.kind == PATH_MISSING) {
                (void) report_action(&a->report, "policy", OUTCOME_FAILED, SEPROV_MESSAGE_MODULE, since,
                                     "there is no policy store at %s", a->layout.store.path);
                return -ENOENT;
        }
        r = plan_open(a, &p);
        if (r >= 0 && p.writable) {
                r = plan_mend(a, &p);
                if (r < 0)
                        return r; /* reported by plan_mend() */
        }
        if (r >= 0)
                r = plan_make(a, &p, &refused);
        if (r < 0) {
                (void) report_action(&a->report, "policy", OUTCOME_FAILED, SEPROV_MESSAGE_MODULE, since,
                                     "cannot read the policy store %s: %s", a->layout.store.path, strerror(-r));
                return r;
        }
        if (refused) {
                /* A bad module source is bad input: nothing of this action changes. */
                (void) plan_report(a, &p, OUTCOME_SKIPPED, since, "a module source was refused");
                return -EPERM;
        }
        if (!p.writable) {
                r = p.after_copy ? 0 : policy_runtime_booleans(a);
                if (r >= 0 && p.n > 0)
                        r = plan_not_writable(a, &p);
                return r;
        }
        if (p.n == 0 && !p.rebuild)
                return 0;
        if (a->dry_run)
                return plan_report(a, &p, OUTCOME_PLANNED, since, /* why= */ NULL);
        r = plan_apply_all(a, &p, &committed, &why, &failed);
        if (r < 0)
                (void) plan_report_failure(a, &p, failed, since, why ?: strerror(-r));
        else
                r = plan_report(a, &p, OUTCOME_CHANGED, since, /* why= */ NULL);
        if (p.n == 0 && r >= 0)
                r = report_action(&a->report, "policy", OUTCOME_CHANGED, SEPROV_MESSAGE_MODULE, since,
                                  "rebuilt after an edit seprov could not finish");
        /* What was committed is recorded, even when what followed the commit failed. */
        if (committed) {
                int k = manifest_update(a, &p);
                if (k < 0)
                        log_warning_errno(k, "Failed to record what seprov installed in %s, ignoring: %m",
                                          a->layout.store.path);
        }
        return r;
}
