/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Timestamps: --since's forms (journalctl's), time spans, refusals, and both output formats. The
 * expected values are worked out by hand from the epoch: 1700000000 is Tue 2023-11-14 22:13:20 UTC. */

#include <time.h>

#include "macro.h"
#include "timestamp.h"
#include "tests.h"

static void set_tz(const char *tz) {
        setenv("TZ", tz, 1);
        tzset();
}

TEST(epoch) {
        usec_t t = 0;

        ASSERT_OK(parse_timestamp("@1700000000", &t));
        ASSERT_EQ(t, 1700000000ULL * USEC_PER_SEC);
        ASSERT_OK(parse_timestamp("@1700000000.25", &t));
        ASSERT_EQ(t, 1700000000250000ULL);
        ASSERT_OK(parse_timestamp("@0.000001", &t));
        ASSERT_EQ(t, 1);
        ASSERT_OK(parse_timestamp("@0", &t));
        ASSERT_EQ(t, 0);
        ASSERT_OK(parse_timestamp("@5min", &t)); /* a span, as systemd reads it */
        ASSERT_EQ(t, 300 * USEC_PER_SEC);
}

TEST(local_time) {
        usec_t t = 0;

        set_tz("UTC");
        ASSERT_OK(parse_timestamp("2023-11-14 22:13:20", &t));
        ASSERT_EQ(t, 1700000000ULL * USEC_PER_SEC);
        ASSERT_OK(parse_timestamp("2023-11-14 22:13", &t));
        ASSERT_EQ(t, 1699999980ULL * USEC_PER_SEC);
        ASSERT_OK(parse_timestamp("2023-11-14", &t));
        ASSERT_EQ(t, 1699920000ULL * USEC_PER_SEC);

        /* Local means the TZ in effect, DST included: CEST is UTC+2 in July. */
        set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
        ASSERT_OK(parse_timestamp("2023-07-01 02:00:00", &t));
        ASSERT_EQ(t, 1688169600ULL * USEC_PER_SEC);
        set_tz("UTC");
}

#define NOW (1700000000ULL * USEC_PER_SEC)

static usec_t at(const char *s) {
        usec_t t = 0;

        if (parse_timestamp_at(s, NOW, &t) < 0) {
                fprintf(stderr, "refused: \"%s\"\n", s);
                abort();
        }
        return t / USEC_PER_SEC;
}

TEST(relative) {
        set_tz("UTC");
        ASSERT_EQ(at("now"), 1700000000);
        ASSERT_EQ(at("-1h"), 1699996400);
        ASSERT_EQ(at("+5min"), 1700000300);
        ASSERT_EQ(at("2 days ago"), 1699827200);
        ASSERT_EQ(at("1h 30min left"), 1700005400);
        ASSERT_EQ(at("today"), 1699920000);
        ASSERT_EQ(at("yesterday"), 1699833600);
        ASSERT_EQ(at("tomorrow"), 1700006400);
        ASSERT_EQ(at("10:00"), 1699956000); /* today */
        ASSERT_EQ(at("22:13:21"), 1700000001);
        /* Midnight is local: 2023-11-14 00:00 CET is 23:00 UTC the day before. */
        set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
        ASSERT_EQ(at("today"), 1699916400);
        ASSERT_EQ(at("yesterday"), 1699830000);
        set_tz("UTC");
}

TEST(zones_and_weekdays) {
        usec_t t = 0;

        set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
        ASSERT_EQ(at("2023-11-14 22:13:20 UTC"), 1700000000);
        ASSERT_EQ(at("2023-11-14T22:13:20Z"), 1700000000);
        ASSERT_OK(parse_timestamp_at("2023-11-14T22:13:20.25Z", NOW, &t));
        ASSERT_EQ(t, 1700000000250000ULL);
        ASSERT_EQ(at("2023-11-14T23:13:20"), 1700000000); /* local, CET */
        ASSERT_EQ(at("Tue 2023-11-14 23:13:20"), 1700000000);
        ASSERT_EQ(at("tuesday 2023-11-14 23:13:20"), 1700000000);
        ASSERT_EQ(parse_timestamp_at("Mon 2023-11-14 23:13:20", NOW, &t), -EINVAL);
        /* journalctl's other zone forms: UTC offsets (after a space or welded to the time), tzdata
         * zones, the local zone's abbreviation; a relative time with a zone is the same time. */
        ASSERT_EQ(at("2023-11-15 00:13:20 +02:00"), 1700000000);
        ASSERT_EQ(at("2023-11-15 00:13:20 +0200"), 1700000000);
        ASSERT_EQ(at("2023-11-14 20:13:20 -02"), 1700000000);
        ASSERT_EQ(at("2023-11-14T23:13:20+01:00"), 1700000000);
        ASSERT_EQ(at("2023-11-14 17:13:20 America/New_York"), 1700000000);
        ASSERT_EQ(at("2023-11-14 23:13:20 Europe/Berlin"), 1700000000);
        ASSERT_EQ(at("2023-11-14 23:13:20 CET"), 1700000000);
        ASSERT_EQ(at("-1h UTC"), 1699996400);
        ASSERT_EQ(at("yesterday UTC"), 1699833600);
        ASSERT_STREQ(getenv("TZ"), "CET-1CEST,M3.5.0,M10.5.0/3"); /* the zone's TZ was put back */
        set_tz("UTC");
}

