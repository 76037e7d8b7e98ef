/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Whether the store's modules are enabled (semodule -e, -d): libsemanage marks a disabled module with
 * a file of its name in active/modules/disabled/, for all its priorities at once. Read from there, so
 * that an apply that changes nothing never opens libsemanage. */

#include <fcntl.h>
#include <unistd.h>

#include "chase.h"
#include "dir-for-each.h"
#include "dlopen-libs.h"
#include "policy-internal.h"
#include "policy.h"
#include "strutil.h"

typedef struct ModuleFind {
        const char *name;
        char ***names; /* every module's name, when asked for */
} ModuleFind;

static bool priority_dir(const char *name) {
        return name[0] != '\0' && name[strspn(name, "0123456789")] == '\0';
}

static int collect_name(int dir_fd, const char *name, void *userdata) {
        char ***names = userdata;

        (void) dir_fd;
        if (strv_contains(*names, name))
                return 0;
        return strv_extend(names, name);
}

/* In each priority's directory: the module, or every name. */
static int find_in_priority(int modules_fd, const char *prio, void *userdata) {
        ModuleFind *f = userdata;
        _cleanup_free_ char *rel = NULL;
        int fd;

        if (!priority_dir(prio))
                return 0;
        if (f->names) {
                fd = openat(modules_fd, prio, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
                return fd < 0 ? 0 : dir_for_each(fd, collect_name, f->names);
        }
        rel = strjoin(prio, "/", f->name);
        if (!rel)
                return -ENOMEM;
        return faccessat(modules_fd, rel, F_OK, AT_SYMLINK_NOFOLLOW) >= 0 ? 1 : 0;
}

static int modules_walk(int store_fd, ModuleFind *f) {
        int fd = openat(store_fd, "active/modules", O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);

        if (fd < 0)
                return errno == ENOENT ? 0 : -errno;
        return dir_for_each(fd, find_in_priority, f);
}

int policy_module_state_get(int store_fd, const char *name) {
        _cleanup_free_ char *rel = NULL;
        ModuleFind f = { .name = name };
        int r;

        assert(name);

        r = modules_walk(store_fd, &f);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENOENT;
        rel = strjoin("active/modules/disabled/", name);
        if (!rel)
                return -ENOMEM;
        return faccessat(store_fd, rel, F_OK, AT_SYMLINK_NOFOLLOW) >= 0 ? 0 : 1;
}

int policy_module_state_names(int store_fd, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;
        ModuleFind f = { .names = &names };
        int r;

        assert(ret);

        r = modules_walk(store_fd, &f);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(names);
        return 0;
}

int policy_module_state_set(semanage_handle_t *sh, const char *name, bool enabled) {
        semanage_module_key_t *key = NULL;
        int r = -ENOMEM;

        assert(sh);
        assert(name);

        /* As semodule -e/-d: a key with the name alone, every priority of the module at once. */
        if (sym_semanage_module_key_create(sh, &key) >= 0 && sym_semanage_module_key_set_name(sh, key, name) >= 0)
                r = sym_semanage_module_set_enabled(sh, key, enabled) < 0 ? -EIO : 0;
        sym_semanage_module_key_destroy(sh, key);
        free(key);
        return r;
}
