/*
 * engine.c - the engine's lifecycle: jobs from the config and their registry, their sync with
 * the database, the scheduler, backpressure, --once bookkeeping and metrics (see engine.h). It
 * calls down into the job machine (job.h), which runs one job's run and reports back through
 * the struct job_host this file gives it.
 */
#include "engine.h"
#include "dbsql.h"
#include "job.h"
#include "jobctx.h"
#include "apiversion.h"
#include "buf.h"
#include "fetch.h"
#include "gates.h"
#include "health.h"
#include "metrics.h"
#include "pgconn.h"
#include "platform.h"
#include "refresh.h"
#include "refusal.h"
#include "policy.h"
#include "sched.h"
#include "sha256.h"
#include "timeutil.h"
#include "tokens.h"
#include "writer.h"
#include "xmalloc.h"

#include <event2/event.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RESYNC_FIRST_MS      5000
#define RESYNC_MAX_MS        60000
#define ONCE_RESYNC_FIRST_MS 1000
#define ONCE_RESYNC_MAX_MS   16000
#define ONCE_SYNC_ATTEMPTS   6   /* 1 + 2 + 4 + 8 + 16 s: a --once run gives up within a minute */
#define SYNC_BATCH           256 /* accounts per pipeline segment of a sync */

/* A statement whose outcome only matters to health: which component, what it is called. */
struct stmt {
    struct engine *e;
    const char *component, *what;
};

enum stmt_kind {
    STMT_SYNC_ACCOUNT,
    STMT_SYNC_LISTENING,
    STMT_DISABLE_JOBS,
    STMT_DISABLE_ACCOUNTS,
    STMT_RELEASE,
    STMT_LISTEN,
    STMT_COUNT
};

struct engine {
    struct jobenv env; /* first: a job's env pointer is its engine's */
    struct event_base *base;
    char *owner;
    engine_done_fn *done;
    void *done_arg;
    struct ejob *jobs;
    struct acct_state *accts;
    struct acct_state **acct_tab; /* hash chains of accts, acct_cap of them */
    size_t acct_cap, nacct;
    bool done_reported;
    int syncs_pending;
    /* a sync goes SYNC_BATCH accounts per pipeline segment, so libpq never buffers every
     * account's statements at once: the next account to send while one is under way */
    bool sync_running;
    size_t sync_next;
    bool sync_failed;     /* a statement of the running sync failed: sync again after a wait */
    int sync_attempts;    /* consecutive failed syncs */
    int64_t resync_ms;    /* the next wait */
    struct event *resync; /* armed while a failed sync waits to be tried again */
    bool resync_armed;
    bool due_asking, due_again; /* a NOTIFY's re-read of due times in flight, another wanted */
    struct stmt stmts[STMT_COUNT];
    int64_t started_us; /* monotonic: when the engine was made (its first runs count from it) */
    int once_left;
    bool once_failed;
};

