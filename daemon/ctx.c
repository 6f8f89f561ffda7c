/*
 * ctx.c - daemon wiring: modules, signals, reload, health, metrics (see ctx.h).
 */
#include "ctx.h"
#include "alertsend.h"
#include "apiversion.h"
#include "dbschema.h"
#include "engine.h"
#include "fetch.h"
#include "health.h"
#include "http.h"
#include "log.h"
#include "metrics.h"
#include "notify.h"
#include "pgconn.h"
#include "rollup.h"
#include "schema.h"
#include "sha256.h"
#include "signals.h"
#include "timeutil.h"
#include "tokens.h"
#include "writer.h"
#include "xmalloc.h"

#include <curl/curl.h>
#include <limits.h>
#include <stdio.h>
#include <unistd.h>

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#define TICK_MS            1000
#define LOOP_STALL_MS      5000
#define EXIT_OK            0
#define EXIT_FAILURE_RC    1
#define WRITER_HIGH_WATER  64
#define ONCE_DB_TIMEOUT_MS 60000
#define SCHEMA_RETRY_MS    5000

enum schema_state { SCHEMA_UNKNOWN, SCHEMA_OK, SCHEMA_OLD };

struct sr_ctx {
    struct ctx_options opt;
    struct event_base *base;
    struct config *cfg;
    struct pgconn *db;
    /* the writer's connections: db first, then the ones [daemon] writers adds */
    struct pgconn *lanes[CFG_WRITERS_MAX];
    size_t nlanes;
    struct writer *writer;
    struct fetch *fetch;
    struct tokens *tokens;
    struct engine *engine;
    struct rollup *rollup;
    struct alertsend *alertsend; /* NULL under --once */
    struct health *health;
    struct event *once_timer;
    char owner[128];
    struct http_status *http;
    struct signals *sig;
    struct notify *notify;
    struct event *tick;
    struct event *stop_timer;
    int64_t last_tick_us;
    double start_time;
    enum schema_state schema;
    int schema_version;
    bool first_schema_check_done, schema_asking;
    int64_t schema_retry_at_us;
    bool stopping;
    int exit_code;
    uint64_t reloads, reload_failures;
};

/* ---- database --------------------------------------------------------------------------- */

static void schema_cb(void *arg, int version, const char *err)
{
    struct sr_ctx *ctx = arg;
    ctx->schema_asking = false;
    if (err) {
        /* asked again from the tick while the connection stays up */
        health_fail(ctx->health, "schema_check", "reading the schema version", err);
        ctx->schema_retry_at_us = time_mono_us() + SCHEMA_RETRY_MS * 1000LL;
        return;
    }
    health_ok(ctx->health, "schema_check");
    ctx->schema_version = version;
    if (version < schema_expected_version()) {
        ctx->schema = SCHEMA_OLD;
        log_err("db: database schema is at version %03d but this socialroid needs %03d: run "
                "socialroi migrate",
                version, schema_expected_version());
        if (!ctx->first_schema_check_done) {
            /* at startup, refuse to run at all rather than write into an old schema */
            ctx->exit_code = EXIT_FAILURE_RC;
            event_base_loopbreak(ctx->base);
        }
    } else {
        ctx->schema = SCHEMA_OK;
        if (version > schema_expected_version())
            log_warn("db: database schema %03d is newer than this socialroid (%03d)", version,
                     schema_expected_version());
        log_info("db: schema ok version=%03d", version);
        notify_status(ctx->notify, "database connected, schema %03d", version);
        writer_set_ready(ctx->writer, true);
        engine_db_ready(ctx->engine, true);
        rollup_set_ready(ctx->rollup, true);
        if (ctx->alertsend)
            alertsend_set_ready(ctx->alertsend, true);
    }
    ctx->first_schema_check_done = true;
}

static void ask_schema(struct sr_ctx *ctx)
{
    if (ctx->schema_asking || time_mono_us() < ctx->schema_retry_at_us)
        return;
    if (dbschema_query(ctx->db, schema_cb, ctx) < 0)
        log_warn("db: connection went away before the schema check");
    else
        ctx->schema_asking = true;
}

