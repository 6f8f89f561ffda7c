/*
 * config.c - key table, typed values and validation for the config files (see config.h).
 *
 * The key tables below are the single source of truth for every key: its type, its default
 * (as text, parsed by the same code as the file, so a default can never be of the wrong type),
 * whether a reload applies it or only a restart, and one line of help. Syntax comes from ini.c;
 * this file turns entries into typed fields and checks what a key alone cannot (an account's
 * platform and streams, a credential that must exist, a campaign's dates).
 */
#include "config.h"
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

enum key_type { T_STR, T_INT, T_BOOL, T_DURATION, T_MONEY, T_DATE, T_LIST, T_LOGLEVEL };

enum {
    F_RESTART = 1 << 0,  /* read at start only; a reload keeps the old value */
    F_REQUIRED = 1 << 1, /* must be set in the file */
    F_SECRET = 1 << 2,   /* value never appears in messages */
};

typedef const char *check_fn(const char *value);

struct key_def {
    const char *name;
    enum key_type type;
    size_t off;
    const char *def; /* default as text; NULL = unset */
    unsigned flags;
    long min, max; /* T_INT bounds */
    check_fn *check;
    const char *help;
};

enum section_kind {
    SEC_NONE,
    SEC_DAEMON,
    SEC_PLATFORM,
    SEC_ACCOUNT,
    SEC_CAMPAIGN,
    SEC_FX,
    SEC_CRED,
    SEC_HASHING
};

struct section_def {
    const char *kind;
    bool named;
    const struct key_def *keys;
    size_t nkeys;
};

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

static const char *check_path(const char *v)
{
    return v[0] == '/' || !*v ? NULL : "must be an absolute path";
}

/*
 * The example credentials file's placeholder (REPLACE-ME...) and the other forms people type.
 * A secret left like this passes every syntax check and only fails later, at the platform, as
 * an authentication error on the first poll; refusing it here names the file:line instead.
 */
static bool is_placeholder(const char *v)
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
     "pinned API version (Graph vNN.0, LinkedIn-Version YYYYMM)"},
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
    {"queries", T_LIST, A(queries), NULL, 0, 0, 0, NULL, "search queries (x.mentions)"},
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
};
#undef K

static const struct key_def hashing_keys[] = {
    {"email_salt", T_STR, offsetof(struct cfg_hashing, email_salt), "", F_SECRET, 0, 0, NULL,
     "salt of every lead e-mail hash (forms and CRM alike); keep it secret and stable"},
};

#define SEC(kind, named, keys)                                                                     \
    {                                                                                              \
        kind, named, keys, sizeof keys / sizeof keys[0]                                            \
    }
static const struct section_def sections[] = {
    [SEC_NONE] = {"", false, NULL, 0},
    [SEC_DAEMON] = SEC("daemon", false, daemon_keys),
    [SEC_PLATFORM] = SEC("platform", true, platform_keys),
    [SEC_ACCOUNT] = SEC("account", true, account_keys),
    [SEC_CAMPAIGN] = SEC("campaign", true, campaign_keys),
    [SEC_FX] = {"fx", false, NULL, 0},
    [SEC_CRED] = SEC("credential", true, cred_keys),
    [SEC_HASHING] = SEC("hashing", false, hashing_keys),
};
#undef SEC

_Static_assert(offsetof(struct cfg_account, name) == 0, "named sections start with their name");
_Static_assert(offsetof(struct cfg_campaign, name) == 0, "named sections start with their name");
_Static_assert(offsetof(struct cfg_credential, name) == 0, "named sections start with their name");

/* ---- load state ------------------------------------------------------------------------ */

/* Objects are named by (kind, index): named sections live in arrays that move as they grow. */
struct seen {
    enum section_kind kind;
    size_t idx;
    const struct key_def *key;
    struct cfg_where where;
};

