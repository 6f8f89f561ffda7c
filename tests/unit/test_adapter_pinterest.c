/*
 * test_adapter_pinterest.c - the Pinterest adapter: v5 requests (URL, encoded query, bearer
 * header) for every page of both streams, every fixture in tests/fixtures/pinterest/ parsed into
 * exact records (READY days only, bare-array ads analytics, micro-units in the account's currency,
 * missing columns as 0), the page cursors across whole runs, error classes from the HTTP status
 * (never the body's code), the rotating token refresh, and that a rejected page leaves no records.
 */
#include "unit.h"
#include "adapter.h"
#include "adapter_fixture.h"
#include "buf.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN "pina_SECRET-pinterest-token-0123456789"
#define NOW   (INT64_C(1714809600) * 1000000) /* 2024-05-04T08:00:00Z */
#define V5    "https://api.pinterest.com/v5/"
#define ACCT  "549755885175"
#define BM    "Y2JleGFtcGxlOjI1MDo1NDk3NTU4ODUxNzY6MTcxNDQzNTIwMA=="
#define C1    "549755885175"
#define C2    "549755885176"

static char ad_account[] = ACCT;
static char eur[] = "EUR";
static char api_base[] = "https://api.pinterest.com";
static char token_url[] = "https://api.pinterest.com/v5/oauth/token";

static struct cfg_account account = {.ad_account = ad_account, .currency = eur};
static struct cfg_platform platform = {.api_base = api_base, .token_url = token_url};

static int32_t day(int y, unsigned m, unsigned d)
{
    return time_days_from_civil(y, m, d);
}

/* Both streams cover the UTC days 2024-05-01..03. */
static struct adapter_ctx make_ctx(const char *stream, const char *page)
{
    struct adapter_ctx c = {
        .account = &account,
        .platform = &platform,
        .stream = stream,
        .access_token = TOKEN,
        .email_salt = "",
        .page = page,
        .from_day = day(2024, 5, 1),
        .to_day = day(2024, 5, 3),
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

/* A page that must be refused: class cls, no retry time of its own, and never a record. */
static void expect_error(const char *name, const char *page, long status, const char *file,
                         enum err_class cls)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    /* Retry-After is read by the HTTP layer */
    fixture_expect_error(&ctx, status, file, NULL, cls, -1);
}

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
    assert_int_equal(r->u.metric.basis, BASIS_UTC);
    assert_int_equal(r->u.metric.value, value);
}

static void is_snapshot(const struct rowset *rs, size_t i, const char *metric, int64_t value)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, REC_SNAPSHOT);
    assert_string_equal(r->u.snapshot.object, "");
    assert_string_equal(r->u.snapshot.metric, metric);
    assert_int_equal(r->u.snapshot.observed_at, NOW);
    assert_int_equal(r->u.snapshot.value, value);
}

static void is_campaign(const struct rowset *rs, size_t i, const char *id, const char *name,
                        const char *status)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, REC_CAMPAIGN);
    assert_string_equal(r->u.campaign.id, id);
    assert_string_equal(r->u.campaign.name, name);
    assert_string_equal(r->u.campaign.status, status);
    assert_null(r->u.campaign.objective);
}

struct ad {
    const char *campaign, *currency;
    int32_t day;
    int64_t spend, impressions, clicks, leads, conversions, value;
};

static void is_ad_daily(const struct rowset *rs, size_t i, struct ad want)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, REC_AD_DAILY);
    const struct rec_ad_daily *a = &r->u.ad_daily;
    assert_string_equal(a->campaign, want.campaign);
    assert_int_equal(a->day, want.day);
    assert_int_equal(a->basis, BASIS_UTC);
    assert_string_equal(a->currency, want.currency);
    assert_int_equal(a->spend_micros, want.spend);
    assert_int_equal(a->impressions, want.impressions);
    assert_int_equal(a->clicks, want.clicks);
    assert_int_equal(a->leads, want.leads);
    assert_int_equal(a->conversions, want.conversions);
    assert_int_equal(a->conversion_value_micros, want.value);
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
    const struct adapter *a = adapter_for(PLATFORM_PINTEREST);
    assert_non_null(a);
    assert_int_equal(a->nstreams, 2);
    assert_string_equal(a->streams[0].name, "pinterest.user_analytics");
    assert_string_equal(a->streams[1].name, "pinterest.ad_analytics");
    for (size_t i = 0; i < a->nstreams; i++) {
        assert_int_equal(a->streams[i].basis, BASIS_UTC);
        assert_true(a->streams[i].windowed);
        assert_false(a->streams[i].incremental);
    }
    assert_null(a->ratelimit); /* 429 and Retry-After only */
    assert_non_null(a->refresh_build);
    assert_non_null(a->refresh_parse);
}

