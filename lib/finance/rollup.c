/*
 * rollup.c - the daemon's finance side: config sync and the incremental rollup job.
 *
 * On its own database connection (a long rollup never delays ingestion), it syncs what the
 * config declares about money (reporting currency and attribution half-life, [fx] static rates
 * and the [fx] csv file, [campaign] sections) whenever the config is loaded, then keeps the
 * rollups current: socialroi.rollup_dirty() recomputes the campaign days and conversions that
 * new facts marked dirty, in batches, back to back while work is left, every rollup_interval
 * otherwise. After each cycle that left nothing dirty it runs the alerts' evaluation
 * (alerteval.c) on the same connection, and its config sync carries the alerts' facts. See
 * rollup.h.
 */
#include "rollup.h"
#include "alerteval.h"
#include "dbsql.h"
#include "buf.h"
#include "campaign.h"
#include "fxcsv.h"
#include "health.h"
#include "json.h"
#include "log.h"
#include "pgconn.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH          "500"
#define RETRY_FIRST_MS 5000
#define RETRY_MAX_MS   60000
#define ONCE_FIRST_MS  1000
#define ONCE_MAX_MS    16000
#define ONCE_ATTEMPTS  6 /* 1 + 2 + 4 + 8 + 16 s: a --once run gives up within a minute */

/* One statement of the config sync: which component it belongs to. */
struct step {
    struct rollup *r;
    const char *component, *what;
};

enum { STEP_SETTINGS, STEP_FX, STEP_FX_CSV, STEP_CAMPAIGNS, STEP_COUNT };

struct rollup {
    struct event_base *base;
    struct pgconn *db;
    struct health *health;
    struct alerteval *alerts;
    struct event *timer;
    const struct config *cfg;
    bool once, ready, busy, need_sync, gave_up;
    int64_t interval_ms, retry_ms;
    int attempts; /* consecutive failures */
    rollup_drained_fn *drained;
    void *drained_arg;
    /* a drain asked for while a cycle ran: that cycle's batches may have read the dirty marks
     * before the last pages committed, so one more cycle runs before the drain is done */
    bool drain_again;
    uint64_t runs, syncs, failures;
    int64_t left;
    struct step steps[STEP_COUNT];
    const struct step *failed_step; /* the first statement of the sync that failed */
    char failed_err[300];
};

static void run(struct rollup *r);

static void arm(struct rollup *r, int64_t ms)
{
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000 * 1000)};
    evtimer_add(r->timer, &tv);
}

static void finish_drain(struct rollup *r, bool failed)
{
    rollup_drained_fn *cb = r->drained;
    r->drained = NULL;
    if (cb)
        cb(r->drained_arg, failed);
}

/* Counts a failed attempt, retries with a doubling delay; --once gives up after a few. */
static void failed(struct rollup *r, const char *component, const char *what, const char *err)
{
    r->failures++;
    r->attempts++;
    r->busy = false;
    health_fail(r->health, component, what, err);
    if (r->once && r->attempts >= ONCE_ATTEMPTS) {
        log_err("rollup: --once gives up after %d failed attempts", r->attempts);
        r->gave_up = true;
        finish_drain(r, true);
        return;
    }
    arm(r, r->retry_ms);
    int64_t cap = r->once ? ONCE_MAX_MS : RETRY_MAX_MS;
    r->retry_ms = r->retry_ms * 2 > cap ? cap : r->retry_ms * 2;
}

static void succeeded(struct rollup *r)
{
    r->attempts = 0;
    r->retry_ms = r->once ? ONCE_FIRST_MS : RETRY_FIRST_MS;
}

/* ---- the rollup job ------------------------------------------------------------------------- */

/* The cycle is over: --once is drained, the daemon waits for the next one. */
static void cycle_done(struct rollup *r)
{
    if (r->drained && r->drain_again) {
        r->drain_again = false;
        arm(r, 0);
    } else if (r->drained) {
        finish_drain(r, false);
    } else {
        arm(r, r->interval_ms);
    }
}

static void evaluated_cb(void *arg, bool lost)
{
    struct rollup *r = arg;
    r->busy = false;
    if (!lost) /* else state_cb starts again when the connection is back */
        cycle_done(r);
}

/* Nothing is dirty: the alerts see current figures now. Their failures are theirs ("alerts").
 * A --once run evaluates once, at its end: not before its drain, nor in a cycle the drain
 * runs again. */