struct load {
    struct config *cfg;
    bool credentials_file; /* parsing the credentials file: only [credential] sections */
    bool credentials_read; /* a credentials file was found and parsed */
    enum section_kind kind;
    void *obj;
    size_t obj_idx;
    const char *obj_name;
    struct seen *seen;
    size_t nseen, seen_cap;
    char *errors;
    size_t errlen;
    int nerrors;
};

static const char *intern_file(struct config *cfg, const char *file)
{
    for (size_t i = 0; i < cfg->nfiles; i++)
        if (strcmp(cfg->files[i], file) == 0)
            return cfg->files[i];
    cfg->files = xgrow(cfg->files, &cfg->files_cap, cfg->nfiles + 1, sizeof *cfg->files);
    cfg->files[cfg->nfiles] = xstrdup(file);
    return cfg->files[cfg->nfiles++];
}

static void add_error(struct load *ld, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_error(struct load *ld, const char *file, int line, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *entry =
        line > 0 ? xasprintf("%s:%d: %s\n", file, line, msg) : xasprintf("%s: %s\n", file, msg);
    size_t n = strlen(entry);
    ld->errors = xrealloc(ld->errors, ld->errlen + n + 1);
    memcpy(ld->errors + ld->errlen, entry, n + 1);
    ld->errlen += n;
    ld->nerrors++;
    free(entry);
}

static const char *section_label(struct load *ld, char *buf, size_t len)
{
    const struct section_def *sd = &sections[ld->kind];
    if (sd->named)
        snprintf(buf, len, "[%s %s]", sd->kind, ld->obj_name);
    else
        snprintf(buf, len, "[%s]", sd->kind);
    return buf;
}

/* ---- typed values ---------------------------------------------------------------------- */

static void list_add(struct cfg_list *l, const char *item, struct cfg_where w)
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
            list_add(l, tok, w);
    }
    free(copy);
}

/* Stores v into the field; returns NULL or why it is not a valid value. */
static const char *set_value(const struct key_def *k, void *obj, const char *v, struct cfg_where w)
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

