/*
 * instagram.c - the Instagram adapter (Instagram API with Facebook Login, on the Graph API):
 * account insights (instagram.account_insights) and, in instagram_media.c, media with their
 * lifetime insights (instagram.media); Graph errors, usage headers and the token refresh.
 *
 * What Instagram sends (reference §2.5-§2.7, §3, §10.3): errors are Graph error bodies classified
 * by error.code, never by the HTTP status (a throttle arrives as 400 or 403); paging.next decides
 * whether there is another page and embeds the access token, so only its `after` cursor is kept;
 * daily series values are dated by end_time, the END of a Pacific day; metric_type=total_value
 * answers carry one total (and optional breakdowns) per metric for the whole since..until range,
 * no end_time; counts may be numbers or numeric strings and are left out when there is no data.
 *
 * instagram.account_insights is a run of several pages; the page cursor says which:
 *
 *   (none)              the daily series of the first 29 days of the window:
 *                       metric=reach,follower_count&period=day&since=&until=
 *   "series:YYYY-MM-DD" the daily series of the 29 days (at most) from that day on
 *   "total:YYYY-MM-DD"  the total_value metrics of that one Pacific day D (since=D&until=D+1)
 *   "profile"           the profile fields followers_count, follows_count, media_count
 *
 * The series comes first, in 29-day chunks (within Graph's 30-day limit), then one total page
 * per day from from_day to to_day, then the profile.
 * Graph answers a total_value request for the range since..until and reads since/until dates as
 * Pacific midnights (the same boundaries its daily series reports through end_time), so the page
 * of since=D&until=D+1 is the whole of Pacific day D and its totals are recorded on day D: the day
 * comes from the cursor, because the answer itself carries no date. Breakdowns are checked for
 * shape but not stored, nor is accounts_engaged (a count of distinct accounts, not summable).
 *
 * Every record of a page is held in a pending list and handed to the rowset only once the whole
 * page has been read: a rejected page leaves no records behind.
 *
 * Pure: no I/O, no clock, no globals; everything comes in adapter_ctx and http_response.
 */
#include "instagram_int.h"
#include "chunk.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct adapter adapter_instagram;

/* ---- shared helpers (instagram_int.h)
 * ------------------------------------------------------------ */

int instagram_get(const struct adapter_ctx *ctx, struct http_request *req, const char *object,
                  const char *edge, const struct buf *query, char *why, size_t whylen)
{
    const char *v = ctx->platform->version ? ctx->platform->version : "";
    if (adapter_need_token(ctx, why, whylen) < 0)
        return -1;
    char *obj = adapter_urlencode(object);
    req->method = "GET";
    http_request_set_url(req, xasprintf("%s%s%s/%s%s%s?%s", ctx->platform->api_base, *v ? "/" : "",
                                        v, obj, edge ? "/" : "", edge ? edge : "",
                                        query->len ? query->data : ""));
    free(obj);
    return http_request_header(req, "Authorization: Bearer %s", ctx->access_token);
}

const char *instagram_user(const struct adapter_ctx *ctx, char *why, size_t whylen)
{
    if (!ctx->account || !ctx->account->id || !*ctx->account->id) {
        snprintf(why, whylen, "account has no Instagram user id");
        return NULL;
    }
    return ctx->account->id;
}

/* ---- Graph (meta.c) -------------------------------------------------------------------------- */

/* Instagram calls count in X-App-Usage and the BUC header (type "instagram"), not per ad account.
 */
const struct meta_api instagram_graph = {.name = "instagram", .ad_account_usage = false};

static void ratelimit(const struct http_response *resp, int64_t now, struct rl_signal *sig)
{
    (void)now;
    meta_ratelimit(&instagram_graph, resp, sig);
}

/* ---- instagram.account_insights: pages ------------------------------------------------------- */

enum ai_kind { AI_SERIES, AI_TOTAL, AI_PROFILE };

/* Reads the page cursor (see the top of the file); -1 when it is not one of ours. */
static int ai_cursor(const struct adapter_ctx *ctx, enum ai_kind *kind, int32_t *day)
{
    *kind = AI_SERIES;
    *day = ctx->from_day;
    if (!ctx->page)
        return 0;
    if (strncmp(ctx->page, "series:", 7) == 0 && time_parse_date(ctx->page + 7, day) == 0 &&
        *day > ctx->from_day && *day <= ctx->to_day)
        return 0;
    if (strcmp(ctx->page, "profile") == 0) {
        *kind = AI_PROFILE;
        return 0;
    }
    if (strncmp(ctx->page, "total:", 6) == 0 && time_parse_date(ctx->page + 6, day) == 0 &&
        *day >= ctx->from_day && *day <= ctx->to_day) {
        *kind = AI_TOTAL;
        return 0;
    }
    return -1;
}

