/*
 * cli.c - socialroi, the command-line tool: dispatch to one command per verb.
 *
 * Every command has its own --help (exit 0). Exit codes: 0 success, 1 runtime failure (status:
 * unhealthy), 2 usage error, 3 (parse) an API error body. An option that another command takes
 * but this one does not is a usage error that says so; every message starts "socialroi: CMD: ".
 */
#include "clidb.h"
#include "config.h"
#include "democmd.h"
#include "fxcsv.h"
#include "htmlreport.h"
#include "migrate.h"
#include "money.h"
#include "panelcmd.h"
#include "parsecmd.h"
#include "alertscmd.h"
#include "closecmd.h"
#include "pollcmd.h"
#include "report.h"
#include "statuscmd.h"
#include "streamscmd.h"
#include "timeutil.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE 2
#define OPT_STOP   (-2) /* next_opt: stop, exit with opt_rc */

#define DB_HELP                                                                                    \
    "  --dsn CONNINFO    the database (libpq connection string)\n"                                 \
    "  -c, --config FILE the daemon's configuration: its [daemon] database\n"                      \
    "Without --dsn or -c, libpq's environment (PGHOST, PGDATABASE, ...) is used.\n"

struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *synopsis; /* one line in the global usage */
    const char *help;     /* the command's own usage */
};

static int cmd_migrate(int argc, char **argv);
static int cmd_parse(int argc, char **argv);
static int cmd_status(int argc, char **argv);
static int cmd_streams(int argc, char **argv);
static int cmd_poll(int argc, char **argv);
static int cmd_backfill(int argc, char **argv);
static int cmd_report(int argc, char **argv);
static int cmd_fx(int argc, char **argv);
static int cmd_rollup(int argc, char **argv);
static int cmd_alerts(int argc, char **argv);
static int cmd_close(int argc, char **argv);
static int cmd_demo(int argc, char **argv);