static void apply_defaults(enum section_kind kind, void *obj)
{
    const struct section_def *sd = &sections[kind];
    struct cfg_where none = {"(default)", 0};
    for (size_t i = 0; i < sd->nkeys; i++) {
        const struct key_def *k = &sd->keys[i];
        if (k->def) {
            if (set_value(k, obj, k->def, none) != NULL)
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
    const struct section_def *sd = &sections[kind];
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
    for (size_t i = 0; i < cfg->nfx; i++)
        free(cfg->fx[i].rate);
    for (size_t i = 0; i < cfg->nfiles; i++)
        free(cfg->files[i]);
    free(cfg->accounts);
    free(cfg->campaigns);
    free(cfg->credentials);
    free(cfg->fx);
    free(cfg->fx_csv);
    free(cfg->files);
    free(cfg->path);
    free(cfg->credentials_path);
    free(cfg);
}

/* ---- sections -------------------------------------------------------------------------- */

static void *find_named(struct load *ld, enum section_kind kind, const char *name,
                        struct cfg_where **where)
{
    struct config *c = ld->cfg;
    switch (kind) {
    case SEC_ACCOUNT:
        for (size_t i = 0; i < c->naccounts; i++)
            if (strcmp(c->accounts[i].name, name) == 0)
                return *where = &c->accounts[i].where, &c->accounts[i];
        break;
    case SEC_CAMPAIGN:
        for (size_t i = 0; i < c->ncampaigns; i++)
            if (strcmp(c->campaigns[i].name, name) == 0)
                return *where = &c->campaigns[i].where, &c->campaigns[i];
        break;
    case SEC_CRED:
        for (size_t i = 0; i < c->ncredentials; i++)
            if (strcmp(c->credentials[i].name, name) == 0)
                return *where = &c->credentials[i].where, &c->credentials[i];
        break;
    default:
        break;
    }
    return NULL;
}

/*
 * Named sections live in arrays that grow, so ld->obj stays valid only until the next section
 * opens (keys always arrive before that); anything kept longer names the object by index.
 */
static void *new_named(struct load *ld, enum section_kind kind, const char *name,
                       struct cfg_where w, size_t *idx)
{
    struct config *c = ld->cfg;
    void *obj = NULL;
    *idx = kind == SEC_ACCOUNT    ? c->naccounts
           : kind == SEC_CAMPAIGN ? c->ncampaigns
                                  : c->ncredentials;
    switch (kind) {
    case SEC_ACCOUNT:
        c->accounts = xgrow(c->accounts, &c->accounts_cap, c->naccounts + 1, sizeof *c->accounts);
        obj = memset(&c->accounts[c->naccounts], 0, sizeof *c->accounts);
        c->accounts[c->naccounts].name = xstrdup(name);
        c->accounts[c->naccounts++].where = w;
        break;
    case SEC_CAMPAIGN:
        c->campaigns =
            xgrow(c->campaigns, &c->campaigns_cap, c->ncampaigns + 1, sizeof *c->campaigns);
        obj = memset(&c->campaigns[c->ncampaigns], 0, sizeof *c->campaigns);
        c->campaigns[c->ncampaigns].name = xstrdup(name);
        c->campaigns[c->ncampaigns++].where = w;
        break;
    case SEC_CRED:
        c->credentials =
            xgrow(c->credentials, &c->credentials_cap, c->ncredentials + 1, sizeof *c->credentials);
        obj = memset(&c->credentials[c->ncredentials], 0, sizeof *c->credentials);
        c->credentials[c->ncredentials].name = xstrdup(name);
        c->credentials[c->ncredentials++].where = w;
        break;
    default:
        return NULL;
    }
    apply_defaults(kind, obj);
    return obj;
}

static int open_platform(struct load *ld, const struct ini_pos *pos, const char *name)
{
    enum platform_id id;
    if (platform_lookup(name, &id) < 0) {
        add_error(ld, pos->file, pos->line,
                  "[platform %s]: unknown platform (x, facebook, instagram, linkedin, youtube, "
                  "pinterest, hubspot)",
                  name);
        return -1;
    }
    struct cfg_platform *p = &ld->cfg->platforms[id];
    if (p->defined) {
        add_error(ld, pos->file, pos->line, "[platform %s]: duplicate section (first at %s:%d)",
                  name, p->where.file, p->where.line);
        return -1;
    }
    p->defined = true;
    p->where = (struct cfg_where){intern_file(ld->cfg, pos->file), pos->line};
    ld->obj = p;
    ld->obj_idx = (size_t)id;
    ld->obj_name = platform_info(id)->name;
    return 0;
}

static enum section_kind kind_lookup(const char *kind)
{
    for (size_t i = 1; i < sizeof sections / sizeof sections[0]; i++)
        if (strcmp(sections[i].kind, kind) == 0)
            return (enum section_kind)i;
    return SEC_NONE;
}

static int on_section(void *arg, const struct ini_pos *pos, const char *kind, const char *name)
{
    struct load *ld = arg;
    enum section_kind k = kind_lookup(kind);
    ld->kind = SEC_NONE;
    ld->obj = NULL;
    bool secret_section = k == SEC_CRED || k == SEC_HASHING;
    if (k == SEC_NONE || ld->credentials_file != secret_section) {
        add_error(ld, pos->file, pos->line, "unknown section [%s]%s", kind,
                  ld->credentials_file
                      ? " (the credentials file holds [credential NAME] and [hashing])"
                      : "");
        return -1;
    }
    if (sections[k].named != (*name != '\0')) {
        add_error(ld, pos->file, pos->line, "[%s] %s", kind,
                  sections[k].named ? "needs a name: [kind NAME]" : "takes no name");
        return -1;
    }
    ld->kind = k;
    ld->obj_name = ""; /* set below to a copy that outlives the parser's line buffer */
    ld->obj_idx = 0;
    struct cfg_where w = {intern_file(ld->cfg, pos->file), pos->line};
    if (k == SEC_DAEMON) {
        ld->obj = &ld->cfg->daemon;
    } else if (k == SEC_HASHING) {
        ld->obj = &ld->cfg->hashing;
    } else if (k == SEC_FX) {
        ld->obj = ld->cfg;
    } else if (k == SEC_PLATFORM) {
        if (open_platform(ld, pos, name) < 0)
            return ld->kind = SEC_NONE, -1;
    } else {
        struct cfg_where *first;
        if (find_named(ld, k, name, &first)) {
            add_error(ld, pos->file, pos->line, "[%s %s]: duplicate section (first at %s:%d)", kind,
                      name, first->file, first->line);
            ld->kind = SEC_NONE;
            return -1;
        }
        ld->obj = new_named(ld, k, name, w, &ld->obj_idx);
        ld->obj_name = *(char **)ld->obj; /* name is the first field of every named section */
    }
    return 0;
}

static void on_fx_key(struct load *ld, struct cfg_where w, const char *key, const char *value)
{
    struct config *c = ld->cfg;
    int64_t micros;
    if (strcmp(key, "csv") == 0) {
        free(c->fx_csv);
        c->fx_csv = xstrdup(value);
        return;
    }
    if (!money_currency_valid(key)) {
        add_error(ld, w.file, w.line,
                  "[fx] %s: keys are currency codes (EUR = 1.0842) or csv = PATH", key);
        return;
    }
    if (money_parse_decimal(value, strlen(value), &micros) < 0 || micros <= 0) {
        add_error(ld, w.file, w.line, "[fx] %s: rate must be a positive decimal number", key);
        return;
    }
    for (size_t i = 0; i < c->nfx; i++) {
        if (strcmp(c->fx[i].currency, key) == 0) {
            add_error(ld, w.file, w.line, "[fx] %s: duplicate key (first at %s:%d)", key,
                      c->fx[i].where.file, c->fx[i].where.line);
            return;
        }
    }
    c->fx = xgrow(c->fx, &c->fx_cap, c->nfx + 1, sizeof *c->fx);
    memcpy(c->fx[c->nfx].currency, key, 4);
    c->fx[c->nfx].rate = xstrdup(value);
    c->fx[c->nfx++].where = w;
}

/* Levenshtein distance, capped: for "did you mean" hints on typos. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];
    if (la >= 63 || lb >= 63)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
    }
    return prev[lb];
}

static const struct key_def *find_key(const struct section_def *sd, const char *key,
                                      const char **hint)
{
    size_t best = 3;
    *hint = NULL;
    for (size_t i = 0; i < sd->nkeys; i++) {
        if (strcmp(sd->keys[i].name, key) == 0)
            return &sd->keys[i];
        size_t d = edit_distance(key, sd->keys[i].name);
        if (d < best) {
            best = d;
            *hint = sd->keys[i].name;
        }
    }
    return NULL;
}

static bool check_duplicate(struct load *ld, const struct key_def *k, struct cfg_where w)
{
    /* A named section is never reopened, so its keys are the last ones seen: with thousands
     * of accounts, looking further back would make loading quadratic. */
    bool named = ld->kind == SEC_ACCOUNT || ld->kind == SEC_CAMPAIGN || ld->kind == SEC_CRED;
    for (size_t i = ld->nseen; i-- > 0;) {
        struct seen *s = &ld->seen[i];
        bool same = s->kind == ld->kind && s->idx == ld->obj_idx;
        if (named && !same)
            break;
        if (same && s->key == k) {
            char label[160];
            add_error(ld, w.file, w.line, "%s %s: duplicate key (first at %s:%d)",
                      section_label(ld, label, sizeof label), k->name, s->where.file,
                      s->where.line);
            return true;
        }
    }
    ld->seen = xgrow(ld->seen, &ld->seen_cap, ld->nseen + 1, sizeof *ld->seen);
    ld->seen[ld->nseen++] = (struct seen){ld->kind, ld->obj_idx, k, w};
    return false;
}

static void on_key(void *arg, const struct ini_pos *pos, const char *key, const char *value)
{
    struct load *ld = arg;
    struct cfg_where w = {intern_file(ld->cfg, pos->file), pos->line};
    char label[160];
    const char *hint, *why;
    if (ld->kind == SEC_NONE) {
        add_error(ld, w.file, w.line, "%s: key outside a section", key);
        return;
    }
    if (ld->kind == SEC_FX) {
        on_fx_key(ld, w, key, value);
        return;
    }
    const struct key_def *k = find_key(&sections[ld->kind], key, &hint);
    section_label(ld, label, sizeof label);
    if (!k) {
        add_error(ld, w.file, w.line, "%s %s: unknown key%s%s%s", label, key,
                  hint ? " (did you mean " : "", hint ? hint : "", hint ? "?)" : "");
        return;
    }
    if (k->type != T_LIST && check_duplicate(ld, k, w))
        return;
    why = k->check ? k->check(value) : NULL;
    if (!why)
        why = set_value(k, ld->obj, value, w);
    if (why) {
        if (k->flags & F_SECRET)
            add_error(ld, w.file, w.line, "%s %s: %s", label, key, why);
        else
            add_error(ld, w.file, w.line, "%s %s: \"%s\" %s", label, key, value, why);
        return;
    }
    if (k->type != T_LIST && (k->flags & F_REQUIRED) && !*value)
        add_error(ld, w.file, w.line, "%s %s: must not be empty", label, key);
    if (ld->credentials_file && k->type == T_STR && is_placeholder(value))
        add_error(ld, w.file, w.line, "%s %s: still a placeholder; put the real value here", label,
                  key);
}

static void on_error(void *arg, const struct ini_pos *pos, const char *msg)
{
    struct load *ld = arg;
    add_error(ld, pos->file, pos->line, "%s", msg);
}

/* ---- semantic checks ------------------------------------------------------------------- */

/* Where the key was set in the files, or NULL when it was not. */
static const struct cfg_where *set_at(struct load *ld, enum section_kind kind, size_t idx,
                                      const char *key)
{
    for (size_t i = 0; i < ld->nseen; i++)
        if (ld->seen[i].kind == kind && ld->seen[i].idx == idx &&
            strcmp(ld->seen[i].key->name, key) == 0)
            return &ld->seen[i].where;
    return NULL;
}

static bool was_set(struct load *ld, enum section_kind kind, size_t idx, const char *key)
{
    return set_at(ld, kind, idx, key) != NULL;
}

static void check_required(struct load *ld, enum section_kind kind, size_t idx, const char *name,
                           struct cfg_where w)
{
    const struct section_def *sd = &sections[kind];
    for (size_t i = 0; i < sd->nkeys; i++) {
        if ((sd->keys[i].flags & F_REQUIRED) && !was_set(ld, kind, idx, sd->keys[i].name))
            add_error(ld, w.file, w.line, "[%s %s]: missing required key %s", sd->kind, name,
                      sd->keys[i].name);
    }
}

static void check_account_streams(struct load *ld, struct cfg_account *a)
{
    for (size_t i = 0; i < a->streams.n; i++) {
        enum platform_id p;
        if (stream_platform(a->streams.items[i], &p) != 0 || p != a->platform_id)
            add_error(ld, a->streams.where[i].file, a->streams.where[i].line,
                      "[account %s] streams: \"%s\" is not a %s stream", a->name,
                      a->streams.items[i], a->platform);
    }
    if (a->streams.n == 0) {
        enum platform_id p;
        const char *name;
        for (size_t i = 0; (name = stream_name_at(i, &p)) != NULL; i++)
            if (p == a->platform_id)
                list_add(&a->streams, name, a->where);
    }
}

/* Ads streams (facebook.ads_insights, linkedin.ad_analytics, pinterest.ad_analytics) are the
 * ones named ".ad_" or ".ads_"; only the streams listed in the file count, not the defaults. */
static bool lists_ads_stream(const struct cfg_account *a)
{
    for (size_t i = 0; i < a->streams.n; i++)
        if (strstr(a->streams.items[i], ".ad_") || strstr(a->streams.items[i], ".ads_"))
            return true;
    return false;
}

/*
 * LinkedIn and Pinterest report spend only in the account's configured currency, Meta falls
 * back to it for rows without account_currency, and HubSpot deals without deal_currency_code
 * are in it: without one those rows fail or lose their money at ingest, long after -n said yes.
 */
static void check_account_currency(struct load *ld, const struct cfg_account *a)
{
    const char *why = NULL;
    if (a->currency[0] && !money_currency_valid(a->currency))
        why = "must be a three-letter ISO 4217 code";
    else if (!a->currency[0] && (*a->ad_account || lists_ads_stream(a)))
        why = "missing: an ads account needs the currency its spend is billed in (e.g. USD)";
    else if (!a->currency[0] && a->platform_id == PLATFORM_HUBSPOT)
        why = "missing: deals without a currency of their own are in the portal's currency "
              "(e.g. USD)";
    if (why)
        add_error(ld, a->where.file, a->where.line, "[account %s] currency: %s", a->name, why);
}

static void check_accounts(struct load *ld, bool have_credentials)
{
    struct config *c = ld->cfg;
    for (size_t i = 0; i < c->naccounts; i++) {
        struct cfg_account *a = &c->accounts[i];
        check_required(ld, SEC_ACCOUNT, i, a->name, a->where);
        if (!*a->platform)
            continue;
        if (platform_lookup(a->platform, &a->platform_id) < 0) {
            add_error(ld, a->where.file, a->where.line, "[account %s] platform: unknown \"%s\"",
                      a->name, a->platform);
            continue;
        }
        check_account_currency(ld, a); /* before the default streams are filled in */
        check_account_streams(ld, a);
        if (a->enabled && have_credentials && !config_credential(c, a->credential))
            add_error(ld, a->where.file, a->where.line,
                      "[account %s] credential: no [credential %s] in %s", a->name, a->credential,
                      c->credentials_path);
    }
}

/* Spend lines and platform references are checked here so -n names their file:line. */
static void check_campaign_lists(struct load *ld, const struct cfg_campaign *cp)
{
    const char *why, *id;
    enum platform_id p;
    struct spend_line sl;
    for (size_t i = 0; i < cp->spend.n; i++)
        if (campaign_parse_spend(cp->spend.items[i], &sl, &why) < 0)
            add_error(ld, cp->spend.where[i].file, cp->spend.where[i].line,
                      "[campaign %s] spend: \"%s\" %s", cp->name, cp->spend.items[i], why);
    const struct cfg_list *refs[2] = {&cp->link, &cp->content};
    const char *names[2] = {"link", "content"};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < refs[k]->n; i++)
            if (campaign_parse_ref(refs[k]->items[i], &p, &id, &why) < 0)
                add_error(ld, refs[k]->where[i].file, refs[k]->where[i].line,
                          "[campaign %s] %s: \"%s\" %s", cp->name, names[k], refs[k]->items[i],
                          why);
}