static void evaluate_alerts(struct rollup *r)
{
    if ((r->once && !r->drained) || r->drain_again) {
        cycle_done(r);
        return;
    }
    r->busy = true;
    if (alerteval_run(r->alerts, r->db, r->cfg, evaluated_cb, r) < 0) {
        r->busy = false;
        cycle_done(r);
    }
}

static void dirty_cb(void *arg, PGresult *res, const char *err)
{
    struct rollup *r = arg;
    if (err) {
        if (res)
            failed(r, "rollup", "rollup_dirty", err);
        else
            r->busy = false; /* the connection went: state_cb starts again when it is back */
        return;
    }
    r->runs++;
    r->left = PQntuples(res) == 1 ? atoll(PQgetvalue(res, 0, 0)) : 0;
    r->busy = false;
    succeeded(r);
    health_ok(r->health, "rollup");
    if (r->left > 0)
        arm(r, 0); /* more to do: go on, but let the loop breathe between batches */
    else
        evaluate_alerts(r);
}

static void run_dirty(struct rollup *r)
{
    static const char *const batch[] = {BATCH};
    r->busy = true;
    if (pgconn_query(r->db, dbsql_rollup_dirty, 1, batch, dirty_cb, r) < 0) {
        r->busy = false;
        return;
    }
    pgconn_sync(r->db, NULL, NULL);
}

/* ---- config sync ------------------------------------------------------------------------------
 */

static void sync_cb(void *arg, PGresult *res, const char *err)
{
    struct rollup *r = arg;
    const struct step *st = r->failed_step;
    r->failed_step = NULL;
    if (!res) { /* the connection went: state_cb syncs again when it is back */
        r->busy = false;
        r->need_sync = true;
        return;
    }
    if (st || err) {
        r->need_sync = true;
        if (st)
            failed(r, st->component, st->what, r->failed_err);
        else
            failed(r, "campaign_sync", "campaign and FX sync commit", err);
        return;
    }
    r->syncs++;
    for (int i = 0; i < STEP_COUNT; i++)
        health_ok(r->health, r->steps[i].component);
    log_info("rollup: campaigns and FX synced campaigns=%zu static_rates=%zu", r->cfg->ncampaigns,
             r->cfg->nfx);
    run_dirty(r);
}

static void step_cb(void *arg, PGresult *res, const char *err)
{
    struct step *st = arg;
    struct rollup *r = st->r;
    if (err && res && !r->failed_step) {
        r->failed_step = st; /* the statements after it only say they were aborted */
        snprintf(r->failed_err, sizeof r->failed_err, "%s", err);
    }
}

static void step(struct rollup *r, int which, const char *sql, int n, const char *const *p)
{
    pgconn_query(r->db, sql, n, p, step_cb, &r->steps[which]);
}

/* The [fx] csv file, read at each sync (a small local file). */
static void add_fx_csv(struct rollup *r)
{
    struct buf rows = {0};
    struct fxcsv_stats st;
    char err[256];
    if (!r->cfg->fx_csv || !*r->cfg->fx_csv)
        return;
    if (fxcsv_read(r->cfg->fx_csv, &rows, &st, err, sizeof err) < 0) {
        log_err("rollup: [fx] csv not imported: %s", err);
    } else {
        const char *p[3] = {rows.data, "EUR", "csv"};
        step(r, STEP_FX_CSV, dbsql_import_fx, 3, p);
        log_info("rollup: [fx] csv read path=%s days=%zu rates=%zu", r->cfg->fx_csv, st.days,
                 st.quotes);
    }
    buf_free(&rows);
}

static void sync(struct rollup *r)
{
    struct buf campaigns = {0}, rates = {0};
    char half[32];
    snprintf(half, sizeof half, "%.6f", (double)r->cfg->daemon.half_life_ms / 86400000.0);
    campaign_json(r->cfg, &campaigns);
    buf_puts(&rates, "{");
    for (size_t i = 0; i < r->cfg->nfx; i++) {
        buf_printf(&rates, "%s\"%s\":", i ? "," : "", r->cfg->fx[i].currency);
        json_write_str(&rates, r->cfg->fx[i].rate);
    }
    buf_puts(&rates, "}");
    const char *s[2] = {r->cfg->daemon.reporting_currency, half};
    const char *f[1] = {rates.data};
    const char *c[1] = {campaigns.data};
    r->busy = true;
    r->need_sync = false;
    /* one pipeline segment, so one transaction: all of it or none */
    r->failed_step = NULL;
    if (pgconn_query(r->db, dbsql_sync_settings, 2, s, step_cb, &r->steps[STEP_SETTINGS]) < 0) {
        r->busy = false;
        r->need_sync = true;
    } else {
        step(r, STEP_FX, dbsql_sync_fx_static, 1, f);
        add_fx_csv(r);
        step(r, STEP_CAMPAIGNS, dbsql_sync_campaigns, 1, c);
        pgconn_sync(r->db, sync_cb, r);
        /* a segment of its own: the money's sync never waits on the alerts' */
        alerteval_sync(r->alerts, r->db, r->cfg);
    }
    buf_free(&campaigns);
    buf_free(&rates);
}

