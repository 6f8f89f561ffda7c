/*
 * sim_hubspot_list.c - HubSpot's CRM list endpoints for contacts and deals (HubSpot's API
 * reference, crm/objects: "Retrieve all contacts" / "Retrieve all deals", GET
 * /crm/v3/objects/{objectType}; platform reference §7.4 for the limits).
 *
 *   GET /crm/v3/objects/{contacts|deals}?limit=100&after=...&properties=a,b&associations=deals
 *       &archived=false
 *   -> {"results":[{"id","properties":{...},"createdAt","updatedAt","archived",
 *                   "associations":{"deals":{"results":[{"id","type":"contact_to_deal"}]}}}],
 *       "paging":{"next":{"after":"...","link":"..."}}}   (paging absent on the last page)
 * limit defaults to 10 and is at most 100 (a larger one is a 400 VALIDATION_ERROR); records
 * come in id order and `after` is the id the next page starts at (an opaque token to clients).
 * properties and associations are comma-separated (or repeated) names; unknown properties and
 * object types are left out; without properties the object's default set comes back, and the
 * ones every answer has (createdate, hs_object_id, the last-modified date) always do. An
 * association type is listed only for a record that has some (deal_to_contact /
 * contact_to_deal, ids as strings). archived=true lists the archived records: this portal has
 * none. There is no "total", unlike the search. These endpoints fall under the ten-second
 * budget (sim_hubspot.c), not the search's secondly one.
 */
#include <stdlib.h>
#include <string.h>

#include "sim_hubspot.h"
#include "xmalloc.h"

#define LIST_MAX     100
#define LIST_DEFAULT 10
#define NAMES_MAX    64
#define ASSOC_MAX    100 /* associations of one record embedded in a list result */

static const char *const object_name[2] = {"contacts", "deals"};

struct list {
    enum hs_object o;
    long limit;
    uint64_t after;
    bool archived;
    bool assoc;             /* the other object type was asked for */
    char *names[NAMES_MAX]; /* the properties to return (owned) */
    size_t nnames;
};

/* ---- the query --------------------------------------------------------------------------------
 */

/* Every value of parameter key, split at commas, to fn. */
static void each_value(const struct http_req *r, const char *key,
                       void (*fn)(struct list *, const char *, size_t), struct list *l)
{
    for (size_t i = 0; i < r->nparams; i++) {
        if (strcmp(r->params[i].key, key) != 0)
            continue;
        for (const char *p = r->params[i].val; *p;) {
            size_t n = strcspn(p, ",");
            if (n)
                fn(l, p, n);
            p += n + (p[n] == ',');
        }
    }
}

static void add_name(struct list *l, const char *name, size_t n)
{
    for (size_t i = 0; i < l->nnames; i++)
        if (strlen(l->names[i]) == n && strncmp(l->names[i], name, n) == 0)
            return;
    if (l->nnames < NAMES_MAX)
        l->names[l->nnames++] = xstrndup(name, n);
}

/* A property asked for; one the object does not have is left out. */
static void add_property(struct list *l, const char *p, size_t n)
{
    char *name = xstrndup(p, n);
    if (hs_prop_known(l->o, name))
        add_name(l, p, n);
    free(name);
}

