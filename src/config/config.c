/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Config layers: lifetime, merging (Ignition-style) and the kernel command line's layer. */

#include <stdarg.h>

#include "config.h"
#include "string-table.h"
#include "strutil.h"

void config_init(Config *c) {
        assert(c);

        *c = (Config){
                .mode = _SELINUX_MODE_INVALID,
                .store = _STORE_INVALID,
                .discard_local_changes = -1,
                .audit_selinux_events = -1,
                .dontaudit = -1,
                .on_failure = _ON_FAILURE_INVALID,
        };
}

static void origin_done(Origin *o) {
        o->file = mfree(o->file);
        o->within = mfree(o->within);
}

static int origin_copy(Origin *to, const Origin *from) {
        _cleanup_free_ char *f = NULL, *w = NULL;

        if (from->file && !(f = strdup(from->file)))
                return -ENOMEM;
        if (from->within && !(w = strdup(from->within)))
                return -ENOMEM;
        origin_done(to);
        *to = (Origin){ .file = TAKE_PTR(f), .line = from->line, .column = from->column, .within = TAKE_PTR(w) };
        return 0;
}

int config_origin_error(Diags *d, const Origin *o, const char *format, ...) {
        _cleanup_free_ char *message = NULL;

        assert(d);
        assert(o);

        message = STRPRINTF_VA(format);
        if (!message)
                return -ENOMEM;
        if (o->within)
                return diag_error(d, o->file, o->line, o->column, "%s: %s", o->within, message);
        return diag_error(d, o->file, o->line, o->column, "%s", message);
}

int config_origin_warning(Diags *d, const Origin *o, const char *format, ...) {
        _cleanup_free_ char *message = NULL;

        assert(d);
        assert(o);

        message = STRPRINTF_VA(format);
        if (!message)
                return -ENOMEM;
        if (o->within)
                return diag_warning(d, o->file, o->line, o->column, "%s: %s", o->within, message);
        return diag_warning(d, o->file, o->line, o->column, "%s", message);
}

const char *config_origin_where(const Origin *o, char *buf, size_t size) {
        assert(o);
        assert(buf);

        if (!o->file)
                return "the built-in default";
        if (streq(o->file, ORIGIN_CMDLINE))
                snprintf(buf, size, "the kernel command line, column %u", o->column);
        else
                snprintf(buf, size, "%s:%u:%u", o->file, o->line, o->column);
        return buf;
}

typedef struct OriginMove {
        const char *file, *carrier;
        void (*move)(unsigned line, unsigned column, unsigned *ret_line, unsigned *ret_column, void *userdata);
        void *userdata;
} OriginMove;

static int origin_move(Origin *o, const OriginMove *m) {
        _cleanup_free_ char *carrier = NULL, *within = NULL;
        unsigned line, column;

        if (!streq_ptr(o->file, m->file) || o->within)
                return 0;
        carrier = strdup(m->carrier);
        within = strprintf("%s:%u:%u", o->file, o->line, o->column);
        if (!carrier || !within)
                return -ENOMEM;
        m->move(o->line, o->column, &line, &column, m->userdata);
        origin_done(o);
        *o = (Origin){ .file = TAKE_PTR(carrier), .line = line, .column = column, .within = TAKE_PTR(within) };
        return 0;
}

int config_origins_move(Config *c, const char *file, const char *carrier,
                        void (*move)(unsigned line, unsigned column, unsigned *ret_line, unsigned *ret_column,
                                     void *userdata),
                        void *userdata) {
        const OriginMove m = { .file = file, .carrier = carrier, .move = move, .userdata = userdata };
        Origin *scalars[] = { &c->mode_origin,  &c->store_origin,     &c->discard_local_changes_origin,
                              &c->audit_origin, &c->dontaudit_origin, &c->on_failure_origin };
        int r = 0;

        assert(c);
        assert(file);
        assert(carrier);
        assert(move);

        for (size_t i = 0; r >= 0 && i < ELEMENTSOF(scalars); i++)
                r = origin_move(scalars[i], &m);
        for (size_t i = 0; r >= 0 && i < c->n_booleans; i++)
                r = origin_move(&c->booleans[i].origin, &m);
        for (size_t i = 0; r >= 0 && i < c->n_modules; i++)
                r = origin_move(&c->modules[i].origin, &m);
        for (size_t i = 0; r >= 0 && i < c->n_file_contexts; i++)
                r = origin_move(&c->file_contexts[i].origin, &m);
        for (size_t i = 0; r >= 0 && i < c->n_equivalences; i++)
                r = origin_move(&c->equivalences[i].origin, &m);
        for (size_t i = 0; r >= 0 && i < c->n_permissive; i++)
                r = origin_move(&c->permissive[i].origin, &m);
        for (size_t i = 0; r >= 0 && i < c->n_ports; i++)
                r = origin_move(&c->ports[i].origin, &m);
        return r;
}

