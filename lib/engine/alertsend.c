/*
 * alertsend.c - the alert outbox to webhooks and mail (see alertsend.h).
 *
 * A poll, per destination with nothing in flight: one pipeline segment of
 * alert_delivery_queue() (new events through the routing; pending count) and
 * alert_delivery_claim() (due rows, leased for the attempt's timeout and a minute); each claimed
 * row becomes one transfer; each transfer's end becomes one alert_delivery_done(). A transfer
 * whose outcome cannot be recorded (the database went away) comes due again when its lease
 * ends, so an event is sent at least once; receivers de-duplicate on its id.
 *
 * libcurl runs on a multi handle of its own (fetch.c's carries the platforms' requests under
 * their connection limits, and only http), on the loop through curlev.c; the finished
 * transfers are drained after every socket action.
 *
 * Secrets: a destination's URL (a webhook's path may be its token) and SMTP password are set
 * on the transfer and never formatted into a line; what curl says about a failure is scrubbed
 * of both before it reaches the log, /healthz or the database.
 */
#include "alertsend.h"
#include "alertmsg.h"
#include "curlev.h"
#include "dbsql.h"
#include "health.h"
#include "log.h"
#include "metrics.h"
#include "pgconn.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <curl/curl.h>
#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CLAIM_LIMIT     10
#define CLAIM_LIMIT_S   "10"
#define LEASE_EXTRA_MS  10000 /* a claim outlives its attempt's timeout by this */
#define FAILING_AFTER   3     /* attempts of one event before the destination counts as failing */
#define RESP_KEEP       160   /* bytes of a refusal's body kept for the error */
#define COMPONENT_SEND  "alert_delivery"
#define COMPONENT_QUEUE "alert_outbox"

struct dest {
    char *name;
    const struct cfg_alert *cfg; /* NULL: no longer configured (or disabled) */
    char target[256];            /* scheme://host: all a log line says of the URL */
    bool polling;
    size_t inflight;
    int claimed; /* rows the last claim returned */
    int64_t pending;
    uint64_t delivered, retried, failed;
    bool failing;
    char last_error[256];
    struct dest *next;
};

struct send {
    struct alertsend *s;
    struct dest *d;
    CURL *easy;
    struct curl_slist *headers, *rcpt;
    struct buf body;
    size_t sent; /* bytes of body handed to curl (SMTP upload) */
    struct buf resp;
    char errbuf[CURL_ERROR_SIZE];
    char *url, *password; /* copies, to scrub what curl says */
    bool smtp;
    int64_t event_id;
    int attempt; /* this attempt's number, from 1 */
    int64_t backoff_min_ms, backoff_max_ms;
    struct send *prev, *next;
};

struct alertsend {
    struct event_base *base;
    const struct config *cfg;
    struct health *health;
    struct pgconn *db;
    bool ready;
    struct curlev *loop;
    CURLM *multi; /* the loop's */
    struct event *poll_timer;
    struct dest *dests;
    struct send *sends;
};

static void check_done(void *arg);

static size_t write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
    struct send *t = arg;
    size_t n = size * nmemb, room = t->resp.len < RESP_KEEP ? RESP_KEEP - t->resp.len : 0;
    buf_append(&t->resp, data, n < room ? n : room);
    return n;
}

static size_t read_cb(char *out, size_t size, size_t nmemb, void *arg)
{
    struct send *t = arg;
    size_t n = size * nmemb, left = t->body.len - t->sent;
    if (n > left)
        n = left;
    memcpy(out, t->body.data + t->sent, n);
    t->sent += n;
    return n;
}

/* ---- transfers ----------------------------------------------------------------------------- */

static void send_free(struct alertsend *s, struct send *t)
{
    if (t->prev)
        t->prev->next = t->next;
    else
        s->sends = t->next;
    if (t->next)
        t->next->prev = t->prev;
    curl_multi_remove_handle(s->multi, t->easy);
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    curl_slist_free_all(t->rcpt);
    buf_free(&t->body);
    buf_free(&t->resp);
    free(t->url);
    if (t->password) {
        explicit_bzero(t->password, strlen(t->password));
        free(t->password);
    }
    t->d->inflight--;
    free(t);
}

static void webhook_options(struct send *t, const char *id)
{
    char h[200];
    curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "http,https");
    t->headers = curl_slist_append(t->headers, "Content-Type: application/json; charset=utf-8");
    snprintf(h, sizeof h, "Idempotency-Key: %s", id);
    t->headers = curl_slist_append(t->headers, h);
    snprintf(h, sizeof h, "X-Socialroi-Event: %s", id);
    t->headers = curl_slist_append(t->headers, h);
    t->headers = curl_slist_append(t->headers, "Expect:");
    curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(t->easy, CURLOPT_POST, 1L);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->body.data);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE, (long)t->body.len);
    curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 0L);
}

