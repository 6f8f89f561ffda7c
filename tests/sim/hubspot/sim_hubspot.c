/*
 * sim_hubspot.c - the HubSpot CRM API front door of the simulator: routing, the private-app
 * token, error bodies, rate limits, deal pipelines and deal-to-contact associations.
 *
 * Served under /hubspot (reference §7, README "Streams and records", hubspot.*):
 *   POST /crm/v3/objects/contacts/search, /crm/v3/objects/deals/search (sim_hubspot_search.c)
 *   GET  /crm/v3/objects/contacts, /crm/v3/objects/deals: the list endpoints
 *        (sim_hubspot_list.c)
 *   GET  /crm/v3/pipelines/deals[/{pipelineId}] -> {"results":[{"id","label","displayOrder",
 *        "stages":[{"id","label","displayOrder","metadata":{"isClosed":"false",
 *        "probability":"0.2"},...}],...}]}; metadata values are strings
 *   POST /crm/v4/associations/deals/contacts/batch/read {"inputs":[{"id":"..."}]} (at most
 *        1000) -> {"status":"COMPLETE","results":[{"from":{"id"},"to":[{"toObjectId":<number>,
 *        "associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":3,"label":null}]}]}],...};
 *        unknown deals make it a 207 with "errors" (NO_ASSOCIATIONS_FOUND)
 *   POST /oauth/v1/token -> 400 BAD_REFRESH_TOKEN: a private-app token is never refreshed
 * Tokens: "Authorization: Bearer pat-na1-..." (401 INVALID_AUTHENTICATION, or
 * EXPIRED_AUTHENTICATION for a token killed by expire_token). Errors are {"status":"error",
 * "message","correlationId","category"} (reference §7.4). The search endpoints share a token
 * bucket of 5 requests per second per portal and answer 429 {"status":"error","message":
 * "You have reached your secondly limit.","errorType":"RATE_LIMIT","correlationId",
 * "policyName":"SECONDLY"} without rate-limit headers; the other endpoints share a rolling
 * window of 190 requests per 10 seconds (the Professional and Enterprise burst limit, HubSpot's
 * "API usage guidelines and limits" and changelog "Increasing our API limits") that the search
 * does not count against; they carry X-HubSpot-RateLimit-Interval-Milliseconds (10000), -Max
 * (190), -Remaining (what the window still lets through after this request), -Daily and
 * -Daily-Remaining, and past the window get 429 {"status":"error","message":"You have reached
 * your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId","policyName":
 * "TEN_SECONDLY_ROLLING"} with the same headers, Remaining 0 (reference §7.4).
 */
#include "sim_hubspot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "json.h"
#include "timeutil.h"
#include "xmalloc.h"

#define JSON_HS         "application/json;charset=utf-8"
#define SEARCH_PER_SEC  5
#define BURST_WINDOW_US 10000000
#define ASSOC_MAX_INPUT 1000

/* ---- answers -------------------------------------------------------------------------------- */

static void correlation(struct hs_ctx *c)
{
    static const char hex[] = "0123456789abcdef";
    struct rng r = {mix64(c->w->seed ^ 0x4855425350ULL, c->hs->requests)};
    char *o = c->correlation;
    for (int i = 0; i < 32; i++) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            *o++ = '-';
        *o++ = hex[rng_next(&r) % 16];
    }
    *o = '\0';
}

void hs_error(struct hs_ctx *c, int status, const char *category, const char *message)
{
    struct jw j;
    http_answer(c->r, status, JSON_HS);
    jw_init(&j, &c->r->body, JW_UTF8);
    jw_obj(&j);
    jw_kstr(&j, "status", "error");
    jw_kstr(&j, "message", message);
    jw_kstr(&j, "correlationId", c->correlation);
    jw_kstr(&j, "category", category);
    jw_end(&j);
}

void hs_begin(struct hs_ctx *c, struct jw *j)
{
    http_answer(c->r, 200, JSON_HS);
    jw_init(j, &c->r->body, JW_UTF8);
}

cJSON *hs_body(struct hs_ctx *c)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(c->r->req);
    size_t len = evbuffer_get_length(in);
    char *body = xmalloc(len + 1), why[128], msg[200];
    evbuffer_copyout(in, body, len);
    body[len] = '\0';
    cJSON *o = json_parse(body, len, why, sizeof why);
    free(body);
    if (!o) {
        snprintf(msg, sizeof msg, "Invalid input JSON: %s", why);
        hs_error(c, 400, "VALIDATION_ERROR", msg);
    }
    return o;
}

