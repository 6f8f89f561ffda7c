/*
 * sim_pinterest_ads.c - Pinterest ad accounts, campaigns and campaign analytics, as API v5
 * serves them (reference §6.2-§6.4, §10.6, §15 item 13).
 *
 *   GET /v5/ad_accounts                      {"items":[{ad account}],"bookmark":null}
 *   GET /v5/ad_accounts/{id}                 the ad account (currency EUR)
 *   GET /v5/ad_accounts/{id}/campaigns?page_size=1..250 (25)&bookmark=&entity_statuses=
 *       &campaign_ids=&order=   {"items":[...],"bookmark":"..."|null}; entity_statuses
 *       defaults to ACTIVE,PAUSED; start_time, created_time and updated_time are Unix seconds
 *   GET /v5/ad_accounts/{id}/campaigns/analytics?start_date=&end_date=&campaign_ids=a,b
 *       &columns=...&granularity=DAY|TOTAL
 *       a BARE JSON ARRAY of rows with UPPER_SNAKE keys: AD_ACCOUNT_ID and CAMPAIGN_ID as
 *       strings, DATE (UTC) for DAY, then the columns asked for. SPEND_IN_MICRO_DOLLAR is an
 *       integer in micro-units of the account's currency (EUR here, despite the name);
 *       SPEND_IN_DOLLAR is major units; counts are numbers, in some rows written like
 *       1000.0; a column without data is left out of the row (LEADS outside the lead
 *       campaign or on days without leads, the conversion value on days without
 *       conversions, costs and rates whose divisor is 0). Only UTC days with delivery have
 *       rows. At most 90 days between the dates, start at most 90 days back; at most 250
 *       campaign ids.
 * Another ad account id is 403 code 3; bad parameters 400 code 1 naming the parameter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_pinterest.h"

#define MAX_CAMPAIGN_IDS 250
#define MAX_COLUMNS      32

/* ---- ad accounts ---------------------------------------------------------------------------- */

static void ad_account_object(const struct pin_world *pw, struct jw *j)
{
    jw_obj(j);
    jw_kstr(j, "id", pw->ad_account);
    jw_kstr(j, "name", "Acme Analytics – DACH (EUR)");
    jw_kobj(j, "owner");
    jw_kstr(j, "username", pw->username);
    jw_kstr(j, "id", pw->user_id);
    jw_end(j);
    jw_kstr(j, "country", "DE");
    jw_kstr(j, "currency", pw->currency);
    jw_karr(j, "permissions");
    jw_str(j, "OWNER");
    jw_end(j);
    jw_kint(j, "created_time", day_start_utc(pw->first_day) - 86400 * 120 + 36000);
    jw_kint(j, "updated_time", day_start_utc(pw->first_day) - 86400 * 30 + 36000);
    jw_end(j);
}

/* ---- campaigns ------------------------------------------------------------------------------ */

static void campaign_object(const struct pin_world *pw, const struct pin_campaign *k, struct jw *j)
{
    jw_obj(j);
    jw_kstr(j, "id", k->id);
    jw_kstr(j, "ad_account_id", pw->ad_account);
    jw_kstr(j, "name", k->name);
    jw_kstr(j, "status", k->paused ? "PAUSED" : "ACTIVE");
    jw_knull(j, "lifetime_spend_cap");
    jw_kint(j, "daily_spend_cap", k->daily_cap_micros);
    jw_knull(j, "order_line_id");
    jw_knull(j, "tracking_urls");
    jw_kint(j, "start_time", k->created + 3600);
    jw_knull(j, "end_time");
    jw_kstr(j, "summary_status", k->paused ? "PAUSED" : "RUNNING");
    jw_kbool(j, "is_campaign_budget_optimization", false);
    jw_kbool(j, "is_flexible_daily_budgets", false);
    jw_kstr(j, "objective_type", k->objective);
    jw_kint(j, "created_time", k->created);
    jw_kint(j, "updated_time", k->created + 7200);
    jw_kstr(j, "type", "campaign");
    jw_end(j);
}

