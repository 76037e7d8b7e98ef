/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /run/seprov/status.json: one entry per stage ("initrd", "system") and "last". */
#pragma once

#include <json-c/json.h>

#include "apply-run.h"

/* The entry of one apply in status.json: stage, root, result, dryRun, time, usec, error, actions, warnings,
 * diagnostics, config. Returns a new object or NULL when out of memory. */
json_object *status_entry_new(const Apply *a, ApplyResult result);

/* Replaces the entry of the context's stage in <run>/seprov/status.json (creating it), atomically; the
 * other stage's entry stays. Returns 0 or a negative errno. */
int status_write(const Context *c, json_object *entry);

/* Reads <run>/seprov/status.json. Returns 0, -ENOENT when there is none, -EBADMSG when it is not a
 * JSON object, or another negative errno. */
int status_read(int run_fd, json_object **ret);
