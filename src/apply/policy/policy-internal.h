/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The pieces of the policy actions: a libsemanage handle confined to the root, seprov's manifest, the
 * edits of the compiled policy that stand in for a libsemanage commit. */
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

/* A port range seprov labelled. */
typedef struct ManagedPort {
        char *protocol;
        unsigned low, high;
} ManagedPort;

/* A module of the store whose state seprov changed, and the state it had before (to go back to). */
typedef struct ManagedState {
        char *name;
        bool enabled_before;
} ManagedState;

typedef struct Manifest {
        ManagedModule *modules;
        size_t n_modules;
        char **booleans;
        char **fcontexts;    /* "FILE_TYPE PATH": the local file context rules seprov made */
        char **equivalences; /* the paths of the local equivalences seprov made */
        char **permissive;   /* the permissive domains seprov set */
        ManagedPort *ports;
        size_t n_ports;
        ManagedState *states;
        size_t n_states;
} Manifest;

void manifest_done(Manifest *m);
/* Reads the manifest of the store 'store_fd' (none: empty). Returns 0 or a negative errno. */
int manifest_read(int store_fd, Manifest *ret);
/* Writes it atomically, labelled like the store directory. Returns 0 or a negative errno. */
int manifest_write(int store_fd, const Manifest *m);
const ManagedModule *manifest_find_module(const Manifest *m, const char *name);
int manifest_add_module(Manifest *m, const char *name, unsigned priority, const char *digest);
void manifest_remove_module(Manifest *m, const char *name);

/* Ports and module states seprov owns: added (the earlier record of the same key replaced), found,
 * removed. Return 0 or -ENOMEM; the finders a borrowed record or NULL. */
int manifest_add_port(Manifest *m, const char *protocol, unsigned low, unsigned high);
const ManagedPort *manifest_find_port(const Manifest *m, const char *protocol, unsigned low, unsigned high);
void manifest_remove_port(Manifest *m, const char *protocol, unsigned low, unsigned high);
int manifest_add_state(Manifest *m, const char *name, bool enabled_before);
const ManagedState *manifest_find_state(const Manifest *m, const char *name);
void manifest_remove_state(Manifest *m, const char *name);

/* A digest of 'data' for change detection (FNV-1a 64, hex). Returns a new string or NULL. */
char *manifest_digest(const void *data, size_t size);

/* policy-rebuild.c: libsemanage writes the store and the compiled policy with no labels when the
 * running kernel has no SELinux (the initrd, an image build): labels them as file_contexts says.
 * Failures are logged and ignored. */
void policy_rebuild_relabel(Apply *a);

/* Whether a rebuild of the store 'store_fd' that leaves the dontaudit rules off should build the whole
 * policy and have seprov remove them after (policy_rebuild_finish()): then seprov keeps the original,
 * and dontaudit comes back later without a rebuild. True when that edit can be made on this store. */
bool policy_rebuild_strips(Apply *a, int store_fd);

/* After a libsemanage commit: sets a->policy_changed, labels what libsemanage wrote and, with 'strip',
 * removes the dontaudit rules from the policy it built; after a rebuild without 'strip', drops the
 * original seprov kept (it is not the policy in force any more). Returns 0 or a negative errno
 * (*ret_why says why). */
int policy_rebuild_finish(Apply *a, int store_fd, bool rebuilt, bool strip, char **ret_why);

/* policy-runtime.c: booleans on the live kernel, for a store that is not writable. */
int policy_runtime_booleans(Apply *a);

/* The store's files a commit writes, as libsemanage names them (in active/). */
#define POLICY_LINKED            "policy.linked"     /* the policy built from the modules */
#define POLICY_KERN              "policy.kern"       /* that with the local changes: what is installed */
#define POLICY_DISABLE_DONTAUDIT "disable_dontaudit" /* present: built without dontaudit rules */

/* policy-booleans.c: booleans.local's records as libsemanage reads and writes them. */

/* The records of the store's booleans.local in their order, each "name=0" or "name=1"; none when
 * the file is missing. Returns 0, -EBADMSG when a line is one seprov cannot rewrite exactly as
 * libsemanage would (not a record, or a name twice), or another negative errno. */
int policy_booleans_local_read(int store_fd, char ***ret);

/* Sets the record of 'name' to 'value' (0 or 1) where it is, or last when it is new, as libsemanage
 * does; 'value' -1 removes it. Returns 0 or -ENOMEM. */
int policy_booleans_local_set(char ***records, const char *name, int value);

/* booleans.local's text for 'records', as libsemanage writes it. Returns a new string or NULL. */
char *policy_booleans_local_format(char **records);

/* policy-original.c: the policy.linked seprov saved before removing the dontaudit rules. */
#define POLICY_ORIGINAL_FILE   ".seprov-dontaudit.linked"
#define POLICY_ORIGINAL_RECORD ".seprov-dontaudit"

typedef struct PolicyOriginal {
        char *original; /* digest of the saved policy.linked */
        char *stripped; /* digest of the policy.linked seprov wrote in its place */
        char *modules;  /* active/modules_checksum then: what the policy was built from */
} PolicyOriginal;

void policy_original_done(PolicyOriginal *o);

/* Reads the record in the store 'store_fd'. Returns 0, -ENOENT (none), -EBADMSG (incomplete), or
 * another negative errno. */
