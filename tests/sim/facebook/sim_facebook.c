/*
 * sim_facebook.c - the Meta Graph API front door of the simulator: routing, access tokens,
 * error bodies, usage headers, cursor paging, node objects and the token exchange.
 *
 * Served under /facebook, with any version segment (/facebook/v24.0/..., reference §2.1):
 *   GET /vNN.0/oauth/access_token?grant_type=fb_exchange_token&client_id=&client_secret=
 *       &fb_exchange_token=   -> {"access_token","token_type":"bearer","expires_in":5184000}
 *   GET /vNN.0/{page}, /act_{id}, /{form}, /{campaign}   node objects with fields=
 *   GET /vNN.0/{page}/insights, /posts (/feed, /published_posts), /leadgen_forms
 *   GET /vNN.0/act_{id}/insights, /campaigns;  GET /vNN.0/{form}/leads
 * The ad account, campaign and leads calls are the Marketing API: a version past the expiry
 * Meta published answers 400 (#2635) "You are calling a deprecated version of the Ads API.
 * Please update to the latest version: vNN.0."; the Graph API (pages) serves any version.
 * Tokens are accepted as "Authorization: Bearer" or access_token= (reference §0). Errors are
 * {"error":{"message","type","code","error_subcode"?,"is_transient"?,"fbtrace_id"}} (§2.7):
 * 104 without a token, 190 for an unknown token and 190/463 for an expired one, with the
 * WWW-Authenticate header Graph sends; unknown objects are GraphMethodException 100/33 and
 * unknown edges "(#100) Tried accessing nonexisting field" (§11). Every answer carries
 * X-App-Usage and, for business objects, X-Business-Use-Case-Usage as JSON strings (§2.6).
 * paging.next is a full URL that embeds access_token, so clients must scrub it (§2.5, §11).
 */
#include "sim_facebook.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "timeutil.h"
#include "xmalloc.h"

#define JSON_META "application/json; charset=UTF-8"

/* ---- answers -------------------------------------------------------------------------------- */

static void trace_id(struct fb_ctx *c, char *out)
{
    struct rng r = {mix64(c->w->seed, c->fb->requests)};
    rng_alnum(&r, out, "A", 22);
}

void fb_error(struct fb_ctx *c, int status, int code, int subcode, const char *type,
              const char *message, int transient)
{
    struct jw j;
    char trace[32];
    http_answer(c->r, status, JSON_META);
    jw_init(&j, &c->r->body, JW_ASCII);
    trace_id(c, trace);
    jw_obj(&j);
    jw_kobj(&j, "error");
    jw_kstr(&j, "message", message);
    jw_kstr(&j, "type", type);
    jw_kint(&j, "code", code);
    if (subcode)
        jw_kint(&j, "error_subcode", subcode);
    if (transient >= 0)
        jw_kbool(&j, "is_transient", transient > 0);
    jw_kstr(&j, "fbtrace_id", trace);
    jw_end(&j);
    jw_end(&j);
}

void fb_begin(struct fb_ctx *c, struct jw *j)
{
    http_answer(c->r, 200, JSON_META);
    jw_init(j, &c->r->body, JW_ASCII);
}

void fb_no_field(struct fb_ctx *c, const char *field, const char *node_type)
{
    char msg[256];
    snprintf(msg, sizeof msg, "(#100) Tried accessing nonexisting field (%.80s) on node type (%s)",
             field, node_type);
    fb_error(c, 400, 100, 0, "OAuthException", msg, -1);
}

static void unsupported_get(struct fb_ctx *c, const char *id)
{
    char msg[400];
    snprintf(msg, sizeof msg,
             "Unsupported get request. Object with ID '%.60s' does not exist, cannot be loaded "
             "due to missing permissions, or does not support this operation. Please read the "
             "Graph API documentation at https://developers.facebook.com/docs/graph-api",
             id);
    fb_error(c, 400, 100, 33, "GraphMethodException", msg, -1);
}

