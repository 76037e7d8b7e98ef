/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov's manifest in a writable store: the modules it installed and the booleans it set, so that
 * dropping one from the config undoes it, and nothing installed by other means is ever touched. */

#include <fcntl.h>
#include <stdint.h>
#include <sys/xattr.h>

#include "fileio.h"
#include "fnv1a.h"
#include "policy-internal.h"
#include "policy.h"
#include "selinux-xattr.h"
#include "strutil.h"

#define MANIFEST_MAX (1024 * 1024)

char *manifest_digest(const void *data, size_t size) {
        return strprintf("%016llx-%zu", (unsigned long long) fnv1a64(FNV1A64_OFFSET, data, size), size);
}

void manifest_done(Manifest *m) {
        assert(m);

        for (size_t i = 0; i < m->n_modules; i++) {
                free(m->modules[i].name);
                free(m->modules[i].digest);
        }
        free(m->modules);
        strv_free(m->booleans);
        strv_free(m->fcontexts);
        strv_free(m->equivalences);
        strv_free(m->permissive);
        for (size_t i = 0; i < m->n_ports; i++)
                free(m->ports[i].protocol);
        free(m->ports);
        for (size_t i = 0; i < m->n_states; i++)
                free(m->states[i].name);
        free(m->states);
        *m = (Manifest){};
}

const ManagedModule *manifest_find_module(const Manifest *m, const char *name) {
        assert(m);
        assert(name);

        for (size_t i = 0; i < m->n_modules; i++)
                if (streq(m->modules[i].name, name))
                        return &m->modules[i];
        return NULL;
}

void manifest_remove_module(Manifest *m, const char *name) {
        assert(m);
        assert(name);

        for (size_t i = 0; i < m->n_modules; i++)
                if (streq(m->modules[i].name, name)) {
                        free(m->modules[i].name);
                        free(m->modules[i].digest);
                        memmove(m->modules + i, m->modules + i + 1, (m->n_modules - i - 1) * sizeof(ManagedModule));
                        m->n_modules--;
                        return;
                }
}

int manifest_add_module(Manifest *m, const char *name, unsigned priority, const char *digest) {
        ManagedModule *n;

        assert(m);
        assert(name);
        assert(digest);

        manifest_remove_module(m, name);
        n = reallocarray(m->modules, m->n_modules + 1, sizeof(ManagedModule));
        if (!n)
                return -ENOMEM;
        m->modules = n;
        n[m->n_modules] = (ManagedModule){ .name = strdup(name), .priority = priority, .digest = strdup(digest) };
        if (!n[m->n_modules].name || !n[m->n_modules].digest) {
                free(n[m->n_modules].name);
                free(n[m->n_modules].digest);
                return -ENOMEM;
        }
        m->n_modules++;
        return 0;
}

const ManagedPort *manifest_find_port(const Manifest *m, const char *protocol, unsigned low, unsigned high) {
        assert(m);
        assert(protocol);

        for (size_t i = 0; i < m->n_ports; i++)
                if (streq(m->ports[i].protocol, protocol) && m->ports[i].low == low && m->ports[i].high == high)
                        return &m->ports[i];
        return NULL;
}

void manifest_remove_port(Manifest *m, const char *protocol, unsigned low, unsigned high) {
        const ManagedPort *p = manifest_find_port(m, protocol, low, high);
        size_t i;

        if (!p)
                return;
        i = (size_t) (p - m->ports);
        free(m->ports[i].protocol);
        memmove(m->ports + i, m->ports + i + 1, (m->n_ports - i - 1) * sizeof(ManagedPort));
        m->n_ports--;
}

int manifest_add_port(Manifest *m, const char *protocol, unsigned low, unsigned high) {
        ManagedPort *n;
        char *p;

        assert(m);
        assert(protocol);

        if (manifest_find_port(m, protocol, low, high))
                return 0;
        p = strdup(protocol);
        n = p ? reallocarray(m->ports, m->n_ports + 1, sizeof(ManagedPort)) : NULL;
        if (!n) {
                free(p);
                return -ENOMEM;
        }
        m->ports = n;
        n[m->n_ports++] = (ManagedPort){ .protocol = p, .low = low, .high = high };
        return 0;
}

const ManagedState *manifest_find_state(const Manifest *m, const char *name) {
        assert(m);
        assert(name);

        for (size_t i = 0; i < m->n_states; i++)
                if (streq(m->states[i].name, name))
                        return &m->states[i];
        return NULL;
}

void manifest_remove_state(Manifest *m, const char *name) {
        const ManagedState *s = manifest_find_state(m, name);
        size_t i;

        if (!s)
                return;
        i = (size_t) (s - m->states);
        free(m->states[i].name);
        memmove(m->states + i, m->states + i + 1, (m->n_states - i - 1) * sizeof(ManagedState));
        m->n_states--;
}

