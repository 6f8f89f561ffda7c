/*
 * test_config.c - the config loader: example files, every error naming file:line, credentials
 * file permissions, includes, reload semantics, and the README documenting every key.
 */
#include "unit.h"
#include "config.h"
#include "demoworld.h"
#include "log.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct fx {
    char *dir;
};

static int setup(void **state)
{
    struct fx *f = xcalloc(1, sizeof *f);
    f->dir = unit_tmpdir();
    unsetenv("CREDENTIALS_DIRECTORY");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;
    unit_rmdir(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* Loads text as the main file (with a 0600 credentials file); returns config, or NULL + err. */
static struct config *load_text(struct fx *f, const char *text, char **err)
{
    char *main_text = xasprintf("[daemon]\ncredentials = %s/creds\n%s", f->dir, text);
    unit_write_file(f->dir, "creds",
                    "[hashing]\nemail_salt = unit-salt\n"
                    "[credential c1]\naccess_token = tok-SECRET-1\nexpires_at = 1800000000\n",
                    0600);
    char *path = xstrdup(unit_write_file(f->dir, "main.conf", main_text, 0644));
    struct config *cfg = config_load(path, 0, err);
    free(main_text);
    free(path);
    return cfg;
}

static void expect_error(struct fx *f, const char *text, const char *needle)
{
    char *err = NULL;
    struct config *cfg = load_text(f, text, &err);
    assert_null(cfg);
    assert_non_null(err);
    if (!strstr(err, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, err);
    free(err);
}

static void test_examples_pass(void **state)
{
    (void)state;
    char *err = NULL;
    struct config *cfg = config_load("config/socialroi.conf.example", 0, &err);
    if (!cfg)
        fail_msg("example config failed:\n%s", err);
    assert_int_equal(cfg->naccounts, 4);
    assert_string_equal(cfg->daemon.http_listen, "127.0.0.1:9464");
    assert_int_equal(cfg->daemon.shutdown_timeout_ms, 30000);
    assert_string_equal(cfg->platforms[PLATFORM_FACEBOOK].version, "v24.0");
    assert_string_equal(cfg->platforms[PLATFORM_X].api_base, "https://api.x.com");
    assert_int_equal(cfg->nfx, 2);
    config_free(cfg);
}

static void test_campaign_example(void **state)
{
    struct fx *f = *state;
    char *text = unit_read_file("config/campaigns.conf.example", NULL);
    assert_non_null(text);
    char *err = NULL;
    struct config *cfg = load_text(f, text, &err);
    if (!cfg)
        fail_msg("campaign example failed:\n%s", err);
    assert_int_equal(cfg->ncampaigns, 1);
    assert_string_equal(cfg->campaigns[0].title, "Q1 product launch");
    assert_int_equal(cfg->campaigns[0].budget.micros, 30000000000LL);
    assert_int_equal(cfg->campaigns[0].link.n, 2);
    config_free(cfg);
    free(text);
}

static void test_defaults_and_types(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    struct config *cfg = load_text(f,
                                   "log_level = debug\n"
                                   "[account a]\nplatform = facebook\nid = 1\ncredential = c1\n"
                                   "interval = 1h30m\nstreams = facebook.leads , "
                                   "facebook.posts\nstreams = facebook.ads_insights\n"
                                   "currency = USD\n",
                                   &err);
    if (!cfg)
        fail_msg("%s", err);
    const struct cfg_account *a = config_account(cfg, "a");
    assert_non_null(a);
    assert_int_equal(a->platform_id, PLATFORM_FACEBOOK);
    assert_int_equal(a->interval_ms, 5400000);
    assert_int_equal(a->lookback_ms, CFG_UNSET_MS);
    assert_int_equal(a->streams.n, 3);
    assert_string_equal(a->streams.items[1], "facebook.posts");
    assert_true(a->enabled);
    assert_int_equal(cfg->daemon.log_level, LOG_DEBUG);
    assert_int_equal(cfg->daemon.max_inflight, 16);
    const struct cfg_credential *c = config_credential(cfg, "c1");
    assert_string_equal(c->access_token, "tok-SECRET-1");
    assert_int_equal(c->expires_at, 1800000000L);
    config_free(cfg);
}

/* The API versions: defaults from the version table, facebook's ads on their own, sunsets. */
static void test_api_versions(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    struct config *cfg = load_text(f,
                                   "[platform linkedin]\nversion = 202603\n"
                                   "version_sunset = 2027-03-16\n"
                                   "[account a]\nplatform = facebook\nid = 1\ncredential = c1\n"
                                   "currency = USD\n",
                                   &err);
    if (!cfg)
        fail_msg("%s", err);
    const struct cfg_platform *fb = &cfg->platforms[PLATFORM_FACEBOOK];
    assert_string_equal(fb->version, "v24.0");
    assert_string_equal(fb->ads_version, "v26.0");
    assert_int_equal(fb->version_sunset, CFG_UNSET_DATE);
    assert_int_equal(fb->ads_version_sunset, CFG_UNSET_DATE);
    assert_string_equal(cfg->platforms[PLATFORM_INSTAGRAM].version, "v24.0");
    assert_string_equal(cfg->platforms[PLATFORM_LINKEDIN].version, "202603");
    assert_int_equal(cfg->platforms[PLATFORM_LINKEDIN].version_sunset,
                     time_days_from_civil(2027, 3, 16));
    assert_string_equal(cfg->platforms[PLATFORM_LINKEDIN].ads_version, "");
    config_free(cfg);
    /* only facebook has a Marketing API version; a sunset is a date */
    cfg = load_text(f, "[platform linkedin]\nads_version = 202610\n", &err);
    assert_null(cfg);
    assert_non_null(strstr(err, "[platform linkedin] ads_version: only facebook has ads streams"));
    free(err);
    err = NULL;
    cfg = load_text(f, "[platform facebook]\nads_version_sunset = soon\n", &err);
    assert_null(cfg);
    assert_non_null(strstr(err, "ads_version_sunset"));
    assert_non_null(strstr(err, "must be a date, YYYY-MM-DD"));
    free(err);
}

static void test_all_streams_by_default(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    struct config *cfg =
        load_text(f, "[account y]\nplatform = youtube\nid = UC1\ncredential = c1\n", &err);
    assert_non_null(cfg);
    assert_int_equal(config_account(cfg, "y")->streams.n, 3);
    config_free(cfg);
}

static void test_errors_name_file_and_line(void **state)
{
    struct fx *f = *state;
    expect_error(f, "log_levl = debug\n", "main.conf:3: [daemon] log_levl: unknown key");
    expect_error(f, "log_levl = debug\n", "did you mean log_level?");
    expect_error(f, "shutdown_timeout = 15 min\n", "main.conf:3: [daemon] shutdown_timeout");
    expect_error(f, "[account a]\nplatform = x\nid = 1\ncredential = c1\ninterval = 15\n",
                 "main.conf:7: [account a] interval: \"15\" must be a duration");
    expect_error(f, "[account a]\nplatform = x\nid = 1\n",
                 "main.conf:3: [account a]: missing required key credential");
    expect_error(f, "[account a]\nplatform = myspace\nid = 1\ncredential = c1\n",
                 "[account a] platform: unknown \"myspace\"");
    expect_error(f, "[account a]\nplatform = x\nid = 1\ncredential = c1\nstreams = x.nope\n",
                 "main.conf:7: [account a] streams: \"x.nope\" is not a x stream");
    expect_error(f, "[account a]\nplatform = x\nid = 1\ncredential = nobody\n",
                 "[account a] credential: no [credential nobody]");
    expect_error(f, "[account a]\nplatform = x\nid = 1\nid = 2\ncredential = c1\n",
                 "main.conf:6: [account a] id: duplicate key (first at");
    expect_error(f, "[account a]\nplatform=x\nid=1\ncredential=c1\n[account a]\n",
                 "main.conf:7: [account a]: duplicate section");
    expect_error(f, "[campaign c]\nstart = 2026-02-30\n", "main.conf:4: [campaign c] start");
    expect_error(f, "[campaign c]\nstart = 2026-03-01\nend = 2026-02-01\n",
                 "[campaign c] end: ends before it starts");
    expect_error(f, "[campaign c]\nstart = 2026-03-01\nbudget = 12k\n",
                 "[campaign c] budget: \"12k\" must be an amount and a currency");
    expect_error(f, "[platform tiktok]\n", "main.conf:3: [platform tiktok]: unknown platform");
    expect_error(f, "[platform x]\napi_base = ftp://x\n", "api_base: \"ftp://x\" must start");
    expect_error(f, "[daemon]\nhttp_listen = localhost\n", "http_listen");
    expect_error(f, "[nonsense]\n", "main.conf:3: unknown section [nonsense]");
    expect_error(f, "[account]\n", "needs a name");
    expect_error(f, "this line is junk\n", "main.conf:3: expected key = value");
    expect_error(f, "[fx]\nEUR = -1\n", "[fx] EUR: rate must be a positive decimal");
    expect_error(f, "[fx]\neuro = 1\n", "[fx] euro: keys are currency codes");
    expect_error(f, "[daemon]\nreporting_currency = dollars\n", "three-letter ISO 4217");
    expect_error(f, "[account a]\nplatform=x\nid=1\ncredential=c1\ntimezone = Mars/Base\n",
                 "unknown IANA time zone");
    expect_error(f, "x = \"unterminated\n", "unterminated quoted value");
}

/* The X listening budget: caps default to none, the price to X's 0.005; a price must be exact
 * in micro-units; only X accounts may have caps. */
static void test_listening_budget(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    struct config *cfg = load_text(f,
                                   "[account a]\nplatform = x\nid = 1\ncredential = c1\n"
                                   "[account b]\nplatform = x\nid = 2\ncredential = c1\n"
                                   "x_posts_per_day = 500\nx_posts_per_month = 10000\n"
                                   "x_price_per_post = 0.0045\n",
                                   &err);
    if (!cfg)
        fail_msg("%s", err);
    const struct cfg_account *a = config_account(cfg, "a"), *b = config_account(cfg, "b");
    assert_int_equal(a->x_posts_per_day, 0);
    assert_int_equal(a->x_posts_per_month, 0);
    assert_string_equal(a->x_price_per_post, "0.005");
    assert_int_equal(b->x_posts_per_day, 500);
    assert_int_equal(b->x_posts_per_month, 10000);
    assert_string_equal(b->x_price_per_post, "0.0045");
    config_free(cfg);
    expect_error(
        f, "[account a]\nplatform=x\nid=1\ncredential=c1\nx_price_per_post = 0.0000001\n",
        "main.conf:7: [account a] x_price_per_post: \"0.0000001\" must be a decimal amount "
        "with at most six places");
    expect_error(f, "[account a]\nplatform=x\nid=1\ncredential=c1\nx_price_per_post = -1\n",
                 "x_price_per_post");
    expect_error(f, "[account a]\nplatform=x\nid=1\ncredential=c1\nx_posts_per_day = -5\n",
                 "x_posts_per_day");
    expect_error(f, "[account a]\nplatform=youtube\nid=1\ncredential=c1\nx_posts_per_day = 5\n",
                 "[account a] x_posts_per_day, x_posts_per_month: only X accounts have a listening "
                 "budget");
}

/* competitors: NAME=QUERY split at the first '=', trimmed, searched after the brand's queries. */
static void test_competitors(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    struct config *cfg =
        load_text(f,
                  "[account a]\nplatform = x\nid = 1\ncredential = c1\n"
                  "queries = \"(\\\"acme analytics\\\" OR #acme) -is:retweet\"\n"
                  "competitors = \"globex = globex lang:en, Initech Inc.=(#initech OR "
                  "\\\"initech\\\"), globex=url:\\\"globex.example/?a=b\\\"\"\n"
                  "[account b]\nplatform = x\nid = 2\ncredential = c1\nqueries = acme\n",
                  &err);
    if (!cfg)
        fail_msg("%s", err);
    const struct cfg_account *a = config_account(cfg, "a"), *b = config_account(cfg, "b");
    const char *name;
    size_t len;
    assert_int_equal(config_search_count(a), 4);
    assert_string_equal(config_search_query(a, 0, &name, &len),
                        "(\"acme analytics\" OR #acme) -is:retweet");
    assert_null(name);
    assert_string_equal(config_search_query(a, 1, &name, &len), "globex lang:en");
    assert_int_equal(len, 6);
    assert_memory_equal(name, "globex", 6);
    assert_string_equal(config_search_query(a, 2, &name, &len), "(#initech OR \"initech\")");
    assert_int_equal(len, 12);
    assert_memory_equal(name, "Initech Inc.", 12);
    assert_string_equal(config_search_query(a, 3, &name, &len), "url:\"globex.example/?a=b\"");
    assert_memory_equal(name, "globex", len);
    assert_int_equal(config_search_count(b), 1); /* no competitors: every query the brand's */
    assert_string_equal(config_search_query(b, 0, &name, &len), "acme");
    assert_null(name);
    config_free(cfg);
    expect_error(f, "[account a]\nplatform=x\nid=1\ncredential=c1\ncompetitors = globex\n",
                 "main.conf:7: [account a] competitors: \"globex\" is not NAME=QUERY");
    expect_error(f, "[account a]\nplatform=x\nid=1\ncredential=c1\ncompetitors = =globex\n",
                 "main.conf:7: [account a] competitors: the name before = must be 1 to 64");
    expect_error(f, "[account a]\nplatform=x\nid=1\ncredential=c1\ncompetitors = globex= \n",
                 "main.conf:7: [account a] competitors: globex has an empty query");
    expect_error(f,
                 "[account a]\nplatform=x\nid=1\ncredential=c1\nqueries = acme\n"
                 "competitors = globex=acme\n",
                 "main.conf:8: [account a] queries, competitors: \"acme\" is listed twice");
    expect_error(f, "[account a]\nplatform=youtube\nid=1\ncredential=c1\ncompetitors = g=g\n",
                 "main.conf:7: [account a] competitors: only X accounts search mentions");
}

static void test_member_account(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    struct config *cfg = load_text(f,
                                   "[account page]\nplatform = linkedin\nid = 2414183\n"
                                   "credential = c1\n"
                                   "[account dana]\nplatform = linkedin\nid = p8Zx41mQ\n"
                                   "credential = c1\nmember = yes\n",
                                   &err);
    if (!cfg)
        fail_msg("%s", err);
    assert_false(config_account(cfg, "page")->member);
    assert_true(config_account(cfg, "dana")->member);
    config_free(cfg);
    expect_error(f, "[account a]\nplatform=x\nid=1\ncredential=c1\nmember = yes\n",
                 "[account a] member: only LinkedIn accounts can be a member's own");
    expect_error(f, "[account a]\nplatform=linkedin\nid=1\ncredential=c1\nmember = maybe\n",
                 "member");
}

static void test_credentials_mode(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    char *creds = xstrdup(unit_write_file(f->dir, "creds.world",
                                          "[credential c1]\n"
                                          "access_token = tok-SECRET-2\n",
                                          0644));
    char *text = xasprintf("[daemon]\ncredentials = %s\n[account a]\nplatform = x\nid = 1\n"
                           "credential = c1\n",
                           creds);
    char *path = xstrdup(unit_write_file(f->dir, "m.conf", text, 0644));
    assert_null(config_load(path, 0, &err));
    assert_non_null(strstr(err, "creds.world: credentials file is readable or writable by group "
                                "or others (mode 0644)"));
    assert_null(strstr(err, "SECRET"));
    free(err);
    /* the command-line tools can skip the credentials entirely */
    struct config *cfg = config_load(path, CONFIG_NO_CREDENTIALS, &err);
    assert_non_null(cfg);
    config_free(cfg);
    free(creds);
    free(text);
    free(path);
}

static void test_credentials_directory(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    char *sub = xasprintf("%s/creddir", f->dir);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p %s", sub);
    assert_int_equal(system(cmd), 0);
    unit_write_file(sub, "credentials",
                    "[hashing]\nemail_salt = s\n[credential from-dir]\naccess_token = t\n", 0400);
    char *path = xstrdup(unit_write_file(f->dir, "m.conf",
                                         "[daemon]\ncredentials = "
                                         "/nonexistent/creds\n[account a]\nplatform = x\n"
                                         "id = 1\ncredential = from-dir\n",
                                         0644));
    setenv("CREDENTIALS_DIRECTORY", sub, 1);
    struct config *cfg = config_load(path, 0, &err);
    unsetenv("CREDENTIALS_DIRECTORY");
    if (!cfg)
        fail_msg("%s", err);
    assert_non_null(config_credential(cfg, "from-dir"));
    config_free(cfg);
    free(path);
    free(sub);
}

static void test_secret_values_never_echoed(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    unit_write_file(f->dir, "creds2",
                    "[credential c1]\naccess_token = tok-SECRET-3\nexpires_at = soon\n"
                    "refresh_tokn = tok-SECRET-4\n",
                    0600);
    char *text = xasprintf("[daemon]\ncredentials = %s/creds2\n", f->dir);
    char *path = xstrdup(unit_write_file(f->dir, "m.conf", text, 0644));
    assert_null(config_load(path, 0, &err));
    assert_non_null(strstr(err, "creds2:3: [credential c1] expires_at"));
    assert_non_null(strstr(err, "creds2:4: [credential c1] refresh_tokn: unknown key"));
    assert_null(strstr(err, "SECRET"));
    free(err);
    free(text);
    free(path);
}

/* [alert NAME]: the url's scheme decides webhook or e-mail; the password comes from the
 * credentials file; errors name file:line and never echo a URL (a webhook's may be a token). */
static void test_alert_destinations(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    unit_write_file(
        f->dir, "creds",
        "[hashing]\nemail_salt = unit-salt\n[credential mailer]\npassword = pw-SECRET-9\n", 0600);
    char *text = xasprintf("[daemon]\ncredentials = %s/creds\nalert_poll = 2s\n"
                           "[alert ops]\nurl = https://hooks.example.com/services/T1/B2/SECRET-5\n"
                           "format = slack\nkinds = stale_job, token_expiry\n"
                           "[alert mail]\nurl = smtps://smtp.example.com:465\n"
                           "from = alerts@example.com\nto = a@example.com, b@example.com\n"
                           "user = alerts\ncredential = mailer\nmin_severity = critical\n"
                           "resolved = no\n",
                           f->dir);
    char *path = xstrdup(unit_write_file(f->dir, "a.conf", text, 0644));
    struct config *cfg = config_load(path, 0, &err);
    if (!cfg)
        fail_msg("alert config failed:\n%s", err);
    assert_int_equal(cfg->daemon.alert_poll_ms, 2000);
    assert_int_equal(cfg->nalerts, 2);
    const struct cfg_alert *ops = &cfg->alerts[0], *mail = &cfg->alerts[1];
    assert_int_equal(ops->via, CFG_ALERT_WEBHOOK);
    assert_string_equal(ops->format, "slack");
    assert_int_equal(ops->kinds.n, 2);
    assert_string_equal(ops->min_severity, "warning");
    assert_true(ops->resolved);
    assert_int_equal(ops->max_age_ms, 86400000);
    assert_int_equal(ops->backoff_min_ms, 10000);
    assert_int_equal(ops->backoff_max_ms, 3600000);
    assert_int_equal(mail->via, CFG_ALERT_SMTP);
    assert_int_equal(mail->to.n, 2);
    assert_string_equal(mail->password, "pw-SECRET-9");
    assert_string_equal(mail->min_severity, "critical");
    assert_false(mail->resolved);
    assert_true(mail->starttls);
    config_free(cfg);
    free(text);
    free(path);

    expect_error(f, "[alert x]\nurl = ftp://files.example.com/SECRET-6\n",
                 "main.conf:4: [alert x] url: must be a webhook URL");
    expect_error(f, "[alert x]\nformat = slack\n", "[alert x]: missing required key url");
    expect_error(f,
                 "[alert x]\nurl = smtp://mx.example.com\nfrom = Ops <ops@example.com>\n"
                 "to = o@example.com\n",
                 "[alert x] from: \"Ops <ops@example.com>\" is not an e-mail address");
    expect_error(f, "[alert x]\nurl = smtp://mx.example.com\n",
                 "[alert x] from: missing: e-mail needs a sender address");
    expect_error(f, "[alert x]\nurl = smtp://mx.example.com\nfrom = a@example.com\n",
                 "[alert x] to: missing: e-mail needs at least one recipient");
    expect_error(f,
                 "[alert x]\nurl = smtp://mx.example.com\nfrom = a@example.com\n"
                 "to = ops\n",
                 "main.conf:6: [alert x] to: \"ops\" is not an e-mail address");
    expect_error(f,
                 "[alert x]\nurl = smtp://mx.example.com\nfrom = a@example.com\n"
                 "to = ops@example.com\nuser = u\ncredential = nosuch\n",
                 "[alert x] credential: no [credential nosuch] with a password");
    expect_error(f, "[alert x]\nurl = https://h.example.com/SECRET-7\nto = ops@example.com\n",
                 "main.conf:5: [alert x] to: only e-mail (smtp:// or smtps://) has this key");
    expect_error(f,
                 "[alert x]\nurl = smtp://mx.example.com\nfrom = a@example.com\n"
                 "to = o@example.com\nformat = slack\n",
                 "main.conf:7: [alert x] format: only webhooks have a format");
    expect_error(f, "[alert x]\nurl = https://h.example.com/x\nmin_severity = high\n",
                 "[alert x] min_severity: \"high\" must be info, warning or critical");
    expect_error(f, "[alert x]\nurl = https://h.example.com/x\n[alert x]\n",
                 "[alert x]: duplicate section");
    /* a refused URL is never echoed */
    err = NULL;
    assert_null(load_text(f, "[alert x]\nurl = gopher://h.example.com/SECRET-8\n", &err));
    assert_null(strstr(err, "SECRET"));
    free(err);
}

static void test_includes(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p %s/campaigns.d", f->dir);
    assert_int_equal(system(cmd), 0);
    char *sub = xasprintf("%s/campaigns.d", f->dir);
    unit_write_file(sub, "b.conf", "[campaign b]\nstart = 2026-01-01\n", 0644);
    unit_write_file(sub, "a.conf", "[campaign a]\nstart = 2026-01-01\nfoo = 1\n", 0644);
    struct config *cfg = load_text(f, "include = campaigns.d/*.conf\n", &err);
    assert_null(cfg);
    assert_non_null(strstr(err, "campaigns.d/a.conf:3: [campaign a] foo: unknown key"));
    free(err);
    unit_write_file(sub, "a.conf", "[campaign a]\nstart = 2026-01-01\n", 0644);
    cfg = load_text(f, "include = campaigns.d/*.conf\ninclude = nothing.d/*.conf\n", &err);
    assert_non_null(cfg);
    assert_int_equal(cfg->ncampaigns, 2);
    assert_string_equal(cfg->campaigns[0].name, "a"); /* sorted order */
    config_free(cfg);
    expect_error(f, "include = missing.conf\n", "include");
    /* a file including itself is stopped, not looped forever */
    unit_write_file(f->dir, "self.conf", "include = self.conf\n", 0644);
    expect_error(f, "include = self.conf\n", "nested deeper than");
    free(sub);
}

static void test_hostile_input_is_bounded(void **state)
{
    struct fx *f = *state;
    char *longline = xmalloc(20000);
    memset(longline, 'a', 19998);
    memcpy(longline, "title = ", 8);
    longline[19998] = '\n';
    longline[19999] = '\0';
    char *text = xasprintf("[campaign c]\nstart = 2026-01-01\n%s", longline);
    expect_error(f, text, "main.conf:5: line longer than 8192 bytes");
    free(text);
    free(longline);
    /* a device that never ends a line must not be read forever */
    expect_error(f, "include = /dev/zero\n", "include /dev/zero: not a regular file");
    /* NUL bytes cannot hide the rest of a line */
    char *path = xstrdup(unit_write_file(f->dir, "nul.conf", "", 0644));
    FILE *fp = fopen(path, "w");
    fwrite("[daemon]\nlog_level = info\0junk\n", 1, 31, fp);
    fclose(fp);
    char *err = NULL;
    assert_null(config_load(path, 0, &err));
    assert_non_null(strstr(err, "nul.conf:2: NUL byte in line"));
    free(err);
    free(path);
}

static void test_quoting_and_comments(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    struct config *cfg = load_text(f,
                                   "; comment\n# comment\n"
                                   "database = \"host=/run/postgresql dbname=a # not comment\"\n"
                                   "log_level = notice # trailing comment\n",
                                   &err);
    if (!cfg)
        fail_msg("%s", err);
    assert_string_equal(cfg->daemon.database, "host=/run/postgresql dbname=a # not comment");
    assert_int_equal(cfg->daemon.log_level, LOG_NOTICE);
    config_free(cfg);
}

/*
 * The demo's config of a world whose X account has search queries with quotes and hashtags:
 * the daemon must read back exactly the queries the world lists (unquoted, " #" would start a
 * comment and a leading '"' would be refused).
 */
static void test_demo_world_queries(void **state)
{
    struct fx *f = *state;
    cJSON *world = cJSON_Parse(
        "{\"x\":{\"accounts\":[{\"user_id\":\"1588190392425373696\",\"access_token\":\"t\","
        "\"queries\":[\"(\\\"acme analytics\\\" OR #acme) -is:retweet\",\"a\\\\b;c\","
        "\"(globex OR initech) lang:en\"]}]}}");
    struct buf conf = {0}, creds = {0}, campaigns = {0};
    char *err = NULL;
    assert_non_null(world);
    demoworld_config(world, 8080, &conf, &creds, &campaigns);
    buf_puts(&creds, "[hashing]\nemail_salt = demo-salt\n");
    unit_write_file(f->dir, "creds", creds.data, 0600);
    char *text = xasprintf("[daemon]\ncredentials = %s/creds\n%s", f->dir, conf.data);
    char *path = xstrdup(unit_write_file(f->dir, "main.conf", text, 0644));
    struct config *cfg = config_load(path, 0, &err);
    if (!cfg)
        fail_msg("%s\n%s", err, conf.data);
    const struct cfg_account *a = &cfg->accounts[0];
    assert_int_equal(a->queries.n, 3);
    assert_string_equal(a->queries.items[0], "(\"acme analytics\" OR #acme) -is:retweet");
    assert_string_equal(a->queries.items[1], "a\\b;c");
    assert_string_equal(a->queries.items[2], "(globex OR initech) lang:en");
    config_free(cfg);
    cJSON_Delete(world);
    buf_free(&conf);
    buf_free(&creds);
    buf_free(&campaigns);
    free(text);
    free(path);
}

/* Replaces every "REPLACE-ME..." word of text (as an operator would with sed); caller frees. */
static char *fill_placeholders(const char *text)
{
    struct buf b = {0};
    for (const char *p = text; *p;) {
        if (strncmp(p, "REPLACE-ME", 10) == 0) {
            buf_puts(&b, "filled-in-value");
            p += strspn(p, "REPLACE-MWITHALONGRNDOS");
        } else {
            buf_append(&b, p++, 1);
        }
    }
    buf_append(&b, "", 1);
    return b.data;
}

static size_t count_lines_with(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)) != NULL; p++)
        n++;
    return n;
}

