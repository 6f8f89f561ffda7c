/*
 * config_keys.c - the key tables and typed values of the config files (see config.h).
 *
 * The key tables below are the single source of truth for every key: its type, its default
 * (as text, parsed by the same code as the file, so a default can never be of the wrong type),
 * whether a reload applies it or only a restart, and one line of help. This file also turns a
 * value into its typed field, frees them, compares them on reload and describes the keys;
 * config.c reads the files and checks what a key alone cannot.
 */
#include "config_int.h"
#include "campaign.h"
#include "ini.h"
#include "log.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- value checks ---------------------------------------------------------------------- */

static const char *check_currency(const char *v)
{
    return money_currency_valid(v) ? NULL : "must be a three-letter ISO 4217 code such as USD";
}

static const char *check_url(const char *v)
{
    if (strncmp(v, "http://", 7) != 0 && strncmp(v, "https://", 8) != 0)
        return "must start with http:// or https://";
    if (v[strlen(v) - 1] == '/')
        return "must not end with /";
    return NULL;
}

static const char *check_listen(const char *v)
{
    if (strcmp(v, "off") == 0)
        return NULL;
    const char *colon = strrchr(v, ':');
    if (!colon || colon == v)
        return "must be ADDRESS:PORT (e.g. 127.0.0.1:9464) or off";
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535 || end == colon + 1)
        return "port must be 0..65535";
    return NULL;
}

static const char *check_timezone(const char *v)
{
    if (!*v)
        return NULL;
    if (strstr(v, "..") || v[0] == '/')
        return "must be an IANA time zone name such as Europe/Berlin";
    char path[512];
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", v);
    if (access(path, R_OK) != 0)
        return "unknown IANA time zone (not in /usr/share/zoneinfo)";
    return NULL;
}

/* Whole seconds (claim_job takes seconds) from 1s to a day. */
static const char *check_lease(const char *v)
{
    int64_t ms;
    return time_parse_duration(v, &ms) == 0 && ms >= 1000 && ms <= 86400000 && ms % 1000 == 0
               ? NULL
               : "must be whole seconds from 1s to 1d, e.g. 10m";
}

/* A price per post: a plain non-negative decimal, exact in micro-units (at most six places). */
static const char *check_price(const char *v)
{
    size_t digits = strspn(v, "0123456789"), frac = 0;
    if (v[digits] == '.')
        frac = strspn(v + digits + 1, "0123456789");
    bool whole = v[digits + (v[digits] == '.' ? 1 + frac : 0)] == '\0';
    return digits + frac > 0 && digits <= 12 && frac <= 6 && whole
               ? NULL
               : "must be a decimal amount with at most six places, e.g. 0.005";
}

/* At least 100ms: the outbox is a database read per destination. */
static const char *check_poll(const char *v)
{
    int64_t ms;
    return time_parse_duration(v, &ms) == 0 && ms >= 100 ? NULL
                                                         : "must be a duration of at least 100ms";
}

/* A webhook (http, https) or an SMTP server (smtp, smtps); never echoed: it may hold a token. */
static const char *check_alert_url(const char *v)
{
    static const char *const schemes[] = {"http://", "https://", "smtp://", "smtps://"};
    for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
        if (strncmp(v, schemes[i], strlen(schemes[i])) == 0 && v[strlen(schemes[i])] != '\0')
            return NULL;
    return "must be a webhook URL (http:// or https://) or an SMTP server (smtp:// or smtps://)";
}

static const char *check_alert_format(const char *v)
{
    return strcmp(v, "json") == 0 || strcmp(v, "slack") == 0 ? NULL : "must be json or slack";
}

static const char *check_severity(const char *v)
{
    return strcmp(v, "info") == 0 || strcmp(v, "warning") == 0 || strcmp(v, "critical") == 0
               ? NULL
               : "must be info, warning or critical";
}

static const char *check_path(const char *v)
{
    return v[0] == '/' || !*v ? NULL : "must be an absolute path";
}

