/*
 * test_adapter_instagram.c - the Instagram adapter: Graph requests (URL, encoded query, bearer
 * header) for every page of both streams, every fixture in tests/fixtures/instagram/ parsed into
 * exact records (Pacific days, lifetime snapshots), the page cursors across whole runs, Graph
 * error codes to error classes (2108006 skipped with a warning), usage headers, the token refresh,
 * and that a rejected page leaves no records behind.
 */
#include "unit.h"
#include "adapter.h"
#include "adapter_fixture.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN "EAAB-SECRET-instagram-token-0123456789"
#define NOW   (INT64_C(1705219200) * 1000000 + 500000) /* 2024-01-14T08:00:00.5Z */
#define IGU   "17841405822304914"
#define GRAPH "https://graph.facebook.com/v24.0/"
#define AFTER "QVFIUmlt2TFNOVkZAqZA3NTcW1B"
#define M1    "18027939643083444"
#define M2    "17895695668004550"
#define M3    "18010000000000001"

static char user_id[] = IGU;
static char api_base[] = "https://graph.facebook.com";
static char version[] = "v24.0";
static char token_url[] = "https://graph.instagram.com/refresh_access_token";

static struct cfg_account account = {.id = user_id};
static struct cfg_platform platform = {
    .api_base = api_base, .version = version, .token_url = token_url};

static int32_t day(int y, unsigned m, unsigned d)
{
    return time_days_from_civil(y, m, d);
}

static int64_t ts(int y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return ((int64_t)day(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000000;
}

/* Account insights cover the Pacific days 2024-01-12..14; media the UTC days from 2024-01-01. */
static struct adapter_ctx make_ctx(const char *stream, const char *page)
{
    bool media = strcmp(stream, "instagram.media") == 0;
    struct adapter_ctx c = {
        .account = &account,
        .platform = &platform,
        .stream = stream,
        .access_token = TOKEN,
        .email_salt = "",
        .page = page,
        .from_day = media ? day(2024, 1, 1) : day(2024, 1, 12),
        .to_day = day(2024, 1, 14),
        .now = NOW,
    };
    return c;
}

/* ---- responses ------------------------------------------------------------------------------ */

static struct rowset *parse_ok(const char *name, const char *page, const char *file)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    return fixture_parse_ok(&ctx, file);
}

/* A page that must be refused: class cls, retry_after as given, and never a record. */
static void expect_error(const char *name, const char *page, long status, const char *file,
                         const struct fixture_hdr *headers, enum err_class cls, int64_t retry)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    fixture_expect_error(&ctx, status, file, headers, cls, retry);
}

static void is_metric(const struct rowset *rs, size_t i, const char *metric, int32_t d,
                      int64_t value)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, REC_METRIC);
    assert_string_equal(r->u.metric.object, "");
    assert_string_equal(r->u.metric.metric, metric);
    assert_int_equal(r->u.metric.day, d);
    assert_int_equal(r->u.metric.basis, BASIS_PACIFIC);
    assert_int_equal(r->u.metric.value, value);
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

static void is_media(const struct rowset *rs, size_t i, const char *id, const char *kind,
                     int64_t published, const char *url, const char *title)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, REC_CONTENT);
    assert_string_equal(r->u.content.id, id);
    assert_string_equal(r->u.content.kind, kind);
    assert_int_equal(r->u.content.published_at, published);
    assert_string_equal(r->u.content.url, url);
    if (title)
        assert_string_equal(r->u.content.title, title);
    else
        assert_null(r->u.content.title);
    assert_null(r->u.content.utm_campaign);
}

static void is_next(const struct rowset *rs, const char *next)
{
    if (next)
        assert_string_equal(rowset_next(rs), next);
    else
        assert_null(rowset_next(rs));
}

/* ---- registry and requests ------------------------------------------------------------------ */

static void test_streams(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_INSTAGRAM);
    assert_non_null(a);
    assert_int_equal(a->platform, PLATFORM_INSTAGRAM);
    assert_int_equal(a->nstreams, 2);
    assert_string_equal(a->streams[0].name, "instagram.account_insights");
    assert_int_equal(a->streams[0].basis, BASIS_PACIFIC);
    assert_true(a->streams[0].windowed);
    assert_false(a->streams[0].incremental);
    assert_string_equal(a->streams[1].name, "instagram.media");
    assert_int_equal(a->streams[1].basis, BASIS_UTC);
    assert_true(a->streams[1].windowed);
    assert_false(a->streams[1].incremental);
    assert_non_null(a->ratelimit);
    assert_non_null(a->refresh_build);
    assert_non_null(a->refresh_parse);
}

/* Builds the request of stream name at page; the URL must be url, with the token only in the
 * Authorization header. */
static void expect_url(const char *name, const char *page, const char *url)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    struct http_request req = {0};
    char why[128] = "";
    if (fixture_stream(name)->build(&ctx, &req, why, sizeof why) != 0)
        fail_msg("%s at %s: %s", name, page ? page : "(first)", why);
    assert_string_equal(req.url, url);
    assert_string_equal(req.method, "GET");
    assert_string_equal(req.headers[0], "Authorization: Bearer " TOKEN);
    assert_null(req.headers[1]);
    assert_null(req.body);
    assert_null(strstr(req.url, TOKEN));
    assert_null(strchr(req.log_url, '?'));
    assert_int_equal(strncmp(req.url, req.log_url, strlen(req.log_url)), 0);
    http_request_free(&req);
}

