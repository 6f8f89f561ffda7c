/*
 * writer.c - page and failure transactions over the pipelined connection (see writer.h).
 */
#include "writer.h"
#include "buf.h"
#include "log.h"
#include "pgconn.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INFLIGHT 4 /* transactions in the pipeline at once */
#define MAX_ATTEMPTS 2 /* a page the database refuses twice is dropped (and reported) */

enum wkind { W_PAGE, W_FAILURE };

struct wreq {
    enum wkind kind;
    int64_t job_id;
    char job_txt[24];
    char *owner;
    char *rows_json; /* W_PAGE */
    char *cursor;    /* W_PAGE; may be NULL */
    char *run;
    bool final;
    char next_txt[32];
    writer_done_fn *cb;
    void *arg;
    int attempts;
    /* state of the transaction in flight */
    int rows;
    bool call_failed, lease_lost;
    char err[256];
    struct writer *w;
    struct lane *lane;
    struct wreq *next;
};

/*
 * One connection and its FIFO. A job always writes through the same lane, so its pages commit
 * in the order they were fetched; jobs write disjoint rows, so lanes do not wait on each other
 * (a rare conflict, two accounts' leads marking the same person, is a retried transaction).
 */
struct lane {
    struct pgconn *db;
    struct wreq *head, *tail; /* queued, not sent */
    size_t queued, inflight;
};

struct writer {
    struct lane *lanes;
    size_t nlanes;
    size_t queued, inflight, high_water; /* over all lanes */
    bool ready;
    struct writer_stats st;
};

static void pump(struct writer *w, struct lane *l);

static void free_req(struct wreq *r)
{
    free(r->owner);
    free(r->rows_json);
    free(r->cursor);
    free(r->run);
    free(r);
}

static void enqueue(struct writer *w, struct wreq *r, bool front)
{
    struct lane *l = r->lane;
    r->next = NULL;
    if (front) {
        r->next = l->head;
        l->head = r;
        if (!l->tail)
            l->tail = r;
    } else {
        if (l->tail)
            l->tail->next = r;
        else
            l->head = r;
        l->tail = r;
    }
    l->queued++;
    w->queued++;
}

static struct wreq *dequeue(struct writer *w, struct lane *l)
{
    struct wreq *r = l->head;
    if (!r)
        return NULL;
    l->head = r->next;
    if (!l->head)
        l->tail = NULL;
    l->queued--;
    w->queued--;
    r->next = NULL;
    return r;
}

static void complete(struct writer *w, struct wreq *r, enum write_outcome out)
{
    if (out == WRITE_OK && r->kind == W_PAGE) {
        w->st.pages++;
        w->st.rows += (uint64_t)r->rows;
    } else if (out == WRITE_OK) {
        w->st.failures_recorded++;
    } else if (out == WRITE_LEASE_LOST) {
        w->st.lease_lost++;
    } else if (out == WRITE_FAILED) {
        w->st.dropped++;
    }
    r->cb(r->arg, out, r->rows, out == WRITE_OK ? NULL : r->err);
    free_req(r);
}

/* ---- per-statement callbacks ---------------------------------------------------------------- */

static void call_cb(void *arg, PGresult *res, const char *err)
{
    struct wreq *r = arg;
    if (!res)
        return; /* connection lost: the sync callback requeues */
    if (err) {
        const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
        r->call_failed = true;
        r->lease_lost = state && strcmp(state, "SR001") == 0;
        snprintf(r->err, sizeof r->err, "%s", err);
        return;
    }
    if (r->kind == W_PAGE && PQntuples(res) == 1)
        r->rows = atoi(PQgetvalue(res, 0, 0));
}

static void retry_or_drop(struct writer *w, struct wreq *r)
{
    if (r->attempts < MAX_ATTEMPTS) {
        w->st.retries++;
        /* reported (rate-limited) by the engine's health once the retry fails too */
        log_info("writer: transaction failed, retrying job=%lld error=\"%s\"", (long long)r->job_id,
                 r->err);
        enqueue(w, r, true);
        return;
    }
    log_info("writer: dropping a %s after %d attempts job=%lld error=\"%s\"",
             r->kind == W_PAGE ? "page" : "failure record", r->attempts, (long long)r->job_id,
             r->err);
    complete(w, r, WRITE_FAILED);
}

/* The end of one transaction's pipeline segment: decide what happened. */
static void sync_cb(void *arg, PGresult *res, const char *err)
{
    struct wreq *r = arg;
    struct writer *w = r->w;
    struct lane *l = r->lane;
    w->inflight--;
    l->inflight--;
    if (!res) {
        /* connection lost before the answer: send it again once reconnected */
        r->call_failed = r->lease_lost = false;
        r->attempts--;
        enqueue(w, r, true);
        return;
    }
    if (err && !r->call_failed)
        snprintf(r->err, sizeof r->err, "%s", err);
    if (!r->call_failed && !err)
        complete(w, r, WRITE_OK); /* the sync committed the segment's implicit transaction */
    else if (r->lease_lost)
        complete(w, r, WRITE_LEASE_LOST);
    else
        retry_or_drop(w, r);
    pump(w, l);
}

/* ---- sending ------------------------------------------------------------------------------- */

