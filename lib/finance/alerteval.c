/*
 * alerteval.c - the daemon's side of the alerts: facts for the detectors, one evaluation per
 * rollup cycle, its log lines and its gauge (see alerteval.h).
 */
#include "alerteval.h"
#include "adapter.h"
#include "apiversion.h"
#include "dbsql.h"
#include "health.h"
#include "json.h"
#include "log.h"
#include "metrics.h"
#include "pgconn.h"
#include "platform.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COMPONENT "alerts"

/* Open alerts of one kind and severity, as the last evaluation left them. */
struct active {
    char *kind, *severity;
    int64_t n;
};

struct alerteval {
    struct health *health;
    struct active *active;
    size_t nactive;
    alerteval_done_fn *done;
    void *done_arg;
    bool running;
    bool sync_failed; /* the facts' last sync failed: sent again before the next evaluation */
    int64_t started_us;
    double last_s; /* how long the last evaluation took, seconds */
    uint64_t evaluations, failures, raised, resolved;
};

static bool aborted(const PGresult *res)
{
    return res && PQresultStatus(res) == PGRES_PIPELINE_ABORTED;
}

/* ---- facts the detectors need ---------------------------------------------------------------- */

struct versions_out {
    struct buf *b;
    bool first;
};

static void version_json(void *arg, const struct apiver_use *u)
{
    struct versions_out *o = arg;
    char day[16] = "";
    if (u->sunset != INT32_MIN)
        time_format_date(u->sunset, day, sizeof day);
    buf_puts(o->b, o->first ? "{" : ",{");
    o->first = false;
    json_write_member(o->b, "platform", u->platform);
    json_write_member(o->b, "family", apiver_family_name(u->family));
    json_write_member(o->b, "key", u->key);
    json_write_member(o->b, "version", u->version);
    json_write_member(o->b, "title", u->title);
    json_write_member(o->b, "sunset", *day ? day : NULL);
    json_write_member(o->b, "suggest", u->suggest);
    buf_printf(o->b, ",\"warn_days\":%d}", APIVER_WARN_DAYS);
}

void alerteval_facts_json(const struct config *cfg, int32_t today, struct buf *out)
{
    struct versions_out vo = {out, true};
    buf_puts(out, "{\"versions\":[");
    apiver_each_configured(cfg, today, version_json, &vo);
    buf_puts(out, "],\"streams\":[");
    const struct adapter *ad;
    const struct stream_def *d;
    for (size_t i = 0; (d = adapter_stream_at(i, &ad)) != NULL; i++) {
        enum api_family f;
        buf_puts(out, i ? ",{" : "{");
        json_write_member(out, "stream", d->name);
        json_write_member(out, "platform", platform_info(ad->platform)->name);
        json_write_member(out, "api_family",
                          apiver_stream_family(d->name, &f) ? apiver_family_name(f) : NULL);
        buf_printf(out, ",\"retention_days\":%d}", d->max_days_back);
    }
    buf_puts(out, "],\"listening\":[");
    bool first = true;
    for (size_t i = 0; i < cfg->naccounts; i++) {
        const struct cfg_account *a = &cfg->accounts[i];
        if (!a->enabled || a->platform_id != PLATFORM_X ||
            (a->x_posts_per_day <= 0 && a->x_posts_per_month <= 0))
            continue;
        buf_puts(out, first ? "{" : ",{");
        first = false;
        json_write_member(out, "account", a->name);
        buf_printf(out, ",\"per_day\":%ld,\"per_month\":%ld}", a->x_posts_per_day,
                   a->x_posts_per_month);
    }
    buf_puts(out, "]}");
}

static void sync_cb(void *arg, PGresult *res, const char *err)
{
    struct alerteval *a = arg;
    a->sync_failed = err != NULL;
    if (!err)
        health_ok(a->health, "alert_sync");
    else if (res && !aborted(res))
        health_fail(a->health, "alert_sync", "sync_alert_facts", err);
}

void alerteval_sync(struct alerteval *a, struct pgconn *db, const struct config *cfg)
{
    struct buf facts = {0};
    alerteval_facts_json(cfg, time_utc_day(time_wall_us()), &facts);
    const char *p[1] = {facts.data};
    if (pgconn_query(db, dbsql_sync_alert_facts, 1, p, sync_cb, a) == 0)
        pgconn_sync(db, NULL, NULL);
    buf_free(&facts);
}

/* ---- one evaluation -------------------------------------------------------------------------- */

static void evaluate_cb(void *arg, PGresult *res, const char *err)
{
    struct alerteval *a = arg;
    if (err) {
        if (res && !aborted(res)) {
            a->failures++;
            health_fail(a->health, COMPONENT, "alert_evaluate", err);
        }
        return;
    }
    if (PQntuples(res) != 1)
        return;
    int raised = atoi(PQgetvalue(res, 0, 0)), resolved = atoi(PQgetvalue(res, 0, 1));
    a->raised += (uint64_t)raised;
    a->resolved += (uint64_t)resolved;
    if (!PQgetisnull(res, 0, 3)) {
        char why[512];
        snprintf(why, sizeof why, "detectors failed: %s (their alerts are left as they were)",
                 PQgetvalue(res, 0, 3));
        a->failures++;
        health_fail(a->health, COMPONENT, "alert detectors", why);
    } else {
        health_ok(a->health, COMPONENT);
    }
    log_info("alerts: evaluated raised=%d resolved=%d active=%s", raised, resolved,
             PQgetvalue(res, 0, 2));
}