/* The shipped examples: refused with every placeholder named, accepted once filled in. */
static void test_example_placeholders(void **state)
{
    struct fx *f = *state;
    char *creds = unit_read_file("config/credentials.example", NULL);
    char *conf = unit_read_file("config/socialroi.conf.example", NULL);
    assert_non_null(creds);
    assert_non_null(conf);
    unit_write_file(f->dir, "credentials", creds, 0600);
    char *text = xasprintf("%s\n[daemon]\n", conf);
    char *at = strstr(text, "credentials = /etc/socialroi/credentials");
    assert_non_null(at);
    char *main_text = xasprintf("%.*scredentials = %s/credentials%s", (int)(at - text), text,
                                f->dir, at + strlen("credentials = /etc/socialroi/credentials"));
    char *path = xstrdup(unit_write_file(f->dir, "main.conf", main_text, 0644));
    char *err = NULL;
    assert_null(config_load(path, 0, &err));
    size_t want = count_lines_with(creds, "= REPLACE-ME");
    assert_true(want >= 5);
    assert_int_equal(count_lines_with(err, "still a placeholder"), want);
    assert_non_null(strstr(err, "credentials:21: [hashing] email_salt: still a placeholder"));
    assert_non_null(strstr(err, "[credential linkedin-acme] client_secret: still a placeholder"));
    free(err);
    char *filled = fill_placeholders(creds);
    unit_write_file(f->dir, "credentials", filled, 0600);
    struct config *cfg = config_load(path, 0, &err);
    if (!cfg)
        fail_msg("filled-in examples refused:\n%s", err);
    assert_string_equal(cfg->hashing.email_salt, "filled-in-value");
    config_free(cfg);
    free(filled);
    free(path);
    free(main_text);
    free(text);
    free(conf);
    free(creds);
}

