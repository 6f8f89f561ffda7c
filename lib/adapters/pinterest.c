/*
 * pinterest.c - the Pinterest API v5 adapter: the account's organic daily analytics and profile
 * counters (pinterest.user_analytics), ad campaigns and their daily spend (pinterest.ad_analytics),
 * Pinterest error bodies and the rotating token refresh.
 *
 * What Pinterest sends (reference §6, §10.6): lists are {"items":[...],"bookmark":"..."|null} and
 * the bookmark goes back as a query parameter until it is null; user analytics are grouped by
 * split ("all" when unsplit) into daily_metrics with a data_status per day (only READY days are
 * final); ads analytics are a bare JSON ARRAY of rows with UPPER_SNAKE keys, a UTC "DATE", string
 * ids and JSON numbers (counts may come as 1000.0; a column without data may be missing from a
 * row, which is 0). SPEND_IN_MICRO_DOLLAR is micro-units of the ad account's currency despite its
 * name, so spend is recorded in the account's configured `currency`, and build() refuses an
 * account without one (parse() then leaves the currency empty: only `socialroi parse` gets
 * there). Error bodies are {"code":N,"message":"..."} where code is Pinterest's own number, not
 * the HTTP status: the class comes from the status.
 *
 * Both streams are runs of several pages; the page cursor says which:
 *
 *   pinterest.user_analytics   (none) the daily analytics of the first chunk of the window,
 *                              "chunk:YYYY-MM-DD" of a later one, then "account" the profile
 *                              counters
 *   pinterest.ad_analytics     (none) the first campaigns page, "campaigns:BOOKMARK" a later one,
 *                              "analytics:ID,ID,...[@YYYY-MM-DD]:BOOKMARK" the daily analytics of
 *                              the campaigns of the page before (at most 250 ids) for the chunk
 *                              that starts on that day (none: the first); BOOKMARK, empty at the
 *                              end, is where the campaign list goes on
 *
 * Analytics answer at most 90 days per request and nothing older than 90 days, so a longer
 * window is read in chunks from the oldest day still served (chunk.h). Campaign ids are digits
 * only, so ',', '@' and the first ':' after them separate safely; the bookmark comes last and
 * may contain anything.
 *
 * Every record of a page is held in a pending list and handed to the rowset only once the whole
 * page has been read: a rejected page leaves no records behind.
 *
 * Pure: no I/O, no clock, no globals; everything comes in adapter_ctx and http_response.
 */
#include "adapter.h"
#include "oauth.h"
#include "buf.h"
#include "chunk.h"
#include "json.h"
#include "money.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAMPAIGNS 250 /* page_size of the list, and what one analytics call takes */
#define ID_MAX        32

extern const struct adapter adapter_pinterest;

/* ---- helpers --------------------------------------------------------------------------------- */

/* Marks the page malformed ("pinterest: ..."); returns -1. */
#define malformed(rs, ...) adapter_malformed(rs, "pinterest", __VA_ARGS__)

/* A Pinterest entity id: 1 to 32 digits (safe in a query, a cursor and a message). */
static bool is_id(const char *id)
{
    size_t n = strspn(id, "0123456789");
    return n > 0 && n <= ID_MAX && !id[n];
}

/* Sets req to a GET of {api_base}/v5/{path}[?{query}] with the bearer header. */
static int get(const struct adapter_ctx *ctx, struct http_request *req, const char *path,
               const struct buf *q, char *why, size_t whylen)
{
    if (adapter_need_token(ctx, why, whylen) < 0)
        return -1;
    req->method = "GET";
    http_request_set_url(req, xasprintf("%s/v5/%s%s%s", ctx->platform->api_base, path,
                                        q->len ? "?" : "", q->len ? q->data : ""));
    return http_request_header(req, "Authorization: Bearer %s", ctx->access_token);
}

/* ---- errors and bodies (reference §6.4, §11) ------------------------------------------------- */

