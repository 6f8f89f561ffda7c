/*
 * rollup.c - the daemon's finance side: config sync and the incremental rollup job.
 *
 * On its own database connection (a long rollup never delays ingestion), it syncs what the
 * config declares about money (reporting currency and attribution half-life, [fx] static rates
 * and the [fx] csv file, [campaign] sections) whenever the config is loaded, then keeps the
 * rollups current: socialroi.rollup_dirty() recomputes the campaign days and conversions that
 * new facts marked dirty, in batches, back to back while work is left, every rollup_interval
 * otherwise. See rollup.h.
 */
#include "rollup.h"
#include "buf.h"
#include "campaign.h"
#include "fxcsv.h"
#include "json.h"
#include "log.h"
#include "pgconn.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH    "500"
#define RETRY_MS 5000

struct rollup {
    struct event_base *base;
    struct pgconn *db;
    struct event *timer;
    const struct config *cfg;
    bool ready, busy, need_sync, step_failed;
    int64_t interval_ms;
    rollup_drained_fn *drained;
    void *drained_arg;
    uint64_t runs, syncs, failures;
    int64_t left;
    struct complain complain;
};

static void run(struct rollup *r);

static void arm(struct rollup *r, int64_t ms)
{
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000 * 1000)};
    evtimer_add(r->timer, &tv);
}

static void failed(struct rollup *r, const char *what, const char *err)
{
    r->failures++;
    complain(&r->complain, LOG_WARNING, "rollup: %s failed error=\"%s\"", what, err);
    r->busy = false;
    arm(r, RETRY_MS);
}

/* ---- the rollup job ------------------------------------------------------------------------- */

static void dirty_cb(void *arg, PGresult *res, const char *err)
{
    struct rollup *r = arg;
    if (err || !res) {
        failed(r, "rollup_dirty", err ? err : "connection lost");
        return;
    }
    r->runs++;
    r->left = PQntuples(res) == 1 ? atoll(PQgetvalue(res, 0, 0)) : 0;
    r->busy = false;
    complain_release(&r->complain, "rollup: working again");
    if (r->left > 0) {
        arm(r, 0); /* more to do: go on, but let the loop breathe between batches */
    } else if (r->drained) {
        rollup_drained_fn *cb = r->drained;
        r->drained = NULL;
        cb(r->drained_arg);
    } else {
        arm(r, r->interval_ms);
    }
}

static void run_dirty(struct rollup *r)
{
    static const char *const batch[] = {BATCH};
    r->busy = true;
    if (pgconn_query(r->db, "SELECT socialroi.rollup_dirty($1::integer)", 1, batch, dirty_cb, r) <
        0) {
        r->busy = false;
        arm(r, RETRY_MS);
        return;
    }
    pgconn_sync(r->db, NULL, NULL);
}

/* ---- config sync ------------------------------------------------------------------------------
 */

static void step_cb(void *arg, PGresult *res, const char *err);

static void sync_cb(void *arg, PGresult *res, const char *err)
{
    struct rollup *r = arg;
    if (!res || err || r->step_failed) {
        r->step_failed = false;
        failed(r, "campaign and FX sync", err ? err : "connection lost");
        r->need_sync = true;
        return;
    }
    r->syncs++;
    log_info("rollup: campaigns and FX synced campaigns=%zu static_rates=%zu", r->cfg->ncampaigns,
             r->cfg->nfx);
    run_dirty(r);
}

static void step_cb(void *arg, PGresult *res, const char *err)
{
    struct rollup *r = arg;
    (void)res;
    if (err) {
        r->step_failed = true;
        log_err("rollup: sync statement failed error=\"%s\"", err);
    }
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
        pgconn_query(r->db, "SELECT socialroi.import_fx($1::jsonb, $2, $3)", 3, p, step_cb, r);
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
    if (pgconn_query(r->db, "SELECT socialroi.sync_settings($1, $2::numeric)", 2, s, step_cb, r) <
        0) {
        r->busy = false;
        r->need_sync = true;
    } else {
        pgconn_query(r->db, "SELECT socialroi.sync_fx_static($1::jsonb)", 1, f, step_cb, r);
        add_fx_csv(r);
        pgconn_query(r->db, "SELECT socialroi.sync_campaigns($1::jsonb)", 1, c, step_cb, r);
        pgconn_sync(r->db, sync_cb, r);
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

struct rollup *rollup_new(struct event_base *base, const struct config *cfg)
{
    struct rollup *r = xcalloc(1, sizeof *r);
    r->base = base;
    r->cfg = cfg;
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
    evtimer_del(r->timer);
    if (!r->busy)
        run(r);
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
    metrics_family(b, "socialroi_rollup_failures_total", "counter", "Rollup or sync failures.");
    metrics_u64(b, "socialroi_rollup_failures_total", r->failures, NULL);
    metrics_family(b, "socialroi_config_syncs_total", "counter",
                   "Campaign and FX syncs of the config into the database.");
    metrics_u64(b, "socialroi_config_syncs_total", r->syncs, NULL);
}
