/*
 * test_adapter_facebook.c - the Meta adapter: Graph requests (URL, encoded query, bearer
 * header), every fixture in tests/fixtures/facebook/ parsed into exact records (Pacific days,
 * micros, cursors), Graph error codes to error classes, usage headers, the token exchange, and
 * that a rejected page leaves no records behind.
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

#define TOKEN "EAAB-SECRET-current-token-0123456789"
#define SALT  "pepper-1"
#define NOW   (INT64_C(1730728800) * 1000000) /* 2024-11-04T14:00:00Z */
#define FORM0 "1234567890123456"
#define FORM1 "2345678901234567"

static char page_id[] = "104858302236475";
static char ad_account[] = "798085168510957";
static char usd[] = "USD";
static char form0[] = FORM0, form1[] = FORM1;
static char *forms[] = {form0, form1};
static char api_base[] = "https://graph.facebook.com";
static char version[] = "v24.0";
static char token_url[] = "https://graph.facebook.com/v24.0/oauth/access_token";

static struct cfg_account account = {
    .id = page_id,
    .ad_account = ad_account,
    .forms = {.items = forms, .n = 2},
    .currency = usd,
};
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

static struct adapter_ctx make_ctx(const char *stream)
{
    struct adapter_ctx c = {
        .account = &account,
        .platform = &platform,
        .stream = stream,
        .access_token = TOKEN,
        .email_salt = SALT,
        .from_day = day(2024, 1, 12),
        .to_day = day(2024, 1, 14),
        .now = NOW,
    };
    return c;
}

/* ---- responses ------------------------------------------------------------------------------ */

static struct rowset *parse_ok(const char *name, const char *file)
{
    struct adapter_ctx ctx = make_ctx(name);
    return fixture_parse_ok(&ctx, file);
}

/* A refused page: class, retry_after, no records, no cursor, nothing secret in the message. */
static void expect_error(const char *name, long status, const char *file,
                         const struct fixture_hdr *headers, enum err_class cls, int64_t retry)
{
    struct adapter_ctx ctx = make_ctx(name);
    fixture_expect_error(&ctx, status, file, headers, cls, retry);
}

/* ---- record checks -------------------------------------------------------------------------- */

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

static void is_post(const struct rowset *rs, size_t i, const char *id, int64_t published,
                    const char *url, const char *title)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, REC_CONTENT);
    assert_string_equal(r->u.content.id, id);
    assert_string_equal(r->u.content.kind, "post");
    assert_int_equal(r->u.content.published_at, published);
    if (url)
        assert_string_equal(r->u.content.url, url);
    else
        assert_null(r->u.content.url);
    if (title)
        assert_string_equal(r->u.content.title, title);
    else
        assert_null(r->u.content.title);
}

static void is_campaign(const struct rowset *rs, size_t i, const char *id, const char *name)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, REC_CAMPAIGN);
    assert_string_equal(r->u.campaign.id, id);
    assert_string_equal(r->u.campaign.name, name);
    assert_null(r->u.campaign.status);
    assert_null(r->u.campaign.objective);
}

struct ad_day {
    const char *campaign;
    int32_t day;
    const char *currency;
    int64_t spend, impressions, clicks, leads, conversions, value;
};

static void is_ad_day(const struct rowset *rs, size_t i, struct ad_day want)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, REC_AD_DAILY);
    const struct rec_ad_daily *a = &r->u.ad_daily;
    assert_string_equal(a->campaign, want.campaign);
    assert_int_equal(a->day, want.day);
    assert_int_equal(a->basis, BASIS_ACCOUNT_TZ);
    assert_string_equal(a->currency, want.currency);
    assert_int_equal(a->spend_micros, want.spend);
    assert_int_equal(a->impressions, want.impressions);
    assert_int_equal(a->clicks, want.clicks);
    assert_int_equal(a->leads, want.leads);
    assert_int_equal(a->conversions, want.conversions);
    assert_int_equal(a->conversion_value_micros, want.value);
}

static void opt_equal(const char *got, const char *want)
{
    if (want)
        assert_string_equal(got, want);
    else
        assert_null(got);
}

/* A lead and its form_submission touchpoint at i, i + 1. */
static void is_lead(const struct rowset *rs, size_t i, const char *id, int64_t created,
                    const char *email, const char *form, const char *campaign, const char *ad)
{
    const struct record *r = rowset_get(rs, i), *t = rowset_get(rs, i + 1);
    char hex[65], tid[64];
    assert_non_null(r);
    assert_int_equal(r->type, REC_LEAD);
    assert_string_equal(r->u.lead.id, id);
    assert_string_equal(r->u.lead.source, "form");
    assert_int_equal(r->u.lead.created_at, created);
    if (email) {
        adapter_email_hash(SALT, email, hex);
        assert_string_equal(r->u.lead.email_hash, hex);
    } else {
        assert_null(r->u.lead.email_hash);
    }
    assert_string_equal(r->u.lead.form, form);
    opt_equal(r->u.lead.campaign, campaign);
    opt_equal(r->u.lead.ad, ad);
    assert_null(r->u.lead.lifecycle_stage);
    assert_false(r->u.lead.is_test);
    assert_non_null(t);
    assert_int_equal(t->type, REC_TOUCHPOINT);
    snprintf(tid, sizeof tid, "form:%s", id);
    assert_string_equal(t->u.touchpoint.id, tid);
    assert_string_equal(t->u.touchpoint.lead, id);
    assert_string_equal(t->u.touchpoint.kind, "form_submission");
    assert_int_equal(t->u.touchpoint.occurred_at, created);
    assert_string_equal(t->u.touchpoint.platform, "facebook");
    opt_equal(t->u.touchpoint.campaign, campaign);
    assert_null(t->u.touchpoint.utm_source);
    assert_null(t->u.touchpoint.utm_campaign);
}

/* ---- registry and requests ------------------------------------------------------------------ */

static void test_streams(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_FACEBOOK);
    assert_non_null(a);
    assert_int_equal(a->nstreams, 4);
    assert_string_equal(a->streams[0].name, "facebook.page_insights");
    assert_int_equal(a->streams[0].basis, BASIS_PACIFIC);
    assert_true(a->streams[0].windowed);
    assert_string_equal(a->streams[1].name, "facebook.posts");
    assert_string_equal(a->streams[2].name, "facebook.ads_insights");
    assert_int_equal(a->streams[2].basis, BASIS_ACCOUNT_TZ);
    assert_string_equal(a->streams[3].name, "facebook.leads");
    assert_true(a->streams[3].incremental);
    assert_false(a->streams[3].windowed);
}

