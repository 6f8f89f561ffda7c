/*
 * x.c - the X API v2 adapter: the account's public counters (x.user) and its posts with their
 * public metrics (x.tweets), OAuth 2.0 token refresh and the x-rate-limit-* headers.
 *
 * What X sends (reference §1, §10.1): ids are decimal strings of up to 19 digits; counts are JSON
 * integers but we accept numeric strings too; `data` is left out when a timeline page is empty
 * (`{"meta":{"result_count":0}}`); `errors[]` beside `data` on HTTP 200 are partial problems (a
 * deleted post, a field the token may not read) and only counted as warnings. Rate windows are per
 * endpoint and end at x-rate-limit-reset (epoch seconds); a 429 whose problem type is usage-capped
 * is the monthly cap, not the window. Refresh tokens rotate.
 *
 * Every record of a page is collected in a pending list first and handed to the rowset only once
 * the whole page has been read, so a rejected page leaves no records behind.
 *
 * Pure: no I/O, no clock, no globals; everything comes in adapter_ctx and http_response.
 */
#include "x_int.h"
#include "oauth.h"
#include "buf.h"
#include "json.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 280 /* bytes of post text kept as the content title */
/*
 * X's user timeline returns the 3,200 most recent posts and no older ones: past them it sends no
 * next_token, whatever start_time says (docs.x.com/x-api/posts/timelines/migrate/overview).
 */
#define TIMELINE_REACH 3200
#define ID_MAX         20 /* digits of a 64-bit snowflake */

extern const struct adapter adapter_x;

/* ---- pending records and error helpers ------------------------------------------------------- */

/* Milliseconds from now (epoch us) until x-rate-limit-reset, or -1 when there is no reset. */
static int64_t reset_wait_ms(const struct http_response *resp, int64_t now)
{
    int64_t reset;
    if (adapter_header_int(resp, "x-rate-limit-reset", &reset) < 0)
        return -1;
    int64_t ms = reset * 1000 - now / 1000;
    return ms > 0 ? ms : 0;
}

/* ---- error classification (reference §1.6, §11) ---------------------------------------------- */

/* The class a problem `type` URI names, or ERR_NONE for a generic or unknown one. */
static enum err_class problem_class(const char *type)
{
    static const struct {
        const char *name;
        enum err_class cls;
    } map[] = {
        {"usage-capped", ERR_QUOTA},
        {"resource-not-found", ERR_NOT_FOUND},
        {"resource-unavailable", ERR_NOT_FOUND}, /* suspended or deactivated account */
        {"not-authorized-for-resource", ERR_PERMISSION},
        {"not-authorized-for-field", ERR_PERMISSION},
        {"client-forbidden", ERR_PERMISSION},
        /* the wrong kind of token for the endpoint: a refresh would not help */
        {"unsupported-authentication", ERR_PERMISSION},
        {"invalid-request", ERR_BAD_REQUEST},
    };
    const char *slash = type ? strrchr(type, '/') : NULL;
    const char *name = slash ? slash + 1 : type ? type : "";
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(name, map[i].name) == 0)
            return map[i].cls;
    return ERR_NONE;
}

static enum err_class status_class(long status, const char *type)
{
    enum err_class t = problem_class(type);
    if (status == 429)
        return t == ERR_QUOTA ? ERR_QUOTA : ERR_THROTTLED;
    if (status >= 500)
        return ERR_TRANSIENT;
    if (status == 401)
        return ERR_AUTH;
    if (t != ERR_NONE)
        return t;
    switch (status) {
    case 402: /* credits exhausted (pay-per-use) */
        return ERR_QUOTA;
    case 403:
        return ERR_PERMISSION;
    case 404:
        return ERR_NOT_FOUND;
    }
    return status >= 400 ? ERR_BAD_REQUEST : ERR_MALFORMED;
}

