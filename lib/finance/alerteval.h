/*
 * alerteval.h - the daemon's side of the alerts (sql/030, sql/032): it tells the database what
 * only the daemon knows (the API versions its configuration sends and their sunsets, each
 * stream's retention window, the X listening caps), runs socialroi.alert_evaluate() after each
 * rollup cycle that left nothing dirty, logs every alert raised, escalated and resolved, and
 * keeps the open alerts per kind and severity for /metrics.
 *
 * It sends its statements on the rollup's connection (rollup.c owns it and calls in here).
 * Failures are the health component "alerts" (an evaluation, or a detector that failed) and
 * "alert_sync" (the facts' sync).
 *
 * Runs on the event loop; not thread-safe.
 */
#ifndef SR_ALERTEVAL_H
#define SR_ALERTEVAL_H

#include "buf.h"
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

struct health;
struct pgconn;
struct alerteval;

struct alerteval *alerteval_new(struct health *h);
void alerteval_free(struct alerteval *a);

/*
 * The JSON socialroi.sync_alert_facts() takes, for cfg on day today (days since epoch):
 * {"versions":[...],"streams":[...],"listening":[...]}.
 */
void alerteval_facts_json(const struct config *cfg, int32_t today, struct buf *out);

/* Sends the facts for cfg as one pipeline segment on db (when the config is loaded). */
void alerteval_sync(struct alerteval *a, struct pgconn *db, const struct config *cfg);

/* One evaluation finished: lost is true when the connection went before it did. */
typedef void alerteval_done_fn(void *arg, bool lost);

/*
 * Sends one evaluation as one pipeline segment on db (after the facts of cfg again, when their
 * last sync failed); done runs once when it has ended. Returns -1 (done not called) when db is
 * down.
 */
int alerteval_run(struct alerteval *a, struct pgconn *db, const struct config *cfg,
                  alerteval_done_fn *done, void *arg);

void alerteval_metrics(const struct alerteval *a, struct buf *b);

#endif
