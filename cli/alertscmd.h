/*
 * alertscmd.h - socialroi alerts: list the open alerts (with all, the resolved ones too,
 * recent first) from dashboard.alerts, or acknowledge one through socialroi.alert_ack().
 * Blocking libpq: command-line tool only.
 */
#ifndef SR_ALERTSCMD_H
#define SR_ALERTSCMD_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

/* Prints the alerts as a table or a JSON array; 0, or 1 when the query failed. */
int alertscmd_list(PGconn *conn, bool json, bool all, FILE *out, FILE *err);
/* Acknowledges alert id (by: who, NULL for the database user); 1 when unknown or resolved. */
int alertscmd_ack(PGconn *conn, const char *id, const char *by, FILE *out, FILE *err);

#endif
