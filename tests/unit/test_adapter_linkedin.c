/*
 * test_adapter_linkedin.c - the LinkedIn adapter: Rest.li requests (exact URLs with their
 * encoding, the three headers, at most 20 adAnalytics fields), every fixture in
 * tests/fixtures/linkedin/ parsed into exact records, the page cursors of the multi-page runs,
 * error classes with the wait until 00:00 UTC, token refresh, and that a rejected page leaves no
 * records behind.
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

#define TOKEN "tok-SECRET-li-0123456789"
#define NOW   (INT64_C(1730728800) * 1000000 + 250000) /* 2024-11-04T14:00:00.25Z */
#define SINCE (INT64_C(1730419200) * 1000000)          /* 2024-11-01T00:00:00Z */
#define SALT  "pepper"

static char org_id[] = "2414183";
static char ad_account[] = "508866422";
static char usd[] = "USD";
static char api_base[] = "https://api.linkedin.com";
static char token_url[] = "https://www.linkedin.com/oauth/v2/accessToken";
static char version[] = "202610";

static struct cfg_account account = {.id = org_id, .ad_account = ad_account, .currency = usd};
static struct cfg_platform platform = {
    .api_base = api_base, .token_url = token_url, .version = version};

static struct adapter_ctx make_ctx(const char *stream, const char *page)
{
    struct adapter_ctx c = {
        .account = &account,
        .platform = &platform,
        .stream = stream,
        .access_token = TOKEN,
        .email_salt = SALT,
        .page = page,
        .from_day = time_days_from_civil(2024, 10, 28),
        .to_day = time_days_from_civil(2024, 11, 3),
        .since = SINCE,
        .now = NOW,
    };
    return c;
}

static int32_t day(int y, unsigned m, unsigned d)
{
    return time_days_from_civil(y, m, d);
}

static int64_t ts(int y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return ((int64_t)day(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000000;
}

/* ---- responses ------------------------------------------------------------------------------ */

static struct rowset *parse_ok(const char *name, const char *page, const char *file)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    return fixture_parse_ok(&ctx, file);
}

/* A page that must be refused: class cls, retry_after as given, and never a record. */
static void expect_error(const char *name, const char *page, long status, const char *file,
                         enum err_class cls, int64_t retry)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    fixture_expect_error(&ctx, status, file, NULL, cls, retry);
}

static void expect_body_error(const char *name, const char *page, long status, const char *body,
                              enum err_class cls)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    fixture_expect_body_error(&ctx, status, body, NULL, cls, cls == ERR_QUOTA ? 35999750 : -1);
}

/* ---- record checks -------------------------------------------------------------------------- */

static const struct record *rec(const struct rowset *rs, size_t i, enum rec_type t)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, t);
    return r;
}

static void is_metric(const struct rowset *rs, size_t i, const char *object, const char *metric,
                      int32_t d, int64_t value)
{
    const struct rec_metric *m = &rec(rs, i, REC_METRIC)->u.metric;
    assert_string_equal(m->object, object);
    assert_string_equal(m->metric, metric);
    assert_int_equal(m->day, d);
    assert_int_equal(m->basis, BASIS_UTC);
    assert_int_equal(m->value, value);
}

static void is_campaign(const struct rowset *rs, size_t i, const char *id, const char *name,
                        const char *status)
{
    const struct rec_campaign *c = &rec(rs, i, REC_CAMPAIGN)->u.campaign;
    assert_string_equal(c->id, id);
    assert_string_equal(c->name, name);
    assert_string_equal(c->status, status);
    assert_null(c->objective);
}

struct daily {
    const char *campaign;
    int32_t day;
    int64_t spend, impressions, clicks, leads, conversions, value;
};

static void is_daily(const struct rowset *rs, size_t i, struct daily want)
{
    const struct rec_ad_daily *a = &rec(rs, i, REC_AD_DAILY)->u.ad_daily;
    assert_string_equal(a->campaign, want.campaign);
    assert_int_equal(a->day, want.day);
    assert_int_equal(a->basis, BASIS_UTC);
    assert_string_equal(a->currency, "USD");
    assert_int_equal(a->spend_micros, want.spend);
    assert_int_equal(a->impressions, want.impressions);
    assert_int_equal(a->clicks, want.clicks);
    assert_int_equal(a->leads, want.leads);
    assert_int_equal(a->conversions, want.conversions);
    assert_int_equal(a->conversion_value_micros, want.value);
}

static void is_lead(const struct rowset *rs, size_t i, const char *id, int64_t at,
                    const char *email, const char *campaign)
{
    const struct rec_lead *l = &rec(rs, i, REC_LEAD)->u.lead;
    char hex[65];
    assert_string_equal(l->id, id);
    assert_string_equal(l->source, "form");
    assert_int_equal(l->created_at, at);
    if (email) {
        adapter_email_hash(SALT, email, hex);
        assert_string_equal(l->email_hash, hex);
    } else {
        assert_null(l->email_hash);
    }
    assert_string_equal(l->form, "6852164024012570624");
    if (campaign)
        assert_string_equal(l->campaign, campaign);
    else
        assert_null(l->campaign);
    assert_null(l->ad);
    assert_null(l->lifecycle_stage);
    assert_false(l->is_test);
    /* and its form submission */
    const struct rec_touchpoint *t = &rec(rs, i + 1, REC_TOUCHPOINT)->u.touchpoint;
    char tid[128];
    snprintf(tid, sizeof tid, "form:%s", id);
    assert_string_equal(t->id, tid);
    assert_string_equal(t->lead, id);
    assert_string_equal(t->kind, "form_submission");
    assert_int_equal(t->occurred_at, at);
    assert_string_equal(t->platform, "linkedin");
    if (campaign)
        assert_string_equal(t->campaign, campaign);
    else
        assert_null(t->campaign);
    assert_null(t->utm_source);
    assert_null(t->utm_campaign);
}

/* ---- registry and requests ------------------------------------------------------------------ */

static void test_streams(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_LINKEDIN);
    assert_non_null(a);
    assert_int_equal(a->nstreams, 4);
    assert_string_equal(a->streams[0].name, "linkedin.org_stats");
    assert_true(a->streams[0].windowed);
    assert_false(a->streams[0].incremental);
    assert_string_equal(a->streams[1].name, "linkedin.ad_analytics");
    assert_true(a->streams[1].windowed);
    assert_string_equal(a->streams[2].name, "linkedin.leads");
    assert_false(a->streams[2].windowed);
    assert_true(a->streams[2].incremental);
    assert_string_equal(a->streams[3].name, "linkedin.member_posts");
    assert_true(a->streams[3].windowed);
    assert_true(a->streams[3].daily_metrics);
    for (size_t i = 0; i < a->nstreams; i++)
        assert_int_equal(a->streams[i].basis, BASIS_UTC);
    assert_null(a->ratelimit); /* LinkedIn sends no rate-limit headers */
    assert_non_null(a->refresh_build);
    assert_non_null(a->refresh_parse);
}

