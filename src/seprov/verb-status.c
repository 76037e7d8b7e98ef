/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* seprov status: the mode asked, persisted, overridden and live; the policy and its store; what the
 * last apply of each stage did. */

#include <selinux/selinux.h>

#include "audit-rules.h"
#include "config-json.h"
#include "context.h"
#include "json-util.h"
#include "layout.h"
#include "log.h"
#include "status-records.h"
#include "status.h"
#include "store.h"
#include "strutil.h"
#include "verbs.h"

typedef struct StatusView {
        Context *ctx;
        Layout layout;
        Config config;
        bool config_valid;
        int live;          /* 1 enforcing, 0 permissive, -1 no SELinux, -2 not looked at */
        json_object *last; /* status.json, or NULL */
        AuditState audit;
        bool audit_known;
        StoreState store;
        bool store_known;
        RecordsRoute records;
} StatusView;

/* Releases what the view holds; each part is empty when it was not looked at. */
static void status_view_done(StatusView *v) {
        json_object_put(v->last);
        audit_state_done(&v->audit);
        store_state_done(&v->store);
        config_done(&v->config);
        layout_done(&v->layout);
}

static int live_mode(const Context *ctx) {
        if (ctx->offline)
                return -2;
        if (is_selinux_enabled() <= 0)
                return -1;
        return security_getenforce();
}

static const char *live_to_string(int live) {
        return live == 1    ? "enforcing"
               : live == 0  ? "permissive"
               : live == -1 ? "no SELinux policy loaded"
                            : "not looked at (offline root)";
}

static json_object *path_json(const LayoutPath *p) {
        json_object *o = json_object_new_object();

        if (!o)
                return NULL;
        json_object_object_add(o, "path", json_object_new_string(p->path));
        json_object_object_add(o, "resolved", p->resolved ? json_object_new_string(p->resolved) : NULL);
        json_object_object_add(o, "link", json_object_new_boolean(p->is_link));
        json_object_object_add(o, "kind", json_object_new_string(path_kind_to_string(p->kind)));
        return o;
}

/* Why seprov does nothing on this boot, as apply decides it (the kernel word), or NULL. */
static const char *status_off(const StatusView *v) {
        if (v->ctx->args.seprov == 0)
                return "seprov=0";
        if (v->ctx->args.selinux == 0 && !(v->config_valid && v->config.mode == SELINUX_MODE_ENFORCING))
                return "selinux=0";
        return NULL;
}

static json_object *mode_json(const StatusView *v) {
        json_object *o = json_object_new_object();
        const char *persistent = selinux_mode_to_string(v->layout.config.mode);

        if (!o)
                return NULL;
        json_object_object_add(o, "persistent", persistent ? json_object_new_string(persistent) : NULL);
        json_object_object_add(o, "asked",
                               v->config_valid && v->config.mode >= 0 && !status_off(v)
                                       ? json_object_new_string(selinux_mode_to_string(v->config.mode))
                                       : NULL);
        /* The kernel word that makes seprov do nothing: nothing is asked then, whatever the config says. */
        json_object_object_add(o, "off", status_off(v) ? json_object_new_string(status_off(v)) : NULL);
        json_object_object_add(o, "bootOverride",
                               v->ctx->args.enforcing >= 0
                                       ? json_object_new_string(v->ctx->args.enforcing ? "enforcing" : "permissive")
                                       : NULL);
        json_object_object_add(o, "live", v->live >= 0 ? json_object_new_string(live_to_string(v->live)) : NULL);
        return o;
}

static json_object *audit_json(const StatusView *v) {
        json_object *o;

        if (!v->audit_known || v->audit.missing)
                return NULL;
        o = json_object_new_object();
        if (!o)
                return NULL;
        json_object_object_add(o, "selinuxEventsDropped", json_object_new_boolean(v->audit.selinux_dropped));
        json_object_object_add(o, "droppedBy",
                               v->audit.dropped_by ? json_object_new_string(v->audit.dropped_by) : NULL);
        json_object_object_add(o, "droppedTypes",
                               v->audit.dropped_types ? json_object_new_string(v->audit.dropped_types) : NULL);
        json_object_object_add(o, "rulesRewritten", json_object_new_int((int) v->audit.n_marked));
        return o;
}

static json_object *tristate_json(int v) {
        return v >= 0 ? json_object_new_boolean(v) : NULL;
}