static void expect_refused(const char *name, const char *page, const struct cfg_account *acct,
                           const char *token, const char *why_expected)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    struct http_request req = {0};
    char why[128] = "";
    ctx.account = acct;
    ctx.access_token = token;
    assert_int_equal(fixture_stream(name)->build(&ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, why_expected);
    http_request_free(&req);
}

static void test_build_account_insights(void **state)
{
    (void)state;
    static const struct cfg_account no_id = {0};
    const char *n = "instagram.account_insights";
    /* the daily series: until is exclusive, to_day's value ends at the start of to_day + 1 */
    expect_url(n, NULL,
               GRAPH IGU "/insights?metric=reach%2Cfollower_count&period=day&since=2024-01-12"
                         "&until=2024-01-15");
    /* a total_value page is one Pacific day: since=D&until=D+1 */
    expect_url(n, "total:2024-01-13",
               GRAPH IGU "/insights?metric=views%2Caccounts_engaged%2Ctotal_interactions%2Clikes"
                         "%2Ccomments%2Cshares%2Csaves&metric_type=total_value&period=day"
                         "&since=2024-01-13&until=2024-01-14");
    expect_url(n, "profile", GRAPH IGU "?fields=followers_count%2Cfollows_count%2Cmedia_count");
    static const char *const bad[] = {"total:2024-01-11",
                                      "total:2024-01-15",
                                      "total:yesterday",
                                      "total:",
                                      "PROFILE",
                                      "list:abc",
                                      ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused(n, bad[i], &account, TOKEN,
                       "page cursor is not an account insights page of this window");
    expect_refused(n, NULL, &no_id, TOKEN, "account has no Instagram user id");
    expect_refused(n, "profile", &account, "", "no access token");
}

/* Graph refuses a since..until range over 30 days: a long window is read in 29-day chunks, each
 * page naming the next, the last one followed by the first total page. */
static void test_build_series_chunks(void **state)
{
    (void)state;
    static const struct {
        const char *page, *since, *until, *next;
    } chunks[] = {
        {NULL, "2024-01-01", "2024-01-30", "series:2024-01-30"},
        {"series:2024-01-30", "2024-01-30", "2024-02-28", "series:2024-02-28"},
        {"series:2024-02-28", "2024-02-28", "2024-03-16", "total:2024-01-01"},
    };
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        struct adapter_ctx ctx = make_ctx("instagram.account_insights", chunks[i].page);
        struct http_request req = {0};
        char why[128] = "", *url;
        int rc;
        ctx.from_day = day(2024, 1, 1);
        ctx.to_day = day(2024, 3, 15);
        assert_int_equal(
            fixture_stream("instagram.account_insights")->build(&ctx, &req, why, sizeof why), 0);
        url = xasprintf(GRAPH IGU "/insights?metric=reach%%2Cfollower_count&period=day&since=%s"
                                  "&until=%s",
                        chunks[i].since, chunks[i].until);
        assert_string_equal(req.url, url);
        free(url);
        http_request_free(&req);
        struct rowset *rs = fixture_parse(&ctx, 200, "account_total_empty.json", NULL, &rc);
        assert_int_equal(rc, 0);
        is_next(rs, chunks[i].next);
        rowset_free(rs);
    }
    /* a chunk cursor outside the window, or at its start (the first chunk has no cursor) */
    static const char *const bad[] = {"series:2024-01-01", "series:2024-03-16", "series:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused("instagram.account_insights", bad[i], &account, TOKEN,
                       "page cursor is not an account insights page of this window");
}