static const struct command commands[] = {
    {"migrate", cmd_migrate, "migrate [--dsn DSN | -c FILE]",
     "usage: socialroi migrate [--dsn DSN | -c FILE]\n\n"
     "Applies the schema migrations this release carries (forward-only, each once, in one\n"
     "transaction each). Run it as the role that owns the schema.\n\n" DB_HELP},
    {"parse", cmd_parse,
     "parse STREAM FILE [--status N] [--header 'Name: value']... [--page P] [--now T]",
     "usage: socialroi parse STREAM FILE [--status N] [--header 'Name: value']... [--page P]\n"
     "                       [--now T]\n\n"
     "Runs a stream's parser on a saved response body (FILE, or - for standard input) and\n"
     "prints the records as JSON Lines. Exit 0 records, 2 malformed body, 3 an API error body.\n\n"
     "  --status N        the HTTP status the body came with (default 200)\n"
     "  --header 'N: v'   a response header (rate-limit signals), repeatable\n"
     "  --page P          the page cursor the body answered\n"
     "  --now T           read the body as at T (YYYY-MM-DDTHH:MM:SSZ), not now: the time\n"
     "                    stamps and windows that depend on the moment come out the same\n"},
    {"status", cmd_status, "status [--format table|json] [--dsn DSN | -c FILE]",
     "usage: socialroi status [--format table|json] [--dsn DSN | -c FILE]\n\n"
     "Jobs (last success, lag, failures, next due, token expiry), backfills pending or\n"
     "running, and the daemon's components when the database reports them. Reads only\n"
     "dashboard views: works as socialroi_dashboard, socialroi_finance or the daemon's role.\n"
     "Exit 0 when healthy; 1 when a job is failing, an account needs re-authorization or a\n"
     "daemon component is failing.\n\n"
     "  --format FORMAT   table (default) or json\n" DB_HELP},
    {"streams", cmd_streams, "streams [--format table|json]",
     "usage: socialroi streams [--format table|json]\n\n"
     "Lists the streams this release polls: platform, default interval and lookback (an\n"
     "[account] section's interval and lookback override them), day basis, what a request\n"
     "takes (a window of days, a since watermark, or nothing), the longest window one request\n"
     "may ask for (0: any) and whether the stream delivers the account's daily metrics.\n\n"
     "  --format FORMAT   table (default) or json\n"},
    {"poll", cmd_poll, "poll ACCOUNT [STREAM] [--dsn DSN | -c FILE]",
     "usage: socialroi poll ACCOUNT [STREAM] [--dsn DSN | -c FILE]\n\n"
     "Makes the account's jobs (or the one of STREAM) due now and tells a running daemon\n"
     "(NOTIFY socialroi_jobs); socialroid --once runs them when it starts. Run it as a role\n"
     "holding socialroi_daemon.\n\n" DB_HELP},
    {"backfill", cmd_backfill,
     "backfill ACCOUNT STREAM --from D --to D [--replace] | backfill --status",
     "usage: socialroi backfill ACCOUNT STREAM --from YYYY-MM-DD --to YYYY-MM-DD [--replace]\n"
     "                          [--dsn DSN | -c FILE]\n"
     "       socialroi backfill --status [--format table|json] [--dsn DSN | -c FILE]\n\n"
     "Re-polls a past range of days through the job's normal run, once: page by page with the\n"
     "job's cursor, so a daemon stopped half-way resumes where it was. Incremental streams\n"
     "read everything changed since the first day. Refused: --from after --to, a range that\n"
     "ends in the future, an unknown account or stream, and a backfill already pending or\n"
     "running (unless --replace). Run it as a role holding socialroi_daemon.\n\n"
     "  --from D, --to D  the range, UTC days, inclusive\n"
     "  --replace         replace a backfill already pending\n"
     "  --status          list backfills pending, running (pages, rows so far) and last done\n"
     "  --format FORMAT   with --status: table (default) or json\n" DB_HELP},
    {"report", cmd_report,
     "report roi|channels|funnel|bridge|revenue-bridge|html [--from D] [--to D] [--by BY]"
     " [--model M] [--format F]",
     "usage: socialroi report roi [--by campaign|channel|month] [--model MODEL] [OPTIONS]\n"
     "       socialroi report channels [--by channel|month] [OPTIONS]\n"
     "       socialroi report funnel|bridge|revenue-bridge [OPTIONS]\n"
     "       socialroi report html [--model MODEL] [--out FILE] [--finance-dsn DSN] [OPTIONS]\n\n"
     "roi: spend, leads, customers, revenue, ROI, ROAS, cost per lead and CAC (as\n"
     "socialroi_finance); channels: activity per platform (as socialroi_dashboard); funnel:\n"
     "stages per campaign and month (as socialroi_dashboard); bridge: per channel and month,\n"
     "the platform's leads against the CRM's, the difference in named causes (as\n"
     "socialroi_finance); revenue-bridge: the same for revenue; html: one self-contained page\n"
     "(inline SVG, no network, no script) charting spend vs revenue, ROI under every model,\n"
     "the funnel, impressions per platform and share of voice, each with its figures.\n\n"
     "  --from D, --to D  the range (default the last 30 days, UTC)\n"
     "  --by BY           roi: campaign (default), channel or month; channels: channel\n"
     "                    (default) or month; funnel rows are always per campaign and month\n"
     "  --model MODEL     roi only: first_touch, last_touch, linear (default),\n"
     "                    position_based, time_decay or platform_reported\n"
     "  --format FORMAT   table (default), csv (RFC 4180) or json\n"
     "  --out FILE        html: the file to write (default standard output)\n"
     "  --finance-dsn DSN html: the ROI, bridge and close charts' database as\n"
     "                    socialroi_finance (default the one connection, which then reads\n"
     "                    everything)\n" DB_HELP},
    {"fx", cmd_fx, "fx import FILE [--base EUR] [--dsn DSN | -c FILE]",
     "usage: socialroi fx import FILE [--base EUR] [--dsn DSN | -c FILE]\n\n"
     "Loads daily exchange rates from the ECB's daily file (eurofxref.csv) or historical file\n"
     "(eurofxref-hist.csv), or any RFC 4180 CSV with a Date column and one column per\n"
     "currency quoted against the base. Re-importing a file changes nothing.\n\n"
     "  --base CODE       the currency the file quotes against (default EUR)\n" DB_HELP},
    {"rollup", cmd_rollup, "rollup [--rebuild] [--dsn DSN | -c FILE]",
     "usage: socialroi rollup [--rebuild] [--dsn DSN | -c FILE]\n\n"
     "Brings the ROI rollups up to date (the daemon does this itself after each write).\n\n"
     "  --rebuild         recompute everything from the facts\n" DB_HELP},
    {"alerts", cmd_alerts, "alerts [list|ack ID] [--format table|json] [--all] [--by NAME]",
     "usage: socialroi alerts [list] [--format table|json] [--all] [--dsn DSN | -c FILE]\n"
     "       socialroi alerts ack ID [--by NAME] [--dsn DSN | -c FILE]\n\n"
     "list (the default): the open alerts, most recent first, with what to do about each kind\n"
     "(dashboard.alerts: a reader role or the daemon's). ack ID: says someone is on it (the\n"
     "alert stays open until its cause is gone); run it as a role holding socialroi_daemon.\n"
     "An unknown or resolved ID is an error (exit 1).\n\n"
     "  --format FORMAT   list: table (default) or json\n"
     "  --all             list: the resolved alerts too\n"
     "  --by NAME         ack: who acknowledges it (default: the database user)\n" DB_HELP},
    {"export", panelcmd_export,
     "export panel [--layout meridian|robyn|long] [--from D] [--to D] [--out DIR]",
     panelcmd_export_help},
    {"import", panelcmd_import, "import mmm FILE [--model NAME] [--layout robyn|meridian|generic]",
     panelcmd_import_help},
    {"close", cmd_close, "close PERIOD [--by NAME] | --reopen PERIOD --reason TEXT | --list",
     "usage: socialroi close PERIOD [--by NAME] [--dsn DSN | -c FILE]\n"
     "       socialroi close --reopen PERIOD --reason TEXT [--by NAME] [--dsn DSN | -c FILE]\n"
     "       socialroi close --list [--format table|json] [--dsn DSN | -c FILE]\n\n"
     "Month-end close, as socialroi_finance. PERIOD (YYYY-MM): freezes that calendar month's\n"
     "finance figures (every model, campaign and channel, with the FX rates used); later\n"
     "changes show in finance.close_adjustments. --reopen: reopens a closed month (logged, with\n"
     "the reason; the frozen figures are kept, superseded). --list: the closes, newest first.\n"
     "Exit 0 done, 1 refused (a month not ended, already closed, not closed) or failed, 2 "
     "usage.\n\n"
     "  --by NAME         who closes or reopens (default: the database user)\n"
     "  --reopen PERIOD   reopen PERIOD instead of closing it\n"
     "  --reason TEXT     --reopen: why (required, not empty)\n"
     "  --list            list the closes\n"
     "  --format FORMAT   --list: table (default) or json\n" DB_HELP},
    {"demo", cmd_demo, "demo [--dir DIR]",
     "usage: socialroi demo [--dir DIR]\n\n"
     "Starts a private PostgreSQL, the platform simulator and the daemon in DIR (default\n"
     "demo) and shows the data end to end.\n\n"
     "  --dir DIR         where everything lives (default demo)\n"},
};

