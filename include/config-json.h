/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The effective config as a JSON document, for show-config --json and status.json. */
#pragma once

#include <json-c/json.h>

#include "config-load.h"

/* {"mode": {"value": ..., "source": ..., "line": ..., "column": ...} or null, ..., "booleans": [...],
 * "modules": [...]}. Returns a new object or NULL when out of memory. */
json_object *config_json(const Config *c);

/* [{"path": ..., "level": ..., "state": ..., "format": ...}, ...]. Returns a new array or NULL. */
json_object *config_json_sources(const ConfigSources *s);

/* [{"file": ..., "line": ..., "column": ..., "message": ..., "level": "error"|"warning"}, ...]. */
json_object *config_json_diags(const Diags *d);
