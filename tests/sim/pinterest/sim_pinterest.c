/*
 * sim_pinterest.c - the Pinterest API v5 front door of the simulator: routing, access
 * tokens, error bodies, the OAuth token endpoint, faults, the user account and its analytics.
 *
 * Served under /pinterest (api_base http://HOST:PORT/pinterest, reference §6):
 *   POST /v5/oauth/token   HTTP Basic client_id:client_secret, form grant_type=refresh_token
 *        &refresh_token=[&continuous_refresh=true] -> {"access_token","token_type":"bearer",
 *        "expires_in":2592000,"scope","refresh_token","refresh_token_expires_in",
 *        "refresh_token_expires_at","response_type":"refresh_token"}; every refresh hands out
 *        a NEW refresh token and the old one stops working (continuous refresh, §6.1, §12)
 *   GET  /v5/user_account  follower_count, following_count, pin_count, board_count,
 *        monthly_views (null: not shared), account_type BUSINESS (§6.2)
 *   GET  /v5/user_account/analytics?start_date=&end_date=&metric_types=&content_type=
 *        {"all":{"daily_metrics":[{"date","data_status","metrics":{...}}],
 *         "summary_metrics":{...}}}; UTC days; the latest day is PROCESSING until /_advance,
 *        today is PROCESSING, days before the history BEFORE_BUSINESS_CREATED (§6.3)
 *   GET  /v5/ad_accounts[/...] (sim_pinterest_ads.c)
 * Bearer tokens only. Errors {"code","message"} with Pinterest codes (sim_pinterest.h): 401
 * code 2 for a missing, unknown or expired token, 429 code 8 for the throttle fault (no
 * rate-limit headers: Pinterest documents none reliably, §6.4), 503 code 9 for server_error.
 */
#include "sim_pinterest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "timeutil.h"

#define JSON_PIN "application/json"

/* ---- answers -------------------------------------------------------------------------------- */

void pin_begin(struct http_req *r, struct jw *j)
{
    http_answer(r, 200, JSON_PIN);
    jw_init(j, &r->body, JW_UTF8);
}

void pin_error(struct http_req *r, int status, int code, const char *message)
{
    struct jw j;
    http_answer(r, status, JSON_PIN);
    jw_init(&j, &r->body, JW_UTF8);
    jw_obj(&j);
    jw_kint(&j, "code", code);
    jw_kstr(&j, "message", message);
    jw_end(&j);
}

void pin_bad_param(struct http_req *r, const char *param, const char *what)
{
    char msg[300];
    snprintf(msg, sizeof msg, "%s: %s", param, what);
    pin_error(r, 400, PIN_CODE_INVALID, msg);
}

void pin_count(struct jw *j, int64_t v, bool as_float)
{
    char s[32];
    if (!as_float) {
        jw_int(j, v);
        return;
    }
    snprintf(s, sizeof s, "%lld.0", (long long)v);
    jw_raw(j, s);
}

void pin_ratio(struct jw *j, int64_t num, int64_t den)
{
    char s[48];
    int64_t m = den > 0 ? num * 1000000 / den : 0;
    snprintf(s, sizeof s, "%lld.%06lld", (long long)(m / 1000000), (long long)(m % 1000000));
    jw_raw(j, s);
}

static bool date_param(struct http_req *r, const char *name, int32_t *day)
{
    const char *v = http_param(r, name);
    char what[96];
    if (!v) {
        pin_bad_param(r, name, "Missing required parameter");
        return false;
    }
    if (time_parse_date(v, day) < 0) {
        snprintf(what, sizeof what, "'%.30s' does not match format YYYY-MM-DD", v);
        pin_bad_param(r, name, what);
        return false;
    }
    return true;
}

bool pin_dates(struct http_req *r, const struct world *w, int max_span, bool allow_future,
               int32_t *start, int32_t *end)
{
    char what[96];
    if (!date_param(r, "start_date", start) || !date_param(r, "end_date", end))
        return false;
    if (*end < *start) {
        pin_bad_param(r, "end_date", "must be on or after start_date");
        return false;
    }
    if (*end - *start > max_span) {
        snprintf(what, sizeof what, "cannot be more than %d days past start_date", max_span);
        pin_bad_param(r, "end_date", what);
        return false;
    }
    if (*start < w->today - PIN_DAYS_BACK) {
        pin_bad_param(r, "start_date", "cannot be more than 90 days before today");
        return false;
    }
    if (!allow_future && *end > w->today) {
        pin_bad_param(r, "end_date", "cannot be later than today");
        return false;
    }
    return true;
}

