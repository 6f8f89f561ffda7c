/*
 * meta.c - the Graph API machinery of the Meta adapters (see meta.h).
 *
 * What Meta sends (reference §2.5-§2.7, §3.4, §11): errors are classified by error.code, never
 * by the HTTP status; usage comes in JSON headers whose percentages may be decimals; the next
 * page's URL embeds the access token, so only its page (after cursor, time page or offset) is
 * ever kept.
 */
#include "meta.h"
#include "apiversion.h"
#include "cursor.h"
#include "xmalloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- usage headers (reference §2.6, §3.4) ---------------------------------------------------- */

/* A percentage member: an integer, or a decimal (X-Ad-Account-Usage sends 9.67) rounded up. */
static int pct_of(const cJSON *it)
{
    int64_t v;
    if (json_count_item(it, &v) == JSON_OK)
        return v > 1000 ? 1000 : (int)v;
    /* a percentage is not an id, a count or money: its double is exact enough */
    if (cJSON_IsNumber(it) && isfinite(it->valuedouble) && it->valuedouble >= 0)
        return it->valuedouble > 1000 ? 1000 : (int)ceil(it->valuedouble);
    return -1;
}

/* Raises *pct to the highest of keys in o and *eta to its estimated_time_to_regain_access. */
static void usage_object(const cJSON *o, const char *const *keys, int *pct, int64_t *eta)
{
    int64_t m;
    for (size_t i = 0; keys[i]; i++) {
        int v = pct_of(json_get(o, keys[i]));
        if (v > *pct)
            *pct = v;
    }
    if (json_count(o, "estimated_time_to_regain_access", &m) == JSON_OK && m > *eta)
        *eta = m;
}

static cJSON *header_json(const struct http_response *resp, const char *name)
{
    char why[64];
    const char *v = resp->header ? resp->header(resp, name) : NULL;
    return v ? json_parse(v, strlen(v), why, sizeof why) : NULL;
}

/* The highest usage percentage of the usage headers and the longest regain time (minutes). */
static void read_usage(const struct meta_api *m, const struct http_response *resp, int *pct,
                       int64_t *eta_min)
{
    static const char *const app_keys[] = {"call_count", "total_cputime", "total_time", NULL};
    static const char *const acc_keys[] = {"acc_id_util_pct", NULL};
    const cJSON *per_id, *bucket;
    *pct = -1;
    *eta_min = 0;
    cJSON *j = header_json(resp, "X-App-Usage");
    usage_object(j, app_keys, pct, eta_min);
    cJSON_Delete(j);
    if (m->ad_account_usage) {
        j = header_json(resp, "X-Ad-Account-Usage");
        usage_object(j, acc_keys, pct, eta_min);
        cJSON_Delete(j);
    }
    /* {"<business or IG user id>":[{"type":"ads_insights","call_count":N,...}, ...], ...} */
    j = header_json(resp, "X-Business-Use-Case-Usage");
    if (cJSON_IsObject(j)) {
        cJSON_ArrayForEach(per_id, j)
        {
            if (!cJSON_IsArray(per_id))
                continue;
            cJSON_ArrayForEach(bucket, per_id)
            {
                usage_object(bucket, app_keys, pct, eta_min);
            }
        }
    }
    cJSON_Delete(j);
}

void meta_ratelimit(const struct meta_api *m, const struct http_response *resp,
                    struct rl_signal *sig)
{
    int64_t eta_min;
    read_usage(m, resp, &sig->usage_pct, &eta_min);
    sig->wait_ms = eta_min > 0 ? eta_min * 60 * 1000 : -1;
    sig->per_stream = false; /* Meta counts per app, user, page, business or ad account */
}

/* ---- ids ------------------------------------------------------------------------------------ */

bool meta_is_id(const char *id)
{
    size_t n = strspn(id, "0123456789_");
    return n > 0 && n <= 64 && !id[n];
}

const char *meta_shown_id(const char *id)
{
    return meta_is_id(id) ? id : "(not a Graph id)";
}

/* ---- Graph errors and bodies (reference §2.7, §11) ------------------------------------------- */