/*
 * The example credentials file's placeholder (REPLACE-ME...) and the other forms people type.
 * A secret left like this passes every syntax check and only fails later, at the platform, as
 * an authentication error on the first poll; refusing it here names the file:line instead.
 */
bool config_is_placeholder(const char *v)
{
    static const char *const marks[] = {"replace-me", "replace_me", "replaceme",
                                        "change-me",  "change_me",  "changeme"};
    size_t n = strlen(v);
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (strcasestr(v, marks[i]))
            return true;
    if (n >= 2 && v[0] == '<' && v[n - 1] == '>')
        return true;
    return (n >= 3 && strspn(v, "xX") == n) || strcmp(v, "...") == 0 || strcasecmp(v, "todo") == 0;
}

/* ---- key tables ------------------------------------------------------------------------ */

#define D(f) offsetof(struct cfg_daemon, f)
static const struct key_def daemon_keys[] = {
    {"database", T_STR, D(database), "", F_RESTART, 0, 0, NULL,
     "libpq conninfo of the socialroi database; empty uses PGHOST, PGDATABASE, ..."},
    {"reporting_currency", T_STR, D(reporting_currency), "USD", 0, 0, 0, check_currency,
     "currency every report converts into"},
    {"http_listen", T_STR, D(http_listen), "127.0.0.1:9464", F_RESTART, 0, 0, check_listen,
     "address:port of the /healthz and /metrics listener, or off"},
    {"log_level", T_LOGLEVEL, D(log_level), "info", 0, 0, 0, NULL,
     "crit, err, warning, notice, info or debug"},
    {"credentials", T_STR, D(credentials), "/etc/socialroi/credentials", 0, 0, 0, check_path,
     "credentials file (mode 0600); $CREDENTIALS_DIRECTORY/credentials wins when set"},
    {"state_dir", T_STR, D(state_dir), "/var/lib/socialroi", F_RESTART, 0, 0, check_path,
     "directory for rotated OAuth tokens"},
    {"shutdown_timeout", T_DURATION, D(shutdown_timeout_ms), "30s", 0, 0, 0, NULL,
     "how long SIGTERM waits for in-flight work before exiting"},
    {"reconnect_max", T_DURATION, D(reconnect_max_ms), "1m", 0, 0, 0, NULL,
     "longest wait between database reconnect attempts"},
    {"max_inflight", T_INT, D(max_inflight), "16", 0, 1, 1000, NULL,
     "most HTTP requests in flight across all platforms"},
    {"writers", T_INT, D(writers), "1", F_RESTART, 1, CFG_WRITERS_MAX, NULL,
     "database connections that write fetched pages (jobs spread over them by id)"},
    {"lease", T_DURATION, D(lease_ms), "10m", 0, 0, 0, check_lease,
     "how long a job's lease lasts; renewed while a run waits, so a crash frees it after this"},
    {"attribution_half_life", T_DURATION, D(half_life_ms), "7d", 0, 0, 0, NULL,
     "half-life of a touch's credit in the time_decay model"},
    {"rollup_interval", T_DURATION, D(rollup_interval_ms), "30s", 0, 0, 0, NULL,
     "how often the rollup job recomputes what new facts made dirty"},
    {"alert_poll", T_DURATION, D(alert_poll_ms), "10s", 0, 0, 0, check_poll,
     "how often the alert outbox is read for the [alert NAME] destinations"},
};
#undef D

