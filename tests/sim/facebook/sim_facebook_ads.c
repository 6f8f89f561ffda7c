/*
 * sim_facebook_ads.c - Marketing API Ads Insights and Lead Ads leads, as Graph serves them.
 *
 *   GET /vNN.0/act_{id}/insights?level=campaign&time_increment=1
 *       &time_range={"since":"YYYY-MM-DD","until":"YYYY-MM-DD"}&fields=...&limit=&after=
 *       (or date_preset=last_7d|last_28d|...; default last_30d)
 *       Rows exist only for periods with delivery, ordered by period then campaign. EVERY
 *       metric is a decimal STRING: spend in major units ("14.35", sometimes more decimals),
 *       impressions "185", clicks "9", cpc/cpm/ctr with up to six decimals; ids are strings;
 *       date_start/date_stop are days of the ad account's time zone; actions and
 *       action_values are omitted when empty, and "lead" comes with the
 *       onsite_conversion.lead_grouped component (not to be added to it) (reference §2.3,
 *       §10.2, §15 items 1-2). Cursor paging over the row list: cursors are base64 of the
 *       row offset with "=" written "ZD" ("MAZDZD"), as recorded (§2.3).
 *   GET /vNN.0/{form}/leads?fields=id,created_time,ad_id,campaign_id,form_id,is_organic,
 *       field_data&filtering=[{"field":"time_created","operator":"GREATER_THAN","value":N}]
 *       Newest first, cursor paging (§2.4, §2.5). Organic leads have no ad_id/campaign_id;
 *       field_data[].values are arrays of strings, question names may be non-ASCII (§2.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "sim_facebook.h"
#include "timeutil.h"
#include "xmalloc.h"

static const char *const ads_known[] = {"account_id",
                                        "account_name",
                                        "account_currency",
                                        "campaign_id",
                                        "campaign_name",
                                        "objective",
                                        "date_start",
                                        "date_stop",
                                        "spend",
                                        "impressions",
                                        "reach",
                                        "clicks",
                                        "inline_link_clicks",
                                        "cpc",
                                        "cpm",
                                        "ctr",
                                        "actions",
                                        "action_values",
                                        "cost_per_action_type",
                                        NULL};

struct ads_query {
    struct fb_field f[FB_MAX_FIELDS];
    int nf;
    bool by_campaign;
    int32_t since, until; /* days, inclusive */
    int inc;              /* days per row */
    int limit;
    long offset; /* first row of the page */
};

struct ads_row {
    int32_t start, stop;
    int camp; /* -1 at account level */
    struct fb_adday sum;
};

/* ---- parameters ----------------------------------------------------------------------------- */

static void bad_param(struct fb_ctx *c, const char *msg)
{
    fb_error(c, 400, 100, 0, "OAuthException", msg, -1);
}

static int parse_time_range(struct fb_ctx *c, const char *s, struct ads_query *q)
{
    char why[64];
    const char *since = NULL, *until = NULL;
    cJSON *o = json_parse(s, strlen(s), why, sizeof why);
    int rc = -1;
    if (o && json_str(o, "since", &since) == JSON_OK && json_str(o, "until", &until) == JSON_OK &&
        time_parse_date(since, &q->since) == 0 && time_parse_date(until, &q->until) == 0)
        rc = 0;
    cJSON_Delete(o);
    if (rc < 0)
        bad_param(c, "(#100) Param time_range must be a JSON object like "
                     "{\"since\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\"}");
    return rc;
}

