/*
 * config.h - the daemon's configuration: typed, validated, swappable as a whole.
 *
 * config_load() reads the main file (with its includes) and the credentials file, checks every
 * key against the key table in config.c (type, default, reloadable or restart-only) and returns
 * a complete struct config or NULL with every error, each naming file:line and key. A reload
 * builds a new config and swaps it only if it loaded cleanly.
 *
 * struct config is a plain record (like libevent's *_struct.h): modules read its fields
 * directly and never modify it. It owns every string in it; secrets are wiped on free.
 *
 * Pure file reading; not thread-safe.
 */
#ifndef SR_CONFIG_H
#define SR_CONFIG_H

#include "money.h"
#include "platform.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CFG_UNSET_MS    (-1)
#define CFG_UNSET_DATE  INT32_MIN
#define CFG_WRITERS_MAX 4 /* [daemon] writers: database connections of the page writer */

struct cfg_where {
    const char *file; /* owned by the config */
    int line;
};

/* A list value: comma-separated and/or repeated keys, each item with its position. */
struct cfg_list {
    char **items;
    struct cfg_where *where;
    size_t n, cap;
};

struct cfg_daemon {
    char *database;           /* libpq conninfo; "" = libpq environment */
    char *reporting_currency; /* ISO 4217 */
    char *http_listen;        /* "127.0.0.1:9464" or "off" */
    int log_level;
    char *credentials; /* path of the credentials file */
    char *state_dir;   /* rotated tokens and other runtime state */
    int64_t shutdown_timeout_ms;
    int64_t reconnect_max_ms;
    long max_inflight;
    long writers;     /* connections the page writer uses */
    int64_t lease_ms; /* a job's lease in the database (whole seconds) */
    int64_t half_life_ms;
    int64_t rollup_interval_ms;
    int64_t alert_poll_ms; /* how often the alert outbox is read for delivery */
};

struct cfg_platform {
    bool defined; /* a [platform NAME] section exists */
    struct cfg_where where;
    char *api_base;
    char *api_base2;
    char *token_url;
    char *version;              /* Graph API version, LinkedIn-Version (apiversion.h) */
    char *ads_version;          /* Marketing API version of facebook's ads streams */
    int32_t version_sunset;     /* configured sunset day of version, or CFG_UNSET_DATE */
    int32_t ads_version_sunset; /* the same for ads_version */
    long max_inflight;
    int64_t timeout_ms;
    int64_t connect_timeout_ms;
    long max_body_kb;
    int64_t usage_pause_ms;
    long requests_per_second; /* 0 = no pacing */
};

struct cfg_account {
    char *name;
    struct cfg_where where;
    enum platform_id platform_id;
    char *platform;
    char *id;         /* the platform's id of the account (user, page, org, channel, portal) */
    char *ad_account; /* ad account id for ads streams, if any */
    char *credential; /* section name in the credentials file */
    struct cfg_list streams;
    struct cfg_list forms;   /* lead form ids (Meta) */
    struct cfg_list queries; /* mention search queries (X): the brand's own */
    /* competitors' search queries (X), each item "NAME=QUERY" (NAME without '=', both trimmed) */
    struct cfg_list competitors;
    int64_t interval_ms; /* CFG_UNSET_MS = each stream's default */
    int64_t lookback_ms; /* CFG_UNSET_MS = each stream's default */
    int64_t backfill_ms; /* how far the first run reaches back */
    char *currency;
    char *timezone;
    /* X listening budget (x.mentions): posts billed per UTC day and per calendar month, 0 = no
     * cap; the price of a post read, decimal text in the account currency (at most 6 places) */
    long x_posts_per_day, x_posts_per_month;
    char *x_price_per_post;
    bool member; /* a LinkedIn member's own account (linkedin.member_posts), not a page */
    bool enabled;
};

struct cfg_campaign {
    char *name;
    struct cfg_where where;
    char *title;
    int32_t start, end; /* days since epoch; CFG_UNSET_DATE when absent */
    struct money budget;
    struct cfg_list spend;
    struct cfg_list link;
    struct cfg_list utm_campaign;
    struct cfg_list content;
};

