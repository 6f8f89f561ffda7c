/*
 * sim_youtube.c - the YouTube front door of the simulator: routing, access tokens, Google
 * error bodies, the OAuth token endpoint and the faults.
 *
 * Served under /youtube (api_base http://HOST:PORT/youtube, api_base2 .../youtube/analytics):
 *   GET  /youtube/v3/channels, /youtube/v3/playlistItems, /youtube/v3/videos
 *        (sim_youtube_data.c, reference §5.2)
 *   GET  /analytics/v2/reports (sim_youtube_analytics.c, §5.3)
 *   POST /token  grant_type=refresh_token&client_id=&client_secret=&refresh_token=
 *        -> {"access_token","expires_in":3599,"scope","token_type":"Bearer"}: no new refresh
 *        token (Google does not rotate them); a dead one is 400 {"error":"invalid_grant",
 *        "error_description":"Token has been expired or revoked."} (§5.1, §12)
 * Access tokens as "Authorization: Bearer" or access_token= (Google accepts both). A missing
 * token is 401 reason "required", a bad or expired one 401 reason "authError", both with
 * status UNAUTHENTICATED and a WWW-Authenticate header (§11). Unknown paths get Google's
 * HTML 404 page.
 * Faults (tests/sim/README.md): throttle without `seconds` is the daily quota, 403
 * quotaExceeded (domain youtube.quota on the Data API, usageLimits on Analytics); with
 * `seconds` it is a short-term rate limit, 403 rateLimitExceeded on the Data API and 429
 * RESOURCE_EXHAUSTED with Retry-After on Analytics and the token endpoint (§5.4, §11).
 * server_error is 503 backendError.
 */
#include "sim_youtube.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define JSON_GOOGLE "application/json; charset=UTF-8"

/* ---- answers -------------------------------------------------------------------------------- */

void yt_begin(struct http_req *r, struct jw *j)
{
    http_answer(r, 200, JSON_GOOGLE);
    jw_init(j, &r->body, JW_UTF8);
}

void yt_error(struct http_req *r, const struct google_error *e)
{
    struct jw j;
    http_answer(r, e->status, JSON_GOOGLE);
    jw_init(&j, &r->body, JW_UTF8);
    jw_obj(&j);
    jw_kobj(&j, "error");
    jw_kint(&j, "code", e->status);
    jw_kstr(&j, "message", e->message);
    jw_karr(&j, "errors");
    jw_obj(&j);
    jw_kstr(&j, "message", e->inner ? e->inner : e->message);
    jw_kstr(&j, "domain", e->domain);
    jw_kstr(&j, "reason", e->reason);
    if (e->location) {
        jw_kstr(&j, "location", e->location);
        jw_kstr(&j, "locationType", e->location_type);
    }
    jw_end(&j);
    jw_end(&j);
    jw_kstr(&j, "status", e->grpc_status);
    jw_end(&j);
    jw_end(&j);
}

void yt_bad_request(struct http_req *r, const char *message)
{
    struct google_error e = {.status = 400,
                             .message = message,
                             .domain = "global",
                             .reason = "badRequest",
                             .grpc_status = "INVALID_ARGUMENT"};
    yt_error(r, &e);
}

void yt_bad_param(struct http_req *r, const char *param, const char *reason, const char *domain,
                  const char *message)
{
    struct google_error e = {.status = 400,
                             .message = message,
                             .domain = domain,
                             .reason = reason,
                             .location = param,
                             .location_type = "parameter",
                             .grpc_status = "INVALID_ARGUMENT"};
    yt_error(r, &e);
}

