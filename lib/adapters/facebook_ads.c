/*
 * facebook_ads.c - the paid half of the Meta adapter: Marketing API ads insights per campaign and
 * day (facebook.ads_insights) and Lead Ads form leads (facebook.leads). The Graph machinery
 * (requests, errors, paging) is in facebook.c.
 *
 * Ads insights (reference §2.3, §10.2): every metric is a decimal string; spend is in major units
 * of account_currency ("14.35" is 14350000 micros); rows exist only for days with delivery;
 * actions[] and action_values[] are left out when empty. Leads are the aggregate action "lead",
 * conversions the aggregate "purchase": their component types (onsite_conversion.lead_grouped,
 * offsite_conversion.fb_pixel_purchase, ...) are never added, which would count the same conversion
 * twice.
 *
 * Leads (reference §2.4): one form at a time, newer than the watermark. The page cursor is
 * "FORM_INDEX:AFTER" so one job walks every configured form: "0:" is the first page of the first
 * form, "0:QVFI..." a later page, and when a form's pages end the cursor moves on to the next form.
 * The e-mail answer is kept only as a salted hash. An account without forms has nothing to ask:
 * build() refuses with "no forms configured" rather than invent a request, and the job should not
 * be scheduled; parse() still reads a body, taking each lead's form from its form_id.
 *
 * Pure, like the rest of the adapter.
 */
#include "facebook_int.h"
#include "money.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- facebook.ads_insights ------------------------------------------------------------------- */

int facebook_build_ads(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                       size_t whylen)
{
    const char *acct = ctx->account ? ctx->account->ad_account : NULL;
    char since[16], until[16], range[64];
    struct buf q = {0};
    if (!acct || !*acct) {
        snprintf(why, whylen, "account has no ad_account");
        return -1;
    }
    /* the config may name the ad account with or without its act_ prefix */
    char *id = adapter_urlencode(strncmp(acct, "act_", 4) == 0 ? acct + 4 : acct);
    char *path = xasprintf("act_%s/insights", id);
    time_format_date(ctx->from_day, since, sizeof since);
    time_format_date(ctx->to_day, until, sizeof until);
    snprintf(range, sizeof range, "{\"since\":\"%s\",\"until\":\"%s\"}", since, until);
    adapter_query(&q, "level", "campaign");
    adapter_query(&q, "time_increment", "1");
    adapter_query(&q, "time_range", range);
    adapter_query(&q, "fields",
                  "campaign_id,campaign_name,account_currency,spend,impressions,"
                  "clicks,actions,action_values");
    adapter_query(&q, "limit", "500");
    int rc = facebook_get(ctx, req, path, &q, ctx->page, why, whylen);
    buf_free(&q);
    free(path);
    free(id);
    return rc;
}

/*
 * The value of the action of exactly `type` in row[field] (a count, or money for action_values).
 * JSON_ABSENT when the array or the type is not there.
 */
static enum json_get action_value(const cJSON *row, const char *field, const char *type, bool money,
                                  int64_t *out)
{
    const cJSON *arr = json_get(row, field), *a;
    const char *t;
    if (!arr || cJSON_IsNull(arr))
        return JSON_ABSENT;
    if (!cJSON_IsArray(arr))
        return JSON_BAD;
    cJSON_ArrayForEach(a, arr)
    {
        if (json_str(a, "action_type", &t) != JSON_OK)
            return JSON_BAD;
        if (strcmp(t, type) == 0)
            return money ? json_money(a, "value", out) : json_count(a, "value", out);
    }
    return JSON_ABSENT;
}

/* Campaign id, currency and the single day of a row into a; the campaign name into *name. */
static int ads_row_keys(const struct adapter_ctx *ctx, const cJSON *row, struct rowset *rs,
                        struct rec_ad_daily *a, const char **name)
{
    char buf[32];
    const char *cid, *cur = NULL, *start, *stop;
    int32_t day, stop_day;
    if (json_id(row, "campaign_id", buf, sizeof buf, &cid) != JSON_OK)
        return facebook_malformed(rs, "row without a string campaign_id (a number above 2^53?)");
    a->campaign = rowset_strdup(rs, cid);
    *name = NULL;
    if (json_str(row, "campaign_name", name) == JSON_BAD)
        return facebook_malformed(rs, "campaign %s: campaign_name is not a string",
                                  meta_shown_id(cid));
    if (json_str(row, "account_currency", &cur) == JSON_BAD)
        return facebook_malformed(rs, "campaign %s: account_currency is not a string",
                                  meta_shown_id(cid));
    if (!cur)
        cur = ctx->account ? ctx->account->currency : NULL;
    if (!cur || !money_currency_valid(cur))
        return facebook_malformed(rs, "campaign %s: no ISO 4217 account_currency",
                                  meta_shown_id(cid));
    memcpy(a->currency, cur, 4);
    if (json_str(row, "date_start", &start) != JSON_OK || time_parse_date(start, &day) < 0)
        return facebook_malformed(rs, "campaign %s: date_start is not a date", meta_shown_id(cid));
    /* time_increment=1: a row is one day; a longer row cannot be put on one day */
    if (json_str(row, "date_stop", &stop) == JSON_OK &&
        (time_parse_date(stop, &stop_day) < 0 || stop_day != day))
        return facebook_malformed(rs, "campaign %s: row is not a single day", meta_shown_id(cid));
    a->day = day;
    a->basis = BASIS_ACCOUNT_TZ;
    return 0;
}

