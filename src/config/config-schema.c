/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The config schema (seprov(8), INPUTS): validates a positioned document and fills one config layer. */

#include <ctype.h>

#include "config.h"
#include "strutil.h"

#define CONFIG_MAJOR 1

typedef struct Schema {
        const char *file;
        Diags *diags;
        Config *c;
} Schema;

/* What recording an error returns: -EINVAL, or -ENOMEM when it could not be recorded. */
static int schema_failed(int r) {
        return r < 0 ? r : -EINVAL;
}

/* Records an error at a key or a value. Returns -EINVAL, or -ENOMEM. */
#define schema_error_at(s, line, column, ...) \
        schema_failed(diag_error((s)->diags, (s)->file, (line), (column), __VA_ARGS__))

/* Keeps the worst result: -ENOMEM over -EINVAL over 0. */
static int worst(int a, int b) {
        if (a == -ENOMEM || b == -ENOMEM)
                return -ENOMEM;
        return a < 0 ? a : b;
}

#define schema_error(s, n, ...) schema_error_at((s), (n)->line, (n)->column, __VA_ARGS__)

static int type_error(Schema *s, const Node *n, const char *where, const char *expected) {
        return schema_error(s, n, "\"%s\" must be %s, not %s", where, expected, node_type_describe(n->type));
}

static int unknown_key(Schema *s, const Node *m, const char *where, const char *const *allowed) {
        const char *near = string_nearest(m->key, allowed);

        if (near)
                return schema_error_at(s, m->key_line, m->key_column, "unknown key \"%s\" in %s, did you mean \"%s\"?",
                                       m->key, where, near);
        return schema_error_at(s, m->key_line, m->key_column, "unknown key \"%s\" in %s", m->key, where);
}

/* Every member of 'obj' must be one of 'allowed'; misspellings get a suggestion. */
static int check_keys(Schema *s, const Node *obj, const char *where, const char *const *allowed) {
        int r = 0;

        for (size_t i = 0; i < obj->n_items; i++) {
                bool known = false;

                for (const char *const *a = allowed; *a; a++)
                        known = known || streq(*a, obj->items[i]->key);
                if (!known)
                        r = worst(r, unknown_key(s, obj->items[i], where, allowed));
        }
        return r;
}

static int set_origin(Origin *o, const char *file, const Node *n) {
        free(o->file);
        free(o->within);
        *o = (Origin){ .file = strdup(file), .line = n->line, .column = n->column };
        return o->file ? 0 : -ENOMEM;
}

static int get_bool(Schema *s, const Node *n, const char *where, int *ret, Origin *origin) {
        /* "on", "yes", "1" in quotes: what was meant is plain. */
        if (n->type == NODE_STRING && parse_boolean(n->string) >= 0)
                return schema_error(s, n,
                                    "\"%s\" must be true or false, not the string \"%s\"; write %s, without quotes",
                                    where, n->string, parse_boolean(n->string) ? "true" : "false");
        if (n->type != NODE_BOOL)
                return type_error(s, n, where, "true or false");
        *ret = n->boolean;
        return origin ? set_origin(origin, s->file, n) : 0;
}

static int get_enum(Schema *s, const Node *n, const char *where, const char *const *names,
                    int (*from_string)(const char *), int *ret, Origin *origin) {
        _cleanup_free_ char *allowed = strv_join_or(names);
        int v;

        if (!allowed)
                return -ENOMEM;
        /* YAML reads a plain off, no or on as a boolean: "mode: off" is not the word. */
        if (n->type == NODE_BOOL && n->yaml_word)
                return schema_error(s, n,
                                    "\"%s\" must be %s, not a boolean (YAML reads a plain on, off, yes or no as one: "
                                    "quote the word)",
                                    where, allowed);
        if (n->type != NODE_STRING)
                return type_error(s, n, where, allowed);
        v = from_string(n->string);
        if (v < 0 && string_nearest(n->string, names))
                return schema_error(s, n, "\"%s\" must be %s, not \"%s\"; did you mean \"%s\"?", where, allowed,
                                    n->string, string_nearest(n->string, names));
        if (v < 0)
                return schema_error(s, n, "\"%s\" must be %s, not \"%s\"", where, allowed, n->string);
        *ret = v;
        return set_origin(origin, s->file, n);
}

static int check_version(Schema *s, const Node *root) {
        const Node *v = node_get(root, "version");
        unsigned major, minor, patch;
        int consumed = 0;

        if (!v)
                return schema_error(s, root,
                                    "missing \"version\": a seprov config starts with \"version\": \"1.0.0\"");
        if (v->type != NODE_STRING)
                return type_error(s, v, "version", "a string such as \"1.0.0\"");
        if (sscanf(v->string, "%u.%u.%u%n", &major, &minor, &patch, &consumed) != 3 ||
            (v->string[consumed] != '\0' && v->string[consumed] != '-') || !isdigit((unsigned char) v->string[0]))
                return schema_error(s, v, "\"%s\" is not a version; write \"1.0.0\"", v->string);
        if (major != CONFIG_MAJOR)
                return schema_error(s, v,
                                    "unsupported config version \"%s\": this seprov reads version %d.x.y configs",
                                    v->string, CONFIG_MAJOR);
        return 0;
}