/* The last path segment of a problem type URI, for messages ("client-forbidden"). */
static const char *problem_name(const char *type)
{
    const char *slash = strrchr(type, '/');
    return slash ? slash + 1 : type;
}

/* A non-2xx answer: classified by status and problem type; never any records. */
static int http_error(const struct adapter_ctx *ctx, const struct http_response *resp,
                      struct rowset *rs)
{
    char why[128], title[96];
    const char *type = "", *t = "";
    cJSON *root = resp->len ? json_parse(resp->body, resp->len, why, sizeof why) : NULL;
    if (json_str(root, "type", &type) != JSON_OK)
        type = "";
    if (json_str(root, "title", &t) != JSON_OK)
        t = "";
    adapter_safe_text(title, sizeof title, t, ctx->access_token);
    enum err_class cls = status_class(resp->status, type);
    int64_t retry = cls == ERR_THROTTLED ? reset_wait_ms(resp, ctx->now) : -1;
    char name[64];
    adapter_safe_text(name, sizeof name, problem_name(type), ctx->access_token);
    rowset_set_error(rs, cls, retry, "x: HTTP %ld%s%s%s%s", resp->status, *name ? " " : "", name,
                     *title ? ": " : "", title);
    cJSON_Delete(root);
    return -1;
}

/* A 200 answer with errors[] and no data (unknown user, protected account): a page error. */
static int errors_only(const struct adapter_ctx *ctx, const cJSON *errors, struct rowset *rs)
{
    const cJSON *first = cJSON_GetArrayItem(errors, 0);
    const char *type = "", *t = "";
    char title[96], name[64];
    if (json_str(first, "type", &type) != JSON_OK)
        type = "";
    if (json_str(first, "title", &t) != JSON_OK)
        t = "";
    enum err_class cls = problem_class(type);
    adapter_safe_text(title, sizeof title, t, ctx->access_token);
    adapter_safe_text(name, sizeof name, problem_name(type), ctx->access_token);
    rowset_set_error(rs, cls == ERR_NONE ? ERR_BAD_REQUEST : cls, -1, "x: %s%s%s",
                     *name ? name : "error without data", *title ? ": " : "", title);
    return -1;
}

/* ---- requests -------------------------------------------------------------------------------- */

/* Method, auth header and URL of a GET below {api_base}/2/; path and query already encoded. */
int x_begin_get(const struct adapter_ctx *ctx, struct http_request *req, const char *path,
                const char *query, char *why, size_t whylen)
{
    if (adapter_need_token(ctx, why, whylen) < 0)
        return -1;
    req->method = "GET";
    http_request_set_url(req, xasprintf("%s/2/%s?%s", ctx->platform->api_base, path, query));
    return http_request_header(req, "Authorization: Bearer %s", ctx->access_token);
}

/* The account's user id, percent-encoded (caller frees); NULL with why when missing. */
static char *account_id(const struct adapter_ctx *ctx, char *why, size_t whylen)
{
    if (!ctx->account || !ctx->account->id || !*ctx->account->id) {
        snprintf(why, whylen, "account has no id");
        return NULL;
    }
    return adapter_urlencode(ctx->account->id);
}

static int build_user(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                      size_t whylen)
{
    char *id = account_id(ctx, why, whylen);
    if (!id)
        return -1;
    char *path = xasprintf("users/%s", id);
    int rc = x_begin_get(ctx, req, path, "user.fields=public_metrics", why, whylen);
    free(path);
    free(id);
    return rc;
}

/* The pagination_token of an x.tweets cursor "READ:TOKEN" (or a bare TOKEN), and READ. */
static const char *x_timeline_token(const char *page, int64_t *read)
{
    size_t n = strspn(page, "0123456789");
    int64_t v = 0;
    if (n == 0 || n > 9 || page[n] != ':') { /* a bare token: one saved before the count */
        if (read)
            *read = 0;
        return page;
    }
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (page[i] - '0');
    if (read)
        *read = v;
    return page + n + 1;
}

