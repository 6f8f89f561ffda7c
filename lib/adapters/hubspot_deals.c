/*
 * hubspot_deals.c - hubspot.deals: the deal pipelines' stages, deals changed since the watermark,
 * and the contacts each deal is associated with. Requests, errors and the search window are in
 * hubspot.c.
 *
 * A run is a chain of pages, the page cursor saying which comes next:
 *   NULL                 GET /crm/v3/pipelines/deals -> a `stage` per pipeline stage
 *   "search:W:A"         POST /crm/v3/objects/deals/search at watermark W, after A -> `deal`s
 *   "assoc:IDS[:W:A]"    POST /crm/v4/associations/deals/contacts/batch/read for the deal ids of
 *                        the search page just read (digits, comma-separated) -> `deal_contact`s;
 *                        then the search page W:A when there is one
 *   "more:R:ID=HEX,...[:W:A]"
 *                        the same request for the deals whose contacts go on: each input is the
 *                        deal id with the `after` its last answer gave (paging.next.after, here
 *                        hex-encoded: the token is opaque), R the round (1 for the first answer
 *                        after "assoc:"); then the search page W:A when there is one
 *   "list:AFTER"         GET /crm/v3/objects/deals?associations=contacts&after=AFTER, a full
 *                        load (after the pipelines when the run has no watermark yet) -> `deal`s
 *                        and their `deal_contact`s
 *   "assoc:IDS@list:AFTER", "more:R:ID=HEX,...@list:AFTER"
 *                        the batch read for the deals of a list page whose embedded contacts
 *                        were cut short, then that list's next page (none when the cursor ends
 *                        at IDS: the list page was the last)
 * Search results never carry associations (reference §7.2, §15.15), hence the extra request per
 * page. W:A is the search position of hubspot.c, moved past 9,800 results like contacts. A list
 * page names each deal's contacts itself ("associations":{"contacts":{"results":[{"id":"201",
 * "type":"deal_to_contact"}]}}, ids as strings; absent for a deal without any); a pair listed
 * under more than one association type (labels) is one `deal_contact`, as in the v4 answer.
 * Embedded associations stop at 100 per record (HubSpot changelog, "Announcing a change to how
 * v3 CRM APIs return association data"): a deal whose list result carries paging inside
 * "associations" is read again whole by the batch read before the next list page, the
 * embedded `after` being a token of the v3 per-record endpoint, not of the v4 batch read.
 *
 * Associations page per deal (batch read reference: "The 'after' field in a returned paging
 * object can be added alongside the 'id' to retrieve the next page of associations from that
 * objectId"; `paging` is present only when more follow). Their rounds are bounded
 * (ASSOC_ROUNDS: past it the rest is dropped with a warning), and a deal answered with the
 * `after` it was asked with is refused as a repeated cursor rather than asked again.
 *
 * Stages (reference §7.3): metadata values are strings ("true", "1.0"); a closed stage with
 * probability 1.0 is won, a closed one with probability 0 is lost. Deals: amount is a decimal
 * string that may be empty or null (no amount), in deal_currency_code or else the account's
 * currency; won and closed come from hs_is_closed_won and hs_is_closed (the database maps the
 * stage too, once its definition is known); closedate is the close time only of a closed deal,
 * on an open one it is the expected close date. Deals without contacts come back from the
 * associations batch as errors, which are normal; any other error there is counted as a warning.
 *
 * With no cursor (`socialroi parse` on a saved body) a search, list or associations answer is
 * read as that page, without a next cursor.
 *
 * Pure, like the rest of the adapter.
 */
#include "hubspot_int.h"
#include "buf.h"
#include "money.h"
#include "xmalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_SEARCH "search:"
#define PAGE_ASSOC  "assoc:"
#define PAGE_MORE   "more:"

/* Rounds of per-deal association paging after one batch read, and the longest `after` kept. */
#define ASSOC_ROUNDS    100
#define ASSOC_AFTER_MAX 512

enum deal_page { PAGE_PIPELINES, PAGE_DEALS, PAGE_CONTACTS, PAGE_LIST };

