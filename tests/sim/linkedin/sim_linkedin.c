/*
 * sim_linkedin.c - the LinkedIn Marketing API front door of the simulator: routing, required
 * headers, access tokens, error bodies, query tunneling and the token refresh.
 *
 * Served under /linkedin (reference §4, README "Streams and records", linkedin.*):
 *   POST /oauth/v2/accessToken  (form: grant_type=refresh_token, refresh_token, client_id,
 *        client_secret) -> {"access_token","expires_in":5184000,"refresh_token",
 *        "refresh_token_expires_in","scope"}; the refresh token keeps its value and its end,
 *        fixed at the first authorization (§4.1, §12)
 *   GET /rest/organizationalEntityFollowerStatistics, /rest/organizationalEntityShareStatistics,
 *       /rest/networkSizes/{organization urn}, /rest/adAccounts/{id},
 *       /rest/adAccounts/{id}/adCampaigns, /rest/adAnalytics, /rest/leadFormResponses; with a
 *       member's own token /rest/posts?q=author and /rest/memberCreatorPostAnalytics
 *       (sim_linkedin_member.c), which the organization's token may not read, nor a member's
 *       token the organization's resources (403 ACCESS_DENIED)
 * Every /rest call needs "Authorization: Bearer", "LinkedIn-Version: YYYYMM" of the last
 * twelve months (none: 400 VERSION_MISSING; another: 426 NONEXISTENT_VERSION "Requested
 * version 20241101 is not active") and "X-Restli-Protocol-Version: 2.0.0" (400 without it).
 * A long query may be tunneled: POST with "X-HTTP-Method-Override: GET" and the query as an
 * x-www-form-urlencoded body (§4.2). Errors (§4.7, §11): 401 {"status":401,
 * "serviceErrorCode":65600,"code":"INVALID_ACCESS_TOKEN","message":"Invalid access token"}
 * (65601 revoked, 65602 expired), 403 ACCESS_DENIED for another account's data, 404 for
 * unknown resources, 400 {"message","status":400} for bad parameters; the daily quota is a
 * 429 without any header (fault throttle).
 */
#include "sim_linkedin.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "timeutil.h"
#include "xmalloc.h"

#define JSON_LI "application/json"

/* ---- answers -------------------------------------------------------------------------------- */

void li_error(struct li_ctx *c, int status, int service, const char *code, const char *message)
{
    struct jw j;
    http_answer(c->r, status, JSON_LI);
    jw_init(&j, &c->r->body, JW_UTF8);
    jw_obj(&j);
    if (code) {
        jw_kint(&j, "status", status);
        if (service)
            jw_kint(&j, "serviceErrorCode", service);
        jw_kstr(&j, "code", code);
        jw_kstr(&j, "message", message);
    } else {
        jw_kstr(&j, "message", message);
        if (service)
            jw_kint(&j, "serviceErrorCode", service);
        jw_kint(&j, "status", status);
    }
    jw_end(&j);
}

void li_bad(struct li_ctx *c, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    li_error(c, 400, 0, NULL, msg);
}

void li_begin(struct li_ctx *c, struct jw *j)
{
    http_answer(c->r, 200, JSON_LI);
    jw_init(j, &c->r->body, JW_UTF8);
}

void li_paging(struct jw *j, int64_t start, int64_t count, int64_t total)
{
    jw_kobj(j, "paging");
    jw_kint(j, "start", start);
    jw_kint(j, "count", count);
    jw_karr(j, "links");
    jw_end(j);
    if (total >= 0)
        jw_kint(j, "total", total);
    jw_end(j);
}

static void not_found(struct li_ctx *c)
{
    li_error(c, 404, 0, "NOT_FOUND", "No virtual resource found");
}

/* ---- headers and tokens --------------------------------------------------------------------- */

static bool authorized(struct li_ctx *c)
{
    const char *token = http_bearer(c->r);
    if (!token) {
        li_error(c, 401, 401, NULL, "Empty oauth2_access_token");
        return false;
    }
    enum cred_state state = cred_check(&c->li->cred, token);
    if (state == CRED_UNKNOWN)
        c->member = li_member_by_token(c->li, token, &state);
    switch (state) {
    case CRED_VALID:
        return true;
    case CRED_EXPIRED:
        li_error(c, 401, 65602, "EXPIRED_ACCESS_TOKEN",
                 "The token used in the request has expired");
        return false;
    case CRED_REVOKED:
        li_error(c, 401, 65601, "REVOKED_ACCESS_TOKEN",
                 "The token used in the request has been revoked by the user");
        return false;
    default:
        li_error(c, 401, 65600, "INVALID_ACCESS_TOKEN", "Invalid access token");
        return false;
    }
}

