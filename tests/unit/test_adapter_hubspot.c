/*
 * test_adapter_hubspot.c - the HubSpot adapter: search requests (exact JSON bodies, headers),
 * every fixture in tests/fixtures/hubspot/ parsed into exact records, the page cursors of a deals
 * run (pipelines, search, associations, search...), the 10,000-result window moving, error
 * classes with retry times, rate-limit headers, token refresh, and that a rejected page leaves no
 * records behind.
 */
#include "unit.h"
#include "adapter.h"
#include "adapter_fixture.h"
#include "json.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN "pat-na1-SECRET-0123456789"
#define NOW   (INT64_C(1730728800) * 1000000 + 250000) /* 2024-11-04T14:00:00.25Z */
#define SINCE (INT64_C(1730725200) * 1000000)          /* 2024-11-04T13:00:00Z */
#define SALT  "pepper"
#define W0    "1730725200000" /* SINCE in epoch ms */

static char portal[] = "890123";
static char usd[] = "USD";
static char api_base[] = "https://api.hubapi.com";
static char token_url[] = "https://api.hubapi.com/oauth/v1/token";

static struct cfg_account account = {.id = portal, .currency = usd};
static struct cfg_platform platform = {.api_base = api_base, .token_url = token_url};

static struct adapter_ctx make_ctx(const char *stream, const char *page)
{
    struct adapter_ctx c = {
        .account = &account,
        .platform = &platform,
        .stream = stream,
        .access_token = TOKEN,
        .email_salt = SALT,
        .page = page,
        .since = SINCE,
        .now = NOW,
    };
    return c;
}

static int64_t ts(int y, unsigned mo, unsigned d, int h, int mi, int s)
{
    return ((int64_t)time_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s) * 1000000;
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

static void expect_body_error(const char *name, const char *page, long status, const char *body,
                              enum err_class cls, int64_t retry)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    fixture_expect_body_error(&ctx, status, body, NULL, cls, retry);
}

/* ---- record checks -------------------------------------------------------------------------- */

static const struct record *rec(const struct rowset *rs, size_t i, enum rec_type t)
{
    const struct record *r = rowset_get(rs, i);
    assert_non_null(r);
    assert_int_equal(r->type, t);
    return r;
}

static void str_or_null(const char *got, const char *want)
{
    if (want)
        assert_string_equal(got, want);
    else
        assert_null(got);
}

static void is_lead(const struct rowset *rs, size_t i, const char *id, int64_t created,
                    const char *email, const char *stage)
{
    const struct rec_lead *l = &rec(rs, i, REC_LEAD)->u.lead;
    char hex[65];
    assert_string_equal(l->id, id);
    assert_string_equal(l->source, "crm");
    assert_int_equal(l->created_at, created);
    if (email) {
        adapter_email_hash(SALT, email, hex);
        assert_string_equal(l->email_hash, hex);
    } else {
        assert_null(l->email_hash);
    }
    str_or_null(l->lifecycle_stage, stage);
    assert_null(l->form);
    assert_null(l->campaign);
    assert_null(l->ad);
    assert_false(l->is_test);
}

struct touch {
    const char *kind, *lead;
    int64_t at;
    const char *platform, *campaign, *source, *medium, *utm_campaign, *content;
};

static void is_touch(const struct rowset *rs, size_t i, struct touch w)
{
    const struct rec_touchpoint *t = &rec(rs, i, REC_TOUCHPOINT)->u.touchpoint;
    char id[128];
    snprintf(id, sizeof id, "%s:%s", w.kind, w.lead);
    assert_string_equal(t->id, id);
    assert_string_equal(t->lead, w.lead);
    assert_string_equal(t->kind, w.kind);
    assert_int_equal(t->occurred_at, w.at);
    str_or_null(t->platform, w.platform);
    str_or_null(t->campaign, w.campaign);
    str_or_null(t->utm_source, w.source);
    str_or_null(t->utm_medium, w.medium);
    str_or_null(t->utm_campaign, w.utm_campaign);
    str_or_null(t->utm_content, w.content);
}

static void is_stage(const struct rowset *rs, size_t i, const char *pipeline, const char *stage,
                     const char *label, bool won, bool closed)
{
    const struct rec_stage *s = &rec(rs, i, REC_STAGE)->u.stage;
    assert_string_equal(s->pipeline, pipeline);
    assert_string_equal(s->stage, stage);
    assert_string_equal(s->label, label);
    assert_int_equal(s->is_won, won);
    assert_int_equal(s->is_closed, closed);
}

struct deal {
    const char *id;
    bool has_amount;
    int64_t amount;
    const char *currency, *stage, *pipeline;
    bool won, closed;
    int64_t created, closed_at;
};

static void is_deal(const struct rowset *rs, size_t i, struct deal w)
{
    const struct rec_deal *d = &rec(rs, i, REC_DEAL)->u.deal;
    assert_string_equal(d->id, w.id);
    assert_int_equal(d->has_amount, w.has_amount);
    if (w.has_amount)
        assert_int_equal(d->amount_micros, w.amount);
    assert_string_equal(d->currency, w.currency);
    str_or_null(d->stage, w.stage);
    str_or_null(d->pipeline, w.pipeline);
    assert_int_equal(d->is_won, w.won);
    assert_int_equal(d->is_closed, w.closed);
    assert_int_equal(d->created_at, w.created);
    assert_int_equal(d->closed_at, w.closed_at);
    assert_int_equal(d->ncontacts, 0);
}

static void is_deal_contact(const struct rowset *rs, size_t i, const char *deal,
                            const char *contact)
{
    const struct rec_deal_contact *d = &rec(rs, i, REC_DEAL_CONTACT)->u.deal_contact;
    assert_string_equal(d->deal, deal);
    assert_string_equal(d->contact, contact);
}

/* ---- registry and requests ------------------------------------------------------------------ */

static void test_streams(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_HUBSPOT);
    assert_non_null(a);
    assert_int_equal(a->nstreams, 2);
    assert_string_equal(a->streams[0].name, "hubspot.contacts");
    assert_string_equal(a->streams[1].name, "hubspot.deals");
    for (size_t i = 0; i < 2; i++) {
        assert_false(a->streams[i].windowed);
        assert_true(a->streams[i].incremental);
        assert_int_equal(a->streams[i].basis, BASIS_UTC);
    }
    assert_non_null(a->ratelimit);
    assert_non_null(a->refresh_build);
    assert_non_null(a->refresh_parse);
}

/* Builds the request of stream/page: method, URL, headers and body (NULL = none). */
static void expect_request(const char *name, const char *page, const char *method, const char *url,
                           const char *body)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    struct http_request req = {0};
    char why[128] = "";
    if (fixture_stream(name)->build(&ctx, &req, why, sizeof why) != 0)
        fail_msg("%s %s: %s", name, page ? page : "(first)", why);
    assert_string_equal(req.method, method);
    assert_string_equal(req.url, url);
    assert_string_equal(req.log_url, url);
    assert_string_equal(req.headers[0], "Authorization: Bearer " TOKEN);
    if (body) {
        assert_string_equal(req.headers[1], "Content-Type: application/json");
        assert_null(req.headers[2]);
        assert_string_equal(req.body, body);
        char jwhy[64];
        cJSON *j = json_parse(req.body, strlen(req.body), jwhy, sizeof jwhy);
        assert_non_null(j); /* a body we built is valid JSON */
        cJSON_Delete(j);
    } else {
        assert_null(req.headers[1]);
        assert_null(req.body);
    }
    assert_null(strstr(req.url, TOKEN));
    http_request_free(&req);
}

#define CONTACT_PROPS                                                                              \
    "\"properties\":[\"email\",\"createdate\",\"lastmodifieddate\",\"lifecyclestage\","            \
    "\"hs_analytics_source\",\"hs_analytics_source_data_1\",\"hs_analytics_source_data_2\","       \
    "\"hs_analytics_first_url\",\"hs_latest_source\",\"hs_latest_source_data_1\","                 \
    "\"hs_latest_source_data_2\",\"hs_latest_source_timestamp\",\"utm_source\",\"utm_medium\","    \
    "\"utm_campaign\",\"utm_content\"]"

