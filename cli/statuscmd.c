/*
 * statuscmd.c - socialroi status (see statuscmd.h).
 */
#include "statuscmd.h"
#include "apiversion.h"
#include "clidb.h"
#include "config.h"
#include "timeutil.h"

#include <stdlib.h>
#include <string.h>

#define MAX_COLS 12
#define TS(col)  "COALESCE(to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'), '-')"

static const char jobs_sql[] =
    "SELECT account AS \"ACCOUNT\", stream AS \"STREAM\","
    " CASE WHEN NOT enabled THEN 'disabled' ELSE account_state END AS \"STATE\","
    " COALESCE(to_char(last_success AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI\"Z\"'), 'never')"
    "   AS \"LAST SUCCESS\","
    " COALESCE(justify_interval(date_trunc('second', lag))::text, '-') AS \"LAG\","
    " failures::text AS \"FAILURES\", COALESCE(last_error_class, '-') AS \"LAST ERROR\","
    " CASE WHEN NOT enabled OR account_state <> 'ok' THEN '-'"
    "      WHEN next_due <= now() THEN 'now'"
    "      ELSE 'in ' || justify_interval(date_trunc('second', next_due - now()))::text END"
    "   AS \"NEXT DUE\", " TS(
        "token_expires_at") " AS \"TOKEN EXPIRES\""
                            " FROM dashboard.data_health ORDER BY account, stream";

static const char backfills_sql[] =
    "SELECT account AS \"ACCOUNT\", stream AS \"STREAM\", state AS \"BACKFILL\","
    " from_day::text || '..' || to_day::text AS \"DAYS\","
    " COALESCE(pages::text, '-') AS \"PAGES\", COALESCE(rows::text, '-') AS \"ROWS\","
    " " TS("started_at") " AS \"STARTED\""
                         " FROM dashboard.backfills WHERE state <> 'done' ORDER BY account, "
                         "stream, state";

static const char daemon_sql[] =
    "SELECT component AS \"COMPONENT\", COALESCE(owner, '-') AS \"OWNER\","
    " " TS("failing_since") " AS \"FAILING SINCE\", COALESCE(failures::text, '0') AS \"FAILURES\","
                            " COALESCE(last_error, '-') AS \"LAST ERROR\", " TS(
                                "updated_at") " AS \"UPDATED\""
                                              " FROM dashboard.daemon_health ORDER BY component, "
                                              "owner";

/* The message of each failing job's last error: what a version error says to set. */
static const char errors_sql[] =
    "SELECT account AS \"ACCOUNT\", stream AS \"STREAM\", last_error_class AS \"CLASS\","
    " last_error AS \"LAST ERROR MESSAGE\""
    " FROM dashboard.data_health WHERE enabled AND failures > 0 AND last_error IS NOT NULL"
    " ORDER BY account, stream";

/* Tokens the daemon cannot renew that end within 14 days or have ended: someone reconnects. */
static const char tokens_sql[] = "SELECT DISTINCT account AS \"ACCOUNT\", " TS(
    "token_expires_at") " AS \"TOKEN EXPIRES\","
                        " token_warning AS \"TOKEN\""
                        " FROM dashboard.data_health WHERE token_warning IS NOT NULL ORDER BY 1";

/* What makes status unhealthy, counted; the daemon's part only when its view exists. */
static const char verdict_sql[] =
    "SELECT (SELECT count(*) FROM dashboard.data_health"
    "         WHERE enabled AND account_state = 'ok' AND failures > 0),"
    "       (SELECT count(DISTINCT account) FROM dashboard.data_health"
    "         WHERE account_state = 'needs_reauth')";

static const char daemon_failing_sql[] =
    "SELECT count(*) FROM dashboard.daemon_health WHERE failing_since IS NOT NULL";

static const char json_sql[] =
    "SELECT json_build_object('healthy', $1::boolean,"
    " 'jobs', COALESCE((SELECT json_agg(h ORDER BY h.account, h.stream)"
    "                    FROM dashboard.data_health h), '[]'),"
    " 'backfills', COALESCE((SELECT json_agg(b ORDER BY b.account, b.stream, b.state)"
    "                         FROM dashboard.backfills b), '[]')";

