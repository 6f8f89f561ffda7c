/*
 * rollup.h - the daemon's finance side: syncs the config's money declarations (reporting
 * currency, attribution half-life, [fx], [campaign]) into the database and runs the
 * incremental rollup job on a connection of its own. See rollup.c.
 *
 * Runs on the event loop; not thread-safe.
 */
#ifndef SR_ROLLUP_H
#define SR_ROLLUP_H

#include "buf.h"
#include "config.h"
#include "metrics.h"

#include <stdbool.h>

struct event_base;
struct health;
struct rollup;

/* failed: the sync or a rollup batch kept failing and --once gave up on it. */
typedef void rollup_drained_fn(void *arg, bool failed);

/*
 * cfg is borrowed (replace it with rollup_configure before freeing it), h too. Connects at
 * once. Failures are retried with a doubling delay (5 s to a minute); under once (a --once
 * run) from 1 s, and given up after six attempts.
 */
struct rollup *rollup_new(struct event_base *base, const struct config *cfg, struct health *h,
                          bool once);
void rollup_free(struct rollup *r);

/* The schema is known to be current: sync and roll up from now on. */
void rollup_set_ready(struct rollup *r, bool ready);
/* A new config: sync it again. */
void rollup_configure(struct rollup *r, const struct config *cfg);
/* Runs batches until nothing is dirty, then calls cb once (for --once). */
void rollup_drain(struct rollup *r, rollup_drained_fn *cb, void *arg);
bool rollup_is_up(const struct rollup *r);
void rollup_metrics(const struct rollup *r, struct buf *b);

#endif
