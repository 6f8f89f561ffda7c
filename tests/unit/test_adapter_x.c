/*
 * test_adapter_x.c - the X adapter: requests (URL, query, bearer header), every fixture in
 * tests/fixtures/x/ parsed into exact records, error classes with retry times, rate-limit
 * headers, token refresh, and that a rejected page leaves no records behind.
 */
#include "unit.h"
#include "adapter.h"
#include "adapter_fixture.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN "tok-SECRET-x-0123456789"
#define NOW   (INT64_C(1730728800) * 1000000 + 250000) /* 2024-11-04T14:00:00.25Z */

static char acct_id[] = "2244994945";
static char api_base[] = "https://api.x.com";
static char token_url[] = "https://api.x.com/2/oauth2/token";

static char *queries[] = {(char *)"\"acme analytics\" -is:retweet", (char *)"globex OR initech"};
static struct cfg_account account = {.id = acct_id, .queries = {.items = queries, .n = 2}};
static struct cfg_platform platform = {.api_base = api_base, .token_url = token_url};

static struct adapter_ctx make_ctx(const char *stream)
{
    struct adapter_ctx c = {
        .account = &account,
        .platform = &platform,
        .stream = stream,
        .access_token = TOKEN,
        .email_salt = "",
        .from_day = time_days_from_civil(2024, 10, 1),
        .to_day = time_days_from_civil(2024, 11, 3),
        .now = NOW,
    };
    return c;
}

static int64_t ts(int y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return ((int64_t)time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000000;
}

/* ---- a response with headers ---------------------------------------------------------------- */

static struct rowset *parse_ok(const char *name, const char *file)
{
    struct adapter_ctx ctx = make_ctx(name);
    return fixture_parse_ok(&ctx, file);
}

/* A page that must be refused: class cls, retry_after as given, and never a record. */
static void expect_error(const char *name, long status, const char *file,
                         const struct fixture_hdr *headers, enum err_class cls, int64_t retry)
{
    struct adapter_ctx ctx = make_ctx(name);
    fixture_expect_error(&ctx, status, file, headers, cls, retry);
}

static void is_snapshot(const struct rowset *rs, size_t i, const char *object, const char *metric,
                        int64_t value)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, REC_SNAPSHOT);
    assert_string_equal(r->u.snapshot.object, object);
    assert_string_equal(r->u.snapshot.metric, metric);
    assert_int_equal(r->u.snapshot.observed_at, NOW);
    assert_int_equal(r->u.snapshot.value, value);
}

static void is_tweet(const struct rowset *rs, size_t i, const char *id, int64_t published,
                     const char *title)
{
    const struct record *r = rowset_get(rs, i);
    char url[128];
    assert_non_null(r);
    assert_int_equal(r->type, REC_CONTENT);
    assert_string_equal(r->u.content.id, id);
    assert_string_equal(r->u.content.kind, "tweet");
    assert_int_equal(r->u.content.published_at, published);
    snprintf(url, sizeof url, "https://x.com/i/web/status/%s", id);
    assert_string_equal(r->u.content.url, url);
    assert_string_equal(r->u.content.title, title);
    assert_null(r->u.content.utm_campaign);
}

/* The six public_metrics snapshots of a post, in the adapter's order. */
static void is_counts(const struct rowset *rs, size_t i, const char *id, int64_t likes,
                      int64_t comments, int64_t shares, int64_t quotes, int64_t bookmarks,
                      int64_t impressions)
{
    is_snapshot(rs, i, id, "likes", likes);
    is_snapshot(rs, i + 1, id, "comments", comments);
    is_snapshot(rs, i + 2, id, "shares", shares);
    is_snapshot(rs, i + 3, id, "quotes", quotes);
    is_snapshot(rs, i + 4, id, "bookmarks", bookmarks);
    is_snapshot(rs, i + 5, id, "impressions", impressions);
}

/* ---- registry and requests ------------------------------------------------------------------ */

static void test_streams(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_X);
    assert_non_null(a);
    assert_int_equal(a->nstreams, 3);
    assert_string_equal(a->streams[0].name, "x.user");
    assert_false(a->streams[0].windowed);
    assert_string_equal(a->streams[1].name, "x.tweets");
    assert_true(a->streams[1].windowed);
    assert_int_equal(a->streams[1].basis, BASIS_UTC);
    assert_false(a->streams[1].incremental);
    assert_string_equal(a->streams[2].name, "x.mentions");
    assert_true(a->streams[2].incremental);
    /* an account without search queries gets no x.mentions job */
    struct cfg_account none = {0};
    assert_false(a->streams[2].applies(&none));
    assert_true(a->streams[2].applies(&account));
    assert_null(a->streams[0].applies);
    assert_non_null(a->ratelimit);
    assert_non_null(a->refresh_build);
    assert_non_null(a->refresh_parse);
}