/* ---- fields --------------------------------------------------------------------------------- */

static void field_set(struct fb_field *f, const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    size_t name = strcspn(s, ".{(");
    if (name > n)
        name = n;
    snprintf(f->name, sizeof f->name, "%.*s", (int)name, s);
    snprintf(f->mods, sizeof f->mods, "%.*s", (int)(n - name), s + name);
}

int fb_fields_parse(const char *s, struct fb_field *out, int max)
{
    int n = 0, depth = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p == '(' || *p == '{')
            depth++;
        else if ((*p == ')' || *p == '}') && --depth < 0)
            return -1;
        if ((*p == ',' && depth == 0) || *p == '\0') {
            if (p > start) {
                if (n == max)
                    return -1;
                field_set(&out[n++], start, (size_t)(p - start));
            }
            if (*p == '\0')
                break;
            start = p + 1;
        }
    }
    return depth == 0 ? n : -1;
}

bool fb_wants(const struct fb_field *f, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(f[i].name, name) == 0)
            return true;
    return false;
}

const char *fb_unknown_field(const struct fb_field *f, int n, const char *const *known)
{
    for (int i = 0; i < n; i++) {
        const char *const *k = known;
        while (*k && strcmp(*k, f[i].name) != 0)
            k++;
        if (!*k)
            return f[i].name;
    }
    return NULL;
}

/* ---- cursors and paging --------------------------------------------------------------------- */

