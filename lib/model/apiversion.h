/*
 * apiversion.h - the platforms' API versions: when each was released and when it is retired.
 *
 * One table (apiversion.c) holds every version socialroi knows, per API family: a family is a
 * set of endpoints that share one version lifetime. Meta's Graph API (Pages, Instagram) and
 * Marketing API (ads insights, lead ads) share version numbers but not lifetimes, so they are
 * two families, configured by two keys of [platform facebook] (version, ads_version).
 *
 * The check functions tell how far a configured version is from its sunset: more than
 * APIVER_WARN_DAYS days is fine, within it a warning, on or after the sunset day retired. A
 * version absent from the table is unknown: a note, never an error. [platform NAME]
 * version_sunset / ads_version_sunset override the table's sunset for the configured version.
 *
 * Pure data and date arithmetic: no I/O, no clock (today is a parameter).
 */
#ifndef SR_APIVERSION_H
#define SR_APIVERSION_H

#include "platform.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define APIVER_WARN_DAYS 30 /* warn when the sunset is this many days away or fewer */

/* The shipped defaults, chosen in apiversion.c; platform.c pins them as the platforms' versions. */
#define APIVER_META_GRAPH_DEFAULT     "v24.0"
#define APIVER_META_MARKETING_DEFAULT "v26.0"
#define APIVER_LINKEDIN_DEFAULT       "202610"

enum api_family {
    API_META_GRAPH,     /* Graph API: facebook page streams, instagram */
    API_META_MARKETING, /* Marketing API: facebook.ads_insights, facebook.leads */
    API_LINKEDIN,       /* LinkedIn Marketing API, LinkedIn-Version header */
    API_HUBSPOT,        /* HubSpot, version in the path; the adapter's, not configurable */
    API_FAMILY_COUNT
};

struct api_version {
    enum api_family family;
    const char *version;  /* as sent: "v25.0", "202610", "v3" */
    const char *released; /* YYYY-MM-DD (the 1st where only the month is published), or NULL */
    const char *sunset;   /* YYYY-MM-DD, or NULL while the platform has not announced it */
    const char *source;   /* where the dates are published */
};

enum apiver_state {
    APIVER_OK,      /* supported for more than APIVER_WARN_DAYS days (or no sunset announced) */
    APIVER_SOON,    /* retired within APIVER_WARN_DAYS days */
    APIVER_RETIRED, /* the sunset day has come */
    APIVER_UNKNOWN, /* not in the table and no sunset configured */
};

/* "meta-graph", "meta-marketing", "linkedin", "hubspot". */
const char *apiver_family_name(enum api_family f);
/* The i-th row of the table, NULL past the last. */
const struct api_version *apiver_at(size_t i);
/* The row of a family's version, or NULL. */
const struct api_version *apiver_find(enum api_family f, const char *version);
/* The shipped default of a family (see the table's comment for why each was chosen). */
const char *apiver_default(enum api_family f);
/* The family a stream's calls belong to; false for a stream whose platform pins no version. */
bool apiver_stream_family(const char *stream, enum api_family *f);
/* The [platform NAME] key that sets a family's version ("version", "ads_version"), or NULL for
 * a family that is not configurable (HubSpot: the adapter's paths carry it). */
const char *apiver_config_key(enum api_family f);

/*
 * Where version stands on day today (days since epoch). sunset_override is a configured sunset
 * day or INT32_MIN for the table's; *sunset gets the sunset day used (INT32_MIN when none) and
 * *days_left the days from today to it.
 */
enum apiver_state apiver_check(enum api_family f, const char *version, int32_t sunset_override,
                               int32_t today, int32_t *sunset, int32_t *days_left);
/* The version to move to on day today: the shipped default while it is fine, else the newest
 * released version of the family that is fine; the shipped default when none is. */
const char *apiver_suggest(enum api_family f, int32_t today);

struct config;
struct cfg_platform;

/* The version a stream's calls send: ads_version for the Marketing API streams when it is set,
 * version otherwise; NULL or "" when the platform pins none. */
const char *apiver_for_stream(const struct cfg_platform *p, const char *stream);

/*
 * Checks every configured version a polled platform uses against the table on day today and
 * calls fn once per version worth a word (state SOON, RETIRED or UNKNOWN) with a one-line
 * message naming the section, the key and, when retired or near, what to set instead.
 * Returns how many were SOON or RETIRED.
 */
typedef void apiver_note_fn(void *arg, enum apiver_state state, const char *message);

/* One API version the configuration sends (HubSpot's: the adapter's, key NULL). */
struct apiver_use {
    const char *platform; /* the [platform NAME] */
    enum api_family family;
    const char *key;     /* "version", "ads_version"; NULL when not configurable */
    const char *version; /* as sent */
    const char *title;   /* what the platform calls it: "Marketing API" */
    enum apiver_state state;
    int32_t sunset, days_left; /* as apiver_check gives them */
    const char *suggest;       /* apiver_suggest on day today */
};
typedef void apiver_use_fn(void *arg, const struct apiver_use *u);
/* Calls fn once per version a polled platform sends, checked on day today. */
void apiver_each_configured(const struct config *cfg, int32_t today, apiver_use_fn *fn, void *arg);
int apiver_check_config(const struct config *cfg, int32_t today, apiver_note_fn *fn, void *arg);
/* An apiver_note_fn that logs: a warning for SOON and RETIRED, a notice for UNKNOWN. */
void apiver_log_note(void *arg, enum apiver_state state, const char *message);

#endif