/* This evaluation's events (their time is the evaluation's now()): one line each. */
static void events_cb(void *arg, PGresult *res, const char *err)
{
    (void)arg;
    if (err)
        return;
    for (int i = 0; i < PQntuples(res); i++) {
        const char *event = PQgetvalue(res, i, 0), *kind = PQgetvalue(res, i, 1),
                   *subject = PQgetvalue(res, i, 2), *severity = PQgetvalue(res, i, 3),
                   *message = PQgetvalue(res, i, 4);
        if (strcmp(event, "resolved") == 0)
            log_notice("alert resolved: %s %s", kind, subject);
        else
            log_notice("alert %s: %s %s: %s severity=%s", event, kind, subject, message, severity);
    }
}

static void free_active(struct alerteval *a)
{
    for (size_t i = 0; i < a->nactive; i++) {
        free(a->active[i].kind);
        free(a->active[i].severity);
    }
    free(a->active);
    a->active = NULL;
    a->nactive = 0;
}

static void active_cb(void *arg, PGresult *res, const char *err)
{
    struct alerteval *a = arg;
    if (err)
        return;
    free_active(a);
    a->nactive = (size_t)PQntuples(res);
    a->active = xcalloc(a->nactive + 1, sizeof *a->active);
    for (size_t i = 0; i < a->nactive; i++) {
        a->active[i].kind = xstrdup(PQgetvalue(res, (int)i, 0));
        a->active[i].severity = xstrdup(PQgetvalue(res, (int)i, 1));
        a->active[i].n = atoll(PQgetvalue(res, (int)i, 2));
    }
}

static void end_cb(void *arg, PGresult *res, const char *err)
{
    struct alerteval *a = arg;
    alerteval_done_fn *done = a->done;
    if (err && res && !aborted(res)) {
        a->failures++;
        health_fail(a->health, COMPONENT, "alert evaluation commit", err);
    }
    a->running = false;
    a->evaluations += res != NULL;
    a->last_s = (double)(time_mono_us() - a->started_us) / 1e6;
    a->done = NULL;
    if (done)
        done(a->done_arg, res == NULL);
}

int alerteval_run(struct alerteval *a, struct pgconn *db, const struct config *cfg,
                  alerteval_done_fn *done, void *arg)
{
    if (a->running || !pgconn_is_up(db))
        return -1;
    if (a->sync_failed)
        alerteval_sync(a, db, cfg);
    if (pgconn_query(db, dbsql_alert_evaluate, 0, NULL, evaluate_cb, a) < 0)
        return -1;
    a->running = true;
    a->done = done;
    a->done_arg = arg;
    a->started_us = time_mono_us();
    pgconn_query(db, dbsql_alert_events, 0, NULL, events_cb, a);
    pgconn_query(db, dbsql_alert_active, 0, NULL, active_cb, a);
    if (pgconn_sync(db, end_cb, a) < 0) { /* the connection just went */
        a->running = false;
        a->done = NULL;
        return -1;
    }
    return 0;
}

/* ---- public ---------------------------------------------------------------------------------- */

struct alerteval *alerteval_new(struct health *h)
{
    struct alerteval *a = xcalloc(1, sizeof *a);
    a->health = h;
    return a;
}

void alerteval_free(struct alerteval *a)
{
    if (!a)
        return;
    free_active(a);
    free(a);
}

void alerteval_metrics(const struct alerteval *a, struct buf *b)
{
    metrics_family(b, "socialroi_alert_active", "gauge",
                   "Open alerts by kind and severity after the last evaluation (0 once resolved).");
    for (size_t i = 0; i < a->nactive; i++)
        metrics_i64(b, "socialroi_alert_active", a->active[i].n, "kind", a->active[i].kind,
                    "severity", a->active[i].severity, NULL);
    metrics_family(b, "socialroi_alert_evaluations_total", "counter",
                   "Alert evaluations run (after rollup cycles that left nothing dirty).");
    metrics_u64(b, "socialroi_alert_evaluations_total", a->evaluations, NULL);
    metrics_family(b, "socialroi_alert_evaluation_seconds", "gauge",
                   "How long the last alert evaluation took.");
    metrics_f64(b, "socialroi_alert_evaluation_seconds", a->last_s, NULL);
    metrics_family(b, "socialroi_alerts_raised_total", "counter",
                   "Alerts this daemon's evaluations raised.");
    metrics_u64(b, "socialroi_alerts_raised_total", a->raised, NULL);
    metrics_family(b, "socialroi_alerts_resolved_total", "counter",
                   "Alerts this daemon's evaluations resolved.");
    metrics_u64(b, "socialroi_alerts_resolved_total", a->resolved, NULL);
}
