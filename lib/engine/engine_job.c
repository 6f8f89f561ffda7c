/*
 * engine_job.c - one run of one job: gates, lease, token, request, response, records, write,
 * and what each class of failure does (reference §11). See engine.h for the whole picture.
 *
 * A run is a chain of callbacks; each step leaves the job in a state (J_CLAIMING, J_TOKEN,
 * J_FETCHING, J_WRITING) and its callback moves it on. A job is J_IDLE exactly when nothing of
 * it is in flight, which is what shutdown and --once wait for.
 */
#include "engine_int.h"
#include "apiversion.h"
#include "buf.h"
#include "expiry.h"
#include "fetch.h"
#include "health.h"
#include "json.h"
#include "pgconn.h"
#include "sched.h"
#include "sha256.h"
#include "timeutil.h"
#include "tokens.h"
#include "writer.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPACITY_RETRY_MS    200
#define DB_RETRY_MS          2000
#define BACKOFF_BASE_MS      30000
#define BACKOFF_CAP_MS       3600000
#define ONCE_BACKOFF_BASE_MS 500
#define ONCE_BACKOFF_CAP_MS  5000
#define ONCE_MAX_ATTEMPTS    6
#define ONCE_MAX_WAIT_MS     60000
#define QUOTA_DEFAULT_MS     3600000
#define VERSION_RETRY_MS     3600000

static void do_fetch(struct ejob *j);
static void refresh_start(struct ejob *j, bool forced);
static struct cred_state *cred_state(struct engine *e, const char *name);

/* ---- helpers ------------------------------------------------------------------------------ */

static const struct cfg_platform *platform_cfg(const struct ejob *j)
{
    return &j->e->cfg->platforms[j->acct->platform_id];
}

static const struct cfg_credential *credential(const struct ejob *j)
{
    return config_credential(j->e->cfg, j->acct->credential);
}

static void gate_key(const struct ejob *j, bool per_stream, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s%s%s", platform_info(j->acct->platform_id)->name, j->acct->credential,
             per_stream ? "/" : "", per_stream ? j->stream : "");
}

static int32_t today_for(const struct ejob *j, int64_t now)
{
    switch (j->def->basis) {
    case BASIS_PACIFIC:
        return time_today_in("America/Los_Angeles", now);
    case BASIS_ACCOUNT_TZ:
        return time_today_in(j->acct->timezone, now);
    default:
        return time_today_in("", now);
    }
}

static void make_ctx(const struct ejob *j, struct adapter_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->account = j->acct;
    ctx->platform = platform_cfg(j);
    ctx->stream = j->stream;
    ctx->access_token = tokens_access(j->e->tokens, j->acct->credential);
    ctx->email_salt = j->e->cfg->hashing.email_salt;
    ctx->page = j->cur.page;
    ctx->from_day = j->cur.from;
    ctx->to_day = j->cur.to;
    ctx->since = j->cur.since;
    ctx->full = !j->cur.watermark || j->cur.backfilling;
    ctx->now = time_wall_us();
    if (xbudget_applies(j)) /* a page no larger than the listening budget left */
        ctx->max_results = xbudget_page_size(xbudget_left(&j->as->xb, j->acct->x_posts_per_day,
                                                          j->acct->x_posts_per_month,
                                                          xbudget_day(ctx->now), NULL));
    ctx->retired = j->cur.retired;
    ctx->probe = j->refusal ? j->refusal->probe : NULL;
}

/*
 * The fetch record socialroi.record_run stores (no secrets: messages come sanitized). keep_lease
 * adds lease_s: the page or failure it goes with keeps the job leased for that long, since the
 * run goes on (the next page, or a retry after a rate-limit wait); without it the lease is given
 * back with the record.
 */
static char *run_json(const struct ejob *j, const char *outcome, enum err_class cls,
                      const char *err, bool keep_lease)
{
    struct buf b = {0};
    char from[16], to[16];
    time_format_date(j->cur.from, from, sizeof from);
    time_format_date(j->cur.to, to, sizeof to);
    buf_printf(&b, "{\"started_at\":%.6f,\"outcome\":\"%s\",\"pages\":1",
               (double)(j->cur.run_started ? j->cur.run_started : time_wall_us()) / 1e6, outcome);
    if (j->cur.in_run && j->def->windowed)
        buf_printf(&b, ",\"window_from\":\"%s\",\"window_to\":\"%s\"", from, to);
    if (j->http_status)
        buf_printf(&b, ",\"http_status\":%ld", j->http_status);
    if (cls != ERR_NONE)
        buf_printf(&b, ",\"error_class\":\"%s\"", err_class_name(cls));
    if (err) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", err);
        buf_puts(&b, ",\"error\":");
        json_write_str(&b, log_redact(msg));
    }
    if (keep_lease)
        buf_printf(&b, ",\"lease_s\":%lld", (long long)(j->e->cfg->daemon.lease_ms / 1000));
    buf_puts(&b, "}");
    return buf_steal(&b, NULL);
}

/* Back to idle; frees a job whose config section went away while it was busy. */
static bool settle(struct ejob *j)
{
    j->state = J_IDLE;
    if (j->removed) {
        engine_free_job(j->e, j);
        return false;
    }
    if (j->fire_deferred) { /* its retry came due while the failure record was being written */
        j->fire_deferred = false;
        engine_schedule(j, 0);
    }
    return true;
}

/* ---- keeping the lease -------------------------------------------------------------------- */