static void build(const struct adapter_ctx *ctx, const char *url, const char *log_url)
{
    struct http_request req = {0};
    char why[128] = "";
    if (fixture_stream(ctx->stream)->build(ctx, &req, why, sizeof why) != 0)
        fail_msg("build %s: %s", ctx->stream, why);
    assert_string_equal(req.method, "GET");
    assert_string_equal(req.url, url);
    assert_string_equal(req.log_url, log_url);
    /* the token only in the header; the URL never carries access_token */
    assert_string_equal(req.headers[0], "Authorization: Bearer " TOKEN);
    assert_null(req.headers[1]);
    assert_null(req.body);
    assert_null(strstr(req.url, TOKEN));
    assert_null(strstr(req.url, "access_token"));
    http_request_free(&req);
}

static void build_fails(const struct adapter_ctx *ctx, const char *reason)
{
    struct http_request req = {0};
    char why[128] = "";
    assert_int_equal(fixture_stream(ctx->stream)->build(ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, reason);
    http_request_free(&req);
}

#define METRICS                                                                                    \
    "metric=page_post_engagements%2Cpage_daily_follows_unique%2Cpage_media_view%2C"                \
    "page_total_media_view_unique"

static void test_build_page_insights(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.page_insights");
    const char *log = "https://graph.facebook.com/v24.0/104858302236475/insights";
    /* until = to_day + 1: the value of to_day ends at the start of the next Pacific day */
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/insights?" METRICS
          "&period=day&since=2024-01-12&until=2024-01-15",
          log);
    ctx.page = "QVFIUkJR"; /* paging cursors of insights are never followed */
    build_fails(&ctx, "page cursor is not a page insights chunk of this window");
    ctx.page = NULL;
    struct cfg_platform unversioned = platform;
    unversioned.version = NULL;
    ctx.platform = &unversioned;
    build(&ctx,
          "https://graph.facebook.com/104858302236475/insights?" METRICS
          "&period=day&since=2024-01-12&until=2024-01-15",
          "https://graph.facebook.com/104858302236475/insights");
}

/* Graph shows at most 90 days per since..until: a longer window is read 90 days a page, the
 * cursor naming the next chunk's first day, until the last chunk, which names none. */
static void test_page_insights_chunks(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.page_insights");
    const char *log = "https://graph.facebook.com/v24.0/104858302236475/insights";
    static const struct {
        const char *page, *since, *until, *next;
    } chunks[] = {
        {NULL, "2024-01-01", "2024-03-31", "chunk:2024-03-31"},
        {"chunk:2024-03-31", "2024-03-31", "2024-06-29", "chunk:2024-06-29"},
        {"chunk:2024-06-29", "2024-06-29", "2024-07-01", NULL},
    };
    char url[512];
    ctx.from_day = day(2024, 1, 1);
    ctx.to_day = day(2024, 6, 30);
    for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
        ctx.page = chunks[i].page;
        snprintf(url, sizeof url, "%s?%s&period=day&since=%s&until=%s", log, METRICS,
                 chunks[i].since, chunks[i].until);
        build(&ctx, url, log);
        struct rowset *rs = fixture_parse_ok(&ctx, "page_insights.json");
        if (chunks[i].next)
            assert_string_equal(rowset_next(rs), chunks[i].next);
        else
            assert_null(rowset_next(rs));
        rowset_free(rs);
    }
    ctx.page = "chunk:2024-01-01"; /* the first chunk has no cursor: not a page of this run */
    build_fails(&ctx, "page cursor is not a page insights chunk of this window");
    ctx.page = "chunk:2024-07-01";
    build_fails(&ctx, "page cursor is not a page insights chunk of this window");
}

#define POST_FIELDS                                                                                \
    "fields=id%2Ccreated_time%2Cmessage%2Cpermalink_url%2Cshares%2C"                               \
    "reactions.summary%28total_count%29.limit%280%29%2Ccomments.summary%28total_count%29."         \
    "limit%280%29"

static void test_build_posts(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.posts");
    const char *log = "https://graph.facebook.com/v24.0/104858302236475/posts";
    ctx.from_day = day(2024, 11, 1);
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/posts?" POST_FIELDS
          "&since=1730419200&limit=100",
          log);
    ctx.page = "QVFIUkJRZAGdjRzQtZAHk1VnlYV2Fzc1ZAfZAnJQU0JfVjRHQUlBWkp2";
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/posts?" POST_FIELDS
          "&since=1730419200&limit=100&after="
          "QVFIUkJRZAGdjRzQtZAHk1VnlYV2Fzc1ZAfZAnJQU0JfVjRHQUlBWkp2",
          log);
    /* a time page (Graph pages Page posts by time): until and the token, never after */
    ctx.page = "until=1427470272&__paging_token=enc_AdBbhK6AkHa-Ida_ZDZD";
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/posts?" POST_FIELDS
          "&since=1730419200&limit=100&until=1427470272&__paging_token=enc_AdBbhK6AkHa-Ida_ZDZD",
          log);
    ctx.page = "until=17&__paging_token=enc_A%2Bb%2Fc";
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/posts?" POST_FIELDS
          "&since=1730419200&limit=100&until=17&__paging_token=enc_A%2Bb%2Fc",
          log);
    ctx.page = "offset=200";
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/posts?" POST_FIELDS
          "&since=1730419200&limit=100&offset=200",
          log);
    /* a stored time page whose values are not Graph's is not sent */
    ctx.page = "until=12ab&__paging_token=x%26access_token%3Dy";
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/posts?" POST_FIELDS
          "&since=1730419200&limit=100",
          log);
    ctx.page = NULL;
    ctx.access_token = NULL;
    build_fails(&ctx, "no access token");
}

#define ADS_QUERY                                                                                  \
    "level=campaign&time_increment=1"                                                              \
    "&time_range=%7B%22since%22%3A%222023-06-01%22%2C%22until%22%3A%222023-06-30%22%7D"            \
    "&fields=campaign_id%2Ccampaign_name%2Caccount_currency%2Cspend%2Cimpressions%2Cclicks%2C"     \
    "actions%2Caction_values&limit=500"