struct deal_cursor {
    enum deal_page kind;
    struct hubspot_search st; /* the search page (PAGE_DEALS), or the one after (PAGE_CONTACTS) */
    bool more;                /* PAGE_CONTACTS: a search page follows */
    char *ids;                /* PAGE_CONTACTS: "1,2,3", or "1=HEX,2=HEX" past a round (owned) */
    int round;                /* PAGE_CONTACTS: 0 for "assoc:", R for "more:R:" */
    bool lone;                /* no cursor, a later page's body: no next page */
    const char *after;        /* PAGE_LIST: the after token ("" = the first page), borrowed */
    const char *then_list;    /* PAGE_CONTACTS: "list:AFTER" to go on with, or NULL; borrowed */
};

static const char *const deal_props[] = {
    "amount",    "deal_currency_code",  "dealstage",    "pipeline",         "createdate",
    "closedate", "hs_lastmodifieddate", "hs_is_closed", "hs_is_closed_won", NULL,
};

/* ---- cursor ---------------------------------------------------------------------------------- */

/* "1,2,3": digits in comma-separated groups. */
static bool id_list(const char *s, size_t n)
{
    if (n == 0 || s[0] == ',' || s[n - 1] == ',')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] >= '0' && s[i] <= '9') && !(s[i] == ',' && s[i + 1] != ','))
            return false;
    return true;
}

static int hex_digit(char h)
{
    return h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : -1;
}

/* "1=HEX,2=HEX": deal ids each with a non-empty hex-encoded `after`, comma-separated. */
static bool after_list(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t d = i, h;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == d || i == n || s[i++] != '=')
            return false;
        for (h = i; i < n && s[i] != ','; i++)
            if (hex_digit(s[i]) < 0)
                return false;
        if (i == h || (i - h) % 2 || (i - h) / 2 > ASSOC_AFTER_MAX)
            return false;
        if (i < n && ++i == n) /* a trailing comma */
            return false;
    }
    return n > 0;
}

/* The `after` (decoded, caller frees) the entry of deal holds in "1=HEX,2=HEX", or NULL. */
static char *after_of(const char *list, const char *deal)
{
    size_t dl = strlen(deal);
    for (const char *p = list; p && *p;) {
        size_t n = strcspn(p, ",");
        const char *eq = memchr(p, '=', n);
        if (eq && (size_t)(eq - p) == dl && memcmp(p, deal, dl) == 0) {
            size_t h = n - (size_t)(eq + 1 - p);
            char *out = xmalloc(h / 2 + 1);
            for (size_t i = 0; i < h / 2; i++)
                out[i] = (char)(hex_digit(eq[1 + 2 * i]) * 16 + hex_digit(eq[2 + 2 * i]));
            out[h / 2] = '\0';
            return out;
        }
        p += n + (p[n] == ',');
    }
    return NULL;
}

/* Reads the page cursor (NULL = pipelines); -1 when it is not one of this stream's. */
static int read_cursor(const char *page, struct deal_cursor *c)
{
    memset(c, 0, sizeof *c);
    if (!page)
        return 0;
    if (strncmp(page, HUBSPOT_PAGE_LIST, strlen(HUBSPOT_PAGE_LIST)) == 0) {
        c->kind = PAGE_LIST;
        c->after = page + strlen(HUBSPOT_PAGE_LIST);
        return 0;
    }
    if (strncmp(page, PAGE_SEARCH, strlen(PAGE_SEARCH)) == 0) {
        c->kind = PAGE_DEALS;
        return hubspot_search_read(page + strlen(PAGE_SEARCH), &c->st);
    }
    const char *ids;
    if (strncmp(page, PAGE_MORE, strlen(PAGE_MORE)) == 0) {
        char *end;
        long r = strtol(page + strlen(PAGE_MORE), &end, 10);
        if (end == page + strlen(PAGE_MORE) || *end != ':' || r < 1 || r > ASSOC_ROUNDS ||
            !(page[strlen(PAGE_MORE)] >= '1' && page[strlen(PAGE_MORE)] <= '9'))
            return -1;
        c->round = (int)r;
        ids = end + 1;
    } else if (strncmp(page, PAGE_ASSOC, strlen(PAGE_ASSOC)) == 0) {
        ids = page + strlen(PAGE_ASSOC);
    } else {
        return -1;
    }
    size_t n = strcspn(ids, ":@");
    if (c->round ? !after_list(ids, n) : !id_list(ids, n))
        return -1;
    if (ids[n] == '@' && strncmp(ids + n + 1, HUBSPOT_PAGE_LIST, strlen(HUBSPOT_PAGE_LIST)) != 0)
        return -1;
    c->kind = PAGE_CONTACTS;
    c->ids = xstrndup(ids, n);
    c->more = ids[n] == ':';
    c->then_list = ids[n] == '@' ? ids + n + 1 : NULL;
    if (c->more && hubspot_search_read(ids + n + 1, &c->st) < 0) {
        free(c->ids);
        c->ids = NULL;
        return -1;
    }
    return 0;
}