static void db_state_cb(void *arg, enum pgconn_event ev)
{
    struct sr_ctx *ctx = arg;
    if (ev == PGCONN_UP) {
        ctx->schema_retry_at_us = 0;
        ask_schema(ctx);
    } else {
        ctx->schema = SCHEMA_UNKNOWN;
        writer_set_ready(ctx->writer, false);
        engine_db_ready(ctx->engine, false);
        notify_status(ctx->notify, "database unavailable, reconnecting");
    }
}

/* The first of the writer's extra connections that is down, or NULL. */
static struct pgconn *lane_down(const struct sr_ctx *ctx)
{
    for (size_t i = 1; i < ctx->nlanes; i++)
        if (ctx->lanes[i] && !pgconn_is_up(ctx->lanes[i]))
            return ctx->lanes[i];
    return NULL;
}

/*
 * A writer connection besides the main one came up or went away: its pages wait while it is
 * away, and the "writer" component says so until every one of them is up again.
 */
static void lane_state_cb(void *arg, enum pgconn_event ev)
{
    struct sr_ctx *ctx = arg;
    struct pgconn *down = lane_down(ctx);
    if (down)
        health_fail(ctx->health, "writer", "connect", pgconn_last_error(down));
    else
        health_ok(ctx->health, "writer");
    if (ev == PGCONN_UP && ctx->writer)
        writer_connection_up(ctx->writer);
}

static size_t lanes_up(const struct sr_ctx *ctx)
{
    size_t n = 0;
    for (size_t i = 0; i < ctx->nlanes; i++)
        n += pgconn_is_up(ctx->lanes[i]);
    return n;
}

/* ---- health and metrics ------------------------------------------------------------------ */

static bool loop_ok(const struct sr_ctx *ctx, int64_t *lag_ms)
{
    *lag_ms = (time_mono_us() - ctx->last_tick_us) / 1000 - TICK_MS;
    if (*lag_ms < 0)
        *lag_ms = 0;
    return *lag_ms < LOOP_STALL_MS;
}

static bool health_cb(void *arg, struct buf *body)
{
    struct sr_ctx *ctx = arg;
    int64_t lag;
    bool loop = loop_ok(ctx, &lag);
    bool up = pgconn_is_up(ctx->db);
    bool db = up && ctx->schema == SCHEMA_OK;
    const char *dbstate = !up                         ? "down"
                          : ctx->schema == SCHEMA_OLD ? "schema_too_old"
                          : ctx->schema == SCHEMA_OK  ? "ok"
                                                      : "checking";
    bool serving = loop && db && !ctx->stopping;
    bool ok = serving && !health_failing(ctx->health);
    const char *status = ok ? "ok" : serving ? "degraded" : "unavailable";
    buf_printf(body,
               "{\"status\":\"%s\",\"loop\":\"%s\",\"loop_lag_ms\":%lld,\"database\":\"%s\","
               "\"schema_version\":%d,\"schema_expected\":%d,\"stopping\":%s",
               status, loop ? "ok" : "stalled", (long long)lag, dbstate, ctx->schema_version,
               schema_expected_version(), ctx->stopping ? "true" : "false");
    health_json(ctx->health, body);
    buf_puts(body, "}\n");
    return ok;
}

static void metrics_cb(void *arg, struct buf *b)
{
    struct sr_ctx *ctx = arg;
    struct pgconn_stats st;
    pgconn_stats(ctx->db, &st);
    metrics_process(b, ctx->start_time);
    metrics_family(b, "socialroi_build_info", "gauge", "Build information.");
    metrics_u64(b, "socialroi_build_info", 1, "version", SR_VERSION, NULL);
    metrics_family(b, "socialroi_db_up", "gauge", "1 when the database connection is up.");
    metrics_u64(b, "socialroi_db_up", st.up, NULL);
    metrics_family(b, "socialroi_db_writer_connections", "gauge",
                   "Connections the page writer uses ([daemon] writers).");
    metrics_u64(b, "socialroi_db_writer_connections", ctx->nlanes, NULL);
    metrics_family(b, "socialroi_db_writer_connections_up", "gauge",
                   "The page writer's connections that are up.");
    metrics_u64(b, "socialroi_db_writer_connections_up", lanes_up(ctx), NULL);
    metrics_family(b, "socialroi_db_schema_version", "gauge", "Schema version of the database.");
    metrics_i64(b, "socialroi_db_schema_version", ctx->schema_version, NULL);
    metrics_family(b, "socialroi_db_connects_total", "counter", "Successful connections.");
    metrics_u64(b, "socialroi_db_connects_total", st.connects, NULL);
    metrics_family(b, "socialroi_db_connect_failures_total", "counter", "Failed connections.");
    metrics_u64(b, "socialroi_db_connect_failures_total", st.connect_failures, NULL);
    metrics_family(b, "socialroi_db_disconnects_total", "counter", "Connections lost.");
    metrics_u64(b, "socialroi_db_disconnects_total", st.disconnects, NULL);
    metrics_family(b, "socialroi_db_queries_total", "counter", "Queries sent.");
    metrics_u64(b, "socialroi_db_queries_total", st.queries, NULL);
    metrics_family(b, "socialroi_db_pending_queries", "gauge", "Queries awaiting results.");
    metrics_u64(b, "socialroi_db_pending_queries", st.pending, NULL);
    health_metrics(ctx->health, b);
    engine_metrics(ctx->engine, b);
    rollup_metrics(ctx->rollup, b);
    if (ctx->alertsend)
        alertsend_metrics(ctx->alertsend, b);
    metrics_family(b, "socialroi_config_reloads_total", "counter", "Reloads, by result.");
    metrics_u64(b, "socialroi_config_reloads_total", ctx->reloads, "result", "ok", NULL);
    metrics_u64(b, "socialroi_config_reloads_total", ctx->reload_failures, "result", "failed",
                NULL);
}

