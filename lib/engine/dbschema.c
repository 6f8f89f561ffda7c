/*
 * dbschema.c - schema version query (see dbschema.h).
 */
#include "dbschema.h"
#include "dbsql.h"
#include "pgconn.h"
#include "xmalloc.h"

#include <stdlib.h>

struct ask {
    struct pgconn *c;
    dbschema_fn *cb;
    void *arg;
};

static void version_cb(void *arg, PGresult *res, const char *err)
{
    struct ask *a = arg;
    int v = 0;
    if (!err && PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
        v = atoi(PQgetvalue(res, 0, 0));
    a->cb(a->arg, v, err);
    free(a);
}

static void exists_cb(void *arg, PGresult *res, const char *err)
{
    struct ask *a = arg;
    if (err || PQntuples(res) != 1) {
        a->cb(a->arg, 0, err ? err : "unexpected answer");
        free(a);
        return;
    }
    if (PQgetvalue(res, 0, 0)[0] != 't') {
        a->cb(a->arg, 0, NULL);
        free(a);
        return;
    }
    /* the table exists: a second round trip, since naming a missing table is an error */
    if (pgconn_query(a->c, dbsql_schema_version, 0, NULL, version_cb, a) < 0) {
        a->cb(a->arg, 0, "connection lost");
        free(a);
        return;
    }
    /* if the sync cannot be sent the connection is down and version_cb hears about it */
    (void)pgconn_sync(a->c, NULL, NULL);
}

int dbschema_query(struct pgconn *c, dbschema_fn *cb, void *arg)
{
    struct ask *a = xcalloc(1, sizeof *a);
    a->c = c;
    a->cb = cb;
    a->arg = arg;
    if (pgconn_query(c, dbsql_schema_exists, 0, NULL, exists_cb, a) < 0) {
        free(a);
        return -1;
    }
    (void)pgconn_sync(c, NULL, NULL);
    return 0;
}