static void expect_creds_error(struct fx *f, const char *creds, const char *needle)
{
    char *err = NULL;
    unit_write_file(f->dir, "c", creds, 0600);
    char *text = xasprintf("[daemon]\ncredentials = %s/c\n", f->dir);
    char *path = xstrdup(unit_write_file(f->dir, "m.conf", text, 0644));
    struct config *cfg = config_load(path, 0, &err);
    if (cfg)
        fail_msg("accepted:\n%s", creds);
    if (!strstr(err, needle))
        fail_msg("expected \"%s\" in:\n%s", needle, err);
    free(err);
    free(text);
    free(path);
}

static void test_placeholders_and_salt(void **state)
{
    struct fx *f = *state;
    expect_creds_error(f, "[hashing]\nemail_salt = s\n[credential a]\naccess_token = CHANGE_ME\n",
                       "c:4: [credential a] access_token: still a placeholder");
    expect_creds_error(f, "[hashing]\nemail_salt = s\n[credential a]\nclient_id = <client id>\n",
                       "c:4: [credential a] client_id: still a placeholder");
    expect_creds_error(f, "[hashing]\nemail_salt = xxxx\n", "c:2: [hashing] email_salt: still");
    expect_creds_error(f, "[credential a]\naccess_token = t0k\n",
                       "c: [hashing] email_salt: missing");
    expect_creds_error(f, "[hashing]\nemail_salt =\n", "c:2: [hashing] email_salt: must not be");
    char *err = NULL;
    struct config *cfg = load_text(f, "", &err);
    assert_non_null(cfg);
    assert_string_equal(cfg->hashing.email_salt, "unit-salt");
    config_free(cfg);
    /* the tools that skip the credentials need no salt */
    char *path = xstrdup(unit_write_file(f->dir, "m.conf", "[daemon]\n", 0644));
    unit_write_file(f->dir, "creds", "", 0600);
    cfg = config_load(path, CONFIG_NO_CREDENTIALS, &err);
    assert_non_null(cfg);
    config_free(cfg);
    free(path);
}