static int parse_preset(struct fb_ctx *c, const char *p, struct ads_query *q)
{
    int32_t today = c->w->today;
    int n;
    char tail[8];
    if (strcmp(p, "today") == 0) {
        q->since = q->until = today;
    } else if (strcmp(p, "yesterday") == 0) {
        q->since = q->until = today - 1;
    } else if (strcmp(p, "maximum") == 0) {
        q->since = c->fb->first_day;
        q->until = today;
    } else if (sscanf(p, "last_%d%1s", &n, tail) == 2 && tail[0] == 'd' &&
               strlen(p) == (size_t)snprintf(NULL, 0, "last_%dd", n) && n >= 1 && n <= 90) {
        q->since = today - n;
        q->until = today - 1;
    } else {
        bad_param(c, "(#100) date_preset must be one of today, yesterday, maximum, last_Nd");
        return -1;
    }
    return 0;
}

static int parse_increment(struct fb_ctx *c, struct ads_query *q)
{
    const char *v = http_param(c->r, "time_increment");
    int span = q->until - q->since + 1;
    if (!v || strcmp(v, "all_days") == 0) {
        q->inc = span;
        return 0;
    }
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 1 || n > 90) {
        bad_param(c, "(#100) time_increment must be all_days or a number of days from 1 to 90");
        return -1;
    }
    q->inc = (int)n;
    return 0;
}

static int parse_ads_fields(struct fb_ctx *c, struct ads_query *q)
{
    const char *s = http_param(c->r, "fields");
    q->nf = fb_fields_parse(s ? s : "impressions,spend", q->f, FB_MAX_FIELDS);
    if (q->nf < 0) {
        bad_param(c, "(#100) Syntax error in fields");
        return -1;
    }
    const char *bad = fb_unknown_field(q->f, q->nf, ads_known);
    if (bad) {
        char msg[300];
        snprintf(msg, sizeof msg,
                 "(#100) %.60s is not valid for fields param. please check "
                 "https://developers.facebook.com/docs/marketing-api/reference/ads-insights/ "
                 "for all valid values",
                 bad);
        bad_param(c, msg);
        return -1;
    }
    return 0;
}

static int parse_level(struct fb_ctx *c, struct ads_query *q)
{
    const char *v = http_param(c->r, "level");
    q->by_campaign = v && strcmp(v, "campaign") == 0;
    if (v && !q->by_campaign && strcmp(v, "account") != 0) {
        bad_param(c, "(#100) level: the simulator serves level=account and level=campaign");
        return -1;
    }
    return 0;
}

/* The row offset of an after/before cursor ("MAZDZD" = 0); -1 when absent, -2 when bad. */
static long offset_cursor(struct fb_ctx *c, const char *param)
{
    const char *v = http_param(c->r, param);
    char text[32];
    if (!v)
        return -1;
    if (fb_cursor_decode(v, text, sizeof text) == 0 && text[0] &&
        strspn(text, "0123456789") == strlen(text))
        return strtol(text, NULL, 10);
    bad_param(c, "(#100) The cursor is invalid or has expired");
    return -2;
}

static int parse_ads_query(struct fb_ctx *c, struct ads_query *q)
{
    const char *tr = http_param(c->r, "time_range"), *preset = http_param(c->r, "date_preset");
    memset(q, 0, sizeof *q);
    if (parse_level(c, q) < 0 || parse_ads_fields(c, q) < 0)
        return -1;
    if (tr ? parse_time_range(c, tr, q) < 0 : parse_preset(c, preset ? preset : "last_30d", q) < 0)
        return -1;
    if (q->since > q->until) {
        bad_param(c, "(#100) time_range: since must not be after until");
        return -1;
    }
    if ((q->limit = fb_limit(c, 25, 5000)) < 0 || parse_increment(c, q) < 0)
        return -1;
    long after = offset_cursor(c, "after"), before = after == -2 ? -2 : offset_cursor(c, "before");
    if (after == -2 || before == -2)
        return -1;
    q->offset = after >= 0 ? after + 1 : before >= 0 ? before - q->limit : 0;
    if (q->offset < 0)
        q->offset = 0;
    return 0;
}

/* ---- rows ----------------------------------------------------------------------------------- */

