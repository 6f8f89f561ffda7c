/*
 * clidb.h - how the command-line tool finds and opens the database, and says what it refused.
 *
 * --dsn CONNINFO wins; otherwise -c FILE uses the daemon's [daemon] database; otherwise
 * libpq's environment (PGHOST, PGDATABASE, ...). Every message starts with one prefix,
 * "socialroi: COMMAND: ", and carries PostgreSQL's own words without its "ERROR:" label.
 * Blocking libpq: command-line tool only.
 */
#ifndef SR_CLIDB_H
#define SR_CLIDB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stdio.h>

/* Returns an open connection (caller closes with PQfinish) or NULL after printing why. */
PGconn *clidb_connect(const char *cmd, const char *dsn, const char *config_path, FILE *err);

/* Prints "socialroi: cmd: MESSAGE (HINT)" for a failed result r (or the connection's error). */
void clidb_error(FILE *err, const char *cmd, PGconn *conn, const PGresult *r);

/* Runs sql with params; returns the result, or NULL after clidb_error. */
PGresult *clidb_query(PGconn *conn, const char *cmd, const char *sql, int n,
                      const char *const *params, FILE *err);

/* Whether the relation exists and this role may read it (views other releases add). */
bool clidb_readable(PGconn *conn, const char *relation);

#endif