static const struct command *current; /* the command being run, for messages */
static int opt_rc;                    /* exit code when next_opt returns OPT_STOP */

static void usage(FILE *fp)
{
    fprintf(fp, "usage: socialroi COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(fp, "  socialroi %s\n", commands[i].synopsis);
    fprintf(fp, "\n  socialroi COMMAND --help | socialroi --help | socialroi --version\n\n"
                "Commands that use the database take --dsn CONNINFO or -c FILE (the daemon's\n"
                "configuration); without either they use libpq's environment (PGHOST, ...).\n");
}

/* Prints "socialroi: CMD: message (see socialroi CMD --help)"; returns EXIT_USAGE. */
static int usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "socialroi: %s: ", current->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see socialroi %s --help)\n", current->name);
    return EXIT_USAGE;
}

/* Every long option some command takes: the others are unknown, these merely do not apply. */
static const char *const known_options[] = {
    "dsn",    "config", "format", "from",   "to",      "by",      "model", "base",
    "status", "header", "page",   "dir",    "rebuild", "replace", "all",   "by",
    "layout", "out",    "reopen", "reason", "list",    NULL};

static bool takes(const struct option *lo, const char *name)
{
    for (; lo->name; lo++)
        if (strcmp(lo->name, name) == 0)
            return true;
    return false;
}

/* Says why arg was refused: not this command's, unknown, or missing its value. */
static int bad_option(const char *arg, const struct option *lo, bool missing)
{
    size_t n = strcspn(arg + 2, "=");
    if (missing)
        return usage_error("%s needs a value", arg);
    if (strncmp(arg, "--", 2) == 0)
        for (const char *const *k = known_options; *k; k++)
            if (strlen(*k) == n && strncmp(*k, arg + 2, n) == 0 && !takes(lo, *k))
                return usage_error("--%s does not apply to %s", *k, current->name);
    return usage_error("unknown option %s", arg);
}

/* getopt_long over the command's options with our messages: the option, -1, or OPT_STOP. */
static int next_opt(int argc, char **argv, const struct option *lo)
{
    opterr = 0;
    int ch = getopt_long(argc, argv, ":c:h", lo, NULL);
    if (ch == 'h') {
        fputs(current->help, stdout);
        opt_rc = 0;
        return OPT_STOP;
    }
    if (ch == 'c' && !takes(lo, "config")) {
        opt_rc = usage_error("-c does not apply to %s", current->name);
        return OPT_STOP;
    }
    if (ch == '?' || ch == ':') {
        char shortopt[3] = {'-', (char)optopt, '\0'};
        opt_rc = bad_option(ch == '?' && optopt ? shortopt : argv[optind - 1], lo, ch == ':');
        return OPT_STOP;
    }
    return ch;
}

