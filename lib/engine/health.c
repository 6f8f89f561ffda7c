/*
 * health.c - failing components: counters, log, /healthz, socialroi.daemon_health (health.h).
 */
#include "health.h"
#include "dbsql.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "pgconn.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SELF           "daemon_health"
#define FLUSH_FIRST_US (1000 * 1000LL)
#define FLUSH_MAX_US   (300 * 1000000LL)

/* Known components, listed in /metrics from the start. */
static const char *const known[] = {
    "schema_check",  "account_sync",   "job_sync",      "job_notify",     "claim",
    "ingest",        "record_failure", "account_state", "token_expiry",   "release_job",
    "settings_sync", "fx_sync",        "campaign_sync", "rollup",         "listening",
    "alert_sync",    "alerts",         "alert_outbox",  "alert_delivery", SELF,
};

enum stored { STORED_UNKNOWN, STORED_OK, STORED_FAILING };

struct component {
    char *name;
    bool seen, failing, writing;
    int failures;
    uint64_t errors;
    char last_error[300];
    enum stored stored;
    int stored_failures;
    struct complain complain;
    struct component *next;
};

struct health {
    struct component *list, **tail;
    struct pgconn *db;
    char *owner;
    int64_t next_flush_us, flush_backoff_us;
    bool cleared; /* rows left by an earlier run of this daemon were removed */
};

struct write {
    struct health *h;
    struct component *c;
    bool failing;
    int failures;
};

static struct component *find(struct health *h, const char *name)
{
    for (struct component *c = h->list; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    struct component *c = xcalloc(1, sizeof *c);
    c->name = xstrdup(name);
    *h->tail = c;
    h->tail = &c->next;
    return c;
}

struct health *health_new(void)
{
    struct health *h = xcalloc(1, sizeof *h);
    h->tail = &h->list;
    h->flush_backoff_us = FLUSH_FIRST_US;
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        find(h, known[i]);
    return h;
}

void health_free(struct health *h)
{
    if (!h)
        return;
    while (h->list) {
        struct component *c = h->list;
        h->list = c->next;
        free(c->name);
        free(c);
    }
    free(h->owner);
    free(h);
}

void health_attach(struct health *h, struct pgconn *db, const char *owner)
{
    h->db = db;
    free(h->owner);
    h->owner = xstrdup(owner);
}

void health_fail(struct health *h, const char *component, const char *what, const char *err)
{
    struct component *c = find(h, component);
    snprintf(c->last_error, sizeof c->last_error, "%s", err && *err ? err : "unknown error");
    for (char *p = c->last_error; *p; p++)
        if (*p == '\n' || *p == '\t')
            *p = ' ';
    log_redact(c->last_error);
    c->seen = true;
    c->errors++;
    c->failures++;
    c->failing = true;
    complain(&c->complain, LOG_ERR, "db: %s failed component=%s failures=%d error=\"%s\"", what,
             c->name, c->failures, c->last_error);
}

void health_ok(struct health *h, const char *component)
{
    struct component *c = find(h, component);
    c->seen = true;
    if (!c->failing)
        return;
    complain_release(&c->complain, "db: %s works again after failures=%d", c->name, c->failures);
    c->failing = false;
    c->failures = 0;
}

bool health_failing(const struct health *h)
{
    for (const struct component *c = h->list; c; c = c->next)
        if (c->failing)
            return true;
    return false;
}

int health_failures(const struct health *h, const char *component)
{
    for (const struct component *c = h->list; c; c = c->next)
        if (strcmp(c->name, component) == 0)
            return c->failures;
    return 0;
}

void health_json(const struct health *h, struct buf *b)
{
    if (!health_failing(h))
        return;
    buf_puts(b, ",\"failing\":{");
    bool first = true;
    for (const struct component *c = h->list; c; c = c->next) {
        if (!c->failing)
            continue;
        buf_puts(b, first ? "" : ",");
        json_write_str(b, c->name);
        buf_puts(b, ":");
        json_write_str(b, c->last_error);
        first = false;
    }
    buf_puts(b, "}");
}

void health_metrics(const struct health *h, struct buf *b)
{
    metrics_family(b, "socialroi_db_query_errors_total", "counter",
                   "Failed database statements, by the component that sent them.");
    for (const struct component *c = h->list; c; c = c->next)
        metrics_u64(b, "socialroi_db_query_errors_total", c->errors, "component", c->name, NULL);
    metrics_family(b, "socialroi_component_failing", "gauge",
                   "1 while a component's statements keep failing (see /healthz).");
    for (const struct component *c = h->list; c; c = c->next)
        metrics_u64(b, "socialroi_component_failing", c->failing, "component", c->name, NULL);
}

/* ---- socialroi.daemon_health ---------------------------------------------------------------- */

static void written_cb(void *arg, PGresult *res, const char *err)
{
    struct write *w = arg;
    struct health *h = w->h;
    w->c->writing = false;
    if (!err) {
        w->c->stored = w->failing ? STORED_FAILING : STORED_OK;
        w->c->stored_failures = w->failures;
        h->flush_backoff_us = FLUSH_FIRST_US;
        health_ok(h, SELF);
    } else if (res) { /* a refused statement; a lost connection is pgconn's to report */
        health_fail(h, SELF, "set_daemon_health", err);
        h->next_flush_us = time_mono_us() + h->flush_backoff_us;
        h->flush_backoff_us =
            h->flush_backoff_us * 2 > FLUSH_MAX_US ? FLUSH_MAX_US : h->flush_backoff_us * 2;
    }
    free(w);
}

static bool changed(const struct component *c)
{
    if (!c->seen || c->writing || strcmp(c->name, SELF) == 0)
        return false;
    if (c->failing)
        return c->stored != STORED_FAILING || c->stored_failures != c->failures;
    return c->stored != STORED_OK;
}

static void write_one(struct health *h, struct component *c)
{
    char n[16];
    snprintf(n, sizeof n, "%d", c->failures);
    const char *p[4] = {c->name, h->owner, c->failing ? c->last_error : NULL, n};
    struct write *w = xcalloc(1, sizeof *w);
    *w = (struct write){h, c, c->failing, c->failures};
    if (pgconn_query(h->db, dbsql_set_daemon_health, 4, p, written_cb, w) < 0) {
        free(w);
        return;
    }
    c->writing = true;
}

static void cleared_cb(void *arg, PGresult *res, const char *err)
{
    struct health *h = arg;
    if (!err) {
        h->cleared = true;
        for (struct component *c = h->list; c; c = c->next)
            if (!c->writing)
                c->stored = STORED_OK;
    } else if (res) {
        health_fail(h, SELF, "clearing socialroi.daemon_health", err);
    }
}

/* Rows an earlier run of this daemon left behind (it stopped while failing) go first. */
static bool clear_old_rows(struct health *h)
{
    const char *p[1] = {h->owner};
    return pgconn_query(h->db, dbsql_clear_daemon_health, 1, p, cleared_cb, h) == 0;
}

void health_flush(struct health *h)
{
    if (!h->db || !pgconn_is_up(h->db) || time_mono_us() < h->next_flush_us)
        return;
    bool sent = !h->cleared && clear_old_rows(h);
    for (struct component *c = h->list; c; c = c->next) {
        if (changed(c)) {
            write_one(h, c);
            sent = sent || c->writing;
        }
    }
    if (sent)
        pgconn_sync(h->db, NULL, NULL);
}
