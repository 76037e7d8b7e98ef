/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Fuzzes the audit record parser (each kind, and PATH/CWD completion) and the auditd log reader. */

#include "check-advice.h"
#include "check-source.h"
#include "fuzz.h"
#include "macro.h"

static void parse_records(const char *text) {
        _cleanup_(audit_event_paths_done) AuditEventPaths e = {};

        (void) audit_event_paths_add(&e, AUDIT_TYPE_PATH, text);
        (void) audit_event_paths_add(&e, AUDIT_TYPE_CWD, text);
        for (AvcKind k = 0; k < _AVC_KIND_MAX; k++) {
                AvcRecord r;
                if (avc_record_parse(k, text, &r) <= 0)
                        continue;
                (void) avc_record_resolve_path(&r, &e);
                avc_record_done(&r);
        }
}

static void parse_log(const uint8_t *data, size_t size) {
        _cleanup_(denial_set_done) DenialSet set = {};
        FILE *f = fmemopen((void *) data, size, "r");

        if (!f)
                return;
        (void) check_auditlog_parse(f, NULL, 0, &set, NULL, NULL, NULL);
        fclose(f);
        denial_set_sort(&set);
        for (size_t i = 0; i < set.n; i++) {
                _cleanup_free_ char *rule = NULL;
                (void) check_advice_suggestion(set.groups[i], &rule);
                (void) check_advice_hint(set.groups[i]);
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = strndup((const char *) data, size);

        if (!text || size == 0)
                return 0;
        parse_records(text);
        parse_log(data, size);
        return 0;
}
