/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Preflight against the policy the apply will build on: the booleans the config sets exist, the
 * module sources it names can be installed, the types and ranges of its file contexts exist. A typo is
 * refused before the boot that would fail on it. */

#include <fcntl.h>

#include "chase.h"
#include "kpolicy.h"
#include "policy.h"
#include "preflight.h"
#include "store.h"
#include "strutil.h"

typedef struct PolicyNames {
        int root_fd;
        const Layout *layout;
        const Config *config;
        KPolicy *policy; /* read on the first boolean that needs it */
        char *policy_path;
        char **declared;       /* what the config's modules declare, read on the first boolean the policy lacks */
        char **refused;        /* the config's modules whose source could not be read or parsed then */
        char **declared_types; /* the types the config's modules declare, read at the same time */
        LocalFcontexts local;  /* the store's local file context rules, read on the first rule */
        bool local_read;
        bool declared_read;
} PolicyNames;

static void policy_names_done(PolicyNames *n) {
        kpolicy_free(n->policy);
        free(n->policy_path);
        strv_free(n->declared);
        strv_free(n->refused);
        strv_free(n->declared_types);
        local_fcontexts_done(&n->local);
}

static bool known_has(char *const *known, const char *name) {
        size_t len = strlen(name);

        STRV_FOREACH (k, known)
                if (strneq(*k, name, len) && ((*k)[len] == '\0' || (*k)[len] == '='))
                        return true;
        return false;
}

/* The compiled policy the apply will build on. After an OS update (the store's copy is stale) it is
 * the new image's: the store action rebuilds from the new image's store, whose own kernel policy
 * (active/policy.kern) has what that image declares; the copy in /etc/selinux/<type> is the old
 * image's until then. Otherwise /etc/selinux/<type>'s. Returns 0 or a negative errno. */
static int policy_names_find(PolicyNames *n) {
        _cleanup_(store_state_done) StoreState s = {};
        _cleanup_free_ char *kern = NULL;
        _cleanup_close_ int fd = -EBADF;

        if (n->layout->store.path && store_state_read(n->root_fd, n->layout, &s) >= 0 && s.kind == STORE_KIND_STALE &&
            s.copied_from) {
                kern = path_join(s.copied_from, "active/policy.kern");
                if (!kern)
                        return -ENOMEM;
                fd = chase_and_open(n->root_fd, kern, /* flags= */ 0, O_RDONLY | O_NONBLOCK, /* mode= */ 0,
                                    /* ret_path= */ NULL);
                if (fd >= 0) {
                        n->policy_path = TAKE_PTR(kern);
                        return 0;
                }
        }
        return kpolicy_find(n->root_fd, n->layout->type, &n->policy_path);
}

static int policy_names_read(PolicyNames *n, char **ret_why) {
        int r;

        if (n->policy)
                return 0;
        r = policy_names_find(n);
        if (r < 0) {
                *ret_why =
                        strprintf("no compiled policy in /etc/selinux/%s/policy/: %s", n->layout->type, strerror(-r));
                return r;
        }
        return kpolicy_read_at(n->root_fd, n->policy_path, &n->policy, ret_why);
}

/* The booleans the config's modules declare; a source that cannot be read declares none (its own
 * check says why). Returns 0 or -ENOMEM. */
static int declared_read(PolicyNames *n) {
        if (n->declared_read)
                return 0;
        n->declared_read = true;
        for (size_t i = 0; i < n->config->n_modules; i++) {
                _cleanup_(module_source_done) ModuleSource s = {};
                _cleanup_strv_free_ char **l = NULL, **types = NULL;
                const char *reason;

                int r;

                if (n->config->modules[i].absent || !config_module_installs(&n->config->modules[i]))
                        continue;
                r = module_source_read(n->root_fd, n->config->modules[i].source, &s, &reason);
                if (r == -ENOMEM)
                        return r;
                if (r >= 0)
                        r = module_source_booleans(&s, &l);
                if (r >= 0)
                        r = module_source_types(&s, &types);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        if (strv_extend(&n->refused, n->config->modules[i].name) < 0)
                                return -ENOMEM;
                        continue;
                }
                STRV_FOREACH (b, l)
                        if (strv_extend(&n->declared, *b) < 0)
                                return -ENOMEM;
                STRV_FOREACH (t, types)
                        if (strv_extend(&n->declared_types, *t) < 0)
                                return -ENOMEM;
        }
        return 0;
}