static void test_build_media(void **state)
{
    (void)state;
    static const struct cfg_account no_id = {0};
    const char *n = "instagram.media";
    const char *list = GRAPH IGU "/media?fields=id%2Ccaption%2Cmedia_type%2Cmedia_product_type"
                                 "%2Ctimestamp%2Cpermalink%2Clike_count%2Ccomments_count&limit=50";
    expect_url(n, NULL, list);
    char *later = xasprintf("%s&after=%s", list, AFTER);
    expect_url(n, "list:" AFTER, later);
    free(later);
    /* a cursor holds the cursor value only, which goes back encoded */
    later = xasprintf("%s&after=a%%2Bb%%2Fc%%3D", list);
    expect_url(n, "list:a+b/c=", later);
    free(later);
    expect_url(n, "insights:" M1 "," M2 ":" AFTER,
               GRAPH M1 "/insights?metric=reach%2Cviews%2Cshares%2Csaved%2Ctotal_interactions");
    expect_url(n, "insights:" M3 ":",
               GRAPH M3 "/insights?metric=reach%2Cviews%2Cshares%2Csaved%2Ctotal_interactions");
    static const char *const bad[] = {"insights::" AFTER, "insights:abc:", "insights:" M1,
                                      "insights:,1:",     "list:",         "total:2024-01-12",
                                      "insights:1/2:"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        expect_refused(n, bad[i], &account, TOKEN, "page cursor is not a media page");
    expect_refused(n, NULL, &no_id, TOKEN, "account has no Instagram user id");
    expect_refused(n, NULL, &account, NULL, "no access token");
}

/* ---- instagram.account_insights ------------------------------------------------------------- */

/* end_time is the END of a Pacific day; days outside the window, other periods, null, absent
 * and breakdown values are not recorded. */
static void test_account_series(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("instagram.account_insights", NULL, "account_series.json");
    assert_int_equal(rowset_count(rs), 4);
    is_metric(rs, 0, "reach", day(2024, 1, 12), 1840);
    is_metric(rs, 1, "reach", day(2024, 1, 13), 2210);
    is_metric(rs, 2, "reach", day(2024, 1, 14), 1975);
    is_metric(rs, 3, "followers_gained", day(2024, 1, 12), 12);
    /* the series is followed by the first total page, never by paging.next */
    is_next(rs, "total:2024-01-12");
    rowset_free(rs);
}

/* 08:00 UTC in winter, 07:00 UTC in summer; the day is the Pacific day that ends then. */
static void test_account_series_dst(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("instagram.account_insights", NULL);
    const char *msg;
    int rc;
    ctx.from_day = day(2024, 3, 1);
    ctx.to_day = day(2024, 11, 30);
    struct rowset *rs = fixture_parse(&ctx, 200, "account_series_dst.json", NULL, &rc);
    if (rc != 0)
        fail_msg("%s", (rowset_error(rs, &msg, NULL), msg));
    assert_int_equal(rowset_count(rs), 5);
    is_metric(rs, 0, "reach", day(2024, 3, 9), 101);
    is_metric(rs, 1, "reach", day(2024, 3, 10), 102); /* the 23-hour day */
    is_metric(rs, 2, "reach", day(2024, 7, 3), 103);
    is_metric(rs, 3, "reach", day(2024, 11, 2), 104);
    is_metric(rs, 4, "reach", day(2024, 11, 3), 105); /* the 25-hour day */
    /* a 275-day window: the next 29-day series chunk comes before any total page */
    is_next(rs, "series:2024-03-30");
    rowset_free(rs);
}

/* One total_value page: every total on the cursor's day; breakdowns read, not stored. */
static void test_account_total(void **state)
{
    (void)state;
    struct rowset *rs =
        parse_ok("instagram.account_insights", "total:2024-01-13", "account_total.json");
    int32_t d = day(2024, 1, 13);
    assert_int_equal(rowset_count(rs), 5);
    is_metric(rs, 0, "views", d, 4306);
    is_metric(rs, 1, "engagements", d, 388); /* total_interactions, a string count */
    is_metric(rs, 2, "likes", d, 301);
    is_metric(rs, 3, "comments", d, 27);
    is_metric(rs, 4, "shares", d, 0);
    /* accounts_engaged is not stored, saves had breakdowns but no total, profile_links_taps was
     * not asked for */
    is_next(rs, "total:2024-01-14");
    rowset_free(rs);

    rs = parse_ok("instagram.account_insights", "total:2024-01-12", "account_total_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    is_next(rs, "total:2024-01-13");
    rowset_free(rs);
}

static void test_profile(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("instagram.account_insights", "profile", "profile.json");
    assert_int_equal(rowset_count(rs), 3);
    is_snapshot(rs, 0, "", "followers", 48210);
    is_snapshot(rs, 1, "", "following", 312);
    is_snapshot(rs, 2, "", "posts", 1187);
    is_next(rs, NULL);
    rowset_free(rs);
    /* a string count is read; null and absent counts are not recorded */
    rs = parse_ok("instagram.account_insights", "profile", "profile_partial.json");
    assert_int_equal(rowset_count(rs), 1);
    is_snapshot(rs, 0, "", "followers", 48210);
    is_next(rs, NULL);
    rowset_free(rs);
}

/* A whole run: series, one total page per day of the window, the profile, the end. */
static void test_account_insights_run(void **state)
{
    (void)state;
    static const struct {
        const char *page, *file, *next;
    } run[] = {
        {NULL, "account_series.json", "total:2024-01-12"},
        {"total:2024-01-12", "account_total_empty.json", "total:2024-01-13"},
        {"total:2024-01-13", "account_total.json", "total:2024-01-14"},
        {"total:2024-01-14", "account_total.json", "profile"},
        {"profile", "profile.json", NULL},
    };
    for (size_t i = 0; i < sizeof run / sizeof run[0]; i++) {
        struct rowset *rs = parse_ok("instagram.account_insights", run[i].page, run[i].file);
        is_next(rs, run[i].next);
        rowset_free(rs);
        if (run[i].next)
            assert_string_equal(run[i].next, run[i + 1].page);
    }
    /* a one-day window has one total page; an empty one goes from the series to the profile */
    struct adapter_ctx ctx = make_ctx("instagram.account_insights", NULL);
    const char *body = "{\"data\":[]}";
    ctx.from_day = ctx.to_day = day(2024, 1, 14);
    int rc;
    struct rowset *rs = fixture_parse_body(&ctx, 200, body, strlen(body), NULL, &rc);
    assert_int_equal(rc, 0);
    is_next(rs, "total:2024-01-14");
    rowset_free(rs);
    ctx.from_day = day(2024, 1, 15);
    rs = fixture_parse_body(&ctx, 200, body, strlen(body), NULL, &rc);
    assert_int_equal(rc, 0);
    is_next(rs, "profile");
    rowset_free(rs);
}

/* Bodies that are not valid for the page: rejected whole, even after good metrics. */
static void test_account_insights_malformed(void **state)
{
    (void)state;
    const char *n = "instagram.account_insights";
    expect_error(n, "total:2024-01-13", 200, "account_total_bad_breakdown.json", NULL,
                 ERR_MALFORMED, -1);
    /* a time series where a total was asked for */
    expect_error(n, "total:2024-01-13", 200, "account_total_values_shape.json", NULL, ERR_MALFORMED,
                 -1);
    expect_error(n, NULL, 200, "profile.json", NULL, ERR_MALFORMED, -1);
    expect_error(n, NULL, 200, "media_truncated.json", NULL, ERR_MALFORMED, -1);
    static const char *const bodies[] = {
        "{\"data\":[{\"name\":\"reach\",\"period\":\"day\",\"values\":[{\"value\":1.5,"
        "\"end_time\":\"2024-01-13T08:00:00+0000\"}]}]}",
        "{\"data\":[{\"name\":\"reach\",\"period\":\"day\",\"values\":[{\"value\":1}]}]}",
        "{\"data\":[{\"name\":\"reach\",\"period\":\"day\",\"values\":[{\"value\":1,"
        "\"end_time\":\"Jan 13\"}]}]}",
        "{\"data\":[{\"name\":\"reach\",\"period\":\"day\",\"values\":{}}]}",
        "{\"data\":[{\"period\":\"day\",\"values\":[]}]}",
        "{\"data\":{}}",
        "{}",
        "[]",
        "{\"data\":[{\"name\":\"reach\",\"period\":\"day\",\"values\":[{\"value\":-3,"
        "\"end_time\":\"2024-01-13T08:00:00+0000\"}]}]}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct adapter_ctx ctx = make_ctx(n, NULL);
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, 200, bodies[i], strlen(bodies[i]), NULL, &rc);
        assert_int_equal(rc, -1);
        if (rowset_error(rs, NULL, NULL) != ERR_MALFORMED)
            fail_msg("body %zu", i);
        assert_int_equal(rowset_count(rs), 0);
        assert_null(rowset_next(rs));
        rowset_free(rs);
    }
    static const char *const totals[] = {
        "{\"data\":[{\"name\":\"likes\",\"total_value\":{\"value\":\"x\"}}]}",
        "{\"data\":[{\"name\":\"likes\",\"total_value\":{\"value\":1,\"breakdowns\":{}}}]}",
        "{\"data\":[{\"name\":\"likes\",\"total_value\":{\"value\":1,\"breakdowns\":[{"
        "\"dimension_keys\":[1],\"results\":[]}]}}]}",
        "{\"data\":[{\"name\":\"likes\",\"total_value\":{\"value\":1,\"breakdowns\":[{"
        "\"dimension_keys\":[\"a\"],\"results\":[{\"dimension_values\":\"a\",\"value\":1}]}]}}]}",
        "{\"data\":[{\"name\":\"likes\",\"total_value\":7}]}",
    };
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++) {
        struct adapter_ctx ctx = make_ctx(n, "total:2024-01-12");
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, 200, totals[i], strlen(totals[i]), NULL, &rc);
        assert_int_equal(rc, -1);
        if (rowset_error(rs, NULL, NULL) != ERR_MALFORMED)
            fail_msg("total body %zu", i);
        assert_int_equal(rowset_count(rs), 0);
        rowset_free(rs);
    }
}

