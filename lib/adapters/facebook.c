/*
 * facebook.c - the Meta Graph API adapter: Page insights, Page posts, and (in facebook_ads.c)
 * Marketing API ads insights and Lead Ads; Graph errors, usage headers and token exchange.
 *
 * What Meta sends (reference §2, §10.2, §10.3): errors are classified by error.code, never by the
 * HTTP status (a throttle arrives as 400 or 403); paging.next decides whether there is another page
 * (the last page still carries cursors) and embeds the access token, so only its page is kept: an
 * `after` cursor, or for Page posts, which Graph pages by time, "until=N&__paging_token=T"; Page
 * insights values are dated by end_time, the end of a Pacific day, and their paging.next walks into
 * the future forever, so it is ignored; counts may be numbers or numeric strings and fields are
 * often left out when empty. Graph shows at most 90 days of Page insights per since..until, so
 * facebook.page_insights reads a longer window in chunks (chunk.h).
 *
 * Every record of a page is held in a pending list and handed to the rowset only once the whole
 * page has been read: a rejected page leaves no records behind.
 *
 * Pure: no I/O, no clock, no globals; everything comes in adapter_ctx and http_response.
 */
#include "facebook_int.h"
#include "meta.h"
#include "apiversion.h"
#include "chunk.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 280 /* bytes of post text kept as the content title */

extern const struct adapter adapter_facebook;

/* ---- shared helpers (facebook_int.h)
 * ------------------------------------------------------------- */

int facebook_get(const struct adapter_ctx *ctx, struct http_request *req, const char *path,
                 struct buf *query, const char *page, char *why, size_t whylen)
{
    const char *v = apiver_for_stream(ctx->platform, ctx->stream); /* ads: Marketing API */
    if (adapter_need_token(ctx, why, whylen) < 0)
        return -1;
    meta_page_query(query, page);
    req->method = "GET";
    http_request_set_url(req, xasprintf("%s%s%s/%s?%s", ctx->platform->api_base, v && *v ? "/" : "",
                                        v ? v : "", path, query->len ? query->data : ""));
    return http_request_header(req, "Authorization: Bearer %s", ctx->access_token);
}

/* Graph as the Page and Marketing APIs speak it: ad account usage counts too. */
static const struct meta_api graph = {.name = "facebook", .ad_account_usage = true};

static void ratelimit(const struct http_response *resp, int64_t now, struct rl_signal *sig)
{
    (void)now;
    meta_ratelimit(&graph, resp, sig);
}

/* ---- paging and list pages (reference §2.5) -------------------------------------------------- */

static int list_items(const struct adapter_ctx *ctx, const cJSON *root, facebook_item_fn *fn,
                      void *arg, struct rowset *rs, struct adapter_pending *p)
{
    const cJSON *data = json_get(root, "data"), *item;
    if (!cJSON_IsArray(data))
        return facebook_malformed(rs, "data is %s", data ? "not an array" : "missing");
    cJSON_ArrayForEach(item, data)
    {
        if (!cJSON_IsObject(item))
            return facebook_malformed(rs, "data[] item is not an object");
        if (fn(ctx, item, arg, rs, p) < 0)
            return -1;
    }
    return 0;
}

int facebook_parse_list(const struct adapter_ctx *ctx, const struct http_response *resp,
                        struct rowset *rs, facebook_item_fn *fn, void *arg, const char *asked,
                        char **after)
{
    struct adapter_pending p = {0};
    if (after)
        *after = NULL;
    cJSON *root = meta_body(&graph, resp, ctx->access_token, rs);
    if (!root)
        return -1;
    int rc = list_items(ctx, root, fn, arg, rs, &p);
    if (rc == 0 && after)
        rc = meta_next_page(&graph, root, rs, after);
    if (rc == 0 && after && adapter_cursor_repeats(asked, *after, "facebook", rs)) {
        free(*after);
        *after = NULL;
        rc = -1;
    }
    /* the caller sets the next cursor */
    return adapter_page_end(ctx, "facebook", rc, &p, rs, NULL, root);
}