/* Bearer, LinkedIn-Version and Rest.li headers on every call; no token in the URL. */
static void check_headers(const struct http_request *req)
{
    assert_string_equal(req->method, "GET");
    assert_string_equal(req->headers[0], "Authorization: Bearer " TOKEN);
    assert_string_equal(req->headers[1], "LinkedIn-Version: 202610");
    assert_string_equal(req->headers[2], "X-Restli-Protocol-Version: 2.0.0");
    assert_null(req->headers[3]);
    assert_null(req->body);
    assert_null(strstr(req->url, TOKEN));
    assert_null(strchr(req->log_url, '?'));
}

/* Builds the request of stream/page and compares its URL. */
static void expect_url(const char *name, const char *page, const char *url)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    struct http_request req = {0};
    char why[128] = "";
    if (fixture_stream(name)->build(&ctx, &req, why, sizeof why) != 0)
        fail_msg("%s %s: %s", name, page ? page : "(first)", why);
    assert_string_equal(req.url, url);
    check_headers(&req);
    http_request_free(&req);
}

static void test_build_org_stats(void **state)
{
    (void)state;
    /* 2024-10-28T00:00Z to 2024-11-04T00:00Z (the end of to_day) in epoch ms */
    expect_url("linkedin.org_stats", NULL,
               "https://api.linkedin.com/rest/organizationalEntityFollowerStatistics"
               "?q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183"
               "&timeIntervals=(timeRange:(start:1730073600000,end:1730678400000),"
               "timeGranularityType:DAY)");
    expect_url("linkedin.org_stats", "share_statistics",
               "https://api.linkedin.com/rest/organizationalEntityShareStatistics"
               "?q=organizationalEntity&organizationalEntity=urn%3Ali%3Aorganization%3A2414183"
               "&timeIntervals=(timeRange:(start:1730073600000,end:1730678400000),"
               "timeGranularityType:DAY)");
    expect_url("linkedin.org_stats", "network_size",
               "https://api.linkedin.com/rest/networkSizes/urn%3Ali%3Aorganization%3A2414183"
               "?edgeType=COMPANY_FOLLOWED_BY_MEMBER");
    /* the account id may be written as the organization's URN */
    char urn[] = "urn:li:organization:2414183";
    account.id = urn;
    expect_url("linkedin.org_stats", "network_size",
               "https://api.linkedin.com/rest/networkSizes/urn%3Ali%3Aorganization%3A2414183"
               "?edgeType=COMPANY_FOLLOWED_BY_MEMBER");
    account.id = org_id;
    struct adapter_ctx ctx = make_ctx("linkedin.org_stats", NULL);
    struct http_request req = {0};
    char why[128];
    assert_int_equal(fixture_stream("linkedin.org_stats")->build(&ctx, &req, why, sizeof why), 0);
    assert_string_equal(req.log_url,
                        "https://api.linkedin.com/rest/organizationalEntityFollowerStatistics");
    http_request_free(&req);
}

/* The number of names in the fields= parameter of an adAnalytics URL. */
static int field_count(const char *url)
{
    const char *f = strstr(url, "&fields=");
    int n = 1;
    assert_non_null(f);
    for (f += 8; *f && *f != '&'; f++)
        n += *f == ',';
    return n;
}

static void test_build_ads(void **state)
{
    (void)state;
    expect_url("linkedin.ad_analytics", NULL,
               "https://api.linkedin.com/rest/adAccounts/508866422/adCampaigns"
               "?q=search&pageSize=100");
    expect_url("linkedin.ad_analytics", "campaigns:DgEAAAGSw3mS8QAAAABkH5Qp",
               "https://api.linkedin.com/rest/adAccounts/508866422/adCampaigns"
               "?q=search&pageSize=100&pageToken=DgEAAAGSw3mS8QAAAABkH5Qp");
    expect_url("linkedin.ad_analytics", "campaigns:a+b/c=",
               "https://api.linkedin.com/rest/adAccounts/508866422/adCampaigns"
               "?q=search&pageSize=100&pageToken=a%2Bb%2Fc%3D");
    /* Rest.li: ( ) : , unencoded, the URN inside List() percent-encoded; months without zeros */
    expect_url("linkedin.ad_analytics", "analytics:1",
               "https://api.linkedin.com/rest/adAnalytics?q=analytics&pivot=CAMPAIGN"
               "&timeGranularity=DAILY"
               "&dateRange=(start:(year:2024,month:10,day:28),end:(year:2024,month:11,day:3))"
               "&accounts=List(urn%3Ali%3AsponsoredAccount%3A508866422)"
               "&fields=dateRange,pivotValues,costInLocalCurrency,impressions,clicks,"
               "oneClickLeads,externalWebsiteConversions,conversionValueInLocalCurrency");
    expect_url("linkedin.ad_analytics", "analytics:2",
               "https://api.linkedin.com/rest/adAnalytics?q=analytics&pivot=CAMPAIGN"
               "&timeGranularity=DAILY"
               "&dateRange=(start:(year:2024,month:10,day:28),end:(year:2024,month:11,day:3))"
               "&accounts=List(urn%3Ali%3AsponsoredAccount%3A508866422)"
               "&fields=dateRange,pivotValues,likes,comments,shares,follows,videoViews,"
               "landingPageClicks");
    /* no request asks for more than 20 fields (dateRange and pivotValues included) */
    static const char *const chunks[] = {"analytics:1", "analytics:2"};
    for (size_t i = 0; i < 2; i++) {
        struct adapter_ctx ctx = make_ctx("linkedin.ad_analytics", chunks[i]);
        struct http_request req = {0};
        char why[128];
        assert_int_equal(
            fixture_stream("linkedin.ad_analytics")->build(&ctx, &req, why, sizeof why), 0);
        assert_true(field_count(req.url) <= 20);
        assert_null(strstr(req.url, "%28"));
        assert_null(strstr(req.url, "%2C"));
        http_request_free(&req);
    }
    /* an ad account written as a URN */
    char urn[] = "urn:li:sponsoredAccount:508866422";
    account.ad_account = urn;
    expect_url("linkedin.ad_analytics", NULL,
               "https://api.linkedin.com/rest/adAccounts/508866422/adCampaigns"
               "?q=search&pageSize=100");
    account.ad_account = ad_account;
}

static void test_build_leads(void **state)
{
    (void)state;
    /* start = the watermark, end = now (ms, .25 s included) */
    expect_url("linkedin.leads", NULL,
               "https://api.linkedin.com/rest/leadFormResponses?q=owner"
               "&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A508866422)"
               "&leadType=(leadType:SPONSORED)&limitedToTestLeads=false"
               "&submittedAtTimeRange=(start:1730419200000,end:1730728800250)&start=0&count=100");
    /* later pages keep the range of the first */
    expect_url("linkedin.leads", "3:1730728000000",
               "https://api.linkedin.com/rest/leadFormResponses?q=owner"
               "&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A508866422)"
               "&leadType=(leadType:SPONSORED)&limitedToTestLeads=false"
               "&submittedAtTimeRange=(start:1730419200000,end:1730728000000)&start=3&count=100");
}

