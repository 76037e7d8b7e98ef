/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Preflight against the policy the apply will build on: the booleans the config sets exist, the
 * module sources it names can be installed. A typo is refused before the boot that would fail on it. */

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
        char **declared; /* what the config's modules declare, read on the first boolean the policy lacks */
        char **refused;  /* the config's modules whose source could not be read or parsed then */
        bool declared_read;
} PolicyNames;

static void policy_names_done(PolicyNames *n) {
        kpolicy_free(n->policy);
        free(n->policy_path);
        strv_free(n->declared);
        strv_free(n->refused);
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
                _cleanup_strv_free_ char **l = NULL;
                const char *reason;

                int r;

                if (n->config->modules[i].absent)
                        continue;
                r = module_source_read(n->root_fd, n->config->modules[i].source, &s, &reason);
                if (r == -ENOMEM)
                        return r;
                if (r >= 0)
                        r = module_source_booleans(&s, &l);
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

/* The source can be installed, and parses as libsemanage will parse it. */
static int check_module(int root_fd, const ConfigModule *m, Diags *diags) {
        _cleanup_(module_source_done) ModuleSource s = {};
        _cleanup_free_ char *why = NULL;
        const char *reason = NULL;
        int r;

        if (m->absent)
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
        return 0;
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
                r = config_origin_error(
                        diags, &c->modules[i].origin,
                        "module \"%s\" is installed in the policy store, which must be writable, but %s",
                        c->modules[i].name, why);
                if (r < 0)
                        return r;
        }
        return 0;
}