static enum err_class status_class(long status)
{
    if (status == 429) /* code 8 (or 30): too many requests; Retry-After says how long */
        return ERR_THROTTLED;
    if (status >= 500)
        return ERR_TRANSIENT;
    if (status == 401) /* codes 2, 3, 7: the token expired, was revoked or is not valid */
        return ERR_AUTH;
    if (status == 403)
        return ERR_PERMISSION;
    if (status == 404)
        return ERR_NOT_FOUND;
    return ERR_BAD_REQUEST;
}

static void api_error(const struct adapter_ctx *ctx, const struct http_response *resp,
                      const cJSON *root, struct rowset *rs)
{
    int64_t code = 0;
    const char *m = "";
    char text[160];
    bool has_code = json_int(root, "code", &code) == JSON_OK;
    if (json_str(root, "message", &m) != JSON_OK)
        m = "";
    adapter_safe_text(text, sizeof text, m, ctx->access_token);
    if (has_code)
        rowset_set_error(rs, status_class(resp->status), -1, "pinterest: HTTP %ld, code %lld: %s",
                         resp->status, (long long)code, *text ? text : "no message");
    else
        rowset_set_error(rs, status_class(resp->status), -1,
                         "pinterest: HTTP %ld without a Pinterest error body", resp->status);
}

/* The body of a good answer (caller frees): an object, or an array when `array`; else NULL. */
static cJSON *read_body(const struct adapter_ctx *ctx, const struct http_response *resp, bool array,
                        struct rowset *rs)
{
    char why[128] = "empty body";
    cJSON *root = resp->len ? json_parse(resp->body, resp->len, why, sizeof why) : NULL;
    if (resp->status < 200 || resp->status > 299)
        api_error(ctx, resp, root, rs); /* switch on the status, never on the body's code */
    else if (!root)
        malformed(rs, "%s", why);
    else if (array ? !cJSON_IsArray(root) : !cJSON_IsObject(root))
        malformed(rs, "body is not a JSON %s", array ? "array" : "object");
    else
        return root;
    cJSON_Delete(root);
    return NULL;
}

/* The page parser of one stream: records into p, the next cursor into *next (caller frees). */
typedef int page_fn(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                    struct adapter_pending *p, char **next);

/* Body, records and cursor of one page; the records reach rs only when the page is good. */
static int parse_page(const struct adapter_ctx *ctx, const struct http_response *resp, bool array,
                      struct rowset *rs, page_fn *fn)
{
    struct adapter_pending p = {0};
    char *next = NULL;
    cJSON *root = read_body(ctx, resp, array, rs);
    if (!root)
        return -1;
    int rc = fn(ctx, root, rs, &p, &next);
    return adapter_page_end(ctx, "pinterest", rc, &p, rs, next, root);
}

/* start_date and end_date of a chunk of the window (UTC days, both inclusive). */
static void window_query(const struct chunk *c, struct buf *q)
{
    char start[16], end[16];
    time_format_date(c->from, start, sizeof start);
    time_format_date(c->to, end, sizeof end);
    adapter_query(q, "start_date", start);
    adapter_query(q, "end_date", end);
}

/* ---- pinterest.user_analytics ---------------------------------------------------------------- */

static const struct {
    const char *key;    /* metric_types value and daily_metrics key */
    const char *metric; /* canonical name */
} organic[] = {
    {"IMPRESSION", "impressions"}, {"SAVE", "saves"},
    {"PIN_CLICK", "clicks"},       {"OUTBOUND_CLICK", "link_clicks"},
    {"ENGAGEMENT", "engagements"},
};
#define NORGANIC (sizeof organic / sizeof organic[0])

/* The page a cursor names: the profile counters, or the analytics of chunk c. 0, or -1. */
static int user_cursor(const struct adapter_ctx *ctx, bool *account, struct chunk *c)
{
    *account = ctx->page && strcmp(ctx->page, "account") == 0;
    return *account ? 0 : chunk_cursor(ctx, ctx->page, c);
}