/* ---- signals ----------------------------------------------------------------------------- */

static void apply_config(struct sr_ctx *ctx, struct config *cfg)
{
    config_keep_restart_keys(ctx->cfg, cfg);
    log_set_level(cfg->daemon.log_level);
    apiver_check_config(cfg, time_utc_day(time_wall_us()), apiver_log_note, NULL);
    for (size_t i = 0; i < ctx->nlanes; i++)
        pgconn_set_backoff_max(ctx->lanes[i], cfg->daemon.reconnect_max_ms);
    fetch_set_limits(ctx->fetch, cfg->daemon.max_inflight, cfg->daemon.max_inflight);
    tokens_load(ctx->tokens, cfg);
    engine_reconfigure(ctx->engine, cfg); /* before the old config (which jobs point at) goes */
    rollup_configure(ctx->rollup, cfg);
    if (ctx->alertsend)
        alertsend_configure(ctx->alertsend, cfg);
    config_free(ctx->cfg);
    ctx->cfg = cfg;
}

static void reload_cb(void *arg)
{
    struct sr_ctx *ctx = arg;
    char *err = NULL;
    notify_reloading(ctx->notify);
    log_notice("config: reloading path=%s", ctx->opt.config_path);
    struct config *cfg = config_load(ctx->opt.config_path, 0, &err);
    if (!cfg) {
        ctx->reload_failures++;
        /* one log line per problem; the old configuration stays in force */
        for (char *line = strtok(err, "\n"); line; line = strtok(NULL, "\n"))
            log_err("config: %s", line);
        log_err("config: reload failed, keeping the running configuration");
        free(err);
    } else {
        apply_config(ctx, cfg);
        ctx->reloads++;
        log_notice("config: reloaded accounts=%zu campaigns=%zu", cfg->naccounts, cfg->ncampaigns);
    }
    notify_ready(ctx->notify);
}

static void stop_now_cb(evutil_socket_t fd, short what, void *arg)
{
    struct sr_ctx *ctx = arg;
    (void)fd;
    (void)what;
    log_warn("daemon: shutdown timeout reached, exiting with work in flight");
    event_base_loopbreak(ctx->base);
}

static void stop_cb(void *arg, int signo)
{
    struct sr_ctx *ctx = arg;
    if (ctx->stopping) {
        log_warn("daemon: second stop signal, exiting at once");
        event_base_loopbreak(ctx->base);
        return;
    }
    ctx->stopping = true;
    log_notice("daemon: stopping signal=%d", signo);
    notify_stopping(ctx->notify);
    int64_t ms = ctx->cfg->daemon.shutdown_timeout_ms;
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)(ms % 1000 * 1000)};
    ctx->stop_timer = evtimer_new(ctx->base, stop_now_cb, ctx);
    evtimer_add(ctx->stop_timer, &tv);
    /* in-flight fetches finish and their pages are committed; engine_done_cb ends the loop */
    engine_stop(ctx->engine);
}