/* audit.selinuxEvents is on and nothing but the kernel's printk copies receives the records. */
static bool records_unreliable(const StatusView *v) {
        return v->config_valid && v->config.audit_selinux_events > 0 && records_route_reliable(&v->records) == 0;
}

static json_object *records_json(const StatusView *v) {
        const char *d = records_route_destination(&v->records);
        json_object *o = json_object_new_object();

        if (!o)
                return NULL;
        json_object_object_add(o, "from", json_object_new_string(v->records.offline ? "unit-files" : "units"));
        json_object_object_add(o, "auditd", tristate_json(v->records.auditd));
        json_object_object_add(o, "journaldAudit", tristate_json(v->records.journald));
        json_object_object_add(o, "destination", d ? json_object_new_string(d) : NULL);
        json_object_object_add(o, "reliable", tristate_json(records_route_reliable(&v->records)));
        json_object_object_add(o, "warning", json_object_new_boolean(records_unreliable(v)));
        return o;
}

static json_object *strv_json(char *const *l) {
        json_object *a = json_object_new_array();
        STRV_FOREACH (s, l)
                if (a)
                        json_object_array_add(a, json_object_new_string(*s));
        return a;
}

/* Whether the system enforces: the kernel says so, or, for an offline root, its persistent mode does. */
static bool status_enforcing(const StatusView *v) {
        return v->live >= -1 ? v->live == 1 : v->layout.config.mode == SELINUX_MODE_ENFORCING;
}

/* Permissive domains seprov set while the system enforces: the workloads still rolled out unenforced. */
static bool permissive_warning(const StatusView *v) {
        return v->store_known && v->store.permissive && status_enforcing(v);
}

static json_object *permissive_json(const StatusView *v) {
        json_object *o;

        if (!v->store_known || !(o = json_object_new_object()))
                return NULL;
        json_object_object_add(o, "domains", strv_json(v->store.permissive));
        json_object_object_add(o, "enforcing", json_object_new_boolean(status_enforcing(v)));
        json_object_object_add(o, "warning", json_object_new_boolean(permissive_warning(v)));
        return o;
}

static json_object *store_json(const StatusView *v) {
        const StoreState *s = &v->store;
        json_object *o;

        if (!v->store_known || !(o = json_object_new_object()))
                return NULL;
        json_object_object_add(o, "state", json_object_new_string(store_kind_to_string(s->kind)));
        json_object_object_add(o, "path", s->store ? json_object_new_string(s->store) : NULL);
        json_object_object_add(o, "copiedFrom", s->copied_from ? json_object_new_string(s->copied_from) : NULL);
        json_object_object_add(o, "policyCopiedFrom",
                               s->policy_copied_from ? json_object_new_string(s->policy_copied_from) : NULL);
        json_object_object_add(o, "policyStale", json_object_new_boolean(s->policy_stale));
        json_object_object_add(o, "rebuildPending", json_object_new_boolean(s->rebuild_pending));
        json_object_object_add(o, "localChanges", strv_json(s->local_changes));
        json_object_object_add(o, "dontauditDisabled", json_object_new_boolean(s->dontaudit_disabled));
        json_object_object_add(o, "booleans", strv_json(s->booleans));
        json_object_object_add(o, "modules", strv_json(s->modules));
        return o;
}

/* A root with neither an SELinux config nor a compiled policy (an empty directory, a wrong --root) is
 * no system to summarise: what is missing, and no more. */
static bool status_no_selinux(const StatusView *v) {
        return !layout_has_selinux(&v->layout);
}

static int print_json(const StatusView *v, JsonFormat format) {
        _cleanup_(json_object_putp) json_object *o = json_object_new_object();

        if (!o)
                return log_oom();
        json_object_object_add(o, "root", json_object_new_string(v->ctx->root));
        json_object_object_add(o, "hasSelinux", json_object_new_boolean(!status_no_selinux(v)));
        json_object_object_add(o, "mode", mode_json(v));
        /* Without an SELinux config there is no policy type, only the default libselinux would
         * look for (which the paths below show): absent, null. */
        json_object_object_add(o, "policyType",
                               v->layout.config_file.kind == PATH_MISSING ? NULL
                                                                          : json_object_new_string(v->layout.type));
        json_object_object_add(o, "config", path_json(&v->layout.config_file));
        json_object_object_add(o, "policy", path_json(&v->layout.policy));
        json_object_object_add(o, "store", path_json(&v->layout.store));
        json_object_object_add(o, "storeState", store_json(v));
        json_object_object_add(o, "audit", audit_json(v));
        json_object_object_add(o, "records", records_json(v));
        json_object_object_add(o, "permissiveDomains", permissive_json(v));
        json_object_object_add(o, "asked", v->config_valid ? config_json(&v->config) : NULL);
        json_object_object_add(o, "diagnostics", config_json_diags(&v->ctx->diags));
        json_object_object_add(o, "lastApply", json_object_get(v->last));
        return json_print(o, format, stdout);
}