void yt_etag(const struct yt_world *yt, const struct world *w, const char *tag, char *out)
{
    uint64_t h = 0xCBF29CE484222325ULL;
    struct rng r;
    for (const char *p = tag; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001B3ULL;
    r.s = mix64(w->seed ^ h, ((uint64_t)w->generation << 32) | yt->nvideos);
    rng_alnum(&r, out, "", 27);
}

static void not_found(struct http_req *r)
{
    http_answer(r, 404, "text/html; charset=UTF-8");
    buf_printf(&r->body,
               "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n"
               "  <title>Error 404 (Not Found)!!1</title>\n"
               "  <p><b>404.</b> <ins>That’s an error.</ins>\n"
               "  <p>The requested URL <code>%.200s</code> was not found on this server.  "
               "<ins>That’s all we know.</ins>\n",
               r->sub);
}

/* ---- access tokens -------------------------------------------------------------------------- */

static bool authorized(struct yt_world *yt, struct http_req *r)
{
    const char *token = http_bearer(r);
    if (!token)
        token = http_param(r, "access_token");
    if (cred_check(&yt->cred, token) == CRED_VALID)
        return true;
    struct google_error e = {.status = 401,
                             .message = "Request had invalid authentication credentials. "
                                        "Expected OAuth 2 access token, login cookie or other "
                                        "valid authentication credential. See https://"
                                        "developers.google.com/identity/sign-in/web/"
                                        "devconsole-project.",
                             .domain = "global",
                             .reason = "authError",
                             .location = "Authorization",
                             .location_type = "header",
                             .grpc_status = "UNAUTHENTICATED",
                             .inner = "Invalid Credentials"};
    if (!token) {
        e.message = "Request is missing required authentication credential. Expected OAuth 2 "
                    "access token, login cookie or other valid authentication credential. See "
                    "https://developers.google.com/identity/sign-in/web/devconsole-project.";
        e.reason = "required";
        e.inner = "Login Required.";
    }
    yt_error(r, &e);
    http_set_header(r, "WWW-Authenticate",
                    token ? "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\""
                          : "Bearer realm=\"https://accounts.google.com/\"");
    return false;
}

/* ---- OAuth 2.0 token endpoint --------------------------------------------------------------- */

static void oauth_error(struct http_req *r, int status, const char *error, const char *desc)
{
    struct jw j;
    http_answer(r, status, JSON_GOOGLE);
    jw_init(&j, &r->body, JW_UTF8);
    jw_obj(&j);
    jw_kstr(&j, "error", error);
    jw_kstr(&j, "error_description", desc);
    jw_end(&j);
}

/* The client from the form (client_id, client_secret) or from HTTP Basic. */
static bool client_ok(const struct yt_world *yt, const struct http_req *r)
{
    const char *auth = http_header(r, "Authorization");
    const char *id = http_form(r, "client_id"), *secret = http_form(r, "client_secret");
    char pair[256];
    if (auth && strncasecmp(auth, "Basic ", 6) == 0) {
        unsigned char dec[256];
        int n = b64_decode(auth + 6, dec, sizeof dec - 1);
        if (n < 0)
            return false;
        dec[n] = '\0';
        snprintf(pair, sizeof pair, "%s:%s", yt->client_id, yt->client_secret);
        return strcmp((const char *)dec, pair) == 0;
    }
    return id && secret && strcmp(id, yt->client_id) == 0 && strcmp(secret, yt->client_secret) == 0;
}

static bool refresh_ok(const struct yt_world *yt, const char *rt)
{
    size_t n = strlen(YT_REFRESH_PREFIX);
    return rt && strncmp(rt, YT_REFRESH_PREFIX, n) == 0 && cred_refresh_ok(&yt->cred, rt + n);
}

static void token_answer(struct yt_world *yt, struct http_req *r)
{
    char keep[CRED_MAX];
    struct jw j;
    /* A new access token; Google keeps the refresh token (no rotation, reference §12). */
    memcpy(keep, yt->cred.refresh, sizeof keep);
    cred_rotate(&yt->cred);
    memcpy(yt->cred.refresh, keep, sizeof keep);
    yt_begin(r, &j);
    jw_obj(&j);
    jw_kstr(&j, "access_token", yt->cred.access);
    jw_kint(&j, "expires_in", 3599);
    jw_kstr(&j, "scope",
            "https://www.googleapis.com/auth/youtube.readonly "
            "https://www.googleapis.com/auth/yt-analytics.readonly");
    jw_kstr(&j, "token_type", "Bearer");
    jw_end(&j);
}

static void serve_token(struct yt_world *yt, struct http_req *r)
{
    const char *grant = http_form(r, "grant_type"), *rt = http_form(r, "refresh_token");
    char desc[128];
    if (r->method != EVHTTP_REQ_POST)
        not_found(r);
    else if (!grant)
        oauth_error(r, 400, "invalid_request", "Required parameter is missing: grant_type");
    else if (strcmp(grant, "refresh_token") != 0) {
        snprintf(desc, sizeof desc, "Invalid grant_type: %.60s", grant);
        oauth_error(r, 400, "unsupported_grant_type", desc);
    } else if (!client_ok(yt, r))
        oauth_error(r, 401, "invalid_client", "The OAuth client was not found.");
    else if (!rt)
        oauth_error(r, 400, "invalid_request", "Missing required parameter: refresh_token");
    else if (!refresh_ok(yt, rt))
        oauth_error(r, 400, "invalid_grant", "Token has been expired or revoked.");
    else
        token_answer(yt, r);
}

/* ---- dispatch ------------------------------------------------------------------------------- */

void sim_youtube_serve(void *pd, const struct world *w, struct http_req *r)
{
    struct yt_world *yt = pd;
    const char *s = r->sub;
    yt->requests++;
    if (strcmp(s, "/token") == 0) {
        serve_token(yt, r);
        return;
    }
    bool data = strncmp(s, "/youtube/v3/", 12) == 0,
         analytics = strcmp(s, "/analytics/v2/reports") == 0;
    if ((!data && !analytics) || r->method != EVHTTP_REQ_GET) {
        not_found(r);
        return;
    }
    if (!authorized(yt, r))
        return;
    if (analytics)
        yt_reports(yt, w, r);
    else if (strcmp(s + 12, "channels") == 0)
        yt_channels(yt, w, r);
    else if (strcmp(s + 12, "playlistItems") == 0)
        yt_playlist_items(yt, w, r);
    else if (strcmp(s + 12, "videos") == 0)
        yt_videos(yt, w, r);
    else
        not_found(r);
}

static void throttle(struct http_req *r, int seconds)
{
    bool data = strncmp(r->sub, "/youtube/v3/", 12) == 0;
    char v[16];
    struct google_error e = {.status = 403,
                             .message = "The request cannot be completed because you have "
                                        "exceeded your <a href=\"/youtube/v3/getting-started"
                                        "#quota\">quota</a>.",
                             .domain = data ? "youtube.quota" : "usageLimits",
                             .reason = "quotaExceeded",
                             .grpc_status = "PERMISSION_DENIED"};
    if (seconds >= 0 && data) {
        e.message = "The request cannot be completed because you have exceeded your rate limit.";
        e.domain = "usageLimits";
        e.reason = "rateLimitExceeded";
    } else if (seconds >= 0) {
        e.status = 429;
        e.message = "Resource has been exhausted (e.g. check quota).";
        e.domain = "global";
        e.reason = "rateLimitExceeded";
        e.grpc_status = "RESOURCE_EXHAUSTED";
    }
    yt_error(r, &e);
    if (e.status == 429) {
        snprintf(v, sizeof v, "%d", seconds);
        http_set_header(r, "Retry-After", v);
    }
}

void sim_youtube_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                       int seconds)
{
    struct yt_world *yt = pd;
    struct google_error unavailable = {.status = 503,
                                       .message = "The service is currently unavailable.",
                                       .domain = "global",
                                       .reason = "backendError",
                                       .grpc_status = "UNAVAILABLE"};
    (void)w;
    yt->requests++;
    switch (kind) {
    case FAULT_THROTTLE:
        throttle(r, strcmp(r->sub, "/token") == 0 && seconds < 0 ? 1 : seconds);
        break;
    case FAULT_SERVER_ERROR:
        yt_error(r, &unavailable);
        break;
    case FAULT_EXPIRE_TOKEN:
    case FAULT_REVOKE_TOKEN:
        cred_expire(&yt->cred, kind == FAULT_REVOKE_TOKEN);
        break;
    default:
        break;
    }
}
