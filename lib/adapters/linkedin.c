/*
 * linkedin.c - the LinkedIn Marketing and Community Management API adapter: organization
 * statistics (linkedin.org_stats), and in linkedin_ads.c and linkedin_leads.c campaigns with
 * adAnalytics (linkedin.ad_analytics) and Lead Gen Form responses (linkedin.leads); Rest.li
 * requests, error classes and token refresh.
 *
 * What LinkedIn sends (reference §4, §10.4): every call needs the LinkedIn-Version and
 * X-Restli-Protocol-Version headers besides the bearer token; query values use Rest.li 2.0 syntax,
 * whose ( ) : , stay as they are while URNs inside them are percent-encoded; timestamps are epoch
 * milliseconds; errors are {"status","serviceErrorCode","code","message"} where `code` is often
 * absent, so the HTTP status and serviceErrorCode decide the class. Quotas are daily per
 * application and member, reset at 00:00 UTC and signalled by nothing but a bare 429: a 429 parks
 * the job until then. There are no rate-limit headers, so the adapter has no ratelimit().
 *
 * linkedin.org_stats is three requests per run, one page each, chained by the page cursor:
 * NULL (follower statistics) -> "share_statistics" -> "network_size" -> end. Days are the UTC day
 * of timeRange.start; days outside the window are not recorded.
 *
 * With no cursor the answer is the first page of a run. `socialroi parse` has no cursor either, so
 * a body that can only be another page of the stream (share statistics, a network size) is read as
 * that page, without a next cursor; the daemon never receives one for a first page.
 *
 * Every record of a page is held in a pending list and handed to the rowset only once the whole
 * page has been read: a rejected page leaves no records behind.
 *
 * Pure: no I/O, no clock, no globals; everything comes in adapter_ctx and http_response.
 */
#include "linkedin_int.h"
#include "oauth.h"
#include "apiversion.h"
#include "buf.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct adapter adapter_linkedin;

#define PAGE_SHARES "share_statistics"
#define PAGE_SIZE   "network_size"

/* ---- shared helpers (linkedin_int.h)
 * ------------------------------------------------------------- */

/* True for 1 to LINKEDIN_ID_MAX decimal digits and nothing else. */
static bool numeric_id(const char *s)
{
    size_t n = strspn(s, "0123456789");
    return n > 0 && n <= LINKEDIN_ID_MAX && !s[n];
}

int linkedin_config_id(const char *value, const char *what, char *buf, size_t len, char *why,
                       size_t whylen)
{
    const char *colon = value ? strrchr(value, ':') : NULL;
    const char *id = colon ? colon + 1 : value;
    if (!value || !*value) {
        snprintf(why, whylen, "account has no %s", what);
        return -1;
    }
    if (!numeric_id(id) || (colon && strncmp(value, "urn:li:", 7) != 0)) {
        snprintf(why, whylen, "account %s is not a LinkedIn id or URN", what);
        return -1;
    }
    snprintf(buf, len, "%s", id);
    return 0;
}

const char *linkedin_urn_id(struct rowset *rs, const char *urn)
{
    const char *colon = strrchr(urn, ':');
    const char *id = colon ? colon + 1 : urn;
    return numeric_id(id) ? rowset_strdup(rs, id) : NULL;
}

int linkedin_get(const struct adapter_ctx *ctx, struct http_request *req, const char *path,
                 const char *query, char *why, size_t whylen)
{
    const char *v = ctx->platform->version;
    if (adapter_need_token(ctx, why, whylen) < 0)
        return -1;
    if (!v || !*v) { /* unversioned calls are refused: the version must be pinned */
        snprintf(why, whylen, "no LinkedIn-Version configured (platform version)");
        return -1;
    }
    req->method = "GET";
    http_request_set_url(req, xasprintf("%s/rest/%s?%s", ctx->platform->api_base, path, query));
    if (http_request_header(req, "Authorization: Bearer %s", ctx->access_token) < 0 ||
        http_request_header(req, "LinkedIn-Version: %s", v) < 0 ||
        http_request_header(req, "X-Restli-Protocol-Version: 2.0.0") < 0) {
        snprintf(why, whylen, "too many headers");
        return -1;
    }
    return 0;
}

bool linkedin_any_has(const cJSON *arr, const char *key)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (json_get(it, key))
            return true;
    }
    return false;
}

const cJSON *linkedin_elements(const cJSON *root, struct rowset *rs)
{
    const cJSON *el = json_get(root, "elements");
    if (!cJSON_IsArray(el)) {
        linkedin_malformed(rs, "elements is %s", el ? "not an array" : "missing");
        return NULL;
    }
    return el;
}