static bool valid_name(const char *s, bool letter_first, const char *extra) {
        if (isempty(s) || strlen(s) > 255 || (letter_first && !isalpha((unsigned char) s[0])))
                return false;
        for (; *s; s++)
                if (!isalnum((unsigned char) *s) && !strchr(extra, *s))
                        return false;
        return true;
}

/* Module sources: absolute, no "..", no empty or "." components, a .cil or .pp file. */
static bool valid_source(const char *p) {
        const char *base;

        if (p[0] != '/' || strstr(p, "//") || strstr(p, "/./") || endswith(p, "/") || endswith(p, "/."))
                return false;
        if (strstr(p, "/../") || endswith(p, "/.."))
                return false;
        base = strrchr(p, '/') + 1;
        return endswith(base, ".cil") || endswith(base, ".pp");
}

static int config_file_type_from_string(const char *v) {
        for (int i = 0; config_file_type_names[i]; i++)
                if (streq(config_file_type_names[i], v))
                        return i;
        return -EINVAL;
}

static const char *const entry_states[] = { "present", "absent", NULL };

static int entry_state_from_string(const char *v) {
        for (int i = 0; entry_states[i]; i++)
                if (streq(entry_states[i], v))
                        return i;
        return -EINVAL;
}

/* An entry's "state", as every enumeration: the bad value quoted, with a did-you-mean. */
static int get_state(Schema *s, const Node *entry, const char *where, bool *ret_absent) {
        _cleanup_free_ char *path = strjoin(where, "[].state");
        const Node *st = node_get(entry, "state");
        Origin ignored = {};
        int v = 0, r;

        *ret_absent = false;
        if (!st)
                return 0;
        if (!path)
                return -ENOMEM;
        r = get_enum(s, st, path, entry_states, entry_state_from_string, &v, &ignored);
        free(ignored.file);
        if (r < 0)
                return r;
        *ret_absent = v == 1;
        return 0;
}

/* The first error of two results, -ENOMEM before any other. */
static int first_error(int r, int q) {
        return r == -ENOMEM || q == -ENOMEM ? -ENOMEM : r < 0 ? r : q;
}

/* The name of a list entry; required, and unique within one file. */
static int get_entry_name(Schema *s, const Node *entry, const Node *list, size_t index, const char *where,
                          bool letter_first, const char *extra, const char **ret) {
        const Node *name = node_get(entry, "name");

        if (!name)
                return schema_error(s, entry, "\"%s[]\": missing \"name\"", where);
        if (name->type != NODE_STRING) {
                _cleanup_free_ char *path = strjoin(where, "[].name");
                return path ? type_error(s, name, path, "a string") : -ENOMEM;
        }
        if (!valid_name(name->string, letter_first, extra))
                return schema_error(s, name, "\"%s\" is not a valid name in \"%s\"", name->string, where);
        for (size_t i = 0; i < index; i++) {
                const Node *other = node_get(list->items[i], "name");
                if (other && other->type == NODE_STRING && streq(other->string, name->string))
                        return schema_error(s, name, "\"%s\" is listed twice (first at line %u, column %u)",
                                            name->string, other->line, other->column);
        }
        *ret = name->string;
        return 0;
}

static int parse_boolean_entry(Schema *s, const Node *list, size_t index) {
        static const char *const keys[] = { "name", "value", "state", NULL };
        const Node *e = list->items[index], *v;
        ConfigBoolean b = {}, *n;
        const char *name = NULL;
        int q, r, value = 0;

        if (e->type != NODE_OBJECT)
                return type_error(s, e, "selinux.booleans[]", "an object with \"name\" and \"value\"");
        /* Every problem of the entry, not just its first. */
        r = check_keys(s, e, "\"selinux.booleans[]\"", keys);
        r = first_error(r,
                        get_entry_name(s, e, list, index, "selinux.booleans", /* letter_first= */ false, "_", &name));
        q = get_state(s, e, "selinux.booleans", &b.absent);
        r = first_error(r, q);
        v = node_get(e, "value");
        /* A bad state does not say whether a value is needed: said once, by the state. */
        if (!v && !b.absent && q >= 0)
                r = first_error(r, name ? schema_error(s, e, "boolean \"%s\": missing \"value\" (true or false)", name)
                                        : schema_error(s, e, "a boolean: missing \"value\" (true or false)"));
        if (v)
                r = first_error(r, get_bool(s, v, "selinux.booleans[].value", &value, /* origin= */ NULL));
        if (r < 0)
                return r;

        n = reallocarray(s->c->booleans, s->c->n_booleans + 1, sizeof(ConfigBoolean));
        if (!n)
                return -ENOMEM;
        s->c->booleans = n;
        b.value = value;
        b.name = strdup(name);
        if (!b.name || set_origin(&b.origin, s->file, v ?: e) < 0) {
                free(b.name);
                free(b.origin.file);
                return -ENOMEM;
        }
        s->c->booleans[s->c->n_booleans++] = b;
        return 0;
}

