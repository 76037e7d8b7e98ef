/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Wall-clock timestamps: parsing what a user types (journalctl's --since forms), formatting for
 * people and machines. */

#include <ctype.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

#include "macro.h"
#include "strutil.h"
#include "timestamp.h"

#define USEC_PER_MINUTE (60 * USEC_PER_SEC)
#define USEC_PER_HOUR   (60 * USEC_PER_MINUTE)
#define USEC_PER_DAY    (24 * USEC_PER_HOUR)
#define USEC_PER_WEEK   (7 * USEC_PER_DAY)
#define USEC_PER_MONTH  (2629800 * USEC_PER_SEC)  /* 30.44 days, as systemd counts it */
#define USEC_PER_YEAR   (31557600 * USEC_PER_SEC) /* 365.25 days */

/* systemd's units of a time span, longest spelling first where one is a prefix of another. */
static const struct {
        const char *suffix;
        usec_t usec;
} span_units[] = {
        { "seconds", USEC_PER_SEC },
        { "second", USEC_PER_SEC },
        { "sec", USEC_PER_SEC },
        { "s", USEC_PER_SEC },
        { "minutes", USEC_PER_MINUTE },
        { "minute", USEC_PER_MINUTE },
        { "min", USEC_PER_MINUTE },
        { "months", USEC_PER_MONTH },
        { "month", USEC_PER_MONTH },
        { "M", USEC_PER_MONTH },
        { "msec", USEC_PER_MSEC },
        { "ms", USEC_PER_MSEC },
        { "m", USEC_PER_MINUTE },
        { "hours", USEC_PER_HOUR },
        { "hour", USEC_PER_HOUR },
        { "hr", USEC_PER_HOUR },
        { "h", USEC_PER_HOUR },
        { "days", USEC_PER_DAY },
        { "day", USEC_PER_DAY },
        { "d", USEC_PER_DAY },
        { "weeks", USEC_PER_WEEK },
        { "week", USEC_PER_WEEK },
        { "w", USEC_PER_WEEK },
        { "years", USEC_PER_YEAR },
        { "year", USEC_PER_YEAR },
        { "y", USEC_PER_YEAR },
        { "usec", 1 },
        { "us", 1 },
        { "\u03bcs", 1 },
        { "\u00b5s", 1 },
};

static const char *span_unit(const char *p, usec_t *ret) {
        for (size_t i = 0; i < ELEMENTSOF(span_units); i++) {
                const char *e = startswith(p, span_units[i].suffix);
                if (e) {
                        *ret = span_units[i].usec;
                        return e;
                }
        }
        *ret = USEC_PER_SEC; /* a bare number counts seconds */
        return p;
}

/* One "NUMBER[.FRACTION][ ]UNIT" of a span. Returns the rest, or NULL when it is not one. */
static const char *span_component(const char *p, usec_t *total) {
        usec_t whole = 0, unit, add;
        const char *frac = NULL, *end;

        if (!isdigit((unsigned char) *p))
                return NULL;
        for (; isdigit((unsigned char) *p); p++) {
                if (whole > (UINT64_MAX / 10 - 9))
                        return NULL;
                whole = whole * 10 + (usec_t) (*p - '0');
        }
        if (*p == '.') {
                frac = ++p;
                if (!isdigit((unsigned char) *p))
                        return NULL;
                p += strspn(p, "0123456789");
        }
        end = span_unit(p + strspn(p, " \t"), &unit);
        if (end == p && *end)
                return NULL; /* neither a unit nor a blank after the number: "12x", "1.5.5" */
        if (whole > UINT64_MAX / unit || UINT64_MAX - *total < whole * unit)
                return NULL;
        add = whole * unit;
        for (usec_t m = unit / 10; frac && isdigit((unsigned char) *frac); frac++, m /= 10)
                add += (usec_t) (*frac - '0') * m;
        if (UINT64_MAX - *total < add)
                return NULL;
        *total += add;
        return end;
}

int parse_timespan(const char *s, usec_t *ret) {
        usec_t total = 0;
        bool any = false;

        assert(s);
        assert(ret);

        for (const char *p = s;;) {
                p += strspn(p, " \t");
                if (!*p)
                        break;
                p = span_component(p, &total);
                if (!p)
                        return -EINVAL;
                any = true;
        }
        if (!any)
                return -EINVAL;
        *ret = total;
        return 0;
}

static int usec_from_tm(struct tm *tm, bool utc, usec_t *ret) {
        time_t t = utc ? timegm(tm) : mktime(tm);

        if (t == (time_t) -1 || t < 0)
                return -EINVAL;
        *ret = (usec_t) t * USEC_PER_SEC;
        return 0;
}

/* Local (or UTC) midnight of the day 'now' is in, 'days' days on. */
static int day_start(usec_t now, int days, bool utc, usec_t *ret) {
        time_t sec = (time_t) (now / USEC_PER_SEC);
        struct tm tm;

        if (!(utc ? gmtime_r(&sec, &tm) : localtime_r(&sec, &tm)))
                return -EINVAL;
        tm.tm_mday += days;
        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
        tm.tm_isdst = -1;
        return usec_from_tm(&tm, utc, ret);
}

/* "now", "+SPAN", "-SPAN", "SPAN ago", "SPAN left", relative to 'now'. Returns 1 with *ret set, 0
 * when 's' is none of these, or -EINVAL. */
static int parse_relative(const char *s, usec_t now, usec_t *ret) {
        _cleanup_free_ char *span = NULL;
        const char *tail;
        bool back;
        usec_t d;

        if (streq(s, "now")) {
                *ret = now;
                return 1;
        }
        if (s[0] == '+' || s[0] == '-') {
                back = s[0] == '-';
                span = strdup(s + 1);
        } else if ((tail = endswith(s, " ago")) || (tail = endswith(s, " left"))) {
                back = streq(tail, " ago");
                span = strndup(s, tail - s);
        } else
                return 0;
        if (!span)
                return -ENOMEM;
        if (parse_timespan(span, &d) < 0 || (back && d > now) || (!back && UINT64_MAX - now < d))
                return -EINVAL;
        *ret = back ? now - d : now + d;
        return 1;
}

/* Digits after a '.' of seconds, up to microseconds. Returns the rest, or NULL. */
static const char *parse_fraction(const char *p, usec_t *ret) {
        usec_t f = 0, scale = USEC_PER_SEC;

        if (!isdigit((unsigned char) *p))
                return NULL;
        for (; isdigit((unsigned char) *p); p++)
                if (scale > 1) {
                        scale /= 10;
                        f += (usec_t) (*p - '0') * scale;
                }
        *ret = f;
        return p;
}

/* The absolute forms, with a date ("YYYY-MM-DD[ |T]HH:MM[:SS[.FRACTION]]", "YYYY-MM-DD") or
 * without one (today's "HH:MM[:SS[.FRACTION]]"), in local time or, with 'utc', in UTC. */
static int parse_absolute(const char *s, usec_t now, bool utc, usec_t *ret) {
        static const struct {
                const char *format;
                bool date;
        } forms[] = {
                { "%Y-%m-%d %H:%M:%S", true },
                { "%Y-%m-%dT%H:%M:%S", true },
                { "%Y-%m-%d %H:%M", true },
                { "%Y-%m-%dT%H:%M", true },
                { "%Y-%m-%d", true },
                { "%H:%M:%S", false },
                { "%H:%M", false },
        };
        time_t sec = (time_t) (now / USEC_PER_SEC);
        struct tm today;

        if (!isdigit((unsigned char) s[0])) /* strptime() would skip leading blanks and signs */
                return -EINVAL;
        if (!(utc ? gmtime_r(&sec, &today) : localtime_r(&sec, &today)))
                return -EINVAL;
        for (size_t i = 0; i < ELEMENTSOF(forms); i++) {
                struct tm tm = forms[i].date ? (struct tm){} : today, want;
                if (!forms[i].date)
                        tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
                const char *end = strptime(s, forms[i].format, &tm);
                usec_t frac = 0, t;

                if (end && *end == '.' && strchr(forms[i].format, 'S'))
                        end = parse_fraction(end + 1, &frac);
                if (!end || *end)
                        continue;
                tm.tm_isdst = -1;
                want = tm;
                if (usec_from_tm(&tm, utc, &t) < 0)
                        return -EINVAL;
                /* mktime() rolls 02-30 over to 03-02; a typo should not silently move the window. */
                if (tm.tm_year != want.tm_year || tm.tm_mon != want.tm_mon || tm.tm_mday != want.tm_mday)
                        return -EINVAL;
                *ret = t + frac;
                return 0;
        }
        return -EINVAL;
}

/* A weekday before the date ("Tue 2023-11-14 ..."), as journalctl shows and takes it: it must be the
 * date's. Returns the weekday (0 Sunday) and moves *s past it, or -1 when there is none. */
static int skip_weekday(const char **s) {
        static const char *const days[] = { "Sunday",   "Monday", "Tuesday", "Wednesday",
                                            "Thursday", "Friday", "Saturday" };

        for (int i = 0; i < (int) ELEMENTSOF(days); i++) {
                size_t full = strlen(days[i]);

                if (strncasecmp(*s, days[i], full) == 0 && (*s)[full] == ' ') {
                        *s += full + 1;
                        return i;
                }
                if (strncasecmp(*s, days[i], 3) == 0 && (*s)[3] == ' ') {
                        *s += 4;
                        return i;
                }
        }
        return -1;
}

static int parse_point(const char *s, usec_t now, bool utc, usec_t *ret) {
        int weekday, r;
        time_t sec;
        struct tm tm;
        usec_t t;

        if (streq(s, "today") || streq(s, "yesterday") || streq(s, "tomorrow"))
                return day_start(now, streq(s, "today") ? 0 : streq(s, "yesterday") ? -1 : 1, utc, ret);
        weekday = skip_weekday(&s);
        r = parse_absolute(s, now, utc, &t);
        if (r < 0)
                return r;
        sec = (time_t) (t / USEC_PER_SEC);
        if (weekday >= 0 && (!(utc ? gmtime_r(&sec, &tm) : localtime_r(&sec, &tm)) || tm.tm_wday != weekday))
                return -EINVAL;
        *ret = t;
        return 0;
}

/* A UTC offset as systemd reads one: "+HH", "+HHMM" or "+HH:MM" ('-': west of UTC). Returns 0 with
 * the seconds east of UTC in *ret, or -EINVAL. */
static int parse_utc_offset(const char *s, long *ret) {
        const char *p = s + 1;
        long h, m = 0;

        if ((s[0] != '+' && s[0] != '-') || !isdigit((unsigned char) p[0]) || !isdigit((unsigned char) p[1]))
                return -EINVAL;
        h = (p[0] - '0') * 10 + (p[1] - '0');
        p += 2;
        if (*p == ':' && p[1])
                p++;
        if (*p) {
                if (!isdigit((unsigned char) p[0]) || !isdigit((unsigned char) p[1]) || p[2])
                        return -EINVAL;
                m = (p[0] - '0') * 10 + (p[1] - '0');
        }
        if (h > 23 || m > 59)
                return -EINVAL;
        *ret = (s[0] == '-' ? -1 : 1) * (h * 3600 + m * 60);
        return 0;
}

/* A time zone of tzdata ("Europe/Berlin", "CET"), as systemd takes one after the time: a file of
 * the zone database, by a name that stays inside it. */
static bool is_tzdata_zone(const char *name) {
        _cleanup_free_ char *path = NULL;
        struct stat st;

        if (isempty(name) || name[0] == '/' || name[0] == '.' || strstr(name, "..") ||
            !(isalpha((unsigned char) name[0])) ||
            strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                         "0123456789/_+-") != strlen(name))
                return false;
        path = strjoin("/usr/share/zoneinfo/", name);
        return path && stat(path, &st) >= 0 && S_ISREG(st.st_mode);
}

