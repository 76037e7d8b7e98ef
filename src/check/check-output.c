/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* check's report: a table for people, a stable JSON document for machines. */

#include <inttypes.h>
#include <json-c/json.h>

#include "check-advice.h"
#include "check-cause.h"
#include "check-output.h"
#include "json-util.h"
#include "strutil.h"

enum { COL_INDEX, COL_COUNT, COL_PERMISSIVE, COL_STYPE, COL_TTYPE, COL_CLASS, COL_PERMS, COL_COMM, _COL_MAX };

static const char *const headers[_COL_MAX] = { "#",           "COUNT", "PERMISSIVE",  "SOURCE TYPE",
                                               "TARGET TYPE", "CLASS", "PERMISSIONS", "COMM" };

static char *perms_joined(const AvcRecord *r) {
        char *s = NULL;

        STRV_FOREACH (p, r->perms)
                if (strextend(&s, "%s%s", s ? " " : "", *p) < 0)
                        return mfree(s);
        return s ?: strdup("-");
}

/* The cells of one row; cells[i] are new strings. Returns 0 or -ENOMEM. */
static int row_cells(const DenialGroup *g, size_t index, char *cells[_COL_MAX]) {
        const AvcRecord *r = &g->first;

        cells[COL_INDEX] = strprintf("%zu", index);
        cells[COL_COUNT] = strprintf("%" PRIu64, g->count);
        cells[COL_PERMISSIVE] = strdup(denial_group_permissive(g));
        cells[COL_STYPE] = strdup(r->stype ?: "-");
        cells[COL_TTYPE] = strdup(r->ttype ?: "-");
        cells[COL_CLASS] = strdup(r->tclass ?: "-");
        cells[COL_PERMS] = perms_joined(r);
        cells[COL_COMM] = strdup(r->comm ?: "-");
        for (size_t i = 0; i < _COL_MAX; i++)
                if (!cells[i])
                        return -ENOMEM;
        return 0;
}

static void print_row(FILE *f, char *const cells[_COL_MAX], const size_t widths[_COL_MAX]) {
        for (size_t i = 0; i < _COL_MAX; i++) {
                int w = (int) widths[i];
                if (i == COL_INDEX || i == COL_COUNT)
                        fprintf(f, "  %*s", w, cells[i]);
                else if (i == _COL_MAX - 1)
                        fprintf(f, "  %s", cells[i]); /* no trailing blanks */
                else
                        fprintf(f, "  %-*s", w, cells[i]);
        }
        fputs("\n", f);
}

static void cells_free(char **cells, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(cells[i]);
}

static int print_groups_table(const DenialSet *set, FILE *f) {
        size_t n = set->n * _COL_MAX, widths[_COL_MAX];
        char **cells = calloc(n + 1, sizeof(char *));
        int r = 0;

        if (!cells)
                return -ENOMEM;
        for (size_t c = 0; c < _COL_MAX; c++)
                widths[c] = strlen(headers[c]);
        for (size_t i = 0; r >= 0 && i < set->n; i++)
                r = row_cells(set->groups[i], i + 1, cells + i * _COL_MAX);
        for (size_t i = 0; r >= 0 && i < n; i++)
                widths[i % _COL_MAX] = MAX(widths[i % _COL_MAX], strlen(cells[i]));
        if (r >= 0) {
                print_row(f, (char *const *) headers, widths);
                for (size_t i = 0; i < set->n; i++)
                        print_row(f, cells + i * _COL_MAX, widths);
        }
        cells_free(cells, n);
        free(cells);
        return r;
}

/* Prints 'text' wrapped at 100 columns, the first line after 'first', the others after 'indent'. */
static void print_wrapped(FILE *f, const char *first, const char *indent, const char *text) {
        size_t col = fprintf(f, "%s", first);

        for (const char *s = text; *s;) {
                size_t w = strcspn(s, " ");
                if (col + w > 100 && col > strlen(indent)) {
                        col = fprintf(f, "\n%s", indent) - 1;
                } else if (s != text) {
                        fputs(" ", f);
                        col++;
                }
                col += fprintf(f, "%.*s", (int) w, s);
                s += w;
                s += strspn(s, " ");
        }
        fputs("\n", f);
}

