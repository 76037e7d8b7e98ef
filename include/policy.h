/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The policy actions of seprov apply: dontaudit, booleans and modules, through libsemanage in a
 * writable store, or booleans at runtime when the store is the image's. */
#pragma once

#include "apply.h"

/* In a writable store: the modules and booleans seprov set (policy-manifest.c), so that it undoes only
 * those; carried into a new copy after an OS update. */
#define POLICY_MANIFEST_FILE ".seprov-managed"

/* libsemanage's record of the booleans set in a store (semanage boolean -m, setsebool -P). */
#define POLICY_BOOLEANS_LOCAL "active/booleans.local"

/* The local booleans of the store 'store_fd', each as "name=on", "name=off", or "name=?" for a value
 * that is not a boolean; none when the store has no such file. Returns 0 or a negative errno. */
int policy_booleans_read(int store_fd, char ***ret);

/* policy-modules.c: a module's source, checked before libsemanage sees it. */
typedef struct ModuleSource {
        char *data;
        size_t size;
        char *digest;
        const char *lang; /* "cil" or "pp", from the file name */
} ModuleSource;

void module_source_done(ModuleSource *s);

/* Checks the source 'path' of a module under the root without reading it: an absolute path inside
 * the root, a regular file owned by root and not writable by group or others, named *.cil or *.pp.
 * On refusal *ret_reason says why. Returns 0, -EPERM (refused), or another negative errno. */
int module_source_check(int root_fd, const char *path, const char **ret_reason);

/* Reads the source of a module under the root, after the checks of module_source_check() on the
 * file it reads. Returns 0, -EPERM (refused; *ret_reason says why), or another negative errno. */
int module_source_read(int root_fd, const char *path, ModuleSource *ret, const char **ret_reason);

/* Parses the source read from 'path' as libsemanage will (kpolicy_module_parse()): a source that does
 * not parse is refused before anything changes. Returns 0, -EINVAL (*ret_why: libsepol's words, naming
 * 'path'), or -ENOMEM. */
int module_source_parse(const ModuleSource *s, const char *path, char **ret_why);

/* The booleans the module declares, in *ret (NULL when none): a CIL source's boolean and tunable
 * statements (inside blocks: BLOCK.NAME), a package's as libsepol reads it. Returns 0, -EINVAL when
 * the source cannot be read as its language, or -ENOMEM. */
int module_source_booleans(const ModuleSource *s, char ***ret);

/* The types the module declares, in *ret (NULL when none): a CIL source's type and typealias
 * statements (inside blocks: BLOCK.NAME), a package's as libsepol reads it. Returns 0, -EINVAL when
 * the source cannot be read as its language, or -ENOMEM. */
int module_source_types(const ModuleSource *s, char ***ret);

/* dontaudit, modules and booleans as the config asks: one libsemanage transaction and at most one
 * rebuild when the store is writable; otherwise booleans on the live kernel (system stage only) and
 * the rest reported as needing store: writable. Returns 0 or a negative errno, after reporting. */
int action_policy(Apply *a);

/* Rebuilds the policy of the writable store (semodule -B): after an OS update carried local changes
 * into a new copy. Returns 0 or a negative errno (logged; *ret_why says why, in libsemanage's words
 * where it gave some). */
int policy_rebuild(Apply *a, char **ret_why);

/* policy-fcontexts.c: the store's local file context rules (active/file_contexts.local, as libsemanage
 * writes it) and the installed local equivalences (contexts/files/file_contexts.subs, as semanage
 * fcontext -a -e writes it), read without libsemanage. */
typedef struct LocalFcontext {
        char *path;
        const char *file_type; /* one of config_file_type_names */
        char *type;            /* NULL for <<none>> */
        char *range;           /* NULL when the context has none */
} LocalFcontext;

typedef struct LocalFcontexts {
        LocalFcontext *items;
        size_t n;
} LocalFcontexts;

void local_fcontexts_done(LocalFcontexts *l);
/* Reads active/file_contexts.local of the store 'store_fd' (none: empty). Returns 0, -EBADMSG for a
 * line libsemanage would not have written, or another negative errno. */
int local_fcontexts_read(int store_fd, LocalFcontexts *ret);
const LocalFcontext *local_fcontexts_find(const LocalFcontexts *l, const char *path, const char *file_type);
/* Whether the local rule already is what the config asks: the same type, and the same range (none
 * asked: none, or "s0", which semanage and seprov give on an MLS policy). */
bool local_fcontext_matches(const LocalFcontext *f, const ConfigFileContext *c);
/* policy-ports.c: the port labels of the store's ports.local (semanage port -a, -m). */
#define POLICY_PORTS_LOCAL "active/ports.local"

typedef struct PolicyPort {
        char *protocol;
        unsigned low, high;
        char *context;
} PolicyPort;

typedef struct PolicyPorts {
        PolicyPort *items;
        size_t n;
} PolicyPorts;

void policy_ports_done(PolicyPorts *p);
/* The records of the store's ports.local, none without one. Returns 0 or a negative errno. */
int policy_ports_local_read(int store_fd, PolicyPorts *ret);
/* The record of exactly that protocol and range, or NULL. */
const PolicyPort *policy_ports_find(const PolicyPorts *p, const char *protocol, unsigned low, unsigned high);
/* Whether the record labels the port as semanage port -a would with 'type' and 'range' (NULL: none
 * given). */
bool policy_port_matches(const PolicyPort *p, const char *type, const char *range);

/* policy-permissive.c: the modules semanage permissive -a installs. */
#define POLICY_PERMISSIVE_PREFIX   "permissive_"
#define POLICY_PERMISSIVE_PRIORITY 400

/* Whether the store has the module that makes 'type' permissive, as semanage permissive -a leaves it. */
bool policy_permissive_present(int store_fd, const char *type);
/* The permissive domains seprov set in the store (its manifest says), that the store still has, in
 * *ret (NULL: none). Returns 0 or a negative errno. */
int policy_permissive_managed(int store_fd, char ***ret);

/* policy-module-state.c: whether a module of the store is enabled. Returns 1 (enabled), 0 (disabled),
 * -ENOENT when the store has no module of that name at any priority, or another negative errno. */
int policy_module_state_get(int store_fd, const char *name);
/* The names of the store's modules, at any priority (for "did you mean"). Returns 0 or -errno. */
int policy_module_state_names(int store_fd, char ***ret);

/* The installed file_contexts of the root's policy (its rules, modules' filecons among them) and its
 * file_contexts.local, read before a rebuild, an OS update's copy or a return to the image's store; NULL when it
 * cannot be read (logged: nothing that changes in it is relabelled then). */
char *policy_file_contexts_read(Apply *a);

/* What changed in the installed file_contexts since 'before' (policy_file_contexts_read()'s, split
 * in place): the regexes of the rules added, changed or removed go to the targeted relabel and to
 * status.json's fileContextsChanged, so that a module's filecon relabels the files it reaches as a
 * fileContexts entry does. Returns 0 or -ENOMEM. */
int policy_file_contexts_record_changes(Apply *a, char *before);
