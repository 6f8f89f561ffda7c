/*
 * lease.c - the lease a run holds in the database, and the machine's statements whose outcome
 * only matters to health (see job.h).
 *
 * A run holds its job's lease from the claim to its last page, or to a failure that gives the
 * job back. Whatever it waits for in between - a rate-limit reset (X windows last 15 minutes),
 * a quota, a Retry-After, a slow answer - it renews the lease every third of its length, so two
 * renewals may fail before another daemon could take the job, and a daemon that dies frees its
 * jobs one lease later. Keeping the lease, rather than giving it back with next_due at the
 * reset, keeps the run, its page cursor and the gate that knows the reset on one daemon, and
 * shows operators who holds a waiting job (poll_job.lease_owner, lease_expires moving on). The
 * lease's length is [daemon] lease alone: every SQL function that sets lease_expires is given
 * it (policy.h).
 */
#include "job.h"
#include "dbsql.h"
#include "health.h"
#include "pgconn.h"
#include "policy.h"
#include "sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct job_stmt_kind {
    const char *component, *what;
} kinds[JOB_STMT_COUNT] = {
    [JOB_STMT_RELEASE] = {"release_job", "release_job"},
    [JOB_STMT_ACCOUNT_STATE] = {"account_state", "set_account_state"},
    [JOB_STMT_TOKEN_EXPIRY] = {"token_expiry", "set_token_expiry"},
};

static void stmt_cb(void *arg, PGresult *res, const char *err)
{
    const struct job_stmt *s = arg;
    if (!err)
        health_ok(s->e->health, kinds[s->kind].component);
    else if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED) /* lost: pgconn's */
        health_fail(s->e->health, kinds[s->kind].component, kinds[s->kind].what, err);
}

void job_env_init(struct jobenv *e)
{
    for (int i = 0; i < JOB_STMT_COUNT; i++) {
        e->stmts[i].e = e;
        e->stmts[i].kind = (enum job_stmt_kind_id)i;
    }
}

void job_stmt(struct jobenv *e, enum job_stmt_kind_id k, const char *sql, int n,
              const char *const *params)
{
    pgconn_query(e->db, sql, n, params, stmt_cb, &e->stmts[k]);
    pgconn_sync(e->db, NULL, NULL);
}

static int64_t lease_ms(const struct ejob *j)
{
    return j->e->cfg->daemon.lease_ms;
}

void lease_taken(struct ejob *j)
{
    j->leased = true;
    j->renew_at = sched_now(j->e->sched) + policy_renew_after_us(lease_ms(j));
}

static void renew_cb(void *arg, PGresult *res, const char *err)
{
    struct jobenv *e = arg; /* not the job: a job may be freed by a reload meanwhile */
    if (err || !res || PQntuples(res) != 1) {
        if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
            health_fail(e->health, "claim", "renew_lease",
                        err ? err : "renew_lease returned no row");
        return; /* the next renewal tries again */
    }
    health_ok(e->health, "claim");
    if (PQgetvalue(res, 0, 1)[0] == 't')
        return;
    struct ejob *j = e->host.find(e->host.arg, atoll(PQgetvalue(res, 0, 0)));
    if (!j || !j->leased)
        return;
    j->leased = false; /* its next claim finds out who runs the job now */
    log_notice("engine: lease lost while the run waited, another daemon runs the job "
               "account=%s stream=%s",
               j->account, j->stream);
}

void lease_renew(struct ejob *j)
{
    struct jobenv *e = j->e;
    int64_t now = sched_now(e->sched);
    char id[24], lease[24];
    if (!j->leased || now < j->renew_at)
        return;
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    snprintf(lease, sizeof lease, "%lld", (long long)policy_lease_s(lease_ms(j)));
    const char *p[3] = {id, e->owner, lease};
    log_debug("engine: renewing the lease account=%s stream=%s", j->account, j->stream);
    if (pgconn_query(e->db, dbsql_renew_lease, 3, p, renew_cb, e) == 0) {
        pgconn_sync(e->db, NULL, NULL);
        j->renew_at = now + policy_renew_after_us(lease_ms(j));
    } else {
        j->renew_at = now + policy_renew_retry_us(lease_ms(j)); /* the database is away */
    }
}

void lease_give_back(struct ejob *j)
{
    char id[24];
    if (!j->leased)
        return;
    j->leased = false;
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    const char *p[2] = {id, j->e->owner};
    job_stmt(j->e, JOB_STMT_RELEASE, dbsql_release_job, 2, p);
}