static enum err_class code_class(int64_t code, int64_t subcode, bool transient, long status)
{
    /* 80002 is the instagram business use case; the whole 80000 range throttles */
    if (code == 4 || code == 17 || code == 32 || code == 613 || (code >= 80000 && code <= 80014))
        return ERR_THROTTLED;
    if (transient || code == 1 || code == 2)
        return ERR_TRANSIENT;
    if (code == 190 || code == 102)
        return ERR_AUTH;
    if (code == 10 || (code >= 200 && code <= 299))
        return ERR_PERMISSION;
    if (code == 803 || (code == 100 && subcode == 33)) /* 33: the object does not exist */
        return ERR_NOT_FOUND;
    if (code == 2635) /* "You are calling a deprecated version of the Ads API" */
        return ERR_VERSION;
    if (code == 100) /* a bad parameter, a retired metric; 1504018: the query timed out */
        return subcode == 1504018 ? ERR_TRANSIENT : ERR_BAD_REQUEST;
    return status >= 500 ? ERR_TRANSIENT : ERR_BAD_REQUEST;
}

bool meta_error_code(const cJSON *root, int64_t *code, int64_t *subcode)
{
    const cJSON *err = json_get(root, "error");
    *code = *subcode = 0;
    if (!cJSON_IsObject(err))
        return false;
    json_int(err, "code", code);
    json_int(err, "error_subcode", subcode);
    return true;
}

/* Classifies an error answer; a throttle waits out estimated_time_to_regain_access. */
static void graph_error(const struct meta_api *m, const struct http_response *resp,
                        const cJSON *root, const char *secret, struct rowset *rs)
{
    const cJSON *err = json_get(root, "error");
    int64_t code, subcode, eta_min;
    bool transient = false;
    const char *msg = "";
    char text[160];
    int pct;
    meta_error_code(root, &code, &subcode);
    json_bool(err, "is_transient", &transient);
    if (json_str(err, "message", &msg) != JSON_OK)
        msg = "";
    adapter_safe_text(text, sizeof text, msg, secret);
    enum err_class cls = code_class(code, subcode, transient, resp->status);
    read_usage(m, resp, &pct, &eta_min);
    int64_t retry = cls == ERR_THROTTLED && eta_min > 0 ? eta_min * 60 * 1000 : -1;
    if (cls == ERR_VERSION) { /* only the configuration heals it: say what to set */
        bool ads = strcmp(m->name, "facebook") == 0;
        rowset_set_error(rs, cls, -1,
                         "%s: the configured %s version is retired (HTTP %ld, Graph error %lld: "
                         "%s): set %s = %s in [platform %s]",
                         m->name, ads ? "Marketing API" : "Graph API", resp->status,
                         (long long)code, text, ads ? "ads_version" : "version",
                         apiver_default(ads ? API_META_MARKETING : API_META_GRAPH), m->name);
        return;
    }
    rowset_set_error(rs, cls, retry, "%s: HTTP %ld, Graph error %lld/%lld: %s", m->name,
                     resp->status, (long long)code, (long long)subcode, text);
}

cJSON *meta_json(const struct http_response *resp, char *why, size_t whylen)
{
    snprintf(why, whylen, "empty body");
    return resp->len ? json_parse(resp->body, resp->len, why, whylen) : NULL;
}

int meta_check(const struct meta_api *m, const struct http_response *resp, const cJSON *root,
               const char *jwhy, const char *secret, struct rowset *rs)
{
    if (cJSON_IsObject(json_get(root, "error"))) {
        graph_error(m, resp, root, secret, rs);
        return -1;
    }
    if (resp->status >= 500) { /* a proxy page, an empty 502 */
        rowset_set_error(rs, ERR_TRANSIENT, -1, "%s: HTTP %ld without a Graph error body", m->name,
                         resp->status);
        return -1;
    }
    if (resp->status < 200 || resp->status > 299)
        return adapter_malformed(rs, m->name, "HTTP %ld without a Graph error body", resp->status);
    if (!root)
        return adapter_malformed(rs, m->name, "%s", jwhy);
    if (!cJSON_IsObject(root))
        return adapter_malformed(rs, m->name, "body is not a JSON object");
    return 0;
}

cJSON *meta_body(const struct meta_api *m, const struct http_response *resp, const char *secret,
                 struct rowset *rs)
{
    char why[128];
    cJSON *root = meta_json(resp, why, sizeof why);
    if (meta_check(m, resp, root, why, secret, rs) == 0)
        return root;
    cJSON_Delete(root);
    return NULL;
}

/* ---- paging (reference §2.5; developers.facebook.com/docs/graph-api/results) ---------------- */

/*
 * Graph pages a list in one of three ways: by cursor (`after`), by time (`until` with the opaque
 * `__paging_token`: Page posts and feeds page this way) or by offset (`offset`). A cursor page
 * is kept as the bare `after` value; the others as "until=N&__paging_token=T" (T
 * percent-encoded) or "offset=N", which no after cursor can look like (those are base64 and never
 * hold '&' or start "until=").
 */
