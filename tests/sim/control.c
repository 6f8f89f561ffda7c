/*
 * control.c - /_world, /_truth, /_advance and /_faults (contract: tests/sim/README.md).
 *
 * /_truth is assembled from each platform's truth_json and totals_json, so it always
 * describes exactly the data the platform endpoints serve at the current generation.
 */
#include "control.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>

#include "log.h"
#include "sim.h"
#include "world_people.h"
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

static void world_json(struct world *w, struct evhttp_request *req)
{
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
        sim_platforms[i]->world_json(w->pdata[i], w, &j);
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
    send_buf(req, 200, &b);
}

static void truth_json(struct world *w, struct evhttp_request *req)
{
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
    jw_end(&j);
    send_buf(req, 200, &b);
}

static void advance(struct world *w, struct evhttp_request *req)
{
    char body[64];
    unsigned g = world_advance(w);
    log_info("sim: advanced generation=%u", g);
    snprintf(body, sizeof body, "{\"generation\":%u}", g);
    http_reply_json(req, 200, body);
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

void control_serve(struct world *w, struct faults *f, struct evhttp_request *req, const char *path)
{
    enum evhttp_cmd_type m = evhttp_request_get_command(req);
    if (strcmp(path, "/_faults") == 0)
        faults_serve(f, req);
    else if (strcmp(path, "/_world") == 0 && m == EVHTTP_REQ_GET)
        world_json(w, req);
    else if (strcmp(path, "/_truth") == 0 && m == EVHTTP_REQ_GET)
        truth_json(w, req);
    else if (strcmp(path, "/_advance") == 0 && m == EVHTTP_REQ_POST)
        advance(w, req);
    else if (strcmp(path, "/_world") == 0 || strcmp(path, "/_truth") == 0 ||
             strcmp(path, "/_advance") == 0)
        http_reply_json(req, 405, "{\"error\":\"method not allowed\"}");
    else
        http_reply_json(req, 404, "{\"error\":\"no such control endpoint\"}");
}