static void boolean_done(ConfigBoolean *b) {
        free(b->name);
        origin_done(&b->origin);
}

static void module_done(ConfigModule *m) {
        free(m->name);
        free(m->source);
        origin_done(&m->origin);
}

static void file_context_done(ConfigFileContext *f) {
        free(f->path);
        free(f->file_type);
        free(f->type);
        free(f->range);
        origin_done(&f->origin);
}

static void equivalence_done(ConfigEquivalence *e) {
        free(e->path);
        free(e->same_as);
        origin_done(&e->origin);
}

static void permissive_done(ConfigPermissive *d) {
        free(d->name);
        origin_done(&d->origin);
}

static void port_done(ConfigPort *p) {
        free(p->protocol);
        free(p->type);
        free(p->range);
        origin_done(&p->origin);
}

void config_done(Config *c) {
        assert(c);

        origin_done(&c->mode_origin);
        origin_done(&c->store_origin);
        origin_done(&c->discard_local_changes_origin);
        origin_done(&c->audit_origin);
        origin_done(&c->dontaudit_origin);
        origin_done(&c->on_failure_origin);
        for (size_t i = 0; i < c->n_booleans; i++)
                boolean_done(&c->booleans[i]);
        free(c->booleans);
        for (size_t i = 0; i < c->n_modules; i++)
                module_done(&c->modules[i]);
        free(c->modules);
        for (size_t i = 0; i < c->n_file_contexts; i++)
                file_context_done(&c->file_contexts[i]);
        free(c->file_contexts);
        for (size_t i = 0; i < c->n_equivalences; i++)
                equivalence_done(&c->equivalences[i]);
        free(c->equivalences);
        for (size_t i = 0; i < c->n_permissive; i++)
                permissive_done(&c->permissive[i]);
        free(c->permissive);
        for (size_t i = 0; i < c->n_ports; i++)
                port_done(&c->ports[i]);
        free(c->ports);
        config_init(c);
}

const ConfigBoolean *config_find_boolean(const Config *c, const char *name) {
        assert(c);
        assert(name);

        for (size_t i = 0; i < c->n_booleans; i++)
                if (streq(c->booleans[i].name, name))
                        return &c->booleans[i];
        return NULL;
}

const ConfigModule *config_find_module(const Config *c, const char *name) {
        assert(c);
        assert(name);

        for (size_t i = 0; i < c->n_modules; i++)
                if (streq(c->modules[i].name, name))
                        return &c->modules[i];
        return NULL;
}

const ConfigFileContext *config_find_file_context(const Config *c, const char *path, const char *file_type) {
        assert(c);
        assert(path);
        assert(file_type);

        for (size_t i = 0; i < c->n_file_contexts; i++)
                if (streq(c->file_contexts[i].path, path) && streq(c->file_contexts[i].file_type, file_type))
                        return &c->file_contexts[i];
        return NULL;
}

const ConfigEquivalence *config_find_equivalence(const Config *c, const char *path) {
        assert(c);
        assert(path);

        for (size_t i = 0; i < c->n_equivalences; i++)
                if (streq(c->equivalences[i].path, path))
                        return &c->equivalences[i];
        return NULL;
}

const ConfigPermissive *config_find_permissive(const Config *c, const char *name) {
        assert(c);
        assert(name);

        for (size_t i = 0; i < c->n_permissive; i++)
                if (streq(c->permissive[i].name, name))
                        return &c->permissive[i];
        return NULL;
}

const ConfigPort *config_find_port(const Config *c, const char *protocol, unsigned low, unsigned high) {
        assert(c);
        assert(protocol);

        for (size_t i = 0; i < c->n_ports; i++)
                if (streq(c->ports[i].protocol, protocol) && c->ports[i].low == low && c->ports[i].high == high)
                        return &c->ports[i];
        return NULL;
}