#define CONTACT_SEARCH(since, after)                                                               \
    "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"lastmodifieddate\",\"operator\":"        \
    "\"GTE\",\"value\":\"" since "\"}]}],\"sorts\":[{\"propertyName\":\"lastmodifieddate\","       \
    "\"direction\":\"ASCENDING\"}]," CONTACT_PROPS ",\"limit\":200,\"after\":\"" after "\"}"

#define DEAL_SEARCH(since, after)                                                                  \
    "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"hs_lastmodifieddate\",\"operator\":"     \
    "\"GTE\",\"value\":\"" since "\"}]}],\"sorts\":[{\"propertyName\":\"hs_lastmodifieddate\","    \
    "\"direction\":\"ASCENDING\"}],\"properties\":[\"amount\",\"deal_currency_code\","             \
    "\"dealstage\",\"pipeline\",\"createdate\",\"closedate\",\"hs_lastmodifieddate\","             \
    "\"hs_is_closed\",\"hs_is_closed_won\"],\"limit\":200,\"after\":\"" after "\"}"

static void test_build_contacts(void **state)
{
    (void)state;
    const char *url = "https://api.hubapi.com/crm/v3/objects/contacts/search";
    /* the first page: GTE the watermark (epoch ms, as a string), from the start */
    expect_request("hubspot.contacts", NULL, "POST", url, CONTACT_SEARCH(W0, "0"));
    expect_request("hubspot.contacts", W0 ":200", "POST", url, CONTACT_SEARCH(W0, "200"));
    /* a moved window restarts at 0 */
    expect_request("hubspot.contacts", "1730727662789:", "POST", url,
                   CONTACT_SEARCH("1730727662789", "0"));
    /* an opaque after token is sent as it came, JSON-escaped */
    expect_request("hubspot.contacts", W0 ":a\"b", "POST", url, CONTACT_SEARCH(W0, "a\\\"b"));
}

static void test_build_deals(void **state)
{
    (void)state;
    expect_request("hubspot.deals", NULL, "GET", "https://api.hubapi.com/crm/v3/pipelines/deals",
                   NULL);
    expect_request("hubspot.deals", "search:" W0 ":", "POST",
                   "https://api.hubapi.com/crm/v3/objects/deals/search", DEAL_SEARCH(W0, "0"));
    expect_request("hubspot.deals", "search:" W0 ":4", "POST",
                   "https://api.hubapi.com/crm/v3/objects/deals/search", DEAL_SEARCH(W0, "4"));
    const char *assoc = "https://api.hubapi.com/crm/v4/associations/deals/contacts/batch/read";
    expect_request("hubspot.deals", "assoc:312929580,312929581:" W0 ":4", "POST", assoc,
                   "{\"inputs\":[{\"id\":\"312929580\"},{\"id\":\"312929581\"}]}");
    expect_request("hubspot.deals", "assoc:312929590", "POST", assoc,
                   "{\"inputs\":[{\"id\":\"312929590\"}]}");
}