static void print_path(const char *title, const LayoutPath *p) {
        printf("%-12s%s: %s", title, p->path, path_kind_to_string(p->kind));
        if (p->is_link)
                printf(" (a link to %s)", strna(p->resolved));
        printf("\n");
}

static void print_mode(const StatusView *v) {
        const Origin *o = &v->config.mode_origin;

        printf("%-12s%s in %s\n", "Mode:", selinux_mode_to_string(v->layout.config.mode) ?: "(none)",
               SELINUX_CONFIG_PATH);
        if (status_off(v))
                printf("%-12snothing: %s on the kernel command line, seprov does nothing\n", "Asked:", status_off(v));
        else if (!v->config_valid)
                printf("%-12sunknown: the config is invalid (see below)\n", "Asked:");
        else if (v->config.mode < 0)
                printf("%-12snothing (the mode is left as it is)\n", "Asked:");
        else if (o->file && !streq(o->file, ORIGIN_CMDLINE))
                printf("%-12s%s, by %s:%u:%u\n", "Asked:", selinux_mode_to_string(v->config.mode), o->file, o->line,
                       o->column);
        else
                printf("%-12s%s, by %s\n", "Asked:", selinux_mode_to_string(v->config.mode),
                       o->file ?: "the built-in default");
        if (v->ctx->args.enforcing >= 0)
                printf("%-12senforcing=%d on the kernel command line: %s for this boot only\n",
                       "Override:", v->ctx->args.enforcing, v->ctx->args.enforcing ? "enforcing" : "permissive");
        printf("%-12s%s\n", "Kernel:", live_to_string(v->live));
}

static void print_audit(const StatusView *v) {
        if (!v->audit_known)
                printf("%-12sunknown: the rules could not be read\n", "Audit:");
        else if (v->audit.missing)
                printf("%-12sno %s\n", "Audit:", AUDIT_RULES_DIR);
        else if (v->audit.selinux_dropped)
                printf("%-12sSELinux records are dropped by %s: %s\n", "Audit:", strna(v->audit.dropped_by),
                       strna(v->audit.dropped_types));
        else
                printf("%-12sSELinux records reach the log (%u rule%s rewritten by seprov)\n",
                       "Audit:", v->audit.n_marked, v->audit.n_marked == 1 ? "" : "s");
}

static void print_records(const StatusView *v) {
        const char *d = records_route_destination(&v->records), *how = v->records.offline ? "enabled" : "active";

        if (!d)
                printf("%-12sunknown: the state of auditd.service and systemd-journald-audit.socket cannot be read\n",
                       "Records:");
        else if (streq(d, "auditd"))
                printf("%-12sSELinux records go to auditd's log (auditd.service %s)\n", "Records:", how);
        else if (streq(d, "journald"))
                printf("%-12sSELinux records go to the journal (systemd-journald-audit.socket %s, auditd.service "
                       "not)\n",
                       "Records:", how);
        else
                printf("%-12sonly the kernel's rate-limited printk copies (\"audit: type=1400 ...\" kernel messages): "
                       "neither auditd.service nor systemd-journald-audit.socket is %s\n",
                       "Records:", how);
        if (records_unreliable(v))
                printf("%-12saudit.selinuxEvents is on, but nothing reliable receives the records: the kernel "
                       "drops printk copies past its rate limit. Enable auditd.service or "
                       "systemd-journald-audit.socket.\n",
                       "Warning:");
}

static void print_list(const char *title, char *const *l) {
        _cleanup_free_ char *joined = NULL;
        STRV_FOREACH (s, l)
                if (strextend(&joined, "%s%s", joined ? ", " : "", *s) < 0)
                        return;
        if (joined)
                printf("%-12s%s\n", title, joined);
}

