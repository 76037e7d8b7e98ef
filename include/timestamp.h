/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Wall-clock timestamps in microseconds: parsing what a user types, formatting for people and machines. */
#pragma once

#include <stdint.h>

typedef uint64_t usec_t;

#define USEC_PER_SEC  ((usec_t) 1000000ULL)
#define USEC_PER_MSEC ((usec_t) 1000ULL)
#define USEC_INFINITY ((usec_t) UINT64_MAX)

/* Big enough for either format below, NUL included. */
#define FORMAT_TIMESTAMP_MAX 40

/* Parses a point in time the way journalctl's --since does for these forms:
 *   "@SECONDS[.FRACTION]"             seconds since the epoch (UTC);
 *   "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD HH:MM", "YYYY-MM-DD"   local time.
 * A date that does not exist (2023-02-30) is refused rather than rolled over.
 * Returns 0 or -EINVAL; *ret is untouched on failure. */
int parse_timestamp(const char *s, usec_t *ret);

/* "YYYY-MM-DD HH:MM:SS" in local time, like journalctl's short output. Returns 'buf'. */
char *format_timestamp(char buf[static FORMAT_TIMESTAMP_MAX], usec_t t);

/* RFC 3339 in UTC with microseconds, "YYYY-MM-DDTHH:MM:SS.uuuuuuZ", for JSON. Returns 'buf'. */
char *format_timestamp_rfc3339(char buf[static FORMAT_TIMESTAMP_MAX], usec_t t);