/* spend, impressions, clicks, leads, conversions and conversion value of a row. */
static int ads_row_amounts(const cJSON *row, struct rowset *rs, struct rec_ad_daily *a)
{
    const char *what = NULL;
    if (json_money(row, "spend", &a->spend_micros) == JSON_BAD)
        what = "spend is not a decimal";
    else if (json_count(row, "impressions", &a->impressions) == JSON_BAD)
        what = "impressions is not a count";
    else if (json_count(row, "clicks", &a->clicks) == JSON_BAD)
        what = "clicks is not a count";
    else if (action_value(row, "actions", "lead", false, &a->leads) == JSON_BAD ||
             action_value(row, "actions", "purchase", false, &a->conversions) == JSON_BAD)
        what = "actions[] is not a list of counts";
    else if (action_value(row, "action_values", "purchase", true, &a->conversion_value_micros) ==
             JSON_BAD)
        what = "action_values[] is not a list of decimals";
    if (what)
        return facebook_malformed(rs, "campaign %s: %s", meta_shown_id(a->campaign), what);
    return 0;
}

static bool campaign_seen(const struct adapter_pending *p, const char *id)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].type == REC_CAMPAIGN && strcmp(p->v[i].u.campaign.id, id) == 0)
            return true;
    return false;
}

/* One row: the campaign (once per page) and its day. */
static int ads_item(const struct adapter_ctx *ctx, const cJSON *row, void *arg, struct rowset *rs,
                    struct adapter_pending *p)
{
    struct record day = {.type = REC_AD_DAILY};
    const char *name;
    (void)arg;
    if (ads_row_keys(ctx, row, rs, &day.u.ad_daily, &name) < 0 ||
        ads_row_amounts(row, rs, &day.u.ad_daily) < 0)
        return -1;
    if (!campaign_seen(p, day.u.ad_daily.campaign)) {
        struct record c = {.type = REC_CAMPAIGN};
        c.u.campaign.id = day.u.ad_daily.campaign;
        c.u.campaign.name = rowset_strdup(rs, name);
        adapter_pending_add(p, &c);
    }
    adapter_pending_add(p, &day);
    return 0;
}

int facebook_parse_ads(const struct adapter_ctx *ctx, const struct http_response *resp,
                       struct rowset *rs)
{
    char *after;
    int rc = facebook_parse_list(ctx, resp, rs, ads_item, NULL, ctx->page, &after);
    if (rc == 0)
        rowset_set_next(rs, after);
    free(after);
    return rc;
}

/* ---- facebook.leads -------------------------------------------------------------------------- */

/* Reads "FORM_INDEX:AFTER" (NULL = the first page of form 0); -1 when it names no form. */
static int lead_cursor(const char *page, size_t nforms, size_t *form, const char **after)
{
    size_t i = 0;
    *form = 0;
    *after = NULL;
    if (!page)
        return nforms ? 0 : -1;
    const char *p = page;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (i > nforms)
            return -1;
        i = i * 10 + (size_t)(*p - '0');
    }
    if (*p != ':' || i >= nforms)
        return -1;
    *form = i;
    *after = p[1] ? p + 1 : NULL;
    return 0;
}