/* ---- requests -------------------------------------------------------------------------------- */

static char *assoc_body(const char *ids)
{
    cJSON *body = cJSON_CreateObject(), *inputs = cJSON_AddArrayToObject(body, "inputs");
    for (const char *p = ids; *p;) {
        size_t n = strcspn(p, ","), d = strcspn(p, "=,");
        cJSON *in = cJSON_CreateObject();
        char *id = xstrndup(p, d), *after = d < n ? after_of(p, id) : NULL;
        cJSON_AddStringToObject(in, "id", id);
        if (after) /* the token goes back as it came */
            cJSON_AddStringToObject(in, "after", after);
        cJSON_AddItemToArray(inputs, in);
        free(id);
        free(after);
        p += n + (p[n] == ',');
    }
    char *s = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    char *out = xstrdup(s);
    cJSON_free(s);
    return out;
}

int hubspot_build_deals(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                        size_t whylen)
{
    struct deal_cursor c;
    int rc;
    if (read_cursor(ctx->page, &c) < 0) {
        snprintf(why, whylen, "page cursor is not a deals page");
        return -1;
    }
    if (c.kind == PAGE_PIPELINES)
        rc = hubspot_request(ctx, req, "GET", "/crm/v3/pipelines/deals", NULL, why, whylen);
    else if (c.kind == PAGE_LIST)
        rc = hubspot_list_request(ctx, req, "deals", c.after, deal_props, "contacts", why, whylen);
    else if (c.kind == PAGE_DEALS)
        rc = hubspot_request(ctx, req, "POST", "/crm/v3/objects/deals/search",
                             hubspot_search_body("hs_lastmodifieddate", &c.st, deal_props), why,
                             whylen);
    else
        rc = hubspot_request(ctx, req, "POST", "/crm/v4/associations/deals/contacts/batch/read",
                             assoc_body(c.ids), why, whylen);
    free(c.ids);
    return rc;
}

bool hubspot_deals_paced(const struct adapter_ctx *ctx)
{
    struct deal_cursor c;
    bool search = read_cursor(ctx->page, &c) == 0 && c.kind == PAGE_DEALS;
    free(c.ids);
    return search;
}

/* ---- pipelines (reference §7.3) -------------------------------------------------------------- */

static int stage_item(const cJSON *s, const char *pipeline, struct rowset *rs,
                      struct adapter_pending *p)
{
    struct record r = {.type = REC_STAGE};
    const cJSON *meta = json_get(s, "metadata");
    const char *id, *label = NULL;
    int64_t prob = -1;
    bool closed = false;
    if (!cJSON_IsObject(s) || json_str(s, "id", &id) != JSON_OK || !*id)
        return hubspot_malformed(rs, "pipeline stage without an id");
    if (json_str(s, "label", &label) == JSON_BAD ||
        json_bool(meta, "isClosed", &closed) == JSON_BAD ||
        json_money(meta, "probability", &prob) == JSON_BAD)
        return hubspot_malformed(rs, "stage label, isClosed or probability is not readable");
    r.u.stage.pipeline = pipeline;
    r.u.stage.stage = rowset_strdup(rs, id);
    r.u.stage.label = rowset_strdup(rs, label);
    r.u.stage.is_closed = closed;
    r.u.stage.is_won = closed && prob == MONEY_MICROS; /* probability "1.0" */
    adapter_pending_add(p, &r);
    return 0;
}