static int build_user_analytics(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                                size_t whylen)
{
    struct buf q = {0}, types = {0};
    bool account;
    struct chunk c;
    if (user_cursor(ctx, &account, &c) < 0) {
        snprintf(why, whylen, "page cursor is not a user analytics page");
        return -1;
    }
    if (!account) {
        for (size_t i = 0; i < NORGANIC; i++)
            buf_printf(&types, "%s%s", i ? "," : "", organic[i].key);
        window_query(&c, &q);
        adapter_query(&q, "metric_types", types.data);
        adapter_query(&q, "content_type", "ORGANIC");
    }
    int rc = get(ctx, req, account ? "user_account" : "user_account/analytics", &q, why, whylen);
    buf_free(&types);
    buf_free(&q);
    return rc;
}

/* One daily_metrics entry: its counts when the day is READY (final) and in the window. */
static int organic_day(const struct adapter_ctx *ctx, const cJSON *d, struct rowset *rs,
                       struct adapter_pending *p)
{
    const char *date, *status;
    const cJSON *m = json_get(d, "metrics");
    int32_t day;
    int64_t v;
    if (json_str(d, "date", &date) != JSON_OK || time_parse_date(date, &day) < 0)
        return malformed(rs, "daily_metrics item without a date");
    if (json_str(d, "data_status", &status) != JSON_OK)
        return malformed(rs, "%s: no data_status", date);
    /* PROCESSING, BEFORE_BUSINESS_CREATED, ...: not final (or not data), not recorded */
    if (strcmp(status, "READY") != 0 || day < ctx->from_day || day > ctx->to_day)
        return 0;
    if (!cJSON_IsObject(m))
        return malformed(rs, "%s: metrics is not an object", date);
    for (size_t i = 0; i < NORGANIC; i++) {
        enum json_get g = json_count(m, organic[i].key, &v);
        if (g == JSON_BAD)
            return malformed(rs, "%s: %s is not a count", date, organic[i].key);
        if (g == JSON_OK)
            adapter_daily(BASIS_UTC, organic[i].metric, day, v, p);
    }
    return 0;
}

static int organic_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                        struct adapter_pending *p, char **next)
{
    const cJSON *all = json_get(root, "all"), *days, *d;
    if (!cJSON_IsObject(all))
        return malformed(rs, "analytics without the \"all\" group");
    days = json_get(all, "daily_metrics");
    if (days && !cJSON_IsNull(days) && !cJSON_IsArray(days))
        return malformed(rs, "daily_metrics is not an array");
    if (!cJSON_IsArray(days)) /* no days at all */
        days = NULL;
    cJSON_ArrayForEach(d, days)
    {
        if (!cJSON_IsObject(d))
            return malformed(rs, "daily_metrics item is not an object");
        if (organic_day(ctx, d, rs, p) < 0)
            return -1;
    }
    struct chunk c;
    char cur[32];
    chunk_cursor(ctx, ctx->page, &c); /* checked by parse_user_analytics */
    chunk_next(ctx, &c, cur, sizeof cur);
    /* summary_metrics is the sum of the days: not stored */
    *next = xstrdup(*cur ? cur : "account");
    return 0;
}

/* user_account: follower_count, following_count, pin_count (each may be null: not recorded). */
static int account_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                        struct adapter_pending *p, char **next)
{
    static const struct {
        const char *key, *metric;
    } fields[] = {
        {"follower_count", "followers"},
        {"following_count", "following"},
        {"pin_count", "posts"},
    };
    int64_t v;
    (void)next;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        enum json_get g = json_count(root, fields[i].key, &v);
        if (g == JSON_BAD)
            return malformed(rs, "%s is not a count", fields[i].key);
        if (g == JSON_OK)
            adapter_snapshot(ctx->now, "", fields[i].metric, v, p);
    }
    return 0;
}