/*
 * A run holds its job's lease from the claim to its last page, or to a failure that gives the
 * job back. Whatever it waits for in between - a rate-limit reset (X windows last 15 minutes),
 * a quota, a Retry-After, a slow answer - it renews the lease every third of its length, so two
 * renewals may fail before another daemon could take the job, and a daemon that dies frees its
 * jobs one lease later. Keeping the lease, rather than giving it back with next_due at the
 * reset, keeps the run, its page cursor and the gate that knows the reset on one daemon, and
 * shows operators who holds a waiting job (poll_job.lease_owner, lease_expires moving on).
 */

static int64_t lease_ms(const struct ejob *j)
{
    return j->e->cfg->daemon.lease_ms;
}

/* The database has just set lease_expires a whole lease ahead. */
static void lease_taken(struct ejob *j)
{
    j->leased = true;
    j->renew_at = sched_now(j->e->sched) + lease_ms(j) * 1000 / 3;
}

static void renew_cb(void *arg, PGresult *res, const char *err)
{
    struct engine *e = arg; /* not the job: a job may be freed by a reload meanwhile */
    if (err || !res || PQntuples(res) != 1) {
        if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
            health_fail(e->health, "claim", "renew_lease",
                        err ? err : "renew_lease returned no row");
        return; /* the next renewal tries again */
    }
    health_ok(e->health, "claim");
    if (PQgetvalue(res, 0, 1)[0] == 't')
        return;
    int64_t id = atoll(PQgetvalue(res, 0, 0));
    for (struct ejob *j = e->jobs; j; j = j->next) {
        if (j->id != id || !j->leased)
            continue;
        j->leased = false; /* its next claim finds out who runs the job now */
        log_notice("engine: lease lost while the run waited, another daemon runs the job "
                   "account=%s stream=%s",
                   j->account, j->stream);
    }
}

/* Renews j's lease when a third of it has gone by; the answer comes to renew_cb. */
static void lease_renew(struct ejob *j)
{
    struct engine *e = j->e;
    int64_t now = sched_now(e->sched);
    char id[24], lease[24];
    if (!j->leased || now < j->renew_at)
        return;
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    snprintf(lease, sizeof lease, "%lld", (long long)(lease_ms(j) / 1000));
    const char *p[3] = {id, e->owner, lease};
    log_debug("engine: renewing the lease account=%s stream=%s", j->account, j->stream);
    if (pgconn_query(e->db, "SELECT $1::bigint, socialroi.renew_lease($1::bigint, $2, $3::integer)",
                     3, p, renew_cb, e) == 0) {
        pgconn_sync(e->db, NULL, NULL);
        j->renew_at = now + lease_ms(j) * 1000 / 3;
    } else {
        j->renew_at = now + lease_ms(j) * 100; /* the database is away: a tenth of the lease */
    }
}

/* Gives the lease back now: the run stops without a retry of its own. */
static void lease_give_back(struct ejob *j)
{
    char id[24];
    if (!j->leased)
        return;
    j->leased = false;
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    const char *p[2] = {id, j->e->owner};
    engine_stmt(j->e, STMT_RELEASE, "SELECT socialroi.release_job($1::bigint, $2)", 2, p);
    pgconn_sync(j->e->db, NULL, NULL);
}

/* Takes back a renewal tick armed while the job was fetched or waited for its token. */
static void tick_cancel(struct ejob *j)
{
    if (j->sj && sched_is_scheduled(j->sj))
        sched_unschedule(j->e->sched, j->sj);
}

/* Schedules j in delay_ms, or sooner for its next renewal while it holds the lease. */
static void wait_leased(struct ejob *j, int64_t delay_ms)
{
    if (j->leased) {
        int64_t renew_in = (j->renew_at - sched_now(j->e->sched)) / 1000 + 1;
        if (renew_in < delay_ms)
            delay_ms = renew_in;
    }
    engine_schedule(j, delay_ms);
}

/* ---- failures ----------------------------------------------------------------------------- */

static void failure_written_cb(void *arg, enum write_outcome out, int rows, const char *err)
{
    struct ejob *j = arg;
    struct engine *e = j->e;
    (void)rows;
    if (out != WRITE_OK && out != WRITE_SHUTDOWN)
        health_fail(e->health, "record_failure", "record_failure", err);
    else if (out == WRITE_OK && j->id)
        health_ok(e->health, "record_failure");
    if (out == WRITE_OK && j->leased)
        lease_taken(j); /* the record kept the lease for the wait and renewed it */
    if (e->stopping)
        lease_give_back(j); /* stopped while the record was written: no retry comes */
    if (settle(j))
        engine_check_done(e);
    engine_kick(e);
}

static bool retryable(enum err_class cls)
{
    return cls == ERR_THROTTLED || cls == ERR_QUOTA || cls == ERR_TRANSIENT || cls == ERR_MALFORMED;
}

/* How long to wait before the next attempt after a failure of class cls. */
static int64_t wait_after(struct ejob *j, enum err_class cls, int64_t retry_ms)
{
    bool once = j->e->once;
    switch (cls) {
    case ERR_THROTTLED:
        if (retry_ms >= 0)
            return retry_ms + (int64_t)(sched_rand(&j->e->rng) % 250);
        break;
    case ERR_QUOTA:
        return retry_ms >= 0 ? retry_ms : QUOTA_DEFAULT_MS;
    case ERR_PERMISSION:
    case ERR_BAD_REQUEST:
    case ERR_NOT_FOUND:
    case ERR_AUTH:
        return j->interval_ms;
    case ERR_VERSION: /* heals only when the configuration changes: no sooner than an hour */
        return j->interval_ms > VERSION_RETRY_MS ? j->interval_ms : VERSION_RETRY_MS;
    default:
        break;
    }
    return sched_backoff_ms((unsigned)j->failures, once ? ONCE_BACKOFF_BASE_MS : BACKOFF_BASE_MS,
                            once ? ONCE_BACKOFF_CAP_MS : BACKOFF_CAP_MS, &j->e->rng);
}

