/*
 * alertscmd.c - socialroi alerts (see alertscmd.h).
 */
#include "alertscmd.h"
#include "clidb.h"

#include <string.h>

static const char list_sql[] =
    "SELECT alert_id, severity, state, kind, subject,"
    " to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'),"
    " COALESCE(to_char(resolved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'), '-'),"
    " message, COALESCE(acked_by, '-')"
    " FROM dashboard.alerts WHERE $1::boolean OR resolved_at IS NULL"
    " ORDER BY first_seen DESC, alert_id DESC";

static const char runbook_sql[] = "SELECT DISTINCT kind, runbook FROM dashboard.alerts"
                                  " WHERE $1::boolean OR resolved_at IS NULL ORDER BY kind";

static const char json_sql[] =
    "SELECT COALESCE(json_agg(a ORDER BY a.first_seen DESC, a.alert_id DESC), '[]')"
    " FROM dashboard.alerts a WHERE $1::boolean OR a.resolved_at IS NULL";

int alertscmd_list(PGconn *conn, bool json, bool all, FILE *out, FILE *err)
{
    const char *p[1] = {all ? "true" : "false"};
    PGresult *r = clidb_query(conn, "alerts", json ? json_sql : list_sql, 1, p, err);
    if (!r)
        return 1;
    if (json) {
        fprintf(out, "%s\n", PQgetvalue(r, 0, 0));
        PQclear(r);
        return 0;
    }
    fprintf(out, "%6s  %-8s  %-12s  %-16s  %-40s  %-17s  %-17s  %-10s  %s\n", "ID", "SEVERITY",
            "STATE", "KIND", "SUBJECT", "FIRST SEEN", "RESOLVED", "ACKED BY", "MESSAGE");
    for (int i = 0; i < PQntuples(r); i++)
        fprintf(out, "%6s  %-8s  %-12s  %-16s  %-40s  %-17s  %-17s  %-10s  %s\n",
                PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
                PQgetvalue(r, i, 4), PQgetvalue(r, i, 5), PQgetvalue(r, i, 6), PQgetvalue(r, i, 8),
                PQgetvalue(r, i, 7));
    if (!PQntuples(r))
        fprintf(out, all ? "(no alerts)\n" : "(no open alerts)\n");
    PQclear(r);
    r = clidb_query(conn, "alerts", runbook_sql, 1, p, err);
    if (!r)
        return 1;
    for (int i = 0; i < PQntuples(r); i++)
        fprintf(out, "%s%s: %s\n", i ? "" : "\nwhat to do:\n", PQgetvalue(r, i, 0),
                PQgetvalue(r, i, 1));
    PQclear(r);
    return 0;
}

int alertscmd_ack(PGconn *conn, const char *id, const char *by, FILE *out, FILE *err)
{
    const char *p[2] = {id, by};
    PGresult *r = clidb_query(conn, "alerts",
                              "SELECT alert_id, kind, subject, acked_by FROM "
                              "socialroi.alert_ack($1::bigint, $2)",
                              2, p, err);
    if (!r)
        return 1;
    fprintf(out, "alert %s acknowledged by %s: %s %s\n", PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 3),
            PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
    PQclear(r);
    return 0;
}