static bool listed(const char *list, const char *item)
{
    size_t n = strlen(item);
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

static bool campaign_selected(const struct http_req *r, const struct pin_campaign *k)
{
    const char *st = http_param(r, "entity_statuses"), *ids = http_param(r, "campaign_ids");
    if (!listed(st ? st : "ACTIVE,PAUSED", k->paused ? "PAUSED" : "ACTIVE"))
        return false;
    return !ids || listed(ids, k->id);
}

/* Bookmarks: base64 of "campaigns|<offset>|<check>", opaque to clients. */
static void bookmark_encode(const struct world *w, size_t offset, char *out)
{
    char text[64];
    snprintf(text, sizeof text, "campaigns|%zu|%llu", offset,
             (unsigned long long)(mix64(w->seed, offset) % 1000000));
    b64_encode(text, strlen(text), out);
}

static bool bookmark_decode(const struct world *w, const char *s, size_t *offset)
{
    unsigned char text[64];
    char check[96];
    int n = strlen(s) < 80 ? b64_decode(s, text, sizeof text - 1) : -1;
    if (n <= 0)
        return false;
    text[n] = '\0';
    unsigned long long off;
    if (sscanf((const char *)text, "campaigns|%llu|", &off) != 1 || off > 1000)
        return false;
    bookmark_encode(w, (size_t)off, check);
    *offset = (size_t)off;
    return strcmp(check, s) == 0;
}

static bool page_params(const struct world *w, struct http_req *r, long *size, size_t *offset)
{
    const char *ps = http_param(r, "page_size"), *bm = http_param(r, "bookmark");
    char *end;
    *size = 25;
    *offset = 0;
    if (ps) {
        *size = strtol(ps, &end, 10);
        if (*ps == '\0' || *end != '\0' || *size < 1 || *size > 250) {
            pin_bad_param(r, "page_size", "must be an integer from 1 to 250");
            return false;
        }
    }
    if (bm && !bookmark_decode(w, bm, offset)) {
        pin_bad_param(r, "bookmark", "is not a valid bookmark");
        return false;
    }
    return true;
}

static void campaigns(struct pin_world *pw, const struct world *w, struct http_req *r)
{
    const char *order = http_param(r, "order");
    bool desc = order && strcmp(order, "DESCENDING") == 0;
    int sel[PIN_CAMPAIGNS_MAX];
    size_t offset, nsel = 0, i;
    long size;
    char bm[128];
    struct jw j;
    if (!page_params(w, r, &size, &offset))
        return;
    for (int c = 0; c < pw->ncamps; c++) {
        int k = desc ? pw->ncamps - 1 - c : c;
        if (campaign_selected(r, &pw->camps[k]))
            sel[nsel++] = k;
    }
    pin_begin(r, &j);
    jw_obj(&j);
    jw_karr(&j, "items");
    for (i = offset; i < nsel && i < offset + (size_t)size; i++)
        campaign_object(pw, &pw->camps[sel[i]], &j);
    jw_end(&j);
    if (i < nsel) { /* more follow */
        bookmark_encode(w, i, bm);
        jw_kstr(&j, "bookmark", bm);
    } else {
        jw_knull(&j, "bookmark");
    }
    jw_end(&j);
}

/* ---- campaign analytics --------------------------------------------------------------------- */

enum column {
    COL_SPEND_MICRO,
    COL_SPEND_DOLLAR,
    COL_PAID_IMPRESSION,
    COL_TOTAL_IMPRESSION,
    COL_TOTAL_CLICKTHROUGH,
    COL_CLICKTHROUGH_1,
    COL_OUTBOUND_CLICK_1,
    COL_TOTAL_ENGAGEMENT,
    COL_TOTAL_CONVERSIONS,
    COL_CONVERSIONS_VALUE,
    COL_LEADS,
    COL_COST_PER_LEAD,
    COL_CTR,
    COL_CPC,
    COL_CPM,
    COL_CAMPAIGN_NAME,
    COL_CAMPAIGN_ID,
    COL_AD_ACCOUNT_ID,
};

static const char *const columns[] = {
    [COL_SPEND_MICRO] = "SPEND_IN_MICRO_DOLLAR",
    [COL_SPEND_DOLLAR] = "SPEND_IN_DOLLAR",
    [COL_PAID_IMPRESSION] = "PAID_IMPRESSION",
    [COL_TOTAL_IMPRESSION] = "TOTAL_IMPRESSION",
    [COL_TOTAL_CLICKTHROUGH] = "TOTAL_CLICKTHROUGH",
    [COL_CLICKTHROUGH_1] = "CLICKTHROUGH_1",
    [COL_OUTBOUND_CLICK_1] = "OUTBOUND_CLICK_1",
    [COL_TOTAL_ENGAGEMENT] = "TOTAL_ENGAGEMENT",
    [COL_TOTAL_CONVERSIONS] = "TOTAL_CONVERSIONS",
    [COL_CONVERSIONS_VALUE] = "TOTAL_CONVERSIONS_VALUE_IN_MICRO_DOLLAR",
    [COL_LEADS] = "LEADS",
    [COL_COST_PER_LEAD] = "COST_PER_LEAD",
    [COL_CTR] = "CTR",
    [COL_CPC] = "CPC_IN_MICRO_DOLLAR",
    [COL_CPM] = "CPM_IN_MICRO_DOLLAR",
    [COL_CAMPAIGN_NAME] = "CAMPAIGN_NAME",
    [COL_CAMPAIGN_ID] = "CAMPAIGN_ID",
    [COL_AD_ACCOUNT_ID] = "AD_ACCOUNT_ID",
};
#define NCOLUMNS (sizeof columns / sizeof columns[0])

struct analytics_query {
    int32_t start, end;
    int camp[MAX_CAMPAIGN_IDS]; /* indexes of the known campaigns asked for */
    int ncamp;
    enum column col[MAX_COLUMNS];
    int ncol;
    bool total; /* granularity TOTAL */
};

static bool parse_campaign_ids(const struct pin_world *pw, struct http_req *r,
                               struct analytics_query *q)
{
    const char *v = http_param(r, "campaign_ids");
    int n = 0;
    if (!v || !*v) {
        pin_bad_param(r, "campaign_ids", "Missing required parameter");
        return false;
    }
    for (const char *p = v; *p; n++) {
        size_t len = strcspn(p, ",");
        if (n == MAX_CAMPAIGN_IDS || len == 0 || len > 19 || strspn(p, "0123456789") < len) {
            pin_bad_param(r, "campaign_ids",
                          n == MAX_CAMPAIGN_IDS ? "at most 250 campaign ids"
                                                : "must be a list of numeric campaign ids");
            return false;
        }
        for (int c = 0; c < pw->ncamps; c++)
            if (strlen(pw->camps[c].id) == len && strncmp(pw->camps[c].id, p, len) == 0)
                q->camp[q->ncamp++] = c;
        p += len + (p[len] == ',');
    }
    return true;
}

static bool parse_columns(struct http_req *r, struct analytics_query *q)
{
    const char *v = http_param(r, "columns");
    char what[96];
    if (!v || !*v) {
        pin_bad_param(r, "columns", "Missing required parameter");
        return false;
    }
    for (const char *p = v; *p;) {
        size_t len = strcspn(p, ","), c = 0;
        while (c < NCOLUMNS && (strlen(columns[c]) != len || strncmp(columns[c], p, len) != 0))
            c++;
        if (c == NCOLUMNS || q->ncol == MAX_COLUMNS) {
            snprintf(what, sizeof what, "'%.*s' is not a valid value", (int)(len < 50 ? len : 50),
                     p);
            pin_bad_param(r, "columns", what);
            return false;
        }
        if (c != COL_CAMPAIGN_ID && c != COL_AD_ACCOUNT_ID) /* always in the row */
            q->col[q->ncol++] = (enum column)c;
        p += len + (p[len] == ',');
    }
    return true;
}

static bool parse_analytics(const struct pin_world *pw, const struct world *w, struct http_req *r,
                            struct analytics_query *q)
{
    const char *g = http_param(r, "granularity");
    memset(q, 0, sizeof *q);
    if (!pin_dates(r, w, 90, true, &q->start, &q->end) || !parse_campaign_ids(pw, r, q) ||
        !parse_columns(r, q))
        return false;
    if (!g) {
        pin_bad_param(r, "granularity", "Missing required parameter");
        return false;
    }
    if (strcmp(g, "DAY") != 0 && strcmp(g, "TOTAL") != 0) {
        pin_bad_param(r, "granularity",
                      strcmp(g, "HOUR") == 0 || strcmp(g, "WEEK") == 0 || strcmp(g, "MONTH") == 0
                          ? "is not available for this report"
                          : "must be one of TOTAL, DAY, HOUR, WEEK, MONTH");
        return false;
    }
    q->total = strcmp(g, "TOTAL") == 0;
    return true;
}

/* A decimal with two places from a ratio of integers, or nothing when den is 0. */
static void put_decimal2(struct jw *j, const char *key, int64_t num, int64_t den)
{
    char s[48];
    if (den <= 0)
        return;
    int64_t v = num * 100 / den;
    snprintf(s, sizeof s, "%lld.%02lld", (long long)(v / 100), (long long)(v % 100));
    jw_key(j, key);
    jw_raw(j, s);
}

/* The count a count column shows, or -1 for the other columns. */
static int64_t column_count(const struct pin_adday *a, enum column c)
{
    switch (c) {
    case COL_PAID_IMPRESSION:
        return a->paid_impressions;
    case COL_TOTAL_IMPRESSION:
        return a->impressions;
    case COL_TOTAL_CLICKTHROUGH:
    case COL_CLICKTHROUGH_1:
        return a->clicks;
    case COL_OUTBOUND_CLICK_1:
        return a->outbound_clicks;
    case COL_TOTAL_ENGAGEMENT:
        return a->clicks + a->saves;
    case COL_TOTAL_CONVERSIONS:
        return a->conversions;
    default:
        return -1;
    }
}

/* Columns of money, rates and names; each is left out when it has no data. */
static void put_other(const struct pin_campaign *k, const struct pin_adday *a, enum column c,
                      bool float_counts, struct jw *j)
{
    char money[48];
    const char *key = columns[c];
    bool leads = k->leads && a->leads > 0;
    if (c == COL_SPEND_MICRO) {
        jw_kint(j, key, a->spend_micros);
    } else if (c == COL_SPEND_DOLLAR) {
        fmt_decimal_micros(a->spend_micros, money, sizeof money);
        jw_key(j, key);
        jw_raw(j, money);
    } else if (c == COL_CONVERSIONS_VALUE && a->conversions > 0) {
        jw_kint(j, key, a->conversion_value_micros);
    } else if (c == COL_LEADS && leads) {
        jw_key(j, key);
        pin_count(j, a->leads, float_counts);
    } else if (c == COL_COST_PER_LEAD && leads) {
        jw_kint(j, key, a->spend_micros / a->leads);
    } else if (c == COL_CTR && a->impressions > 0) {
        jw_key(j, key);
        pin_ratio(j, a->clicks, a->impressions);
    } else if (c == COL_CPC) {
        put_decimal2(j, key, a->spend_micros, a->clicks);
    } else if (c == COL_CPM) {
        put_decimal2(j, key, a->spend_micros * 1000, a->impressions);
    } else if (c == COL_CAMPAIGN_NAME) {
        jw_kstr(j, key, k->name);
    }
}

static void put_column(const struct pin_campaign *k, const struct pin_adday *a, enum column c,
                       bool float_counts, struct jw *j)
{
    int64_t n = column_count(a, c);
    if (n < 0) {
        put_other(k, a, c, float_counts, j);
        return;
    }
    jw_key(j, columns[c]);
    pin_count(j, n, float_counts);
}

static void put_row(const struct pin_world *pw, const struct analytics_query *q, int c,
                    const struct pin_adday *a, int32_t day, bool float_counts, struct jw *j)
{
    char date[16];
    jw_obj(j);
    jw_kstr(j, "AD_ACCOUNT_ID", pw->ad_account);
    jw_kstr(j, "CAMPAIGN_ID", pw->camps[c].id);
    if (!q->total) {
        fmt_date(day, date, sizeof date);
        jw_kstr(j, "DATE", date);
    }
    for (int i = 0; i < q->ncol; i++)
        put_column(&pw->camps[c], a, q->col[i], float_counts, j);
    jw_end(j);
}

/* The delivery of campaign c over the window, summed; false when it had none. */
static bool window_total(const struct pin_world *pw, const struct analytics_query *q, int c,
                         struct pin_adday *sum)
{
    memset(sum, 0, sizeof *sum);
    for (int32_t day = q->start; day <= q->end; day++) {
        int d = pin_day_index(pw, day);
        const struct pin_adday *a = d >= 0 ? pin_adday(pw, c, d) : NULL;
        if (!a || !a->delivered)
            continue;
        sum->delivered = true;
        sum->spend_micros += a->spend_micros;
        sum->impressions += a->impressions;
        sum->paid_impressions += a->paid_impressions;
        sum->clicks += a->clicks;
        sum->outbound_clicks += a->outbound_clicks;
        sum->saves += a->saves;
        sum->conversions += a->conversions;
        sum->conversion_value_micros += a->conversion_value_micros;
        sum->leads += a->leads;
    }
    return sum->delivered;
}

static void analytics(struct pin_world *pw, const struct world *w, struct http_req *r)
{
    struct analytics_query q;
    struct pin_adday sum;
    struct jw j;
    if (!parse_analytics(pw, w, r, &q))
        return;
    pin_begin(r, &j);
    jw_arr(&j); /* a bare array, not an object (reference §6.3) */
    for (int i = 0; q.total && i < q.ncamp; i++)
        if (window_total(pw, &q, q.camp[i], &sum))
            put_row(pw, &q, q.camp[i], &sum, 0, false, &j);
    for (int32_t day = q.start; !q.total && day <= q.end; day++) {
        int d = pin_day_index(pw, day);
        for (int i = 0; d >= 0 && i < q.ncamp; i++) {
            const struct pin_adday *a = pin_adday(pw, q.camp[i], d);
            bool as_float = mix64(w->seed, (uint64_t)day * 8 + (uint64_t)q.camp[i]) % 4 == 0;
            if (a->delivered)
                put_row(pw, &q, q.camp[i], a, day, as_float, &j);
        }
    }
    jw_end(&j);
}

/* ---- routing -------------------------------------------------------------------------------- */

void pin_ads_route(struct pin_world *pw, const struct world *w, struct http_req *r, const char *sub)
{
    struct jw j;
    size_t n;
    if (*sub == '\0') {
        pin_begin(r, &j);
        jw_obj(&j);
        jw_karr(&j, "items");
        ad_account_object(pw, &j);
        jw_end(&j);
        jw_knull(&j, "bookmark");
        jw_end(&j);
        return;
    }
    sub++;
    n = strcspn(sub, "/");
    if (n != strlen(pw->ad_account) || strncmp(sub, pw->ad_account, n) != 0) {
        pin_error(r, 403, PIN_CODE_FORBIDDEN, "Authorization failed.");
        return;
    }
    sub += n;
    if (*sub == '\0') {
        pin_begin(r, &j);
        ad_account_object(pw, &j);
    } else if (strcmp(sub, "/campaigns") == 0) {
        campaigns(pw, w, r);
    } else if (strcmp(sub, "/campaigns/analytics") == 0) {
        analytics(pw, w, r);
    } else {
        pin_error(r, 404, PIN_CODE_NOT_FOUND, "Not found.");
    }
}
