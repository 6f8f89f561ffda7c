/*
 * sim_linkedin_ads.c - LinkedIn ad account, campaigns and ad analytics, as the Marketing API
 * serves them (reference §4.3, §4.4, §10.4, §15 item 9; LinkedIn docs "Ads Reporting",
 * "Campaign Management: Search for Campaigns").
 *
 *   GET /rest/adAccounts/{id}  -> the account: id (a number), name, currency, status, type
 *   GET /rest/adAccounts/{id}/adCampaigns?q=search[&search=(status:(values:List(ACTIVE,PAUSED)))]
 *       [&pageSize=N][&pageToken=T]  -> elements[] (id a number, name, status, campaignGroup
 *       URN, dailyBudget{amount:"150.00",currencyCode}, runSchedule, changeAuditStamps in
 *       epoch ms) and metadata.nextPageToken while more remain (cursor paging since 202401).
 *   GET /rest/adAnalytics?q=analytics&pivot=CAMPAIGN&timeGranularity=DAILY|ALL
 *       &dateRange=(start:(year:Y,month:M,day:D)[,end:(...)])
 *       &accounts=List(urn%3Ali%3AsponsoredAccount%3A{id}) | &campaigns=List(...)
 *       &fields=dateRange,pivotValues,impressions,...  (at most 20, else 400)
 *       One element per campaign and UTC day with data; no paging (the paging block is
 *       decorative); counts are ints, costInLocalCurrency / costInUsd /
 *       conversionValueInLocalCurrency are decimal strings, some in exponent notation and a
 *       recorded "-2E-18" on a day without cost. Without fields, only dateRange, pivotValues,
 *       impressions and clicks come back.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_linkedin.h"
#include "timeutil.h"
#include "xmalloc.h"

#define MAX_FIELDS 20

/* ---- the account ---------------------------------------------------------------------------- */

/* The {id} of /adAccounts/{id}[/...] when it is ours; false (answered) otherwise. */
static bool our_account(struct li_ctx *c, const char **tail)
{
    const char *id = c->rest + 1;
    size_t n = strcspn(id, "/");
    *tail = id + n;
    if (n == strlen(c->li->account) && strncmp(id, c->li->account, n) == 0)
        return true;
    li_error(c, 403, 100, "ACCESS_DENIED", "Not enough permissions to access: adAccounts.GET");
    return false;
}

static void money(struct jw *j, const char *key, int64_t micros, const char *currency)
{
    jw_kobj(j, key);
    jw_kstrf(j, "amount", "%lld.%02lld", (long long)(micros / 1000000),
             (long long)(micros % 1000000 / 10000));
    jw_kstr(j, "currencyCode", currency);
    jw_end(j);
}

void li_ad_account(struct li_ctx *c)
{
    const char *tail;
    struct jw j;
    if (!our_account(c, &tail))
        return;
    if (*tail) {
        li_error(c, 404, 0, "NOT_FOUND", "No virtual resource found");
        return;
    }
    li_begin(c, &j);
    jw_obj(&j);
    jw_kstr(&j, "currency", c->li->currency);
    jw_key(&j, "id");
    jw_raw(&j, c->li->account);
    jw_kstr(&j, "name", c->li->account_name);
    jw_kbool(&j, "notifiedOnCampaignOptimization", false);
    jw_kstrf(&j, "reference", "urn:li:organization:%s", c->li->org);
    jw_karr(&j, "servingStatuses");
    jw_str(&j, "RUNNABLE");
    jw_end(&j);
    jw_kstr(&j, "status", "ACTIVE");
    jw_kbool(&j, "test", false);
    jw_kstr(&j, "type", "BUSINESS");
    jw_kobj(&j, "version");
    jw_kstr(&j, "versionTag", "4");
    jw_end(&j);
    jw_end(&j);
}

/* ---- campaigns ------------------------------------------------------------------------------ */

static void page_token(const struct li_world *li, size_t index, char *out)
{
    char text[48];
    snprintf(text, sizeof text, "%zu:%08x", index, (unsigned)(mix64(li->page_key, index) >> 32));
    b64_encode(text, strlen(text), out);
}