static void test_build_ads(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.ads_insights");
    struct cfg_account acct = account;
    char prefixed[] = "act_798085168510957";
    const char *log = "https://graph.facebook.com/v24.0/act_798085168510957/insights";
    ctx.from_day = day(2023, 6, 1);
    ctx.to_day = day(2023, 6, 30);
    build(&ctx, "https://graph.facebook.com/v24.0/act_798085168510957/insights?" ADS_QUERY, log);
    ctx.page = "MjQZD";
    build(&ctx,
          "https://graph.facebook.com/v24.0/act_798085168510957/insights?" ADS_QUERY "&after=MjQZD",
          log);
    /* the config may already carry the act_ prefix */
    ctx.page = NULL;
    acct.ad_account = prefixed;
    ctx.account = &acct;
    build(&ctx, "https://graph.facebook.com/v24.0/act_798085168510957/insights?" ADS_QUERY, log);
    acct.ad_account = NULL;
    build_fails(&ctx, "account has no ad_account");
}

#define LEADS_QUERY                                                                                \
    "fields=id%2Ccreated_time%2Cad_id%2Ccampaign_id%2Cform_id%2Cis_organic%2Cfield_data"           \
    "&filtering=%5B%7B%22field%22%3A%22time_created%22%2C%22operator%22%3A%22GREATER_THAN%22%2C"   \
    "%22value%22%3A1714521600%7D%5D"

static void test_build_leads(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.leads");
    struct cfg_account none = account;
    ctx.since = INT64_C(1714521600) * 1000000 + 999999; /* watermark, in unix seconds */
    build(&ctx, "https://graph.facebook.com/v24.0/" FORM0 "/leads?" LEADS_QUERY,
          "https://graph.facebook.com/v24.0/" FORM0 "/leads");
    ctx.page = "0:QVFIUkx3bUVBdk1xLUdB";
    build(&ctx,
          "https://graph.facebook.com/v24.0/" FORM0 "/leads?" LEADS_QUERY
          "&after=QVFIUkx3bUVBdk1xLUdB",
          "https://graph.facebook.com/v24.0/" FORM0 "/leads");
    ctx.page = "1:"; /* the first page of the second form */
    build(&ctx, "https://graph.facebook.com/v24.0/" FORM1 "/leads?" LEADS_QUERY,
          "https://graph.facebook.com/v24.0/" FORM1 "/leads");
    ctx.page = "2:";
    build_fails(&ctx, "page cursor names no configured form");
    ctx.page = "QVFI";
    build_fails(&ctx, "page cursor names no configured form");
    ctx.page = "99999999999999999999999:x";
    build_fails(&ctx, "page cursor names no configured form");
    ctx.page = NULL;
    none.forms.n = 0;
    ctx.account = &none;
    build_fails(&ctx, "no forms configured");
}

/* The ads streams call the Marketing API version (ads_version), the page streams the Graph one. */
static void test_build_ads_version(void **state)
{
    (void)state;
    static char ads[] = "v26.0";
    struct cfg_platform p = platform;
    p.ads_version = ads;
    struct adapter_ctx ctx = make_ctx("facebook.ads_insights");
    ctx.platform = &p;
    ctx.from_day = day(2023, 6, 1);
    ctx.to_day = day(2023, 6, 30);
    build(&ctx, "https://graph.facebook.com/v26.0/act_798085168510957/insights?" ADS_QUERY,
          "https://graph.facebook.com/v26.0/act_798085168510957/insights");
    ctx = make_ctx("facebook.leads");
    ctx.platform = &p;
    ctx.since = INT64_C(1714521600) * 1000000 + 999999;
    build(&ctx, "https://graph.facebook.com/v26.0/" FORM0 "/leads?" LEADS_QUERY,
          "https://graph.facebook.com/v26.0/" FORM0 "/leads");
    ctx = make_ctx("facebook.posts");
    ctx.platform = &p;
    ctx.from_day = day(2024, 11, 1);
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/posts?" POST_FIELDS
          "&since=1730419200&limit=100",
          "https://graph.facebook.com/v24.0/104858302236475/posts");
}

/* ---- page insights -------------------------------------------------------------------------- */

/*
 * KPI day = the Pacific day ending at end_time; values outside [from_day, to_day], breakdown
 * objects, nulls, absent values and other periods are skipped; paging.next is not followed.
 */