#define INDENT "       " /* under the rule, past "  NNN  " */

/* The machines a group was seen on, when the inputs hold several: "3 machines: a, b, c". */
static int print_machines(const DenialSet *set, const DenialGroup *g, FILE *f) {
        _cleanup_free_ char *hosts = NULL, *text = NULL;
        size_t n = strv_length(g->machines);

        if (strv_length(set->machines) <= 1)
                return 0;
        STRV_FOREACH (h, g->hosts)
                if (strextend(&hosts, "%s%s", hosts ? ", " : "", *h) < 0)
                        return -ENOMEM;
        text = strprintf("on %zu of %zu machines%s%s", n, strv_length(set->machines), hosts ? ": " : "", hosts ?: "");
        if (!text)
                return -ENOMEM;
        print_wrapped(f, INDENT, INDENT, text);
        return 0;
}

static int print_group_details(const DenialSet *set, const DenialGroup *g, size_t index, FILE *f) {
        const AvcRecord *r = &g->first;
        _cleanup_free_ char *rule = NULL, *cause = NULL, *head = NULL, *nope = NULL, *seen = NULL;
        char a[FORMAT_TIMESTAMP_MAX], b[FORMAT_TIMESTAMP_MAX];
        const char *path = avc_record_path(r);
        /* The unlabelled target's pitfall says what the cause line already says. */
        const char *hint = g->cause == CHECK_CAUSE_UNLABELED ? NULL : check_advice_hint(g);

        if (check_advice_cause_line(g, &cause) < 0 || check_advice_suggestion(g, &rule) < 0)
                return -ENOMEM;
        head = strprintf("  %3zu  ", index);
        if (!head)
                return -ENOMEM;
        if (cause)
                print_wrapped(f, head, INDENT, cause);
        else if (rule)
                fprintf(f, "%s%s\n", head, rule);
        else {
                nope = strprintf("no rule to suggest for a kernel error (%s): %s", avc_kind_to_string(r->kind),
                                 r->detail ?: "-");
                if (!nope)
                        return -ENOMEM;
                print_wrapped(f, head, INDENT, nope);
        }
        seen = strprintf("%s%s%sfirst %s, last %s%s", path ? "path " : "", path ?: "", path ? "; " : "",
                         format_timestamp(a, g->first_usec), format_timestamp(b, g->last_usec),
                         r->kind == AVC_KIND_USER_AVC ? "; logged by a userspace object manager (USER_AVC)" : "");
        if (!seen)
                return -ENOMEM;
        print_wrapped(f, INDENT, INDENT, seen);
        if (g->n_printk > 0)
                print_wrapped(f, INDENT, INDENT,
                              g->n_printk == g->count
                                      ? "read from the kernel's printk copies (rate-limited): no audit record of it"
                                      : "partly read from the kernel's printk copies (rate-limited)");
        if (print_machines(set, g, f) < 0)
                return -ENOMEM;
        if (hint)
                print_wrapped(f, INDENT "hint: ", INDENT "      ", hint);
        return 0;
}

static char *source_description_one(const CheckSource *src) {
        char t[FORMAT_TIMESTAMP_MAX];
        const char *since = src->since > 0 ? format_timestamp(t, src->since) : NULL;

        bool in = streq(src->type, "audit-log") && streq(src->path, "-");

        if (streq(src->type, "audit-log"))
                return strprintf("%s%s%s%s", in ? "the audit log on standard input" : "the audit log ",
                                 in ? "" : src->path, since ? ", since " : "", since ?: "");
        return strprintf("the journal%s%s%s%s%s%s", src->path ? " in " : "", src->path ?: "",
                         src->boot_id ? ", current boot " : "", src->boot_id ?: "", since ? ", since " : "",
                         since ?: "");
}