static int parse_user_analytics(const struct adapter_ctx *ctx, const struct http_response *resp,
                                struct rowset *rs)
{
    bool account;
    struct chunk c;
    if (user_cursor(ctx, &account, &c) < 0)
        return malformed(rs, "page cursor is not a user analytics page");
    return parse_page(ctx, resp, false, rs, account ? account_page : organic_page);
}

/* ---- pinterest.ad_analytics: cursors and requests -------------------------------------------- */

/* A page cursor taken apart; pointers are into ctx->page. */
struct ad_cursor {
    bool analytics;
    const char *ids; /* ids_len bytes, comma-separated */
    size_t ids_len;
    struct chunk chunk;   /* analytics: the days asked for */
    const char *bookmark; /* where the campaign list goes on; NULL for the first page or none */
};

/* Reads the cursor (see the top of the file); -1 when it is not one of ours. */
static int ad_cursor(const struct adapter_ctx *ctx, struct ad_cursor *c)
{
    const char *page = ctx->page;
    char date[16] = "";
    memset(c, 0, sizeof *c);
    if (!page)
        return 0;
    if (strncmp(page, "campaigns:", 10) == 0 && page[10]) {
        c->bookmark = page + 10;
        return 0;
    }
    if (strncmp(page, "analytics:", 10) != 0)
        return -1;
    const char *ids = page + 10;
    size_t n = strspn(ids, "0123456789,"), d = 0;
    if (ids[n] == '@') {
        d = strcspn(ids + n + 1, ":");
        if (d >= sizeof date)
            return -1;
        memcpy(date, ids + n + 1, d);
        date[d++] = '\0';
    }
    if (n == 0 || ids[n + d] != ':' || chunk_starting(ctx, d ? date : NULL, &c->chunk) < 0)
        return -1;
    c->analytics = true;
    c->ids = ids;
    c->ids_len = n;
    c->bookmark = ids[n + d + 1] ? ids + n + d + 1 : NULL;
    return 0;
}

/* The account's currency: SPEND_IN_MICRO_DOLLAR is in it, whatever the column name says. */
static const char *currency(const struct adapter_ctx *ctx)
{
    const char *c = ctx->account ? ctx->account->currency : NULL;
    return c && money_currency_valid(c) ? c : NULL;
}

static int build_ad_analytics(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                              size_t whylen)
{
    const char *acct = ctx->account ? ctx->account->ad_account : NULL;
    struct ad_cursor c;
    struct buf q = {0};
    if (!acct || !*acct) {
        snprintf(why, whylen, "account has no ad_account");
        return -1;
    }
    if (!currency(ctx)) {
        snprintf(why, whylen,
                 "account has no currency: Pinterest reports spend in the ad "
                 "account's currency, set `currency` to it");
        return -1;
    }
    if (ad_cursor(ctx, &c) < 0) {
        snprintf(why, whylen, "page cursor is not an ad analytics page");
        return -1;
    }
    if (c.analytics) {
        char *ids = xstrndup(c.ids, c.ids_len);
        window_query(&c.chunk, &q);
        adapter_query(&q, "campaign_ids", ids);
        adapter_query(&q, "columns",
                      "SPEND_IN_MICRO_DOLLAR,TOTAL_IMPRESSION,TOTAL_CLICKTHROUGH,TOTAL_CONVERSIONS,"
                      "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR,LEADS");
        adapter_query(&q, "granularity", "DAY");
        free(ids);
    } else {
        adapter_query(&q, "page_size", "250");
        if (c.bookmark)
            adapter_query(&q, "bookmark", c.bookmark);
    }
    char *enc = adapter_urlencode(acct);
    char *path = xasprintf("ad_accounts/%s/campaigns%s", enc, c.analytics ? "/analytics" : "");
    int rc = get(ctx, req, path, &q, why, whylen);
    free(path);
    free(enc);
    buf_free(&q);
    return rc;
}

/* ---- pinterest.ad_analytics: pages ----------------------------------------------------------- */

