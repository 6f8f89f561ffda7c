/*
 * apiversion.c - the table of platform API versions and the sunset checks (see apiversion.h).
 */
#include "apiversion.h"
#include "config.h"
#include "log.h"
#include "timeutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define META_GRAPH_VERSIONS "https://developers.facebook.com/docs/graph-api/changelog/versions/"
#define META_MARKETING_VERSIONS                                                                    \
    "https://developers.facebook.com/documentation/ads-commerce/marketing-api/"                    \
    "marketing-api-changelog/versions"
#define LINKEDIN_MIGRATIONS                                                                        \
    "https://learn.microsoft.com/en-us/linkedin/marketing/integrations/migrations"
#define LINKEDIN_VERSIONING "https://learn.microsoft.com/en-us/linkedin/marketing/versioning"
#define HUBSPOT_MIGRATION   "https://developers.hubspot.com/docs/api-reference/legacy/migration-guide"

/*
 * Every version socialroi knows, oldest first within a family, as the platforms published them
 * (read 2026-12-07). A NULL sunset is one the platform has not announced yet ("TBD").
 *
 * Meta gives Graph and Marketing API versions the same numbers on the same days but different
 * lives: a Graph version lives two years after the next one is released, a Marketing version
 * about a year. After its expiry a Graph version is served as the oldest one still available;
 * an expired Marketing version answers error 2635 unless Meta upgrades the call itself.
 *
 * LinkedIn releases a version each month (the month is all it publishes; the first of the month
 * stands for it) and supports each for at least a year; the migrations page lists the sunsets
 * it has announced (up to 202603 when read). 202610 is the version the adapter was built and
 * tested against; its sunset is not announced. A sunset version answers HTTP 426
 * NONEXISTENT_VERSION.
 *
 * HubSpot's adapter calls the legacy /crm/v3 and /crm/v4 paths. HubSpot moved to date versions
 * (/crm/objects/2026-03/...) on 2026-03-30 and supports the legacy paths until September 2027
 * (the month is all it publishes; its first day stands for it). Moving is a change of the
 * adapter's paths, not of a configured version.
 */
static const struct api_version versions[] = {
    {API_META_GRAPH, "v20.0", "2024-05-21", "2026-09-24", META_GRAPH_VERSIONS},
    {API_META_GRAPH, "v21.0", "2024-10-02", "2027-01-21", META_GRAPH_VERSIONS},
    {API_META_GRAPH, "v22.0", "2025-01-21", "2027-05-20", META_GRAPH_VERSIONS},
    {API_META_GRAPH, "v23.0", "2025-05-29", "2027-10-08", META_GRAPH_VERSIONS},
    {API_META_GRAPH, "v24.0", "2025-10-08", "2028-02-18", META_GRAPH_VERSIONS},
    {API_META_GRAPH, "v25.0", "2026-02-18", "2028-07-29", META_GRAPH_VERSIONS},
    {API_META_GRAPH, "v26.0", "2026-07-29", NULL, META_GRAPH_VERSIONS},
    {API_META_MARKETING, "v22.0", "2025-01-21", "2026-02-19", META_MARKETING_VERSIONS},
    {API_META_MARKETING, "v23.0", "2025-05-29", "2026-06-09", META_MARKETING_VERSIONS},
    {API_META_MARKETING, "v24.0", "2025-10-08", "2026-11-10", META_MARKETING_VERSIONS},
    {API_META_MARKETING, "v25.0", "2026-02-18", "2027-02-23", META_MARKETING_VERSIONS},
    {API_META_MARKETING, "v26.0", "2026-07-29", NULL, META_MARKETING_VERSIONS},
    {API_META_MARKETING, "v27.0", "2026-11-04", NULL, META_MARKETING_VERSIONS},
    {API_LINKEDIN, "202510", "2025-10-01", "2026-10-15", LINKEDIN_MIGRATIONS},
    {API_LINKEDIN, "202511", "2025-11-01", "2026-11-16", LINKEDIN_MIGRATIONS},
    {API_LINKEDIN, "202601", "2026-01-01", "2027-01-15", LINKEDIN_MIGRATIONS},
    {API_LINKEDIN, "202602", "2026-02-01", "2027-02-15", LINKEDIN_MIGRATIONS},
    {API_LINKEDIN, "202603", "2026-03-01", "2027-03-16", LINKEDIN_MIGRATIONS},
    {API_LINKEDIN, "202610", "2026-10-01", NULL, LINKEDIN_VERSIONING},
    {API_HUBSPOT, "v3", NULL, "2027-09-01", HUBSPOT_MIGRATION},
};