/* The last day of the series chunk that starts on day: Graph refuses since..until ranges longer
 * than 30 days (error 100, "There cannot be more than 30 days (2592000 s) between since and
 * until"), so a longer window is read as consecutive series pages of 29 days (the stream's
 * max_window_days): 30 Pacific days that contain the autumn clock change last 30 days and an
 * hour. */
static int32_t ai_series_end(const struct adapter_ctx *ctx, int32_t day)
{
    return chunk_at(ctx, day).to;
}

/* The cursor of the page after (kind, day) into next, or "" after the last page. */
static void ai_next(const struct adapter_ctx *ctx, enum ai_kind kind, int32_t day, char *next,
                    size_t n)
{
    char date[16];
    int32_t d = kind == AI_SERIES ? ctx->from_day : day + 1;
    if (kind == AI_SERIES && ai_series_end(ctx, day) < ctx->to_day) {
        time_format_date(ai_series_end(ctx, day) + 1, date, sizeof date);
        snprintf(next, n, "series:%s", date);
    } else if (kind == AI_PROFILE) {
        *next = '\0';
    } else if (d <= ctx->to_day) {
        time_format_date(d, date, sizeof date);
        snprintf(next, n, "total:%s", date);
    } else {
        snprintf(next, n, "profile");
    }
}

/* Graph metric, canonical name (NULL: read, not stored) */

static const struct meta_metric series_metrics[] = {
    {"reach", "reach"},
    {"follower_count", "followers_gained"}, /* new followers of the day, not the total */
};

static const struct meta_metric total_metrics[] = {
    {"views", "views"},
    {"accounts_engaged", NULL}, /* distinct accounts: days do not add up */
    {"total_interactions", "engagements"},
    {"likes", "likes"},
    {"comments", "comments"},
    {"shares", "shares"},
    {"saves", "saves"},
};

#define NSERIES (sizeof series_metrics / sizeof series_metrics[0])
#define NTOTAL  (sizeof total_metrics / sizeof total_metrics[0])

/* The metrics a page of kind asks for into out (comma-separated); how many. */
static size_t ai_metrics(const struct adapter_ctx *ctx, enum ai_kind kind, struct buf *out)
{
    if (kind == AI_SERIES)
        return meta_metrics_asked(ctx, series_metrics, NSERIES, out);
    return kind == AI_TOTAL ? meta_metrics_asked(ctx, total_metrics, NTOTAL, out) : 0;
}

/* The query of a page; -1 when the platform refused every metric it would ask for. */
static int ai_query(const struct adapter_ctx *ctx, enum ai_kind kind, int32_t day, struct buf *q)
{
    char since[16], until[16];
    struct buf metrics = {0};
    if (kind == AI_PROFILE) {
        adapter_query(q, "fields", "followers_count,follows_count,media_count");
        return 0;
    }
    if (ai_metrics(ctx, kind, &metrics) == 0)
        return -1;
    adapter_query(q, "metric", metrics.data);
    buf_free(&metrics);
    if (kind == AI_SERIES) {
        /* until is exclusive: the last day's value has end_time at the start of the day after */
        time_format_date(day, since, sizeof since);
        time_format_date(ai_series_end(ctx, day) + 1, until, sizeof until);
    } else {
        time_format_date(day, since, sizeof since);
        time_format_date(day + 1, until, sizeof until);
        adapter_query(q, "metric_type", "total_value");
    }
    adapter_query(q, "period", "day");
    adapter_query(q, "since", since);
    adapter_query(q, "until", until);
    return 0;
}

static int build_account_insights(const struct adapter_ctx *ctx, struct http_request *req,
                                  char *why, size_t whylen)
{
    enum ai_kind kind;
    int32_t day;
    struct buf q = {0};
    const char *user = instagram_user(ctx, why, whylen);
    if (!user)
        return -1;
    if (ai_cursor(ctx, &kind, &day) < 0) {
        snprintf(why, whylen, "page cursor is not an account insights page of this window");
        return -1;
    }
    if (ai_query(ctx, kind, day, &q) < 0) {
        snprintf(why, whylen, "the platform refused every metric of this page");
        buf_free(&q);
        return -1;
    }
    /* one request per page: paging.next of insights walks into the future and is never followed */
    int rc = instagram_get(ctx, req, user, kind == AI_PROFILE ? NULL : "insights", &q, why, whylen);
    buf_free(&q);
    return rc;
}