static void test_page_insights(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("facebook.page_insights", "page_insights.json");
    assert_int_equal(rowset_count(rs), 9);
    is_metric(rs, 0, "engagements", day(2024, 1, 12), 120);
    is_metric(rs, 1, "engagements", day(2024, 1, 13), 95);
    is_metric(rs, 2, "engagements", day(2024, 1, 14), 0);
    is_metric(rs, 3, "followers_gained", day(2024, 1, 12), 3);
    is_metric(rs, 4, "followers_gained", day(2024, 1, 14), 7);
    is_metric(rs, 5, "views", day(2024, 1, 12), 1834);
    is_metric(rs, 6, "views", day(2024, 1, 14), 2210);
    is_metric(rs, 7, "reach", day(2024, 1, 12), 1203);
    is_metric(rs, 8, "reach", day(2024, 1, 14), 1517);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* 08:00 UTC in winter, 07:00 UTC in summer; both sides of both 2024 clock changes. */
static void test_page_insights_dst(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.page_insights");
    ctx.from_day = day(2024, 3, 1);
    ctx.to_day = day(2024, 12, 31);
    struct rowset *rs = fixture_parse_ok(&ctx, "page_insights_dst.json");
    assert_int_equal(rowset_count(rs), 5);
    is_metric(rs, 0, "engagements", day(2024, 3, 9), 10);
    is_metric(rs, 1, "engagements", day(2024, 3, 10), 11);
    is_metric(rs, 2, "engagements", day(2024, 7, 14), 12);
    is_metric(rs, 3, "engagements", day(2024, 11, 2), 13);
    is_metric(rs, 4, "engagements", day(2024, 11, 3), 14);
    rowset_free(rs);
}

/* ---- posts ---------------------------------------------------------------------------------- */

static void test_posts(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("facebook.posts", "posts_page1.json");
    const char *p1 = "104858302236475_122112345678901234",
               *p2 = "104858302236475_122112345678905678";
    assert_int_equal(rowset_count(rs), 8);
    /* \u2744\uFE0F and the pair \uD83C\uDF84 decode to U+2744 U+FE0F and U+1F384 */
    is_post(rs, 0, p1, ts(2024, 11, 4, 16, 30, 0),
            "https://www.facebook.com/104858302236475/posts/122112345678901234",
            "Our winter collection is here \xE2\x9D\x84\xEF\xB8\x8F \xF0\x9F\x8E\x84 \xE2\x80\x94 "
            "shop now: caf\xC3\xA9 cr\xC3\xA8me, 東京");
    is_snapshot(rs, 1, p1, "likes", 28);
    is_snapshot(rs, 2, p1, "comments", 5);
    is_snapshot(rs, 3, p1, "shares", 4);
    /* no message: no title; no shares key: Meta leaves it out of a post nobody shared */
    is_post(rs, 4, p2, ts(2024, 11, 2, 9, 5, 12),
            "https://www.facebook.com/photo.php?fbid=122112345678905678", NULL);
    is_snapshot(rs, 5, p2, "likes", 3);
    is_snapshot(rs, 6, p2, "comments", 0);
    is_snapshot(rs, 7, p2, "shares", 0);
    /* the cursor is the after value, never the next URL (it embeds the access token) */
    assert_string_equal(rowset_next(rs),
                        "QVFIUkJRZAGdjRzQtZAHk1VnlYV2Fzc1ZAfZAnJQU0JfVjRHQUlBWkp2");
    rowset_free(rs);
}

/* The last page still carries cursors.after: only the absence of paging.next ends paging. */
static void test_posts_last(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("facebook.posts", "posts_last.json");
    const char *id = "104858302236475_122112345678909999";
    assert_int_equal(rowset_count(rs), 4);
    is_post(rs, 0, id, ts(2024, 11, 1, 0, 0, 1),
            "https://www.facebook.com/104858302236475/posts/122112345678909999",
            "Last post of the window");
    is_snapshot(rs, 1, id, "likes", 11);
    is_snapshot(rs, 2, id, "comments", 1);
    is_snapshot(rs, 3, id, "shares", 2);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* Absent reaction or comment summaries are not recorded; only a missing shares means zero. */
static void test_posts_absent_counts(void **state)
{
    (void)state;
    const char *body = "{\"data\":[{\"id\":\"1_2\",\"shares\":null},{\"id\":\"1_3\"}]}";
    struct adapter_ctx ctx = make_ctx("facebook.posts");
    int rc;
    struct rowset *rs = fixture_parse_body(&ctx, 200, body, strlen(body), NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_count(rs), 3);
    is_post(rs, 0, "1_2", 0, NULL, NULL);
    is_post(rs, 1, "1_3", 0, NULL, NULL);
    is_snapshot(rs, 2, "1_3", "shares", 0);
    rowset_free(rs);
}

/* paging.next without cursors: its after parameter, never the URL or its token. */
static void test_posts_next_only(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("facebook.posts", "posts_next_only.json");
    assert_int_equal(rowset_count(rs), 4);
    assert_string_equal(rowset_next(rs), "QVFIUm5leHRPbmx5");
    rowset_free(rs);
}

/*
 * A page of /{page}/posts as Graph v2.8 answered it (recorded by keboola/ex-facebook-graph-api):
 * time-based paging, paging.next carrying until and __paging_token and no cursors object. Every
 * post is kept and the next page is the time page, never the URL or its access_token.
 */
static void test_posts_time_paged(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("facebook.posts", "posts_time_paged.json");
    /* ten posts: content, likes (reactions.summary) and shares 0 (absent); comments not asked */
    assert_int_equal(rowset_count(rs), 30);
    is_post(rs, 0, "177057932317550_905758402780829", ts(2015, 4, 15, 17, 48, 2), NULL, "Xqw98");
    is_snapshot(rs, 1, "177057932317550_905758402780829", "likes", 0);
    is_snapshot(rs, 2, "177057932317550_905758402780829", "shares", 0);
    assert_string_equal(rowset_next(rs),
                        "until=1427470272&__paging_token=enc_AdBbhK6AkHaIdkUaTHGDy2E8EWaNpTlGtKOCP"
                        "xwMZBTjIX0vOA4dm6WJQzjUyW4UW6KrDijzGVvMK0inzQdwtJYYrUvJ3FmuCRJ1R5GkgXP9S7"
                        "wZDZD");
    rowset_free(rs);
}

/* Offset paging; and a next URL with no page in it, or a time page with a foreign value. */
static void test_posts_paging_kinds(void **state)
{
    (void)state;
    static const struct {
        const char *next, *page; /* page NULL: malformed */
    } cases[] = {
        {"https://graph.facebook.com/v24.0/1/posts?access_token=EAAJZ&limit=25&offset=50",
         "offset=50"},
        {"https://graph.facebook.com/v24.0/1/posts?limit=25&__paging_token=enc_AdA&until=17",
         "until=17&__paging_token=enc_AdA"},
        /* a token of the standard base64 alphabet stays encoded in the page */
        {"https://graph.facebook.com/v24.0/1/posts?until=17&__paging_token=enc_A%2Bb%2Fc",
         "until=17&__paging_token=enc_A%2Bb%2Fc"},
        {"https://graph.facebook.com/v24.0/1/posts?access_token=EAAJZ&limit=25", NULL},
        {"https://graph.facebook.com/v24.0/1/posts?until=now&__paging_token=enc_AdA", NULL},
        {"https://graph.facebook.com/v24.0/1/posts?until=17&__paging_token=a%26b", NULL},
    };
    struct adapter_ctx ctx = make_ctx("facebook.posts");
    char body[512];
    int rc;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(body, sizeof body, "{\"data\":[{\"id\":\"1_2\"}],\"paging\":{\"next\":\"%s\"}}",
                 cases[i].next);
        struct rowset *rs = fixture_parse_body(&ctx, 200, body, strlen(body), NULL, &rc);
        if (cases[i].page) {
            assert_int_equal(rc, 0);
            assert_int_equal(rowset_count(rs), 2);
            assert_string_equal(rowset_next(rs), cases[i].page);
        } else {
            assert_int_equal(rc, -1);
            assert_int_equal(rowset_error(rs, NULL, NULL), ERR_MALFORMED);
            assert_int_equal(rowset_count(rs), 0);
        }
        rowset_free(rs);
    }
}

/* ---- ads insights --------------------------------------------------------------------------- */

static void test_ads(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("facebook.ads_insights", "ads_insights_page1.json");
    const char *a = "23854404676180548", *b = "23854695759200548";
    assert_int_equal(rowset_count(rs), 5);
    is_campaign(rs, 0, a, "Spring Sale \xE2\x80\x93 Prospecting");
    /* "14.35" = 14350000 micros; lead and purchase aggregates only, never their components */
    is_ad_day(rs, 1, (struct ad_day){a, day(2023, 6, 1), "USD", 14350000, 185, 9, 2, 1, 49990000});
    /* no actions on a day: zero leads and conversions, not an error */
    is_ad_day(rs, 2, (struct ad_day){a, day(2023, 6, 2), "USD", 20010000, 240, 0, 0, 0, 0});
    is_campaign(rs, 3, b, "Retargeting");
    is_ad_day(rs, 4, (struct ad_day){b, day(2023, 6, 1), "USD", 5000000, 1000, 31, 7, 0, 0});
    assert_string_equal(rowset_next(rs), "MjQZD");
    rowset_free(rs);
}

/* "-2E-18" spend is zero, half-even micros, numbers as JSON numbers, absent counts, last page. */
static void test_ads_last(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("facebook.ads_insights", "ads_insights_last.json");
    const char *c = "120208123456780123";
    assert_int_equal(rowset_count(rs), 3);
    is_campaign(rs, 0, c, "Herbst \xE2\x80\x93 Leads");
    is_ad_day(rs, 1, (struct ad_day){c, day(2023, 6, 3), "EUR", 0, 12, 0, 0, 0, 0});
    is_ad_day(rs, 2, (struct ad_day){c, day(2023, 6, 4), "EUR", 2, 0, 0, 3, 0, 150000000});
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

static void test_ads_empty(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("facebook.ads_insights", "ads_insights_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* A row without account_currency takes the account's configured currency. */
static void test_ads_currency_fallback(void **state)
{
    (void)state;
    const char *body =
        "{\"data\":[{\"campaign_id\":\"1\",\"spend\":\"1.5\",\"impressions\":\"2\","
        "\"clicks\":\"1\",\"date_start\":\"2023-06-01\",\"date_stop\":\"2023-06-01\"}"
        "]}";
    struct adapter_ctx ctx = make_ctx("facebook.ads_insights");
    int rc;
    struct rowset *rs = fixture_parse_body(&ctx, 200, body, strlen(body), NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_count(rs), 2);
    assert_null(rowset_get(rs, 0)->u.campaign.name);
    is_ad_day(rs, 1, (struct ad_day){"1", day(2023, 6, 1), "USD", 1500000, 2, 1, 0, 0, 0});
    rowset_free(rs);
}

static void test_ads_malformed(void **state)
{
    (void)state;
    static const char *const files[] = {
        "ads_insights_bad_spend.json",   /* "14,35" after a good row */
        "ads_insights_spend_float.json", /* spend as a JSON number with a fraction */
        "ads_insights_id_number.json",   /* campaign_id as a JSON number above 2^53 */
        "ads_insights_data_object.json", /* data is an object */
        "ads_insights_truncated.json",   /* cut mid-body */
        "token.json",                    /* no data at all */
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        expect_error("facebook.ads_insights", 200, files[i], NULL, ERR_MALFORMED, -1);
}

/* ---- leads ---------------------------------------------------------------------------------- */

static void test_leads(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("facebook.leads", "leads_page1.json");
    struct buf out = {0};
    assert_int_equal(rowset_count(rs), 6);
    /* the address is trimmed and lower-cased before hashing */
    is_lead(rs, 0, "1211534416253093", ts(2024, 5, 1, 12, 34, 56), "jane.doe@example.com", FORM0,
            "23854404676180548", "23854404676190548");
    /* organic: no ad, no campaign */
    is_lead(rs, 2, "1211534416253094", ts(2024, 5, 1, 13, 0, 0), "lee@example.org", FORM0, NULL,
            NULL);
    /* no e-mail question; no form_id in the body: the form being read */
    is_lead(rs, 4, "1211534416253095", ts(2024, 5, 1, 14, 15, 0), NULL, FORM0, "23854404676180548",
            "23854404676190548");
    assert_string_equal(rowset_next(rs), "0:QVFIUkx3bUVBdk1xLUdB");
    /* no address anywhere in what is written out */
    rowset_write_jsonl(rs, &out);
    assert_null(strcasestr(out.data, "example.com"));
    assert_null(strstr(out.data, "lee@"));
    buf_free(&out);
    rowset_free(rs);
}

/* When a form's pages end, the cursor moves to the next form; after the last, no cursor. */
static void test_leads_forms(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.leads");
    struct cfg_account one = account;
    ctx.page = "0:QVFIUkx3bUVBdk1xLUdB";
    struct rowset *rs = fixture_parse_ok(&ctx, "leads_last.json");
    assert_int_equal(rowset_count(rs), 2);
    is_lead(rs, 0, "1211534416253096", ts(2024, 5, 2, 8, 0, 0), "sam@example.net", FORM0,
            "23854695759200548", "23854404676190549");
    assert_string_equal(rowset_next(rs), "1:");
    rowset_free(rs);

    ctx.page = "1:";
    rs = fixture_parse_ok(&ctx, "leads_page1.json");
    is_lead(rs, 4, "1211534416253095", ts(2024, 5, 1, 14, 15, 0), NULL, FORM1, "23854404676180548",
            "23854404676190548");
    assert_string_equal(rowset_next(rs), "1:QVFIUkx3bUVBdk1xLUdB");
    rowset_free(rs);

    ctx.page = "1:QVFIUkx3bUVBdk1xLUdB";
    rs = fixture_parse_ok(&ctx, "leads_last.json");
    assert_null(rowset_next(rs));
    rowset_free(rs);

    one.forms.n = 1;
    ctx.account = &one;
    ctx.page = NULL;
    rs = fixture_parse_ok(&ctx, "leads_last.json");
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

static void test_leads_malformed(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "{\"data\":[{\"id\":\"1\"}]}",
        "{\"data\":[{\"id\":\"1\",\"created_time\":\"2024-05-01T12:34:56+0000\","
        "\"field_data\":{\"name\":\"email\"}}]}",
        "{\"data\":[{\"id\":\"1\",\"created_time\":\"2024-05-01T12:34:56+0000\","
        "\"field_data\":[{\"name\":\"email\",\"values\":[42]}]}]}",
        "{\"data\":[{\"id\":\"1\",\"created_time\":\"2024-05-01T12:34:56+0000\","
        "\"ad_id\":23854404676190548}]}",
        "{\"data\":[{\"id\":\"1\",\"created_time\":\"2024-05-01T12:34:56+0000\"}],"
        "\"paging\":{\"next\":\"https://graph.facebook.com/x?access_token=EAAsecret\"}}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct adapter_ctx ctx = make_ctx("facebook.leads");
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, 200, bodies[i], strlen(bodies[i]), NULL, &rc);
        const char *msg;
        assert_int_equal(rc, -1);
        if (rowset_error(rs, &msg, NULL) != ERR_MALFORMED)
            fail_msg("body %zu: %s", i, msg);
        assert_null(strstr(msg, "EAA"));
        assert_int_equal(rowset_count(rs), 0);
        assert_null(rowset_next(rs));
        rowset_free(rs);
    }
}

/* ---- Graph errors --------------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        const char *file;
        long status;
        enum err_class cls;
    } cases[] = {
        /* throttles arrive as 400 or 403: the code decides, not the status */
        {"error_4_app_limit.json", 403, ERR_THROTTLED},
        {"error_17_user_limit.json", 400, ERR_THROTTLED},
        {"error_80000_ads_insights.json", 400, ERR_THROTTLED},
        {"error_613_custom.json", 400, ERR_THROTTLED},
        {"error_190_expired.json", 400, ERR_AUTH},
        {"error_190_malformed_token.json", 400, ERR_AUTH},
        {"error_190_expired.json", 200, ERR_AUTH},
        {"error_10_permission.json", 403, ERR_PERMISSION},
        {"error_200_permission.json", 403, ERR_PERMISSION},
        {"error_100_invalid_metric.json", 400, ERR_BAD_REQUEST},
        {"error_100_object_missing.json", 400, ERR_NOT_FOUND},
        {"error_100_timeout.json", 400, ERR_TRANSIENT},
        {"error_2_transient.json", 500, ERR_TRANSIENT},
        {"error_1_unknown.json", 500, ERR_TRANSIENT},
        {"error_803_alias.json", 404, ERR_NOT_FOUND},
        {"ads_insights_truncated.json", 502, ERR_TRANSIENT},
        {"ads_insights_truncated.json", 400, ERR_MALFORMED},
    };
    static const char *const streams[] = {"facebook.page_insights", "facebook.posts",
                                          "facebook.ads_insights", "facebook.leads"};
    for (size_t s = 0; s < 4; s++)
        for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
            expect_error(streams[s], cases[i].status, cases[i].file, NULL, cases[i].cls, -1);
}

/* Error 2635, a retired Marketing API version: class version, with what to set. */
static void test_retired_version(void **state)
{
    (void)state;
    static const char body[] =
        "{\"error\":{\"message\":\"(#2635) You are calling a deprecated version of the Ads "
        "API. Please update to the latest version: v27.0.\",\"type\":\"OAuthException\","
        "\"code\":2635,\"fbtrace_id\":\"AbCdEfGh\"}}";
    static const char *const streams[] = {"facebook.ads_insights", "facebook.leads"};
    for (size_t s = 0; s < 2; s++) {
        struct adapter_ctx ctx = make_ctx(streams[s]);
        const char *msg;
        int64_t retry;
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, 400, body, strlen(body), NULL, &rc);
        assert_int_equal(rowset_error(rs, &msg, &retry), ERR_VERSION);
        assert_true(retry == -1);
        assert_int_equal(rowset_count(rs), 0);
        assert_string_equal(msg, "facebook: the configured Marketing API version is retired (HTTP "
                                 "400, Graph error 2635: (#2635) You are calling a deprecated "
                                 "version of the Ads API. Please update to the latest version: "
                                 "v27.0.): set ads_version = v26.0 in [platform facebook]");
        rowset_free(rs);
    }
}

/* Messages name the HTTP status and the Graph code; a quoted token or URL is blanked. */
static void test_error_message(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.posts");
    const char *msg;
    int rc;
    struct rowset *rs = fixture_parse(&ctx, 400, "error_190_malformed_token.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_AUTH);
    assert_string_equal(msg,
                        "facebook: HTTP 400, Graph error 190/0: Malformed access token [redacted]");
    rowset_free(rs);
    rs = fixture_parse(&ctx, 400, "error_100_object_missing.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_NOT_FOUND);
    assert_non_null(strstr(msg, "Graph error 100/33: Unsupported get request."));
    assert_null(strstr(msg, "facebook.com"));
    rowset_free(rs);
    /* a short token quoted in the message is blanked too, and so is an id that is no id */
    ctx.access_token = "EAAB-short";
    const char *echo =
        "{\"error\":{\"message\":\"Malformed access token EAAB-short.\",\"code\":190}}";
    rs = fixture_parse_body(&ctx, 400, echo, strlen(echo), NULL, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal((rowset_error(rs, &msg, NULL), msg),
                        "facebook: HTTP 400, Graph error 190/0: Malformed access token [redacted]");
    rowset_free(rs);
    echo = "{\"data\":[{\"id\":\"https://x/?access_token=EAAB-short\",\"created_time\":1}]}";
    rs = fixture_parse_body(&ctx, 200, echo, strlen(echo), NULL, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal((rowset_error(rs, &msg, NULL), msg),
                        "facebook: post (not a Graph id): created_time is not a timestamp");
    rowset_free(rs);
}

/*
 * A retired metric fails the whole insights call: the request then names only the metrics not
 * retired, or only the probe's; the refusal says which metric when the message gives its index,
 * else the list asked for, to be searched.
 */
static void test_refused_metric(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.page_insights");
    const char *log = "https://graph.facebook.com/v24.0/104858302236475/insights";
    const char *name, *among;
    int rc;
    ctx.retired = "page_media_view,page_fans";
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/insights?metric=page_post_engagements"
          "%2Cpage_daily_follows_unique%2Cpage_total_media_view_unique&period=day&since=2024-01-"
          "12&until=2024-01-15",
          log);
    ctx.probe = "page_daily_follows_unique,page_media_view";
    build(&ctx,
          "https://graph.facebook.com/v24.0/104858302236475/insights?metric=page_daily_follows_"
          "unique%2Cpage_media_view&period=day&since=2024-01-12&until=2024-01-15",
          log);
    ctx.probe = NULL;
    ctx.retired = "page_post_engagements,page_daily_follows_unique,page_media_view,"
                  "page_total_media_view_unique";
    build_fails(&ctx, "the platform refused every metric of this stream");

    /* "(#100) The value must be a valid insights metric": which one is not said */
    ctx.retired = "page_daily_follows_unique";
    struct rowset *rs = fixture_parse(&ctx, 400, "error_100_invalid_metric.json", NULL, &rc);
    assert_int_equal(rc, -1);
    assert_int_equal(rowset_error(rs, NULL, NULL), ERR_BAD_REQUEST);
    assert_true(rowset_refused_metric(rs, &name, &among));
    assert_null(name);
    assert_string_equal(among,
                        "page_post_engagements,page_media_view,page_total_media_view_unique");
    rowset_free(rs);
    /* metric[N]: the N-th of those asked for */
    const char *idx = "{\"error\":{\"message\":\"(#100) metric[1] must be one of the following "
                      "values: page_post_engagements, page_total_media_view_unique\",\"type\":"
                      "\"OAuthException\",\"code\":100}}";
    rs = fixture_parse_body(&ctx, 400, idx, strlen(idx), NULL, &rc);
    assert_true(rowset_refused_metric(rs, &name, &among));
    assert_string_equal(name, "page_media_view");
    rowset_free(rs);
    /* other errors 100 are no refused metric; nor is the same error on posts (no metrics) */
    rs = fixture_parse(&ctx, 400, "error_100_object_missing.json", NULL, &rc);
    assert_false(rowset_refused_metric(rs, NULL, NULL));
    rowset_free(rs);
    struct adapter_ctx posts = make_ctx("facebook.posts");
    rs = fixture_parse(&posts, 400, "error_100_invalid_metric.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, NULL, NULL), ERR_BAD_REQUEST);
    assert_false(rowset_refused_metric(rs, NULL, NULL));
    rowset_free(rs);
}

/* A throttle waits out the longest estimated_time_to_regain_access (minutes). */
static void test_throttle_retry(void **state)
{
    (void)state;
    const struct fixture_hdr buc[] = {
        {"X-Business-Use-Case-Usage",
         "{\"798085168510957\":[{\"type\":\"ads_insights\",\"call_count\":100,\"total_cputime\":"
         "40,\"total_time\":40,\"estimated_time_to_regain_access\":12,\"ads_api_access_tier\":"
         "\"standard_access\"}]}"},
        {NULL, NULL}};
    const struct fixture_hdr idle[] = {
        {"X-Business-Use-Case-Usage",
         "{\"798085168510957\":[{\"type\":\"ads_insights\",\"call_count\":100,"
         "\"estimated_time_to_regain_access\":0}]}"},
        {NULL, NULL}};
    expect_error("facebook.ads_insights", 400, "error_17_user_limit.json", buc, ERR_THROTTLED,
                 12 * 60 * 1000);
    expect_error("facebook.ads_insights", 400, "error_80000_ads_insights.json", idle, ERR_THROTTLED,
                 -1);
    /* only throttles take a retry time */
    expect_error("facebook.ads_insights", 400, "error_190_expired.json", buc, ERR_AUTH, -1);
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
        {200, "", ERR_MALFORMED},
        {200, "\"data\"", ERR_MALFORMED},
        {200, "{\"paging\":{}}", ERR_MALFORMED},
        {200, "{\"data\":[1]}", ERR_MALFORMED},
        {200, "{\"data\":[],\"paging\":[]}", ERR_MALFORMED},
        {200, "{\"data\":[],\"paging\":{\"next\":5}}", ERR_MALFORMED},
        {200, "{\"data\":[],\"paging\":{\"next\":\"https://x/?a=1\",\"cursors\":{\"after\":2}}}",
         ERR_MALFORMED},
        {200,
         "{\"data\":[{\"id\":\"1\",\"created_time\":\"2024-11-04T16:30:00+0000\","
         "\"reactions\":{\"summary\":{\"total_count\":\"many\"}}}]}",
         ERR_MALFORMED},
        {200, "{\"data\":[{\"id\":\"1\",\"created_time\":\"4 Nov\"}]}", ERR_MALFORMED},
        {200, "{\"data\":[{\"id\":\"1\",\"message\":\"\xff\"}]}", ERR_MALFORMED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct adapter_ctx ctx = make_ctx("facebook.posts");
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

/* Bad page insights values: a fractional count, a missing or unreadable end_time. */
static void test_page_insights_malformed(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "{\"data\":[{\"name\":\"page_media_view\",\"period\":\"day\",\"values\":[{\"value\":1.5,"
        "\"end_time\":\"2024-01-13T08:00:00+0000\"}]}]}",
        "{\"data\":[{\"name\":\"page_media_view\",\"period\":\"day\",\"values\":[{\"value\":1}]}]}",
        "{\"data\":[{\"name\":\"page_media_view\",\"period\":\"day\",\"values\":[{\"value\":1,"
        "\"end_time\":\"Jan 13\"}]}]}",
        "{\"data\":[{\"name\":\"page_media_view\",\"period\":\"day\",\"values\":{}}]}",
        "{\"data\":[{\"period\":\"day\",\"values\":[]}]}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct adapter_ctx ctx = make_ctx("facebook.page_insights");
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, 200, bodies[i], strlen(bodies[i]), NULL, &rc);
        assert_int_equal(rc, -1);
        assert_int_equal(rowset_error(rs, NULL, NULL), ERR_MALFORMED);
        assert_int_equal(rowset_count(rs), 0);
        rowset_free(rs);
    }
}

/* ---- usage headers -------------------------------------------------------------------------- */

static struct rl_signal rl(const struct fixture_hdr *headers)
{
    struct rl_signal sig = {123, 123, true};
    struct http_response resp = fixture_response(200, "", 0, headers);
    adapter_for(PLATFORM_FACEBOOK)->ratelimit(&resp, NOW, &sig);
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
         "{\"798085168510957\":[{\"type\":\"ads_insights\",\"call_count\":95,\"total_cputime\":20,"
         "\"total_time\":20,\"estimated_time_to_regain_access\":0,\"ads_api_access_tier\":"
         "\"standard_access\"},{\"type\":\"ads_management\",\"call_count\":\"3\"}],"
         "\"104858302236475\":[{\"type\":\"pages\",\"call_count\":3,\"total_cputime\":1,"
         "\"total_time\":99,\"estimated_time_to_regain_access\":7}]}"},
        {NULL, NULL}};
    const struct fixture_hdr acc[] = {
        {"X-Ad-Account-Usage",
         "{\"acc_id_util_pct\":9.67,\"reset_time_duration\":100,\"ads_api_access_tier\":"
         "\"standard_access\"}"},
        {NULL, NULL}};
    const struct fixture_hdr junk[] = {{"X-App-Usage", "not json"},
                                       {"X-Business-Use-Case-Usage", "{\"1\":{\"call_count\":50}}"},
                                       {"X-Ad-Account-Usage", "[1,2]"},
                                       {NULL, NULL}};
    struct rl_signal s = rl(app);
    assert_int_equal(s.usage_pct, 28);
    assert_int_equal(s.wait_ms, -1);
    assert_false(s.per_stream);
    s = rl(buc);
    assert_int_equal(s.usage_pct, 99);
    assert_int_equal(s.wait_ms, 7 * 60 * 1000);
    s = rl(acc);
    assert_int_equal(s.usage_pct, 10);
    assert_int_equal(s.wait_ms, -1);
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
    const struct adapter *a = adapter_for(PLATFORM_FACEBOOK);
    char cid[] = "1234", secret[] = "s3cr3t/x";
    struct cfg_credential cred = {.client_id = cid, .client_secret = secret};
    struct http_request req = {0};
    assert_int_equal(a->refresh_build(&platform, &cred, "EAAB-current", NULL, &req), 0);
    assert_string_equal(req.method, "GET");
    assert_string_equal(req.url, "https://graph.facebook.com/v24.0/oauth/access_token"
                                 "?grant_type=fb_exchange_token&client_id=1234"
                                 "&client_secret=s3cr3t%2Fx&fb_exchange_token=EAAB-current");
    /* what may be logged carries neither the secret nor the token */
    assert_string_equal(req.log_url, "https://graph.facebook.com/v24.0/oauth/access_token");
    assert_null(req.body);
    http_request_free(&req);

    cred.client_secret = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "EAAB-current", NULL, &req), -1);
    http_request_free(&req);
    cred.client_secret = secret;
    cred.client_id = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "EAAB-current", NULL, &req), -1);
    http_request_free(&req);
    cred.client_id = cid;
    assert_int_equal(a->refresh_build(&platform, &cred, "", NULL, &req), -1);
    http_request_free(&req);
}

