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

/* "module NAME PRIORITY DIGEST", "boolean NAME", "fcontext FILE_TYPE PATH" or "equivalence PATH";
 * anything else is skipped. */
static int manifest_parse_line(char *line, void *userdata) {
        Manifest *m = userdata;
        char name[256], digest[64], path[4096];
        unsigned prio;

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
        if (r < 0)
                return r;
        /* The store directory's label fits everything in it (semanage_store_t). */
        (void) selinux_xattr_get(store_fd, /* name= */ NULL, &label);
        return write_file_atomic_at(
                store_fd, POLICY_MANIFEST_FILE, text, strlen(text),
                &(const WriteOptions){ .mode = 0600, .uid = (uid_t) -1, .gid = (gid_t) -1, .label = label });
}
