/*
 * main.c - socialroi-sim: command line, the evhttp server and request dispatch.
 *
 * The contract (options, the "listening" line, control endpoints, faults, truth) is
 * tests/sim/README.md. Each request below /<platform> goes to that platform's vtable
 * (sim.h) with the world of the account its token names (accounts.h); a fault rule (faults.h)
 * may replace or reshape its answer first. With --latency-ms every platform request waits on
 * a timer of its own first. One event_base, one thread, nothing blocking; SIGTERM and SIGINT
 * stop the loop and everything is freed.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <event2/event.h>
#include <event2/http.h>

#include "accounts.h"
#include "control.h"
#include "log.h"
#include "sim.h"
#include "timeutil.h"

struct options {
    const char *bind;
    int port;
    uint64_t seed;
    int days;
    int32_t today;
    size_t crm_contacts;
    size_t accounts[SIM_MAX_PLATFORMS]; /* per sim_platforms index */
    bool no_rate_limits;
    int latency_ms;
};

#define MAX_DAYS       3660
#define MAX_LATENCY_MS 600000

struct sim {
    struct event_base *base;
    struct evhttp *evhttp;
    struct http *http;
    struct accounts *accounts;
    struct faults *faults;
    int latency_ms;
};

static void usage(FILE *f)
{
    fprintf(f, "usage: socialroi-sim [--bind ADDR] [--port N] [--seed N] [--days N] "
               "[--today YYYY-MM-DD] [--crm-contacts N]\n"
               "                     [--accounts N|PLATFORM=N[,...]] [--no-rate-limits] "
               "[--latency-ms N]\n");
}

static int parse_number(const char *s, uint64_t max, uint64_t *out)
{
    char *end;
    if (!*s || *s == '-')
        return -1;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end || v > max)
        return -1;
    *out = v;
    return 0;
}