static int build_tweets(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                        size_t whylen)
{
    char *id = account_id(ctx, why, whylen);
    if (!id)
        return -1;
    char date[16], start[32];
    time_format_date(ctx->from_day, date, sizeof date);
    snprintf(start, sizeof start, "%sT00:00:00Z", date);
    char *enc_start = adapter_urlencode(start);
    struct buf q = {0};
    buf_printf(&q, "tweet.fields=created_at%%2Cpublic_metrics&max_results=100&start_time=%s",
               enc_start);
    if (ctx->page) {
        char *tok = adapter_urlencode(x_timeline_token(ctx->page, NULL));
        buf_printf(&q, "&pagination_token=%s", tok);
        free(tok);
    }
    char *path = xasprintf("users/%s/tweets", id);
    int rc = x_begin_get(ctx, req, path, q.data, why, whylen);
    free(path);
    buf_free(&q);
    free(enc_start);
    free(id);
    return rc;
}

/* ---- parsing --------------------------------------------------------------------------------- */

struct count_map {
    const char *key;    /* X's public_metrics key */
    const char *metric; /* canonical name */
};

static const struct count_map user_counts[] = {
    {"followers_count", "followers"},
    {"following_count", "following"},
    {"tweet_count", "posts"},
};

static const struct count_map tweet_counts[] = {
    {"like_count", "likes"},   {"reply_count", "comments"},     {"retweet_count", "shares"},
    {"quote_count", "quotes"}, {"bookmark_count", "bookmarks"}, {"impression_count", "impressions"},
};

/* Snapshots of the counts present in public_metrics (a count X left out is not recorded). */
static int add_counts(const struct adapter_ctx *ctx, const cJSON *obj, const char *object,
                      const struct count_map *map, size_t n, struct rowset *rs,
                      struct adapter_pending *p)
{
    const cJSON *pm = json_get(obj, "public_metrics");
    if (!pm || cJSON_IsNull(pm))
        return 0;
    if (!cJSON_IsObject(pm))
        return x_malformed(rs, "public_metrics is not an object");
    for (size_t i = 0; i < n; i++) {
        int64_t v;
        enum json_get g = json_count(pm, map[i].key, &v);
        if (g == JSON_ABSENT)
            continue;
        if (g == JSON_BAD)
            return x_malformed(rs, "public_metrics.%s is not a count", map[i].key);
        adapter_snapshot(ctx->now, object, map[i].metric, v, p);
    }
    return 0;
}

/* errors[] beside data: each one is a warning. -1 when errors is not an array. */
static int count_warnings(const cJSON *root, struct rowset *rs, int *n)
{
    const cJSON *errors = json_get(root, "errors");
    *n = 0;
    if (!errors || cJSON_IsNull(errors))
        return 0;
    if (!cJSON_IsArray(errors))
        return x_malformed(rs, "errors is not an array");
    *n = cJSON_GetArraySize(errors);
    return 0;
}

/* Reads the body as a JSON object, or marks the page malformed. */
static cJSON *read_body(const struct http_response *resp, struct rowset *rs)
{
    char why[128];
    cJSON *root = json_parse(resp->body ? resp->body : "", resp->len, why, sizeof why);
    if (!root) {
        x_malformed(rs, "%s", resp->len ? why : "empty body");
        return NULL;
    }
    if (!cJSON_IsObject(root)) {
        cJSON_Delete(root);
        x_malformed(rs, "body is not a JSON object");
        return NULL;
    }
    return root;
}

