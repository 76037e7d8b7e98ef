/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What every command works on: the root, its runtime directory, the stage, the kernel command line. */
#pragma once

#include "cmdline.h"
#include "diag.h"

/* config.h and config-load.h; only pointers here. */
typedef struct Config Config;
typedef struct ConfigSources ConfigSources;

typedef enum Stage {
        STAGE_SYSTEM, /* the real root, after switch-root */
        STAGE_INITRD, /* the initrd, provisioning /sysroot */
        _STAGE_MAX,
        _STAGE_INVALID = -1,
} Stage;

/* A Context that owns nothing yet, for _cleanup_(context_done) before context_open(). */
#define CONTEXT_NULL \
        { .root_fd = -EBADF, .run_fd = -EBADF, .host_fd = -EBADF, .lock_fd = -EBADF }

const char *stage_to_string(Stage s);
int stage_from_string(const char *s);

typedef struct Context {
        char *root; /* as given: "/" unless --root */
        int root_fd;
        char *run_dir; /* the runtime directory, for messages */
        int run_fd;    /* -EBADF when there is none */
        int host_fd;   /* the running system's "/"; -EBADF for an offline root */
        int lock_fd;   /* the root, open and flock()ed while an apply runs; -EBADF otherwise */
        Stage stage;
        bool offline; /* the root is an image or a fixture, not the running system */
        const char *cmdline_source;
        KernelArgs args;
        Diags diags; /* problems with the inputs: kernel command line, then config files */
} Context;

/* Opens 'root' (NULL: "/") for 'stage' (_STAGE_INVALID: detect). The runtime directory is
 * $SEPROV_RUNTIME_DIR when set; in the initrd stage the initrd's own /run (it becomes the real root's
 * /run at switch-root); otherwise <root>/run. The kernel command line is $SYSTEMD_PROC_CMDLINE when
 * set, else /proc/cmdline, except for an offline root (an image being built), which has none.
 * Problems with the command line go to c->diags. Returns 0 or a negative errno (logged). */
int context_open(Context *c, const char *root, Stage stage);
void context_done(Context *c);

/* Takes the root's apply lock (flock() on the root directory), waiting while another apply holds it:
 * two applies on one root must not interleave. Released when the context is done.
 * Returns 0 or a negative errno (logged). */
int context_lock(Context *c);

/* Where the file a diagnostic names as 'path' (inside the root, or in the runtime directory as
 * /run/...) is on the machine running the command, when that differs: "R/etc/seprov/config.d/x.json"
 * for "/etc/seprov/config.d/x.json" under --root=R. Returns a new string, or NULL when the path is
 * the same there, is no path (the kernel command line), or on ENOMEM. */
char *context_host_path(const Context *c, const char *path);

/* seprov's own directory in the runtime directory: status.json, the initrd stage's state, scratch. */
#define CONTEXT_SEPROV_RUN_DIR "seprov"

/* Opens <run>/seprov (CONTEXT_SEPROV_RUN_DIR in the runtime directory), made when missing. Returns an
 * O_PATH fd of it, -ENOENT when the context has no runtime directory, or another negative errno. */
int context_seprov_run_open(const Context *c);

/* Loads the effective config of this context (see config_load()). Returns 0, -EINVAL when an input
 * is invalid (then c->diags says why), or another negative errno. */
int context_load_config(Context *c, Config *ret, ConfigSources *sources);