static void add_day(struct fb_adday *sum, const struct fb_adday *a)
{
    sum->delivered = true;
    sum->spend_micros += a->spend_micros;
    sum->impressions += a->impressions;
    sum->reach += a->reach;
    sum->clicks += a->clicks;
    sum->link_clicks += a->link_clicks;
    sum->leads += a->leads;
    sum->purchases += a->purchases;
    sum->purchase_value_micros += a->purchase_value_micros;
}

/* Sums campaign camp (or every campaign for -1) over [start, stop]; false if no delivery. */
static bool sum_period(struct fb_world *fb, int camp, int32_t start, int32_t stop,
                       struct fb_adday *sum)
{
    memset(sum, 0, sizeof *sum);
    for (int k = 0; k < FB_CAMPAIGNS; k++) {
        if (camp >= 0 && k != camp)
            continue;
        for (int32_t day = start; day <= stop; day++) {
            int d = day - fb->first_day;
            if (d >= 0 && d < fb->ndays && fb_adday(fb, k, d)->delivered)
                add_day(sum, fb_adday(fb, k, d));
        }
    }
    return sum->delivered;
}

static size_t build_rows(struct fb_world *fb, const struct ads_query *q, struct ads_row **rows)
{
    size_t n = 0, cap = 0;
    *rows = NULL;
    for (int32_t start = q->since; start <= q->until; start += q->inc) {
        int32_t stop = start + q->inc - 1 > q->until ? q->until : start + q->inc - 1;
        for (int k = q->by_campaign ? 0 : -1; k < (q->by_campaign ? FB_CAMPAIGNS : 0); k++) {
            struct fb_adday sum;
            if (!sum_period(fb, k, start, stop, &sum))
                continue;
            *rows = xgrow(*rows, &cap, n + 1, sizeof **rows);
            (*rows)[n++] = (struct ads_row){.start = start, .stop = stop, .camp = k, .sum = sum};
        }
    }
    return n;
}

/* ---- row output ----------------------------------------------------------------------------- */

/* num * scale / den in micro-units, rounded half up, as a trimmed decimal string. */
static void ratio(struct jw *j, const char *key, int64_t num, int64_t scale, int64_t den)
{
    char s[40];
    fmt_decimal_micros((num * scale * 2 + den) / (2 * den), s, sizeof s);
    jw_kstr(j, key, s);
}

static void money_value(struct jw *j, const char *type, int64_t micros)
{
    char s[40];
    fmt_decimal_micros(micros, s, sizeof s);
    jw_obj(j);
    jw_kstr(j, "action_type", type);
    jw_kstr(j, "value", s);
    jw_end(j);
}

static void count_value(struct jw *j, const char *type, int64_t n)
{
    if (n <= 0)
        return;
    jw_obj(j);
    jw_kstr(j, "action_type", type);
    jw_kstrf(j, "value", "%lld", (long long)n);
    jw_end(j);
}

static void actions(struct jw *j, const struct fb_adday *a)
{
    if (a->clicks + a->leads + a->purchases == 0)
        return; /* omitted when empty */
    jw_karr(j, "actions");
    count_value(j, "onsite_conversion.lead_grouped", a->leads);
    count_value(j, "link_click", a->link_clicks);
    count_value(j, "lead", a->leads);
    count_value(j, "offsite_conversion.fb_pixel_purchase", a->purchases);
    count_value(j, "omni_purchase", a->purchases);
    count_value(j, "page_engagement", a->clicks + a->leads);
    count_value(j, "post_engagement", a->clicks + a->leads);
    count_value(j, "purchase", a->purchases);
    jw_end(j);
}

static void action_values(struct jw *j, const struct fb_adday *a)
{
    if (a->purchases == 0)
        return;
    jw_karr(j, "action_values");
    money_value(j, "offsite_conversion.fb_pixel_purchase", a->purchase_value_micros);
    money_value(j, "omni_purchase", a->purchase_value_micros);
    money_value(j, "purchase", a->purchase_value_micros);
    jw_end(j);
}

