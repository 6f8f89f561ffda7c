/*
 * cli.c - socialroi, the command-line tool: dispatch to one command per verb.
 *
 * Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 (parse) an API error body.
 */
#include "clidb.h"
#include "democmd.h"
#include "migrate.h"
#include "config.h"
#include "fxcsv.h"
#include "money.h"
#include "parsecmd.h"
#include "report.h"
#include "statuscmd.h"
#include "timeutil.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis;
};

static int cmd_migrate(int argc, char **argv);
static int cmd_parse(int argc, char **argv);
static int cmd_status(int argc, char **argv);
static int cmd_demo(int argc, char **argv);
static int cmd_report(int argc, char **argv);
static int cmd_fx(int argc, char **argv);
static int cmd_rollup(int argc, char **argv);

static const struct command commands[] = {
    {"migrate", cmd_migrate, "migrate [--dsn DSN | -c FILE]   apply the schema migrations"},
    {"parse", cmd_parse,
     "parse STREAM FILE [--status N] [--header 'Name: value']... [--page CURSOR]\n"
     "                                           run a stream's parser on a saved body"},
    {"status", cmd_status, "status [--dsn DSN | -c FILE]    jobs, lag, failures, token expiry"},
    {"report", cmd_report,
     "report roi|channels|funnel [--from D] [--to D] [--by campaign|channel|month]\n"
     "                 [--model MODEL] [--format table|csv|json] [--dsn DSN | -c FILE]"},
    {"fx", cmd_fx, "fx import FILE [--base EUR] [--dsn DSN | -c FILE]   load daily FX rates"},
    {"rollup", cmd_rollup,
     "rollup [--rebuild] [--dsn DSN | -c FILE]   bring the ROI rollups up to date"},
    {"demo", cmd_demo,
     "demo [--dir DIR]                 private PostgreSQL + simulator + daemon, end to end"},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: socialroi COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  socialroi %s\n", commands[i].synopsis);
    fprintf(fp, "\n  socialroi --help | --version\n\n"
                "Commands that use the database take --dsn CONNINFO or -c FILE (the daemon's\n"
                "configuration); without either they use libpq's environment (PGHOST, ...).\n");
}

struct db_opts {
    const char *dsn;
    const char *config;
};

/* Parses --dsn / -c and nothing else; returns 0 or EXIT_USAGE. */
static int parse_db_opts(int argc, char **argv, struct db_opts *o)
{
    static const struct option longopts[] = {{"dsn", required_argument, NULL, 'd'},
                                             {"config", required_argument, NULL, 'c'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'd':
            o->dsn = optarg;
            break;
        case 'c':
            o->config = optarg;
            break;
        default:
            usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? -1 : EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "socialroi %s: unexpected argument \"%s\"\n", argv[0], argv[optind]);
        return EXIT_USAGE;
    }
    return 0;
}

static int cmd_migrate(int argc, char **argv)
{
    struct db_opts o = {0};
    int rc = parse_db_opts(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    PGconn *conn = clidb_connect(o.dsn, o.config, stderr);
    if (!conn)
        return 1;
    rc = migrate_run(conn, stdout, stderr) == 0 ? 0 : 1;
    PQfinish(conn);
    return rc;
}

static int cmd_status(int argc, char **argv)
{
    struct db_opts o = {0};
    int rc = parse_db_opts(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    PGconn *conn = clidb_connect(o.dsn, o.config, stderr);
    if (!conn)
        return 1;
    rc = statuscmd_run(conn, stdout, stderr);
    PQfinish(conn);
    return rc;
}

static int cmd_demo(int argc, char **argv)
{
    static const struct option longopts[] = {{"dir", required_argument, NULL, 'd'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *dir = "demo";
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "d:h", longopts, NULL)) != -1) {
        if (ch == 'd') {
            dir = optarg;
        } else {
            usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "socialroi demo: unexpected argument \"%s\"\n", argv[optind]);
        return EXIT_USAGE;
    }
    return democmd_run(dir, stdout, stderr);
}

static bool one_of(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0)
            return true;
    return false;
}