/* The index a pageToken stands for; -1 when it is not one of ours. */
static long page_index(const struct li_world *li, const char *token)
{
    unsigned char text[48];
    char check[48];
    size_t index;
    int n = b64_decode(token, text, sizeof text - 1);
    if (n <= 0)
        return -1;
    text[n] = '\0';
    if (sscanf((const char *)text, "%zu:", &index) != 1 || index > LI_CAMPAIGNS)
        return -1;
    page_token(li, index, check);
    return strcmp(check, token) == 0 ? (long)index : -1;
}

/* search=(status:(values:List(...))): the statuses wanted, all when absent. */
static bool status_filter(struct li_ctx *c, bool want[LI_CAMPAIGNS])
{
    bool absent;
    struct rl *s = li_restli(c, "search", RL_RECORD, &absent);
    for (int k = 0; k < LI_CAMPAIGNS; k++)
        want[k] = true;
    if (absent || !s)
        return absent;
    const struct rl *values = rl_member(rl_member(s, "status"), "values");
    bool ok = values && values->kind == RL_LIST && s->child && !s->child->next;
    for (int k = 0; ok && k < LI_CAMPAIGNS; k++) {
        want[k] = false;
        for (const struct rl *v = values->child; v; v = v->next)
            if (v->kind == RL_PRIM && strcmp(v->text, c->li->camps[k].status) == 0)
                want[k] = true;
    }
    rl_free(s);
    if (!ok)
        li_bad(c, "search: the simulator serves (status:(values:List(STATUS,...)))");
    return ok;
}

static void campaign_element(struct li_ctx *c, struct jw *j, const struct li_campaign *k)
{
    bool running = strcmp(k->status, "ACTIVE") == 0;
    jw_obj(j);
    jw_kstrf(j, "account", "urn:li:sponsoredAccount:%s", c->li->account);
    jw_kbool(j, "audienceExpansionEnabled", false);
    jw_kstrf(j, "campaignGroup", "urn:li:sponsoredCampaignGroup:%s", k->group);
    jw_kobj(j, "changeAuditStamps");
    jw_kobj(j, "created");
    jw_kint(j, "time", k->created_ms);
    jw_end(j);
    jw_kobj(j, "lastModified");
    jw_kint(j, "time", k->modified_ms);
    jw_end(j);
    jw_end(j);
    jw_kstr(j, "costType", k->cost_type);
    money(j, "dailyBudget", k->daily_budget_micros, c->li->currency);
    jw_kstr(j, "format", "STANDARD_UPDATE");
    jw_key(j, "id");
    jw_raw(j, k->id);
    jw_kobj(j, "locale");
    jw_kstr(j, "country", "US");
    jw_kstr(j, "language", "en");
    jw_end(j);
    jw_kstr(j, "name", k->name);
    jw_kstr(j, "objectiveType", k->objective);
    jw_kbool(j, "offsiteDeliveryEnabled", false);
    jw_kobj(j, "runSchedule");
    jw_kint(j, "start", k->run_start_ms);
    jw_end(j);
    jw_karr(j, "servingStatuses");
    jw_str(j, running ? "RUNNABLE" : "CAMPAIGN_STATUS_NOT_RUNNABLE");
    jw_end(j);
    jw_kstr(j, "status", k->status);
    jw_kbool(j, "test", false);
    jw_kstr(j, "type", "SPONSORED_UPDATES");
    money(j, "unitCost", k->unit_cost_micros, c->li->currency);
    jw_kobj(j, "version");
    jw_kstr(j, "versionTag", "3");
    jw_end(j);
    jw_end(j);
}

void li_ad_campaigns(struct li_ctx *c)
{
    const char *tail;
    char q[32], token[64];
    bool want[LI_CAMPAIGNS];
    struct jw j;
    long from = 0;
    if (!our_account(c, &tail))
        return;
    if (strcmp(tail, "/adCampaigns") != 0) {
        li_error(c, 404, 0, "NOT_FOUND", "No virtual resource found");
        return;
    }
    if (!li_param(c, "q", q, sizeof q) || strcmp(q, "search") != 0) {
        li_bad(c, "Invalid query: adCampaigns supports the finder q=search");
        return;
    }
    int64_t size = li_int_param(c, "pageSize", 100, 1000);
    if (size == 0)
        li_bad(c, "Invalid value '0' for parameter 'pageSize': expected 1 to 1000");
    if (size <= 0 || !status_filter(c, want))
        return;
    if (li_param(c, "pageToken", token, sizeof token) && (from = page_index(c->li, token)) < 0) {
        li_bad(c, "Invalid pageToken");
        return;
    }
    li_begin(c, &j);
    jw_obj(&j);
    li_paging(&j, 0, size, -1);
    jw_karr(&j, "elements");
    long k = from, shown = 0;
    for (; k < LI_CAMPAIGNS && shown < size; k++) {
        if (!want[k])
            continue;
        campaign_element(c, &j, &c->li->camps[k]);
        shown++;
    }
    jw_end(&j);
    while (k < LI_CAMPAIGNS && !want[k])
        k++;
    jw_kobj(&j, "metadata");
    if (k < LI_CAMPAIGNS) {
        page_token(c->li, (size_t)k, token);
        jw_kstr(&j, "nextPageToken", token);
    }
    jw_end(&j);
    jw_end(&j);
}

