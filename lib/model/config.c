/*
 * config.c - reading and checking the config files (see config.h).
 *
 * Syntax comes from ini.c and every key's type, default and reload behaviour from the key
 * tables of config_keys.c; this file collects the sections of the file and the credentials
 * file, turns entries into typed fields through the tables, and checks what a key alone cannot
 * (an account's platform and streams, a credential that must exist, a campaign's dates).
 */
#include "config_int.h"
#include "apiversion.h"
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

/* ---- load state ------------------------------------------------------------------------ */

/* Objects are named by (kind, index): named config_sections live in arrays that move as they grow.
 */
struct seen {
    enum section_kind kind;
    size_t idx;
    const struct key_def *key;
    struct cfg_where where;
};

struct load {
    struct config *cfg;
    bool credentials_file; /* parsing the credentials file: only [credential] config_sections */
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
    const struct section_def *sd = &config_sections[ld->kind];
    if (sd->named)
        snprintf(buf, len, "[%s %s]", sd->kind, ld->obj_name);
    else
        snprintf(buf, len, "[%s]", sd->kind);
    return buf;
}

/* ---- config_sections --------------------------------------------------------------------------
 */

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
    case SEC_ALERT:
        for (size_t i = 0; i < c->nalerts; i++)
            if (strcmp(c->alerts[i].name, name) == 0)
                return *where = &c->alerts[i].where, &c->alerts[i];
        break;
    default:
        break;
    }
    return NULL;
}

/*
 * Named config_sections live in arrays that grow, so ld->obj stays valid only until the next
 * section opens (keys always arrive before that); anything kept longer names the object by index.
 */
static void *new_named(struct load *ld, enum section_kind kind, const char *name,
                       struct cfg_where w, size_t *idx)
{
    struct config *c = ld->cfg;
    void *obj = NULL;
    *idx = kind == SEC_ACCOUNT    ? c->naccounts
           : kind == SEC_CAMPAIGN ? c->ncampaigns
           : kind == SEC_ALERT    ? c->nalerts
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
    case SEC_ALERT:
        c->alerts = xgrow(c->alerts, &c->alerts_cap, c->nalerts + 1, sizeof *c->alerts);
        obj = memset(&c->alerts[c->nalerts], 0, sizeof *c->alerts);
        c->alerts[c->nalerts].name = xstrdup(name);
        c->alerts[c->nalerts++].where = w;
        break;
    default:
        return NULL;
    }
    config_apply_defaults(kind, obj);
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
    for (size_t i = 1; i < SEC_COUNT; i++)
        if (strcmp(config_sections[i].kind, kind) == 0)
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
    if (config_sections[k].named != (*name != '\0')) {
        add_error(ld, pos->file, pos->line, "[%s] %s", kind,
                  config_sections[k].named ? "needs a name: [kind NAME]" : "takes no name");
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
    bool named = ld->kind == SEC_ACCOUNT || ld->kind == SEC_CAMPAIGN || ld->kind == SEC_CRED ||
                 ld->kind == SEC_ALERT;
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
    const struct key_def *k = find_key(&config_sections[ld->kind], key, &hint);
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
        why = config_set_value(k, ld->obj, value, w);
    if (why) {
        if (k->flags & F_SECRET)
            add_error(ld, w.file, w.line, "%s %s: %s", label, key, why);
        else
            add_error(ld, w.file, w.line, "%s %s: \"%s\" %s", label, key, value, why);
        return;
    }
    if (k->type != T_LIST && (k->flags & F_REQUIRED) && !*value)
        add_error(ld, w.file, w.line, "%s %s: must not be empty", label, key);
    if (ld->credentials_file && k->type == T_STR && config_is_placeholder(value))
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
    const struct section_def *sd = &config_sections[kind];
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
                config_list_add(&a->streams, name, a->where);
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

/* Trims s in place; returns its first non-blank byte. */
static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/*
 * competitors: each item NAME=QUERY, split at the first '=' (X queries hold ':' '(' '"' '#' and
 * may hold '=' in a url: operator, names never do), both trimmed and the item rewritten so;
 * only X searches. A query is searched once: the same text twice in queries and competitors
 * would store its mentions under one of two labels.
 */
static void check_account_competitors(struct load *ld, struct cfg_account *a)
{
    struct cfg_list *l = &a->competitors;
    for (size_t i = 0; i < l->n; i++) {
        const char *file = l->where[i].file;
        int line = l->where[i].line;
        char *eq = strchr(l->items[i], '=');
        if (a->platform_id != PLATFORM_X) {
            add_error(ld, file, line, "[account %s] competitors: only X accounts search mentions",
                      a->name);
            return;
        }
        if (!eq) {
            add_error(ld, file, line,
                      "[account %s] competitors: \"%s\" is not NAME=QUERY (e.g. "
                      "globex=globex lang:en)",
                      a->name, l->items[i]);
            continue;
        }
        *eq = '\0';
        char *name = trim(l->items[i]), *query = trim(eq + 1);
        bool bad_name = !*name || strlen(name) > 64;
        for (const char *p = name; *p; p++)
            bad_name |= iscntrl((unsigned char)*p) != 0;
        if (bad_name)
            add_error(ld, file, line,
                      "[account %s] competitors: the name before = must be 1 to 64 printable "
                      "bytes",
                      a->name);
        if (!*query)
            add_error(ld, file, line, "[account %s] competitors: %s has an empty query", a->name,
                      *name ? name : "(no name)");
        char *item = xasprintf("%s=%s", name, query);
        free(l->items[i]);
        l->items[i] = item;
    }
    size_t n = config_search_count(a);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++) {
            const char *qi = config_search_query(a, i, NULL, NULL),
                       *qj = config_search_query(a, j, NULL, NULL);
            if (*qi && strcmp(qi, qj) == 0) {
                const struct cfg_where *w =
                    i < a->queries.n ? &a->queries.where[i] : &l->where[i - a->queries.n];
                add_error(ld, w->file, w->line,
                          "[account %s] queries, competitors: \"%s\" is listed twice (a post is "
                          "stored under one query, brand or competitor)",
                          a->name, qi);
            }
        }
}