/* Status, body and warnings around a stream's page parser; commits only a good page. */
int x_parse_page(const struct adapter_ctx *ctx, const struct http_response *resp, struct rowset *rs,
                 x_page_fn *fn)
{
    if (resp->status < 200 || resp->status > 299)
        return http_error(ctx, resp, rs);
    cJSON *root = read_body(resp, rs);
    if (!root)
        return -1;
    struct adapter_pending p = {0};
    const char *next = NULL;
    int warnings = 0;
    int rc = count_warnings(root, rs, &warnings);
    if (rc == 0)
        rc = fn(ctx, root, rs, &p, &next);
    if (rc == 0 && adapter_next_repeats(ctx, next, "x", rs))
        rc = -1;
    if (rc == 0) {
        adapter_pending_commit(&p, rs);
        rowset_set_next(rs, next);
        for (int i = 0; i < warnings; i++)
            rowset_add_warning(rs);
    }
    adapter_pending_drop(&p);
    cJSON_Delete(root);
    return rc;
}

static int user_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                     struct adapter_pending *p, const char **next)
{
    const cJSON *data = json_get(root, "data");
    const cJSON *errors = json_get(root, "errors");
    (void)next;
    if (!data || cJSON_IsNull(data)) {
        if (cJSON_GetArraySize(errors) > 0)
            return errors_only(ctx, errors, rs);
        return x_malformed(rs, "user answer without data");
    }
    if (!cJSON_IsObject(data))
        return x_malformed(rs, "data is not an object");
    return add_counts(ctx, data, "", user_counts, sizeof user_counts / sizeof user_counts[0], rs,
                      p);
}

static int parse_user(const struct adapter_ctx *ctx, const struct http_response *resp,
                      struct rowset *rs)
{
    return x_parse_page(ctx, resp, rs, user_page);
}

/* A snowflake id: a string of 1 to 20 digits (a JSON number would have lost precision). */
int x_tweet_id(const cJSON *tweet, struct rowset *rs, const char **out)
{
    char buf[32];
    const char *id;
    enum json_get g = json_id(tweet, "id", buf, sizeof buf, &id);
    if (g == JSON_ABSENT)
        return x_malformed(rs, "post without id");
    if (g == JSON_BAD)
        return x_malformed(rs, "post id is not a string id (a JSON number above 2^53?)");
    size_t n = strspn(id, "0123456789");
    if (n == 0 || n > ID_MAX || id[n])
        return x_malformed(rs, "post id is not a decimal snowflake");
    *out = rowset_strdup(rs, id);
    return 0;
}

static int tweet_record(const struct adapter_ctx *ctx, const cJSON *tweet, struct rowset *rs,
                        struct adapter_pending *p)
{
    const char *id = NULL, *text = NULL, *created = NULL;
    int64_t published = 0;
    if (!cJSON_IsObject(tweet))
        return x_malformed(rs, "data[] item is not an object");
    if (x_tweet_id(tweet, rs, &id) < 0)
        return -1;
    if (json_str(tweet, "text", &text) == JSON_BAD)
        return x_malformed(rs, "post %s: text is not a string", id);
    enum json_get g = json_str(tweet, "created_at", &created);
    if (g == JSON_BAD || (g == JSON_OK && json_parse_time(created, &published) < 0))
        return x_malformed(rs, "post %s: created_at is not a timestamp", id);
    struct record r = {.type = REC_CONTENT};
    r.u.content.id = id;
    r.u.content.kind = "tweet";
    r.u.content.published_at = published;
    char *url = xasprintf("https://x.com/i/web/status/%s", id);
    r.u.content.url = rowset_strdup(rs, url);
    free(url);
    r.u.content.title = text ? adapter_title(rs, text, TITLE_MAX) : NULL;
    adapter_pending_add(p, &r);
    return add_counts(ctx, tweet, id, tweet_counts, sizeof tweet_counts / sizeof tweet_counts[0],
                      rs, p);
}

/*
 * The cursor after a timeline page: "READ:TOKEN", READ the posts of the run so far. On the last
 * page, a run that read TIMELINE_REACH posts or more may have been stopped by X's reach rather
 * than by the window's start: that is counted as a warning, once, so the loss is not silent.
 */