/* ---- errors (reference §4.7, §11) ------------------------------------------------------------ */

/* Milliseconds from now (epoch us) to the next 00:00 UTC, when LinkedIn's daily quotas reset. */
static int64_t until_utc_midnight(int64_t now)
{
    int64_t ms = now / 1000;
    return (ms / TIME_MS_PER_DAY + 1) * TIME_MS_PER_DAY - ms;
}

static enum err_class error_class(long status, int64_t service_code, const char *code)
{
    /* 65600 invalid, 65601 revoked, 65602 expired token: auth whatever the status says */
    if (status == 401 || (service_code >= 65600 && service_code <= 65602))
        return ERR_AUTH;
    if (status == 403 || strcmp(code, "ACCESS_DENIED") == 0)
        return ERR_PERMISSION;
    if (status == 404)
        return ERR_NOT_FOUND;
    if (status == 429) /* daily quotas: nothing else is ever signalled */
        return ERR_QUOTA;
    if (status == 426) /* NONEXISTENT_VERSION: the LinkedIn-Version sent is sunset */
        return ERR_VERSION;
    if (status >= 500)
        return ERR_TRANSIENT;
    return status >= 400 ? ERR_BAD_REQUEST : ERR_MALFORMED;
}

/* A non-2xx answer: classified by status and serviceErrorCode; never any records. */
static void http_error(const struct adapter_ctx *ctx, const struct http_response *resp,
                       const cJSON *root, struct rowset *rs)
{
    int64_t service = 0;
    const char *code = "", *msg = "";
    char text[160], name[64];
    if (json_int(root, "serviceErrorCode", &service) != JSON_OK)
        service = 0;
    if (json_str(root, "code", &code) != JSON_OK)
        code = "";
    if (json_str(root, "message", &msg) != JSON_OK)
        msg = "";
    adapter_safe_text(text, sizeof text, msg, ctx->access_token);
    adapter_safe_text(name, sizeof name, code, ctx->access_token);
    enum err_class cls = error_class(resp->status, service, code);
    int64_t retry = cls == ERR_QUOTA ? until_utc_midnight(ctx->now) : -1;
    if (cls == ERR_VERSION) { /* only the configuration heals it: say what to set */
        int32_t today = time_utc_day(ctx->now);
        rowset_set_error(rs, cls, -1,
                         "linkedin: LinkedIn-Version %s is retired (HTTP %ld %s: %s): set version "
                         "= %s in [platform linkedin]",
                         ctx->platform->version ? ctx->platform->version : "", resp->status,
                         *name ? name : "NONEXISTENT_VERSION", text,
                         apiver_suggest(API_LINKEDIN, today));
        return;
    }
    char svc[48] = "";
    if (service)
        snprintf(svc, sizeof svc, " serviceErrorCode %lld", (long long)service);
    rowset_set_error(rs, cls, retry, "linkedin: HTTP %ld%s%s%s%s%s", resp->status, *name ? " " : "",
                     name, svc, *text ? ": " : "", text);
}

cJSON *linkedin_read_body(const struct adapter_ctx *ctx, const struct http_response *resp,
                          struct rowset *rs)
{
    char why[128];
    cJSON *root = resp->len ? json_parse(resp->body, resp->len, why, sizeof why) : NULL;
    if (resp->status < 200 || resp->status > 299)
        http_error(ctx, resp, root, rs);
    else if (!root)
        linkedin_malformed(rs, "%s", resp->len ? why : "empty body");
    else if (!cJSON_IsObject(root))
        linkedin_malformed(rs, "body is not a JSON object");
    else
        return root;
    cJSON_Delete(root);
    return NULL;
}

/* ---- linkedin.org_stats requests (reference §4.6) -------------------------------------------- */

static int build_org_stats(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                           size_t whylen)
{
    char id[32], query[512], path[128];
    if (linkedin_config_id(ctx->account ? ctx->account->id : NULL, "id", id, sizeof id, why,
                           whylen) < 0)
        return -1;
    if (ctx->page && strcmp(ctx->page, PAGE_SIZE) == 0) {
        snprintf(path, sizeof path, "networkSizes/urn%%3Ali%%3Aorganization%%3A%s", id);
        return linkedin_get(ctx, req, path, "edgeType=COMPANY_FOLLOWED_BY_MEMBER", why, whylen);
    }
    if (ctx->page && strcmp(ctx->page, PAGE_SHARES) != 0) {
        snprintf(why, whylen, "page cursor is not an org_stats page");
        return -1;
    }
    /* from from_day 00:00 UTC to the end of to_day, in epoch milliseconds */
    long long start = (long long)ctx->from_day * TIME_MS_PER_DAY;
    long long end = ((long long)ctx->to_day + 1) * TIME_MS_PER_DAY;
    snprintf(query, sizeof query,
             "q=organizationalEntity&organizationalEntity=urn%%3Ali%%3Aorganization%%3A%s"
             "&timeIntervals=(timeRange:(start:%lld,end:%lld),timeGranularityType:DAY)",
             id, start, end);
    return linkedin_get(ctx, req,
                        ctx->page ? "organizationalEntityShareStatistics"
                                  : "organizationalEntityFollowerStatistics",
                        query, why, whylen);
}