static void cost_per_action(struct jw *j, const struct fb_adday *a)
{
    const struct {
        const char *type;
        int64_t n;
    } k[] = {{"link_click", a->link_clicks}, {"lead", a->leads}, {"purchase", a->purchases}};
    if (a->link_clicks + a->leads + a->purchases == 0)
        return;
    jw_karr(j, "cost_per_action_type");
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        if (k[i].n <= 0)
            continue;
        jw_obj(j);
        jw_kstr(j, "action_type", k[i].type);
        ratio(j, "value", a->spend_micros, 1, k[i].n);
        jw_end(j);
    }
    jw_end(j);
}

static bool want(const struct ads_query *q, const char *name)
{
    return fb_wants(q->f, q->nf, name);
}

static void row_ids(struct fb_ctx *c, const struct ads_query *q, const struct ads_row *row,
                    struct jw *j)
{
    if (want(q, "account_id"))
        jw_kstr(j, "account_id", c->fb->ad_account);
    if (want(q, "account_name"))
        jw_kstr(j, "account_name", c->fb->account_name);
    if (want(q, "account_currency"))
        jw_kstr(j, "account_currency", "USD");
    if (row->camp < 0)
        return;
    if (want(q, "campaign_id"))
        jw_kstr(j, "campaign_id", c->fb->camps[row->camp].id);
    if (want(q, "campaign_name"))
        jw_kstr(j, "campaign_name", c->fb->camps[row->camp].name);
    if (want(q, "objective"))
        jw_kstr(j, "objective", c->fb->camps[row->camp].objective);
}

static void row_metrics(const struct ads_query *q, const struct fb_adday *a, struct jw *j)
{
    char s[40];
    fmt_decimal_micros(a->spend_micros, s, sizeof s);
    if (want(q, "spend"))
        jw_kstr(j, "spend", s);
    if (want(q, "impressions"))
        jw_kstrf(j, "impressions", "%lld", (long long)a->impressions);
    if (want(q, "reach"))
        jw_kstrf(j, "reach", "%lld", (long long)a->reach);
    if (want(q, "clicks"))
        jw_kstrf(j, "clicks", "%lld", (long long)a->clicks);
    if (want(q, "inline_link_clicks"))
        jw_kstrf(j, "inline_link_clicks", "%lld", (long long)a->link_clicks);
    if (want(q, "cpc") && a->clicks > 0)
        ratio(j, "cpc", a->spend_micros, 1, a->clicks);
    if (want(q, "cpm"))
        ratio(j, "cpm", a->spend_micros, 1000, a->impressions);
    if (want(q, "ctr"))
        ratio(j, "ctr", a->clicks, 100000000, a->impressions);
    if (want(q, "actions"))
        actions(j, a);
    if (want(q, "action_values"))
        action_values(j, a);
    if (want(q, "cost_per_action_type"))
        cost_per_action(j, a);
}

static void row_object(struct fb_ctx *c, const struct ads_query *q, const struct ads_row *row,
                       struct jw *j)
{
    char day[16];
    jw_obj(j);
    row_ids(c, q, row, j);
    row_metrics(q, &row->sum, j);
    fmt_date(row->start, day, sizeof day);
    jw_kstr(j, "date_start", day);
    fmt_date(row->stop, day, sizeof day);
    jw_kstr(j, "date_stop", day);
    jw_end(j);
}

