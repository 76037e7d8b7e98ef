/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The command context: one place decides the root, the runtime directory and the command line. */

#include <sys/file.h>
#include <sys/stat.h>

#include "chase.h"
#include "config-load.h"
#include "config-paths.h"
#include "context.h"
#include "initrd-util.h"
#include "log.h"
#include "string-table.h"
#include "strutil.h"

static const char *const stage_names[_STAGE_MAX] = { [STAGE_SYSTEM] = "system", [STAGE_INITRD] = "initrd" };

DEFINE_STRING_TABLE(stage, Stage, stage_names, _STAGE_MAX);

/* Whether 'fd' is the running system's own root directory. */
static bool is_live_root(int fd) {
        struct stat a, b;
        return fstat(fd, &a) >= 0 && stat("/", &b) >= 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int context_open_run(Context *c) {
        const char *e = getenv("SEPROV_RUNTIME_DIR");

        if (e || c->stage == STAGE_INITRD) {
                c->run_dir = strdup(e ?: "/run");
                if (!c->run_dir)
                        return log_oom();
                c->run_fd = chase_root_open(c->run_dir);
        } else {
                c->run_dir = path_join(c->root, "run");
                if (!c->run_dir)
                        return log_oom();
                c->run_fd = chase_and_open(c->root_fd, "/run", /* flags= */ 0, O_PATH | O_DIRECTORY, /* mode= */ 0,
                                           /* ret_path= */ NULL);
        }
        if (c->run_fd < 0 && c->run_fd != -ENOENT)
                return log_error_errno(c->run_fd, "Failed to open runtime directory %s: %m", c->run_dir);
        return 0;
}

static int context_read_cmdline(Context *c) {
        _cleanup_free_ char *line = NULL;
        int r;

        kernel_args_init(&c->args);
        if (c->offline && !getenv("SYSTEMD_PROC_CMDLINE")) {
                c->cmdline_source = "(none: offline root)";
                return 0;
        }
        r = cmdline_read(&line, &c->cmdline_source);
        if (r < 0)
                return log_error_errno(r, "Failed to read the kernel command line: %m");
        r = kernel_args_parse(&c->args, line, c->cmdline_source, c->stage == STAGE_INITRD, &c->diags);
        return r < 0 ? log_oom() : 0;
}

int context_open(Context *c, const char *root, Stage stage) {
        int r;

        assert(c);

        *c = (Context) CONTEXT_NULL;
        kernel_args_init(&c->args);
        c->root = strdup(root ?: "/");
        if (!c->root)
                return log_oom();
        c->root_fd = chase_root_open(c->root);
        if (c->root_fd < 0)
                return log_error_errno(c->root_fd, "Failed to open root directory %s: %m", c->root);

        c->stage = stage >= 0 ? stage : in_initrd() ? STAGE_INITRD : STAGE_SYSTEM;
        c->offline = c->stage != STAGE_INITRD && !is_live_root(c->root_fd);
        if (!c->offline) {
                c->host_fd = chase_root_open("/");
                if (c->host_fd < 0)
                        return log_error_errno(c->host_fd, "Failed to open /: %m");
        }

        r = context_open_run(c);
        if (r < 0)
                return r;
        r = context_read_cmdline(c);
        if (r < 0)
                return r;
        log_debug("Root %s (%s), %s stage, runtime directory %s, kernel command line from %s.", c->root,
                  c->offline ? "offline" : "the running system", stage_to_string(c->stage), strna(c->run_dir),
                  strna(c->cmdline_source));
        return 0;
}

void context_done(Context *c) {
        assert(c);

        free(c->root);
        free(c->run_dir);
        closep(&c->root_fd);
        closep(&c->run_fd);
        closep(&c->host_fd);
        closep(&c->lock_fd);
        kernel_args_done(&c->args);
        diags_clear(&c->diags);
        *c = (Context) CONTEXT_NULL;
}

int context_lock(Context *c) {
        _cleanup_close_ int fd = -EBADF;

        assert(c);

        fd = openat(c->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Failed to open %s to lock it: %m", c->root);
        if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
                if (errno != EWOULDBLOCK)
                        return log_error_errno(errno, "Failed to lock %s: %m", c->root);
                log_info("Waiting for another seprov apply on %s to finish...", c->root);
                if (flock(fd, LOCK_EX) < 0)
                        return log_error_errno(errno, "Failed to lock %s: %m", c->root);
        }
        c->lock_fd = TAKE_FD(fd);
        return 0;
}
int context_seprov_run_open(const Context *c) {
        int fd;

        assert(c);

        if (c->run_fd < 0)
                return -ENOENT;
        fd = chase_open(c->run_fd, "/" CONTEXT_SEPROV_RUN_DIR, O_PATH | O_DIRECTORY);
        if (fd != -ENOENT)
                return fd;
        if (mkdirat(c->run_fd, CONTEXT_SEPROV_RUN_DIR, 0755) < 0 && errno != EEXIST)
                return negative_errno();
        return chase_open(c->run_fd, "/" CONTEXT_SEPROV_RUN_DIR, O_PATH | O_DIRECTORY);
}

int context_load_config(Context *c, Config *ret, ConfigSources *sources) {
        _cleanup_(config_sources_done) ConfigSources own = {}; /* for the debug log, when not asked */
        ConfigLoad load;
        size_t errors;
        int r;

        assert(c);
        assert(ret);

        load = (ConfigLoad){ .root_fd = c->root_fd, .run_fd = c->run_fd, .host_fd = c->host_fd, .args = &c->args };
        errors = c->diags.n_errors;
        if (!sources)
                sources = &own;
        r = config_load(&load, ret, sources, &c->diags);
        if (r == -ENOMEM)
                return log_oom();
        for (size_t i = 0; i < sources->n; i++)
                log_debug("Config source %s: %s, %s.", sources->items[i].path,
                          config_level_to_string(sources->items[i].level),
                          source_state_to_string(sources->items[i].state));
        /* A bad kernel command line word makes the load invalid just like a bad file. */
        if (r == 0 && errors > 0) {
                config_done(ret);
                return -EINVAL;
        }
        return r;
}

char *context_host_path(const Context *c, const char *path) {
        _cleanup_free_ char *host = NULL;
        const char *rest;

        assert(c);

        if (!path || path[0] != '/' || streq(c->root, "/"))
                return NULL;
        /* What is read from the running system itself, not from the root (an offline root's own
         * Ignition system config is read from the root). */
        if (!c->offline && (streq(path, IGNITION_SYSTEM_CONFIG) || startswith(path, "/sys/")))
                return NULL;
        rest = startswith(path, "/run/");
        host = rest ? path_join(c->run_dir, rest) : path_join(c->root, path + 1);
        if (!host || streq(host, path))
                return NULL;
        return TAKE_PTR(host);
}