#define P(f) offsetof(struct cfg_platform, f)
static const struct key_def platform_keys[] = {
    {"api_base", T_STR, P(api_base), NULL, 0, 0, 0, check_url,
     "base URL of the platform API (point it at socialroi-sim for tests)"},
    {"api_base2", T_STR, P(api_base2), NULL, 0, 0, 0, check_url,
     "second base URL where a platform has two hosts (YouTube Analytics)"},
    {"token_url", T_STR, P(token_url), NULL, 0, 0, 0, check_url, "OAuth token endpoint"},
    {"version", T_STR, P(version), NULL, 0, 0, 0, NULL,
     "pinned API version: Graph API vNN.0 (facebook pages, instagram), LinkedIn-Version YYYYMM"},
    {"ads_version", T_STR, P(ads_version), NULL, 0, 0, 0, NULL,
     "Marketing API version vNN.0 of facebook.ads_insights and facebook.leads (facebook only)"},
    {"version_sunset", T_DATE, P(version_sunset), NULL, 0, 0, 0, NULL,
     "sunset day of version, YYYY-MM-DD, when it differs from socialroi's table"},
    {"ads_version_sunset", T_DATE, P(ads_version_sunset), NULL, 0, 0, 0, NULL,
     "sunset day of ads_version, YYYY-MM-DD, when it differs from socialroi's table"},
    {"max_inflight", T_INT, P(max_inflight), "4", 0, 1, 100, NULL,
     "most requests in flight to this platform"},
    {"timeout", T_DURATION, P(timeout_ms), "60s", 0, 0, 0, NULL, "whole-request timeout"},
    {"connect_timeout", T_DURATION, P(connect_timeout_ms), "10s", 0, 0, 0, NULL,
     "TCP and TLS connect timeout"},
    {"max_body_kb", T_INT, P(max_body_kb), "32768", 0, 16, 1048576, NULL,
     "largest response body accepted, in KiB"},
    {"requests_per_second", T_INT, P(requests_per_second), NULL, 0, 0, 1000, NULL,
     "most requests per second per credential (hubspot 5, others unpaced)"},
    {"usage_pause", T_DURATION, P(usage_pause_ms), "5m", 0, 0, 0, NULL,
     "pause when usage headers report 95 % of the budget used (a tenth of it above 80 %)"},
};
#undef P

#define A(f) offsetof(struct cfg_account, f)
static const struct key_def account_keys[] = {
    {"platform", T_STR, A(platform), NULL, F_REQUIRED, 0, 0, NULL,
     "x, facebook, instagram, linkedin, youtube, pinterest or hubspot"},
    {"id", T_STR, A(id), NULL, F_REQUIRED, 0, 0, NULL,
     "the platform's id of the account (user, page, organization, channel, portal)"},
    {"ad_account", T_STR, A(ad_account), NULL, 0, 0, 0, NULL, "ad account id for ads streams"},
    {"credential", T_STR, A(credential), NULL, F_REQUIRED, 0, 0, NULL,
     "name of a [credential NAME] section in the credentials file"},
    {"streams", T_LIST, A(streams), NULL, 0, 0, 0, NULL,
     "streams to poll (default: every stream of the platform)"},
    {"forms", T_LIST, A(forms), NULL, 0, 0, 0, NULL, "lead form ids (facebook.leads)"},
    {"queries", T_LIST, A(queries), NULL, 0, 0, 0, NULL, "the brand's search queries (x.mentions)"},
    {"competitors", T_LIST, A(competitors), NULL, 0, 0, 0, NULL,
     "competitors' search queries as NAME=QUERY, NAME up to the first = (x.mentions)"},
    {"interval", T_DURATION, A(interval_ms), NULL, 0, 0, 0, NULL,
     "poll interval for every stream (default: per stream)"},
    {"lookback", T_DURATION, A(lookback_ms), NULL, 0, 0, 0, NULL,
     "trailing window re-polled for restated data (default: per stream)"},
    {"backfill", T_DURATION, A(backfill_ms), "30d", 0, 0, 0, NULL,
     "how far back the first run of each stream reaches"},
    {"currency", T_STR, A(currency), "", 0, 0, 0, NULL,
     "account currency; required for ads accounts and HubSpot"},
    {"timezone", T_STR, A(timezone), "", 0, 0, 0, check_timezone,
     "account time zone (ads day boundaries), IANA name"},
    {"x_posts_per_day", T_INT, A(x_posts_per_day), "0", 0, 0, 1000000000, NULL,
     "most posts X bills the search for per UTC day (x.mentions); 0 = no cap"},
    {"x_posts_per_month", T_INT, A(x_posts_per_month), "0", 0, 0, 1000000000, NULL,
     "most posts X bills the search for per calendar month (UTC); 0 = no cap"},
    {"x_price_per_post", T_STR, A(x_price_per_post), "0.005", 0, 0, 0, check_price,
     "price of a post read, in the account currency, for cost figures"},
    {"member", T_BOOL, A(member), "no", 0, 0, 0, NULL,
     "yes: a LinkedIn member's own posts (linkedin.member_posts), id the person id"},
    {"enabled", T_BOOL, A(enabled), "yes", 0, 0, 0, NULL, "set to no to stop polling"},
};
#undef A

