/*
 * test_adapter_youtube.c - the YouTube adapter: Data API and Analytics requests (URL, encoded
 * query, bearer header, the uploads playlist), every fixture in tests/fixtures/youtube/ parsed
 * into exact records (string counts, hidden counts, rounded subscribers, reports read by column
 * name), the page cursors across a whole videos run, Google errors to error classes with the quota
 * parked until Pacific midnight (across clock changes), the token refresh, and that a rejected
 * page leaves no records behind.
 */
#include "unit.h"
#include "adapter.h"
#include "adapter_fixture.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN   "ya29.SECRET-youtube-token-0123456789"
#define NOW     (INT64_C(1710316800) * 1000000 + 500000) /* 2024-03-13T08:00:00.5Z */
#define CHANNEL "UC_x5XG1OV2P6uZZ5FSM9Ttw"
#define DATA    "https://www.googleapis.com/youtube/v3/"
#define PTOKEN  "EAAaBlBUOkNESQ"

static char channel_id[] = CHANNEL;
static char api_base[] = "https://www.googleapis.com";
static char api_base2[] = "https://youtubeanalytics.googleapis.com";
static char token_url[] = "https://oauth2.googleapis.com/token";

static struct cfg_account account = {.id = channel_id};
static struct cfg_platform platform = {
    .api_base = api_base, .api_base2 = api_base2, .token_url = token_url};

static int32_t day(int y, unsigned m, unsigned d)
{
    return time_days_from_civil(y, m, d);
}