static void refuse(struct hs_ctx *c, const char *message, const char *policy)
{
    struct jw j;
    http_answer(c->r, 429, JSON_HS);
    jw_init(&j, &c->r->body, JW_UTF8);
    jw_obj(&j);
    jw_kstr(&j, "status", "error");
    jw_kstr(&j, "message", message);
    jw_kstr(&j, "errorType", "RATE_LIMIT");
    jw_kstr(&j, "correlationId", c->correlation);
    jw_kstr(&j, "policyName", policy);
    jw_end(&j);
}

static void rate_limit(struct hs_ctx *c)
{
    refuse(c, "You have reached your secondly limit.", "SECONDLY");
}

/* The search bucket: SEARCH_PER_SEC tokens a second, as many at most. */
static bool take_search_token(struct hs_world *hs)
{
    int64_t now = time_mono_us();
    if (hs->refill_us == 0)
        hs->refill_us = now;
    hs->tokens += (double)(now - hs->refill_us) * SEARCH_PER_SEC / 1e6;
    if (hs->tokens > SEARCH_PER_SEC)
        hs->tokens = SEARCH_PER_SEC;
    hs->refill_us = now;
    if (hs->tokens < 1)
        return false;
    hs->tokens -= 1;
    return true;
}

/*
 * The rolling ten-second window of the other endpoints: lets a request through when fewer than
 * HS_BURST_MAX went through in the last ten seconds; *left is how many more it would let through
 * now. The ring is written in order, so its next slot is the oldest.
 */
static bool take_burst(struct hs_world *hs, int *left)
{
    int64_t now = time_mono_us();
    int used = 0;
    for (size_t i = 0; i < HS_BURST_MAX; i++)
        if (hs->burst[i] && now - hs->burst[i] < BURST_WINDOW_US)
            used++;
    if (used >= HS_BURST_MAX) {
        *left = 0;
        return false;
    }
    hs->burst[hs->burst_next] = now;
    hs->burst_next = (hs->burst_next + 1) % HS_BURST_MAX;
    *left = HS_BURST_MAX - used - 1;
    return true;
}

static void usage_headers(struct hs_ctx *c, int left)
{
    char v[32];
    http_set_header(c->r, "X-HubSpot-RateLimit-Interval-Milliseconds", "10000");
    snprintf(v, sizeof v, "%d", HS_BURST_MAX);
    http_set_header(c->r, "X-HubSpot-RateLimit-Max", v);
    snprintf(v, sizeof v, "%d", left);
    uint64_t n = c->w->no_rate_limits ? 0 : c->hs->requests; /* full budgets then */
    http_set_header(c->r, "X-HubSpot-RateLimit-Remaining", v);
    http_set_header(c->r, "X-HubSpot-RateLimit-Daily", "625000");
    snprintf(v, sizeof v, "%d", 625000 - (int)(n % 625000));
    http_set_header(c->r, "X-HubSpot-RateLimit-Daily-Remaining", v);
}

static bool authorized(struct hs_ctx *c)
{
    const char *token = http_bearer(c->r);
    switch (cred_check(&c->hs->cred, token)) {
    case CRED_VALID:
        return true;
    case CRED_EXPIRED:
        hs_error(c, 401, "EXPIRED_AUTHENTICATION",
                 "The OAuth token used to make this call expired 0 day(s) ago.");
        return false;
    default:
        hs_error(c, 401, "INVALID_AUTHENTICATION",
                 "Authentication credentials not found. This API supports OAuth 2.0 "
                 "authentication and you can find more details at "
                 "https://developers.hubspot.com/docs/methods/auth/oauth-overview");
        return false;
    }
}

/* ---- pipelines ------------------------------------------------------------------------------ */

static void stage_json(struct jw *j, const struct hs_pipeline *p, int s)
{
    char ts[40];
    jw_obj(j);
    jw_kstr(j, "label", p->stages[s].label);
    jw_kint(j, "displayOrder", s);
    jw_kobj(j, "metadata");
    jw_kstr(j, "isClosed", s >= p->nstages - 2 ? "true" : "false");
    jw_kstr(j, "probability", p->stages[s].probability);
    jw_end(j);
    jw_kstr(j, "id", p->stages[s].id);
    hs_fmt_ms(p->created_ms + s, ts, sizeof ts);
    jw_kstr(j, "createdAt", ts);
    jw_kstr(j, "updatedAt", ts);
    jw_kbool(j, "archived", false);
    jw_kstr(j, "writePermissions", "CRM_PERMISSIONS_ENFORCEMENT");
    jw_end(j);
}