#define C(f) offsetof(struct cfg_campaign, f)
static const struct key_def campaign_keys[] = {
    {"title", T_STR, C(title), "", 0, 0, 0, NULL, "display title (default: the section name)"},
    {"start", T_DATE, C(start), NULL, F_REQUIRED, 0, 0, NULL, "first day, YYYY-MM-DD"},
    {"end", T_DATE, C(end), NULL, 0, 0, 0, NULL, "last day, YYYY-MM-DD (default: open)"},
    {"budget", T_MONEY, C(budget), NULL, 0, 0, 0, NULL, "total budget, e.g. 12000.00 USD"},
    {"spend", T_LIST, C(spend), NULL, 0, 0, 0, NULL,
     "configured spend: AMOUNT CUR over FROM..TO | monthly FROM..TO | on DAY"},
    {"link", T_LIST, C(link), NULL, 0, 0, 0, NULL, "platform ad campaigns, as platform:id"},
    {"utm_campaign", T_LIST, C(utm_campaign), NULL, 0, 0, 0, NULL, "utm_campaign values"},
    {"content", T_LIST, C(content), NULL, 0, 0, 0, NULL, "content, as platform:id"},
};
#undef C

#define K(f) offsetof(struct cfg_credential, f)
static const struct key_def cred_keys[] = {
    {"access_token", T_STR, K(access_token), "", F_SECRET, 0, 0, NULL, "bearer access token"},
    {"refresh_token", T_STR, K(refresh_token), "", F_SECRET, 0, 0, NULL, "OAuth refresh token"},
    {"client_id", T_STR, K(client_id), "", 0, 0, 0, NULL, "OAuth client id"},
    {"client_secret", T_STR, K(client_secret), "", F_SECRET, 0, 0, NULL, "OAuth client secret"},
    {"expires_at", T_INT, K(expires_at), "0", 0, 0, 4102444800L, NULL,
     "access token expiry, epoch seconds (0 = unknown)"},
    {"password", T_STR, K(password), "", F_SECRET, 0, 0, NULL,
     "password of an SMTP login ([alert NAME] credential)"},
};
#undef K

static const struct key_def hashing_keys[] = {
    {"email_salt", T_STR, offsetof(struct cfg_hashing, email_salt), "", F_SECRET, 0, 0, NULL,
     "salt of every lead e-mail hash (forms and CRM alike); keep it secret and stable"},
};