void fb_ads_insights(struct fb_ctx *c)
{
    struct ads_query q;
    struct ads_row *rows;
    struct jw j;
    if (parse_ads_query(c, &q) < 0)
        return;
    http_set_header(c->r, "x-fb-ads-insights-throttle",
                    "{\"app_id_util_pct\":0,\"acc_id_util_pct\":0,"
                    "\"ads_api_access_tier\":\"standard_access\"}");
    http_set_header(c->r, "X-Ad-Account-Usage",
                    "{\"acc_id_util_pct\":0.12,\"reset_time_duration\":0,"
                    "\"ads_api_access_tier\":\"standard_access\"}");
    size_t n = build_rows(c->fb, &q, &rows);
    size_t first = (size_t)q.offset < n ? (size_t)q.offset : n;
    size_t last = first + (size_t)q.limit < n ? first + (size_t)q.limit : n;
    fb_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "data");
    for (size_t i = first; i < last; i++)
        row_object(c, &q, &rows[i], &j);
    jw_end(&j);
    if (last > first) {
        char a[32], b[32], before[48], after[48];
        snprintf(b, sizeof b, "%zu", first);
        snprintf(a, sizeof a, "%zu", last - 1);
        fb_cursor_encode(b, before, sizeof before);
        fb_cursor_encode(a, after, sizeof after);
        fb_paging(c, &j, before, after, first > 0, last < n, q.limit);
    }
    jw_end(&j);
    free(rows);
}

/* ---- leads ---------------------------------------------------------------------------------- */

static const char *const lead_known[] = {"id",       "created_time", "ad_id",       "ad_name",
                                         "adset_id", "adset_name",   "campaign_id", "campaign_name",
                                         "form_id",  "platform",     "is_organic",  "field_data",
                                         NULL};

struct lead_filter {
    int64_t lo, hi; /* created_time must lie in [lo, hi] */
};

static int filter_one(const cJSON *o, struct lead_filter *f)
{
    const char *field = NULL, *op = NULL;
    int64_t v;
    if (json_str(o, "field", &field) != JSON_OK || strcmp(field, "time_created") != 0 ||
        json_str(o, "operator", &op) != JSON_OK || json_int(o, "value", &v) != JSON_OK)
        return -1;
    if (strcmp(op, "GREATER_THAN") == 0)
        f->lo = v + 1 > f->lo ? v + 1 : f->lo;
    else if (strcmp(op, "GREATER_THAN_OR_EQUAL") == 0)
        f->lo = v > f->lo ? v : f->lo;
    else if (strcmp(op, "LESS_THAN") == 0)
        f->hi = v - 1 < f->hi ? v - 1 : f->hi;
    else if (strcmp(op, "LESS_THAN_OR_EQUAL") == 0)
        f->hi = v < f->hi ? v : f->hi;
    else
        return -1;
    return 0;
}

static int parse_filtering(struct fb_ctx *c, struct lead_filter *f)
{
    const char *s = http_param(c->r, "filtering");
    char why[64];
    f->lo = INT64_MIN;
    f->hi = INT64_MAX;
    if (!s)
        return 0;
    cJSON *a = json_parse(s, strlen(s), why, sizeof why);
    int rc = a && cJSON_IsArray(a) ? 0 : -1;
    for (const cJSON *o = a ? a->child : NULL; o && rc == 0; o = o->next)
        rc = filter_one(o, f);
    cJSON_Delete(a);
    if (rc < 0)
        bad_param(c, "(#100) filtering: each entry must be {\"field\":\"time_created\","
                     "\"operator\":\"GREATER_THAN|GREATER_THAN_OR_EQUAL|LESS_THAN|"
                     "LESS_THAN_OR_EQUAL\",\"value\":<unix seconds>}");
    return rc;
}

