/*
 * linkedin_ads.c - linkedin.ad_analytics: the ad account's campaigns, then adAnalytics per
 * campaign and UTC day. The Rest.li and error machinery is in linkedin.c.
 *
 * A run is a chain of pages, the page cursor saying which comes next:
 *   NULL, "campaigns:TOKEN"  GET adAccounts/{id}/adCampaigns?q=search (pageToken paging through
 *                            metadata.nextPageToken) -> campaign records
 *   "analytics:1"            GET adAnalytics, first field chunk -> ad_daily per campaign and day
 *   "analytics:2"            GET adAnalytics, second field chunk -> metric records per campaign
 * adAnalytics has no paging (reference §4.3): one request per chunk covers the window.
 *
 * What adAnalytics sends (reference §4.3, §10.4): at most 20 fields per request, dateRange and
 * pivotValues included, hence the chunks; counts are JSON integers (numeric strings are accepted
 * too); costs are decimal strings that may be in exponent notation ("-2E-18" is 0 micros after the
 * exact decimal parser's half-even rounding); the campaign is the numeric id after the last ':' of
 * pivotValues[0] (legacy versions send a singular pivotValue). With DAILY granularity an element's
 * dateRange starts and ends on the same day; an element covering a longer range cannot be put on
 * one day, so it is skipped and counted as a warning instead of failing the page (which would
 * block the account's analytics at every retry). Days outside the window are not recorded.
 *
 * costInLocalCurrency is in the ad account's currency, which the answer does not name: it comes
 * from the account's `currency` setting, and build() refuses an account without one. parse()
 * leaves the currency empty when there is none (only `socialroi parse` gets there).
 *
 * With no cursor (`socialroi parse` on a saved body) an answer whose elements have a dateRange is
 * read as the adAnalytics chunk its fields belong to, without a next cursor.
 *
 * Pure, like the rest of the adapter.
 */
#include "linkedin_int.h"
#include "buf.h"
#include "money.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIELDS_MAX    20 /* adAnalytics refuses more fields in one request */
#define PAGE_CAMPAIGN "campaigns:"
#define PAGE_SPEND    "analytics:1"
#define PAGE_SOCIAL   "analytics:2"

/* The first chunk: everything an ad_daily record holds. */
static const char *const spend_fields[] = {
    "costInLocalCurrency",
    "impressions",
    "clicks",
    "oneClickLeads",
    "externalWebsiteConversions",
    "conversionValueInLocalCurrency",
};
#define NSPEND (sizeof spend_fields / sizeof spend_fields[0])

/* The second chunk: daily metrics of the campaign under their canonical names. */
static const struct {
    const char *field, *metric;
} social_fields[] = {
    {"likes", "likes"},      {"comments", "comments"},
    {"shares", "shares"},    {"follows", "followers_gained"},
    {"videoViews", "views"}, {"landingPageClicks", "link_clicks"},
};
#define NSOCIAL (sizeof social_fields / sizeof social_fields[0])

/* dateRange and pivotValues are fields too */
_Static_assert(2 + NSPEND <= FIELDS_MAX, "first adAnalytics chunk has more than 20 fields");
_Static_assert(2 + NSOCIAL <= FIELDS_MAX, "second adAnalytics chunk has more than 20 fields");

/* ---- requests -------------------------------------------------------------------------------- */

static int build_campaigns(const struct adapter_ctx *ctx, const char *acct, const char *token,
                           struct http_request *req, char *why, size_t whylen)
{
    char path[96];
    struct buf q = {0};
    snprintf(path, sizeof path, "adAccounts/%s/adCampaigns", acct);
    buf_puts(&q, "q=search&pageSize=100");
    if (token) {
        char *enc = adapter_urlencode(token);
        buf_printf(&q, "&pageToken=%s", enc);
        free(enc);
    }
    int rc = linkedin_get(ctx, req, path, q.data, why, whylen);
    buf_free(&q);
    return rc;
}

/* (year:Y,month:M,day:D) of a day */
static void restli_date(struct buf *q, int32_t day)
{
    int y;
    unsigned m, d;
    time_civil_from_days(day, &y, &m, &d);
    buf_printf(q, "(year:%d,month:%u,day:%u)", y, m, d);
}

