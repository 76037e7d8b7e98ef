/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The cause of each group of denials, computed against the policy the machine loads. */
#pragma once

#include "check-group.h"
#include "kpolicy.h"

/* "rule", "boolean", "constraint", "allowed", "unknown-type", "unlabeled", "role"; NULL otherwise. */
const char *check_cause_to_string(CheckCause c);

/* Reads the policy to compute causes against: 'policy_file' when given (a path on this machine),
 * else the newest /etc/selinux/<SELINUXTYPE>/policy/policy.NN under 'root' (NULL: "/"), the type
 * from the root's /etc/selinux/config. *ret_path gets the path read, as given or inside the root.
 * Returns 0, -ENOENT when the root has no compiled policy (logged as a warning: causes are then not
 * computed), or another negative errno (logged, with libsepol's words). */
int check_cause_policy_read(const char *root, const char *policy_file, KPolicy **ret, char **ret_path);

/* Computes every group's cause, booleans and constraint against 'p'. Returns 0 or -ENOMEM. */
int check_cause_compute(KPolicy *p, DenialSet *set);
