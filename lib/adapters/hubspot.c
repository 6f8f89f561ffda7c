/*
 * hubspot.c - the HubSpot CRM adapter: contacts as leads with their first and latest sources
 * (hubspot.contacts) and, in hubspot_deals.c, pipelines, deals and deal-contact associations
 * (hubspot.deals); the CRM search and its 10,000-result window, error classes, rate-limit
 * headers and OAuth token refresh.
 *
 * What HubSpot sends (reference §7, §10.7): every property value is a string or null, whatever
 * its type ("25000", "805781762.0", "true", ISO dates), and ids may come as floats in strings;
 * paging.next.after is absent on the last page; errors are {"status":"error","message",
 * "category"} and 429s name their policy (TEN_SECONDLY_ROLLING and SECONDLY are short throttles,
 * DAILY is the day's quota); a malformed token can get HTTP 530 instead of 401.
 *
 * The search (reference §7.2): POST with a JSON body, a GTE filter on the modified date at the
 * watermark, sorted ascending, 200 per page. HubSpot refuses to page past 10,000 results of one
 * query, so once `after` would pass 9,800 the window moves: the next request filters GTE the last
 * modified date seen and restarts at the window's start. Records modified at that same
 * millisecond are read twice (upserts make that harmless), none is skipped. The page cursor is
 * "WATERMARK:AFTER" (epoch ms, HubSpot's after token, "" at a window's start).
 *
 * A full load (a first run without a watermark, or an operator's backfill) reads the list
 * endpoints instead, which fall under the general ten-second budget rather than the search's
 * per-second one; the facts, from HubSpot's developer documentation:
 *   - GET /crm/v3/objects/{objectType}: query parameters limit (default 10; 100 at most per the
 *     CRM object guides), after ("the paging cursor token of the last successfully read
 *     resource", returned as paging.next.after), properties and associations (comma-separated;
 *     unknown names are ignored), archived (default false). Answer {"results":[{"id",
 *     "properties","createdAt","updatedAt","archived","associations":{"contacts":{"results":
 *     [{"id","type":"deal_to_contact"}]}}}],"paging":{"next":{"after","link"}}}, no "total";
 *     no paging on the last page (api-reference .../crm/objects/.../get-contacts, get-deals).
 *   - The search: 5 requests a second per account, 200 results a page, 10,000 results per query
 *     (reference §7.2, "API usage guidelines and limits": developers.hubspot.com/docs/api/
 *     usage-details); its answers carry no X-HubSpot-RateLimit-* headers (reference §7.4).
 *   - The other endpoints: a burst budget per app and portal of 100 to 190 requests per 10
 *     seconds by tier (110 for public OAuth apps; changelog "Increasing our API limits"),
 *     announced in X-HubSpot-RateLimit-Max, -Remaining and -Interval-Milliseconds; a 429 with
 *     policyName TEN_SECONDLY_ROLLING when exceeded (reference §7.4).
 * The list is ordered by id, not by modification, so a full load keeps only the results
 * modified at or after the watermark (what the search's GTE filter would have returned) and
 * reads every field as the search path does: the stored rows are the same either way. Its
 * watermark is the latest modified date seen, like a search's. The engine paces only the search
 * (adapter.paced): requests_per_second is the search's limit; list pages go by the ten-second
 * headers (ratelimit below).
 *
 * Contacts become a `lead` (source crm) and touchpoints: crm_first_source at createdate with the
 * original source, and crm_latest_source at hs_latest_source_timestamp when the latest source
 * differs from the first or was stamped after createdate (a later visit from the same source). A
 * touchpoint's platform is the network hs_analytics_source_data_1 names when it is one socialroi
 * polls (Facebook, LinkedIn, ...), otherwise the lower-cased source
 * ("organic_search"); its campaign is _data_2. UTM values are the utm_* properties, each one that
 * a portal lacks taken from the query of hs_analytics_first_url; the latest source's utm_campaign
 * (and the first's, when neither gives one) is the campaign drill-down of a tagged source.
 *
 * Every record of a page is held in a pending list and handed to the rowset only once the whole
 * page has been read: a rejected page leaves no records behind.
 *
 * Pure: no I/O, no clock, no globals; everything comes in adapter_ctx and http_response.
 */
