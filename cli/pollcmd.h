/*
 * pollcmd.h - socialroi poll and socialroi backfill: ask the daemon, through the database,
 * to run jobs now or to re-poll a past range.
 *
 * Both go through socialroi.poll_now and socialroi.request_backfill (sql/012_operator.sql),
 * which make the jobs due and NOTIFY socialroi_jobs: a running daemon reschedules at once,
 * `socialroid --once` picks them up when it starts. Run as the daemon's role.
 * Blocking libpq: command-line tool only.
 */
#ifndef SR_POLLCMD_H
#define SR_POLLCMD_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

/* Makes account's jobs (or the one of stream, when not NULL) due now; returns 0 or 1. */
int pollcmd_poll(PGconn *conn, const char *account, const char *stream, FILE *out, FILE *err);

struct backfill_opts {
    const char *account, *stream;
    const char *from, *to; /* YYYY-MM-DD, inclusive */
    bool replace;          /* a pending or running backfill is replaced */
};

/* Records the request; returns 0, or 1 when the database refused it (with its reason). */
int pollcmd_backfill(PGconn *conn, const struct backfill_opts *o, FILE *out, FILE *err);

/* Lists backfills pending, running (pages and rows so far) and last done; returns 0 or 1. */
int pollcmd_backfill_status(PGconn *conn, bool json, FILE *out, FILE *err);

#endif