/* What --fix wrote, and that the groups no config fixes are not in it. */
static int print_fix(const CheckFix *fix, FILE *f) {
        _cleanup_free_ char *text = NULL, *bools = NULL, *module = NULL;

        STRV_FOREACH (b, fix->booleans)
                if (strextend(&bools, "%s%s", bools ? ", " : "", *b) < 0)
                        return -ENOMEM;
        if (fix->module)
                module = strprintf(" and %s%s (module %s, %zu rule%s, priority %u)", fix->dir, fix->module_src,
                                   fix->module, fix->n_rules, fix->n_rules == 1 ? "" : "s", fix->priority);
        if (fix->module && !module)
                return -ENOMEM;
        if (!fix->booleans && !fix->module)
                text = strprintf("--fix: nothing written to %s: no group needs a rule or a boolean.", fix->dir);
        else
                text = strprintf("--fix: wrote %s%s%s%s%s%s. The directory mirrors the machine's root: copy it there "
                                 "(or into an Ignition config), check it with seprov validate, and apply.%s",
                                 fix->dir, CHECK_FIX_DROPIN, bools ? " (booleans " : "", bools ?: "", bools ? ")" : "",
                                 module ?: "",
                                 fix->n_left > 0 ? " The groups whose cause no config fixes are not in it: see their "
                                                   "fix above."
                                                 : "");
        if (!text)
                return -ENOMEM;
        fputs("\n", f);
        print_wrapped(f, "", "", text);
        return 0;
}

/* That some denials were read from the kernel's rate-limited printk copies: the counts are a lower bound. */
static int print_printk_note(const DenialSet *set, FILE *f) {
        _cleanup_free_ char *dropped = NULL, *text = NULL;

        if (set->n_printk_suppressed > 0) {
                dropped = strprintf(" (it said it dropped %" PRIu64 " messages)", set->n_printk_suppressed);
                if (!dropped)
                        return -ENOMEM;
        }
        text = strprintf("%" PRIu64 " of them read from the kernel's printk copies (\"audit: type=1400 ...\" kernel "
                         "messages), the last resort where neither auditd nor journald's audit socket received the "
                         "records. The kernel rate-limits these, so counts are a lower bound%s; enable "
                         "systemd-journald-audit.socket or auditd.service for every record.",
                         set->n_printk, dropped ?: "");
        if (!text)
                return -ENOMEM;
        print_wrapped(f, "", "", text);
        fputs("\n", f);
        return 0;
}

/* The inputs: "the audit log X", or "3 inputs: the journal in X; the audit log Y; ...". */
static char *source_description(const CheckSource *src) {
        _cleanup_free_ char *s = source_description_one(src);

        if (!s || src->n_more == 0)
                return TAKE_PTR(s);
        for (size_t i = 0; i < src->n_more; i++) {
                _cleanup_free_ char *o = source_description_one(&src->more[i]);
                if (!o || strextend(&s, "; %s", o) < 0)
                        return NULL;
        }
        return strprintf("%zu inputs: %s", src->n_more + 1, s);
}

int check_output_table(const CheckSource *src, const DenialSet *set, const CheckFix *fix, FILE *f) {
        _cleanup_free_ char *where = NULL, *summary = NULL;

        assert(src);
        assert(set);
        assert(f);

        where = source_description(src);
        if (!where)
                return -ENOMEM;
        if (set->n == 0) {
                fprintf(f, "No SELinux denials in %s.\n", where);
                return 0;
        }
        fprintf(f, "SELinux denials in %s:\n\n", where);
        if (print_groups_table(set, f) < 0)
                return -ENOMEM;
        summary = strprintf("%" PRIu64 " denial%s in %zu group%s. PERMISSIVE all: logged with permissive=1, "
                            "allowed now and denied once enforcing; none: denied already; some: both; unknown: "
                            "the record does not say (kernel errors, older kernels).",
                            set->n_records, set->n_records == 1 ? "" : "s", set->n, set->n == 1 ? "" : "s");
        if (!summary)
                return -ENOMEM;
        fputs("\n", f);
        print_wrapped(f, "", "", summary);
        fputs("\n", f);
        if (set->n_printk > 0 && print_printk_note(set, f) < 0)
                return -ENOMEM;
        if (src->policy) {
                _cleanup_free_ char *against = strprintf(
                        "Causes computed against the policy %s, each with its fix. A suggested rule is to review "
                        "and never to load blindly: it lets every process of the source type do this.",
                        src->policy);
                if (!against)
                        return -ENOMEM;
                print_wrapped(f, "", "", against);
        } else
                print_wrapped(f, "", "",
                              "Suggested rules, to review and never to load blindly: a rule lets every process of the "
                              "source type do this, and a label, a boolean or a privileged container is often the "
                              "better fix.");
        fputs("\n", f);
        for (size_t i = 0; i < set->n; i++)
                if (print_group_details(set, set->groups[i], i + 1, f) < 0)
                        return -ENOMEM;
        return fix ? print_fix(fix, f) : 0;
}

