/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsemanage on a root's writable store. libsemanage takes paths, not fds: every path it will use
 * is checked first to contain no symlink, so the kernel resolves it to what chase() found inside
 * the root. */

#include <stdarg.h>
#include <sys/stat.h>

#include "chase.h"
#include "dlopen-libs.h"
#include "log.h"
#include "policy-internal.h"
#include "strutil.h"

/* 'path' must exist as named, with no symlink in any component, and not in the image. */
static int path_check_plain(int root_fd, const char *path, bool missing_ok) {
        _cleanup_free_ char *resolved = NULL;
        struct stat st;
        int r;

        r = chase_and_stat(root_fd, path, 0, &st, &resolved);
        if (r == -ENOENT && missing_ok)
                return 0;
        if (r < 0)
                return log_error_errno(r, "Cannot use %s for libsemanage: %m", path);
        if (!streq(resolved, path))
                return log_error_errno(ELOOP, "Cannot use %s for libsemanage: it leads through a symlink to %s.",
                                       path, resolved);
        if (path_in_image(resolved))
                return log_error_errno(EROFS, "Cannot use %s for libsemanage: it is in the read-only image.", path);
        return 0;
}

int semanage_paths_check(int root_fd, const Layout *l) {
        _cleanup_free_ char *policy = strjoin("/etc/selinux/", l->type);
        const char *dirs[] = { l->store_root.path, l->store.path, "/etc/selinux", policy };
        int r;

        if (!policy)
                return log_oom();
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                r = path_check_plain(root_fd, dirs[i], false);
                if (r < 0)
                        return r;
        }
        /* A missing semanage.conf makes libsemanage read the running system's, as semodule -p does. */
        return path_check_plain(root_fd, SEMANAGE_CONF_PATH, true);
}

static void semanage_log(void *userdata, semanage_handle_t *sh, const char *format, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&msg, format, ap);
        va_end(ap);
        if (r < 0)
                return;
        /* libsemanage's errors are the detail behind the one line the caller logs. */
        log_full(sym_semanage_msg_get_level(sh) == SEMANAGE_MSG_ERR ? LOG_ERR : LOG_DEBUG, "libsemanage: %s", msg);
}

void semanage_closep(semanage_handle_t **sh) {
        if (!*sh)
                return;
        if (sym_semanage_is_connected(*sh))
                sym_semanage_disconnect(*sh);
        sym_semanage_handle_destroy(*sh);
        *sh = NULL;
}

int semanage_open(Apply *a, semanage_handle_t **ret) {
        _cleanup_(semanage_closep) semanage_handle_t *sh = NULL;
        const Layout *l = &a->layout;
        int r;

        r = semanage_paths_check(a->ctx->root_fd, l);
        if (r < 0)
                return r;
        r = dlopen_semanage();
        if (r < 0)
                return r;
        /* Before the handle: it reads <root>/etc/selinux/semanage.conf at creation. */
        if (sym_semanage_set_root(streq(a->ctx->root, "/") ? "" : a->ctx->root) < 0)
                return log_oom();
        sh = sym_semanage_handle_create();
        if (!sh)
                return log_error_errno(ENOMEM, "Cannot create a libsemanage handle.");
        sym_semanage_msg_set_callback(sh, semanage_log, NULL);
        sym_semanage_set_store_root(sh, l->store_root.path);
        /* The root's policy type, not the running system's. */
        sym_semanage_select_store(sh, l->type, SEMANAGE_CON_DIRECT);
        sym_semanage_set_create_store(sh, 0);
        /* Loading the new policy into the live kernel is the reload action's, in the system stage. */
        sym_semanage_set_reload(sh, 0);
        if (sym_semanage_connect(sh) < 0)
                return log_error_errno(EIO, "Cannot connect libsemanage to %s.", l->store.path);
        if (sym_semanage_access_check(sh) != SEMANAGE_CAN_WRITE)
                return log_error_errno(EACCES, "Cannot write the policy store %s.", l->store.path);
        *ret = TAKE_PTR(sh);
        return 0;
}
