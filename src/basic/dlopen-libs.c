/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Loading libsemanage and libmount on first use. */

#include <dlfcn.h>

#include "dlopen-libs.h"
#include "log.h"

#define DLOPEN_DEFINE_SYM(name) __typeof__(&name) sym_##name;
SEMANAGE_SYMBOLS(DLOPEN_DEFINE_SYM)
SEMANAGE_PORT_SYMBOLS(DLOPEN_DEFINE_SYM)
LIBMOUNT_SYMBOLS(DLOPEN_DEFINE_SYM)
LIBSYSTEMD_SYMBOLS(DLOPEN_DEFINE_SYM)

typedef struct Symbol {
        void **ptr;
        const char *name;
} Symbol;

#define DLOPEN_SYMBOL(name) { (void **) &sym_##name, #name },

static int dlopen_symbols(const char *soname, void **handle, const Symbol *syms, size_t n) {
        void *dl;

        if (*handle)
                return 0;
        dl = dlopen(soname, RTLD_NOW | RTLD_NODELETE);
        if (!dl)
                return log_error_errno(EOPNOTSUPP, "Cannot load %s: %s", soname, dlerror());
        for (size_t i = 0; i < n; i++) {
                *syms[i].ptr = dlsym(dl, syms[i].name);
                if (!*syms[i].ptr) {
                        log_error("Cannot find %s in %s: %s", syms[i].name, soname, dlerror());
                        dlclose(dl);
                        return -EOPNOTSUPP;
                }
        }
        *handle = dl;
        return 0;
}

int dlopen_semanage(void) {
        static const Symbol syms[] = { SEMANAGE_SYMBOLS(DLOPEN_SYMBOL) SEMANAGE_PORT_SYMBOLS(DLOPEN_SYMBOL) };
        static void *handle;
        return dlopen_symbols("libsemanage.so.2", &handle, syms, ELEMENTSOF(syms));
}

int dlopen_semanage_cil_log(CilLogHandler handler) {
        void (*set)(CilLogHandler);
        void *dl;

        assert(handler);

        /* Only the copy libsemanage brought in: never load one of its own. */
        dl = dlopen("libsepol.so.2", RTLD_NOW | RTLD_NOLOAD);
        if (!dl)
                return -EOPNOTSUPP;
        set = (void (*)(CilLogHandler)) dlsym(dl, "cil_set_log_handler");
        if (set)
                set(handler);
        dlclose(dl);
        return set ? 0 : -EOPNOTSUPP;
}

int dlopen_libmount(void) {
        static const Symbol syms[] = { LIBMOUNT_SYMBOLS(DLOPEN_SYMBOL) };
        static void *handle;
        return dlopen_symbols("libmount.so.1", &handle, syms, ELEMENTSOF(syms));
}

int dlopen_libsystemd(void) {
        static const Symbol syms[] = { LIBSYSTEMD_SYMBOLS(DLOPEN_SYMBOL) };
        static void *handle;
        return dlopen_symbols("libsystemd.so.0", &handle, syms, ELEMENTSOF(syms));
}

void sym_mnt_free_tablep(struct libmnt_table **t) {
        assert(t);

        if (*t)
                sym_mnt_free_table(*t);
}

void sym_mnt_free_iterp(struct libmnt_iter **i) {
        assert(i);

        if (*i)
                sym_mnt_free_iter(*i);
}

void sym_sd_bus_flush_close_unrefp(sd_bus **b) {
        assert(b);

        if (*b)
                sym_sd_bus_flush_close_unref(*b);
}

void sym_sd_bus_message_unrefp(sd_bus_message **m) {
        assert(m);

        if (*m)
                sym_sd_bus_message_unref(*m);
}

void sym_sd_journal_closep(sd_journal **j) {
        assert(j);

        if (*j)
                sym_sd_journal_close(*j);
}