static void smtp_options(struct send *t, const struct cfg_alert *c)
{
    char addr[512];
    curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    snprintf(addr, sizeof addr, "<%s>", c->from);
    curl_easy_setopt(t->easy, CURLOPT_MAIL_FROM, addr);
    for (size_t i = 0; i < c->to.n; i++) {
        snprintf(addr, sizeof addr, "<%s>", c->to.items[i]);
        t->rcpt = curl_slist_append(t->rcpt, addr);
    }
    curl_easy_setopt(t->easy, CURLOPT_MAIL_RCPT, t->rcpt);
    curl_easy_setopt(t->easy, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(t->easy, CURLOPT_READFUNCTION, read_cb);
    curl_easy_setopt(t->easy, CURLOPT_READDATA, t);
    curl_easy_setopt(t->easy, CURLOPT_INFILESIZE, (long)t->body.len);
    if (c->starttls && strncmp(c->url, "smtp://", 7) == 0)
        curl_easy_setopt(t->easy, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (*c->user) {
        curl_easy_setopt(t->easy, CURLOPT_USERNAME, c->user);
        if (c->password) {
            t->password = xstrdup(c->password);
            curl_easy_setopt(t->easy, CURLOPT_PASSWORD, t->password);
        }
    }
}

static void start_send(struct alertsend *s, struct dest *d, const struct alert_note *n,
                       int attempts_before)
{
    const struct cfg_alert *c = d->cfg;
    char id[128];
    struct send *t = xcalloc(1, sizeof *t);
    t->s = s;
    t->d = d;
    t->event_id = n->event_id;
    t->attempt = attempts_before + 1;
    t->smtp = c->via == CFG_ALERT_SMTP;
    t->backoff_min_ms = c->backoff_min_ms;
    t->backoff_max_ms = c->backoff_max_ms;
    t->url = xstrdup(c->url);
    t->easy = curl_easy_init();
    if (!t->easy)
        abort();
    alertmsg_id(n, id, sizeof id);
    if (t->smtp)
        alertmsg_mail(n, c->from, c->to.items, c->to.n, time_wall_us(), &t->body);
    else if (strcmp(c->format, "slack") == 0)
        alertmsg_slack(n, &t->body);
    else
        alertmsg_json(n, &t->body);
    curl_easy_setopt(t->easy, CURLOPT_URL, t->url);
    curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
    curl_easy_setopt(t->easy, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(t->easy, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
    curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT_MS,
                     (long)(c->timeout_ms < 10000 ? c->timeout_ms : 10000));
    curl_easy_setopt(t->easy, CURLOPT_USERAGENT, "socialroi/" SR_VERSION);
    curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
    if (t->smtp)
        smtp_options(t, c);
    else
        webhook_options(t, id);
    t->next = s->sends;
    if (s->sends)
        s->sends->prev = t;
    s->sends = t;
    d->inflight++;
    CURLMcode mc = curl_multi_add_handle(s->multi, t->easy);
    if (mc != CURLM_OK) {
        /* left claimed: it comes due again when the lease ends */
        log_err("alertsend: cannot start a delivery destination=%s event=%lld error=\"%s\"",
                d->name, (long long)n->event_id, curl_multi_strerror(mc));
        send_free(s, t);
    }
}

/* ---- outcomes ------------------------------------------------------------------------------ */

enum outcome { DELIVERED, RETRY, FAILED };

/* What happened, as one line without secrets; and whether to try again. */
static enum outcome classify(struct send *t, CURLcode code, char *why, size_t len)
{
    long status = 0;
    curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
    if (t->smtp) {
        if (code == CURLE_OK)
            return DELIVERED;
        snprintf(why, len, "%s%s%s", curl_easy_strerror(code), t->errbuf[0] ? ": " : "", t->errbuf);
        /* the server's 5xx reply is its final word (a refused sender, recipient or login) */
        return status >= 500 && status < 600 ? FAILED : RETRY;
    }
    if (code != CURLE_OK) {
        snprintf(why, len, "%s%s%s", curl_easy_strerror(code), t->errbuf[0] ? ": " : "", t->errbuf);
        return RETRY;
    }
    if (status >= 200 && status < 300)
        return DELIVERED;
    for (size_t i = 0; i < t->resp.len; i++)
        if ((unsigned char)t->resp.data[i] < 0x20)
            t->resp.data[i] = ' ';
    snprintf(why, len, "HTTP %ld%s%.*s", status, t->resp.len ? ": " : "", (int)t->resp.len,
             t->resp.data ? t->resp.data : "");
    if (status == 408 || status == 429 || status >= 500)
        return RETRY;
    return FAILED; /* any other 4xx, or a redirect (not followed: the URL is the one to use) */
}

/*
 * backoff_min doubled for each attempt made, at most backoff_max, then half to all of it; a
 * receiver's Retry-After (429, 503) is waited for when it asks for longer, up to backoff_max.
 */
static int64_t backoff_ms(const struct send *t)
{
    int64_t ms = t->backoff_min_ms;
    curl_off_t after = 0;
    for (int i = 1; i < t->attempt && ms < t->backoff_max_ms; i++)
        ms *= 2;
    if (ms > t->backoff_max_ms)
        ms = t->backoff_max_ms;
    ms = ms / 2 + (int64_t)arc4random_uniform((uint32_t)(ms / 2 + 1));
    if (!t->smtp && curl_easy_getinfo(t->easy, CURLINFO_RETRY_AFTER, &after) == CURLE_OK &&
        after > 0) {
        int64_t asked = after > t->backoff_max_ms / 1000 ? t->backoff_max_ms : after * 1000;
        if (asked > ms)
            ms = asked;
    }
    return ms;
}

static void update_health(struct alertsend *s, struct dest *d)
{
    if (d->failing) {
        char err[320];
        snprintf(err, sizeof err, "destination=%s: %s", d->name, d->last_error);
        health_fail(s->health, COMPONENT_SEND, "alert delivery", err);
        return;
    }
    for (struct dest *o = s->dests; o; o = o->next)
        if (o->failing && o->cfg)
            return;
    health_ok(s->health, COMPONENT_SEND);
}

static void done_cb(void *arg, PGresult *res, const char *err)
{
    struct alertsend *s = arg;
    if (err && res)
        health_fail(s->health, COMPONENT_QUEUE, "alert_delivery_done", err);
}

static void record(struct alertsend *s, struct send *t, enum outcome o, const char *why,
                   int64_t retry_ms)
{
    static const char *const names[] = {"delivered", "retry", "failed"};
    char ev[24], retry[48];
    snprintf(ev, sizeof ev, "%lld", (long long)t->event_id);
    snprintf(retry, sizeof retry, "%lld milliseconds", (long long)retry_ms);
    const char *p[5] = {t->d->name, ev, names[o], o == DELIVERED ? NULL : why, retry};
    if (pgconn_query(s->db, dbsql_alert_done, 5, p, done_cb, s) < 0) {
        log_warn("alertsend: outcome not recorded (database away); sent again after the lease "
                 "destination=%s event=%s",
                 t->d->name, ev);
        return;
    }
    pgconn_sync(s->db, NULL, NULL);
}

static void finish(struct alertsend *s, struct send *t, CURLcode code)
{
    struct dest *d = t->d;
    char why[400] = "";
    enum outcome o = classify(t, code, why, sizeof why);
    alertmsg_scrub(why, sizeof why, t->url);
    alertmsg_scrub(why, sizeof why, t->password);
    int64_t retry_ms = o == RETRY ? backoff_ms(t) : 0;
    if (o == DELIVERED) {
        d->delivered++;
        d->failing = false;
        log_info("alertsend: delivered destination=%s event=%lld attempt=%d target=%s", d->name,
                 (long long)t->event_id, t->attempt, d->target);
    } else if (o == RETRY) {
        char wait[32];
        time_format_duration(retry_ms, wait, sizeof wait);
        d->retried++;
        snprintf(d->last_error, sizeof d->last_error, "%.*s", (int)sizeof d->last_error - 1, why);
        d->failing = d->failing || t->attempt >= FAILING_AFTER;
        log_warn("alertsend: delivery failed, trying again destination=%s event=%lld attempt=%d "
                 "target=%s retry_in=%s error=\"%s\"",
                 d->name, (long long)t->event_id, t->attempt, d->target, wait, why);
    } else {
        d->failed++;
        d->failing = true;
        snprintf(d->last_error, sizeof d->last_error, "%.*s", (int)sizeof d->last_error - 1, why);
        log_err("alertsend: delivery refused, giving up destination=%s event=%lld attempt=%d "
                "target=%s error=\"%s\"",
                d->name, (long long)t->event_id, t->attempt, d->target, why);
    }
    record(s, t, o, why, retry_ms);
    update_health(s, d);
    send_free(s, t);
}

static void poll_dest(struct alertsend *s, struct dest *d);

/* curlev calls it after every socket action: the finished transfers, each completed once */
static void check_done(void *arg)
{
    struct alertsend *s = arg;
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(s->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        CURL *easy = msg->easy_handle;
        CURLcode code = msg->data.result;
        struct send *t = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&t);
        struct dest *d = t->d;
        finish(s, t, code);
        /* a full claim means more may be due: go on without waiting for the next poll */
        if (d->inflight == 0 && d->claimed == CLAIM_LIMIT)
            poll_dest(s, d);
    }
}

/* ---- the outbox ---------------------------------------------------------------------------- */

static void queue_cb(void *arg, PGresult *res, const char *err)
{
    struct dest *d = arg;
    if (!err && res && PQntuples(res) == 1)
        d->pending = atoll(PQgetvalue(res, 0, 0));
}

struct claim {
    struct alertsend *s;
    struct dest *d;
};

static void note_from_row(PGresult *res, int i, struct alert_note *n)
{
    n->event_id = atoll(PQgetvalue(res, i, 0));
    n->event = PQgetvalue(res, i, 2);
    n->severity = PQgetvalue(res, i, 3);
    n->at = PQgetvalue(res, i, 4);
    n->alert_id = atoll(PQgetvalue(res, i, 5));
    n->kind = PQgetvalue(res, i, 6);
    n->subject = PQgetvalue(res, i, 7);
    n->message = PQgetvalue(res, i, 8);
    n->title = PQgetvalue(res, i, 9);
    n->runbook = PQgetvalue(res, i, 10);
    n->first_seen = PQgetvalue(res, i, 11);
    n->detail = PQgetvalue(res, i, 12);
    n->instance = PQgetvalue(res, i, 13);
}

static void claim_cb(void *arg, PGresult *res, const char *err)
{
    struct claim *c = arg;
    struct alertsend *s = c->s;
    struct dest *d = c->d;
    free(c);
    d->polling = false;
    d->claimed = 0;
    if (err) {
        if (res)
            health_fail(s->health, COMPONENT_QUEUE, "alert_delivery_claim", err);
        return;
    }
    health_ok(s->health, COMPONENT_QUEUE);
    if (!d->cfg) /* gone by a reload meanwhile: the claims lapse */
        return;
    d->claimed = PQntuples(res);
    for (int i = 0; i < d->claimed; i++) {
        struct alert_note n;
        note_from_row(res, i, &n);
        start_send(s, d, &n, atoi(PQgetvalue(res, i, 1)));
    }
}

/* kinds as a text[] literal: every item double-quoted, " and \ escaped */
static void kinds_literal(const struct cfg_list *l, struct buf *b)
{
    buf_puts(b, "{");
    for (size_t i = 0; i < l->n; i++) {
        buf_puts(b, i ? ",\"" : "\"");
        for (const char *p = l->items[i]; *p; p++)
            buf_printf(b, "%s%c", *p == '"' || *p == '\\' ? "\\" : "", *p);
        buf_puts(b, "\"");
    }
    buf_puts(b, "}");
}

static void poll_dest(struct alertsend *s, struct dest *d)
{
    const struct cfg_alert *a = d->cfg;
    if (!a || d->polling || d->inflight || !s->ready || !s->db || !pgconn_is_up(s->db))
        return;
    struct buf kinds = {0};
    char age[48], lease[48];
    kinds_literal(&a->kinds, &kinds);
    snprintf(age, sizeof age, "%lld milliseconds", (long long)a->max_age_ms);
    snprintf(lease, sizeof lease, "%lld milliseconds", (long long)(a->timeout_ms + LEASE_EXTRA_MS));
    const char *q[5] = {d->name, kinds.data, a->min_severity, a->resolved ? "true" : "false", age};
    const char *c[3] = {d->name, CLAIM_LIMIT_S, lease};
    struct claim *cl = xcalloc(1, sizeof *cl);
    cl->s = s;
    cl->d = d;
    /* one segment: the queue and the claim commit together */
    if (pgconn_query(s->db, dbsql_alert_queue, 5, q, queue_cb, d) < 0 ||
        pgconn_query(s->db, dbsql_alert_claim, 3, c, claim_cb, cl) < 0) {
        free(cl); /* the connection went between the two: its callbacks fail with it */
    } else {
        d->polling = true;
    }
    pgconn_sync(s->db, NULL, NULL);
    buf_free(&kinds);
}

static void arm_poll(struct alertsend *s)
{
    int64_t ms = s->cfg->daemon.alert_poll_ms;
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000 * 1000)};
    evtimer_add(s->poll_timer, &tv);
}

