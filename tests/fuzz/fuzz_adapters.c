/*
 * fuzz_adapters.c - libFuzzer target for every platform adapter's parsers.
 *
 * The platform: FUZZ_ADAPTER=NAME (x, facebook, ...) names it and the whole input is a response
 * body, so a platform's fixtures (tests/fixtures/NAME/) seed it as they are; without it, the
 * first byte of the input picks the platform and the rest is the body.
 *
 * The body goes to the parse() of every stream of the platform, on the first page and on each
 * later page kind a run can hold (the profiles below), with every HTTP status of the profile;
 * to the token refresh parser; and (as header values) to the rate-limit reader. Whatever the
 * input: no crash, leak or undefined behaviour; a rejected page has an error class and no
 * records; a good page has no error; no message quotes the token; and, where the profile says
 * so, the next cursor of a good page builds the next request, every ad_daily record carries the
 * account's currency, a quota wait is never negative nor longer than a day and an hour, and a
 * refused token answer is refused.
 */
#include "adapter.h"
#include "buf.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A later page of a stream (stream "*": of every stream of the platform). */
struct page_case {
    const char *stream, *page;
};

struct profile {
    enum platform_id platform;
    const char *token;
    const char *salt;
    struct cfg_account *account;
    struct cfg_platform *config;
    int64_t now;
    int64_t since;
    int32_t from_day, to_day;
    bool now_moves;                    /* now moves with the input size (Pacific midnights) */
    const long *statuses;              /* 0-terminated */
    const struct page_case *pages;     /* {NULL, NULL}-terminated */
    bool check_next;                   /* a good page's cursor builds the next request */
    const char *currency;              /* every ad_daily record's, or NULL */
    bool quota_within_a_day;           /* a quota wait is 0..25 h */
    long ratelimit_status;             /* status the usage headers come with */
    long refresh_refused;              /* a token answer with this status is refused, or 0 */
    enum err_class refresh_refused_as; /* ... with this class (ERR_NONE: any) */
};

/* ---- the platforms: accounts, clocks, page kinds -------------------------------------------- */

static char x_id[] = "2244994945", x_base[] = "https://api.x.com";
static char *x_queries[] = {(char *)"\"acme analytics\" -is:retweet", (char *)"globex OR initech"};
static struct cfg_account x_account = {.id = x_id, .queries = {.items = x_queries, .n = 2}};
static struct cfg_platform x_config = {.api_base = x_base};
static const long x_statuses[] = {200, 400, 0};
static const struct page_case x_pages[] = {{"x.mentions", "1:b26v89c19zqg8o3"}, {NULL, NULL}};

static char fb_id[] = "104858302236475", fb_act[] = "798085168510957", fb_usd[] = "USD";
static char fb_f0[] = "1234567890123456", fb_f1[] = "2345678901234567";
static char *fb_forms[] = {fb_f0, fb_f1};
static char fb_base[] = "https://graph.facebook.com", fb_version[] = "v24.0";
static struct cfg_account fb_account = {
    .id = fb_id, .ad_account = fb_act, .forms = {.items = fb_forms, .n = 2}, .currency = fb_usd};
static struct cfg_platform fb_config = {.api_base = fb_base, .version = fb_version};
static const long fb_statuses[] = {200, 400, 0};
static const struct page_case fb_pages[] = {{"*", "1:QVFI"}, {NULL, NULL}};

static char ig_id[] = "17841405822304914";
static char ig_token_url[] = "https://graph.instagram.com/refresh_access_token";
static struct cfg_account ig_account = {.id = ig_id};
static struct cfg_platform ig_config = {
    .api_base = fb_base, .version = fb_version, .token_url = ig_token_url};
static const long ig_statuses[] = {200, 400, 0};
static const struct page_case ig_pages[] = {
    {"instagram.account_insights", "series:2024-01-13"},
    {"instagram.account_insights", "total:2024-01-13"},
    {"instagram.account_insights", "profile"},
    {"instagram.media", "list:QVFIUmlt"},
    {"instagram.media", "insights:18027939643083444,17895695668004550:QVFIUmlt"},
    {NULL, NULL}};

static char li_id[] = "2414183", li_ad[] = "508866422";
static char li_base[] = "https://api.linkedin.com", li_version[] = "202610";
static struct cfg_account li_account = {.id = li_id, .ad_account = li_ad, .currency = fb_usd};
static struct cfg_platform li_config = {.api_base = li_base, .version = li_version};
static const long li_statuses[] = {200, 400, 429, 0};
static const struct page_case li_pages[] = {{"linkedin.org_stats", "share_statistics"},
                                            {"linkedin.org_stats", "network_size"},
                                            {"linkedin.ad_analytics", "campaigns:DgEAAAGS"},
                                            {"linkedin.ad_analytics", "analytics:1"},
                                            {"linkedin.ad_analytics", "analytics:2"},
                                            {"linkedin.leads", "3:1730728800250"},
                                            {NULL, NULL}};

