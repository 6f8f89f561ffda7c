/*
 * migrate.c - forward-only migration runner (see migrate.h).
 */
#include "migrate.h"
#include "schema.h"
#include "sha256.h"
#include "sqlsplit.h"
#include "xmalloc.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATE_LOCK_KEY "7305124160510350417" /* arbitrary, constant: socialroi migrations */

struct applied {
    int version;
    char *name;
    char *checksum;
};

static const char bootstrap_sql[] = "SET client_min_messages = warning;"
                                    "CREATE SCHEMA IF NOT EXISTS socialroi;"
                                    "CREATE TABLE IF NOT EXISTS socialroi.schema_migration ("
                                    " version integer PRIMARY KEY,"
                                    " name text NOT NULL,"
                                    " checksum text NOT NULL,"
                                    " applied_at timestamptz NOT NULL DEFAULT pg_catalog.now())";

/* Runs sql; returns 0 when it succeeded, else prints why (prefixed by what) and returns -1. */
static int exec_ok(PGconn *conn, const char *sql, const char *what, FILE *err)
{
    PGresult *r = PQexec(conn, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
    if (rc < 0)
        fprintf(err, "socialroi: migrate: %s: %s", what, PQerrorMessage(conn));
    PQclear(r);
    return rc;
}

/* What to do about a failed migration, by the error's SQLSTATE class. */
static const char *next_step(const char *state)
{
    if (state && strcmp(state, "42501") == 0)
        return "run socialroi migrate as the role that owns schema socialroi (or a superuser)";
    if (state &&
        (strcmp(state, "42P07") == 0 || strcmp(state, "42723") == 0 || strcmp(state, "42710") == 0))
        return "the object was made outside socialroi migrate: drop it (or restore the "
               "database) and run socialroi migrate again";
    return "correct the cause above and run socialroi migrate again";
}

/*
 * Says where a statement of f failed: the file's line (the error's own position when
 * PostgreSQL gives one, else the statement's first line), the message, PL/pgSQL's context,
 * and what to do next.
 */
static void report_failure(const struct schema_file *f, size_t stmt_off, const PGresult *r,
                           PGconn *conn, FILE *err)
{
    const char *pos = PQresultErrorField(r, PG_DIAG_STATEMENT_POSITION);
    const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    const char *ctx = PQresultErrorField(r, PG_DIAG_CONTEXT);
    const char *hint = PQresultErrorField(r, PG_DIAG_MESSAGE_HINT);
    size_t start = stmt_off + sqlsplit_lead(f->sql + stmt_off, f->len - stmt_off);
    int first = sqlsplit_line(f->sql, start);
    int line = pos ? sqlsplit_line(f->sql, start + (size_t)atol(pos) - 1) : first;
    fprintf(err, "socialroi: migrate: %s:%d: %s\n", f->name, line,
            msg ? msg : PQerrorMessage(conn));
    if (line != first)
        fprintf(err, "socialroi: migrate: %s:%d: in the statement that starts here\n", f->name,
                first);
    if (ctx)
        fprintf(err, "socialroi: migrate: context: %.*s\n", (int)strcspn(ctx, "\n"), ctx);
    if (hint)
        fprintf(err, "socialroi: migrate: hint: %s\n", hint);
    fprintf(err, "socialroi: migrate: nothing of %s was applied (one transaction); %s\n", f->name,
            next_step(PQresultErrorField(r, PG_DIAG_SQLSTATE)));
}

/* Runs f statement by statement inside the caller's transaction; returns 0 or -1. */
static int run_statements(PGconn *conn, const struct schema_file *f, FILE *err)
{
    size_t off = 0;
    while (off < f->len) {
        size_t n = sqlsplit_next(f->sql + off, f->len - off);
        if (!sqlsplit_blank(f->sql + off, n)) {
            char *stmt = xmalloc(n + 1);
            memcpy(stmt, f->sql + off, n);
            stmt[n] = '\0';
            PGresult *r = PQexec(conn, stmt);
            free(stmt);
            ExecStatusType st = PQresultStatus(r);
            if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
                report_failure(f, off, r, conn, err);
                PQclear(r);
                return -1;
            }
            PQclear(r);
        }
        off += n;
    }
    return 0;
}

static int apply_one(PGconn *conn, const struct schema_file *f, FILE *out, FILE *err)
{
    char hex[65], version[16];
    sha256_hex(f->sql, f->len, hex);
    snprintf(version, sizeof version, "%d", schema_file_version(f->name));
    if (exec_ok(conn, "BEGIN", "begin", err) < 0)
        return -1;
    if (run_statements(conn, f, err) < 0) {
        exec_ok(conn, "ROLLBACK", "rollback", err);
        return -1;
    }
    PGresult *r;
    const char *params[3] = {version, f->name, hex};
    r = PQexecParams(conn,
                     "INSERT INTO socialroi.schema_migration (version, name, checksum) "
                     "VALUES ($1::integer, $2, $3)",
                     3, NULL, params, NULL, NULL, 0);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(err, "socialroi: migrate: recording %s: %s", f->name, PQerrorMessage(conn));
    PQclear(r);
    if (!ok || exec_ok(conn, "COMMIT", "commit", err) < 0) {
        exec_ok(conn, "ROLLBACK", "rollback", err);
        return -1;
    }
    fprintf(out, "applied %s\n", f->name);
    return 0;
}