static void expect_url(const char *name, const char *page, const char *url)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    struct http_request req = {0};
    char why[160] = "";
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
    char why[160] = "";
    assert_int_equal(fixture_stream(ctx->stream)->build(ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, why_expected);
    http_request_free(&req);
}

static void test_build_user_analytics(void **state)
{
    (void)state;
    const char *n = "pinterest.user_analytics";
    expect_url(n, NULL,
               V5 "user_account/analytics?start_date=2024-05-01&end_date=2024-05-03"
                  "&metric_types=IMPRESSION%2CSAVE%2CPIN_CLICK%2COUTBOUND_CLICK%2CENGAGEMENT"
                  "&content_type=ORGANIC");
    expect_url(n, "account", V5 "user_account");
    struct adapter_ctx ctx = make_ctx(n, "campaigns:x");
    expect_refused(&ctx, "page cursor is not a user analytics page");
    ctx = make_ctx(n, "account");
    ctx.access_token = NULL;
    expect_refused(&ctx, "no access token");
}

static void test_build_ad_analytics(void **state)
{
    (void)state;
    const char *n = "pinterest.ad_analytics";
    expect_url(n, NULL, V5 "ad_accounts/" ACCT "/campaigns?page_size=250");
    /* the bookmark goes back as it came, encoded */
    expect_url(n, "campaigns:" BM,
               V5 "ad_accounts/" ACCT "/campaigns?page_size=250&bookmark="
                  "Y2JleGFtcGxlOjI1MDo1NDk3NTU4ODUxNzY6MTcxNDQzNTIwMA%3D%3D");
    expect_url(n, "analytics:" C1 "," C2 ":" BM,
               V5 "ad_accounts/" ACCT "/campaigns/analytics?start_date=2024-05-01"
                  "&end_date=2024-05-03&campaign_ids=" C1 "%2C" C2
                  "&columns=SPEND_IN_MICRO_DOLLAR%2CTOTAL_IMPRESSION%2CTOTAL_CLICKTHROUGH"
                  "%2CTOTAL_CONVERSIONS%2CTOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR%2CLEADS"
                  "&granularity=DAY");
    expect_url(n, "analytics:" C1 ":",
               V5 "ad_accounts/" ACCT "/campaigns/analytics?start_date=2024-05-01"
                  "&end_date=2024-05-03&campaign_ids=" C1
                  "&columns=SPEND_IN_MICRO_DOLLAR%2CTOTAL_IMPRESSION%2CTOTAL_CLICKTHROUGH"
                  "%2CTOTAL_CONVERSIONS%2CTOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR%2CLEADS"
                  "&granularity=DAY");
    static const char *const bad[] = {"analytics::" BM, "analytics:12a:", "analytics:12",
                                      "campaigns:",     "account",        "x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct adapter_ctx ctx = make_ctx(n, bad[i]);
        expect_refused(&ctx, "page cursor is not an ad analytics page");
    }
    /* spend is in the ad account's currency, which only the configuration knows */
    static char empty[] = "", lower[] = "eur";
    static const struct cfg_account no_currency[] = {{.ad_account = ad_account},
                                                     {.ad_account = ad_account, .currency = empty},
                                                     {.ad_account = ad_account, .currency = lower}};
    for (size_t i = 0; i < sizeof no_currency / sizeof no_currency[0]; i++) {
        struct adapter_ctx ctx = make_ctx(n, NULL);
        ctx.account = &no_currency[i];
        expect_refused(&ctx, "account has no currency: Pinterest reports spend in the ad "
                             "account's currency, set `currency` to it");
    }
    static const struct cfg_account no_ad = {.currency = eur};
    struct adapter_ctx ctx = make_ctx(n, NULL);
    ctx.account = &no_ad;
    expect_refused(&ctx, "account has no ad_account");
}

