/*
 * control.c - /_world, /_truth, /_advance, /_faults, /_retire, /_outage and /_burst (contract:
 * tests/sim/README.md).
 *
 * /_truth is assembled from each platform's truth_json and totals_json, so it always
 * describes exactly the data the platform endpoints serve at the current generation.
 */
#include "control.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "accounts.h"
#include "log.h"
#include "retire.h"
#include "sim.h"
#include "timeutil.h"
#include "world_people.h"
#include "world_bridge.h"
#include "world_roi.h"
#include "xmalloc.h"

static void send_buf(struct evhttp_request *req, int status, struct buf *b)
{
    struct evbuffer *eb = evbuffer_new();
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evbuffer_add(eb, b->data ? b->data : "", b->len);
    evhttp_send_reply(req, status, NULL, eb);
    evbuffer_free(eb);
    buf_free(b);
}

/* A query parameter as a count: def when absent, -1 when not a number. */
static long long query_count(const struct http_req *r, const char *key, long long def)
{
    const char *v = http_param(r, key);
    char *end;
    if (!v)
        return def;
    long long n = strtoll(v, &end, 10);
    return *v && !*end && n >= 0 ? n : -1;
}

/* Accounts [from, from + count) of each platform, account 0 first when from is 0. */
static void accounts_json(struct accounts *a, size_t plat, size_t from, size_t count, struct jw *j)
{
    size_t n = accounts_count(a, plat);
    jw_obj(j);
    jw_karr(j, "accounts");
    for (size_t k = from; k < n && k - from < count; k++) {
        struct world *w = accounts_get(a, plat, k, false);
        sim_platforms[plat]->account_json(w->pdata[plat], w, j);
        accounts_release(a, plat, k);
    }
    jw_end(j);
    jw_end(j);
}

static void world_json(struct accounts *a, struct http_req *r)
{
    struct world *w = accounts_base(a);
    long long from = query_count(r, "from", 0), count = query_count(r, "count", ACCOUNTS_MAX);
    if (from < 0 || count < 0) {
        http_reply_json(r->req, 400, "{\"error\":\"from and count must be numbers\"}");
        return;
    }
    struct buf b = {0};
    struct jw j;
    char day[16];
    jw_init(&j, &b, JW_UTF8);
    fmt_date(w->today, day, sizeof day);
    jw_obj(&j);
    jw_kstr(&j, "today", day);
    jw_kuint(&j, "seed", w->seed);
    jw_kint(&j, "generation", w->generation);
    for (size_t i = 0; sim_platforms[i]; i++) {
        jw_key(&j, sim_platforms[i]->name);
        accounts_json(a, i, (size_t)from, (size_t)count, &j);
    }
    jw_key(&j, "campaigns");
    people_campaigns_json(w->people, &j);
    /* The rate as a decimal string, the way [fx] takes it: 1080000 micros -> "1.08". */
    jw_kobj(&j, "fx");
    jw_kstr(&j, "currency", SIM_HOME_CURRENCY);
    jw_kobj(&j, "rates");
    jw_kstr(&j, "EUR", roi_rate_text());
    jw_end(&j);
    jw_end(&j);
    jw_end(&j);
    send_buf(r->req, 200, &b);
}

/* /_truth?account=K (K >= 1): each platform's account K in /_truth's shape, without roi. */
static void extra_truth_json(struct accounts *a, size_t k, struct evhttp_request *req)
{
    struct world *base = accounts_base(a);
    struct buf b = {0};
    struct jw j;
    char day[16];
    jw_init(&j, &b, JW_UTF8);
    fmt_date(base->today, day, sizeof day);
    jw_obj(&j);
    jw_kstr(&j, "today", day);
    jw_kint(&j, "generation", base->generation);
    jw_kuint(&j, "account", k);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1)
            jw_kobj(&j, "totals");
        for (size_t i = 0; sim_platforms[i]; i++) {
            if (k >= accounts_count(a, i))
                continue;
            struct world *w = accounts_get(a, i, k, false);
            jw_key(&j, sim_platforms[i]->name);
            if (pass == 0)
                sim_platforms[i]->truth_json(w->pdata[i], w, &j);
            else
                sim_platforms[i]->totals_json(w->pdata[i], w, &j);
            accounts_release(a, i, k);
        }
    }
    jw_end(&j);
    jw_end(&j);
    send_buf(req, 200, &b);
}