/* What the time is read in: local time, UTC with an offset, or a tzdata zone. */
typedef struct TimeZone {
        bool utc;
        long offset; /* seconds east of UTC, with 'utc' */
        char *tz;    /* a tzdata zone, or NULL */
} TimeZone;

/* Splits the zone off the end of 's' as systemd does: " UTC", RFC 3339's "Z" or a UTC offset
 * welded to the time or after a space, a tzdata zone or the local zone's abbreviation after a space.
 * Returns the length of 's' without it, or -ENOMEM. */
static ssize_t time_zone_split(const char *s, TimeZone *z) {
        const char *word = strrchr(s, ' '), *sign;
        size_t len = strlen(s);

        *z = (TimeZone){};
        if (len > 1 && s[len - 1] == 'Z' && isdigit((unsigned char) s[len - 2])) {
                z->utc = true;
                return (ssize_t) len - 1;
        }
        /* Welded: "...T10:00:00+01:00"; only after a time, so that a date's "-01" is no offset. */
        sign = strpbrk(strchr(s, ':') ?: "", "+-");
        if (sign && !word && parse_utc_offset(sign, &z->offset) >= 0 && isdigit((unsigned char) sign[-1])) {
                z->utc = true;
                return sign - s;
        }
        if (!word)
                return (ssize_t) len;
        word++;
        if (streq(word, "UTC") || parse_utc_offset(word, &z->offset) >= 0) {
                z->utc = true;
                return word - 1 - s;
        }
        tzset();
        if ((!isempty(tzname[0]) && streq(word, tzname[0])) || (!isempty(tzname[1]) && streq(word, tzname[1])))
                return word - 1 - s; /* the local zone, named */
        if (is_tzdata_zone(word)) {
                z->tz = strdup(word);
                return z->tz ? word - 1 - s : -ENOMEM;
        }
        return (ssize_t) len;
}

