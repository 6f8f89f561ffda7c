/*
 * cli.c - socialroi, the command-line tool: dispatch to one command per verb.
 *
 * Exit codes: 0 success, 1 runtime failure, 2 usage error, 3 (parse) an API error body.
 */
#include "clidb.h"
#include "democmd.h"
#include "migrate.h"
#include "parsecmd.h"
#include "statuscmd.h"

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

static const struct command commands[] = {
    {"migrate", cmd_migrate, "migrate [--dsn DSN | -c FILE]   apply the schema migrations"},
    {"parse", cmd_parse,
     "parse STREAM FILE [--status N] [--header 'Name: value']... [--page CURSOR]\n"
     "                                           run a stream's parser on a saved body"},
    {"status", cmd_status, "status [--dsn DSN | -c FILE]    jobs, lag, failures, token expiry"},
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