static int get_priority(Schema *s, const Node *e, unsigned *ret) {
        const Node *p = node_get(e, "priority");

        *ret = MODULE_PRIORITY_DEFAULT;
        if (!p)
                return 0;
        if (p->type != NODE_INT)
                return type_error(s, p, "selinux.modules[].priority", "an integer from 1 to 999");
        if (p->integer < 1 || p->integer > 999)
                return schema_error(s, p, "\"selinux.modules[].priority\" must be from 1 to 999, not %lld",
                                    (long long) p->integer);
        *ret = (unsigned) p->integer;
        return 0;
}

static int get_source(Schema *s, const Node *e, bool absent, const char *name, const char **ret) {
        const Node *src = node_get(e, "source");

        *ret = NULL;
        if (!src) {
                if (absent)
                        return 0;
                return name ? schema_error(
                                      s, e,
                                      "module \"%s\": missing \"source\" (an absolute path to a .cil or .pp file)",
                                      name)
                            : schema_error(s, e,
                                           "a module: missing \"source\" (an absolute path to a .cil or .pp file)");
        }
        if (src->type != NODE_STRING)
                return type_error(s, src, "selinux.modules[].source", "a string");
        if (!valid_source(src->string))
                return schema_error(s, src,
                                    "\"selinux.modules[].source\" must be an absolute path to a .cil or .pp file, "
                                    "without \"..\", not \"%s\"",
                                    src->string);
        *ret = src->string;
        return 0;
}

static const char *const module_states[] = { "present", "absent", "enabled", "disabled", NULL };

static int module_state_from_string(const char *v) {
        for (int i = 0; module_states[i]; i++)
                if (streq(module_states[i], v))
                        return i;
        return -EINVAL;
}

/* A module's "state": present and absent as every entry's, enabled and disabled for a module of the
 * store (semodule -e, -d). */
static int get_module_state(Schema *s, const Node *entry, bool *ret_absent, int *ret_enabled) {
        const Node *st = node_get(entry, "state");
        Origin ignored = {};
        int v = 0, r;

        *ret_absent = false;
        *ret_enabled = -1;
        if (!st)
                return 0;
        r = get_enum(s, st, "selinux.modules[].state", module_states, module_state_from_string, &v, &ignored);
        free(ignored.file);
        if (r < 0)
                return r;
        *ret_absent = v == 1;
        *ret_enabled = v == 2 ? 1 : v == 3 ? 0 : -1;
        return 0;
}

static int parse_module_entry(Schema *s, const Node *list, size_t index) {
        static const char *const keys[] = { "name", "source", "priority", "state", NULL };
        const Node *e = list->items[index], *src;
        ConfigModule m = {}, *n;
        const char *name = NULL, *source = NULL;
        int q, r;

        if (e->type != NODE_OBJECT)
                return type_error(s, e, "selinux.modules[]", "an object with \"name\" and \"source\"");
        /* Every problem of the entry, not just its first. */
        r = check_keys(s, e, "\"selinux.modules[]\"", keys);
        r = first_error(r,
                        get_entry_name(s, e, list, index, "selinux.modules", /* letter_first= */ true, "_-", &name));
        q = get_module_state(s, e, &m.absent, &m.enabled);
        r = first_error(r, q);
        src = node_get(e, "source");
        /* "disabled" names a module of the store; one seprov installs is dropped from the config instead. */
        if (m.enabled == 0 && src)
                r = first_error(r, schema_error(s, src,
                                                "module \"%s\": \"state\": \"disabled\" names a module already in "
                                                "the store, without \"source\"; to stop installing this one, drop "
                                                "the entry or write \"state\": \"absent\"",
                                                strna(name)));
        else
                /* A bad state does not say whether a source is needed: said once, by the state. A state of
                 * the store's module needs none. */
                r = first_error(r, get_source(s, e, m.absent || m.enabled >= 0 || q < 0, name, &source));
        r = first_error(r, get_priority(s, e, &m.priority));
        if (r < 0)
                return r;

        n = reallocarray(s->c->modules, s->c->n_modules + 1, sizeof(ConfigModule));
        if (!n)
                return -ENOMEM;
        s->c->modules = n;
        m.name = strdup(name);
        m.source = strdup(source ?: "");
        if (!m.name || !m.source || set_origin(&m.origin, s->file, e) < 0) {
                free(m.name);
                free(m.source);
                free(m.origin.file);
                return -ENOMEM;
        }
        s->c->modules[s->c->n_modules++] = m;
        return 0;
}

/* A string member of a list entry: NULL without an error when it is missing. */
static int get_string(Schema *s, const Node *e, const char *key, const char *where, const char **ret) {
        const Node *n = node_get(e, key);

        *ret = NULL;
        if (!n)
                return 0;
        if (n->type != NODE_STRING) {
                _cleanup_free_ char *path = strjoin(where, "[].", key);
                return path ? type_error(s, n, path, "a string") : -ENOMEM;
        }
        *ret = n->string;
        return 0;
}