static void stats_cb(void *arg)
{
    struct sr_ctx *ctx = arg;
    struct pgconn_stats st;
    struct writer_stats ws;
    char engine[160];
    pgconn_stats(ctx->db, &st);
    writer_stats(ctx->writer, &ws);
    engine_summary(ctx->engine, engine, sizeof engine);
    log_notice("stats: db_up=%d schema=%03d db_connects=%llu db_failures=%llu "
               "db_disconnects=%llu queries=%llu query_errors=%llu reloads=%llu "
               "reload_failures=%llu pages=%llu rows=%llu writer_queued=%zu %s",
               st.up, ctx->schema_version, (unsigned long long)st.connects,
               (unsigned long long)st.connect_failures, (unsigned long long)st.disconnects,
               (unsigned long long)st.queries, (unsigned long long)st.query_errors,
               (unsigned long long)ctx->reloads, (unsigned long long)ctx->reload_failures,
               (unsigned long long)ws.pages, (unsigned long long)ws.rows, ws.queued + ws.inflight,
               engine);
}

static void rolled_up_cb(void *arg, bool failed)
{
    struct sr_ctx *ctx = arg;
    if (failed)
        ctx->exit_code = EXIT_FAILURE_RC;
    log_notice("daemon: --once finished result=%s", ctx->exit_code ? "failed" : "ok");
    event_base_loopexit(ctx->base, NULL);
}

/* --once finished (then the rollups catch up before exiting), or a stop drained everything. */
static void engine_done_cb(void *arg, bool failed)
{
    struct sr_ctx *ctx = arg;
    if (ctx->opt.once && !ctx->stopping) {
        ctx->exit_code = failed ? EXIT_FAILURE_RC : EXIT_OK;
        rollup_drain(ctx->rollup, rolled_up_cb, ctx);
        return;
    }
    event_base_loopexit(ctx->base, NULL);
}

static void once_timeout_cb(evutil_socket_t fd, short what, void *arg)
{
    struct sr_ctx *ctx = arg;
    (void)fd;
    (void)what;
    if (ctx->schema == SCHEMA_OK)
        return;
    log_err("daemon: --once gave up: no usable database after %d s", ONCE_DB_TIMEOUT_MS / 1000);
    ctx->exit_code = EXIT_FAILURE_RC;
    event_base_loopbreak(ctx->base);
}

/*
 * The lease owner: host and configuration file. The same daemon restarted after a crash is the
 * same owner and takes its unfinished runs back at once; a second daemon on the same host
 * needs a configuration file of its own.
 */
static void make_owner(struct sr_ctx *ctx)
{
    char host[64] = "localhost", path[4096], hex[65];
    gethostname(host, sizeof host - 1);
    if (!realpath(ctx->opt.config_path, path))
        snprintf(path, sizeof path, "%s", ctx->opt.config_path);
    sha256_hex(path, strlen(path), hex);
    snprintf(ctx->owner, sizeof ctx->owner, "%s:%.12s", host, hex);
}

/* The ingestion pipeline: fetcher, writer, tokens and the engine that drives them. */
static void build_pipeline(struct sr_ctx *ctx, struct config *cfg)
{
    make_owner(ctx);
    /*
     * The engine admits at most each platform's max_inflight requests and the daemon's in all;
     * libcurl only caps connections so that it never queues a request the engine admitted (a
     * queued request's timeout runs while it waits: it would fail without being sent). Several
     * platforms may share a host (a proxy, the simulator), so the host cap is the daemon's.
     */
    ctx->fetch = fetch_new(ctx->base, cfg->daemon.max_inflight, cfg->daemon.max_inflight);
    ctx->writer = writer_new(ctx->lanes, ctx->nlanes, WRITER_HIGH_WATER);
    ctx->tokens = tokens_new(cfg->daemon.state_dir);
    tokens_load(ctx->tokens, cfg);
    health_attach(ctx->health, ctx->db, ctx->owner);
    ctx->rollup = rollup_new(ctx->base, cfg, ctx->health, ctx->opt.once);
    /* a --once run is a batch job: alerts are delivered by the running daemon */
    if (!ctx->opt.once)
        ctx->alertsend = alertsend_new(ctx->base, cfg, ctx->health);
    struct engine_opts eo = {ctx->owner, ctx->opt.once, ctx->health};
    ctx->engine = engine_new(ctx->base, ctx->db, ctx->writer, ctx->fetch, ctx->tokens, cfg, &eo,
                             engine_done_cb, ctx);
    if (ctx->opt.once) {
        struct timeval tv = {ONCE_DB_TIMEOUT_MS / 1000, 0};
        ctx->once_timer = evtimer_new(ctx->base, once_timeout_cb, ctx);
        evtimer_add(ctx->once_timer, &tv);
    }
}

