/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov-generator's decision and wiring: cheap, never parsing a config, never failing the boot. */

#include <sys/stat.h>

#include "boot-fingerprint.h"
#include "boot-state.h"
#include "chase.h"
#include "cmdline.h"
#include "fileio.h"
#include "generator.h"
#include "initrd-util.h"
#include "log.h"
#include "strutil.h"

/* Parses the command line into *a; bad seprov.* words go to 'diags'. A command line that cannot be
 * read leaves seprov's defaults and an error in 'diags'. Returns 0 or -ENOMEM (logged). */
static int read_kernel_args(KernelArgs *a, bool initrd, Diags *diags) {
        _cleanup_free_ char *line = NULL;
        const char *source;
        int r;

        r = cmdline_read(&line, &source);
        if (r < 0)
                r = diag_error(diags, cmdline_source_proc, /* line= */ 0, /* column= */ 0, "cannot read: %s",
                               strerror(-r));
        else
                r = kernel_args_parse(a, line, source, initrd, diags);
        return r < 0 ? log_oom() : 0;
}

/* Logs each problem with the command line. Returns true when there was an error. */
static bool log_kernel_args_problems(const Diags *diags, const char *unit) {
        for (size_t i = 0; i < diags->n; i++) {
                _cleanup_free_ char *m = diag_format(&diags->items[i]);
                log_warning("%s; pulling in %s so that seprov apply reports it.", m ?: "Out of memory", unit);
        }
        return diags->n_errors > 0;
}

/* seprov=0 is the operator's escape hatch; with selinux=0 there is nothing to provision. */
static bool seprov_disabled(const KernelArgs *a) {
        if (a->seprov == 0) {
                log_debug("seprov=0 on the kernel command line: nothing to do.");
                return true;
        }
        if (a->selinux == 0) {
                log_debug("selinux=0 on the kernel command line: nothing to do.");
                return true;
        }
        return false;
}

static const char *state_problem(int r) {
        return r == -EBADMSG ? "not a state file this version reads" : strerror(-r);
}

/* With a word from the initrd stage of this boot. Returns true when seprov.service must run. */
static bool initrd_state_has_work(const BootInitrdState *s) {
        if (s->result == BOOT_RESULT_FAILED) {
                log_debug("The initrd stage failed: the system stage tries again.");
                return true;
        }
        if (s->result == BOOT_RESULT_REFUSED) {
                log_debug("The initrd stage refused its input: the system stage would refuse it too.");
                return false;
        }
        if (s->left == 0) {
                log_debug("The initrd stage left nothing to do.");
                return false;
        }
        log_debug("The initrd stage left work for the system stage (0x%x).", s->left);
        return true;
}

/* Without a word from the initrd stage: compare the fingerprint apply recorded with the one now.
 * Returns true when seprov.service must run. */
static bool applied_has_work(int root_fd, int run_fd, const KernelArgs *args) {
        _cleanup_(boot_applied_done) BootApplied a = {};
        const char *failed = NULL;
        uint64_t fp;
        int r;

        r = boot_applied_read(root_fd, &a);
        if (r == -ENOENT) {
                log_debug("No record of an earlier apply: first boot without the initrd stage.");
                return true;
        }
        if (r < 0) {
                log_warning("Cannot use %s/%s (%s), ignoring it; pulling in %s, whose apply rewrites it.",
                            BOOT_STATE_APPLIED_DIR, BOOT_STATE_APPLIED_FILE, state_problem(r), GENERATOR_SYSTEM_UNIT);
                return true;
        }
        if (a.every_boot) {
                log_debug("Runtime work on every boot (0x%x).", a.every_boot);
                return true;
        }
        r = boot_fingerprint(root_fd, run_fd, args, a.sources, &fp, &failed);
        if (r < 0) {
                log_warning_errno(r, "Cannot read %s: %m; pulling in %s so that seprov apply reports it.", failed,
                                  GENERATOR_SYSTEM_UNIT);
                return true;
        }
        if (fp != a.fingerprint) {
                log_debug("Inputs or targets changed since the last apply.");
                return true;
        }
        log_debug("Nothing changed since the last apply.");
        return false;
}

