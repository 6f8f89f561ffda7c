/*
 * clidb.c - database connection for the command-line tool (see clidb.h).
 */
#include "clidb.h"
#include "config.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

PGconn *clidb_connect(const char *dsn, const char *config_path, FILE *err)
{
    char *conninfo = NULL;
    if (dsn) {
        conninfo = xstrdup(dsn);
    } else if (config_path) {
        char *why = NULL;
        struct config *cfg = config_load(config_path, CONFIG_NO_CREDENTIALS, &why);
        if (!cfg) {
            fprintf(err, "%ssocialroi: configuration %s is not valid\n", why, config_path);
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
        fprintf(err, "socialroi: cannot connect to the database: %s", PQerrorMessage(conn));
        PQfinish(conn);
        return NULL;
    }
    PGresult *r = PQexec(conn, "SELECT pg_catalog.set_config('search_path', '', false)");
    PQclear(r);
    return conn;
}
