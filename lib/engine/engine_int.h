/*
 * engine_int.h - state shared by engine.c (lifecycle, sync, gates, metrics) and engine_job.c
 * (one job's run: lease, token, fetch, parse, write, errors). Not a public header.
 */
#ifndef SR_ENGINE_INT_H
#define SR_ENGINE_INT_H

#include "adapter.h"
#include "cursor.h"
#include "engine.h"
#include "log.h"

#include <stdbool.h>
#include <stdint.h>

struct fetch_req;
struct sched;
struct sched_job;

enum jstate { J_IDLE, J_CLAIMING, J_TOKEN, J_FETCHING, J_WRITING };

/* Fields grouped by size: 30,000 of these must fit a small daemon. */
struct ejob {
    struct engine *e;
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
    long http_status;
    struct complain complain;
    /* counters for /metrics */
    uint64_t pages, rows;
    int64_t last_success_wall; /* epoch seconds, 0 = none this process */
    struct ejob *next;
    struct ejob *acct_next; /* the next job of the same account */
    uint32_t errors[ERR_MALFORMED + 1];
    enum jstate state;
    int failures;
    int once_attempts; /* --once bookkeeping */
    bool once_active;
    bool auth_retried, removed, synced, wait_forced;
    bool fire_deferred; /* came due while a write of its own was outstanding */
    bool leased;        /* holds the job's lease in the database: from the claim to the release */
    bool next_page;     /* its last page committed and the run goes on: no claim needed */
};

/* A rate-limit gate. One that is open (open_at passed) is the same as none: such gates are
 * dropped whenever their hash bucket is visited, so only closed ones take memory. */
struct gate {
    int64_t open_at; /* monotonic microseconds */
    struct gate *next;
    char key[];
};

/* Refresh coordination: one refresh in flight per credential, jobs wait on it. */
struct cred_state {
    char *name;
    bool refreshing;
    uint64_t generation; /* bumped by every successful refresh */
    int32_t warned_day;  /* last day an approaching expiry was logged */
    struct ejob **waiters;
    size_t nwait, capw;
    struct cred_state *next;
};

/* A statement whose outcome only matters to health: which component, what it is called. */
struct stmt {
    struct engine *e;
    const char *component, *what;
};

enum stmt_kind {
    STMT_SYNC_ACCOUNT,
    STMT_DISABLE_JOBS,
    STMT_DISABLE_ACCOUNTS,
    STMT_RELEASE,
    STMT_ACCOUNT_STATE,
    STMT_TOKEN_EXPIRY,
    STMT_LISTEN,
    STMT_COUNT
};

struct acct_state {
    bool needs_reauth;
    struct ejob *jobs;        /* its jobs, through ejob.acct_next */
    struct acct_state *next;  /* every account, for metrics */
    struct acct_state *hnext; /* its hash bucket */
    char name[];
};

struct engine {
    struct event_base *base;
    struct pgconn *db;
    struct health *health;
    struct writer *w;
    struct fetch *f;
    struct tokens *tokens;
    const struct config *cfg;
    char *owner;
    bool once;
    engine_done_fn *done;
    void *done_arg;
    struct sched *sched;
    struct ejob *jobs;
    struct gate **gates; /* GATE_BUCKETS hash chains */
    struct cred_state *creds;
    struct acct_state *accts;
    struct acct_state **acct_tab; /* hash chains of accts, acct_cap of them */
    size_t acct_cap, nacct;
    bool ready, stopping, done_reported;
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
    int inflight, inflight_platform[PLATFORM_COUNT];
    /* leases asked for: each becomes a request, so they count against max_inflight too */
    int claiming, claiming_platform[PLATFORM_COUNT];
    uint64_t rng;
    int64_t started_us; /* monotonic: when the engine was made (its first runs count from it) */
    int once_left;
    bool once_failed;
    uint64_t refreshes, refresh_failures;
};

/* engine.c */
struct gate *engine_gate(struct engine *e, const char *key);
struct acct_state *engine_account(struct engine *e, const char *name);
void engine_check_done(struct engine *e);
void engine_schedule(struct ejob *j, int64_t delay_ms);
void engine_once_complete(struct ejob *j, bool failed);
void engine_free_job(struct engine *e, struct ejob *j);
/* Whether j may start a run now: requests in flight plus leases being asked for under the
 * daemon's and the platform's max_inflight (each run holds its buffers only while it runs). */
bool engine_has_capacity(const struct ejob *j);
/* A lease request for j was sent (begin) or answered (end). */
void engine_claim_begin(struct ejob *j);
void engine_claim_end(struct ejob *j);
/* Sends a statement whose failure is reported to health as s's component. */
void engine_stmt(struct engine *e, enum stmt_kind s, const char *sql, int n,
                 const char *const *params);

/* engine_job.c */
void job_fire(struct ejob *j);
void job_mark_needs_reauth(struct ejob *j, const char *why);

#endif