static json_object *json_string_or_null(const char *s) {
        return s ? json_object_new_string(s) : NULL;
}

static json_object *json_time(usec_t t) {
        char buf[FORMAT_TIMESTAMP_MAX];
        return json_object_new_string(format_timestamp_rfc3339(buf, t));
}

/* The keys check used before 0.2 (snake_case), kept beside the camelCase ones of every other
 * document for one release: "old" gets a reference to what "key" holds. */
static void add_deprecated_alias(json_object *o, const char *old, const char *key) {
        json_object *v = NULL;

        if (json_object_object_get_ex(o, key, &v))
                json_object_object_add(o, old, json_object_get(v));
}

static json_object *source_to_json(const CheckSource *src) {
        json_object *o = json_object_new_object();

        if (!o)
                return NULL;
        json_object_object_add(o, "type", json_object_new_string(src->type));
        json_object_object_add(o, "path", json_string_or_null(src->path));
        json_object_object_add(o, "bootId", json_string_or_null(src->boot_id));
        add_deprecated_alias(o, "boot_id", "bootId");
        return o;
}

static json_object *sources_to_json(const CheckSource *src) {
        json_object *a = json_object_new_array();

        if (a)
                json_object_array_add(a, source_to_json(src));
        for (size_t i = 0; a && i < src->n_more; i++)
                json_object_array_add(a, source_to_json(&src->more[i]));
        return a;
}

static json_object *perms_to_json(char **perms) {
        json_object *a = json_object_new_array();

        STRV_FOREACH (p, perms)
                if (a)
                        json_object_array_add(a, json_object_new_string(*p));
        return a;
}

static json_object *strv_to_json(char **l) {
        json_object *a = json_object_new_array();

        STRV_FOREACH (s, l)
                if (a)
                        json_object_array_add(a, json_object_new_string(*s));
        return a;
}

static json_object *booleans_to_json(const KPolicyAccess *a) {
        json_object *l = json_object_new_array();

        for (size_t i = 0; l && i < a->n_booleans; i++) {
                json_object *b = json_object_new_object();
                if (!b)
                        return json_object_put(l), NULL;
                json_object_object_add(b, "name", json_object_new_string(a->booleans[i].name));
                json_object_object_add(b, "value", json_object_new_boolean(a->booleans[i].value));
                json_object_array_add(l, b);
        }
        return l;
}

