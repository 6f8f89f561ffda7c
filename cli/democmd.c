/*
 * democmd.c - socialroi demo: the whole product end to end on this machine.
 *
 * Starts a private PostgreSQL in DIR/pg (initdb on first use), creates and migrates a database,
 * starts the platform
 * simulator, writes a daemon configuration and credentials for the simulated accounts, runs
 * socialroid for a few poll cycles (with the simulator restating recent days in between), and
 * prints what was ingested per platform beside the simulator's own truth, then the ROI report of
 * the world's business campaigns, checked against the ROI the simulator computes on its own,
 * and writes the same period's charts to DIR/report.html.
 * Everything it started is stopped when it ends, also on Ctrl-C.
 *
 * As root, PostgreSQL runs as the postgres OS user (it refuses root), and that user may not be
 * able to enter DIR at all (a clone in /root is 0700). Its data and socket then go to a fresh
 * 0700 directory under /tmp owned by postgres, removed at the end; the logs stay in DIR/pg.
 *
 * Blocking calls throughout: command-line tool only. socialroid and socialroi-sim are looked up
 * next to this binary.
 */
#include "democmd.h"
#include "adapter.h"
#include "demoworld.h"
#include "htmlreport.h"
#include "buf.h"
#include "json.h"
#include "migrate.h"
#include "report.h"
#include "platform.h"
#include "xmalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <libgen.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PGBIN        "/usr/lib/postgresql/15/bin"
#define DEMO_CYCLES  3
#define WAIT_STEP_MS 50

/* Children to stop, visible to the signal handler (which may only kill and _exit). */
static volatile pid_t child_pg, child_sim, child_daemon;

/* The server's data and socket directory: DIR/pg, or a temporary one when run as root. */
static char pg_dir[4096];
static bool pg_dir_temp;