/*
 * The shipped defaults. Graph v24.0 stays: it is served until 2028-02-18. Marketing v24.0 was
 * retired on 2026-11-10 and v25.0 goes on 2027-02-23, eleven weeks from when this was chosen;
 * v26.0 (released 2026-07-29, its changes published four months ago, no sunset announced) is
 * the ads default rather than v27.0, released a month ago. LinkedIn 202610 is two months old
 * and lives at least until October 2027. HubSpot: the legacy paths the adapter calls.
 */
static const char *const defaults[API_FAMILY_COUNT] = {
    [API_META_GRAPH] = APIVER_META_GRAPH_DEFAULT,
    [API_META_MARKETING] = APIVER_META_MARKETING_DEFAULT,
    [API_LINKEDIN] = APIVER_LINKEDIN_DEFAULT,
    [API_HUBSPOT] = "v3",
};

static const char *const family_names[API_FAMILY_COUNT] = {
    [API_META_GRAPH] = "meta-graph",
    [API_META_MARKETING] = "meta-marketing",
    [API_LINKEDIN] = "linkedin",
    [API_HUBSPOT] = "hubspot",
};

/* What the operator calls each family's version in a message. */
static const char *const family_titles[API_FAMILY_COUNT] = {
    [API_META_GRAPH] = "Graph API",
    [API_META_MARKETING] = "Marketing API",
    [API_LINKEDIN] = "LinkedIn-Version",
    [API_HUBSPOT] = "HubSpot API",
};

const char *apiver_family_name(enum api_family f)
{
    return (int)f >= 0 && f < API_FAMILY_COUNT ? family_names[f] : "?";
}

const struct api_version *apiver_at(size_t i)
{
    return i < sizeof versions / sizeof versions[0] ? &versions[i] : NULL;
}

const struct api_version *apiver_find(enum api_family f, const char *version)
{
    for (size_t i = 0; version && i < sizeof versions / sizeof versions[0]; i++)
        if (versions[i].family == f && strcmp(versions[i].version, version) == 0)
            return &versions[i];
    return NULL;
}

const char *apiver_default(enum api_family f)
{
    return (int)f >= 0 && f < API_FAMILY_COUNT ? defaults[f] : "";
}

bool apiver_stream_family(const char *stream, enum api_family *f)
{
    if (strcmp(stream, "facebook.ads_insights") == 0 || strcmp(stream, "facebook.leads") == 0)
        *f = API_META_MARKETING;
    else if (strncmp(stream, "facebook.", 9) == 0 || strncmp(stream, "instagram.", 10) == 0)
        *f = API_META_GRAPH;
    else if (strncmp(stream, "linkedin.", 9) == 0)
        *f = API_LINKEDIN;
    else if (strncmp(stream, "hubspot.", 8) == 0)
        *f = API_HUBSPOT;
    else
        return false;
    return true;
}

const char *apiver_config_key(enum api_family f)
{
    switch (f) {
    case API_META_MARKETING:
        return "ads_version";
    case API_META_GRAPH:
    case API_LINKEDIN:
        return "version";
    default:
        return NULL;
    }
}

static int32_t day_of(const char *date)
{
    int32_t d;
    return date && time_parse_date(date, &d) == 0 ? d : INT32_MIN;
}

enum apiver_state apiver_check(enum api_family f, const char *version, int32_t sunset_override,
                               int32_t today, int32_t *sunset, int32_t *days_left)
{
    const struct api_version *v = apiver_find(f, version);
    *sunset = sunset_override != INT32_MIN ? sunset_override : v ? day_of(v->sunset) : INT32_MIN;
    *days_left = *sunset == INT32_MIN ? INT32_MAX : *sunset - today;
    if (!v && sunset_override == INT32_MIN)
        return APIVER_UNKNOWN;
    if (*sunset == INT32_MIN || *days_left > APIVER_WARN_DAYS)
        return APIVER_OK;
    return *days_left > 0 ? APIVER_SOON : APIVER_RETIRED;
}

/* Fine on day today: released and not within APIVER_WARN_DAYS of its sunset. */
static bool fine(const struct api_version *v, int32_t today)
{
    int32_t sunset = day_of(v->sunset);
    return day_of(v->released) <= today &&
           (sunset == INT32_MIN || sunset - today > APIVER_WARN_DAYS);
}

const char *apiver_suggest(enum api_family f, int32_t today)
{
    const struct api_version *d = apiver_find(f, apiver_default(f));
    if (d && fine(d, today))
        return d->version;
    const char *best = NULL;
    for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
        if (versions[i].family == f && fine(&versions[i], today))
            best = versions[i].version; /* oldest first: the last one is the newest */
    return best ? best : apiver_default(f);
}

const char *apiver_for_stream(const struct cfg_platform *p, const char *stream)
{
    enum api_family f;
    if (stream && apiver_stream_family(stream, &f) && f == API_META_MARKETING && p->ads_version &&
        *p->ads_version)
        return p->ads_version;
    return p->version;
}

