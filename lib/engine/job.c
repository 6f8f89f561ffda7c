/*
 * job.c - one run of one job, top to bottom in the order it runs (see job.h): the timer fires
 * (job_fire, a switch over the job's state), the gates, the claim of the lease, the plan and
 * the token, the request, the parse, the write, and the settling of its outcome; then what
 * each class of failure does (reference §11). The lease's renewals are in lease.c, the timing
 * rules in policy.c; the owner (engine.c) hears of the run only through struct job_host.
 *
 * A run is a chain of callbacks; each step leaves the job in a state (J_CLAIMING, J_TOKEN,
 * J_FETCHING, J_WRITING) and its callback moves it on. A job is J_IDLE exactly when nothing of
 * it is in flight, which is what shutdown and --once wait for.
 */
#include "job.h"
#include "jobctx.h"
#include "dbsql.h"
#include "apiversion.h"
#include "buf.h"
#include "fetch.h"
#include "gates.h"
#include "health.h"
#include "json.h"
#include "pgconn.h"
#include "policy.h"
#include "refresh.h"
#include "refusal.h"
#include "sched.h"
#include "sha256.h"
#include "timeutil.h"
#include "tokens.h"
#include "writer.h"
#include "xbudget.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* the steps, in the order a run takes them */
static void start(struct ejob *j);
static bool gates_open(struct ejob *j);
static void claim(struct ejob *j);
static void claim_cb(void *arg, PGresult *res, const char *err);
static void start_fetch(struct ejob *j);
static void refresh_start(struct ejob *j, bool forced);
static void do_fetch(struct ejob *j);
static void fetch_cb(void *arg, const struct fetch_result *res);
static void apply_signals(struct ejob *j, const struct http_response *resp);
static void write_page(struct ejob *j, struct rowset *rs);
static int64_t next_run_in_ms(const struct ejob *j);
static void page_written_cb(void *arg, enum write_outcome out, int rows, const char *err);
static void handle_error(struct ejob *j, struct rowset *rs, int64_t transport_retry_ms);
static void fail(struct ejob *j, enum err_class cls, const char *msg, int64_t retry_ms,
                 bool restart);
static void failure_written_cb(void *arg, enum write_outcome out, int rows, const char *err);
static void mark_needs_reauth(struct ejob *j, const char *why);

/* ---- helpers ------------------------------------------------------------------------------ */

static const struct cfg_platform *platform_cfg(const struct ejob *j)
{
    return &j->e->cfg->platforms[j->acct->platform_id];
}

static int64_t lease_ms(const struct ejob *j)
{
    return j->e->cfg->daemon.lease_ms;
}

static void gate_key(const struct ejob *j, bool per_stream, char *buf, size_t len)
{
    snprintf(buf, len, "%s/%s%s%s", platform_info(j->acct->platform_id)->name, j->acct->credential,
             per_stream ? "/" : "", per_stream ? j->stream : "");
}

static struct gate *gate(struct jobenv *e, const char *key)
{
    return gates_get(e->gates, key, sched_now(e->sched));
}

static void kick(struct jobenv *e)
{
    e->host.kick(e->host.arg);
}

/* j's --once run ends here. */
static void once_complete(struct ejob *j, bool failed)
{
    if (!j->e->once || !j->once_active)
        return;
    j->once_active = false;
    j->e->host.once_done(j->e->host.arg, j, failed);
}

void job_schedule(struct ejob *j, int64_t delay_ms)
{
    struct jobenv *e = j->e;
    int64_t due = sched_now(e->sched) + (delay_ms > 0 ? delay_ms : 0) * 1000;
    if (j->sj)
        sched_at(e->sched, j->sj, due);
    else
        j->sj = sched_add(e->sched, j, due);
}

/* Whether j may start a run now: requests in flight plus leases being asked for under the
 * daemon's and the platform's max_inflight (each run holds its buffers only while it runs). */