static int64_t ts(int y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return ((int64_t)day(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000000;
}

/* Videos from the UTC day 2024-03-01; the report covers the Pacific days 2024-03-08..10. */
static struct adapter_ctx make_ctx(const char *stream, const char *page)
{
    bool videos = strcmp(stream, "youtube.videos") == 0;
    struct adapter_ctx c = {
        .account = &account,
        .platform = &platform,
        .stream = stream,
        .access_token = TOKEN,
        .email_salt = "",
        .page = page,
        .from_day = videos ? day(2024, 3, 1) : day(2024, 3, 8),
        .to_day = videos ? day(2024, 3, 12) : day(2024, 3, 10),
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
static void expect_error_at(const struct adapter_ctx *ctx, long status, const char *file,
                            enum err_class cls, int64_t retry)
{
    fixture_expect_error(ctx, status, file, NULL, cls, retry);
}

static void expect_error(const char *name, const char *page, long status, const char *file,
                         enum err_class cls, int64_t retry)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    expect_error_at(&ctx, status, file, cls, retry);
}

/* An inline body that must be refused as malformed, with no records. */
static void expect_malformed(const char *name, const char *page, const char *body)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    fixture_expect_body_error(&ctx, 200, body, NULL, ERR_MALFORMED, -1);
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

/* The seven report metrics of one day, in the adapter's order. */
static void is_day(const struct rowset *rs, size_t i, int32_t d, int64_t views, int64_t watch_s,
                   int64_t likes, int64_t comments, int64_t shares, int64_t gained, int64_t lost)
{
    is_metric(rs, i, "views", d, views);
    is_metric(rs, i + 1, "watch_time_seconds", d, watch_s);
    is_metric(rs, i + 2, "likes", d, likes);
    is_metric(rs, i + 3, "comments", d, comments);
    is_metric(rs, i + 4, "shares", d, shares);
    is_metric(rs, i + 5, "followers_gained", d, gained);
    is_metric(rs, i + 6, "followers_lost", d, lost);
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

static void is_video(const struct rowset *rs, size_t i, const char *id, int64_t published,
                     const char *title)
{
    const struct record *r = rowset_get(rs, i);
    char url[128];
    assert_non_null(r);
    assert_int_equal(r->type, REC_CONTENT);
    assert_string_equal(r->u.content.id, id);
    assert_string_equal(r->u.content.kind, "video");
    assert_int_equal(r->u.content.published_at, published);
    snprintf(url, sizeof url, "https://www.youtube.com/watch?v=%s", id);
    assert_string_equal(r->u.content.url, url);
    assert_string_equal(r->u.content.title, title);
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
    const struct adapter *a = adapter_for(PLATFORM_YOUTUBE);
    assert_non_null(a);
    assert_int_equal(a->nstreams, 3);
    assert_string_equal(a->streams[0].name, "youtube.channel");
    assert_false(a->streams[0].windowed);
    assert_string_equal(a->streams[1].name, "youtube.videos");
    assert_true(a->streams[1].windowed);
    assert_int_equal(a->streams[1].basis, BASIS_UTC);
    assert_string_equal(a->streams[2].name, "youtube.analytics");
    assert_true(a->streams[2].windowed);
    assert_int_equal(a->streams[2].basis, BASIS_PACIFIC);
    for (size_t i = 0; i < a->nstreams; i++)
        assert_false(a->streams[i].incremental);
    assert_null(a->ratelimit); /* Google sends no usage headers */
    assert_non_null(a->refresh_build);
    assert_non_null(a->refresh_parse);
}

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
    http_request_free(&req);
}

static void expect_refused(const struct adapter_ctx *ctx, const char *why_expected)
{
    struct http_request req = {0};
    char why[128] = "";
    assert_int_equal(fixture_stream(ctx->stream)->build(ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, why_expected);
    http_request_free(&req);
}

static void test_build_channel(void **state)
{
    (void)state;
    static const struct cfg_account no_id = {0};
    expect_url("youtube.channel", NULL, DATA "channels?part=statistics&id=" CHANNEL);
    struct adapter_ctx ctx = make_ctx("youtube.channel", NULL);
    ctx.account = &no_id;
    expect_refused(&ctx, "account has no channel id");
    ctx = make_ctx("youtube.channel", NULL);
    ctx.access_token = "";
    expect_refused(&ctx, "no access token");
}

static void test_build_videos(void **state)
{
    (void)state;
    const char *n = "youtube.videos";
    /* the uploads playlist: the channel id with UC replaced by UU */
    expect_url(n, NULL,
               DATA "playlistItems?part=contentDetails&playlistId=UU_x5XG1OV2P6uZZ5FSM9Ttw"
                    "&maxResults=50");
    expect_url(n, "playlist:" PTOKEN,
               DATA "playlistItems?part=contentDetails&playlistId=UU_x5XG1OV2P6uZZ5FSM9Ttw"
                    "&maxResults=50&pageToken=" PTOKEN);
    expect_url(n, "playlist:a+b/c=",
               DATA "playlistItems?part=contentDetails&playlistId=UU_x5XG1OV2P6uZZ5FSM9Ttw"
                    "&maxResults=50&pageToken=a%2Bb%2Fc%3D");
    expect_url(n, "videos:abcDEF12345,N_-x9-y8Z70:" PTOKEN,
               DATA "videos?part=statistics%2Csnippet&id=abcDEF12345%2CN_-x9-y8Z70");
    expect_url(n, "videos:laStVid0001:", DATA "videos?part=statistics%2Csnippet&id=laStVid0001");
    static const char *const bad[] = {"videos::" PTOKEN, "videos:a b:", "videos:abc",
                                      "playlist:",       "nope",        "videos:a/b:x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct adapter_ctx ctx = make_ctx(n, bad[i]);
        expect_refused(&ctx, "page cursor is not a videos page");
    }
    static char handle[] = "HCxyz", bare[] = "UC", slash[] = "UC/../x";
    static struct cfg_account not_uc[] = {{.id = handle}, {.id = bare}, {.id = slash}, {0}};
    for (size_t i = 0; i < sizeof not_uc / sizeof not_uc[0]; i++) {
        struct adapter_ctx ctx = make_ctx(n, NULL);
        ctx.account = &not_uc[i];
        expect_refused(&ctx, "account id is not a channel id starting with UC");
    }
}

static void test_build_analytics(void **state)
{
    (void)state;
    expect_url("youtube.analytics", NULL,
               "https://youtubeanalytics.googleapis.com/v2/reports?ids=channel%3D%3DMINE"
               "&startDate=2024-03-08&endDate=2024-03-10&metrics=views%2CestimatedMinutesWatched"
               "%2Clikes%2Ccomments%2Cshares%2CsubscribersGained%2CsubscribersLost"
               "&dimensions=day&sort=day");
    struct cfg_platform one_host = {.api_base = api_base, .token_url = token_url};
    struct adapter_ctx ctx = make_ctx("youtube.analytics", NULL);
    ctx.platform = &one_host;
    expect_refused(&ctx, "platform has no API base URL for /v2/reports");
}

/* ---- youtube.channel ------------------------------------------------------------------------ */

static void test_channel(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("youtube.channel", NULL, "channel.json");
    assert_int_equal(rowset_count(rs), 3);
    is_snapshot(rs, 0, "", "views", 298347512);
    is_snapshot(rs, 1, "", "posts", 6712);
    is_snapshot(rs, 2, "", "followers", 2260000); /* rounded by YouTube: kept as observed */
    is_next(rs, NULL);
    rowset_free(rs);
    /* hiddenSubscriberCount: the subscriber count is not a count, nothing is recorded */
    rs = parse_ok("youtube.channel", NULL, "channel_hidden.json");
    assert_int_equal(rowset_count(rs), 2);
    is_snapshot(rs, 0, "", "views", 18446744);
    is_snapshot(rs, 1, "", "posts", 0);
    rowset_free(rs);
}

/*
 * An answer holding several channels: the configured channel's is recorded, never simply the
 * first; when none (or several) of them has the configured id, the page is refused, naming the
 * count.
 */
static void test_channel_several(void **state)
{
    (void)state;
    const char *msg;
    int rc;
    static char second[] = "UCVHFbqXqoYvEWM1Ddxl0QDg";
    struct cfg_account acct = {.id = second};
    struct adapter_ctx ctx = make_ctx("youtube.channel", NULL);
    ctx.account = &acct;
    struct rowset *rs = fixture_parse_ok(&ctx, "channel_several.json");
    assert_int_equal(rowset_count(rs), 3);
    is_snapshot(rs, 0, "", "views", 412880031);
    is_snapshot(rs, 1, "", "posts", 4025);
    is_snapshot(rs, 2, "", "followers", 1430000);
    rowset_free(rs);
    static char other[] = "UCzzzzzzzzzzzzzzzzzzzzzz";
    acct.id = other;
    rs = fixture_parse(&ctx, 200, "channel_several.json", NULL, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_MALFORMED);
    assert_string_equal(msg, "youtube: the answer holds 2 channels and not exactly one of them is "
                             "the configured channel UCzzzzzzzzzzzzzzzzzzzzzz: which one to "
                             "record is unknown");
    assert_int_equal(rowset_count(rs), 0);
    rowset_free(rs);
    /* the same channel twice: which item is meant is unknown too */
    acct.id = channel_id;
    fixture_expect_body_error(&ctx, 200,
                              "{\"items\":[{\"id\":\"" CHANNEL "\",\"statistics\":{}},"
                              "{\"id\":\"" CHANNEL "\",\"statistics\":{}}]}",
                              NULL, ERR_MALFORMED, -1);
}

static void test_channel_not_found(void **state)
{
    (void)state;
    const char *msg;
    int rc;
    struct adapter_ctx ctx = make_ctx("youtube.channel", NULL);
    struct rowset *rs = fixture_parse(&ctx, 200, "channel_not_found.json", NULL, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_NOT_FOUND);
    assert_string_equal(msg, "youtube: channel " CHANNEL " not found");
    assert_int_equal(rowset_count(rs), 0);
    rowset_free(rs);
}

static void test_channel_malformed(void **state)
{
    (void)state;
    const char *n = "youtube.channel";
    expect_malformed(n, NULL, "{\"items\":{}}");
    expect_malformed(n, NULL, "{\"items\":[{\"id\":\"" CHANNEL "\"}]}");
    expect_malformed(n, NULL, "{\"items\":[{\"statistics\":{\"viewCount\":\"1e3\"}}]}");
    expect_malformed(n, NULL, "{\"items\":[{\"statistics\":{\"viewCount\":\"-1\"}}]}");
    expect_malformed(n, NULL,
                     "{\"items\":[{\"statistics\":{\"viewCount\":\"1\",\"subscriberCount\":"
                     "\"99999999999999999999999\"}}]}");
    expect_malformed(n, NULL,
                     "{\"items\":[{\"statistics\":{\"viewCount\":\"1\","
                     "\"hiddenSubscriberCount\":\"maybe\"}}]}");
    expect_malformed(n, NULL, "[]");
}

/* ---- youtube.videos ------------------------------------------------------------------------- */

/* A whole run: playlist page, its videos, the last playlist page, its videos, the end. */
static void test_videos_run(void **state)
{
    (void)state;
    static const struct {
        const char *page, *file;
        size_t records;
        const char *next;
    } run[] = {
        {NULL, "playlist_page1.json", 0, "videos:abcDEF12345,N_-x9-y8Z70,privateVid1:" PTOKEN},
        {"videos:abcDEF12345,N_-x9-y8Z70,privateVid1:" PTOKEN, "videos.json", 6,
         "playlist:" PTOKEN},
        {"playlist:" PTOKEN, "playlist_last.json", 0, "videos:laStVid0001:"},
        {"videos:laStVid0001:", "videos.json", 6, NULL},
    };
    for (size_t i = 0; i < sizeof run / sizeof run[0]; i++) {
        struct rowset *rs = parse_ok("youtube.videos", run[i].page, run[i].file);
        assert_int_equal(rowset_count(rs), run[i].records);
        is_next(rs, run[i].next);
        rowset_free(rs);
        if (run[i].next)
            assert_string_equal(run[i].next, run[i + 1].page);
    }
}

/* Counts are strings; likes and comments turned off are absent and not recorded. */
static void test_videos(void **state)
{
    (void)state;
    struct rowset *rs =
        parse_ok("youtube.videos", "videos:abcDEF12345,N_-x9-y8Z70:", "videos.json");
    assert_int_equal(rowset_count(rs), 6);
    is_video(rs, 0, "abcDEF12345", ts(2024, 3, 11, 16, 0, 9),
             "Spring launch \xF0\x9F\x8C\xB8 \xE2\x80\x94 what\xE2\x80\x99s new in 2024");
    is_snapshot(rs, 1, "abcDEF12345", "views", 15234);
    is_snapshot(rs, 2, "abcDEF12345", "likes", 804);
    is_snapshot(rs, 3, "abcDEF12345", "comments", 77);
    is_video(rs, 4, "N_-x9-y8Z70", ts(2024, 3, 5, 20, 37, 49), "Comments and likes turned off");
    is_snapshot(rs, 5, "N_-x9-y8Z70", "views", 901);
    is_next(rs, NULL);
    rowset_free(rs);
}

/* The playlist stops at the first video published before the window. */
static void test_playlist_edges(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("youtube.videos", "playlist:" PTOKEN, "playlist_old.json");
    assert_int_equal(rowset_count(rs), 0);
    is_next(rs, "videos:newerVid001:"); /* no further playlist page */
    rowset_free(rs);
    struct adapter_ctx ctx = make_ctx("youtube.videos", NULL);
    int rc;
    ctx.from_day = day(2024, 3, 3); /* now every video on the page is older */
    rs = fixture_parse(&ctx, 200, "playlist_old.json", NULL, &rc);
    assert_int_equal(rc, 0);
    is_next(rs, NULL);
    rowset_free(rs);
    /* the window starts exactly at a video's publication: it is in */
    rs = parse_ok("youtube.videos", NULL, "playlist_last.json");
    is_next(rs, "videos:laStVid0001:");
    rowset_free(rs);
    rs = parse_ok("youtube.videos", NULL, "playlist_empty.json");
    is_next(rs, NULL);
    rowset_free(rs);
    rs = parse_ok("youtube.videos", "videos:a:", "playlist_empty.json"); /* no items: none */
    assert_int_equal(rowset_count(rs), 0);
    is_next(rs, NULL);
    rowset_free(rs);
}

static void test_videos_malformed(void **state)
{
    (void)state;
    const char *n = "youtube.videos";
    expect_malformed(n, NULL, "{\"items\":[{\"contentDetails\":{}}]}");
    expect_malformed(n, NULL, "{\"items\":[{\"contentDetails\":{\"videoId\":\"a,b\"}}]}");
    expect_malformed(n, NULL,
                     "{\"items\":[{\"contentDetails\":{\"videoId\":\"abc\","
                     "\"videoPublishedAt\":\"March\"}}]}");
    expect_malformed(n, NULL, "{\"items\":[],\"nextPageToken\":5}");
    expect_malformed(n, NULL, "{\"items\":{}}");
    const char *v = "videos:abc:";
    expect_malformed(n, v, "{\"items\":[{\"id\":\"abc\",\"statistics\":{\"viewCount\":\"x\"}}]}");
    expect_malformed(n, v, "{\"items\":[{\"id\":\"abc\",\"statistics\":[]}]}");
    expect_malformed(n, v, "{\"items\":[{\"id\":{\"videoId\":\"abc\"}}]}");
    expect_malformed(n, v, "{\"items\":[{\"id\":\"abc\",\"snippet\":{\"title\":7}}]}");
    expect_malformed(n, v, "{\"items\":[{\"id\":\"abc\",\"snippet\":{\"publishedAt\":\"x\"}}]}");
    /* a good video, then a bad one: nothing of the page is kept */
    expect_malformed(n, v,
                     "{\"items\":[{\"id\":\"abc\",\"statistics\":{\"viewCount\":\"1\"}},"
                     "{\"id\":\"def\",\"statistics\":{\"likeCount\":1.5}}]}");
}

/* ---- youtube.analytics ---------------------------------------------------------------------- */

static void test_analytics(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("youtube.analytics", NULL, "analytics.json");
    /* 2024-03-07 is before the window */
    assert_int_equal(rowset_count(rs), 3 * 7);
    is_day(rs, 0, day(2024, 3, 8), 1500, 3120 * 60, 52, 4, 6, 11, 2);
    is_day(rs, 7, day(2024, 3, 9), 1750, 3975 * 60, 61, 7, 3, 14, 0);
    is_day(rs, 14, day(2024, 3, 10), 1620, 3301 * 60, 48, 2, 1, 8, 3);
    is_next(rs, NULL);
    rowset_free(rs);
}

/* Columns found by name whatever their order; FLOAT minutes to exact seconds; null: no record. */
static void test_analytics_reordered(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("youtube.analytics", NULL, "analytics_reordered.json");
    assert_int_equal(rowset_count(rs), 7 + 7 + 6);
    is_day(rs, 0, day(2024, 3, 8), 1500, 187200, 52, 4, 6, 11, 2); /* as in analytics.json */
    is_day(rs, 7, day(2024, 3, 9), 30, 3975, 1, 0, 0, 0, 0);       /* 66.25 min */
    is_metric(rs, 14, "views", day(2024, 3, 10), 2);
    is_metric(rs, 15, "watch_time_seconds", day(2024, 3, 10), 6); /* 0.1 min, not 6.000000001 */
    is_metric(rs, 16, "likes", day(2024, 3, 10), 0);
    is_metric(rs, 17, "shares", day(2024, 3, 10), 0); /* comments was null */
    is_metric(rs, 18, "followers_gained", day(2024, 3, 10), 0);
    is_metric(rs, 19, "followers_lost", day(2024, 3, 10), 1);
    rowset_free(rs);

    struct adapter_ctx ctx = make_ctx("youtube.analytics", NULL);
    int rc;
    ctx.to_day = day(2024, 3, 11);
    rs = fixture_parse(&ctx, 200, "analytics_reordered.json", NULL, &rc);
    assert_int_equal(rc, 0);
    is_metric(rs, 21, "watch_time_seconds", day(2024, 3, 11), 0); /* 0.498 s rounds to 0 */
    rowset_free(rs);
}

static void test_analytics_seconds(void **state)
{
    (void)state;
    static const struct {
        const char *minutes;
        int64_t seconds;
    } cases[] = {
        {"0", 0},
        {"1", 60},
        {"2.5", 150},
        {"0.1", 6},
        {"0.0125", 1},
        {"0.0075", 0},
        {"0.025", 2},
        {"1e2", 6000},
        {"\"12\"", 720},
        {"12.0", 720},
        {"153722867280", INT64_C(153722867280) * 60},
        {"0.00833333", 0},
        {"0.00916", 1},
        {"0.00841666", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *body =
            xasprintf("{\"columnHeaders\":[{\"name\":\"estimatedMinutesWatched\"},{\"name\":"
                      "\"day\"}],\"rows\":[[%s,\"2024-03-09\"]]}",
                      cases[i].minutes);
        struct adapter_ctx ctx = make_ctx("youtube.analytics", NULL);
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, 200, body, strlen(body), NULL, &rc);
        const char *msg;
        if (rc != 0)
            fail_msg("%s: %s", cases[i].minutes, (rowset_error(rs, &msg, NULL), msg));
        assert_int_equal(rowset_count(rs), 1);
        if (rowset_get(rs, 0)->u.metric.value != cases[i].seconds)
            fail_msg("%s minutes: %lld seconds", cases[i].minutes,
                     (long long)rowset_get(rs, 0)->u.metric.value);
        rowset_free(rs);
        free(body);
    }
}

static void test_analytics_no_rows(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("youtube.analytics", NULL, "analytics_no_rows.json");
    assert_int_equal(rowset_count(rs), 0);
    is_next(rs, NULL);
    rowset_free(rs);
    rs = parse_ok("youtube.analytics", NULL, "playlist_empty.json"); /* no rows, no headers */
    assert_int_equal(rowset_count(rs), 0);
    rowset_free(rs);
}

static void test_analytics_malformed(void **state)
{
    (void)state;
    const char *n = "youtube.analytics";
    expect_error(n, NULL, 200, "analytics_short_row.json", ERR_MALFORMED, -1);
    const char *hdr = "\"columnHeaders\":[{\"name\":\"day\"},{\"name\":\"views\"},{\"name\":"
                      "\"estimatedMinutesWatched\"}]";
    static const char *const rows[] = {
        "[[\"2024-03-09\",1.5,1]]",   "[[\"2024-03-09\",-1,1]]",    "[[\"2024-03-09\",\"x\",1]]",
        "[[\"2024-03-09\",1,-0.5]]",  "[[\"2024-03-09\",1,\"x\"]]", "[[\"March 9\",1,1]]",
        "[[20240309,1,1]]",           "[\"2024-03-09\",1,1]",       "{}",
        "[[\"2024-03-09\",1,1e300]]", "[[\"2024-03-09\",1,[1]]]",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        char *body = xasprintf("{%s,\"rows\":%s}", hdr, rows[i]);
        expect_malformed(n, NULL, body);
        free(body);
    }
    expect_malformed(n, NULL, "{\"rows\":[[\"2024-03-09\",1]]}");
    expect_malformed(n, NULL, "{\"columnHeaders\":[{\"name\":\"views\"}],\"rows\":[[1]]}");
    expect_malformed(n, NULL, "{\"columnHeaders\":[{\"type\":\"day\"}],\"rows\":[]}");
    expect_malformed(n, NULL, "{\"columnHeaders\":{},\"rows\":[]}");
}

/* ---- errors --------------------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    const char *a = "youtube.analytics", *v = "youtube.videos", *c = "youtube.channel";
    /* NOW is 2024-03-13 01:00:00.5 PDT: the quota comes back at 2024-03-14 07:00 UTC */
    expect_error(a, NULL, 403, "error_403_quota.json", ERR_QUOTA, 23 * 3600 * 1000 - 500);
    expect_error(v, NULL, 403, "error_403_rate_limit.json", ERR_THROTTLED, -1);
    expect_error(a, NULL, 429, "error_429_resource_exhausted.json", ERR_THROTTLED, -1);
    expect_error(c, NULL, 401, "error_401_auth.json", ERR_AUTH, -1);
    expect_error(a, NULL, 403, "error_403_insufficient_permissions.json", ERR_PERMISSION, -1);
    expect_error(c, NULL, 403, "error_403_forbidden.json", ERR_PERMISSION, -1);
    /* errors[] left out: the gRPC status decides */
    expect_error(a, NULL, 403, "error_403_service_disabled.json", ERR_PERMISSION, -1);
    expect_error(a, NULL, 400, "error_400_invalid_value.json", ERR_BAD_REQUEST, -1);
    expect_error(v, "playlist:x", 404, "error_404_playlist_not_found.json", ERR_NOT_FOUND, -1);
    expect_error(v, NULL, 503, "error_503_backend.json", ERR_TRANSIENT, -1);
    expect_error(a, NULL, 500, "analytics_short_row.json", ERR_TRANSIENT, -1);
}

/* 403 quotaExceeded parks the job until the next midnight in US Pacific time. */
static void test_quota_midnight(void **state)
{
    (void)state;
    const struct {
        int64_t now;
        int64_t retry_ms;
    } cases[] = {
        /* 2024-01-14 00:00:00.5 PST: almost a whole day */
        {ts(2024, 1, 14, 8, 0, 0) + 500000, 24 * 3600 * 1000 - 500},
        /* Saturday noon before the spring change: midnight is still PST */
        {ts(2024, 3, 9, 20, 0, 0), 12 * 3600 * 1000},
        /* 2024-03-10 01:00 PST, an hour before the change: that day has 23 hours */
        {ts(2024, 3, 10, 9, 0, 0), 22 * 3600 * 1000},
        /* 2024-11-03 01:30 PDT, the first pass: that day has 25 hours */
        {ts(2024, 11, 3, 8, 30, 0), (int64_t)(23.5 * 3600 * 1000)},
        /* 2024-11-03 01:30 PST, the second pass */
        {ts(2024, 11, 3, 9, 30, 0), (int64_t)(22.5 * 3600 * 1000)},
        /* a second before midnight PDT */
        {ts(2024, 7, 1, 6, 59, 59), 1000},
        /* exactly midnight PST: the next one, a day later */
        {ts(2024, 12, 1, 8, 0, 0), 24 * 3600 * 1000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct adapter_ctx ctx = make_ctx("youtube.analytics", NULL);
        ctx.now = cases[i].now;
        expect_error_at(&ctx, 403, "error_403_quota.json", ERR_QUOTA, cases[i].retry_ms);
    }
}

static void test_error_message(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("youtube.videos", NULL);
    const char *msg;
    int rc;
    struct rowset *rs = fixture_parse(&ctx, 403, "error_403_rate_limit.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_THROTTLED);
    assert_string_equal(msg, "youtube: HTTP 403 userRateLimitExceeded: The request cannot be "
                             "completed because you have exceeded the user rate limit.");
    rowset_free(rs);
    rs = fixture_parse(&ctx, 401, "error_401_auth.json", NULL, &rc);
    rowset_error(rs, &msg, NULL);
    assert_non_null(strstr(msg, "youtube: HTTP 401 authError: Request had invalid"));
    assert_non_null(strstr(msg, "See [redacted]"));
    rowset_free(rs);
    const char *echo = "{\"error\":{\"code\":401,\"message\":\"bad " TOKEN " here\"}}";
    rs = fixture_parse_body(&ctx, 401, echo, strlen(echo), NULL, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_AUTH);
    assert_string_equal(msg, "youtube: HTTP 401: bad [redacted] here");
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
        {500, "<html><body>Internal Server Error</body></html>", ERR_TRANSIENT},
        {404, "<html>Not Found</html>", ERR_NOT_FOUND},
        {401, "", ERR_AUTH},
        {403, "", ERR_PERMISSION},
        {429, "", ERR_THROTTLED},
        {400, "", ERR_BAD_REQUEST},
        {200, "", ERR_MALFORMED},
        {200, "[]", ERR_MALFORMED},
        {200, "{\"items\":[]} trailing", ERR_MALFORMED},
        {200, "{\"items\":[{\"id\":\"\xC3\x28\"}]}", ERR_MALFORMED},
        {200, "{\"error\":{\"code\":403,\"errors\":[{\"reason\":\"quotaExceeded\"}]}}", ERR_QUOTA},
        {403,
         "{\"error\":{\"errors\":[{\"reason\":\"whatever\"},{\"reason\":\"dailyLimitExceeded\"}]}}",
         ERR_QUOTA},
        {403, "{\"error\":{\"errors\":\"x\",\"status\":\"NOT_FOUND\"}}", ERR_NOT_FOUND},
        {418, "{\"error\":{\"code\":418,\"status\":\"TEAPOT\"}}", ERR_BAD_REQUEST},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct adapter_ctx ctx = make_ctx("youtube.channel", NULL);
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

/* ---- tokens --------------------------------------------------------------------------------- */

static void test_refresh_build(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_YOUTUBE);
    char cid[] = "123-abc.apps.googleusercontent.com", secret[] = "GOCSPX-sec/ret",
         rt[] = "1//0gStored";
    struct cfg_credential cred = {.client_id = cid, .client_secret = secret, .refresh_token = rt};
    struct http_request req = {0};
    assert_int_equal(a->refresh_build(&platform, &cred, "ya29.old", "1//0gNew+rt", &req), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.url, "https://oauth2.googleapis.com/token");
    assert_string_equal(req.log_url, "https://oauth2.googleapis.com/token");
    assert_string_equal(req.body,
                        "grant_type=refresh_token"
                        "&client_id=123-abc.apps.googleusercontent.com"
                        "&client_secret=GOCSPX-sec%2Fret&refresh_token=1%2F%2F0gNew%2Brt");
    assert_string_equal(req.headers[0], "Content-Type: application/x-www-form-urlencoded");
    assert_null(req.headers[1]);
    http_request_free(&req);
    /* the stored refresh token when none is passed */
    assert_int_equal(a->refresh_build(&platform, &cred, "ya29.old", NULL, &req), 0);
    assert_non_null(strstr(req.body, "&refresh_token=1%2F%2F0gStored"));
    http_request_free(&req);
    cred.refresh_token = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "ya29.old", "", &req), -1);
    http_request_free(&req);
    cred.refresh_token = rt;
    cred.client_secret = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "ya29.old", NULL, &req), -1);
    http_request_free(&req);
    cred.client_secret = secret;
    cred.client_id = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "ya29.old", NULL, &req), -1);
    http_request_free(&req);
}