struct cfg_fx_rate {
    char currency[4];
    char *rate; /* decimal text, units of reporting currency per 1 unit of currency */
    struct cfg_where where;
};

struct cfg_credential {
    char *name;
    struct cfg_where where;
    char *access_token;
    char *refresh_token;
    char *client_id;
    char *client_secret;
    long expires_at; /* epoch seconds, 0 = unknown or never */
    char *password;  /* an SMTP login's password ([alert NAME] credential) */
};

/* An [alert NAME] section: where alert events are delivered, and which of them. */
enum cfg_alert_via { CFG_ALERT_WEBHOOK, CFG_ALERT_SMTP };

struct cfg_alert {
    char *name;
    struct cfg_where where;
    enum cfg_alert_via via; /* from the url's scheme */
    char *url;    /* secret: a webhook URL may carry a token; logged as scheme://host only */
    char *format; /* webhooks: json or slack */
    char *from;
    struct cfg_list to;
    char *user;
    char *credential; /* [credential NAME] whose password the SMTP login uses */
    bool starttls;
    struct cfg_list kinds; /* empty = every kind */
    char *min_severity;    /* info, warning or critical */
    bool resolved;
    int64_t max_age_ms;
    int64_t backoff_min_ms, backoff_max_ms;
    int64_t timeout_ms;
    bool enabled;
    const char *password; /* the credential's password (borrowed), NULL without one */
};

/* [hashing] of the credentials file: one salt for every lead e-mail hash, so the same person
 * joins across form leads and CRM contacts. */
struct cfg_hashing {
    char *email_salt;
};

struct config {
    char *path;
    char *credentials_path; /* where the credentials were read from, or NULL */
    struct cfg_daemon daemon;
    struct cfg_platform platforms[PLATFORM_COUNT];
    struct cfg_account *accounts;
    size_t naccounts;
    struct cfg_campaign *campaigns;
    size_t ncampaigns;
    struct cfg_alert *alerts;
    size_t nalerts;
    struct cfg_fx_rate *fx;
    size_t nfx;
    char *fx_csv;
    struct cfg_credential *credentials;
    size_t ncredentials;
    struct cfg_hashing hashing;
    /* private: interned file names, entry positions */
    char **files;
    size_t nfiles, files_cap;
    size_t accounts_cap, campaigns_cap, fx_cap, credentials_cap, alerts_cap;
};

/* config_load flags */
#define CONFIG_NO_CREDENTIALS 0x1 /* skip the credentials file (command-line tools) */

/*
 * Loads path and (unless flags say otherwise) its credentials. Returns a config (caller frees
 * with config_free) or NULL with *err set to one line per problem (caller frees with free()).
 */
struct config *config_load(const char *path, unsigned flags, char **err);
void config_free(struct config *cfg);

/*
 * The search queries of an account's x.mentions: its `queries` (the brand's) first, then the
 * queries of its `competitors`, in file order. i < config_search_count(a); the name is the
 * competitor's, NULL for a brand query.
 */
size_t config_search_count(const struct cfg_account *a);
const char *config_search_query(const struct cfg_account *a, size_t i, const char **competitor,
                                size_t *competitor_len);

/*
 * For a reload: copies restart-only values from old into new, logging a warning for each one
 * that the new file changed (it takes effect at the next restart).
 */
void config_keep_restart_keys(const struct config *old, struct config *new_cfg);

const struct cfg_account *config_account(const struct config *cfg, const char *name);
const struct cfg_credential *config_credential(const struct config *cfg, const char *name);

/* Writes a reference of every key (section, name, type, default, reloadable) to fp as a table. */
void config_describe(FILE *fp);

/* Calls fn for every key name the config accepts, as "section.key" (for documentation checks). */
void config_each_key(void (*fn)(const char *section, const char *key, void *arg), void *arg);

#endif