static void field_data(struct jw *j, const struct fb_lead *l)
{
    jw_karr(j, "field_data");
    if (l->email[0]) {
        jw_obj(j);
        jw_kstr(j, "name", "email");
        jw_karr(j, "values");
        jw_str(j, l->email);
        jw_end(j);
        jw_end(j);
    }
    jw_obj(j);
    jw_kstr(j, "name", "full_name");
    jw_karr(j, "values");
    jw_str(j, l->name);
    jw_end(j);
    jw_end(j);
    if (!l->email[0] || l->custom == 1) {
        jw_obj(j);
        jw_kstr(j, "name", "phone_number");
        jw_karr(j, "values");
        jw_str(j, l->phone);
        jw_end(j);
        jw_end(j);
    }
    if (l->custom) {
        jw_obj(j);
        jw_kstr(j, "name", l->custom == 1 ? "company_size" : "какой_у_вас_бюджет?");
        jw_karr(j, "values");
        jw_str(j, l->custom == 1 ? "51-200" : "$10k–$50k");
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
}

static void lead_ad_fields(struct fb_ctx *c, const struct fb_field *f, int n,
                           const struct fb_lead *l, struct jw *j)
{
    const struct fb_campaign *k = &c->fb->camps[l->campaign];
    if (fb_wants(f, n, "ad_id"))
        jw_kstr(j, "ad_id", k->ad_ids[l->ad]);
    if (fb_wants(f, n, "ad_name"))
        jw_kstr(j, "ad_name", l->ad == 0 ? "Ad A – carousel" : "Ad B – video");
    if (fb_wants(f, n, "adset_id"))
        jw_kstr(j, "adset_id", k->adset_id);
    if (fb_wants(f, n, "adset_name"))
        jw_kstrf(j, "adset_name", "%s – Ad set", k->name);
    if (fb_wants(f, n, "campaign_id"))
        jw_kstr(j, "campaign_id", k->id);
    if (fb_wants(f, n, "campaign_name"))
        jw_kstr(j, "campaign_name", k->name);
}

static void lead_object(struct fb_ctx *c, const struct fb_field *f, int n, const struct fb_lead *l,
                        struct jw *j)
{
    char ts[32];
    jw_obj(j);
    if (fb_wants(f, n, "created_time")) {
        fmt_meta_time(l->created, ts, sizeof ts);
        jw_kstr(j, "created_time", ts);
    }
    jw_kstr(j, "id", l->id);
    if (l->campaign >= 0) /* organic leads have no ad or campaign */
        lead_ad_fields(c, f, n, l, j);
    if (fb_wants(f, n, "form_id"))
        jw_kstr(j, "form_id", c->fb->form_id);
    if (fb_wants(f, n, "is_organic"))
        jw_kbool(j, "is_organic", l->campaign < 0);
    if (fb_wants(f, n, "platform"))
        jw_kstr(j, "platform", l->instagram ? "ig" : "fb");
    if (fb_wants(f, n, "field_data"))
        field_data(j, l);
    jw_end(j);
}

static const char *lead_id_at(const struct fb_world *fb, size_t i)
{
    return fb->leads[i].id;
}

void fb_form_leads(struct fb_ctx *c)
{
    struct fb_field f[FB_MAX_FIELDS];
    struct lead_filter flt;
    struct fb_page pg;
    const char *s = http_param(c->r, "fields");
    int n = fb_fields_parse(s ? s : "created_time,id,field_data", f, FB_MAX_FIELDS);
    const char *bad = n < 0 ? "fields" : fb_unknown_field(f, n, lead_known);
    int limit;
    if (bad) {
        fb_no_field(c, bad, "Lead");
        return;
    }
    if ((limit = fb_limit(c, 25, 100)) < 0 || parse_filtering(c, &flt) < 0)
        return;
    size_t *all = xcalloc(c->fb->nleads + 1, sizeof *all), total = 0;
    for (size_t i = c->fb->nleads; i-- > 0;)
        if (c->fb->leads[i].created >= flt.lo && c->fb->leads[i].created <= flt.hi)
            all[total++] = i;
    if (fb_page_select(c, all, total, c->fb->nleads, lead_id_at, limit, &pg) == 0) {
        struct jw j;
        fb_begin(c, &j);
        jw_obj(&j);
        jw_karr(&j, "data");
        for (size_t i = 0; i < pg.n; i++)
            lead_object(c, f, n, &c->fb->leads[all[pg.start + i]], &j);
        jw_end(&j);
        fb_page_paging(c, &j, &pg, all, lead_id_at, limit);
        jw_end(&j);
    }
    free(all);
}
