/*
 * pgconn.c - asynchronous libpq connection in pipeline mode (see pgconn.h).
 *
 * Follows the libpq documentation's rules for non-blocking use: after any send, PQflush; while
 * it returns 1, wait for write *and* read, consuming input when readable (the server may be
 * blocked writing to us); PQsocket is re-read after every PQconnectPoll.
 */
#include "pgconn.h"
#include "dbsql.h"
#include "log.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <stdlib.h>
#include <string.h>

#define CONNECT_TIMEOUT_MS 15000
#define BACKOFF_FIRST_MS   250

enum pg_state { ST_CONNECTING, ST_UP, ST_WAIT_RETRY };

enum pending_kind { PEND_QUERY, PEND_SYNC };

struct pending {
    enum pending_kind kind;
    bool delivered;
    bool failed; /* a sync whose implicit transaction failed to commit */
    pgconn_result_fn *cb;
    void *arg;
    struct pending *next;
};

struct pgconn {
    struct event_base *base;
    char *conninfo;
    PGconn *conn;
    struct event *sock_ev;
    int sock_fd;
    short sock_what;
    struct event *timer;
    enum pg_state state;
    int64_t backoff_ms, backoff_max_ms;
    pgconn_state_fn *state_cb;
    void *state_arg;
    pgconn_notify_fn *notify_cb;
    void *notify_arg;
    struct pending *head, *tail;
    size_t npending;
    bool in_drain, broken;
    char broken_why[256];
    struct complain complain;
    struct pgconn_stats st;
    char last_error[256];
    char commit_error[256]; /* why the last failed commit failed */
};

static void start_connect(struct pgconn *c);
static void sock_cb(evutil_socket_t fd, short what, void *arg);

/* ---- helpers ------------------------------------------------------------------------------ */

static void copy_error(char *dst, size_t len, const char *msg)
{
    snprintf(dst, len, "%s", msg ? msg : "");
    size_t n = strlen(dst);
    while (n && (dst[n - 1] == '\n' || dst[n - 1] == ' '))
        dst[--n] = '\0';
    for (char *p = dst; *p; p++)
        if (*p == '\n')
            *p = ' ';
}

static void watch(struct pgconn *c, short what)
{
    int fd = PQsocket(c->conn);
    if (c->sock_ev && fd == c->sock_fd && what == c->sock_what) {
        if (!event_pending(c->sock_ev, EV_READ | EV_WRITE, NULL))
            event_add(c->sock_ev, NULL); /* a one-shot connect wait that already fired */
        return;
    }
    if (c->sock_ev)
        event_free(c->sock_ev);
    c->sock_ev = NULL;
    if (fd < 0)
        return;
    c->sock_fd = fd;
    c->sock_what = what;
    c->sock_ev = event_new(c->base, fd, what, sock_cb, c);
    if (!c->sock_ev)
        abort();
    event_add(c->sock_ev, NULL);
}

static void close_conn(struct pgconn *c)
{
    if (c->sock_ev)
        event_free(c->sock_ev);
    c->sock_ev = NULL;
    c->sock_fd = -1;
    if (c->conn)
        PQfinish(c->conn);
    c->conn = NULL;
}

static void fail_pending(struct pgconn *c, const char *why)
{
    while (c->head) {
        struct pending *p = c->head;
        c->head = p->next;
        c->npending--;
        if (p->cb && !(p->kind == PEND_QUERY && p->delivered))
            p->cb(p->arg, NULL, why);
        free(p);
    }
    c->tail = NULL;
}

static void arm_timer(struct pgconn *c, int64_t ms)
{
    struct timeval tv = {(time_t)(ms / 1000), (suseconds_t)((ms % 1000) * 1000)};
    evtimer_add(c->timer, &tv);
}

static void schedule_retry(struct pgconn *c)
{
    /* capped exponential backoff, +-25% jitter so several daemons don't reconnect in step */
    int64_t base = c->backoff_ms;
    int64_t jitter = base / 4 ? (int64_t)(random() % (base / 2 + 1)) - base / 4 : 0;
    c->state = ST_WAIT_RETRY;
    arm_timer(c, base + jitter);
    c->backoff_ms = base * 2 > c->backoff_max_ms ? c->backoff_max_ms : base * 2;
}

static void go_down(struct pgconn *c, const char *why)
{
    bool was_up = c->state == ST_UP;
    copy_error(c->last_error, sizeof c->last_error, why);
    close_conn(c);
    evtimer_del(c->timer);
    if (was_up) {
        c->st.disconnects++;
        log_warn("pgconn: connection lost error=\"%s\"", c->last_error);
    } else {
        c->st.connect_failures++;
        complain(&c->complain, LOG_WARNING, "pgconn: cannot connect error=\"%s\"", c->last_error);
    }
    schedule_retry(c);
    fail_pending(c, c->last_error);
    if (was_up && c->state_cb)
        c->state_cb(c->state_arg, PGCONN_DOWN);
}

/* ---- connecting --------------------------------------------------------------------------- */