static int check_boolean(PolicyNames *n, const ConfigBoolean *b, Diags *diags, char **ret_why) {
        const char *nearest;
        int r;

        r = policy_names_read(n, ret_why);
        if (r < 0)
                return r;
        if (kpolicy_boolean_get(n->policy, b->name) >= 0)
                return 0;
        r = declared_read(n);
        if (r < 0)
                return r;
        if (known_has(n->declared, b->name))
                return 0;
        nearest = kpolicy_boolean_nearest(n->policy, b->name);
        /* A module that could have declared it was refused: that is the problem to fix first. */
        if (!nearest && n->refused)
                return config_origin_error(diags, &b->origin,
                                           "boolean \"%s\" is not in the policy (%s); module \"%s\" of the config, "
                                           "which may declare it, was refused (see above)",
                                           b->name, n->policy_path, n->refused[0]);
        if (nearest)
                return config_origin_error(diags, &b->origin,
                                           "boolean \"%s\" is not in the policy (%s), did you mean \"%s\"?", b->name,
                                           n->policy_path, nearest);
        return config_origin_error(diags, &b->origin,
                                   "boolean \"%s\" is not in the policy (%s), and no module of the config declares it",
                                   b->name, n->policy_path);
}

/* The type of a file context rule is a type of the policy or of a module of the config. */
static int check_file_context_type(PolicyNames *n, const ConfigFileContext *f, Diags *diags) {
        const char *nearest;
        int r;

        /* As semanage fcontext -a: a file's type is a file_type or device_node (not a domain's). */
        if (kpolicy_has_type(n->policy, f->type) && kpolicy_has_attribute(n->policy, "file_type") &&
            !kpolicy_type_has_attribute(n->policy, f->type, "file_type") &&
            !kpolicy_type_has_attribute(n->policy, f->type, "device_node"))
                return config_origin_error(diags, &f->origin,
                                           "file context \"%s\": \"%s\" is a type of the policy (%s), but not a "
                                           "file's: it has neither attribute file_type nor device_node",
                                           f->path, f->type, n->policy_path);
        if (kpolicy_has_type(n->policy, f->type))
                return 0;
        r = declared_read(n);
        if (r < 0)
                return r;
        if (strv_contains(n->declared_types, f->type))
                return 0;
        if (kpolicy_has_attribute(n->policy, f->type))
                return config_origin_error(diags, &f->origin,
                                           "file context \"%s\": \"%s\" is an attribute of the policy (%s), not a "
                                           "type: a file's label names one type",
                                           f->path, f->type, n->policy_path);
        nearest = kpolicy_type_nearest(n->policy, f->type, NULL);
        if (!nearest && n->refused)
                return config_origin_error(diags, &f->origin,
                                           "file context \"%s\": type \"%s\" is not in the policy (%s); module "
                                           "\"%s\" of the config, which may declare it, was refused (see above)",
                                           f->path, f->type, n->policy_path, n->refused[0]);
        if (nearest)
                return config_origin_error(diags, &f->origin,
                                           "file context \"%s\": type \"%s\" is not in the policy (%s), did you "
                                           "mean \"%s\"?",
                                           f->path, f->type, n->policy_path, nearest);
        return config_origin_error(diags, &f->origin,
                                   "file context \"%s\": type \"%s\" is not in the policy (%s), and no module of "
                                   "the config declares it",
                                   f->path, f->type, n->policy_path);
}

/* The range of a file context rule is one of the policy's; a policy without MLS takes none. */
static int check_file_context_range(PolicyNames *n, const ConfigFileContext *f, Diags *diags) {
        _cleanup_free_ char *why = NULL;
        int r;

        if (!f->range)
                return 0;
        if (!kpolicy_mls(n->policy))
                return config_origin_error(diags, &f->origin,
                                           "file context \"%s\": the policy (%s) has no MLS, so it takes no "
                                           "\"range\"; remove \"range\": \"%s\"",
                                           f->path, n->policy_path, f->range);
        r = kpolicy_range_check(n->policy, f->range, &why);
        if (r == -ENOMEM || (r < 0 && !why))
                return -ENOMEM;
        if (r < 0)
                return config_origin_error(diags, &f->origin,
                                           "file context \"%s\": \"%s\" is not a range of the policy (%s): %s",
                                           f->path, f->range, n->policy_path, why);
        return 0;
}

/* Whether the store already holds the rule as the config has it: libsemanage checked its type and
 * range against the policy then, and checks again at every rebuild. Looking no further keeps a second
 * apply from reading the policy. */
