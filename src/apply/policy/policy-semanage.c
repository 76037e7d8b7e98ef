/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* libsemanage on a root's writable store. libsemanage takes paths, not fds: every path it will use
 * is checked first to contain no symlink, so the kernel resolves it to what chase() found inside
 * the root. */

#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>

#include "chase.h"
#include "dlopen-libs.h"
#include "log.h"
#include "policy-internal.h"
#include "rm-rf.h"
#include "strutil.h"

/* 'path' must exist as named, with no symlink in any component, and not in the image. On refusal
 * *ret_why says why. */
static int path_check_plain(int root_fd, const char *path, bool missing_ok, char **ret_why) {
        _cleanup_free_ char *resolved = NULL;
        struct stat st;
        int r;

        r = chase_and_stat(root_fd, path, /* flags= */ 0, &st, &resolved);
        if (r == -ENOENT && missing_ok)
                return 0;
        if (r < 0)
                *ret_why = strprintf("cannot use %s for libsemanage: %s", path, strerror(-r));
        else if (!streq(resolved, path)) {
                r = -ELOOP;
                *ret_why =
                        strprintf("cannot use %s for libsemanage: it leads through a symlink to %s", path, resolved);
        } else if (layout_path_in_image(resolved)) {
                r = -EROFS;
                *ret_why = strprintf("cannot use %s for libsemanage: it is in the read-only image", path);
        } else
                return 0;
        log_error_errno(r, "%s", strna(*ret_why));
        return r;
}

int policy_semanage_paths_check(int root_fd, const Layout *l, char **ret_why) {
        _cleanup_free_ char *policy = NULL;
        int r;

        assert(l);
        assert(ret_why);

        policy = strjoin("/etc/selinux/", l->type);
        if (!policy)
                return log_oom();
        const char *dirs[] = { l->store_root.path, l->store.path, "/etc/selinux", policy };
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                r = path_check_plain(root_fd, dirs[i], /* missing_ok= */ false, ret_why);
                if (r < 0)
                        return r;
        }
        /* A missing semanage.conf makes libsemanage read the running system's, as semodule -p does. */
        return path_check_plain(root_fd, SEMANAGE_CONF_PATH, /* missing_ok= */ true, ret_why);
}

static void semanage_log(void *userdata, semanage_handle_t *sh, const char *format, ...) {
        Semanage *s = userdata;
        _cleanup_free_ char *msg = NULL;
        int saved_errno = errno;
        bool error;

        msg = STRPRINTF_VA(format);
        if (!msg)
                return;
        error = sym_semanage_msg_get_level(sh) == SEMANAGE_MSG_ERR;
        /* As libsemanage's own default handler does: the errno of the failure, when there is one. */
        if (error && saved_errno != 0 && saved_errno != ENOMEM) {
                char *with;

                if (endswith(msg, "."))
                        msg[strlen(msg) - 1] = '\0';
                with = strprintf("%s (%s).", msg, strerror(saved_errno));
                if (with)
                        free_and_replace(msg, with);
        }
        /* The first error is the cause, logged by policy_semanage_fail() in the line that says what failed;
         * what follows is mostly its consequences, for debug tracing. */
        log_debug("libsemanage: %s", msg);
        if (error && s && !s->error)
                s->error = strjoin("libsemanage: ", msg);
        errno = saved_errno;
}

/* The session whose CIL messages are being collected: the CIL compiler's handler is process-wide and
 * has no userdata; one libsemanage session is open at a time. It writes a message in pieces ("Failed
 * to resolve allow statement", " at FILE:LINE\n"): a line is whole at its newline. */
static Semanage *cil_session;
static char *cil_line;
static int cil_line_level;

static void cil_log(int level, const char *msg) {
        if (strextend_line(&cil_line, &cil_line_level, level, msg) <= 0)
                return;
        /* Levels 1, 2 and 3 are CIL_ERR, CIL_WARN and CIL_INFO. An error is logged with what failed
         * (policy_semanage_fail()); a warning as libsepol would print it. */
        if (cil_line_level == 2)
                log_warning("libsepol: %s", cil_line);
        else
                log_debug("libsepol: %s", cil_line);
        /* The first error names what does not resolve, in which module and line. */
        if (cil_line_level == 1 && cil_session && !cil_session->error)
                cil_session->error = strjoin("libsepol: ", cil_line);
        cil_line = mfree(cil_line);
}

/* libsemanage's scratch trees for a transaction: its sandbox in the store and the tree it builds the
 * compiled policy in. It leaves them behind when a transaction fails. */
static const char *const scratch_trees[] = { "tmp", NULL /* <store-root>/final/<type> */ };

static int scratch_open_parent(const Semanage *s, size_t i, const char **ret_name) {
        _cleanup_free_ char *final = NULL;

        if (scratch_trees[i]) {
                *ret_name = scratch_trees[i];
                return chase_and_open_dir(s->root_fd, s->store);
        }
        *ret_name = s->type;
        final = path_join(s->store_root, "final");
        return final ? chase_and_open_dir(s->root_fd, final) : -ENOMEM;
}