/* The token travels only in the Authorization header, never in the URL. */
static void check_auth(const struct http_request *req)
{
    assert_string_equal(req->method, "GET");
    assert_string_equal(req->headers[0], "Authorization: Bearer " TOKEN);
    assert_null(req->headers[1]);
    assert_null(req->body);
    assert_null(strstr(req->url, TOKEN));
    assert_null(strchr(req->log_url, '?'));
}

static void test_build_user(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("x.user");
    struct http_request req = {0};
    char why[128];
    assert_int_equal(fixture_stream("x.user")->build(&ctx, &req, why, sizeof why), 0);
    assert_string_equal(req.url, "https://api.x.com/2/users/2244994945?user.fields=public_metrics");
    assert_string_equal(req.log_url, "https://api.x.com/2/users/2244994945");
    check_auth(&req);
    http_request_free(&req);
}

static void test_build_tweets(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("x.tweets");
    struct http_request req = {0};
    char why[128];
    assert_int_equal(fixture_stream("x.tweets")->build(&ctx, &req, why, sizeof why), 0);
    assert_string_equal(req.url, "https://api.x.com/2/users/2244994945/tweets"
                                 "?tweet.fields=created_at%2Cpublic_metrics&max_results=100"
                                 "&start_time=2024-10-01T00%3A00%3A00Z");
    assert_string_equal(req.log_url, "https://api.x.com/2/users/2244994945/tweets");
    check_auth(&req);
    http_request_free(&req);

    /* a later page: the cursor our parse() stored goes back as pagination_token, encoded */
    ctx.page = "7140dibdnow9c7btw3z2vwioy4ug5tw1wbbu3z4q4ge0y";
    assert_int_equal(fixture_stream("x.tweets")->build(&ctx, &req, why, sizeof why), 0);
    assert_string_equal(req.url, "https://api.x.com/2/users/2244994945/tweets"
                                 "?tweet.fields=created_at%2Cpublic_metrics&max_results=100"
                                 "&start_time=2024-10-01T00%3A00%3A00Z"
                                 "&pagination_token=7140dibdnow9c7btw3z2vwioy4ug5tw1wbbu3z4q4ge0y");
    check_auth(&req);
    http_request_free(&req);
    /* the posts read so far go before the token in the cursor, not to X */
    ctx.page = "100:7140dibdnow9c7btw3z2vwioy4ug5tw1wbbu3z4q4ge0y";
    assert_int_equal(fixture_stream("x.tweets")->build(&ctx, &req, why, sizeof why), 0);
    assert_non_null(
        strstr(req.url, "&pagination_token=7140dibdnow9c7btw3z2vwioy4ug5tw1wbbu3z4q4ge0y"));
    assert_null(strstr(req.url, "100%3A"));
    http_request_free(&req);
    ctx.page = "a+b/c=";
    assert_int_equal(fixture_stream("x.tweets")->build(&ctx, &req, why, sizeof why), 0);
    assert_non_null(strstr(req.url, "&pagination_token=a%2Bb%2Fc%3D"));
    http_request_free(&req);
}