static int timeline_next(const struct adapter_ctx *ctx, const cJSON *data, struct rowset *rs,
                         const char **next)
{
    int64_t read = 0;
    const char *asked = ctx->page ? x_timeline_token(ctx->page, &read) : NULL;
    read += cJSON_IsArray(data) ? cJSON_GetArraySize(data) : 0;
    if (!*next) {
        if (read >= TIMELINE_REACH)
            rowset_add_warning(rs);
        return 0;
    }
    if (adapter_cursor_repeats(asked, *next, "x", rs))
        return -1;
    char *c = xasprintf("%" PRId64 ":%s", read, *next);
    *next = rowset_strdup(rs, c);
    free(c);
    return 0;
}

static int tweets_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                       struct adapter_pending *p, const char **next)
{
    const cJSON *data = json_get(root, "data");
    const cJSON *meta = json_get(root, "meta");
    const cJSON *errors = json_get(root, "errors");
    if (meta && !cJSON_IsObject(meta))
        return x_malformed(rs, "meta is not an object");
    if (json_str(meta, "next_token", next) == JSON_BAD)
        return x_malformed(rs, "meta.next_token is not a string");
    if (!data || cJSON_IsNull(data)) {
        /* result_count 0 leaves data out; errors alone (unknown user) fail the page */
        if (!meta && cJSON_GetArraySize(errors) > 0)
            return errors_only(ctx, errors, rs);
        return timeline_next(ctx, NULL, rs, next);
    }
    if (!cJSON_IsArray(data))
        return x_malformed(rs, "data is not an array");
    const cJSON *tweet;
    cJSON_ArrayForEach(tweet, data)
    {
        if (tweet_record(ctx, tweet, rs, p) < 0)
            return -1;
    }
    return timeline_next(ctx, data, rs, next);
}

static int parse_tweets(const struct adapter_ctx *ctx, const struct http_response *resp,
                        struct rowset *rs)
{
    return x_parse_page(ctx, resp, rs, tweets_page);
}

/* ---- rate limits ----------------------------------------------------------------------------- */

static void ratelimit(const struct http_response *resp, int64_t now, struct rl_signal *sig)
{
    int64_t limit, remaining;
    sig->wait_ms = -1;
    sig->usage_pct = -1;
    sig->per_stream = true; /* X windows are per endpoint */
    bool have_limit = adapter_header_int(resp, "x-rate-limit-limit", &limit) == 0;
    bool have_rem = adapter_header_int(resp, "x-rate-limit-remaining", &remaining) == 0;
    if (have_limit && have_rem && limit > 0 && remaining <= limit)
        sig->usage_pct = (int)((limit - remaining) * 100 / limit);
    if ((have_rem && remaining == 0) || resp->status == 429)
        sig->wait_ms = reset_wait_ms(resp, now);
}

/* ---- tokens (reference §1.4, §12) ------------------------------------------------------------ */

/* A public client sends its client_id; a confidential one adds HTTP Basic. Refresh tokens
 * rotate: a new one must be saved. */
static const struct oauth_client oauth = {
    .name = "x",
    .auth = OAUTH_AUTH_CLIENT_ID,
    .said = {"error"},
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
    {.name = "x.user",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(1),
     .build = build_user,
     .parse = parse_user},
    {.name = "x.tweets",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(6),
     .lookback_ms = DAYS(30),
     .windowed = true,
     .build = build_tweets,
     .parse = parse_tweets},
    {.name = "x.mentions",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(1),
     .lookback_ms = HOURS(1), /* no restatements: an overlap will do */
     .incremental = true,
     .max_days_back = 7, /* recent search: posts of the last 7 days */
     .build = x_build_mentions,
     .parse = x_parse_mentions,
     .applies = x_mentions_applies},
};

const struct adapter adapter_x = {
    .platform = PLATFORM_X,
    .streams = streams,
    .nstreams = sizeof streams / sizeof streams[0],
    .ratelimit = ratelimit,
    .refresh_build = refresh_build,
    .refresh_parse = refresh_parse,
};