static void add_association(struct list *l, const char *p, size_t n)
{
    const char *other = object_name[l->o == HS_CONTACTS ? HS_DEALS : HS_CONTACTS];
    if (strlen(other) == n && strncmp(other, p, n) == 0)
        l->assoc = true;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The query's limit, after and archived; a message for the 400, or NULL. */
static const char *parse_paging(const struct http_req *r, struct list *l)
{
    const char *limit = http_param(r, "limit"), *after = http_param(r, "after");
    const char *archived = http_param(r, "archived");
    char *end;
    l->limit = LIST_DEFAULT;
    if (limit) {
        l->limit = strtol(limit, &end, 10);
        if (!*limit || *end || l->limit < 1 || l->limit > LIST_MAX)
            return "limit must be an integer from 1 to 100";
    }
    if (after) {
        l->after = strtoull(after, &end, 10);
        if (!*after || *end || after[0] == '-')
            return "after is not a paging cursor this endpoint returned";
    }
    if (archived && strcmp(archived, "true") != 0 && strcmp(archived, "false") != 0)
        return "archived must be true or false";
    l->archived = archived && strcmp(archived, "true") == 0;
    return NULL;
}

static bool parse_list(struct hs_ctx *c, struct list *l)
{
    const char *why = parse_paging(c->r, l);
    if (why) {
        hs_error(c, 400, "VALIDATION_ERROR", why);
        return false;
    }
    for (int i = 0; hs_always[l->o][i]; i++)
        add_name(l, hs_always[l->o][i], strlen(hs_always[l->o][i]));
    if (http_param(c->r, "properties"))
        each_value(c->r, "properties", add_property, l);
    else
        for (int i = 0; hs_defaults[l->o][i]; i++)
            add_name(l, hs_defaults[l->o][i], strlen(hs_defaults[l->o][i]));
    each_value(c->r, "associations", add_association, l);
    qsort(l->names, l->nnames, sizeof *l->names, cmp_name);
    return true;
}

/* ---- the answer -------------------------------------------------------------------------------
 */

static uint64_t record_id(const struct hs_world *hs, enum hs_object o, size_t i)
{
    return o == HS_CONTACTS ? hs->contacts[i].id : hs->deals[i].id;
}

/* The first record with an id at or above after (records are in id order). */
static size_t first_at(const struct hs_world *hs, enum hs_object o, size_t n, uint64_t after)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (record_id(hs, o, mid) < after)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void association(struct jw *j, const char *type, uint64_t id)
{
    jw_obj(j);
    jw_kstrf(j, "id", "%llu", (unsigned long long)id);
    jw_kstr(j, "type", type);
    jw_end(j);
}

/*
 * "associations":{"contacts":{"results":[...]}} of deal i, when it has contacts: at most
 * ASSOC_MAX of them, fewer with --hs-assoc-page; past that a "paging" object names the rest's
 * page of the deal's own associations endpoint (HubSpot changelog, "Announcing a change to how
 * v3 CRM APIs return association data": more than 100 associations page, `after` and `link`).
 */
static void deal_associations(struct hs_ctx *c, size_t i, struct jw *j)
{
    uint64_t who[2];
    size_t n = 0, page = c->w->hs_assoc_page && c->w->hs_assoc_page < ASSOC_MAX
                             ? c->w->hs_assoc_page
                             : ASSOC_MAX;
    hs_deal_contacts(c->hs, c->w, &c->hs->deals[i], who);
    while (n < 2 && who[n])
        n++;
    if (!n)
        return;
    jw_kobj(j, "associations");
    jw_kobj(j, "contacts");
    jw_karr(j, "results");
    for (size_t k = 0; k < n && k < page; k++)
        association(j, "deal_to_contact", who[k]);
    jw_end(j);
    if (n > page) {
        jw_kobj(j, "paging");
        jw_kobj(j, "next");
        jw_kstrf(j, "after", "%zu", page);
        jw_kstrf(j, "link",
                 "https://api.hubapi.com/crm/v3/objects/deals/%llu/associations/contacts?after=%zu",
                 (unsigned long long)c->hs->deals[i].id, page);
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
    jw_end(j);
}

/* The deals of contact i, when it has any. */
static void contact_associations(struct hs_ctx *c, size_t i, struct jw *j)
{
    uint64_t id = c->hs->contacts[i].id, who[2];
    bool open = false;
    for (size_t d = 0; d < c->hs->ndeals; d++) {
        hs_deal_contacts(c->hs, c->w, &c->hs->deals[d], who);
        if (who[0] != id && who[1] != id)
            continue;
        if (!open) {
            jw_kobj(j, "associations");
            jw_kobj(j, "deals");
            jw_karr(j, "results");
            open = true;
        }
        association(j, "contact_to_deal", c->hs->deals[d].id);
    }
    if (open) {
        jw_end(j);
        jw_end(j);
        jw_end(j);
    }
}

static void result(struct hs_ctx *c, const struct list *l, size_t i, struct jw *j)
{
    struct hs_value v;
    jw_obj(j);
    jw_kstrf(j, "id", "%llu", (unsigned long long)record_id(c->hs, l->o, i));
    jw_kobj(j, "properties");
    for (size_t k = 0; k < l->nnames; k++) {
        hs_prop(c, l->o, i, l->names[k], &v);
        jw_kstr_or_null(j, l->names[k], v.null ? NULL : v.text);
    }
    jw_end(j);
    hs_prop(c, l->o, i, "createdate", &v);
    jw_kstr(j, "createdAt", v.text);
    hs_prop(c, l->o, i, l->o == HS_CONTACTS ? "lastmodifieddate" : "hs_lastmodifieddate", &v);
    jw_kstr(j, "updatedAt", v.text);
    jw_kbool(j, "archived", false);
    if (l->assoc && l->o == HS_DEALS)
        deal_associations(c, i, j);
    else if (l->assoc)
        contact_associations(c, i, j);
    jw_end(j);
}

void hs_list(struct hs_ctx *c, enum hs_object o)
{
    struct list l = {.o = o};
    struct jw j;
    if (!parse_list(c, &l)) {
        for (size_t i = 0; i < l.nnames; i++)
            free(l.names[i]);
        return;
    }
    size_t n = l.archived ? 0 : o == HS_CONTACTS ? c->hs->ncontacts : c->hs->ndeals;
    size_t from = first_at(c->hs, o, n, l.after);
    size_t end = from + (size_t)l.limit < n ? from + (size_t)l.limit : n;
    hs_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "results");
    for (size_t i = from; i < end; i++)
        result(c, &l, i, &j);
    jw_end(&j);
    if (end < n) {
        unsigned long long next = (unsigned long long)record_id(c->hs, o, end);
        jw_kobj(&j, "paging");
        jw_kobj(&j, "next");
        jw_kstrf(&j, "after", "%llu", next);
        jw_kstrf(&j, "link", "https://api.hubapi.com/crm/v3/objects/%s?limit=%ld&after=%llu",
                 object_name[o], l.limit, next);
        jw_end(&j);
        jw_end(&j);
    }
    jw_end(&j);
    for (size_t i = 0; i < l.nnames; i++)
        free(l.names[i]);
}