static char yt_id[] = "UC_x5XG1OV2P6uZZ5FSM9Ttw", yt_base[] = "https://www.googleapis.com";
static char yt_base2[] = "https://youtubeanalytics.googleapis.com";
static struct cfg_account yt_account = {.id = yt_id};
static struct cfg_platform yt_config = {.api_base = yt_base, .api_base2 = yt_base2};
static const long yt_statuses[] = {200, 403, 429, 0};
static const struct page_case yt_pages[] = {
    {"youtube.videos", "videos:abcDEF12345,N_-x9-y8Z70:EAAaBlBUOkNESQ"}, {NULL, NULL}};

static char pin_act[] = "549755885175", pin_eur[] = "EUR", pin_base[] = "https://api.pinterest.com";
static struct cfg_account pin_account = {.ad_account = pin_act, .currency = pin_eur};
static struct cfg_platform pin_config = {.api_base = pin_base};
static const long pin_statuses[] = {200, 429, 0};
static const struct page_case pin_pages[] = {
    {"pinterest.user_analytics", "account"},
    {"pinterest.ad_analytics", "campaigns:Y2JleGFtcGxl"},
    {"pinterest.ad_analytics", "analytics:549755885175,549755885176:Y2JleGFtcGxl"},
    {NULL, NULL}};

static char hs_id[] = "890123", hs_base[] = "https://api.hubapi.com";
static struct cfg_account hs_account = {.id = hs_id, .currency = fb_usd};
static struct cfg_platform hs_config = {.api_base = hs_base};
static const long hs_statuses[] = {200, 207, 429, 0};
static const struct page_case hs_pages[] = {{"hubspot.contacts", "1730725200000:9800"},
                                            {"hubspot.contacts", "1730725200000:Q2FmZQ"},
                                            {"hubspot.deals", "search:1730725200000:"},
                                            {"hubspot.deals", "search:1730725200000:9800"},
                                            {"hubspot.deals", "assoc:1,2:1730725200000:4"},
                                            {"hubspot.deals", "assoc:1"},
                                            {NULL, NULL}};

static const struct profile profiles[] = {
    {.platform = PLATFORM_X,
     .token = "tok-FUZZ-secret",
     .salt = "",
     .account = &x_account,
     .config = &x_config,
     .now = INT64_C(1730728800000000), /* 2024-11-04T14:00:00Z */
     .from_day = 19997,
     .to_day = 20027,
     .statuses = x_statuses,
     .pages = x_pages,
     .ratelimit_status = 200},
    {.platform = PLATFORM_FACEBOOK,
     .token = "EAAB-FUZZ-secret",
     .salt = "salt",
     .account = &fb_account,
     .config = &fb_config,
     .now = INT64_C(1730728800000000),
     .from_day = 19734,
     .to_day = 19736,
     .statuses = fb_statuses,
     .pages = fb_pages,
     .ratelimit_status = 400},
    {.platform = PLATFORM_INSTAGRAM,
     .token = "EAAB-FUZZ-instagram-secret",
     .salt = "",
     .account = &ig_account,
     .config = &ig_config,
     .now = INT64_C(1705219200000000), /* 2024-01-14T08:00:00Z */
     .from_day = 19734,
     .to_day = 19736,
     .statuses = ig_statuses,
     .pages = ig_pages,
     .check_next = true,
     .ratelimit_status = 400},
    {.platform = PLATFORM_LINKEDIN,
     .token = "tok-FUZZ-secret",
     .salt = "salt",
     .account = &li_account,
     .config = &li_config,
     .now = INT64_C(1730728800250000), /* 2024-11-04T14:00:00.25Z */
     .since = INT64_C(1730728800250000) - INT64_C(86400000000),
     .from_day = 20024,
     .to_day = 20030,
     .statuses = li_statuses,
     .pages = li_pages,
     .check_next = true},
    {.platform = PLATFORM_YOUTUBE,
     .token = "ya29.FUZZ-youtube-secret",
     .salt = "",
     .account = &yt_account,
     .config = &yt_config,
     .now = INT64_C(1710316800000000), /* 2024-03-13T08:00:00Z */
     .from_day = 19783,
     .to_day = 19795,
     .now_moves = true,
     .statuses = yt_statuses,
     .pages = yt_pages,
     .check_next = true,
     .quota_within_a_day = true,
     .refresh_refused = 400,
     .refresh_refused_as = ERR_NONE},
    {.platform = PLATFORM_PINTEREST,
     .token = "pina_FUZZ-pinterest-secret",
     .salt = "",
     .account = &pin_account,
     .config = &pin_config,
     .now = INT64_C(1714809600000000), /* 2024-05-04T08:00:00Z */
     .from_day = 19844,
     .to_day = 19846,
     .statuses = pin_statuses,
     .pages = pin_pages,
     .check_next = true,
     .currency = "EUR",
     .refresh_refused = 401,
     .refresh_refused_as = ERR_AUTH},
    {.platform = PLATFORM_HUBSPOT,
     .token = "pat-FUZZ-secret",
     .salt = "salt",
     .account = &hs_account,
     .config = &hs_config,
     .now = INT64_C(1730728800250000),
     .since = INT64_C(1730725200000000), /* 2024-11-04T13:00:00Z */
     .statuses = hs_statuses,
     .pages = hs_pages,
     .check_next = true,
     .ratelimit_status = 429},
};