size_t config_search_count(const struct cfg_account *a)
{
    return a->queries.n + a->competitors.n;
}

const char *config_search_query(const struct cfg_account *a, size_t i, const char **competitor,
                                size_t *competitor_len)
{
    const char *name = NULL, *q;
    size_t len = 0;
    if (i < a->queries.n) {
        q = a->queries.items[i];
    } else {
        name = a->competitors.items[i - a->queries.n];
        const char *eq = strchr(name, '=');
        len = eq ? (size_t)(eq - name) : 0;
        q = eq ? eq + 1 : "";
    }
    if (competitor)
        *competitor = name;
    if (competitor_len)
        *competitor_len = len;
    return q;
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
        if (a->platform_id != PLATFORM_X && (a->x_posts_per_day || a->x_posts_per_month))
            add_error(ld, a->where.file, a->where.line,
                      "[account %s] x_posts_per_day, x_posts_per_month: only X accounts have a "
                      "listening budget",
                      a->name);
        if (a->platform_id != PLATFORM_LINKEDIN && a->member)
            add_error(ld, a->where.file, a->where.line,
                      "[account %s] member: only LinkedIn accounts can be a member's own", a->name);
        check_account_streams(ld, a);
        check_account_competitors(ld, a);
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
        if (i == PLATFORM_FACEBOOK && !*p->ads_version) {
            free(p->ads_version);
            p->ads_version = xstrdup(apiver_default(API_META_MARKETING));
        } else if (i != PLATFORM_FACEBOOK && *p->ads_version) {
            add_error(ld, p->where.file, p->where.line,
                      "[platform %s] ads_version: only facebook has ads streams on a version of "
                      "their own",
                      pi->name);
        }
    }
}

/*
 * [alert NAME]: the url's scheme says webhook or e-mail, and each has keys the other has not.
 * The SMTP password comes from the credentials file, so it is checked only when that was read.
 */