#define L(f) offsetof(struct cfg_alert, f)
static const struct key_def alert_keys[] = {
    {"url", T_STR, L(url), NULL, F_REQUIRED | F_SECRET, 0, 0, check_alert_url,
     "webhook URL (http, https) or SMTP server (smtp, smtps); logged as scheme://host only"},
    {"format", T_STR, L(format), "json", 0, 0, 0, check_alert_format,
     "webhooks: json (socialroi's own) or slack (a Slack incoming webhook's text and blocks)"},
    {"from", T_STR, L(from), "", 0, 0, 0, NULL, "e-mail: the sender address (required)"},
    {"to", T_LIST, L(to), NULL, 0, 0, 0, NULL, "e-mail: recipient addresses (required)"},
    {"user", T_STR, L(user), "", 0, 0, 0, NULL, "e-mail: SMTP login name, if the server wants one"},
    {"credential", T_STR, L(credential), "", 0, 0, 0, NULL,
     "e-mail: [credential NAME] in the credentials file whose password the login uses"},
    {"starttls", T_BOOL, L(starttls), "yes", 0, 0, 0, NULL,
     "e-mail over smtp://: require STARTTLS (smtps:// is TLS from the start)"},
    {"kinds", T_LIST, L(kinds), NULL, 0, 0, 0, NULL, "alert kinds sent (default: every kind)"},
    {"min_severity", T_STR, L(min_severity), "warning", 0, 0, 0, check_severity,
     "lowest severity sent: info, warning or critical"},
    {"resolved", T_BOOL, L(resolved), "yes", 0, 0, 0, NULL, "send resolutions too"},
    {"max_age", T_DURATION, L(max_age_ms), "24h", 0, 0, 0, NULL,
     "an event older than this is not sent (nor retried any longer)"},
    {"backoff_min", T_DURATION, L(backoff_min_ms), "10s", 0, 0, 0, NULL,
     "wait after a first failed attempt; doubled after each further one"},
    {"backoff_max", T_DURATION, L(backoff_max_ms), "1h", 0, 0, 0, NULL,
     "longest wait between attempts"},
    {"timeout", T_DURATION, L(timeout_ms), "30s", 0, 0, 0, NULL, "one attempt's time limit"},
    {"enabled", T_BOOL, L(enabled), "yes", 0, 0, 0, NULL, "set to no to stop sending here"},
};
#undef L

#define SEC(kind, named, keys)                                                                     \
    {                                                                                              \
        kind, named, keys, sizeof keys / sizeof keys[0]                                            \
    }
const struct section_def config_sections[SEC_COUNT] = {
    [SEC_NONE] = {"", false, NULL, 0},
    [SEC_DAEMON] = SEC("daemon", false, daemon_keys),
    [SEC_PLATFORM] = SEC("platform", true, platform_keys),
    [SEC_ACCOUNT] = SEC("account", true, account_keys),
    [SEC_CAMPAIGN] = SEC("campaign", true, campaign_keys),
    [SEC_FX] = {"fx", false, NULL, 0},
    [SEC_CRED] = SEC("credential", true, cred_keys),
    [SEC_HASHING] = SEC("hashing", false, hashing_keys),
    [SEC_ALERT] = SEC("alert", true, alert_keys),
};
#undef SEC

_Static_assert(offsetof(struct cfg_account, name) == 0,
               "named config_sections start with their name");
_Static_assert(offsetof(struct cfg_campaign, name) == 0,
               "named config_sections start with their name");
_Static_assert(offsetof(struct cfg_alert, name) == 0,
               "named config_sections start with their name");
_Static_assert(offsetof(struct cfg_credential, name) == 0,
               "named config_sections start with their name");

/* ---- typed values ---------------------------------------------------------------------- */

void config_list_add(struct cfg_list *l, const char *item, struct cfg_where w)
{
    size_t cap = l->cap;
    l->items = xgrow(l->items, &cap, l->n + 1, sizeof *l->items);
    l->where = xgrow(l->where, &l->cap, l->n + 1, sizeof *l->where);
    l->items[l->n] = xstrdup(item);
    l->where[l->n++] = w;
}

static void list_free(struct cfg_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    free(l->where);
    memset(l, 0, sizeof *l);
}

static const char *parse_bool(const char *v, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1"};
    static const char *const no[] = {"no", "false", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = true, NULL;
        if (strcasecmp(v, no[i]) == 0)
            return *out = false, NULL;
    }
    return "must be yes or no";
}

static const char *parse_int(const struct key_def *k, const char *v, long *out)
{
    static char why[96];
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (!*v || *end || errno)
        return "must be a whole number";
    if (n < k->min || n > k->max) {
        snprintf(why, sizeof why, "must be between %ld and %ld", k->min, k->max);
        return why;
    }
    *out = n;
    return NULL;
}