static struct applied *read_applied(PGconn *conn, int *n, FILE *err)
{
    PGresult *r = PQexec(conn, "SELECT version, name, checksum FROM socialroi.schema_migration "
                               "ORDER BY version");
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(err, "socialroi: migrate: reading socialroi.schema_migration: %s",
                PQerrorMessage(conn));
        PQclear(r);
        return NULL;
    }
    *n = PQntuples(r);
    struct applied *a = xcalloc((size_t)*n + 1, sizeof *a);
    for (int i = 0; i < *n; i++) {
        a[i].version = atoi(PQgetvalue(r, i, 0));
        a[i].name = xstrdup(PQgetvalue(r, i, 1));
        a[i].checksum = xstrdup(PQgetvalue(r, i, 2));
    }
    PQclear(r);
    return a;
}

static void free_applied(struct applied *a, int n)
{
    for (int i = 0; i < n && a; i++) {
        free(a[i].name);
        free(a[i].checksum);
    }
    free(a);
}

static const struct schema_file *find_file(int version)
{
    for (size_t i = 0; i < schema_nfiles; i++)
        if (schema_file_version(schema_files[i].name) == version)
            return &schema_files[i];
    return NULL;
}

/* Refuses edited or unknown applied migrations; returns 0 when history matches the files. */
static int verify_history(const struct applied *a, int n, FILE *err)
{
    for (int i = 0; i < n; i++) {
        const struct schema_file *f = find_file(a[i].version);
        char hex[65];
        if (!f) {
            fprintf(
                err,
                "socialroi: migrate: the database has migration %03d (%s), which this socialroi "
                "does not know: it was migrated by a newer release; upgrade socialroi\n",
                a[i].version, a[i].name);
            return -1;
        }
        sha256_hex(f->sql, f->len, hex);
        if (strcmp(hex, a[i].checksum) != 0) {
            fprintf(err,
                    "socialroi: migrate: migration %s was changed after it was applied (checksum "
                    "in the "
                    "database %.12s..., in this release %.12s...); migrations are forward-only: "
                    "restore the file and put the change in a new migration\n",
                    f->name, a[i].checksum, hex);
            return -1;
        }
    }
    return 0;
}

static bool is_applied(const struct applied *a, int n, int version)
{
    for (int i = 0; i < n; i++)
        if (a[i].version == version)
            return true;
    return false;
}

int migrate_run(PGconn *conn, FILE *out, FILE *err)
{
    int n = 0, applied_now = 0, rc = -1;
    struct applied *a = NULL;
    if (exec_ok(conn, "SELECT pg_catalog.pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "lock", err) < 0)
        return -1;
    if (exec_ok(conn, bootstrap_sql, "creating socialroi.schema_migration", err) < 0)
        goto out;
    if (!(a = read_applied(conn, &n, err)) || verify_history(a, n, err) < 0)
        goto out;
    for (size_t i = 0; i < schema_nfiles; i++) {
        if (is_applied(a, n, schema_file_version(schema_files[i].name)))
            continue;
        if (apply_one(conn, &schema_files[i], out, err) < 0)
            goto out;
        applied_now++;
    }
    if (applied_now)
        fprintf(out, "schema at version %03d (%d applied)\n", schema_expected_version(),
                applied_now);
    else
        fprintf(out, "schema at version %03d: nothing to apply\n", schema_expected_version());
    rc = 0;
out:
    free_applied(a, n);
    exec_ok(conn, "SELECT pg_catalog.pg_advisory_unlock(" MIGRATE_LOCK_KEY ")", "unlock", err);
    return rc;
}

int migrate_check(PGconn *conn, FILE *out, FILE *err)
{
    int n = 0;
    PGresult *r = PQexec(conn, "SELECT pg_catalog.to_regclass('socialroi.schema_migration')");
    bool exists = PQresultStatus(r) == PGRES_TUPLES_OK && !PQgetisnull(r, 0, 0);
    PQclear(r);
    if (!exists) {
        fprintf(out, "database schema: none (run socialroi migrate); this release needs %03d\n",
                schema_expected_version());
        return -1;
    }
    struct applied *a = read_applied(conn, &n, err);
    if (!a)
        return -1;
    int have = n ? a[n - 1].version : 0;
    int rc = verify_history(a, n, err) == 0 && have == schema_expected_version() ? 0 : -1;
    fprintf(out, "database schema %03d, this release %03d\n", have, schema_expected_version());
    free_applied(a, n);
    return rc;
}