static void test_build_refused(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("x.user");
    struct cfg_account no_id = {0};
    struct http_request req = {0};
    char why[128] = "";
    ctx.access_token = "";
    assert_int_equal(fixture_stream("x.user")->build(&ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, "no access token");
    http_request_free(&req);
    ctx = make_ctx("x.tweets");
    ctx.account = &no_id;
    assert_int_equal(fixture_stream("x.tweets")->build(&ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, "account has no id");
    http_request_free(&req);
}

/* Recent search: the query of the cursor, start_time at the watermark but never more than 7
 * days back, next_token (not pagination_token) for later pages. */
static void test_build_mentions(void **state)
{
    (void)state;
    const struct stream_def *s = fixture_stream("x.mentions");
    struct adapter_ctx ctx = make_ctx("x.mentions");
    struct http_request req = {0};
    char why[128] = "";
    /* first run: no watermark, 7 days back less a margin (2024-10-28T14:02:00Z) */
    assert_int_equal(s->build(&ctx, &req, why, sizeof why), 0);
    assert_string_equal(req.url, "https://api.x.com/2/tweets/search/recent"
                                 "?query=%22acme%20analytics%22%20-is%3Aretweet&max_results=100"
                                 "&tweet.fields=author_id%2Ccreated_at"
                                 "&expansions=author_id&user.fields=public_metrics"
                                 "&start_time=2024-10-28T14%3A02%3A00Z");
    assert_string_equal(req.log_url, "https://api.x.com/2/tweets/search/recent");
    check_auth(&req);
    http_request_free(&req);
    /* a watermark inside the window is used; the second query's later page */
    ctx.since = ts(2024, 11, 3, 9, 30, 0);
    ctx.page = "1:b26v89c19zqg8o3fpzbmhdghyqbt7kdukzzrvn3xdymrh";
    assert_int_equal(s->build(&ctx, &req, why, sizeof why), 0);
    assert_string_equal(req.url, "https://api.x.com/2/tweets/search/recent"
                                 "?query=globex%20OR%20initech&max_results=100"
                                 "&tweet.fields=author_id%2Ccreated_at"
                                 "&expansions=author_id&user.fields=public_metrics"
                                 "&start_time=2024-11-03T09%3A30%3A00Z"
                                 "&next_token=b26v89c19zqg8o3fpzbmhdghyqbt7kdukzzrvn3xdymrh");
    http_request_free(&req);
    /* a watermark older than the window is clamped into it */
    ctx.since = ts(2024, 9, 1, 0, 0, 0);
    ctx.page = "1:";
    assert_int_equal(s->build(&ctx, &req, why, sizeof why), 0);
    assert_non_null(strstr(req.url, "&start_time=2024-10-28T14%3A02%3A00Z"));
    assert_null(strstr(req.url, "next_token"));
    http_request_free(&req);
    /* the listening budget left lowers the page: 10..99 as asked, anything else the full 100 */
    static const struct {
        int left;
        const char *want;
    } pages[] = {{55, "&max_results=55&"},   {10, "&max_results=10&"},   {99, "&max_results=99&"},
                 {100, "&max_results=100&"}, {250, "&max_results=100&"}, {0, "&max_results=100&"},
                 {9, "&max_results=100&"}};
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        ctx.max_results = pages[i].left;
        assert_int_equal(s->build(&ctx, &req, why, sizeof why), 0);
        assert_non_null(strstr(req.url, pages[i].want));
        http_request_free(&req);
    }
    ctx.max_results = 0;
    static const char *const bad[] = {"2:", "x:", ":abc", "1", "-1:", "18446744073709551617:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ctx.page = bad[i];
        assert_int_equal(s->build(&ctx, &req, why, sizeof why), -1);
        assert_string_equal(why, "page cursor is not a mentions page of this account");
        http_request_free(&req);
    }
    struct cfg_account none = {.id = acct_id};
    ctx.account = &none;
    ctx.page = NULL;
    assert_int_equal(s->build(&ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, "account has no search queries");
    http_request_free(&req);
}

static void is_mention(const struct rowset *rs, size_t i, const char *id, const char *author,
                       int64_t at, const char *query)
{
    const struct record *r = rowset_get(rs, i);
    assert_int_equal(r->type, REC_MENTION);
    assert_string_equal(r->u.mention.id, id);
    if (author)
        assert_string_equal(r->u.mention.author, author);
    else
        assert_null(r->u.mention.author);
    assert_int_equal(r->u.mention.posted_at, at);
    assert_string_equal(r->u.mention.query, query);
    assert_true(r->u.mention.has_sentiment);
}

/* A query's pages, then the next query, then the end; the tone of each text. */
static void test_mentions(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("x.mentions", "search_page1.json");
    assert_int_equal(rowset_count(rs), 3);
    is_mention(rs, 0, "1853467702111883264", "2244994945", ts(2024, 11, 4, 15, 2, 11), queries[0]);
    is_mention(rs, 1, "1853388512066183169", "1517239810", ts(2024, 11, 4, 9, 47, 30), queries[0]);
    is_mention(rs, 2, "1853214271045324800", "9876543210123456789", ts(2024, 11, 3, 22, 15, 0),
               queries[0]);
    assert_true(rowset_get(rs, 0)->u.mention.sentiment_milli > 250);  /* love it, fast */
    assert_true(rowset_get(rs, 1)->u.mention.sentiment_milli < -250); /* broken, not great */
    assert_int_equal(rowset_get(rs, 2)->u.mention.sentiment_milli, 0);
    /* the authors' followers from includes.users; the third author is not in it */
    assert_int_equal(rowset_get(rs, 0)->u.mention.followers, 570412);
    assert_int_equal(rowset_get(rs, 1)->u.mention.followers, 1283);
    assert_int_equal(rowset_get(rs, 2)->u.mention.followers, -1);
    /* the text as sent, the surrogate pair joined into one code point */
    assert_non_null(strstr(rowset_get(rs, 0)->u.mention.text, "love it \xF0\x9F\x98\x8D fast"));
    assert_string_equal(rowset_next(rs), "0:b26v89c19zqg8o3fpzbmhdghyqbt7kdukzzrvn3xdymrh");
    rowset_free(rs);

    /* the first query's last page leads to the second query */
    struct adapter_ctx ctx = make_ctx("x.mentions");
    int rc;
    ctx.page = "0:b26v89c19zqg8o3fpzbmhdghyqbt7kdukzzrvn3xdymrh";
    rs = fixture_parse(&ctx, 200, "search_last.json", NULL, &rc);
    assert_int_equal(rc, 0);
    is_mention(rs, 0, "1852282540224749568", "783214", ts(2024, 11, 1, 8, 0, 59), queries[0]);
    assert_true(rowset_get(rs, 0)->u.mention.sentiment_milli > 250); /* never disappointed */
    assert_string_equal(rowset_next(rs), "1:");
    rowset_free(rs);
    /* the last query's last (here empty) page ends the run */
    ctx.page = "1:";
    rs = fixture_parse(&ctx, 200, "search_empty.json", NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* Competitors' queries are searched after the brand's, each under its query's text alone. */
static void test_mentions_competitors(void **state)
{
    (void)state;
    static char *brand[] = {(char *)"acme"};
    static char *rivals[] = {(char *)"globex=globex lang:en",
                             (char *)"initech=url:\"a.example/?b=c\""};
    struct cfg_account a = {.id = acct_id,
                            .queries = {.items = brand, .n = 1},
                            .competitors = {.items = rivals, .n = 2}};
    const struct stream_def *s = fixture_stream("x.mentions");
    struct adapter_ctx ctx = make_ctx("x.mentions");
    struct http_request req = {0};
    char why[128] = "";
    ctx.account = &a;
    assert_true(s->applies(&a));
    ctx.page = "2:";
    assert_int_equal(s->build(&ctx, &req, why, sizeof why), 0);
    assert_non_null(strstr(req.url, "?query=url%3A%22a.example%2F%3Fb%3Dc%22&max_results=100"));
    http_request_free(&req);
    ctx.page = "3:";
    assert_int_equal(s->build(&ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, "page cursor is not a mentions page of this account");
    http_request_free(&req);
    /* the brand's last page leads to the first competitor's query, which stores its mentions */
    int rc;
    ctx.page = "0:b26v89c19zqg8o3fpzbmhdghyqbt7kdukzzrvn3xdymrh";
    struct rowset *rs = fixture_parse(&ctx, 200, "search_last.json", NULL, &rc);
    assert_int_equal(rc, 0);
    is_mention(rs, 0, "1852282540224749568", "783214", ts(2024, 11, 1, 8, 0, 59), "acme");
    assert_string_equal(rowset_next(rs), "1:");
    rowset_free(rs);
    ctx.page = "1:";
    rs = fixture_parse(&ctx, 200, "search_last.json", NULL, &rc);
    assert_int_equal(rc, 0);
    is_mention(rs, 0, "1852282540224749568", "783214", ts(2024, 11, 1, 8, 0, 59), "globex lang:en");
    assert_string_equal(rowset_next(rs), "2:");
    rowset_free(rs);
    /* competitors alone still make a search */
    struct cfg_account only = {.id = acct_id, .competitors = {.items = rivals, .n = 2}};
    assert_true(s->applies(&only));
}

static void test_mentions_refused(void **state)
{
    (void)state;
    expect_error("x.mentions", 400, "search_start_time_too_old.json", NULL, ERR_BAD_REQUEST, -1);
    expect_error("x.mentions", 200, "search_no_text.json", NULL, ERR_MALFORMED, -1);
    expect_error("x.mentions", 200, "search_bad_followers.json", NULL, ERR_MALFORMED, -1);
    expect_error("x.mentions", 200, "tweets_data_object.json", NULL, ERR_MALFORMED, -1);
    expect_error("x.mentions", 200, "tweets_id_number.json", NULL, ERR_MALFORMED, -1);
    expect_error("x.mentions", 200, "tweets_truncated.json", NULL, ERR_MALFORMED, -1);
    expect_error("x.mentions", 401, "error_401.json", NULL, ERR_AUTH, -1);
}

/* ---- parsing -------------------------------------------------------------------------------- */

static void test_user(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("x.user", "user.json");
    assert_int_equal(rowset_count(rs), 3);
    is_snapshot(rs, 0, "", "followers", 583423);
    is_snapshot(rs, 1, "", "following", 2048);
    is_snapshot(rs, 2, "", "posts", 14052);
    assert_null(rowset_next(rs));
    assert_int_equal(rowset_warnings(rs), 0);
    rowset_free(rs);
}

/* Counts as strings are read; null and absent counts are not recorded (never as 0). */
static void test_user_string_counts(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("x.user", "user_string_counts.json");
    assert_int_equal(rowset_count(rs), 1);
    is_snapshot(rs, 0, "", "followers", 12345);
    rowset_free(rs);
}

static void test_user_not_found(void **state)
{
    (void)state;
    expect_error("x.user", 200, "user_not_found.json", NULL, ERR_NOT_FOUND, -1);
}

static void test_tweets_page(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("x.tweets", "tweets_page1.json");
    assert_int_equal(rowset_count(rs), 3 + 6 + 6 + 4);
    /* \uD83E\uDD41 is one code point (U+1F941), \u2014 and raw U+2019 stay themselves */
    is_tweet(rs, 0, "1853207281823055872", ts(2024, 11, 3, 21, 14, 7),
             "Drum roll \xF0\x9F\xA5\x81 our Q4 report is out \xE2\x80\x94 it\xE2\x80\x99s "
             "\xE2\x80\x99good\xE2\x80\x99 news");
    is_counts(rs, 1, "1853207281823055872", 87, 3, 12, 2, 5, 10432);
    is_tweet(rs, 7, "1852801164349878401", ts(2024, 11, 2, 18, 20, 0),
             "新しいブログ記事を公開しました 🚀 https://t.co/abc123XYZ");
    is_counts(rs, 8, "1852801164349878401", 4, 0, 0, 0, 0, 0);
    /* an older recording without bookmark_count and impression_count: only four snapshots */
    is_tweet(rs, 14, "1849100000000000001", ts(2024, 10, 23, 9, 0, 0),
             "An older post, recorded before bookmark and impression counts existed");
    is_snapshot(rs, 15, "1849100000000000001", "likes", 3);
    is_snapshot(rs, 16, "1849100000000000001", "comments", 2);
    is_snapshot(rs, 17, "1849100000000000001", "shares", 1);
    is_snapshot(rs, 18, "1849100000000000001", "quotes", 0);
    /* the posts read so far (3), then X's next_token */
    assert_string_equal(rowset_next(rs), "3:7140dibdnow9c7btw3z2vwioy4ug5tw1wbbu3z4q4ge0y");
    assert_int_equal(rowset_warnings(rs), 0);
    rowset_free(rs);
}

static struct rowset *parse_at(const char *page, const char *file)
{
    struct adapter_ctx ctx = make_ctx("x.tweets");
    ctx.page = page;
    return fixture_parse_ok(&ctx, file);
}

/* X's timeline reaches the 3,200 most recent posts: a run that ends having read that many is
 * counted as a warning (what is older may be missing), one that ends below it is not. */
static void test_timeline_reach(void **state)
{
    (void)state;
    struct rowset *rs = parse_at("97:abc", "tweets_page1.json");
    assert_string_equal(rowset_next(rs), "100:7140dibdnow9c7btw3z2vwioy4ug5tw1wbbu3z4q4ge0y");
    assert_int_equal(rowset_warnings(rs), 0);
    rowset_free(rs);
    rs = parse_at("3198:abc", "tweets_last.json"); /* one post: 3,199 in all */
    assert_int_equal(rowset_count(rs), 7);
    assert_int_equal(rowset_warnings(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);
    rs = parse_at("3199:abc", "tweets_last.json"); /* 3,200 */
    assert_int_equal(rowset_count(rs), 7);
    assert_int_equal(rowset_warnings(rs), 1);
    assert_null(rowset_next(rs));
    rowset_free(rs);
    rs = parse_at("3200:abc", "tweets_empty.json"); /* an empty last page after 3,200 */
    assert_int_equal(rowset_warnings(rs), 1);
    assert_null(rowset_next(rs));
    rowset_free(rs);
    /* a cursor saved before the count (a bare token) counts from 0 */
    rs = parse_at("abc", "tweets_page1.json");
    assert_string_equal(rowset_next(rs), "3:7140dibdnow9c7btw3z2vwioy4ug5tw1wbbu3z4q4ge0y");
    rowset_free(rs);
    /* the same token under another count is still a repeat */
    struct adapter_ctx ctx = make_ctx("x.tweets");
    ctx.page = "97:7140dibdnow9c7btw3z2vwioy4ug5tw1wbbu3z4q4ge0y";
    fixture_expect_repeat(&ctx, "tweets_page1.json");
}

/* The last page has previous_token but no next_token: no next page. */
static void test_tweets_last(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("x.tweets", "tweets_last.json");
    assert_int_equal(rowset_count(rs), 7);
    is_tweet(rs, 0, "1840000000000000002", ts(2024, 10, 1, 0, 0, 0), "First post of the window");
    is_counts(rs, 1, "1840000000000000002", 2, 1, 0, 0, 0, 250);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* result_count 0 leaves `data` out: an empty page, not an error. */
static void test_tweets_empty(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("x.tweets", "tweets_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* errors[] beside data on HTTP 200: the page is good, each error is a warning. */
static void test_tweets_partial_errors(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("x.tweets", "tweets_partial_errors.json");
    assert_int_equal(rowset_count(rs), 7);
    is_tweet(rs, 0, "1853207281823055872", ts(2024, 11, 3, 21, 14, 7), "Partial answer");
    is_counts(rs, 1, "1853207281823055872", 87, 3, 12, 2, 5, 10432);
    assert_int_equal(rowset_warnings(rs), 2);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* String counts, a null count, a long text cut at a UTF-8 boundary, a post without extras. */
static void test_tweets_edge(void **state)
{
    (void)state;
    char title[300] = "";
    struct rowset *rs = parse_ok("x.tweets", "tweets_edge.json");
    for (int i = 0; i < 93; i++)
        strcat(title, "\xE2\x82\xAC"); /* 93 x U+20AC = 279 bytes; the 94th would pass 280 */
    assert_int_equal(rowset_count(rs), 5);
    is_tweet(rs, 0, "1853300000000000003", ts(2024, 11, 4, 10, 0, 0), title);
    assert_int_equal(strlen(rowset_get(rs, 0)->u.content.title), 279);
    is_snapshot(rs, 1, "1853300000000000003", "likes", 17);
    is_snapshot(rs, 2, "1853300000000000003", "shares", 7);
    is_snapshot(rs, 3, "1853300000000000003", "quotes", 0);
    is_tweet(rs, 4, "1853300000000000004", 0, "no created_at, no public_metrics");
    rowset_free(rs);
}

/* Bodies that are not valid for the stream: rejected whole, even after good posts. */
static void test_tweets_malformed(void **state)
{
    (void)state;
    static const char *const files[] = {
        "tweets_id_number.json",   /* a 19-digit id as a JSON number */
        "tweets_truncated.json",   /* cut mid-body */
        "tweets_data_object.json", /* data is an object */
        "tweets_bad_count.json",   /* "12abc" as a count, after a good post */
        "user.json",               /* data is an object: not a timeline */
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        expect_error("x.tweets", 200, files[i], NULL, ERR_MALFORMED, -1);
    expect_error("x.user", 200, "tweets_page1.json", NULL, ERR_MALFORMED, -1);
    expect_error("x.user", 200, "tweets_empty.json", NULL, ERR_MALFORMED, -1);
}

/* ---- errors --------------------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    char reset[32];
    snprintf(reset, sizeof reset, "%lld", (long long)(NOW / 1000000 + 120));
    const struct fixture_hdr limits[] = {{"x-rate-limit-limit", "900"},
                                         {"x-rate-limit-remaining", "0"},
                                         {"x-rate-limit-reset", reset},
                                         {NULL, NULL}};
    /* the window resets 120 s after now: retry in 120000 - 250 ms (now has .25 s) */
    expect_error("x.tweets", 429, "error_429.json", limits, ERR_THROTTLED, 119750);
    expect_error("x.tweets", 429, "error_429.json", NULL, ERR_THROTTLED, -1);
    /* the monthly cap is not the window: quota, whatever the reset header says */
    expect_error("x.tweets", 429, "error_429_usage_capped.json", limits, ERR_QUOTA, -1);
    expect_error("x.user", 401, "error_401.json", NULL, ERR_AUTH, -1);
    expect_error("x.user", 403, "error_403_client_forbidden.json", NULL, ERR_PERMISSION, -1);
    expect_error("x.tweets", 400, "error_400_invalid_request.json", NULL, ERR_BAD_REQUEST, -1);
    expect_error("x.tweets", 503, "tweets_truncated.json", NULL, ERR_TRANSIENT, -1);
}

/* Messages name the status and the problem type's last segment, never its URI. */
static void test_error_message(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("x.user");
    const char *msg;
    int rc;
    struct rowset *rs = fixture_parse(&ctx, 403, "error_403_client_forbidden.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_PERMISSION);
    assert_string_equal(msg, "x: HTTP 403 client-forbidden: Client Forbidden");
    rowset_free(rs);
    rs = fixture_parse(&ctx, 200, "user_not_found.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_NOT_FOUND);
    assert_string_equal(msg, "x: resource-not-found: Not Found Error");
    rowset_free(rs);
    /* a body that echoes the token in use: the word is blanked */
    const char *echo = "{\"title\":\"bad (" TOKEN ")\",\"type\":\"about:blank\"}";
    rs = fixture_parse_body(&ctx, 400, echo, strlen(echo), NULL, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_BAD_REQUEST);
    assert_string_equal(msg, "x: HTTP 400 about:blank: bad [redacted]");
    rowset_free(rs);
}

static void test_errors_without_body(void **state)
{
    (void)state;
    static const struct {
        long status;
        const char *body;
        enum err_class cls;
    } cases[] = {
        {503, "", ERR_TRANSIENT},
        {500, "<html><body>Internal Server Error</body></html>", ERR_TRANSIENT},
        {502, "upstream connect error", ERR_TRANSIENT},
        {404, "", ERR_NOT_FOUND},
        {401, "", ERR_AUTH},
        {200, "", ERR_MALFORMED},
        {200, "[]", ERR_MALFORMED},
        {200, "{\"data\":[]} trailing", ERR_MALFORMED},
        {200, "{\"data\":[{\"id\":\"1\",\"text\":\"\xC3\x28\"}]}", ERR_MALFORMED}, /* bad UTF-8 */
        {200, "{\"data\":[{\"id\":\"1\",\"text\":\"\\uD83D\"}]}", ERR_MALFORMED},  /* lone half */
        {200, "{\"data\":[{\"id\":\"12a\"}]}", ERR_MALFORMED},
        {200, "{\"data\":[{\"id\":\"1\",\"created_at\":\"yesterday\"}]}", ERR_MALFORMED},
        {200, "{\"data\":[],\"errors\":{}}", ERR_MALFORMED},
        {200, "{\"data\":[],\"meta\":{\"next_token\":7}}", ERR_MALFORMED},
        {200, "{\"data\":[{\"id\":\"1\",\"public_metrics\":[]}]}", ERR_MALFORMED},
        {200, "{\"data\":[{\"id\":\"1\",\"public_metrics\":{\"like_count\":-1}}]}", ERR_MALFORMED},
        {200, "{\"data\":[{\"id\":\"1\",\"public_metrics\":{\"like_count\":1.5}}]}", ERR_MALFORMED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct adapter_ctx ctx = make_ctx("x.tweets");
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, cases[i].status, cases[i].body,
                                               strlen(cases[i].body), NULL, &rc);
        assert_int_equal(rc, -1);
        const char *msg;
        if (rowset_error(rs, &msg, NULL) != cases[i].cls)
            fail_msg("case %zu: %s (%s)", i, err_class_name(rowset_error(rs, NULL, NULL)), msg);
        assert_int_equal(rowset_count(rs), 0);
        rowset_free(rs);
    }
}

/* ---- rate limits ---------------------------------------------------------------------------- */

static struct rl_signal rl(long status, const struct fixture_hdr *headers)
{
    struct rl_signal sig = {123, 123, false};
    struct http_response resp = fixture_response(status, "", 0, headers);
    adapter_for(PLATFORM_X)->ratelimit(&resp, NOW, &sig);
    return sig;
}

static void test_ratelimit(void **state)
{
    (void)state;
    char reset[32], past[32];
    snprintf(reset, sizeof reset, "%lld", (long long)(NOW / 1000000 + 600));
    snprintf(past, sizeof past, "%lld", (long long)(NOW / 1000000 - 5));
    const struct fixture_hdr spent[] = {{"X-Rate-Limit-Limit", "1500"},
                                        {"X-Rate-Limit-Remaining", "0"},
                                        {"X-Rate-Limit-Reset", reset},
                                        {NULL, NULL}};
    const struct fixture_hdr half[] = {{"x-rate-limit-limit", "900"},
                                       {"x-rate-limit-remaining", "450"},
                                       {"x-rate-limit-reset", reset},
                                       {NULL, NULL}};
    const struct fixture_hdr stale[] = {
        {"x-rate-limit-remaining", "0"}, {"x-rate-limit-reset", past}, {NULL, NULL}};
    const struct fixture_hdr junk[] = {{"x-rate-limit-limit", "lots"},
                                       {"x-rate-limit-remaining", "-1"},
                                       {"x-rate-limit-reset", "99999999999999999999"},
                                       {NULL, NULL}};
    const struct fixture_hdr reset_only[] = {{"x-rate-limit-reset", reset}, {NULL, NULL}};
    struct rl_signal s = rl(200, spent);
    assert_int_equal(s.wait_ms, 600000 - 250);
    assert_int_equal(s.usage_pct, 100);
    assert_true(s.per_stream);
    s = rl(200, half);
    assert_int_equal(s.wait_ms, -1);
    assert_int_equal(s.usage_pct, 50);
    assert_true(s.per_stream);
    s = rl(200, stale);
    assert_int_equal(s.wait_ms, 0);
    assert_int_equal(s.usage_pct, -1);
    s = rl(200, junk);
    assert_int_equal(s.wait_ms, -1);
    assert_int_equal(s.usage_pct, -1);
    s = rl(429, reset_only);
    assert_int_equal(s.wait_ms, 600000 - 250);
    s = rl(200, NULL);
    assert_int_equal(s.wait_ms, -1);
    assert_int_equal(s.usage_pct, -1);
}

/* ---- tokens --------------------------------------------------------------------------------- */

static void test_refresh_build(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_X);
    char cid[] = "cid-123", secret[] = "sec-456", rt[] = "rt-from-config";
    struct cfg_credential cred = {.client_id = cid, .client_secret = secret, .refresh_token = rt};
    struct http_request req = {0};
    assert_int_equal(a->refresh_build(&platform, &cred, "old-access", "rt/with+chars", &req), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.url, "https://api.x.com/2/oauth2/token");
    assert_string_equal(req.log_url, "https://api.x.com/2/oauth2/token");
    assert_string_equal(
        req.body, "grant_type=refresh_token&refresh_token=rt%2Fwith%2Bchars&client_id=cid-123");
    assert_string_equal(req.headers[0], "Content-Type: application/x-www-form-urlencoded");
    assert_string_equal(req.headers[1], "Authorization: Basic Y2lkLTEyMzpzZWMtNDU2");
    assert_null(req.headers[2]);
    http_request_free(&req);

    /* a public client: no Basic header; the stored refresh token when none is passed */
    cred.client_secret = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "old-access", NULL, &req), 0);
    assert_string_equal(req.body,
                        "grant_type=refresh_token&refresh_token=rt-from-config&client_id=cid-123");
    assert_null(req.headers[1]);
    http_request_free(&req);

    cred.refresh_token = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "old-access", NULL, &req), -1);
    http_request_free(&req);
    cred.refresh_token = rt;
    cred.client_id = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "old-access", NULL, &req), -1);
    http_request_free(&req);
}

static int refresh(long status, const char *body, struct token_set *out, enum err_class *cls,
                   char *why, size_t whylen)
{
    struct http_response resp = fixture_response(status, body, strlen(body), NULL);
    return adapter_for(PLATFORM_X)->refresh_parse(&resp, out, cls, why, whylen);
}

static void test_refresh_parse(void **state)
{
    (void)state;
    struct token_set *out = xcalloc(1, sizeof *out);
    enum err_class cls;
    char why[256];
    char *body = unit_read_file("tests/fixtures/x/token.json", NULL);
    assert_int_equal(refresh(200, body, out, &cls, why, sizeof why), 0);
    assert_int_equal(cls, ERR_NONE);
    assert_string_equal(out->access_token, "bWRjb1ZpNHJmd3NDZjZ5X0dUbHVaTEZsSThqaVpGRnB6Z0FEWEtNVm1"
                                           "LMlk2OjE3MzA3MjM0NTY3ODk6MTowOmF0OjE");
    /* refresh tokens rotate: the new one must be returned */
    assert_string_equal(out->refresh_token, "NVhPVnBzRk9TZ0J0bHJqM0xqRGZrbDBfX2dCdl9xbzR3Y1ZSTmJzV3"
                                            "hhRXJnOjE3MzA3MjM0NTY3ODk6MTowOnJ0OjE");
    assert_int_equal(out->expires_in_s, 7200);
    free(body);

    body = unit_read_file("tests/fixtures/x/token_invalid_request.json", NULL);
    assert_int_equal(refresh(400, body, out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_non_null(strstr(why, "invalid_request"));
    assert_string_equal(out->access_token, "");
    free(body);

    assert_int_equal(refresh(400, "{\"error\":\"invalid_grant\"}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_int_equal(refresh(503, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_TRANSIENT);
    assert_int_equal(refresh(200, "{\"token_type\":\"bearer\"}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(refresh(200, "{\"access_token\":\"a\",\"expires_in\":\"soon\"}", out, &cls,
                             why, sizeof why),
                     -1);
    assert_int_equal(cls, ERR_MALFORMED);
    /* a rotated refresh token that is not a string is refused, never silently dropped */
    assert_int_equal(
        refresh(200, "{\"access_token\":\"a\",\"refresh_token\":42}", out, &cls, why, sizeof why),
        -1);
    assert_int_equal(cls, ERR_MALFORMED);
    /* no rotation and no expiry given: refresh_token "" and expires_in 0 */
    assert_int_equal(refresh(200, "{\"access_token\":\"a\"}", out, &cls, why, sizeof why), 0);
    assert_string_equal(out->access_token, "a");
    assert_string_equal(out->refresh_token, "");
    assert_int_equal(out->expires_in_s, 0);
    free(out);
}

/* A page whose next_token is the pagination_token it was asked with (tweets) or the query's
 * next_token (mentions) would be asked for forever: refused, and paging stops. */
static void test_repeated_cursor(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("x.tweets");
    ctx.page = "7140dibdnow9c7btw3z2vwioy4ug5tw1wbbu3z4q4ge0y";
    fixture_expect_repeat(&ctx, "tweets_page1.json");
    ctx = make_ctx("x.mentions");
    ctx.page = "0:b26v89c19zqg8o3fpzbmhdghyqbt7kdukzzrvn3xdymrh";
    fixture_expect_repeat(&ctx, "search_page1.json");
    /* the same page asked with another token goes on */
    ctx.page = "0:b26v89c19zqg8o3fpzbmhdghyqbt7kdukzzrvn3xdymrg";
    struct rowset *rs = fixture_parse_ok(&ctx, "search_page1.json");
    assert_string_equal(rowset_next(rs), "0:b26v89c19zqg8o3fpzbmhdghyqbt7kdukzzrvn3xdymrh");
    rowset_free(rs);
}

int main(void)
{
    fixture_use(PLATFORM_X, TOKEN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_cursor),
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_build_user),
        cmocka_unit_test(test_build_tweets),
        cmocka_unit_test(test_build_refused),
        cmocka_unit_test(test_build_mentions),
        cmocka_unit_test(test_mentions),
        cmocka_unit_test(test_mentions_competitors),
        cmocka_unit_test(test_mentions_refused),
        cmocka_unit_test(test_user),
        cmocka_unit_test(test_user_string_counts),
        cmocka_unit_test(test_user_not_found),
        cmocka_unit_test(test_tweets_page),
        cmocka_unit_test(test_tweets_last),
        cmocka_unit_test(test_timeline_reach),
        cmocka_unit_test(test_tweets_empty),
        cmocka_unit_test(test_tweets_partial_errors),
        cmocka_unit_test(test_tweets_edge),
        cmocka_unit_test(test_tweets_malformed),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_message),
        cmocka_unit_test(test_errors_without_body),
        cmocka_unit_test(test_ratelimit),
        cmocka_unit_test(test_refresh_build),
        cmocka_unit_test(test_refresh_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
