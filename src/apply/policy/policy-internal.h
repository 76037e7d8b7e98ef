/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pieces of the policy actions: a libsemanage handle confined to the root, seprov's manifest. */
#pragma once

#include <semanage/semanage.h>
#include <sys/stat.h>

#include "apply.h"
#include "macro.h"

/* policy-semanage.c */

/* Checks that every path libsemanage will open for the root's store (store root, store, /etc/selinux,
 * /etc/selinux/<type>, semanage.conf) is a real directory or file with no symlink on the way, so
 * that its plain path names the same thing inside the root as chase() does. Returns 0, -ELOOP (a
 * symlink), -EROFS (in the image), or another negative errno (logged; *ret_why says why). */
int policy_semanage_paths_check(int root_fd, const Layout *l, char **ret_why);

/* A libsemanage handle on a root's store, and why it failed: the first error libsemanage reported
 * (its own words), else seprov's. */
typedef struct Semanage {
        semanage_handle_t *sh;
        char *error;
        /* The store, for removing what a failed transaction left behind (see policy_semanage_done()). */
        int root_fd; /* borrowed */
        char *store, *store_root, *type;
        bool scratch_existed[2];
        struct stat scratch_parent[2]; /* the directories holding them, before */
        bool failed;                   /* policy_semanage_fail() was called */
} Semanage;

/* Opens and connects libsemanage on the root's writable store (see policy_semanage_paths_check()); commits
 * never load the policy into the kernel (the reload action does, after a->policy_changed).
 * Returns 0 or a negative errno (logged; s->error says why). */
int policy_semanage_open(Apply *a, Semanage *s);
/* Disconnects and frees. After a failure (policy_semanage_fail()) it first removes the scratch trees the
 * transaction made (libsemanage leaves its sandbox and its final/<type> after a failed one), so the
 * store is as it was. */
void policy_semanage_done(Semanage *s);

/* Logs a failure of a libsemanage call: the formatted text with libsemanage's first error after it.
 * Keeps libsemanage's error as s->error, or the text when libsemanage said nothing. Returns -abs(r). */
int policy_semanage_fail(Semanage *s, int r, const char *format, ...) _printf_(3, 4);

/* policy-manifest.c: what seprov installed or set, so that it removes only that. */
typedef struct ManagedModule {
        char *name;
        unsigned priority;
        char *digest; /* of the source's content when installed */
} ManagedModule;

typedef struct Manifest {
        ManagedModule *modules;
        size_t n_modules;
        char **booleans;
} Manifest;

void manifest_done(Manifest *m);
/* Reads the manifest of the store 'store_fd' (none: empty). Returns 0 or a negative errno. */
int manifest_read(int store_fd, Manifest *ret);
/* Writes it atomically, labelled like the store directory. Returns 0 or a negative errno. */
int manifest_write(int store_fd, const Manifest *m);
const ManagedModule *manifest_find_module(const Manifest *m, const char *name);
int manifest_add_module(Manifest *m, const char *name, unsigned priority, const char *digest);
void manifest_remove_module(Manifest *m, const char *name);

/* A digest of 'data' for change detection (FNV-1a 64, hex). Returns a new string or NULL. */
char *manifest_digest(const void *data, size_t size);

/* policy-rebuild.c: libsemanage writes the store and the compiled policy with no labels when the
 * running kernel has no SELinux (the initrd, an image build): labels them as file_contexts says.
 * Failures are logged and ignored. */
void policy_rebuild_relabel(Apply *a);

/* policy-runtime.c: booleans on the live kernel, for a store that is not writable. */
int policy_runtime_booleans(Apply *a);
