/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Preflight: refuse what cannot work before anything changes, warn about what Flatcar documents as
 * incompatible with enforcing (Btrfs volumes, found with libmount). */

#include <selinux/selinux.h>
#include <sys/stat.h>

#include "chase.h"
#include "dir-for-each.h"
#include "dlopen-libs.h"
#include "log.h"
#include "messages.h"
#include "policy.h"
#include "preflight.h"
#include "strutil.h"

/* Logs a refusal whose reason report_set_error() recorded ('r' is what it returned); returns 1. */
static int refused(Apply *a, int r) {
        if (r < 0)
                return log_oom();
        if (log_target_is_structured()) /* on a terminal, the command's report says it */
                log_event(LOG_ERR, SEPROV_MESSAGE_PREFLIGHT, "Refused: %s", a->report.error);
        return 1;
}

#define refuse(a, ...) refused((a), report_set_error(&(a)->report, __VA_ARGS__))

static int is_policy_file(int dir_fd, const char *name, void *userdata) {
        return startswith(name, "policy.") ? 1 : 0;
}

/* Whether the compiled policy of the configured type exists: /etc/selinux/<type>/policy/policy.N. */
static bool policy_present(Apply *a) {
        _cleanup_free_ char *dir = strjoin("/etc/selinux/", a->layout.type, "/policy");
        int fd;

        if (!dir)
                return false;
        fd = chase_and_open_dir(a->ctx->root_fd, dir);
        if (fd < 0)
                return false;
        /* The walk stops at the first one found. */
        return dir_for_each(fd, is_policy_file, /* userdata= */ NULL) == 1;
}

/* Everything but the audit rules and "disabled" works on the policy. */
static bool needs_policy(const Config *c) {
        return (c->mode >= 0 && c->mode != SELINUX_MODE_DISABLED) || c->store >= 0 || c->dontaudit >= 0 ||
               c->n_booleans > 0 || c->n_modules > 0 || c->n_permissive > 0 || c->n_ports > 0;
}

static int check_refusals(Apply *a) {
        const Config *c = a->config;
        char buf[512];

        if (c->mode == SELINUX_MODE_ENFORCING && a->ctx->args.selinux == 0)
                return refuse(a, "enforcing is asked (%s) but the kernel command line has selinux=0",
                              config_origin_where(&c->mode_origin, buf, sizeof buf));
        if (c->mode >= 0 && a->layout.config_file.kind == PATH_MISSING)
                return refuse(a, "%s does not exist: nothing says which policy to load, so no mode can be set",
                              SELINUX_CONFIG_PATH);
        if (needs_policy(c) && !policy_present(a))
                return refuse(a,
                              "SELINUXTYPE=%s (from %s) has no compiled policy: /etc/selinux/%s/policy/ holds no "
                              "policy file",
                              a->layout.type, a->layout.config.type ? SELINUX_CONFIG_PATH : "libselinux's default",
                              a->layout.type);
        return 0;
}

/* What needs a writable store when the store will be the image's: refused before the store action
 * returns to it (or anything else changes). */
static int check_store_changes(Apply *a) {
        size_t errors = a->ctx->diags.n_errors;

        if (preflight_store_changes(&a->layout, a->config, &a->ctx->diags) < 0)
                return log_oom();
        if (a->ctx->diags.n_errors > errors)
                return refuse(a, "the config asks for changes the image's read-only policy store cannot take; "
                                 "nothing was changed");
        return 0;
}

/* The booleans known to exist without reading the policy: those libsemanage already set in the store
 * (the image's, which a first copy starts from, or the writable one), and, for booleans that stay
 * runtime-only, those of the policy the running kernel has loaded. Returns 0 or -ENOMEM. */