/* ---- instagram.media ------------------------------------------------------------------------ */

static void test_media_page(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("instagram.media", NULL, "media_page1.json");
    assert_int_equal(rowset_count(rs), 3 + 2 + 3);
    is_media(rs, 0, M1, "media", ts(2024, 1, 14, 19, 20, 2),
             "https://www.instagram.com/p/C2AbCdEfGhI/",
             "New season, new drops \xF0\x9F\x8E\x89 \xE2\x80\x94 shop the collection via the link "
             "in bio. Caf\xC3\xA9 pop-up this weekend!");
    is_snapshot(rs, 1, M1, "likes", 231);
    is_snapshot(rs, 2, M1, "comments", 14);
    /* a reel whose owner hides likes: no likes snapshot at all; a string count */
    is_media(rs, 3, M2, "reel", ts(2024, 1, 10, 8, 0, 0),
             "https://www.instagram.com/reel/C1ZyXwVuTsR/", "Behind the scenes");
    is_snapshot(rs, 4, M2, "comments", 9);
    is_media(rs, 5, M3, "media", ts(2024, 1, 3, 12, 0, 0),
             "https://www.instagram.com/p/C1QrStUvWxY/", NULL);
    is_snapshot(rs, 6, M3, "likes", 0);
    is_snapshot(rs, 7, M3, "comments", 0);
    /* the insights of each medium next, then the list goes on at `after` (never the next URL) */
    is_next(rs, "insights:" M1 "," M2 "," M3 ":" AFTER);
    assert_null(strstr(rowset_next(rs), "access_token"));
    rowset_free(rs);
}

/* A whole run: list page, the insights of its media one by one (one predates the business
 * account), the last list page, its medium's insights, the end. */