/* The first state recorded stays: it is the one to go back to. */
int manifest_add_state(Manifest *m, const char *name, bool enabled_before) {
        ManagedState *n;
        char *p;

        assert(m);
        assert(name);

        if (manifest_find_state(m, name))
                return 0;
        p = strdup(name);
        n = p ? reallocarray(m->states, m->n_states + 1, sizeof(ManagedState)) : NULL;
        if (!n) {
                free(p);
                return -ENOMEM;
        }
        m->states = n;
        n[m->n_states++] = (ManagedState){ .name = p, .enabled_before = enabled_before };
        return 0;
}

/* "module NAME PRIORITY DIGEST", "boolean NAME", "fcontext FILE_TYPE PATH", "equivalence PATH",
 * "permissive TYPE", "port PROTOCOL LOW HIGH" or "module-state NAME ENABLED-BEFORE"; anything else is
 * skipped. */
static int manifest_parse_line(char *line, void *userdata) {
        Manifest *m = userdata;
        char name[256], digest[64], path[4096];
        unsigned prio, low, high;

        if (sscanf(line, "fcontext %255s %4095s", name, path) == 2) {
                _cleanup_free_ char *key = strjoin(name, " ", path);
                if (!key)
                        return -ENOMEM;
                return strv_contains(m->fcontexts, key) ? 0 : strv_consume(&m->fcontexts, TAKE_PTR(key));
        }
        if (sscanf(line, "equivalence %4095s", path) == 1)
                return strv_contains(m->equivalences, path) ? 0 : strv_extend(&m->equivalences, path);

        if (sscanf(line, "module %255s %u %63s", name, &prio, digest) == 3)
                return manifest_add_module(m, name, prio, digest);
        if (sscanf(line, "boolean %255s", name) == 1 && !strv_contains(m->booleans, name))
                return strv_extend(&m->booleans, name);
        if (sscanf(line, "permissive %255s", name) == 1 && !strv_contains(m->permissive, name))
                return strv_extend(&m->permissive, name);
        if (sscanf(line, "port %7s %u %u", name, &low, &high) == 3)
                return manifest_add_port(m, name, low, high);
        if (sscanf(line, "module-state %255s %u", name, &prio) == 2)
                return manifest_add_state(m, name, prio != 0);
        return 0;
}

int manifest_read(int store_fd, Manifest *ret) {
        _cleanup_(manifest_done) Manifest m = {};
        int r;

        assert(ret);

        r = read_lines_at(store_fd, POLICY_MANIFEST_FILE, MANIFEST_MAX, manifest_parse_line, &m);
        if (r < 0 && r != -ENOENT)
                return r;
        *ret = m;
        m = (Manifest){};
        return 0;
}

int manifest_write(int store_fd, const Manifest *m) {
        _cleanup_free_ char *text = NULL, *label = NULL;
        int r;

        assert(m);

        r = strextend(&text, "# Written by seprov: the modules it installed and the booleans it set. Do not edit.\n");
        for (size_t i = 0; r >= 0 && i < m->n_modules; i++)
                r = strextend(&text, "module %s %u %s\n", m->modules[i].name, m->modules[i].priority,
                              m->modules[i].digest);
        STRV_FOREACH (b, m->booleans)
                if (r >= 0)
                        r = strextend(&text, "boolean %s\n", *b);
        STRV_FOREACH (f, m->fcontexts)
                if (r >= 0)
                        r = strextend(&text, "fcontext %s\n", *f);
        STRV_FOREACH (e, m->equivalences)
                if (r >= 0)
                        r = strextend(&text, "equivalence %s\n", *e);
        STRV_FOREACH (d, m->permissive)
                if (r >= 0)
                        r = strextend(&text, "permissive %s\n", *d);
        for (size_t i = 0; r >= 0 && i < m->n_ports; i++)
                r = strextend(&text, "port %s %u %u\n", m->ports[i].protocol, m->ports[i].low, m->ports[i].high);
        for (size_t i = 0; r >= 0 && i < m->n_states; i++)
                r = strextend(&text, "module-state %s %d\n", m->states[i].name, m->states[i].enabled_before);
        if (r < 0)
                return r;
        /* The store directory's label fits everything in it (semanage_store_t). */
        (void) selinux_xattr_get(store_fd, /* name= */ NULL, &label);
        return write_file_atomic_at(
                store_fd, POLICY_MANIFEST_FILE, text, strlen(text),
                &(const WriteOptions){ .mode = 0600, .uid = (uid_t) -1, .gid = (gid_t) -1, .label = label });
}