static int build_analytics(const struct adapter_ctx *ctx, const char *acct, bool social,
                           struct http_request *req, char *why, size_t whylen)
{
    struct buf q = {0};
    buf_puts(&q, "q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY&dateRange=(start:");
    restli_date(&q, ctx->from_day);
    buf_puts(&q, ",end:");
    restli_date(&q, ctx->to_day);
    /* Rest.li: List( ) and the commas stay, the URN inside is percent-encoded */
    buf_printf(&q,
               ")&accounts=List(urn%%3Ali%%3AsponsoredAccount%%3A%s)&fields=dateRange,pivotValues",
               acct);
    for (size_t i = 0; i < (social ? NSOCIAL : NSPEND); i++)
        buf_printf(&q, ",%s", social ? social_fields[i].field : spend_fields[i]);
    int rc = linkedin_get(ctx, req, "adAnalytics", q.data, why, whylen);
    buf_free(&q);
    return rc;
}

int linkedin_build_ads(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                       size_t whylen)
{
    char acct[32];
    const char *page = ctx->page;
    if (linkedin_config_id(ctx->account ? ctx->account->ad_account : NULL, "ad_account", acct,
                           sizeof acct, why, whylen) < 0)
        return -1;
    if (!ctx->account->currency || !money_currency_valid(ctx->account->currency)) {
        snprintf(why, whylen,
                 "account has no currency (the ad account's ISO 4217 code): "
                 "LinkedIn costs do not name theirs");
        return -1;
    }
    if (!page)
        return build_campaigns(ctx, acct, NULL, req, why, whylen);
    if (strncmp(page, PAGE_CAMPAIGN, strlen(PAGE_CAMPAIGN)) == 0 && page[strlen(PAGE_CAMPAIGN)])
        return build_campaigns(ctx, acct, page + strlen(PAGE_CAMPAIGN), req, why, whylen);
    if (strcmp(page, PAGE_SPEND) == 0 || strcmp(page, PAGE_SOCIAL) == 0)
        return build_analytics(ctx, acct, strcmp(page, PAGE_SOCIAL) == 0, req, why, whylen);
    snprintf(why, whylen, "page cursor is not an ad_analytics page");
    return -1;
}

/* ---- campaigns (reference §4.4) -------------------------------------------------------------- */

/* A campaign id: a JSON number (LinkedIn's `id`), a numeric string or a campaign URN. */
static const char *campaign_id(const cJSON *c, struct rowset *rs)
{
    char buf[32];
    const char *id;
    if (json_id(c, "id", buf, sizeof buf, &id) != JSON_OK)
        return NULL;
    return linkedin_urn_id(rs, id);
}

static int campaign_element(const cJSON *c, struct rowset *rs, struct adapter_pending *p)
{
    struct record r = {.type = REC_CAMPAIGN};
    const char *name = NULL, *status = NULL;
    if (!cJSON_IsObject(c))
        return linkedin_malformed(rs, "elements[] item is not an object");
    if (!(r.u.campaign.id = campaign_id(c, rs)))
        return linkedin_malformed(rs, "campaign without a numeric id");
    if (json_str(c, "name", &name) == JSON_BAD || json_str(c, "status", &status) == JSON_BAD)
        return linkedin_malformed(rs, "campaign %s: name or status is not a string",
                                  r.u.campaign.id);
    r.u.campaign.name = rowset_strdup(rs, name);
    r.u.campaign.status = rowset_strdup(rs, status);
    adapter_pending_add(p, &r);
    return 0;
}

/* The next cursor: another campaign page, or the first analytics chunk. */
static int campaigns_page(const cJSON *root, struct rowset *rs, struct adapter_pending *p,
                          char **next)
{
    const cJSON *elements = linkedin_elements(root, rs), *c;
    const cJSON *meta = json_get(root, "metadata");
    const char *token = NULL;
    if (!elements)
        return -1;
    cJSON_ArrayForEach(c, elements)
    {
        if (campaign_element(c, rs, p) < 0)
            return -1;
    }
    if (meta && !cJSON_IsNull(meta) && !cJSON_IsObject(meta))
        return linkedin_malformed(rs, "metadata is not an object");
    if (json_str(meta, "nextPageToken", &token) == JSON_BAD)
        return linkedin_malformed(rs, "metadata.nextPageToken is not a string");
    *next = token && *token ? xasprintf(PAGE_CAMPAIGN "%s", token) : xstrdup(PAGE_SPEND);
    return 0;
}