static void test_build_refused(void **state)
{
    (void)state;
    static const struct {
        const char *stream, *page;
    } bad[] = {
        {"hubspot.contacts", "200"},
        {"hubspot.contacts", "x:200"},
        {"hubspot.deals", "pipelines"},
        {"hubspot.deals", "search:"},
        {"hubspot.deals", "search:12"},
        {"hubspot.deals", "assoc:"},
        {"hubspot.deals", "assoc:1,,2"},
        {"hubspot.deals", "assoc:,1"},
        {"hubspot.deals", "assoc:1,2:x:4"},
        {"hubspot.deals", "assoc:1;2"},
        {"hubspot.deals", "assoc:1,2,"},
        {"hubspot.deals", "more:"},
        {"hubspot.deals", "more:1:"},
        {"hubspot.deals", "more:0:1=41"},
        {"hubspot.deals", "more:101:1=41"},
        {"hubspot.deals", "more:01:1=41"},
        {"hubspot.deals", "more:1:1"},
        {"hubspot.deals", "more:1:1="},
        {"hubspot.deals", "more:1:1=4"},
        {"hubspot.deals", "more:1:1=4G"},
        {"hubspot.deals", "more:1:1=41,"},
        {"hubspot.deals", "more:1:=41"},
        {"hubspot.deals", "more:1:1=41:x:4"},
        {"hubspot.deals", "more:x:1=41"},
        {"hubspot.deals", "assoc:1@search:1:"},
        {"hubspot.deals", "assoc:1@"},
        {"hubspot.deals", "more:1:1=41@x:2"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct adapter_ctx ctx = make_ctx(bad[i].stream, bad[i].page);
        struct http_request req = {0};
        char why[128] = "";
        if (fixture_stream(bad[i].stream)->build(&ctx, &req, why, sizeof why) != -1)
            fail_msg("%s: cursor \"%s\" was accepted", bad[i].stream, bad[i].page);
        assert_non_null(strstr(why, "page cursor"));
        http_request_free(&req);
    }
    struct adapter_ctx ctx = make_ctx("hubspot.contacts", NULL);
    struct http_request req = {0};
    char why[128];
    ctx.access_token = NULL;
    assert_int_equal(fixture_stream("hubspot.contacts")->build(&ctx, &req, why, sizeof why), -1);
    assert_string_equal(why, "no access token");
    http_request_free(&req);
}

/* ---- hubspot.contacts ------------------------------------------------------------------------ */

static void test_contacts_page(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("hubspot.contacts", NULL, "contacts_page1.json");
    assert_int_equal(rowset_count(rs), 7);
    /* UTM values out of the first URL's query (decoded, without the #fragment) */
    is_lead(rs, 0, "551", ts(2024, 10, 30, 8, 12, 45) + 120000, "jane.doe@example.com", "lead");
    is_touch(rs, 1,
             (struct touch){"crm_first_source", "551", ts(2024, 10, 30, 8, 12, 45) + 120000,
                            "linkedin", "612341234", "linkedin", "paid_social", "q4-leadgen",
                            "carousel a"});
    /* the latest source equals the first: no crm_latest_source */
    is_lead(rs, 2, "1201", ts(2024, 11, 1, 16, 0, 0), NULL, "marketingqualifiedlead");
    /* utm_* properties win; the empty utm_content falls back to the URL */
    is_touch(rs, 3,
             (struct touch){"crm_first_source", "1201", ts(2024, 11, 1, 16, 0, 0),
                            "email_marketing", NULL, "newsletter", "email", "black-friday",
                            "hero"});
    /* a paid social source's drill-down 2 is both its campaign and its utm_campaign: portals
     * differ in which one HubSpot files there, and either can link a business campaign */
    is_touch(rs, 4,
             (struct touch){"crm_latest_source", "1201", ts(2024, 11, 3, 19, 0, 0), "facebook",
                            "23854404676180548", NULL, NULL, "23854404676180548", NULL});
    /* "784566996485.0" is the id 784566996485; createdate as epoch ms text; email "" is none */
    is_lead(rs, 5, "784566996485", ts(2024, 11, 4, 9, 0, 0), NULL, NULL);
    is_touch(rs, 6,
             (struct touch){"crm_first_source", "784566996485", ts(2024, 11, 4, 9, 0, 0),
                            "direct_traffic", NULL, NULL, NULL, NULL, NULL});
    assert_string_equal(rowset_next(rs), W0 ":200");
    assert_int_equal(rowset_warnings(rs), 0);
    rowset_free(rs);

    rs = parse_ok("hubspot.contacts", W0 ":200", "contacts_last.json");
    assert_int_equal(rowset_count(rs), 5);
    is_lead(rs, 0, "90210", ts(2024, 11, 4, 12, 0, 0), "last@example.org", "subscriber");
    /* the latest source is the first one at createdate: one touch */
    is_touch(rs, 1,
             (struct touch){"crm_first_source", "90210", ts(2024, 11, 4, 12, 0, 0),
                            "organic_search", NULL, NULL, NULL, NULL, NULL});
    /* a later visit from the same campaign is a second touch; both take utm_campaign from the
     * paid social drill-down, with no utm_* property or first URL to give it */
    is_lead(rs, 2, "90211", ts(2024, 11, 4, 12, 30, 0), NULL, "lead");
    is_touch(rs, 3,
             (struct touch){"crm_first_source", "90211", ts(2024, 11, 4, 12, 30, 0), "linkedin",
                            "q4-leadgen", NULL, NULL, "q4-leadgen", NULL});
    is_touch(rs, 4,
             (struct touch){"crm_latest_source", "90211", ts(2024, 11, 6, 9, 15, 0), "linkedin",
                            "q4-leadgen", NULL, NULL, "q4-leadgen", NULL});
    assert_null(rowset_next(rs));
    rowset_free(rs);

    rs = parse_ok("hubspot.contacts", NULL, "contacts_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* Past 9,800 results the window moves to the last modified date seen and starts again. */
static void test_search_window(void **state)
{
    (void)state;
    /* after 10000 would be refused: GTE 13:41:02.789 (the page's last), from the start */
    struct rowset *rs = parse_ok("hubspot.contacts", W0 ":9800", "contacts_window.json");
    assert_int_equal(rowset_count(rs), 4);
    assert_string_equal(rowset_next(rs), "1730727662789:");
    rowset_free(rs);
    /* after 9800 still reads results 9,800..9,999: no move */
    rs = parse_ok("hubspot.contacts", W0 ":9600", "contacts_at_cap.json");
    assert_string_equal(rowset_next(rs), W0 ":9800");
    rowset_free(rs);
    /* a window that cannot move (all at its own millisecond) is refused, not skipped */
    expect_error("hubspot.contacts", "1730727662789:9800", 200, "contacts_window.json", NULL,
                 ERR_BAD_REQUEST, -1);
    /* deals move the same way, on hs_lastmodifieddate */
    const char *deals =
        "{\"total\":12000,\"results\":[{\"id\":\"70001\",\"properties\":{"
        "\"createdate\":\"2024-11-04T10:00:00Z\",\"hs_lastmodifieddate\":"
        "\"2024-11-04T13:41:02.789Z\",\"lastmodifieddate\":\"2024-11-04T13:59:00Z\"}}],"
        "\"paging\":{\"next\":{\"after\":\"10000\"}}}";
    struct adapter_ctx dctx = make_ctx("hubspot.deals", "search:" W0 ":9800");
    int drc;
    rs = fixture_parse_body(&dctx, 200, deals, strlen(deals), NULL, &drc);
    assert_int_equal(drc, 0);
    assert_string_equal(rowset_next(rs), "assoc:70001:1730727662789:");
    rowset_free(rs);
    /* an opaque after token: kept while the whole result fits, else the window moves */
    static const struct {
        const char *body, *next;
    } cases[] = {
        {"{\"total\":412,\"results\":[],\"paging\":{\"next\":{\"after\":\"Q2FmZQ\"}}}",
         W0 ":Q2FmZQ"},
        {"{\"total\":412,\"results\":[],\"paging\":{\"next\":{\"after\":200}}}", W0 ":200"},
        {"{\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
         "\"lastmodifieddate\":\"2024-11-04T13:30:00Z\"}}],\"paging\":{\"next\":{\"after\":"
         "\"Q2FmZQ\"}}}",
         "1730727000000:"},
        {"{\"total\":20000,\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":"
         "\"2024-11-04T10:00:00Z\",\"lastmodifieddate\":\"1730727000001\"}}],\"paging\":{"
         "\"next\":{\"after\":\"Q2FmZQ\"}}}",
         "1730727000001:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct adapter_ctx ctx = make_ctx("hubspot.contacts", NULL);
        int rc;
        rs = fixture_parse_body(&ctx, 200, cases[i].body, strlen(cases[i].body), NULL, &rc);
        assert_int_equal(rc, 0);
        assert_string_equal(rowset_next(rs), cases[i].next);
        rowset_free(rs);
    }
    /* nothing seen on a page that should move the window: refused */
    expect_body_error(
        "hubspot.contacts", NULL, 200,
        "{\"total\":20000,\"results\":[],\"paging\":{\"next\":{\"after\":\"10000\"}}}",
        ERR_BAD_REQUEST, -1);
}

static void test_contacts_malformed(void **state)
{
    (void)state;
    expect_error("hubspot.contacts", NULL, 200, "contacts_bad_time.json", NULL, ERR_MALFORMED, -1);
    expect_error("hubspot.contacts", NULL, 200, "contacts_truncated.json", NULL, ERR_MALFORMED, -1);
    expect_error("hubspot.contacts", NULL, 200, "deals_pipelines.json", NULL, ERR_MALFORMED, -1);
    expect_error("hubspot.contacts", "nope", 200, "contacts_page1.json", NULL, ERR_MALFORMED, -1);
    static const char *const bodies[] = {
        "{\"results\":{}}",
        "{\"results\":[{\"id\":\"1\",\"properties\":[]}]}",
        "{\"results\":[{\"id\":\"abc\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\"}}]}",
        "{\"results\":[{\"id\":\"1.5\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\"}}]}",
        "{\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
        "\"email\":5}}]}",
        "{\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
        "\"lastmodifieddate\":\"soon\"}}]}",
        "{\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
        "\"hs_latest_source\":\"DIRECT_TRAFFIC\",\"hs_latest_source_timestamp\":\"x\"}}]}",
        "{\"results\":[{\"id\":\"1\",\"properties\":{}}]}",
        "{\"results\":[],\"paging\":[]}",
        "{\"results\":[],\"paging\":{\"next\":{\"after\":false}}}",
        "{\"results\":[],\"paging\":{\"next\":{\"after\":\"a:b\"}}}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++)
        expect_body_error("hubspot.contacts", NULL, 200, bodies[i], ERR_MALFORMED, -1);
    /* a visitor's URL with %FF: that UTM value is dropped with a warning, the page is kept */
    const char *body = "{\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":"
                       "\"2024-11-04T10:00:00Z\",\"hs_analytics_first_url\":"
                       "\"https://x.example/?utm_source=%FF&utm_medium=cpc\"}}]}";
    struct adapter_ctx ctx = make_ctx("hubspot.contacts", NULL);
    int rc;
    struct rowset *rs = fixture_parse_body(&ctx, 200, body, strlen(body), NULL, &rc);
    assert_int_equal(rc, 0);
    is_touch(rs, 1,
             (struct touch){"crm_first_source", "1", ts(2024, 11, 4, 10, 0, 0), NULL, NULL, NULL,
                            "cpc", NULL, NULL});
    assert_int_equal(rowset_warnings(rs), 1);
    rowset_free(rs);
}

/* ---- hubspot.deals --------------------------------------------------------------------------- */

/* pipelines -> search -> associations -> search -> associations -> end */
static void test_deals_run(void **state)
{
    (void)state;
    struct rowset *rs = parse_ok("hubspot.deals", NULL, "deals_pipelines.json");
    assert_int_equal(rowset_count(rs), 5);
    is_stage(rs, 0, "default", "appointmentscheduled", "Appointment Scheduled", false, false);
    is_stage(rs, 1, "default", "closedwon", "Closed Won", true, true);
    is_stage(rs, 2, "default", "closedlost", "Closed Lost", false, true);
    is_stage(rs, 3, "75e28846-ad0d-4be2-a027-5e1da6590b98", "1234567", "Signed", true, true);
    is_stage(rs, 4, "75e28846-ad0d-4be2-a027-5e1da6590b98", "1234568", "Negotiation", false, false);
    assert_string_equal(rowset_next(rs), "search:" W0 ":");
    rowset_free(rs);

    rs = parse_ok("hubspot.deals", "search:" W0 ":", "deals_page1.json");
    assert_int_equal(rowset_count(rs), 4);
    is_deal(rs, 0,
            (struct deal){"312929580", true, INT64_C(25000000000), "EUR", "closedwon", "default",
                          true, true, ts(2024, 10, 1, 9, 0, 0), ts(2024, 11, 3, 0, 0, 0)});
    /* "805781762.0" in the account's currency; an open deal's closedate is no close */
    is_deal(rs, 1,
            (struct deal){"312929581", true, INT64_C(805781762000000), "USD",
                          "appointmentscheduled", "default", false, false,
                          ts(2024, 10, 15, 12, 30, 0), 0});
    /* amount "": no amount; a date-only closedate is midnight UTC */
    is_deal(rs, 2,
            (struct deal){"312929582", false, 0, "USD", "closedlost", "default", false, true,
                          ts(2024, 9, 20, 8, 0, 0), ts(2024, 11, 2, 0, 0, 0)});
    /* no flags sent: open until the stage definitions say otherwise */
    is_deal(rs, 3,
            (struct deal){"312929583", false, 0, "USD", "1234567",
                          "75e28846-ad0d-4be2-a027-5e1da6590b98", false, false,
                          ts(2024, 11, 4, 13, 0, 0), 0});
    assert_string_equal(rowset_next(rs), "assoc:312929580,312929581,312929582,312929583:" W0 ":4");
    rowset_free(rs);

    rs = parse_ok("hubspot.deals", "assoc:312929580,312929581,312929582,312929583:" W0 ":4",
                  "deals_associations.json");
    assert_int_equal(rowset_count(rs), 3);
    is_deal_contact(rs, 0, "312929580", "551"); /* toObjectId a JSON number */
    is_deal_contact(rs, 1, "312929580", "1201");
    is_deal_contact(rs, 2, "312929581", "784566996485");
    assert_int_equal(rowset_warnings(rs), 0); /* a deal without contacts is normal */
    assert_string_equal(rowset_next(rs), "search:" W0 ":4");
    rowset_free(rs);

    rs = parse_ok("hubspot.deals", "search:" W0 ":4", "deals_last.json");
    assert_int_equal(rowset_count(rs), 1);
    is_deal(rs, 0,
            (struct deal){"312929590", true, 1999990000, "GBP", "closedwon", "default", true, true,
                          ts(2024, 11, 4, 11, 0, 0), ts(2024, 11, 4, 12, 0, 0)});
    assert_string_equal(rowset_next(rs), "assoc:312929590");
    rowset_free(rs);

    rs = parse_ok("hubspot.deals", "assoc:312929590", "deals_associations_none.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);

    rs = parse_ok("hubspot.deals", "search:" W0 ":", "deals_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

static void test_deals_lone(void **state)
{
    (void)state;
    /* no cursor (socialroi parse): search and association bodies are read as such, no next */
    struct rowset *rs = parse_ok("hubspot.deals", NULL, "deals_page1.json");
    assert_int_equal(rowset_count(rs), 4);
    assert_null(rowset_next(rs));
    rowset_free(rs);
    rs = parse_ok("hubspot.deals", NULL, "deals_associations.json");
    assert_int_equal(rowset_count(rs), 3);
    assert_null(rowset_next(rs));
    rowset_free(rs);
    /* an empty pipelines answer is still the first page */
    rs = parse_ok("hubspot.deals", NULL, "deals_empty.json");
    assert_int_equal(rowset_count(rs), 0);
    assert_string_equal(rowset_next(rs), "search:" W0 ":");
    rowset_free(rs);
}

static void test_deals_malformed(void **state)
{
    (void)state;
    expect_error("hubspot.deals", "search:" W0 ":", 200, "deals_bad_amount.json", NULL,
                 ERR_MALFORMED, -1);
    expect_error("hubspot.deals", "search:" W0 ":", 200, "deals_associations.json", NULL,
                 ERR_MALFORMED, -1);
    expect_error("hubspot.deals", "assoc:1", 200, "deals_page1.json", NULL, ERR_MALFORMED, -1);
    expect_error("hubspot.deals", "assoc:1", 200, "contacts_truncated.json", NULL, ERR_MALFORMED,
                 -1);
    static const char *const pipelines[] = {
        "{\"results\":[{\"id\":\"default\"}]}",
        "{\"results\":[{\"id\":\"default\",\"stages\":[{\"label\":\"x\"}]}]}",
        "{\"results\":[{\"id\":\"default\",\"stages\":[{\"id\":\"s\",\"metadata\":"
        "{\"isClosed\":\"yes\"}}]}]}",
        "{\"results\":[{\"id\":\"default\",\"stages\":[{\"id\":\"s\",\"metadata\":"
        "{\"probability\":\"high\"}}]}]}",
        "{\"results\":[{\"stages\":[]}]}",
    };
    for (size_t i = 0; i < sizeof pipelines / sizeof pipelines[0]; i++)
        expect_body_error("hubspot.deals", NULL, 200, pipelines[i], ERR_MALFORMED, -1);
    static const char *const searches[] = {
        "{\"results\":[{\"id\":\"1\",\"properties\":{\"hs_is_closed\":\"nope\","
        "\"createdate\":\"2024-11-04T10:00:00Z\"}}]}",
        "{\"results\":[{\"id\":\"1\",\"properties\":{\"amount\":\"\"}}]}",
        "{\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
        "\"closedate\":\"never\"}}]}",
        "{\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
        "\"amount\":true}}]}",
        "{\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
        "\"dealstage\":[]}}]}",
    };
    for (size_t i = 0; i < sizeof searches / sizeof searches[0]; i++)
        expect_body_error("hubspot.deals", "search:" W0 ":", 200, searches[i], ERR_MALFORMED, -1);
    static const char *const assocs[] = {
        "{\"results\":[{\"from\":{\"id\":\"1\"},\"to\":[{\"toObjectId\":1.5}]}]}",
        "{\"results\":[{\"from\":{\"id\":\"1\"},\"to\":[{\"toObjectId\":9007199254740995}]}]}",
        "{\"results\":[{\"to\":[]}]}",
        "{\"results\":[{\"from\":{\"id\":\"1\"},\"to\":{}}]}",
        "{\"results\":[],\"errors\":{}}",
    };
    for (size_t i = 0; i < sizeof assocs / sizeof assocs[0]; i++)
        expect_body_error("hubspot.deals", "assoc:1", 200, assocs[i], ERR_MALFORMED, -1);
}

/* Other batch errors, and a deal with more contacts than one answer: warnings, page kept. */
static void test_assoc_warnings(void **state)
{
    (void)state;
    const char *body = "{\"status\":\"COMPLETE\",\"results\":[{\"from\":{\"id\":\"1\"},\"to\":"
                       "[{\"toObjectId\":\"7\"}],\"paging\":{\"next\":{\"after\":\"MTAw\"}}}],"
                       "\"errors\":[{\"category\":\"RATE_LIMITS\",\"message\":\"later\"}]}";
    struct adapter_ctx ctx = make_ctx("hubspot.deals", "assoc:1");
    int rc;
    struct rowset *rs = fixture_parse_body(&ctx, 207, body, strlen(body), NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_count(rs), 1);
    is_deal_contact(rs, 0, "1", "7");
    /* the rate-limited input is a warning; the paged deal goes on ("MTAw" hex-encoded) */
    assert_int_equal(rowset_warnings(rs), 1);
    assert_string_equal(rowset_next(rs), "more:1:1=4d544177");
    rowset_free(rs);
}

/* Per-deal association paging: paging.next.after goes back beside the deal's id. */
#define AFTER1_HEX "4d43307a4c5445794d4445253344" /* "MC0zLTEyMDE%3D" */

static void test_assoc_paging(void **state)
{
    (void)state;
    const char *assoc = "https://api.hubapi.com/crm/v4/associations/deals/contacts/batch/read";
    struct rowset *rs = parse_ok("hubspot.deals", "assoc:312929580,312929581:" W0 ":4",
                                 "deals_associations_paged.json");
    assert_int_equal(rowset_count(rs), 3);
    is_deal_contact(rs, 0, "312929580", "551");
    is_deal_contact(rs, 1, "312929580", "1201");
    is_deal_contact(rs, 2, "312929581", "784566996485");
    assert_int_equal(rowset_warnings(rs), 0);
    assert_string_equal(rowset_next(rs), "more:1:312929580=" AFTER1_HEX ":" W0 ":4");
    rowset_free(rs);

    /* only the deal with more is asked again, its after as HubSpot sent it */
    expect_request("hubspot.deals", "more:1:312929580=" AFTER1_HEX ":" W0 ":4", "POST", assoc,
                   "{\"inputs\":[{\"id\":\"312929580\",\"after\":\"MC0zLTEyMDE%3D\"}]}");
    expect_request("hubspot.deals", "more:7:1=4d544177,2=22", "POST", assoc,
                   "{\"inputs\":[{\"id\":\"1\",\"after\":\"MTAw\"},"
                   "{\"id\":\"2\",\"after\":\"\\\"\"}]}");

    rs = parse_ok("hubspot.deals", "more:1:312929580=" AFTER1_HEX ":" W0 ":4",
                  "deals_associations_more.json");
    assert_int_equal(rowset_count(rs), 2);
    is_deal_contact(rs, 0, "312929580", "1202");
    is_deal_contact(rs, 1, "312929580", "1203");
    assert_int_equal(rowset_warnings(rs), 0);
    assert_string_equal(rowset_next(rs), "search:" W0 ":4"); /* then the next search page */
    rowset_free(rs);

    /* without a search page after: the end of the run */
    rs = parse_ok("hubspot.deals", "more:1:312929580=" AFTER1_HEX, "deals_associations_more.json");
    assert_null(rowset_next(rs));
    rowset_free(rs);

    /* a deal answered with the after it was asked with is a repeat, not asked again */
    struct adapter_ctx ctx = make_ctx("hubspot.deals", "more:1:312929580=" AFTER1_HEX ":" W0 ":4");
    fixture_expect_repeat(&ctx, "deals_associations_paged.json");

    /* bounded: the last round with still more drops the rest with a warning */
    rs = parse_ok("hubspot.deals", "more:100:312929580=4d544177:" W0 ":4",
                  "deals_associations_paged.json");
    assert_int_equal(rowset_count(rs), 3);
    assert_int_equal(rowset_warnings(rs), 1);
    assert_string_equal(rowset_next(rs), "search:" W0 ":4");
    rowset_free(rs);
    rs = parse_ok("hubspot.deals", "more:99:312929580=4d544177", "deals_associations_paged.json");
    assert_string_equal(rowset_next(rs), "more:100:312929580=" AFTER1_HEX);
    rowset_free(rs);

    /* a saved answer alone (socialroi parse): its contacts, a warning for the rest, no next */
    rs = parse_ok("hubspot.deals", NULL, "deals_associations_paged.json");
    assert_int_equal(rowset_count(rs), 3);
    assert_int_equal(rowset_warnings(rs), 1);
    assert_null(rowset_next(rs));
    rowset_free(rs);

    /* paging.next without an after cannot be followed */
    const char *body = "{\"status\":\"COMPLETE\",\"results\":[{\"from\":{\"id\":\"1\"},"
                       "\"to\":[{\"toObjectId\":7}],\"paging\":{\"next\":{\"link\":\"x\"}}}]}";
    ctx = make_ctx("hubspot.deals", "assoc:1");
    fixture_expect_body_error(&ctx, 200, body, NULL, ERR_MALFORMED, -1);
}

/* ---- errors --------------------------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    const struct fixture_hdr retry3[] = {{"Retry-After", "3"}, {NULL, NULL}};
    static const struct {
        long status;
        const char *file;
        bool retry_header;
        enum err_class cls;
        int64_t retry;
    } cases[] = {
        {429, "error_429_ten_secondly.json", true, ERR_THROTTLED, 3000},
        {429, "error_429_ten_secondly.json", false, ERR_THROTTLED, 1000},
        {429, "error_429_secondly.json", false, ERR_THROTTLED, 1000},
        /* the day's quota: until 2024-11-05T00:00Z, whatever Retry-After says */
        {429, "error_429_daily.json", true, ERR_QUOTA, 35999750},
        {401, "error_401.json", false, ERR_AUTH, -1},
        {401, "error_401_expired.json", false, ERR_AUTH, -1},
        {530, "error_502.json", false, ERR_AUTH, -1}, /* the malformed-token quirk */
        {403, "error_403_missing_scopes.json", false, ERR_PERMISSION, -1},
        {400, "error_400_validation.json", false, ERR_BAD_REQUEST, -1},
        {400, "error_400_beyond_10k.json", false, ERR_BAD_REQUEST, -1},
        {404, "error_404.json", false, ERR_NOT_FOUND, -1},
        {502, "error_502.json", false, ERR_TRANSIENT, -1},
        {500, "error_500.json", false, ERR_TRANSIENT, -1},
    };
    static const char *const pages[] = {NULL, "search:" W0 ":", "assoc:1"};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct fixture_hdr *h = cases[i].retry_header ? retry3 : NULL;
        expect_error("hubspot.contacts", NULL, cases[i].status, cases[i].file, h, cases[i].cls,
                     cases[i].retry);
        for (size_t p = 0; p < 3; p++)
            expect_error("hubspot.deals", pages[p], cases[i].status, cases[i].file, h, cases[i].cls,
                         cases[i].retry);
    }
    expect_body_error("hubspot.contacts", NULL, 429, "", ERR_THROTTLED, 1000);
    expect_body_error("hubspot.contacts", NULL, 530, "", ERR_AUTH, -1);
}

static void test_error_message(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("hubspot.contacts", NULL);
    const char *msg;
    int rc;
    struct rowset *rs = fixture_parse(&ctx, 401, "error_401.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_AUTH);
    assert_string_equal(msg, "hubspot: HTTP 401 INVALID_AUTHENTICATION: Authentication "
                             "credentials not found. This API supports OAuth 2.0 authentication "
                             "and you can find more details at [redacted]");
    rowset_free(rs);
    rs = fixture_parse(&ctx, 429, "error_429_ten_secondly.json", NULL, &rc);
    assert_int_equal(rowset_error(rs, &msg, NULL), ERR_THROTTLED);
    assert_string_equal(msg, "hubspot: HTTP 429 TEN_SECONDLY_ROLLING: You have reached your "
                             "ten_secondly_rolling limit.");
    rowset_free(rs);
    const char *echo = "{\"status\":\"error\",\"message\":\"token " TOKEN " is bad\"}";
    rs = fixture_parse_body(&ctx, 401, echo, strlen(echo), NULL, &rc);
    assert_string_equal((rowset_error(rs, &msg, NULL), msg),
                        "hubspot: HTTP 401: token [redacted] is bad");
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
        {500, "<html>oops</html>", ERR_TRANSIENT},
        {404, "", ERR_NOT_FOUND},
        {403, "", ERR_PERMISSION},
        {409, "{}", ERR_BAD_REQUEST},
        {301, "", ERR_MALFORMED},
        {200, "", ERR_MALFORMED},
        {200, "[]", ERR_MALFORMED},
        {200, "{\"results\":[]} trailing", ERR_MALFORMED},
        {200, "{\"results\":[{\"id\":\"1\",\"properties\":{\"email\":\"\xC3\x28\"}}]}",
         ERR_MALFORMED},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_body_error("hubspot.contacts", NULL, cases[i].status, cases[i].body, cases[i].cls,
                          -1);
}

/* ---- rate limits ---------------------------------------------------------------------------- */

static struct rl_signal rl(long status, const struct fixture_hdr *headers)
{
    struct rl_signal sig = {123, 123, true};
    struct http_response resp = fixture_response(status, "", 0, headers);
    adapter_for(PLATFORM_HUBSPOT)->ratelimit(&resp, NOW, &sig);
    return sig;
}

static void test_ratelimit(void **state)
{
    (void)state;
    const struct fixture_hdr interval[] = {{"X-HubSpot-RateLimit-Max", "110"},
                                           {"X-HubSpot-RateLimit-Remaining", "11"},
                                           {"X-HubSpot-RateLimit-Daily", "500000"},
                                           {"X-HubSpot-RateLimit-Daily-Remaining", "499000"},
                                           {NULL, NULL}};
    const struct fixture_hdr daily[] = {{"x-hubspot-ratelimit-daily", "250000"},
                                        {"x-hubspot-ratelimit-daily-remaining", "0"},
                                        {NULL, NULL}};
    const struct fixture_hdr junk[] = {{"X-HubSpot-RateLimit-Max", "0"},
                                       {"X-HubSpot-RateLimit-Remaining", "5"},
                                       {"X-HubSpot-RateLimit-Daily", "10"},
                                       {"X-HubSpot-RateLimit-Daily-Remaining", "20"},
                                       {NULL, NULL}};
    const struct fixture_hdr retry[] = {{"Retry-After", "2"}, {NULL, NULL}};
    struct rl_signal s = rl(200, interval);
    assert_int_equal(s.usage_pct, 90);
    assert_int_equal(s.wait_ms, -1);
    assert_false(s.per_stream);
    s = rl(200, daily);
    assert_int_equal(s.usage_pct, 100);
    s = rl(200, junk);
    assert_int_equal(s.usage_pct, -1);
    s = rl(429, retry);
    assert_int_equal(s.wait_ms, 2000);
    s = rl(200, retry);
    assert_int_equal(s.wait_ms, -1);
    s = rl(200, NULL);
    assert_int_equal(s.wait_ms, -1);
    assert_int_equal(s.usage_pct, -1);
}

/* With the window's length known, the ten-second budget paces instead of pausing. */
static void test_ratelimit_window(void **state)
{
    (void)state;
    static const struct {
        const char *remaining;
        int64_t wait_ms;
    } cases[] = {
        {"189", -1}, {"20", -1},  {"19", -1},  /* a tenth of 190 in reserve: free */
        {"18", 52},  {"10", 473}, {"0", 1000}, /* then 10,000 ms * missing reserve / 190 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct fixture_hdr h[] = {{"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"},
                                        {"X-HubSpot-RateLimit-Max", "190"},
                                        {"X-HubSpot-RateLimit-Remaining", cases[i].remaining},
                                        {"X-HubSpot-RateLimit-Daily", "500000"},
                                        {"X-HubSpot-RateLimit-Daily-Remaining", "499000"},
                                        {NULL, NULL}};
        struct rl_signal s = rl(200, h);
        if (s.wait_ms != cases[i].wait_ms)
            fail_msg("remaining %s: wait %lld", cases[i].remaining, (long long)s.wait_ms);
        assert_int_equal(s.usage_pct, 0); /* the daily share only */
    }
    /* a 429 with Retry-After still says how long */
    const struct fixture_hdr refused[] = {{"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"},
                                          {"X-HubSpot-RateLimit-Max", "190"},
                                          {"X-HubSpot-RateLimit-Remaining", "0"},
                                          {"Retry-After", "3"},
                                          {NULL, NULL}};
    assert_int_equal(rl(429, refused).wait_ms, 3000);
    /* nonsense is no signal */
    const struct fixture_hdr junk[] = {{"X-HubSpot-RateLimit-Interval-Milliseconds", "10000"},
                                       {"X-HubSpot-RateLimit-Max", "0"},
                                       {"X-HubSpot-RateLimit-Remaining", "0"},
                                       {NULL, NULL}};
    assert_int_equal(rl(200, junk).wait_ms, -1);
}

/* ---- full loads: the list endpoints ---------------------------------------------------------- */

#define CONTACT_LIST_URL                                                                           \
    "https://api.hubapi.com/crm/v3/objects/contacts?limit=100&archived=false&properties=email,"    \
    "createdate,lastmodifieddate,lifecyclestage,hs_analytics_source,hs_analytics_source_data_1,"   \
    "hs_analytics_source_data_2,hs_analytics_first_url,hs_latest_source,hs_latest_source_data_1,"  \
    "hs_latest_source_data_2,hs_latest_source_timestamp,utm_source,utm_medium,utm_campaign,"       \
    "utm_content"
#define DEAL_LIST_URL                                                                              \
    "https://api.hubapi.com/crm/v3/objects/deals?limit=100&archived=false&properties=amount,"      \
    "deal_currency_code,dealstage,pipeline,createdate,closedate,hs_lastmodifieddate,hs_is_closed," \
    "hs_is_closed_won&associations=contacts"

static struct rowset *parse_full(const char *name, const char *page, const char *file, bool full)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    const char *msg;
    int rc;
    ctx.full = full;
    struct rowset *rs = fixture_parse(&ctx, 200, file, NULL, &rc);
    if (rc != 0)
        fail_msg("%s: %s", file, (rowset_error(rs, &msg, NULL), msg));
    return rs;
}

static void expect_full_request(const char *name, const char *page, const char *url)
{
    struct adapter_ctx ctx = make_ctx(name, page);
    struct http_request req = {0};
    char why[128] = "";
    ctx.full = true;
    if (fixture_stream(name)->build(&ctx, &req, why, sizeof why) != 0)
        fail_msg("%s %s: %s", name, page ? page : "(first)", why);
    assert_string_equal(req.method, "GET");
    assert_string_equal(req.url, url);
    assert_null(strchr(req.log_url, '?'));
    assert_string_equal(req.headers[0], "Authorization: Bearer " TOKEN);
    assert_null(req.headers[1]);
    assert_null(req.body);
    http_request_free(&req);
}

static void test_list_build(void **state)
{
    (void)state;
    expect_full_request("hubspot.contacts", NULL, CONTACT_LIST_URL);
    expect_full_request("hubspot.contacts", "list:784566996486",
                        CONTACT_LIST_URL "&after=784566996486");
    /* an opaque token is percent-encoded */
    expect_full_request("hubspot.contacts",
                        "list:Q2Fm/ZQ==", CONTACT_LIST_URL "&after=Q2Fm%2FZQ%3D%3D");
    expect_full_request("hubspot.deals", NULL, "https://api.hubapi.com/crm/v3/pipelines/deals");
    expect_full_request("hubspot.deals", "list:", DEAL_LIST_URL);
    expect_full_request("hubspot.deals", "list:312929584", DEAL_LIST_URL "&after=312929584");
    /* a full load's pipelines lead to the list, an increment's to the search */
    struct rowset *rs = parse_full("hubspot.deals", NULL, "deals_pipelines.json", true);
    assert_string_equal(rowset_next(rs), "list:");
    rowset_free(rs);
    rs = parse_full("hubspot.deals", NULL, "deals_pipelines.json", false);
    assert_string_equal(rowset_next(rs), "search:" W0 ":");
    rowset_free(rs);
}

static void same_record(const struct record *a, const struct record *b)
{
    assert_int_equal(a->type, b->type);
    if (a->type == REC_LEAD) {
        assert_string_equal(a->u.lead.id, b->u.lead.id);
        assert_int_equal(a->u.lead.created_at, b->u.lead.created_at);
        str_or_null(a->u.lead.email_hash, b->u.lead.email_hash);
        str_or_null(a->u.lead.lifecycle_stage, b->u.lead.lifecycle_stage);
    } else if (a->type == REC_TOUCHPOINT) {
        const struct rec_touchpoint *x = &a->u.touchpoint, *y = &b->u.touchpoint;
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->kind, y->kind);
        assert_int_equal(x->occurred_at, y->occurred_at);
        str_or_null(x->platform, y->platform);
        str_or_null(x->campaign, y->campaign);
        str_or_null(x->utm_source, y->utm_source);
        str_or_null(x->utm_medium, y->utm_medium);
        str_or_null(x->utm_campaign, y->utm_campaign);
        str_or_null(x->utm_content, y->utm_content);
    } else if (a->type == REC_DEAL) {
        assert_memory_equal(&a->u.deal.amount_micros, &b->u.deal.amount_micros, sizeof(int64_t));
        assert_string_equal(a->u.deal.id, b->u.deal.id);
        assert_string_equal(a->u.deal.currency, b->u.deal.currency);
        assert_int_equal(a->u.deal.has_amount, b->u.deal.has_amount);
        str_or_null(a->u.deal.stage, b->u.deal.stage);
        str_or_null(a->u.deal.pipeline, b->u.deal.pipeline);
        assert_int_equal(a->u.deal.is_won, b->u.deal.is_won);
        assert_int_equal(a->u.deal.is_closed, b->u.deal.is_closed);
        assert_int_equal(a->u.deal.created_at, b->u.deal.created_at);
        assert_int_equal(a->u.deal.closed_at, b->u.deal.closed_at);
    } else {
        assert_string_equal(a->u.deal_contact.deal, b->u.deal_contact.deal);
        assert_string_equal(a->u.deal_contact.contact, b->u.deal_contact.contact);
    }
}

static void test_list_contacts(void **state)
{
    (void)state;
    /* the same contacts as a list page: the same records, less the one modified before the
     * watermark (a search would not have returned it) */
    struct rowset *list = parse_full("hubspot.contacts", NULL, "contacts_list.json", true);
    struct rowset *search = parse_ok("hubspot.contacts", NULL, "contacts_page1.json");
    int64_t seen_l, seen_s;
    assert_int_equal(rowset_count(list), rowset_count(search));
    for (size_t i = 0; i < rowset_count(list); i++)
        same_record(rowset_get(list, i), rowset_get(search, i));
    assert_string_equal(rowset_next(list), "list:784566996486");
    assert_true(rowset_seen(list, &seen_l));
    assert_true(rowset_seen(search, &seen_s));
    assert_int_equal(seen_l, seen_s); /* the watermark: the latest lastmodifieddate seen */
    assert_int_equal(seen_l, ts(2024, 11, 4, 13, 30, 0));
    rowset_free(search);
    rowset_free(list);
    /* the next page of a full load, the last one */
    list = parse_full("hubspot.contacts", "list:784566996486", "contacts_empty.json", true);
    assert_int_equal(rowset_count(list), 0);
    assert_null(rowset_next(list));
    rowset_free(list);
    /* with the watermark at zero (a backfill from the beginning) the old contact is kept */
    struct adapter_ctx ctx = make_ctx("hubspot.contacts", "list:");
    int rc;
    ctx.since = 0;
    list = fixture_parse(&ctx, 200, "contacts_list.json", NULL, &rc);
    assert_int_equal(rc, 0);
    is_lead(list, 2, "900", ts(2024, 9, 2, 10, 0, 0), "old.contact@example.com", "subscriber");
    rowset_free(list);
}

static void test_list_deals(void **state)
{
    (void)state;
    struct rowset *rs = parse_full("hubspot.deals", "list:", "deals_list.json", true);
    struct rowset *deals = parse_ok("hubspot.deals", "search:" W0 ":", "deals_page1.json");
    struct rowset *assoc = parse_ok("hubspot.deals", "assoc:1", "deals_associations.json");
    /* deal 312929400 is older than the watermark: neither it nor its contact */
    assert_int_equal(rowset_count(rs), 7);
    same_record(rowset_get(rs, 0), rowset_get(deals, 0));
    same_record(rowset_get(rs, 1), rowset_get(assoc, 0)); /* 312929580 - 551 */
    same_record(rowset_get(rs, 2), rowset_get(assoc, 1)); /* 312929580 - 1201, listed twice */
    same_record(rowset_get(rs, 3), rowset_get(deals, 1));
    same_record(rowset_get(rs, 4), rowset_get(assoc, 2)); /* 312929581 - 784566996485 */
    same_record(rowset_get(rs, 5), rowset_get(deals, 2)); /* no associations key: none */
    same_record(rowset_get(rs, 6), rowset_get(deals, 3));
    assert_null(rowset_next(rs)); /* no paging: the last page */
    int64_t seen;
    assert_true(rowset_seen(rs, &seen));
    assert_int_equal(seen, ts(2024, 11, 4, 13, 16, 0));
    rowset_free(assoc);
    rowset_free(deals);
    rowset_free(rs);
    /* no cursor (socialroi parse): a list body is read as one, without a next page */
    rs = parse_ok("hubspot.deals", NULL, "deals_list.json");
    assert_int_equal(rowset_count(rs), 7);
    assert_null(rowset_next(rs));
    rowset_free(rs);
}

/* A list result whose embedded contacts page: the deal is read whole by the batch read next. */
static void test_list_deals_cut(void **state)
{
    (void)state;
#define CUT_DEAL(id, more)                                                                         \
    "{\"id\":\"" id "\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","                  \
    "\"hs_lastmodifieddate\":\"2024-11-04T13:00:00Z\"},\"associations\":{\"contacts\":{"           \
    "\"results\":[{\"id\":\"8\",\"type\":\"deal_to_contact\"}]" more "}}}"
#define CUT_MORE ",\"paging\":{\"next\":{\"after\":\"1\",\"link\":\"https://x/?after=1\"}}"
    static const struct {
        const char *body, *next;
    } pages[] = {
        /* the last list page: the batch read for the cut deals ends the run */
        {"{\"results\":[" CUT_DEAL("7", CUT_MORE) "," CUT_DEAL("9", "") "," CUT_DEAL("11",
                                                                                     CUT_MORE) "]}",
         "assoc:7,11"},
        /* a list page with more: the batch read, then the next list page */
        {"{\"results\":[" CUT_DEAL("7", CUT_MORE) "],\"paging\":{\"next\":{\"after\":\"a@b:c\"}}}",
         "assoc:7@list:a@b:c"},
        /* nothing cut: the next list page as before */
        {"{\"results\":[" CUT_DEAL("9", "") "],\"paging\":{\"next\":{\"after\":\"12\"}}}",
         "list:12"},
    };
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        struct adapter_ctx ctx = make_ctx("hubspot.deals", "list:");
        int rc;
        struct rowset *rs =
            fixture_parse_body(&ctx, 200, pages[i].body, strlen(pages[i].body), NULL, &rc);
        assert_int_equal(rc, 0);
        is_deal_contact(rs, 1, i == 2 ? "9" : "7", "8"); /* what the page holds is kept */
        assert_int_equal(rowset_warnings(rs), 0);
        assert_string_equal(rowset_next(rs), pages[i].next);
        rowset_free(rs);
    }
    /* a saved list page alone (socialroi parse) cannot go on: a warning */
    struct adapter_ctx ctx = make_ctx("hubspot.deals", NULL);
    int rc;
    struct rowset *rs =
        fixture_parse_body(&ctx, 200, pages[0].body, strlen(pages[0].body), NULL, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(rowset_warnings(rs), 1);
    assert_null(rowset_next(rs));
    rowset_free(rs);

    /* the batch read asks for the cut deals from their first contact */
    const char *assoc = "https://api.hubapi.com/crm/v4/associations/deals/contacts/batch/read";
    expect_request("hubspot.deals", "assoc:7@list:a@b:c", "POST", assoc,
                   "{\"inputs\":[{\"id\":\"7\"}]}");
    /* its answer goes on with the list page, directly or after the rounds of more contacts */
    rs = parse_ok("hubspot.deals", "assoc:312929580,312929581@list:a@b:c",
                  "deals_associations.json");
    assert_string_equal(rowset_next(rs), "list:a@b:c");
    rowset_free(rs);
    rs = parse_ok("hubspot.deals", "assoc:312929580,312929581@list:12",
                  "deals_associations_paged.json");
    assert_string_equal(rowset_next(rs), "more:1:312929580=" AFTER1_HEX "@list:12");
    rowset_free(rs);
    expect_request("hubspot.deals", "more:1:312929580=" AFTER1_HEX "@list:12", "POST", assoc,
                   "{\"inputs\":[{\"id\":\"312929580\",\"after\":\"MC0zLTEyMDE%3D\"}]}");
    rs = parse_ok("hubspot.deals", "more:1:312929580=" AFTER1_HEX "@list:12",
                  "deals_associations_more.json");
    assert_string_equal(rowset_next(rs), "list:12");
    rowset_free(rs);
    rs = parse_ok("hubspot.deals", "assoc:312929580,312929581", "deals_associations.json");
    assert_null(rowset_next(rs)); /* after the last list page: the end of the run */
    rowset_free(rs);
#undef CUT_DEAL
#undef CUT_MORE
}

static void test_list_malformed(void **state)
{
    (void)state;
    static const char *const deals[] = {
        "{\"results\":[{\"id\":\"7\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
        "\"hs_lastmodifieddate\":\"2024-11-04T13:00:00Z\"},\"associations\":{\"contacts\":{}}}]}",
        "{\"results\":[{\"id\":\"7\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
        "\"hs_lastmodifieddate\":\"2024-11-04T13:00:00Z\"},\"associations\":{\"contacts\":{"
        "\"results\":[{\"id\":\"x\"}]}}}]}",
        "{\"results\":[{\"id\":\"7\",\"properties\":{\"createdate\":\"2024-11-04T10:00:00Z\","
        "\"hs_lastmodifieddate\":\"later\"}}]}",
        "{\"results\":[],\"paging\":{\"next\":{\"after\":\"\"}}}",
        "{\"results\":{}}",
    };
    for (size_t i = 0; i < sizeof deals / sizeof deals[0]; i++)
        expect_body_error("hubspot.deals", "list:", 200, deals[i], ERR_MALFORMED, -1);
    expect_body_error("hubspot.contacts", "list:", 200,
                      "{\"results\":[{\"id\":\"1\",\"properties\":{\"createdate\":"
                      "\"2024-11-04T10:00:00Z\",\"lastmodifieddate\":\"soon\"}}]}",
                      ERR_MALFORMED, -1);
    expect_body_error("hubspot.contacts", "list:", 200, "{\"results\":[{\"id\":\"1\"}]}",
                      ERR_MALFORMED, -1);
}

/* Only the search counts against requests_per_second. */
static void test_paced(void **state)
{
    (void)state;
    static const struct {
        const char *stream, *page;
        bool full, paced;
    } cases[] = {
        {"hubspot.contacts", NULL, true, false},
        {"hubspot.contacts", NULL, false, true},
        {"hubspot.contacts", "list:5", false, false},
        {"hubspot.contacts", W0 ":200", true, true},
        {"hubspot.deals", NULL, false, false},
        {"hubspot.deals", "list:", true, false},
        {"hubspot.deals", "search:" W0 ":", true, true},
        {"hubspot.deals", "assoc:1,2", false, false},
    };
    const struct adapter *a = adapter_for(PLATFORM_HUBSPOT);
    assert_non_null(a->paced);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct adapter_ctx ctx = make_ctx(cases[i].stream, cases[i].page);
        ctx.full = cases[i].full;
        if (a->paced(&ctx) != cases[i].paced)
            fail_msg("%s %s: paced is not %d", cases[i].stream, cases[i].page, cases[i].paced);
    }
}

/* ---- tokens --------------------------------------------------------------------------------- */

static void test_refresh_build(void **state)
{
    (void)state;
    const struct adapter *a = adapter_for(PLATFORM_HUBSPOT);
    char cid[] = "5c4a-cid", secret[] = "s&cret", rt[] = "6f18f21e-a743";
    struct cfg_credential cred = {.client_id = cid, .client_secret = secret, .refresh_token = rt};
    struct http_request req = {0};
    assert_int_equal(a->refresh_build(&platform, &cred, "old", NULL, &req), 0);
    assert_string_equal(req.method, "POST");
    assert_string_equal(req.url, "https://api.hubapi.com/oauth/v1/token");
    assert_string_equal(req.body, "grant_type=refresh_token&client_id=5c4a-cid"
                                  "&client_secret=s%26cret&refresh_token=6f18f21e-a743");
    assert_string_equal(req.headers[0], "Content-Type: application/x-www-form-urlencoded");
    assert_null(req.headers[1]);
    http_request_free(&req);
    assert_int_equal(a->refresh_build(&platform, &cred, "old", "rt+2", &req), 0);
    assert_non_null(strstr(req.body, "&refresh_token=rt%2B2"));
    http_request_free(&req);
    /* a private-app token has no refresh token: nothing to refresh */
    cred.refresh_token = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, TOKEN, NULL, &req), -1);
    http_request_free(&req);
    cred.refresh_token = rt;
    cred.client_id = NULL;
    assert_int_equal(a->refresh_build(&platform, &cred, "old", NULL, &req), -1);
    http_request_free(&req);
}

static int refresh(long status, const char *body, struct token_set *out, enum err_class *cls,
                   char *why, size_t whylen)
{
    struct http_response resp = fixture_response(status, body, strlen(body), NULL);
    return adapter_for(PLATFORM_HUBSPOT)->refresh_parse(&resp, out, cls, why, whylen);
}

static void test_refresh_parse(void **state)
{
    (void)state;
    struct token_set *out = xcalloc(1, sizeof *out);
    enum err_class cls;
    char why[256];
    char *body = unit_read_file("tests/fixtures/hubspot/token.json", NULL);
    assert_int_equal(refresh(200, body, out, &cls, why, sizeof why), 0);
    assert_int_equal(cls, ERR_NONE);
    assert_string_equal(out->access_token,
                        "CN2zlYnmLBICAQIYgZXFLyCWp1Yoy_9GMhkAgddk-zDc-H_1-example-access");
    assert_string_equal(out->refresh_token, "6f18f21e-a743-4509-b7fd-1a5e632fffa1");
    assert_int_equal(out->expires_in_s, 1800);
    free(body);
    body = unit_read_file("tests/fixtures/hubspot/token_bad_refresh.json", NULL);
    assert_int_equal(refresh(400, body, out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_AUTH);
    assert_string_equal(why, "hubspot token endpoint refused the refresh: BAD_REFRESH_TOKEN");
    assert_string_equal(out->access_token, "");
    free(body);
    assert_int_equal(refresh(502, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_TRANSIENT);
    assert_int_equal(refresh(429, "", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_THROTTLED);
    assert_int_equal(refresh(200, "{\"refresh_token\":\"r\"}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_MALFORMED);
    assert_int_equal(
        refresh(200, "{\"access_token\":\"a\",\"expires_in\":-5}", out, &cls, why, sizeof why), -1);
    assert_int_equal(cls, ERR_MALFORMED);
    free(out);
}

/* A page whose paging.next.after is the after it was asked with (search or list) would be
 * asked for forever: refused, and paging stops. */
static void test_repeated_cursor(void **state)
{
    (void)state;
    struct adapter_ctx ctx = make_ctx("hubspot.contacts", "list:784566996486");
    fixture_expect_repeat(&ctx, "contacts_list.json");
    /* the search: the cursor the first page hands on, asked again */
    ctx.page = NULL;
    struct rowset *rs = fixture_parse_ok(&ctx, "contacts_page1.json");
    assert_non_null(rowset_next(rs));
    char *next = strdup(rowset_next(rs));
    rowset_free(rs);
    ctx.page = next;
    fixture_expect_repeat(&ctx, "contacts_page1.json");
    free(next);
}

int main(void)
{
    fixture_use(PLATFORM_HUBSPOT, TOKEN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_repeated_cursor), cmocka_unit_test(test_streams),
        cmocka_unit_test(test_build_contacts),  cmocka_unit_test(test_build_deals),
        cmocka_unit_test(test_build_refused),   cmocka_unit_test(test_contacts_page),
        cmocka_unit_test(test_search_window),   cmocka_unit_test(test_contacts_malformed),
        cmocka_unit_test(test_deals_run),       cmocka_unit_test(test_deals_lone),
        cmocka_unit_test(test_deals_malformed), cmocka_unit_test(test_assoc_warnings),
        cmocka_unit_test(test_assoc_paging),    cmocka_unit_test(test_errors),
        cmocka_unit_test(test_error_message),   cmocka_unit_test(test_errors_without_body),
        cmocka_unit_test(test_ratelimit),       cmocka_unit_test(test_ratelimit_window),
        cmocka_unit_test(test_list_build),      cmocka_unit_test(test_list_contacts),
        cmocka_unit_test(test_list_deals),      cmocka_unit_test(test_list_deals_cut),
        cmocka_unit_test(test_list_malformed),  cmocka_unit_test(test_paced),
        cmocka_unit_test(test_refresh_build),   cmocka_unit_test(test_refresh_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