static void tick_cb(evutil_socket_t fd, short what, void *arg)
{
    struct sr_ctx *ctx = arg;
    (void)fd;
    (void)what;
    ctx->last_tick_us = time_mono_us();
    if (pgconn_is_up(ctx->db) && ctx->schema == SCHEMA_UNKNOWN)
        ask_schema(ctx);
    health_flush(ctx->health);
}

/* ---- lifecycle --------------------------------------------------------------------------- */

struct sr_ctx *ctx_new(const struct ctx_options *opt, struct config *cfg)
{
    static const struct signal_handlers sh = {reload_cb, stop_cb, stats_cb};
    static const struct http_handlers hh = {health_cb, metrics_cb};
    struct sr_ctx *ctx = xcalloc(1, sizeof *ctx);
    ctx->opt = *opt;
    ctx->cfg = cfg;
    ctx->start_time = (double)time_wall_us() / 1e6;
    ctx->last_tick_us = time_mono_us();
    ctx->base = event_base_new();
    if (!ctx->base || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        abort();
    ctx->health = health_new();
    ctx->notify = notify_new(ctx->base);
    ctx->sig = signals_new(ctx->base, &sh, ctx);
    struct timeval tv = {TICK_MS / 1000, 0};
    ctx->tick = event_new(ctx->base, -1, EV_PERSIST, tick_cb, ctx);
    event_add(ctx->tick, &tv);
    /* a --once run is a batch job: no status listener to collide with a running daemon */
    if (strcmp(cfg->daemon.http_listen, "off") != 0 && !opt->once) {
        ctx->http = http_status_new(ctx->base, cfg->daemon.http_listen, &hh, ctx);
        if (!ctx->http) {
            ctx_free(ctx);
            return NULL;
        }
    }
    ctx->db =
        pgconn_new(ctx->base, cfg->daemon.database, cfg->daemon.reconnect_max_ms, db_state_cb, ctx);
    ctx->lanes[0] = ctx->db;
    ctx->nlanes = cfg->daemon.writers > 0 && cfg->daemon.writers <= CFG_WRITERS_MAX
                      ? (size_t)cfg->daemon.writers
                      : 1;
    for (size_t i = 1; i < ctx->nlanes; i++)
        ctx->lanes[i] = pgconn_new(ctx->base, cfg->daemon.database, cfg->daemon.reconnect_max_ms,
                                   lane_state_cb, ctx);
    build_pipeline(ctx, cfg);
    return ctx;
}

int ctx_run(struct sr_ctx *ctx)
{
    notify_ready(ctx->notify);
    notify_status(ctx->notify, "connecting to the database");
    log_notice("daemon: started version=%s config=%s accounts=%zu", SR_VERSION,
               ctx->opt.config_path, ctx->cfg->naccounts);
    event_base_dispatch(ctx->base);
    if (ctx->stopping)
        log_notice("daemon: stopped");
    return ctx->exit_code;
}

void ctx_free(struct sr_ctx *ctx)
{
    if (!ctx)
        return;
    /* reverse order of creation, all while the base is still alive */
    engine_free(ctx->engine);
    rollup_free(ctx->rollup);
    alertsend_free(ctx->alertsend); /* curl_multi_cleanup needs the base */
    tokens_free(ctx->tokens);
    writer_free(ctx->writer);
    fetch_free(ctx->fetch); /* curl_multi_cleanup needs the base */
    if (ctx->once_timer)
        event_free(ctx->once_timer);
    for (size_t i = 1; i < ctx->nlanes; i++)
        pgconn_free(ctx->lanes[i]);
    pgconn_free(ctx->db);
    health_free(ctx->health);
    http_status_free(ctx->http);
    if (ctx->stop_timer)
        event_free(ctx->stop_timer);
    if (ctx->tick)
        event_free(ctx->tick);
    signals_free(ctx->sig);
    notify_free(ctx->notify);
    event_base_free(ctx->base);
    config_free(ctx->cfg);
    curl_global_cleanup();
    free(ctx);
}