/* ---- ad analytics --------------------------------------------------------------------------- */

enum field_kind { FK_DATE, FK_PIVOTS, FK_PIVOT, FK_INT, FK_COST, FK_USD, FK_VALUE, FK_ZERO };

struct field {
    const char *name;
    enum field_kind kind;
    size_t off;
};

#define AD(m) offsetof(struct li_adday, m)

static const struct field fields[] = {
    {"dateRange", FK_DATE, 0},
    {"pivotValues", FK_PIVOTS, 0},
    {"pivotValue", FK_PIVOT, 0},
    {"impressions", FK_INT, AD(impressions)},
    {"clicks", FK_INT, AD(clicks)},
    {"landingPageClicks", FK_INT, AD(landing_clicks)},
    {"costInLocalCurrency", FK_COST, 0},
    {"costInUsd", FK_USD, 0},
    {"oneClickLeads", FK_INT, AD(leads)},
    {"oneClickLeadFormOpens", FK_INT, AD(form_opens)},
    {"qualifiedLeads", FK_ZERO, 0},
    {"externalWebsiteConversions", FK_INT, AD(conversions)},
    {"externalWebsitePostClickConversions", FK_INT, AD(conversions)},
    {"externalWebsitePostViewConversions", FK_ZERO, 0},
    {"conversionValueInLocalCurrency", FK_VALUE, 0},
    {"likes", FK_INT, AD(likes)},
    {"reactions", FK_INT, AD(likes)},
    {"comments", FK_INT, AD(comments)},
    {"shares", FK_INT, AD(shares)},
    {"follows", FK_INT, AD(follows)},
    {"videoViews", FK_INT, AD(video_views)},
    {"videoStarts", FK_INT, AD(video_starts)},
    {"videoCompletions", FK_INT, AD(video_completions)},
    {"approximateMemberReach", FK_INT, AD(reach)},
    {"approximateUniqueImpressions", FK_INT, AD(reach)},
    {"otherEngagements", FK_ZERO, 0},
    {"totalEngagements", FK_INT, AD(clicks)},
    {"companyPageClicks", FK_ZERO, 0},
    {"sends", FK_ZERO, 0},
    {"opens", FK_ZERO, 0},
    {"jobApplications", FK_ZERO, 0},
};

#define NFIELDS (sizeof fields / sizeof fields[0])

struct analytics {
    const struct field *f[NFIELDS];
    int nf;
    bool all;             /* timeGranularity=ALL */
    int32_t since, until; /* days, inclusive */
    bool camp[LI_CAMPAIGNS];
};

static const struct field *field_named(const char *name)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (strcmp(fields[i].name, name) == 0)
            return &fields[i];
    return NULL;
}

/* fields=a,b,c (the commas are syntax, an encoded one is part of a name); at most 20. */
static bool parse_fields(struct li_ctx *c, struct analytics *a)
{
    static const char *const defaults[] = {"dateRange", "pivotValues", "impressions", "clicks"};
    size_t n;
    const char *raw = li_raw(c, "fields", &n), *end = raw ? raw + n : NULL;
    a->nf = 0;
    if (!raw) {
        for (; a->nf < 4; a->nf++)
            a->f[a->nf] = field_named(defaults[a->nf]);
        return true;
    }
    for (const char *p = raw; p < end;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        size_t len = comma ? (size_t)(comma - p) : (size_t)(end - p);
        char *name = li_decode(p, len);
        const struct field *f = field_named(name);
        if (a->nf == MAX_FIELDS)
            li_bad(c,
                   "Too many fields requested: adAnalytics takes at most %d fields per request "
                   "(dateRange and pivotValues included)",
                   MAX_FIELDS);
        else if (!f)
            li_bad(c, "Invalid value for param [fields]: '%.60s' is not a field of AdAnalytics",
                   name);
        free(name);
        if (a->nf == MAX_FIELDS || !f)
            return false;
        a->f[a->nf++] = f;
        p += len + 1;
    }
    return true;
}