static void on_signal(int signo)
{
    if (child_daemon > 0)
        kill(child_daemon, SIGTERM);
    if (child_sim > 0)
        kill(child_sim, SIGTERM);
    if (child_pg > 0)
        kill(child_pg, SIGINT);
    _exit(128 + signo);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* ---- processes ---------------------------------------------------------------------------- */

/* PostgreSQL refuses root: run its programs as the postgres user when we are root. */
static int drop_to_postgres(void)
{
    if (getuid() != 0)
        return 0;
    struct passwd *pw = getpwnam("postgres");
    if (!pw || initgroups("postgres", pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
        setuid(pw->pw_uid) < 0)
        return -1;
    return 0;
}

/* Starts argv with stdout/stderr to log (or stdout to a pipe when out_fd is set). */
static pid_t spawn(char *const argv[], const char *log, bool as_postgres, int *out_fd)
{
    int pfd[2] = {-1, -1};
    if (out_fd && pipe(pfd) < 0)
        return -1;
    pid_t pid = fork();
    if (pid != 0) {
        if (out_fd) {
            close(pfd[1]);
            *out_fd = pfd[0];
        }
        return pid;
    }
    int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
        dup2(fd, STDERR_FILENO);
        dup2(out_fd ? pfd[1] : fd, STDOUT_FILENO);
    }
    if (as_postgres && drop_to_postgres() < 0)
        _exit(126);
    execv(argv[0], argv);
    _exit(127);
}

static int wait_child(pid_t pid)
{
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void stop_child(volatile pid_t *pid, int signo)
{
    if (*pid > 0) {
        kill(*pid, signo);
        wait_child(*pid);
        *pid = 0;
    }
}

/* ---- the database ------------------------------------------------------------------------- */

static int run_initdb(const char *dir)
{
    char *data = xasprintf("%s/data", pg_dir), *log = xasprintf("%s/pg/initdb.log", dir);
    char *argv[] = {
        (char *)PGBIN "/initdb",    (char *)"-D",           data,         (char *)"-U",
        (char *)"postgres",         (char *)"--auth=trust", (char *)"-E", (char *)"UTF8",
        (char *)"--locale=C.UTF-8", (char *)"--no-sync",    NULL};
    int rc = 0;
    struct stat st;
    char *version = xasprintf("%s/PG_VERSION", data);
    if (stat(version, &st) != 0) {
        pid_t pid = spawn(argv, log, true, NULL);
        rc = pid > 0 && wait_child(pid) == 0 ? 0 : -1;
    }
    free(version);
    free(data);
    free(log);
    return rc;
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void remove_pg_dir(void)
{
    if (pg_dir_temp)
        nftw(pg_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    pg_dir_temp = false;
}

/* Picks pg_dir: as root a new 0700 directory under /tmp that postgres owns, else DIR/pg. */
static int choose_pg_dir(const char *dir, FILE *err)
{
    char *logs = xasprintf("%s/pg", dir);
    mkdir(logs, 0755);
    snprintf(pg_dir, sizeof pg_dir, "%s", logs);
    free(logs);
    if (getuid() != 0)
        return 0;
    struct passwd *pw = getpwnam("postgres");
    snprintf(pg_dir, sizeof pg_dir, "/tmp/socialroi-demo.XXXXXX");
    if (!pw || !mkdtemp(pg_dir)) {
        fprintf(err, "socialroi demo: running as root needs the postgres OS user and /tmp\n");
        return -1;
    }
    pg_dir_temp = true;
    if (chown(pg_dir, pw->pw_uid, pw->pw_gid) < 0 || chmod(pg_dir, 0700) < 0) {
        fprintf(err, "socialroi demo: %s: %s\n", pg_dir, strerror(errno));
        return -1;
    }
    return 0;
}

static int start_postgres(const char *dir, FILE *err)
{
    if (choose_pg_dir(dir, err) < 0)
        return -1;
    if (run_initdb(dir) < 0) {
        fprintf(err, "socialroi demo: initdb failed, see %s/pg/initdb.log\n", dir);
        return -1;
    }
    char *data = xasprintf("%s/data", pg_dir), *log = xasprintf("%s/pg/server.log", dir);
    char *argv[] = {(char *)PGBIN "/postgres",
                    (char *)"-D",
                    data,
                    (char *)"-k",
                    pg_dir,
                    (char *)"-c",
                    (char *)"listen_addresses=",
                    (char *)"-c",
                    (char *)"fsync=off",
                    NULL};
    child_pg = spawn(argv, log, true, NULL);
    free(data);
    free(log);
    char *ping = xasprintf("host=%s dbname=postgres user=postgres", pg_dir);
    int rc = -1;
    for (int i = 0; i < 600 && child_pg > 0; i++, sleep_ms(WAIT_STEP_MS)) {
        if (PQping(ping) == PQPING_OK) {
            rc = 0;
            break;
        }
    }
    if (rc < 0)
        fprintf(err, "socialroi demo: PostgreSQL did not start, see %s/pg/server.log\n", dir);
    free(ping);
    return rc;
}

static PGconn *connect_db(const char *dir, const char *db)
{
    (void)dir; /* its server's socket is in pg_dir, which start_postgres chose for it */
    char *ci = xasprintf("host=%s dbname=%s user=postgres", pg_dir, db);
    PGconn *c = PQconnectdb(ci);
    free(ci);
    return c;
}

static int prepare_database(const char *dir, FILE *out, FILE *err)
{
    PGconn *c = connect_db(dir, "postgres");
    PGresult *r = PQexec(c, "SELECT 1 FROM pg_database WHERE datname = 'socialroi'");
    bool exists = PQntuples(r) == 1;
    PQclear(r);
    if (!exists)
        PQclear(PQexec(c, "CREATE DATABASE socialroi"));
    PQfinish(c);
    c = connect_db(dir, "socialroi");
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(err, "socialroi demo: %s", PQerrorMessage(c));
        PQfinish(c);
        return -1;
    }
    int rc = migrate_run(c, out, err);
    PQfinish(c);
    return rc;
}

/* ---- the simulator ------------------------------------------------------------------------ */

static int start_sim(const char *bindir, const char *dir, int *port, FILE *err)
{
    char *path = xasprintf("%s/socialroi-sim", bindir), *log = xasprintf("%s/sim.log", dir);
    char *argv[] = {path, (char *)"--port", (char *)"0", (char *)"--seed", (char *)"1", NULL};
    int fd = -1;
    child_sim = spawn(argv, log, false, &fd);
    free(log);
    free(path);
    FILE *f = child_sim > 0 ? fdopen(fd, "r") : NULL;
    char line[256] = "";
    if (!f || !fgets(line, sizeof line, f) ||
        sscanf(line, "socialroi-sim: listening port=%d", port) != 1) {
        fprintf(err, "socialroi demo: the simulator did not start (see %s/sim.log)\n", dir);
        if (f)
            fclose(f);
        return -1;
    }
    fclose(f);
    return 0;
}

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    return buf_append(arg, data, size * n) == 0 ? size * n : 0;
}

/* GET (or POST when post) http://127.0.0.1:port/path into out; returns 0 on a 2xx. */
static int sim_http(int port, const char *path, bool post, struct buf *out)
{
    char *url = xasprintf("http://127.0.0.1:%d%s", port, path);
    CURL *c = curl_easy_init();
    long status = 0;
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    if (post)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, "");
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    free(url);
    return rc == CURLE_OK && status / 100 == 2 ? 0 : -1;
}

/* ---- configuration for the simulated world ------------------------------------------------ */

static int write_file(const char *path, const struct buf *b, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0)
        return -1;
    fchmod(fd, mode);
    int rc = write(fd, b->data, b->len) == (ssize_t)b->len ? 0 : -1;
    close(fd);
    return rc;
}