/* An MLS range's shape, as semanage takes it: LEVEL or LEVEL-LEVEL, a level being sN with an optional
 * ":" and categories (cN, cN.cM, separated by commas). Whether the policy has them is preflight's. */
static bool valid_level(const char *p, const char **ret_end) {
        if (*p++ != 's' || !isdigit((unsigned char) *p))
                return false;
        while (isdigit((unsigned char) *p))
                p++;
        if (*p == ':')
                do {
                        p++;
                        if (*p++ != 'c' || !isdigit((unsigned char) *p))
                                return false;
                        while (isdigit((unsigned char) *p))
                                p++;
                        if (*p == '.') {
                                if (*++p != 'c' || !isdigit((unsigned char) *++p))
                                        return false;
                                while (isdigit((unsigned char) *p))
                                        p++;
                        }
                } while (*p == ',');
        *ret_end = p;
        return true;
}

static bool valid_range(const char *r) {
        const char *end;

        if (!valid_level(r, &end))
                return false;
        if (*end == '-' && !valid_level(end + 1, &end))
                return false;
        return *end == '\0';
}

/* The path of a file context rule: absolute, one regex, no white space (a file_contexts line is split
 * at it), compiling as libselinux will compile it. */
static int check_fcontext_path(Schema *s, const Node *n) {
        _cleanup_free_ char *why = NULL;
        int r;

        if (n->string[0] != '/')
                return schema_error(s, n,
                                    "\"selinux.fileContexts[].path\" must be a regex of absolute paths, starting "
                                    "with \"/\", not \"%s\"",
                                    n->string);
        if (n->string[strcspn(n->string, " \t\n\r\f\v")])
                return schema_error(s, n,
                                    "\"selinux.fileContexts[].path\" \"%s\" contains white space, which ends a "
                                    "file_contexts regex; match it with \\s",
                                    n->string);
        r = config_regex_check(n->string, &why);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return schema_error(s, n, "\"selinux.fileContexts[].path\" \"%s\" is not a valid regex: %s", n->string,
                                    why);
        return 0;
}

static int get_file_type(Schema *s, const Node *e, const char **ret) {
        const Node *n = node_get(e, "fileType");
        Origin ignored = {};
        int v = 0, r;

        *ret = config_file_type_names[0];
        if (!n)
                return 0;
        /* semanage's -f letters: say the name seprov takes. */
        if (n->type == NODE_STRING && strlen(n->string) == 1 && strchr("afdcbslp", n->string[0]))
                return schema_error(s, n,
                                    "\"selinux.fileContexts[].fileType\" takes names, not semanage's "
                                    "letters: write \"%s\" for \"%s\"",
                                    config_file_type_names[strchr("afdcbslp", n->string[0]) - "afdcbslp"], n->string);
        r = get_enum(s, n, "selinux.fileContexts[].fileType", config_file_type_names, config_file_type_from_string, &v,
                     &ignored);
        free(ignored.file);
        if (r >= 0)
                *ret = config_file_type_names[v];
        return r;
}

/* The key (path and file type) is unique within one file. */
static int check_fcontext_unique(Schema *s, const Node *list, size_t index, const Node *path, const char *file_type) {
        for (size_t i = 0; i < index; i++) {
                const Node *other = node_get(list->items[i], "path"), *ft = node_get(list->items[i], "fileType");
                const char *other_type = ft && ft->type == NODE_STRING ? ft->string : config_file_type_names[0];

                if (other && other->type == NODE_STRING && streq(other->string, path->string) &&
                    streq(other_type, file_type))
                        return schema_error(s, path,
                                            "file context \"%s\" (fileType \"%s\") is listed twice (first at "
                                            "line %u, column %u)",
                                            path->string, file_type, other->line, other->column);
        }
        return 0;
}

static int parse_permissive_entry(Schema *s, const Node *list, size_t index) {
        static const char *const keys[] = { "name", "state", NULL };
        const Node *e = list->items[index];
        ConfigPermissive d = {}, *n;
        const char *name = NULL;
        int r;

        if (e->type != NODE_OBJECT)
                return type_error(s, e, "selinux.permissiveDomains[]", "an object with \"name\"");
        r = check_keys(s, e, "\"selinux.permissiveDomains[]\"", keys);
        r = first_error(r, get_entry_name(s, e, list, index, "selinux.permissiveDomains", /* letter_first= */ true,
                                          "_", &name));
        r = first_error(r, get_state(s, e, "selinux.permissiveDomains", &d.absent));
        if (r < 0)
                return r;

        n = reallocarray(s->c->permissive, s->c->n_permissive + 1, sizeof(ConfigPermissive));
        if (!n)
                return -ENOMEM;
        s->c->permissive = n;
        d.name = strdup(name);
        if (!d.name || set_origin(&d.origin, s->file, node_get(e, "name")) < 0) {
                free(d.name);
                free(d.origin.file);
                return -ENOMEM;
        }
        s->c->permissive[s->c->n_permissive++] = d;
        return 0;
}

static const char *const port_protocols[] = { "tcp", "udp", "sctp", "dccp", NULL };

static int port_protocol_from_string(const char *v) {
        for (int i = 0; port_protocols[i]; i++)
                if (streq(port_protocols[i], v))
                        return i;
        return -EINVAL;
}

