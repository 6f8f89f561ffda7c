/*
 * engine.h - the ingestion engine: turns due jobs into fetched, parsed and written pages.
 *
 *   scheduler -> lease (claim_job) -> token -> adapter.build -> fetch -> adapter.parse
 *             -> writer (rows + cursor in one transaction) -> scheduler
 *
 * The engine owns the jobs (one per account and stream of the config), syncs them to the
 * database, leases each run so several daemons can share one database, keeps per-platform and
 * per-credential gates fed by the platforms' rate-limit signals, refreshes OAuth tokens ahead
 * of expiry (one refresh in flight per credential), and marks an account needs_reauth when
 * its credential stops working. It stops dispatching while the writer is congested.
 *
 * Runs on the event loop; not thread-safe.
 */
#ifndef SR_ENGINE_H
#define SR_ENGINE_H

#include "buf.h"
#include "config.h"

#include <stdbool.h>

struct event_base;
struct fetch;
struct health;
struct pgconn;
struct tokens;
struct writer;
struct engine;

struct engine_opts {
    const char *owner;     /* lease owner id: host:pid:random */
    bool once;             /* run the due jobs once, then call done */
    struct health *health; /* where failing statements are reported (borrowed) */
};

/* --once finished: failed is true when any job failed. */
typedef void engine_done_fn(void *arg, bool failed);

/* Everything is borrowed and must outlive the engine; cfg may be replaced by reconfigure. */
struct engine *engine_new(struct event_base *base, struct pgconn *db, struct writer *w,
                          struct fetch *f, struct tokens *t, const struct config *cfg,
                          const struct engine_opts *opts, engine_done_fn *done, void *arg);
void engine_free(struct engine *e);

/* The database is usable (connected, schema checked) or not. Sync runs on each transition up. */
void engine_db_ready(struct engine *e, bool ready);
/* Applies a new config (jobs added, changed, removed) before the old one is freed. */
void engine_reconfigure(struct engine *e, const struct config *cfg);
/* Stops dispatching; done_cb (if set) runs once nothing is in flight. */
void engine_stop(struct engine *e);
bool engine_idle(const struct engine *e);
/* Re-checks writer backpressure (call after the writer finished something). */
void engine_kick(struct engine *e);

void engine_metrics(const struct engine *e, struct buf *b);
/* One line for SIGUSR1 and the watchdog status. */
void engine_summary(const struct engine *e, char *out, size_t len);

#endif