static void check_campaigns(struct load *ld)
{
    struct config *c = ld->cfg;
    for (size_t i = 0; i < c->ncampaigns; i++) {
        struct cfg_campaign *cp = &c->campaigns[i];
        check_required(ld, SEC_CAMPAIGN, i, cp->name, cp->where);
        if (!*cp->title) {
            free(cp->title);
            cp->title = xstrdup(cp->name);
        }
        if (cp->start != CFG_UNSET_DATE && cp->end != CFG_UNSET_DATE && cp->end < cp->start)
            add_error(ld, cp->where.file, cp->where.line,
                      "[campaign %s] end: ends before it starts", cp->name);
        check_campaign_lists(ld, cp);
    }
}

static void fill_platform_defaults(struct load *ld)
{
    struct config *c = ld->cfg;
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        const struct platform_info *pi = platform_info((enum platform_id)i);
        struct cfg_platform *p = &c->platforms[i];
        if (!was_set(ld, SEC_PLATFORM, (size_t)i, "requests_per_second"))
            p->requests_per_second = pi->requests_per_second;
        if (!*p->api_base) {
            free(p->api_base);
            p->api_base = xstrdup(pi->api_base);
        }
        if (!*p->api_base2) {
            free(p->api_base2);
            p->api_base2 = xstrdup(pi->api_base2 ? pi->api_base2 : p->api_base);
        }
        if (!*p->token_url) {
            free(p->token_url);
            p->token_url = xstrdup(pi->token_url);
        }
        if (!*p->version) {
            free(p->version);
            p->version = xstrdup(pi->version);
        }
    }
}

