/*
 * statuscmd.c - socialroi status (see statuscmd.h).
 */
#include "statuscmd.h"

#include <stdlib.h>
#include <string.h>

#define NCOLS 9

static const char *const headers[NCOLS] = {
    "ACCOUNT",  "STREAM",     "STATE",    "LAST SUCCESS",  "LAG",
    "FAILURES", "LAST ERROR", "NEXT DUE", "TOKEN EXPIRES",
};

static const char query[] =
    "SELECT account, stream,"
    " CASE WHEN NOT enabled THEN 'disabled' ELSE account_state END,"
    " COALESCE(to_char(last_success AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'), 'never'),"
    " COALESCE(justify_interval(date_trunc('second', lag))::text, '-'),"
    " failures::text,"
    " COALESCE(last_error_class, '-'),"
    " CASE WHEN NOT enabled OR account_state <> 'ok' THEN '-'"
    "      WHEN next_due <= now() THEN 'now'"
    "      ELSE 'in ' || justify_interval(date_trunc('second', next_due - now()))::text END,"
    " COALESCE(to_char(token_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'), '-')"
    " FROM socialroi.job_status ORDER BY account, stream";

int statuscmd_run(PGconn *conn, FILE *out, FILE *err)
{
    PGresult *r = PQexec(conn, query);
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        fprintf(err, "socialroi status: %s", PQerrorMessage(conn));
        PQclear(r);
        return 1;
    }
    int rows = PQntuples(r);
    size_t width[NCOLS];
    for (int c = 0; c < NCOLS; c++) {
        width[c] = strlen(headers[c]);
        for (int i = 0; i < rows; i++)
            if (strlen(PQgetvalue(r, i, c)) > width[c])
                width[c] = strlen(PQgetvalue(r, i, c));
    }
    for (int c = 0; c < NCOLS; c++)
        fprintf(out, "%-*s%s", (int)width[c], headers[c], c + 1 < NCOLS ? "  " : "\n");
    for (int i = 0; i < rows; i++)
        for (int c = 0; c < NCOLS; c++)
            fprintf(out, "%-*s%s", (int)width[c], PQgetvalue(r, i, c), c + 1 < NCOLS ? "  " : "\n");
    if (!rows)
        fprintf(out, "(no jobs yet: socialroid creates them from the config when it starts)\n");
    PQclear(r);
    return 0;
}
