/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Config, sources and diagnostics as JSON, through json-c. */

#include "config-json.h"
#include "macro.h"

/* json-c's add functions take ownership even when they fail, so a NULL member just stays NULL. */
static void put(json_object *o, const char *key, json_object *v) {
        json_object_object_add(o, key, v);
}

static json_object *origin_fields(json_object *o, const Origin *origin) {
        /* Always present: null where there is no place (a built-in default, a whole file). */
        put(o, "source", json_object_new_string(origin->file ?: "built-in default"));
        put(o, "line", origin->file && origin->line > 0 ? json_object_new_int((int) origin->line) : NULL);
        put(o, "column", origin->file && origin->column > 0 ? json_object_new_int((int) origin->column) : NULL);
        return o;
}

static json_object *setting(json_object *value, const Origin *origin) {
        json_object *o = json_object_new_object();

        if (!o) {
                json_object_put(value);
                return NULL;
        }
        put(o, "value", value);
        return origin_fields(o, origin);
}

static json_object *string_setting(const char *value, const Origin *origin) {
        return value ? setting(json_object_new_string(value), origin) : NULL;
}

static json_object *bool_setting(int value, const Origin *origin) {
        return value >= 0 ? setting(json_object_new_boolean(value), origin) : NULL;
}

static json_object *booleans_to_json(const Config *c) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; a && i < c->n_booleans; i++) {
                json_object *o = json_object_new_object();
                if (!o)
                        break;
                put(o, "name", json_object_new_string(c->booleans[i].name));
                put(o, "value", json_object_new_boolean(c->booleans[i].value));
                json_object_array_add(a, origin_fields(o, &c->booleans[i].origin));
        }
        return a;
}

static json_object *modules_to_json(const Config *c) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; a && i < c->n_modules; i++) {
                json_object *o = json_object_new_object();
                if (!o)
                        break;
                put(o, "name", json_object_new_string(c->modules[i].name));
                /* A module of the store whose state the config sets has no source, nor a priority of its own. */
                put(o, "path",
                    config_module_installs(&c->modules[i]) ? json_object_new_string(c->modules[i].source) : NULL);
                put(o, "priority",
                    config_module_installs(&c->modules[i]) ? json_object_new_int((int) c->modules[i].priority) : NULL);
                put(o, "state",
                    json_object_new_string(c->modules[i].enabled == 0  ? "disabled"
                                           : c->modules[i].enabled > 0 ? "enabled"
                                                                       : "present"));
                json_object_array_add(a, origin_fields(o, &c->modules[i].origin));
        }
        return a;
}

static json_object *file_contexts_to_json(const Config *c) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; a && i < c->n_file_contexts; i++) {
                const ConfigFileContext *f = &c->file_contexts[i];
                json_object *o = json_object_new_object();
                if (!o)
                        break;
                put(o, "path", json_object_new_string(f->path));
                put(o, "fileType", json_object_new_string(f->file_type));
                put(o, "type", json_object_new_string(f->type));
                put(o, "range", f->range ? json_object_new_string(f->range) : NULL);
                json_object_array_add(a, origin_fields(o, &f->origin));
        }
        return a;
}

static json_object *permissive_to_json(const Config *c) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; a && i < c->n_permissive; i++) {
                json_object *o = json_object_new_object();
                if (!o)
                        break;
                put(o, "name", json_object_new_string(c->permissive[i].name));
                json_object_array_add(a, origin_fields(o, &c->permissive[i].origin));
        }
        return a;
}

static json_object *equivalences_to_json(const Config *c) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; a && i < c->n_equivalences; i++) {
                json_object *o = json_object_new_object();
                if (!o)
                        break;
                put(o, "path", json_object_new_string(c->equivalences[i].path));
                put(o, "sameAs", json_object_new_string(c->equivalences[i].same_as));
                json_object_array_add(a, origin_fields(o, &c->equivalences[i].origin));
        }
        return a;
}

static json_object *ports_to_json(const Config *c) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; a && i < c->n_ports; i++) {
                const ConfigPort *p = &c->ports[i];
                json_object *o = json_object_new_object();
                char port[CONFIG_PORT_STRING_MAX];

                if (!o)
                        break;
                put(o, "protocol", json_object_new_string(p->protocol));
                put(o, "port",
                    json_object_new_string(config_port_string(p->protocol, p->low, p->high,
                                                              /* protocol_only= */ true, port, sizeof port)));
                put(o, "type", json_object_new_string(p->type));
                put(o, "range", p->range ? json_object_new_string(p->range) : NULL);
                json_object_array_add(a, origin_fields(o, &p->origin));
        }
        return a;
}

json_object *config_json(const Config *c) {
        Origin builtin = {};
        json_object *o = json_object_new_object(), *audit;

        assert(c);

        if (!o)
                return NULL;
        put(o, "mode", string_setting(selinux_mode_to_string(c->mode), &c->mode_origin));
        put(o, "store", string_setting(store_mode_to_string(c->store), &c->store_origin));
        put(o, "discardLocalChanges", bool_setting(c->discard_local_changes, &c->discard_local_changes_origin));
        audit = json_object_new_object();
        if (audit)
                put(audit, "selinuxEvents", bool_setting(c->audit_selinux_events, &c->audit_origin));
        put(o, "audit", audit);
        put(o, "dontaudit", bool_setting(c->dontaudit, &c->dontaudit_origin));
        put(o, "booleans", booleans_to_json(c));
        put(o, "modules", modules_to_json(c));
        put(o, "fileContexts", file_contexts_to_json(c));
        put(o, "fileContextEquivalences", equivalences_to_json(c));
        put(o, "permissiveDomains", permissive_to_json(c));
        put(o, "ports", ports_to_json(c));
        /* onFailure always has an effective value: "continue" unless asked otherwise. */
        put(o, "onFailure",
            c->on_failure >= 0 ? string_setting(on_failure_to_string(c->on_failure), &c->on_failure_origin)
                               : string_setting("continue", &builtin));
        return o;
}

json_object *config_json_sources(const ConfigSources *s) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; a && s && i < s->n; i++) {
                const ConfigSource *src = &s->items[i];
                json_object *o = json_object_new_object();
                if (!o)
                        break;
                put(o, "path", json_object_new_string(src->path));
                put(o, "level", json_object_new_string(config_level_to_string(src->level)));
                put(o, "state", json_object_new_string(source_state_to_string(src->state)));
                put(o, "format",
                    src->format >= 0 ? json_object_new_string(config_format_to_string(src->format)) : NULL);
                json_object_array_add(a, o);
        }
        return a;
}

json_object *config_json_diags(const Diags *d) {
        json_object *a = json_object_new_array();

        assert(d);

        for (size_t i = 0; a && i < d->n; i++) {
                const Diag *g = &d->items[i];
                json_object *o = json_object_new_object();
                if (!o)
                        break;
                put(o, "level",
                    json_object_new_string(g->level == DIAG_ERROR  ? "error"
                                           : g->level == DIAG_NOTE ? "note"
                                                                   : "warning"));
                put(o, "file", json_object_new_string(g->file));
                /* A problem of the whole file has no position: null, never a line 0. */
                put(o, "line", g->line > 0 ? json_object_new_int((int) g->line) : NULL);
                put(o, "column", g->column > 0 ? json_object_new_int((int) g->column) : NULL);
                put(o, "message", json_object_new_string(g->message));
                json_object_array_add(a, o);
        }
        return a;
}
