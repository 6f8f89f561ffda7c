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

struct ejob {
    struct engine *e;
    char *account, *stream;
    const struct cfg_account *acct; /* the current config's section (NULL once removed) */
    const struct adapter *ad;
    const struct stream_def *def;
    int64_t id; /* socialroi.poll_job.job_id, 0 until synced */
    struct sched_job *sj;
    enum jstate state;
    int64_t interval_ms, lookback_ms, backfill_ms, jitter_ms;
    struct job_cursor cur;
    int failures;
    bool auth_retried, removed, synced, wait_forced;
    bool fire_deferred; /* came due while a write of its own was outstanding */
    bool leased;        /* holds the job's lease in the database: from the claim to the release */
    int64_t renew_at;   /* monotonic microseconds: when a run that still waits renews it */
    int64_t wait_until; /* monotonic microseconds: end of a wait the platform asked for */
    int64_t due_at;     /* monotonic microseconds: when the job was last scheduled for */
    int64_t run_due_at; /* ... and when its current run was: the next is one interval later */
    uint64_t token_gen; /* the credential's generation when the request was sent */
    struct fetch_req *fr;
    long http_status;
    struct complain complain;
    /* counters for /metrics */
    uint64_t pages, rows, errors[ERR_MALFORMED + 1];
    int64_t last_success_wall; /* epoch seconds, 0 = none this process */
    /* --once bookkeeping */
    bool once_active;
    int once_attempts;
    struct ejob *next;
};

struct gate {
    char *key;
    int64_t open_at; /* monotonic microseconds */
    struct gate *next;
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
    char *name;
    bool needs_reauth;
    struct acct_state *next;
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
    struct gate *gates;
    struct cred_state *creds;
    struct acct_state *accts;
    bool ready, stopping, done_reported;
    int syncs_pending;
    bool sync_failed;     /* a statement of the running sync failed: sync again after a wait */
    int sync_attempts;    /* consecutive failed syncs */
    int64_t resync_ms;    /* the next wait */
    struct event *resync; /* armed while a failed sync waits to be tried again */
    bool resync_armed;
    bool due_asking, due_again; /* a NOTIFY's re-read of due times in flight, another wanted */
    struct stmt stmts[STMT_COUNT];
    int inflight, inflight_platform[PLATFORM_COUNT];
    uint64_t rng;
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
/* Sends a statement whose failure is reported to health as s's component. */
void engine_stmt(struct engine *e, enum stmt_kind s, const char *sql, int n,
                 const char *const *params);

/* engine_job.c */
void job_fire(struct ejob *j);
void job_mark_needs_reauth(struct ejob *j, const char *why);

#endif