static void print_store(const StatusView *v) {
        const StoreState *s = &v->store;

        if (!v->store_known) {
                print_path("Store:", &v->layout.store);
                return;
        }
        printf("%-12s%s: %s", "Store:", strna(s->store), store_kind_to_string(s->kind));
        if (s->copied_from)
                printf(", copied from %s", s->copied_from);
        printf("\n");
        if (s->policy_stale || s->rebuild_pending)
                printf("%-12s%s%s\n", "",
                       s->policy_stale ? "the image's compiled policy changed since it was copied; " : "",
                       s->rebuild_pending ? "a policy rebuild is pending" : "");
        printf("%-12sdontaudit rules %s\n", "", s->dontaudit_disabled ? "disabled" : "enabled");
        print_list("Local:", s->local_changes);
        print_list("Booleans:", s->booleans);
        print_list("Modules:", s->modules);
        print_list("Permissive:", s->permissive);
        if (permissive_warning(v)) {
                _cleanup_free_ char *joined = NULL;

                STRV_FOREACH (d, s->permissive)
                        if (strextend(&joined, "%s%s", joined ? ", " : "", *d) < 0)
                                break;
                printf("%-12sthe system enforces, but seprov's config keeps %s permissive: %s still unenforced "
                       "(drop %s from permissiveDomains to enforce %s)\n",
                       "Warning:", strna(joined),
                       strv_length(s->permissive) == 1 ? "this domain is" : "these domains are",
                       strv_length(s->permissive) == 1 ? "it" : "them",
                       strv_length(s->permissive) == 1 ? "it" : "them");
        }
        if (s->leftovers > 0)
                printf("%-12s%d staging tree%s left by an interrupted apply (the next apply removes them)\n", "",
                       s->leftovers, s->leftovers == 1 ? "" : "s");
}

static const char *json_member_string(json_object *o, const char *key) {
        json_object *m;
        return json_object_object_get_ex(o, key, &m) ? json_object_get_string(m) : NULL;
}

static unsigned json_member_uint(json_object *o, const char *key) {
        json_object *m;
        return json_object_object_get_ex(o, key, &m) && json_object_is_type(m, json_type_int)
                       ? (unsigned) MAX(json_object_get_int(m), 0)
                       : 0;
}

/* What a stage recorded about its inputs and its run: the diagnostics that made it refuse, and its
 * warnings, as they were when it ran. */
static void print_recorded(const StatusView *v, json_object *stage) {
        json_object *diags, *warnings;

        if (json_object_object_get_ex(stage, "diagnostics", &diags) && json_object_is_type(diags, json_type_array))
                for (size_t i = 0; i < json_object_array_length(diags); i++) {
                        json_object *o = json_object_array_get_idx(diags, i);
                        _cleanup_free_ char *s = NULL;
                        Diag d = {
                                .level = streq_ptr(json_member_string(o, "level"), "warning") ? DIAG_WARNING
                                                                                              : DIAG_ERROR,
                                .file = (char *) strempty(json_member_string(o, "file")),
                                .line = json_member_uint(o, "line"),
                                .column = json_member_uint(o, "column"),
                                .message = (char *) strempty(json_member_string(o, "message")),
                        };

                        (void) verb_diag_format(v->ctx, &d, &s);
                        printf("%-12s  %s\n", "", s ?: d.message);
                }
        if (json_object_object_get_ex(stage, "warnings", &warnings) && json_object_is_type(warnings, json_type_array))
                for (size_t i = 0; i < json_object_array_length(warnings); i++)
                        printf("%-12s  warning: %s\n", "",
                               json_object_get_string(json_object_array_get_idx(warnings, i)));
}