#include "hubspot_int.h"
#include "oauth.h"
#include "buf.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const struct adapter adapter_hubspot;

#define SEARCH_LIMIT 200
#define LIST_LIMIT   100   /* the most a list page holds */
#define BURST_SHARE  10    /* keep 1/10 of the ten-second budget in reserve */
#define AFTER_MAX    9800  /* the last `after` whose page stays within the 10,000 results */
#define RESULTS_MAX  10000 /* results one search query can page through */

/* ---- shared helpers (hubspot_int.h)
 * -------------------------------------------------------------- */

int hubspot_request(const struct adapter_ctx *ctx, struct http_request *req, const char *method,
                    const char *path, char *body, char *why, size_t whylen)
{
    req->body = body;
    if (adapter_need_token(ctx, why, whylen) < 0)
        return -1;
    req->method = method;
    http_request_set_url(req, xasprintf("%s%s", ctx->platform->api_base, path));
    if (http_request_header(req, "Authorization: Bearer %s", ctx->access_token) < 0 ||
        (body && http_request_header(req, "Content-Type: application/json") < 0)) {
        snprintf(why, whylen, "too many headers");
        return -1;
    }
    return 0;
}

const char *hubspot_id(const cJSON *obj, const char *key, struct rowset *rs)
{
    char buf[32];
    const char *id;
    if (json_id(obj, key, buf, sizeof buf, &id) != JSON_OK)
        return NULL;
    size_t n = strspn(id, "0123456789");
    /* "784566996485.0": a float in a string, as some pipelines render hs_object_id */
    size_t z = id[n] == '.' ? strspn(id + n + 1, "0") + 1 : 0;
    if (n == 0 || n > HUBSPOT_ID_MAX || id[n + z])
        return NULL;
    return rowset_strndup(rs, id, n);
}

int hubspot_prop(const cJSON *props, const char *key, struct rowset *rs, const char **out)
{
    *out = NULL;
    enum json_get g = json_str(props, key, out);
    if (g == JSON_BAD)
        return hubspot_malformed(rs, "property %s is not a string", key);
    if (g == JSON_OK && !**out)
        *out = NULL;
    return 0;
}

enum json_get hubspot_time(const cJSON *props, const char *key, int64_t *us)
{
    const char *s;
    int64_t ms;
    enum json_get g = json_str(props, key, &s);
    if (g == JSON_ABSENT || (g == JSON_OK && !*s))
        return JSON_ABSENT;
    if (g == JSON_OK && json_parse_time(s, us) == 0)
        return JSON_OK;
    /* epoch milliseconds, as text (v1-style values) or as a number */
    if (json_int(props, key, &ms) == JSON_OK && ms > 0) {
        *us = ms * 1000;
        return JSON_OK;
    }
    return JSON_BAD;
}

const cJSON *hubspot_results(const cJSON *root, struct rowset *rs)
{
    const cJSON *r = json_get(root, "results");
    if (!cJSON_IsArray(r)) {
        hubspot_malformed(rs, "results is %s", r ? "not an array" : "missing");
        return NULL;
    }
    return r;
}

/* ---- errors (reference §7.4, §11) ------------------------------------------------------------ */

/* Milliseconds from now (epoch us) to the next 00:00 UTC. */
static int64_t until_utc_midnight(int64_t now)
{
    int64_t ms = now / 1000;
    return (ms / TIME_MS_PER_DAY + 1) * TIME_MS_PER_DAY - ms;
}

static enum err_class error_class(long status, const char *policy)
{
    if (status == 429) /* TEN_SECONDLY_ROLLING, SECONDLY: seconds; DAILY: the day's quota */
        return strcmp(policy, "DAILY") == 0 ? ERR_QUOTA : ERR_THROTTLED;
    if (status == 401 || status == 530) /* 530: a malformed token */
        return ERR_AUTH;
    if (status == 403) /* MISSING_SCOPES */
        return ERR_PERMISSION;
    if (status == 404) /* OBJECT_NOT_FOUND */
        return ERR_NOT_FOUND;
    if (status >= 500)
        return ERR_TRANSIENT;
    /* VALIDATION_ERROR, including paging past 10,000 search results */
    return status >= 400 ? ERR_BAD_REQUEST : ERR_MALFORMED;
}