static void expect_refused(const char *name, const char *page, const char *why_want)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    struct http_request req = {0};
    char why[160] = "";
    assert_int_equal(fixture_stream(name)->build(&ctx, &req, why, sizeof why), -1);
    if (!strstr(why, why_want))
        fail_msg("%s: why \"%s\", expected \"%s\"", name, why, why_want);
    http_request_free(&req);
}

static void test_build_refused(void **state)
{
    (void)state;
    char empty[] = "", bad[] = "acme", eur[] = "eur";
    expect_refused("linkedin.org_stats", "nope", "not an org_stats page");
    expect_refused("linkedin.ad_analytics", "analytics:3", "not an ad_analytics page");
    expect_refused("linkedin.ad_analytics", "campaigns:", "not an ad_analytics page");
    expect_refused("linkedin.leads", "3", "not a leads offset");
    expect_refused("linkedin.leads", "x:1", "not a leads offset");
    account.currency = empty;
    expect_refused("linkedin.ad_analytics", NULL, "account has no currency");
    account.currency = eur;
    expect_refused("linkedin.ad_analytics", NULL, "account has no currency");
    account.currency = usd;
    account.id = bad;
    expect_refused("linkedin.org_stats", NULL, "not a LinkedIn id");
    account.id = NULL;
    expect_refused("linkedin.org_stats", NULL, "account has no id");
    account.id = org_id;
    account.ad_account = NULL;
    expect_refused("linkedin.leads", NULL, "account has no ad_account");
    account.ad_account = ad_account;
    platform.version = empty;
    expect_refused("linkedin.org_stats", NULL, "LinkedIn-Version");
    platform.version = version;
    struct adapter_ctx ctx = make_ctx("linkedin.leads", NULL);
    struct http_request req = {0};
    char why[128];
    ctx.access_token = "";
    assert_int_equal(fixture_stream("linkedin.leads")->build(&ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, "no access token");
    http_request_free(&req);
}

/* ---- linkedin.org_stats --------------------------------------------------------------------- */

/* A run: followers -> share statistics -> network size -> end. */
static void test_org_stats_run(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("linkedin.org_stats", NULL, "org_follower_stats.json");
    /* 10-27 is before the window; 10-31 has no followerGains; organic + paid, gains may be < 0 */
    assert_int_equal(rowset_count(rs), 4);
    is_metric(rs, 0, "", "followers_gained", day(2024, 10, 28), 15);
    is_metric(rs, 1, "", "followers_gained", day(2024, 10, 29), -2);
    is_metric(rs, 2, "", "followers_gained", day(2024, 10, 30), 7);
    is_metric(rs, 3, "", "followers_gained", day(2024, 11, 3), 0);
    assert_string_equal(rowset_next(rs), "share_statistics");
    rowset_free(rs);

    rs = parse_ok("linkedin.org_stats", "share_statistics", "org_share_stats.json");
    assert_int_equal(rowset_count(rs), 10);
    static const char *const names[] = {"impressions", "clicks", "likes", "comments", "shares"};
    static const int64_t first[] = {1208, 41, 17, 2, 4};
    for (size_t i = 0; i < 5; i++) {
        is_metric(rs, i, "", names[i], day(2024, 11, 2), first[i]);
        is_metric(rs, 5 + i, "", names[i], day(2024, 11, 3), 0);
    }
    assert_string_equal(rowset_next(rs), "network_size");
    rowset_free(rs);

    rs = parse_ok("linkedin.org_stats", "network_size", "org_network_size.json");
    assert_int_equal(rowset_count(rs), 1);
    const struct rec_snapshot *s = &rec(rs, 0, REC_SNAPSHOT)->u.snapshot;
    assert_string_equal(s->object, "");
    assert_string_equal(s->metric, "followers");
    assert_int_equal(s->observed_at, NOW);
    assert_int_equal(s->value, 18243);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

static void test_org_stats_empty_and_lone(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("linkedin.org_stats", NULL, "org_follower_stats_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_string_equal(rowset_next(rs), "share_statistics");
    rowset_free(rs);
    /* no cursor (socialroi parse): a later page's body is read as that page, with no next */
    rs = parse_ok("linkedin.org_stats", NULL, "org_share_stats.json");
    assert_int_equal(rowset_count(rs), 10);
    assert_null(rowset_next(rs));
    rowset_free(rs);
    rs = parse_ok("linkedin.org_stats", NULL, "org_network_size.json");
    assert_int_equal(rowset_count(rs), 1);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

static void test_org_stats_malformed(void **state)
{
    (void)state;
    expect_error("linkedin.org_stats", "share_statistics", 200, "org_share_stats_bad_count.json",
                 ERR_MALFORMED, -1);
    expect_error("linkedin.org_stats", "network_size", 200, "org_follower_stats.json",
                 ERR_MALFORMED, -1);
    expect_error("linkedin.org_stats", "share_statistics", 200, "org_network_size.json",
                 ERR_MALFORMED, -1);
    expect_error("linkedin.org_stats", "sideways", 200, "org_follower_stats.json", ERR_MALFORMED,
                 -1);
    expect_body_error("linkedin.org_stats", NULL, 200, "{\"elements\":{}}", ERR_MALFORMED);
    expect_body_error("linkedin.org_stats", NULL, 200, "{\"elements\":[{\"followerGains\":{}}]}",
                      ERR_MALFORMED);
    expect_body_error("linkedin.org_stats", NULL, 200,
                      "{\"elements\":[{\"timeRange\":{\"start\":1730073600000},"
                      "\"followerGains\":{\"organicFollowerGain\":1.5}}]}",
                      ERR_MALFORMED);
    expect_body_error("linkedin.org_stats", "network_size", 200, "{\"firstDegreeSize\":\"many\"}",
                      ERR_MALFORMED);
}

/* ---- linkedin.ad_analytics ------------------------------------------------------------------ */

/* campaigns (pageToken paging) -> first field chunk -> second field chunk -> end */
static void test_ads_run(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("linkedin.ad_analytics", NULL, "campaigns_page1.json");
    assert_int_equal(rowset_count(rs), 2);
    is_campaign(rs, 0, "612341234", "Q4 Lead Gen \xE2\x80\x94 EMEA", "ACTIVE");
    is_campaign(rs, 1, "612349999", "Webinar retargeting", "PAUSED");
    assert_string_equal(rowset_next(rs), "campaigns:DgEAAAGSw3mS8QAAAABkH5Qp");
    rowset_free(rs);

    rs = parse_ok("linkedin.ad_analytics", "campaigns:DgEAAAGSw3mS8QAAAABkH5Qp",
                  "campaigns_last.json");
    assert_int_equal(rowset_count(rs), 1);
    is_campaign(rs, 0, "612350001", "Brand awareness", "DRAFT"); /* an id as a string */
    assert_string_equal(rowset_next(rs), "analytics:1");
    rowset_free(rs);

    rs = parse_ok("linkedin.ad_analytics", "analytics:1", "ad_analytics_spend.json");
    assert_int_equal(rowset_count(rs), 4);
    is_daily(
        rs, 0,
        (struct daily){"612341234", day(2024, 10, 28), 209449000, 19090, 100, 4, 2, 350000000});
    /* "-2E-18" is 0 micros; absent counts are 0 */
    is_daily(rs, 1, (struct daily){"612341234", day(2024, 10, 29), 0, 0, 0, 0, 0, 0});
    /* "1.2345675E+2" is 123.45675; "5120" a count as a string */
    is_daily(rs, 2, (struct daily){"612349999", day(2024, 11, 3), 123456750, 5120, 37, 0, 0, 0});
    /* the 2021..2023 range element is skipped with a warning; pivotValue (legacy) is read */
    is_daily(rs, 3, (struct daily){"612350001", day(2024, 11, 1), 509980000, 8000, 55, 1, 0, 0});
    assert_int_equal(rowset_warnings(rs), 1);
    assert_string_equal(rowset_next(rs), "analytics:2");
    rowset_free(rs);

    rs = parse_ok("linkedin.ad_analytics", "analytics:2", "ad_analytics_social.json");
    assert_int_equal(rowset_count(rs), 8);
    is_metric(rs, 0, "612341234", "likes", day(2024, 10, 28), 31);
    is_metric(rs, 1, "612341234", "comments", day(2024, 10, 28), 4);
    is_metric(rs, 2, "612341234", "shares", day(2024, 10, 28), 2);
    is_metric(rs, 3, "612341234", "followers_gained", day(2024, 10, 28), 6);
    is_metric(rs, 4, "612341234", "views", day(2024, 10, 28), 0);
    is_metric(rs, 5, "612341234", "link_clicks", day(2024, 10, 28), 88);
    is_metric(rs, 6, "612349999", "likes", day(2024, 11, 3), 3); /* absent counts: no record */
    is_metric(rs, 7, "612349999", "link_clicks", day(2024, 11, 3), 20);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

static void test_ads_empty_window_and_lone(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("linkedin.ad_analytics", "analytics:1", "ad_analytics_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_string_equal(rowset_next(rs), "analytics:2");
    rowset_free(rs);
    rs = parse_ok("linkedin.ad_analytics", "analytics:2", "ad_analytics_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);
    /* days outside the window are not recorded */
    struct adapter_ctx ctx = make_ctx("linkedin.ad_analytics", "analytics:1");
    int rc;
    ctx.from_day = day(2024, 11, 1);
    rs = fixture_parse(&ctx, 200, "ad_analytics_spend.json", NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_count(rs), 2);
    is_daily(rs, 0, (struct daily){"612349999", day(2024, 11, 3), 123456750, 5120, 37, 0, 0, 0});
    rowset_free(rs);
    /* no cursor (socialroi parse): adAnalytics bodies are read by their fields, no next */
    rs = parse_ok("linkedin.ad_analytics", NULL, "ad_analytics_spend.json");
    assert_int_equal(rowset_count(rs), 4);
    assert_int_equal(rec(rs, 0, REC_AD_DAILY)->u.ad_daily.spend_micros, 209449000);
    assert_null(rowset_next(rs));
    rowset_free(rs);
    rs = parse_ok("linkedin.ad_analytics", NULL, "ad_analytics_social.json");
    assert_int_equal(rowset_count(rs), 8);
    is_metric(rs, 0, "612341234", "likes", day(2024, 10, 28), 31);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

static void test_ads_malformed(void **state)
{
    (void)state;
    static const struct {
        const char *page, *file;
    } cases[] = {
        {"analytics:1", "ad_analytics_bad_cost.json"},  /* "12,50" after a good element */
        {"analytics:1", "ad_analytics_bad_pivot.json"}, /* empty pivotValues */
        {"analytics:1", "ad_analytics_truncated.json"},
        {"analytics:1", "campaigns_page1.json"}, /* not analytics elements */
        {"analytics:2", "org_follower_stats.json"},
        {NULL, "ad_analytics_truncated.json"},
        {"campaigns:x", "org_network_size.json"}, /* no elements */
        {"analytics:9", "ad_analytics_spend.json"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_error("linkedin.ad_analytics", cases[i].page, 200, cases[i].file, ERR_MALFORMED, -1);
    static const char *const bodies[] = {
        "{\"elements\":[{\"id\":\"urn:li:sponsoredCampaign:abc\"}]}",
        "{\"elements\":[{\"id\":1.5}]}",
        "{\"elements\":[{\"id\":1,\"name\":7}]}",
        "{\"elements\":[],\"metadata\":{\"nextPageToken\":5}}",
        "{\"elements\":[],\"metadata\":[]}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        expect_body_error("linkedin.ad_analytics", NULL, 200, bodies[i], ERR_MALFORMED);
    static const char *const analytics[] = {
        "{\"elements\":[{\"dateRange\":{\"start\":{\"year\":2024,\"month\":2,\"day\":31}},"
        "\"pivotValues\":[\"urn:li:sponsoredCampaign:1\"]}]}",
        "{\"elements\":[{\"dateRange\":{\"start\":{\"year\":2024,\"month\":11,\"day\":1}},"
        "\"pivotValues\":[\"urn:li:sponsoredCampaign:1\"],\"impressions\":-3}]}",
        "{\"elements\":[{\"dateRange\":{\"start\":{\"year\":2024,\"month\":11,\"day\":1}},"
        "\"pivotValues\":[\"urn:li:sponsoredCampaign:1\"],\"clicks\":1.5}]}",
        "{\"elements\":[{\"dateRange\":{\"start\":{\"year\":2024,\"month\":11,\"day\":1}},"
        "\"pivotValues\":[7]}]}",
        "{\"elements\":[{\"dateRange\":{\"start\":{\"year\":2024,\"month\":11,\"day\":1},"
        "\"end\":\"tomorrow\"},\"pivotValues\":[\"urn:li:sponsoredCampaign:1\"]}]}",
    };
    for (size_t i = 0; i < sizeof analytics / sizeof analytics[0]; i++)
        expect_body_error("linkedin.ad_analytics", "analytics:1", 200, analytics[i], ERR_MALFORMED);
}

/* ---- linkedin.leads ------------------------------------------------------------------------- */

static void test_leads_run(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("linkedin.leads", NULL, "leads_page1.json");
    /* the test lead is skipped; the first valid address is hashed trimmed and lower-cased */
    assert_int_equal(rowset_count(rs), 4);
    is_lead(rs, 0, "5f1d3c2a-91b7-4c39-8ad0-8c0d3a1e7b11", ts(2024, 11, 2, 9, 15, 30) + 123000,
            "ada.lovelace@example.com", "612341234");
    /* "name@localhost" and "not an address" are not e-mail addresses */
    is_lead(rs, 2, "0b6e9d4f-3a2c-4e18-9f51-2d7c6b8a9e02", ts(2024, 11, 2, 10, 0, 0), NULL,
            "612341234");
    /* 3 of 5 read: the next page starts at 3 and keeps this page's end (now, in ms) */
    assert_string_equal(rowset_next(rs), "3:1730728800250");
    rowset_free(rs);

    rs = parse_ok("linkedin.leads", "3:1730728800250", "leads_last.json");
    assert_int_equal(rowset_count(rs), 4);
    is_lead(rs, 0, "c3d4e5f6-0718-4293-a4b5-c6d7e8f90a1b", ts(2024, 11, 3, 17, 45, 0),
            "grace@navy.example.org", NULL);
    is_lead(rs, 2, "e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b", ts(2024, 11, 4, 1, 2, 3), NULL,
            "612349999");
    assert_null(rowset_next(rs));
    rowset_free(rs);

    rs = parse_ok("linkedin.leads", NULL, "leads_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* Without paging.total a full page of 100 means there may be more. */
static void test_leads_without_total(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_puts(&b, "{\"elements\":[");
    for (int i = 0; i < 100; i++)
        buf_printf(&b, "%s{\"id\":\"lead-%d\",\"submittedAt\":%d000,\"testLead\":false}",
                   i ? "," : "", i, 1730500000 + i);
    buf_puts(&b, "]}");
    struct adapter_ctx ctx = make_ctx("linkedin.leads", "100:1730728000000");
    int rc;
    struct rowset *rs = fixture_parse_body(&ctx, 200, b.data, b.len, NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_count(rs), 200);
    assert_null(rec(rs, 0, REC_LEAD)->u.lead.form);
    assert_string_equal(rowset_next(rs), "200:1730728000000");
    rowset_free(rs);
    buf_free(&b);
    const char *short_page = "{\"elements\":[{\"id\":\"x\",\"submittedAt\":1730500000000}]}";
    rs = fixture_parse_body(&ctx, 200, short_page, strlen(short_page), NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_count(rs), 2);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* The e-mail is the first text answer that is a syntactically valid address. */
static void test_lead_email_syntax(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "a@b",        "a@@b.com",  "a b@c.com", ".a@b.com", "a.@b.com", "a..b@c.com",    "a@-b.com",
        "a@b-.com",   "a@b.c",     "a@b.com.",  "@b.com",   "a@",       "a@b..com",      "a@b.c0m",
        "a(b)@c.com", "a@b_c.com", "",          "   ",      "a@.b.com", "x@y.com@z.com",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[512];
        snprintf(body, sizeof body,
                 "{\"elements\":[{\"id\":\"1\",\"submittedAt\":1730500000000,\"formResponse\":"
                 "{\"answers\":[{\"answerDetails\":{\"textQuestionAnswer\":{\"answer\":\"%s\"}}},"
                 "{\"answerDetails\":{\"textQuestionAnswer\":{\"answer\":\"X+Y@Sub.Example.co\"}}}"
                 "]}}]}",
                 bad[i]);
        struct adapter_ctx ctx = make_ctx("linkedin.leads", NULL);
        int rc;
        char hex[65];
        struct rowset *rs = fixture_parse_body(&ctx, 200, body, strlen(body), NULL, &rc);
        assert_int_equal(rc, 0);
        adapter_email_hash(SALT, "x+y@sub.example.co", hex);
        if (strcmp(rec(rs, 0, REC_LEAD)->u.lead.email_hash, hex) != 0)
            fail_msg("\"%s\" was taken for an e-mail address", bad[i]);
        rowset_free(rs);
    }
}

static void test_leads_malformed(void **state)
{
    (void)state;
    expect_error("linkedin.leads", NULL, 200, "leads_bad_submitted.json", ERR_MALFORMED, -1);
    expect_error("linkedin.leads", "1:2:3", 200, "leads_page1.json", ERR_MALFORMED, -1);
    static const char *const bodies[] = {
        "{\"elements\":[{\"id\":\"1\",\"submittedAt\":1730500000000,\"testLead\":\"maybe\"}]}",
        "{\"elements\":[{\"submittedAt\":1730500000000}]}",
        "{\"elements\":[{\"id\":\"1\",\"submittedAt\":0}]}",
        "{\"elements\":[{\"id\":\"1\",\"submittedAt\":1730500000000,\"formResponse\":"
        "{\"answers\":{}}}]}",
        "{\"elements\":[{\"id\":\"1\",\"submittedAt\":1730500000000,\"formResponse\":"
        "{\"answers\":[{\"answerDetails\":{\"textQuestionAnswer\":{\"answer\":5}}}]}}]}",
        "{\"elements\":[{\"id\":\"1\",\"submittedAt\":1730500000000,"
        "\"versionedLeadGenFormUrn\":7}]}",
        "{\"elements\":[],\"paging\":{\"total\":\"lots\"}}",
        "{\"elements\":[],\"paging\":[]}",
        "{\"paging\":{\"total\":0}}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        expect_body_error("linkedin.leads", NULL, 200, bodies[i], ERR_MALFORMED);
}

/* ---- errors --------------------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    static const struct {
        long status;
        const char *file;
        enum err_class cls;
        int64_t retry;
    } cases[] = {
        {401, "error_401_invalid.json", ERR_AUTH, -1},
        {401, "error_401_revoked.json", ERR_AUTH, -1},
        {401, "error_401_expired.json", ERR_AUTH, -1},
        {401, "error_401_empty_token.json", ERR_AUTH, -1},
        {403, "error_403_access_denied.json", ERR_PERMISSION, -1},
        {400, "error_400.json", ERR_BAD_REQUEST, -1},
        {400, "error_400_fields.json", ERR_BAD_REQUEST, -1},
        {404, "error_404.json", ERR_NOT_FOUND, -1},
        /* daily quotas: wait until 2024-11-05T00:00Z, 10 h minus the 0.25 s past 14:00 */
        {429, "error_429.json", ERR_QUOTA, 35999750},
        {500, "error_500.json", ERR_TRANSIENT, -1},
        {504, "error_504.json", ERR_TRANSIENT, -1},
        {414, "error_504.json", ERR_BAD_REQUEST, -1}, /* URL too long */
    };
    static const char *const names[] = {"linkedin.org_stats", "linkedin.ad_analytics",
                                        "linkedin.leads"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        for (size_t s = 0; s < 3; s++)
            expect_error(names[s], s == 1 ? "analytics:1" : NULL, cases[i].status, cases[i].file,
                         cases[i].cls, cases[i].retry);
    /* the token codes are auth even under another status; ACCESS_DENIED is permission */
    expect_body_error("linkedin.leads", NULL, 400,
                      "{\"status\":400,\"serviceErrorCode\":65602,\"message\":\"expired\"}",
                      ERR_AUTH);
    expect_body_error("linkedin.leads", NULL, 400,
                      "{\"status\":400,\"code\":\"ACCESS_DENIED\",\"message\":\"no role\"}",
                      ERR_PERMISSION);
    expect_body_error("linkedin.leads", NULL, 429, "", ERR_QUOTA);
    /* an error body with a 200 is not a page */
    expect_error("linkedin.leads", NULL, 200, "error_429.json", ERR_MALFORMED, -1);
}

static void test_error_message(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("linkedin.ad_analytics", "analytics:1");
    const char *msg;
    int rc;
    struct rowset *rs = fixture_parse(&ctx, 403, "error_403_access_denied.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_PERMISSION);
    /* a 45-byte word could be a credential: blanked */
    assert_string_equal(msg, "linkedin: HTTP 403 ACCESS_DENIED serviceErrorCode 100: Not enough "
                             "permissions to access: [redacted]");
    rowset_free(rs);
    rs = fixture_parse(&ctx, 400, "error_400.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_BAD_REQUEST);
    assert_string_equal(msg, "linkedin: HTTP 400: Parameter 'account' is required.");
    rowset_free(rs);
    const char *echo = "{\"status\":401,\"message\":\"bad token " TOKEN "\"}";
    rs = fixture_parse_body(&ctx, 401, echo, strlen(echo), NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_AUTH);
    assert_string_equal(msg, "linkedin: HTTP 401: bad token [redacted]");
    rowset_free(rs);
}

/* A sunset LinkedIn-Version answers 426 NONEXISTENT_VERSION: a version error naming the fix. */
static void test_retired_version(void **state)
{
    (void)state;
    static const char body[] = "{\"status\":426,\"code\":\"NONEXISTENT_VERSION\","
                               "\"message\":\"Requested version 20251001 is not active\"}";
    static char old[] = "202510";
    struct cfg_platform p = platform;
    p.version = old;
    static const char *const names[] = {"linkedin.org_stats", "linkedin.ad_analytics",
                                        "linkedin.leads"};
    for (size_t s = 0; s < 3; s++) {
        struct adapter_ctx ctx = make_ctx(names[s], s == 1 ? "analytics:1" : NULL);
        ctx.platform = &p;
        ctx.now = ts(2026, 12, 7, 9, 0, 0);
        const char *msg;
        int64_t retry;
        int rc;
        struct rowset *rs = fixture_parse_body(&ctx, 426, body, strlen(body), NULL, &rc);
        assert_int_equal(rowset_error(rs, &msg, &retry), ERR_VERSION);
        assert_true(retry == -1);
        assert_int_equal(rowset_count(rs), 0);
        assert_string_equal(msg, "linkedin: LinkedIn-Version 202510 is retired (HTTP 426 "
                                 "NONEXISTENT_VERSION: Requested version 20251001 is not "
                                 "active): set version = 202610 in [platform linkedin]");
        rowset_free(rs);
    }
    /* without a body a 426 is still the version */
    expect_body_error("linkedin.leads", NULL, 426, "", ERR_VERSION);
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
        {502, "upstream connect error", ERR_TRANSIENT},
        {404, "", ERR_NOT_FOUND},
        {401, "", ERR_AUTH},
        {403, "<html>denied</html>", ERR_PERMISSION},
        {302, "", ERR_MALFORMED},
        {200, "", ERR_MALFORMED},
        {200, "[]", ERR_MALFORMED},
        {200, "{\"elements\":[]} trailing", ERR_MALFORMED},
        {200, "{\"elements\":[{\"id\":\"\xC3\x28\"}]}", ERR_MALFORMED},
        {200, "{\"elements\":[{\"id\":\"\\uD83D\"}]}", ERR_MALFORMED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_body_error("linkedin.leads", NULL, cases[i].status, cases[i].body, cases[i].cls);
}

/* ---- tokens --------------------------------------------------------------------------------- */

static void test_refresh_build(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_LINKEDIN);
    char cid[] = "86abc", secret[] = "s3cr&t", rt[] = "AQW-from-config";
    struct cfg_credential cred = {.client_id = cid, .client_secret = secret, .refresh_token = rt};
    struct http_request req = {0};
    assert_int_equal(a->refresh_build(&platform, &cred, "old", "AQW/new+rt", &req), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.url, "https://www.linkedin.com/oauth/v2/accessToken");
    assert_string_equal(req.body, "grant_type=refresh_token&refresh_token=AQW%2Fnew%2Brt"
                                  "&client_id=86abc&client_secret=s3cr%26t");
    assert_string_equal(req.headers[0], "Content-Type: application/x-www-form-urlencoded");
    assert_null(req.headers[1]);
    http_request_free(&req);
    assert_int_equal(a->refresh_build(&platform, &cred, "old", NULL, &req), 0);
    assert_non_null(strstr(req.body, "refresh_token=AQW-from-config&"));
    http_request_free(&req);
    /* apps without programmatic refresh have no refresh token: the member re-consents */
    cred.refresh_token = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "old", NULL, &req), -1);
    http_request_free(&req);
    cred.refresh_token = rt;
    cred.client_secret = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "old", NULL, &req), -1);
    http_request_free(&req);
}

static int refresh(long status, const char *body, struct token_set *out, enum err_class *cls,
                   char *why, size_t whylen)
{
    struct http_response resp = fixture_response(status, body, strlen(body), NULL);
    return adapter_for(PLATFORM_LINKEDIN)->refresh_parse(&resp, out, cls, why, whylen);
}

static void test_refresh_parse(void **state)
{
    (void)state;
    struct token_set *out = xcalloc(1, sizeof *out);
    enum err_class cls;
    char why[256];
    char *body = unit_read_file("tests/fixtures/linkedin/token.json", NULL);
    assert_int_equal(refresh(200, body, out, &cls, why, sizeof why), 0);
    assert_int_equal(cls, ERR_NONE);
    assert_string_equal(out->access_token,
                        "AQUvlL_DYEzvT2wz1QJiEPeLioeA-example-access-token-value");
    assert_string_equal(out->refresh_token,
                        "AQWAft_WjYZKwuWXLC5hQlghgTam-example-refresh-token-value");
    assert_int_equal(out->expires_in_s, 5184000);
    free(body);
    body = unit_read_file("tests/fixtures/linkedin/token_no_refresh.json", NULL);
    assert_int_equal(refresh(200, body, out, &cls, why, sizeof why), 0);
    assert_string_equal(out->refresh_token, "");
    free(body);
    body = unit_read_file("tests/fixtures/linkedin/token_invalid_grant.json", NULL);
    assert_int_equal(refresh(400, body, out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_string_equal(why, "linkedin token endpoint refused the refresh: invalid_grant");
    assert_string_equal(out->access_token, "");
    free(body);
    assert_int_equal(refresh(503, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_TRANSIENT);
    assert_int_equal(refresh(429, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_QUOTA);
    assert_int_equal(refresh(200, "{\"expires_in\":5184000}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(refresh(200, "{\"access_token\":\"a\",\"expires_in\":\"soon\"}", out, &cls,
                             why, sizeof why),
                     -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(
        refresh(200, "{\"access_token\":\"a\",\"refresh_token\":\"\"}", out, &cls, why, sizeof why),
        -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_string_equal(out->access_token, "");
    free(out);
}

/* A campaigns page whose metadata.nextPageToken is the pageToken it was asked with would be
 * asked for forever: refused, and paging stops. */
static void test_repeated_cursor(void **state)
{
    (void)state;
    struct adapter_ctx ctx =
        make_ctx("linkedin.ad_analytics", "campaigns:DgEAAAGSw3mS8QAAAABkH5Qp");
    fixture_expect_repeat(&ctx, "campaigns_page1.json");
}

/* ---- linkedin.member_posts ------------------------------------------------------------------ */

static char person_id[] = "782134";

static struct adapter_ctx member_ctx(const char *page)
{
    static struct cfg_account member = {.id = person_id, .member = true};
    struct adapter_ctx c = make_ctx("linkedin.member_posts", page);
    c.account = &member;
    return c;
}

static void expect_member_url(const char *page, const char *url)
{
    struct adapter_ctx ctx = member_ctx(page);
    struct http_request req = {0};
    char why[128] = "";
    if (fixture_stream("linkedin.member_posts")->build(&ctx, &req, why, sizeof why) != 0)
        fail_msg("member_posts %s: %s", page ? page : "(first)", why);
    assert_string_equal(req.url, url);
    check_headers(&req);
    http_request_free(&req);
}

static void test_member_applies(void **state)
{
    (void)state;
    struct cfg_account org = {.id = org_id}, member = {.id = person_id, .member = true};
    static const char *const org_streams[] = {"linkedin.org_stats", "linkedin.ad_analytics",
                                              "linkedin.leads"};
    const struct stream_def *m = fixture_stream("linkedin.member_posts");
    assert_true(m->applies(&member));
    assert_false(m->applies(&org));
    for (size_t i = 0; i < 3; i++) {
        const struct stream_def *d = fixture_stream(org_streams[i]);
        assert_true(d->applies(&org));
        assert_false(d->applies(&member));
    }
}

static void test_build_member(void **state)
{
    (void)state;
    expect_member_url(NULL, "https://api.linkedin.com/rest/posts?author=urn%3Ali%3Aperson%3A782134"
                            "&q=author&sortBy=CREATED&start=0&count=20");
    expect_member_url("posts:20", "https://api.linkedin.com/rest/posts?author=urn%3Ali%3Aperson%3A"
                                  "782134&q=author&sortBy=CREATED&start=20&count=20");
    expect_member_url("post:1:-:urn:li:share:7258300112233445566,urn:li:ugcPost:1",
                      "https://api.linkedin.com/rest/memberCreatorPostAnalytics?q=entity&entity=("
                      "share:urn%3Ali%3Ashare%3A7258300112233445566)&queryType=MEMBERS_REACHED"
                      "&aggregation=TOTAL");
    expect_member_url("post:4:20:urn:li:ugcPost:7257211998877665544",
                      "https://api.linkedin.com/rest/memberCreatorPostAnalytics?q=entity&entity=("
                      "ugc:urn%3Ali%3AugcPost%3A7257211998877665544)&queryType=RESHARE"
                      "&aggregation=TOTAL");
    expect_member_url("daily:2", "https://api.linkedin.com/rest/memberCreatorPostAnalytics?q=me"
                                 "&queryType=REACTION&aggregation=DAILY&dateRange=(start:(day:28,"
                                 "month:10,year:2024),end:(day:4,month:11,year:2024))");
    /* person ids are letters and digits, bare or as a URN */
    static char alnum[] = "urn:li:person:p8Zx41mQ";
    struct cfg_account named = {.id = alnum, .member = true};
    struct adapter_ctx nctx = member_ctx(NULL);
    struct http_request nreq = {0};
    char nwhy[128] = "";
    nctx.account = &named;
    assert_int_equal(
        fixture_stream("linkedin.member_posts")->build(&nctx, &nreq, nwhy, sizeof nwhy), 0);
    assert_non_null(strstr(nreq.url, "author=urn%3Ali%3Aperson%3Ap8Zx41mQ&"));
    http_request_free(&nreq);
    static char notid[] = "urn:li:person:a b";
    named.id = notid;
    assert_int_equal(
        fixture_stream("linkedin.member_posts")->build(&nctx, &nreq, nwhy, sizeof nwhy), -1);
    http_request_free(&nreq);
    static const char *const bad[] = {"daily:1",          "daily:9", "post:5:-:urn:li:share:1",
                                      "post:0:-:share:1", "posts:x", "network_size"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct adapter_ctx ctx = member_ctx(bad[i]);
        struct http_request req = {0};
        char why[128] = "";
        assert_int_equal(
            fixture_stream("linkedin.member_posts")->build(&ctx, &req, why, sizeof why), -1);
        http_request_free(&req);
    }
}

static void is_content(const struct rowset *rs, size_t i, const char *id, int64_t published,
                       const char *title)
{
    const struct rec_content *c = &rec(rs, i, REC_CONTENT)->u.content;
    char url[160];
    assert_string_equal(c->id, id);
    assert_string_equal(c->kind, "post");
    assert_int_equal(c->published_at, published);
    snprintf(url, sizeof url, "https://www.linkedin.com/feed/update/%s/", id);
    assert_string_equal(c->url, url);
    if (title)
        assert_string_equal(c->title, title);
    else
        assert_null(c->title);
}

static void test_member_pages(void **state)
{
    (void)state;
    struct adapter_ctx ctx = member_ctx(NULL);
    /* the list: two posts in the window, the third older ends it (no next list page) */
    struct rowset *rs = fixture_parse_ok(&ctx, "member_posts.json");
    assert_int_equal(rowset_count(rs), 2);
    is_content(rs, 0, "urn:li:share:7258300112233445566", ts(2024, 11, 2, 9, 30, 0),
               "Our Q4 reporting playbook is out: how we tie every campaign to pipeline. "
               "https://acme.example/q4?utm_campaign=q4_launch");
    assert_string_equal(rec(rs, 0, REC_CONTENT)->u.content.utm_campaign, "q4_launch");
    is_content(rs, 1, "urn:li:ugcPost:7257211998877665544", ts(2024, 10, 30, 16, 0, 0), NULL);
    assert_null(rec(rs, 1, REC_CONTENT)->u.content.utm_campaign);
    assert_string_equal(rowset_next(rs), "post:0:-:urn:li:share:7258300112233445566,urn:li:ugcPost:"
                                         "7257211998877665544");
    rowset_free(rs);

    /* TOTAL for the first post: a snapshot observed now, then the same post's next type */
    ctx =
        member_ctx("post:0:-:urn:li:share:7258300112233445566,urn:li:ugcPost:7257211998877665544");
    rs = fixture_parse_ok(&ctx, "member_post_total.json");
    assert_int_equal(rowset_count(rs), 1);
    const struct rec_snapshot *sn = &rec(rs, 0, REC_SNAPSHOT)->u.snapshot;
    assert_string_equal(sn->object, "urn:li:share:7258300112233445566");
    assert_string_equal(sn->metric, "impressions");
    assert_int_equal(sn->observed_at, NOW);
    assert_int_equal(sn->value, 1843);
    assert_string_equal(rowset_next(rs), "post:1:-:urn:li:share:7258300112233445566,urn:li:"
                                         "ugcPost:7257211998877665544");
    rowset_free(rs);

    /* the last type of a post moves to the next post; of the last post to the next list page */
    ctx = member_ctx("post:4:-:urn:li:share:1,urn:li:ugcPost:2");
    rs = fixture_parse_ok(&ctx, "member_post_total_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_string_equal(rowset_next(rs), "post:0:-:urn:li:ugcPost:2");
    rowset_free(rs);
    ctx = member_ctx("post:4:20:urn:li:ugcPost:2");
    rs = fixture_parse_ok(&ctx, "member_post_total_empty.json");
    assert_string_equal(rowset_next(rs), "posts:20");
    rowset_free(rs);
    ctx = member_ctx("post:4:-:urn:li:ugcPost:2");
    rs = fixture_parse_ok(&ctx, "member_post_total_empty.json");
    assert_string_equal(rowset_next(rs), "daily:0");
    rowset_free(rs);

    /* DAILY: the day of dateRange.start, inside the window only; MEMBERS_REACHED is skipped */
    ctx = member_ctx("daily:0");
    rs = fixture_parse_ok(&ctx, "member_daily.json");
    assert_int_equal(rowset_count(rs), 2);
    is_metric(rs, 0, "", "impressions", day(2024, 11, 2), 912);
    is_metric(rs, 1, "", "impressions", day(2024, 11, 3), 0);
    assert_string_equal(rowset_next(rs), "daily:2");
    rowset_free(rs);
    ctx = member_ctx("daily:4");
    int rc;
    rs = fixture_parse_body(&ctx, 200, "{\"elements\":[]}", 15, NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* The utm_campaign of a link in a post's text: the first link's, ended by '&', '#', space or a
 * sentence's punctuation; "xutm_campaign=" is no parameter. */
static void test_member_utm(void **state)
{
    (void)state;
    static const struct {
        const char *text, *utm;
    } cases[] = {
        {"See https://a.example/p?utm_source=li&utm_campaign=spring-sale&utm_medium=social now",
         "spring-sale"},
        {"Link: https://a.example/?utm_campaign=Q4_Webinar.", "Q4_Webinar"},
        {"(https://a.example/?utm_campaign=brand#top)", "brand"},
        {"https://a.example/?xutm_campaign=no and https://b.example/?utm_campaign=yes", "yes"},
        {"no link at all", NULL},
        {"https://a.example/?utm_campaign=&x=1", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct adapter_ctx ctx = member_ctx(NULL);
        struct buf b = {0};
        int rc;
        buf_printf(&b,
                   "{\"elements\":[{\"id\":\"urn:li:share:1\",\"publishedAt\":%lld,"
                   "\"commentary\":\"%s\"}]}",
                   (long long)(ts(2024, 11, 1, 8, 0, 0) / 1000), cases[i].text);
        struct rowset *rs = fixture_parse_body(&ctx, 200, b.data, b.len, NULL, &rc);
        assert_int_equal(rc, 0);
        const struct rec_content *c = &rec(rs, 0, REC_CONTENT)->u.content;
        if (cases[i].utm)
            assert_string_equal(c->utm_campaign, cases[i].utm);
        else
            assert_null(c->utm_campaign);
        rowset_free(rs);
        buf_free(&b);
    }
}

static void test_member_malformed(void **state)
{
    (void)state;
    static const char *const bodies[] = {
        "{\"elements\":[{\"count\":1.5}]}",
        "{\"elements\":[{\"count\":3,\"dateRange\":{\"start\":{\"year\":2024,\"month\":13,"
        "\"day\":1}}}]}",
        "{\"paging\":{}}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        struct adapter_ctx ctx = member_ctx("daily:0");
        fixture_expect_body_error(&ctx, 200, bodies[i], NULL, ERR_MALFORMED, -1);
    }
    struct adapter_ctx ctx = member_ctx("daily:0");
    fixture_expect_error(&ctx, 200, "member_daily_bad_type.json", NULL, ERR_MALFORMED, -1);
    ctx = member_ctx(NULL);
    fixture_expect_body_error(&ctx, 200, "{\"elements\":[{\"id\":\"7258\",\"publishedAt\":1}]}",
                              NULL, ERR_MALFORMED, -1);
    fixture_expect_body_error(&ctx, 200,
                              "{\"elements\":[{\"id\":\"urn:li:share:1\",\"publishedAt\":\"x\"}]}",
                              NULL, ERR_MALFORMED, -1);
    /* the member's token without the scope: a permission error, never records */
    fixture_expect_body_error(&ctx, 403,
                              "{\"status\":403,\"serviceErrorCode\":100,\"code\":\"ACCESS_DENIED\","
                              "\"message\":\"Not enough permissions to access: "
                              "memberCreatorPostAnalytics.FINDER-me\"}",
                              NULL, ERR_PERMISSION, -1);
}

int main(void)
{
    fixture_use(PLATFORM_LINKEDIN, TOKEN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_cursor),
        cmocka_unit_test(test_streams),
        cmocka_unit_test(test_build_org_stats),
        cmocka_unit_test(test_build_ads),
        cmocka_unit_test(test_build_leads),
        cmocka_unit_test(test_build_refused),
        cmocka_unit_test(test_org_stats_run),
        cmocka_unit_test(test_org_stats_empty_and_lone),
        cmocka_unit_test(test_org_stats_malformed),
        cmocka_unit_test(test_ads_run),
        cmocka_unit_test(test_ads_empty_window_and_lone),
        cmocka_unit_test(test_ads_malformed),
        cmocka_unit_test(test_leads_run),
        cmocka_unit_test(test_leads_without_total),
        cmocka_unit_test(test_lead_email_syntax),
        cmocka_unit_test(test_leads_malformed),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_message),
        cmocka_unit_test(test_retired_version),
        cmocka_unit_test(test_errors_without_body),
        cmocka_unit_test(test_refresh_build),
        cmocka_unit_test(test_refresh_parse),
        cmocka_unit_test(test_member_applies),
        cmocka_unit_test(test_build_member),
        cmocka_unit_test(test_member_pages),
        cmocka_unit_test(test_member_utm),
        cmocka_unit_test(test_member_malformed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