static int pipelines_page(const cJSON *root, struct rowset *rs, struct adapter_pending *p)
{
    const cJSON *results = hubspot_results(root, rs), *pl, *s;
    if (!results)
        return -1;
    cJSON_ArrayForEach(pl, results)
    {
        const char *id;
        const cJSON *stages = json_get(pl, "stages");
        if (json_str(pl, "id", &id) != JSON_OK || !*id || !cJSON_IsArray(stages))
            return hubspot_malformed(rs, "pipeline without an id or stages");
        const char *pipeline = rowset_strdup(rs, id);
        cJSON_ArrayForEach(s, stages)
        {
            if (stage_item(s, pipeline, rs, p) < 0)
                return -1;
        }
    }
    return 0;
}

/* ---- deals ----------------------------------------------------------------------------------- */

/* Amount in micro-units and its currency; no amount when the property is null or "". */
static int deal_amount(const struct adapter_ctx *ctx, const cJSON *props, struct rowset *rs,
                       struct rec_deal *d)
{
    const char *cur, *amount;
    if (hubspot_prop(props, "deal_currency_code", rs, &cur) < 0)
        return -1;
    if (!cur || !money_currency_valid(cur))
        cur = ctx->account ? ctx->account->currency : NULL;
    if (cur && money_currency_valid(cur))
        memcpy(d->currency, cur, 4);
    if (json_str(props, "amount", &amount) == JSON_OK && !*amount)
        return 0;
    enum json_get g = json_money(props, "amount", &d->amount_micros);
    if (g == JSON_BAD)
        return hubspot_malformed(rs, "deal %s: amount is not a decimal", d->id);
    d->has_amount = g == JSON_OK;
    return 0;
}

static int deal_flags(const cJSON *props, struct rowset *rs, struct rec_deal *d)
{
    const char *stage, *pipeline;
    int64_t closed;
    if (json_bool(props, "hs_is_closed_won", &d->is_won) == JSON_BAD ||
        json_bool(props, "hs_is_closed", &d->is_closed) == JSON_BAD)
        return hubspot_malformed(rs, "deal %s: hs_is_closed or hs_is_closed_won is not a boolean",
                                 d->id);
    d->is_closed = d->is_closed || d->is_won;
    if (hubspot_prop(props, "dealstage", rs, &stage) < 0 ||
        hubspot_prop(props, "pipeline", rs, &pipeline) < 0)
        return -1;
    d->stage = rowset_strdup(rs, stage);
    d->pipeline = rowset_strdup(rs, pipeline);
    enum json_get g = hubspot_time(props, "closedate", &closed);
    if (g == JSON_BAD)
        return hubspot_malformed(rs, "deal %s: closedate is not a time", d->id);
    /* an open deal's closedate is when it is expected to close */
    d->closed_at = g == JSON_OK && d->is_closed ? closed : 0;
    return 0;
}

static int deal_result(const struct adapter_ctx *ctx, const cJSON *res, struct rowset *rs,
                       struct adapter_pending *p, struct buf *ids, int64_t *last_ms)
{
    struct record r = {.type = REC_DEAL};
    struct rec_deal *d = &r.u.deal;
    const cJSON *props = json_get(res, "properties");
    int64_t mod;
    if (!cJSON_IsObject(res) || !cJSON_IsObject(props))
        return hubspot_malformed(rs, "results[] item without properties");
    if (!(d->id = hubspot_id(res, "id", rs)) && !(d->id = hubspot_id(props, "hs_object_id", rs)))
        return hubspot_malformed(rs, "deal without a numeric id");
    enum json_get g = hubspot_time(props, "hs_lastmodifieddate", &mod);
    if (g == JSON_BAD)
        return hubspot_malformed(rs, "deal %s: hs_lastmodifieddate is not a time", d->id);
    if (g == JSON_OK && mod / 1000 > *last_ms)
        *last_ms = mod / 1000;
    g = hubspot_time(props, "createdate", &d->created_at);
    if (g == JSON_ABSENT)
        g = hubspot_time(res, "createdAt", &d->created_at);
    if (g != JSON_OK)
        return hubspot_malformed(rs, "deal %s: no createdate", d->id);
    if (deal_amount(ctx, props, rs, d) < 0 || deal_flags(props, rs, d) < 0)
        return -1;
    adapter_pending_add(p, &r);
    buf_printf(ids, "%s%s", ids->len ? "," : "", d->id);
    return 0;
}