static int write_config(const char *dir, int port, FILE *err)
{
    struct buf world = {0}, conf = {0}, creds = {0}, campaigns = {0};
    char why[128];
    const char *cur;
    int rc = -1;
    if (sim_http(port, "/_world", false, &world) < 0) {
        fprintf(err, "socialroi demo: cannot read the simulated world\n");
        buf_free(&world);
        return -1;
    }
    cJSON *w = json_parse(world.data, world.len, why, sizeof why);
    buf_puts(&creds, "[hashing]\nemail_salt = socialroi-demo-salt\n");
    if (json_str(json_get(w, "fx"), "currency", &cur) != JSON_OK)
        cur = "USD";
    buf_printf(&conf,
               "# written by socialroi demo for the simulated world\n[daemon]\n"
               "database = \"host=%s dbname=socialroi user=postgres\"\nhttp_listen = off\n"
               "log_level = notice\ncredentials = %s/credentials\nstate_dir = %s/state\n"
               "reporting_currency = %s\n",
               pg_dir, dir, dir, cur);
    demoworld_config(w, port, &conf, &creds, &campaigns);
    char *cpath = xasprintf("%s/socialroi.conf", dir), *kpath = xasprintf("%s/credentials", dir);
    char *ddir = xasprintf("%s/campaigns.d", dir), *wpath = xasprintf("%s/world.conf", ddir);
    if (mkdir(ddir, 0755) < 0 && errno != EEXIST)
        w = (cJSON_Delete(w), NULL);
    if (w && write_file(cpath, &conf, 0644) == 0 && write_file(kpath, &creds, 0600) == 0 &&
        write_file(wpath, &campaigns, 0644) == 0)
        rc = 0;
    else
        fprintf(err, "socialroi demo: cannot write the configuration in %s\n", dir);
    cJSON_Delete(w);
    free(cpath);
    free(kpath);
    free(ddir);
    free(wpath);
    buf_free(&world);
    buf_free(&conf);
    buf_free(&creds);
    buf_free(&campaigns);
    return rc;
}

/* ---- polling and the summary -------------------------------------------------------------- */

static int run_daemon_once(const char *bindir, const char *dir)
{
    char *path = xasprintf("%s/socialroid", bindir), *conf = xasprintf("%s/socialroi.conf", dir);
    char *log = xasprintf("%s/socialroid.log", dir);
    char *argv[] = {path, (char *)"--once", (char *)"-c", conf, NULL};
    child_daemon = spawn(argv, log, false, NULL);
    int rc = child_daemon > 0 ? wait_child(child_daemon) : -1;
    child_daemon = 0;
    free(path);
    free(conf);
    free(log);
    return rc;
}

/* Makes every job due again, so the next cycle polls everything (restated days included). */
static void make_jobs_due(const char *dir)
{
    PGconn *c = connect_db(dir, "socialroi");
    PQclear(PQexec(c, "UPDATE socialroi.poll_job SET next_due = now()"));
    PQfinish(c);
}