static const char *const time_keys[] = {"until", "__paging_token", NULL};

static bool page_is_query(const char *page)
{
    return strncmp(page, "until=", 6) == 0 || strncmp(page, "__paging_token=", 15) == 0 ||
           strncmp(page, "offset=", 7) == 0;
}

/* A value safe to keep and send again: digits for until/offset, base64 (either alphabet) for the
 * token. */
static bool page_value_ok(const char *key, const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > 512)
        return false;
    if (strcmp(key, "__paging_token") != 0)
        return n <= 19 && strspn(v, "0123456789") == n;
    return strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/") == n;
}

/* The time or offset page of a next URL (caller frees); NULL when it has neither. */
static char *next_query_page(const char *next, bool *bad)
{
    struct buf b = {0};
    char *off = adapter_query_param(next, "offset");
    *bad = false;
    for (size_t i = 0; time_keys[i]; i++) {
        char *v = adapter_query_param(next, time_keys[i]);
        if (v && !page_value_ok(time_keys[i], v))
            *bad = true;
        else if (v) { /* kept encoded: a '+' of the token must not come back as a space */
            char *enc = adapter_urlencode(v);
            buf_printf(&b, "%s%s=%s", b.len ? "&" : "", time_keys[i], enc);
            free(enc);
        }
        free(v);
    }
    if (!b.len && off) {
        if (page_value_ok("offset", off))
            buf_printf(&b, "offset=%s", off);
        else
            *bad = true;
    }
    free(off);
    if (*bad || !b.len) {
        buf_free(&b);
        return NULL;
    }
    return buf_steal(&b, NULL);
}

int meta_next_page(const struct meta_api *m, const cJSON *root, struct rowset *rs, char **page)
{
    const cJSON *paging = json_get(root, "paging");
    const char *next, *a;
    bool bad;
    *page = NULL;
    if (paging && !cJSON_IsNull(paging) && !cJSON_IsObject(paging))
        return adapter_malformed(rs, m->name, "paging is not an object");
    enum json_get g = json_str(paging, "next", &next);
    if (g == JSON_ABSENT)
        return 0; /* the last page, even when it still carries cursors */
    if (g == JSON_BAD)
        return adapter_malformed(rs, m->name, "paging.next is not a string");
    g = json_str(json_get(paging, "cursors"), "after", &a);
    if (g == JSON_BAD)
        return adapter_malformed(rs, m->name, "paging.cursors.after is not a string");
    if (g == JSON_OK && *a) {
        *page = xstrdup(a);
        return 0;
    }
    /* no cursors: take the page out of the next URL, never the URL itself (it holds the token) */
    *page = adapter_query_param(next, "after");
    if (*page && **page)
        return 0;
    free(*page);
    *page = next_query_page(next, &bad);
    if (*page)
        return 0;
    if (bad)
        return adapter_malformed(rs, m->name,
                                 "paging.next: until, __paging_token or offset is "
                                 "not a usable value");
    return adapter_malformed(rs, m->name,
                             "paging.next without an after cursor, a time page or an offset");
}

void meta_page_query(struct buf *q, const char *page)
{
    static const char *const keys[] = {"until", "__paging_token", "offset", NULL};
    if (!page || !*page)
        return;
    if (!page_is_query(page)) {
        adapter_query(q, "after", page);
        return;
    }
    for (size_t i = 0; keys[i]; i++) {
        char *v = adapter_query_param(page, keys[i]);
        if (v && page_value_ok(keys[i], v))
            adapter_query(q, keys[i], v);
        free(v);
    }
}

/* ---- insights metrics the platform refuses ------------------------------------------------- */

size_t meta_metrics_asked(const struct adapter_ctx *ctx, const struct meta_metric *m, size_t n,
                          struct buf *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (ctx->probe ? !cursor_list_has(ctx->probe, m[i].name)
                       : cursor_list_has(ctx->retired, m[i].name))
            continue;
        buf_printf(out, "%s%s", k++ ? "," : "", m[i].name);
    }
    return k;
}

/* The i-th name of a comma-separated list into out; false past its end. */
static bool list_item(const char *list, size_t i, char *out, size_t n)
{
    while (list && *list) {
        size_t len = strcspn(list, ",");
        if (i-- == 0) {
            if (len == 0 || len >= n)
                return false;
            memcpy(out, list, len);
            out[len] = '\0';
            return true;
        }
        list += len + (list[len] == ',');
    }
    return false;
}