/*
 * Records a failed attempt (cursor kept, or reset when restart is set), logs it once per
 * streak, and schedules the retry; under --once gives up after a few attempts.
 */
static void fail(struct ejob *j, enum err_class cls, const char *msg, int64_t retry_ms,
                 bool restart)
{
    struct engine *e = j->e;
    int64_t wait = wait_after(j, cls, retry_ms);
    j->next_page = false; /* what the database holds decides where the retry starts */
    if (j->refusal) {     /* a search for a refused metric starts again with the retry */
        free(j->refusal->probe);
        free(j->refusal->rest);
        j->refusal->probe = j->refusal->rest = NULL;
    }
    j->errors[cls]++;
    free(j->version_failed); /* a reload that changes this version runs the job again at once */
    j->version_failed = NULL;
    if (cls == ERR_VERSION && j->acct) {
        const char *v = apiver_for_stream(&e->cfg->platforms[j->acct->platform_id], j->stream);
        j->version_failed = xstrdup(v ? v : "");
    }
    if (cls != ERR_THROTTLED && cls != ERR_QUOTA)
        j->failures++;
    complain(&j->complain, cls == ERR_THROTTLED ? LOG_NOTICE : LOG_WARNING,
             "engine: fetch failed account=%s stream=%s class=%s status=%ld retry_in_ms=%lld "
             "error=\"%s\"",
             j->account, j->stream, err_class_name(cls), j->http_status, (long long)wait, msg);
    if (restart) {
        j->cur.in_run = false;
        cursor_next_page(&j->cur, NULL);
    }
    bool again = !e->stopping;
    if (e->once) {
        j->once_attempts++;
        again = again && retryable(cls) && j->once_attempts < ONCE_MAX_ATTEMPTS &&
                wait <= ONCE_MAX_WAIT_MS;
    }
    /* a wait the platform asks for is part of the run: it keeps the lease; a failure does not */
    j->leased = again && j->leased && (cls == ERR_THROTTLED || cls == ERR_QUOTA);
    j->wait_until = j->leased ? sched_now(e->sched) + wait * 1000 : 0;
    char *cursor = restart ? cursor_format(&j->cur) : NULL;
    char *run = run_json(j, cls == ERR_MALFORMED ? "rejected" : "error", cls, msg, j->leased);
    j->state = J_WRITING;
    tick_cancel(j);
    if (again)
        wait_leased(j, wait);
    else if (e->once)
        engine_once_complete(j, true);
    if (j->id)
        writer_failure(e->w, j->id, e->owner, run, (double)wait / 1000.0, cursor,
                       failure_written_cb, j);
    else
        failure_written_cb(j, WRITE_OK, 0, NULL);
    free(run);
    free(cursor);
}

void job_mark_needs_reauth(struct ejob *j, const char *why)
{
    struct engine *e = j->e;
    struct acct_state *a = engine_account(e, j->account);
    char hash[65];
    const char *tok = tokens_access(e->tokens, j->acct->credential);
    if (!a->needs_reauth)
        log_err("engine: account needs re-authorization, polling stopped account=%s "
                "platform=%s reason=\"%s\": put a new token in the credentials file and reload",
                j->account, j->acct->platform, why);
    a->needs_reauth = true;
    sha256_hex(tok, strlen(tok), hash);
    const char *p[4] = {j->account, "needs_reauth", why, hash};
    engine_stmt(e, STMT_ACCOUNT_STATE, "SELECT socialroi.set_account_state($1, $2, $3, $4)", 4, p);
    pgconn_sync(e->db, NULL, NULL);
    /* every job of the account ends its --once run here */
    for (struct ejob *o = e->jobs; o; o = o->next)
        if (strcmp(o->account, j->account) == 0 && o != j && o->state == J_IDLE)
            engine_once_complete(o, true);
}

/* ---- the response -------------------------------------------------------------------------- */

/*
 * Milliseconds until the next run: one interval after the current run was due, not after it
 * ended, so the time a run spends waiting for a slot, paging and writing does not push every
 * later run back (a job is polled once per interval, at the phase its first run had). A run
 * that took longer than the interval is followed at once.
 */
static int64_t next_run_in_ms(const struct ejob *j)
{
    int64_t left = j->run_due_at + j->interval_ms * 1000 - sched_now(j->e->sched);
    return left > 0 ? left / 1000 : 0;
}

static void page_written_cb(void *arg, enum write_outcome out, int rows, const char *err)
{
    struct ejob *j = arg;
    struct engine *e = j->e;
    bool final = !j->cur.in_run;
    if (!settle(j)) {
        engine_kick(e);
        return;
    }
    if (out == WRITE_OK) {
        health_ok(e->health, "ingest");
        j->pages++;
        j->rows += (uint64_t)rows;
        j->failures = 0;
        j->auth_retried = false;
        free(j->version_failed);
        j->version_failed = NULL;
        complain_release(&j->complain, "engine: job recovered account=%s stream=%s", j->account,
                         j->stream);
        if (!final) {
            lease_taken(j); /* the page renewed it */
            j->next_page = true;
            engine_schedule(j, 0); /* the next page, through the gates again */
        } else {
            j->leased = false;
            j->last_success_wall = time_wall_us() / 1000000;
            log_info("engine: run complete account=%s stream=%s", j->account, j->stream);
            if (e->once)
                engine_once_complete(j, false);
            else if (!e->stopping)
                engine_schedule(j, next_run_in_ms(j));
        }
    } else if (out == WRITE_LEASE_LOST) {
        j->leased = false;
        log_notice("engine: lease lost, another daemon runs the job account=%s stream=%s",
                   j->account, j->stream);
        if (e->once)
            engine_once_complete(j, false);
        else if (!e->stopping)
            engine_schedule(j, j->interval_ms);
    } else if (out == WRITE_FAILED) {
        health_fail(e->health, "ingest", "ingest_page", err ? err : "database refused the page");
        fail(j, ERR_TRANSIENT, err ? err : "database refused the page", -1, false);
        return;
    }
    engine_kick(e);
}