const char *config_port_string(const char *protocol, unsigned low, unsigned high, bool protocol_only, char *buf,
                               size_t size) {
        assert(protocol);
        assert(buf);

        if (low == high)
                snprintf(buf, size, "%s%s%u", protocol_only ? "" : protocol, protocol_only ? "" : "/", low);
        else
                snprintf(buf, size, "%s%s%u-%u", protocol_only ? "" : protocol, protocol_only ? "" : "/", low, high);
        return buf;
}

bool config_is_empty(const Config *c) {
        assert(c);

        return c->mode < 0 && c->store < 0 && c->discard_local_changes < 0 && c->audit_selinux_events < 0 &&
               c->dontaudit < 0 && c->on_failure < 0 && c->n_booleans == 0 && c->n_modules == 0 &&
               c->n_file_contexts == 0 && c->n_equivalences == 0 && c->n_permissive == 0 && c->n_ports == 0;
}

/* A scalar of a higher layer replaces the lower one, origin included. */
static int merge_scalar(int *into, Origin *into_origin, int from, const Origin *from_origin) {
        if (from < 0)
                return 0;
        *into = from;
        return origin_copy(into_origin, from_origin);
}

static int boolean_copy(ConfigBoolean *to, const ConfigBoolean *from) {
        *to = (ConfigBoolean){ .value = from->value };
        to->name = strdup(from->name);
        if (!to->name || origin_copy(&to->origin, &from->origin) < 0) {
                boolean_done(to);
                return -ENOMEM;
        }
        return 0;
}

static int module_copy(ConfigModule *to, const ConfigModule *from) {
        *to = (ConfigModule){ .priority = from->priority, .enabled = from->enabled };
        to->name = strdup(from->name);
        to->source = strdup(from->source);
        if (!to->name || !to->source || origin_copy(&to->origin, &from->origin) < 0) {
                module_done(to);
                return -ENOMEM;
        }
        return 0;
}

static int file_context_copy(ConfigFileContext *to, const ConfigFileContext *from) {
        *to = (ConfigFileContext){};
        to->path = strdup(from->path);
        to->file_type = strdup(from->file_type);
        to->type = strdup(from->type);
        to->range = from->range ? strdup(from->range) : NULL;
        if (!to->path || !to->file_type || !to->type || (from->range && !to->range) ||
            origin_copy(&to->origin, &from->origin) < 0) {
                file_context_done(to);
                return -ENOMEM;
        }
        return 0;
}

static int equivalence_copy(ConfigEquivalence *to, const ConfigEquivalence *from) {
        *to = (ConfigEquivalence){};
        to->path = strdup(from->path);
        to->same_as = strdup(from->same_as);
        if (!to->path || !to->same_as || origin_copy(&to->origin, &from->origin) < 0) {
                equivalence_done(to);
                return -ENOMEM;
        }
        return 0;
}

static int permissive_copy(ConfigPermissive *to, const ConfigPermissive *from) {
        *to = (ConfigPermissive){};
        to->name = strdup(from->name);
        if (!to->name || origin_copy(&to->origin, &from->origin) < 0) {
                permissive_done(to);
                return -ENOMEM;
        }
        return 0;
}

static int port_copy(ConfigPort *to, const ConfigPort *from) {
        *to = (ConfigPort){ .low = from->low, .high = from->high };
        to->protocol = strdup(from->protocol);
        to->type = strdup(from->type);
        to->range = from->range ? strdup(from->range) : NULL;
        if (!to->protocol || !to->type || (from->range && !to->range) || origin_copy(&to->origin, &from->origin) < 0) {
                port_done(to);
                return -ENOMEM;
        }
        return 0;
}

/* Lists of objects merge by name: a later entry replaces the earlier one, "absent" removes it.
 * Booleans and modules share this through a small description of their element type; a list whose
 * key is more than one member (file contexts: path and file type) says so with 'same'. */
typedef struct NamedList {
        size_t size;
        const char *(*name)(const void *item);
        bool (*same)(const void *a, const void *b); /* instead of comparing names, when set */
        bool (*absent)(const void *item);
        int (*copy)(void *to, const void *from);
        void (*done)(void *item);
} NamedList;

