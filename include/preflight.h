/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Preflight checks, run before any action; the policy checks also for seprov validate --root. */
#pragma once

#include "apply.h"

/* Refuses a request that cannot work (enforcing with selinux=0, no /etc/selinux/config to set a mode
 * in, no compiled policy for SELINUXTYPE, a boolean the policy does not have, a module source that
 * cannot be installed) and warns about what Flatcar lists as incompatible with enforcing (Btrfs
 * volumes: PID 1's mount table, or /etc/fstab for an offline root). Problems with the config's
 * entries go to a->ctx->diags at the entry's origin.
 * Returns 0 to go on, 1 when refused (a->report.error says why), or a negative errno. */
int preflight(Apply *a);

/* preflight-policy.c: checks the entries of 'c' against the root's policy, before anything changes:
 * each module source passes module_source_check(); each boolean is in the compiled policy of
 * /etc/selinux/<type> (what the store's copy starts from, before the first copy the image's; after
 * an OS update, while the copy is stale, the new image store's active/policy.kern, which the
 * rebuild starts from), or a module the config installs declares it. Booleans in 'known' (optional; "name" or
 * "name=value") exist for certain and are not looked up, so that the policy is read (with libsepol) only when a
 * boolean needs it; 'booleans' false skips the booleans. Each problem is an error in 'diags' at the
 * entry's origin, with the nearest boolean of the policy for a misspelling.
 * Returns 0, or a negative errno when the compiled policy cannot be read (*ret_why says why). */
/* preflight-policy.c: the permissive domains, ports and module states of 'c' against the root's policy
 * and store: a permissive domain is a type of the policy (a warning when the policy's "domain" attribute
 * does not have it: semanage checks no more than that it is a type), a port's type is a type with the
 * policy's "port_type" attribute (as semanage checks), a module whose state is set is in the store at
 * some priority; a type a module of the config declares counts. What the store already has as asked
 * is not looked up, so that the policy is read only when an entry needs it. Each problem goes to
 * 'diags' at the entry's origin, with the nearest name for a misspelling.
 * Returns 0, or a negative errno when the compiled policy cannot be read (*ret_why says why). */
int preflight_policy_workload(int root_fd, const Layout *l, const Config *c, Diags *diags, char **ret_why);

int preflight_policy(int root_fd, const Layout *l, const Config *c, char *const *known, bool booleans, Diags *diags,
                     char **ret_why);

/* preflight-policy.c: refuses the changes of 'c' that need a writable policy store ("dontaudit":
 * false, modules to install) when the store will be the image's, read-only, after the store action:
 * "store": "image" in 'c', or, with the root's layout 'l' (optional: without it only 'c' is looked
 * at, as for one file of several), no "store" set and the root's store being the image's. Each is an
 * error in 'diags' at the entry's origin, naming why the store is read-only. Booleans are not
 * refused: with the image's store they are set at runtime only (seprov(8)).
 * Returns 0 or -ENOMEM. */
int preflight_store_changes(const Layout *l, const Config *c, Diags *diags);

/* preflight-equivalence.c: refuses each file context rule of 'c' that an equivalence makes dead (its
 * paths lie under the source of one: the config's, the installed file_contexts.subs, or the
 * distribution's file_contexts.subs_dist of /etc/selinux/<type> in the root), as an error in 'diags'
 * at the rule's origin naming the equivalence, where it comes from, and the rule to write instead;
 * and each equivalence of 'c' semanage fcontext -a -e would refuse beside those (under another's
 * source, or holding one). Returns 0 or a negative errno when a .subs file cannot be read. */
int preflight_equivalence_trap(int root_fd, const Layout *l, const Config *c, Diags *diags);