/* parse_point() in the tzdata zone 'tz': TZ set for the time of the call, as systemd does. */
static int parse_point_in(const char *s, usec_t now, const char *tz, usec_t *ret) {
        _cleanup_free_ char *saved = NULL;
        const char *old = getenv("TZ");
        int r;

        if (old && !(saved = strdup(old)))
                return -ENOMEM;
        if (setenv("TZ", tz, 1) < 0)
                return -errno;
        tzset();
        r = parse_point(s, now, /* utc= */ false, ret);
        if (saved)
                (void) setenv("TZ", saved, 1);
        else
                (void) unsetenv("TZ");
        tzset();
        return r;
}

int parse_timestamp_at(const char *s, usec_t now, usec_t *ret) {
        _cleanup_free_ char *copy = NULL, *tz = NULL;
        TimeZone z;
        ssize_t len;
        usec_t t;
        int r;

        assert(s);
        assert(ret);

        if (s[0] == '@') {
                r = parse_timespan(s + 1, &t);
                if (r < 0)
                        return r;
                *ret = t;
                return 0;
        }
        len = time_zone_split(s, &z);
        if (len < 0)
                return (int) len;
        tz = z.tz;
        copy = strndup(s, (size_t) len);
        if (!copy)
                return -ENOMEM;
        /* A relative time is the same in every zone. */
        r = parse_relative(copy, now, &t);
        if (r == 0)
                r = tz ? parse_point_in(copy, now, tz, &t) : parse_point(copy, now, z.utc, &t);
        else if (r > 0)
                r = 0;
        if (r < 0)
                return r == -ENOMEM ? r : -EINVAL;
        if (z.utc && z.offset != 0) {
                if (z.offset > 0 ? t < (usec_t) z.offset * USEC_PER_SEC
                                 : UINT64_MAX - t < (usec_t) -z.offset * USEC_PER_SEC)
                        return -EINVAL;
                t -= (usec_t) z.offset * USEC_PER_SEC; /* offset east: UTC is earlier */
        }
        *ret = t;
        return 0;
}

int parse_timestamp(const char *s, usec_t *ret) {
        struct timespec ts;

        assert(s);
        assert(ret);

        if (clock_gettime(CLOCK_REALTIME, &ts) < 0)
                return -errno;
        return parse_timestamp_at(s, (usec_t) ts.tv_sec * USEC_PER_SEC + (usec_t) ts.tv_nsec / 1000, ret);
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