/* One port number of "port": 1 to 65535, digits only. */
static bool parse_port_number(const char *p, size_t len, unsigned *ret) {
        unsigned v = 0;

        if (len == 0 || len > 5)
                return false;
        for (size_t i = 0; i < len; i++) {
                if (!isdigit((unsigned char) p[i]))
                        return false;
                v = v * 10 + (unsigned) (p[i] - '0');
        }
        if (v < 1 || v > 65535)
                return false;
        *ret = v;
        return true;
}

/* "port": "8443", "8000-8100" (low <= high), or a plain number. */
static int get_port(Schema *s, const Node *e, unsigned *ret_low, unsigned *ret_high) {
        const Node *p = node_get(e, "port");
        const char *dash;

        if (!p)
                return schema_error(s, e,
                                    "a port: missing \"port\" (a number such as \"8443\" or a range such as "
                                    "\"8000-8100\")");
        if (p->type == NODE_INT) {
                if (p->integer < 1 || p->integer > 65535)
                        return schema_error(s, p, "\"selinux.ports[].port\" must be from 1 to 65535, not %lld",
                                            (long long) p->integer);
                *ret_low = *ret_high = (unsigned) p->integer;
                return 0;
        }
        if (p->type != NODE_STRING)
                return type_error(s, p, "selinux.ports[].port", "a string such as \"8443\" or \"8000-8100\"");
        dash = strchr(p->string, '-');
        if (dash ? !parse_port_number(p->string, dash - p->string, ret_low) ||
                            !parse_port_number(dash + 1, strlen(dash + 1), ret_high)
                 : !parse_port_number(p->string, strlen(p->string), ret_low))
                return schema_error(s, p,
                                    "\"selinux.ports[].port\" must be a port from 1 to 65535 (\"8443\") or a range "
                                    "of them (\"8000-8100\"), not \"%s\"",
                                    p->string);
        if (!dash)
                *ret_high = *ret_low;
        if (*ret_low > *ret_high)
                return schema_error(s, p, "port range \"%s\" starts above its end; write \"%u-%u\"", p->string,
                                    *ret_high, *ret_low);
        return 0;
}

/* The type and the optional MLS range of a port. */
static int get_port_context(Schema *s, const Node *e, const char **ret_type, const char **ret_range) {
        const Node *t = node_get(e, "type"), *rg = node_get(e, "range");
        int r = 0;

        *ret_type = *ret_range = NULL;
        if (!t)
                r = schema_error(s, e, "a port: missing \"type\" (a port type such as \"http_port_t\")");
        else if (t->type != NODE_STRING)
                r = type_error(s, t, "selinux.ports[].type", "a string");
        else if (!valid_name(t->string, /* letter_first= */ true, "_"))
                r = schema_error(s, t, "\"%s\" is not a valid type name in \"selinux.ports[].type\"", t->string);
        else
                *ret_type = t->string;
        if (!rg)
                return r;
        if (rg->type != NODE_STRING)
                return first_error(r, type_error(s, rg, "selinux.ports[].range", "a string such as \"s0\""));
        if (!valid_name(rg->string, /* letter_first= */ true, "_.,:-"))
                return first_error(r, schema_error(s, rg,
                                                   "\"%s\" is not an MLS range in \"selinux.ports[].range\" "
                                                   "(such as \"s0\" or \"s0-s0:c0.c1023\")",
                                                   rg->string));
        *ret_range = rg->string;
        return r;
}

/* A port is listed once per protocol and range within one file. */
static int check_port_unique(Schema *s, const Node *e, const char *protocol, unsigned low, unsigned high) {
        for (size_t i = 0; i < s->c->n_ports; i++) {
                const ConfigPort *o = &s->c->ports[i];

                char buf[CONFIG_PORT_STRING_MAX];

                if (streq(o->protocol, protocol) && o->low == low && o->high == high)
                        return schema_error(s, node_get(e, "port"),
                                            "port %s is listed twice (first at line %u, column %u)",
                                            config_port_string(protocol, low, high, false, buf, sizeof buf),
                                            o->origin.line, o->origin.column);
        }
        return 0;
}

static int fcontext_entry_add(Schema *s, const Node *e, const char *path, const char *file_type, const char *type,
                              const char *range, bool absent) {
        ConfigFileContext f = { .absent = absent }, *n;

        n = reallocarray(s->c->file_contexts, s->c->n_file_contexts + 1, sizeof(ConfigFileContext));
        if (!n)
                return -ENOMEM;
        s->c->file_contexts = n;
        f.path = strdup(path);
        f.file_type = strdup(file_type);
        f.type = strdup(type ?: "");
        f.range = range ? strdup(range) : NULL;
        if (!f.path || !f.file_type || !f.type || (range && !f.range) || set_origin(&f.origin, s->file, e) < 0) {
                free(f.path);
                free(f.file_type);
                free(f.type);
                free(f.range);
                free(f.origin.file);
                return -ENOMEM;
        }
        s->c->file_contexts[s->c->n_file_contexts++] = f;
        return 0;
}