static void pipeline_json(struct jw *j, const struct hs_pipeline *p, int order)
{
    char ts[40];
    jw_obj(j);
    jw_kstr(j, "label", p->label);
    jw_kint(j, "displayOrder", order);
    jw_kstr(j, "id", p->id);
    jw_karr(j, "stages");
    for (int s = 0; s < p->nstages; s++)
        stage_json(j, p, s);
    jw_end(j);
    hs_fmt_ms(p->created_ms, ts, sizeof ts);
    jw_kstr(j, "createdAt", ts);
    jw_kstr(j, "updatedAt", ts);
    jw_kbool(j, "archived", false);
    jw_end(j);
}

static void pipelines(struct hs_ctx *c, const char *one)
{
    struct jw j;
    for (int p = 0; one && p <= PP_NPIPES; p++) {
        if (p == PP_NPIPES) {
            hs_error(c, 404, "OBJECT_NOT_FOUND", "Unable to find pipeline");
            return;
        }
        if (strcmp(c->hs->pipes[p].id, one) == 0) {
            hs_begin(c, &j);
            pipeline_json(&j, &c->hs->pipes[p], p);
            return;
        }
    }
    hs_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "results");
    for (int p = 0; p < PP_NPIPES; p++)
        pipeline_json(&j, &c->hs->pipes[p], p);
    jw_end(&j);
    jw_end(&j);
}

/* The wall clock in ms, kept inside the world's today. */
static int64_t now_ms(const struct world *w)
{
    int64_t t = time_wall_us() / 1000, start = day_start_utc(w->today) * 1000;
    return t < start ? start : t >= start + 86400000 ? start + 86399999 : t;
}

/* ---- associations --------------------------------------------------------------------------- */

static size_t deal_find(const struct hs_world *hs, const char *id)
{
    char *end;
    unsigned long long v = strtoull(id, &end, 10);
    for (size_t i = 0; *id && !*end && i < hs->ndeals; i++)
        if (hs->deals[i].id == v)
            return i;
    return PP_NONE;
}