static void print_table(PGresult *r, const char *empty, FILE *out)
{
    int rows = PQntuples(r), cols = PQnfields(r) < MAX_COLS ? PQnfields(r) : MAX_COLS;
    size_t width[MAX_COLS];
    for (int c = 0; c < cols; c++) {
        width[c] = strlen(PQfname(r, c));
        for (int i = 0; i < rows; i++)
            if (strlen(PQgetvalue(r, i, c)) > width[c])
                width[c] = strlen(PQgetvalue(r, i, c));
    }
    for (int c = 0; c < cols; c++)
        fprintf(out, "%-*s%s", c + 1 < cols ? (int)width[c] : 0, PQfname(r, c),
                c + 1 < cols ? "  " : "\n");
    for (int i = 0; i < rows; i++)
        for (int c = 0; c < cols; c++)
            fprintf(out, "%-*s%s", c + 1 < cols ? (int)width[c] : 0, PQgetvalue(r, i, c),
                    c + 1 < cols ? "  " : "\n");
    if (!rows && empty)
        fprintf(out, "%s\n", empty);
}

/* Prints one section from sql; returns 0 or -1 after saying why. */
static int section(PGconn *conn, const char *title, const char *sql, const char *empty, FILE *out,
                   FILE *err)
{
    PGresult *r = clidb_query(conn, "status", sql, 0, NULL, err);
    if (!r)
        return -1;
    if (PQntuples(r) || empty) {
        if (title)
            fprintf(out, "\n%s\n", title);
        print_table(r, empty, out);
    }
    PQclear(r);
    return 0;
}

static long count_of(PGconn *conn, const char *sql, int col, FILE *err)
{
    PGresult *r = clidb_query(conn, "status", sql, 0, NULL, err);
    long n = r && PQntuples(r) == 1 ? atol(PQgetvalue(r, 0, col)) : -1;
    PQclear(r);
    return n;
}

static int print_json(PGconn *conn, bool healthy, bool with_daemon, FILE *out, FILE *err)
{
    char sql[sizeof json_sql + 256];
    snprintf(sql, sizeof sql, "%s%s)", json_sql,
             with_daemon ? ", 'daemon', COALESCE((SELECT json_agg(d ORDER BY d.component, "
                           "d.owner) FROM dashboard.daemon_health d), '[]')"
                         : "");
    const char *p[1] = {healthy ? "true" : "false"};
    PGresult *r = clidb_query(conn, "status", sql, 1, p, err);
    if (!r)
        return -1;
    fprintf(out, "%s\n", PQgetvalue(r, 0, 0));
    PQclear(r);
    return 0;
}

struct version_notes {
    FILE *fp;
    int n;
};

static void version_note(void *arg, enum apiver_state st, const char *msg)
{
    struct version_notes *v = arg;
    if (v->n++ == 0)
        fprintf(v->fp, "\nAPI versions\n");
    fprintf(v->fp, "%s: %s\n", st == APIVER_UNKNOWN ? "note" : "warning", msg);
}

int statuscmd_run(PGconn *conn, bool json, const struct config *cfg, FILE *out, FILE *err)
{
    bool with_daemon = clidb_readable(conn, "dashboard.daemon_health");
    long failing = count_of(conn, verdict_sql, 0, err);
    long reauth = failing < 0 ? -1 : count_of(conn, verdict_sql, 1, err);
    long daemon = with_daemon && reauth >= 0 ? count_of(conn, daemon_failing_sql, 0, err) : 0;
    if (failing < 0 || reauth < 0 || daemon < 0)
        return 1;
    bool healthy = failing == 0 && reauth == 0 && daemon == 0;
    /* configured versions near or past their sunset; beside the JSON, on stderr */
    struct version_notes notes = {json ? err : out, 0};
    if (json) {
        int rc = print_json(conn, healthy, with_daemon, out, err) < 0 || !healthy;
        if (cfg)
            apiver_check_config(cfg, time_utc_day(time_wall_us()), version_note, &notes);
        return rc;
    }
    if (section(conn, NULL, jobs_sql,
                "(no jobs yet: socialroid creates them from the config when it starts)", out,
                err) < 0 ||
        section(conn, "Last errors", errors_sql, NULL, out, err) < 0 ||
        section(conn, "Tokens to renew", tokens_sql, NULL, out, err) < 0 ||
        section(conn, "Backfills", backfills_sql, NULL, out, err) < 0 ||
        (with_daemon && section(conn, "Daemon", daemon_sql, NULL, out, err) < 0))
        return 1;
    if (cfg)
        apiver_check_config(cfg, time_utc_day(time_wall_us()), version_note, &notes);
    if (healthy)
        fprintf(out, "\nhealthy\n");
    else
        fprintf(out,
                "\nunhealthy: %ld job(s) failing, %ld account(s) need re-authorization, %ld "
                "daemon component(s) failing\n",
                failing, reauth, daemon);
    return healthy ? 0 : 1;
}