/* Deals of a search page; the next cursor asks for their contacts, then the next search page. */
static int deals_page(const struct adapter_ctx *ctx, const cJSON *root, const struct deal_cursor *c,
                      struct rowset *rs, struct adapter_pending *p, char **next)
{
    const cJSON *results = hubspot_results(root, rs), *res;
    struct buf ids = {0};
    int64_t last_ms = -1;
    char *search = NULL;
    int rc = results ? 0 : -1;
    cJSON_ArrayForEach(res, results)
    {
        if ((rc = deal_result(ctx, res, rs, p, &ids, &last_ms)) < 0)
            break;
    }
    if (rc == 0)
        rc = hubspot_search_next(root, &c->st, last_ms, rs, &search);
    if (rc == 0) /* the watermark follows HubSpot's clock */
        rowset_set_seen(rs, last_ms > 0 ? last_ms * 1000 : 0);
    if (rc == 0 && !c->lone) {
        if (ids.len)
            *next =
                xasprintf(PAGE_ASSOC "%s%s%s", ids.data, search ? ":" : "", search ? search : "");
        else if (search)
            *next = xasprintf(PAGE_SEARCH "%s", search);
    }
    free(search);
    buf_free(&ids);
    return rc;
}

/* ---- list pages ------------------------------------------------------------------------------ */

/*
 * The contacts a list result names (associations.contacts.results[].id), each pair once; *cut
 * when more follow than the result holds.
 */
static int list_contacts(const cJSON *res, const char *deal, struct rowset *rs,
                         struct adapter_pending *p, bool *cut)
{
    const cJSON *assoc = json_get(res, "associations");
    const cJSON *to = json_get(assoc, "contacts"), *results = json_get(to, "results"), *t;
    if (!assoc || cJSON_IsNull(assoc) || (cJSON_IsObject(assoc) && !to))
        return 0;
    if (!cJSON_IsObject(assoc) || !cJSON_IsObject(to) || !cJSON_IsArray(results))
        return hubspot_malformed(rs, "deal %s: associations.contacts without results", deal);
    size_t n = 0;
    const char **seen = xcalloc((size_t)cJSON_GetArraySize(results) + 1, sizeof *seen);
    int rc = 0;
    cJSON_ArrayForEach(t, results)
    {
        const char *id = hubspot_id(t, "id", rs);
        bool dup = false;
        if (!id) {
            rc = hubspot_malformed(rs, "deal %s: an associated contact without a numeric id", deal);
            break;
        }
        for (size_t i = 0; i < n && !dup; i++)
            dup = strcmp(seen[i], id) == 0;
        if (dup)
            continue;
        seen[n++] = id;
        struct record r = {.type = REC_DEAL_CONTACT};
        r.u.deal_contact.deal = deal;
        r.u.deal_contact.contact = id;
        adapter_pending_add(p, &r);
    }
    free(seen);
    const cJSON *more = json_path(to, "paging", "next", NULL);
    *cut = rc == 0 && more && !cJSON_IsNull(more);
    return rc;
}

/*
 * Deals of a list page modified since the watermark, each followed by its contacts; the deals
 * whose contacts were cut short go to the batch read before the next list page (a saved page
 * alone cannot go on: a warning).
 */