void apiver_log_note(void *arg, enum apiver_state state, const char *message)
{
    (void)arg;
    if (state == APIVER_UNKNOWN)
        log_notice("config: %s", message);
    else
        log_warn("config: %s", message);
}

/* ---- the configuration's versions ------------------------------------------------------- */

/* Platforms any enabled account polls. */
static bool polled(const struct config *cfg, enum platform_id id)
{
    for (size_t i = 0; i < cfg->naccounts; i++)
        if (cfg->accounts[i].enabled && cfg->accounts[i].platform_id == id)
            return true;
    return false;
}

static void note(apiver_note_fn *fn, void *arg, enum apiver_state st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void note(apiver_note_fn *fn, void *arg, enum apiver_state st, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    fn(arg, st, msg);
}

/* The [platform NAME] section of a use, for messages. */
static void section_of(const struct apiver_use *u, char *out, size_t len)
{
    snprintf(out, len, "[platform %s]", u->platform);
}

void apiver_each_configured(const struct config *cfg, int32_t today, apiver_use_fn *fn, void *arg)
{
    static const struct {
        enum platform_id platform;
        enum api_family family;
        bool ads;
    } uses[] = {
        {PLATFORM_FACEBOOK, API_META_GRAPH, false},  {PLATFORM_FACEBOOK, API_META_MARKETING, true},
        {PLATFORM_INSTAGRAM, API_META_GRAPH, false}, {PLATFORM_LINKEDIN, API_LINKEDIN, false},
        {PLATFORM_HUBSPOT, API_HUBSPOT, false},
    };
    for (size_t i = 0; i < sizeof uses / sizeof uses[0]; i++) {
        const struct cfg_platform *p = &cfg->platforms[uses[i].platform];
        if (!polled(cfg, uses[i].platform))
            continue;
        struct apiver_use u = {.platform = platform_info(uses[i].platform)->name,
                               .family = uses[i].family,
                               .key = apiver_config_key(uses[i].family),
                               .title = family_titles[uses[i].family]};
        int32_t override = INT32_MIN;
        if (uses[i].family == API_HUBSPOT) {
            u.version = apiver_default(API_HUBSPOT); /* the adapter's paths carry it */
        } else {
            u.version = uses[i].ads ? p->ads_version : p->version;
            override = uses[i].ads ? p->ads_version_sunset : p->version_sunset;
        }
        if (!u.version || !*u.version)
            continue;
        u.state = apiver_check(u.family, u.version, override, today, &u.sunset, &u.days_left);
        u.suggest = apiver_suggest(u.family, today);
        fn(arg, &u);
    }
}

struct check_state {
    apiver_note_fn *fn;
    void *arg;
    int n;
};

/* Says a word about one configured version worth it; counts those near or past their sunset. */
static void check_one(void *arg, const struct apiver_use *u)
{
    struct check_state *cs = arg;
    char day[16] = "", section[64];
    if (u->sunset != INT32_MIN)
        time_format_date(u->sunset, day, sizeof day);
    section_of(u, section, sizeof section);
    if (!u->key) { /* HubSpot: the adapter's paths, not a configured version */
        if (u->state == APIVER_SOON || u->state == APIVER_RETIRED) {
            note(cs->fn, cs->arg, u->state,
                 "hubspot: the adapter calls HubSpot's legacy v3/v4 paths, %s %s: this "
                 "socialroi needs an update to HubSpot's date versions",
                 u->state == APIVER_SOON ? "retired on" : "retired since", day);
            cs->n++;
        }
        return;
    }
    switch (u->state) {
    case APIVER_OK:
        return;
    case APIVER_UNKNOWN:
        note(cs->fn, cs->arg, u->state,
             "%s %s %s is not in socialroi's table of %s versions: its sunset is not checked "
             "(set %s_sunset = YYYY-MM-DD to have it checked)",
             section, u->key, u->version, family_names[u->family], u->key);
        return;
    case APIVER_SOON:
        note(cs->fn, cs->arg, u->state, "%s %s %s (%s) is retired on %s, in %d day%s: set %s = %s",
             section, u->key, u->version, u->title, day, u->days_left, u->days_left == 1 ? "" : "s",
             u->key, u->suggest);
        cs->n++;
        return;
    case APIVER_RETIRED:
        note(cs->fn, cs->arg, u->state, "%s %s %s (%s) was retired on %s: set %s = %s", section,
             u->key, u->version, u->title, day, u->key, u->suggest);
        cs->n++;
        return;
    }
}

int apiver_check_config(const struct config *cfg, int32_t today, apiver_note_fn *fn, void *arg)
{
    struct check_state cs = {fn, arg, 0};
    apiver_each_configured(cfg, today, check_one, &cs);
    return cs.n;
}