static bool has_capacity(const struct ejob *j)
{
    const struct jobenv *e = j->e;
    int p = j->ad->platform;
    return e->inflight + e->claiming < e->cfg->daemon.max_inflight &&
           e->inflight_platform[p] + e->claiming_platform[p] <
               e->cfg->platforms[j->acct->platform_id].max_inflight;
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
    job_schedule(j, delay_ms);
}

/*
 * Back to idle. False when the job is gone: its config section went away while it was busy,
 * and its owner has just freed it (the caller must not touch it again).
 */
static bool settle(struct ejob *j)
{
    j->state = J_IDLE;
    if (j->removed) {
        j->e->host.gone(j->e->host.arg, j);
        return false;
    }
    if (j->fire_deferred) { /* its retry came due while the failure record was being written */
        j->fire_deferred = false;
        job_schedule(j, 0);
    }
    return true;
}

/* ---- the timer ------------------------------------------------------------------------------ */

void job_fire(struct ejob *j)
{
    switch (j->state) {
    case J_IDLE:
        start(j); /* due: a run starts, or its next page */
        break;
    case J_CLAIMING:
        break; /* the claim's answer moves it on */
    case J_TOKEN:
    case J_FETCHING:
        if (j->leased) { /* a slow answer or token refresh: the renewal tick do_fetch armed */
            lease_renew(j);
            wait_leased(j, lease_ms(j));
        }
        break;
    case J_WRITING:
        /* a retry is scheduled before its failure record is written; a slow database must
         * not make it vanish: it fires once the write is done */
        j->fire_deferred = true;
        break;
    }
}

/* ---- 1. start: the account, the lease's wait, the writer, the gates ----------------------- */

static void start(struct ejob *j)
{
    struct jobenv *e = j->e;
    if (!j->acct || !j->synced)
        return;
    if (!e->ready || e->stopping) {
        if (!e->stopping)
            job_schedule(j, policy_db_retry_ms());
        return;
    }
    if (j->as->needs_reauth) {
        lease_give_back(j); /* a run that waited: no daemon polls the account now */
        once_complete(j, true);
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
        job_schedule(j, 0);
        kick(e); /* pauses the scheduler until the writer catches up */
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
    claim(j);
}

/* Whether the gates let j go now; otherwise reschedules it for when they open. */
static bool gates_open(struct ejob *j)
{
    struct jobenv *e = j->e;
    char key[256];
    int64_t now = sched_now(e->sched), open_at = now;
    if (!has_capacity(j)) {
        job_schedule(j, policy_capacity_retry_ms(&e->rng));
        return false;
    }
    for (int per_stream = 0; per_stream < 2; per_stream++) {
        gate_key(j, per_stream, key, sizeof key);
        struct gate *g = gate(e, key);
        if (g->open_at > open_at)
            open_at = g->open_at;
    }
    /* a platform with a documented pace (HubSpot search) gets its requests spaced evenly */
    long rps = platform_cfg(j)->requests_per_second;
    struct gate *pace = NULL;
    /* ... only the requests the adapter says the pace is for */
    if (rps > 0 && j->ad->paced) {
        struct adapter_ctx ctx;
        job_ctx(j, &ctx);
        if (!j->ad->paced(&ctx))
            rps = 0;
    }
    if (rps > 0) {
        snprintf(key, sizeof key, "pace/%s/%s", platform_info(j->acct->platform_id)->name,
                 j->acct->credential);
        pace = gate(e, key);
        if (pace->open_at > open_at)
            open_at = pace->open_at;
    }
    if (open_at > now) {
        int64_t wait_ms = (open_at - now) / 1000 + 1;
        if (e->once && policy_once_gives_up(wait_ms)) {
            log_warn("engine: --once gives up on a job its rate limit keeps closed for %llds "
                     "account=%s stream=%s",
                     (long long)(wait_ms / 1000), j->account, j->stream);
            lease_give_back(j);
            once_complete(j, true);
            return false;
        }
        wait_leased(j, wait_ms);
        return false;
    }
    if (pace)
        pace->open_at = now + policy_pace_us(rps);
    return true;
}

/* ---- 2. claim: the lease and the cursor ---------------------------------------------------- */

static void claim(struct ejob *j)
{
    struct jobenv *e = j->e;
    char id[24], lease[24];
    if (xbudget_applies(j))
        xbudget_load(j); /* answered before the claim: the run starts knowing what is left */
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    snprintf(lease, sizeof lease, "%lld", (long long)policy_lease_s(lease_ms(j)));
    /* never forced: a run that is not due (another daemon just did it) is not repeated; but a
     * reload that changed a retired version retries at once, whatever the due time */
    const char *p[4] = {id, e->owner, lease, j->version_retry ? "true" : "false"};
    j->version_retry = false;
    j->state = J_CLAIMING;
    if (pgconn_query(e->db, dbsql_claim_job, 4, p, claim_cb, j) < 0) {
        j->state = J_IDLE;
        job_schedule(j, policy_db_retry_ms());
        return;
    }
    e->claiming++;
    e->claiming_platform[j->ad->platform]++;
    pgconn_sync(e->db, NULL, NULL);
}

/* The lease could not be asked for: retried, a few times only under --once. */
static void claim_failed(struct ejob *j, PGresult *res, const char *err)
{
    struct jobenv *e = j->e;
    if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
        health_fail(e->health, "claim", "claim_job", err ? err : "claim_job returned no row");
    if (e->once && ++j->once_attempts >= policy_once_attempts()) {
        log_err("engine: --once gives up on a job whose lease cannot be taken account=%s "
                "stream=%s",
                j->account, j->stream);
        once_complete(j, true);
        return;
    }
    if (!e->stopping)
        job_schedule(j, policy_db_retry_ms());
    kick(e);
}

static void claim_cb(void *arg, PGresult *res, const char *err)
{
    struct ejob *j = arg;
    struct jobenv *e = j->e;
    e->claiming--;
    e->claiming_platform[j->ad->platform]--;
    if (!settle(j)) {
        kick(e);
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
            once_complete(j, false);
        else if (!e->stopping)
            job_schedule(j, policy_not_claimed_ms(due_in));
        kick(e);
        return;
    }
    j->failures = atoi(PQgetvalue(res, 0, 4));
    cursor_free(&j->cur);
    if (cursor_parse(PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1), &j->cur) < 0)
        log_warn("engine: unreadable cursor, starting over account=%s stream=%s", j->account,
                 j->stream);
    start_fetch(j);
}