/* "500", "facebook=500,x=200" or "2,hubspot=1": a bare number sets every platform. */
static int parse_accounts(const char *s, size_t *counts)
{
    char item[64];
    while (*s) {
        size_t n = strcspn(s, ",");
        const char *num = item;
        size_t plat = SIZE_MAX;
        uint64_t v;
        if (n == 0 || n >= sizeof item)
            return -1;
        memcpy(item, s, n);
        item[n] = '\0';
        char *eq = strchr(item, '=');
        if (eq) {
            *eq = '\0';
            num = eq + 1;
            if (!sim_platform_find(item, &plat))
                return -1;
        }
        if (parse_number(num, ACCOUNTS_MAX, &v) != 0 || v == 0)
            return -1;
        for (size_t i = 0; sim_platforms[i]; i++)
            if (plat == SIZE_MAX || plat == i)
                counts[i] = (size_t)v;
        s += n + (s[n] == ',');
    }
    return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option longopts[] = {
        {"bind", required_argument, NULL, 'b'},     {"port", required_argument, NULL, 'p'},
        {"seed", required_argument, NULL, 's'},     {"days", required_argument, NULL, 'd'},
        {"today", required_argument, NULL, 't'},    {"crm-contacts", required_argument, NULL, 'c'},
        {"accounts", required_argument, NULL, 'a'}, {"accounts-of", required_argument, NULL, 'a'},
        {"no-rate-limits", no_argument, NULL, 'n'}, {"latency-ms", required_argument, NULL, 'l'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    uint64_t v;
    int c;
    *o = (struct options){.bind = "127.0.0.1",
                          .seed = 1,
                          .days = 20,
                          .today = (int32_t)(time(NULL) / 86400),
                          .crm_contacts = 200};
    for (size_t i = 0; i < SIM_MAX_PLATFORMS; i++)
        o->accounts[i] = 1;
    while ((c = getopt_long(argc, argv, "b:p:s:d:t:c:h", longopts, NULL)) != -1) {
        if (c == 'b')
            o->bind = optarg;
        else if (c == 'p' && parse_number(optarg, 65535, &v) == 0)
            o->port = (int)v;
        else if (c == 's' && parse_number(optarg, UINT64_MAX, &v) == 0)
            o->seed = v;
        else if (c == 'd' && parse_number(optarg, MAX_DAYS, &v) == 0 && v > 0)
            o->days = (int)v;
        else if (c == 't' && time_parse_date(optarg, &o->today) == 0)
            continue;
        else if (c == 'c' && parse_number(optarg, 1000000, &v) == 0)
            o->crm_contacts = (size_t)v;
        else if (c == 'a' && parse_accounts(optarg, o->accounts) == 0)
            continue;
        else if (c == 'n')
            o->no_rate_limits = true;
        else if (c == 'l' && parse_number(optarg, MAX_LATENCY_MS, &v) == 0)
            o->latency_ms = (int)v;
        else if (c == 'h')
            return 1;
        else
            return -1;
    }
    return optind == argc ? 0 : -1;
}

/* A request below /<platform>: faults first, then the platform's answer. */
static void serve_platform(struct sim *s, struct http_req *r, size_t pi)
{
    const struct sim_platform *p = sim_platforms[pi];
    struct world *w = accounts_get(s->accounts, pi, accounts_route(s->accounts, pi, r), true);
    void *pd = w->pdata[pi];
    enum fault_kind kind;
    int seconds = -1;
    enum http_mode mode = HTTP_NORMAL;
    if (faults_pick(s->faults, p->name, r->path, &kind, &seconds)) {
        log_info("sim: fault fired platform=%s kind=%s path=%s", p->name, fault_kind_name(kind),
                 r->path);
        if (kind == FAULT_TIMEOUT) {
            http_hold(s->http, r->req, seconds < 0 ? 30 : seconds);
            return;
        }
        mode = kind == FAULT_SLOW        ? HTTP_SLOW
               : kind == FAULT_TRUNCATED ? HTTP_TRUNCATED
               : kind == FAULT_MALFORMED ? HTTP_MALFORMED
                                         : HTTP_NORMAL;
        p->fault(pd, w, r, kind, seconds);
        if (kind == FAULT_THROTTLE || kind == FAULT_SERVER_ERROR) {
            http_deliver(s->http, r, HTTP_NORMAL, 0);
            return;
        }
    }
    p->serve(pd, w, r);
    http_deliver(s->http, r, mode, seconds < 0 ? 2 : seconds);
}

static void dispatch(struct evhttp_request *req, void *arg)
{
    struct sim *s = arg;
    struct http_req r;
    if (http_req_init(&r, req) < 0) {
        http_req_cleanup(&r);
        http_reply_json(req, 400, "{\"error\":\"bad request URI\"}");
        return;
    }
    log_debug("sim: request method=%d path=%s", (int)r.method, r.path);
    if (strncmp(r.path, "/_", 2) == 0) {
        control_serve(s->accounts, s->faults, &r);
        http_req_cleanup(&r);
        return;
    }
    for (size_t i = 0; sim_platforms[i]; i++) {
        size_t n = strlen(sim_platforms[i]->name);
        if (r.path[0] == '/' && strncmp(r.path + 1, sim_platforms[i]->name, n) == 0 &&
            (r.path[n + 1] == '/' || r.path[n + 1] == '\0')) {
            r.sub = r.path + n + 1;
            serve_platform(s, &r, i);
            http_req_cleanup(&r);
            return;
        }
    }
    http_req_cleanup(&r);
    http_reply_json(req, 404, "{\"error\":\"no simulated platform at this path\"}");
}

/* Platform requests wait out --latency-ms on a timer each; control endpoints never wait. */
static void request_cb(struct evhttp_request *req, void *arg)
{
    struct sim *s = arg;
    const char *uri = evhttp_request_get_uri(req);
    if (s->latency_ms > 0 && !(uri && strncmp(uri, "/_", 2) == 0))
        http_later(s->http, req, s->latency_ms, dispatch, s);
    else
        dispatch(req, s);
}

static void stop_cb(evutil_socket_t sig, short what, void *arg)
{
    struct sim *s = arg;
    (void)what;
    log_info("sim: stopping signal=%d", (int)sig);
    event_base_loopbreak(s->base);
}

static int listen_on(struct sim *s, const struct options *o)
{
    struct evhttp_bound_socket *bs =
        evhttp_bind_socket_with_handle(s->evhttp, o->bind, (ev_uint16_t)o->port);
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (!bs) {
        log_err("sim: cannot listen bind=%s port=%d", o->bind, o->port);
        return -1;
    }
    if (getsockname(evhttp_bound_socket_get_fd(bs), (struct sockaddr *)&ss, &len) < 0)
        return -1;
    int port = ss.ss_family == AF_INET6 ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
                                        : ntohs(((struct sockaddr_in *)&ss)->sin_port);
    printf("socialroi-sim: listening port=%d\n", port);
    fflush(stdout);
    char day[16];
    fmt_date(o->today, day, sizeof day);
    log_info("sim: listening bind=%s port=%d seed=%" PRIu64 " today=%s days=%d", o->bind, port,
             o->seed, day, o->days);
    for (size_t i = 0; sim_platforms[i]; i++)
        if (o->accounts[i] > 1)
            log_info("sim: accounts platform=%s count=%zu", sim_platforms[i]->name, o->accounts[i]);
    if (o->no_rate_limits || o->latency_ms > 0)
        log_info("sim: no_rate_limits=%d latency_ms=%d", (int)o->no_rate_limits, o->latency_ms);
    return 0;
}

/*
 * With --latency-ms the loop reads the precise monotonic clock: the default coarse one ticks
 * every few milliseconds, so a timer could end a little before the latency asked for.
 */
static struct event_base *new_base(const struct options *o)
{
    if (o->latency_ms == 0)
        return event_base_new();
    struct event_config *cfg = event_config_new();
    event_config_set_flag(cfg, EVENT_BASE_FLAG_PRECISE_TIMER);
    struct event_base *base = event_base_new_with_config(cfg);
    event_config_free(cfg);
    return base;
}

static int run(const struct options *o)
{
    struct sim s = {0};
    int rc = 1;
    s.base = new_base(o);
    s.evhttp = evhttp_new(s.base);
    s.http = http_new(s.base);
    struct world *w = world_new(o->seed, o->today, o->days, o->crm_contacts);
    w->no_rate_limits = o->no_rate_limits;
    s.accounts = accounts_new(w, o->accounts);
    s.latency_ms = o->latency_ms;
    s.faults = faults_new(o->seed);
    struct event *term = evsignal_new(s.base, SIGTERM, stop_cb, &s);
    struct event *intr = evsignal_new(s.base, SIGINT, stop_cb, &s);
    evsignal_add(term, NULL);
    evsignal_add(intr, NULL);
    evhttp_set_timeout(s.evhttp, 3700); /* above the longest fault delay */
    evhttp_set_allowed_methods(s.evhttp, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_DELETE |
                                             EVHTTP_REQ_HEAD | EVHTTP_REQ_PUT);
    evhttp_set_gencb(s.evhttp, request_cb, &s);
    if (listen_on(&s, o) == 0) {
        event_base_dispatch(s.base);
        rc = 0;
    }
    evhttp_free(s.evhttp); /* closes pending connections first: they reference s.http */
    http_free(s.http);
    event_free(term);
    event_free(intr);
    faults_free(s.faults);
    accounts_free(s.accounts);
    event_base_free(s.base);
    return rc;
}

int main(int argc, char **argv)
{
    struct options o;
    int p = parse_options(argc, argv, &o);
    if (p != 0) {
        usage(p > 0 ? stdout : stderr);
        return p > 0 ? 0 : 2;
    }
    signal(SIGPIPE, SIG_IGN);
    log_open("socialroi-sim");
    return run(&o);
}