/* YYYYMM (or YYYYMM.NN) of the twelve months up to the world's today. */
static bool version_active(const struct li_ctx *c, const char *v)
{
    int y;
    unsigned m, d;
    size_t n = strlen(v);
    if ((n != 6 && n != 9) || strspn(v, "0123456789") != 6 ||
        (n == 9 && (v[6] != '.' || strspn(v + 7, "0123456789") != 2)))
        return false;
    int vy = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
    int vm = (v[4] - '0') * 10 + (v[5] - '0');
    time_civil_from_days(c->w->today, &y, &m, &d);
    int age = (y * 12 + (int)m) - (vy * 12 + vm);
    return vm >= 1 && vm <= 12 && age >= 0 && age <= 12;
}

static bool versioned(struct li_ctx *c)
{
    const char *v = http_header(c->r, "LinkedIn-Version");
    const char *p = http_header(c->r, "X-Restli-Protocol-Version");
    char msg[160];
    if (!v || !*v) {
        li_error(c, 400, 0, "VERSION_MISSING",
                 "A version must be present. Please specify a version by adding the "
                 "LinkedIn-Version header.");
        return false;
    }
    if (!version_active(c, v)) {
        snprintf(msg, sizeof msg, "Requested version %.6s%s is not active", v,
                 strlen(v) == 6 && strspn(v, "0123456789") == 6 ? "01" : "");
        li_error(c, 426, 0, "NONEXISTENT_VERSION", msg);
        return false;
    }
    if (!p || strcmp(p, "2.0.0") != 0) {
        li_bad(c, "Rest.li protocol 2.0.0 is required for this resource: send the header "
                  "X-Restli-Protocol-Version: 2.0.0");
        return false;
    }
    return true;
}

static void token_error(struct li_ctx *c, int status, const char *error, const char *desc)
{
    struct jw j;
    http_answer(c->r, status, JSON_LI);
    jw_init(&j, &c->r->body, JW_UTF8);
    jw_obj(&j);
    jw_kstr(&j, "error", error);
    jw_kstr(&j, "error_description", desc);
    jw_end(&j);
}

/* A member's refresh token: a new access token, the same refresh token. False when none. */
static bool member_refresh(struct li_ctx *c, const char *rt)
{
    for (int i = 0; i < LI_MEMBERS; i++) {
        struct li_member *m = &c->li->members[i];
        if (!cred_refresh_ok(&m->cred, rt))
            continue;
        char keep[CRED_MAX];
        struct jw j;
        int64_t now = li_now(c->w);
        memcpy(keep, m->cred.refresh, sizeof keep);
        cred_rotate(&m->cred);
        memcpy(m->cred.refresh, keep, sizeof keep);
        li_begin(c, &j);
        jw_obj(&j);
        jw_kstr(&j, "access_token", m->cred.access);
        jw_kint(&j, "expires_in", 5184000);
        jw_kstr(&j, "refresh_token", m->cred.refresh);
        jw_kint(&j, "refresh_token_expires_in", c->li->refresh_expires - now);
        jw_kstr(&j, "scope", "r_member_postAnalytics,r_member_social");
        jw_end(&j);
        return true;
    }
    return false;
}

static void token_refresh(struct li_ctx *c)
{
    struct li_world *li = c->li;
    const char *grant = http_form(c->r, "grant_type"), *rt = http_form(c->r, "refresh_token");
    const char *id = http_form(c->r, "client_id"), *secret = http_form(c->r, "client_secret");
    if (c->r->method != EVHTTP_REQ_POST)
        token_error(c, 405, "invalid_request", "The access token endpoint takes a POST");
    else if (!grant || strcmp(grant, "refresh_token") != 0 || !rt)
        token_error(c, 400, "invalid_request",
                    "A required parameter \"grant_type\" (refresh_token) or \"refresh_token\" is "
                    "missing");
    else if (!id || !secret || strcmp(id, li->client_id) != 0 ||
             strcmp(secret, li->client_secret) != 0)
        token_error(c, 401, "invalid_client", "Client authentication failed");
    else if (!cred_refresh_ok(&li->cred, rt) && member_refresh(c, rt))
        return; /* a member's token, answered */
    else if (!cred_refresh_ok(&li->cred, rt))
        token_error(c, 400, "invalid_grant",
                    "The provided authorization grant or refresh token is invalid, expired or "
                    "revoked.");
    else {
        char keep[CRED_MAX];
        struct jw j;
        int64_t now = li_now(c->w);
        memcpy(keep, li->cred.refresh, sizeof keep);
        cred_rotate(&li->cred); /* LinkedIn does not rotate the refresh token */
        memcpy(li->cred.refresh, keep, sizeof keep);
        li->token_expires = now + 5184000;
        li_begin(c, &j);
        jw_obj(&j);
        jw_kstr(&j, "access_token", li->cred.access);
        jw_kint(&j, "expires_in", 5184000);
        jw_kstr(&j, "refresh_token", li->cred.refresh);
        jw_kint(&j, "refresh_token_expires_in", li->refresh_expires - now);
        jw_kstr(&j, "scope",
                "r_ads,r_ads_reporting,r_marketing_leadgen_automation,r_organization_social,"
                "rw_organization_admin");
        jw_end(&j);
    }
}