static void notice_cb(void *arg, const char *message)
{
    (void)arg;
    char msg[256];
    copy_error(msg, sizeof msg, message);
    log_debug("pgconn: server notice=\"%s\"", msg);
}

static void connected(struct pgconn *c)
{
    static const char *const empty[] = {""};
    evtimer_del(c->timer);
    if (PQsetnonblocking(c->conn, 1) != 0 || PQenterPipelineMode(c->conn) != 1) {
        go_down(c, PQerrorMessage(c->conn));
        return;
    }
    PQsetNoticeProcessor(c->conn, notice_cb, c);
    c->state = ST_UP;
    c->backoff_ms = BACKOFF_FIRST_MS;
    c->last_error[0] = '\0';
    c->st.connects++;
    complain_release(&c->complain, "pgconn: connected after failures");
    log_info("pgconn: connected server_version=%d", PQserverVersion(c->conn));
    watch(c, EV_READ | EV_PERSIST);
    /* An empty search_path: every name we use is schema-qualified, none can be captured. */
    pgconn_query(c, dbsql_set_search_path, 1, empty, NULL, NULL);
    /*
     * Commits do not wait for their WAL to reach the disk (PostgreSQL's "asynchronous commit"):
     * a server crash can lose the last few hundred milliseconds of acknowledged transactions,
     * never consistency. Nothing the daemon writes is lost for good that way: a page's facts
     * commit with the cursor that fetched them, so a lost page rolls its cursor back and the
     * next run fetches it again (the same holds for dirty marks and the rollups made from
     * them). Waiting for the flush of every page made it the write path's largest cost.
     */
    pgconn_query(c, dbsql_async_commit, 0, NULL, NULL, NULL);
    pgconn_sync(c, NULL, NULL);
    if (c->state == ST_UP && c->state_cb)
        c->state_cb(c->state_arg, PGCONN_UP);
}

static void poll_connect(struct pgconn *c)
{
    switch (PQconnectPoll(c->conn)) {
    case PGRES_POLLING_READING:
        watch(c, EV_READ);
        break;
    case PGRES_POLLING_WRITING:
        watch(c, EV_WRITE);
        break;
    case PGRES_POLLING_OK:
        connected(c);
        break;
    default:
        go_down(c, PQerrorMessage(c->conn));
        break;
    }
}

static void start_connect(struct pgconn *c)
{
    c->state = ST_CONNECTING;
    c->conn = PQconnectStart(c->conninfo);
    if (!c->conn)
        abort(); /* out of memory */
    if (PQstatus(c->conn) == CONNECTION_BAD) {
        go_down(c, PQerrorMessage(c->conn));
        return;
    }
    arm_timer(c, CONNECT_TIMEOUT_MS);
    /* per the libpq docs, start as if PQconnectPoll had returned PGRES_POLLING_WRITING */
    c->sock_ev = NULL;
    watch(c, EV_WRITE);
}

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct pgconn *c = arg;
    (void)fd;
    (void)what;
    if (c->state == ST_CONNECTING)
        go_down(c, "connect timed out");
    else if (c->state == ST_WAIT_RETRY)
        start_connect(c);
}

/* ---- results ------------------------------------------------------------------------------ */

static void pop_head(struct pgconn *c)
{
    struct pending *p = c->head;
    c->head = p->next;
    if (!c->head)
        c->tail = NULL;
    c->npending--;
    free(p);
}

static void deliver(struct pgconn *c, PGresult *r)
{
    struct pending *p = c->head;
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_PIPELINE_SYNC) {
        /* a sync ends everything before it; a query without results would be a libpq bug */
        while (c->head && c->head->kind != PEND_SYNC)
            pop_head(c);
        if (c->head) {
            if (c->head->cb)
                c->head->cb(c->head->arg, r, c->head->failed ? c->commit_error : NULL);
            pop_head(c);
        }
        return;
    }
    if (p && p->kind == PEND_SYNC && st == PGRES_FATAL_ERROR) {
        /* an error between the last command and the sync: the commit itself failed */
        const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        copy_error(c->commit_error, sizeof c->commit_error,
                   primary ? primary : PQresultErrorMessage(r));
        p->failed = true;
        c->st.query_errors++;
        return;
    }
    if (!p || p->kind != PEND_QUERY || p->delivered)
        return; /* extra results of one command: only the first counts */
    p->delivered = true;
    const char *err = NULL;
    char buf[512];
    if (st == PGRES_PIPELINE_ABORTED) {
        err = "aborted by an earlier error in the same pipeline";
    } else if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        /* the server's own sentence, without "ERROR:" and the CONTEXT lines */
        const char *primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
        copy_error(buf, sizeof buf, primary ? primary : PQresultErrorMessage(r));
        err = buf;
        c->st.query_errors++;
    }
    if (p->cb)
        p->cb(p->arg, r, err);
}

