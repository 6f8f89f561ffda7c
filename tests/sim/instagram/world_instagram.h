/*
 * world_instagram.h - the simulated Instagram professional account: daily account insights,
 * media with lifetime insights, and the account's counters.
 *
 * Shared between world_instagram.c (generation, /_advance, /_world, /_truth) and the endpoint
 * files sim_instagram*.c. Shapes follow the platform reference §3 (Instagram through the
 * Graph API with Facebook Login), §2 (Graph conventions), §10.3 and §12.
 */
#ifndef SIM_WORLD_INSTAGRAM_H
#define SIM_WORLD_INSTAGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "cred.h"
#include "sim.h"
#include "world.h"

#define IG_ID 32

/* One Pacific day of account insights (total_interactions is the sum of the four counts). */
struct ig_day {
    int64_t reach, views, accounts_engaged, likes, comments, shares, saves;
    int64_t follows, unfollows; /* follower_count is follows (new followers of the day) */
};

struct ig_media {
    char id[IG_ID];
    char shortcode[16];
    int64_t created;
    char *caption;          /* NULL: no caption, the key is then absent */
    const char *media_type; /* IMAGE, VIDEO or CAROUSEL_ALBUM */
    bool reel;              /* media_product_type REELS (else FEED) */
    bool likes_hidden;      /* the owner hid the like count: like_count is absent */
    bool before_business;   /* posted before the business conversion: insights fail 2108006 */
    int64_t likes, comments, reach, views, shares, saved;
    int64_t watch_ms; /* reels: total watch time */
};

struct ig_world {
    struct rng rng;
    char user_id[IG_ID], username[32], name[64];
    char client_id[IG_ID], client_secret[40];
    int32_t first_day;
    int ndays;
    int64_t followers_base;  /* followers before the first day */
    int64_t followers_extra; /* followed after the last day of insights (/_advance) */
    int64_t following, older_media;
    struct ig_day *days;    /* ndays, from first_day */
    struct ig_media *media; /* ascending by time */
    size_t nmedia, cap;
    struct cred cred;
    uint64_t requests; /* served so far: usage headers and fbtrace_id */
};

/* followers_count now, media_count now, total_interactions of a day or a medium. */
int64_t ig_followers(const struct ig_world *ig);
int64_t ig_media_count(const struct ig_world *ig);
int64_t ig_day_interactions(const struct ig_day *d);
int64_t ig_media_interactions(const struct ig_media *m);
/* The day index of a Pacific day, or -1 outside the history. */
int ig_day_index(const struct ig_world *ig, int32_t day);
/* follower_count is served for the last 30 days before today only (reference §3.4). */
bool ig_follower_count_served(const struct ig_world *ig, const struct world *w, int d);

/* The endpoints (sim_instagram.c); see struct sim_platform for the contract. */
void sim_instagram_serve(void *pd, const struct world *w, struct http_req *r);
void sim_instagram_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                         int seconds);

#endif
