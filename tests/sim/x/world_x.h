/*
 * world_x.h - the simulated X account: its user, its posts and their public metrics, and what
 * recent search finds about it (world_x_search.h).
 *
 * Shared between world_x.c (generation, /_advance, /_world, /_truth) and sim_x*.c (the
 * endpoints). Shapes follow the platform reference §1 (X API v2) and §10.1.
 */
#ifndef SIM_WORLD_X_H
#define SIM_WORLD_X_H

#include <stdint.h>

#include "cred.h"
#include "sim.h"
#include "world.h"

struct x_search;

struct x_tweet {
    uint64_t id; /* snowflake: milliseconds since the Twitter epoch << 22 */
    int64_t created;
    char *text;
    int64_t likes, replies, retweets, quotes, bookmarks, impressions;
};

/* One 15-minute rate-limit window of one endpoint (x-rate-limit-* headers). */
struct x_limit {
    int limit, remaining;
    int64_t reset; /* epoch seconds */
};

enum x_endpoint { X_EP_USERS, X_EP_TWEETS, X_EP_SEARCH, X_EP_TOKEN, X_EP_COUNT };

struct x_world {
    struct rng rng;
    uint64_t user_id;
    char username[32], name[64];
    int64_t user_created;
    int64_t followers, following, older_tweets, listed, likes_given;
    struct x_tweet *tweets; /* ascending by id (and so by time) */
    size_t ntweets, cap;
    char client_id[40];
    struct cred cred;
    struct x_limit limits[X_EP_COUNT];
    uint64_t token_key;      /* scrambles pagination tokens */
    struct x_search *search; /* other users' posts about the brand (world_x_search.h) */
    bool repeat_cursor;      /* the next timeline page asked with a token hands it back */
};

/* A snowflake id for a post made at Unix second t: ids grow with time, like X's. */
uint64_t x_snowflake(struct rng *r, int64_t t);

/* The account's tweet_count (public_metrics): older posts plus those in the window. */
int64_t x_tweet_count(const struct x_world *x);

/* The endpoints (sim_x.c); see struct sim_platform for the contract. */
void sim_x_serve(void *pd, const struct world *w, struct http_req *r);
void sim_x_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                 int seconds);

#endif
