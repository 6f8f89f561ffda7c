/*
 * x_mentions.c - brand and competitor mentions on X (x.mentions): recent search for each of the
 * account's `queries` (the brand's) and then each query of its `competitors`
 * (config_search_query), every post a mention with its author, time, the query that found it
 * and the tone of its text (sentiment.h). Which side a query is on is the database's
 * socialroi.listening_query, written when the config loads; a mention carries only its query.
 *
 * What X sends (reference §1.2, §1.3): GET /2/tweets/search/recent covers the last 7 days only
 * (a start_time before that is refused), pages with meta.next_token that goes back as the
 * `next_token` parameter (not `pagination_token` as on timelines), leaves `data` out when there
 * is no result, and returns only id and text unless tweet.fields asks for more.
 *
 * A run walks the queries one after the other, each to its last page; the page cursor is
 * "Q:TOKEN", Q the query's index in the account's list and TOKEN X's next_token ("" on a
 * query's first page; no cursor at all for the first query's first page). Every query starts at
 * the job's watermark less its lookback (or 7 days back on a first run), so reposted counts are
 * refreshed and nothing slips between runs; a mention found by two queries is kept once, under
 * the query of the later page.
 *
 * The authors come along (expansions=author_id, user.fields=public_metrics: X's includes.users,
 * one entry per author of the page) so each mention carries its author's follower count as X
 * gave it when read, for reach.
 *
 * A page asks for 100 posts, or for what the account's X listening budget has left today
 * (adapter_ctx.max_results, 10 to 99: the engine does not ask for a page below X's minimum).
 *
 * Pure: no I/O, no clock, no globals; everything comes in adapter_ctx and http_response.
 */
#include "x_int.h"
#include "buf.h"
#include "sentiment.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SEARCH_WINDOW_US (7LL * 86400 * 1000000)
#define SEARCH_MARGIN_US (120LL * 1000000) /* start inside the window however late we send */
#define TEXT_MAX         4000              /* bytes of post text kept (long posts run to 4000) */

bool x_mentions_applies(const struct cfg_account *a)
{
    return config_search_count(a) > 0;
}

/* The query index and X token of a page cursor; -1 when it is not one of this account's. */
static int mention_cursor(const struct adapter_ctx *ctx, size_t *q, const char **token)
{
    char *end;
    *q = 0;
    *token = "";
    if (!ctx->page)
        return 0;
    if (ctx->page[0] < '0' || ctx->page[0] > '9')
        return -1;
    unsigned long long v = strtoull(ctx->page, &end, 10);
    if (*end != ':' || v >= config_search_count(ctx->account))
        return -1;
    *q = (size_t)v;
    *token = end + 1;
    return 0;
}