/* ---- the accounts: a hash table (tens of thousands), doubled as they are added ----------- */

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static struct acct_state *find_account(const struct engine *e, const char *name)
{
    if (!e->acct_cap)
        return NULL;
    for (struct acct_state *a = e->acct_tab[hash_str(name) % e->acct_cap]; a; a = a->hnext)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

static void grow_accounts(struct engine *e)
{
    size_t cap = e->acct_cap ? e->acct_cap * 2 : 64;
    struct acct_state **tab = xcalloc(cap, sizeof *tab);
    for (struct acct_state *a = e->accts; a; a = a->next) {
        size_t h = hash_str(a->name) % cap;
        a->hnext = tab[h];
        tab[h] = a;
    }
    free(e->acct_tab);
    e->acct_tab = tab;
    e->acct_cap = cap;
}

static struct acct_state *account_get(struct engine *e, const char *name)
{
    struct acct_state *a = find_account(e, name);
    if (a)
        return a;
    if (e->nacct >= e->acct_cap)
        grow_accounts(e);
    size_t len = strlen(name) + 1, h = hash_str(name) % e->acct_cap;
    a = xcalloc(1, sizeof *a + len);
    memcpy(a->name, name, len);
    a->next = e->accts;
    e->accts = a;
    a->hnext = e->acct_tab[h];
    e->acct_tab[h] = a;
    e->nacct++;
    return a;
}

static void free_registries(struct engine *e)
{
    gates_free(e->env.gates);
    refresh_free(&e->env);
    while (e->accts) {
        struct acct_state *a = e->accts;
        e->accts = a->next;
        free(a);
    }
    free(e->acct_tab);
}

/* ---- jobs from the config ---------------------------------------------------------------- */

static struct ejob *find_job(struct engine *e, const char *account, const char *stream)
{
    struct acct_state *a = find_account(e, account);
    for (struct ejob *j = a ? a->jobs : NULL; j; j = j->acct_next)
        if (strcmp(j->stream, stream) == 0)
            return j;
    return NULL;
}

/* Points a job at its current config section and refreshes its timing. */
static void configure_job(struct ejob *j, const struct cfg_account *a)
{
    j->acct = a;
    j->interval_ms = policy_interval_ms(a->interval_ms, j->def->interval_ms);
    j->lookback_ms = a->lookback_ms == CFG_UNSET_MS ? j->def->lookback_ms : a->lookback_ms;
    j->backfill_ms = a->backfill_ms;
    j->phase_ms = policy_phase_ms(j->account, j->stream, j->interval_ms);
    /* its version was retired: another one configured is worth a try now */
    j->version_retry = policy_version_retry(
        j->version_failed, apiver_for_stream(&j->e->cfg->platforms[a->platform_id], j->stream));
}

static void add_job(struct engine *e, const struct cfg_account *a, const char *stream)
{
    const struct adapter *ad = NULL;
    const struct stream_def *def = adapter_stream(stream, &ad);
    if (!def) {
        log_warn("engine: no adapter for stream=%s account=%s yet; not polled", stream, a->name);
        return;
    }
    struct ejob *j = xcalloc(1, sizeof *j);
    j->e = &e->env;
    j->as = account_get(e, a->name);
    j->account = j->as->name;
    j->stream = def->name;
    j->acct_next = j->as->jobs;
    j->as->jobs = j;
    j->ad = ad;
    j->def = def;
    cursor_init(&j->cur);
    configure_job(j, a);
    j->next = e->jobs;
    e->jobs = j;
}

static void free_job(struct engine *e, struct ejob *j)
{
    for (struct ejob **p = &e->jobs; *p; p = &(*p)->next) {
        if (*p == j) {
            *p = j->next;
            break;
        }
    }
    for (struct ejob **p = &j->as->jobs; *p; p = &(*p)->acct_next) {
        if (*p == j) {
            *p = j->acct_next;
            break;
        }
    }
    if (j->sj)
        sched_remove(e->env.sched, j->sj);
    cursor_free(&j->cur);
    free(j->version_failed);
    refusal_free(j);
    free(j);
}

/* Adds jobs new in cfg, updates the others, removes (or marks) those no longer there. */
static void apply_jobs(struct engine *e, const struct config *cfg)
{
    for (struct ejob *j = e->jobs; j; j = j->next)
        j->acct = NULL;
    for (size_t i = 0; i < cfg->naccounts; i++) {
        const struct cfg_account *a = &cfg->accounts[i];
        if (!a->enabled)
            continue;
        for (size_t k = 0; k < a->streams.n; k++) {
            const struct adapter *ad;
            const struct stream_def *def = adapter_stream(a->streams.items[k], &ad);
            if (def && def->applies && !def->applies(a))
                continue; /* nothing to poll (x.mentions without queries): no job */
            struct ejob *j = find_job(e, a->name, a->streams.items[k]);
            if (j)
                configure_job(j, a);
            else
                add_job(e, a, a->streams.items[k]);
        }
    }
    struct ejob *next;
    for (struct ejob *j = e->jobs; j; j = next) {
        next = j->next;
        if (j->acct)
            continue;
        if (j->state == J_IDLE)
            free_job(e, j);
        else
            j->removed = true; /* freed when its current step ends */
    }
}

/* ---- scheduling, and what the job machine reports ------------------------------------------ */

static void fire_cb(void *arg, struct sched_job *sj, void *data)
{
    struct ejob *j = data;
    (void)arg;
    (void)sj;
    job_fire(j);
}

/* Reports --once completion, or the end of a stop, once nothing is in flight. */
static void check_done(struct engine *e)
{
    if (e->done_reported || !engine_idle(e))
        return;
    if ((e->env.once && e->once_left <= 0 && !e->syncs_pending && !e->resync_armed) ||
        e->env.stopping) {
        e->done_reported = true;
        if (e->done)
            e->done(e->done_arg, e->once_failed);
    }
}

void engine_kick(struct engine *e)
{
    bool congested = writer_congested(e->env.w);
    bool pause = congested || e->env.stopping || !e->env.ready;
    if (sched_paused(e->env.sched) != pause)
        sched_pause(e->env.sched, pause);
    check_done(e);
}

static void host_kick(void *arg)
{
    engine_kick(arg);
}

static void host_gone(void *arg, struct ejob *j)
{
    free_job(arg, j);
}

static void host_once_done(void *arg, struct ejob *j, bool failed)
{
    struct engine *e = arg;
    (void)j;
    e->once_left--;
    if (failed)
        e->once_failed = true;
    check_done(e);
}

static struct ejob *host_find(void *arg, int64_t id)
{
    struct engine *e = arg;
    for (struct ejob *j = e->jobs; j; j = j->next)
        if (j->id == id)
            return j;
    return NULL;
}

/* ---- sync with the database ---------------------------------------------------------------- */

static void token_hash(struct engine *e, const struct cfg_account *a, char hex[65])
{
    const char *tok = tokens_access(e->env.tokens, a->credential);
    sha256_hex(tok, strlen(tok), hex);
}

static int64_t resync_first_ms(const struct engine *e)
{
    return e->env.once ? ONCE_RESYNC_FIRST_MS : RESYNC_FIRST_MS;
}

/* A sync with a failed statement is tried again after a doubling wait; --once gives up. */
static void resync_later(struct engine *e)
{
    e->sync_attempts++;
    if (e->env.once && e->sync_attempts >= ONCE_SYNC_ATTEMPTS) {
        log_err("engine: --once gives up syncing jobs after %d failed attempts", e->sync_attempts);
        e->once_failed = true;
        return;
    }
    struct timeval tv = {(time_t)(e->resync_ms / 1000), (suseconds_t)(e->resync_ms % 1000 * 1000)};
    evtimer_add(e->resync, &tv);
    e->resync_armed = true;
    int64_t cap = e->env.once ? ONCE_RESYNC_MAX_MS : RESYNC_MAX_MS;
    e->resync_ms = e->resync_ms * 2 > cap ? cap : e->resync_ms * 2;
}

static void sync_batch(struct engine *e);

/*
 * The end of one sync's pipeline segment: every statement of it has answered. The next batch
 * of accounts goes out, or, after the last, the sync is done.
 */
static void sync_end_cb(void *arg, PGresult *res, const char *err)
{
    struct engine *e = arg;
    e->syncs_pending--;
    if (!res) { /* the connection went: the reconnect syncs again */
        e->sync_failed = false;
        e->sync_running = false;
    } else if (e->sync_failed || err) {
        e->sync_failed = false;
        e->sync_running = false;
        if (err)
            health_fail(e->env.health, "job_sync", "the jobs' sync commit", err);
        if (e->env.ready && !e->env.stopping && !e->resync_armed)
            resync_later(e);
    } else if (e->sync_running && !e->env.stopping) {
        sync_batch(e);
    } else {
        e->sync_running = false;
        e->sync_attempts = 0;
        e->resync_ms = resync_first_ms(e);
        health_ok(e->env.health, "job_sync");
        log_info("engine: jobs synced count=%d", e->env.once ? e->once_left : -1);
#ifdef __GLIBC__
        malloc_trim(0); /* the sync's statements and results are freed: give their pages back */
#endif
    }
    engine_kick(e);
}

static void sync_job_cb(void *arg, PGresult *res, const char *err)
{
    struct ejob *j = arg;
    struct engine *e = (struct engine *)j->e; /* its env is the engine's first member */
    if (err || PQntuples(res) != 1) {
        /* a lost connection is pgconn's to report (a sync follows the reconnect); a statement
         * aborted by an earlier one's error is not a failure of its own */
        if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
            health_fail(e->env.health, "job_sync", "sync_job",
                        err ? err : "sync_job returned no row");
        e->sync_failed = e->sync_failed || res != NULL;
        return;
    }
    j->id = atoll(PQgetvalue(res, 0, 0));
    if (!PQgetisnull(res, 0, 4))
        j->last_success_wall = atoll(PQgetvalue(res, 0, 4));
    double due_in = atof(PQgetvalue(res, 0, 1));
    j->failures = atoi(PQgetvalue(res, 0, 2));
    j->as->needs_reauth = strcmp(PQgetvalue(res, 0, 3), "needs_reauth") == 0;
    j->synced = true;
    if (e->env.once) {
        /* --once runs exactly the jobs that are due now */
        if (due_in <= 1 && !j->as->needs_reauth && !j->once_active) {
            j->once_active = true;
            e->once_left++;
            job_schedule(j, 0);
        }
    } else if (j->state == J_IDLE) {
        job_schedule(j, j->version_retry
                            ? 0 /* a reload configured another version than the retired one */
                            : policy_start_in_ms(j->interval_ms, j->phase_ms, due_in,
                                                 time_wall_us() / 1000,
                                                 (sched_now(e->env.sched) - e->started_us) / 1000));
    }
}

static void stmt_cb(void *arg, PGresult *res, const char *err)
{
    const struct stmt *s = arg;
    if (!err)
        health_ok(s->e->env.health, s->component);
    else if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
        health_fail(s->e->env.health, s->component, s->what, err); /* lost connections: pgconn's */
    if (err && res && s <= &s->e->stmts[STMT_DISABLE_ACCOUNTS])
        s->e->sync_failed = true; /* part of the jobs' sync: all of it is tried again */
}

static void engine_stmt(struct engine *e, enum stmt_kind s, const char *sql, int n,
                        const char *const *params)
{
    pgconn_query(e->env.db, sql, n, params, stmt_cb, &e->stmts[s]);
}

static void init_stmts(struct engine *e)
{
    static const struct stmt known[STMT_COUNT] = {
        [STMT_SYNC_ACCOUNT] = {NULL, "account_sync", "sync_account"},
        [STMT_SYNC_LISTENING] = {NULL, "account_sync", "sync_listening"},
        [STMT_DISABLE_JOBS] = {NULL, "account_sync", "disable_jobs_except"},
        [STMT_DISABLE_ACCOUNTS] = {NULL, "account_sync", "disable_accounts_except"},
        [STMT_RELEASE] = {NULL, "release_job", "release_job"},
        [STMT_LISTEN] = {NULL, "job_notify", dbsql_listen_jobs},
    };
    for (int i = 0; i < STMT_COUNT; i++) {
        e->stmts[i] = known[i];
        e->stmts[i].e = e;
    }
}

/* Builds a text[] literal, every item quoted (config names, and search queries with '"'). */
static void array_literal(struct buf *b, const char *const *items, size_t n)
{
    buf_puts(b, "{");
    for (size_t i = 0; i < n; i++) {
        buf_puts(b, i ? ",\"" : "\"");
        for (const char *p = items[i]; *p; p++) {
            if (*p == '"' || *p == '\\')
                buf_puts(b, "\\");
            buf_append(b, p, 1);
        }
        buf_puts(b, "\"");
    }
    buf_puts(b, "}");
}

static void sync_account(struct engine *e, const struct cfg_account *a)
{
    char hash[65];
    token_hash(e, a, hash);
    const char *p[7] = {
        a->name, a->platform, a->id, a->currency, a->timezone, a->enabled ? "true" : "false", hash};
    engine_stmt(e, STMT_SYNC_ACCOUNT, dbsql_sync_account, 7, p);
    struct buf b = {0};
    array_literal(&b, (const char *const *)a->streams.items, a->streams.n);
    const char *q[2] = {a->name, b.data};
    engine_stmt(e, STMT_DISABLE_JOBS, dbsql_disable_jobs_except, 2, q);
    buf_free(&b);
    if (a->platform_id == PLATFORM_X) {
        /* which of its search queries are the brand's and which a named competitor's (none
         * left: every earlier one marked no longer configured) */
        struct buf br = {0}, co = {0};
        array_literal(&br, (const char *const *)a->queries.items, a->queries.n);
        array_literal(&co, (const char *const *)a->competitors.items, a->competitors.n);
        const char *l[3] = {a->name, br.data, co.data};
        engine_stmt(e, STMT_SYNC_LISTENING, dbsql_sync_listening, 3, l);
        buf_free(&br);
        buf_free(&co);
    }
}

static void sync_job(struct engine *e, struct ejob *j)
{
    char iv[24], lb[24], bf[24];
    snprintf(iv, sizeof iv, "%lld", (long long)j->interval_ms);
    snprintf(lb, sizeof lb, "%lld", (long long)j->lookback_ms);
    snprintf(bf, sizeof bf, "%lld", (long long)j->backfill_ms);
    const char *q[6] = {j->account, j->stream, iv, lb, bf, j->def->daily_metrics ? "t" : "f"};
    pgconn_query(e->env.db, dbsql_sync_job, 6, q, sync_job_cb, j);
}

static void disable_other_accounts(struct engine *e)
{
    const struct config *cfg = e->env.cfg;
    const char **names = xcalloc(cfg->naccounts + 1, sizeof *names);
    for (size_t i = 0; i < cfg->naccounts; i++)
        names[i] = cfg->accounts[i].name;
    struct buf b = {0};
    array_literal(&b, names, cfg->naccounts);
    const char *p[1] = {b.data};
    engine_stmt(e, STMT_DISABLE_ACCOUNTS, dbsql_disable_accounts_except, 1, p);
    buf_free(&b);
    free(names);
}

/*
 * Sends the next SYNC_BATCH accounts (each with its jobs) as one pipeline segment; the last
 * segment also disables the accounts no longer configured. A segment commits on its own: every
 * statement is idempotent, and a failed one makes the whole sync run again.
 */
static void sync_batch(struct engine *e)
{
    const struct config *cfg = e->env.cfg;
    size_t end = e->sync_next + SYNC_BATCH;
    if (end > cfg->naccounts)
        end = cfg->naccounts;
    for (size_t i = e->sync_next; i < end; i++) {
        const struct cfg_account *a = &cfg->accounts[i];
        sync_account(e, a);
        struct acct_state *as = find_account(e, a->name);
        struct ejob *first = as ? as->jobs : NULL;
        while (first && !first->acct)
            first = first->acct_next;
        if (first) /* the account's token: its end and whether it renews */
            refresh_sync_renewal(first);
        for (struct ejob *j = as ? as->jobs : NULL; j; j = j->acct_next)
            if (j->acct) /* not a removed job still finishing its step */
                sync_job(e, j);
    }
    e->sync_next = end;
    if (end == cfg->naccounts) {
        disable_other_accounts(e);
        e->sync_running = false; /* this segment's end ends the sync */
    }
    if (pgconn_sync(e->env.db, sync_end_cb, e) == 0) {
        e->syncs_pending++;
    } else {
        e->sync_running = false; /* the connection went: the reconnect syncs again */
        check_done(e);
    }
}

static void sync_jobs(struct engine *e)
{
    if (e->resync_armed) {
        evtimer_del(e->resync);
        e->resync_armed = false;
    }
    e->sync_next = 0;
    e->sync_running = true;
    if (e->syncs_pending)
        return; /* the segment under way goes on with the first batch when it ends */
    e->sync_failed = false;
    sync_batch(e);
}

static void resync_cb(evutil_socket_t fd, short what, void *arg)
{
    struct engine *e = arg;
    (void)fd;
    (void)what;
    e->resync_armed = false;
    if (e->env.ready && !e->env.stopping)
        sync_jobs(e);
    else
        check_done(e);
}

/* ---- jobs made due from outside: socialroi poll, backfill (NOTIFY socialroi_jobs) ---------- */

static void ask_due(struct engine *e);

static void due_cb(void *arg, PGresult *res, const char *err)
{
    struct engine *e = arg;
    int moved = 0;
    e->due_asking = false;
    if (err) {
        if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
            health_fail(e->env.health, "job_notify", "jobs_due", err);
        return;
    }
    health_ok(e->env.health, "job_notify");
    for (int i = 0; i < PQntuples(res); i++) {
        int64_t id = atoll(PQgetvalue(res, i, 0));
        double due_in = atof(PQgetvalue(res, i, 1));
        for (struct ejob *j = e->jobs; j; j = j->next) {
            if (j->id != id || !j->synced || j->removed || j->state != J_IDLE)
                continue;
            job_schedule(j, due_in > 0 ? (int64_t)(due_in * 1000) : 0);
            moved += due_in <= 1;
        }
    }
    log_info("engine: due times read again after a notification jobs=%d due_now=%d", PQntuples(res),
             moved);
    if (e->due_again) {
        e->due_again = false;
        ask_due(e);
    }
}

/* Reads the due times of every synced job again; one question at a time. */
static void ask_due(struct engine *e)
{
    if (e->due_asking) {
        e->due_again = true;
        return;
    }
    struct buf b = {0};
    buf_puts(&b, "{");
    for (struct ejob *j = e->jobs; j; j = j->next)
        if (j->synced)
            buf_printf(&b, "%s%lld", b.len > 1 ? "," : "", (long long)j->id);
    buf_puts(&b, "}");
    const char *p[1] = {b.data};
    if (pgconn_query(e->env.db, dbsql_jobs_due, 1, p, due_cb, e) == 0) {
        e->due_asking = true;
        pgconn_sync(e->env.db, NULL, NULL);
    }
    buf_free(&b);
}

static void notify_cb(void *arg, const char *channel, const char *payload)
{
    struct engine *e = arg;
    (void)payload;
    if (strcmp(channel, dbsql_jobs_channel) != 0 || !e->env.ready || e->env.stopping)
        return;
    ask_due(e);
}

/* ---- public -------------------------------------------------------------------------------- */

struct engine *engine_new(struct event_base *base, struct pgconn *db, struct writer *w,
                          struct fetch *f, struct tokens *t, const struct config *cfg,
                          const struct engine_opts *opts, engine_done_fn *done, void *arg)
{
    struct engine *e = xcalloc(1, sizeof *e);
    e->base = base;
    e->env.db = db;
    e->env.health = opts->health;
    e->env.w = w;
    e->env.f = f;
    e->env.tokens = t;
    e->env.cfg = cfg;
    e->owner = xstrdup(opts->owner);
    e->env.owner = e->owner;
    e->env.host = (struct job_host){e, host_gone, host_once_done, host_kick, host_find};
    e->env.once = opts->once;
    e->done = done;
    e->done_arg = arg;
    e->env.rng = (uint64_t)time_mono_us() ^ ((uint64_t)getpid() << 32);
    e->env.sched = sched_new(base, fire_cb, e);
    e->started_us = sched_now(e->env.sched);
    e->env.gates = gates_new();
    job_env_init(&e->env);
    e->resync = evtimer_new(base, resync_cb, e);
    if (!e->resync)
        abort();
    e->resync_ms = resync_first_ms(e);
    init_stmts(e);
    if (!e->env.once)
        pgconn_on_notify(db, notify_cb, e);
    sched_pause(e->env.sched, true); /* until the database is ready */
    apply_jobs(e, cfg);
    return e;
}

void engine_free(struct engine *e)
{
    if (!e)
        return;
    while (e->jobs)
        free_job(e, e->jobs);
    sched_free(e->env.sched);
    event_free(e->resync);
    free_registries(e);
    free(e->owner);
    free(e);
}

void engine_db_ready(struct engine *e, bool ready)
{
    bool was = e->env.ready;
    e->env.ready = ready;
    if (ready && !was && !e->env.stopping) {
        sync_jobs(e);
        if (!e->env.once) { /* again on every connection: socialroi poll and backfill say so */
            e->due_asking = false;
            engine_stmt(e, STMT_LISTEN, dbsql_listen_jobs, 0, NULL);
            pgconn_sync(e->env.db, NULL, NULL);
        }
    }
    engine_kick(e);
}

void engine_reconfigure(struct engine *e, const struct config *cfg)
{
    e->env.cfg = cfg;
    apply_jobs(e, cfg);
    if (e->env.ready && !e->env.stopping)
        sync_jobs(e);
}

/* Gives back the leases of runs that stopped between pages, so another daemon can go on. */
static void release_leases(struct engine *e)
{
    for (struct ejob *j = e->jobs; j; j = j->next) {
        if (j->state != J_IDLE || !j->cur.in_run || !j->id)
            continue;
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)j->id);
        const char *p[2] = {id, e->owner};
        engine_stmt(e, STMT_RELEASE, dbsql_release_job, 2, p);
    }
    pgconn_sync(e->env.db, NULL, NULL);
}

