/*
 * sim_hubspot_search.c - HubSpot's CRM search for contacts and deals (reference §7.2, §10.7,
 * §15 item 15; developers.hubspot.com/docs/api/crm/search).
 *
 *   POST /crm/v3/objects/{contacts|deals}/search
 *   {"filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GTE",
 *                                 "value":"1704067200000"}]}],
 *    "sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}],
 *    "properties":["email",...],"limit":200,"after":"0","query":"text"}
 *   -> {"total":N,"results":[{"id","properties":{...},"createdAt","updatedAt","archived"}],
 *       "paging":{"next":{"after":"200"}}}   (paging absent on the last page)
 * Filter groups are ORed (at most 5), their filters ANDed (at most 10 per group, 25 in all);
 * operators EQ, NEQ, LT, LTE, GT, GTE, BETWEEN (value, highValue), IN / NOT_IN (values),
 * HAS_PROPERTY, NOT_HAS_PROPERTY. Dates compare as epoch ms (given as a number string or
 * ISO-8601), numbers as decimals, the rest as case-insensitive text; a property the object
 * does not have is null, so a filter on it matches nothing. One sort at most (ties by id).
 * limit at most 200 (default 10); only the first 10,000 results can be paged: after >= 10000
 * is a 400 VALIDATION_ERROR, while total still counts every match. Properties come back as
 * asked (unknown ones left out) plus createdate, hs_object_id and the last-modified date;
 * without "properties" the object's default set.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "money.h"
#include "sim_hubspot.h"
#include "xmalloc.h"

#define MAX_GROUPS        5
#define MAX_GROUP_FILTERS 10
#define MAX_FILTERS       25
#define MAX_LIMIT         200
#define WINDOW            10000

struct search {
    enum hs_object o;
    const cJSON *groups, *sorts, *props;
    const char *sort_prop, *query;
    bool descending;
    long limit, after;
};

struct hit {
    size_t i;
    uint64_t id;
    struct hs_value key;
};

/* ---- filters -------------------------------------------------------------------------------- */

/* A filter value as a number of the property's type (ms or micros); false when it is not. */
static bool operand(const struct hs_value *v, const cJSON *x, int64_t *num)
{
    char buf[64];
    const char *s = cJSON_IsString(x) ? x->valuestring : NULL;
    if (cJSON_IsNumber(x)) { /* HubSpot takes numbers too; ours are integers */
        snprintf(buf, sizeof buf, "%.0f", x->valuedouble);
        s = buf;
    }
    if (!s)
        return false;
    if (v->type == HS_DATETIME) {
        int64_t us;
        char *end;
        long long ms = strtoll(s, &end, 10);
        if (*s && !*end) {
            *num = ms;
            return true;
        }
        if (json_parse_time(s, &us) < 0)
            return false;
        *num = us / 1000;
        return true;
    }
    return money_parse_decimal(s, strlen(s), num) == 0;
}

/* -1, 0 or 1 comparing the property with one operand; 2 when they do not compare. */
static int compare(const struct hs_value *v, const cJSON *x)
{
    int64_t n = 0;
    if (v->type == HS_STRING) {
        int r = strcasecmp(v->text, cJSON_IsString(x) ? x->valuestring : "");
        return cJSON_IsString(x) ? (r > 0) - (r < 0) : 2;
    }
    if (!operand(v, x, &n))
        return 2;
    return (v->num > n) - (v->num < n);
}

static bool in_list(const struct hs_value *v, const cJSON *values)
{
    const cJSON *x;
    cJSON_ArrayForEach(x, values)
    {
        if (compare(v, x) == 0)
            return true;
    }
    return false;
}

static bool filter_ok(struct hs_ctx *c, const struct search *s, size_t i, const cJSON *f)
{
    const char *name = NULL, *op = NULL;
    struct hs_value v;
    json_str(f, "propertyName", &name);
    json_str(f, "operator", &op);
    if (hs_prop_known(s->o, name))
        hs_prop(c, s->o, i, name, &v);
    else
        v.null = true;
    if (strcmp(op, "HAS_PROPERTY") == 0 || strcmp(op, "NOT_HAS_PROPERTY") == 0)
        return v.null == (op[0] == 'N');
    if (strcmp(op, "NEQ") == 0)
        return v.null || compare(&v, json_get(f, "value")) != 0;
    if (strcmp(op, "NOT_IN") == 0)
        return v.null || !in_list(&v, json_get(f, "values"));
    if (v.null)
        return false;
    if (strcmp(op, "IN") == 0)
        return in_list(&v, json_get(f, "values"));
    int r = compare(&v, json_get(f, "value"));
    if (strcmp(op, "BETWEEN") == 0) {
        int hi = compare(&v, json_get(f, "highValue"));
        return (r == 0 || r == 1) && (hi == 0 || hi == -1);
    }
    return r != 2 && ((strcmp(op, "EQ") == 0 && r == 0) || (strcmp(op, "LT") == 0 && r < 0) ||
                      (strcmp(op, "LTE") == 0 && r <= 0) || (strcmp(op, "GT") == 0 && r == 1) ||
                      (strcmp(op, "GTE") == 0 && (r == 0 || r == 1)));
}