/* ---- 3. plan and token ---------------------------------------------------------------------- */

/*
 * Whether the X search's listening budget is spent (less than X's smallest page left today or
 * this month; xbudget.c decides and logs). Then no request is sent: the stop is recorded (a
 * fetch record of outcome budget, not a failure: the job's failures stay as they were) and
 * the job is due again one second after the UTC day, or the month, turns (policy.c).
 */
static bool budget_spent(struct ejob *j, int64_t now)
{
    char msg[200];
    int64_t resets = 0;
    enum xbudget_verdict v = xbudget_check(j, now, msg, sizeof msg, &resets);
    if (v == XBUDGET_UNKNOWN)
        fail(j, ERR_TRANSIENT, msg, -1, false);
    if (v != XBUDGET_STOP)
        return v != XBUDGET_GO;
    int64_t wait_ms = policy_budget_wait_ms(resets, now);
    char *run = job_run_json(j, "budget", ERR_NONE, msg, false);
    tick_cancel(j);
    j->leased = j->next_page = false;
    j->wait_until = 0;
    if (j->id)
        xbudget_record_stop(j, run, (double)wait_ms / 1000.0);
    free(run);
    if (j->e->once)
        once_complete(j, false);
    else if (!j->e->stopping)
        job_schedule(j, wait_ms);
    kick(j->e);
    return true;
}