/* What the database holds for one truth total of a platform; -1 when the key is not known. */
static long long db_total(PGconn *c, const char *platform, const char *key)
{
    static const struct {
        const char *key, *sql;
    } totals[] = {
        {"posts", "SELECT count(*) FROM socialroi.content t"},
        {"metric_days", "SELECT count(*) FROM socialroi.metric_daily t"},
        {"ad_days", "SELECT count(*) FROM socialroi.ad_daily t"},
        {"spend_micros", "SELECT COALESCE(sum(spend_micros), 0) FROM socialroi.ad_daily t"},
        {"leads", "SELECT count(*) FROM socialroi.lead t"},
        {"deals", "SELECT count(*) FROM socialroi.deal t"},
    };
    for (size_t i = 0; i < sizeof totals / sizeof totals[0]; i++) {
        if (strcmp(totals[i].key, key) != 0)
            continue;
        char *sql = xasprintf("%s JOIN socialroi.account a USING (account_id) "
                              "WHERE a.platform = $1",
                              totals[i].sql);
        const char *p[1] = {platform};
        PGresult *r = PQexecParams(c, sql, 1, NULL, p, NULL, NULL, 0);
        long long v = PQresultStatus(r) == PGRES_TUPLES_OK ? atoll(PQgetvalue(r, 0, 0)) : -1;
        PQclear(r);
        free(sql);
        return v;
    }
    return -1;
}

static int summary(const char *dir, int port, FILE *out)
{
    struct buf tb = {0};
    char why[128];
    int mismatches = 0;
    if (sim_http(port, "/_truth", false, &tb) < 0)
        return -1;
    cJSON *truth = json_parse(tb.data, tb.len, why, sizeof why);
    const cJSON *totals = json_get(truth, "totals"), *p, *t;
    PGconn *c = connect_db(dir, "socialroi");
    fprintf(out, "\n%-10s %-14s %18s %18s  %s\n", "platform", "what", "ingested", "truth", "");
    cJSON_ArrayForEach(p, totals)
    {
        cJSON_ArrayForEach(t, p)
        {
            int64_t want;
            long long got = db_total(c, p->string, t->string);
            if (got < 0 || json_count_item(t, &want) != JSON_OK)
                continue;
            bool same = got == want;
            mismatches += !same;
            fprintf(out, "%-10s %-14s %18lld %18lld  %s\n", p->string, t->string, got,
                    (long long)want, same ? "ok" : "DIFFERENT");
        }
    }
    PQfinish(c);
    cJSON_Delete(truth);
    buf_free(&tb);
    return mismatches ? -1 : 0;
}

/*
 * The ROI of the simulated world: the report people read (linear model), then every figure of
 * finance.roi_report under first_touch and linear compared with the simulator's own ROI.
 */
static const char roi_diff_sql[] =
    "WITH t AS (SELECT $1::jsonb AS j), "
    "exp AS (SELECT m.key AS model, r.key, r.value AS v "
    "          FROM t, jsonb_each(j -> 'models') m, jsonb_each(m.value) r), "
    "act AS (SELECT x.* FROM (SELECT DISTINCT model FROM exp) e, t, "
    "        finance.roi_report((j ->> 'from')::date, (j ->> 'to')::date, 'campaign', e.model) x) "
    "SELECT coalesce(exp.model, act.model) || ' ' || coalesce(exp.key, act.key) "
    "  FROM exp FULL JOIN act ON act.model = exp.model AND act.key = exp.key "
    " WHERE exp.key IS NULL OR act.key IS NULL "
    "    OR (v ->> 'platform_spend_micros')::bigint IS DISTINCT FROM act.platform_spend_micros "
    "    OR (v ->> 'configured_spend_micros')::bigint "
    "       IS DISTINCT FROM act.configured_spend_micros "
    "    OR (v ->> 'spend_micros')::bigint IS DISTINCT FROM act.spend_micros "
    "    OR (v ->> 'leads')::numeric IS DISTINCT FROM act.leads "
    "    OR (v ->> 'customers')::numeric IS DISTINCT FROM act.customers "
    "    OR (v ->> 'revenue_micros')::bigint IS DISTINCT FROM act.revenue_micros "
    "    OR (v ->> 'roi')::numeric IS DISTINCT FROM act.roi "
    "    OR (v ->> 'roas')::numeric IS DISTINCT FROM act.roas "
    "    OR (v ->> 'cost_per_lead_micros')::bigint IS DISTINCT FROM act.cost_per_lead_micros "
    "    OR (v ->> 'customer_acquisition_cost_micros')::bigint "
    "       IS DISTINCT FROM act.customer_acquisition_cost_micros "
    " ORDER BY 1";

/* The same period as a page to look at: DIR/report.html (socialroi report html). */
static int html_step(PGconn *c, const char *dir, const char *from, const char *to, FILE *out,
                     FILE *err)
{
    char *path = xasprintf("%s/report.html", dir);
    struct htmlreport_opts h = {.from = from, .to = to, .model = "linear", .out = path};
    int rc = htmlreport_run(c, c, &h, out, err) == 0 ? 0 : -1;
    if (rc == 0)
        fprintf(out, "The charts of this period: %s (socialroi report html)\n", path);
    free(path);
    return rc;
}