static void run(struct rollup *r)
{
    if (!r->ready || r->busy || !pgconn_is_up(r->db))
        return;
    if (r->need_sync)
        sync(r);
    else
        run_dirty(r);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    run(arg);
}

static void state_cb(void *arg, enum pgconn_event ev)
{
    struct rollup *r = arg;
    if (ev == PGCONN_UP) {
        r->need_sync = true; /* a restarted database may have missed the last sync */
        run(r);
    } else {
        r->busy = false;
    }
}

/* ---- public ------------------------------------------------------------------------------------
 */

struct rollup *rollup_new(struct event_base *base, const struct config *cfg, struct health *h,
                          bool once)
{
    static const struct step steps[STEP_COUNT] = {
        [STEP_SETTINGS] = {NULL, "settings_sync", "sync_settings"},
        [STEP_FX] = {NULL, "fx_sync", "sync_fx_static"},
        [STEP_FX_CSV] = {NULL, "fx_sync", "import_fx"},
        [STEP_CAMPAIGNS] = {NULL, "campaign_sync", "sync_campaigns"},
    };
    struct rollup *r = xcalloc(1, sizeof *r);
    r->base = base;
    r->cfg = cfg;
    r->health = h;
    r->alerts = alerteval_new(h);
    r->once = once;
    succeeded(r);
    for (int i = 0; i < STEP_COUNT; i++) {
        r->steps[i] = steps[i];
        r->steps[i].r = r;
    }
    r->interval_ms = cfg->daemon.rollup_interval_ms;
    r->need_sync = true;
    r->timer = evtimer_new(base, timer_cb, r);
    if (!r->timer)
        abort();
    r->db = pgconn_new(base, cfg->daemon.database, cfg->daemon.reconnect_max_ms, state_cb, r);
    return r;
}

void rollup_free(struct rollup *r)
{
    if (!r)
        return;
    pgconn_free(r->db);
    alerteval_free(r->alerts);
    event_free(r->timer);
    free(r);
}

void rollup_set_ready(struct rollup *r, bool ready)
{
    r->ready = ready;
    run(r);
}

void rollup_configure(struct rollup *r, const struct config *cfg)
{
    r->cfg = cfg;
    r->interval_ms = cfg->daemon.rollup_interval_ms;
    r->need_sync = true;
    run(r);
}

void rollup_drain(struct rollup *r, rollup_drained_fn *cb, void *arg)
{
    r->drained = cb;
    r->drained_arg = arg;
    if (r->gave_up) {
        finish_drain(r, true);
        return;
    }
    r->drain_again = r->busy;
    if (!r->busy && !r->attempts) {
        evtimer_del(r->timer);
        run(r);
    }
}

bool rollup_is_up(const struct rollup *r)
{
    return pgconn_is_up(r->db);
}

void rollup_metrics(const struct rollup *r, struct buf *b)
{
    metrics_family(b, "socialroi_rollup_runs_total", "counter", "Rollup batches run.");
    metrics_u64(b, "socialroi_rollup_runs_total", r->runs, NULL);
    metrics_family(b, "socialroi_rollup_dirty", "gauge",
                   "Campaign days and conversions still to recompute (after the last batch).");
    metrics_i64(b, "socialroi_rollup_dirty", r->left, NULL);
    metrics_family(b, "socialroi_rollup_failures_total", "counter",
                   "Failed rollup batches and config syncs.");
    metrics_u64(b, "socialroi_rollup_failures_total", r->failures, NULL);
    metrics_family(b, "socialroi_config_syncs_total", "counter",
                   "Campaign and FX syncs of the config into the database.");
    metrics_u64(b, "socialroi_config_syncs_total", r->syncs, NULL);
    alerteval_metrics(r->alerts, b);
}
