/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The journal sink for log.c, through sd-journal. Only the seprov binary links it. */
#pragma once

/* Sends one structured entry (MESSAGE, PRIORITY, MESSAGE_ID when given, CODE_*, SYSLOG_IDENTIFIER).
 * Returns 0 or a negative errno. */
int log_journal_send(int level, const char *message_id, const char *code_file, int code_line, const char *code_func,
                     const char *message);
