/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The small state files that let seprov-generator decide, without parsing any config, whether
 * seprov has work to do at this boot: written by seprov apply, read by the generator. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "cmdline.h"

/* Written by 'seprov apply --stage=initrd' into the initrd's /run, which becomes the real root's /run
 * at switch-root. Relative to the runtime directory. */
#define BOOT_STATE_INITRD_DIR  "/seprov"
#define BOOT_STATE_INITRD_FILE "initrd"
/* Written by every successful apply, persistent. Inside the root. */
#define BOOT_STATE_APPLIED_DIR  "/var/lib/seprov"
#define BOOT_STATE_APPLIED_FILE "applied"

/* Largest state file either reader accepts. */
#define BOOT_STATE_FILE_MAX 4096

/* Work that one stage leaves to a later one. Written as words, one per bit. */
typedef enum BootWork {
        /* "store": /var was not there in the initrd: copy or rebuild the store */
        BOOT_WORK_STORE = 1 << 0,
        /* "booleans-runtime": booleans set in the live kernel (no writable store), every boot */
        BOOT_WORK_BOOLEANS_RUNTIME = 1 << 1,
        /* "reload": policy, enforce or audit rules to load into the live kernel */
        BOOT_WORK_RELOAD = 1 << 2,
        /* read only: a word this version does not know, i.e. some newer version's work; counted as work */
        BOOT_WORK_UNKNOWN = 1 << 3,
} BootWork;

/* The word for one BootWork bit, or NULL. */
const char *boot_work_to_string(BootWork w);

/* The outcome of the initrd stage. */
typedef enum BootResult {
        BOOT_RESULT_DONE,    /* "done": applied, or nothing was to do */
        BOOT_RESULT_REFUSED, /* "refused": bad input or preflight; nothing changed, the same input is refused again */
        BOOT_RESULT_FAILED,  /* "failed": failed while applying, the previous state kept: the system stage retries */
        _BOOT_RESULT_MAX,
        _BOOT_RESULT_INVALID = -1,
} BootResult;

const char *boot_result_to_string(BootResult r);
int boot_result_from_string(const char *s);

/* /run/seprov/initrd. */
typedef struct BootInitrdState {
        BootResult result;
        unsigned left; /* BootWork bits the system stage must do */
} BootInitrdState;

/* /var/lib/seprov/applied. */
typedef struct BootApplied {
        uint64_t fingerprint; /* boot_fingerprint() right after the apply */
        unsigned every_boot;  /* BootWork bits needed on every boot whatever changed, e.g. runtime booleans */
        char **sources;       /* the module source files the fingerprint counts (SOURCE= lines), or NULL */
} BootApplied;

void boot_applied_done(BootApplied *a);

/* Writes /run/seprov/initrd under 'run_fd' (the initrd's /run), atomically, creating /run/seprov when
 * missing. 'label' (optional) is the file's SELinux label. Returns 0 or a negative errno. */
int boot_initrd_state_write(int run_fd, const BootInitrdState *s, const char *label);

/* Reads /run/seprov/initrd under 'run_fd'. Returns 0, -ENOENT when there is none, -EBADMSG when it is
 * not one this version can read, or another negative errno. */
int boot_initrd_state_read(int run_fd, BootInitrdState *ret);

/* Writes /var/lib/seprov/applied under 'root_fd', atomically, creating /var/lib/seprov when missing.
 * Returns 0, -ENOENT when /var/lib is missing (/var not mounted: a file under the mount point would be
 * hidden once it is), or another negative errno. */
int boot_applied_write(int root_fd, const BootApplied *a, const char *label);

/* Reads /var/lib/seprov/applied under 'root_fd'. Returns 0, -ENOENT, -EBADMSG or a negative errno. */
int boot_applied_read(int root_fd, BootApplied *ret);

/* Serialises and parses the two formats (what the functions above write and read). Each to_text
 * returns a new string or NULL when out of memory; each parse returns 0 or -EBADMSG. */
char *boot_initrd_state_to_text(const BootInitrdState *s);
int boot_initrd_state_parse(const char *text, BootInitrdState *ret);
char *boot_applied_to_text(const BootApplied *a);
int boot_applied_parse(const char *text, BootApplied *ret);

/* Convenience for the end of a successful apply: computes boot_fingerprint() now (see
 * boot-fingerprint.h) with the config's module 'sources' and writes it with 'every_boot' and the
 * sources, so that the generator can count the same files. Returns 0 or a negative errno. */
int boot_applied_record(int root_fd, int run_fd, const KernelArgs *args, unsigned every_boot, char *const *sources,
                        const char *label);