/* A request's URL for ctx (built), checked against url. */
static void expect_ctx_url(const struct adapter_ctx *ctx, const char *url)
{
    struct http_request req = {0};
    char why[160] = "";
    if (fixture_stream(ctx->stream)->build(ctx, &req, why, sizeof why) != 0)
        fail_msg("%s: %s", ctx->stream, why);
    assert_string_equal(req.url, url);
    http_request_free(&req);
}

#define ORGANIC_TYPES                                                                              \
    "&metric_types=IMPRESSION%2CSAVE%2CPIN_CLICK%2COUTBOUND_CLICK%2CENGAGEMENT&content_type="      \
    "ORGANIC"
#define AD_COLUMNS                                                                                 \
    "&columns=SPEND_IN_MICRO_DOLLAR%2CTOTAL_IMPRESSION%2CTOTAL_CLICKTHROUGH"                       \
    "%2CTOTAL_CONVERSIONS%2CTOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR%2CLEADS&granularity=DAY"

/* Analytics serve at most 90 days per request and none older than 90 days: a 120-day window
 * asks from the oldest day still served (today 2024-05-04 less 90 days), never for more. */
static void test_long_window(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("pinterest.user_analytics", NULL);
    ctx.from_day = day(2024, 1, 5);
    expect_ctx_url(
        &ctx, V5 "user_account/analytics?start_date=2024-02-04&end_date=2024-05-03" ORGANIC_TYPES);
    const char *body = "{\"all\":{\"daily_metrics\":[]}}";
    int rc;
    struct rowset *rs = fixture_parse_body(&ctx, 200, body, strlen(body), NULL, &rc);
    assert_int_equal(rc, 0);
    is_next(rs, "account");
    rowset_free(rs);

    ctx = make_ctx("pinterest.ad_analytics", "analytics:" C1 ":" BM);
    ctx.from_day = day(2024, 1, 5);
    expect_ctx_url(&ctx, V5 "ad_accounts/" ACCT "/campaigns/analytics?start_date=2024-02-04"
                            "&end_date=2024-05-03&campaign_ids=" C1 AD_COLUMNS);
    /* a later chunk of the same campaigns starts on the day its cursor names */
    ctx.page = "analytics:" C1 "@2024-03-01:" BM;
    expect_ctx_url(&ctx, V5 "ad_accounts/" ACCT "/campaigns/analytics?start_date=2024-03-01"
                            "&end_date=2024-05-03&campaign_ids=" C1 AD_COLUMNS);
    static const char *const bad[] = {
        "analytics:" C1 "@2024-02-04:", "analytics:" C1 "@2024-05-04:", "analytics:" C1 "@x:",
        "analytics:" C1 "@2024-03-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ctx.page = bad[i];
        expect_refused(&ctx, "page cursor is not an ad analytics page");
    }
}

/* ---- pinterest.user_analytics --------------------------------------------------------------- */