static int send_call(struct wreq *r)
{
    if (r->kind == W_PAGE) {
        const char *p[7] = {r->job_txt, r->owner, r->rows_json,
                            r->cursor,  r->run,   r->final ? "true" : "false",
                            r->next_txt};
        return pgconn_query(r->lane->db,
                            "SELECT socialroi.ingest_page($1::bigint, $2, $3::jsonb, $4, "
                            "$5::jsonb, $6::boolean, $7::float8)",
                            7, p, call_cb, r);
    }
    const char *p[5] = {r->job_txt, r->owner, r->run, r->next_txt, r->cursor};
    return pgconn_query(
        r->lane->db, "SELECT socialroi.record_failure($1::bigint, $2, $3::jsonb, $4::float8, $5)",
        5, p, call_cb, r);
}

/*
 * Sends one transaction: the call and a sync, which commits it (one statement, one implicit
 * transaction). Returns -1 (request untouched) when the connection is not up.
 */
static int send_one(struct writer *w, struct wreq *r)
{
    r->rows = 0;
    r->err[0] = '\0';
    r->call_failed = r->lease_lost = false;
    if (send_call(r) < 0)
        return -1;
    r->attempts++;
    w->inflight++;
    r->lane->inflight++;
    if (pgconn_sync(r->lane->db, sync_cb, r) == 0)
        return 0;
    /* the connection went down before sync_cb was registered: keep it */
    w->inflight--;
    r->lane->inflight--;
    r->attempts--;
    return -1;
}

static void pump(struct writer *w, struct lane *l)
{
    while (w->ready && l->head && l->inflight < MAX_INFLIGHT && pgconn_is_up(l->db)) {
        struct wreq *r = dequeue(w, l);
        if (send_one(w, r) < 0) {
            enqueue(w, r, true);
            break;
        }
    }
}

static void pump_all(struct writer *w)
{
    for (size_t i = 0; i < w->nlanes; i++)
        pump(w, &w->lanes[i]);
}

/* ---- public -------------------------------------------------------------------------------- */

struct writer *writer_new(struct pgconn *const *dbs, size_t n, size_t high_water)
{
    struct writer *w = xcalloc(1, sizeof *w);
    w->nlanes = n ? n : 1;
    w->lanes = xcalloc(w->nlanes, sizeof *w->lanes);
    for (size_t i = 0; i < w->nlanes; i++)
        w->lanes[i].db = dbs[n ? i : 0];
    w->high_water = high_water ? high_water : 1;
    return w;
}

void writer_free(struct writer *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->nlanes; i++) {
        struct wreq *r;
        while ((r = dequeue(w, &w->lanes[i])) != NULL) {
            snprintf(r->err, sizeof r->err, "shutting down");
            complete(w, r, WRITE_SHUTDOWN);
        }
    }
    free(w->lanes);
    free(w);
}

void writer_set_ready(struct writer *w, bool ready)
{
    w->ready = ready;
    pump_all(w);
}

void writer_connection_up(struct writer *w)
{
    pump_all(w);
}

static struct wreq *new_req(struct writer *w, enum wkind kind, int64_t job_id, const char *owner,
                            const char *run, double next_in_s, writer_done_fn *cb, void *arg)
{
    struct wreq *r = xcalloc(1, sizeof *r);
    r->w = w;
    r->lane = &w->lanes[(uint64_t)job_id % w->nlanes];
    r->kind = kind;
    r->job_id = job_id;
    snprintf(r->job_txt, sizeof r->job_txt, "%lld", (long long)job_id);
    snprintf(r->next_txt, sizeof r->next_txt, "%.3f", next_in_s);
    r->owner = xstrdup(owner);
    r->run = xstrdup(run);
    r->cb = cb;
    r->arg = arg;
    return r;
}

void writer_page(struct writer *w, int64_t job_id, const char *owner, struct rowset *rs,
                 const char *cursor, const char *run, bool final, double next_in_s,
                 writer_done_fn *cb, void *arg)
{
    struct wreq *r = new_req(w, W_PAGE, job_id, owner, run, next_in_s, cb, arg);
    struct buf b = {0};
    rowset_write_sql_json(rs, &b);
    rowset_free(rs);
    r->rows_json = buf_steal(&b, NULL);
    r->cursor = cursor ? xstrdup(cursor) : NULL;
    r->final = final;
    enqueue(w, r, false);
    pump(w, r->lane);
}

void writer_failure(struct writer *w, int64_t job_id, const char *owner, const char *run,
                    double next_in_s, const char *cursor, writer_done_fn *cb, void *arg)
{
    struct wreq *r = new_req(w, W_FAILURE, job_id, owner, run, next_in_s, cb, arg);
    r->cursor = cursor ? xstrdup(cursor) : NULL;
    enqueue(w, r, false);
    pump(w, r->lane);
}

bool writer_congested(const struct writer *w)
{
    return w->queued + w->inflight >= w->high_water;
}

bool writer_idle(const struct writer *w)
{
    return w->queued == 0 && w->inflight == 0;
}

void writer_stats(const struct writer *w, struct writer_stats *out)
{
    *out = w->st;
    out->queued = w->queued;
    out->inflight = w->inflight;
}