static void drain(struct pgconn *c)
{
    c->in_drain = true;
    while (c->head && c->state == ST_UP && !c->broken && !PQisBusy(c->conn)) {
        PGresult *r = PQgetResult(c->conn);
        if (!r) {
            if (c->head->kind == PEND_QUERY && c->head->delivered) {
                pop_head(c);
                continue;
            }
            break;
        }
        deliver(c, r);
        PQclear(r);
    }
    c->in_drain = false;
    if (c->broken) {
        c->broken = false;
        go_down(c, c->broken_why);
    }
}

/* Hands over what LISTEN brought in with the input just consumed. */
static void notifications(struct pgconn *c)
{
    PGnotify *n;
    while (c->state == ST_UP && (n = PQnotifies(c->conn)) != NULL) {
        if (c->notify_cb)
            c->notify_cb(c->notify_arg, n->relname, n->extra);
        PQfreemem(n);
    }
}

static void flush(struct pgconn *c)
{
    int r = PQflush(c->conn);
    if (r < 0) {
        go_down(c, PQerrorMessage(c->conn));
        return;
    }
    watch(c, (short)(EV_READ | EV_PERSIST | (r == 1 ? EV_WRITE : 0)));
}

static void sock_cb(evutil_socket_t fd, short what, void *arg)
{
    struct pgconn *c = arg;
    (void)fd;
    if (c->state == ST_CONNECTING) {
        poll_connect(c);
        return;
    }
    if (c->state != ST_UP)
        return;
    if (what & EV_READ) {
        if (!PQconsumeInput(c->conn)) {
            go_down(c, PQerrorMessage(c->conn));
            return;
        }
        drain(c);
        notifications(c);
    }
    if (c->state == ST_UP)
        flush(c);
}

/* ---- public ------------------------------------------------------------------------------- */

struct pgconn *pgconn_new(struct event_base *base, const char *conninfo, int64_t backoff_max_ms,
                          pgconn_state_fn *state_cb, void *arg)
{
    struct pgconn *c = xcalloc(1, sizeof *c);
    c->base = base;
    c->conninfo = xstrdup(conninfo);
    c->sock_fd = -1;
    c->backoff_ms = BACKOFF_FIRST_MS;
    c->backoff_max_ms = backoff_max_ms > BACKOFF_FIRST_MS ? backoff_max_ms : BACKOFF_FIRST_MS;
    c->state_cb = state_cb;
    c->state_arg = arg;
    c->timer = evtimer_new(base, timer_cb, c);
    if (!c->timer)
        abort();
    start_connect(c);
    return c;
}

void pgconn_free(struct pgconn *c)
{
    if (!c)
        return;
    fail_pending(c, "shutting down");
    close_conn(c);
    event_free(c->timer);
    free(c->conninfo);
    free(c);
}

bool pgconn_is_up(const struct pgconn *c)
{
    return c->state == ST_UP;
}

void pgconn_set_backoff_max(struct pgconn *c, int64_t ms)
{
    c->backoff_max_ms = ms > BACKOFF_FIRST_MS ? ms : BACKOFF_FIRST_MS;
}

static void append(struct pgconn *c, enum pending_kind kind, pgconn_result_fn *cb, void *arg)
{
    struct pending *p = xcalloc(1, sizeof *p);
    p->kind = kind;
    p->cb = cb;
    p->arg = arg;
    if (c->tail)
        c->tail->next = p;
    else
        c->head = p;
    c->tail = p;
    c->npending++;
}

static int send_failed(struct pgconn *c)
{
    copy_error(c->broken_why, sizeof c->broken_why, PQerrorMessage(c->conn));
    if (c->in_drain)
        c->broken = true; /* go down once the current callback has returned */
    else
        go_down(c, c->broken_why);
    return -1;
}

int pgconn_query(struct pgconn *c, const char *sql, int n, const char *const *params,
                 pgconn_result_fn *cb, void *arg)
{
    if (c->state != ST_UP || c->broken)
        return -1;
    if (!PQsendQueryParams(c->conn, sql, n, NULL, params, NULL, NULL, 0))
        return send_failed(c);
    c->st.queries++;
    append(c, PEND_QUERY, cb, arg);
    if (!c->in_drain)
        flush(c);
    return 0;
}

int pgconn_sync(struct pgconn *c, pgconn_result_fn *cb, void *arg)
{
    if (c->state != ST_UP || c->broken)
        return -1;
    if (!PQpipelineSync(c->conn))
        return send_failed(c);
    append(c, PEND_SYNC, cb, arg);
    if (!c->in_drain)
        flush(c);
    return 0;
}

void pgconn_on_notify(struct pgconn *c, pgconn_notify_fn *cb, void *arg)
{
    c->notify_cb = cb;
    c->notify_arg = arg;
}

void pgconn_reset(struct pgconn *c, const char *why)
{
    if (c->state == ST_UP)
        go_down(c, why);
}

void pgconn_stats(const struct pgconn *c, struct pgconn_stats *out)
{
    *out = c->st;
    out->pending = c->npending;
    out->up = c->state == ST_UP;
}

const char *pgconn_last_error(const struct pgconn *c)
{
    return c->last_error;
}