static bool query_ok(struct hs_ctx *c, const struct search *s, size_t i)
{
    static const char *const fields[2][3] = {{"email", "firstname", "lastname"},
                                             {"dealname", NULL, NULL}};
    struct hs_value v;
    if (!s->query || !*s->query)
        return true;
    for (int k = 0; k < 3 && fields[s->o][k]; k++) {
        hs_prop(c, s->o, i, fields[s->o][k], &v);
        if (!v.null && strcasestr(v.text, s->query))
            return true;
    }
    return false;
}

static bool matches(struct hs_ctx *c, const struct search *s, size_t i)
{
    const cJSON *g, *f;
    if (!query_ok(c, s, i))
        return false;
    if (cJSON_GetArraySize(s->groups) == 0)
        return true;
    cJSON_ArrayForEach(g, s->groups)
    {
        bool all = true;
        cJSON_ArrayForEach(f, json_get(g, "filters"))
        {
            if (!(all = filter_ok(c, s, i, f)))
                break;
        }
        if (all)
            return true;
    }
    return false;
}

/* ---- the request ---------------------------------------------------------------------------- */

static const char *const operators[] = {"EQ",
                                        "NEQ",
                                        "LT",
                                        "LTE",
                                        "GT",
                                        "GTE",
                                        "BETWEEN",
                                        "IN",
                                        "NOT_IN",
                                        "HAS_PROPERTY",
                                        "NOT_HAS_PROPERTY",
                                        NULL};

static bool valid_filter(const cJSON *f)
{
    const char *name = NULL, *op = NULL;
    if (json_str(f, "propertyName", &name) != JSON_OK || json_str(f, "operator", &op) != JSON_OK)
        return false;
    for (const char *const *o = operators; *o; o++)
        if (strcmp(*o, op) == 0)
            return true;
    return false;
}

/* Limits of filterGroups (reference §7.2); a message for the 400, or NULL. */
static const char *check_groups(const cJSON *groups)
{
    const cJSON *g, *f;
    int total = 0;
    if (groups && !cJSON_IsArray(groups))
        return "filterGroups must be an array";
    if (cJSON_GetArraySize(groups) > MAX_GROUPS)
        return "Too many filter groups: at most 5";
    cJSON_ArrayForEach(g, groups)
    {
        const cJSON *fs = json_get(g, "filters");
        if (!cJSON_IsArray(fs) || cJSON_GetArraySize(fs) > MAX_GROUP_FILTERS)
            return "Each filter group needs a filters array of at most 10 filters";
        total += cJSON_GetArraySize(fs);
        cJSON_ArrayForEach(f, fs)
        {
            if (!valid_filter(f))
                return "Each filter needs a propertyName and a known operator";
        }
    }
    return total > MAX_FILTERS ? "Too many filters: at most 25 in all" : NULL;
}

static const char *parse_sorts(struct search *s)
{
    const cJSON *first = cJSON_GetArrayItem(s->sorts, 0);
    const char *dir = NULL;
    if (s->sorts && !cJSON_IsArray(s->sorts))
        return "sorts must be an array";
    if (cJSON_GetArraySize(s->sorts) > 1)
        return "At most one sort is allowed";
    if (cJSON_IsString(first)) { /* "createdate" or "-createdate" */
        s->descending = first->valuestring[0] == '-';
        s->sort_prop = first->valuestring + s->descending;
    } else if (first && json_str(first, "propertyName", &s->sort_prop) != JSON_OK) {
        return "A sort needs a propertyName";
    }
    if (first && json_str(first, "direction", &dir) == JSON_OK)
        s->descending = strcmp(dir, "DESCENDING") == 0;
    return NULL;
}

/* limit and after; a message for the 400, or NULL. */
static const char *parse_paging(const cJSON *body, struct search *s)
{
    const cJSON *after = json_get(body, "after");
    int64_t v;
    enum json_get g = json_int(body, "limit", &v);
    if (g == JSON_BAD || (g == JSON_OK && (v < 0 || v > MAX_LIMIT)))
        return "limit must be an integer from 0 to 200";
    s->limit = g == JSON_OK ? (long)v : 10;
    if (after && !cJSON_IsNull(after)) {
        char *end;
        const char *t = cJSON_IsString(after) ? after->valuestring : NULL;
        long a = t ? strtol(t, &end, 10) : cJSON_IsNumber(after) ? (long)after->valuedouble : -1;
        if ((t && (!*t || *end)) || a < 0)
            return "after must be a non-negative integer (as a string)";
        s->after = a;
    }
    return NULL;
}