static void write_page(struct ejob *j, struct rowset *rs)
{
    struct engine *e = j->e;
    const char *next = rowset_next(rs);
    bool final = next == NULL;
    int64_t seen;
    if (rowset_seen(rs, &seen))
        cursor_saw(&j->cur, seen);
    if (final)
        cursor_finish(&j->cur);
    else
        cursor_next_page(&j->cur, next);
    char *cursor = cursor_format(&j->cur);
    /* a metric dropped on the way is said in this page's fetch record */
    char *note = j->refusal ? j->refusal->note : NULL;
    char *run = run_json(j, "ok", ERR_NONE, note, !final);
    engine_refusal_free(j);
    double next_in = final ? (double)next_run_in_ms(j) / 1000.0 : 0;
    if (rowset_warnings(rs))
        log_notice("engine: page had partial errors account=%s stream=%s count=%u", j->account,
                   j->stream, rowset_warnings(rs));
    j->state = J_WRITING;
    writer_page(e->w, j->id, e->owner, rs, cursor, run, final, next_in, page_written_cb, j);
    free(cursor);
    free(run);
    engine_kick(e);
}

/* Feeds the platform's rate-limit signals into the gates. */
static void apply_signals(struct ejob *j, const struct http_response *resp)
{
    struct rl_signal sig = {-1, -1, false};
    char key[256];
    if (!j->ad->ratelimit)
        return;
    j->ad->ratelimit(resp, time_wall_us(), &sig);
    int64_t wait = sig.wait_ms, pause = platform_cfg(j)->usage_pause_ms;
    /*
     * A platform that says when its window resets (X) is taken at its word. One that only
     * reports how much of its budget is used (Meta's usage headers) is given room before it
     * starts refusing: usage_pause near the limit, a tenth of it above 80 %.
     */
    if (wait < 0 && sig.usage_pct >= 95)
        wait = pause;
    else if (wait < 0 && sig.usage_pct >= 80)
        wait = pause / 10;
    if (wait <= 0)
        return;
    gate_key(j, sig.per_stream, key, sizeof key);
    struct gate *g = engine_gate(j->e, key);
    int64_t until = sched_now(j->e->sched) + wait * 1000;
    if (until > g->open_at)
        g->open_at = until;
}

/* ---- a metric the platform refuses ----------------------------------------------------------
 *
 * A retired or refused insights metric fails a whole Graph call (error 100). When the answer
 * names it, it is retired at once; when it does not, the metrics of the refused request are
 * asked for half at a time (the answers of these probes are not stored) until the one refused
 * is found. A retired metric is kept in the job's cursor (saved with the next page, so it
 * survives a restart) and never asked for again; the rest of the stream goes on.
 */

void engine_refusal_free(struct ejob *j)
{
    if (!j->refusal)
        return;
    free(j->refusal->probe);
    free(j->refusal->rest);
    free(j->refusal->note);
    free(j->refusal);
    j->refusal = NULL;
}

static struct refusal *refusal_of(struct ejob *j)
{
    if (!j->refusal)
        j->refusal = xcalloc(1, sizeof *j->refusal);
    return j->refusal;
}

static size_t list_count(const char *list)
{
    size_t n = list && *list ? 1 : 0;
    for (const char *p = list; p && *p; p++)
        n += *p == ',';
    return n;
}

static bool list_has(const char *list, const char *name)
{
    size_t n = strlen(name);
    while (list && *list) {
        size_t len = strcspn(list, ",");
        if (len == n && strncmp(list, name, n) == 0)
            return true;
        list += len + (list[len] == ',');
    }
    return false;
}

/* Retires metric: said once in the log and in the next fetch record; the page is asked again. */
static void retire_metric(struct ejob *j, const char *metric, const char *why)
{
    struct refusal *r = refusal_of(j);
    char *note = xasprintf("%s%smetric %s refused by the platform, no longer asked for (%s)",
                           r->note ? r->note : "", r->note ? "; " : "", metric, why);
    log_warn("engine: metric refused by the platform, no longer asked for account=%s "
             "stream=%s metric=%s error=\"%s\"",
             j->account, j->stream, metric, why);
    cursor_retire(&j->cur, metric);
    free(r->note);
    r->note = note;
    free(r->probe);
    free(r->rest);
    r->probe = r->rest = NULL;
    do_fetch(j);
}

/* The refused metric is among `set` (comma-separated): retire it, or ask for half of the set. */
static void search_refused(struct ejob *j, const char *set, const char *why)
{
    struct refusal *r = refusal_of(j);
    size_t n = list_count(set), half = n / 2, cut = 0;
    if (n <= 1) {
        char *one = xstrdup(set);
        retire_metric(j, one, why);
        free(one);
        return;
    }
    for (size_t k = 0; k < half; k++)
        cut += strcspn(set + cut, ",") + 1;
    char *probe = xstrndup(set, cut - 1), *rest = xstrdup(set + cut);
    log_info("engine: finding the refused metric account=%s stream=%s asking=%s", j->account,
             j->stream, probe);
    free(r->probe);
    free(r->rest);
    r->probe = probe;
    r->rest = rest;
    do_fetch(j);
}

