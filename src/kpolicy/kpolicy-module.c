/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A policy module package (.pp, what checkmodule and semodule_package make and semodule installs),
 * read through libsepol: the booleans and types it declares, for preflight's check of the booleans a
 * config sets and the types its file contexts name before the module that declares them is installed. */

#include <sepol/policydb/hashtab.h>
#include <sepol/policydb/policydb.h>
#include <sepol/module.h>
#include <sepol/sepol.h>

#include <stdarg.h>

#include "kpolicy.h"
#include "log.h"
#include "strutil.h"

/* A package libsepol cannot read is reported by the caller; libsepol's details are debug traces. */
static void module_msg(void *userdata, sepol_handle_t *h, const char *format, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;

        va_start(ap, format);
        msg = vstrprintf(format, ap);
        va_end(ap);
        log_debug("libsepol: reading a module package: %s", strna(msg));
}

typedef struct DeclaredBooleans {
        const policydb_t *db;
        unsigned sym; /* SYM_BOOLS or SYM_TYPES */
        char **names;
} DeclaredBooleans;

/* A module's symbol table also holds what it only requires; its scope table says which it declares.
 * Of the types, attributes do not count. */
static int add_declared(hashtab_key_t key, hashtab_datum_t datum, void *userdata) {
        DeclaredBooleans *d = userdata;
        const scope_datum_t *scope = hashtab_search(d->db->scope[d->sym].table, key);

        if (!scope || scope->scope != SCOPE_DECL)
                return 0;
        /* An attribute is a type of the symbol table, but no file's type. */
        if (d->sym == SYM_TYPES && ((const type_datum_t *) datum)->flavor == TYPE_ATTRIB)
                return 0;
        return strv_extend(&d->names, (const char *) key) < 0 ? -ENOMEM : 0;
}

static void module_package_freep(sepol_module_package_t **p) {
        if (*p)
                sepol_module_package_free(*p);
}

static void handle_destroyp(sepol_handle_t **h) {
        if (*h)
                sepol_handle_destroy(*h);
}

static int module_declared(const void *data, size_t size, unsigned sym, char ***ret) {
        _cleanup_(module_package_freep) sepol_module_package_t *mod = NULL;
        _cleanup_(handle_destroyp) sepol_handle_t *h = NULL;
        DeclaredBooleans d = { .sym = sym };
        sepol_policy_file_t *pf = NULL;
        int r;

        assert(data);
        assert(ret);

        h = sepol_handle_create();
        if (!h || sepol_module_package_create(&mod) < 0 || sepol_policy_file_create(&pf) < 0)
                return -ENOMEM;
        sepol_msg_set_callback(h, module_msg, NULL);
        /* libsepol reads from the buffer and never writes to it. */
        sepol_policy_file_set_mem(pf, (char *) data, size);
        sepol_policy_file_set_handle(pf, h);
        r = sepol_module_package_read(mod, pf, /* verbose= */ 0);
        sepol_policy_file_free(pf);
        if (r < 0)
                return -EINVAL;
        d.db = &sepol_module_package_get_policy(mod)->p;
        r = hashtab_map(d.db->symtab[sym].table, add_declared, &d);
        if (r < 0) {
                strv_free(d.names);
                return -ENOMEM;
        }
        *ret = d.names;
        return 0;
}

int kpolicy_module_booleans(const void *data, size_t size, char ***ret) {
        assert(data);
        assert(ret);
        return module_declared(data, size, SYM_BOOLS, ret);
}

int kpolicy_module_types(const void *data, size_t size, char ***ret) {
        assert(data);
        assert(ret);
        return module_declared(data, size, SYM_TYPES, ret);
}
