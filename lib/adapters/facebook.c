/*
 * facebook.c - the Meta Graph API adapter: Page insights, Page posts, and (in facebook_ads.c)
 * Marketing API ads insights and Lead Ads; Graph errors, usage headers and token exchange.
 *
 * What Meta sends (reference §2, §10.2, §10.3): errors are classified by error.code, never by the
 * HTTP status (a throttle arrives as 400 or 403); paging.next decides whether there is another page
 * (the last page still carries cursors) and embeds the access token, so only its `after` cursor is
 * kept; Page insights values are dated by end_time, the end of a Pacific day, and their paging.next
 * walks into the future forever, so it is ignored; counts may be numbers or numeric strings and
 * fields are often left out when empty. Graph shows at most 90 days of Page insights per
 * since..until, so facebook.page_insights reads a longer window in chunks (chunk.h).
 *
 * Every record of a page is held in a pending list and handed to the rowset only once the whole
 * page has been read: a rejected page leaves no records behind.
 *
 * Pure: no I/O, no clock, no globals; everything comes in adapter_ctx and http_response.
 */
#include "facebook.h"
#include "chunk.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 280 /* bytes of post text kept as the content title */

extern const struct adapter adapter_facebook;

/* ---- shared helpers (facebook.h) ------------------------------------------------------------- */

int facebook_malformed(struct rowset *rs, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rowset_set_error(rs, ERR_MALFORMED, -1, "facebook: %s", msg);
    return -1;
}

const char *facebook_shown_id(const char *id)
{
    size_t n = strspn(id, "0123456789_");
    return n > 0 && n <= 64 && !id[n] ? id : "(not a Graph id)";
}

void facebook_query(struct buf *q, const char *name, const char *value)
{
    char *enc = adapter_urlencode(value);
    buf_printf(q, "%s%s=%s", q->len ? "&" : "", name, enc);
    free(enc);
}

int facebook_get(const struct adapter_ctx *ctx, struct http_request *req, const char *path,
                 struct buf *query, const char *after, char *why, size_t whylen)
{
    const char *v = ctx->platform->version;
    if (!ctx->access_token || !*ctx->access_token) {
        snprintf(why, whylen, "no access token");
        return -1;
    }
    if (after)
        facebook_query(query, "after", after);
    req->method = "GET";
    http_request_set_url(req, xasprintf("%s%s%s/%s?%s", ctx->platform->api_base, v && *v ? "/" : "",
                                        v ? v : "", path, query->len ? query->data : ""));
    return http_request_header(req, "Authorization: Bearer %s", ctx->access_token);
}

/*
 * Copies text from an API answer into an error message: control characters become spaces and any
 * word that could be a URL or a credential (contains "://", "token=", "_token" or the current
 * token `secret`, or is 32 bytes or longer without a space: Graph messages sometimes quote the
 * token) becomes "[redacted]".
 */

/* ---- usage headers (reference §2.6) ---------------------------------------------------------- */

/* A percentage member: an integer, or a decimal (X-Ad-Account-Usage sends 9.67) rounded up. */
static int pct_of(const cJSON *it)
{
    int64_t v;
    if (json_count_item(it, &v) == JSON_OK)
        return v > 1000 ? 1000 : (int)v;
    /* a percentage is not an id, a count or money: its double is exact enough */
    if (cJSON_IsNumber(it) && isfinite(it->valuedouble) && it->valuedouble >= 0)
        return it->valuedouble > 1000 ? 1000 : (int)ceil(it->valuedouble);
    return -1;
}

/* Raises *pct to the highest of keys in o and *eta to its estimated_time_to_regain_access. */
static void usage_object(const cJSON *o, const char *const *keys, int *pct, int64_t *eta)
{
    int64_t m;
    for (size_t i = 0; keys[i]; i++) {
        int v = pct_of(json_get(o, keys[i]));
        if (v > *pct)
            *pct = v;
    }
    if (json_count(o, "estimated_time_to_regain_access", &m) == JSON_OK && m > *eta)
        *eta = m;
}

static cJSON *header_json(const struct http_response *resp, const char *name)
{
    char why[64];
    const char *v = resp->header ? resp->header(resp, name) : NULL;
    return v ? json_parse(v, strlen(v), why, sizeof why) : NULL;
}

/* The highest usage percentage of the three usage headers and the longest regain time. */
static void read_usage(const struct http_response *resp, int *pct, int64_t *eta_min)
{
    static const char *const app_keys[] = {"call_count", "total_cputime", "total_time", NULL};
    static const char *const acc_keys[] = {"acc_id_util_pct", NULL};
    const cJSON *per_id, *bucket;
    *pct = -1;
    *eta_min = 0;
    cJSON *j = header_json(resp, "X-App-Usage");
    usage_object(j, app_keys, pct, eta_min);
    cJSON_Delete(j);
    j = header_json(resp, "X-Ad-Account-Usage");
    usage_object(j, acc_keys, pct, eta_min);
    cJSON_Delete(j);
    /* {"<business id>":[{"type":"ads_insights","call_count":N,...}, ...], ...} */
    j = header_json(resp, "X-Business-Use-Case-Usage");
    if (cJSON_IsObject(j)) {
        cJSON_ArrayForEach(per_id, j)
        {
            if (!cJSON_IsArray(per_id))
                continue;
            cJSON_ArrayForEach(bucket, per_id)
            {
                usage_object(bucket, app_keys, pct, eta_min);
            }
        }
    }
    cJSON_Delete(j);
}

