/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Structured journal entries, so that each kind of event can be found by its MESSAGE_ID. libsystemd
 * is loaded with the first entry: a run that logs nothing to the journal never loads it. */

#include "dlopen-libs.h"
#include "log-journal.h"
#include "macro.h"

int log_journal_send(int level, const char *message_id, const char *code_file, int code_line, const char *code_func,
                     const char *message) {
        static bool loading;
        char file_field[512], line_field[64];
        int r;

        assert(code_file);
        assert(code_func);
        assert(message);

        /* Failing to load logs an error, which comes back here: that one goes to the console. */
        if (loading)
                return -EBUSY;
        loading = true;
        r = dlopen_libsystemd();
        loading = false;
        if (r < 0)
                return r;

        snprintf(file_field, sizeof file_field, "CODE_FILE=%s", code_file);
        snprintf(line_field, sizeof line_field, "CODE_LINE=%d", code_line);

        /* sd_journal_send() stops at the first NULL, so MESSAGE_ID goes last. */
        return sym_sd_journal_send_with_location(file_field, line_field, code_func, "MESSAGE=%s", message,
                                                 "PRIORITY=%d", level, "SYSLOG_IDENTIFIER=seprov",
                                                 message_id ? "MESSAGE_ID=%s" : NULL, message_id, NULL);
}