static int list_page(const struct adapter_ctx *ctx, const cJSON *root, const struct deal_cursor *c,
                     struct rowset *rs, struct adapter_pending *p, char **next)
{
    const cJSON *results = hubspot_results(root, rs), *res;
    struct buf cut = {0};
    int64_t last_ms = -1;
    int rc = results ? 0 : -1;
    cJSON_ArrayForEach(res, results)
    {
        struct buf id = {0};
        bool more = false;
        if (!hubspot_list_keeps(ctx, res, "hs_lastmodifieddate"))
            continue;
        rc = deal_result(ctx, res, rs, p, &id, &last_ms);
        if (rc == 0)
            rc = list_contacts(res, rowset_strdup(rs, id.data), rs, p, &more);
        if (rc == 0 && more)
            buf_printf(&cut, "%s%s", cut.len ? "," : "", id.data);
        buf_free(&id);
        if (rc < 0)
            break;
    }
    if (rc == 0)
        rc = hubspot_list_next(root, rs, next);
    if (rc == 0 && cut.len && c->lone) {
        rowset_add_warning(rs);
    } else if (rc == 0 && cut.len) {
        char *list = *next;
        *next = xasprintf(PAGE_ASSOC "%s%s%s", cut.data, list ? "@" : "", list ? list : "");
        free(list);
    }
    if (rc == 0)
        rowset_set_seen(rs, last_ms > 0 ? last_ms * 1000 : 0);
    buf_free(&cut);
    return rc;
}

/* ---- associations ---------------------------------------------------------------------------- */

/* errors[] of a batch answer: a deal without contacts is normal, anything else a warning. */
static int assoc_errors(const cJSON *root, struct rowset *rs)
{
    const cJSON *errors = json_get(root, "errors"), *e;
    if (!errors || cJSON_IsNull(errors))
        return 0;
    if (!cJSON_IsArray(errors))
        return hubspot_malformed(rs, "errors is not an array");
    cJSON_ArrayForEach(e, errors)
    {
        const char *cat = "", *sub = "";
        if (json_str(e, "category", &cat) != JSON_OK)
            cat = "";
        if (json_str(e, "subCategory", &sub) != JSON_OK)
            sub = "";
        if (strcmp(cat, "OBJECT_NOT_FOUND") != 0 && !strstr(sub, "NO_ASSOCIATIONS_FOUND"))
            rowset_add_warning(rs);
    }
    return 0;
}

/*
 * A deal's contacts in one answer. When more follow (paging.next.after), "DEAL=HEX" goes onto
 * more for the next round; an `after` equal to the one the deal was asked with is a repeat.
 */
static int assoc_result(const cJSON *res, const struct deal_cursor *c, struct rowset *rs,
                        struct adapter_pending *p, struct buf *more)
{
    const cJSON *to = json_get(res, "to"), *t;
    const char *deal = hubspot_id(json_get(res, "from"), "id", rs);
    if (!deal || !cJSON_IsArray(to))
        return hubspot_malformed(rs, "association without a numeric from.id or a to list");
    cJSON_ArrayForEach(t, to)
    {
        struct record r = {.type = REC_DEAL_CONTACT};
        r.u.deal_contact.deal = deal;
        /* toObjectId: a JSON number in v4 answers, read without a double */
        if (!(r.u.deal_contact.contact = hubspot_id(t, "toObjectId", rs)))
            return hubspot_malformed(rs, "deal %s: association without a numeric toObjectId", deal);
        adapter_pending_add(p, &r);
    }
    const cJSON *next = json_path(res, "paging", "next", NULL);
    const char *after;
    if (!next || cJSON_IsNull(next))
        return 0;
    if (json_str(next, "after", &after) != JSON_OK || !*after || strlen(after) > ASSOC_AFTER_MAX)
        return hubspot_malformed(rs, "deal %s: paging.next without a usable after", deal);
    char *asked = c->round ? after_of(c->ids, deal) : NULL;
    bool repeats = adapter_cursor_repeats(asked, after, "hubspot", rs);
    free(asked);
    if (repeats)
        return -1;
    buf_printf(more, "%s%s=", more->len ? "," : "", deal);
    for (const unsigned char *q = (const unsigned char *)after; *q; q++)
        buf_printf(more, "%02x", *q);
    return 0;
}