static void poll_timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct alertsend *s = arg;
    (void)fd;
    (void)what;
    for (struct dest *d = s->dests; d; d = d->next)
        poll_dest(s, d);
    arm_poll(s);
}

static void state_cb(void *arg, enum pgconn_event ev)
{
    struct alertsend *s = arg;
    if (ev == PGCONN_DOWN)
        for (struct dest *d = s->dests; d; d = d->next)
            d->polling = false; /* the claim's callback ran with no result */
}

/* ---- public -------------------------------------------------------------------------------- */

struct alertsend *alertsend_new(struct event_base *base, const struct config *cfg, struct health *h)
{
    struct alertsend *s = xcalloc(1, sizeof *s);
    s->base = base;
    s->health = h;
    s->loop = curlev_new(base, check_done, s);
    s->multi = curlev_multi(s->loop);
    s->poll_timer = evtimer_new(base, poll_timer_cb, s);
    if (!s->poll_timer)
        abort();
    alertsend_configure(s, cfg);
    return s;
}

void alertsend_free(struct alertsend *s)
{
    if (!s)
        return;
    while (s->sends)
        send_free(s, s->sends);
    curlev_free(s->loop); /* libcurl may call back: the base must still be alive */
    pgconn_free(s->db);
    event_free(s->poll_timer);
    while (s->dests) {
        struct dest *d = s->dests;
        s->dests = d->next;
        free(d->name);
        free(d);
    }
    free(s);
}