#define DB_OPTIONS                                                                                 \
    {"dsn", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},               \
        {"help", no_argument, NULL, 'h'},                                                          \
    {                                                                                              \
        NULL, 0, NULL, 0                                                                           \
    }

struct db_opts {
    const char *dsn;
    const char *config;
};

/* Takes --dsn and -c; returns true when ch was one of them. */
static bool db_opt(int ch, struct db_opts *o)
{
    if (ch == 'd')
        o->dsn = optarg;
    else if (ch == 'c')
        o->config = optarg;
    return ch == 'd' || ch == 'c';
}

/* Checks the positional arguments' count; returns 0 or EXIT_USAGE after saying why. */
static int positional(int argc, char **argv, int min, int max, const char *what)
{
    int n = argc - optind;
    if (n < min) { /* then the synopsis: what is missing is best seen in place */
        fprintf(stderr, "socialroi: %s: missing %s\n%.*s\n", current->name, what,
                (int)(strstr(current->help, "\n\n") - current->help), current->help);
        return EXIT_USAGE;
    }
    if (n > max)
        return usage_error("unexpected argument \"%s\"", argv[optind + max]);
    return 0;
}

/* Parses the options of a command that takes only --dsn and -c; returns -1 to go on. */
static int only_db_opts(int argc, char **argv, struct db_opts *o)
{
    static const struct option lo[] = {DB_OPTIONS};
    int ch;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        db_opt(ch, o);
    }
    return -1;
}

/* Runs fn on a connection; returns its exit code, or 1 when the database is out of reach. */
static int with_db(const struct db_opts *o, int (*fn)(PGconn *, void *), void *arg)
{
    PGconn *conn = clidb_connect(current->name, o->dsn, o->config, stderr);
    if (!conn)
        return 1;
    int rc = fn(conn, arg);
    PQfinish(conn);
    return rc;
}

static int run_migrate(PGconn *conn, void *arg)
{
    (void)arg;
    return migrate_run(conn, stdout, stderr) == 0 ? 0 : 1;
}

static int cmd_migrate(int argc, char **argv)
{
    struct db_opts o = {0};
    int rc = only_db_opts(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if ((rc = positional(argc, argv, 0, 0, "")))
        return rc;
    return with_db(&o, run_migrate, NULL);
}

/* --format FORMAT for the commands that print table or json; returns 0 or EXIT_USAGE. */
static int table_or_json(const char *format, bool *json)
{
    if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
        return usage_error("--format takes table or json, not \"%s\"", format);
    *json = strcmp(format, "json") == 0;
    return 0;
}

struct status_args {
    bool json;
    const struct config *cfg;
};

static int run_status(PGconn *conn, void *arg)
{
    struct status_args *s = arg;
    return statuscmd_run(conn, s->json, s->cfg, stdout, stderr);
}

static int cmd_status(int argc, char **argv)
{
    static const struct option lo[] = {{"format", required_argument, NULL, 'F'}, DB_OPTIONS};
    struct db_opts o = {0};
    const char *format = "table";
    bool json = false;
    int ch, rc;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        if (ch == 'F')
            format = optarg;
        else
            db_opt(ch, &o);
    }
    if ((rc = positional(argc, argv, 0, 0, "")) || (rc = table_or_json(format, &json)))
        return rc;
    struct status_args s = {json, NULL};
    struct config *cfg = NULL;
    if (o.config) { /* its API versions are checked against their sunsets */
        char *why = NULL;
        cfg = config_load(o.config, CONFIG_NO_CREDENTIALS, &why);
        if (!cfg) {
            fprintf(stderr, "%ssocialroi: status: configuration %s is not valid\n", why, o.config);
            free(why);
            return 1;
        }
        s.cfg = cfg;
    }
    rc = with_db(&o, run_status, &s);
    config_free(cfg);
    return rc;
}

struct poll_args {
    const char *account, *stream;
};

static int run_poll(PGconn *conn, void *arg)
{
    struct poll_args *p = arg;
    return pollcmd_poll(conn, p->account, p->stream, stdout, stderr);
}

static int cmd_poll(int argc, char **argv)
{
    struct db_opts o = {0};
    int rc = only_db_opts(argc, argv, &o);
    if (rc >= 0)
        return rc;
    if ((rc = positional(argc, argv, 1, 2, "ACCOUNT")))
        return rc;
    struct poll_args p = {argv[optind], argc - optind == 2 ? argv[optind + 1] : NULL};
    return with_db(&o, run_poll, &p);
}

static int run_backfill(PGconn *conn, void *arg)
{
    return pollcmd_backfill(conn, arg, stdout, stderr);
}

static int run_backfill_status(PGconn *conn, void *arg)
{
    return pollcmd_backfill_status(conn, *(bool *)arg, stdout, stderr);
}

