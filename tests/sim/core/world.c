/*
 * world.c - the world's lifecycle, the seeded PRNG and the calendar helpers (see world.h).
 *
 * PRNG: splitmix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators",
 * 2014), seeded per platform from the world seed and a tag.
 * Pacific calendar: the US rules in force since 2007 (DST from the second Sunday of March to
 * the first Sunday of November, switching at 02:00 local), which is what Meta's page insights
 * end_time follows (platform reference §2.2: "07:00 or 08:00 UTC depending on DST").
 */
#include "world.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "timeutil.h"
#include "world_people.h"
#include "world_roi.h"
#include "xmalloc.h"

const struct sim_platform *const sim_platforms[] = {
    &sim_platform_x,       &sim_platform_facebook,  &sim_platform_instagram, &sim_platform_linkedin,
    &sim_platform_youtube, &sim_platform_pinterest, &sim_platform_hubspot,   NULL,
};

const struct sim_platform *sim_platform_find(const char *name, size_t *index)
{
    for (size_t i = 0; sim_platforms[i]; i++) {
        if (strcmp(sim_platforms[i]->name, name) == 0) {
            if (index)
                *index = i;
            return sim_platforms[i];
        }
    }
    return NULL;
}

/* ---- PRNG ----------------------------------------------------------------------------------- */

static uint64_t splitmix(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

uint64_t mix64(uint64_t a, uint64_t b)
{
    uint64_t s = a ^ (b * 0xD6E8FEB86659FD93ULL);
    return splitmix(&s);
}

void rng_seed(struct rng *r, uint64_t seed, const char *tag)
{
    uint64_t h = 0xCBF29CE484222325ULL; /* FNV-1a of the tag */
    for (const char *p = tag; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001B3ULL;
    r->s = mix64(seed, h);
}

uint64_t rng_next(struct rng *r)
{
    return splitmix(&r->s);
}

int64_t rng_range(struct rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(rng_next(r) % span);
}

bool rng_pct(struct rng *r, unsigned pct)
{
    return rng_next(r) % 100 < pct;
}

double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) / 9007199254740992.0; /* 2^53 */
}

void rng_digits(struct rng *r, char *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = (char)('0' + (i == 0 ? rng_range(r, 1, 9) : rng_range(r, 0, 9)));
    out[n] = '\0';
}

void rng_alnum(struct rng *r, char *out, const char *prefix, size_t n)
{
    static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    size_t p = strlen(prefix);
    memcpy(out, prefix, p);
    for (size_t i = 0; i < n; i++)
        out[p + i] = set[rng_next(r) % (sizeof set - 1)];
    out[p + n] = '\0';
}

/* ---- lifecycle ------------------------------------------------------------------------------ */

struct world *world_new(uint64_t seed, int32_t today, int ndays, size_t crm_contacts)
{
    struct world *w = xcalloc(1, sizeof *w);
    w->seed = seed;
    w->today = today;
    w->ndays = ndays;
    w->crm_contacts = crm_contacts;
    for (size_t i = 0; sim_platforms[i]; i++)
        w->pdata[i] = sim_platforms[i]->world_new(w);
    w->people = people_new(w); /* after the ad platforms: it links to their campaigns */
    for (size_t i = 0; sim_platforms[i]; i++)
        if (sim_platforms[i]->link)
            sim_platforms[i]->link(w->pdata[i], w);
    roi_verify(w); /* a seed whose ROI would be ambiguous fails here, not in a report */
    return w;
}

void world_free(struct world *w)
{
    if (!w)
        return;
    for (size_t i = 0; sim_platforms[i]; i++)
        sim_platforms[i]->world_free(w->pdata[i]);
    people_free(w->people);
    free(w);
}

unsigned world_advance(struct world *w)
{
    w->generation++;
    people_advance(w->people, w);
    for (size_t i = 0; sim_platforms[i]; i++)
        sim_platforms[i]->advance(w->pdata[i], w);
    roi_verify(w);
    return w->generation;
}

int32_t world_first_day(const struct world *w)
{
    return w->today - w->ndays;
}

int64_t day_start_utc(int32_t day)
{
    return (int64_t)day * 86400;
}

/* ---- Pacific calendar ----------------------------------------------------------------------- */

/* The n-th Sunday (1-based) of a month, as days since the epoch. */
static int32_t nth_sunday(int y, unsigned m, int n)
{
    int32_t first = time_days_from_civil(y, m, 1);
    int wd = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01 was a Thursday; 0 = Sunday */
    return first + (7 - wd) % 7 + 7 * (n - 1);
}

int pacific_offset_at_midnight(int32_t day)
{
    int y;
    unsigned m, d;
    time_civil_from_days(day, &y, &m, &d);
    int32_t start = nth_sunday(y, 3, 2), end = nth_sunday(y, 11, 1);
    /* Midnight of the switch days is still on the old offset (the switch is at 02:00). */
    return day > start && day <= end ? -7 : -8;
}

int64_t pacific_midnight(int32_t day)
{
    return day_start_utc(day) - (int64_t)pacific_offset_at_midnight(day) * 3600;
}

int32_t pacific_day_of(int64_t t)
{
    int64_t shifted = t - 8 * 3600;
    int32_t d = (int32_t)(shifted >= 0 ? shifted / 86400 : (shifted - 86399) / 86400);
    if (t >= pacific_midnight(d + 1))
        return d + 1;
    if (t < pacific_midnight(d))
        return d - 1;
    return d;
}

/* ---- formats -------------------------------------------------------------------------------- */

static void civil_time(int64_t t, int *y, unsigned *mo, unsigned *d, int *h, int *mi, int *s)
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t rem = t - days * 86400;
    time_civil_from_days((int32_t)days, y, mo, d);
    *h = (int)(rem / 3600);
    *mi = (int)(rem / 60 % 60);
    *s = (int)(rem % 60);
}

static void fmt_time(int64_t t, char *buf, size_t len, const char *suffix)
{
    int y, h, mi, s;
    unsigned mo, d;
    civil_time(t, &y, &mo, &d, &h, &mi, &s);
    snprintf(buf, len, "%04d-%02u-%02uT%02d:%02d:%02d%s", y, mo, d, h, mi, s, suffix);
}

void fmt_x_time(int64_t t, char *buf, size_t len)
{
    fmt_time(t, buf, len, ".000Z");
}

void fmt_meta_time(int64_t t, char *buf, size_t len)
{
    fmt_time(t, buf, len, "+0000");
}

void fmt_iso_z(int64_t t, char *buf, size_t len)
{
    fmt_time(t, buf, len, "Z");
}

void fmt_date(int32_t day, char *buf, size_t len)
{
    time_format_date(day, buf, len);
}

void fmt_decimal_micros(int64_t micros, char *buf, size_t len)
{
    const char *sign = micros < 0 ? "-" : "";
    uint64_t v = micros < 0 ? (uint64_t)0 - (uint64_t)micros : (uint64_t)micros;
    uint64_t whole = v / 1000000, frac = v % 1000000;
    if (frac == 0) {
        snprintf(buf, len, "%s%" PRIu64, sign, whole);
        return;
    }
    char f[8];
    snprintf(f, sizeof f, "%06" PRIu64, frac);
    for (int i = 5; i > 0 && f[i] == '0'; i--)
        f[i] = '\0';
    snprintf(buf, len, "%s%" PRIu64 ".%s", sign, whole, f);
}