static int roi_step(const char *dir, int port, FILE *out, FILE *err)
{
    struct buf tb = {0};
    char why[128];
    int rc = -1;
    if (sim_http(port, "/_truth", false, &tb) < 0)
        return -1;
    cJSON *truth = json_parse(tb.data, tb.len, why, sizeof why);
    const cJSON *roi = json_get(truth, "roi");
    const char *from, *to;
    if (json_str(roi, "from", &from) != JSON_OK || json_str(roi, "to", &to) != JSON_OK) {
        fprintf(err, "socialroi demo: the simulator publishes no ROI\n");
        cJSON_Delete(truth);
        buf_free(&tb);
        return -1;
    }
    PGconn *c = connect_db(dir, "socialroi");
    struct report_opts o = {"roi", from, to, "campaign", "linear", "table"};
    fprintf(out, "\nROI of the simulated world, %s to %s (socialroi report roi --by campaign):\n",
            from, to);
    if (report_run(c, &o, out, err) == 0) {
        char *j = cJSON_PrintUnformatted(roi);
        const char *p[1] = {j};
        PGresult *r = PQexecParams(c, roi_diff_sql, 1, NULL, p, NULL, NULL, 0);
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            fprintf(err, "socialroi demo: %s", PQerrorMessage(c));
        } else {
            for (int i = 0; i < PQntuples(r); i++)
                fprintf(out, "ROI differs from the simulator's truth: %s\n", PQgetvalue(r, i, 0));
            rc = PQntuples(r) ? -1 : 0;
            if (rc == 0)
                fprintf(out, "ROI per campaign (first_touch and linear) equals the simulator's "
                             "truth\n");
        }
        PQclear(r);
        cJSON_free(j);
    }
    if (rc == 0)
        rc = html_step(c, dir, from, to, out, err);
    PQfinish(c);
    cJSON_Delete(truth);
    buf_free(&tb);
    return rc;
}

static int bindir_of_self(char *out, size_t len)
{
    ssize_t n = readlink("/proc/self/exe", out, len - 1);
    if (n <= 0)
        return -1;
    out[n] = '\0';
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = '\0';
    return 0;
}

static int demo_steps(const char *dir, const char *bindir, FILE *out, FILE *err)
{
    int port = 0;
    if (start_postgres(dir, err) < 0 || prepare_database(dir, out, err) < 0 ||
        start_sim(bindir, dir, &port, err) < 0 || write_config(dir, port, err) < 0)
        return 1;
    fprintf(out, "simulator on port %d; configuration in %s/socialroi.conf\n", port, dir);
    for (int cycle = 1; cycle <= DEMO_CYCLES; cycle++) {
        struct buf ignore = {0};
        if (cycle > 1) {
            sim_http(port, "/_advance", true, &ignore); /* the platforms restate recent days */
            make_jobs_due(dir);
        }
        buf_free(&ignore);
        int rc = run_daemon_once(bindir, dir);
        fprintf(out, "poll cycle %d: socialroid --once exited %d\n", cycle, rc);
        if (rc != 0) {
            fprintf(err, "socialroi demo: see %s/socialroid.log\n", dir);
            return 1;
        }
    }
    int ingest = summary(dir, port, out), roi = roi_step(dir, port, out, err);
    return ingest == 0 && roi == 0 ? 0 : 1;
}

int democmd_run(const char *dir, FILE *out, FILE *err)
{
    char bindir[4096], absdir[4096];
    if (bindir_of_self(bindir, sizeof bindir) < 0)
        return 1;
    if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
        fprintf(err, "socialroi demo: %s: %s\n", dir, strerror(errno));
        return 1;
    }
    if (!realpath(dir, absdir))
        return 1;
    struct sigaction sa = {.sa_handler = on_signal};
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = demo_steps(absdir, bindir, out, err);
    stop_child(&child_sim, SIGTERM);
    stop_child(&child_pg, SIGINT);
    remove_pg_dir();
    curl_global_cleanup();
    fprintf(out, "%s\n",
            rc == 0 ? "demo: every platform's data and the ROI match the simulator's truth"
                    : "demo: FAILED");
    return rc;
}