#define NPROFILES (sizeof profiles / sizeof profiles[0])
_Static_assert(NPROFILES == PLATFORM_COUNT, "a profile for every platform");

/* ---- checks --------------------------------------------------------------------------------- */

static const char *header(const struct http_response *r, const char *name)
{
    (void)name;
    return r->priv; /* the input as every header, or none */
}

/*
 * A cursor the parser handed out must build the next request. (Its platform cursor is the body's
 * data: a body that echoes the token can put it in the next URL, so that is not checked here.)
 */
static void check_next(const struct stream_def *s, const struct adapter_ctx *ctx, const char *next)
{
    struct adapter_ctx c = *ctx;
    struct http_request req = {0};
    char why[256];
    c.page = next;
    if (s->build(&c, &req, why, sizeof why) != 0)
        abort();
    http_request_free(&req);
}

static void check_page(const struct profile *p, const struct stream_def *s,
                       const struct adapter_ctx *ctx, long status, const char *body, size_t len)
{
    struct http_response resp = {status, body, len, header, NULL};
    struct rowset *rs = rowset_new();
    const char *msg;
    int64_t retry;
    int rc = s->parse(ctx, &resp, rs);
    enum err_class cls = rowset_error(rs, &msg, &retry);
    if (rc == 0 && cls != ERR_NONE)
        abort();
    if (rc != 0 && (cls == ERR_NONE || rowset_count(rs) != 0 || rowset_next(rs)))
        abort(); /* a rejected page keeps nothing */
    if (strstr(msg, p->token))
        abort();
    if (p->quota_within_a_day && cls == ERR_QUOTA && (retry < 0 || retry > 25 * 3600 * 1000))
        abort(); /* until the next midnight */
    for (size_t i = 0; p->currency && i < rowset_count(rs); i++) {
        const struct record *r = rowset_get(rs, i);
        if (r->type == REC_AD_DAILY && strcmp(r->u.ad_daily.currency, p->currency) != 0)
            abort();
    }
    if (p->check_next && rc == 0 && rowset_next(rs))
        check_next(s, ctx, rowset_next(rs));
    struct buf out = {0};
    rowset_write_jsonl(rs, &out);
    buf_free(&out);
    rowset_free(rs);
}

/* Every status of the profile on one page of one stream. */
static void check_statuses(const struct profile *p, const struct stream_def *s, const char *page,
                           const char *body, size_t len)
{
    struct adapter_ctx ctx = {.account = p->account,
                              .platform = p->config,
                              .stream = s->name,
                              .access_token = p->token,
                              .email_salt = p->salt,
                              .page = page,
                              .from_day = p->from_day,
                              .to_day = p->to_day,
                              .since = p->since,
                              .now = p->now};
    if (p->now_moves)
        ctx.now += (int64_t)(len % 86400) * 1000000;
    for (const long *st = p->statuses; *st; st++)
        check_page(p, s, &ctx, *st, body, len);
}

static void check_platform(const struct profile *p, const char *body, size_t len)
{
    const struct adapter *a = adapter_for(p->platform);
    char *text = malloc(len + 1); /* NUL-terminated copy for the header readers */
    if (len)
        memcpy(text, body, len);
    text[len] = '\0';
    for (size_t i = 0; i < a->nstreams; i++) {
        const struct stream_def *s = &a->streams[i];
        check_statuses(p, s, NULL, body, len);
        for (const struct page_case *c = p->pages; c->stream; c++)
            if (strcmp(c->stream, "*") == 0 || strcmp(c->stream, s->name) == 0)
                check_statuses(p, s, c->page, body, len);
    }
    struct http_response resp = {p->ratelimit_status, body, len, header, text};
    if (a->ratelimit) {
        struct rl_signal sig;
        a->ratelimit(&resp, p->now, &sig);
    }
    struct token_set *tok = calloc(1, sizeof *tok);
    enum err_class cls;
    char why[256];
    resp.status = 200;
    if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) != 0 && cls == ERR_NONE)
        abort();
    if (p->refresh_refused) {
        resp.status = p->refresh_refused;
        if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) == 0 ||
            (p->refresh_refused_as != ERR_NONE && cls != p->refresh_refused_as))
            abort();
    }
    free(tok);
    free(text);
}

/* The profile FUZZ_ADAPTER names, or NULL when it is not set (LLVMFuzzerInitialize). */
static const struct profile *named;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    const char *name = getenv("FUZZ_ADAPTER");
    if (!name || !*name)
        return 0;
    enum platform_id id;
    if (platform_lookup(name, &id) == 0)
        for (size_t i = 0; i < NPROFILES; i++)
            if (profiles[i].platform == id)
                named = &profiles[i];
    if (!named) {
        fprintf(stderr, "fuzz_adapters: FUZZ_ADAPTER=%s: no such platform\n", name);
        exit(2);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct profile *p = named;
    if (!p) {
        if (size == 0)
            return 0;
        p = &profiles[data[0] % NPROFILES];
        data++;
        size--;
    }
    check_platform(p, (const char *)data, size);
    return 0;
}