static void test_media_run(void **state)
{
    (void)state;
    static const struct {
        const char *page, *file;
        long status;
        size_t records;
        unsigned warnings;
        const char *next;
    } run[] = {
        {NULL, "media_page1.json", 200, 8, 0, "insights:" M1 "," M2 "," M3 ":" AFTER},
        {"insights:" M1 "," M2 "," M3 ":" AFTER, "media_insights.json", 200, 5, 0,
         "insights:" M2 "," M3 ":" AFTER},
        {"insights:" M2 "," M3 ":" AFTER, "error_100_2108006.json", 400, 0, 1,
         "insights:" M3 ":" AFTER},
        {"insights:" M3 ":" AFTER, "media_insights_empty.json", 200, 0, 0, "list:" AFTER},
        {"list:" AFTER, "media_last.json", 200, 3, 0, "insights:17999000000000002:"},
        {"insights:17999000000000002:", "media_insights_total_value.json", 200, 2, 0, NULL},
    };
    for (size_t i = 0; i < sizeof run / sizeof run[0]; i++) {
        struct adapter_ctx ctx = make_ctx("instagram.media", run[i].page);
        const char *msg;
        int rc;
        struct rowset *rs = fixture_parse(&ctx, run[i].status, run[i].file, NULL, &rc);
        if (rc != 0)
            fail_msg("step %zu: %s", i, (rowset_error(rs, &msg, NULL), msg));
        assert_int_equal(rowset_error(rs, NULL, NULL), ERR_NONE);
        assert_int_equal(rowset_count(rs), run[i].records);
        assert_int_equal(rowset_warnings(rs), run[i].warnings);
        is_next(rs, run[i].next);
        rowset_free(rs);
        if (run[i].next)
            assert_string_equal(run[i].next, run[i + 1].page);
    }
}

/* A medium deleted since the list (100/33) or seen by too few (10) is skipped like one from
 * before the business conversion: a warning, no records, the next medium. */
static void test_media_skipped(void **state)
{
    (void)state;
    static const char *const files[] = {"error_100_object_missing.json",
                                        "error_10_not_enough_viewers.json",
                                        "error_100_2108006.json"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct adapter_ctx ctx = make_ctx("instagram.media", "insights:" M2 "," M3 ":" AFTER);
        int rc;
        struct rowset *rs = fixture_parse(&ctx, 400, files[i], NULL, &rc);
        assert_int_equal(rc, 0);
        assert_int_equal(rowset_count(rs), 0);
        assert_int_equal(rowset_warnings(rs), 1);
        is_next(rs, "insights:" M3 ":" AFTER);
        rowset_free(rs);
    }
    /* the same errors on a list page fail it */
    expect_error("instagram.media", NULL, 400, "error_100_object_missing.json", NULL, ERR_NOT_FOUND,
                 -1);
}

static void test_media_insights(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("instagram.media", "insights:" M1 ":", "media_insights.json");
    assert_int_equal(rowset_count(rs), 5);
    is_snapshot(rs, 0, M1, "reach", 3120);
    is_snapshot(rs, 1, M1, "views", 5874);
    is_snapshot(rs, 2, M1, "shares", 12);
    is_snapshot(rs, 3, M1, "saves", 61);
    is_snapshot(rs, 4, M1, "engagements", 318);
    is_next(rs, NULL);
    rowset_free(rs);
    /* the total_value shape of newer versions; an empty values[] is no value */
    rs = parse_ok("instagram.media", "insights:" M2 ":", "media_insights_total_value.json");
    assert_int_equal(rowset_count(rs), 2);
    is_snapshot(rs, 0, M2, "reach", 880);
    is_snapshot(rs, 1, M2, "views", 14357147);
    rowset_free(rs);
}

/* The list stops at media older than the window: they are not recorded, no further list page. */
static void test_media_old(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("instagram.media", "list:" AFTER, "media_old.json");
    assert_int_equal(rowset_count(rs), 3);
    is_media(rs, 0, "17990000000000003", "media", ts(2024, 1, 1, 0, 0, 0),
             "https://www.instagram.com/p/C1AaAaAaAaA/", "First post of the year");
    is_snapshot(rs, 1, "17990000000000003", "likes", 52);
    is_snapshot(rs, 2, "17990000000000003", "comments", 3);
    is_next(rs, "insights:17990000000000003:");
    rowset_free(rs);

    struct adapter_ctx ctx = make_ctx("instagram.media", NULL);
    ctx.from_day = day(2024, 1, 2); /* now every medium on the page is older */
    int rc;
    rs = fixture_parse(&ctx, 200, "media_old.json", NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_count(rs), 0);
    is_next(rs, NULL);
    rowset_free(rs);
}