/* ---- credentials ----------------------------------------------------------------------- */

/* A disabled account is not polled, so it may name a credential that does not exist yet. */
static bool accounts_need_credentials(const struct config *c)
{
    for (size_t i = 0; i < c->naccounts; i++)
        if (c->accounts[i].enabled && *c->accounts[i].credential)
            return true;
    return false;
}

/* Returns true when credentials were read (or there was nothing to read). */
static bool load_credentials(struct load *ld)
{
    struct config *c = ld->cfg;
    const char *dir = getenv("CREDENTIALS_DIRECTORY");
    struct stat st;
    c->credentials_path =
        dir && *dir ? xasprintf("%s/credentials", dir) : xstrdup(c->daemon.credentials);
    if (stat(c->credentials_path, &st) < 0) {
        if (errno == ENOENT && !accounts_need_credentials(c)) {
            free(c->credentials_path);
            c->credentials_path = NULL; /* nothing was read */
            return true;
        }
        add_error(ld, c->credentials_path, 0, "credentials file: %s", strerror(errno));
        return false;
    }
    if (!S_ISREG(st.st_mode)) {
        add_error(ld, c->credentials_path, 0, "credentials file: not a regular file");
        return false;
    }
    if (st.st_mode & 077) {
        add_error(ld, c->credentials_path, 0,
                  "credentials file is readable or writable by group or others (mode %04o); "
                  "refusing it: chmod 600 %s",
                  (unsigned)(st.st_mode & 07777), c->credentials_path);
        return false;
    }
    /* Under the shipped unit the service user reads the file itself, on start and reload. */
    if (access(c->credentials_path, R_OK) < 0) {
        add_error(ld, c->credentials_path, 0,
                  "credentials file: %s; the user socialroid runs as (uid %u) must own it: "
                  "chown that user and chmod 600 it",
                  strerror(errno), (unsigned)geteuid());
        return false;
    }
    static const struct ini_handler h = {on_section, on_key, on_error, false};
    ld->credentials_file = true;
    ld->kind = SEC_NONE;
    int before = ld->nerrors;
    ini_parse_file(c->credentials_path, &h, ld);
    ld->credentials_file = false;
    ld->credentials_read = true;
    return ld->nerrors == before;
}