/* A probe was answered: the refused metric is among the rest of the set. */
static void probe_passed(struct ejob *j, struct rowset *rs)
{
    char *rest = xstrdup(j->refusal->rest);
    rowset_free(rs); /* a probe's answer is not stored: the page is asked for whole again */
    search_refused(j, rest, "the others were answered");
    free(rest);
}

/* true when the failure was a refused metric, now being dealt with. */
static bool refused_metric(struct ejob *j, struct rowset *rs, const char *why)
{
    const char *name, *among;
    if (rowset_error(rs, NULL, NULL) != ERR_BAD_REQUEST ||
        !rowset_refused_metric(rs, &name, &among))
        return false;
    if (name && list_has(j->cur.retired, name))
        return false; /* refused again although no longer asked for: not ours to fix */
    char *n = name ? xstrdup(name) : NULL;
    char *set = xstrdup(j->refusal && j->refusal->probe ? j->refusal->probe : among ? among : "");
    bool handled = n || *set;
    if (n)
        retire_metric(j, n, why);
    else if (*set)
        search_refused(j, set, why);
    free(n);
    free(set);
    return handled;
}

static void handle_error(struct ejob *j, struct rowset *rs, int64_t transport_retry_ms)
{
    const char *msg;
    int64_t retry;
    enum err_class cls = rowset_error(rs, &msg, &retry);
    char why[512];
    snprintf(why, sizeof why, "%s", msg);
    if (refused_metric(j, rs, why)) {
        rowset_free(rs);
        return;
    }
    rowset_free(rs);
    if (retry < 0)
        retry = transport_retry_ms;
    if (cls == ERR_AUTH) {
        struct cred_state *c = cred_state(j->e, j->acct->credential);
        if (engine_account(j->e, j->account)->needs_reauth) {
            fail(j, cls, why, retry, false); /* another job of the account found out first */
            return;
        }
        if (!j->auth_retried && (c->refreshing || c->generation != j->token_gen)) {
            /* sent with a token that a refresh has replaced (or is replacing): just retry */
            j->auth_retried = true;
            if (c->refreshing)
                refresh_start(j, true);
            else
                do_fetch(j);
            return;
        }
        if (!j->auth_retried && j->ad->refresh_build) {
            j->auth_retried = true;
            refresh_start(j, true);
            return;
        }
        job_mark_needs_reauth(j, why);
        fail(j, cls, why, retry, false);
        return;
    }
    if (cls == ERR_THROTTLED || cls == ERR_QUOTA) {
        char key[256];
        gate_key(j, false, key, sizeof key);
        struct gate *g = engine_gate(j->e, key);
        int64_t wait = retry >= 0 ? retry : wait_after(j, cls, -1);
        int64_t until = sched_now(j->e->sched) + wait * 1000;
        if (until > g->open_at)
            g->open_at = until;
        retry = wait;
    }
    /* a page token the platform refuses cannot be retried: start the window again */
    fail(j, cls, why, retry, cls == ERR_BAD_REQUEST && j->cur.page != NULL);
}

static void fetch_cb(void *arg, const struct fetch_result *res)
{
    struct ejob *j = arg;
    struct engine *e = j->e;
    j->fr = NULL;
    tick_cancel(j);
    e->inflight--;
    e->inflight_platform[j->ad->platform]--;
    j->http_status = res->status;
    if (j->removed || !j->acct) {
        settle(j);
        engine_kick(e);
        return;
    }
    if (res->transport_error) {
        fail(j, ERR_TRANSIENT, res->error, res->retry_after_ms, false);
        return;
    }
    apply_signals(j, &res->resp);
    struct adapter_ctx ctx;
    struct rowset *rs = rowset_new();
    make_ctx(j, &ctx);
    int rc = j->def->parse(&ctx, &res->resp, rs);
    if (rc == 0 && xbudget_applies(j)) /* X bills the posts read, whatever becomes of the page */
        xbudget_count(j, rs);
    if (rc == 0 && j->refusal && j->refusal->probe)
        probe_passed(j, rs);
    else if (rc == 0)
        write_page(j, rs);
    else
        handle_error(j, rs, res->retry_after_ms);
}

static void do_fetch(struct ejob *j)
{
    struct engine *e = j->e;
    struct adapter_ctx ctx;
    struct http_request req = {0};
    char why[256] = "";
    make_ctx(j, &ctx);
    if (j->def->build(&ctx, &req, why, sizeof why) < 0) {
        http_request_free(&req);
        fail(j, ERR_BAD_REQUEST, why[0] ? why : "cannot build the request", -1, false);
        return;
    }
    const struct cfg_platform *p = platform_cfg(j);
    struct fetch_opts o = {p->timeout_ms, p->connect_timeout_ms, (size_t)p->max_body_kb * 1024};
    log_debug("engine: fetch account=%s stream=%s url=%s", j->account, j->stream, req.log_url);
    j->token_gen = cred_state(e, j->acct->credential)->generation;
    j->http_status = 0;
    j->state = J_FETCHING;
    j->fr = fetch_submit(e->f, &req, &o, fetch_cb, j);
    http_request_free(&req);
    if (!j->fr) {
        fail(j, ERR_TRANSIENT, "the HTTP client refused the request", -1, false);
        return;
    }
    e->inflight++;
    e->inflight_platform[j->ad->platform]++;
    if (j->leased)
        wait_leased(j, lease_ms(j)); /* an answer slower than a third of the lease */
}

/* ---- tokens ------------------------------------------------------------------------------- */

static struct cred_state *cred_state(struct engine *e, const char *name)
{
    for (struct cred_state *c = e->creds; c; c = c->next)
        if (strcmp(c->name, name) == 0)
            return c;
    struct cred_state *c = xcalloc(1, sizeof *c);
    c->name = xstrdup(name);
    c->next = e->creds;
    e->creds = c;
    return c;
}