static void test_user_analytics(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("pinterest.user_analytics", NULL, "user_analytics.json");
    int32_t d1 = day(2024, 5, 1), d2 = day(2024, 5, 2);
    assert_int_equal(rowset_count(rs), 5 + 3);
    is_metric(rs, 0, "impressions", d1, 240);
    is_metric(rs, 1, "saves", d1, 12);
    is_metric(rs, 2, "clicks", d1, 31);
    is_metric(rs, 3, "link_clicks", d1, 7);
    is_metric(rs, 4, "engagements", d1, 50);
    /* 1000.0 and "15" are counts; an absent and a null metric are not recorded */
    is_metric(rs, 5, "impressions", d2, 1000);
    is_metric(rs, 6, "saves", d2, 15);
    is_metric(rs, 7, "clicks", d2, 40);
    /* PROCESSING (05-03) is not final, 04-30 is before the window, 05-04 has no data */
    is_next(rs, "account");
    rowset_free(rs);
    rs = parse_ok("pinterest.user_analytics", NULL, "user_analytics_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    is_next(rs, "account");
    rowset_free(rs);
}

static void test_user_account(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("pinterest.user_analytics", "account", "user_account.json");
    assert_int_equal(rowset_count(rs), 3);
    is_snapshot(rs, 0, "followers", 15340);
    is_snapshot(rs, 1, "following", 211);
    is_snapshot(rs, 2, "posts", 812);
    is_next(rs, NULL);
    rowset_free(rs);
    /* null counts are not recorded (never 0); monthly_views is not asked for */
    rs = parse_ok("pinterest.user_analytics", "account", "user_account_nulls.json");
    assert_int_equal(rowset_count(rs), 1);
    is_snapshot(rs, 0, "followers", 0);
    is_next(rs, NULL);
    rowset_free(rs);
}

static void test_user_malformed(void **state)
{
    (void)state;
    const char *n = "pinterest.user_analytics";
    static const char *const bodies[] = {
        "{}",
        "[]",
        "{\"all\":[]}",
        "{\"all\":{\"daily_metrics\":{}}}",
        "{\"all\":{\"daily_metrics\":[1]}}",
        "{\"all\":{\"daily_metrics\":[{\"data_status\":\"READY\",\"metrics\":{}}]}}",
        "{\"all\":{\"daily_metrics\":[{\"date\":\"2024-05-01\",\"metrics\":{}}]}}",
        "{\"all\":{\"daily_metrics\":[{\"date\":\"2024-05-01\",\"data_status\":\"READY\"}]}}",
        "{\"all\":{\"daily_metrics\":[{\"date\":\"2024-05-01\",\"data_status\":\"READY\","
        "\"metrics\":{\"SAVE\":1.5}}]}}",
        "{\"all\":{\"daily_metrics\":[{\"date\":\"2024-05-01\",\"data_status\":\"READY\","
        "\"metrics\":{\"IMPRESSION\":5}},{\"date\":\"2024-05-02\",\"data_status\":\"READY\","
        "\"metrics\":{\"IMPRESSION\":\"many\"}}]}}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        expect_malformed(n, NULL, bodies[i]);
    expect_malformed(n, "account", "{\"follower_count\":\"lots\"}");
    expect_malformed(n, "account", "[]");
}

/* ---- pinterest.ad_analytics ----------------------------------------------------------------- */

static void test_campaigns(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("pinterest.ad_analytics", NULL, "campaigns_page1.json");
    assert_int_equal(rowset_count(rs), 2);
    is_campaign(rs, 0, C1, "Spring sale \xE2\x80\x94 awareness", "ACTIVE");
    is_campaign(rs, 1, C2, "Retargeting", "PAUSED");
    /* the analytics of these campaigns next, then the list goes on at the bookmark */
    is_next(rs, "analytics:" C1 "," C2 ":" BM);
    rowset_free(rs);
    rs = parse_ok("pinterest.ad_analytics", "campaigns:" BM, "campaigns_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    is_next(rs, NULL);
    rowset_free(rs);
}

/* A whole run: campaigns, their analytics, the last campaigns page, its analytics, the end. */
static void test_ad_run(void **state)
{
    (void)state;
    static const struct {
        const char *page, *file;
        size_t records;
        const char *next;
    } run[] = {
        {NULL, "campaigns_page1.json", 2, "analytics:" C1 "," C2 ":" BM},
        {"analytics:" C1 "," C2 ":" BM, "ad_analytics.json", 3, "campaigns:" BM},
        {"campaigns:" BM, "campaigns_last.json", 1, "analytics:549755885177:"},
        {"analytics:549755885177:", "ad_analytics_empty.json", 0, NULL},
    };
    for (size_t i = 0; i < sizeof run / sizeof run[0]; i++) {
        struct rowset *rs = parse_ok("pinterest.ad_analytics", run[i].page, run[i].file);
        assert_int_equal(rowset_count(rs), run[i].records);
        is_next(rs, run[i].next);
        rowset_free(rs);
        if (run[i].next)
            assert_string_equal(run[i].next, run[i + 1].page);
    }
}

/* A bare array; micro-units of the account's currency (EUR here); missing columns are 0. */
static void test_ad_analytics(void **state)
{
    (void)state;
    struct rowset *rs =
        parse_ok("pinterest.ad_analytics", "analytics:" C1 "," C2 ":", "ad_analytics.json");
    assert_int_equal(rowset_count(rs), 3);
    is_ad_daily(rs, 0,
                (struct ad){C1, "EUR", day(2024, 5, 1), 30000000, 12040, 216, 2, 4, 159960000});
    /* 41250000.0 micros and 1000.0 impressions: JSON numbers that are whole */
    is_ad_daily(rs, 1, (struct ad){C1, "EUR", day(2024, 5, 2), 41250000, 1000, 18, 0, 0, 0});
    is_ad_daily(rs, 2, (struct ad){C2, "EUR", day(2024, 5, 2), 0, 77, 0, 0, 0, 0});
    /* 2024-04-29 is before the window */
    is_next(rs, NULL);
    rowset_free(rs);

    /* no cursor (socialroi parse on a saved body): a bare array is read as analytics */
    rs = parse_ok("pinterest.ad_analytics", NULL, "ad_analytics.json");
    assert_int_equal(rowset_count(rs), 3);
    is_ad_daily(rs, 2, (struct ad){C2, "EUR", day(2024, 5, 2), 0, 77, 0, 0, 0, 0});
    is_next(rs, NULL);
    rowset_free(rs);

    /* socialroi parse has no currency: the records say so rather than guess USD */
    struct adapter_ctx ctx = make_ctx("pinterest.ad_analytics", "analytics:" C1 ":");
    struct cfg_account bare = {.ad_account = ad_account};
    int rc;
    ctx.account = &bare;
    rs = fixture_parse(&ctx, 200, "ad_analytics.json", NULL, &rc);
    assert_int_equal(rc, 0);
    is_ad_daily(rs, 0, (struct ad){C1, "", day(2024, 5, 1), 30000000, 12040, 216, 2, 4, 159960000});
    rowset_free(rs);
}

static void test_ad_malformed(void **state)
{
    (void)state;
    const char *n = "pinterest.ad_analytics", *a = "analytics:" C1 ":";
    /* a fractional micro-unit amount is not exact: the page is refused, not rounded */
    expect_error(n, a, 200, "ad_analytics_fractional_spend.json", ERR_MALFORMED);
    /* a JSON-number id above 2^53 after a good one */
    expect_error(n, a, 200, "ad_analytics_id_number.json", ERR_MALFORMED);
    /* an object where the bare array belongs, and the other way round */
    expect_error(n, a, 200, "campaigns_page1.json", ERR_MALFORMED);
    expect_error(n, a, 200, "error_429.json", ERR_MALFORMED);
    static const char *const rows[] = {
        "[{\"CAMPAIGN_ID\":\"1\"}]",
        "[{\"DATE\":\"2024-05-01\"}]",
        "[{\"DATE\":\"May 1\",\"CAMPAIGN_ID\":\"1\"}]",
        "[{\"DATE\":\"2024-05-01\",\"CAMPAIGN_ID\":\"1a\"}]",
        "[{\"DATE\":\"2024-05-01\",\"CAMPAIGN_ID\":\"1\",\"TOTAL_IMPRESSION\":\"x\"}]",
        "[{\"DATE\":\"2024-05-01\",\"CAMPAIGN_ID\":\"1\",\"TOTAL_IMPRESSION\":1.5}]",
        "[{\"DATE\":\"2024-05-01\",\"CAMPAIGN_ID\":\"1\",\"LEADS\":-1}]",
        "[{\"DATE\":\"2024-05-01\",\"CAMPAIGN_ID\":\"1\",\"SPEND_IN_MICRO_DOLLAR\":\"ten\"}]",
        "[1]",
        "{}",
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        expect_malformed(n, a, rows[i]);
    static const char *const lists[] = {
        "{\"items\":{}}",
        "{\"bookmark\":null}",
        "{\"items\":[{\"id\":\"12a\"}]}",
        "{\"items\":[{\"id\":\"1\",\"name\":7}]}",
        "{\"items\":[],\"bookmark\":5}",
    };
    for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
        expect_malformed(n, NULL, lists[i]);
    /* more campaigns than one analytics request takes */
    struct buf b = {0};
    buf_puts(&b, "{\"items\":[");
    for (int i = 0; i < 251; i++)
        buf_printf(&b, "%s{\"id\":\"%d\"}", i ? "," : "", 1000 + i);
    buf_puts(&b, "]}");
    expect_malformed(n, NULL, b.data);
    buf_free(&b);
}

/* ---- errors --------------------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    const char *u = "pinterest.user_analytics", *a = "pinterest.ad_analytics";
    /* the class comes from the HTTP status; the body's code is Pinterest's own number */
    expect_error(a, NULL, 429, "error_429.json", ERR_THROTTLED);
    expect_error(u, NULL, 401, "error_401.json", ERR_AUTH);
    expect_error(a, "analytics:1:", 403, "error_403.json", ERR_PERMISSION);
    expect_error(a, "analytics:1:", 400, "error_400.json", ERR_BAD_REQUEST);
    expect_error(a, NULL, 404, "error_404.json", ERR_NOT_FOUND);
    expect_error(u, "account", 500, "error_500.json", ERR_TRANSIENT);
    expect_error(u, NULL, 503, "user_analytics.json", ERR_TRANSIENT);
    /* a code that looks like another status changes nothing */
    struct adapter_ctx ctx = make_ctx(a, NULL);
    const char *body = "{\"code\":429,\"message\":\"not really\"}";
    int rc;
    struct rowset *rs = fixture_parse_body(&ctx, 400, body, strlen(body), NULL, &rc);
    const char *msg;
    assert_int_equal(rc, -1);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_BAD_REQUEST);
    assert_string_equal(msg, "pinterest: HTTP 400, code 429: not really");
    rowset_free(rs);
}

static void test_error_message(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("pinterest.ad_analytics", NULL);
    const char *msg;
    int rc;
    struct rowset *rs = fixture_parse(&ctx, 429, "error_429.json", NULL, &rc);
    rowset_error(rs, &msg, NULL);
    assert_string_equal(msg, "pinterest: HTTP 429, code 8: You have exceeded your rate limit. "
                             "Try again later.");
    rowset_free(rs);
    const char *echo = "{\"code\":2,\"message\":\"token " TOKEN " is dead, see https://x.y\"}";
    rs = fixture_parse_body(&ctx, 401, echo, strlen(echo), NULL, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_AUTH);
    assert_string_equal(msg, "pinterest: HTTP 401, code 2: token [redacted] is dead, see "
                             "[redacted]");
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
        {429, "", ERR_THROTTLED},
        {401, "", ERR_AUTH},
        {403, "", ERR_PERMISSION},
        {404, "<html>Not Found</html>", ERR_NOT_FOUND},
        {400, "", ERR_BAD_REQUEST},
        {409, "{\"code\":1}", ERR_BAD_REQUEST},
        {200, "", ERR_MALFORMED},
        {200, "{\"items\":[]} trailing", ERR_MALFORMED},
        {200, "{\"items\":[{\"id\":\"1\",\"name\":\"\xC3\x28\"}]}", ERR_MALFORMED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct adapter_ctx ctx = make_ctx("pinterest.ad_analytics", NULL);
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
    const struct adapter *a = adapter_for(PLATFORM_PINTEREST);
    char cid[] = "1484362", secret[] = "s3cr3t/pin", rt[] = "pinr_stored";
    struct cfg_credential cred = {.client_id = cid, .client_secret = secret, .refresh_token = rt};
    struct http_request req = {0};
    assert_int_equal(a->refresh_build(&platform, &cred, "pina_old", "pinr_rotated+1", &req), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.url, "https://api.pinterest.com/v5/oauth/token");
    assert_string_equal(req.log_url, "https://api.pinterest.com/v5/oauth/token");
    assert_string_equal(req.body, "grant_type=refresh_token&refresh_token=pinr_rotated%2B1"
                                  "&continuous_refresh=true");
    assert_string_equal(req.headers[0], "Content-Type: application/x-www-form-urlencoded");
    assert_string_equal(req.headers[1], "Authorization: Basic MTQ4NDM2MjpzM2NyM3QvcGlu");
    assert_null(req.headers[2]);
    http_request_free(&req);
    /* the stored refresh token when none is passed */
    assert_int_equal(a->refresh_build(&platform, &cred, "pina_old", NULL, &req), 0);
    assert_string_equal(
        req.body, "grant_type=refresh_token&refresh_token=pinr_stored&continuous_refresh=true");
    http_request_free(&req);
    cred.client_secret = NULL; /* Basic auth needs both */
    assert_int_equal(a->refresh_build(&platform, &cred, "pina_old", NULL, &req), -1);
    http_request_free(&req);
    cred.client_secret = secret;
    cred.refresh_token = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "pina_old", "", &req), -1);
    http_request_free(&req);
}

static int refresh(long status, const char *body, struct token_set *out, enum err_class *cls,
                   char *why, size_t whylen)
{
    struct http_response resp = fixture_response(status, body, strlen(body), NULL);
    return adapter_for(PLATFORM_PINTEREST)->refresh_parse(&resp, out, cls, why, whylen);
}

static void test_refresh_parse(void **state)
{
    (void)state;
    struct token_set *out = xcalloc(1, sizeof *out);
    enum err_class cls;
    char why[256];
    char *body = unit_read_file("tests/fixtures/pinterest/token.json", NULL);
    assert_int_equal(refresh(200, body, out, &cls, why, sizeof why), 0);
    assert_int_equal(cls, ERR_NONE);
    assert_string_equal(out->access_token, "pina_AMAexampleRefreshedAccessToken0123456789");
    /* a new refresh token every time: it must be returned to be saved */
    assert_string_equal(out->refresh_token, "pinr_AQAexampleRotatedRefreshToken0123456789");
    assert_int_equal(out->expires_in_s, 2592000);
    free(body);

    body = unit_read_file("tests/fixtures/pinterest/token_error.json", NULL);
    assert_int_equal(refresh(400, body, out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_string_equal(why, "pinterest token endpoint refused the refresh: Invalid refresh token");
    assert_string_equal(out->access_token, "");
    free(body);

    assert_int_equal(refresh(401, "{\"error\":\"invalid_client\"}", out, &cls, why, sizeof why),
                     -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_string_equal(why, "pinterest token endpoint refused the refresh: invalid_client");
    /* a refusal that says nothing, or says it in an empty string, is named as such */
    assert_int_equal(refresh(400, "{}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_string_equal(why, "pinterest token endpoint refused the refresh: no error message");
    assert_int_equal(refresh(400, "{\"error\":\"\"}", out, &cls, why, sizeof why), -1);
    assert_string_equal(why, "pinterest token endpoint refused the refresh: no error message");
    assert_int_equal(refresh(503, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_TRANSIENT);
    assert_int_equal(refresh(429, "{\"code\":8}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_THROTTLED);
    assert_int_equal(refresh(200, "[]", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(
        refresh(200, "{\"access_token\":\"a\",\"refresh_token\":7}", out, &cls, why, sizeof why),
        -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_string_equal(out->access_token, "");
    assert_int_equal(
        refresh(200, "{\"access_token\":\"a\",\"expires_in\":-5}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_MALFORMED);
    /* no new refresh token (null): the old one stays in use */
    assert_int_equal(
        refresh(200, "{\"access_token\":\"a\",\"refresh_token\":null}", out, &cls, why, sizeof why),
        0);
    assert_string_equal(out->refresh_token, "");
    free(out);
}

/* A campaigns page whose bookmark is the one it was asked with would be asked for forever
 * (between its analytics pages): refused, and paging stops. */
static void test_repeated_cursor(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx(
        "pinterest.ad_analytics", "campaigns:Y2JleGFtcGxlOjI1MDo1NDk3NTU4ODUxNzY6MTcxNDQzNTIwMA==");
    fixture_expect_repeat(&ctx, "campaigns_page1.json");
}

int main(void)
{
    fixture_use(PLATFORM_PINTEREST, TOKEN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_cursor),
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_build_user_analytics),
        cmocka_unit_test(test_build_ad_analytics),
        cmocka_unit_test(test_long_window),
        cmocka_unit_test(test_user_analytics),
        cmocka_unit_test(test_user_account),
        cmocka_unit_test(test_user_malformed),
        cmocka_unit_test(test_campaigns),
        cmocka_unit_test(test_ad_run),
        cmocka_unit_test(test_ad_analytics),
        cmocka_unit_test(test_ad_malformed),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_message),
        cmocka_unit_test(test_errors_without_body),
        cmocka_unit_test(test_refresh_build),
        cmocka_unit_test(test_refresh_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