static void print_last(const StatusView *v) {
        json_object *stage;

        if (!v->last) {
                printf("%-12snone recorded in %s/seprov/status.json\n", "Last apply:", v->ctx->run_dir);
                return;
        }
        for (Stage s = 0; s < _STAGE_MAX; s++) {
                json_object *result, *error, *time, *actions;

                if (!json_object_object_get_ex(v->last, stage_to_string(s), &stage))
                        continue;
                json_object_object_get_ex(stage, "result", &result);
                json_object_object_get_ex(stage, "error", &error);
                json_object_object_get_ex(stage, "time", &time);
                printf("%-12s%s stage: %s at %s%s%s\n", "Last apply:", stage_to_string(s),
                       json_object_get_string(result), json_object_get_string(time), error ? ": " : "",
                       error ? json_object_get_string(error) : "");
                if (json_object_object_get_ex(stage, "actions", &actions))
                        for (size_t i = 0; i < json_object_array_length(actions); i++) {
                                json_object *act = json_object_array_get_idx(actions, i), *n, *m, *oc;
                                json_object_object_get_ex(act, "action", &n);
                                json_object_object_get_ex(act, "message", &m);
                                json_object_object_get_ex(act, "outcome", &oc);
                                if (!streq(json_object_get_string(oc), "unchanged"))
                                        printf("%-12s  %s: %s\n", "", json_object_get_string(n),
                                               json_object_get_string(m));
                        }
                print_recorded(v, stage);
        }
}

/* The problems of the inputs now (those each stage recorded are under its line). */
static void print_problems(const StatusView *v) {
        if (v->ctx->diags.n > 0) {
                printf("Problems:\n");
                verb_diags_print(v->ctx, &v->ctx->diags, "  ", stdout);
        }
}

static void print_missing(const StatusView *v) {
        printf("%-12s%s has no SELinux: no %s, no %s, no compiled policy in /usr%s\n", "Root:", v->ctx->root,
               v->layout.config_file.path, v->layout.policy.path,
               v->layout.store.kind == PATH_MISSING ? ", no policy store" : "");
}

static void print_text(const StatusView *v) {
        if (status_no_selinux(v)) {
                print_missing(v);
                print_last(v);
                print_problems(v);
                return;
        }
        print_mode(v);
        printf("%-12s%s\n", "Policy:", v->layout.type);
        print_path("", &v->layout.policy);
        print_store(v);
        print_audit(v);
        print_records(v);
        print_last(v);
        print_problems(v);
}

static const char help_text[] =
        "seprov status [OPTIONS...]\n\n"
        "Shows the SELinux state: the mode persisted, asked, overridden for this boot and live; the\n"
        "policy and its store; the audit rules; where SELinux records go; what the last apply of\n"
        "each stage did; any problem with the inputs.\n\n"
        "     --root=DIR        work on the system under DIR\n"
        "     --json[=MODE]     a JSON document: pretty (a bare --json), short or off\n"
        "     --no-pager        accepted; seprov never pages\n"
        "  -h --help            this text\n"
        "  -V --version         the version\n\n"
        "Exit status: 0, also when an input is invalid (status shows it); 64 bad usage.\n"
        "See seprov(8).\n";

int verb_status(int argc, char *argv[]) {
        _cleanup_(context_done) Context ctx = CONTEXT_NULL;
        _cleanup_(status_view_done) StatusView v = { .ctx = &ctx };
        JsonFormat json = JSON_FORMAT_OFF;
        const char *root = NULL;
        int r;

        r = verb_args_parse_root_json(argc, argv, help_text, &root, &json);
        if (r <= 0)
                return r < 0 ? EXIT_USAGE : EXIT_DONE;
        r = context_open(&ctx, root, _STAGE_INVALID);
        if (r < 0)
                return EXIT_FAILED;
        r = layout_discover(ctx.root_fd, &v.layout);
        if (r < 0) {
                log_error_errno(r, "Failed to look at the SELinux layout of %s: %m", ctx.root);
                return EXIT_FAILED;
        }
        layout_log_debug(ctx.root, &v.layout);
        r = context_load_config(&ctx, &v.config, /* sources= */ NULL);
        if (r < 0 && r != -EINVAL)
                return EXIT_FAILED;
        v.config_valid = r >= 0; /* an invalid config is part of the status, not a failure of it */
        v.live = live_mode(&ctx);
        v.audit_known = audit_rules_state(ctx.root_fd, &v.audit) >= 0;
        v.store_known = store_state_read(ctx.root_fd, &v.layout, &v.store) >= 0;
        records_route_read(ctx.root_fd, ctx.offline, &v.records);
        (void) status_read(ctx.run_fd, &v.last);

        r = 0;
        if (json != JSON_FORMAT_OFF)
                r = print_json(&v, json);
        else
                print_text(&v);
        return r < 0 ? EXIT_FAILED : EXIT_DONE;
}
