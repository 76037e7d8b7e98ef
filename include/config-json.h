/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The effective config as a JSON document, for show-config --json and status.json. */
#pragma once

#include <json-c/json.h>

#include "config-load.h"

/* {"mode": {"value": ..., "source": ..., "line": ..., "column": ...} or null, ..., "booleans": [...],
 * "modules": [...]}. Returns a new object or NULL when out of memory. */
json_object *config_to_json(const Config *c);

/* [{"path": ..., "level": ..., "state": ..., "format": ...}, ...]. Returns a new array or NULL. */
json_object *config_sources_to_json(const ConfigSources *s);

/* [{"file": ..., "line": ..., "column": ..., "message": ..., "level": "error"|"warning"}, ...]. */
json_object *diags_to_json(const Diags *d);

/* Writes 'o' to 'f' pretty-printed, with a final newline. Returns 0 or -EIO. */
int json_print(json_object *o, FILE *f);
