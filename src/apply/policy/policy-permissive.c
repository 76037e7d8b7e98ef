/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Permissive domains as semanage permissive -a makes them: a CIL module "permissive_<type>" holding
 * "(typepermissive <type>)", at the default priority (400); semanage permissive -d removes it. */

#include <fcntl.h>
#include <unistd.h>

#include "dlopen-libs.h"
#include "policy-internal.h"
#include "policy.h"
#include "strutil.h"

bool policy_permissive_present(int store_fd, const char *type) {
        _cleanup_free_ char *rel = NULL;

        assert(type);

        rel = strprintf("active/modules/%u/" POLICY_PERMISSIVE_PREFIX "%s", POLICY_PERMISSIVE_PRIORITY, type);
        return rel && faccessat(store_fd, rel, F_OK, AT_SYMLINK_NOFOLLOW) >= 0;
}

int policy_permissive_set(semanage_handle_t *sh, const char *type, bool permissive) {
        _cleanup_free_ char *name = NULL, *text = NULL;
        int r = -ENOMEM;

        assert(sh);
        assert(type);

        name = strjoin(POLICY_PERMISSIVE_PREFIX, type);
        if (!name)
                return -ENOMEM;
        if (!permissive) {
                semanage_module_key_t *key = NULL;

                if (sym_semanage_module_key_create(sh, &key) >= 0 &&
                    sym_semanage_module_key_set_name(sh, key, name) >= 0 &&
                    sym_semanage_module_key_set_priority(sh, key, POLICY_PERMISSIVE_PRIORITY) >= 0)
                        r = sym_semanage_module_remove_key(sh, key) < 0 ? -EIO : 0;
                sym_semanage_module_key_destroy(sh, key);
                free(key);
                return r;
        }

        /* seobject.py's text, byte for byte: the module's checksum in the store is of this text. */
        text = strjoin("(typepermissive ", type, ")");
        if (!text)
                return -ENOMEM;
        semanage_module_info_t *info = NULL;
        if (sym_semanage_module_info_create(sh, &info) >= 0 &&
            sym_semanage_module_info_set_name(sh, info, name) >= 0 &&
            sym_semanage_module_info_set_priority(sh, info, POLICY_PERMISSIVE_PRIORITY) >= 0 &&
            sym_semanage_module_info_set_lang_ext(sh, info, "cil") >= 0 &&
            sym_semanage_module_info_set_enabled(sh, info, 1) >= 0)
                r = sym_semanage_module_install_info(sh, info, text, strlen(text)) < 0 ? -EIO : 0;
        sym_semanage_module_info_destroy(sh, info);
        free(info);
        return r;
}

int policy_permissive_managed(int store_fd, char ***ret) {
        _cleanup_(manifest_done) Manifest m = {};
        _cleanup_strv_free_ char **l = NULL;
        int r;

        assert(ret);

        r = manifest_read(store_fd, &m);
        if (r < 0)
                return r;
        STRV_FOREACH (d, m.permissive)
                if (policy_permissive_present(store_fd, *d) && strv_extend(&l, *d) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}
