/*
 * platform.h - the fixed catalogue of platforms, and the names of their streams.
 *
 * A stream is one endpoint family of one platform (DESIGN §4). Each is declared once, in its
 * adapter's stream table (adapter.h, struct stream_def); the functions below read those tables
 * for code that needs only names (the config's checks). Pure data.
 */
#ifndef SR_PLATFORM_H
#define SR_PLATFORM_H

#include <stddef.h>
#include <stdint.h>

enum platform_id {
    PLATFORM_X,
    PLATFORM_FACEBOOK,
    PLATFORM_INSTAGRAM,
    PLATFORM_LINKEDIN,
    PLATFORM_YOUTUBE,
    PLATFORM_PINTEREST,
    PLATFORM_HUBSPOT,
    PLATFORM_COUNT
};

struct platform_info {
    const char *name;
    const char *api_base;    /* scheme://host[:port][/prefix], no trailing slash */
    const char *api_base2;   /* second host (YouTube Analytics), or NULL */
    const char *token_url;   /* OAuth token endpoint; "" when the platform has none we use */
    const char *version;     /* default API version (apiversion.h), "" when paths carry it */
    int requests_per_second; /* the platform's documented pace, 0 = no fixed pace */
    int refresh_margin_s;    /* refresh a token this long before it expires */
};

/* Returns the platform's row, or NULL. */
const struct platform_info *platform_info(enum platform_id id);
/* Returns 0 and sets *id for a known name, -1 otherwise. */
int platform_lookup(const char *name, enum platform_id *id);

/* Sets *platform to a known stream's platform and returns 0; -1 for an unknown name. */
int stream_platform(const char *name, enum platform_id *platform);
/* The i-th of all streams in a stable order, with its platform; NULL past the last. */
const char *stream_name_at(size_t i, enum platform_id *platform);

#endif