TEST(timespan) {
        static const char *const bad[] = { "", " ", "x", "1x", "1.5.5", "h", "1.", "-1", "1 h x" };
        usec_t t = 0;

        ASSERT_OK(parse_timespan("1h 30min", &t));
        ASSERT_EQ(t, 5400 * USEC_PER_SEC);
        ASSERT_OK(parse_timespan("90", &t));
        ASSERT_EQ(t, 90 * USEC_PER_SEC);
        ASSERT_OK(parse_timespan("1.5d", &t));
        ASSERT_EQ(t, 129600 * USEC_PER_SEC);
        ASSERT_OK(parse_timespan("2 weeks 500ms", &t));
        ASSERT_EQ(t, 1209600 * USEC_PER_SEC + 500 * USEC_PER_MSEC);
        ASSERT_OK(parse_timespan("3us", &t));
        ASSERT_EQ(t, 3);
        ASSERT_OK(parse_timespan("1M", &t)); /* a month: 30.44 days */
        ASSERT_EQ(t, 2629800 * USEC_PER_SEC);
        ASSERT_OK(parse_timespan("5m", &t)); /* minutes, not months */
        ASSERT_EQ(t, 300 * USEC_PER_SEC);
        for (size_t i = 0; i < ELEMENTSOF(bad); i++)
                if (parse_timespan(bad[i], &t) != -EINVAL) {
                        fprintf(stderr, "accepted span: \"%s\"\n", bad[i]);
                        abort();
                }
}

/* systemd's own parser, through systemd-analyze timestamp: the same point for each form journalctl's
 * users type (the relative ones within a few seconds: both read the clock). */
TEST(as_systemd_reads_them) {
        static const char *const forms[] = {
                "now",
                "today",
                "yesterday",
                "tomorrow",
                "-1h",
                "+5min",
                "2 days ago",
                "10:00",
                "2023-11-14 22:13",
                "Tue 2023-11-14 22:13:20",
                "@1700000000.25",
                "2023-11-14 22:13:20 UTC",
                "1h 30min left",
        };

        set_tz("UTC");
        if (system("command -v systemd-analyze >/dev/null") != 0) {
                printf("# systemd-analyze not installed: skipped\n");
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(forms); i++) {
                char cmd[256], line[256];
                double theirs = -1;
                usec_t ours = 0;
                FILE *f;

                snprintf(cmd, sizeof cmd, "TZ=UTC systemd-analyze timestamp -- '%s' 2>/dev/null", forms[i]);
                f = popen(cmd, "r");
                ASSERT_TRUE(f);
                while (fgets(line, sizeof line, f))
                        if (sscanf(line, " UNIX seconds: @%lf", &theirs) == 1)
                                break;
                pclose(f);
                ASSERT_OK(parse_timestamp(forms[i], &ours));
                if (theirs < 0 || (double) ours / 1e6 < theirs - 5 || (double) ours / 1e6 > theirs + 5) {
                        fprintf(stderr, "\"%s\": seprov %.6f, systemd %.6f\n", forms[i], (double) ours / 1e6, theirs);
                        abort();
                }
        }
}

TEST(refusals) {
        static const char *const bad[] = {
                "",
                "@",
                "@x",
                "@12x",
                "@1.",
                "@99999999999999999999",
                "soon",
                "-",
                "+",
                "1h",
                "2 days",
                "2023-02-30 00:00:00",
                "2023-13-01",
                "2023-11-14 25:00:00",
                "2023-11-14 10:00:00 No/Such_Zone",
                "2023-11-14 10:00:00 +25:00",
                "2023-11-14 10:00:00 ../../etc/passwd",
                "2023-11-14+01:00",
                " 2023-11-14",
                "1700000000",
                "Mon 2023-11-14",
                "today UTCx",
        };
        usec_t t = 42;

        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                if (parse_timestamp(bad[i], &t) != -EINVAL) {
                        fprintf(stderr, "accepted: \"%s\"\n", bad[i]);
                        abort();
                }
                ASSERT_EQ(t, 42); /* untouched on failure */
        }
}

TEST(format) {
        char buf[FORMAT_TIMESTAMP_MAX];

        set_tz("UTC");
        ASSERT_STREQ(format_timestamp(buf, 1700000000123456ULL), "2023-11-14 22:13:20");
        ASSERT_STREQ(format_timestamp_rfc3339(buf, 1700000000123456ULL), "2023-11-14T22:13:20.123456Z");
        set_tz("CET-1CEST,M3.5.0,M10.5.0/3");
        ASSERT_STREQ(format_timestamp(buf, 1700000000ULL * USEC_PER_SEC), "2023-11-14 23:13:20");
        ASSERT_STREQ(format_timestamp_rfc3339(buf, 1700000000ULL * USEC_PER_SEC), "2023-11-14T22:13:20.000000Z");
}

int main(void) {
        RUN_TEST(epoch);
        RUN_TEST(local_time);
        RUN_TEST(relative);
        RUN_TEST(zones_and_weekdays);
        RUN_TEST(timespan);
        RUN_TEST(as_systemd_reads_them);
        RUN_TEST(refusals);
        RUN_TEST(format);
        return 0;
}
