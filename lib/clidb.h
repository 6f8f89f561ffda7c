/*
 * clidb.h - how the command-line tool finds and opens the database.
 *
 * --dsn CONNINFO wins; otherwise -c FILE uses the daemon's [daemon] database; otherwise
 * libpq's environment (PGHOST, PGDATABASE, ...). Blocking libpq: command-line tool only.
 */
#ifndef SR_CLIDB_H
#define SR_CLIDB_H

#include <libpq-fe.h>
#include <stdio.h>

/* Returns an open connection (caller closes with PQfinish) or NULL after printing why. */
PGconn *clidb_connect(const char *dsn, const char *config_path, FILE *err);

#endif
