/*
 * world.h - the simulated world: seed, calendar, generation counter, seeded PRNG, time formats.
 *
 * Everything the simulator serves is a pure function of the seed, the world's today and the
 * number of /_advance steps taken, so the same seed and day give byte-identical answers. Each
 * platform keeps its data in its own module (world_x.c, world_facebook.c) behind the vtable in
 * sim.h; this module owns the shared pieces: the PRNG (splitmix64, never rand()), the Pacific
 * calendar that Meta's page insights use, and the timestamp formats the platforms print.
 *
 * Days are int32 days since 1970-01-01 (lib/timeutil.h); timestamps are int64 Unix seconds.
 * Runs on the event loop; not thread-safe.
 */
#ifndef SIM_WORLD_H
#define SIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_MAX_PLATFORMS 8

/*
 * Money across platforms: the reporting currency (the HubSpot portal's and the Meta ad
 * account's too) and the world's one static exchange rate, USD micro-units per EUR (1.08).
 * HubSpot's amount_in_home_currency and the ROI truth both convert with it (world_roi.c).
 */
#define SIM_HOME_CURRENCY  "USD"
#define SIM_EUR_USD_MICROS 1080000

/* A splitmix64 stream. Plain record embedded by value. */
struct rng {
    uint64_t s;
};

/* Seeds a stream from the world seed and a tag, so each platform has its own independent one. */
void rng_seed(struct rng *r, uint64_t seed, const char *tag);
uint64_t rng_next(struct rng *r);
/* Uniform in [lo, hi] (inclusive). */
int64_t rng_range(struct rng *r, int64_t lo, int64_t hi);
/* True with probability pct/100. */
bool rng_pct(struct rng *r, unsigned pct);
/* Uniform in [0, 1), for fault probabilities only. */
double rng_unit(struct rng *r);
/* n decimal digits, the first one not zero, NUL-terminated into out (n + 1 bytes). */
void rng_digits(struct rng *r, char *out, size_t n);
/* n characters from [A-Za-z0-9], after prefix; out holds strlen(prefix) + n + 1 bytes. */
void rng_alnum(struct rng *r, char *out, const char *prefix, size_t n);
/* A stateless mix of a few numbers (for values that must not depend on call order). */
uint64_t mix64(uint64_t a, uint64_t b);

struct people;

struct world {
    uint64_t seed;
    int32_t today;       /* the world's today, days since the epoch */
    int ndays;           /* days of history: [today - ndays, today - 1] */
    unsigned generation; /* /_advance steps taken */
    void *pdata[SIM_MAX_PLATFORMS];
    struct people *people; /* world_people.c: business campaigns and the people across platforms */
    size_t crm_contacts;   /* HubSpot contacts wanted (--crm-contacts): at least the people's */
    /*
     * 0 for the world of account 0 (every platform, the people); K >= 1 for the world of one
     * extra account of one platform (accounts.h): own seed, no people of its own.
     */
    unsigned account;
    bool no_rate_limits; /* --no-rate-limits: no throttling or usage pressure from counting */
};

/*
 * Generates every platform's data, then the people (who need the ad platforms' campaigns),
 * then lets each platform link its data to the people. Caller frees with world_free.
 */
struct world *world_new(uint64_t seed, int32_t today, int ndays, size_t crm_contacts);
void world_free(struct world *w);
/*
 * One /_advance step: the people first (new leads, contacts, deal moves), then every platform
 * (restatements, growing counters, new items and what the people did). Returns the generation.
 */
unsigned world_advance(struct world *w);

/* First day of history and Unix seconds of a UTC midnight. */
int32_t world_first_day(const struct world *w);
int64_t day_start_utc(int32_t day);

/* America/Los_Angeles (US rules since 2007): UTC offset in hours at local midnight of day. */
int pacific_offset_at_midnight(int32_t day);
/* Unix seconds of local midnight starting the Pacific day. */
int64_t pacific_midnight(int32_t day);
/* The Pacific calendar day a Unix time falls on. */
int32_t pacific_day_of(int64_t t);

/* Timestamp formats (buffers of at least 32 bytes). */
void fmt_x_time(int64_t t, char *buf, size_t len);    /* 2021-02-23T18:07:07.000Z */
void fmt_meta_time(int64_t t, char *buf, size_t len); /* 2024-03-12T15:02:47+0000 */
void fmt_iso_z(int64_t t, char *buf, size_t len);     /* 2024-03-12T15:02:47Z (truth) */
void fmt_date(int32_t day, char *buf, size_t len);    /* 2024-03-12 */
/*
 * Money: micros as a plain decimal string with no trailing zeros ("14.35", "20", "0.375"),
 * the way Ads Insights prints spend. Never through a double.
 */
void fmt_decimal_micros(int64_t micros, char *buf, size_t len);

#endif