static void test_media_list_edges(void **state)
{
    (void)state;
    /* the last page still carries cursors: only paging.next means more */
    struct rowset *rs = parse_ok("instagram.media", "list:" AFTER, "media_last.json");
    is_media(rs, 0, "17999000000000002", "story", ts(2024, 1, 2, 9, 15, 0),
             "https://instagram.com/stories/acme/17999000000000002", "Story: doors open at 9");
    is_next(rs, "insights:17999000000000002:");
    rowset_free(rs);
    rs = parse_ok("instagram.media", NULL, "media_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    is_next(rs, NULL);
    rowset_free(rs);
    /* no cursors: the after parameter of the next URL, decoded, never the URL itself */
    rs = parse_ok("instagram.media", NULL, "media_next_only.json");
    assert_int_equal(rowset_count(rs), 0);
    is_next(rs, "list:QVFIUnext+Only=");
    rowset_free(rs);
}

static void test_media_malformed(void **state)
{
    (void)state;
    const char *n = "instagram.media";
    expect_error(n, NULL, 200, "media_id_number.json", NULL, ERR_MALFORMED, -1);
    expect_error(n, NULL, 200, "media_truncated.json", NULL, ERR_MALFORMED, -1);
    expect_error(n, NULL, 200, "account_series.json", NULL, ERR_MALFORMED, -1);
    expect_error(n, NULL, 200, "profile.json", NULL, ERR_MALFORMED, -1);
    expect_error(n, "insights:" M1 ":", 200, "profile.json", NULL, ERR_MALFORMED, -1);
    static const char *const lists[] = {
        "{\"data\":[{\"id\":\"1\",\"timestamp\":\"2024-01-02T00:00:00+0000\",\"like_count\":"
        "\"many\"}]}",
        "{\"data\":[{\"id\":\"1\",\"timestamp\":\"2 Jan\"}]}",
        "{\"data\":[{\"id\":\"1\",\"caption\":7}]}",
        "{\"data\":[{\"id\":\"1\"}],\"paging\":{\"next\":\"https://x/?a=1\"}}",
        "{\"data\":[{\"id\":\"1\"}],\"paging\":[]}",
        "{\"data\":[{\"id\":\"1/2\"}]}",
        "{\"data\":[{\"id\":\"1\",\"caption\":\"\xC3\x28\"}]}",
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++) {
        struct adapter_ctx ctx = make_ctx(n, NULL);
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, 200, lists[i], strlen(lists[i]), NULL, &rc);
        assert_int_equal(rc, -1);
        if (rowset_error(rs, NULL, NULL) != ERR_MALFORMED)
            fail_msg("list body %zu", i);
        assert_int_equal(rowset_count(rs), 0);
        rowset_free(rs);
    }
    static const char *const insights[] = {
        "{\"data\":[{\"name\":\"reach\",\"values\":[{\"value\":1.5}]}]}",
        "{\"data\":[{\"name\":\"reach\",\"values\":{\"value\":1}}]}",
        "{\"data\":[{\"name\":\"reach\",\"total_value\":[1]}]}",
        "{\"data\":[{\"values\":[{\"value\":1}]}]}",
        "{\"data\":null}",
    };
    for (size_t i = 0; i < sizeof insights / sizeof insights[0]; i++) {
        struct adapter_ctx ctx = make_ctx(n, "insights:" M1 ",1:");
        int rc;
        struct rowset *rs =
            fixture_parse_body(&ctx, 200, insights[i], strlen(insights[i]), NULL, &rc);
        assert_int_equal(rc, -1);
        if (rowset_error(rs, NULL, NULL) != ERR_MALFORMED)
            fail_msg("insights body %zu", i);
        assert_int_equal(rowset_count(rs), 0);
        assert_int_equal(rowset_warnings(rs), 0);
        rowset_free(rs);
    }
}

/* ---- errors --------------------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    const char *ai = "instagram.account_insights", *m = "instagram.media";
    const char *ins = "insights:" M1 ":";
    /* a retired metric fails the whole call with error 100 */
    expect_error(ai, "total:2024-01-13", 400, "error_100_invalid_metric.json", NULL,
                 ERR_BAD_REQUEST, -1);
    expect_error(ai, NULL, 400, "error_100_object_missing.json", NULL, ERR_NOT_FOUND, -1);
    expect_error(ai, "profile", 400, "error_190_expired.json", NULL, ERR_AUTH, -1);
    expect_error(m, NULL, 403, "error_200_permission.json", NULL, ERR_PERMISSION, -1);
    /* "not enough viewers" is a permission error except on one medium's insights */
    expect_error(ai, "profile", 400, "error_10_not_enough_viewers.json", NULL, ERR_PERMISSION, -1);
    /* and 2108006 on a list page is a bad request like any other error 100 */
    expect_error(m, NULL, 400, "error_100_2108006.json", NULL, ERR_BAD_REQUEST, -1);
    expect_error(ai, NULL, 400, "error_2_transient.json", NULL, ERR_TRANSIENT, -1);
    expect_error(ai, NULL, 500, "error_1_unknown.json", NULL, ERR_TRANSIENT, -1);
    expect_error(m, NULL, 503, "media_truncated.json", NULL, ERR_TRANSIENT, -1);
    /* throttles come as 400 or 403: the code decides, the usage header says how long */
    const struct fixture_hdr buc[] = {
        {"X-Business-Use-Case-Usage",
         "{\"" IGU "\":[{\"type\":\"instagram\",\"call_count\":100,\"total_cputime\":12,"
         "\"total_time\":30,\"estimated_time_to_regain_access\":17}]}"},
        {NULL, NULL}};
    expect_error(ai, NULL, 403, "error_80002_instagram.json", buc, ERR_THROTTLED, 17 * 60 * 1000);
    expect_error(m, ins, 400, "error_80002_instagram.json", NULL, ERR_THROTTLED, -1);
    expect_error(m, NULL, 400, "error_4_app_limit.json", NULL, ERR_THROTTLED, -1);
    /* only throttles take a retry time */
    expect_error(ai, NULL, 400, "error_190_expired.json", buc, ERR_AUTH, -1);
}

