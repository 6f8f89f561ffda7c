/*
 * closecmd.c - socialroi close (see closecmd.h).
 */
#include "closecmd.h"
#include "clidb.h"

#include <string.h>

bool closecmd_period(const char *period, char day[11])
{
    if (strlen(period) != 7 || period[4] != '-' || strspn(period, "0123456789-") != 7 ||
        strchr(period, '-') != period + 4 || strchr(period + 5, '-'))
        return false;
    int month = (period[5] - '0') * 10 + (period[6] - '0');
    if (month < 1 || month > 12 || period[0] == '0')
        return false;
    memcpy(day, period, 7);
    memcpy(day + 7, "-01", 4);
    return true;
}

int closecmd_close(PGconn *conn, const char *day, const char *by, FILE *out, FILE *err)
{
    const char *p[2] = {day, by};
    PGresult *r = clidb_query(
        conn, "close", "SELECT finance.close_period($1::date, COALESCE($2::text, session_user))", 2,
        p, err);
    if (!r)
        return 1;
    PQclear(r);
    r = clidb_query(conn, "close",
                    "SELECT to_char(period, 'YYYY-MM'), closed_by,"
                    " to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'),"
                    " reporting_currency FROM finance.period_close"
                    " WHERE is_open AND period = $1::date",
                    1, p, err);
    if (!r)
        return 1;
    if (PQntuples(r) != 1) {
        fprintf(err, "socialroi: close: %.7s: closed, but finance.period_close does not show it\n",
                day);
        PQclear(r);
        return 1;
    }
    fprintf(out, "closed %s by %s at %s: its figures (%s) are frozen\n", PQgetvalue(r, 0, 0),
            PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
    PQclear(r);
    return 0;
}

int closecmd_reopen(PGconn *conn, const char *day, const char *by, const char *reason, FILE *out,
                    FILE *err)
{
    const char *p[3] = {day, by, reason};
    PGresult *r =
        clidb_query(conn, "close",
                    "SELECT finance.reopen_period($1::date, COALESCE($2::text, session_user),"
                    " $3), to_char($1::date, 'YYYY-MM'),"
                    " COALESCE($2::text, session_user)",
                    3, p, err);
    if (!r)
        return 1;
    fprintf(out, "reopened %s by %s: %s\n", PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2), reason);
    PQclear(r);
    return 0;
}

static const char list_sql[] =
    "SELECT to_char(period, 'YYYY-MM'), CASE WHEN is_open THEN 'closed' ELSE 'reopened' END,"
    " to_char(closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'), closed_by,"
    " COALESCE(to_char(reopened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'), '-'),"
    " COALESCE(reopened_by, '-'), COALESCE(reopen_reason, '')"
    " FROM finance.period_close ORDER BY period DESC, closed_at DESC";

static const char json_sql[] =
    "SELECT COALESCE(json_agg(c ORDER BY c.period DESC, c.closed_at DESC), '[]')"
    " FROM finance.period_close c";

int closecmd_list(PGconn *conn, bool json, FILE *out, FILE *err)
{
    PGresult *r = clidb_query(conn, "close", json ? json_sql : list_sql, 0, NULL, err);
    if (!r)
        return 1;
    if (json) {
        fprintf(out, "%s\n", PQgetvalue(r, 0, 0));
        PQclear(r);
        return 0;
    }
    fprintf(out, "%-7s  %-8s  %-17s  %-12s  %-17s  %-12s  %s\n", "PERIOD", "STATE", "CLOSED AT",
            "CLOSED BY", "REOPENED AT", "REOPENED BY", "REASON");
    for (int i = 0; i < PQntuples(r); i++)
        fprintf(out, "%-7s  %-8s  %-17s  %-12s  %-17s  %-12s  %s\n", PQgetvalue(r, i, 0),
                PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4),
                PQgetvalue(r, i, 5), PQgetvalue(r, i, 6));
    if (!PQntuples(r))
        fprintf(out, "(no closes)\n");
    PQclear(r);
    return 0;
}