/* ---- facebook.page_insights ------------------------------------------------------------------ */

/* Graph metric, canonical name */
static const struct meta_metric page_metrics[] = {
    {"page_post_engagements", "engagements"},
    {"page_daily_follows_unique", "followers_gained"},
    {"page_media_view", "views"},
    {"page_total_media_view_unique", "reach"},
};
#define NPAGE_METRICS (sizeof page_metrics / sizeof page_metrics[0])

/* "{page id}/{edge}", encoded (caller frees); NULL with why when the account has no id. */
static char *page_path(const struct adapter_ctx *ctx, const char *edge, char *why, size_t whylen)
{
    if (!ctx->account || !ctx->account->id || !*ctx->account->id) {
        snprintf(why, whylen, "account has no page id");
        return NULL;
    }
    char *id = adapter_urlencode(ctx->account->id);
    char *path = xasprintf("%s/%s", id, edge);
    free(id);
    return path;
}

static int build_page_insights(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                               size_t whylen)
{
    char since[16], until[16];
    struct buf q = {0}, metrics = {0};
    struct chunk c;
    if (chunk_cursor(ctx, ctx->page, &c) < 0) {
        snprintf(why, whylen, "page cursor is not a page insights chunk of this window");
        return -1;
    }
    if (meta_metrics_asked(ctx, page_metrics, NPAGE_METRICS, &metrics) == 0) {
        snprintf(why, whylen, "the platform refused every metric of this stream");
        return -1;
    }
    char *path = page_path(ctx, "insights", why, whylen);
    if (!path) {
        buf_free(&metrics);
        return -1;
    }
    /* until is exclusive: the chunk's last value has end_time at the start of the day after */
    time_format_date(c.from, since, sizeof since);
    time_format_date(c.to + 1, until, sizeof until);
    adapter_query(&q, "metric", metrics.data);
    adapter_query(&q, "period", "day");
    adapter_query(&q, "since", since);
    adapter_query(&q, "until", until);
    /* one request per chunk: no after cursor, paging.next is never followed */
    int rc = facebook_get(ctx, req, path, &q, NULL, why, whylen);
    buf_free(&metrics);
    buf_free(&q);
    free(path);
    return rc;
}

/* One values[] entry: a metric record when it is a daily count inside the window. */
static int insights_value(const struct adapter_ctx *ctx, const cJSON *v, const char *metric,
                          struct rowset *rs, struct adapter_pending *p)
{
    const char *end;
    int64_t n, end_us;
    if (!cJSON_IsObject(v))
        return facebook_malformed(rs, "%s: values[] item is not an object", metric);
    const cJSON *val = json_get(v, "value");
    if (cJSON_IsObject(val)) /* a breakdown map: not a daily total */
        return 0;
    enum json_get g = json_count_item(val, &n);
    if (g == JSON_ABSENT)
        return 0;
    if (g == JSON_BAD)
        return facebook_malformed(rs, "%s: value is not a count", metric);
    if (json_str(v, "end_time", &end) != JSON_OK || json_parse_time(end, &end_us) < 0)
        return facebook_malformed(rs, "%s: value without a usable end_time", metric);
    int32_t day = adapter_pacific_day_ending(end_us);
    if (day < ctx->from_day || day > ctx->to_day)
        return 0;
    adapter_daily(BASIS_PACIFIC, metric, day, n, p);
    return 0;
}

static int insights_item(const struct adapter_ctx *ctx, const cJSON *item, void *arg,
                         struct rowset *rs, struct adapter_pending *p)
{
    const char *name, *period;
    const cJSON *values, *v;
    (void)arg;
    if (json_str(item, "name", &name) != JSON_OK)
        return facebook_malformed(rs, "insights item without a metric name");
    if (json_str(item, "period", &period) == JSON_OK && strcmp(period, "day") != 0)
        return 0;
    size_t i = 0;
    while (i < NPAGE_METRICS && strcmp(page_metrics[i].name, name) != 0)
        i++;
    if (i == NPAGE_METRICS) /* a metric we did not ask for */
        return 0;
    values = json_get(item, "values");
    if (!cJSON_IsArray(values))
        return facebook_malformed(rs, "%s: values is not an array", name);
    cJSON_ArrayForEach(v, values)
    {
        if (insights_value(ctx, v, page_metrics[i].metric, rs, p) < 0)
            return -1;
    }
    return 0;
}