/* An empty salt would hash every e-mail unsalted, and changing it later breaks every join. */
static void check_hashing(struct load *ld)
{
    const struct cfg_where *w = set_at(ld, SEC_HASHING, 0, "email_salt");
    if (!ld->credentials_read || *ld->cfg->hashing.email_salt)
        return;
    if (w)
        add_error(ld, w->file, w->line, "[hashing] email_salt: must not be empty");
    else
        add_error(ld, ld->cfg->credentials_path, 0,
                  "[hashing] email_salt: missing; add a [hashing] section with a long random "
                  "email_salt");
}

/* ---- public ---------------------------------------------------------------------------- */

/* Gives back the spare room of an array grown by doubling (n items kept). */
static void *shrink(void *p, size_t *cap, size_t n, size_t size)
{
    if (n == 0 || *cap == n)
        return p;
    *cap = n;
    return xrealloc(p, n * size);
}

static void shrink_list(struct cfg_list *l)
{
    size_t cap = l->cap;
    l->items = shrink(l->items, &cap, l->n, sizeof *l->items);
    l->where = shrink(l->where, &l->cap, l->n, sizeof *l->where);
}

/*
 * A loaded config lives as long as the daemon runs it: its arrays keep only their items
 * (doubling leaves up to half of each spare, and a daemon may have 10,000 accounts).
 */