/* Checks report options; returns 0 or EXIT_USAGE after saying why. */
static int check_report(struct report_opts *r)
{
    static const char *const whats[] = {"roi", "channels", "funnel", NULL};
    static const char *const bys[] = {"campaign", "channel", "month", NULL};
    static const char *const models[] = {
        "first_touch", "last_touch",        "linear", "position_based",
        "time_decay",  "platform_reported", NULL};
    static const char *const formats[] = {"table", "csv", "json", NULL};
    int32_t from, to;
    const char *bad = !one_of(r->what, whats)       ? "report: roi, channels or funnel"
                      : !one_of(r->by, bys)         ? "--by: campaign, channel or month"
                      : !one_of(r->model, models)   ? "--model: first_touch, last_touch, linear, "
                                                      "position_based, time_decay or "
                                                      "platform_reported"
                      : !one_of(r->format, formats) ? "--format: table, csv or json"
                      : time_parse_date(r->from, &from) < 0 ? "--from: a date, YYYY-MM-DD"
                      : time_parse_date(r->to, &to) < 0     ? "--to: a date, YYYY-MM-DD"
                      : to < from                           ? "--to is before --from"
                                                            : NULL;
    if (bad) {
        fprintf(stderr, "socialroi report: %s\n", bad);
        return EXIT_USAGE;
    }
    return 0;
}