/* ---- linkedin.org_stats pages ---------------------------------------------------------------- */

/* The UTC day of an element's timeRange.start; 1 when outside the window (skip), -1 when bad. */
static int element_day(const struct adapter_ctx *ctx, const cJSON *el, struct rowset *rs,
                       int32_t *day)
{
    int64_t start;
    if (!cJSON_IsObject(el))
        return linkedin_malformed(rs, "elements[] item is not an object");
    if (json_int(json_get(el, "timeRange"), "start", &start) != JSON_OK || start < 0)
        return linkedin_malformed(rs, "element without a timeRange.start in epoch milliseconds");
    *day = (int32_t)(start / TIME_MS_PER_DAY);
    return *day < ctx->from_day || *day > ctx->to_day ? 1 : 0;
}

/* followers_gained = organic + paid gains; gains are net, so they may be negative. */
static int follower_element(const struct adapter_ctx *ctx, const cJSON *el, struct rowset *rs,
                            struct adapter_pending *p)
{
    int32_t day;
    int64_t organic = 0, paid = 0;
    int rc = element_day(ctx, el, rs, &day);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    const cJSON *gains = json_get(el, "followerGains");
    if (!gains || cJSON_IsNull(gains))
        return 0; /* no gains reported for the day: nothing to record */
    enum json_get go = json_int(gains, "organicFollowerGain", &organic);
    enum json_get gp = json_int(gains, "paidFollowerGain", &paid);
    if (!cJSON_IsObject(gains) || go == JSON_BAD || gp == JSON_BAD)
        return linkedin_malformed(rs, "followerGains is not a pair of counts");
    if (go == JSON_OK || gp == JSON_OK)
        adapter_daily(BASIS_UTC, "followers_gained", day, organic + paid, p);
    return 0;
}

static const struct {
    const char *key;    /* totalShareStatistics member */
    const char *metric; /* canonical name */
} share_counts[] = {
    {"impressionCount", "impressions"}, {"clickCount", "clicks"}, {"likeCount", "likes"},
    {"commentCount", "comments"},       {"shareCount", "shares"},
};

/* The counts of totalShareStatistics; `engagement` is a ratio and is not stored. */
static int share_element(const struct adapter_ctx *ctx, const cJSON *el, struct rowset *rs,
                         struct adapter_pending *p)
{
    int32_t day;
    int rc = element_day(ctx, el, rs, &day);
    if (rc != 0)
        return rc < 0 ? -1 : 0;
    const cJSON *st = json_get(el, "totalShareStatistics");
    if (!st || cJSON_IsNull(st))
        return 0;
    if (!cJSON_IsObject(st))
        return linkedin_malformed(rs, "totalShareStatistics is not an object");
    for (size_t i = 0; i < sizeof share_counts / sizeof share_counts[0]; i++) {
        int64_t v;
        enum json_get g = json_count(st, share_counts[i].key, &v);
        if (g == JSON_BAD)
            return linkedin_malformed(rs, "totalShareStatistics.%s is not a count",
                                      share_counts[i].key);
        if (g == JSON_OK)
            adapter_daily(BASIS_UTC, share_counts[i].metric, day, v, p);
    }
    return 0;
}

typedef int element_fn(const struct adapter_ctx *ctx, const cJSON *el, struct rowset *rs,
                       struct adapter_pending *p);

static int stats_page(const struct adapter_ctx *ctx, const cJSON *root, element_fn *fn,
                      struct rowset *rs, struct adapter_pending *p)
{
    const cJSON *elements = linkedin_elements(root, rs), *el;
    if (!elements)
        return -1;
    cJSON_ArrayForEach(el, elements)
    {
        if (fn(ctx, el, rs, p) < 0)
            return -1;
    }
    return 0;
}

