/*
 * job.h - the job machine: one run of one job, from its timer to its settled outcome (job.c,
 * with the lease's renewals in lease.c). engine.c owns the jobs, their registry, the sync with
 * the database and the event loop, and calls down into the machine (job_fire from the
 * scheduler, job_schedule); the machine reports up only through struct job_host. Not a public
 * header: engine.h is.
 *
 * A job's state says what of it is in flight:
 *
 *   J_IDLE ──fire──> J_CLAIMING ──claim_cb──> [J_TOKEN ──refresh──>] J_FETCHING ──fetch_cb──>
 *   parse ──> J_WRITING ──page_written_cb──> J_IDLE (settled: last page, or the next page due
 *   at once) ; a failure at any step goes to J_WRITING (its record) and then J_IDLE.
 *
 * J_IDLE is exactly "nothing of it in flight", which is what shutdown and --once wait for.
 */
#ifndef SR_JOB_H
#define SR_JOB_H

#include "adapter.h"
#include "config.h"
#include "cursor.h"
#include "log.h"
#include "xbudget.h"

#include <stdbool.h>
#include <stdint.h>

struct fetch;
struct fetch_req;
struct gates;
struct health;
struct pgconn;
struct sched;
struct sched_job;
struct tokens;
struct writer;
struct ejob;
struct cred_state;
struct refusal;

enum jstate { J_IDLE, J_CLAIMING, J_TOKEN, J_FETCHING, J_WRITING };

/* What the machine tells its owner. Each is called last in the step that reports it. */
struct job_host {
    void *arg;
    /* j, whose config section went away while it was busy, is idle: the owner frees it */
    void (*gone)(void *arg, struct ejob *j);
    /* j's --once run ended (failed or not) */
    void (*once_done)(void *arg, struct ejob *j, bool failed);
    /* something finished: the owner re-checks backpressure and whether it is done */
    void (*kick)(void *arg);
    /* the job of a database id, NULL when gone (answers that outlive their job) */
    struct ejob *(*find)(void *arg, int64_t id);
};

/* The machine's statements whose outcome only matters to health (lease.c). */
enum job_stmt_kind_id {
    JOB_STMT_RELEASE,
    JOB_STMT_ACCOUNT_STATE,
    JOB_STMT_TOKEN_EXPIRY,
    JOB_STMT_COUNT
};
struct job_stmt {
    struct jobenv *e;
    enum job_stmt_kind_id kind;
};

/* What every run shares: the daemon's services and the counters the gates read. */
struct jobenv {
    struct pgconn *db;
    struct health *health;
    struct writer *w;
    struct fetch *f;
    struct tokens *tokens;
    struct sched *sched;
    const struct config *cfg;
    const char *owner;
    struct job_host host;
    struct gates *gates;
    struct cred_state *creds;
    struct job_stmt stmts[JOB_STMT_COUNT];
    uint64_t rng;
    uint64_t refreshes, refresh_failures;
    int listening_inflight; /* X listening statements not answered yet (xbudget.c) */
    int inflight, inflight_platform[PLATFORM_COUNT];
    /* leases asked for: each becomes a request, so they count against max_inflight too */
    int claiming, claiming_platform[PLATFORM_COUNT];
    bool once, ready, stopping;
};

/* An account's state shared by its jobs. */
struct acct_state {
    struct xbudget xb; /* the X listening budget of its search (xbudget.h) */
    bool needs_reauth;
    struct ejob *jobs;        /* its jobs, through ejob.acct_next */
    struct acct_state *next;  /* every account, for metrics */
    struct acct_state *hnext; /* its hash bucket */
    char name[];
};

/* Fields grouped by size: 30,000 of these must fit a small daemon. */
struct ejob {
    struct jobenv *e;
    const char *account; /* its acct_state's name */
    const char *stream;  /* platform.c's name of the stream */
    struct acct_state *as;
    const struct cfg_account *acct; /* the current config's section (NULL once removed) */
    const struct adapter *ad;
    const struct stream_def *def;
    int64_t id; /* socialroi.poll_job.job_id, 0 until synced */
    struct sched_job *sj;
    int64_t interval_ms, lookback_ms, backfill_ms;
    int64_t phase_ms; /* where on its interval the job comes due (policy_phase_ms) */
    struct job_cursor cur;
    int64_t renew_at;   /* monotonic microseconds: when a run that still waits renews it */
    int64_t wait_until; /* monotonic microseconds: end of a wait the platform asked for */
    uint64_t token_gen; /* the credential's generation when the request was sent */
    struct fetch_req *fr;
    char *version_failed;    /* the API version of a last attempt that failed as retired, or NULL */
    struct refusal *refusal; /* finding out which metric the platform refuses (refusal.h) */
    long http_status;
    struct complain complain;
    /* counters for /metrics */
    uint64_t pages, rows;
    int64_t last_success_wall; /* epoch seconds, 0 = none this process */
    struct ejob *next;
    struct ejob *acct_next; /* the next job of the same account */
    uint32_t errors[ERR_LAST + 1];
    enum jstate state;
    int failures;
    int once_attempts; /* --once bookkeeping */
    bool once_active;
    bool auth_retried, removed, synced, wait_forced;
    bool fire_deferred; /* came due while a write of its own was outstanding */
    bool leased;        /* holds the job's lease in the database: from the claim to the release */
    bool next_page;     /* its last page committed and the run goes on: no claim needed */
    bool version_retry; /* a reload changed the version that was retired: run now, forced */
};

/* The scheduler fired j: the step its state calls for. */
void job_fire(struct ejob *j);
/* Puts j on the scheduler delay_ms from now. */
void job_schedule(struct ejob *j, int64_t delay_ms);
/* lease.c: the statements' callbacks; a statement sent with its pipeline sync. */
void job_env_init(struct jobenv *e);
void job_stmt(struct jobenv *e, enum job_stmt_kind_id k, const char *sql, int n,
              const char *const *params);
/* lease.c: the lease a run holds from its claim to its last page (see there). The database has
 * just set lease_expires a whole lease ahead: */
void lease_taken(struct ejob *j);
/* Renews j's lease when a third of it has gone by. */
void lease_renew(struct ejob *j);
/* Gives the lease back now: the run stops without a retry of its own. */
void lease_give_back(struct ejob *j);

#endif