static void ratelimit(const struct http_response *resp, int64_t now, struct rl_signal *sig)
{
    int64_t eta_min;
    (void)now;
    read_usage(resp, &sig->usage_pct, &eta_min);
    sig->wait_ms = eta_min > 0 ? eta_min * 60 * 1000 : -1;
    sig->per_stream = false; /* Meta counts per app, user, page or ad account, not endpoint */
}

/* ---- Graph errors (reference §2.7, §11) ------------------------------------------------------ */

static enum err_class code_class(int64_t code, int64_t subcode, bool transient, long status)
{
    if (code == 4 || code == 17 || code == 32 || code == 613 || (code >= 80000 && code <= 80014))
        return ERR_THROTTLED;
    if (transient || code == 1 || code == 2)
        return ERR_TRANSIENT;
    if (code == 190 || code == 102)
        return ERR_AUTH;
    if (code == 10 || (code >= 200 && code <= 299))
        return ERR_PERMISSION;
    if (code == 803 || (code == 100 && subcode == 33)) /* 33: object does not exist */
        return ERR_NOT_FOUND;
    if (code == 100) /* 1504018: the query timed out; a retry may get through */
        return subcode == 1504018 ? ERR_TRANSIENT : ERR_BAD_REQUEST;
    return status >= 500 ? ERR_TRANSIENT : ERR_BAD_REQUEST;
}

/* Classifies an error object; a throttle waits out estimated_time_to_regain_access. */
static void graph_error(const struct http_response *resp, const cJSON *err, const char *secret,
                        struct rowset *rs)
{
    int64_t code = 0, subcode = 0, eta_min;
    bool transient = false;
    const char *msg = "";
    char text[160];
    int pct;
    json_int(err, "code", &code);
    json_int(err, "error_subcode", &subcode);
    json_bool(err, "is_transient", &transient);
    if (json_str(err, "message", &msg) != JSON_OK)
        msg = "";
    adapter_safe_text(text, sizeof text, msg, secret);
    enum err_class cls = code_class(code, subcode, transient, resp->status);
    read_usage(resp, &pct, &eta_min);
    int64_t retry = cls == ERR_THROTTLED && eta_min > 0 ? eta_min * 60 * 1000 : -1;
    rowset_set_error(rs, cls, retry, "facebook: HTTP %ld, Graph error %lld/%lld: %s", resp->status,
                     (long long)code, (long long)subcode, text);
}

/* A non-2xx answer without a Graph error object (a proxy page, an empty 502). */
static void status_error(const struct http_response *resp, struct rowset *rs)
{
    if (resp->status >= 500)
        rowset_set_error(rs, ERR_TRANSIENT, -1, "facebook: HTTP %ld without an error body",
                         resp->status);
    else
        facebook_malformed(rs, "HTTP %ld without a Graph error body", resp->status);
}

/* The body object of a good answer, or NULL with the error set (secret: the token in use). */
static cJSON *read_body(const struct http_response *resp, const char *secret, struct rowset *rs)
{
    char why[128];
    cJSON *root = resp->len ? json_parse(resp->body, resp->len, why, sizeof why) : NULL;
    const cJSON *err = json_get(root, "error");
    if (cJSON_IsObject(err))
        graph_error(resp, err, secret, rs);
    else if (resp->status < 200 || resp->status > 299)
        status_error(resp, rs);
    else if (!root)
        facebook_malformed(rs, "%s", resp->len ? why : "empty body");
    else if (!cJSON_IsObject(root))
        facebook_malformed(rs, "body is not a JSON object");
    else
        return root;
    cJSON_Delete(root);
    return NULL;
}

/* ---- paging and list pages (reference §2.5) -------------------------------------------------- */

/* The next page's after cursor (caller frees), NULL on the last page; -1 when unusable. */
static int next_after(const cJSON *root, struct rowset *rs, char **after)
{
    const cJSON *paging = json_get(root, "paging");
    const char *next, *a;
    *after = NULL;
    if (paging && !cJSON_IsNull(paging) && !cJSON_IsObject(paging))
        return facebook_malformed(rs, "paging is not an object");
    enum json_get g = json_str(paging, "next", &next);
    if (g == JSON_ABSENT)
        return 0; /* the last page, even when it still carries cursors */
    if (g == JSON_BAD)
        return facebook_malformed(rs, "paging.next is not a string");
    g = json_str(json_get(paging, "cursors"), "after", &a);
    if (g == JSON_BAD)
        return facebook_malformed(rs, "paging.cursors.after is not a string");
    if (g == JSON_OK && *a) {
        *after = xstrdup(a);
        return 0;
    }
    /* no cursors: take the after parameter out of the next URL, never the URL itself */
    *after = adapter_query_param(next, "after");
    if (*after && **after)
        return 0;
    free(*after);
    *after = NULL;
    return facebook_malformed(rs, "paging.next without an after cursor");
}

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
                        struct rowset *rs, facebook_item_fn *fn, void *arg, char **after)
{
    struct adapter_pending p = {0};
    if (after)
        *after = NULL;
    cJSON *root = read_body(resp, ctx->access_token, rs);
    if (!root)
        return -1;
    int rc = list_items(ctx, root, fn, arg, rs, &p);
    if (rc == 0 && after)
        rc = next_after(root, rs, after);
    if (rc == 0)
        adapter_pending_commit(&p, rs);
    adapter_pending_drop(&p);
    cJSON_Delete(root);
    return rc;
}