static void not_found(struct http_req *r)
{
    pin_error(r, 404, PIN_CODE_NOT_FOUND, "Not found.");
}

/* ---- tokens --------------------------------------------------------------------------------- */

static bool authorized(struct pin_world *pw, struct http_req *r)
{
    if (cred_check(&pw->cred, http_bearer(r)) == CRED_VALID)
        return true;
    pin_error(r, 401, PIN_CODE_AUTH, "Authentication failed.");
    return false;
}

static bool client_ok(const struct pin_world *pw, const struct http_req *r)
{
    const char *auth = http_header(r, "Authorization");
    unsigned char dec[256];
    char pair[128];
    if (!auth || strncasecmp(auth, "Basic ", 6) != 0)
        return false;
    int n = b64_decode(auth + 6, dec, sizeof dec - 1);
    if (n < 0)
        return false;
    dec[n] = '\0';
    snprintf(pair, sizeof pair, "%s:%s", pw->client_id, pw->client_secret);
    return strcmp((const char *)dec, pair) == 0;
}

static bool refresh_ok(const struct pin_world *pw, const char *rt)
{
    size_t n = strlen(PIN_REFRESH_PREFIX);
    return rt && strncmp(rt, PIN_REFRESH_PREFIX, n) == 0 && cred_refresh_ok(&pw->cred, rt + n);
}

static void token_answer(struct pin_world *pw, const struct world *w, struct http_req *r)
{
    char rt[CRED_MAX + 8];
    struct jw j;
    cred_rotate(&pw->cred);
    pin_refresh_token(pw, rt, sizeof rt);
    pin_begin(r, &j);
    jw_obj(&j);
    jw_kstr(&j, "access_token", pw->cred.access);
    jw_kstr(&j, "token_type", "bearer");
    jw_kint(&j, "expires_in", 2592000);
    jw_kstr(&j, "scope", "ads:read boards:read pins:read user_accounts:read");
    jw_kstr(&j, "refresh_token", rt);
    jw_kint(&j, "refresh_token_expires_in", 5184000);
    jw_kint(&j, "refresh_token_expires_at", day_start_utc(w->today) + 43200 + 5184000);
    jw_kstr(&j, "response_type", "refresh_token");
    jw_end(&j);
}

static void serve_token(struct pin_world *pw, const struct world *w, struct http_req *r)
{
    const char *grant = http_form(r, "grant_type"), *rt = http_form(r, "refresh_token");
    if (r->method != EVHTTP_REQ_POST)
        pin_error(r, 405, PIN_CODE_INVALID, "Method not allowed.");
    else if (!client_ok(pw, r))
        pin_error(r, 401, PIN_CODE_AUTH, "Authentication failed.");
    else if (!grant)
        pin_bad_param(r, "grant_type", "Missing required parameter");
    else if (strcmp(grant, "refresh_token") != 0)
        pin_bad_param(r, "grant_type", "only refresh_token is accepted for this app");
    else if (!rt)
        pin_bad_param(r, "refresh_token", "Missing required parameter");
    else if (!refresh_ok(pw, rt))
        pin_bad_param(r, "refresh_token", "Invalid refresh token.");
    else
        token_answer(pw, w, r);
}

/* ---- the user account ----------------------------------------------------------------------- */

static void user_account(struct pin_world *pw, struct http_req *r)
{
    struct jw j;
    pin_begin(r, &j);
    jw_obj(&j);
    jw_kstr(&j, "account_type", "BUSINESS");
    jw_kstr(&j, "id", pw->user_id);
    jw_kstrf(&j, "profile_image", "https://i.pinimg.com/600x600_R/%.2s/acme.jpg", pw->user_id);
    jw_kstr(&j, "website_url", "https://acme-analytics.example");
    jw_kstr(&j, "username", pw->username);
    jw_kstr(&j, "about", "Social ROI für B2B-Teams – Dashboards, Benchmarks, Leitfäden.");
    jw_kstr(&j, "business_name", "Acme Analytics");
    jw_kint(&j, "board_count", pw->boards);
    jw_kint(&j, "pin_count", pw->pins);
    jw_kint(&j, "follower_count", pin_followers(pw));
    jw_kint(&j, "following_count", pw->following);
    jw_knull(&j, "monthly_views");
    jw_end(&j);
}

