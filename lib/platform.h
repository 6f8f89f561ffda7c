/*
 * platform.h - the fixed catalogue of platforms and their streams.
 *
 * A stream is one endpoint family of one platform (DESIGN §4). This table is the single place
 * that names them, with the default poll interval and lookback window each gets when the
 * config does not say. Pure data.
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
    const char *version;     /* pinned API version, or "" when versions live in paths */
    int requests_per_second; /* the platform's documented pace, 0 = no fixed pace */
    int refresh_margin_s;    /* refresh a token this long before it expires */
};

struct stream_info {
    const char *name; /* "facebook.ads_insights" */
    enum platform_id platform;
    int64_t interval_ms; /* default poll interval */
    int64_t lookback_ms; /* default trailing window re-polled for restatements */
};

/* Returns the platform's row, or NULL. */
const struct platform_info *platform_info(enum platform_id id);
/* Returns 0 and sets *id for a known name, -1 otherwise. */
int platform_lookup(const char *name, enum platform_id *id);

/* All streams, in a stable order; *n receives the count. */
const struct stream_info *stream_all(size_t *n);
/* Returns the stream's row, or NULL. */
const struct stream_info *stream_lookup(const char *name);

#endif