static void check_alert(struct load *ld, struct cfg_alert *al, bool have_credentials)
{
    const char *n = al->name;
    const struct cfg_where *w;
    al->via = strncmp(al->url, "smtp", 4) == 0 ? CFG_ALERT_SMTP : CFG_ALERT_WEBHOOK;
    if (al->via == CFG_ALERT_SMTP) {
        if (!*al->from)
            add_error(ld, al->where.file, al->where.line,
                      "[alert %s] from: missing: e-mail needs a sender address", n);
        else if (!strchr(al->from, '@') || strpbrk(al->from, "<>\r\n "))
            add_error(ld, al->where.file, al->where.line,
                      "[alert %s] from: \"%s\" is not an e-mail address", n, al->from);
        if (al->to.n == 0)
            add_error(ld, al->where.file, al->where.line,
                      "[alert %s] to: missing: e-mail needs at least one recipient", n);
        for (size_t i = 0; i < al->to.n; i++)
            if (!strchr(al->to.items[i], '@') || strpbrk(al->to.items[i], "<>\r\n "))
                add_error(ld, al->to.where[i].file, al->to.where[i].line,
                          "[alert %s] to: \"%s\" is not an e-mail address", n, al->to.items[i]);
        if ((w = set_at(ld, SEC_ALERT, (size_t)(al - ld->cfg->alerts), "format")))
            add_error(ld, w->file, w->line, "[alert %s] format: only webhooks have a format", n);
        if (*al->credential && !*al->user)
            add_error(ld, al->where.file, al->where.line,
                      "[alert %s] credential: a password needs a user to log in as", n);
        if (*al->credential && have_credentials) {
            const struct cfg_credential *cr = config_credential(ld->cfg, al->credential);
            if (!cr || !*cr->password)
                add_error(ld, al->where.file, al->where.line,
                          "[alert %s] credential: no [credential %s] with a password in %s", n,
                          al->credential,
                          ld->cfg->credentials_path ? ld->cfg->credentials_path
                                                    : ld->cfg->daemon.credentials);
            else
                al->password = cr->password;
        }
    } else {
        static const char *const mail_keys[] = {"from", "user", "credential", "starttls"};
        if (al->to.n) /* a list: its items carry where they were set */
            add_error(ld, al->to.where[0].file, al->to.where[0].line,
                      "[alert %s] to: only e-mail (smtp:// or smtps://) has this key", n);
        for (size_t i = 0; i < sizeof mail_keys / sizeof mail_keys[0]; i++)
            if ((w = set_at(ld, SEC_ALERT, (size_t)(al - ld->cfg->alerts), mail_keys[i])))
                add_error(ld, w->file, w->line,
                          "[alert %s] %s: only e-mail (smtp:// or smtps://) has this key", n,
                          mail_keys[i]);
    }
    if (al->backoff_min_ms < 100 || al->backoff_max_ms < al->backoff_min_ms)
        add_error(ld, al->where.file, al->where.line,
                  "[alert %s] backoff_min, backoff_max: need 100ms <= backoff_min <= backoff_max",
                  n);
    if (al->timeout_ms < 1000)
        add_error(ld, al->where.file, al->where.line, "[alert %s] timeout: at least 1s", n);
}

static void check_alerts(struct load *ld, bool have_credentials)
{
    for (size_t i = 0; i < ld->cfg->nalerts; i++) {
        struct cfg_alert *al = &ld->cfg->alerts[i];
        check_required(ld, SEC_ALERT, i, al->name, al->where);
        if (*al->url)
            check_alert(ld, al, have_credentials);
    }
}

/* ---- credentials ----------------------------------------------------------------------- */

/* A disabled account is not polled, so it may name a credential that does not exist yet. */
static bool accounts_need_credentials(const struct config *c)
{
    for (size_t i = 0; i < c->naccounts; i++)
        if (c->accounts[i].enabled && *c->accounts[i].credential)
            return true;
    for (size_t i = 0; i < c->nalerts; i++)
        if (*c->alerts[i].credential)
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
    c->alerts = shrink(c->alerts, &c->alerts_cap, c->nalerts, sizeof *c->alerts);
    for (size_t i = 0; i < c->naccounts; i++) {
        shrink_list(&c->accounts[i].streams);
        shrink_list(&c->accounts[i].forms);
        shrink_list(&c->accounts[i].queries);
        shrink_list(&c->accounts[i].competitors);
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
    config_apply_defaults(SEC_DAEMON, &c->daemon);
    config_apply_defaults(SEC_HASHING, &c->hashing);
    for (int i = 0; i < PLATFORM_COUNT; i++)
        config_apply_defaults(SEC_PLATFORM, &c->platforms[i]);
    ini_parse_file(path, &h, &ld);
    fill_platform_defaults(&ld);
    bool have_credentials = !(flags & CONFIG_NO_CREDENTIALS) && load_credentials(&ld);
    check_hashing(&ld);
    check_accounts(&ld, have_credentials);
    check_campaigns(&ld);
    check_alerts(&ld, have_credentials);
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
