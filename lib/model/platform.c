/*
 * platform.c - the platform catalogue (see platform.h); the streams are the adapters'.
 */
#include "platform.h"
#include "apiversion.h"

#include <string.h>

/*
 * Token lifetimes (reference §12) set the refresh margins: X access tokens live 2 h (refresh
 * tokens with offline.access, rotated), Google's and HubSpot's OAuth tokens 1 h and 30 min,
 * Pinterest's 30 days (continuous refresh). Meta long-lived user tokens and Instagram Login
 * tokens live 60 days (expires_in about 5184000): the first is exchanged again with the app's
 * secret (fb_exchange_token), the second refreshed once at least 24 h old (ig_refresh_token);
 * Page tokens derived from a long-lived user token, system-user tokens and HubSpot private-app
 * tokens do not expire. LinkedIn access tokens live 60 days (5184000 s); refresh tokens (a year
 * from the first consent) only for approved partners, so a self-serve app's token ends and is
 * renewed by hand: such a token (no way to refresh, a known end) is announced 14 and 3 days
 * ahead and its account goes needs_reauth at the end (expiry.h, refresh.c refresh_token_ended).
 */
static const struct platform_info platforms[PLATFORM_COUNT] = {
    [PLATFORM_X] = {"x", "https://api.x.com", NULL, "https://api.x.com/2/oauth2/token", "", 0,
                    1800},
    [PLATFORM_FACEBOOK] = {"facebook", "https://graph.facebook.com", NULL,
                           "https://graph.facebook.com/" APIVER_META_GRAPH_DEFAULT
                           "/oauth/access_token",
                           APIVER_META_GRAPH_DEFAULT, 0, 7 * 86400},
    [PLATFORM_INSTAGRAM] = {"instagram", "https://graph.facebook.com", NULL,
                            "https://graph.instagram.com/refresh_access_token",
                            APIVER_META_GRAPH_DEFAULT, 0, 7 * 86400},
    [PLATFORM_LINKEDIN] = {"linkedin", "https://api.linkedin.com", NULL,
                           "https://www.linkedin.com/oauth/v2/accessToken", APIVER_LINKEDIN_DEFAULT,
                           0, 7 * 86400},
    [PLATFORM_YOUTUBE] = {"youtube", "https://www.googleapis.com",
                          "https://youtubeanalytics.googleapis.com",
                          "https://oauth2.googleapis.com/token", "", 0, 300},
    [PLATFORM_PINTEREST] = {"pinterest", "https://api.pinterest.com", NULL,
                            "https://api.pinterest.com/v5/oauth/token", "", 0, 7 * 86400},
    [PLATFORM_HUBSPOT] = {"hubspot", "https://api.hubapi.com", NULL,
                          "https://api.hubapi.com/oauth/v1/token", "", 5, 300},
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
