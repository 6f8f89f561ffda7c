/*
 * pgconn.h - one asynchronous PostgreSQL connection on the event loop.
 *
 * Connects with PQconnectStart/PQconnectPoll, switches to non-blocking pipeline mode with an
 * empty search_path, and reconnects with capped exponential backoff whenever the connection
 * fails. Queries are sent at once (extended protocol, text parameters) and their results are
 * matched to callbacks in order; pgconn_sync() ends a pipeline segment. PostgreSQL runs a
 * segment as one implicit transaction, committed at the sync: an error aborts the whole segment
 * and the next one starts clean (no explicit BEGIN, which an error would leave open).
 *
 * Never blocks: every wait is a libevent event on PQsocket(), re-read after each poll because
 * libpq may change the socket while connecting.
 *
 * Runs on the event loop; not thread-safe. A callback must not call pgconn_free().
 */
#ifndef SR_PGCONN_H
#define SR_PGCONN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct pgconn;

enum pgconn_event { PGCONN_UP, PGCONN_DOWN };

/* Connection state changes. */
typedef void pgconn_state_fn(void *arg, enum pgconn_event ev);
/*
 * A query's outcome: err is NULL on success. res is borrowed until the callback returns; it is
 * NULL when the connection was lost before an answer arrived.
 */
typedef void pgconn_result_fn(void *arg, PGresult *res, const char *err);

struct pgconn_stats {
    uint64_t connects, connect_failures, disconnects, queries, query_errors;
    size_t pending;
    bool up;
};

/* conninfo is copied. The connection starts connecting at once. */
struct pgconn *pgconn_new(struct event_base *base, const char *conninfo, int64_t backoff_max_ms,
                          pgconn_state_fn *state_cb, void *arg);
/* Fails pending callbacks with "shutting down", closes, frees. NULL is a no-op. */
void pgconn_free(struct pgconn *c);

bool pgconn_is_up(const struct pgconn *c);
void pgconn_set_backoff_max(struct pgconn *c, int64_t ms);

/*
 * Sends sql with n text parameters (copied by libpq; NULL entries are SQL NULL). Returns 0, or
 * -1 when the connection is not up (cb is then not called).
 */
int pgconn_query(struct pgconn *c, const char *sql, int n, const char *const *params,
                 pgconn_result_fn *cb, void *arg);
/*
 * Ends the current pipeline segment; cb (may be NULL) runs when the server has processed it,
 * with err set when the segment's implicit transaction failed to commit.
 */
int pgconn_sync(struct pgconn *c, pgconn_result_fn *cb, void *arg);

/*
 * Notifications (LISTEN) received on the connection: cb runs for each, on the loop, with the
 * channel and payload (both borrowed). Issuing LISTEN after each connect is the caller's.
 */
typedef void pgconn_notify_fn(void *arg, const char *channel, const char *payload);
void pgconn_on_notify(struct pgconn *c, pgconn_notify_fn *cb, void *arg);

/* Closes the connection now and reconnects after the backoff (for tests and fault handling). */
void pgconn_reset(struct pgconn *c, const char *why);

void pgconn_stats(const struct pgconn *c, struct pgconn_stats *out);
/* Last connection error, "" when none. */
const char *pgconn_last_error(const struct pgconn *c);

#endif
