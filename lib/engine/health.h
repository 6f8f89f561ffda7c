/*
 * health.h - which parts of the daemon keep failing, said everywhere an operator looks.
 *
 * A component is one thing the daemon does against the database (campaign_sync, job_sync,
 * claim, ingest, rollup, ...). health_fail() counts the failure (/metrics), logs it (once, then
 * at growing intervals with a count), makes /healthz degraded until health_ok() and records
 * it in socialroi.daemon_health, written by health_flush() on the daemon's tick. A failure to
 * write that table is itself a component ("daemon_health") that is never written there, and
 * its writes back off: it cannot loop.
 *
 * Runs on the event loop; not thread-safe.
 */
#ifndef SR_HEALTH_H
#define SR_HEALTH_H

#include "buf.h"

#include <stdbool.h>

struct health;
struct pgconn;

struct health *health_new(void);
void health_free(struct health *h);

/* Where failures are recorded: db and owner (the lease owner id) are borrowed. */
void health_attach(struct health *h, struct pgconn *db, const char *owner);

/* what names the statement or step that failed; err is what the database said. */
void health_fail(struct health *h, const char *component, const char *what, const char *err);
void health_ok(struct health *h, const char *component);

bool health_failing(const struct health *h);
/* Consecutive failures of a component (0 when it works). */
int health_failures(const struct health *h, const char *component);

/* ,"failing":{"component":"error",...} (nothing when all is well) for /healthz. */
void health_json(const struct health *h, struct buf *b);
void health_metrics(const struct health *h, struct buf *b);

/* Writes changed components to socialroi.daemon_health when the database is up. */
void health_flush(struct health *h);

#endif