static bool file_context_in_store(PolicyNames *n, const ConfigFileContext *f) {
        const LocalFcontext *l;

        if (!n->local_read) {
                _cleanup_close_ int store_fd = chase_and_open_dir(n->root_fd, n->layout->store.path);

                n->local_read = true;
                if (store_fd < 0 || local_fcontexts_read(store_fd, &n->local) < 0)
                        return false;
        }
        l = local_fcontexts_find(&n->local, f->path, f->file_type);
        return l && local_fcontext_matches(l, f);
}

static int check_file_context(PolicyNames *n, const ConfigFileContext *f, Diags *diags, char **ret_why) {
        int r;

        if (f->absent || file_context_in_store(n, f))
                return 0;
        r = policy_names_read(n, ret_why);
        if (r < 0)
                return r;
        r = check_file_context_type(n, f, diags);
        if (r < 0)
                return r;
        return check_file_context_range(n, f, diags);
}

/* The source can be installed, and parses as libsemanage will parse it. */
static int check_module(int root_fd, const ConfigModule *m, Diags *diags) {
        _cleanup_(module_source_done) ModuleSource s = {};
        _cleanup_free_ char *why = NULL;
        const char *reason = NULL;
        int r;

        if (m->absent || !config_module_installs(m))
                return 0;
        r = module_source_read(root_fd, m->source, &s, &reason);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return config_origin_error(diags, &m->origin, "module \"%s\": source %s cannot be installed: %s",
                                           m->name, m->source, reason ?: strerror(-r));
        r = module_source_parse(&s, m->source, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return config_origin_error(diags, &m->origin, "module \"%s\": source %s does not parse: %s", m->name,
                                           m->source, strna(why));
        return 0;
}

int preflight_policy(int root_fd, const Layout *l, const Config *c, char *const *known, bool booleans, Diags *diags,
                     char **ret_why) {
        _cleanup_(policy_names_done) PolicyNames n = { .root_fd = root_fd, .layout = l, .config = c };
        int r;

        assert(l);
        assert(c);
        assert(diags);
        assert(ret_why);

        for (size_t i = 0; i < c->n_modules; i++) {
                r = check_module(root_fd, &c->modules[i], diags);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; booleans && i < c->n_booleans; i++) {
                const ConfigBoolean *b = &c->booleans[i];

                if (b->absent || known_has(known, b->name))
                        continue;
                r = check_boolean(&n, b, diags, ret_why);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < c->n_file_contexts; i++) {
                r = check_file_context(&n, &c->file_contexts[i], diags, ret_why);
                if (r < 0)
                        return r;
        }
        r = preflight_equivalence_trap(root_fd, l, c, diags);
        if (r < 0 && r != -ENOMEM)
                *ret_why = strprintf("cannot read the file context equivalences: %s", strerror(-r));
        return r;
}

/* Why the store will be the image's after the store action, or NULL when it will be writable (or
 * cannot be told from 'c' alone: 'l' NULL). */
static const char *store_read_only_why(const Layout *l, const Config *c, char *buf, size_t size) {
        char where[256];

        if (c->store == STORE_IMAGE) {
                snprintf(buf, size,
                         "\"store\": \"image\" (%s) returns to the image's read-only store; drop one of the two",
                         config_origin_where(&c->store_origin, where, sizeof where));
                return buf;
        }
        if (l && c->store < 0 && l->store.kind == PATH_IMAGE) {
                snprintf(buf, size, "the store %s is the image's (read-only): set \"store\": \"writable\"",
                         l->store.path);
                return buf;
        }
        return NULL;
}

/* File context rules and equivalences are local changes of the store and of /etc/selinux/<type>. */
static int preflight_store_fcontexts(const Config *c, const char *why, Diags *diags) {
        int r;

        for (size_t i = 0; i < c->n_file_contexts; i++) {
                if (c->file_contexts[i].absent)
                        continue;
                r = config_origin_error(diags, &c->file_contexts[i].origin,
                                        "file context \"%s\" is a local change of the policy store, which must be "
                                        "writable, but %s",
                                        c->file_contexts[i].path, why);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < c->n_equivalences; i++) {
                if (c->equivalences[i].absent)
                        continue;
                r = config_origin_error(diags, &c->equivalences[i].origin,
                                        "equivalence \"%s\" is a local change of the policy, which must be writable, "
                                        "but %s",
                                        c->equivalences[i].path, why);
                if (r < 0)
                        return r;
        }
        return 0;
}

int preflight_store_changes(const Layout *l, const Config *c, Diags *diags) {
        char buf[512];
        const char *why;
        int r;

        assert(c);
        assert(diags);

        why = store_read_only_why(l, c, buf, sizeof buf);
        if (!why)
                return 0;
        if (c->dontaudit == 0) {
                r = config_origin_error(
                        diags, &c->dontaudit_origin,
                        "\"dontaudit\": false changes the policy store, which must be writable, but %s", why);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < c->n_modules; i++) {
                if (c->modules[i].absent)
                        continue;
                r = config_origin_error(diags, &c->modules[i].origin,
                                        "module \"%s\" is %s in the policy store, which must be writable, but %s",
                                        c->modules[i].name,
                                        config_module_installs(&c->modules[i]) ? "installed"
                                        : c->modules[i].enabled                ? "enabled"
                                                                               : "disabled",
                                        why);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < c->n_permissive; i++) {
                if (c->permissive[i].absent)
                        continue;
                r = config_origin_error(diags, &c->permissive[i].origin,
                                        "permissive domain \"%s\" is a module of the policy store, which must be "
                                        "writable, but %s",
                                        c->permissive[i].name, why);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < c->n_ports; i++) {
                char port[CONFIG_PORT_STRING_MAX];

                if (c->ports[i].absent)
                        continue;
                r = config_origin_error(diags, &c->ports[i].origin,
                                        "port %s is labelled in the policy store, which must be writable, but %s",
                                        config_port_string(c->ports[i].protocol, c->ports[i].low, c->ports[i].high,
                                                           /* protocol_only= */ false, port, sizeof port),
                                        why);
                if (r < 0)
                        return r;
        }
        return preflight_store_fcontexts(c, why, diags);
}

/* What the workload checks read once, when an entry first needs it. */
typedef struct WorkloadNames {
        PolicyNames names; /* the compiled policy */
        int store_fd;
        bool store_read;
        PolicyPorts ports;
        char **types; /* what the config's modules declare */
        bool types_read;
} WorkloadNames;

static void workload_names_done(WorkloadNames *w) {
        policy_names_done(&w->names);
        closep(&w->store_fd);
        policy_ports_done(&w->ports);
        strv_free(w->types);
}

/* The store, and its ports.local; none when it cannot be opened (the store action says why). Returns
 * 0 or -ENOMEM. */
static int workload_store(WorkloadNames *w) {
        int r;

        if (w->store_read)
                return 0;
        w->store_read = true;
        w->store_fd = chase_and_open_dir(w->names.root_fd, w->names.layout->store.path);
        if (w->store_fd < 0)
                return 0;
        r = policy_ports_local_read(w->store_fd, &w->ports);
        return r == -ENOMEM ? r : 0;
}

/* Whether a module the config installs declares the type 'name'. Returns 1, 0, or -ENOMEM. */
static int workload_declares(WorkloadNames *w, const char *name) {
        const Config *c = w->names.config;

        if (!w->types_read) {
                w->types_read = true;
                for (size_t i = 0; i < c->n_modules; i++) {
                        _cleanup_(module_source_done) ModuleSource s = {};
                        _cleanup_strv_free_ char **l = NULL;
                        const char *reason;
                        int r;

                        if (c->modules[i].absent || !config_module_installs(&c->modules[i]))
                                continue;
                        r = module_source_read(w->names.root_fd, c->modules[i].source, &s, &reason);
                        if (r >= 0)
                                r = module_source_types(&s, &l);
                        if (r == -ENOMEM)
                                return r;
                        /* A source that cannot be read declares nothing: its own check says why. */
                        STRV_FOREACH (t, l)
                                if (strv_extend(&w->types, *t) < 0)
                                        return -ENOMEM;
                }
        }
        return strv_contains(w->types, name);
}

static int check_permissive(WorkloadNames *w, const ConfigPermissive *d, Diags *diags, char **ret_why) {
        const char *nearest;
        int r;

        if (d->absent)
                return 0;
        r = workload_store(w);
        if (r < 0)
                return r;
        if (w->store_fd >= 0 && policy_permissive_present(w->store_fd, d->name))
                return 0;
        r = policy_names_read(&w->names, ret_why);
        if (r < 0)
                return r;
        if (kpolicy_has_type(w->names.policy, d->name)) {
                if (kpolicy_has_attribute(w->names.policy, "domain") &&
                    !kpolicy_type_has_attribute(w->names.policy, d->name, "domain"))
                        return config_origin_warning(diags, &d->origin,
                                                     "permissive domain \"%s\" is a type of the policy but not a "
                                                     "domain (attribute domain): no process runs in it, and making "
                                                     "it permissive changes nothing",
                                                     d->name);
                return 0;
        }
        r = workload_declares(w, d->name);
        if (r != 0)
                return r < 0 ? r : 0;
        if (kpolicy_has_attribute(w->names.policy, d->name))
                return config_origin_error(diags, &d->origin,
                                           "permissive domain \"%s\" is an attribute of the policy (%s), not a type; "
                                           "name the domain's type",
                                           d->name, w->names.policy_path);
        nearest = kpolicy_type_nearest(w->names.policy, d->name, "domain");
        if (nearest)
                return config_origin_error(diags, &d->origin,
                                           "permissive domain \"%s\" is not a type of the policy (%s), did you mean "
                                           "\"%s\"?",
                                           d->name, w->names.policy_path, nearest);
        return config_origin_error(diags, &d->origin,
                                   "permissive domain \"%s\" is not a type of the policy (%s), and no module of the "
                                   "config declares it",
                                   d->name, w->names.policy_path);
}

static int check_port(WorkloadNames *w, const ConfigPort *p, Diags *diags, char **ret_why) {
        char port[CONFIG_PORT_STRING_MAX];
        const PolicyPort *l;
        const char *nearest;
        int r;

        if (p->absent)
                return 0;
        r = workload_store(w);
        if (r < 0)
                return r;
        l = policy_ports_find(&w->ports, p->protocol, p->low, p->high);
        if (l && policy_port_matches(l, p->type, p->range))
                return 0;
        r = policy_names_read(&w->names, ret_why);
        if (r < 0)
                return r;
        (void) config_port_string(p->protocol, p->low, p->high, /* protocol_only= */ false, port, sizeof port);
        if (kpolicy_has_type(w->names.policy, p->type)) {
                /* semanage port -a takes only the types of the attribute port_type, where the policy has it. */
                if (!kpolicy_has_attribute(w->names.policy, "port_type") ||
                    kpolicy_type_has_attribute(w->names.policy, p->type, "port_type"))
                        return 0;
                nearest = kpolicy_type_nearest(w->names.policy, p->type, "port_type");
                return config_origin_error(diags, &p->origin,
                                           "port %s: type \"%s\" is not a port type (attribute port_type) of the "
                                           "policy (%s)%s%s%s",
                                           port, p->type, w->names.policy_path, nearest ? ", did you mean \"" : "",
                                           strempty(nearest), nearest ? "\"?" : "");
        }
        r = workload_declares(w, p->type);
        if (r != 0)
                return r < 0 ? r : 0;
        nearest = kpolicy_type_nearest(w->names.policy, p->type, "port_type");
        return config_origin_error(diags, &p->origin, "port %s: type \"%s\" is not in the policy (%s)%s%s%s", port,
                                   p->type, w->names.policy_path, nearest ? ", did you mean \"" : "",
                                   strempty(nearest), nearest ? "\"?" : "");
}

/* A module whose state the config sets is in the store, at whatever priority. */
static int check_module_state(WorkloadNames *w, const ConfigModule *m, Diags *diags) {
        _cleanup_strv_free_ char **names = NULL;
        const char *nearest;
        int r;

        if (m->absent || m->enabled < 0 || config_module_installs(m))
                return 0;
        r = workload_store(w);
        if (r < 0 || w->store_fd < 0)
                return r;
        r = policy_module_state_get(w->store_fd, m->name);
        if (r == -ENOMEM)
                return r;
        if (r != -ENOENT)
                return 0;
        r = policy_module_state_names(w->store_fd, &names);
        if (r == -ENOMEM)
                return r;
        nearest = string_nearest(m->name, (const char *const *) names);
        return config_origin_error(diags, &m->origin,
                                   "module \"%s\" is not in the policy store %s, so it cannot be %s%s%s%s", m->name,
                                   w->names.layout->store.path, m->enabled ? "enabled" : "disabled",
                                   nearest ? "; did you mean \"" : "", strempty(nearest), nearest ? "\"?" : "");
}

int preflight_policy_workload(int root_fd, const Layout *l, const Config *c, Diags *diags, char **ret_why) {
        _cleanup_(workload_names_done) WorkloadNames w = {
                .names = { .root_fd = root_fd, .layout = l, .config = c },
                .store_fd = -EBADF,
        };
        int r = 0;

        assert(l);
        assert(c);
        assert(diags);
        assert(ret_why);

        for (size_t i = 0; r >= 0 && i < c->n_modules; i++)
                r = check_module_state(&w, &c->modules[i], diags);
        for (size_t i = 0; r >= 0 && i < c->n_permissive; i++)
                r = check_permissive(&w, &c->permissive[i], diags, ret_why);
        for (size_t i = 0; r >= 0 && i < c->n_ports; i++)
                r = check_port(&w, &c->ports[i], diags, ret_why);
        return r;
}
