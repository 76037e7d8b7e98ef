/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Log sinks (console, /dev/kmsg, journal) and the level filter shared by both binaries. */

#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/uio.h>

#include "log.h"

static const char *log_ident = "seprov";
static LogTarget log_target = LOG_TARGET_AUTO;
static int log_max_level = LOG_INFO;
static log_sink_t journal_sink;
static int kmsg_fd = -EBADF;
static int console_fd = -EBADF;

void log_set_ident(const char *ident) {
        assert(ident);

        log_ident = ident;
}

void log_set_target(LogTarget target) {
        log_target = target;
}

void log_set_journal_sink(log_sink_t sink) {
        journal_sink = sink;
}

void log_set_max_level(int level) {
        log_max_level = level;
}

bool log_target_is_structured(void) {
        LogTarget t = log_get_target();
        return t == LOG_TARGET_JOURNAL || t == LOG_TARGET_KMSG;
}

int log_get_max_level(void) {
        return log_max_level;
}

bool log_fd_is_journal_stream(int fd) {
        const char *e = getenv("JOURNAL_STREAM");
        unsigned long long dev, ino;
        struct stat st;

        if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
                return false;
        if (fstat(fd, &st) < 0)
                return false;
        return st.st_dev == dev && st.st_ino == ino;
}

LogTarget log_get_target(void) {
        if (log_target != LOG_TARGET_AUTO)
                return log_target;
        return journal_sink && log_fd_is_journal_stream(STDERR_FILENO) ? LOG_TARGET_JOURNAL : LOG_TARGET_CONSOLE;
}

static int level_from_string(const char *s) {
        static const char *const names[] = { "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug" };
        char *end;
        long l;

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(s, names[i]))
                        return (int) i;
        errno = 0;
        l = strtol(s, &end, 10);
        if (errno != 0 || *end != '\0' || l < 0 || l > LOG_DEBUG)
                return -EINVAL;
        return (int) l;
}

void log_parse_environment(void) {
        const char *e;

        e = getenv("SYSTEMD_LOG_TARGET");
        if (e) {
                if (streq(e, "console"))
                        log_target = LOG_TARGET_CONSOLE;
                else if (streq(e, "kmsg"))
                        log_target = LOG_TARGET_KMSG;
                else if (streq(e, "journal") || streq(e, "journal-or-kmsg"))
                        log_target = LOG_TARGET_JOURNAL;
                else if (streq(e, "null"))
                        log_target = LOG_TARGET_NULL;
                else if (streq(e, "auto"))
                        log_target = LOG_TARGET_AUTO;
        }

        e = getenv("SYSTEMD_LOG_LEVEL");
        if (e && level_from_string(e) >= 0)
                log_max_level = level_from_string(e);

        e = getenv("SEPROV_DEBUG");
        if (e && !streq(e, "0"))
                log_max_level = LOG_DEBUG;
}

static int write_kmsg(int level, const char *message) {
        char prefix[64];
        struct iovec iov[3];

        if (kmsg_fd < 0) {
                kmsg_fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
                if (kmsg_fd < 0)
                        return negative_errno();
        }
        snprintf(prefix, sizeof prefix, "<%d>%s[%d]: ", LOG_DAEMON | level, log_ident, (int) getpid());
        iov[0] = (struct iovec){ .iov_base = prefix, .iov_len = strlen(prefix) };
        iov[1] = (struct iovec){ .iov_base = (char *) message, .iov_len = strlen(message) };
        iov[2] = (struct iovec){ .iov_base = (char *) "\n", .iov_len = 1 };
        return writev(kmsg_fd, iov, 3) < 0 ? negative_errno() : 0;
}

static void write_console(const char *message) {
        fprintf(stderr, "%s\n", message);
}

static void dispatch(int level, const char *message_id, const char *file, int line, const char *func,
                     const char *message) {
        switch (log_get_target()) {
        case LOG_TARGET_NULL:
                return;
        case LOG_TARGET_KMSG:
                if (write_kmsg(level, message) >= 0)
                        return;
                break;
        case LOG_TARGET_JOURNAL:
                if (journal_sink && journal_sink(level, message_id, file, line, func, message) >= 0)
                        return;
                break;
        default:
                break;
        }
        write_console(message);
}

void log_console(const char *format, ...) {
        char buf[2048];
        va_list ap;
        int n;

        assert(format);

        va_start(ap, format);
        n = vsnprintf(buf, sizeof buf, format, ap);
        va_end(ap);
        if (n < 0)
                return;
        /* O_NOCTTY: never become the console's controlling process; O_NONBLOCK: a stuck serial line
         * does not stop the apply. Kept open, so that the lines follow each other. */
        if (console_fd < 0) {
                console_fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
                if (console_fd < 0)
                        return;
        }
        struct iovec iov[] = {
                { .iov_base = (char *) log_ident, .iov_len = strlen(log_ident) },
                { .iov_base = (char *) ": ", .iov_len = 2 },
                { .iov_base = buf, .iov_len = strlen(buf) },
                { .iov_base = (char *) "\n", .iov_len = 1 },
        };
        (void) writev(console_fd, iov, ELEMENTSOF(iov));
}

int log_internal(int level, int error, const char *message_id, const char *file, int line, const char *func,
                 const char *format, ...) {
        char buf[2048];
        va_list ap;
        int saved = errno;

        assert(format);

        error = error < 0 ? -error : error;
        if (level > log_max_level)
                return -error;

        /* Make '%m' print the error we were given, not whatever errno happens to hold. */
        errno = error;
        va_start(ap, format);
        vsnprintf(buf, sizeof buf, format, ap);
        va_end(ap);

        dispatch(level, message_id, file, line, func, buf);
        errno = saved;
        return -error;
}