static int refresh(long status, const char *body, struct token_set *out, enum err_class *cls,
                   char *why, size_t whylen)
{
    struct http_response resp = fixture_response(status, body, strlen(body), NULL);
    return adapter_for(PLATFORM_YOUTUBE)->refresh_parse(&resp, out, cls, why, whylen);
}

static void test_refresh_parse(void **state)
{
    (void)state;
    struct token_set *out = xcalloc(1, sizeof *out);
    enum err_class cls;
    char why[256];
    char *body = unit_read_file("tests/fixtures/youtube/token.json", NULL);
    assert_int_equal(refresh(200, body, out, &cls, why, sizeof why), 0);
    assert_int_equal(cls, ERR_NONE);
    assert_string_equal(out->access_token, "ya29.a0AfB_byExampleRefreshedAccessToken0123456789");
    assert_string_equal(out->refresh_token, ""); /* Google usually keeps the refresh token */
    assert_int_equal(out->expires_in_s, 3599);
    free(body);

    body = unit_read_file("tests/fixtures/youtube/token_invalid_grant.json", NULL);
    assert_int_equal(refresh(400, body, out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_AUTH); /* the account must be re-authorized */
    assert_string_equal(why, "google token endpoint refused the refresh: invalid_grant");
    assert_string_equal(out->access_token, "");
    free(body);

    assert_int_equal(refresh(200,
                             "{\"access_token\":\"ya29.n\",\"refresh_token\":\"1//0gR2\","
                             "\"expires_in\":3599}",
                             out, &cls, why, sizeof why),
                     0);
    assert_string_equal(out->refresh_token, "1//0gR2");
    assert_int_equal(refresh(401, "{\"error\":\"invalid_client\"}", out, &cls, why, sizeof why),
                     -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_int_equal(refresh(503, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_TRANSIENT);
    assert_int_equal(refresh(429, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_THROTTLED);
    assert_int_equal(refresh(200, "{}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(refresh(200, "{\"access_token\":\"a\",\"expires_in\":\"soon\"}", out, &cls,
                             why, sizeof why),
                     -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(
        refresh(200, "{\"access_token\":\"a\",\"refresh_token\":7}", out, &cls, why, sizeof why),
        -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_string_equal(out->access_token, "");
    free(out);
}

/* A playlist page whose nextPageToken is the pageToken it was asked with would be asked for
 * forever (between its videos pages): refused, and paging stops. */
static void test_repeated_cursor(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("youtube.videos", "playlist:EAAaBlBUOkNESQ");
    fixture_expect_repeat(&ctx, "playlist_page1.json");
}

int main(void)
{
    fixture_use(PLATFORM_YOUTUBE, TOKEN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_cursor),
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_build_channel),
        cmocka_unit_test(test_build_videos),
        cmocka_unit_test(test_build_analytics),
        cmocka_unit_test(test_channel),
        cmocka_unit_test(test_channel_several),
        cmocka_unit_test(test_channel_not_found),
        cmocka_unit_test(test_channel_malformed),
        cmocka_unit_test(test_videos_run),
        cmocka_unit_test(test_videos),
        cmocka_unit_test(test_playlist_edges),
        cmocka_unit_test(test_videos_malformed),
        cmocka_unit_test(test_analytics),
        cmocka_unit_test(test_analytics_reordered),
        cmocka_unit_test(test_analytics_seconds),
        cmocka_unit_test(test_analytics_no_rows),
        cmocka_unit_test(test_analytics_malformed),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_quota_midnight),
        cmocka_unit_test(test_error_message),
        cmocka_unit_test(test_errors_without_body),
        cmocka_unit_test(test_refresh_build),
        cmocka_unit_test(test_refresh_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
