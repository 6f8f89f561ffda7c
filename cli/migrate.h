/*
 * migrate.h - apply the embedded migrations to a database (socialroi migrate).
 *
 * Forward-only: each sql/NNN_name.sql runs once, in its own transaction, and is recorded in
 * socialroi.schema_migration with its SHA-256. A recorded file whose text has since changed,
 * or a recorded version this binary does not know, stops the run before anything is applied.
 * An advisory lock keeps two concurrent runs from interleaving.
 *
 * Blocking libpq: for the command-line tool only, never linked into the daemon.
 */
#ifndef SR_MIGRATE_H
#define SR_MIGRATE_H

#include <libpq-fe.h>
#include <stdio.h>

/*
 * Applies what is pending over conn (borrowed), printing one line per applied file to out and
 * problems to err. Returns 0 when the schema is current, -1 otherwise.
 */
int migrate_run(PGconn *conn, FILE *out, FILE *err);

/* Prints the database's schema version and the binary's; returns 0 when they match. */
int migrate_check(PGconn *conn, FILE *out, FILE *err);

#endif
