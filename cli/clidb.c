/*
 * clidb.c - database connection and error messages for the command-line tool (see clidb.h).
 */
#include "clidb.h"
#include "config.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

PGconn *clidb_connect(const char *cmd, const char *dsn, const char *config_path, FILE *err)
{
    char *conninfo = NULL;
    if (dsn) {
        conninfo = xstrdup(dsn);
    } else if (config_path) {
        char *why = NULL;
        struct config *cfg = config_load(config_path, CONFIG_NO_CREDENTIALS, &why);
        if (!cfg) {
            fprintf(err, "%ssocialroi: %s: configuration %s is not valid\n", why, cmd, config_path);
            free(why);
            return NULL;
        }
        conninfo = xstrdup(cfg->daemon.database);
        config_free(cfg);
    } else {
        conninfo = xstrdup("");
    }
    PGconn *conn = PQconnectdb(conninfo);
    free(conninfo);
    if (PQstatus(conn) != CONNECTION_OK) {
        fprintf(err, "socialroi: %s: cannot connect to the database: %s", cmd,
                PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    PGresult *r = PQexec(conn, "SELECT pg_catalog.set_config('search_path', '', false)");
    PQclear(r);
    return conn;
}

void clidb_error(FILE *err, const char *cmd, PGconn *conn, const PGresult *r)
{
    const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    const char *hint = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_HINT) : NULL;
    if (!msg) {
        /* libpq's own text ends with a newline and may start with "ERROR:  " */
        msg = PQerrorMessage(conn);
        if (strncmp(msg, "ERROR:  ", 8) == 0)
            msg += 8;
        fprintf(err, "socialroi: %s: %.*s\n", cmd, (int)strcspn(msg, "\n"), msg);
        return;
    }
    fprintf(err, "socialroi: %s: %s%s%s%s\n", cmd, msg, hint ? " (" : "", hint ? hint : "",
            hint ? ")" : "");
}

PGresult *clidb_query(PGconn *conn, const char *cmd, const char *sql, int n,
                      const char *const *params, FILE *err)
{
    PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
    ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK)
        return r;
    clidb_error(err, cmd, conn, r);
    PQclear(r);
    return NULL;
}

bool clidb_readable(PGconn *conn, const char *relation)
{
    const char *p[1] = {relation};
    PGresult *r = PQexecParams(conn,
                               "SELECT CASE WHEN pg_catalog.to_regclass($1) IS NULL THEN false "
                               "ELSE pg_catalog.has_table_privilege(pg_catalog.to_regclass($1), "
                               "'SELECT') END",
                               1, NULL, p, NULL, NULL, 0);
    bool yes =
        PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && PQgetvalue(r, 0, 0)[0] == 't';
    PQclear(r);
    return yes;
}