static int parse_page_insights(const struct adapter_ctx *ctx, const struct http_response *resp,
                               struct rowset *rs)
{
    struct chunk c;
    char next[32];
    if (chunk_cursor(ctx, ctx->page, &c) < 0)
        return facebook_malformed(rs, "page cursor is not a page insights chunk of this window");
    /* the next chunk, never paging.next: it points at the next window, forever */
    if (facebook_parse_list(ctx, resp, rs, insights_item, NULL, NULL, NULL) < 0) {
        struct buf asked = {0}; /* a retired metric fails the whole call: which one? */
        meta_metrics_asked(ctx, page_metrics, NPAGE_METRICS, &asked);
        meta_refused_metric(resp, asked.data, rs);
        buf_free(&asked);
        return -1;
    }
    chunk_next(ctx, &c, next, sizeof next);
    rowset_set_next(rs, *next ? next : NULL);
    return 0;
}

/* ---- facebook.posts -------------------------------------------------------------------------- */

static int build_posts(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                       size_t whylen)
{
    char *path = page_path(ctx, "posts", why, whylen);
    char since[24];
    struct buf q = {0};
    if (!path)
        return -1;
    snprintf(since, sizeof since, "%lld", (long long)ctx->from_day * 86400);
    adapter_query(&q, "fields",
                  "id,created_time,message,permalink_url,shares,"
                  "reactions.summary(total_count).limit(0),comments.summary("
                  "total_count).limit(0)");
    adapter_query(&q, "since", since);
    adapter_query(&q, "limit", "100");
    int rc = facebook_get(ctx, req, path, &q, ctx->page, why, whylen);
    buf_free(&q);
    free(path);
    return rc;
}

/*
 * A snapshot of the count at obj.key. An absent count is not recorded, unless absent_zero: Meta
 * leaves a requested `shares` out of a post nobody shared.
 */
static int post_count(const struct adapter_ctx *ctx, const char *id, const cJSON *obj,
                      const char *key, const char *metric, bool absent_zero, struct rowset *rs,
                      struct adapter_pending *p)
{
    int64_t v = 0;
    enum json_get g = json_count(obj, key, &v);
    if (g == JSON_ABSENT && !absent_zero)
        return 0;
    if (g == JSON_BAD)
        return facebook_malformed(rs, "post %s: %s is not a count", meta_shown_id(id), metric);
    adapter_snapshot(ctx->now, id, metric, v, p);
    return 0;
}

/* content of a post: id, time, permalink and text; the id is returned for the snapshots. */
static int post_content(const cJSON *post, struct rowset *rs, struct adapter_pending *p,
                        const char **idp)
{
    char buf[32];
    const char *id, *created, *msg = NULL, *url = NULL;
    int64_t published = 0;
    if (json_id(post, "id", buf, sizeof buf, &id) != JSON_OK)
        return facebook_malformed(rs,
                                  "post id is missing or not a string id (a number above 2^53?)");
    *idp = id = rowset_strdup(rs, id);
    enum json_get g = json_str(post, "created_time", &created);
    if (g == JSON_BAD || (g == JSON_OK && json_parse_time(created, &published) < 0))
        return facebook_malformed(rs, "post %s: created_time is not a timestamp",
                                  meta_shown_id(id));
    if (json_str(post, "message", &msg) == JSON_BAD ||
        json_str(post, "permalink_url", &url) == JSON_BAD)
        return facebook_malformed(rs, "post %s: message or permalink_url is not a string",
                                  meta_shown_id(id));
    struct record r = {.type = REC_CONTENT};
    r.u.content.id = id;
    r.u.content.kind = "post";
    r.u.content.published_at = published;
    r.u.content.url = rowset_strdup(rs, url);
    r.u.content.title = msg ? adapter_title(rs, msg, TITLE_MAX) : NULL;
    adapter_pending_add(p, &r);
    return 0;
}