static void test_currency_required(void **state)
{
    struct fx *f = *state;
    expect_error(f, "[account a]\nplatform = linkedin\nid = 1\nad_account = 2\ncredential = c1\n",
                 "main.conf:3: [account a] currency: missing: an ads account");
    expect_error(f,
                 "[account a]\nplatform = pinterest\nid = u\ncredential = c1\n"
                 "streams = pinterest.ad_analytics\n",
                 "main.conf:3: [account a] currency: missing");
    expect_error(f, "[account h]\nplatform = hubspot\nid = 9\ncredential = c1\n",
                 "main.conf:3: [account h] currency: missing: deals");
    expect_error(f, "[account h]\nplatform = hubspot\nid = 9\ncredential = c1\ncurrency = $\n",
                 "[account h] currency: must be a three-letter ISO 4217 code");
    char *err = NULL;
    struct config *cfg = load_text(f,
                                   "[account h]\nplatform = hubspot\nid = 9\ncredential = c1\n"
                                   "currency = EUR\n[account x]\nplatform = x\nid = 1\n"
                                   "credential = c1\n[account fb]\nplatform = facebook\nid = 1\n"
                                   "credential = c1\nstreams = facebook.posts\n",
                                   &err);
    if (!cfg)
        fail_msg("%s", err);
    config_free(cfg);
}