static const char *const user_metrics[] = {
    "IMPRESSION", "SAVE",           "PIN_CLICK",           "OUTBOUND_CLICK", "ENGAGEMENT",
    "SAVE_RATE",  "PIN_CLICK_RATE", "OUTBOUND_CLICK_RATE", "ENGAGEMENT_RATE"};
#define NUSER (sizeof user_metrics / sizeof user_metrics[0])

enum content { CONTENT_ALL, CONTENT_ORGANIC, CONTENT_PAID };

struct user_query {
    int32_t start, end;
    size_t m[NUSER];
    int n;
    enum content content;
};

/* The values of a day for the content type: organic, paid (from the ads) or both. */
static struct pin_day user_day(const struct pin_world *pw, int d, enum content ct)
{
    struct pin_day v = {0};
    if (ct != CONTENT_PAID)
        v = pw->days[d];
    for (int c = 0; ct != CONTENT_ORGANIC && c < pw->ncamps; c++) {
        const struct pin_adday *a = pin_adday(pw, c, d);
        v.impressions += a->paid_impressions;
        v.saves += a->saves;
        v.pin_clicks += a->clicks;
        v.outbound_clicks += a->outbound_clicks;
        v.engagements += a->clicks + a->saves;
    }
    return v;
}

/* The five counts of a day, in the order of user_metrics[]. */
static int64_t count_of(const struct pin_day *v, size_t k)
{
    switch (k) {
    case 0:
        return v->impressions;
    case 1:
        return v->saves;
    case 2:
        return v->pin_clicks;
    case 3:
        return v->outbound_clicks;
    default:
        return v->engagements;
    }
}

static void put_metric(struct jw *j, const struct pin_day *v, size_t m)
{
    jw_key(j, user_metrics[m]);
    if (m < 5)
        jw_int(j, count_of(v, m));
    else /* SAVE_RATE ... ENGAGEMENT_RATE: the count over impressions */
        pin_ratio(j, count_of(v, m - 4), v->impressions);
}

static void put_metrics(struct jw *j, const struct user_query *q, const struct pin_day *v)
{
    jw_kobj(j, "metrics");
    for (int i = 0; i < q->n; i++)
        put_metric(j, v, q->m[i]);
    jw_end(j);
}

static bool not_valid(struct http_req *r, const char *param, const char *value)
{
    char what[96];
    snprintf(what, sizeof what, "'%.40s' is not a valid value", value);
    pin_bad_param(r, param, what);
    return false;
}

/* content_type (ALL by default) and split_field (only NO_SPLIT); false (answered) if bad. */
static bool parse_content(struct http_req *r, struct user_query *q)
{
    const char *ct = http_param(r, "content_type"), *split = http_param(r, "split_field");
    if (!ct || strcmp(ct, "ALL") == 0)
        q->content = CONTENT_ALL;
    else if (strcmp(ct, "ORGANIC") == 0)
        q->content = CONTENT_ORGANIC;
    else if (strcmp(ct, "PAID") == 0)
        q->content = CONTENT_PAID;
    else
        return not_valid(r, "content_type", ct);
    if (split && strcmp(split, "NO_SPLIT") != 0)
        return not_valid(r, "split_field", split);
    return true;
}

static bool parse_user_query(const struct world *w, struct http_req *r, struct user_query *q)
{
    const char *types = http_param(r, "metric_types");
    char what[96];
    memset(q, 0, sizeof q[0]);
    if (!pin_dates(r, w, 90, false, &q->start, &q->end) || !parse_content(r, q))
        return false;
    for (const char *p = types; p && *p;) {
        size_t len = strcspn(p, ","), m = 0;
        while (m < NUSER && (strlen(user_metrics[m]) != len || strncmp(user_metrics[m], p, len)))
            m++;
        if (m == NUSER || q->n == (int)NUSER) {
            snprintf(what, sizeof what, "'%.*s' is not a valid value", (int)(len < 40 ? len : 40),
                     p);
            pin_bad_param(r, "metric_types", what);
            return false;
        }
        q->m[q->n++] = m;
        p += len + (p[len] == ',');
    }
    for (size_t m = 0; !types && m < NUSER; m++)
        q->m[q->n++] = m;
    return true;
}