/* The range of a backfill request: dates, in order, not in the future. */
static int check_range(const struct backfill_opts *b)
{
    int32_t from, to, today = (int32_t)(time_wall_us() / 1000000 / 86400);
    if (!b->from || !b->to)
        return usage_error("a backfill needs --from and --to");
    if (time_parse_date(b->from, &from) < 0 || time_parse_date(b->to, &to) < 0)
        return usage_error("--from and --to take dates, YYYY-MM-DD");
    if (from > to)
        return usage_error("--from %s is after --to %s", b->from, b->to);
    if (to > today)
        return usage_error("--to %s is in the future: a backfill re-polls past days", b->to);
    return 0;
}

static int cmd_backfill(int argc, char **argv)
{
    static const struct option lo[] = {
        {"from", required_argument, NULL, 'f'},   {"to", required_argument, NULL, 't'},
        {"replace", no_argument, NULL, 'r'},      {"status", no_argument, NULL, 's'},
        {"format", required_argument, NULL, 'F'}, DB_OPTIONS};
    struct backfill_opts b = {0};
    struct db_opts o = {0};
    const char *format = NULL;
    bool status = false, json = false;
    int ch, rc;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        if (ch == 'f' || ch == 't')
            *(ch == 'f' ? &b.from : &b.to) = optarg;
        else if (ch == 'r' || ch == 's')
            *(ch == 'r' ? &b.replace : &status) = true;
        else if (ch == 'F')
            format = optarg;
        else
            db_opt(ch, &o);
    }
    if (status) {
        if (b.from || b.to || b.replace)
            return usage_error("--status lists backfills: it takes no range or --replace");
        if ((rc = positional(argc, argv, 0, 0, "")) ||
            (rc = table_or_json(format ? format : "table", &json)))
            return rc;
        return with_db(&o, run_backfill_status, &json);
    }
    if (format)
        return usage_error("--format applies to --status only");
    if ((rc = positional(argc, argv, 2, 2, "ACCOUNT and STREAM")) || (rc = check_range(&b)))
        return rc;
    b.account = argv[optind];
    b.stream = argv[optind + 1];
    return with_db(&o, run_backfill, &b);
}

struct alerts_args {
    bool ack, json, all;
    const char *id, *by;
};

static int run_alerts(PGconn *conn, void *arg)
{
    struct alerts_args *a = arg;
    if (a->ack)
        return alertscmd_ack(conn, a->id, a->by, stdout, stderr);
    return alertscmd_list(conn, a->json, a->all, stdout, stderr);
}

static int cmd_alerts(int argc, char **argv)
{
    static const struct option lo[] = {{"format", required_argument, NULL, 'F'},
                                       {"all", no_argument, NULL, 'a'},
                                       {"by", required_argument, NULL, 'b'},
                                       DB_OPTIONS};
    struct alerts_args a = {0};
    struct db_opts o = {0};
    const char *format = NULL;
    int ch, rc;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        if (ch == 'F')
            format = optarg;
        else if (ch == 'a')
            a.all = true;
        else if (ch == 'b')
            a.by = optarg;
        else
            db_opt(ch, &o);
    }
    const char *verb = optind < argc ? argv[optind] : "list";
    if (strcmp(verb, "ack") == 0) {
        if ((rc = positional(argc, argv, 2, 2, "ID")))
            return rc;
        a.ack = true;
        a.id = argv[optind + 1];
        if (strspn(a.id, "0123456789") != strlen(a.id) || strlen(a.id) > 18)
            return usage_error("ack takes an alert's id, a number, not \"%s\"", a.id);
        if (format || a.all)
            return usage_error("%s applies to list only", format ? "--format" : "--all");
    } else if (strcmp(verb, "list") == 0) {
        if ((rc = positional(argc, argv, 0, 1, "")))
            return rc;
        if (a.by)
            return usage_error("--by applies to ack only");
        if ((rc = table_or_json(format ? format : "table", &a.json)))
            return rc;
    } else {
        return usage_error("unknown action \"%s\": list or ack ID", verb);
    }
    return with_db(&o, run_alerts, &a);
}

struct close_args {
    enum { CLOSE_CLOSE, CLOSE_REOPEN, CLOSE_LIST } what;
    bool json;
    char day[11];
    const char *by, *reason;
};

static int run_close(PGconn *conn, void *arg)
{
    struct close_args *c = arg;
    if (c->what == CLOSE_LIST)
        return closecmd_list(conn, c->json, stdout, stderr);
    if (c->what == CLOSE_REOPEN)
        return closecmd_reopen(conn, c->day, c->by, c->reason, stdout, stderr);
    return closecmd_close(conn, c->day, c->by, stdout, stderr);
}