void engine_stop(struct engine *e)
{
    if (e->env.stopping)
        return;
    e->env.stopping = true;
    if (pgconn_is_up(e->env.db))
        release_leases(e);
    engine_kick(e);
}

bool engine_idle(const struct engine *e)
{
    for (const struct ejob *j = e->jobs; j; j = j->next)
        if (j->state != J_IDLE)
            return false;
    if (e->env.listening_inflight > 0) /* a page's count or a budget stop still on its way */
        return false;
    return writer_idle(e->env.w);
}

/* ---- metrics ------------------------------------------------------------------------------- */

void engine_metrics(const struct engine *e, struct buf *b)
{
    job_metrics(e->jobs, b);
    xbudget_metrics(e->accts, b);
    metrics_family(b, "socialroi_account_needs_reauth", "gauge",
                   "1 when an account's credential was refused and polling stopped.");
    for (const struct acct_state *a = e->accts; a; a = a->next)
        metrics_u64(b, "socialroi_account_needs_reauth", a->needs_reauth, "account", a->name, NULL);
    refresh_expiry_metrics(e->accts, b);
    metrics_family(b, "socialroi_token_refreshes_total", "counter", "OAuth token refreshes.");
    metrics_u64(b, "socialroi_token_refreshes_total", e->env.refreshes, "result", "ok", NULL);
    metrics_u64(b, "socialroi_token_refreshes_total", e->env.refresh_failures, "result", "failed",
                NULL);
    metrics_family(b, "socialroi_fetch_inflight", "gauge", "Requests in flight.");
    metrics_i64(b, "socialroi_fetch_inflight", e->env.inflight, NULL);
    metrics_family(b, "socialroi_scheduler_paused", "gauge",
                   "1 while dispatching is paused (database away, writer backlog, stopping).");
    metrics_u64(b, "socialroi_scheduler_paused", sched_paused(e->env.sched), NULL);
    struct writer_stats ws;
    writer_stats(e->env.w, &ws);
    metrics_family(b, "socialroi_writer_queued", "gauge", "Transactions waiting to be sent.");
    metrics_u64(b, "socialroi_writer_queued", ws.queued + ws.inflight, NULL);
    metrics_family(b, "socialroi_writer_dropped_total", "counter",
                   "Pages the database refused twice (logged).");
    metrics_u64(b, "socialroi_writer_dropped_total", ws.dropped, NULL);
    struct fetch_stats fs;
    fetch_stats(e->env.f, &fs);
    metrics_family(b, "socialroi_http_requests_total", "counter", "HTTP requests sent.");
    metrics_u64(b, "socialroi_http_requests_total", fs.requests, NULL);
    metrics_family(b, "socialroi_http_transport_errors_total", "counter",
                   "Requests without an HTTP answer (timeouts, resets, oversized bodies).");
    metrics_u64(b, "socialroi_http_transport_errors_total", fs.transport_errors, NULL);
}

void engine_summary(const struct engine *e, char *out, size_t len)
{
    int jobs = 0, failing = 0, reauth = 0;
    for (const struct ejob *j = e->jobs; j; j = j->next) {
        jobs++;
        failing += j->failures > 0;
    }
    for (const struct acct_state *a = e->accts; a; a = a->next)
        reauth += a->needs_reauth;
    snprintf(out, len, "jobs=%d failing=%d needs_reauth=%d inflight=%d paused=%d", jobs, failing,
             reauth, e->env.inflight, sched_paused(e->env.sched));
}