/* ---- adAnalytics elements (reference §4.3, §10.4) -------------------------------------------- */

static int date_of(const cJSON *d, int32_t *day)
{
    int64_t y, m, dd;
    if (json_int(d, "year", &y) != JSON_OK || json_int(d, "month", &m) != JSON_OK ||
        json_int(d, "day", &dd) != JSON_OK || y < 1970 || y > 9999 || m < 1 || m > 12 || dd < 1 ||
        dd > 31)
        return -1;
    *day = time_days_from_civil((int)y, (unsigned)m, (unsigned)dd);
    int yy;
    unsigned mm, ddd;
    time_civil_from_days(*day, &yy, &mm, &ddd); /* refuses 2024-02-31 */
    return yy == y && mm == m && ddd == dd ? 0 : -1;
}

/* The day of an element: 0, 1 to skip it (a range or outside the window), -1 when bad. */
static int analytics_day(const struct adapter_ctx *ctx, const cJSON *el, struct rowset *rs,
                         int32_t *day)
{
    const cJSON *range = json_get(el, "dateRange");
    int32_t end;
    if (date_of(json_get(range, "start"), day) < 0)
        return linkedin_malformed(rs, "element without a dateRange.start date");
    if (json_get(range, "end") && date_of(json_get(range, "end"), &end) < 0)
        return linkedin_malformed(rs, "element dateRange.end is not a date");
    if (json_get(range, "end") && end != *day) {
        rowset_add_warning(rs); /* not a DAILY element: cannot be put on one day */
        return 1;
    }
    return *day < ctx->from_day || *day > ctx->to_day ? 1 : 0;
}

/* The campaign of an element: pivotValues[0], or a legacy singular pivotValue. */
static const char *analytics_campaign(const cJSON *el, struct rowset *rs)
{
    const cJSON *pv = json_get(el, "pivotValues");
    const char *urn = NULL;
    if (pv && !cJSON_IsNull(pv)) {
        const cJSON *first = cJSON_GetArrayItem(pv, 0);
        if (!cJSON_IsArray(pv) || !cJSON_IsString(first))
            return NULL;
        urn = first->valuestring;
    } else if (json_str(el, "pivotValue", &urn) != JSON_OK) {
        return NULL;
    }
    return linkedin_urn_id(rs, urn);
}

/* A count of the element: absent is 0 for ad_daily amounts. */
static int spend_count(const cJSON *el, const char *key, const char *campaign, struct rowset *rs,
                       int64_t *out)
{
    *out = 0;
    if (json_count(el, key, out) == JSON_BAD)
        return linkedin_malformed(rs, "campaign %s: %s is not a count", campaign, key);
    return 0;
}

static int spend_money(const cJSON *el, const char *key, const char *campaign, struct rowset *rs,
                       int64_t *out)
{
    *out = 0;
    if (json_money(el, key, out) == JSON_BAD)
        return linkedin_malformed(rs, "campaign %s: %s is not a decimal", campaign, key);
    return 0;
}

static int spend_element(const struct adapter_ctx *ctx, const cJSON *el, const char *campaign,
                         int32_t day, struct rowset *rs, struct adapter_pending *p)
{
    struct record r = {.type = REC_AD_DAILY};
    struct rec_ad_daily *a = &r.u.ad_daily;
    const char *cur = ctx->account ? ctx->account->currency : NULL;
    a->campaign = campaign;
    a->day = day;
    a->basis = BASIS_UTC;
    if (cur && money_currency_valid(cur))
        memcpy(a->currency, cur, 4);
    if (spend_money(el, "costInLocalCurrency", campaign, rs, &a->spend_micros) < 0 ||
        spend_count(el, "impressions", campaign, rs, &a->impressions) < 0 ||
        spend_count(el, "clicks", campaign, rs, &a->clicks) < 0 ||
        spend_count(el, "oneClickLeads", campaign, rs, &a->leads) < 0 ||
        spend_count(el, "externalWebsiteConversions", campaign, rs, &a->conversions) < 0 ||
        spend_money(el, "conversionValueInLocalCurrency", campaign, rs,
                    &a->conversion_value_micros) < 0)
        return -1;
    adapter_pending_add(p, &r);
    return 0;
}

