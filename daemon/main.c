/*
 * main.c - socialroid: parse argv, load the config, build the context, run the loop.
 *
 *   socialroid [-c FILE] [-n] [-f] [--once]
 *
 * Exit codes: 0 clean stop, 1 runtime or config failure, 2 usage error.
 */
#include "apiversion.h"
#include "config.h"
#include "ctx.h"
#include "log.h"
#include "timeutil.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEFAULT_CONFIG "/etc/socialroi/socialroi.conf"

struct args {
    const char *config;
    bool check, foreground, once;
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: socialroid [-c FILE] [-n] [-f] [--once]\n"
                "  -c, --config FILE  configuration file (default " DEFAULT_CONFIG ")\n"
                "  -n, --check        check the configuration and exit 0 (valid) or 1\n"
                "  -f, --foreground   stay in the foreground and log to stderr\n"
                "      --once         run every due job once, then exit\n"
                "  -h, --help         this help\n"
                "  -V, --version      print the version\n");
}

/* Returns -1 to exit 0 (help, version), 2 on a usage error, 0 to continue. */
static int parse_args(int argc, char **argv, struct args *a)
{
    static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                             {"check", no_argument, NULL, 'n'},
                                             {"foreground", no_argument, NULL, 'f'},
                                             {"once", no_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {"version", no_argument, NULL, 'V'},
                                             {NULL, 0, NULL, 0}};
    int ch;
    a->config = DEFAULT_CONFIG;
    while ((ch = getopt_long(argc, argv, "c:nfhV", longopts, NULL)) != -1) {
        switch (ch) {
        case 'c':
            a->config = optarg;
            break;
        case 'n':
            a->check = true;
            break;
        case 'f':
            a->foreground = true;
            break;
        case 'o':
            a->once = true;
            break;
        case 'h':
            usage(stdout);
            return -1;
        case 'V':
            printf("socialroid %s\n", SR_VERSION);
            return -1;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "socialroid: unexpected argument \"%s\"\n", argv[optind]);
        usage(stderr);
        return 2;
    }
    return 0;
}

/* -n prints a configured API version near or past its sunset, or unknown to the table. */
static void print_version_note(void *arg, enum apiver_state st, const char *msg)
{
    (void)arg;
    printf("socialroid: %s: %s\n", st == APIVER_UNKNOWN ? "note" : "warning", msg);
}

/* Classic detach for running without a supervisor; systemd runs us with -f. */
static int detach(void)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    if (setsid() < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    if (chdir("/") < 0)
        return -1;
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0)
        return -1;
    dup2(fd, STDIN_FILENO);
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    if (fd > STDERR_FILENO)
        close(fd);
    return 0;
}

int main(int argc, char **argv)
{
    struct args a = {0};
    int rc = parse_args(argc, argv, &a);
    if (rc)
        return rc < 0 ? 0 : rc;
    log_open("socialroid");
    char *err = NULL;
    struct config *cfg = config_load(a.config, 0, &err);
    if (!cfg) {
        fprintf(stderr, "%s", err);
        fprintf(stderr, "socialroid: configuration %s is not valid\n", a.config);
        free(err);
        return 1;
    }
    if (a.check) {
        /* Naming the credentials file shows which one a reload under systemd will read. */
        printf("socialroid: configuration %s is valid (%zu accounts, %zu campaigns; "
               "credentials %s)\n",
               a.config, cfg->naccounts, cfg->ncampaigns,
               cfg->credentials_path ? cfg->credentials_path : "not read");
        apiver_check_config(cfg, time_utc_day(time_wall_us()), print_version_note, NULL);
        config_free(cfg);
        return 0;
    }
    log_set_level(cfg->daemon.log_level);
    apiver_check_config(cfg, time_utc_day(time_wall_us()), apiver_log_note, NULL);
    if (!a.foreground && !a.once && !getenv("NOTIFY_SOCKET")) {
        log_use_syslog();
        if (detach() < 0) {
            log_crit("daemon: cannot detach: %m");
            config_free(cfg);
            return 1;
        }
    }
    struct ctx_options opt = {.config_path = a.config, .once = a.once};
    struct sr_ctx *ctx = ctx_new(&opt, cfg);
    if (!ctx)
        return 1;
    rc = ctx_run(ctx);
    ctx_free(ctx);
    return rc;
}