/* The leased job's next request, from its cursor: a token refresh first when one is due. */
static void start_fetch(struct ejob *j)
{
    int64_t now = time_wall_us();
    char why[256];
    if (budget_spent(j, now))
        return;
    cursor_plan(&j->cur, job_today(j, now), now, j->lookback_ms, j->backfill_ms);
    if (refresh_token_ended(j, now / 1000000, why, sizeof why)) {
        mark_needs_reauth(j, why); /* before the dead token is sent */
        fail(j, ERR_AUTH, why, -1, false);
        return;
    }
    if (refresh_due(j, now / 1000000))
        refresh_start(j, false);
    else
        do_fetch(j);
}

/* The outcome of the token refresh j waited for. */
static void token_done(struct ejob *j, enum err_class cls, const char *why)
{
    if (j->removed || !j->acct) {
        settle(j);
        return;
    }
    if (cls == ERR_NONE || (!j->wait_forced && cls != ERR_AUTH)) {
        do_fetch(j); /* a proactive refresh that failed still leaves a working token */
    } else if (cls == ERR_AUTH) {
        mark_needs_reauth(j, why);
        fail(j, ERR_AUTH, why, -1, false);
    } else {
        fail(j, cls, why, -1, false);
    }
}

/* A new token first: one refresh per credential, however many jobs wait for it. */
static void refresh_start(struct ejob *j, bool forced)
{
    j->state = J_TOKEN;
    j->wait_forced = forced;
    if (j->leased)
        wait_leased(j, lease_ms(j)); /* renewed while the token endpoint answers */
    refresh_wait(j, token_done);
}

/* ---- 4. fetch ------------------------------------------------------------------------------ */