static void compact(struct config *c)
{
    c->accounts = shrink(c->accounts, &c->accounts_cap, c->naccounts, sizeof *c->accounts);
    c->credentials =
        shrink(c->credentials, &c->credentials_cap, c->ncredentials, sizeof *c->credentials);
    c->campaigns = shrink(c->campaigns, &c->campaigns_cap, c->ncampaigns, sizeof *c->campaigns);
    for (size_t i = 0; i < c->naccounts; i++) {
        shrink_list(&c->accounts[i].streams);
        shrink_list(&c->accounts[i].forms);
        shrink_list(&c->accounts[i].queries);
    }
    for (size_t i = 0; i < c->ncampaigns; i++) {
        shrink_list(&c->campaigns[i].spend);
        shrink_list(&c->campaigns[i].link);
        shrink_list(&c->campaigns[i].utm_campaign);
        shrink_list(&c->campaigns[i].content);
    }
}

struct config *config_load(const char *path, unsigned flags, char **err)
{
    static const struct ini_handler h = {on_section, on_key, on_error, true};
    struct config *c = xcalloc(1, sizeof *c);
    struct load ld = {.cfg = c};
    c->path = xstrdup(path);
    apply_defaults(SEC_DAEMON, &c->daemon);
    apply_defaults(SEC_HASHING, &c->hashing);
    for (int i = 0; i < PLATFORM_COUNT; i++)
        apply_defaults(SEC_PLATFORM, &c->platforms[i]);
    ini_parse_file(path, &h, &ld);
    fill_platform_defaults(&ld);
    bool have_credentials = !(flags & CONFIG_NO_CREDENTIALS) && load_credentials(&ld);
    check_hashing(&ld);
    check_accounts(&ld, have_credentials);
    check_campaigns(&ld);
    free(ld.seen);
    if (ld.nerrors) {
        if (err)
            *err = ld.errors;
        else
            free(ld.errors);
        config_free(c);
        return NULL;
    }
    free(ld.errors);
    if (err)
        *err = NULL;
    compact(c);
    return c;
}