/* One entry of daily_metrics; adds what it shows to sum. */
static void daily_entry(const struct pin_world *pw, const struct user_query *q, int32_t day,
                        struct pin_day *sum, struct jw *j)
{
    char date[16];
    int d = pin_day_index(pw, day);
    struct pin_day v = {0};
    fmt_date(day, date, sizeof date);
    jw_obj(j);
    jw_kstr(j, "date", date);
    if (d < 0 && day < pw->first_day) {
        jw_kstr(j, "data_status", "BEFORE_BUSINESS_CREATED");
        jw_kobj(j, "metrics");
        jw_end(j);
        jw_end(j);
        return;
    }
    if (d >= 0) {
        v = user_day(pw, d, q->content);
    } else { /* today: a fifth of the latest day so far */
        struct pin_day last = user_day(pw, pw->ndays - 1, q->content);
        v = (struct pin_day){last.impressions / 5, last.saves / 5, last.pin_clicks / 5,
                             last.outbound_clicks / 5, last.engagements / 5};
    }
    jw_kstr(j, "data_status", d >= 0 && pin_day_ready(pw, d) ? "READY" : "PROCESSING");
    put_metrics(j, q, &v);
    jw_end(j);
    sum->impressions += v.impressions;
    sum->saves += v.saves;
    sum->pin_clicks += v.pin_clicks;
    sum->outbound_clicks += v.outbound_clicks;
    sum->engagements += v.engagements;
}

static void user_analytics(struct pin_world *pw, const struct world *w, struct http_req *r)
{
    struct user_query q;
    struct pin_day sum = {0};
    struct jw j;
    if (!parse_user_query(w, r, &q))
        return;
    pin_begin(r, &j);
    jw_obj(&j);
    jw_kobj(&j, "all");
    jw_karr(&j, "daily_metrics");
    for (int32_t day = q.start; day <= q.end; day++)
        daily_entry(pw, &q, day, &sum, &j);
    jw_end(&j);
    jw_key(&j, "summary_metrics");
    jw_obj(&j);
    for (int i = 0; i < q.n; i++)
        put_metric(&j, &sum, q.m[i]);
    jw_end(&j);
    jw_end(&j);
    jw_end(&j);
}

/* ---- dispatch ------------------------------------------------------------------------------- */

void sim_pinterest_serve(void *pd, const struct world *w, struct http_req *r)
{
    struct pin_world *pw = pd;
    const char *s = r->sub;
    pw->requests++;
    if (strcmp(s, "/v5/oauth/token") == 0) {
        serve_token(pw, w, r);
        return;
    }
    if (strncmp(s, "/v5/", 4) != 0 || r->method != EVHTTP_REQ_GET) {
        not_found(r);
        return;
    }
    if (!authorized(pw, r))
        return;
    if (strcmp(s, "/v5/user_account") == 0)
        user_account(pw, r);
    else if (strcmp(s, "/v5/user_account/analytics") == 0)
        user_analytics(pw, w, r);
    else if (strncmp(s, "/v5/ad_accounts", 15) == 0 && (s[15] == '\0' || s[15] == '/'))
        pin_ads_route(pw, w, r, s + 15);
    else
        not_found(r);
}

void sim_pinterest_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                         int seconds)
{
    struct pin_world *pw = pd;
    (void)w;
    (void)seconds;
    pw->requests++;
    switch (kind) {
    case FAULT_THROTTLE:
        pin_error(r, 429, PIN_CODE_RATE_LIMIT,
                  "You have exceeded your rate limit. Try again later.");
        break;
    case FAULT_SERVER_ERROR:
        pin_error(r, 503, PIN_CODE_UNAVAILABLE,
                  "Pinterest is temporarily unavailable. Please try again later.");
        break;
    case FAULT_EXPIRE_TOKEN:
    case FAULT_REVOKE_TOKEN:
        cred_expire(&pw->cred, kind == FAULT_REVOKE_TOKEN);
        break;
    default:
        break;
    }
}