static bool parse_range(struct li_ctx *c, struct analytics *a)
{
    bool absent;
    struct rl *r = li_restli(c, "dateRange", RL_RECORD, &absent);
    if (absent)
        li_bad(c, "Parameter 'dateRange' is required: (start:(year:Y,month:M,day:D),end:(...))");
    if (!r)
        return false;
    const struct rl *end = rl_member(r, "end");
    a->until = c->w->today;
    bool ok = li_date(rl_member(r, "start"), &a->since) && (!end || li_date(end, &a->until));
    rl_free(r);
    if (!ok)
        li_bad(c, "Invalid value for param [dateRange]: expected "
                  "(start:(year:Y,month:M,day:D),end:(year:Y,month:M,day:D))");
    else if (a->since > a->until)
        li_bad(c, "Invalid value for param [dateRange]: start is after end");
    return ok && a->since <= a->until;
}

/* Marks the campaigns a List of URNs names: 0, 1 for another account's, -1 for a bad URN. */
static int mark(const struct li_ctx *c, struct analytics *a, const struct rl *list, bool accounts)
{
    char id[LI_ID];
    for (const struct rl *v = list ? list->child : NULL; v; v = v->next) {
        if (v->kind != RL_PRIM ||
            !li_urn_id(v->text, accounts ? "sponsoredAccount" : "sponsoredCampaign", id, sizeof id))
            return -1;
        bool found = false;
        for (int k = 0; k < LI_CAMPAIGNS; k++) {
            bool hit =
                accounts ? strcmp(id, c->li->account) == 0 : strcmp(id, c->li->camps[k].id) == 0;
            a->camp[k] |= hit;
            found |= hit;
        }
        if (!found)
            return 1;
    }
    return 0;
}

/* accounts=List(urn) or campaigns=List(urn): which of our campaigns are asked for. */
static bool parse_facets(struct li_ctx *c, struct analytics *a)
{
    bool no_acc, no_camp;
    struct rl *acc = li_restli(c, "accounts", RL_LIST, &no_acc);
    if (!no_acc && !acc)
        return false;
    struct rl *camps = li_restli(c, "campaigns", RL_LIST, &no_camp);
    if (!no_camp && !camps) {
        rl_free(acc);
        return false;
    }
    int ma = mark(c, a, acc, true), mc = mark(c, a, camps, false);
    rl_free(acc);
    rl_free(camps);
    if (no_acc && no_camp)
        li_bad(c, "A facet is required: accounts=List(urn%%3Ali%%3AsponsoredAccount%%3A{id}) or "
                  "campaigns=List(...)");
    else if (ma < 0 || mc < 0)
        li_bad(c, "Invalid value for param [%s]: expected a List of URNs",
               ma < 0 ? "accounts" : "campaigns");
    else if (ma > 0 || mc > 0)
        li_error(c, 403, 100, "ACCESS_DENIED",
                 "Not enough permissions to access: adAnalytics.FINDER-analytics");
    return !(no_acc && no_camp) && ma == 0 && mc == 0;
}

static bool parse_analytics(struct li_ctx *c, struct analytics *a)
{
    char v[32];
    memset(a, 0, sizeof *a);
    if (!li_param(c, "q", v, sizeof v) || strcmp(v, "analytics") != 0) {
        li_bad(c, "Invalid query: the simulator serves the adAnalytics finder q=analytics");
        return false;
    }
    if (!li_param(c, "pivot", v, sizeof v) || strcmp(v, "CAMPAIGN") != 0) {
        li_bad(c, "Parameter 'pivot' is required; the simulator serves pivot=CAMPAIGN");
        return false;
    }
    if (!li_param(c, "timeGranularity", v, sizeof v) ||
        (strcmp(v, "DAILY") != 0 && strcmp(v, "ALL") != 0)) {
        li_bad(c, "Parameter 'timeGranularity' is required; the simulator serves DAILY and ALL");
        return false;
    }
    a->all = strcmp(v, "ALL") == 0;
    return parse_range(c, a) && parse_facets(c, a) && parse_fields(c, a);
}