static void split_list(struct cfg_list *l, const char *v, struct cfg_where w)
{
    char *copy = xstrdup(v), *save = NULL;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (isspace((unsigned char)*tok))
            tok++;
        char *e = tok + strlen(tok);
        while (e > tok && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (*tok)
            config_list_add(l, tok, w);
    }
    free(copy);
}

/* Stores v into the field; returns NULL or why it is not a valid value. */
const char *config_set_value(const struct key_def *k, void *obj, const char *v, struct cfg_where w)
{
    void *f = (char *)obj + k->off;
    switch (k->type) {
    case T_STR:
        free(*(char **)f);
        *(char **)f = xstrdup(v);
        return NULL;
    case T_INT: {
        long n = 0;
        const char *why = parse_int(k, v, &n);
        if (!why)
            *(long *)f = n;
        return why;
    }
    case T_BOOL:
        return parse_bool(v, (bool *)f);
    case T_DURATION:
        return time_parse_duration(v, (int64_t *)f) == 0
                   ? NULL
                   : "must be a duration with a unit, e.g. 500ms, 30s, 15m, 1h, 30d";
    case T_MONEY:
        return money_parse(v, (struct money *)f) == 0
                   ? NULL
                   : "must be an amount and a currency, e.g. 12000.00 USD";
    case T_DATE:
        return time_parse_date(v, (int32_t *)f) == 0 ? NULL : "must be a date, YYYY-MM-DD";
    case T_LIST:
        split_list((struct cfg_list *)f, v, w);
        return NULL;
    case T_LOGLEVEL:
        return log_level_parse(v, (int *)f) == 0
                   ? NULL
                   : "must be crit, err, warning, notice, info or debug";
    }
    return "unknown type";
}

static void set_unset(const struct key_def *k, void *obj)
{
    void *f = (char *)obj + k->off;
    switch (k->type) {
    case T_STR:
        *(char **)f = xstrdup("");
        break;
    case T_DURATION:
        *(int64_t *)f = CFG_UNSET_MS;
        break;
    case T_DATE:
        *(int32_t *)f = CFG_UNSET_DATE;
        break;
    default:
        break; /* zero from calloc */
    }
}

void config_apply_defaults(enum section_kind kind, void *obj)
{
    const struct section_def *sd = &config_sections[kind];
    struct cfg_where none = {"(default)", 0};
    for (size_t i = 0; i < sd->nkeys; i++) {
        const struct key_def *k = &sd->keys[i];
        if (k->def) {
            if (config_set_value(k, obj, k->def, none) != NULL)
                abort(); /* a default of the wrong type is a bug the unit tests catch */
        } else {
            set_unset(k, obj);
        }
    }
}

/* ---- free ------------------------------------------------------------------------------ */

static void wipe_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

static void free_fields(enum section_kind kind, void *obj)
{
    const struct section_def *sd = &config_sections[kind];
    for (size_t i = 0; i < sd->nkeys; i++) {
        const struct key_def *k = &sd->keys[i];
        void *f = (char *)obj + k->off;
        if (k->type == T_STR) {
            if (k->flags & F_SECRET)
                wipe_free(*(char **)f);
            else
                free(*(char **)f);
            *(char **)f = NULL;
        } else if (k->type == T_LIST) {
            list_free((struct cfg_list *)f);
        }
    }
}