/* The second chunk's counts; a count the element lacks is not recorded. */
static int social_element(const cJSON *el, const char *campaign, int32_t day, struct rowset *rs,
                          struct adapter_pending *p)
{
    for (size_t i = 0; i < NSOCIAL; i++) {
        struct record r = {.type = REC_METRIC};
        enum json_get g = json_count(el, social_fields[i].field, &r.u.metric.value);
        if (g == JSON_ABSENT)
            continue;
        if (g == JSON_BAD)
            return linkedin_malformed(rs, "campaign %s: %s is not a count", campaign,
                                      social_fields[i].field);
        r.u.metric.object = campaign;
        r.u.metric.metric = social_fields[i].metric;
        r.u.metric.day = day;
        r.u.metric.basis = BASIS_UTC;
        adapter_pending_add(p, &r);
    }
    return 0;
}

static int analytics_page(const struct adapter_ctx *ctx, const cJSON *root, bool social,
                          struct rowset *rs, struct adapter_pending *p)
{
    const cJSON *elements = linkedin_elements(root, rs), *el;
    if (!elements)
        return -1;
    cJSON_ArrayForEach(el, elements)
    {
        int32_t day;
        if (!cJSON_IsObject(el))
            return linkedin_malformed(rs, "elements[] item is not an object");
        const char *campaign = analytics_campaign(el, rs);
        if (!campaign)
            return linkedin_malformed(rs, "element without a campaign URN in pivotValues");
        int rc = analytics_day(ctx, el, rs, &day);
        if (rc < 0)
            return -1;
        if (rc > 0)
            continue;
        rc = social ? social_element(el, campaign, day, rs, p)
                    : spend_element(ctx, el, campaign, day, rs, p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* ---- pages ----------------------------------------------------------------------------------- */

/* No cursor but adAnalytics elements: the chunk whose fields they carry (socialroi parse). */
static const char *lone_page(const cJSON *root)
{
    const cJSON *el = json_get(root, "elements");
    if (!linkedin_any_has(el, "dateRange"))
        return NULL;
    for (size_t i = 0; i < NSPEND; i++)
        if (linkedin_any_has(el, spend_fields[i]))
            return PAGE_SPEND;
    return PAGE_SOCIAL;
}

static int ads_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                    struct adapter_pending *p, char **next)
{
    const char *page = ctx->page;
    bool lone = false;
    if (!page && (page = lone_page(root)) != NULL)
        lone = true;
    *next = NULL;
    if (!page ||
        (strncmp(page, PAGE_CAMPAIGN, strlen(PAGE_CAMPAIGN)) == 0 && page[strlen(PAGE_CAMPAIGN)]))
        return campaigns_page(root, rs, p, next);
    if (strcmp(page, PAGE_SPEND) != 0 && strcmp(page, PAGE_SOCIAL) != 0)
        return linkedin_malformed(rs, "page cursor is not an ad_analytics page");
    bool social = strcmp(page, PAGE_SOCIAL) == 0;
    if (analytics_page(ctx, root, social, rs, p) < 0)
        return -1;
    if (!social && !lone)
        *next = xstrdup(PAGE_SOCIAL);
    return 0;
}

int linkedin_parse_ads(const struct adapter_ctx *ctx, const struct http_response *resp,
                       struct rowset *rs)
{
    struct adapter_pending p = {0};
    char *next = NULL;
    cJSON *root = linkedin_read_body(ctx, resp, rs);
    if (!root)
        return -1;
    int rc = ads_page(ctx, root, rs, &p, &next);
    return adapter_page_end(ctx, "linkedin", rc, &p, rs, next, root);
}