static void date_obj(struct jw *j, const char *key, int32_t day)
{
    int y;
    unsigned m, d;
    time_civil_from_days(day, &y, &m, &d);
    jw_kobj(j, key);
    jw_kint(j, "year", y);
    jw_kint(j, "month", m);
    jw_kint(j, "day", d);
    jw_end(j);
}

static void put_field(struct li_ctx *c, struct jw *j, const struct field *f,
                      const struct li_adday *a, int k, int32_t from, int32_t to)
{
    char s[48];
    jw_key(j, f->name);
    switch (f->kind) {
    case FK_DATE:
        jw_obj(j);
        date_obj(j, "start", from);
        date_obj(j, "end", to);
        jw_end(j);
        break;
    case FK_PIVOTS:
        jw_arr(j);
        jw_strf(j, "urn:li:sponsoredCampaign:%s", c->li->camps[k].id);
        jw_end(j);
        break;
    case FK_PIVOT:
        jw_strf(j, "urn:li:sponsoredCampaign:%s", c->li->camps[k].id);
        break;
    case FK_INT:
        jw_int(j, *(const int64_t *)(const void *)((const char *)a + f->off));
        break;
    case FK_COST:
        li_cost_text(a, s, sizeof s);
        jw_str(j, s);
        break;
    case FK_USD: /* at the account's rate of 1.08 USD per EUR */
        fmt_decimal_micros(a->style == LI_COST_TINY ? 0 : a->cost_micros * 108 / 100, s, sizeof s);
        jw_str(j, s);
        break;
    case FK_VALUE:
        fmt_decimal_micros(a->conversion_value_micros, s, sizeof s);
        jw_str(j, s);
        break;
    default:
        jw_int(j, 0);
    }
}

static void element(struct li_ctx *c, struct jw *j, const struct analytics *q,
                    const struct li_adday *a, int k, int32_t from, int32_t to)
{
    jw_obj(j);
    for (int i = 0; i < q->nf; i++)
        put_field(c, j, q->f[i], a, k, from, to);
    jw_end(j);
}

static void add_day(struct li_adday *sum, const struct li_adday *a)
{
    if (a->style != LI_COST_TINY) {
        sum->style = LI_COST_PLAIN;
        sum->cost_micros += a->cost_micros;
    }
    sum->impressions += a->impressions;
    sum->reach += a->reach;
    sum->clicks += a->clicks;
    sum->landing_clicks += a->landing_clicks;
    sum->leads += a->leads;
    sum->form_opens += a->form_opens;
    sum->conversions += a->conversions;
    sum->conversion_value_micros += a->conversion_value_micros;
    sum->likes += a->likes;
    sum->comments += a->comments;
    sum->shares += a->shares;
    sum->follows += a->follows;
    sum->video_views += a->video_views;
    sum->video_starts += a->video_starts;
    sum->video_completions += a->video_completions;
}

/* timeGranularity=ALL: one element per campaign over the whole range. */
static void element_all(struct li_ctx *c, struct jw *j, const struct analytics *q, int k)
{
    struct li_adday sum = {.style = LI_COST_TINY};
    bool any = false;
    for (int d = 0; d < c->li->ndays; d++) {
        const struct li_adday *a = li_adday(c->li, k, d);
        if (a->present && c->li->first_day + d >= q->since && c->li->first_day + d <= q->until) {
            add_day(&sum, a);
            any = true;
        }
    }
    if (any)
        element(c, j, q, &sum, k, q->since, q->until);
}

void li_ad_analytics(struct li_ctx *c)
{
    struct analytics q;
    struct jw j;
    if (!parse_analytics(c, &q))
        return;
    li_begin(c, &j);
    jw_obj(&j);
    li_paging(&j, 0, 10, -1);
    jw_karr(&j, "elements");
    for (int k = 0; q.all && k < LI_CAMPAIGNS; k++)
        if (q.camp[k])
            element_all(c, &j, &q, k);
    for (int d = 0; !q.all && d < c->li->ndays; d++) {
        int32_t day = c->li->first_day + d;
        for (int k = 0; day >= q.since && day <= q.until && k < LI_CAMPAIGNS; k++)
            if (q.camp[k] && li_adday(c->li, k, d)->present)
                element(c, &j, &q, li_adday(c->li, k, d), k, day, day);
    }
    jw_end(&j);
    jw_end(&j);
}