void alertsend_set_ready(struct alertsend *s, bool ready)
{
    s->ready = ready;
}

static struct dest *find_dest(struct alertsend *s, const char *name)
{
    struct dest **tail = &s->dests;
    for (struct dest *d = s->dests; d; d = d->next) {
        if (strcmp(d->name, name) == 0)
            return d;
        tail = &d->next;
    }
    struct dest *d = xcalloc(1, sizeof *d);
    d->name = xstrdup(name);
    d->pending = -1;
    *tail = d;
    return d;
}

void alertsend_configure(struct alertsend *s, const struct config *cfg)
{
    bool any = false;
    s->cfg = cfg;
    for (struct dest *d = s->dests; d; d = d->next)
        d->cfg = NULL;
    for (size_t i = 0; i < cfg->nalerts; i++) {
        const struct cfg_alert *a = &cfg->alerts[i];
        struct dest *d = find_dest(s, a->name);
        if (!a->enabled)
            continue;
        d->cfg = a;
        alertmsg_log_url(a->url, d->target, sizeof d->target);
        any = true;
    }
    if (any && !s->db) {
        s->db =
            pgconn_new(s->base, cfg->daemon.database, cfg->daemon.reconnect_max_ms, state_cb, s);
        log_info("alertsend: delivering alerts destinations=%zu", cfg->nalerts);
    } else if (s->db) {
        pgconn_set_backoff_max(s->db, cfg->daemon.reconnect_max_ms);
    }
    evtimer_del(s->poll_timer);
    arm_poll(s);
    /* a destination that was failing and is gone (or disabled) no longer degrades /healthz */
    bool failing = false;
    for (struct dest *d = s->dests; d; d = d->next)
        failing = failing || (d->cfg && d->failing);
    if (!failing)
        health_ok(s->health, COMPONENT_SEND);
}

void alertsend_metrics(const struct alertsend *s, struct buf *b)
{
    metrics_family(b, "socialroi_alert_deliveries_total", "counter",
                   "Alert delivery attempts since start, by destination and result.");
    for (const struct dest *d = s->dests; d; d = d->next) {
        if (!d->cfg)
            continue;
        metrics_u64(b, "socialroi_alert_deliveries_total", d->delivered, "destination", d->name,
                    "result", "delivered", NULL);
        metrics_u64(b, "socialroi_alert_deliveries_total", d->retried, "destination", d->name,
                    "result", "retry", NULL);
        metrics_u64(b, "socialroi_alert_deliveries_total", d->failed, "destination", d->name,
                    "result", "failed", NULL);
    }
    metrics_family(b, "socialroi_alert_delivery_pending", "gauge",
                   "Alert events waiting to be delivered, by destination (at the last poll).");
    for (const struct dest *d = s->dests; d; d = d->next)
        if (d->cfg && d->pending >= 0)
            metrics_i64(b, "socialroi_alert_delivery_pending", d->pending, "destination", d->name,
                        NULL);
}
