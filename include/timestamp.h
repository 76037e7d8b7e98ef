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

/* Parses a point in time as journalctl's --since does (systemd's parse_timestamp()):
 *   "@SPAN"                           since the epoch (UTC): "@1700000000", "@1700000000.25";
 *   "now", "+SPAN", "-SPAN", "SPAN ago", "SPAN left"   relative to now: "-1h", "2 days ago";
 *   "today", "yesterday", "tomorrow"  midnight;
 *   "[WEEKDAY ]YYYY-MM-DD[ |T]HH:MM[:SS[.FRACTION]]", "YYYY-MM-DD", "HH:MM[:SS]" (today)   local time,
 *   or UTC with " UTC" after it or "Z" welded to it.
 * SPAN is parse_timespan()'s. Other time zones than UTC are not read. A date that does not exist
 * (2023-02-30) is refused rather than rolled over; a weekday must be the date's.
 * Returns 0 or -EINVAL (-ENOMEM); *ret is untouched on failure. */
int parse_timestamp(const char *s, usec_t *ret);

/* The same, with 'now' as the present (microseconds since the epoch), for tests. */
int parse_timestamp_at(const char *s, usec_t now, usec_t *ret);

/* A time span as systemd reads one (parse_sec()): numbers with optional fractions, each with an
 * optional unit (us, ms, s, min, h, d, w, M, y and their long forms; none: seconds), summed:
 * "1h 30min", "90", "1.5d". Returns 0 or -EINVAL. */
int parse_timespan(const char *s, usec_t *ret);

/* "YYYY-MM-DD HH:MM:SS" in local time, like journalctl's short output. Returns 'buf'. */
char *format_timestamp(char buf[static FORMAT_TIMESTAMP_MAX], usec_t t);

/* RFC 3339 in UTC with microseconds, "YYYY-MM-DDTHH:MM:SS.uuuuuuZ", for JSON. Returns 'buf'. */
char *format_timestamp_rfc3339(char buf[static FORMAT_TIMESTAMP_MAX], usec_t t);