/* The real root's decision. Returns true when seprov.service must run. */
static bool system_has_work(int root_fd, const KernelArgs *args) {
        _cleanup_close_ int run_fd = chase_open(root_fd, "/run", O_PATH | O_DIRECTORY);
        BootInitrdState s;
        int r;

        r = run_fd >= 0 ? boot_initrd_state_read(run_fd, &s) : run_fd;
        if (r >= 0)
                return initrd_state_has_work(&s);
        if (r != -ENOENT) {
                log_warning("Cannot use /run%s/%s (%s), ignoring it; pulling in %s.", BOOT_STATE_INITRD_DIR,
                            BOOT_STATE_INITRD_FILE, state_problem(r), GENERATOR_SYSTEM_UNIT);
                return true;
        }
        return applied_has_work(root_fd, run_fd, args);
}

/* dest/target.wants/unit -> unit_dir/unit. An existing identical link is fine (a rerun). */
static int add_wants(const Generator *g, const char *target, const char *unit) {
        _cleanup_free_ char *dir = strjoin(target, ".wants"), *src = path_join(g->unit_dir, unit);
        _cleanup_close_ int fd = -EBADF, wants_fd = -EBADF;

        if (!dir || !src)
                return log_oom();
        fd = open(g->dest, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return log_error_errno(errno, "Failed to open %s: %m", g->dest);
        if (mkdirat(fd, dir, 0755) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to create %s/%s: %m", g->dest, dir);
        wants_fd = openat(fd, dir, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (wants_fd < 0)
                return log_error_errno(errno, "Failed to open %s/%s: %m", g->dest, dir);
        if (symlinkat(src, wants_fd, unit) < 0) {
                _cleanup_free_ char *old = NULL;
                int r = -errno;

                if (r != -EEXIST || readlinkat_malloc(wants_fd, unit, &old) < 0 || !streq(old, src))
                        return log_error_errno(r, "Failed to link %s/%s/%s: %m", g->dest, dir, unit);
        }
        log_debug("Pulled %s into %s.", unit, target);
        return 0;
}

static int generator_system(const Generator *g, const KernelArgs *args) {
        _cleanup_close_ int root_fd = chase_root_open(g->root);

        if (root_fd < 0) {
                log_warning_errno(root_fd, "Failed to open %s: %m; pulling in %s so that seprov apply reports it.",
                                  g->root, GENERATOR_SYSTEM_UNIT);
                return add_wants(g, GENERATOR_SYSTEM_TARGET, GENERATOR_SYSTEM_UNIT);
        }
        if (!system_has_work(root_fd, args))
                return 0;
        return add_wants(g, GENERATOR_SYSTEM_TARGET, GENERATOR_SYSTEM_UNIT);
}

int generator_run(const Generator *g) {
        _cleanup_(kernel_args_done) KernelArgs args;
        _cleanup_(diags_clear) Diags diags = {};
        bool initrd = in_initrd();
        const char *target = initrd ? GENERATOR_INITRD_TARGET : GENERATOR_SYSTEM_TARGET;
        const char *unit = initrd ? GENERATOR_INITRD_UNIT : GENERATOR_SYSTEM_UNIT;
        int r;

        assert(g);

        kernel_args_init(&args);
        r = read_kernel_args(&args, initrd, &diags);
        if (r < 0)
                return r;
        if (seprov_disabled(&args))
                return 0;
        /* A bad seprov.* word: apply refuses the whole command line and says why. In the initrd,
         * /sysroot is not mounted yet, so the command line alone decides anyway. */
        if (log_kernel_args_problems(&diags, unit) || initrd)
                return add_wants(g, target, unit);
        return generator_system(g, &args);
}
