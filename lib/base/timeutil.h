/*
 * timeutil.h - clocks, calendar dates and durations.
 *
 * Dates are int32 days since 1970-01-01 (proleptic Gregorian), so a report date never passes
 * through a timestamp and a timezone by accident. Durations are int64 milliseconds.
 * Pure functions except the clock readers.
 */
#ifndef SR_TIMEUTIL_H
#define SR_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIME_MS_PER_DAY (86400LL * 1000)

/* Monotonic clock, microseconds: for due times and intervals only. */
int64_t time_mono_us(void);
/* Wall clock, microseconds since the epoch (UTC): for timestamps written out. */
int64_t time_wall_us(void);

/*
 * Today's date in an IANA time zone ("" = UTC) at wall time now_us. Uses the C library's zone
 * data (it reads the small zoneinfo file, which is cached in memory by the system).
 */
int32_t time_today_in(const char *zone, int64_t now_us);

/* The UTC day (days since the epoch, rounded down) of an epoch-microseconds time. */
int32_t time_utc_day(int64_t us);

/* days since epoch <-> civil date */
int32_t time_days_from_civil(int y, unsigned m, unsigned d);
void time_civil_from_days(int32_t days, int *y, unsigned *m, unsigned *d);

/* "YYYY-MM-DD" (exactly) -> days; -1 on a malformed or impossible date. */
int time_parse_date(const char *s, int32_t *days);
/* "YYYY-MM-DDTHH:MM:SSZ" (exactly, UTC) -> epoch microseconds; -1 when malformed. */
int time_parse_utc(const char *s, int64_t *us);
/* Writes "YYYY-MM-DD" into buf (at least 11 bytes). */
void time_format_date(int32_t days, char *buf, size_t len);

/*
 * "15m", "1h30m", "30d", "500ms", "2w" -> milliseconds. Units: ms s m h d w; at least one
 * unit is required (a bare number is ambiguous). Returns 0 or -1.
 */
int time_parse_duration(const char *s, int64_t *ms);
/* Formats ms as the shortest exact form ("90s" -> "1m30s"). */
void time_format_duration(int64_t ms, char *buf, size_t len);

#endif
