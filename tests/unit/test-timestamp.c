/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Timestamps: --since's forms, refusals, and both output formats. */

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

TEST(refusals) {
        static const char *const bad[] = {
                "", "@", "@x", "@12x", "@1.", "@1.1234567", "@99999999999999999999", "yesterday",
                "2023-02-30 00:00:00", "2023-13-01", "2023-11-14 25:00:00", "2023-11-14 10:00:00 UTC",
                "2023-11-14T10:00:00", " 2023-11-14", "1700000000",
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
        RUN_TEST(refusals);
        RUN_TEST(format);
        return 0;
}