static int cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {{"from", required_argument, NULL, 'f'},
                                             {"to", required_argument, NULL, 't'},
                                             {"by", required_argument, NULL, 'b'},
                                             {"model", required_argument, NULL, 'm'},
                                             {"format", required_argument, NULL, 'F'},
                                             {"dsn", required_argument, NULL, 'd'},
                                             {"config", required_argument, NULL, 'c'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    char from[16], to[16];
    int32_t today = (int32_t)(time_wall_us() / 1000000 / 86400);
    struct report_opts r = {.by = "campaign", .model = "linear", .format = "table"};
    struct db_opts o = {0};
    int ch;
    time_format_date(today, to, sizeof to);
    time_format_date(today - 29, from, sizeof from);
    r.from = from;
    r.to = to;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'f':
            r.from = optarg;
            break;
        case 't':
            r.to = optarg;
            break;
        case 'b':
            r.by = optarg;
            break;
        case 'm':
            r.model = optarg;
            break;
        case 'F':
            r.format = optarg;
            break;
        case 'd':
            o.dsn = optarg;
            break;
        case 'c':
            o.config = optarg;
            break;
        default:
            usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (argc - optind != 1) {
        fprintf(stderr, "usage: socialroi report roi|channels|funnel [options]\n");
        return EXIT_USAGE;
    }
    r.what = argv[optind];
    if (strcmp(r.what, "channels") == 0 && strcmp(r.by, "campaign") == 0)
        r.by = "channel";
    if (check_report(&r))
        return EXIT_USAGE;
    PGconn *conn = clidb_connect(o.dsn, o.config, stderr);
    if (!conn)
        return 1;
    int rc = report_run(conn, &r, stdout, stderr);
    PQfinish(conn);
    return rc;
}

/* With -c FILE, the config's reporting currency and half-life are made current first. */
static int sync_settings(PGconn *conn, const char *config_path)
{
    char *why = NULL, half[32];
    if (!config_path)
        return 0;
    struct config *cfg = config_load(config_path, CONFIG_NO_CREDENTIALS, &why);
    if (!cfg) {
        fprintf(stderr, "%s", why);
        free(why);
        return -1;
    }
    snprintf(half, sizeof half, "%.6f", (double)cfg->daemon.half_life_ms / 86400000.0);
    const char *p[2] = {cfg->daemon.reporting_currency, half};
    PGresult *res = PQexecParams(conn, "SELECT socialroi.sync_settings($1, $2::numeric)", 2, NULL,
                                 p, NULL, NULL, 0);
    int rc = PQresultStatus(res) == PGRES_TUPLES_OK ? 0 : -1;
    if (rc < 0)
        fprintf(stderr, "socialroi: %s", PQerrorMessage(conn));
    PQclear(res);
    config_free(cfg);
    return rc;
}

static int cmd_fx(int argc, char **argv)
{
    static const struct option longopts[] = {{"base", required_argument, NULL, 'b'},
                                             {"dsn", required_argument, NULL, 'd'},
                                             {"config", required_argument, NULL, 'c'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *base = "EUR";
    struct db_opts o = {0};
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
        if (ch == 'b')
            base = optarg;
        else if (ch == 'd')
            o.dsn = optarg;
        else if (ch == 'c')
            o.config = optarg;
        else {
            usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (argc - optind != 2 || strcmp(argv[optind], "import") != 0 || !money_currency_valid(base)) {
        fprintf(stderr, "usage: socialroi fx import FILE [--base EUR] [--dsn DSN | -c FILE]\n");
        return EXIT_USAGE;
    }
    struct buf rows = {0};
    struct fxcsv_stats st;
    char err[512];
    if (fxcsv_read(argv[optind + 1], &rows, &st, err, sizeof err) < 0) {
        fprintf(stderr, "socialroi fx import: %s\n", err);
        buf_free(&rows);
        return 1;
    }
    PGconn *conn = clidb_connect(o.dsn, o.config, stderr);
    int rc = 1;
    if (conn && sync_settings(conn, o.config) == 0) {
        const char *p[3] = {rows.data, base, "csv"};
        PGresult *res = PQexecParams(conn, "SELECT socialroi.import_fx($1::jsonb, $2, $3)", 3, NULL,
                                     p, NULL, NULL, 0);
        if (PQresultStatus(res) == PGRES_TUPLES_OK) {
            printf("fx import: %zu days, %zu quotes (%zu empty), %s rates stored or changed\n",
                   st.days, st.quotes, st.skipped, PQgetvalue(res, 0, 0));
            rc = 0;
        } else {
            fprintf(stderr, "socialroi fx import: %s", PQerrorMessage(conn));
        }
        PQclear(res);
    }
    PQfinish(conn);
    buf_free(&rows);
    return rc;
}

static int cmd_rollup(int argc, char **argv)
{
    struct db_opts o = {0};
    bool rebuild = argc > 1 && strcmp(argv[1], "--rebuild") == 0;
    if (rebuild) {
        argv[1] = argv[0];
        argc--;
        argv++;
    }
    int rc = parse_db_opts(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    PGconn *conn = clidb_connect(o.dsn, o.config, stderr);
    if (!conn)
        return 1;
    const char *sql =
        rebuild ? "SELECT socialroi.rollup_rebuild(), 0" : "SELECT socialroi.rollup_dirty(100000)";
    rc = 1;
    for (int rounds = 0; rounds < 1000; rounds++) {
        PGresult *res = PQexec(conn, sql);
        if (PQresultStatus(res) != PGRES_TUPLES_OK) {
            fprintf(stderr, "socialroi rollup: %s", PQerrorMessage(conn));
            PQclear(res);
            break;
        }
        long left = atol(PQgetvalue(res, 0, PQnfields(res) - 1));
        PQclear(res);
        if (left == 0) {
            printf("rollup: %s\n", rebuild ? "rebuilt from scratch" : "up to date");
            rc = 0;
            break;
        }
    }
    PQfinish(conn);
    return rc;
}

#define MAX_PARSE_HEADERS 32

static int cmd_parse(int argc, char **argv)
{
    static const struct option longopts[] = {{"status", required_argument, NULL, 's'},
                                             {"header", required_argument, NULL, 'H'},
                                             {"page", required_argument, NULL, 'p'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    const char *headers[MAX_PARSE_HEADERS];
    struct parse_opts po = {.status = 200, .headers = headers};
    char *end;
    int ch;
    optind = 1;
    while ((ch = getopt_long(argc, argv, "s:H:p:h", longopts, NULL)) != -1) {
        switch (ch) {
        case 'p':
            po.page = optarg;
            break;
        case 's':
            po.status = strtol(optarg, &end, 10);
            if (*end || po.status < 100 || po.status > 599) {
                fprintf(stderr, "socialroi parse: --status takes an HTTP status (100-599)\n");
                return EXIT_USAGE;
            }
            break;
        case 'H':
            if (po.nheaders == MAX_PARSE_HEADERS || !strchr(optarg, ':')) {
                fprintf(stderr, "socialroi parse: --header takes 'Name: value' (at most %d)\n",
                        MAX_PARSE_HEADERS);
                return EXIT_USAGE;
            }
            headers[po.nheaders++] = optarg;
            break;
        default:
            usage(ch == 'h' ? stdout : stderr);
            return ch == 'h' ? 0 : EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, "usage: socialroi parse STREAM FILE [--status N] [--header 'Name: "
                        "value']...\n");
        return EXIT_USAGE;
    }
    po.stream = argv[optind];
    po.file = argv[optind + 1];
    return parsecmd_run(&po, stdout, stderr);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        printf("socialroi %s\n", SR_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "socialroi: unknown command \"%s\"\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