/* ---- routing -------------------------------------------------------------------------------- */

/* A tunneled GET: the query is the form-encoded body of a POST. Returns false when not one. */
static bool tunneled(struct li_ctx *c)
{
    const char *o = http_header(c->r, "X-HTTP-Method-Override");
    if (c->r->method != EVHTTP_REQ_POST || !o || strcmp(o, "GET") != 0)
        return false;
    struct evbuffer *in = evhttp_request_get_input_buffer(c->r->req);
    size_t len = evbuffer_get_length(in);
    c->tunneled = xmalloc(len + 1);
    evbuffer_copyout(in, c->tunneled, len);
    c->tunneled[len] = '\0';
    c->query = c->tunneled;
    return true;
}

static void route(struct li_ctx *c)
{
    const char *res = c->resource;
    char what[128];
    if (strcmp(res, "posts") == 0 && !*c->rest) {
        li_member_posts(c);
        return;
    }
    if (strcmp(res, "memberCreatorPostAnalytics") == 0 && !*c->rest) {
        li_member_analytics(c);
        return;
    }
    if (c->member) { /* a member's token reads that member's own posts only */
        snprintf(what, sizeof what, "Not enough permissions to access: %s", res);
        li_error(c, 403, 100, "ACCESS_DENIED", what);
        return;
    }
    if (strcmp(res, "organizationalEntityFollowerStatistics") == 0 && !*c->rest)
        li_org_followers(c);
    else if (strcmp(res, "organizationalEntityShareStatistics") == 0 && !*c->rest)
        li_org_shares(c);
    else if (strcmp(res, "networkSizes") == 0 && *c->rest)
        li_network_size(c);
    else if (strcmp(res, "adAccounts") == 0 && *c->rest && strchr(c->rest + 1, '/'))
        li_ad_campaigns(c);
    else if (strcmp(res, "adAccounts") == 0 && *c->rest)
        li_ad_account(c);
    else if (strcmp(res, "adAnalytics") == 0 && !*c->rest)
        li_ad_analytics(c);
    else if (strcmp(res, "leadFormResponses") == 0 && !*c->rest)
        li_lead_responses(c);
    else
        not_found(c);
}

static void serve_rest(struct li_ctx *c, const char *path)
{
    size_t n = strcspn(path, "/");
    snprintf(c->resource, sizeof c->resource, "%.*s", (int)n, path);
    c->rest = path + n;
    if (!authorized(c) || !versioned(c))
        return;
    if (c->r->method != EVHTTP_REQ_GET && !tunneled(c)) {
        li_bad(c, "Unsupported method: the simulator serves the GET finders of %s", c->resource);
        return;
    }
    route(c);
}

void sim_linkedin_serve(void *pd, const struct world *w, struct http_req *r)
{
    struct li_ctx c = {.li = pd, .w = w, .r = r, .query = ""};
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(r->req);
    const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
    char uuid[32];
    struct rng rng = {mix64(w->seed, ++c.li->requests)};
    c.query = q ? q : "";
    rng_alnum(&rng, uuid, "", 22);
    http_set_header(r, "X-LI-UUID", uuid);
    http_set_header(r, "X-RestLi-Protocol-Version", "2.0.0");
    if (strcmp(r->sub, "/oauth/v2/accessToken") == 0)
        token_refresh(&c);
    else if (strncmp(r->sub, "/rest/", 6) == 0)
        serve_rest(&c, r->sub + 6);
    else
        not_found(&c);
    free(c.tunneled);
}

void sim_linkedin_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                        int seconds)
{
    struct li_ctx c = {.li = pd, .w = w, .r = r, .query = ""};
    (void)seconds;
    c.li->requests++;
    switch (kind) {
    case FAULT_THROTTLE: /* the daily quota: a bare 429, no Retry-After (reference §4.7) */
        li_error(&c, 429, 101, "TOO_MANY_REQUESTS",
                 "Resource level throttle APPLICATION DAY limit for calls to this resource is "
                 "reached.");
        break;
    case FAULT_SERVER_ERROR:
        li_error(&c, 500, 0, "INTERNAL_SERVER_ERROR", "Internal Server Error");
        break;
    case FAULT_EXPIRE_TOKEN:
    case FAULT_REVOKE_TOKEN:
        cred_expire(&c.li->cred, kind == FAULT_REVOKE_TOKEN);
        c.li->token_expires = li_now(w) + 5184000;
        break;
    default:
        break;
    }
}