static int contacts_page(const cJSON *root, const struct deal_cursor *c, struct rowset *rs,
                         struct adapter_pending *p, char **next)
{
    const cJSON *results = hubspot_results(root, rs), *res;
    struct buf more = {0};
    if (!results || assoc_errors(root, rs) < 0)
        return -1;
    cJSON_ArrayForEach(res, results)
    {
        if (assoc_result(res, c, rs, p, &more) < 0) {
            buf_free(&more);
            return -1;
        }
    }
    if (c->lone) {
        if (more.len) /* a saved answer alone: the rest of its deals' contacts is not read */
            rowset_add_warning(rs);
    } else if (more.len && c->round < ASSOC_ROUNDS) {
        if (c->more)
            *next = xasprintf(PAGE_MORE "%d:%s:%" PRId64 ":%s", c->round + 1, more.data,
                              c->st.since_ms, c->st.after);
        else
            *next = xasprintf(PAGE_MORE "%d:%s%s%s", c->round + 1, more.data,
                              c->then_list ? "@" : "", c->then_list ? c->then_list : "");
    } else {
        if (more.len) /* ASSOC_ROUNDS answers and still more: the rest is dropped */
            rowset_add_warning(rs);
        if (c->more)
            *next = xasprintf(PAGE_SEARCH "%" PRId64 ":%s", c->st.since_ms, c->st.after);
        else if (c->then_list)
            *next = xstrdup(c->then_list);
    }
    buf_free(&more);
    return 0;
}

/* ---- pages ----------------------------------------------------------------------------------- */

/* No cursor: pipelines, unless the body can only be a search or an associations answer. */
static void sniff(const struct adapter_ctx *ctx, const cJSON *root, struct deal_cursor *c)
{
    const cJSON *first = cJSON_GetArrayItem(json_get(root, "results"), 0);
    if (ctx->page || !first)
        return;
    if (json_get(first, "properties")) /* search results never carry associations */
        c->kind = json_get(first, "associations") ? PAGE_LIST : PAGE_DEALS;
    else if (json_get(first, "from"))
        c->kind = PAGE_CONTACTS;
    else
        return;
    c->lone = true;
    c->st.since_ms = ctx->since > 0 ? ctx->since / 1000 : 0;
    c->st.after = "";
}

static int deals_dispatch(const struct adapter_ctx *ctx, const cJSON *root, struct deal_cursor *c,
                          struct rowset *rs, struct adapter_pending *p, char **next)
{
    sniff(ctx, root, c);
    if (c->kind == PAGE_DEALS)
        return deals_page(ctx, root, c, rs, p, next);
    if (c->kind == PAGE_CONTACTS)
        return contacts_page(root, c, rs, p, next);
    if (c->kind == PAGE_LIST) {
        int rc = list_page(ctx, root, c, rs, p, next);
        if (c->lone) {
            free(*next);
            *next = NULL;
        }
        return rc;
    }
    if (pipelines_page(root, rs, p) < 0)
        return -1;
    /* a full load lists the deals; an increment searches from the watermark */
    if (ctx->full)
        *next = xstrdup(HUBSPOT_PAGE_LIST);
    else
        *next = xasprintf(PAGE_SEARCH "%" PRId64 ":", ctx->since > 0 ? ctx->since / 1000 : 0);
    return 0;
}

int hubspot_parse_deals(const struct adapter_ctx *ctx, const struct http_response *resp,
                        struct rowset *rs)
{
    struct adapter_pending p = {0};
    struct deal_cursor c;
    char *next = NULL;
    if (read_cursor(ctx->page, &c) < 0)
        return hubspot_malformed(rs, "page cursor is not a deals page");
    cJSON *root = hubspot_read_body(ctx, resp, rs);
    int rc = root ? deals_dispatch(ctx, root, &c, rs, &p, &next) : -1;
    free(c.ids);
    return adapter_page_end(ctx, "hubspot", rc, &p, rs, next, root);
}