/* {"firstDegreeSize":N}: the organization's followers now. */
static int size_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                     struct adapter_pending *p)
{
    int64_t n;
    if (json_count(root, "firstDegreeSize", &n) != JSON_OK)
        return linkedin_malformed(rs, "network size without a firstDegreeSize count");
    adapter_snapshot(ctx->now, "", "followers", n, p);
    return 0;
}

/* Which page a body is: the cursor says, or (no cursor) the first page unless it cannot be. */
static const char *org_page_kind(const struct adapter_ctx *ctx, const cJSON *root, bool *lone)
{
    *lone = false;
    if (ctx->page)
        return ctx->page;
    if (json_get(root, "firstDegreeSize") && !json_get(root, "elements")) {
        *lone = true;
        return PAGE_SIZE;
    }
    if (linkedin_any_has(json_get(root, "elements"), "totalShareStatistics")) {
        *lone = true;
        return PAGE_SHARES;
    }
    return "";
}

static int parse_org_stats(const struct adapter_ctx *ctx, const struct http_response *resp,
                           struct rowset *rs)
{
    struct adapter_pending p = {0};
    bool lone;
    int rc;
    cJSON *root = linkedin_read_body(ctx, resp, rs);
    if (!root)
        return -1;
    const char *kind = org_page_kind(ctx, root, &lone), *next = NULL;
    if (strcmp(kind, PAGE_SIZE) == 0) {
        rc = size_page(ctx, root, rs, &p);
    } else if (strcmp(kind, PAGE_SHARES) == 0) {
        rc = stats_page(ctx, root, share_element, rs, &p);
        next = PAGE_SIZE;
    } else if (!*kind) {
        rc = stats_page(ctx, root, follower_element, rs, &p);
        next = PAGE_SHARES;
    } else {
        rc = linkedin_malformed(rs, "page cursor is not an org_stats page");
    }
    if (rc == 0) {
        adapter_pending_commit(&p, rs);
        rowset_set_next(rs, lone ? NULL : next);
    }
    adapter_pending_drop(&p);
    cJSON_Delete(root);
    return rc;
}

/* ---- tokens (reference §4.1, §12) ------------------------------------------------------------ */

/*
 * Only apps approved for programmatic refresh hold a refresh token; the others re-consent.
 * refresh_token_expires_in counts down from the first consent: checked, nothing to keep.
 */
static const struct oauth_client oauth = {
    .name = "linkedin",
    .auth = OAUTH_AUTH_BODY,
    .said = {"error"},
    .on_429 = ERR_QUOTA,
    .rt_string_only = true,
    .also_seconds = "refresh_token_expires_in",
};

static int refresh_build(const struct cfg_platform *p, const struct cfg_credential *cred,
                         const char *access_token, const char *refresh_token,
                         struct http_request *req)
{
    (void)access_token;
    return oauth_refresh_build(&oauth, p, cred, refresh_token, req);
}

static int refresh_parse(const struct http_response *resp, struct token_set *out,
                         enum err_class *cls, char *why, size_t whylen)
{
    return oauth_refresh_parse(&oauth, resp, out, cls, why, whylen);
}

/* ---- the adapter ----------------------------------------------------------------------------- */

static const struct stream_def streams[] = {
    {.name = "linkedin.org_stats",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(24),
     .lookback_ms = DAYS(7),
     .windowed = true,
     .daily_metrics = true,
     .build = build_org_stats,
     .parse = parse_org_stats,
     .applies = linkedin_org_applies,
     .max_days_back = 365}, /* share statistics: a rolling 12-month window */
    {.name = "linkedin.ad_analytics",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(12),
     .lookback_ms = DAYS(30),
     .windowed = true,
     .build = linkedin_build_ads,
     .parse = linkedin_parse_ads,
     .applies = linkedin_org_applies},
    {.name = "linkedin.leads",
     .basis = BASIS_UTC,
     .interval_ms = MINUTES(30),
     .lookback_ms = DAYS(1),
     .incremental = true,
     .build = linkedin_build_leads,
     .parse = linkedin_parse_leads,
     .applies = linkedin_org_applies},
    {.name = "linkedin.member_posts",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(24),
     .lookback_ms = DAYS(28),
     .daily_metrics = true,
     .windowed = true,
     .build = linkedin_build_member,
     .parse = linkedin_parse_member,
     .applies = linkedin_member_applies},
};

const struct adapter adapter_linkedin = {
    .platform = PLATFORM_LINKEDIN,
    .streams = streams,
    .nstreams = sizeof streams / sizeof streams[0],
    .ratelimit = NULL, /* LinkedIn sends no rate-limit headers: a 429 is all there is */
    .refresh_build = refresh_build,
    .refresh_parse = refresh_parse,
};