static int64_t retry_ms(const struct adapter_ctx *ctx, const struct http_response *resp,
                        enum err_class cls)
{
    int64_t s;
    if (cls == ERR_QUOTA)
        return until_utc_midnight(ctx->now);
    if (cls != ERR_THROTTLED)
        return -1;
    /* Retry-After is not always sent: the rolling windows free up within about a second */
    return adapter_header_int(resp, "Retry-After", &s) == 0 ? s * 1000 : 1000;
}

/* A non-2xx answer: classified by status and policyName; never any records. */
static void http_error(const struct adapter_ctx *ctx, const struct http_response *resp,
                       const cJSON *root, struct rowset *rs)
{
    const char *policy = "", *category = "", *msg = "";
    char text[160], name[64];
    if (json_str(root, "policyName", &policy) != JSON_OK)
        policy = "";
    if (json_str(root, "category", &category) != JSON_OK)
        category = "";
    if (json_str(root, "message", &msg) != JSON_OK)
        msg = "";
    adapter_safe_text(text, sizeof text, msg, ctx->access_token);
    adapter_safe_text(name, sizeof name, *policy ? policy : category, ctx->access_token);
    enum err_class cls = error_class(resp->status, policy);
    rowset_set_error(rs, cls, retry_ms(ctx, resp, cls), "hubspot: HTTP %ld%s%s%s%s", resp->status,
                     *name ? " " : "", name, *text ? ": " : "", text);
}

cJSON *hubspot_read_body(const struct adapter_ctx *ctx, const struct http_response *resp,
                         struct rowset *rs)
{
    char why[128];
    cJSON *root = resp->len ? json_parse(resp->body, resp->len, why, sizeof why) : NULL;
    if (resp->status < 200 || resp->status > 299)
        http_error(ctx, resp, root, rs);
    else if (!root)
        hubspot_malformed(rs, "%s", resp->len ? why : "empty body");
    else if (!cJSON_IsObject(root))
        hubspot_malformed(rs, "body is not a JSON object");
    else
        return root;
    cJSON_Delete(root);
    return NULL;
}

/* ---- the search window (reference §7.2) ------------------------------------------------------ */

int hubspot_search_read(const char *s, struct hubspot_search *st)
{
    int64_t v = 0;
    const char *p = s;
    if (adapter_read_decimal(&p, &v) < 0 || *p != ':')
        return -1;
    st->since_ms = v;
    st->after = p + 1;
    return 0;
}

char *hubspot_search_body(const char *prop, const struct hubspot_search *st,
                          const char *const *properties)
{
    struct buf b = {0};
    char since[24];
    snprintf(since, sizeof since, "%" PRId64, st->since_ms);
    buf_puts(&b, "{\"filterGroups\":[{\"filters\":[{\"propertyName\":");
    json_write_str(&b, prop);
    buf_puts(&b, ",\"operator\":\"GTE\",\"value\":");
    json_write_str(&b, since);
    buf_puts(&b, "}]}],\"sorts\":[{\"propertyName\":");
    json_write_str(&b, prop);
    buf_puts(&b, ",\"direction\":\"ASCENDING\"}],\"properties\":[");
    for (size_t i = 0; properties[i]; i++) {
        if (i)
            buf_puts(&b, ",");
        json_write_str(&b, properties[i]);
    }
    buf_printf(&b, "],\"limit\":%d,\"after\":", SEARCH_LIMIT);
    json_write_str(&b, *st->after ? st->after : "0");
    buf_puts(&b, "}");
    return buf_steal(&b, NULL);
}

/* An after token that is a plain offset ("9800"), or -1. */
static int64_t after_offset(const char *after)
{
    int64_t v = 0;
    size_t n = strspn(after, "0123456789");
    if (n == 0 || n > 9 || after[n])
        return -1;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (after[i] - '0');
    return v;
}

/* Whether the page after this one would pass the 10,000 results a query can reach. */
static bool past_cap(const cJSON *root, const char *after)
{
    int64_t total, off = after_offset(after);
    if (off >= 0)
        return off > AFTER_MAX;
    /* an opaque token: trust it only while the whole result fits */
    return json_count(root, "total", &total) != JSON_OK || total > RESULTS_MAX;
}

