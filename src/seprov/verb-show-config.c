/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov show-config: the effective config, and where each value came from. */

#include "config-json.h"
#include "context.h"
#include "json-util.h"
#include "log.h"
#include "verbs.h"

static void print_origin(const Origin *o) {
        if (!o->file)
                printf("built-in default\n");
        else if (streq(o->file, ORIGIN_CMDLINE))
                printf("%s (column %u)\n", o->file, o->column);
        else
                printf("%s:%u:%u\n", o->file, o->line, o->column);
}

static void print_setting(const char *name, const char *value, const Origin *o) {
        printf("  %-21s ", name);
        if (!value) {
                printf("%-12s  %s\n", "(not set)", "left as it is");
                return;
        }
        printf("%-12s  ", value);
        print_origin(o);
}

static const char *tristate(int b) {
        return b < 0 ? NULL : b ? "true" : "false";
}

static void print_config(const Config *c) {
        Origin builtin = {};

        printf("Settings:\n");
        print_setting("mode", selinux_mode_to_string(c->mode), &c->mode_origin);
        print_setting("store", store_mode_to_string(c->store), &c->store_origin);
        print_setting("discardLocalChanges", tristate(c->discard_local_changes), &c->discard_local_changes_origin);
        print_setting("audit.selinuxEvents", tristate(c->audit_selinux_events), &c->audit_origin);
        print_setting("dontaudit", tristate(c->dontaudit), &c->dontaudit_origin);
        if (c->on_failure >= 0)
                print_setting("onFailure", on_failure_to_string(c->on_failure), &c->on_failure_origin);
        else
                print_setting("onFailure", "continue", &builtin);

        printf("Booleans:%s\n", c->n_booleans == 0 ? " (none)" : "");
        for (size_t i = 0; i < c->n_booleans; i++) {
                printf("  %-33s %-5s  ", c->booleans[i].name, tristate(c->booleans[i].value));
                print_origin(&c->booleans[i].origin);
        }
        printf("Modules:%s\n", c->n_modules == 0 ? " (none)" : "");
        for (size_t i = 0; i < c->n_modules; i++) {
                if (config_module_installs(&c->modules[i]))
                        printf("  %s (priority %u) from %s%s\n    set by ", c->modules[i].name, c->modules[i].priority,
                               c->modules[i].source, c->modules[i].enabled > 0 ? ", enabled" : "");
                else
                        printf("  %s %s (the store's module)\n    set by ", c->modules[i].name,
                               c->modules[i].enabled ? "enabled" : "disabled");
                print_origin(&c->modules[i].origin);
        }
        printf("File contexts:%s\n", c->n_file_contexts == 0 ? " (none)" : "");
        for (size_t i = 0; i < c->n_file_contexts; i++) {
                const ConfigFileContext *f = &c->file_contexts[i];

                printf("  %s (%s) %s%s%s\n    set by ", f->path, f->file_type, f->type, f->range ? " " : "",
                       strempty(f->range));
                print_origin(&f->origin);
        }
        printf("File context equivalences:%s\n", c->n_equivalences == 0 ? " (none)" : "");
        for (size_t i = 0; i < c->n_equivalences; i++) {
                printf("  %s labelled as %s\n    set by ", c->equivalences[i].path, c->equivalences[i].same_as);
                print_origin(&c->equivalences[i].origin);
        }
        printf("Permissive domains:%s\n", c->n_permissive == 0 ? " (none)" : "");
        for (size_t i = 0; i < c->n_permissive; i++) {
                printf("  %-33s ", c->permissive[i].name);
                print_origin(&c->permissive[i].origin);
        }
        printf("Ports:%s\n", c->n_ports == 0 ? " (none)" : "");
        for (size_t i = 0; i < c->n_ports; i++) {
                const ConfigPort *p = &c->ports[i];
                char port[CONFIG_PORT_STRING_MAX];

                printf("  %-15s %s%s%s  ",
                       config_port_string(p->protocol, p->low, p->high, /* protocol_only= */ false, port, sizeof port),
                       p->type, p->range ? ":" : "", strempty(p->range));
                print_origin(&p->origin);
        }
}