/* Which scratch trees exist before the transaction, so that a failed one removes only its own. */
static void scratch_note(Semanage *s) {
        for (size_t i = 0; i < ELEMENTSOF(scratch_trees); i++) {
                const char *name;
                _cleanup_close_ int fd = scratch_open_parent(s, i, &name);

                s->scratch_existed[i] = fd < 0 || faccessat(fd, name, F_OK, AT_SYMLINK_NOFOLLOW) >= 0 ||
                                        fstat(fd, &s->scratch_parent[i]) < 0;
        }
}

static void scratch_remove(Semanage *s) {
        for (size_t i = 0; i < ELEMENTSOF(scratch_trees); i++) {
                const char *name;
                _cleanup_close_ int fd = -EBADF;
                int r;

                if (s->scratch_existed[i])
                        continue;
                fd = scratch_open_parent(s, i, &name);
                r = fd < 0 ? fd : rm_rf_at(fd, name);
                /* The directory's times too, so that nothing shows the failed attempt. */
                if (r >= 0)
                        (void) futimens(fd, (const struct timespec[2]){ s->scratch_parent[i].st_atim,
                                                                        s->scratch_parent[i].st_mtim });
                if (r < 0 && r != -ENOENT)
                        log_warning_errno(r,
                                          "Failed to remove what the failed libsemanage transaction left in %s, "
                                          "ignoring: %m",
                                          scratch_trees[i] ? s->store : s->store_root);
        }
}

void policy_semanage_done(Semanage *s) {
        assert(s);

        /* The handler stays: without a session it only traces. */
        if (cil_session == s) {
                cil_session = NULL;
                cil_line = mfree(cil_line);
        }
        /* Before disconnecting, while no other libsemanage user can have started on the store. */
        if (s->sh && s->failed)
                scratch_remove(s);
        if (s->sh) {
                if (sym_semanage_is_connected(s->sh))
                        sym_semanage_disconnect(s->sh);
                sym_semanage_handle_destroy(s->sh);
        }
        free(s->error);
        free(s->store);
        free(s->store_root);
        free(s->type);
        *s = (Semanage){};
}

int policy_semanage_fail(Semanage *s, int r, const char *format, ...) {
        _cleanup_free_ char *mine = NULL;

        assert(s);
        assert(format);

        mine = STRPRINTF_VA(format);
        s->failed = true;
        log_error("%s%s%s", strna(mine), s->error ? ": " : "", strempty(s->error));
        if (!s->error)
                s->error = TAKE_PTR(mine);
        return r < 0 ? r : -r;
}

int policy_semanage_open(Apply *a, Semanage *s) {
        const Layout *l;
        int r;

        assert(a);
        assert(s);

        l = &a->layout;
        *s = (Semanage){};
        r = policy_semanage_paths_check(a->ctx->root_fd, l, &s->error);
        if (r < 0)
                return r;
        r = dlopen_semanage();
        if (r < 0)
                return policy_semanage_fail(s, r, "cannot load libsemanage: %s", strerror(-r));
        /* Before the handle: it reads <root>/etc/selinux/semanage.conf at creation. */
        if (sym_semanage_set_root(streq(a->ctx->root, "/") ? "" : a->ctx->root) < 0)
                return policy_semanage_fail(s, -ENOMEM, "out of memory");
        s->sh = sym_semanage_handle_create();
        if (!s->sh)
                return policy_semanage_fail(s, -ENOMEM, "cannot create a libsemanage handle");
        sym_semanage_msg_set_callback(s->sh, semanage_log, s);
        if (dlopen_semanage_cil_log(cil_log) >= 0)
                cil_session = s;
        sym_semanage_set_store_root(s->sh, l->store_root.path);
        /* The root's policy type, not the running system's. */
        sym_semanage_select_store(s->sh, l->type, SEMANAGE_CON_DIRECT);
        sym_semanage_set_create_store(s->sh, 0);
        /* Loading the new policy into the live kernel is the reload action's, in the system stage. */
        sym_semanage_set_reload(s->sh, 0);
        if (sym_semanage_connect(s->sh) < 0)
                return policy_semanage_fail(s, -EIO, "cannot connect libsemanage to %s", l->store.path);
        if (sym_semanage_access_check(s->sh) != SEMANAGE_CAN_WRITE)
                return policy_semanage_fail(s, -EACCES, "libsemanage cannot write the policy store %s", l->store.path);
        s->root_fd = a->ctx->root_fd;
        s->store = strdup(l->store.path);
        s->store_root = strdup(l->store_root.path);
        s->type = strdup(l->type);
        if (!s->store || !s->store_root || !s->type)
                return policy_semanage_fail(s, -ENOMEM, "out of memory");
        scratch_note(s);
        return 0;
}
