/*
 * platform.c - the platform and stream catalogue (see platform.h).
 *
 * Defaults follow each platform's restatement behaviour and cost: Meta ads restate 28 days,
 * LinkedIn ads 30, YouTube Analytics lags 2-3 days (5-day window), CRM deltas run often with a
 * short overlap.
 */
#include "platform.h"

#include <string.h>

#define MIN  (60LL * 1000)
#define HOUR (60 * MIN)
#define DAY  (24 * HOUR)

/*
 * Token lifetimes (reference §12) set the refresh margins: X access tokens live 2 h, Google's and
 * HubSpot's OAuth tokens 1 h and 30 min, Meta, Instagram, LinkedIn and Pinterest tokens weeks.
 */
static const struct platform_info platforms[PLATFORM_COUNT] = {
    [PLATFORM_X] = {"x", "https://api.x.com", NULL, "https://api.x.com/2/oauth2/token", "", 0,
                    1800},
    [PLATFORM_FACEBOOK] = {"facebook", "https://graph.facebook.com", NULL,
                           "https://graph.facebook.com/v24.0/oauth/access_token", "v24.0", 0,
                           7 * 86400},
    [PLATFORM_INSTAGRAM] = {"instagram", "https://graph.facebook.com", NULL,
                            "https://graph.instagram.com/refresh_access_token", "v24.0", 0,
                            7 * 86400},
    [PLATFORM_LINKEDIN] = {"linkedin", "https://api.linkedin.com", NULL,
                           "https://www.linkedin.com/oauth/v2/accessToken", "202610", 0, 7 * 86400},
    [PLATFORM_YOUTUBE] = {"youtube", "https://www.googleapis.com",
                          "https://youtubeanalytics.googleapis.com",
                          "https://oauth2.googleapis.com/token", "", 0, 300},
    [PLATFORM_PINTEREST] = {"pinterest", "https://api.pinterest.com", NULL,
                            "https://api.pinterest.com/v5/oauth/token", "", 0, 7 * 86400},
    [PLATFORM_HUBSPOT] = {"hubspot", "https://api.hubapi.com", NULL,
                          "https://api.hubapi.com/oauth/v1/token", "", 5, 300},
};

static const struct stream_info streams[] = {
    {"x.user", PLATFORM_X, 1 * HOUR, 0},
    {"x.tweets", PLATFORM_X, 6 * HOUR, 30 * DAY},
    {"x.mentions", PLATFORM_X, 1 * HOUR, 1 * HOUR}, /* no restatements: an overlap will do */
    {"facebook.page_insights", PLATFORM_FACEBOOK, 12 * HOUR, 3 * DAY},
    {"facebook.posts", PLATFORM_FACEBOOK, 12 * HOUR, 30 * DAY},
    {"facebook.ads_insights", PLATFORM_FACEBOOK, 6 * HOUR, 28 * DAY},
    {"facebook.leads", PLATFORM_FACEBOOK, 15 * MIN, 1 * DAY},
    {"instagram.account_insights", PLATFORM_INSTAGRAM, 12 * HOUR, 3 * DAY},
    {"instagram.media", PLATFORM_INSTAGRAM, 12 * HOUR, 30 * DAY},
    {"linkedin.org_stats", PLATFORM_LINKEDIN, 24 * HOUR, 7 * DAY},
    {"linkedin.ad_analytics", PLATFORM_LINKEDIN, 12 * HOUR, 30 * DAY},
    {"linkedin.leads", PLATFORM_LINKEDIN, 30 * MIN, 1 * DAY},
    {"youtube.channel", PLATFORM_YOUTUBE, 24 * HOUR, 0},
    {"youtube.videos", PLATFORM_YOUTUBE, 24 * HOUR, 30 * DAY},
    {"youtube.analytics", PLATFORM_YOUTUBE, 24 * HOUR, 5 * DAY},
    {"pinterest.user_analytics", PLATFORM_PINTEREST, 24 * HOUR, 7 * DAY},
    {"pinterest.ad_analytics", PLATFORM_PINTEREST, 24 * HOUR, 30 * DAY},
    {"hubspot.contacts", PLATFORM_HUBSPOT, 15 * MIN, 1 * HOUR},
    {"hubspot.deals", PLATFORM_HUBSPOT, 15 * MIN, 1 * HOUR},
};

const struct platform_info *platform_info(enum platform_id id)
{
    if ((int)id < 0 || id >= PLATFORM_COUNT)
        return NULL;
    return &platforms[id];
}

int platform_lookup(const char *name, enum platform_id *id)
{
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        if (strcmp(platforms[i].name, name) == 0) {
            *id = (enum platform_id)i;
            return 0;
        }
    }
    return -1;
}

const struct stream_info *stream_all(size_t *n)
{
    *n = sizeof streams / sizeof streams[0];
    return streams;
}

const struct stream_info *stream_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof streams / sizeof streams[0]; i++)
        if (strcmp(streams[i].name, name) == 0)
            return &streams[i];
    return NULL;
}