void config_free(struct config *cfg)
{
    if (!cfg)
        return;
    free_fields(SEC_DAEMON, &cfg->daemon);
    free_fields(SEC_HASHING, &cfg->hashing);
    for (int i = 0; i < PLATFORM_COUNT; i++)
        free_fields(SEC_PLATFORM, &cfg->platforms[i]);
    for (size_t i = 0; i < cfg->naccounts; i++) {
        free_fields(SEC_ACCOUNT, &cfg->accounts[i]);
        free(cfg->accounts[i].name);
    }
    for (size_t i = 0; i < cfg->ncampaigns; i++) {
        free_fields(SEC_CAMPAIGN, &cfg->campaigns[i]);
        free(cfg->campaigns[i].name);
    }
    for (size_t i = 0; i < cfg->ncredentials; i++) {
        free_fields(SEC_CRED, &cfg->credentials[i]);
        free(cfg->credentials[i].name);
    }
    for (size_t i = 0; i < cfg->nalerts; i++) {
        free_fields(SEC_ALERT, &cfg->alerts[i]);
        free(cfg->alerts[i].name);
    }
    for (size_t i = 0; i < cfg->nfx; i++)
        free(cfg->fx[i].rate);
    for (size_t i = 0; i < cfg->nfiles; i++)
        free(cfg->files[i]);
    free(cfg->accounts);
    free(cfg->campaigns);
    free(cfg->credentials);
    free(cfg->alerts);
    free(cfg->fx);
    free(cfg->fx_csv);
    free(cfg->files);
    free(cfg->path);
    free(cfg->credentials_path);
    free(cfg);
}

static bool same_value(const struct key_def *k, const void *a, const void *b)
{
    const void *fa = (const char *)a + k->off, *fb = (const char *)b + k->off;
    switch (k->type) {
    case T_STR:
        return strcmp(*(char *const *)fa, *(char *const *)fb) == 0;
    case T_INT:
        return *(const long *)fa == *(const long *)fb;
    case T_BOOL:
        return *(const bool *)fa == *(const bool *)fb;
    case T_DURATION:
        return *(const int64_t *)fa == *(const int64_t *)fb;
    case T_LOGLEVEL:
        return *(const int *)fa == *(const int *)fb;
    default:
        return true; /* restart-only keys are scalars */
    }
}

void config_keep_restart_keys(const struct config *old, struct config *new_cfg)
{
    for (size_t i = 0; i < sizeof daemon_keys / sizeof daemon_keys[0]; i++) {
        const struct key_def *k = &daemon_keys[i];
        if (!(k->flags & F_RESTART) || same_value(k, &old->daemon, &new_cfg->daemon))
            continue;
        log_warn("config: [daemon] %s changed; it takes effect at the next restart", k->name);
        void *fn = (char *)&new_cfg->daemon + k->off;
        const void *fo = (const char *)&old->daemon + k->off;
        if (k->type == T_STR) {
            free(*(char **)fn);
            *(char **)fn = xstrdup(*(char *const *)fo);
        } else if (k->type == T_DURATION) {
            *(int64_t *)fn = *(const int64_t *)fo;
        } else if (k->type == T_INT) {
            *(long *)fn = *(const long *)fo;
        }
    }
}

static const char *const type_names[] = {
    [T_STR] = "string",  [T_INT] = "integer", [T_BOOL] = "yes/no", [T_DURATION] = "duration",
    [T_MONEY] = "money", [T_DATE] = "date",   [T_LIST] = "list",   [T_LOGLEVEL] = "level",
};

void config_each_key(void (*fn)(const char *section, const char *key, void *arg), void *arg)
{
    for (size_t s = 1; s < sizeof config_sections / sizeof config_sections[0]; s++)
        for (size_t i = 0; i < config_sections[s].nkeys; i++)
            fn(config_sections[s].kind, config_sections[s].keys[i].name, arg);
}

void config_describe(FILE *fp)
{
    fprintf(fp, "| section | key | type | default | reload | meaning |\n");
    fprintf(fp, "|---|---|---|---|---|---|\n");
    for (size_t s = 1; s < sizeof config_sections / sizeof config_sections[0]; s++) {
        for (size_t i = 0; i < config_sections[s].nkeys; i++) {
            const struct key_def *k = &config_sections[s].keys[i];
            fprintf(fp, "| `[%s%s]` | `%s` | %s | %s | %s | %s |\n", config_sections[s].kind,
                    config_sections[s].named ? " NAME" : "", k->name, type_names[k->type],
                    k->flags & F_REQUIRED ? "required"
                    : k->def && *k->def   ? k->def
                                          : "-",
                    k->flags & F_RESTART ? "restart" : "yes", k->help);
        }
    }
}