static int merge_named(const NamedList *t, void **items, size_t *n, const void *entry) {
        _cleanup_free_ void *copy = NULL;
        char *base = *items;
        size_t i;

        for (i = 0; i < *n; i++)
                if (t->same ? t->same(base + i * t->size, entry) : streq(t->name(base + i * t->size), t->name(entry)))
                        break;
        if (t->absent(entry)) {
                if (i < *n) {
                        t->done(base + i * t->size);
                        memmove(base + i * t->size, base + (i + 1) * t->size, (*n - i - 1) * t->size);
                        (*n)--;
                }
                return 0;
        }
        copy = malloc(t->size);
        if (!copy || t->copy(copy, entry) < 0)
                return -ENOMEM;
        if (i == *n) {
                base = reallocarray(base, *n + 1, t->size);
                if (!base) {
                        t->done(copy);
                        return -ENOMEM;
                }
                *items = base;
                (*n)++;
        } else
                t->done(base + i * t->size);
        memcpy(base + i * t->size, copy, t->size);
        return 0;
}

static const char *boolean_name(const void *p) {
        return ((const ConfigBoolean *) p)->name;
}
static bool boolean_absent(const void *p) {
        return ((const ConfigBoolean *) p)->absent;
}
static int boolean_copy_any(void *to, const void *from) {
        return boolean_copy(to, from);
}
static void boolean_done_any(void *p) {
        boolean_done(p);
}
static const char *module_name(const void *p) {
        return ((const ConfigModule *) p)->name;
}
static bool module_absent(const void *p) {
        return ((const ConfigModule *) p)->absent;
}
static int module_copy_any(void *to, const void *from) {
        return module_copy(to, from);
}
static void module_done_any(void *p) {
        module_done(p);
}

static const char *file_context_path(const void *p) {
        return ((const ConfigFileContext *) p)->path;
}
static bool file_context_absent(const void *p) {
        return ((const ConfigFileContext *) p)->absent;
}
static int file_context_copy_any(void *to, const void *from) {
        return file_context_copy(to, from);
}
static void file_context_done_any(void *p) {
        file_context_done(p);
}
static bool file_context_same(const void *a, const void *b) {
        const ConfigFileContext *x = a, *y = b;
        return streq(x->path, y->path) && streq(x->file_type, y->file_type);
}
static const char *equivalence_path(const void *p) {
        return ((const ConfigEquivalence *) p)->path;
}
static bool equivalence_absent(const void *p) {
        return ((const ConfigEquivalence *) p)->absent;
}
static int equivalence_copy_any(void *to, const void *from) {
        return equivalence_copy(to, from);
}
static void equivalence_done_any(void *p) {
        equivalence_done(p);
}

static const char *permissive_name(const void *p) {
        return ((const ConfigPermissive *) p)->name;
}
static bool permissive_absent(const void *p) {
        return ((const ConfigPermissive *) p)->absent;
}
static int permissive_copy_any(void *to, const void *from) {
        return permissive_copy(to, from);
}
static void permissive_done_any(void *p) {
        permissive_done(p);
}
static bool port_same(const void *a, const void *b) {
        const ConfigPort *x = a, *y = b;
        return streq(x->protocol, y->protocol) && x->low == y->low && x->high == y->high;
}
static bool port_absent(const void *p) {
        return ((const ConfigPort *) p)->absent;
}
static int port_copy_any(void *to, const void *from) {
        return port_copy(to, from);
}
static void port_done_any(void *p) {
        port_done(p);
}

static const NamedList boolean_list = { .size = sizeof(ConfigBoolean),
                                        .name = boolean_name,
                                        .absent = boolean_absent,
                                        .copy = boolean_copy_any,
                                        .done = boolean_done_any };
static const NamedList module_list = { .size = sizeof(ConfigModule),
                                       .name = module_name,
                                       .absent = module_absent,
                                       .copy = module_copy_any,
                                       .done = module_done_any };
static const NamedList file_context_list = { .size = sizeof(ConfigFileContext),
                                             .name = file_context_path,
                                             .same = file_context_same,
                                             .absent = file_context_absent,
                                             .copy = file_context_copy_any,
                                             .done = file_context_done_any };
