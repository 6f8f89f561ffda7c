/*
 * world_pinterest.h - the simulated Pinterest business account: its user account with daily
 * organic analytics, and an ad account in EUR with campaigns and their daily delivery.
 *
 * Shared between world_pinterest.c (generation, /_advance, /_world, /_truth) and the endpoint
 * files sim_pinterest*.c. Shapes follow the platform reference §6 (Pinterest API v5), §8,
 * §10.6, §11, §12 and §15 item 13.
 */
#ifndef SIM_WORLD_PINTEREST_H
#define SIM_WORLD_PINTEREST_H

#include <stdbool.h>
#include <stdint.h>

#include "cred.h"
#include "sim.h"
#include "world.h"

#define PIN_CAMPAIGNS_MAX  4
#define PIN_REFRESH_PREFIX "pinr_"
/* Analytics serve no day older than this many days before today (reference §6.4). */
#define PIN_DAYS_BACK 90

/* One UTC day of organic user analytics. */
struct pin_day {
    int64_t impressions, saves, pin_clicks, outbound_clicks, engagements;
};

struct pin_campaign {
    char id[24]; /* 12 digits */
    const char *name, *objective;
    bool paused;
    bool leads; /* a lead objective: the LEADS column has data */
    int64_t daily_cap_micros, created;
};

/* One campaign's delivery on one UTC day. */
struct pin_adday {
    bool delivered;
    int64_t spend_micros, impressions, paid_impressions, clicks, outbound_clicks, saves;
    int64_t conversions, conversion_value_micros, leads;
};

struct pin_world {
    struct rng rng;
    char user_id[24], username[32], ad_account[24], client_id[24], client_secret[48];
    const char *currency;
    int32_t first_day;
    int ndays;
    int64_t followers_base, followers_extra, following, pins, boards;
    bool last_ready;      /* the latest day has left PROCESSING (after an /_advance) */
    struct pin_day *days; /* ndays, from first_day */
    int ncamps;
    struct pin_campaign camps[PIN_CAMPAIGNS_MAX];
    struct pin_adday *ads; /* [campaign * ndays + day] */
    struct cred cred;
    uint64_t requests;
};

struct pin_adday *pin_adday(const struct pin_world *pw, int c, int d);
int64_t pin_followers(const struct pin_world *pw);
/* The day index of a UTC day, or -1 outside the history. */
int pin_day_index(const struct pin_world *pw, int32_t day);
/* True when day index d is still served (Pinterest serves the last 90 days). */
bool pin_day_served(const struct pin_world *pw, const struct world *w, int d);
/* True when day index d is READY (every day but the latest until the first /_advance). */
bool pin_day_ready(const struct pin_world *pw, int d);
/* The refresh token as clients hold it ("pinr_..."). */
void pin_refresh_token(const struct pin_world *pw, char *out, size_t len);

/* The endpoints (sim_pinterest.c); see struct sim_platform for the contract. */
void sim_pinterest_serve(void *pd, const struct world *w, struct http_req *r);
void sim_pinterest_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                         int seconds);

#endif