static int cmd_close(int argc, char **argv)
{
    static const struct option lo[] = {
        {"by", required_argument, NULL, 'b'},     {"reopen", required_argument, NULL, 'R'},
        {"reason", required_argument, NULL, 'r'}, {"list", no_argument, NULL, 'l'},
        {"format", required_argument, NULL, 'F'}, DB_OPTIONS};
    struct close_args c = {.what = CLOSE_CLOSE};
    struct db_opts o = {0};
    const char *format = NULL, *reopen = NULL, *period;
    int ch, rc;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        if (ch == 'b')
            c.by = optarg;
        else if (ch == 'R')
            reopen = optarg;
        else if (ch == 'r')
            c.reason = optarg;
        else if (ch == 'l')
            c.what = CLOSE_LIST;
        else if (ch == 'F')
            format = optarg;
        else
            db_opt(ch, &o);
    }
    if (c.what == CLOSE_LIST) {
        if ((rc = positional(argc, argv, 0, 0, "")))
            return rc;
        if (reopen || c.reason || c.by)
            return usage_error("--list takes no %s", reopen     ? "--reopen"
                                                     : c.reason ? "--reason"
                                                                : "--by");
        if ((rc = table_or_json(format ? format : "table", &c.json)))
            return rc;
        return with_db(&o, run_close, &c);
    }
    if (format)
        return usage_error("--format applies to --list only");
    if (reopen) {
        if ((rc = positional(argc, argv, 0, 0, "")))
            return rc;
        if (!c.reason || !c.reason[0] || strspn(c.reason, " \t") == strlen(c.reason))
            return usage_error("--reopen needs --reason TEXT, not empty");
        c.what = CLOSE_REOPEN;
        period = reopen;
    } else {
        if ((rc = positional(argc, argv, 1, 1, "PERIOD (YYYY-MM)")))
            return rc;
        if (c.reason)
            return usage_error("--reason applies to --reopen only");
        period = argv[optind];
    }
    if (c.by && !c.by[0])
        return usage_error("--by takes a name, not an empty one");
    if (!closecmd_period(period, c.day))
        return usage_error("PERIOD is a month, YYYY-MM, not \"%s\"", period);
    return with_db(&o, run_close, &c);
}

static int cmd_demo(int argc, char **argv)
{
    static const struct option lo[] = {{"dir", required_argument, NULL, 'D'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    const char *dir = "demo";
    int ch, rc;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        dir = optarg;
    }
    if ((rc = positional(argc, argv, 0, 0, "")))
        return rc;
    return democmd_run(dir, stdout, stderr);
}

static bool one_of(const char *v, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(v, *set) == 0)
            return true;
    return false;
}

/* Which --by and --model go with which report: the rows a report has decide. */
static int check_report_kind(struct report_opts *r, bool by_set, bool model_set)
{
    static const char *const whats[] = {"roi",  "channels", "funnel", "bridge", "revenue-bridge",
                                        "html", NULL};
    static const char *const roi_bys[] = {"campaign", "channel", "month", NULL};
    static const char *const channel_bys[] = {"channel", "month", NULL};
    bool roi = strcmp(r->what, "roi") == 0, channels = strcmp(r->what, "channels") == 0;
    if (!one_of(r->what, whats))
        return usage_error("\"%s\" is not a report: roi, channels, funnel, bridge, "
                           "revenue-bridge or html",
                           r->what);
    if (strcmp(r->what, "html") == 0)
        return by_set ? usage_error("--by does not apply to report html: it charts campaigns, "
                                    "platforms and accounts")
               : strcmp(r->format, "table") != 0
                   ? usage_error("--format does not apply to report html: it writes HTML")
                   : 0;
    if (!roi && model_set)
        return usage_error("--model does not apply to report %s: it has no attribution", r->what);
    if (!roi && !channels && by_set)
        return usage_error("--by does not apply to report %s: its rows are per %s and month",
                           r->what, strcmp(r->what, "funnel") == 0 ? "campaign" : "channel");
    if (!roi && !channels && strcmp(r->what, "funnel") != 0)
        r->by = "channel"; /* the bridges' rows: per channel and month */
    if (channels && !by_set)
        r->by = "channel";
    if ((roi || channels) && !one_of(r->by, roi ? roi_bys : channel_bys))
        return usage_error("report %s --by takes %s, not \"%s\"", r->what,
                           roi ? "campaign, channel or month" : "channel or month", r->by);
    return 0;
}