static bool parse_search(struct hs_ctx *c, const cJSON *body, struct search *s)
{
    const char *why;
    s->groups = json_get(body, "filterGroups");
    s->sorts = json_get(body, "sorts");
    s->props = json_get(body, "properties");
    json_str(body, "query", &s->query);
    if (!cJSON_IsObject(body))
        why = "The request body must be a JSON object";
    else if (!(why = check_groups(s->groups)) && !(why = parse_sorts(s)) &&
             !(why = parse_paging(body, s)) && s->props && !cJSON_IsArray(s->props))
        why = "properties must be an array of property names";
    if (!why && s->after >= WINDOW)
        why = "Paging beyond 10,000 results is not supported: the search can return at most "
              "10000 results; narrow the filters (for example by lastmodifieddate or "
              "hs_object_id) and search again";
    if (why)
        hs_error(c, 400, "VALIDATION_ERROR", why);
    return why == NULL;
}

/* ---- results -------------------------------------------------------------------------------- */

static int cmp_hit(const void *a, const void *b, void *arg)
{
    const struct hit *x = a, *y = b;
    const struct search *s = arg;
    int r = 0;
    if (s->sort_prop && x->key.null != y->key.null)
        return x->key.null ? 1 : -1; /* no value: last either way */
    if (s->sort_prop && !x->key.null)
        r = x->key.type == HS_STRING ? strcasecmp(x->key.text, y->key.text)
                                     : (x->key.num > y->key.num) - (x->key.num < y->key.num);
    if (r == 0)
        r = (x->id > y->id) - (x->id < y->id);
    return s->descending ? -r : r;
}

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names to return, sorted and without duplicates; n set. Caller frees the array. */
static const char **wanted(const struct search *s, size_t *n)
{
    const cJSON *p;
    size_t cap = 4 + (size_t)cJSON_GetArraySize(s->props) + 9, k = 0;
    const char **names = xcalloc(cap, sizeof *names);
    for (int i = 0; hs_always[s->o][i]; i++)
        names[k++] = hs_always[s->o][i];
    cJSON_ArrayForEach(p, s->props)
    {
        if (cJSON_IsString(p) && hs_prop_known(s->o, p->valuestring))
            names[k++] = p->valuestring;
    }
    for (int i = 0; !s->props && hs_defaults[s->o][i]; i++)
        names[k++] = hs_defaults[s->o][i];
    qsort(names, k, sizeof *names, cmp_name);
    *n = 0;
    for (size_t i = 0; i < k; i++)
        if (*n == 0 || strcmp(names[*n - 1], names[i]) != 0)
            names[(*n)++] = names[i];
    return names;
}

static void result(struct hs_ctx *c, const struct search *s, const struct hit *h,
                   const char **names, size_t n, struct jw *j)
{
    struct hs_value v;
    const char *modified = s->o == HS_CONTACTS ? "lastmodifieddate" : "hs_lastmodifieddate";
    jw_obj(j);
    jw_kstrf(j, "id", "%llu", (unsigned long long)h->id);
    jw_kobj(j, "properties");
    for (size_t k = 0; k < n; k++) {
        hs_prop(c, s->o, h->i, names[k], &v);
        jw_kstr_or_null(j, names[k], v.null ? NULL : v.text);
    }
    jw_end(j);
    hs_prop(c, s->o, h->i, "createdate", &v);
    jw_kstr(j, "createdAt", v.text);
    hs_prop(c, s->o, h->i, modified, &v);
    jw_kstr(j, "updatedAt", v.text);
    jw_kbool(j, "archived", false);
    jw_end(j);
}

static void answer(struct hs_ctx *c, const struct search *s, struct hit *hits, size_t total)
{
    struct jw j;
    size_t n;
    const char **names = wanted(s, &n);
    size_t end = (size_t)(s->after + s->limit);
    end = end < total ? end : total;
    end = end < WINDOW ? end : WINDOW;
    hs_begin(c, &j);
    jw_obj(&j);
    jw_kint(&j, "total", (int64_t)total);
    jw_karr(&j, "results");
    for (size_t i = (size_t)s->after; i < end; i++)
        result(c, s, &hits[i], names, n, &j);
    jw_end(&j);
    if (end < total && s->limit > 0) {
        jw_kobj(&j, "paging");
        jw_kobj(&j, "next");
        jw_kstrf(&j, "after", "%zu", end);
        jw_end(&j);
        jw_end(&j);
    }
    jw_end(&j);
    free(names);
}

void hs_search(struct hs_ctx *c, enum hs_object o)
{
    struct search s = {.o = o};
    cJSON *body = hs_body(c);
    if (!body || !parse_search(c, body, &s)) {
        cJSON_Delete(body);
        return;
    }
    size_t count = o == HS_CONTACTS ? c->hs->ncontacts : c->hs->ndeals, total = 0;
    struct hit *hits = xcalloc(count + 1, sizeof *hits);
    for (size_t i = 0; i < count; i++) {
        if (!matches(c, &s, i))
            continue;
        struct hit *h = &hits[total++];
        h->i = i;
        h->id = o == HS_CONTACTS ? c->hs->contacts[i].id : c->hs->deals[i].id;
        if (s.sort_prop && hs_prop_known(o, s.sort_prop))
            hs_prop(c, o, i, s.sort_prop, &h->key);
        else
            h->key.null = true;
    }
    qsort_r(hits, total, sizeof *hits, cmp_hit, &s);
    answer(c, &s, hits, total);
    free(hits);
    cJSON_Delete(body);
}