/* Hands the refresh outcome to every job waiting on the credential. */
static void refresh_finish(struct engine *e, struct cred_state *c, enum err_class cls,
                           const char *why)
{
    size_t n = c->nwait;
    struct ejob **w = c->waiters;
    c->waiters = NULL;
    c->nwait = c->capw = 0;
    c->refreshing = false;
    for (size_t i = 0; i < n; i++) {
        struct ejob *j = w[i];
        if (j->removed || !j->acct) {
            settle(j);
            continue;
        }
        if (cls == ERR_NONE || (!j->wait_forced && cls != ERR_AUTH)) {
            do_fetch(j); /* a proactive refresh that failed still leaves a working token */
        } else if (cls == ERR_AUTH) {
            job_mark_needs_reauth(j, why);
            fail(j, ERR_AUTH, why, -1, false);
        } else {
            fail(j, cls, why, -1, false);
        }
    }
    free(w);
    (void)e;
}

static void set_expiry_in_db(struct engine *e, const struct ejob *j)
{
    char exp[32];
    snprintf(exp, sizeof exp, "%lld", (long long)tokens_expires_at(e->tokens, j->acct->credential));
    const char *p[2] = {j->account, exp};
    engine_stmt(e, STMT_TOKEN_EXPIRY, "SELECT socialroi.set_token_expiry($1, $2::float8)", 2, p);
    pgconn_sync(e->db, NULL, NULL);
}

static void refresh_cb(void *arg, const struct fetch_result *res)
{
    struct ejob *j = arg; /* the job that started the refresh */
    struct engine *e = j->e;
    struct cred_state *c = cred_state(e, j->acct ? j->acct->credential : "");
    struct token_set ts;
    enum err_class cls = ERR_TRANSIENT;
    char why[256] = "token endpoint unreachable";
    if (!res->transport_error && j->ad->refresh_parse(&res->resp, &ts, &cls, why, sizeof why) == 0)
        cls = ERR_NONE;
    else if (res->transport_error)
        snprintf(why, sizeof why, "token endpoint: %s", res->error);
    if (cls == ERR_NONE) {
        /* saved before first use: a rotated refresh token must survive a crash */
        tokens_update(e->tokens, c->name, ts.access_token, ts.refresh_token, ts.expires_in_s,
                      time_wall_us() / 1000000);
        e->refreshes++;
        c->generation++;
        log_notice("tokens: refreshed credential=%s expires_in_s=%lld", c->name,
                   (long long)ts.expires_in_s);
        set_expiry_in_db(e, j);
    } else {
        e->refresh_failures++;
        log_warn("tokens: refresh failed credential=%s class=%s reason=\"%s\"", c->name,
                 err_class_name(cls), why);
    }
    explicit_bzero(&ts, sizeof ts);
    refresh_finish(e, c, cls, why);
}

static void refresh_start(struct ejob *j, bool forced)
{
    struct engine *e = j->e;
    struct cred_state *c = cred_state(e, j->acct->credential);
    j->state = J_TOKEN;
    j->wait_forced = forced;
    if (j->leased)
        wait_leased(j, lease_ms(j)); /* renewed while the token endpoint answers */
    c->waiters = xgrow(c->waiters, &c->capw, c->nwait + 1, sizeof *c->waiters);
    c->waiters[c->nwait++] = j;
    if (c->refreshing)
        return;
    const struct cfg_credential *cc = credential(j);
    struct http_request req = {0};
    c->refreshing = true;
    if (!cc || j->ad->refresh_build(platform_cfg(j), cc, tokens_access(e->tokens, c->name),
                                    tokens_refresh(e->tokens, c->name), &req) < 0) {
        http_request_free(&req);
        refresh_finish(e, c, forced ? ERR_AUTH : ERR_TRANSIENT,
                       "the credential has no way to refresh its token");
        return;
    }
    const struct cfg_platform *p = platform_cfg(j);
    struct fetch_opts o = {p->timeout_ms, p->connect_timeout_ms, 65536};
    if (!fetch_submit(e->f, &req, &o, refresh_cb, j))
        refresh_finish(e, c, ERR_TRANSIENT, "the HTTP client refused the token request");
    http_request_free(&req);
}

bool job_token_refreshable(const struct ejob *j)
{
    const struct cfg_credential *cc = credential(j);
    if (!cc || !j->ad->refresh_build)
        return false;
    struct http_request req = {0};
    int rc = j->ad->refresh_build(platform_cfg(j), cc, tokens_access(j->e->tokens, cc->name),
                                  tokens_refresh(j->e->tokens, cc->name), &req);
    http_request_free(&req);
    return rc == 0;
}

void job_token_sync(struct ejob *j)
{
    char exp[32];
    snprintf(exp, sizeof exp, "%lld",
             (long long)tokens_expires_at(j->e->tokens, j->acct->credential));
    const char *p[3] = {j->account, exp, job_token_refreshable(j) ? "true" : "false"};
    engine_stmt(j->e, STMT_TOKEN_EXPIRY,
                "SELECT socialroi.set_token_renewal($1, $2::float8, $3::boolean)", 3, p);
}

/*
 * A token that will end and cannot be refreshed (LinkedIn without programmatic refresh, a Meta
 * token without the app's secret) is announced 14 and 3 days before its end, once each
 * (expiry.h); once ended, the account goes needs_reauth before the dead token is sent.
 * Returns true when the run ended here.
 */
