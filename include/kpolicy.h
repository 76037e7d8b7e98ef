/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The compiled kernel policy (policy.NN, the file PID 1 loads) through libsepol: found, read, its
 * names looked up, written back. Edits and access decisions build on it (kpolicy-*.c). */
#pragma once

#include <stdbool.h>

#include "fileio.h"
#include "macro.h"

typedef struct KPolicy KPolicy;

/* The newest compiled policy of type 'type' in the root ("/etc/selinux/<type>/policy/policy.NN",
 * the highest NN), as a path inside the root in *ret. Returns 0, -ENOENT when there is none, or
 * another negative errno. */
int kpolicy_find(int root_fd, const char *type, char **ret);

/* Reads the policy file 'path' (under 'dir_fd'; symlinks are followed inside it). On failure
 * *ret_why (optional) gets libsepol's own first error message, or seprov's reason.
 * Returns 0 or a negative errno (-EINVAL: not a policy libsepol can read). */
int kpolicy_read_at(int dir_fd, const char *path, KPolicy **ret, char **ret_why);

/* Reads a policy from the 'size' bytes at 'data' (a policy file's content), as kpolicy_read_at().
 * Returns 0 or a negative errno (-EINVAL: not a policy libsepol can read). */
int kpolicy_read_mem(const void *data, size_t size, KPolicy **ret, char **ret_why);