static void test_restart_keys_kept(void **state)
{
    struct fx *f = *state;
    char *err = NULL;
    struct config *a = load_text(f, "http_listen = 127.0.0.1:1000\nlog_level = info\n", &err);
    struct config *b = load_text(f, "http_listen = 127.0.0.1:2000\nlog_level = debug\n", &err);
    assert_non_null(a);
    assert_non_null(b);
    config_keep_restart_keys(a, b);
    assert_string_equal(b->daemon.http_listen, "127.0.0.1:1000"); /* restart-only */
    assert_int_equal(b->daemon.log_level, LOG_DEBUG);             /* reloadable */
    config_free(a);
    config_free(b);
}

struct doc_check {
    const char *readme;
    int missing;
};

static void check_documented(const char *section, const char *key, void *arg)
{
    struct doc_check *d = arg;
    char needle[128];
    snprintf(needle, sizeof needle, "| `%s` |", key);
    if (!strstr(d->readme, needle)) {
        print_error("README.md does not document [%s] %s\n", section, key);
        d->missing++;
    }
}

static void test_readme_documents_every_key(void **state)
{
    (void)state;
    struct doc_check d = {unit_read_file("README.md", NULL), 0};
    assert_non_null(d.readme);
    config_each_key(check_documented, &d);
    assert_int_equal(d.missing, 0);
    free((char *)d.readme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_examples_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(test_campaign_example, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defaults_and_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_competitors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api_versions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_streams_by_default, setup, teardown),
        cmocka_unit_test_setup_teardown(test_errors_name_file_and_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_member_account, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listening_budget, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credentials_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credentials_directory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_secret_values_never_echoed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alert_destinations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_includes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile_input_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quoting_and_comments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_world_queries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_example_placeholders, setup, teardown),
        cmocka_unit_test_setup_teardown(test_placeholders_and_salt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_currency_required, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart_keys_kept, setup, teardown),
        cmocka_unit_test(test_readme_documents_every_key),
    };
    log_set_level(LOG_CRIT); /* keep reload warnings out of the TAP stream */
    return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
