/*
 * pollcmd.c - socialroi poll and backfill (see pollcmd.h).
 */
#include "pollcmd.h"
#include "clidb.h"

#include <string.h>

int pollcmd_poll(PGconn *conn, const char *account, const char *stream, FILE *out, FILE *err)
{
    const char *p[2] = {account, stream};
    PGresult *r = clidb_query(
        conn, "poll", "SELECT stream, runs, why_not FROM socialroi.poll_now($1, $2)", 2, p, err);
    if (!r)
        return 1;
    for (int i = 0; i < PQntuples(r); i++) {
        if (PQgetvalue(r, i, 1)[0] == 't')
            fprintf(out, "due now: %s %s\n", account, PQgetvalue(r, i, 0));
        else
            fprintf(out, "due now: %s %s, but it will not run: %s\n", account, PQgetvalue(r, i, 0),
                    PQgetvalue(r, i, 2));
    }
    PQclear(r);
    return 0;
}

int pollcmd_backfill(PGconn *conn, const struct backfill_opts *o, FILE *out, FILE *err)
{
    const char *p[5] = {o->account, o->stream, o->from, o->to, o->replace ? "true" : "false"};
    PGresult *r = clidb_query(conn, "backfill",
                              "SELECT socialroi.request_backfill($1, $2, $3::date, $4::date, "
                              "$5::boolean)",
                              5, p, err);
    if (!r)
        return 1;
    PQclear(r);
    fprintf(out,
            "backfill of %s %s, %s..%s, requested: the daemon runs it next (progress: "
            "socialroi backfill --status)\n",
            o->account, o->stream, o->from, o->to);
    return 0;
}

static const char status_sql[] =
    "SELECT account, stream, state, from_day, to_day, COALESCE(pages::text, '-'),"
    " COALESCE(rows::text, '-'),"
    " COALESCE(to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'), '-')"
    " FROM dashboard.backfills ORDER BY account, stream, state DESC";

static const char json_sql[] =
    "SELECT COALESCE(json_agg(b ORDER BY b.account, b.stream, b.state DESC), '[]')"
    " FROM dashboard.backfills b";

int pollcmd_backfill_status(PGconn *conn, bool json, FILE *out, FILE *err)
{
    PGresult *r = clidb_query(conn, "backfill", json ? json_sql : status_sql, 0, NULL, err);
    if (!r)
        return 1;
    if (json) {
        fprintf(out, "%s\n", PQgetvalue(r, 0, 0));
    } else {
        fprintf(out, "%-20s  %-28s  %-7s  %-22s  %6s  %8s  %s\n", "ACCOUNT", "STREAM", "STATE",
                "DAYS", "PAGES", "ROWS", "STARTED");
        for (int i = 0; i < PQntuples(r); i++)
            fprintf(out, "%-20s  %-28s  %-7s  %s..%s  %6s  %8s  %s\n", PQgetvalue(r, i, 0),
                    PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3),
                    PQgetvalue(r, i, 4), PQgetvalue(r, i, 5), PQgetvalue(r, i, 6),
                    PQgetvalue(r, i, 7));
        if (!PQntuples(r))
            fprintf(out, "(no backfills)\n");
    }
    PQclear(r);
    return 0;
}