int policy_original_read(int store_fd, PolicyOriginal *ret);

/* Saves active/policy.linked (a second link to it, no copy) and writes the record 'o' (labelled
 * 'label'), both durably. Returns 0 or a negative errno. */
int policy_original_save(int store_fd, int active_fd, const PolicyOriginal *o, const char *label);

/* Removes the saved policy and its record. Returns 0 or a negative errno. */
int policy_original_remove(int store_fd);

/* The content of active/modules_checksum on one line ("" without one). Returns 0 or -errno. */
int policy_original_modules(int active_fd, char **ret);

/* policy-fast.c: dontaudit and booleans by editing the compiled policy instead of a libsemanage
 * commit, the store left as libsemanage would leave it. */
typedef struct FastEdit {
        int dontaudit;         /* 1: remove the dontaudit rules; 0: put them back; -1: as they are */
        bool booleans_changed; /* booleans.local becomes 'booleans'; else it stays as it is */
        char **booleans;       /* its records after the edit (see policy_booleans_local_read()) */
} FastEdit;

void fast_edit_done(FastEdit *e);

/* Whether semanage.conf and the store 'store_fd' allow the edit 'e' without libsemanage: they ask
 * for nothing a commit does that seprov does not do exactly as libsemanage would (whether a saved
 * original still allows dontaudit on is found by policy_fast_apply()). Returns 0, -EOPNOTSUPP
 * (*ret_why says why libsemanage must do it), or another negative errno. */
int policy_fast_check(Apply *a, int store_fd, const FastEdit *e, char **ret_why);

/* Makes the edit: the store's files as a libsemanage commit writes them (booleans.local,
 * disable_dontaudit, policy.linked, policy.kern, commit_num), the installed policy.NN, each
 * replaced atomically and labelled; a record of the edit under way makes the next apply finish it
 * after a crash. Sets a->policy_changed. Returns 0, -EOPNOTSUPP before changing anything when
 * libsemanage must do it (*ret_why says why), -ENOENT before changing anything when a boolean of
 * booleans.local is not in the policy (*ret_missing names it, *ret_why says so), or another
 * negative errno (*ret_why says why). */
int policy_fast_apply(Apply *a, int store_fd, const FastEdit *e, char **ret_why, char **ret_missing);

/* Finishes an edit a crash interrupted (nothing without its record). Returns 0, -ESTALE when it
 * cannot be finished (the policy must be rebuilt), or another negative errno (*ret_why says why). */
int policy_fast_mend(Apply *a, int store_fd, char **ret_why);

/* Whether the store 'store_fd' has an interrupted edit to finish. */
bool policy_fast_interrupted(int store_fd);

/* policy-fcontexts.c (the rules read are in policy.h): stages the rule 'path' of 'file_type' in the transaction of
 * 'sh': set to 'type' and 'range' (NULL: "s0" on an MLS policy, none otherwise), or, with 'type' NULL, removed.
 * Returns 0, or -EIO (libsemanage said why). */
int policy_fcontext_stage(semanage_handle_t *sh, const char *path, const char *file_type, const char *type,
                          const char *range);

/* The local equivalences: "SOURCE TARGET" pairs, in the file's order. */
typedef struct LocalSubs {
        char **sources, **targets;
} LocalSubs;

void local_subs_done(LocalSubs *s);
/* Reads the file_contexts.subs of the policy directory 'policy_fd' (/etc/selinux/<type>; none: empty).
 * Returns 0 or a negative errno. */
int local_subs_read(int policy_fd, LocalSubs *ret);
/* The target of the local equivalence of 'source', or NULL. */
const char *local_subs_find(const LocalSubs *s, const char *source);
/* Sets (or, with 'target' NULL, removes) the equivalence of 'source': a new one goes last, as
 * semanage adds it. Returns 0 or -ENOMEM. */
int local_subs_set(LocalSubs *s, const char *source, const char *target);
/* Writes file_contexts.subs as semanage does ("SOURCE TARGET" lines), atomically, keeping the old
 * file's mode (0644 for a new one) and labelled as file_contexts.subs_dist beside it. Returns 0 or a
 * negative errno. */
int local_subs_write(int policy_fd, const LocalSubs *s);
/* policy-ports.c, in a libsemanage transaction: labels the port range as semanage port -a (or -m)
 * does, the range given or none; or removes the store's own label of it (semanage port -d).
 * Return 0, -EINVAL for an unknown protocol, -ENOMEM, or -EIO (libsemanage said why). */
int policy_ports_set(semanage_handle_t *sh, const char *protocol, unsigned low, unsigned high, const char *type,
                     const char *range);
int policy_ports_del(semanage_handle_t *sh, const char *protocol, unsigned low, unsigned high);

/* policy-permissive.c, in a libsemanage transaction: installs or removes the module that makes 'type'
 * permissive, as semanage permissive -a, -d. Returns 0, -ENOMEM, or -EIO (libsemanage said why). */
int policy_permissive_set(semanage_handle_t *sh, const char *type, bool permissive);

/* policy-module-state.c, in a libsemanage transaction: enables or disables the module 'name' at every
 * priority, as semodule -e, -d. Returns 0, -ENOMEM, or -EIO (libsemanage said why). */
int policy_module_state_set(semanage_handle_t *sh, const char *name, bool enabled);
