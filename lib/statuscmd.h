/*
 * statuscmd.h - socialroi status: one line per job (last success, lag, failures, next due,
 * account state, token expiry) from socialroi.job_status.
 *
 * Blocking libpq: command-line tool only.
 */
#ifndef SR_STATUSCMD_H
#define SR_STATUSCMD_H

#include <libpq-fe.h>
#include <stdio.h>

/* Prints the table; returns 0, or 1 when the query failed. */
int statuscmd_run(PGconn *conn, FILE *out, FILE *err);

#endif