int hubspot_search_next(const cJSON *root, const struct hubspot_search *st, int64_t last_ms,
                        struct rowset *rs, char **next)
{
    const cJSON *paging = json_get(root, "paging");
    char buf[32];
    const char *after;
    *next = NULL;
    if (paging && !cJSON_IsNull(paging) && !cJSON_IsObject(paging))
        return hubspot_malformed(rs, "paging is not an object");
    enum json_get g = json_id(json_get(paging, "next"), "after", buf, sizeof buf, &after);
    if (g == JSON_ABSENT)
        return 0; /* the last page */
    if (g == JSON_BAD || strchr(after, ':') || strlen(after) > 256)
        return hubspot_malformed(rs, "paging.next.after is not a usable token");
    if (!past_cap(root, after)) {
        *next = xasprintf("%" PRId64 ":%s", st->since_ms, after);
        return 0;
    }
    if (last_ms <= st->since_ms) { /* moving would not move: refuse rather than skip */
        rowset_set_error(rs, ERR_BAD_REQUEST, -1,
                         "hubspot: more than %d records modified in the same millisecond: the "
                         "search cannot page past them",
                         AFTER_MAX);
        return -1;
    }
    *next = xasprintf("%" PRId64 ":", last_ms);
    return 0;
}

/* ---- the list endpoints ---------------------------------------------------------------------- */

int hubspot_list_request(const struct adapter_ctx *ctx, struct http_request *req,
                         const char *object, const char *after, const char *const *properties,
                         const char *associations, char *why, size_t whylen)
{
    struct buf b = {0};
    buf_printf(&b, "/crm/v3/objects/%s?limit=%d&archived=false&properties=", object, LIST_LIMIT);
    for (size_t i = 0; properties[i]; i++)
        buf_printf(&b, "%s%s", i ? "," : "", properties[i]);
    if (associations)
        buf_printf(&b, "&associations=%s", associations);
    if (*after) {
        char *a = adapter_urlencode(after);
        buf_printf(&b, "&after=%s", a);
        free(a);
    }
    char *path = buf_steal(&b, NULL);
    int rc = hubspot_request(ctx, req, "GET", path, NULL, why, whylen);
    free(path);
    return rc;
}

int hubspot_list_next(const cJSON *root, struct rowset *rs, char **next)
{
    const cJSON *paging = json_get(root, "paging");
    char buf[32];
    const char *after;
    *next = NULL;
    if (paging && !cJSON_IsNull(paging) && !cJSON_IsObject(paging))
        return hubspot_malformed(rs, "paging is not an object");
    enum json_get g = json_id(json_get(paging, "next"), "after", buf, sizeof buf, &after);
    if (g == JSON_ABSENT)
        return 0;
    if (g == JSON_BAD || !*after || strlen(after) > 256)
        return hubspot_malformed(rs, "paging.next.after is not a usable token");
    *next = xasprintf(HUBSPOT_PAGE_LIST "%s", after);
    return 0;
}

bool hubspot_list_keeps(const struct adapter_ctx *ctx, const cJSON *res, const char *prop)
{
    const cJSON *props = json_get(res, "properties");
    int64_t us;
    if (!cJSON_IsObject(res) || !cJSON_IsObject(props))
        return true;
    enum json_get g = hubspot_time(props, prop, &us);
    /* the search compares epoch ms; a record without the date never matches its filter */
    return g == JSON_BAD || (g == JSON_OK && us / 1000 >= (ctx->since > 0 ? ctx->since / 1000 : 0));
}

/* ---- hubspot.contacts requests --------------------------------------------------------------- */

static const char *const contact_props[] = {
    "email",
    "createdate",
    "lastmodifieddate",
    "lifecyclestage",
    "hs_analytics_source",
    "hs_analytics_source_data_1",
    "hs_analytics_source_data_2",
    "hs_analytics_first_url",
    "hs_latest_source",
    "hs_latest_source_data_1",
    "hs_latest_source_data_2",
    "hs_latest_source_timestamp",
    "utm_source", /* custom properties many portals have: ignored where they do not exist */
    "utm_medium",
    "utm_campaign",
    "utm_content",
    NULL,
};