static int parse_fcontext_entry(Schema *s, const Node *list, size_t index) {
        static const char *const keys[] = { "path", "fileType", "type", "range", "state", NULL };
        static const char where[] = "selinux.fileContexts";
        const Node *e = list->items[index], *path;
        const char *file_type = NULL, *type = NULL, *range = NULL;
        bool absent = false;
        int q, r;

        if (e->type != NODE_OBJECT)
                return type_error(s, e, "selinux.fileContexts[]", "an object with \"path\" and \"type\"");
        /* Every problem of the entry, not just its first. */
        r = check_keys(s, e, "\"selinux.fileContexts[]\"", keys);
        q = get_state(s, e, where, &absent);
        r = first_error(r, q);
        r = first_error(r, get_file_type(s, e, &file_type));
        path = node_get(e, "path");
        if (!path)
                r = first_error(r, schema_error(s, e,
                                                "\"selinux.fileContexts[]\": missing \"path\" (a regex such "
                                                "as \"/opt/myapp/bin(/.*)?\")"));
        else if (path->type != NODE_STRING)
                r = first_error(r, type_error(s, path, "selinux.fileContexts[].path", "a string"));
        else {
                r = first_error(r, check_fcontext_path(s, path));
                if (file_type)
                        r = first_error(r, check_fcontext_unique(s, list, index, path, file_type));
        }
        r = first_error(r, get_string(s, e, "type", where, &type));
        if (type && !valid_name(type, /* letter_first= */ true, "_"))
                r = first_error(r, schema_error(s, node_get(e, "type"),
                                                "\"%s\" is not a valid type name in \"selinux.fileContexts[].type\"",
                                                type));
        /* A bad state does not say whether a type is needed: said once, by the state. */
        if (!node_get(e, "type") && !absent && q >= 0)
                r = first_error(r, schema_error(s, e, "file context %s%s%s: missing \"type\" (such as \"bin_t\")",
                                                path && path->type == NODE_STRING ? "\"" : "",
                                                path && path->type == NODE_STRING ? path->string : "rule",
                                                path && path->type == NODE_STRING ? "\"" : ""));
        r = first_error(r, get_string(s, e, "range", where, &range));
        if (range && !valid_range(range))
                r = first_error(r, schema_error(s, node_get(e, "range"),
                                                "\"selinux.fileContexts[].range\" must be an MLS range such as "
                                                "\"s0\" or \"s0-s0:c0.c1023\", not \"%s\"",
                                                range));
        if (r < 0)
                return r;
        return fcontext_entry_add(s, e, path->string, file_type, type, range, absent);
}

/* An equivalence's paths: absolute, no trailing "/", no white space (.subs is split at it), plain
 * paths rather than regexes (libselinux compares them as strings). 'root_ok': "/" is allowed. */
static int check_equivalence_path(Schema *s, const Node *n, const char *where, bool root_ok) {
        const char *p = n->string;

        if (p[0] != '/' || (!root_ok && streq(p, "/")) || (!streq(p, "/") && endswith(p, "/")) || strstr(p, "//") ||
            p[strcspn(p, " \t\n\r\f\v")])
                return schema_error(s, n,
                                    "\"%s\" must be an absolute path%s, without a trailing \"/\" or white space, "
                                    "not \"%s\"",
                                    where, root_ok ? "" : " other than \"/\"", p);
        return 0;
}

static int equivalence_entry_add(Schema *s, const Node *e, const char *path, const char *same_as, bool absent) {
        ConfigEquivalence q = { .absent = absent }, *n;

        n = reallocarray(s->c->equivalences, s->c->n_equivalences + 1, sizeof(ConfigEquivalence));
        if (!n)
                return -ENOMEM;
        s->c->equivalences = n;
        q.path = strdup(path);
        q.same_as = strdup(same_as ?: "");
        if (!q.path || !q.same_as || set_origin(&q.origin, s->file, e) < 0) {
                free(q.path);
                free(q.same_as);
                free(q.origin.file);
                return -ENOMEM;
        }
        s->c->equivalences[s->c->n_equivalences++] = q;
        return 0;
}

static int check_equivalence_unique(Schema *s, const Node *list, size_t index, const Node *path) {
        for (size_t i = 0; i < index; i++) {
                const Node *other = node_get(list->items[i], "path");
                if (other && other->type == NODE_STRING && streq(other->string, path->string))
                        return schema_error(s, path,
                                            "equivalence \"%s\" is listed twice (first at line %u, column %u)",
                                            path->string, other->line, other->column);
        }
        return 0;
}