/* ---- Pacific days (reference §2.2, §15.4) ---------------------------------------------------- */

/* ---- facebook.page_insights ------------------------------------------------------------------ */

static const struct {
    const char *name;   /* Graph metric */
    const char *metric; /* canonical name */
} page_metrics[] = {
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
    char *path = page_path(ctx, "insights", why, whylen);
    if (!path)
        return -1;
    for (size_t i = 0; i < NPAGE_METRICS; i++)
        buf_printf(&metrics, "%s%s", i ? "," : "", page_metrics[i].name);
    /* until is exclusive: the chunk's last value has end_time at the start of the day after */
    time_format_date(c.from, since, sizeof since);
    time_format_date(c.to + 1, until, sizeof until);
    facebook_query(&q, "metric", metrics.data);
    facebook_query(&q, "period", "day");
    facebook_query(&q, "since", since);
    facebook_query(&q, "until", until);
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
    struct record r = {.type = REC_METRIC};
    r.u.metric.object = "";
    r.u.metric.metric = metric;
    r.u.metric.day = day;
    r.u.metric.basis = BASIS_PACIFIC;
    r.u.metric.value = n;
    adapter_pending_add(p, &r);
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
    if (facebook_parse_list(ctx, resp, rs, insights_item, NULL, NULL) < 0)
        return -1;
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
    facebook_query(&q, "fields",
                   "id,created_time,message,permalink_url,shares,"
                   "reactions.summary(total_count).limit(0),comments.summary("
                   "total_count).limit(0)");
    facebook_query(&q, "since", since);
    facebook_query(&q, "limit", "100");
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
        return facebook_malformed(rs, "post %s: %s is not a count", facebook_shown_id(id), metric);
    struct record r = {.type = REC_SNAPSHOT};
    r.u.snapshot.object = id;
    r.u.snapshot.metric = metric;
    r.u.snapshot.observed_at = ctx->now;
    r.u.snapshot.value = v;
    adapter_pending_add(p, &r);
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
                                  facebook_shown_id(id));
    if (json_str(post, "message", &msg) == JSON_BAD ||
        json_str(post, "permalink_url", &url) == JSON_BAD)
        return facebook_malformed(rs, "post %s: message or permalink_url is not a string",
                                  facebook_shown_id(id));
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
    int rc = facebook_parse_list(ctx, resp, rs, post_item, NULL, &after);
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
    facebook_query(&q, "grant_type", "fb_exchange_token");
    facebook_query(&q, "client_id", cred->client_id);
    facebook_query(&q, "client_secret", cred->client_secret);
    facebook_query(&q, "fb_exchange_token", access_token);
    req->method = "GET";
    http_request_set_url(
        req, xasprintf("%s%c%s", p->token_url, strchr(p->token_url, '?') ? '&' : '?', q.data));
    adapter_free_secret(buf_steal(&q, NULL));
    return 0;
}

static int refresh_parse(const struct http_response *resp, struct token_set *out,
                         enum err_class *cls, char *why, size_t whylen)
{
    struct rowset *rs = rowset_new();
    const char *tok, *msg;
    int64_t expires = 0;
    int rc = -1;
    memset(out, 0, sizeof *out);
    cJSON *root = read_body(resp, NULL, rs); /* Graph errors: 190 is auth, 5xx transient */
    if (!root) {
        *cls = rowset_error(rs, &msg, NULL);
        snprintf(why, whylen, "token exchange failed: %s", msg);
    } else if (json_str(root, "access_token", &tok) != JSON_OK || !*tok ||
               strlen(tok) >= sizeof out->access_token) {
        *cls = ERR_MALFORMED;
        snprintf(why, whylen, "token exchange answer without a usable access_token");
    } else if (json_count(root, "expires_in", &expires) == JSON_BAD) {
        *cls = ERR_MALFORMED;
        snprintf(why, whylen, "token exchange answer: expires_in is not a number of seconds");
    } else {
        memcpy(out->access_token, tok, strlen(tok) + 1);
        out->expires_in_s = expires; /* absent: a token that does not expire */
        *cls = ERR_NONE;
        rc = 0;
    }
    cJSON_Delete(root);
    rowset_free(rs);
    return rc;
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