/* A campaign: id, name, status. Its id is appended to ids for the analytics page. */
static int campaign_item(const cJSON *item, struct buf *ids, struct rowset *rs,
                         struct adapter_pending *p)
{
    char buf[32];
    const char *id, *name = NULL, *status = NULL;
    if (!cJSON_IsObject(item) || json_id(item, "id", buf, sizeof buf, &id) != JSON_OK || !is_id(id))
        return malformed(rs, "campaign without a numeric id");
    if (json_str(item, "name", &name) == JSON_BAD || json_str(item, "status", &status) == JSON_BAD)
        return malformed(rs, "campaign %s: name or status is not a string", id);
    struct record r = {.type = REC_CAMPAIGN};
    r.u.campaign.id = rowset_strdup(rs, id);
    r.u.campaign.name = rowset_strdup(rs, name);
    r.u.campaign.status = rowset_strdup(rs, status);
    adapter_pending_add(p, &r);
    buf_printf(ids, "%s%s", ids->len ? "," : "", id);
    return 0;
}

static int campaigns_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                          struct adapter_pending *p, char **next)
{
    const cJSON *items = json_get(root, "items"), *item;
    const char *bm = NULL;
    struct buf ids = {0};
    int rc = 0;
    (void)ctx;
    if (!cJSON_IsArray(items))
        return malformed(rs, "items is %s", items ? "not an array" : "missing");
    if (cJSON_GetArraySize(items) > MAX_CAMPAIGNS)
        return malformed(rs, "more than %d campaigns on one page", MAX_CAMPAIGNS);
    if (json_str(root, "bookmark", &bm) == JSON_BAD)
        return malformed(rs, "bookmark is not a string");
    if (bm && !*bm)
        bm = NULL;
    struct ad_cursor c;
    ad_cursor(ctx, &c); /* checked by parse_ad_analytics */
    if (adapter_cursor_repeats(c.bookmark, bm, "pinterest", rs))
        return -1;
    cJSON_ArrayForEach(item, items)
    {
        if ((rc = campaign_item(item, &ids, rs, p)) < 0)
            break;
    }
    if (rc == 0 && ids.len)
        *next = xasprintf("analytics:%s:%s", ids.data, bm ? bm : "");
    else if (rc == 0 && bm)
        *next = xasprintf("campaigns:%s", bm);
    buf_free(&ids);
    return rc;
}

/* A count column (absent or null: 0, the column had no data). */
static int row_count(const cJSON *row, const char *key, int64_t *v, struct rowset *rs)
{
    *v = 0;
    if (json_count(row, key, v) == JSON_BAD)
        return malformed(rs, "%s is not a count", key);
    return 0;
}

/* A micro-unit money column: a whole number of micro-units (absent or null: 0). */
static int row_micros(const cJSON *row, const char *key, int64_t *v, struct rowset *rs)
{
    *v = 0;
    if (json_money_scaled(row, key, -6, v) == JSON_BAD)
        return malformed(rs, "%s is not a whole number of micro-units", key);
    return 0;
}

static int analytics_row(const struct adapter_ctx *ctx, const cJSON *row, const char *cur,
                         struct rowset *rs, struct adapter_pending *p)
{
    char buf[32];
    const char *id, *date;
    struct record r = {.type = REC_AD_DAILY};
    struct rec_ad_daily *a = &r.u.ad_daily;
    if (!cJSON_IsObject(row) || json_id(row, "CAMPAIGN_ID", buf, sizeof buf, &id) != JSON_OK ||
        !is_id(id))
        return malformed(rs, "analytics row without a numeric CAMPAIGN_ID");
    if (json_str(row, "DATE", &date) != JSON_OK || time_parse_date(date, &a->day) < 0)
        return malformed(rs, "campaign %s: DATE is not a date", id);
    if (row_micros(row, "SPEND_IN_MICRO_DOLLAR", &a->spend_micros, rs) < 0 ||
        row_count(row, "TOTAL_IMPRESSION", &a->impressions, rs) < 0 ||
        row_count(row, "TOTAL_CLICKTHROUGH", &a->clicks, rs) < 0 ||
        row_count(row, "TOTAL_CONVERSIONS", &a->conversions, rs) < 0 ||
        row_micros(row, "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR", &a->conversion_value_micros,
                   rs) < 0 ||
        row_count(row, "LEADS", &a->leads, rs) < 0)
        return -1;
    if (a->day < ctx->from_day || a->day > ctx->to_day)
        return 0;
    a->campaign = rowset_strdup(rs, id);
    a->basis = BASIS_UTC;
    snprintf(a->currency, sizeof a->currency, "%s", cur);
    adapter_pending_add(p, &r);
    return 0;
}