int facebook_build_leads(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                         size_t whylen)
{
    size_t nforms = ctx->account ? ctx->account->forms.n : 0, form;
    const char *after;
    char filter[128];
    struct buf q = {0};
    if (nforms == 0) { /* nothing to ask: the scheduler should not run this job */
        snprintf(why, whylen, "no forms configured");
        return -1;
    }
    if (lead_cursor(ctx->page, nforms, &form, &after) < 0) {
        snprintf(why, whylen, "page cursor names no configured form");
        return -1;
    }
    char *id = adapter_urlencode(ctx->account->forms.items[form]);
    char *path = xasprintf("%s/leads", id);
    snprintf(filter, sizeof filter,
             "[{\"field\":\"time_created\",\"operator\":\"GREATER_THAN\","
             "\"value\":%lld}]",
             (long long)(ctx->since > 0 ? ctx->since / 1000000 : 0));
    adapter_query(&q, "fields", "id,created_time,ad_id,campaign_id,form_id,is_organic,field_data");
    adapter_query(&q, "filtering", filter);
    int rc = facebook_get(ctx, req, path, &q, after, why, whylen);
    buf_free(&q);
    free(path);
    free(id);
    return rc;
}

/* The first answer to the question named "email" (borrowed), NULL when there is none. */
static int lead_email(const cJSON *lead, const char *id, struct rowset *rs, const char **email)
{
    const cJSON *fields = json_get(lead, "field_data"), *f, *values, *first;
    const char *name;
    *email = NULL;
    if (!fields || cJSON_IsNull(fields))
        return 0;
    if (!cJSON_IsArray(fields))
        return facebook_malformed(rs, "lead %s: field_data is not an array", meta_shown_id(id));
    cJSON_ArrayForEach(f, fields)
    {
        if (json_str(f, "name", &name) != JSON_OK)
            return facebook_malformed(rs, "lead %s: field_data item without a name",
                                      meta_shown_id(id));
        if (strcmp(name, "email") != 0)
            continue;
        values = json_get(f, "values");
        first = cJSON_GetArrayItem(values, 0);
        if (!cJSON_IsArray(values) || (first && !cJSON_IsString(first)))
            return facebook_malformed(rs, "lead %s: email values are not strings",
                                      meta_shown_id(id));
        *email = first && first->valuestring[0] ? first->valuestring : NULL;
        return 0;
    }
    return 0;
}

/* An optional id member copied into the arena: NULL when absent, -1 when not an id. */
static int opt_id(const cJSON *obj, const char *key, struct rowset *rs, const char **out)
{
    char buf[32];
    const char *v;
    enum json_get g = json_id(obj, key, buf, sizeof buf, &v);
    *out = g == JSON_OK ? rowset_strdup(rs, v) : NULL;
    return g == JSON_BAD ? -1 : 0;
}

/* One lead: arg is the id of the form being read, for leads that do not name theirs. */
static int lead_item(const struct adapter_ctx *ctx, const cJSON *lead, void *arg, struct rowset *rs,
                     struct adapter_pending *p)
{
    struct rec_lead l = {.source = "form"};
    const char *created, *email;
    if (opt_id(lead, "id", rs, &l.id) < 0 || !l.id)
        return facebook_malformed(rs, "lead without a string id");
    if (json_str(lead, "created_time", &created) != JSON_OK ||
        json_parse_time(created, &l.created_at) < 0)
        return facebook_malformed(rs, "lead %s: created_time is not a timestamp",
                                  meta_shown_id(l.id));
    /* organic leads carry no ad_id or campaign_id; is_organic adds nothing beyond that */
    if (opt_id(lead, "ad_id", rs, &l.ad) < 0 || opt_id(lead, "campaign_id", rs, &l.campaign) < 0 ||
        opt_id(lead, "form_id", rs, &l.form) < 0)
        return facebook_malformed(rs, "lead %s: ad_id, campaign_id or form_id is not an id",
                                  meta_shown_id(l.id));
    if (!l.form)
        l.form = rowset_strdup(rs, arg);
    if (lead_email(lead, l.id, rs, &email) < 0)
        return -1;
    adapter_form_lead(ctx, &l, email, email ? strlen(email) : 0, "facebook", rs, p);
    return 0;
}

int facebook_parse_leads(const struct adapter_ctx *ctx, const struct http_response *resp,
                         struct rowset *rs)
{
    size_t nforms = ctx->account ? ctx->account->forms.n : 0, form = 0;
    const char *after_in = NULL;
    char *after, *next = NULL;
    if (ctx->page && lead_cursor(ctx->page, nforms, &form, &after_in) < 0)
        return facebook_malformed(rs, "page cursor names no configured form");
    const char *form_id = form < nforms ? ctx->account->forms.items[form] : NULL;
    int rc = facebook_parse_list(ctx, resp, rs, lead_item, (void *)form_id, after_in, &after);
    if (rc < 0)
        return -1;
    if (after)
        next = xasprintf("%zu:%s", form, after);
    else if (form + 1 < nforms) /* this form is done: the first page of the next one */
        next = xasprintf("%zu:", form + 1);
    rowset_set_next(rs, next);
    free(next);
    free(after);
    return 0;
}