static int parse_equivalence_entry(Schema *s, const Node *list, size_t index) {
        static const char *const keys[] = { "path", "sameAs", "state", NULL };
        static const char where[] = "selinux.fileContextEquivalences";
        const Node *e = list->items[index], *path, *same;
        const char *same_as = NULL;
        bool absent = false;
        int q, r;

        if (e->type != NODE_OBJECT)
                return type_error(s, e, "selinux.fileContextEquivalences[]", "an object with \"path\" and \"sameAs\"");
        r = check_keys(s, e, "\"selinux.fileContextEquivalences[]\"", keys);
        q = get_state(s, e, where, &absent);
        r = first_error(r, q);
        path = node_get(e, "path");
        if (!path)
                r = first_error(r, schema_error(s, e, "\"selinux.fileContextEquivalences[]\": missing \"path\""));
        else if (path->type != NODE_STRING)
                r = first_error(r, type_error(s, path, "selinux.fileContextEquivalences[].path", "a string"));
        else {
                r = first_error(r, check_equivalence_path(s, path, "selinux.fileContextEquivalences[].path",
                                                          /* root_ok= */ false));
                r = first_error(r, check_equivalence_unique(s, list, index, path));
        }
        r = first_error(r, get_string(s, e, "sameAs", where, &same_as));
        same = node_get(e, "sameAs");
        if (same_as) {
                r = first_error(r, check_equivalence_path(s, same, "selinux.fileContextEquivalences[].sameAs",
                                                          /* root_ok= */ true));
                if (path && path->type == NODE_STRING && streq(path->string, same_as))
                        r = first_error(r, schema_error(s, same,
                                                        "equivalence \"%s\" is the same as itself: "
                                                        "\"sameAs\" must name another path",
                                                        same_as));
        }
        if (!same && !absent && q >= 0)
                r = first_error(r,
                                schema_error(s, e, "equivalence %s%s%s: missing \"sameAs\" (the path to label it as)",
                                             path && path->type == NODE_STRING ? "\"" : "",
                                             path && path->type == NODE_STRING ? path->string : "entry",
                                             path && path->type == NODE_STRING ? "\"" : ""));
        if (r < 0)
                return r;
        return equivalence_entry_add(s, e, path->string, same_as, absent);
}

static int parse_port_entry(Schema *s, const Node *list, size_t index) {
        static const char *const keys[] = { "protocol", "port", "type", "range", "state", NULL };
        const Node *e = list->items[index], *proto;
        const char *type = NULL, *range = NULL;
        ConfigPort p = {}, *n;
        Origin ignored = {};
        int r, v = -1;

        if (e->type != NODE_OBJECT)
                return type_error(s, e, "selinux.ports[]", "an object with \"protocol\", \"port\" and \"type\"");
        r = check_keys(s, e, "\"selinux.ports[]\"", keys);
        proto = node_get(e, "protocol");
        if (!proto)
                r = first_error(r, schema_error(s, e, "a port: missing \"protocol\" (tcp, udp, sctp or dccp)"));
        else {
                r = first_error(r, get_enum(s, proto, "selinux.ports[].protocol", port_protocols,
                                            port_protocol_from_string, &v, &ignored));
                free(ignored.file);
        }
        r = first_error(r, get_port(s, e, &p.low, &p.high));
        r = first_error(r, get_state(s, e, "selinux.ports", &p.absent));
        /* A port that is removed needs no type. */
        if (!p.absent || node_get(e, "type") || node_get(e, "range"))
                r = first_error(r, get_port_context(s, e, &type, &range));
        if (r >= 0)
                r = check_port_unique(s, e, port_protocols[v], p.low, p.high);
        if (r < 0)
                return r;

        n = reallocarray(s->c->ports, s->c->n_ports + 1, sizeof(ConfigPort));
        if (!n)
                return -ENOMEM;
        s->c->ports = n;
        p.protocol = strdup(port_protocols[v]);
        p.type = strdup(type ?: "");
        p.range = range ? strdup(range) : NULL;
        if (!p.protocol || !p.type || (range && !p.range) || set_origin(&p.origin, s->file, node_get(e, "port")) < 0) {
                free(p.protocol);
                free(p.type);
                free(p.range);
                free(p.origin.file);
                return -ENOMEM;
        }
        s->c->ports[s->c->n_ports++] = p;
        return 0;
}

/* Runs 'parse' on every entry; returns the first -ENOMEM, else -EINVAL if any entry was bad. */
static int parse_list(Schema *s, const Node *list, const char *where,
                      int (*parse)(Schema *s, const Node *list, size_t index)) {
        int r = 0;

        if (list->type != NODE_ARRAY)
                return type_error(s, list, where, "a list");
        for (size_t i = 0; i < list->n_items; i++) {
                int q = parse(s, list, i);
                if (q == -ENOMEM)
                        return q;
                if (q < 0)
                        r = q;
        }
        return r;
}

static int parse_audit(Schema *s, const Node *audit) {
        static const char *const keys[] = { "selinuxEvents", NULL };
        const Node *ev;
        int r;

        if (audit->type != NODE_OBJECT)
                return type_error(s, audit, "selinux.audit", "an object such as { \"selinuxEvents\": true }");
        r = check_keys(s, audit, "\"selinux.audit\"", keys);
        ev = node_get(audit, "selinuxEvents");
        if (ev) {
                int q = get_bool(s, ev, "selinux.audit.selinuxEvents", &s->c->audit_selinux_events,
                                 &s->c->audit_origin);
                r = r < 0 ? r : q;
        }
        return r;
}