static int analytics_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                          struct adapter_pending *p, char **next)
{
    struct ad_cursor c;
    const cJSON *row;
    /* build() refuses an account without a currency: only `socialroi parse` gets here without */
    const char *cur = currency(ctx) ? currency(ctx) : "";
    char date[16];
    ad_cursor(ctx, &c); /* checked by parse_ad_analytics */
    cJSON_ArrayForEach(row, root)
    {
        if (analytics_row(ctx, row, cur, rs, p) < 0)
            return -1;
    }
    if (c.analytics && chunk_more(ctx, &c.chunk)) { /* the same campaigns, the next days */
        time_format_date(c.chunk.to + 1, date, sizeof date);
        *next = xasprintf("analytics:%.*s@%s:%s", (int)c.ids_len, c.ids, date,
                          c.bookmark ? c.bookmark : "");
    } else {
        *next = c.bookmark ? xasprintf("campaigns:%s", c.bookmark) : NULL;
    }
    return 0;
}

/* Whether the body's first character after white space opens an array. */
static bool body_is_array(const struct http_response *resp)
{
    for (size_t i = 0; i < resp->len; i++)
        if (!strchr(" \t\r\n", resp->body[i]))
            return resp->body[i] == '[';
    return false;
}

static int parse_ad_analytics(const struct adapter_ctx *ctx, const struct http_response *resp,
                              struct rowset *rs)
{
    struct ad_cursor c;
    if (ad_cursor(ctx, &c) < 0)
        return malformed(rs, "page cursor is not an ad analytics page");
    /*
     * The analytics answer is a bare array, the campaign list an object. Without a cursor
     * (`socialroi parse` on a saved body) a bare array is read as the analytics it is; the
     * daemon's first page is always the campaign list, which is never an array.
     */
    bool analytics = c.analytics || (!ctx->page && body_is_array(resp));
    return parse_page(ctx, resp, analytics, rs, analytics ? analytics_page : campaigns_page);
}

/* ---- tokens (reference §6.1, §12) ------------------------------------------------------------ */

/* Apps created before 2025-09-25 must ask for continuous refresh; later ones get it anyway.
 * The refresh token rotates on every refresh; a refusal says why in "error" or "message". */
static const struct oauth_client oauth = {
    .name = "pinterest",
    .auth = OAUTH_AUTH_BASIC,
    .extra_form = "continuous_refresh=true",
    .said = {"error", "message"},
    .said_none = "no error message",
    .said_max = 96,
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
    {.name = "pinterest.user_analytics",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(24),
     .lookback_ms = DAYS(7),
     .windowed = true,
     .daily_metrics = true,
     .build = build_user_analytics,
     .parse = parse_user_analytics,
     .max_window_days = 90,
     .max_days_back = 90},
    {.name = "pinterest.ad_analytics",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(24),
     .lookback_ms = DAYS(30),
     .windowed = true,
     .build = build_ad_analytics,
     .parse = parse_ad_analytics,
     .max_window_days = 90,
     .max_days_back = 90},
};

/* v5 documents no reliable rate-limit headers: a 429 and its Retry-After are the signal. */
const struct adapter adapter_pinterest = {
    .platform = PLATFORM_PINTEREST,
    .streams = streams,
    .nstreams = sizeof streams / sizeof streams[0],
    .ratelimit = NULL,
    .refresh_build = refresh_build,
    .refresh_parse = refresh_parse,
};