/* The kernel command line's state as a source: invalid when one of its words is. */
static const char *cmdline_state(const Context *ctx) {
        for (size_t i = 0; i < ctx->diags.n; i++)
                if (ctx->diags.items[i].level == DIAG_ERROR &&
                    streq_ptr(ctx->diags.items[i].file, ctx->cmdline_source))
                        return "invalid";
        return "used";
}

static void print_sources(const ConfigSources *s, const Context *ctx) {
        printf("Sources, lowest precedence first:\n");
        for (size_t i = 0; i < s->n; i++)
                printf("  %-8s %-13s %s\n", source_state_to_string(s->items[i].state),
                       config_level_to_string(s->items[i].level), s->items[i].path);
        printf("  %-8s %-13s %s\n", cmdline_state(ctx), "cmdline", ctx->cmdline_source);
}

/* The sources as JSON, the kernel command line last, as in the text. */
static json_object *sources_json(const ConfigSources *s, const Context *ctx) {
        json_object *a = config_json_sources(s), *o = json_object_new_object();

        if (!a || !o) {
                json_object_put(a);
                json_object_put(o);
                return NULL;
        }
        json_object_object_add(o, "path", json_object_new_string(ctx->cmdline_source));
        json_object_object_add(o, "level", json_object_new_string("cmdline"));
        json_object_object_add(o, "state", json_object_new_string(cmdline_state(ctx)));
        json_object_object_add(o, "format", NULL);
        json_object_array_add(a, o);
        return a;
}

static const char help_text[] =
        "seprov show-config [OPTIONS...]\n\n"
        "Prints the effective config and, for each value, where it came from; then every source read,\n"
        "lowest precedence first, and what became of it. Problems go to standard error.\n\n"
        "     --root=DIR        work on the system under DIR\n"
        "     --json[=MODE]     a JSON document: pretty (a bare --json), short or off\n"
        "     --no-pager        accepted; seprov never pages\n"
        "  -h --help            this text\n"
        "  -V --version         the version\n\n"
        "Exit status: 0 valid, 1 an input is invalid, 64 bad usage. See seprov(8).\n";

static int show_json(const Context *ctx, const Config *c, const ConfigSources *sources, bool valid,
                     JsonFormat format) {
        _cleanup_(json_object_putp) json_object *o = json_object_new_object();

        if (!o)
                return log_oom();
        json_object_object_add(o, "root", json_object_new_string(ctx->root));
        json_object_object_add(o, "stage", json_object_new_string(stage_to_string(ctx->stage)));
        json_object_object_add(o, "valid", json_object_new_boolean(valid));
        json_object_object_add(o, "config", valid ? config_json(c) : NULL);
        json_object_object_add(o, "sources", sources_json(sources, ctx));
        json_object_object_add(o, "diagnostics", config_json_diags(&ctx->diags));
        return json_print(o, format, stdout);
}

int verb_show_config(int argc, char *argv[]) {
        _cleanup_(config_sources_done) ConfigSources sources = {};
        _cleanup_(context_done) Context ctx = CONTEXT_NULL;
        _cleanup_(config_done) Config c = {};
        JsonFormat json = JSON_FORMAT_OFF;
        const char *root = NULL;
        bool valid;
        int r;

        r = verb_args_parse_root_json(argc, argv, help_text, &root, &json);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_DONE;
        r = context_open(&ctx, root, _STAGE_INVALID);
        if (r < 0)
                return EXIT_FAILED;

        r = context_load_config(&ctx, &c, &sources);
        if (r < 0 && r != -EINVAL)
                return EXIT_FAILED;
        valid = r >= 0;
        if (json != JSON_FORMAT_OFF) {
                r = show_json(&ctx, &c, &sources, valid, json);
                /* The document has them; standard error too, as for every verb. */
                fflush(stdout);
                verb_diags_print(&ctx, &ctx.diags, /* indent= */ NULL, stderr);
        } else {
                /* An invalid config has no settings to show, but which sources were read is what
                 * one needs then. */
                if (valid)
                        print_config(&c);
                print_sources(&sources, &ctx);
                fflush(stdout);
                verb_diags_print(&ctx, &ctx.diags, /* indent= */ NULL, stderr);
        }
        return !valid ? EXIT_REFUSED : r < 0 ? EXIT_FAILED : EXIT_DONE;
}
