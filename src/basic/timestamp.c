/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Wall-clock timestamps: parsing what a user types, formatting for people and machines. */

#include <ctype.h>
#include <time.h>

#include "macro.h"
#include "timestamp.h"

/* "@SECONDS[.FRACTION]", at most microsecond precision. */
static int parse_epoch(const char *s, usec_t *ret) {
        usec_t sec = 0, frac = 0, scale = USEC_PER_SEC;

        if (!isdigit((unsigned char) *s))
                return -EINVAL;
        for (; isdigit((unsigned char) *s); s++) {
                if (sec > (UINT64_MAX / USEC_PER_SEC - 9) / 10)
                        return -EINVAL; /* would overflow once in microseconds */
                sec = sec * 10 + (usec_t) (*s - '0');
        }
        if (*s == '.') {
                s++;
                if (!isdigit((unsigned char) *s))
                        return -EINVAL;
                for (; isdigit((unsigned char) *s); s++) {
                        if (scale == 1)
                                return -EINVAL; /* beyond microseconds */
                        scale /= 10;
                        frac += (usec_t) (*s - '0') * scale;
                }
        }
        if (*s)
                return -EINVAL;
        *ret = sec * USEC_PER_SEC + frac;
        return 0;
}

static int parse_local(const char *s, usec_t *ret) {
        static const char *const formats[] = { "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d" };

        if (!isdigit((unsigned char) s[0])) /* strptime() would skip leading blanks and signs */
                return -EINVAL;

        for (size_t i = 0; i < ELEMENTSOF(formats); i++) {
                struct tm tm = {}, want;
                const char *end = strptime(s, formats[i], &tm);
                time_t t;

                if (!end || *end)
                        continue;
                tm.tm_isdst = -1;
                want = tm;
                t = mktime(&tm);
                if (t == (time_t) -1 || t < 0)
                        return -EINVAL;
                /* mktime() rolls 02-30 over to 03-02; a typo should not silently move the window. */
                if (tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon || tm.tm_mday != want.tm_mday)
                        return -EINVAL;
                *ret = (usec_t) t * USEC_PER_SEC;
                return 0;
        }
        return -EINVAL;
}

int parse_timestamp(const char *s, usec_t *ret) {
        usec_t t;
        int r;

        assert(s);
        assert(ret);

        r = s[0] == '@' ? parse_epoch(s + 1, &t) : parse_local(s, &t);
        if (r < 0)
                return r;
        *ret = t;
        return 0;
}

char *format_timestamp(char buf[static FORMAT_TIMESTAMP_MAX], usec_t t) {
        time_t sec = (time_t) (t / USEC_PER_SEC);
        struct tm tm;

        if (!localtime_r(&sec, &tm) || strftime(buf, FORMAT_TIMESTAMP_MAX, "%Y-%m-%d %H:%M:%S", &tm) == 0)
                snprintf(buf, FORMAT_TIMESTAMP_MAX, "@%llu", (unsigned long long) (t / USEC_PER_SEC));
        return buf;
}

char *format_timestamp_rfc3339(char buf[static FORMAT_TIMESTAMP_MAX], usec_t t) {
        time_t sec = (time_t) (t / USEC_PER_SEC);
        char date[32];
        struct tm tm;

        if (!gmtime_r(&sec, &tm) || strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm) == 0)
                snprintf(date, sizeof date, "@%llu", (unsigned long long) (t / USEC_PER_SEC));
        snprintf(buf, FORMAT_TIMESTAMP_MAX, "%s.%06lluZ", date, (unsigned long long) (t % USEC_PER_SEC));
        return buf;
}
