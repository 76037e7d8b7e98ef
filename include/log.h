/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Logging to the console, /dev/kmsg or the journal, systemd-style: a function that decides logs once. */
#pragma once

#include <stdarg.h>
#include <syslog.h>

#include "macro.h"

typedef enum LogTarget {
        LOG_TARGET_AUTO,    /* journal if stderr is connected to it, console otherwise */
        LOG_TARGET_CONSOLE, /* stderr */
        LOG_TARGET_KMSG,    /* /dev/kmsg: generators and the early initrd */
        LOG_TARGET_JOURNAL, /* structured, with MESSAGE_ID fields */
        LOG_TARGET_NULL,
} LogTarget;

/* A structured sink for LOG_TARGET_JOURNAL. seprov registers one backed by sd-journal; the generator
 * does not, so it never links libsystemd. Returns 0 or a negative errno. */
typedef int (*log_sink_t)(int level, const char *message_id, const char *code_file, int code_line,
                          const char *code_func, const char *message);

void log_set_ident(const char *ident);
void log_set_target(LogTarget target);
LogTarget log_get_target(void);
void log_set_journal_sink(log_sink_t sink);
void log_set_max_level(int level);

/* True when 'fd' is the stream systemd connected to the journal ($JOURNAL_STREAM is device:inode). */
bool log_fd_is_journal_stream(int fd);

/* True when logs go to the journal or kmsg, not to a terminal: then events are logged there, and a
 * command's own report on stdout does not repeat on stderr. */
bool log_target_is_structured(void);
int log_get_max_level(void);

/* Reads $SYSTEMD_LOG_TARGET (console|kmsg|journal|null|auto), $SYSTEMD_LOG_LEVEL and $SEPROV_DEBUG
 * (any value but 0 turns on debug tracing). Unknown values are ignored. */
void log_parse_environment(void);

/* Writes one line, "seprov: MESSAGE", to /dev/console, whatever the log target: for what the operator
 * at the console of a stopped boot must read there (the journal gets its own copy from the caller).
 * Best effort: a console that cannot be opened is skipped. */
void log_console(const char *format, ...) _printf_(1, 2);

/* Returns -abs(error), so callers can 'return log_error_errno(r, ...)'. '%m' prints strerror(error). */
int log_internal(int level, int error, const char *message_id, const char *file, int line, const char *func,
                 const char *format, ...) _printf_(7, 8);

#define log_full_errno(level, error, ...) \
        log_internal((level), (error), NULL, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define log_full(level, ...) (void) log_full_errno((level), 0, __VA_ARGS__)

#define log_debug(...)   log_full(LOG_DEBUG, __VA_ARGS__)
#define log_info(...)    log_full(LOG_INFO, __VA_ARGS__)
#define log_notice(...)  log_full(LOG_NOTICE, __VA_ARGS__)
#define log_warning(...) log_full(LOG_WARNING, __VA_ARGS__)
#define log_error(...)   log_full(LOG_ERR, __VA_ARGS__)

#define log_debug_errno(error, ...)   log_full_errno(LOG_DEBUG, (error), __VA_ARGS__)
#define log_info_errno(error, ...)    log_full_errno(LOG_INFO, (error), __VA_ARGS__)
#define log_warning_errno(error, ...) log_full_errno(LOG_WARNING, (error), __VA_ARGS__)
#define log_error_errno(error, ...)   log_full_errno(LOG_ERR, (error), __VA_ARGS__)
#define log_oom()                     log_error_errno(ENOMEM, "Out of memory.")

/* An event of a known kind: carries MESSAGE_ID=id in the journal (see messages.h). */
#define log_event(level, id, ...) (void) log_internal((level), 0, (id), __FILE__, __LINE__, __func__, __VA_ARGS__)
#define log_event_errno(level, error, id, ...) \
        log_internal((level), (error), (id), __FILE__, __LINE__, __func__, __VA_ARGS__)