static bool word_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Whether metric occurs in msg as a word; *before_metric when once as "the METRIC metric". */
static bool has_word(const char *msg, const char *metric, bool *before_metric)
{
    size_t n = strlen(metric);
    bool found = false;
    *before_metric = false;
    for (const char *p = strstr(msg, metric); p; p = strstr(p + 1, metric)) {
        if ((p > msg && word_char(p[-1])) || word_char(p[n]))
            continue;
        found = true;
        if (strncmp(p + n, " metric", 7) == 0)
            *before_metric = true;
    }
    return found;
}

/*
 * The one metric of asked that msg names: the only one it contains as a word, or the only one
 * written "the X metric"; false when none or several.
 */
static bool named_metric(const char *msg, const char *asked, char *out, size_t n)
{
    char m[128];
    size_t words = 0, marked = 0;
    char word[128] = "", mark[128] = "";
    bool before;
    for (size_t i = 0; list_item(asked, i, m, sizeof m); i++) {
        if (!has_word(msg, m, &before))
            continue;
        if (words++ == 0)
            snprintf(word, sizeof word, "%s", m);
        if (before && marked++ == 0)
            snprintf(mark, sizeof mark, "%s", m);
    }
    const char *pick = words == 1 ? word : marked == 1 ? mark : NULL;
    if (!pick || strlen(pick) >= n)
        return false;
    memcpy(out, pick, strlen(pick) + 1);
    return true;
}

void meta_refused_metric(const struct http_response *resp, const char *asked, struct rowset *rs)
{
    char why[64], name[128];
    int64_t code, subcode;
    const char *msg, *at;
    if (rowset_error(rs, NULL, NULL) != ERR_BAD_REQUEST || !asked || !*asked)
        return;
    cJSON *root = meta_json(resp, why, sizeof why);
    if (!meta_error_code(root, &code, &subcode) || code != 100 ||
        json_str(json_get(root, "error"), "message", &msg) != JSON_OK) {
        cJSON_Delete(root);
        return;
    }
    if ((at = strstr(msg, "metric[")) != NULL) {
        const char *p = at + 7;
        int64_t i;
        if (adapter_read_decimal(&p, &i) == 0 && *p == ']' &&
            list_item(asked, (size_t)i, name, sizeof name))
            rowset_set_refused_metric(rs, name, asked);
        else
            rowset_set_refused_metric(rs, NULL, asked);
    } else if (strstr(msg, "metric")) { /* "the X metric is no longer supported", or no name */
        rowset_set_refused_metric(rs, named_metric(msg, asked, name, sizeof name) ? name : NULL,
                                  asked);
    }
    cJSON_Delete(root);
}

/* ---- tokens (reference §2.1, §3.1, §12) ------------------------------------------------------ */

int meta_token_request(const struct cfg_platform *p, struct buf *q, struct http_request *req)
{
    req->method = "GET";
    http_request_set_url(
        req, xasprintf("%s%c%s", p->token_url, strchr(p->token_url, '?') ? '&' : '?', q->data));
    adapter_free_secret(buf_steal(q, NULL));
    return 0;
}

int meta_token_parse(const struct meta_api *m, const char *what, const struct http_response *resp,
                     struct token_set *out, enum err_class *cls, char *why, size_t whylen)
{
    struct rowset *rs = rowset_new();
    const char *tok, *msg;
    int64_t expires = 0;
    int rc = -1;
    memset(out, 0, sizeof *out);
    cJSON *root = meta_body(m, resp, NULL, rs); /* Graph errors: 190 is auth, 5xx transient */
    if (!root) {
        *cls = rowset_error(rs, &msg, NULL);
        snprintf(why, whylen, "%s failed: %s", what, msg);
    } else if (json_str(root, "access_token", &tok) != JSON_OK || !*tok ||
               strlen(tok) >= sizeof out->access_token) {
        *cls = ERR_MALFORMED;
        snprintf(why, whylen, "%s answer without a usable access_token", what);
    } else if (json_count(root, "expires_in", &expires) == JSON_BAD) {
        *cls = ERR_MALFORMED;
        snprintf(why, whylen, "%s answer: expires_in is not a number of seconds", what);
    } else {
        memcpy(out->access_token, tok, strlen(tok) + 1);
        out->expires_in_s = expires; /* absent: a token that does not expire, or unknown */
        *cls = ERR_NONE;
        rc = 0;
    }
    cJSON_Delete(root);
    rowset_free(rs);
    return rc;
}