static json_object *group_to_json(const DenialGroup *g) {
        const AvcRecord *r = &g->first;
        _cleanup_free_ char *rule = NULL;
        json_object *o;

        if (check_advice_suggestion(g, &rule) < 0 || !(o = json_object_new_object()))
                return NULL;
        json_object_object_add(o, "record", json_object_new_string(avc_kind_to_string(r->kind)));
        json_object_object_add(o, "scontextType", json_string_or_null(r->stype));
        json_object_object_add(o, "tcontextType", json_string_or_null(r->ttype));
        json_object_object_add(o, "tclass", json_string_or_null(r->tclass));
        json_object_object_add(o, "permissions", perms_to_json(r->perms));
        json_object_object_add(o, "comm", json_string_or_null(r->comm));
        json_object_object_add(o, "path", json_string_or_null(avc_record_path(r)));
        json_object_object_add(o, "scontext", json_string_or_null(r->scontext));
        json_object_object_add(o, "tcontext", json_string_or_null(r->tcontext));
        json_object_object_add(o, "detail", json_string_or_null(r->detail));
        json_object_object_add(o, "count", json_object_new_int64((int64_t) g->count));
        json_object_object_add(o, "permissive", json_object_new_string(denial_group_permissive(g)));
        json_object_object_add(o, "permissiveCount", json_object_new_int64((int64_t) g->n_permissive));
        json_object_object_add(o, "first", json_time(g->first_usec));
        json_object_object_add(o, "last", json_time(g->last_usec));
        json_object_object_add(o, "firstUsec", json_object_new_int64((int64_t) g->first_usec));
        json_object_object_add(o, "lastUsec", json_object_new_int64((int64_t) g->last_usec));
        json_object_object_add(o, "machines", json_object_new_int64((int64_t) strv_length(g->machines)));
        json_object_object_add(o, "hosts", strv_to_json(g->hosts));
        json_object_object_add(o, "transport", json_object_new_string(denial_group_transport(g)));
        json_object_object_add(o, "printkCount", json_object_new_int64((int64_t) g->n_printk));
        json_object_object_add(o, "cause", json_string_or_null(check_cause_to_string(g->cause)));
        json_object_object_add(o, "booleans", booleans_to_json(&g->access));
        json_object_object_add(o, "constraint", json_string_or_null(g->constraint));
        json_object_object_add(o, "suggestion", json_string_or_null(rule));
        json_object_object_add(o, "hint", json_string_or_null(check_advice_hint(g)));
        add_deprecated_alias(o, "scontext_type", "scontextType");
        add_deprecated_alias(o, "tcontext_type", "tcontextType");
        add_deprecated_alias(o, "permissive_count", "permissiveCount");
        add_deprecated_alias(o, "first_usec", "firstUsec");
        add_deprecated_alias(o, "last_usec", "lastUsec");
        return o;
}

static json_object *fix_to_json(const CheckFix *fix) {
        json_object *o, *bools;

        if (!fix)
                return NULL;
        o = json_object_new_object();
        bools = json_object_new_array();
        if (!o || !bools) {
                json_object_put(o);
                json_object_put(bools);
                return NULL;
        }
        STRV_FOREACH (b, fix->booleans)
                json_object_array_add(bools, json_object_new_string(*b));
        json_object_object_add(o, "directory", json_object_new_string(fix->dir));
        json_object_object_add(o, "dropIn",
                               fix->booleans || fix->module ? json_object_new_string(CHECK_FIX_DROPIN) : NULL);
        json_object_object_add(o, "booleans", bools);
        json_object_object_add(o, "module", json_string_or_null(fix->module));
        json_object_object_add(o, "source", json_string_or_null(fix->module_src));
        json_object_object_add(o, "priority", fix->module ? json_object_new_int((int) fix->priority) : NULL);
        json_object_object_add(o, "rules", json_object_new_int64((int64_t) fix->n_rules));
        return o;
}

int check_output_json(const CheckSource *src, const DenialSet *set, const CheckFix *fix, JsonFormat format, FILE *f) {
        _cleanup_(json_object_putp) json_object *o = json_object_new_object();
        json_object *groups = json_object_new_array();

        assert(src);
        assert(set);
        assert(f);

        if (!o || !groups) {
                json_object_put(groups);
                return -ENOMEM;
        }
        json_object_object_add(o, "source", source_to_json(src));
        json_object_object_add(o, "sources", sources_to_json(src));
        json_object_object_add(o, "machines", json_object_new_int64((int64_t) strv_length(set->machines)));
        json_object_object_add(o, "since", src->since > 0 ? json_time(src->since) : NULL);
        json_object_object_add(o, "policy", json_string_or_null(src->policy));
        json_object_object_add(o, "denials", json_object_new_int64((int64_t) set->n_records));
        json_object_object_add(o, "printkDenials", json_object_new_int64((int64_t) set->n_printk));
        json_object_object_add(o, "printkSuppressed", json_object_new_int64((int64_t) set->n_printk_suppressed));
        json_object_object_add(o, "groups", groups);
        json_object_object_add(o, "fix", fix_to_json(fix));
        for (size_t i = 0; i < set->n; i++) {
                json_object *g = group_to_json(set->groups[i]);
                if (!g)
                        return -ENOMEM;
                json_object_array_add(groups, g);
        }
        return json_print(o, format, f) == -ENOMEM ? -ENOMEM : 0;
}