static bool token_ended(struct ejob *j, int64_t now_s)
{
    int64_t exp = tokens_expires_at(j->e->tokens, j->acct->credential);
    enum expiry_level l = expiry_level(exp, now_s);
    if (l == EXPIRY_NONE)
        return false;
    struct cred_state *c = cred_state(j->e, j->acct->credential);
    if (l != EXPIRY_EXPIRED && c->expiry.expires_at == exp && l <= c->expiry.said)
        return false; /* said, or found renewable, at this level: not asked at every page */
    if (job_token_refreshable(j)) {
        c->expiry = (struct expiry_note){exp, l};
        return false;
    }
    enum expiry_level said = expiry_announce(&c->expiry, exp, now_s);
    if (said == EXPIRY_14D || said == EXPIRY_3D)
        log_warn("tokens: access token expires in %lld days and cannot be refreshed "
                 "credential=%s account=%s: reconnect (authorize the app again, put the new "
                 "access_token and its expires_at in the credentials file, reload)",
                 (long long)expiry_days_left(exp, now_s), j->acct->credential, j->account);
    if (l != EXPIRY_EXPIRED)
        return false;
    char day[16], why[256];
    time_format_date((int32_t)(exp / 86400), day, sizeof day);
    snprintf(why, sizeof why,
             "access token expired on %s and cannot be refreshed: authorize the app again and "
             "put the new access_token and its expires_at in the credentials file",
             day);
    job_mark_needs_reauth(j, why);
    fail(j, ERR_AUTH, why, -1, false);
    return true;
}

/* Refresh ahead of expiry, by the platform's margin (platform.c). */
static bool token_due(const struct ejob *j, int64_t now_s)
{
    int64_t exp = tokens_expires_at(j->e->tokens, j->acct->credential);
    if (exp <= 0 || !j->ad->refresh_build)
        return false;
    return now_s >= exp - platform_info(j->acct->platform_id)->refresh_margin_s;
}

/* ---- the lease ---------------------------------------------------------------------------- */

/* The lease could not be asked for: retried, a few times only under --once. */
static void claim_failed(struct ejob *j, PGresult *res, const char *err)
{
    struct engine *e = j->e;
    if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
        health_fail(e->health, "claim", "claim_job", err ? err : "claim_job returned no row");
    if (e->once && ++j->once_attempts >= ONCE_MAX_ATTEMPTS) {
        log_err("engine: --once gives up on a job whose lease cannot be taken account=%s "
                "stream=%s",
                j->account, j->stream);
        engine_once_complete(j, true);
        return;
    }
    if (!e->stopping)
        engine_schedule(j, DB_RETRY_MS);
    engine_check_done(e);
}

/*
 * Whether the X search's listening budget is spent (less than X's smallest page left today or
 * this month). Then no request is sent: one line is logged, the stop is recorded (a fetch
 * record of outcome budget, not a failure: the job's failures stay as they were) and the job
 * is due again one second after the UTC day, or the month, turns.
 */
static bool budget_spent(struct ejob *j, int64_t now)
{
    struct xbudget *b = &j->as->xb;
    long cap_day = j->acct->x_posts_per_day, cap_month = j->acct->x_posts_per_month;
    bool by_month;
    if (!xbudget_applies(j)) /* the account's other streams read no search */
        return false;
    b->stopped = false;
    if (cap_day <= 0 && cap_month <= 0)
        return false;
    if (!b->known) {
        fail(j, ERR_TRANSIENT, "x listening budget unknown: the database did not answer", -1,
             false);
        return true;
    }
    int32_t today = xbudget_day(now);
    if (xbudget_page_size(xbudget_left(b, cap_day, cap_month, today, &by_month)) > 0)
        return false;
    int64_t resets = xbudget_resets_at(today, by_month);
    char msg[200], day[16];
    time_format_date((int32_t)(resets / 86400), day, sizeof day);
    if (by_month)
        snprintf(msg, sizeof msg,
                 "x listening budget reached: %lld of %ld posts this month (resets 00:00 UTC on "
                 "%s)",
                 (long long)(b->billed_month + b->pending), cap_month, day);
    else
        snprintf(msg, sizeof msg,
                 "x listening budget reached: %lld of %ld posts today (resets 00:00 UTC)",
                 (long long)(b->billed_day + b->pending), cap_day);
    log_notice("engine: %s account=%s stream=%s", msg, j->account, j->stream);
    b->stopped = true;
    int64_t wait_ms = resets * 1000 - now / 1000 + 1000;
    char *run = run_json(j, "budget", ERR_NONE, msg, false);
    tick_cancel(j);
    j->leased = j->next_page = false;
    j->wait_until = 0;
    if (j->id)
        xbudget_record_stop(j, run, (double)wait_ms / 1000.0);
    free(run);
    if (j->e->once)
        engine_once_complete(j, false);
    else if (!j->e->stopping)
        engine_schedule(j, wait_ms);
    engine_check_done(j->e);
    return true;
}

/* The leased job's next request, from its cursor: a token refresh first when one is due. */
static void start_fetch(struct ejob *j)
{
    int64_t now = time_wall_us();
    if (budget_spent(j, now))
        return;
    cursor_plan(&j->cur, today_for(j, now), now, j->lookback_ms, j->backfill_ms);
    if (token_ended(j, now / 1000000))
        return;
    if (token_due(j, now / 1000000))
        refresh_start(j, false);
    else
        do_fetch(j);
}