/* Checks the report's model, format and dates; returns 0 or EXIT_USAGE after saying why. */
static int check_report(const struct report_opts *r)
{
    static const char *const formats[] = {"table", "csv", "json", NULL};
    int32_t from, to;
    if (!one_of(r->model, report_models))
        return usage_error("--model takes first_touch, last_touch, linear, position_based, "
                           "time_decay or platform_reported, not \"%s\"",
                           r->model);
    if (!one_of(r->format, formats))
        return usage_error("--format takes table, csv or json, not \"%s\"", r->format);
    if (time_parse_date(r->from, &from) < 0 || time_parse_date(r->to, &to) < 0)
        return usage_error("--from and --to take dates, YYYY-MM-DD");
    if (to < from)
        return usage_error("--to %s is before --from %s", r->to, r->from);
    return 0;
}

struct report_args {
    struct report_opts r;
    const char *out, *finance_dsn;
};

static int run_report(PGconn *conn, void *arg)
{
    struct report_args *a = arg;
    if (strcmp(a->r.what, "html") != 0)
        return report_run(conn, &a->r, stdout, stderr);
    struct htmlreport_opts h = {
        .from = a->r.from, .to = a->r.to, .model = a->r.model, .out = a->out};
    PGconn *fin = a->finance_dsn ? clidb_connect("report", a->finance_dsn, NULL, stderr) : conn;
    int rc = fin ? htmlreport_run(conn, fin, &h, stdout, stderr) : 1;
    if (fin && fin != conn)
        PQfinish(fin);
    return rc;
}

static int cmd_report(int argc, char **argv)
{
    static const struct option lo[] = {
        {"from", required_argument, NULL, 'f'},        {"to", required_argument, NULL, 't'},
        {"by", required_argument, NULL, 'b'},          {"model", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'F'},      {"out", required_argument, NULL, 'o'},
        {"finance-dsn", required_argument, NULL, 'D'}, DB_OPTIONS};
    char from[16], to[16];
    int32_t today = (int32_t)(time_wall_us() / 1000000 / 86400);
    struct report_args a = {.r = {.by = "campaign", .model = "linear", .format = "table"}};
    struct report_opts *r = &a.r;
    struct db_opts o = {0};
    bool by_set = false, model_set = false;
    int ch, rc;
    time_format_date(today, to, sizeof to);
    time_format_date(today - 29, from, sizeof from);
    r->from = from;
    r->to = to;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        if (ch == 'f' || ch == 't' || ch == 'F') {
            *(ch == 'f' ? &r->from : ch == 't' ? &r->to : &r->format) = optarg;
        } else if (ch == 'o' || ch == 'D') {
            *(ch == 'o' ? &a.out : &a.finance_dsn) = optarg;
        } else if (ch == 'b') {
            r->by = optarg;
            by_set = true;
        } else if (ch == 'm') {
            r->model = optarg;
            model_set = true;
        } else {
            db_opt(ch, &o);
        }
    }
    if ((rc = positional(argc, argv, 1, 1,
                         "the report: roi, channels, funnel, bridge, revenue-bridge or html")))
        return rc;
    r->what = argv[optind];
    if ((a.out || a.finance_dsn) && strcmp(r->what, "html") != 0)
        return usage_error("%s applies to report html only", a.out ? "--out" : "--finance-dsn");
    if ((rc = check_report_kind(r, by_set, model_set)) || (rc = check_report(r)))
        return rc;
    return with_db(&o, run_report, &a);
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
    PGresult *res =
        clidb_query(conn, "fx", "SELECT socialroi.sync_settings($1, $2::numeric)", 2, p, stderr);
    PQclear(res);
    config_free(cfg);
    return res ? 0 : -1;
}

struct fx_args {
    const char *base, *config;
    struct buf rows;
    struct fxcsv_stats st;
};

static int run_fx(PGconn *conn, void *arg)
{
    struct fx_args *a = arg;
    if (sync_settings(conn, a->config) < 0)
        return 1;
    const char *p[3] = {a->rows.data, a->base, "csv"};
    PGresult *res =
        clidb_query(conn, "fx", "SELECT socialroi.import_fx($1::jsonb, $2, $3)", 3, p, stderr);
    if (!res)
        return 1;
    printf("fx import: %zu days, %zu quotes (%zu empty), %s rates stored or changed\n", a->st.days,
           a->st.quotes, a->st.skipped, PQgetvalue(res, 0, 0));
    PQclear(res);
    return 0;
}

static int cmd_fx(int argc, char **argv)
{
    static const struct option lo[] = {{"base", required_argument, NULL, 'b'}, DB_OPTIONS};
    struct fx_args a = {.base = "EUR"};
    struct db_opts o = {0};
    char err[512];
    int ch, rc;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        if (ch == 'b')
            a.base = optarg;
        else
            db_opt(ch, &o);
    }
    if ((rc = positional(argc, argv, 2, 2, "import FILE")))
        return rc;
    if (strcmp(argv[optind], "import") != 0)
        return usage_error("\"%s\" is not an fx command: fx import FILE", argv[optind]);
    if (!money_currency_valid(a.base))
        return usage_error("--base takes a currency code (EUR), not \"%s\"", a.base);
    if (fxcsv_read(argv[optind + 1], &a.rows, &a.st, err, sizeof err) < 0) {
        fprintf(stderr, "socialroi: fx: %s\n", err);
        buf_free(&a.rows);
        return 1;
    }
    a.config = o.config;
    rc = with_db(&o, run_fx, &a);
    buf_free(&a.rows);
    return rc;
}