static void test_error_message(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("instagram.account_insights", NULL);
    const char *msg;
    int rc;
    struct rowset *rs = fixture_parse(&ctx, 400, "error_190_expired.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_AUTH);
    assert_string_equal(msg, "instagram: HTTP 400, Graph error 190/463: Error validating access "
                             "token: Session has expired on Friday, 12-Jan-24 10:00:00 PST. The "
                             "current time is Saturday, 13-Jan-24 09:14:27 PST.");
    rowset_free(rs);
    /* a message that links the docs or quotes the token in use: those words are blanked */
    rs = fixture_parse(&ctx, 400, "error_80002_instagram.json", NULL, &rc);
    rowset_error(rs, &msg, NULL);
    assert_non_null(strstr(msg, "please refer to [redacted]"));
    rowset_free(rs);
    const char *echo = "{\"error\":{\"message\":\"bad token " TOKEN "\",\"code\":190}}";
    rs = fixture_parse_body(&ctx, 401, echo, strlen(echo), NULL, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_AUTH);
    assert_string_equal(msg, "instagram: HTTP 401, Graph error 190/0: bad token [redacted]");
    rowset_free(rs);
    /* a bad medium id is not quoted */
    const char *bad = "{\"data\":[{\"id\":\"17895695668004550\",\"timestamp\":\"soon\"}]}";
    ctx = make_ctx("instagram.media", NULL);
    rs = fixture_parse_body(&ctx, 200, bad, strlen(bad), NULL, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal((rowset_error(rs, &msg, NULL), msg),
                        "instagram: medium 17895695668004550: timestamp is not a timestamp");
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
        {502, "", ERR_TRANSIENT},
        {503, "<html><body>Service Unavailable</body></html>", ERR_TRANSIENT},
        {400, "", ERR_MALFORMED},
        {404, "<html>not found</html>", ERR_MALFORMED},
        {200, "", ERR_MALFORMED},
        {200, "\"data\"", ERR_MALFORMED},
        {200, "{\"data\":[]} trailing", ERR_MALFORMED},
        {200, "{\"error\":{\"code\":\"x\"}}", ERR_BAD_REQUEST},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct adapter_ctx ctx = make_ctx("instagram.media", NULL);
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, cases[i].status, cases[i].body,
                                               strlen(cases[i].body), NULL, &rc);
        const char *msg;
        assert_int_equal(rc, -1);
        if (rowset_error(rs, &msg, NULL) != cases[i].cls)
            fail_msg("case %zu: %s (%s)", i, err_class_name(rowset_error(rs, NULL, NULL)), msg);
        assert_int_equal(rowset_count(rs), 0);
        rowset_free(rs);
    }
}

/* ---- usage headers -------------------------------------------------------------------------- */

static struct rl_signal rl(const struct fixture_hdr *headers)
{
    struct rl_signal sig = {123, 123, true};
    struct http_response resp = fixture_response(200, "", 0, headers);
    adapter_for(PLATFORM_INSTAGRAM)->ratelimit(&resp, NOW, &sig);
    return sig;
}

static void test_ratelimit(void **state)
{
    (void)state;
    const struct fixture_hdr app[] = {
        {"x-app-usage", "{\"call_count\":28,\"total_time\":25,\"total_cputime\":25}"},
        {NULL, NULL}};
    const struct fixture_hdr buc[] = {
        {"X-App-Usage", "{\"call_count\":5,\"total_time\":5,\"total_cputime\":5}"},
        {"X-Business-Use-Case-Usage",
         "{\"" IGU "\":[{\"type\":\"instagram\",\"call_count\":\"96\",\"total_cputime\":20,"
         "\"total_time\":20.5,\"estimated_time_to_regain_access\":0}],"
         "\"104858302236475\":[{\"type\":\"pages\",\"call_count\":3,\"total_time\":1,"
         "\"estimated_time_to_regain_access\":4}]}"},
        {NULL, NULL}};
    const struct fixture_hdr junk[] = {{"X-App-Usage", "not json"},
                                       {"X-Business-Use-Case-Usage", "{\"1\":{\"call_count\":50}}"},
                                       {NULL, NULL}};
    struct rl_signal s = rl(app);
    assert_int_equal(s.usage_pct, 28);
    assert_int_equal(s.wait_ms, -1);
    assert_false(s.per_stream);
    s = rl(buc);
    assert_int_equal(s.usage_pct, 96);
    assert_int_equal(s.wait_ms, 4 * 60 * 1000);
    s = rl(junk);
    assert_int_equal(s.usage_pct, -1);
    assert_int_equal(s.wait_ms, -1);
    s = rl(NULL);
    assert_int_equal(s.usage_pct, -1);
    assert_int_equal(s.wait_ms, -1);
    assert_false(s.per_stream);
}

/* ---- tokens --------------------------------------------------------------------------------- */

static void test_refresh_build(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_INSTAGRAM);
    struct cfg_credential cred = {0}; /* needs nothing but the token */
    struct http_request req = {0};
    assert_int_equal(a->refresh_build(&platform, &cred, "IGQW+current/token", NULL, &req), 0);
    assert_string_equal(req.method, "GET");
    assert_string_equal(req.url,
                        "https://graph.instagram.com/refresh_access_token"
                        "?grant_type=ig_refresh_token&access_token=IGQW%2Bcurrent%2Ftoken");
    assert_string_equal(req.log_url, "https://graph.instagram.com/refresh_access_token");
    assert_null(req.body);
    assert_null(req.headers[0]);
    http_request_free(&req);
    assert_int_equal(a->refresh_build(&platform, &cred, "", "rt", &req), -1);
    http_request_free(&req);
    assert_int_equal(a->refresh_build(&platform, &cred, NULL, NULL, &req), -1);
    http_request_free(&req);
    struct cfg_platform no_url = {.api_base = api_base};
    assert_int_equal(a->refresh_build(&no_url, &cred, "IGQW", NULL, &req), -1);
    http_request_free(&req);
}

static int refresh(long status, const char *body, struct token_set *out, enum err_class *cls,
                   char *why, size_t whylen)
{
    struct http_response resp = fixture_response(status, body, strlen(body), NULL);
    return adapter_for(PLATFORM_INSTAGRAM)->refresh_parse(&resp, out, cls, why, whylen);
}