/* ---- instagram.account_insights: records ----------------------------------------------------- */

/* The map entry of a Graph metric name, or NULL for one we did not ask for. */
static const struct meta_metric *lookup(const struct meta_metric *map, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(map[i].name, name) == 0)
            return &map[i];
    return NULL;
}

/* One values[] entry of the daily series: a record when it is a count of a day in the window. */
static int series_value(const struct adapter_ctx *ctx, const cJSON *v, const char *name,
                        const char *metric, struct rowset *rs, struct adapter_pending *p)
{
    const char *end;
    int64_t n, end_us;
    if (!cJSON_IsObject(v))
        return instagram_malformed(rs, "%s: values[] item is not an object", name);
    const cJSON *val = json_get(v, "value");
    if (cJSON_IsObject(val)) /* a breakdown map: not a daily total */
        return 0;
    enum json_get g = json_count_item(val, &n);
    if (g == JSON_ABSENT)
        return 0;
    if (g == JSON_BAD)
        return instagram_malformed(rs, "%s: value is not a count", name);
    if (json_str(v, "end_time", &end) != JSON_OK || json_parse_time(end, &end_us) < 0)
        return instagram_malformed(rs, "%s: value without a usable end_time", name);
    int32_t day = adapter_pacific_day_ending(end_us); /* end_time ends the Pacific day */
    if (day >= ctx->from_day && day <= ctx->to_day)
        adapter_daily(BASIS_PACIFIC, metric, day, n, p);
    return 0;
}

static int series_item(const struct adapter_ctx *ctx, const cJSON *item, const char *name,
                       struct rowset *rs, struct adapter_pending *p)
{
    const struct meta_metric *m = lookup(series_metrics, NSERIES, name);
    const char *period;
    const cJSON *values = json_get(item, "values"), *v;
    if (!m || (json_str(item, "period", &period) == JSON_OK && strcmp(period, "day") != 0))
        return 0;
    if (!cJSON_IsArray(values))
        return instagram_malformed(rs, "%s: values is not an array", name);
    cJSON_ArrayForEach(v, values)
    {
        if (series_value(ctx, v, name, m->metric, rs, p) < 0)
            return -1;
    }
    return 0;
}

static bool string_array(const cJSON *a)
{
    const cJSON *s;
    if (!cJSON_IsArray(a))
        return false;
    cJSON_ArrayForEach(s, a)
    {
        if (!cJSON_IsString(s))
            return false;
    }
    return true;
}

/* total_value.breakdowns[]: read for their shape (a bad one fails the page), never stored. */
static int check_breakdowns(const cJSON *tv, const char *name, struct rowset *rs)
{
    const cJSON *bds = json_get(tv, "breakdowns"), *b, *r;
    int64_t v;
    if (!bds || cJSON_IsNull(bds))
        return 0;
    if (!cJSON_IsArray(bds))
        return instagram_malformed(rs, "%s: breakdowns is not an array", name);
    cJSON_ArrayForEach(b, bds)
    {
        const cJSON *results = json_get(b, "results");
        if (!string_array(json_get(b, "dimension_keys")) || !cJSON_IsArray(results))
            return instagram_malformed(rs, "%s: breakdown without dimension_keys and results",
                                       name);
        cJSON_ArrayForEach(r, results)
        {
            if (!string_array(json_get(r, "dimension_values")) ||
                json_count(r, "value", &v) == JSON_BAD)
                return instagram_malformed(rs, "%s: breakdown result is not values and a count",
                                           name);
        }
    }
    return 0;
}

/* One metric of a total_value page: its total on the page's day. */
static int total_item(const cJSON *item, const char *name, int32_t day, struct rowset *rs,
                      struct adapter_pending *p)
{
    const struct meta_metric *m = lookup(total_metrics, NTOTAL, name);
    const cJSON *tv = json_get(item, "total_value");
    int64_t n;
    if (!m)
        return 0;
    if (!cJSON_IsObject(tv))
        return instagram_malformed(rs, "%s: no total_value object", name);
    if (check_breakdowns(tv, name, rs) < 0)
        return -1;
    enum json_get g = json_count(tv, "value", &n);
    if (g == JSON_BAD)
        return instagram_malformed(rs, "%s: total_value.value is not a count", name);
    if (g == JSON_OK && m->metric)
        adapter_daily(BASIS_PACIFIC, m->metric, day, n, p);
    return 0;
}