static const NamedList equivalence_list = { .size = sizeof(ConfigEquivalence),
                                            .name = equivalence_path,
                                            .absent = equivalence_absent,
                                            .copy = equivalence_copy_any,
                                            .done = equivalence_done_any };
static const NamedList permissive_list = { .size = sizeof(ConfigPermissive),
                                           .name = permissive_name,
                                           .absent = permissive_absent,
                                           .copy = permissive_copy_any,
                                           .done = permissive_done_any };
static const NamedList port_list = { .size = sizeof(ConfigPort),
                                     .same = port_same,
                                     .absent = port_absent,
                                     .copy = port_copy_any,
                                     .done = port_done_any };

int config_merge(Config *into, const Config *from) {
        int r = 0;

        assert(into);
        assert(from);

        r = r ?: merge_scalar((int *) &into->mode, &into->mode_origin, from->mode, &from->mode_origin);
        r = r ?: merge_scalar((int *) &into->store, &into->store_origin, from->store, &from->store_origin);
        r = r
                    ?: merge_scalar(&into->discard_local_changes, &into->discard_local_changes_origin,
                                    from->discard_local_changes, &from->discard_local_changes_origin);
        r = r
                    ?: merge_scalar(&into->audit_selinux_events, &into->audit_origin, from->audit_selinux_events,
                                    &from->audit_origin);
        r = r ?: merge_scalar(&into->dontaudit, &into->dontaudit_origin, from->dontaudit, &from->dontaudit_origin);
        r = r
                    ?: merge_scalar((int *) &into->on_failure, &into->on_failure_origin, from->on_failure,
                                    &from->on_failure_origin);
        for (size_t i = 0; r == 0 && i < from->n_booleans; i++)
                r = merge_named(&boolean_list, (void **) &into->booleans, &into->n_booleans, &from->booleans[i]);
        for (size_t i = 0; r == 0 && i < from->n_modules; i++)
                r = merge_named(&module_list, (void **) &into->modules, &into->n_modules, &from->modules[i]);
        for (size_t i = 0; r == 0 && i < from->n_file_contexts; i++)
                r = merge_named(&file_context_list, (void **) &into->file_contexts, &into->n_file_contexts,
                                &from->file_contexts[i]);
        for (size_t i = 0; r == 0 && i < from->n_equivalences; i++)
                r = merge_named(&equivalence_list, (void **) &into->equivalences, &into->n_equivalences,
                                &from->equivalences[i]);
        for (size_t i = 0; r == 0 && i < from->n_permissive; i++)
                r = merge_named(&permissive_list, (void **) &into->permissive, &into->n_permissive,
                                &from->permissive[i]);
        for (size_t i = 0; r == 0 && i < from->n_ports; i++)
                r = merge_named(&port_list, (void **) &into->ports, &into->n_ports, &from->ports[i]);
        return r;
}

int config_merge_kernel_args(Config *into, const KernelArgs *a) {
        Origin o = { .file = (char *) ORIGIN_CMDLINE, .line = 1 };
        int r = 0;

        assert(into);
        assert(a);

        o.column = a->mode_pos;
        r = r ?: merge_scalar((int *) &into->mode, &into->mode_origin, a->mode, &o);
        o.column = a->store_pos;
        r = r ?: merge_scalar((int *) &into->store, &into->store_origin, a->store, &o);
        o.column = a->audit_pos;
        r = r ?: merge_scalar(&into->audit_selinux_events, &into->audit_origin, a->audit, &o);
        o.column = a->dontaudit_pos;
        r = r ?: merge_scalar(&into->dontaudit, &into->dontaudit_origin, a->dontaudit, &o);
        return r;
}

static const char *const config_format_names[_CONFIG_FORMAT_MAX] = {
        [CONFIG_FORMAT_JSON] = "json",
        [CONFIG_FORMAT_YAML] = "yaml",
        [CONFIG_FORMAT_IGNITION] = "ignition",
        [CONFIG_FORMAT_CLOUD_CONFIG] = "cloud-config",
};

const char *const config_file_type_names[] = {
        "all", "file", "directory", "char", "block", "socket", "symlink", "pipe", NULL,
};

DEFINE_STRING_TABLE_TO_STRING(config_format, ConfigFormat, config_format_names, _CONFIG_FORMAT_MAX);