static void test_refresh_parse(void **state)
{
    (void)state;
    struct token_set *out = xcalloc(1, sizeof *out);
    enum err_class cls;
    char why[256];
    char *body = unit_read_file("tests/fixtures/instagram/token.json", NULL);
    assert_int_equal(refresh(200, body, out, &cls, why, sizeof why), 0);
    assert_int_equal(cls, ERR_NONE);
    assert_string_equal(out->access_token, "IGQWRPcG5BexampleRefreshedLongLivedToken0123456789");
    assert_string_equal(out->refresh_token, "");
    assert_int_equal(out->expires_in_s, 5183944);
    free(body);

    body = unit_read_file("tests/fixtures/instagram/token_error_190.json", NULL);
    assert_int_equal(refresh(400, body, out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_string_equal(out->access_token, "");
    assert_non_null(strstr(why, "token refresh failed: instagram: HTTP 400, Graph error 190/460"));
    free(body);

    assert_int_equal(refresh(503, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_TRANSIENT);
    assert_int_equal(refresh(200, "{}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(refresh(200, "{\"access_token\":\"IGQ\",\"expires_in\":\"later\"}", out, &cls,
                             why, sizeof why),
                     -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(refresh(200, "{\"access_token\":\"IGQnew\",\"token_type\":\"bearer\"}", out,
                             &cls, why, sizeof why),
                     0);
    assert_string_equal(out->access_token, "IGQnew");
    assert_int_equal(out->expires_in_s, 0);
    free(out);
}

/*
 * A retired metric fails the whole insights call. Instagram names it by its index in the list
 * asked for ("metric[N] must be one of ..."); a metric the job retired is not asked for again.
 */
static void test_refused_metric(void **state)
{
    (void)state;
    const char *n = "instagram.account_insights", *name, *among;
    struct adapter_ctx ctx = make_ctx(n, "total:2024-01-13");
    struct http_request req = {0};
    char why[128];
    int rc;
    ctx.retired = "likes";
    assert_int_equal(fixture_stream(n)->build(&ctx, &req, why, sizeof why), 0);
    assert_string_equal(req.url,
                        GRAPH IGU "/insights?metric=views%2Caccounts_engaged%2Ctotal_interactions"
                                  "%2Ccomments%2Cshares%2Csaves&metric_type=total_value&period=day"
                                  "&since=2024-01-13&until=2024-01-14");
    http_request_free(&req);
    const char *body = "{\"error\":{\"message\":\"(#100) metric[3] must be one of the following "
                       "values: reach, follower_count, views\",\"type\":\"OAuthException\","
                       "\"code\":100}}";
    struct rowset *rs = fixture_parse_body(&ctx, 400, body, strlen(body), NULL, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(rowset_error(rs, NULL, NULL), ERR_BAD_REQUEST);
    assert_true(rowset_refused_metric(rs, &name, &among));
    assert_string_equal(name, "comments"); /* the fourth of those asked, likes being retired */
    assert_string_equal(among, "views,accounts_engaged,total_interactions,comments,shares,saves");
    rowset_free(rs);
    /* the v22.0 wording names the metric in the text: "the X metric", even beside another */
    const char *v22 = "{\"error\":{\"message\":\"(#100) Starting from v22.0, the shares metric is "
                      "no longer supported. Please use views\",\"type\":\"OAuthException\","
                      "\"code\":100}}";
    rs = fixture_parse_body(&ctx, 400, v22, strlen(v22), NULL, &rc);
    assert_true(rowset_refused_metric(rs, &name, NULL));
    assert_string_equal(name, "shares");
    rowset_free(rs);
    /* the profile page asks for no metric: its error 100 is not a refused metric */
    ctx.page = "profile";
    rs = fixture_parse_body(&ctx, 400, body, strlen(body), NULL, &rc);
    assert_false(rowset_refused_metric(rs, NULL, NULL));
    rowset_free(rs);
}

/* A media list page whose after cursor is the one it was asked with would be asked for
 * forever (between its insights pages): refused, and paging stops. */
static void test_repeated_cursor(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("instagram.media", "list:QVFIUmlt2TFNOVkZAqZA3NTcW1B");
    fixture_expect_repeat(&ctx, "media_page1.json");
}

int main(void)
{
    fixture_use(PLATFORM_INSTAGRAM, TOKEN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_cursor),
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_build_account_insights),
        cmocka_unit_test(test_refused_metric),
        cmocka_unit_test(test_build_series_chunks),
        cmocka_unit_test(test_build_media),
        cmocka_unit_test(test_account_series),
        cmocka_unit_test(test_account_series_dst),
        cmocka_unit_test(test_account_total),
        cmocka_unit_test(test_profile),
        cmocka_unit_test(test_account_insights_run),
        cmocka_unit_test(test_account_insights_malformed),
        cmocka_unit_test(test_media_page),
        cmocka_unit_test(test_media_run),
        cmocka_unit_test(test_media_insights),
        cmocka_unit_test(test_media_skipped),
        cmocka_unit_test(test_media_old),
        cmocka_unit_test(test_media_list_edges),
        cmocka_unit_test(test_media_malformed),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_message),
        cmocka_unit_test(test_errors_without_body),
        cmocka_unit_test(test_ratelimit),
        cmocka_unit_test(test_refresh_build),
        cmocka_unit_test(test_refresh_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
