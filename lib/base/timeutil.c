/*
 * timeutil.c - clocks, calendar dates and durations (see timeutil.h).
 *
 * The civil-date conversions use the well-known era/day-of-era decomposition of the Gregorian
 * calendar (400-year eras of 146097 days), valid for every date we can meet.
 */
#include "timeutil.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int64_t time_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t time_wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int32_t time_utc_day(int64_t us)
{
    int64_t day_us = TIME_MS_PER_DAY * 1000;
    return (int32_t)(us >= 0 ? us / day_us : (us - day_us + 1) / day_us);
}

int32_t time_today_in(const char *zone, int64_t now_us)
{
    time_t t = (time_t)(now_us / 1000000);
    struct tm tm;
    if (!zone || !*zone) {
        gmtime_r(&t, &tm);
    } else {
        /* the C library has no per-call zone: switch TZ, convert, switch back */
        const char *old = getenv("TZ");
        char *saved = old ? strdup(old) : NULL;
        setenv("TZ", zone, 1);
        tzset();
        localtime_r(&t, &tm);
        if (saved)
            setenv("TZ", saved, 1);
        else
            unsetenv("TZ");
        tzset();
        free(saved);
    }
    return time_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

int32_t time_days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

void time_civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yy + (*m <= 2);
}

static int read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int time_parse_date(const char *s, int32_t *days)
{
    int y, m, d;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    if (read_digits(s, 4, &y) < 0 || read_digits(s + 5, 2, &m) < 0 || read_digits(s + 8, 2, &d) < 0)
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    int32_t z = time_days_from_civil(y, (unsigned)m, (unsigned)d);
    int yy;
    unsigned mm, dd;
    time_civil_from_days(z, &yy, &mm, &dd);
    if (yy != y || (int)mm != m || (int)dd != d)
        return -1; /* 2026-02-30 and friends */
    *days = z;
    return 0;
}

int time_parse_utc(const char *s, int64_t *us)
{
    char day[11];
    int32_t days;
    int h, mi, se;
    if (strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
        return -1;
    memcpy(day, s, 10);
    day[10] = '\0';
    if (time_parse_date(day, &days) < 0 || read_digits(s + 11, 2, &h) < 0 ||
        read_digits(s + 14, 2, &mi) < 0 || read_digits(s + 17, 2, &se) < 0 || h > 23 || mi > 59 ||
        se > 59)
        return -1;
    *us = (((int64_t)days * 24 + h) * 60 + mi) * 60 * 1000000 + (int64_t)se * 1000000;
    return 0;
}

void time_format_date(int32_t days, char *buf, size_t len)
{
    int y;
    unsigned m, d;
    time_civil_from_days(days, &y, &m, &d);
    snprintf(buf, len, "%04d-%02u-%02u", y, m, d);
}

static int64_t unit_ms(const char **p)
{
    const char *s = *p;
    if (s[0] == 'm' && s[1] == 's') {
        *p += 2;
        return 1;
    }
    *p += 1;
    switch (s[0]) {
    case 's':
        return 1000;
    case 'm':
        return 60 * 1000;
    case 'h':
        return 3600 * 1000;
    case 'd':
        return TIME_MS_PER_DAY;
    case 'w':
        return 7 * TIME_MS_PER_DAY;
    default:
        return -1;
    }
}

int time_parse_duration(const char *s, int64_t *ms)
{
    const int64_t limit = 3650 * TIME_MS_PER_DAY; /* ten years: beyond that it is a typo */
    int64_t total = 0;
    if (!*s)
        return -1;
    while (*s) {
        int64_t n = 0;
        if (!isdigit((unsigned char)*s))
            return -1;
        while (isdigit((unsigned char)*s)) {
            n = n * 10 + (*s++ - '0');
            if (n > limit)
                return -1;
        }
        int64_t u = unit_ms(&s);
        if (u < 0 || n * u > limit - total)
            return -1;
        total += n * u;
    }
    *ms = total;
    return 0;
}

void time_format_duration(int64_t ms, char *buf, size_t len)
{
    static const struct {
        const char *unit;
        int64_t ms;
    } units[] = {{"d", TIME_MS_PER_DAY}, {"h", 3600000}, {"m", 60000}, {"s", 1000}, {"ms", 1}};
    size_t off = 0;
    if (ms == 0) {
        snprintf(buf, len, "0s");
        return;
    }
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof units / sizeof units[0] && off < len; i++) {
        if (ms >= units[i].ms) {
            int n = snprintf(buf + off, len - off, "%lld%s", (long long)(ms / units[i].ms),
                             units[i].unit);
            if (n < 0)
                return;
            off += (size_t)n;
            ms %= units[i].ms;
        }
    }
}
