/*
 * statuscmd.h - socialroi status: one line per job (last success, lag, failures, next due,
 * account state, token expiry), the backfills pending or running, and the daemon's components
 * when the database has dashboard.daemon_health; the message of each failing job's last error;
 * then healthy or why not, and with a configuration the API versions near their sunset.
 *
 * It reads only views of schema dashboard, so the reader roles, the daemon's role and the
 * owner all get the same answer. Blocking libpq: command-line tool only.
 */
#ifndef SR_STATUSCMD_H
#define SR_STATUSCMD_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

struct config;

/*
 * Prints status as a table or (json) one JSON object. Returns 0 when healthy, 1 when a job is
 * failing, an account needs re-authorization, a daemon component is failing or a query failed.
 * With cfg (status -c), then warns of configured API versions near or past their sunset (on
 * err beside JSON); a warning alone does not make status unhealthy.
 */
int statuscmd_run(PGconn *conn, bool json, const struct config *cfg, FILE *out, FILE *err);

#endif