static void association(struct hs_ctx *c, struct jw *j, size_t deal)
{
    uint64_t who[2];
    hs_deal_contacts(c->hs, c->w, &c->hs->deals[deal], who);
    jw_obj(j);
    jw_kobj(j, "from");
    jw_kstrf(j, "id", "%llu", (unsigned long long)c->hs->deals[deal].id);
    jw_end(j);
    jw_karr(j, "to");
    for (int k = 0; k < 2 && who[k]; k++) {
        jw_obj(j);
        jw_kuint(j, "toObjectId", who[k]);
        jw_karr(j, "associationTypes");
        jw_obj(j);
        jw_kstr(j, "category", "HUBSPOT_DEFINED");
        jw_kint(j, "typeId", 3);
        jw_knull(j, "label");
        jw_end(j);
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
    jw_end(j);
}

static void missing(struct hs_ctx *c, struct jw *j, const char *const *ids, size_t n)
{
    jw_kint(j, "numErrors", (int64_t)n);
    jw_karr(j, "errors");
    for (size_t i = 0; i < n; i++) {
        jw_obj(j);
        jw_kstr(j, "status", "error");
        jw_kstr(j, "category", "OBJECT_NOT_FOUND");
        jw_kstr(j, "subCategory", "crm.associations.NO_ASSOCIATIONS_FOUND");
        jw_kobj(j, "context");
        jw_karr(j, "fromObjectId");
        jw_str(j, ids[i]);
        jw_end(j);
        jw_end(j);
        jw_kstrf(j, "message", "No contacts are associated with deal %.40s.", ids[i]);
        jw_end(j);
    }
    jw_end(j);
    (void)c;
}

static void associations(struct hs_ctx *c)
{
    cJSON *body = hs_body(c);
    const cJSON *inputs = json_get(body, "inputs"), *in;
    char ts[40];
    struct jw j;
    if (!body)
        return;
    if (!cJSON_IsArray(inputs) || cJSON_GetArraySize(inputs) > ASSOC_MAX_INPUT) {
        hs_error(c, 400, "VALIDATION_ERROR", "inputs must be an array of at most 1000 {\"id\"}");
        cJSON_Delete(body);
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(inputs), nbad = 0;
    const char **bad = xcalloc(n + 1, sizeof *bad);
    hs_begin(c, &j);
    jw_obj(&j);
    jw_kstr(&j, "status", "COMPLETE");
    jw_karr(&j, "results");
    cJSON_ArrayForEach(in, inputs)
    {
        const char *id = NULL;
        size_t d = json_str(in, "id", &id) == JSON_OK ? deal_find(c->hs, id) : PP_NONE;
        if (d != PP_NONE)
            association(c, &j, d);
        else
            bad[nbad++] = id ? id : "";
    }
    jw_end(&j);
    if (nbad)
        missing(c, &j, bad, nbad);
    hs_fmt_ms(now_ms(c->w), ts, sizeof ts);
    jw_kstr(&j, "startedAt", ts);
    jw_kstr(&j, "completedAt", ts);
    jw_end(&j);
    if (nbad)
        c->r->status = 207;
    free(bad);
    cJSON_Delete(body);
}

/* ---- routing -------------------------------------------------------------------------------- */

static void token_endpoint(struct hs_ctx *c)
{
    struct jw j;
    http_answer(c->r, 400, JSON_HS);
    jw_init(&j, &c->r->body, JW_UTF8);
    jw_obj(&j);
    jw_kstr(&j, "status", "BAD_REFRESH_TOKEN");
    jw_kstr(&j, "message", "missing or unknown refresh token");
    jw_kstr(&j, "correlationId", c->correlation);
    jw_end(&j);
}

static bool is(const struct hs_ctx *c, enum evhttp_cmd_type m, const char *path)
{
    return c->r->method == m && strcmp(c->r->sub, path) == 0;
}

static void route(struct hs_ctx *c)
{
    const char *sub = c->r->sub;
    if (is(c, EVHTTP_REQ_POST, "/crm/v3/objects/contacts/search") ||
        is(c, EVHTTP_REQ_POST, "/crm/v3/objects/deals/search")) {
        if (!c->w->no_rate_limits && !take_search_token(c->hs))
            rate_limit(c);
        else
            hs_search(c, strstr(sub, "/contacts/") ? HS_CONTACTS : HS_DEALS);
        return;
    }
    int left = HS_BURST_MAX - 1; /* without rate limits: the full budget, always */
    bool through = c->w->no_rate_limits || take_burst(c->hs, &left);
    usage_headers(c, left);
    if (!through)
        refuse(c, "You have reached your ten_secondly_rolling limit.", "TEN_SECONDLY_ROLLING");
    else if (is(c, EVHTTP_REQ_GET, "/crm/v3/objects/contacts"))
        hs_list(c, HS_CONTACTS);
    else if (is(c, EVHTTP_REQ_GET, "/crm/v3/objects/deals"))
        hs_list(c, HS_DEALS);
    else if (c->r->method == EVHTTP_REQ_GET && strcmp(sub, "/crm/v3/pipelines/deals") == 0)
        pipelines(c, NULL);
    else if (c->r->method == EVHTTP_REQ_GET && strncmp(sub, "/crm/v3/pipelines/deals/", 24) == 0)
        pipelines(c, sub + 24);
    else if (is(c, EVHTTP_REQ_POST, "/crm/v4/associations/deals/contacts/batch/read"))
        associations(c);
    else
        hs_error(c, 404, "OBJECT_NOT_FOUND", "No route matches the request's method and path");
}

void sim_hubspot_serve(void *pd, const struct world *w, struct http_req *r)
{
    struct hs_ctx c = {.hs = pd, .w = w, .r = r};
    c.hs->requests++;
    correlation(&c);
    if (strcmp(r->sub, "/oauth/v1/token") == 0)
        token_endpoint(&c);
    else if (authorized(&c))
        route(&c);
}

void sim_hubspot_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                       int seconds)
{
    struct hs_ctx c = {.hs = pd, .w = w, .r = r};
    (void)seconds;
    c.hs->requests++;
    correlation(&c);
    switch (kind) {
    case FAULT_THROTTLE:
        rate_limit(&c);
        break;
    case FAULT_SERVER_ERROR:
        hs_error(&c, 502, "INTERNAL_ERROR", "Bad Gateway: the request could not be completed");
        break;
    case FAULT_EXPIRE_TOKEN:
    case FAULT_REVOKE_TOKEN: /* a new private-app token, as after rotating it in HubSpot */
        cred_expire(&c.hs->cred, kind == FAULT_REVOKE_TOKEN);
        break;
    default:
        break;
    }
}