/* The search state of a page: the cursor, or the watermark and the window's start. */
static int search_state(const struct adapter_ctx *ctx, struct hubspot_search *st)
{
    if (ctx->page)
        return hubspot_search_read(ctx->page, st);
    st->since_ms = ctx->since > 0 ? ctx->since / 1000 : 0;
    st->after = "";
    return 0;
}

/* Whether ctx reads a list page (after in *after): a "list:" cursor, or a full load's start. */
static bool contacts_list(const struct adapter_ctx *ctx, const char **after)
{
    size_t n = strlen(HUBSPOT_PAGE_LIST);
    *after = "";
    if (!ctx->page)
        return ctx->full;
    if (strncmp(ctx->page, HUBSPOT_PAGE_LIST, n) != 0)
        return false;
    *after = ctx->page + n;
    return true;
}

static int build_contacts(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                          size_t whylen)
{
    struct hubspot_search st;
    const char *after;
    if (contacts_list(ctx, &after))
        return hubspot_list_request(ctx, req, "contacts", after, contact_props, NULL, why, whylen);
    if (search_state(ctx, &st) < 0) {
        snprintf(why, whylen, "page cursor is not a search position");
        return -1;
    }
    return hubspot_request(ctx, req, "POST", "/crm/v3/objects/contacts/search",
                           hubspot_search_body("lastmodifieddate", &st, contact_props), why,
                           whylen);
}

/* ---- contacts: sources and UTM values ---------------------------------------------------------
 */

struct source {
    const char *source, *data1, *data2;
};

static int read_source(const cJSON *props, const char *const keys[3], struct rowset *rs,
                       struct source *s)
{
    if (hubspot_prop(props, keys[0], rs, &s->source) < 0 ||
        hubspot_prop(props, keys[1], rs, &s->data1) < 0 ||
        hubspot_prop(props, keys[2], rs, &s->data2) < 0)
        return -1;
    return 0;
}