static void do_fetch(struct ejob *j)
{
    struct jobenv *e = j->e;
    struct adapter_ctx ctx;
    struct http_request req = {0};
    char why[256] = "";
    job_ctx(j, &ctx);
    if (j->def->build(&ctx, &req, why, sizeof why) < 0) {
        http_request_free(&req);
        fail(j, ERR_BAD_REQUEST, why[0] ? why : "cannot build the request", -1, false);
        return;
    }
    const struct cfg_platform *p = platform_cfg(j);
    struct fetch_opts o = {p->timeout_ms, p->connect_timeout_ms, (size_t)p->max_body_kb * 1024};
    log_debug("engine: fetch account=%s stream=%s url=%s", j->account, j->stream, req.log_url);
    j->token_gen = refresh_generation(e, j->acct->credential);
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

static void fetch_cb(void *arg, const struct fetch_result *res)
{
    struct ejob *j = arg;
    struct jobenv *e = j->e;
    j->fr = NULL;
    tick_cancel(j);
    e->inflight--;
    e->inflight_platform[j->ad->platform]--;
    j->http_status = res->status;
    if (j->removed || !j->acct) {
        settle(j);
        kick(e);
        return;
    }
    if (res->transport_error) {
        fail(j, ERR_TRANSIENT, res->error, res->retry_after_ms, false);
        return;
    }
    apply_signals(j, &res->resp);
    struct adapter_ctx ctx;
    struct rowset *rs = rowset_new();
    job_ctx(j, &ctx);
    int rc = j->def->parse(&ctx, &res->resp, rs);
    if (rc == 0 && xbudget_applies(j)) /* X bills the posts read, whatever becomes of the page */
        xbudget_count(j, rs);
    if (rc == 0 && refusal_probing(j)) {
        rowset_free(rs); /* a probe's answer is not stored: the page is asked for whole again */
        refusal_probe_passed(j);
        do_fetch(j);
    } else if (rc == 0) {
        write_page(j, rs);
    } else {
        handle_error(j, rs, res->retry_after_ms);
    }
}

/* ---- 5. parse: signals, records or a classified error ------------------------------------ */

/* Feeds the platform's rate-limit signals into the gates. */
static void apply_signals(struct ejob *j, const struct http_response *resp)
{
    struct rl_signal sig = {-1, -1, false};
    char key[256];
    if (!j->ad->ratelimit)
        return;
    j->ad->ratelimit(resp, time_wall_us(), &sig);
    int64_t wait = policy_signal_wait_ms(&sig, platform_cfg(j)->usage_pause_ms);
    if (wait <= 0)
        return;
    gate_key(j, sig.per_stream, key, sizeof key);
    struct gate *g = gate(j->e, key);
    int64_t until = sched_now(j->e->sched) + wait * 1000;
    if (until > g->open_at)
        g->open_at = until;
}

static void handle_error(struct ejob *j, struct rowset *rs, int64_t transport_retry_ms)
{
    const char *msg;
    int64_t retry;
    enum err_class cls = rowset_error(rs, &msg, &retry);
    char why[512];
    snprintf(why, sizeof why, "%s", msg);
    if (refusal_failed(j, rs, why)) { /* a metric refused: retired, or searched for */
        rowset_free(rs);
        do_fetch(j);
        return;
    }
    rowset_free(rs);
    if (retry < 0)
        retry = transport_retry_ms;
    if (cls == ERR_AUTH) {
        bool refreshing = refresh_running(j->e, j->acct->credential);
        if (j->as->needs_reauth) {
            fail(j, cls, why, retry, false); /* another job of the account found out first */
            return;
        }
        if (!j->auth_retried &&
            (refreshing || refresh_generation(j->e, j->acct->credential) != j->token_gen)) {
            /* sent with a token that a refresh has replaced (or is replacing): just retry */
            j->auth_retried = true;
            if (refreshing)
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
        mark_needs_reauth(j, why);
        fail(j, cls, why, retry, false);
        return;
    }
    if (cls == ERR_THROTTLED || cls == ERR_QUOTA) {
        char key[256];
        gate_key(j, false, key, sizeof key);
        struct gate *g = gate(j->e, key);
        int64_t wait =
            policy_refusal_gate_ms(cls, retry, j->failures, j->interval_ms, j->e->once, &j->e->rng);
        int64_t until = sched_now(j->e->sched) + wait * 1000;
        if (until > g->open_at)
            g->open_at = until;
        retry = wait;
    }
    /* a page token the platform refuses cannot be retried: start the window again */
    fail(j, cls, why, retry, cls == ERR_BAD_REQUEST && j->cur.page != NULL);
}

/* ---- 6. write, and the settled outcome --------------------------------------------------- */

static void write_page(struct ejob *j, struct rowset *rs)
{
    struct jobenv *e = j->e;
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
    char *run = job_run_json(j, "ok", ERR_NONE, refusal_note(j), !final);
    refusal_free(j);
    double next_in = final ? (double)next_run_in_ms(j) / 1000.0 : 0;
    if (rowset_warnings(rs))
        log_notice("engine: page had partial errors account=%s stream=%s count=%u", j->account,
                   j->stream, rowset_warnings(rs));
    j->state = J_WRITING;
    writer_page(e->w, j->id, e->owner, rs, cursor, run, final, next_in, page_written_cb, j);
    free(cursor);
    free(run);
    kick(e);
}

/* Milliseconds until the run after the one that just ended: the job's next grid point. */
static int64_t next_run_in_ms(const struct ejob *j)
{
    return policy_next_run_in_ms(j->interval_ms, j->phase_ms, j->cur.run_started / 1000,
                                 time_wall_us() / 1000);
}

static void page_written_cb(void *arg, enum write_outcome out, int rows, const char *err)
{
    struct ejob *j = arg;
    struct jobenv *e = j->e;
    bool final = !j->cur.in_run;
    if (!settle(j)) {
        kick(e);
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
            job_schedule(j, 0); /* the next page, through the gates again */
        } else {
            j->leased = false;
            j->last_success_wall = time_wall_us() / 1000000;
            log_info("engine: run complete account=%s stream=%s", j->account, j->stream);
            if (e->once)
                once_complete(j, false);
            else if (!e->stopping)
                job_schedule(j, next_run_in_ms(j));
        }
    } else if (out == WRITE_LEASE_LOST) {
        j->leased = false;
        log_notice("engine: lease lost, another daemon runs the job account=%s stream=%s",
                   j->account, j->stream);
        if (e->once)
            once_complete(j, false);
        else if (!e->stopping)
            job_schedule(j, policy_next_run_in_ms(j->interval_ms, j->phase_ms,
                                                  time_wall_us() / 1000, time_wall_us() / 1000));
    } else if (out == WRITE_FAILED) {
        health_fail(e->health, "ingest", "ingest_page", err ? err : "database refused the page");
        fail(j, ERR_TRANSIENT, err ? err : "database refused the page", -1, false);
        return;
    }
    kick(e);
}

/* ---- failures -------------------------------------------------------------------------------- */

/* How long to wait before the next attempt after a failure of class cls. */
static int64_t wait_after(struct ejob *j, enum err_class cls, int64_t retry_ms)
{
    return policy_wait_after(cls, retry_ms, j->failures, j->interval_ms, j->e->once, &j->e->rng);
}

/*
 * Records a failed attempt (cursor kept, or reset when restart is set), logs it once per
 * streak, and schedules the retry; under --once gives up after a few attempts.
 */
static void fail(struct ejob *j, enum err_class cls, const char *msg, int64_t retry_ms,
                 bool restart)
{
    struct jobenv *e = j->e;
    int64_t wait = wait_after(j, cls, retry_ms);
    j->next_page = false; /* what the database holds decides where the retry starts */
    refusal_reset(j);     /* a search for a refused metric starts again with the retry */
    j->errors[cls]++;
    free(j->version_failed); /* a reload that changes this version runs the job again at once */
    j->version_failed = NULL;
    if (cls == ERR_VERSION && j->acct) {
        const char *v = apiver_for_stream(platform_cfg(j), j->stream);
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
        again = again && policy_once_again(cls, j->once_attempts, wait);
    }
    /* a wait the platform asks for is part of the run: it keeps the lease; a failure does not */
    j->leased = again && j->leased && (cls == ERR_THROTTLED || cls == ERR_QUOTA);
    j->wait_until = j->leased ? sched_now(e->sched) + wait * 1000 : 0;
    char *cursor = restart ? cursor_format(&j->cur) : NULL;
    char *run = job_run_json(j, cls == ERR_MALFORMED ? "rejected" : "error", cls, msg, j->leased);
    j->state = J_WRITING;
    tick_cancel(j);
    if (again)
        wait_leased(j, wait);
    else if (e->once)
        once_complete(j, true);
    if (j->id)
        writer_failure(e->w, j->id, e->owner, run, (double)wait / 1000.0, cursor,
                       failure_written_cb, j);
    else
        failure_written_cb(j, WRITE_OK, 0, NULL);
    free(run);
    free(cursor);
}

static void failure_written_cb(void *arg, enum write_outcome out, int rows, const char *err)
{
    struct ejob *j = arg;
    struct jobenv *e = j->e;
    (void)rows;
    if (out != WRITE_OK && out != WRITE_SHUTDOWN)
        health_fail(e->health, "record_failure", "record_failure", err);
    else if (out == WRITE_OK && j->id)
        health_ok(e->health, "record_failure");
    if (out == WRITE_OK && j->leased)
        lease_taken(j); /* the record kept the lease for the wait and renewed it */
    if (e->stopping)
        lease_give_back(j); /* stopped while the record was written: no retry comes */
    settle(j);
    kick(e);
}

static void mark_needs_reauth(struct ejob *j, const char *why)
{
    struct jobenv *e = j->e;
    struct acct_state *a = j->as;
    char hash[65];
    const char *tok = tokens_access(e->tokens, j->acct->credential);
    if (!a->needs_reauth)
        log_err("engine: account needs re-authorization, polling stopped account=%s "
                "platform=%s reason=\"%s\": put a new token in the credentials file and reload",
                j->account, j->acct->platform, why);
    a->needs_reauth = true;
    sha256_hex(tok, strlen(tok), hash);
    const char *p[4] = {j->account, "needs_reauth", why, hash};
    job_stmt(e, JOB_STMT_ACCOUNT_STATE, dbsql_set_account_state, 4, p);
    /* every job of the account ends its --once run here */
    for (struct ejob *o = a->jobs; o; o = o->acct_next)
        if (o != j && o->state == J_IDLE)
            once_complete(o, true);
}