static int post_item(const struct adapter_ctx *ctx, const cJSON *post, void *arg, struct rowset *rs,
                     struct adapter_pending *p)
{
    const char *id = NULL;
    (void)arg;
    if (post_content(post, rs, p, &id) < 0)
        return -1;
    /* reactions.summary(total_count) is every reaction type: likes in the canonical names */
    if (post_count(ctx, id, json_path(post, "reactions", "summary", NULL), "total_count", "likes",
                   false, rs, p) < 0 ||
        post_count(ctx, id, json_path(post, "comments", "summary", NULL), "total_count", "comments",
                   false, rs, p) < 0 ||
        post_count(ctx, id, json_get(post, "shares"), "count", "shares", !json_get(post, "shares"),
                   rs, p) < 0)
        return -1;
    return 0;
}

static int parse_posts(const struct adapter_ctx *ctx, const struct http_response *resp,
                       struct rowset *rs)
{
    char *after;
    int rc = facebook_parse_list(ctx, resp, rs, post_item, NULL, ctx->page, &after);
    if (rc == 0)
        rowset_set_next(rs, after);
    free(after);
    return rc;
}

/* ---- tokens (reference §2.1, §12) ------------------------------------------------------------ */

/* A long-lived token for the current one: Meta has no refresh token, it exchanges. */
static int refresh_build(const struct cfg_platform *p, const struct cfg_credential *cred,
                         const char *access_token, const char *refresh_token,
                         struct http_request *req)
{
    (void)refresh_token;
    if (!p->token_url || !*p->token_url || !cred->client_id || !*cred->client_id ||
        !cred->client_secret || !*cred->client_secret || !access_token || !*access_token)
        return -1;
    struct buf q = {0};
    adapter_query(&q, "grant_type", "fb_exchange_token");
    adapter_query(&q, "client_id", cred->client_id);
    adapter_query(&q, "client_secret", cred->client_secret);
    adapter_query(&q, "fb_exchange_token", access_token);
    return meta_token_request(p, &q, req);
}

static int refresh_parse(const struct http_response *resp, struct token_set *out,
                         enum err_class *cls, char *why, size_t whylen)
{
    return meta_token_parse(&graph, "token exchange", resp, out, cls, why, whylen);
}

/* ---- the adapter ----------------------------------------------------------------------------- */

static const struct stream_def streams[] = {
    {.name = "facebook.page_insights",
     .basis = BASIS_PACIFIC,
     .interval_ms = HOURS(12),
     .lookback_ms = DAYS(3),
     .windowed = true,
     .daily_metrics = true,
     .build = build_page_insights,
     .parse = parse_page_insights,
     .max_window_days = 90},
    {.name = "facebook.posts",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(12),
     .lookback_ms = DAYS(30),
     .windowed = true,
     .build = build_posts,
     .parse = parse_posts},
    {.name = "facebook.ads_insights",
     .basis = BASIS_ACCOUNT_TZ,
     .interval_ms = HOURS(6),
     .lookback_ms = DAYS(28),
     .windowed = true,
     .build = facebook_build_ads,
     .parse = facebook_parse_ads},
    {.name = "facebook.leads",
     .basis = BASIS_UTC,
     .interval_ms = MINUTES(15),
     .lookback_ms = DAYS(1),
     .incremental = true,
     .build = facebook_build_leads,
     .parse = facebook_parse_leads},
};

const struct adapter adapter_facebook = {
    .platform = PLATFORM_FACEBOOK,
    .streams = streams,
    .nstreams = sizeof streams / sizeof streams[0],
    .ratelimit = ratelimit,
    .refresh_build = refresh_build,
    .refresh_parse = refresh_parse,
};