static bool same_text(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* The platform of a source: a polled network named by data_1, else the source in lower case. */
static const char *source_platform(const struct source *s, struct rowset *rs)
{
    static const struct {
        const char *name, *platform;
    } networks[] = {
        {"facebook", "facebook"},
        {"instagram", "instagram"},
        {"linkedin", "linkedin"},
        {"twitter", "x"},
        {"x", "x"},
        {"youtube", "youtube"},
        {"pinterest", "pinterest"},
    };
    for (size_t i = 0; s->data1 && i < sizeof networks / sizeof networks[0]; i++)
        if (strcasecmp(s->data1, networks[i].name) == 0)
            return networks[i].platform;
    if (!s->source)
        return NULL;
    char *low = xstrdup(s->source);
    for (char *c = low; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    const char *out = rowset_strdup(rs, low);
    free(low);
    return out;
}

/* The utm_campaign a source's drill-downs carry: HubSpot files a tagged visit's campaign as
 * drill-down 2 of (paid) social sources, under the network, and as drill-down 1 of other
 * campaigns; other sources (search, direct, referrals) carry none. */
static const char *source_utm_campaign(const struct source *s)
{
    if (!s->source)
        return NULL;
    if (strcmp(s->source, "PAID_SOCIAL") == 0 || strcmp(s->source, "SOCIAL_MEDIA") == 0)
        return s->data2;
    if (strcmp(s->source, "OTHER_CAMPAIGNS") == 0)
        return s->data1;
    return NULL;
}

/* A UTM value: the property, else the parameter of the first URL's query (decoded). */
static int utm_value(const cJSON *props, const char *key, const char *url, struct rowset *rs,
                     const char **out)
{
    if (hubspot_prop(props, key, rs, out) < 0)
        return -1;
    if (*out) {
        *out = rowset_strdup(rs, *out);
        return 0;
    }
    if (!url)
        return 0;
    char *v = adapter_query_param(url, key);
    if (v && *v && json_utf8_valid(v, strlen(v)))
        *out = rowset_strdup(rs, v);
    else if (v && *v) /* %FF in a visitor's URL: PostgreSQL would refuse the text */
        rowset_add_warning(rs);
    free(v);
    return 0;
}

static int first_touch_utm(const cJSON *props, struct rowset *rs, struct rec_touchpoint *t)
{
    const char *url;
    char *q = NULL;
    if (hubspot_prop(props, "hs_analytics_first_url", rs, &url) < 0)
        return -1;
    if (url) /* the fragment is not part of the query */
        q = xstrndup(url, strcspn(url, "#"));
    int rc = utm_value(props, "utm_source", q, rs, &t->utm_source) < 0 ||
                     utm_value(props, "utm_medium", q, rs, &t->utm_medium) < 0 ||
                     utm_value(props, "utm_campaign", q, rs, &t->utm_campaign) < 0 ||
                     utm_value(props, "utm_content", q, rs, &t->utm_content) < 0
                 ? -1
                 : 0;
    free(q);
    return rc;
}

/* ---- contacts: records ----------------------------------------------------------------------- */

static void touch(const char *kind, const char *lead, int64_t at, const struct source *s,
                  struct rowset *rs, struct rec_touchpoint *t)
{
    char *id = xasprintf("%s:%s", kind, lead);
    t->id = rowset_strdup(rs, id);
    free(id);
    t->lead = lead;
    t->kind = kind;
    t->occurred_at = at;
    t->platform = source_platform(s, rs);
    t->campaign = s->data2 ? rowset_strdup(rs, s->data2) : NULL;
}

static int contact_touchpoints(const cJSON *props, const struct rec_lead *l, struct rowset *rs,
                               struct adapter_pending *p)
{
    static const char *const first_keys[3] = {"hs_analytics_source", "hs_analytics_source_data_1",
                                              "hs_analytics_source_data_2"};
    static const char *const latest_keys[3] = {"hs_latest_source", "hs_latest_source_data_1",
                                               "hs_latest_source_data_2"};
    struct source first, latest;
    struct record r = {.type = REC_TOUCHPOINT};
    int64_t at;
    if (read_source(props, first_keys, rs, &first) < 0 ||
        read_source(props, latest_keys, rs, &latest) < 0)
        return -1;
    touch("crm_first_source", l->id, l->created_at, &first, rs, &r.u.touchpoint);
    if (first_touch_utm(props, rs, &r.u.touchpoint) < 0)
        return -1;
    if (!r.u.touchpoint.utm_campaign && source_utm_campaign(&first))
        r.u.touchpoint.utm_campaign = rowset_strdup(rs, source_utm_campaign(&first));
    adapter_pending_add(p, &r);
    enum json_get g = hubspot_time(props, "hs_latest_source_timestamp", &at);
    if (g == JSON_BAD)
        return hubspot_malformed(rs, "contact %s: hs_latest_source_timestamp is not a time", l->id);
    /* a later visit from the same source is a touch of its own; a latest source stamped at or
     * before createdate is the first one again */
    if (g != JSON_OK || !latest.source ||
        (at <= l->created_at && same_text(first.source, latest.source) &&
         same_text(first.data1, latest.data1) && same_text(first.data2, latest.data2)))
        return 0;
    memset(&r.u.touchpoint, 0, sizeof r.u.touchpoint);
    touch("crm_latest_source", l->id, at, &latest, rs, &r.u.touchpoint);
    const char *utm = source_utm_campaign(&latest);
    r.u.touchpoint.utm_campaign = utm ? rowset_strdup(rs, utm) : NULL;
    adapter_pending_add(p, &r);
    return 0;
}

/* The lead of a contact; created_at from createdate, else the object's createdAt. */
static int contact_lead(const struct adapter_ctx *ctx, const cJSON *c, const cJSON *props,
                        struct rowset *rs, struct rec_lead *l)
{
    const char *email, *stage;
    enum json_get g = hubspot_time(props, "createdate", &l->created_at);
    if (g == JSON_ABSENT)
        g = hubspot_time(c, "createdAt", &l->created_at);
    if (g != JSON_OK)
        return hubspot_malformed(rs, "contact %s: no createdate", l->id);
    if (hubspot_prop(props, "email", rs, &email) < 0 ||
        hubspot_prop(props, "lifecyclestage", rs, &stage) < 0)
        return -1;
    l->lifecycle_stage = rowset_strdup(rs, stage);
    if (email) {
        char hex[65];
        adapter_email_hash(ctx->email_salt ? ctx->email_salt : "", email, hex);
        l->email_hash = rowset_strdup(rs, hex);
    }
    return 0;
}

static int contact_result(const struct adapter_ctx *ctx, const cJSON *c, struct rowset *rs,
                          struct adapter_pending *p, int64_t *last_ms)
{
    struct record r = {.type = REC_LEAD};
    struct rec_lead *l = &r.u.lead;
    const cJSON *props = json_get(c, "properties");
    int64_t mod;
    if (!cJSON_IsObject(c) || !cJSON_IsObject(props))
        return hubspot_malformed(rs, "results[] item without properties");
    l->source = "crm";
    if (!(l->id = hubspot_id(c, "id", rs)) && !(l->id = hubspot_id(props, "hs_object_id", rs)))
        return hubspot_malformed(rs, "contact without a numeric id");
    enum json_get g = hubspot_time(props, "lastmodifieddate", &mod);
    if (g == JSON_BAD)
        return hubspot_malformed(rs, "contact %s: lastmodifieddate is not a time", l->id);
    if (g == JSON_OK && mod / 1000 > *last_ms)
        *last_ms = mod / 1000;
    if (contact_lead(ctx, c, props, rs, l) < 0)
        return -1;
    adapter_pending_add(p, &r);
    return contact_touchpoints(props, l, rs, p);
}

/* A page's contacts, the latest modified date in *last_ms; a list page skips the results
 * modified before the watermark. */
static int contacts_page(const struct adapter_ctx *ctx, const cJSON *root, bool list,
                         struct rowset *rs, struct adapter_pending *p, int64_t *last_ms)
{
    const cJSON *results = hubspot_results(root, rs), *c;
    if (!results)
        return -1;
    cJSON_ArrayForEach(c, results)
    {
        if (list && !hubspot_list_keeps(ctx, c, "lastmodifieddate"))
            continue;
        if (contact_result(ctx, c, rs, p, last_ms) < 0)
            return -1;
    }
    return 0;
}

static int parse_contacts(const struct adapter_ctx *ctx, const struct http_response *resp,
                          struct rowset *rs)
{
    struct adapter_pending p = {0};
    struct hubspot_search st;
    int64_t last_ms = -1;
    char *next = NULL;
    const char *after;
    bool list = contacts_list(ctx, &after);
    if (!list && search_state(ctx, &st) < 0)
        return hubspot_malformed(rs, "page cursor is not a search position");
    cJSON *root = hubspot_read_body(ctx, resp, rs);
    if (!root)
        return -1;
    int rc = contacts_page(ctx, root, list, rs, &p, &last_ms);
    if (rc == 0)
        rc = list ? hubspot_list_next(root, rs, &next)
                  : hubspot_search_next(root, &st, last_ms, rs, &next);
    if (rc == 0)
        rowset_set_seen(rs, last_ms > 0 ? last_ms * 1000 : 0);
    return adapter_page_end(ctx, "hubspot", rc, &p, rs, next, root);
}

/* ---- rate limits (reference §7.4) ------------------------------------------------------------ */

/* Raises *pct to the share of the limit in header `max` that `remaining` says is used. */
static void usage(const struct http_response *resp, const char *max, const char *remaining,
                  int *pct)
{
    int64_t m, r;
    if (adapter_header_int(resp, max, &m) < 0 || adapter_header_int(resp, remaining, &r) < 0 ||
        m <= 0 || r > m)
        return;
    int v = (int)((m - r) * 100 / m);
    if (v > *pct)
        *pct = v;
}

/*
 * The ten-second budget of the non-search endpoints (Max requests per Interval-Milliseconds,
 * Remaining after this one): free while more than a tenth of it remains, then spaced at the
 * window's own rate, more widely the less remains, so that a long list load runs at the budget
 * instead of into TEN_SECONDLY_ROLLING refusals. -1 when the headers do not say.
 */
static int64_t burst_wait(const struct http_response *resp)
{
    int64_t max, left, interval;
    if (adapter_header_int(resp, "X-HubSpot-RateLimit-Max", &max) < 0 ||
        adapter_header_int(resp, "X-HubSpot-RateLimit-Remaining", &left) < 0 ||
        adapter_header_int(resp, "X-HubSpot-RateLimit-Interval-Milliseconds", &interval) < 0 ||
        max <= 0 || left > max || interval <= 0 || interval > 3600000)
        return -1;
    int64_t reserve = max / BURST_SHARE;
    if (left >= reserve)
        return -1;
    return interval * (reserve - left) / max;
}

static void ratelimit(const struct http_response *resp, int64_t now, struct rl_signal *sig)
{
    int64_t s;
    (void)now;
    sig->wait_ms = -1;
    sig->usage_pct = -1;
    sig->per_stream = false; /* the buckets are per app and portal */
    /* a window whose length is known is paced by it; the share used would pause for minutes */
    if (adapter_header_int(resp, "X-HubSpot-RateLimit-Interval-Milliseconds", &s) == 0)
        sig->wait_ms = burst_wait(resp);
    else
        usage(resp, "X-HubSpot-RateLimit-Max", "X-HubSpot-RateLimit-Remaining", &sig->usage_pct);
    usage(resp, "X-HubSpot-RateLimit-Secondly", "X-HubSpot-RateLimit-Secondly-Remaining",
          &sig->usage_pct);
    usage(resp, "X-HubSpot-RateLimit-Daily", "X-HubSpot-RateLimit-Daily-Remaining",
          &sig->usage_pct);
    if (resp->status == 429 && adapter_header_int(resp, "Retry-After", &s) == 0)
        sig->wait_ms = s * 1000;
}

/* Only the search counts against requests_per_second (its own per-second limit). The engine
 * asks before it plans a run, so a run's first contacts page is judged by the last run's
 * watermark: a search unless there is none yet. */
static bool paced(const struct adapter_ctx *ctx)
{
    const char *after;
    if (strcmp(ctx->stream, "hubspot.contacts") == 0)
        return !contacts_list(ctx, &after);
    return hubspot_deals_paced(ctx);
}

/* ---- tokens (reference §7.1, §12) ------------------------------------------------------------ */

/*
 * OAuth apps refresh; a private-app token (pat-...) has no refresh token and never expires. A
 * refusal is {"status":"BAD_REFRESH_TOKEN","message":...} (the app was uninstalled or the token
 * is wrong) or an OAuth error; 530 is HubSpot's answer to a malformed token, not server trouble.
 */
static const struct oauth_client oauth = {
    .name = "hubspot",
    .auth = OAUTH_AUTH_BODY,
    .client_first = true,
    .said = {"status", "error"},
    .not_transient = 530,
    .rt_string_only = true,
};

static int refresh_build(const struct cfg_platform *p, const struct cfg_credential *cred,
                         const char *access_token, const char *refresh_token,
                         struct http_request *req)
{
    (void)access_token;
    return oauth_refresh_build(&oauth, p, cred, refresh_token, req);
}

static int refresh_parse(const struct http_response *resp, struct token_set *out,
                         enum err_class *cls, char *why, size_t whylen)
{
    return oauth_refresh_parse(&oauth, resp, out, cls, why, whylen);
}

/* ---- the adapter ----------------------------------------------------------------------------- */

static const struct stream_def streams[] = {
    {.name = "hubspot.contacts",
     .basis = BASIS_UTC,
     .interval_ms = MINUTES(15),
     .lookback_ms = HOURS(1),
     .incremental = true,
     .build = build_contacts,
     .parse = parse_contacts},
    {.name = "hubspot.deals",
     .basis = BASIS_UTC,
     .interval_ms = MINUTES(15),
     .lookback_ms = HOURS(1),
     .incremental = true,
     .build = hubspot_build_deals,
     .parse = hubspot_parse_deals},
};

const struct adapter adapter_hubspot = {
    .platform = PLATFORM_HUBSPOT,
    .streams = streams,
    .nstreams = sizeof streams / sizeof streams[0],
    .ratelimit = ratelimit,
    .paced = paced,
    .refresh_build = refresh_build,
    .refresh_parse = refresh_parse,
};