KPolicy *kpolicy_free(KPolicy *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(KPolicy *, kpolicy_free);
#define _cleanup_kpolicy_free_ _cleanup_(kpolicy_freep)

/* What the policy defines, by name. A type is a type, not an attribute. */
bool kpolicy_has_type(const KPolicy *p, const char *name);
bool kpolicy_has_attribute(const KPolicy *p, const char *name);
bool kpolicy_has_role(const KPolicy *p, const char *name);
bool kpolicy_has_user(const KPolicy *p, const char *name);
bool kpolicy_has_class(const KPolicy *p, const char *name);
/* Whether the type 'type' (or alias) has the attribute 'attribute' (refpolicy's "domain", "port_type").
 * False when either is not in the policy. */
bool kpolicy_type_has_attribute(const KPolicy *p, const char *type, const char *attribute);

/* The policy's type closest to 'name' (for "did you mean"), among those with the attribute 'attribute'
 * when it is not NULL and the policy has it; NULL when none is close. Borrowed from the policy. */
const char *kpolicy_type_nearest(const KPolicy *p, const char *name, const char *attribute);

/* The default state of the boolean 'name' (what a boot loads): 1 or 0, or -ENOENT when the policy
 * has no such boolean. */
int kpolicy_boolean_get(const KPolicy *p, const char *name);

/* The policy's boolean whose name is closest to 'name' (for "did you mean"), or NULL when none is
 * close. Borrowed from the policy. */
const char *kpolicy_boolean_nearest(const KPolicy *p, const char *name);

/* Whether 'range' ("s0-s0:c0.c1023") is an MLS range of the policy, as libsepol checks it. Returns 0,
 * or -EINVAL with *ret_why (optional) saying why (to free). */
int kpolicy_range_check(KPolicy *p, const char *range, char **ret_why);

/* The policy version (e.g. 33) and whether it is MLS/MCS. */
unsigned kpolicy_version(const KPolicy *p);
bool kpolicy_mls(const KPolicy *p);

/* kpolicy-module.c: the booleans a policy module package (.pp) declares (not those it only requires),
 * in *ret (NULL when none). Returns 0, -EINVAL when libsepol cannot read it as a module package, or
 * -ENOMEM. */
int kpolicy_module_booleans(const void *data, size_t size, char ***ret);
/* The same for the types it declares (not attributes). */
int kpolicy_module_types(const void *data, size_t size, char ***ret);

/* kpolicy-module.c: the types a policy module package declares, as kpolicy_module_booleans(). */
int kpolicy_module_types(const void *data, size_t size, char ***ret);

/* kpolicy-cil.c: parses a module's source as libsemanage will before compiling it: CIL ('cil' true)
 * with libsepol's CIL parser, messages naming the source 'name'; otherwise as a module package.
 * Nothing is resolved against a policy. On failure *ret_why (optional) gets libsepol's first error.
 * Returns 0, -EINVAL when it does not parse, or -ENOMEM. */
int kpolicy_module_parse(const void *data, size_t size, bool cil, const char *name, char **ret_why);

/* The newest policy version this libsepol writes (what libsemanage installs as policy.NN when
 * semanage.conf names no policy-version). */
unsigned kpolicy_version_max(void);

/* The policy as the bytes of a policy file, in a new buffer *ret of *ret_size bytes. Returns 0 or
 * a negative errno; *ret_why (optional) as for kpolicy_read_at(). */
int kpolicy_image(KPolicy *p, void **ret, size_t *ret_size, char **ret_why);

/* Writes the policy atomically as 'name' in 'dir_fd' (see write_file_atomic_at()). Returns 0 or a
 * negative errno; *ret_why (optional) as for kpolicy_read_at(). */
int kpolicy_write_at(KPolicy *p, int dir_fd, const char *name, const WriteOptions *opts, char **ret_why);

/* kpolicy-access.c: why the policy denies an access, as the kernel would decide it. */
typedef enum KPolicyAccessResult {
        KPOLICY_ACCESS_ALLOWED,    /* the policy allows it as it is */
        KPOLICY_ACCESS_TE,         /* no allow rule grants it, and no boolean on its own would */
        KPOLICY_ACCESS_BOOLEAN,    /* booleans: each, set to its value, would allow it */
        KPOLICY_ACCESS_CONSTRAINT, /* a constraint (MLS/MCS, UBAC...) denies it: 'what' is its text */
        KPOLICY_ACCESS_ROLE,       /* a role allow rule, role-type or user-role association is missing */
        KPOLICY_ACCESS_BOUNDS,     /* the source type's typebounds deny it */
        KPOLICY_ACCESS_UNKNOWN,    /* 'what' names a type, role, user, class or permission not defined */
        KPOLICY_ACCESS_INVALID,    /* a context the policy cannot take for another reason ('what') */
} KPolicyAccessResult;

typedef struct KPolicyBoolean {
        char *name;
        bool value; /* the value that allows the access */
} KPolicyBoolean;

typedef struct KPolicyAccess {
        KPolicyAccessResult result;
        char *what; /* what denies it, in words; NULL for ALLOWED, TE and BOOLEAN */
        KPolicyBoolean *booleans;
        size_t n_booleans;
} KPolicyAccess;

/* Computes the access of 'scontext' to 'tcontext' of class 'tclass' for 'perms' (NULL-terminated)
 * with libsepol, as audit2why does: the reason it is denied and, when an allow rule is missing,
 * each boolean that on its own would allow it (the booleans' current values are the policy's
 * defaults). Every name is checked against the policy first, and one it does not define is said.
 * libsepol's security server is process-wide: the last policy asked about answers.
 * Returns 0 with *ret set, or -ENOMEM. */
int kpolicy_access_explain(KPolicy *p, const char *scontext, const char *tcontext, const char *tclass,
                           char *const *perms, KPolicyAccess *ret);
void kpolicy_access_done(KPolicyAccess *a);

/* kpolicy-edit.c: edits that need no rebuild. Each changes the policy in memory only. */

/* Removes every dontaudit rule, plain and conditional, extended ones (dontauditx) included, as a
 * build with dontaudit disabled leaves the policy. *ret_removed (optional) gets how many.
 * Returns 0, -EUCLEAN when the conditional rules and their lists disagree (nothing is safe to
 * write then), or a negative errno. */
int kpolicy_dontaudit_strip(KPolicy *p, size_t *ret_removed);

/* Sets the default state of the boolean 'name'. The conditional rules follow only after
 * kpolicy_booleans_evaluate(). Returns 0 or -ENOENT when the policy has no such boolean. */
int kpolicy_boolean_set(KPolicy *p, const char *name, bool value);

/* Re-evaluates every conditional rule from the booleans' states. Returns 0 or a negative errno. */
int kpolicy_booleans_evaluate(KPolicy *p);

/* Puts the rules in the order a libsemanage rebuild (CIL) writes them, which a read loses: the
 * rules' table at CIL's size, each file system's genfscon entries sorted by path. The policy means
 * the same either way; only the file's bytes differ. Returns 0 or -ENOMEM. */
int kpolicy_order_as_built(KPolicy *p);

/* kpolicy-patch.c: booleans set in a policy file's bytes, without reading it into libsepol. */

/* Sets the default state of each boolean names[i] to values[i] in the policy file 'data' (in
 * place), and re-evaluates the conditional rules as kpolicy_booleans_evaluate() does: the bytes
 * libsepol writes after reading the file, setting the booleans and evaluating, in the file's own
 * rule order. Returns 0; -ENOENT when the policy has no boolean names[*ret_missing]; -EBADMSG when
 * the file is not one this parser knows (another policy version, a damaged file: libsepol must do
 * it). On failure the bytes may be half patched: patch a copy. */
int kpolicy_patch_booleans(void *data, size_t size, char *const *names, const bool *values, size_t n,
                           size_t *ret_missing);
