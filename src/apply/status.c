/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* /run/seprov/status.json: what the last apply of each stage did, for `seprov status` and for the
 * people who debug a boot later. */

#include <time.h>

#include "config-json.h"
#include "fileio.h"
#include "json-util.h"
#include "status.h"
#include "strutil.h"

#define STATUS_DIR  "/" CONTEXT_SEPROV_RUN_DIR
#define STATUS_NAME "status.json"
#define STATUS_MAX  (4 * 1024 * 1024)

static json_object *actions_to_json(const Report *r) {
        json_object *a = json_object_new_array();

        for (size_t i = 0; a && i < r->n_actions; i++) {
                json_object *o = json_object_new_object();
                if (!o)
                        break;
                json_object_object_add(o, "action", json_object_new_string(r->actions[i].action));
                json_object_object_add(o, "outcome", json_object_new_string(outcome_to_string(r->actions[i].outcome)));
                json_object_object_add(o, "message", json_object_new_string(r->actions[i].message));
                json_object_object_add(o, "usec", json_object_new_int64((int64_t) r->actions[i].usec));
                json_object_array_add(a, o);
        }
        return a;
}

static json_object *strv_to_json(char *const *l) {
        json_object *a = json_object_new_array();

        STRV_FOREACH (s, l)
                if (a)
                        json_object_array_add(a, json_object_new_string(*s));
        return a;
}

static json_object *timestamp_now(void) {
        char buf[64];
        time_t t = time(NULL);
        struct tm tm;

        if (!gmtime_r(&t, &tm) || strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                return NULL;
        return json_object_new_string(buf);
}

json_object *status_entry_new(const Apply *a, ApplyResult result) {
        json_object *o = json_object_new_object();

        assert(a);

        if (!o)
                return NULL;
        json_object_object_add(o, "stage", json_object_new_string(stage_to_string(a->ctx->stage)));
        json_object_object_add(o, "root", json_object_new_string(a->ctx->root));
        json_object_object_add(o, "result", json_object_new_string(apply_result_to_string(result)));
        json_object_object_add(o, "dryRun", json_object_new_boolean(a->dry_run));
        json_object_object_add(o, "time", timestamp_now());
        json_object_object_add(o, "usec",
                               json_object_new_int64((int64_t) (report_now_usec() - a->report.started_usec)));
        json_object_object_add(o, "error", a->report.error ? json_object_new_string(a->report.error) : NULL);
        json_object_object_add(o, "actions", actions_to_json(&a->report));
        json_object_object_add(o, "warnings", strv_to_json(a->report.warnings));
        json_object_object_add(o, "fileContextsChanged", strv_to_json(a->fcontexts_changed));
        json_object_object_add(o, "diagnostics", config_json_diags(&a->ctx->diags));
        json_object_object_add(o, "config", a->config ? config_json(a->config) : NULL);
        return o;
}

int status_read(int run_fd, json_object **ret) {
        _cleanup_free_ char *text = NULL;
        enum json_tokener_error err;
        json_object *o;
        int r;

        assert(ret);

        if (run_fd < 0)
                return -ENOENT;
        r = read_full_file_at(run_fd, STATUS_DIR "/" STATUS_NAME, STATUS_MAX, &text, /* ret_size= */ NULL,
                              /* ret_st= */ NULL, /* ret_path= */ NULL);
        if (r < 0)
                return r;
        o = json_tokener_parse_verbose(text, &err);
        if (!o || !json_object_is_type(o, json_type_object)) {
                json_object_put(o);
                return -EBADMSG;
        }
        *ret = o;
        return 0;
}

int status_write(const Context *c, json_object *entry) {
        _cleanup_(json_object_putp) json_object *doc = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        WriteOptions o = { .mode = 0644, .uid = (uid_t) -1, .gid = (gid_t) -1, .runtime = true };
        const char *text;

        assert(c);
        assert(entry);

        if (c->run_fd < 0)
                return -ENOENT;
        /* Keep the other stage's entry: the initrd's stays readable after the system stage ran. */
        if (status_read(c->run_fd, &doc) < 0) {
                doc = json_object_new_object();
                if (!doc)
                        return -ENOMEM;
        }
        json_object_object_add(doc, stage_to_string(c->stage), json_object_get(entry));
        json_object_object_add(doc, "last", json_object_new_string(stage_to_string(c->stage)));
        text = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!text)
                return -ENOMEM;
        dir_fd = context_seprov_run_open(c);
        if (dir_fd < 0)
                return dir_fd;
        return write_file_atomic_at(dir_fd, STATUS_NAME, text, strlen(text), &o);
}