static void truth_json(struct accounts *a, struct http_req *r)
{
    struct world *w = accounts_base(a);
    struct evhttp_request *req = r->req;
    long long k = query_count(r, "account", 0);
    if (k < 0 || k >= ACCOUNTS_MAX) {
        http_reply_json(req, 400, "{\"error\":\"account must be a number\"}");
        return;
    }
    if (k > 0) {
        extra_truth_json(a, (size_t)k, req);
        return;
    }
    struct buf b = {0};
    struct jw j;
    char day[16];
    jw_init(&j, &b, JW_UTF8);
    fmt_date(w->today, day, sizeof day);
    jw_obj(&j);
    jw_kstr(&j, "today", day);
    jw_kint(&j, "generation", w->generation);
    for (size_t i = 0; sim_platforms[i]; i++) {
        jw_key(&j, sim_platforms[i]->name);
        sim_platforms[i]->truth_json(w->pdata[i], w, &j);
    }
    jw_kobj(&j, "totals");
    for (size_t i = 0; sim_platforms[i]; i++) {
        jw_key(&j, sim_platforms[i]->name);
        sim_platforms[i]->totals_json(w->pdata[i], w, &j);
    }
    jw_end(&j);
    jw_key(&j, "roi");
    roi_truth_json(w, &j);
    jw_key(&j, "bridge");
    bridge_truth_json(w, &j);
    jw_end(&j);
    send_buf(req, 200, &b);
}

static void advance(struct accounts *a, struct evhttp_request *req)
{
    char body[64];
    unsigned g = accounts_advance(a);
    log_info("sim: advanced generation=%u", g);
    snprintf(body, sizeof body, "{\"generation\":%u}", g);
    http_reply_json(req, 200, body);
}

/* POST /_retire?platform=P&metric=M: from now on P's insights refuse M (error 100). */
static void retire(struct http_req *r)
{
    const char *p = http_param(r, "platform"), *m = http_param(r, "metric");
    char body[200];
    if (!p || !m || (strcmp(p, "facebook") != 0 && strcmp(p, "instagram") != 0) || !*m ||
        strlen(m) > 63) {
        http_reply_json(r->req, 400,
                        "{\"error\":\"platform (facebook or instagram) and metric are required\"}");
        return;
    }
    if (!sim_retire(p, m)) {
        http_reply_json(r->req, 400, "{\"error\":\"too many retired metrics\"}");
        return;
    }
    log_info("sim: retired metric platform=%s metric=%s", p, m);
    snprintf(body, sizeof body, "{\"platform\":\"%s\",\"retired\":\"%s\"}", p, m);
    http_reply_json(r->req, 200, body);
}

/*
 * POST /_outage?platform=P&day=YYYY-MM-DD: a tracking outage of P's daily account metrics on
 * that day (account 0); DELETE /_outage?platform=P restates the day. /_truth follows.
 */
static void outage(struct accounts *a, struct http_req *r)
{
    const char *p = http_param(r, "platform"), *d = http_param(r, "day");
    size_t i;
    const struct sim_platform *sp = p ? sim_platform_find(p, &i) : NULL;
    bool on = r->method == EVHTTP_REQ_POST;
    int32_t day = 0;
    if (!sp || !sp->outage) {
        http_reply_json(r->req, 400, "{\"error\":\"platform with outages (facebook) required\"}");
        return;
    }
    if (on && (!d || time_parse_date(d, &day) != 0)) {
        http_reply_json(r->req, 400, "{\"error\":\"day=YYYY-MM-DD required\"}");
        return;
    }
    struct world *w = accounts_base(a);
    if (sp->outage(w->pdata[i], w, day, on) != 0) {
        http_reply_json(r->req, 400, "{\"error\":\"day outside the world's history\"}");
        return;
    }
    log_info("sim: outage %s platform=%s day=%s", on ? "started" : "restated", p, on ? d : "-");
    http_reply_json(r->req, 200, on ? "{\"outage\":true}" : "{\"outage\":false}");
}