const struct cfg_account *config_account(const struct config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->naccounts; i++)
        if (strcmp(cfg->accounts[i].name, name) == 0)
            return &cfg->accounts[i];
    return NULL;
}

const struct cfg_credential *config_credential(const struct config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->ncredentials; i++)
        if (strcmp(cfg->credentials[i].name, name) == 0)
            return &cfg->credentials[i];
    return NULL;
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
    for (size_t s = 1; s < sizeof sections / sizeof sections[0]; s++)
        for (size_t i = 0; i < sections[s].nkeys; i++)
            fn(sections[s].kind, sections[s].keys[i].name, arg);
}

void config_describe(FILE *fp)
{
    fprintf(fp, "| section | key | type | default | reload | meaning |\n");
    fprintf(fp, "|---|---|---|---|---|---|\n");
    for (size_t s = 1; s < sizeof sections / sizeof sections[0]; s++) {
        for (size_t i = 0; i < sections[s].nkeys; i++) {
            const struct key_def *k = &sections[s].keys[i];
            fprintf(fp, "| `[%s%s]` | `%s` | %s | %s | %s | %s |\n", sections[s].kind,
                    sections[s].named ? " NAME" : "", k->name, type_names[k->type],
                    k->flags & F_REQUIRED ? "required"
                    : k->def && *k->def   ? k->def
                                          : "-",
                    k->flags & F_RESTART ? "restart" : "yes", k->help);
        }
    }
}