/*
 * "Up to date" covers what was written; a daemon whose syncs or writes keep failing writes
 * nothing new, so say so rather than let the message stand for the whole pipeline.
 */
static void warn_failing_daemon(PGconn *conn)
{
    if (!clidb_readable(conn, "dashboard.daemon_health"))
        return;
    PGresult *res = clidb_query(conn, "rollup",
                                "SELECT count(*), string_agg(DISTINCT component, ', ')"
                                " FROM dashboard.daemon_health",
                                0, NULL, stderr);
    if (res && atol(PQgetvalue(res, 0, 0)) > 0)
        fprintf(stderr,
                "socialroi: rollup: the daemon reports %s failing component(s) (%s): what they "
                "should have written is missing; see socialroi status\n",
                PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
    PQclear(res);
}

static int run_rollup(PGconn *conn, void *arg)
{
    bool rebuild = *(bool *)arg;
    const char *sql =
        rebuild ? "SELECT socialroi.rollup_rebuild(), 0" : "SELECT socialroi.rollup_dirty(100000)";
    for (int rounds = 0; rounds < 1000; rounds++) {
        PGresult *res = clidb_query(conn, "rollup", sql, 0, NULL, stderr);
        if (!res)
            return 1;
        long left = atol(PQgetvalue(res, 0, PQnfields(res) - 1));
        PQclear(res);
        if (left == 0) {
            printf("rollup: %s\n", rebuild ? "rebuilt from scratch" : "up to date");
            warn_failing_daemon(conn);
            return 0;
        }
    }
    fprintf(stderr, "socialroi: rollup: still dirty after 1000 rounds; run it again\n");
    return 1;
}

static int cmd_streams(int argc, char **argv)
{
    static const struct option lo[] = {{"format", required_argument, NULL, 'F'},
                                       {"help", no_argument, NULL, 'h'},
                                       {NULL, 0, NULL, 0}};
    bool json = false;
    int ch, rc;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        if ((rc = table_or_json(optarg, &json)))
            return rc;
    }
    if ((rc = positional(argc, argv, 0, 0, "")))
        return rc;
    return streamscmd_run(json, stdout);
}

static int cmd_rollup(int argc, char **argv)
{
    static const struct option lo[] = {{"rebuild", no_argument, NULL, 'R'}, DB_OPTIONS};
    struct db_opts o = {0};
    bool rebuild = false;
    int ch, rc;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        if (ch == 'R')
            rebuild = true;
        else
            db_opt(ch, &o);
    }
    if ((rc = positional(argc, argv, 0, 0, "")))
        return rc;
    return with_db(&o, run_rollup, &rebuild);
}

#define MAX_PARSE_HEADERS 32

static int cmd_parse(int argc, char **argv)
{
    static const struct option lo[] = {
        {"status", required_argument, NULL, 's'}, {"header", required_argument, NULL, 'H'},
        {"page", required_argument, NULL, 'p'},   {"now", required_argument, NULL, 'n'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    const char *headers[MAX_PARSE_HEADERS];
    struct parse_opts po = {.status = 200, .headers = headers};
    char *end;
    int ch, rc;
    optind = 1;
    while ((ch = next_opt(argc, argv, lo)) != -1) {
        if (ch == OPT_STOP)
            return opt_rc;
        if (ch == 'p') {
            po.page = optarg;
        } else if (ch == 'n') {
            if (time_parse_utc(optarg, &po.now_us) < 0)
                return usage_error("--now takes YYYY-MM-DDTHH:MM:SSZ (UTC), not \"%s\"", optarg);
        } else if (ch == 's') {
            po.status = strtol(optarg, &end, 10);
            if (*end || po.status < 100 || po.status > 599)
                return usage_error("--status takes an HTTP status (100-599)");
        } else if (po.nheaders == MAX_PARSE_HEADERS || !strchr(optarg, ':')) {
            return usage_error("--header takes 'Name: value' (at most %d)", MAX_PARSE_HEADERS);
        } else {
            headers[po.nheaders++] = optarg;
        }
    }
    if ((rc = positional(argc, argv, 2, 2, "STREAM and FILE")))
        return rc;
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
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            current = &commands[i];
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "socialroi: unknown command \"%s\"\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