static int known_booleans(Apply *a, bool runtime, char ***ret) {
        _cleanup_strv_free_ char **known = NULL;
        _cleanup_close_ int fd = chase_and_open_dir(a->ctx->root_fd, a->layout.store.path);
        char **live = NULL;
        int n = 0, r = 0;

        if (fd >= 0 && policy_booleans_read(fd, &known) == -ENOMEM)
                return -ENOMEM;
        if (runtime && !a->ctx->offline && is_selinux_enabled() > 0 && security_get_boolean_names(&live, &n) >= 0) {
                for (int i = 0; i < n; i++) {
                        if (r >= 0)
                                r = strv_extend(&known, live[i]);
                        free(live[i]);
                }
                free(live);
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(known);
        return 0;
}

/* The booleans and module sources the config names, against the policy. Booleans that stay
 * runtime-only are set in the real root, on the policy loaded there: the initrd does not look. */
static int check_policy_names(Apply *a) {
        _cleanup_strv_free_ char **known = NULL;
        _cleanup_free_ char *why = NULL;
        bool runtime = a->layout.store.kind != PATH_REAL && a->config->store != STORE_WRITABLE;
        size_t errors = a->ctx->diags.n_errors;
        int r;

        if (a->config->n_booleans == 0 && a->config->n_modules == 0 && a->config->n_file_contexts == 0)
                return 0;
        r = known_booleans(a, runtime, &known);
        if (r < 0)
                return log_oom();
        r = preflight_policy(a->ctx->root_fd, &a->layout, a->config, known,
                             /* booleans= */ !(runtime && a->ctx->stage == STAGE_INITRD), &a->ctx->diags, &why);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return refuse(a, "cannot check the config's booleans against the policy: %s", strna(why));
        if (a->ctx->diags.n_errors > errors)
                return refuse(a, "the config names booleans%s the policy cannot take; nothing was changed",
                              a->config->n_file_contexts > 0 ? ", module sources or file contexts"
                                                             : " or module sources");
        return 0;
}

/* The permissive domains, ports and module states the config names, against the policy and the store. */
static int check_workload_names(Apply *a) {
        _cleanup_free_ char *why = NULL;
        size_t errors = a->ctx->diags.n_errors;
        bool states = false;
        int r;

        for (size_t i = 0; i < a->config->n_modules; i++)
                states = states || a->config->modules[i].enabled >= 0;
        if (a->config->n_permissive == 0 && a->config->n_ports == 0 && !states)
                return 0;
        r = preflight_policy_workload(a->ctx->root_fd, &a->layout, a->config, &a->ctx->diags, &why);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return refuse(a, "cannot check the config's permissive domains and ports against the policy: %s",
                              strna(why));
        if (a->ctx->diags.n_errors > errors)
                return refuse(a, "the config names types or modules the policy or its store does not have; nothing "
                                 "was changed");
        return 0;
}

/* A FILE* on /etc/fstab inside the root, for an offline root. */
static FILE *open_fstab(Apply *a) {
        int fd = chase_and_open(a->ctx->root_fd, "/etc/fstab", /* flags= */ 0, O_RDONLY | O_NONBLOCK, /* mode= */ 0,
                                /* ret_path= */ NULL);
        FILE *f;

        if (fd < 0)
                return NULL;
        f = fdopen(fd, "re");
        if (!f)
                close(fd);
        return f;
}

/* The mount table that tells what the booted system has mounted: PID 1's (generators run sandboxed
 * and see their own; in the initrd it shows /sysroot), or the image's fstab for an offline root. */
static int read_mounts(Apply *a, struct libmnt_table **ret, const char **ret_source) {
        _cleanup_(sym_mnt_free_tablep) struct libmnt_table *t = sym_mnt_new_table();
        int r;

        if (!t)
                return -ENOMEM;
        if (a->ctx->offline) {
                _cleanup_fclose_ FILE *f = open_fstab(a);
                *ret_source = "/etc/fstab";
                r = f ? sym_mnt_table_parse_stream(t, f, "/etc/fstab") : -ENOENT;
        } else {
                *ret_source = "/proc/1/mountinfo";
                r = sym_mnt_table_parse_file(t, "/proc/1/mountinfo");
        }
        if (r < 0)
                return r;
        *ret = TAKE_PTR(t);
        return 0;
}

static int warn_btrfs(Apply *a) {
        _cleanup_(sym_mnt_free_tablep) struct libmnt_table *t = NULL;
        _cleanup_(sym_mnt_free_iterp) struct libmnt_iter *it = NULL;
        struct libmnt_fs *fs;
        const char *source;
        int r;

        if (dlopen_libmount() < 0)
                return 0; /* a warning we cannot give; said in the log */
        it = sym_mnt_new_iter(MNT_ITER_FORWARD);
        if (!it)
                return log_oom();
        r = read_mounts(a, &t, &source);
        if (r < 0) {
                log_debug_errno(r, "Cannot read the mount table to look for Btrfs, ignoring: %m");
                return 0;
        }
        while (sym_mnt_table_next_fs(t, it, &fs) == 0) {
                if (!streq_ptr(sym_mnt_fs_get_fstype(fs), "btrfs"))
                        continue;
                r = report_warning(&a->report, SEPROV_MESSAGE_PREFLIGHT,
                                   "Btrfs volume %s at %s (%s): Flatcar documents SELinux enforcing as incompatible "
                                   "with Btrfs volumes",
                                   strna(sym_mnt_fs_get_source(fs)), strna(sym_mnt_fs_get_target(fs)), source);
                if (r < 0)
                        return log_oom();
        }
        return 0;
}

int preflight(Apply *a) {
        int r;

        assert(a);

        r = check_refusals(a);
        if (r == 0)
                r = check_store_changes(a);
        if (r == 0)
                r = check_policy_names(a);
        if (r == 0)
                r = check_workload_names(a);
        if (r != 0)
                return r;
        /* When the mode becomes enforcing, not at every boot after. */
        if (a->config->mode == SELINUX_MODE_ENFORCING &&
            (a->layout.config.mode != SELINUX_MODE_ENFORCING || a->layout.config_file.is_link)) {
                r = warn_btrfs(a);
                if (r < 0)
                        return r;
                if (a->ctx->args.enforcing == 0 &&
                    report_warning(&a->report, SEPROV_MESSAGE_PREFLIGHT,
                                   "enforcing=0 on the kernel command line keeps this boot permissive; the next boots "
                                   "without it enforce") < 0)
                        return log_oom();
        }
        return 0;
}