static int refresh(long status, const char *body, struct token_set *out, enum err_class *cls,
                   char *why, size_t whylen)
{
    struct http_response resp = fixture_response(status, body, strlen(body), NULL);
    return adapter_for(PLATFORM_FACEBOOK)->refresh_parse(&resp, out, cls, why, whylen);
}

static void test_refresh_parse(void **state)
{
    (void)state;
    struct token_set *out = xcalloc(1, sizeof *out);
    enum err_class cls;
    char why[256];
    char *body = unit_read_file("tests/fixtures/facebook/token.json", NULL);
    assert_int_equal(refresh(200, body, out, &cls, why, sizeof why), 0);
    assert_int_equal(cls, ERR_NONE);
    assert_string_equal(out->access_token,
                        "EAAJZCjKZBZAZCv0BOqZB4S8LongLivedTokenExample0123456789");
    assert_string_equal(out->refresh_token, "");
    assert_int_equal(out->expires_in_s, 5183944);
    free(body);

    body = unit_read_file("tests/fixtures/facebook/token_error_190.json", NULL);
    assert_int_equal(refresh(400, body, out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_string_equal(out->access_token, "");
    free(body);

    assert_int_equal(refresh(503, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_TRANSIENT);
    assert_int_equal(refresh(200, "{}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(refresh(200, "{\"access_token\":\"EAAnew\",\"token_type\":\"bearer\"}", out,
                             &cls, why, sizeof why),
                     0);
    assert_string_equal(out->access_token, "EAAnew");
    assert_int_equal(out->expires_in_s, 0);
    free(out);
}

/* A Graph page whose next page is the one it was asked with (cursor, time page, a form's
 * leads) would be asked for forever: refused, and paging stops. */
static void test_repeated_cursor(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("facebook.posts");
    ctx.page = "QVFIUkJRZAGdjRzQtZAHk1VnlYV2Fzc1ZAfZAnJQU0JfVjRHQUlBWkp2";
    fixture_expect_repeat(&ctx, "posts_page1.json");
    ctx.page =
        "until=1427470272&__paging_token=enc_AdBbhK6AkHaIdkUaTHGDy2E8EWaNpTlGtKOCPxwMZBTjIX0v"
        "OA4dm6WJQzjUyW4UW6KrDijzGVvMK0inzQdwtJYYrUvJ3FmuCRJ1R5GkgXP9S7wZDZD";
    fixture_expect_repeat(&ctx, "posts_time_paged.json");
    ctx = make_ctx("facebook.ads_insights");
    ctx.page = "MjQZD";
    fixture_expect_repeat(&ctx, "ads_insights_page1.json");
    ctx = make_ctx("facebook.leads");
    ctx.page = "0:QVFIUkx3bUVBdk1xLUdB";
    fixture_expect_repeat(&ctx, "leads_page1.json");
    /* another cursor of the same form goes on */
    ctx.page = "0:QVFIUkx3bUVBdk1xLUdC";
    struct rowset *rs = fixture_parse_ok(&ctx, "leads_page1.json");
    assert_string_equal(rowset_next(rs), "0:QVFIUkx3bUVBdk1xLUdB");
    rowset_free(rs);
}

int main(void)
{
    fixture_use(PLATFORM_FACEBOOK, "EAA");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_cursor),
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_build_page_insights),
        cmocka_unit_test(test_page_insights_chunks),
        cmocka_unit_test(test_build_posts),
        cmocka_unit_test(test_build_ads),
        cmocka_unit_test(test_build_leads),
        cmocka_unit_test(test_page_insights),
        cmocka_unit_test(test_page_insights_dst),
        cmocka_unit_test(test_page_insights_malformed),
        cmocka_unit_test(test_posts),
        cmocka_unit_test(test_posts_last),
        cmocka_unit_test(test_posts_next_only),
        cmocka_unit_test(test_posts_time_paged),
        cmocka_unit_test(test_posts_paging_kinds),
        cmocka_unit_test(test_posts_absent_counts),
        cmocka_unit_test(test_ads),
        cmocka_unit_test(test_ads_last),
        cmocka_unit_test(test_ads_empty),
        cmocka_unit_test(test_ads_currency_fallback),
        cmocka_unit_test(test_ads_malformed),
        cmocka_unit_test(test_leads),
        cmocka_unit_test(test_leads_forms),
        cmocka_unit_test(test_leads_malformed),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_retired_version),
        cmocka_unit_test(test_build_ads_version),
        cmocka_unit_test(test_error_message),
        cmocka_unit_test(test_throttle_retry),
        cmocka_unit_test(test_refused_metric),
        cmocka_unit_test(test_errors_without_body),
        cmocka_unit_test(test_ratelimit),
        cmocka_unit_test(test_refresh_build),
        cmocka_unit_test(test_refresh_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
