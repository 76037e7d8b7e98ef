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

/* dontaudit, modules and booleans as the config asks: one libsemanage transaction and at most one
 * rebuild when the store is writable; otherwise booleans on the live kernel (system stage only) and
 * the rest reported as needing store: writable. Returns 0 or a negative errno, after reporting. */
int action_policy(Apply *a);

/* Rebuilds the policy of the writable store (semodule -B): after an OS update carried local changes
 * into a new copy. Returns 0 or a negative errno (logged; *ret_why says why, in libsemanage's words
 * where it gave some). */
int policy_rebuild(Apply *a, char **ret_why);
