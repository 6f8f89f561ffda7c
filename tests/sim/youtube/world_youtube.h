/*
 * world_youtube.h - the simulated YouTube channel: its uploads (videos with statistics) and
 * its daily channel analytics.
 *
 * Shared between world_youtube.c (generation, /_advance, /_world, /_truth) and the endpoint
 * files sim_youtube*.c. Shapes follow the platform reference §5 (Data API v3, Analytics API
 * v2, Google OAuth), §10.5, §11 and §12.
 */
#ifndef SIM_WORLD_YOUTUBE_H
#define SIM_WORLD_YOUTUBE_H

#include <stdbool.h>
#include <stdint.h>

#include "cred.h"
#include "sim.h"
#include "world.h"

/* Refresh tokens are shown as this prefix followed by the cred's refresh token. */
#define YT_REFRESH_PREFIX "1//0"

/* One Pacific day of channel analytics. */
struct yt_day {
    int64_t views, minutes, likes, dislikes, comments, shares, gained, lost;
    int view_pct_bp; /* averageViewPercentage in hundredths of a percent */
};

struct yt_video {
    char id[16]; /* 11 characters of [A-Za-z0-9_-] */
    int64_t published;
    const char *title, *description;
    int duration_s;
    bool ratings_hidden;    /* likeCount absent */
    bool comments_disabled; /* commentCount absent */
    int64_t views, likes, comments;
};

struct yt_world {
    struct rng rng;
    char channel_id[32], client_id[96], client_secret[48];
    const char *title;
    int32_t first_day;
    int ndays;
    int64_t views_before, subs_before, subs_extra;
    struct yt_day *days;     /* ndays, from first_day */
    struct yt_video *videos; /* ascending by time */
    size_t nvideos, cap;
    struct cred cred;
    uint64_t requests;
};

/* The uploads playlist: the channel id with "UC" replaced by "UU". */
void yt_uploads_playlist(const struct yt_world *yt, char *out, size_t len);
/* Channel statistics now: viewCount, the exact subscribers, subscriberCount as shown. */
int64_t yt_channel_views(const struct yt_world *yt);
int64_t yt_subscribers(const struct yt_world *yt);
int64_t yt_subscribers_shown(const struct yt_world *yt);
/* The refresh token as clients hold it ("1//0..."). */
void yt_refresh_token(const struct yt_world *yt, char *out, size_t len);

/* The endpoints (sim_youtube.c); see struct sim_platform for the contract. */
void sim_youtube_serve(void *pd, const struct world *w, struct http_req *r);
void sim_youtube_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                       int seconds);

#endif
