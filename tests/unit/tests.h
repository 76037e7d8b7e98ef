/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* A minimal test harness: named tests, assertions that abort with the failing expression. */
#pragma once

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ASSERT_TRUE(expr)                                                                              \
        do {                                                                                           \
                if (!(expr)) {                                                                         \
                        fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #expr);   \
                        abort();                                                                       \
                }                                                                                      \
        } while (0)

#define ASSERT_EQ(a, b)                                                                                \
        do {                                                                                           \
                intmax_t _a = (intmax_t) (a), _b = (intmax_t) (b);                                     \
                if (_a != _b) {                                                                        \
                        fprintf(stderr, "%s:%d: %s == %s failed: %jd != %jd\n", __FILE__, __LINE__, #a, \
                                #b, _a, _b);                                                           \
                        abort();                                                                       \
                }                                                                                      \
        } while (0)

#define ASSERT_STREQ(a, b)                                                                             \
        do {                                                                                           \
                const char *_a = (a), *_b = (b);                                                       \
                if (!_a || !_b || strcmp(_a, _b) != 0) {                                               \
                        fprintf(stderr, "%s:%d: %s == %s failed:\n  \"%s\"\n  \"%s\"\n", __FILE__,      \
                                __LINE__, #a, #b, _a ? _a : "(null)", _b ? _b : "(null)");             \
                        abort();                                                                       \
                }                                                                                      \
        } while (0)

#define ASSERT_NULL(a) ASSERT_TRUE((a) == NULL)
#define ASSERT_OK(expr) ASSERT_TRUE((expr) >= 0)

#define TEST(name) static void test_##name(void)
#define RUN_TEST(name)                                     \
        do {                                               \
                test_##name();                             \
                printf("ok - %s\n", #name);                \
        } while (0)