static void claim_cb(void *arg, PGresult *res, const char *err)
{
    struct ejob *j = arg;
    struct engine *e = j->e;
    engine_claim_end(j);
    if (!settle(j)) {
        engine_check_done(e);
        return;
    }
    if (err || !res || PQntuples(res) != 1) {
        claim_failed(j, res, err);
        return;
    }
    health_ok(e->health, "claim");
    bool claimed = PQgetvalue(res, 0, 0)[0] == 't';
    double due_in = atof(PQgetvalue(res, 0, 2));
    j->leased = false;
    j->wait_until = 0;
    if (claimed)
        lease_taken(j);
    if (!claimed) {
        /* another daemon ran it or holds it: come back when it is due again */
        if (e->once)
            engine_once_complete(j, false);
        else if (!e->stopping)
            engine_schedule(j, due_in > 1 ? (int64_t)(due_in * 1000) : 1000);
        engine_check_done(e);
        return;
    }
    j->failures = atoi(PQgetvalue(res, 0, 4));
    cursor_free(&j->cur);
    if (cursor_parse(PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1), &j->cur) < 0)
        log_warn("engine: unreadable cursor, starting over account=%s stream=%s", j->account,
                 j->stream);
    if (!j->cur.in_run)
        j->run_due_at = j->due_at; /* a new run: its period counts from when it was due */
    start_fetch(j);
}

/* Whether the gates let j go now; otherwise reschedules it for when they open. */
static bool gates_open(struct ejob *j)
{
    struct engine *e = j->e;
    char key[256];
    int64_t now = sched_now(e->sched), open_at = now;
    if (!engine_has_capacity(j)) {
        engine_schedule(j, CAPACITY_RETRY_MS + (int64_t)(sched_rand(&e->rng) % 100));
        return false;
    }
    for (int per_stream = 0; per_stream < 2; per_stream++) {
        gate_key(j, per_stream, key, sizeof key);
        struct gate *g = engine_gate(e, key);
        if (g->open_at > open_at)
            open_at = g->open_at;
    }
    /* a platform with a documented pace (HubSpot search) gets its requests spaced evenly */
    long rps = platform_cfg(j)->requests_per_second;
    struct gate *pace = NULL;
    /* ... only the requests the adapter says the pace is for */
    if (rps > 0 && j->ad->paced) {
        struct adapter_ctx ctx;
        make_ctx(j, &ctx);
        if (!j->ad->paced(&ctx))
            rps = 0;
    }
    if (rps > 0) {
        snprintf(key, sizeof key, "pace/%s/%s", platform_info(j->acct->platform_id)->name,
                 j->acct->credential);
        pace = engine_gate(e, key);
        if (pace->open_at > open_at)
            open_at = pace->open_at;
    }
    if (open_at > now) {
        int64_t wait_ms = (open_at - now) / 1000 + 1;
        if (e->once && wait_ms > ONCE_MAX_WAIT_MS) {
            log_warn("engine: --once gives up on a job its rate limit keeps closed for %llds "
                     "account=%s stream=%s",
                     (long long)(wait_ms / 1000), j->account, j->stream);
            lease_give_back(j);
            engine_once_complete(j, true);
            return false;
        }
        wait_leased(j, wait_ms);
        return false;
    }
    if (pace)
        pace->open_at = now + 1000000 / rps;
    return true;
}

void job_fire(struct ejob *j)
{
    struct engine *e = j->e;
    char id[24], lease[24];
    if ((j->state == J_FETCHING || j->state == J_TOKEN) && j->leased) {
        lease_renew(j); /* a slow answer or token refresh: the tick do_fetch armed */
        wait_leased(j, lease_ms(j));
        return;
    }
    if (j->state == J_WRITING) {
        /* a retry is scheduled before its failure record is written; a slow database must
         * not make it vanish: it fires once the write is done */
        j->fire_deferred = true;
        return;
    }
    if (j->state != J_IDLE || !j->acct || !j->synced)
        return;
    if (!e->ready || e->stopping) {
        if (!e->stopping)
            engine_schedule(j, DB_RETRY_MS);
        return;
    }
    if (engine_account(e, j->account)->needs_reauth) {
        lease_give_back(j); /* a run that waited: no daemon polls the account now */
        engine_once_complete(j, true);
        return; /* not rescheduled: a reload with a new token brings it back */
    }
    if (j->leased) {
        int64_t now = sched_now(e->sched);
        lease_renew(j);
        if (j->wait_until > now) { /* a renewal inside the platform's wait */
            wait_leased(j, (j->wait_until - now) / 1000 + 1);
            return;
        }
    }
    if (writer_congested(e->w)) {
        engine_schedule(j, 0);
        engine_kick(e); /* pauses the scheduler until the writer catches up */
        return;
    }
    if (!gates_open(j))
        return;
    if (j->next_page && j->leased) {
        /*
         * The run's next page: the lease is ours (each page renewed it) and the cursor in
         * memory is the one the last page committed, so asking the database again would only
         * cost a round trip per page. A lease lost meanwhile shows when the page is written.
         */
        j->next_page = false;
        start_fetch(j);
        return;
    }
    j->next_page = false;
    if (xbudget_applies(j))
        xbudget_load(j); /* answered before the claim: the run starts knowing what is left */
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    snprintf(lease, sizeof lease, "%lld", (long long)(lease_ms(j) / 1000));
    /* never forced: a run that is not due (another daemon just did it) is not repeated; but a
     * reload that changed a retired version retries at once, whatever the due time */
    const char *p[4] = {id, e->owner, lease, j->version_retry ? "true" : "false"};
    j->version_retry = false;
    j->state = J_CLAIMING;
    if (pgconn_query(e->db,
                     "SELECT claimed, job_cursor, due_in_s, account_state, failures FROM "
                     "socialroi.claim_job($1::bigint, $2, $3::integer, $4::boolean)",
                     4, p, claim_cb, j) < 0) {
        j->state = J_IDLE;
        engine_schedule(j, DB_RETRY_MS);
        return;
    }
    engine_claim_begin(j);
    pgconn_sync(e->db, NULL, NULL);
}