void fb_cursor_encode(const char *text, char *out, size_t len)
{
    char b[256];
    size_t n = strlen(text) > 180 ? 180 : strlen(text);
    b64_encode(text, n, b);
    size_t o = 0;
    for (const char *p = b; *p && o + 3 < len; p++) {
        if (*p == '=') {
            out[o++] = 'Z';
            out[o++] = 'D';
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

int fb_cursor_decode(const char *cursor, char *out, size_t len)
{
    char b[256];
    size_t n = strlen(cursor);
    if (n == 0 || n >= sizeof b)
        return -1;
    memcpy(b, cursor, n + 1);
    /* Each "=" of padding became the two characters "ZD": one or two of them at the end. */
    size_t pads = n % 4;
    if (pads == 3)
        return -1;
    for (size_t i = 0; i < pads; i++) {
        if (n < 2 || b[n - 2] != 'Z' || b[n - 1] != 'D')
            return -1;
        n -= 2;
        b[n] = '\0';
    }
    int d = b64_decode(b, (unsigned char *)out, len - 1);
    if (d <= 0)
        return -1;
    out[d] = '\0';
    return 0;
}

static bool dropped(const char *key, const char *const *drop)
{
    if (strcmp(key, "access_token") == 0)
        return true;
    for (; drop && *drop; drop++)
        if (strcmp(key, *drop) == 0)
            return true;
    return false;
}

void fb_self_url(struct fb_ctx *c, struct buf *b, const char *const *drop, const char *extra)
{
    buf_printf(b, "http://%s/facebook", http_host(c->r));
    if (c->version[0])
        buf_printf(b, "/%s", c->version);
    buf_printf(b, "/%s", c->node);
    if (c->edge[0])
        buf_printf(b, "/%s", c->edge);
    buf_puts(b, "?access_token=");
    http_urlencode(b, c->token ? c->token : "");
    for (size_t i = 0; i < c->r->nparams; i++) {
        if (dropped(c->r->params[i].key, drop))
            continue;
        buf_puts(b, "&");
        http_urlencode(b, c->r->params[i].key);
        buf_puts(b, "=");
        http_urlencode(b, c->r->params[i].val);
    }
    if (extra && *extra)
        buf_printf(b, "&%s", extra);
}

void fb_paging(struct fb_ctx *c, struct jw *j, const char *before, const char *after, bool has_prev,
               bool has_next, int limit)
{
    static const char *const drop[] = {"after", "before", "limit", NULL};
    struct buf url = {0}, extra = {0};
    jw_kobj(j, "paging");
    jw_kobj(j, "cursors");
    jw_kstr(j, "before", before);
    jw_kstr(j, "after", after);
    jw_end(j);
    if (has_prev) {
        buf_printf(&extra, "limit=%d&before=", limit);
        http_urlencode(&extra, before);
        fb_self_url(c, &url, drop, extra.data);
        jw_kstr(j, "previous", url.data);
    }
    if (has_next) {
        buf_reset(&url);
        buf_reset(&extra);
        buf_printf(&extra, "limit=%d&after=", limit);
        http_urlencode(&extra, after);
        fb_self_url(c, &url, drop, extra.data);
        jw_kstr(j, "next", url.data);
    }
    jw_end(j);
    buf_free(&url);
    buf_free(&extra);
}

/* The stored index of the item a cursor parameter names: nitems when absent, -1 if bad. */
static long cursor_item(struct fb_ctx *c, const char *param, size_t nitems, fb_id_fn *id_at)
{
    const char *v = http_param(c->r, param);
    char id[64];
    if (!v)
        return (long)nitems;
    if (fb_cursor_decode(v, id, sizeof id) == 0)
        for (size_t i = 0; i < nitems; i++)
            if (strcmp(id_at(c->fb, i), id) == 0)
                return (long)i;
    fb_error(c, 400, 100, 0, "OAuthException", "(#100) The cursor is invalid or has expired", -1);
    return -1;
}

int fb_page_select(struct fb_ctx *c, const size_t *all, size_t total, size_t nitems,
                   fb_id_fn *id_at, int limit, struct fb_page *pg)
{
    long after = cursor_item(c, "after", nitems, id_at);
    long before = after < 0 ? -1 : cursor_item(c, "before", nitems, id_at);
    size_t start = 0, end = total;
    if (after < 0 || before < 0)
        return -1;
    if (before < (long)nitems) { /* the page ends just above (newer than) `before` */
        end = 0;
        while (end < total && (long)all[end] > before)
            end++;
        start = end > (size_t)limit ? end - (size_t)limit : 0;
    } else if (after < (long)nitems) { /* the page starts just below `after` */
        while (start < total && (long)all[start] >= after)
            start++;
    }
    pg->start = start;
    pg->n = end - start < (size_t)limit ? end - start : (size_t)limit;
    pg->prev = start > 0;
    pg->next = start + pg->n < total;
    return 0;
}

void fb_page_paging(struct fb_ctx *c, struct jw *j, const struct fb_page *pg, const size_t *all,
                    fb_id_fn *id_at, int limit)
{
    char first[128], last[128];
    if (pg->n == 0)
        return;
    fb_cursor_encode(id_at(c->fb, all[pg->start]), first, sizeof first);
    fb_cursor_encode(id_at(c->fb, all[pg->start + pg->n - 1]), last, sizeof last);
    fb_paging(c, j, first, last, pg->prev, pg->next, limit);
}

/* ---- headers and parameters ----------------------------------------------------------------- */

void fb_usage_headers(struct fb_ctx *c, const char *buc_type, const char *buc_id, int pct,
                      int regain_minutes)
{
    char v[512];
    snprintf(v, sizeof v, "{\"call_count\":%d,\"total_cputime\":%d,\"total_time\":%d}", pct,
             pct / 2, pct / 2);
    http_set_header(c->r, "X-App-Usage", v);
    if (!buc_type)
        return;
    snprintf(
        v, sizeof v,
        "{\"%s\":[{\"type\":\"%s\",\"call_count\":%d,\"total_cputime\":%d,\"total_time\":%d,"
        "\"estimated_time_to_regain_access\":%d,\"ads_api_access_tier\":\"standard_access\"}]}",
        buc_id, buc_type, pct, pct / 2, pct / 2, regain_minutes);
    http_set_header(c->r, "X-Business-Use-Case-Usage", v);
}

int fb_parse_time(const char *s, int64_t *t)
{
    size_t n = strlen(s);
    int32_t day;
    int64_t us;
    if (n > 0 && n <= 12 && strspn(s, "0123456789") == n) {
        *t = strtoll(s, NULL, 10);
        return 0;
    }
    if (time_parse_date(s, &day) == 0) {
        *t = pacific_midnight(day);
        return 0;
    }
    if (json_parse_time(s, &us) == 0) {
        *t = us / 1000000;
        return 0;
    }
    return -1;
}

int fb_limit(struct fb_ctx *c, int def, int max)
{
    const char *v = http_param(c->r, "limit");
    if (!v)
        return def;
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 0) {
        fb_error(c, 400, 100, 0, "OAuthException", "(#100) Param limit must be a number", -1);
        return -1;
    }
    return n == 0 ? def : n > max ? max : (int)n;
}

/* ---- tokens --------------------------------------------------------------------------------- */

static void token_error(struct fb_ctx *c, int subcode, const char *msg)
{
    char v[300];
    fb_error(c, 400, 190, subcode, "OAuthException", msg, -1);
    snprintf(v, sizeof v, "OAuth \"Facebook Platform\" \"invalid_token\" \"%s\"", msg);
    http_set_header(c->r, "WWW-Authenticate", v);
}

static void expired_message(const struct world *w, char *out, size_t len)
{
    static const char *const wd[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int y;
    unsigned m, d;
    time_civil_from_days(w->today, &y, &m, &d);
    snprintf(out, len,
             "Error validating access token: Session has expired on %s, %02u-%s-%02d 00:00:00 "
             "PST. The current time is %s, %02u-%s-%02d 01:00:00 PST.",
             wd[((w->today + 4) % 7 + 7) % 7], d, mon[m - 1], y % 100,
             wd[((w->today + 4) % 7 + 7) % 7], d, mon[m - 1], y % 100);
}

static bool authorized(struct fb_ctx *c)
{
    char msg[256];
    c->token = http_bearer(c->r);
    if (!c->token)
        c->token = http_param(c->r, "access_token");
    if (!c->token) {
        fb_error(c, 400, 104, 0, "OAuthException",
                 "An access token is required to request this resource.", -1);
        return false;
    }
    switch (cred_check(&c->fb->cred, c->token)) {
    case CRED_VALID:
        return true;
    case CRED_EXPIRED:
    case CRED_REVOKED: /* a revoked token also reads as expired (README: "as expire_token") */
        expired_message(c->w, msg, sizeof msg);
        token_error(c, 463, msg);
        return false;
    default:
        token_error(c, 0, "Invalid OAuth access token - Cannot parse access token");
        return false;
    }
}

static void token_exchange(struct fb_ctx *c)
{
    struct fb_world *fb = c->fb;
    const char *grant = http_param(c->r, "grant_type"), *id = http_param(c->r, "client_id");
    const char *secret = http_param(c->r, "client_secret");
    const char *old = http_param(c->r, "fb_exchange_token");
    enum cred_state st;
    if (!id)
        fb_error(c, 400, 101, 0, "OAuthException", "Missing client_id parameter.", -1);
    else if (strcmp(id, fb->client_id) != 0)
        fb_error(c, 400, 101, 0, "OAuthException",
                 "Error validating application. Invalid application ID.", -1);
    else if (!secret || strcmp(secret, fb->client_secret) != 0)
        fb_error(c, 400, 1, 0, "OAuthException", "Error validating client secret.", -1);
    else if (!grant || strcmp(grant, "fb_exchange_token") != 0 || !old)
        fb_error(c, 400, 100, 0, "OAuthException",
                 "(#100) grant_type=fb_exchange_token and fb_exchange_token are required", -1);
    else if ((st = cred_check(&fb->cred, old)) == CRED_UNKNOWN)
        token_error(c, 0, "Invalid OAuth access token - Cannot parse access token");
    else if (st == CRED_REVOKED)
        token_error(c, 460,
                    "Error validating access token: The session has been invalidated because the "
                    "user changed their password or Facebook has changed the session for security "
                    "reasons.");
    else {
        struct jw j;
        cred_rotate(&fb->cred);
        fb_begin(c, &j);
        jw_obj(&j);
        jw_kstr(&j, "access_token", fb->cred.access);
        jw_kstr(&j, "token_type", "bearer");
        jw_kint(&j, "expires_in", 5184000);
        jw_end(&j);
    }
}

/* ---- node objects --------------------------------------------------------------------------- */

static bool node_fields(struct fb_ctx *c, const char *def, const char *const *known,
                        const char *type, struct fb_field *f, int *n)
{
    const char *s = http_param(c->r, "fields");
    *n = fb_fields_parse(s ? s : def, f, FB_MAX_FIELDS);
    if (*n < 0) {
        fb_error(c, 400, 100, 0, "OAuthException", "(#100) Syntax error in fields", -1);
        return false;
    }
    const char *bad = fb_unknown_field(f, *n, known);
    if (bad)
        fb_no_field(c, bad, type);
    return bad == NULL;
}

static void page_node(struct fb_ctx *c)
{
    static const char *const known[] = {"id",       "name", "followers_count", "fan_count", "link",
                                        "category", NULL};
    struct fb_field f[FB_MAX_FIELDS];
    int n;
    struct jw j;
    if (!node_fields(c, "name,id", known, "Page", f, &n))
        return;
    int64_t followers = fb_followers_at(c->fb, c->fb->ndays - 1);
    fb_begin(c, &j);
    jw_obj(&j);
    if (fb_wants(f, n, "name"))
        jw_kstr(&j, "name", c->fb->page_name);
    if (fb_wants(f, n, "followers_count"))
        jw_kint(&j, "followers_count", followers);
    if (fb_wants(f, n, "fan_count"))
        jw_kint(&j, "fan_count", followers - followers / 20);
    if (fb_wants(f, n, "link"))
        jw_kstrf(&j, "link", "https://www.facebook.com/%s", c->fb->page_id);
    if (fb_wants(f, n, "category"))
        jw_kstr(&j, "category", "Software company");
    jw_kstr(&j, "id", c->fb->page_id);
    jw_end(&j);
}

static void account_node(struct fb_ctx *c)
{
    static const char *const known[] = {
        "id",           "account_id", "name", "currency", "timezone_name", "account_status",
        "amount_spent", NULL};
    struct fb_field f[FB_MAX_FIELDS];
    int n;
    struct jw j;
    if (!node_fields(c, "id", known, "AdAccount", f, &n))
        return;
    int64_t spent = 0;
    for (int k = 0; k < FB_CAMPAIGNS; k++)
        for (int d = 0; d < c->fb->ndays; d++)
            spent += fb_adday(c->fb, k, d)->spend_micros;
    fb_begin(c, &j);
    jw_obj(&j);
    if (fb_wants(f, n, "account_id"))
        jw_kstr(&j, "account_id", c->fb->ad_account);
    if (fb_wants(f, n, "name"))
        jw_kstr(&j, "name", c->fb->account_name);
    if (fb_wants(f, n, "currency"))
        jw_kstr(&j, "currency", "USD");
    if (fb_wants(f, n, "timezone_name"))
        jw_kstr(&j, "timezone_name", "America/Los_Angeles");
    if (fb_wants(f, n, "account_status"))
        jw_kint(&j, "account_status", 1);
    if (fb_wants(f, n, "amount_spent")) /* minor units, as a string (reference §2.3) */
        jw_kstrf(&j, "amount_spent", "%lld", (long long)(spent / 10000));
    jw_kstrf(&j, "id", "act_%s", c->fb->ad_account);
    jw_end(&j);
}

static void form_object(struct fb_ctx *c, struct jw *j, const struct fb_field *f, int n)
{
    char ts[32];
    jw_obj(j);
    jw_kstr(j, "id", c->fb->form_id);
    if (fb_wants(f, n, "name"))
        jw_kstr(j, "name", c->fb->form_name);
    if (fb_wants(f, n, "status"))
        jw_kstr(j, "status", "ACTIVE");
    if (fb_wants(f, n, "locale"))
        jw_kstr(j, "locale", "en_US");
    if (fb_wants(f, n, "leads_count"))
        jw_kint(j, "leads_count", (int64_t)c->fb->nleads);
    if (fb_wants(f, n, "created_time")) {
        fmt_meta_time(day_start_utc(c->fb->first_day) - 86400 * 30 + 3723, ts, sizeof ts);
        jw_kstr(j, "created_time", ts);
    }
    jw_end(j);
}

static const char *const form_known[] = {"id",          "name",         "status", "locale",
                                         "leads_count", "created_time", NULL};

static void form_node(struct fb_ctx *c)
{
    struct fb_field f[FB_MAX_FIELDS];
    int n;
    struct jw j;
    if (!node_fields(c, "id", form_known, "LeadgenForm", f, &n))
        return;
    fb_begin(c, &j);
    form_object(c, &j, f, n);
}

/* GET /{page}/leadgen_forms: the page's one form, cursor paged like every Graph list. */
static void page_forms(struct fb_ctx *c)
{
    struct fb_field f[FB_MAX_FIELDS];
    int n;
    struct jw j;
    char cur[64];
    if (!node_fields(c, "id,name,status,locale", form_known, "LeadgenForm", f, &n))
        return;
    fb_cursor_encode(c->fb->form_id, cur, sizeof cur);
    fb_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "data");
    form_object(c, &j, f, n);
    jw_end(&j);
    fb_paging(c, &j, cur, cur, false, false, 25);
    jw_end(&j);
}

static int campaign_index(const struct fb_world *fb, const char *id)
{
    for (int k = 0; k < FB_CAMPAIGNS; k++)
        if (strcmp(fb->camps[k].id, id) == 0)
            return k;
    return -1;
}

static const char *const campaign_known[] = {
    "id", "name", "objective", "status", "effective_status", "daily_budget", NULL};

static void campaign_object(struct fb_ctx *c, int k, struct jw *j, const struct fb_field *f, int n)
{
    const struct fb_campaign *cp = &c->fb->camps[k];
    const char *status = fb_adday(c->fb, k, c->fb->ndays - 1)->delivered ? "ACTIVE" : "PAUSED";
    jw_obj(j);
    jw_kstr(j, "id", cp->id);
    if (fb_wants(f, n, "name"))
        jw_kstr(j, "name", cp->name);
    if (fb_wants(f, n, "objective"))
        jw_kstr(j, "objective", cp->objective);
    if (fb_wants(f, n, "status"))
        jw_kstr(j, "status", status);
    if (fb_wants(f, n, "effective_status"))
        jw_kstr(j, "effective_status", status);
    if (fb_wants(f, n, "daily_budget")) /* minor units (reference §2.3) */
        jw_kstrf(j, "daily_budget", "%d", 5000 + 2500 * k);
    jw_end(j);
}

static void campaign_node(struct fb_ctx *c, int k)
{
    struct fb_field f[FB_MAX_FIELDS];
    int n;
    struct jw j;
    if (!node_fields(c, "id", campaign_known, "Campaign", f, &n))
        return;
    fb_begin(c, &j);
    campaign_object(c, k, &j, f, n);
}

static void account_campaigns(struct fb_ctx *c)
{
    struct fb_field f[FB_MAX_FIELDS];
    int n;
    struct jw j;
    char first[64], last[64];
    if (!node_fields(c, "id", campaign_known, "Campaign", f, &n))
        return;
    fb_cursor_encode(c->fb->camps[0].id, first, sizeof first);
    fb_cursor_encode(c->fb->camps[FB_CAMPAIGNS - 1].id, last, sizeof last);
    fb_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "data");
    for (int k = 0; k < FB_CAMPAIGNS; k++)
        campaign_object(c, k, &j, f, n);
    jw_end(&j);
    fb_paging(c, &j, first, last, false, false, 25);
    jw_end(&j);
}

/* ---- routing -------------------------------------------------------------------------------- */

/* Splits "/v24.0/node/edge" into c; returns false (answered) when there is more. */
static bool split_path(struct fb_ctx *c, const char *sub)
{
    const char *p = sub + (*sub == '/');
    size_t n = strcspn(p, "/");
    if (n > 1 && n < sizeof c->version && p[0] == 'v' && isdigit((unsigned char)p[1]) &&
        memchr(p, '.', n)) {
        memcpy(c->version, p, n);
        p += n + (p[n] == '/');
    }
    n = strcspn(p, "/");
    snprintf(c->node, sizeof c->node, "%.*s", (int)n, p);
    p += n + (p[n] == '/');
    n = strcspn(p, "/");
    snprintf(c->edge, sizeof c->edge, "%.*s", (int)n, p);
    p += n;
    if (*p == '\0' && c->node[0])
        return true;
    char msg[200];
    snprintf(msg, sizeof msg, "Unknown path components: /%.150s", *p ? p + 1 : "");
    fb_error(c, 400, 2500, 0, "OAuthException", msg, -1);
    return false;
}

/*
 * The Marketing API's versions and when each expires, as Meta publishes them (developers.
 * facebook.com/documentation/ads-commerce/marketing-api/marketing-api-changelog/versions; NULL:
 * not announced). From its expiration day on, a call to an ad account, a campaign or a form's
 * leads in that version fails with (#2635); older numbers are long gone. The Graph API serves
 * an expired version as the oldest one still available, so page calls never fail this way.
 */
static const struct {
    int major;
    const char *released, *expires;
} marketing[] = {
    {22, "2025-01-21", "2026-02-19"}, {23, "2025-05-29", "2026-06-09"},
    {24, "2025-10-08", "2026-11-10"}, {25, "2026-02-18", "2027-02-23"},
    {26, "2026-07-29", NULL},         {27, "2026-11-04", NULL},
};

static int32_t day_of(const char *s)
{
    int32_t d;
    return s && time_parse_date(s, &d) == 0 ? d : INT32_MAX;
}

/* False (answered with 2635) when the request's Marketing API version has expired. */
static bool marketing_version(struct fb_ctx *c)
{
    if (!c->version[0])
        return true; /* unversioned: the app's default version */
    int major = atoi(c->version + 1), latest = 0;
    bool expired = major < marketing[0].major;
    for (size_t i = 0; i < sizeof marketing / sizeof marketing[0]; i++) {
        if (day_of(marketing[i].released) <= c->w->today)
            latest = marketing[i].major;
        if (marketing[i].major == major && day_of(marketing[i].expires) <= c->w->today)
            expired = true;
    }
    if (!expired)
        return true;
    char msg[160];
    snprintf(msg, sizeof msg,
             "(#2635) You are calling a deprecated version of the Ads API. Please update to the "
             "latest version: v%d.0.",
             latest);
    fb_error(c, 400, 2635, 0, "OAuthException", msg, -1);
    return false;
}

/*
 * The call_count of the usage headers: it wanders between 1 and 20 percent with the requests
 * served, and stays 0 under --no-rate-limits so a client never paces itself.
 */
static int usage_pct(const struct fb_ctx *c)
{
    return c->w->no_rate_limits ? 0 : 1 + (int)(c->fb->requests / 7 % 20);
}

static void route_page(struct fb_ctx *c)
{
    const char *e = c->edge;
    int pct = usage_pct(c);
    fb_usage_headers(c, "pages", c->fb->page_id, pct, 0);
    if (!*e)
        page_node(c);
    else if (strcmp(e, "insights") == 0)
        fb_page_insights(c);
    else if (strcmp(e, "posts") == 0 || strcmp(e, "feed") == 0 || strcmp(e, "published_posts") == 0)
        fb_page_posts(c);
    else if (strcmp(e, "leadgen_forms") == 0)
        page_forms(c);
    else
        fb_no_field(c, e, "Page");
}

static void route_account(struct fb_ctx *c)
{
    int pct = usage_pct(c);
    fb_usage_headers(c, "ads_insights", c->fb->ad_account, pct, 0);
    if (!c->edge[0])
        account_node(c);
    else if (strcmp(c->edge, "insights") == 0)
        fb_ads_insights(c);
    else if (strcmp(c->edge, "campaigns") == 0)
        account_campaigns(c);
    else
        fb_no_field(c, c->edge, "AdAccount");
}

static void route(struct fb_ctx *c)
{
    struct fb_world *fb = c->fb;
    int pct = usage_pct(c), k;
    if (strcmp(c->node, fb->page_id) == 0) {
        route_page(c);
    } else if (strncmp(c->node, "act_", 4) == 0 && strcmp(c->node + 4, fb->ad_account) == 0) {
        if (marketing_version(c))
            route_account(c);
    } else if (strcmp(c->node, fb->form_id) == 0) {
        fb_usage_headers(c, "leadgen", fb->page_id, pct, 0);
        if (!c->edge[0])
            form_node(c);
        else if (strcmp(c->edge, "leads") == 0 && marketing_version(c))
            fb_form_leads(c);
        else if (strcmp(c->edge, "leads") != 0)
            fb_no_field(c, c->edge, "LeadgenForm");
    } else if ((k = campaign_index(fb, c->node)) >= 0 && !c->edge[0]) {
        fb_usage_headers(c, "ads_management", fb->ad_account, pct, 0);
        if (marketing_version(c))
            campaign_node(c, k);
    } else {
        fb_usage_headers(c, NULL, NULL, pct, 0);
        unsupported_get(c, c->node);
    }
}

void sim_facebook_serve(void *pd, const struct world *w, struct http_req *r)
{
    struct fb_ctx c = {.fb = pd, .w = w, .r = r};
    c.fb->requests++;
    if (!split_path(&c, r->sub))
        return;
    if (strcmp(c.node, "oauth") == 0 && strcmp(c.edge, "access_token") == 0) {
        token_exchange(&c);
        return;
    }
    if (!authorized(&c))
        return;
    if (r->method != EVHTTP_REQ_GET) {
        unsupported_get(&c, c.node);
        return;
    }
    route(&c);
}

void sim_facebook_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                        int seconds)
{
    struct fb_ctx c = {.fb = pd, .w = w, .r = r};
    bool ads = strstr(r->sub, "/act_") != NULL;
    c.fb->requests++;
    switch (kind) {
    case FAULT_THROTTLE:
        if (ads && strstr(r->sub, "/insights"))
            fb_error(&c, 400, 80000, 2446079, "OAuthException",
                     "(#80000) There have been too many calls from this ad-account. Wait a bit "
                     "and try again. For more info, please refer to "
                     "https://developers.facebook.com/docs/graph-api/overview/rate-limiting"
                     "#ads-insights.",
                     1);
        else
            fb_error(&c, 400, 17, 0, "OAuthException", "(#17) User request limit reached", 1);
        fb_usage_headers(&c, ads ? "ads_insights" : "pages", ads ? c.fb->ad_account : c.fb->page_id,
                         100, (seconds < 0 ? 0 : seconds) / 60);
        break;
    case FAULT_SERVER_ERROR:
        fb_error(&c, 500, 2, 0, "OAuthException",
                 "An unexpected error has occurred. Please retry your request later.", 1);
        break;
    case FAULT_EXPIRE_TOKEN:
    case FAULT_REVOKE_TOKEN:
        cred_expire(&c.fb->cred, kind == FAULT_REVOKE_TOKEN);
        break;
    default:
        break;
    }
}