/*
 * POST /_burst?platform=x&count=N: N negative mentions of the brand (account 0's first query)
 * in the ten minutes before the clock. /_truth follows.
 */
static void burst(struct accounts *a, struct http_req *r)
{
    const char *p = http_param(r, "platform"), *c = http_param(r, "count");
    size_t i;
    const struct sim_platform *sp = p ? sim_platform_find(p, &i) : NULL;
    char *end = NULL;
    long n = c ? strtol(c, &end, 10) : 0;
    if (!sp || !sp->burst) {
        http_reply_json(r->req, 400, "{\"error\":\"platform with a search (x) required\"}");
        return;
    }
    if (!c || *end || n < 1 || n > 1000) {
        http_reply_json(r->req, 400, "{\"error\":\"count=1..1000 required\"}");
        return;
    }
    struct world *w = accounts_base(a);
    sp->burst(w->pdata[i], w, (int)n);
    log_info("sim: burst platform=%s count=%ld", p, n);
    char body[64];
    snprintf(body, sizeof body, "{\"burst\":%ld}", n);
    http_reply_json(r->req, 200, body);
}

static bool platform_known(const char *name)
{
    return sim_platform_find(name, NULL) != NULL;
}

static void faults_post(struct faults *f, struct evhttp_request *req)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(req);
    size_t len = evbuffer_get_length(in);
    char *body = xmalloc(len + 1), err[256];
    evbuffer_copyout(in, body, len);
    body[len] = '\0';
    int id = faults_add_json(f, body, len, platform_known, err, sizeof err);
    free(body);
    struct buf b = {0};
    struct jw j;
    jw_init(&j, &b, JW_UTF8);
    jw_obj(&j);
    if (id < 0)
        jw_kstr(&j, "error", err);
    else
        jw_kint(&j, "id", id);
    jw_end(&j);
    if (id >= 0)
        log_info("sim: fault rule added id=%d", id);
    send_buf(req, id < 0 ? 400 : 200, &b);
}

static void faults_serve(struct faults *f, struct evhttp_request *req)
{
    struct buf b = {0};
    struct jw j;
    char body[64];
    switch (evhttp_request_get_command(req)) {
    case EVHTTP_REQ_GET:
        jw_init(&j, &b, JW_UTF8);
        faults_list_json(f, &j);
        send_buf(req, 200, &b);
        break;
    case EVHTTP_REQ_POST:
        faults_post(f, req);
        break;
    case EVHTTP_REQ_DELETE:
        snprintf(body, sizeof body, "{\"removed\":%zu}", faults_clear(f));
        http_reply_json(req, 200, body);
        break;
    default:
        http_reply_json(req, 405, "{\"error\":\"method not allowed\"}");
    }
}

void control_serve(struct accounts *a, struct faults *f, struct http_req *r)
{
    struct evhttp_request *req = r->req;
    const char *path = r->path;
    enum evhttp_cmd_type m = r->method;
    if (strcmp(path, "/_faults") == 0)
        faults_serve(f, req);
    else if (strcmp(path, "/_world") == 0 && m == EVHTTP_REQ_GET)
        world_json(a, r);
    else if (strcmp(path, "/_truth") == 0 && m == EVHTTP_REQ_GET)
        truth_json(a, r);
    else if (strcmp(path, "/_advance") == 0 && m == EVHTTP_REQ_POST)
        advance(a, req);
    else if (strcmp(path, "/_retire") == 0 && m == EVHTTP_REQ_POST)
        retire(r);
    else if (strcmp(path, "/_outage") == 0 && (m == EVHTTP_REQ_POST || m == EVHTTP_REQ_DELETE))
        outage(a, r);
    else if (strcmp(path, "/_burst") == 0 && m == EVHTTP_REQ_POST)
        burst(a, r);
    else if (strcmp(path, "/_world") == 0 || strcmp(path, "/_truth") == 0 ||
             strcmp(path, "/_advance") == 0 || strcmp(path, "/_retire") == 0 ||
             strcmp(path, "/_outage") == 0 || strcmp(path, "/_burst") == 0)
        http_reply_json(req, 405, "{\"error\":\"method not allowed\"}");
    else
        http_reply_json(req, 404, "{\"error\":\"no such control endpoint\"}");
}