/* RFC 3339 UTC seconds of an epoch-microsecond time. */
static void rfc3339(int64_t us, char *out, size_t n)
{
    time_t t = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int x_build_mentions(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                     size_t whylen)
{
    size_t qi;
    const char *token;
    char start[32];
    if (!ctx->account || !x_mentions_applies(ctx->account)) {
        snprintf(why, whylen, "account has no search queries");
        return -1;
    }
    if (mention_cursor(ctx, &qi, &token) < 0) {
        snprintf(why, whylen, "page cursor is not a mentions page of this account");
        return -1;
    }
    /* X refuses a start_time more than 7 days back: never ask for more than it keeps */
    int64_t from = ctx->now - SEARCH_WINDOW_US + SEARCH_MARGIN_US;
    rfc3339(ctx->since > from ? ctx->since : from, start, sizeof start);
    char *query = adapter_urlencode(config_search_query(ctx->account, qi, NULL, NULL)),
         *enc = adapter_urlencode(start);
    /* a page of 10 to 100 posts (X refuses others); fewer when the listening budget has less */
    int max = ctx->max_results >= 10 && ctx->max_results < 100 ? ctx->max_results : 100;
    struct buf q = {0};
    buf_printf(&q,
               "query=%s&max_results=%d&tweet.fields=author_id%%2Ccreated_at"
               "&expansions=author_id&user.fields=public_metrics&start_time=%s",
               query, max, enc);
    if (*token) {
        char *t = adapter_urlencode(token);
        buf_printf(&q, "&next_token=%s", t);
        free(t);
    }
    int rc = x_begin_get(ctx, req, "tweets/search/recent", q.data, why, whylen);
    buf_free(&q);
    free(query);
    free(enc);
    return rc;
}

/*
 * The author's followers from includes.users (expansions=author_id with
 * user.fields=public_metrics) into *out, -1 when the page does not give them (an author X
 * leaves out of includes); -1 returned when a count is not a count.
 */
static int author_followers(const cJSON *root, const char *author, struct rowset *rs, int64_t *out)
{
    const cJSON *users = json_get(json_get(root, "includes"), "users"), *u;
    char buf[32];
    *out = -1;
    if (!author || !users)
        return 0;
    if (!cJSON_IsArray(users))
        return x_malformed(rs, "includes.users is not an array");
    cJSON_ArrayForEach(u, users)
    {
        const char *id;
        if (json_id(u, "id", buf, sizeof buf, &id) != JSON_OK || strcmp(id, author) != 0)
            continue;
        const cJSON *pm = json_get(u, "public_metrics");
        if (!pm)
            return 0;
        if (json_count(pm, "followers_count", out) == JSON_BAD)
            return x_malformed(rs, "user %s: public_metrics.followers_count is not a count",
                               author);
        return 0;
    }
    return 0;
}

static int mention_record(const struct adapter_ctx *ctx, const cJSON *root, const cJSON *post,
                          const char *query, struct rowset *rs, struct adapter_pending *p)
{
    const char *id, *text = NULL, *author = NULL, *created = NULL;
    char abuf[32];
    int64_t at = 0;
    if (!cJSON_IsObject(post))
        return x_malformed(rs, "data[] item is not an object");
    if (x_tweet_id(post, rs, &id) < 0)
        return -1;
    if (json_str(post, "text", &text) != JSON_OK)
        return x_malformed(rs, "post %s: text is missing or not a string", id);
    if (json_id(post, "author_id", abuf, sizeof abuf, &author) == JSON_BAD)
        return x_malformed(rs, "post %s: author_id is not an id", id);
    if (json_str(post, "created_at", &created) != JSON_OK || json_parse_time(created, &at) < 0)
        return x_malformed(rs, "post %s: created_at is missing or not a timestamp", id);
    struct record r = {.type = REC_MENTION};
    r.u.mention.id = id;
    r.u.mention.query = query;
    r.u.mention.author = author ? rowset_strdup(rs, author) : NULL;
    r.u.mention.text = adapter_title(rs, text, TEXT_MAX);
    r.u.mention.posted_at = at;
    r.u.mention.has_sentiment = true;
    r.u.mention.sentiment_milli = sentiment_milli(text);
    if (author_followers(root, author, rs, &r.u.mention.followers) < 0)
        return -1;
    (void)ctx;
    adapter_pending_add(p, &r);
    return 0;
}

/* The cursor after this page: the query's next page, the next query, or the end. */
static const char *next_cursor(const struct adapter_ctx *ctx, size_t qi, const char *token,
                               struct rowset *rs)
{
    char *c;
    if (token && *token)
        c = xasprintf("%zu:%s", qi, token);
    else if (qi + 1 < config_search_count(ctx->account))
        c = xasprintf("%zu:", qi + 1);
    else
        return NULL;
    const char *out = rowset_strdup(rs, c);
    free(c);
    return out;
}

static int mentions_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                         struct adapter_pending *p, const char **next)
{
    const cJSON *data = json_get(root, "data"), *meta = json_get(root, "meta"), *post;
    const char *token = NULL, *unused;
    size_t qi;
    if (mention_cursor(ctx, &qi, &unused) < 0)
        return x_malformed(rs, "page cursor is not a mentions page of this account");
    if (!cJSON_IsObject(meta))
        return x_malformed(rs, "search answer without meta");
    if (json_str(meta, "next_token", &token) == JSON_BAD)
        return x_malformed(rs, "meta.next_token is not a string");
    if (data && !cJSON_IsNull(data) && !cJSON_IsArray(data))
        return x_malformed(rs, "data is not an array");
    const char *query = rowset_strdup(rs, config_search_query(ctx->account, qi, NULL, NULL));
    cJSON_ArrayForEach(post, data)
    {
        if (mention_record(ctx, root, post, query, rs, p) < 0)
            return -1;
    }
    *next = next_cursor(ctx, qi, token, rs);
    return 0;
}

int x_parse_mentions(const struct adapter_ctx *ctx, const struct http_response *resp,
                     struct rowset *rs)
{
    if (!ctx->account || !x_mentions_applies(ctx->account))
        return x_malformed(rs, "account has no search queries");
    return x_parse_page(ctx, resp, rs, mentions_page);
}