static int insights_page(const struct adapter_ctx *ctx, const cJSON *root, enum ai_kind kind,
                         int32_t day, struct rowset *rs, struct adapter_pending *p)
{
    const cJSON *data = json_get(root, "data"), *item;
    const char *name;
    if (!cJSON_IsArray(data)) /* no data is an empty array, not an absent key */
        return instagram_malformed(rs, "data is %s", data ? "not an array" : "missing");
    cJSON_ArrayForEach(item, data)
    {
        if (!cJSON_IsObject(item) || json_str(item, "name", &name) != JSON_OK)
            return instagram_malformed(rs, "insights item without a metric name");
        int rc = kind == AI_SERIES ? series_item(ctx, item, name, rs, p)
                                   : total_item(item, name, day, rs, p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

/* The profile fields: snapshots of the account's lifetime counters. */
static int profile_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                        struct adapter_pending *p)
{
    static const struct meta_metric fields[] = {
        {"followers_count", "followers"},
        {"follows_count", "following"},
        {"media_count", "posts"},
    };
    int64_t v;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        enum json_get g = json_count(root, fields[i].name, &v);
        if (g == JSON_BAD)
            return instagram_malformed(rs, "%s is not a count", fields[i].name);
        if (g == JSON_OK)
            adapter_snapshot(ctx->now, "", fields[i].metric, v, p);
    }
    return 0;
}

static int parse_account_insights(const struct adapter_ctx *ctx, const struct http_response *resp,
                                  struct rowset *rs)
{
    enum ai_kind kind;
    int32_t day;
    char next[32];
    struct adapter_pending p = {0};
    if (ai_cursor(ctx, &kind, &day) < 0)
        return instagram_malformed(rs, "page cursor is not an account insights page");
    cJSON *root = meta_body(&instagram_graph, resp, ctx->access_token, rs);
    if (!root) {
        struct buf asked = {0}; /* a retired metric fails the whole call: which one? */
        if (ai_metrics(ctx, kind, &asked))
            meta_refused_metric(resp, asked.data, rs);
        buf_free(&asked);
        return -1;
    }
    int rc = kind == AI_PROFILE ? profile_page(ctx, root, rs, &p)
                                : insights_page(ctx, root, kind, day, rs, &p);
    if (rc == 0) {
        adapter_pending_commit(&p, rs);
        ai_next(ctx, kind, day, next, sizeof next);
        rowset_set_next(rs, *next ? next : NULL);
    }
    adapter_pending_drop(&p);
    cJSON_Delete(root);
    return rc;
}

/* ---- tokens (reference §3.1, §12) ------------------------------------------------------------ */

/*
 * Instagram Login style: a long-lived token is refreshed with nothing but itself,
 * GET {token_url}?grant_type=ig_refresh_token&access_token=<current token>. No refresh token, no
 * client secret; without a current token there is nothing to refresh.
 */
static int refresh_build(const struct cfg_platform *p, const struct cfg_credential *cred,
                         const char *access_token, const char *refresh_token,
                         struct http_request *req)
{
    (void)cred;
    (void)refresh_token;
    if (!p->token_url || !*p->token_url || !access_token || !*access_token)
        return -1;
    struct buf q = {0};
    adapter_query(&q, "grant_type", "ig_refresh_token");
    adapter_query(&q, "access_token", access_token);
    return meta_token_request(p, &q, req);
}

static int refresh_parse(const struct http_response *resp, struct token_set *out,
                         enum err_class *cls, char *why, size_t whylen)
{
    return meta_token_parse(&instagram_graph, "token refresh", resp, out, cls, why, whylen);
}

/* ---- the adapter ----------------------------------------------------------------------------- */

static const struct stream_def streams[] = {
    {.name = "instagram.account_insights",
     .basis = BASIS_PACIFIC,
     .interval_ms = HOURS(12),
     .lookback_ms = DAYS(3),
     .windowed = true,
     .daily_metrics = true,
     .build = build_account_insights,
     .parse = parse_account_insights,
     .max_window_days = 29},
    {.name = "instagram.media",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(12),
     .lookback_ms = DAYS(30),
     .windowed = true,
     .build = instagram_build_media,
     .parse = instagram_parse_media},
};

const struct adapter adapter_instagram = {
    .platform = PLATFORM_INSTAGRAM,
    .streams = streams,
    .nstreams = sizeof streams / sizeof streams[0],
    .ratelimit = ratelimit,
    .refresh_build = refresh_build,
    .refresh_parse = refresh_parse,
};