static int field_mode(Schema *s, const Node *n) {
        return get_enum(s, n, "selinux.mode", selinux_mode_names, selinux_mode_from_string, (int *) &s->c->mode,
                        &s->c->mode_origin);
}

static int field_store(Schema *s, const Node *n) {
        return get_enum(s, n, "selinux.store", store_mode_names, store_mode_from_string, (int *) &s->c->store,
                        &s->c->store_origin);
}

static int field_discard(Schema *s, const Node *n) {
        return get_bool(s, n, "selinux.discardLocalChanges", &s->c->discard_local_changes,
                        &s->c->discard_local_changes_origin);
}

static int field_dontaudit(Schema *s, const Node *n) {
        return get_bool(s, n, "selinux.dontaudit", &s->c->dontaudit, &s->c->dontaudit_origin);
}

static int field_booleans(Schema *s, const Node *n) {
        return parse_list(s, n, "selinux.booleans", parse_boolean_entry);
}

static int field_modules(Schema *s, const Node *n) {
        return parse_list(s, n, "selinux.modules", parse_module_entry);
}

static int field_file_contexts(Schema *s, const Node *n) {
        return parse_list(s, n, "selinux.fileContexts", parse_fcontext_entry);
}

static int field_equivalences(Schema *s, const Node *n) {
        return parse_list(s, n, "selinux.fileContextEquivalences", parse_equivalence_entry);
}

static int field_permissive(Schema *s, const Node *n) {
        return parse_list(s, n, "selinux.permissiveDomains", parse_permissive_entry);
}

static int field_ports(Schema *s, const Node *n) {
        return parse_list(s, n, "selinux.ports", parse_port_entry);
}

static int field_on_failure(Schema *s, const Node *n) {
        return get_enum(s, n, "selinux.onFailure", on_failure_names, on_failure_from_string, (int *) &s->c->on_failure,
                        &s->c->on_failure_origin);
}

typedef struct Field {
        const char *name;
        int (*parse)(Schema *s, const Node *value);
} Field;

static const Field selinux_fields[] = {
        { "mode", field_mode },
        { "store", field_store },
        { "discardLocalChanges", field_discard },
        { "audit", parse_audit },
        { "dontaudit", field_dontaudit },
        { "booleans", field_booleans },
        { "modules", field_modules },
        { "onFailure", field_on_failure },
        { "fileContexts", field_file_contexts },
        { "fileContextEquivalences", field_equivalences },
        { "permissiveDomains", field_permissive },
        { "ports", field_ports },
};

static int parse_selinux(Schema *s, const Node *sel) {
        const char *names[ELEMENTSOF(selinux_fields) + 1] = {};
        int r = 0;

        if (sel->type != NODE_OBJECT)
                return type_error(s, sel, "selinux", "an object");
        for (size_t i = 0; i < ELEMENTSOF(selinux_fields); i++)
                names[i] = selinux_fields[i].name;

        /* In document order, so that problems are reported top to bottom. */
        for (size_t i = 0; i < sel->n_items; i++) {
                const Node *m = sel->items[i];
                const Field *f = NULL;

                for (size_t j = 0; j < ELEMENTSOF(selinux_fields); j++)
                        if (streq(selinux_fields[j].name, m->key))
                                f = &selinux_fields[j];
                r = worst(r, f ? f->parse(s, m) : unknown_key(s, m, "\"selinux\"", names));
        }
        return r;
}

/* The top level's keys: a setting of "selinux" written beside it ("mode" at the top) is told where it
 * goes. */
static int check_top_keys(Schema *s, const Node *root, const char *const *keys) {
        int r = 0;

        for (size_t i = 0; i < root->n_items; i++) {
                const Node *m = root->items[i];
                bool selinux_field = false;

                if (strv_contains((char *const *) keys, m->key))
                        continue;
                for (size_t f = 0; f < ELEMENTSOF(selinux_fields); f++)
                        selinux_field = selinux_field || streq(selinux_fields[f].name, m->key);
                if (selinux_field)
                        r = worst(r, schema_error_at(s, m->key_line, m->key_column,
                                                     "unknown key \"%s\" in the config: it goes under \"selinux\" "
                                                     "(\"selinux\": {\"%s\": ...})",
                                                     m->key, m->key));
                else
                        r = worst(r, unknown_key(s, m, "the config", keys));
        }
        return r;
}

int config_schema_parse(const Node *root, const char *file, Config *ret, Diags *diags) {
        static const char *const keys[] = { "version", "selinux", NULL };
        Schema s = { .file = file, .diags = diags, .c = ret };
        const Node *sel;
        int r;

        assert(root);
        assert(file);
        assert(ret);
        assert(diags);

        config_init(ret);
        if (root->type != NODE_OBJECT)
                return type_error(&s, root, "the config", "an object with \"version\" and \"selinux\"");
        r = check_top_keys(&s, root, keys);
        r = worst(r, check_version(&s, root));
        sel = node_get(root, "selinux");
        if (sel)
                r = worst(r, parse_selinux(&s, sel));
        /* What is valid stays for the checks after the schema's: every problem in one pass. */
        if (r == -ENOMEM)
                config_done(ret);
        return r;
}
