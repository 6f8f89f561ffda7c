/*
 * sim_youtube_analytics.c - the YouTube Analytics API v2 reports endpoint of the simulator
 * (reference §5.3, §10.5, §15 item 12).
 *
 *   GET /analytics/v2/reports?ids=channel==MINE&startDate=&endDate=&metrics=views,...
 *       [&dimensions=day][&sort=day|-day][&startIndex=][&maxResults=]
 *   -> {"kind":"youtubeAnalytics#resultTable",
 *       "columnHeaders":[{"name":"day","columnType":"DIMENSION","dataType":"STRING"},
 *                        {"name":"likes","columnType":"METRIC","dataType":"INTEGER"},...],
 *       "rows":[["2024-01-01",12,...],...]}
 * Rows are positional under columnHeaders, and the simulator puts the metric columns in its
 * own fixed order, never the order of the request (a client must read by header). Days are
 * Pacific days of history; the last two are incomplete and /_advance restates them. A window
 * without data has no "rows" member at all. Without dimensions there is one row of totals.
 * Unknown metrics are 400 "Unknown identifier (x) given in field parameters.metrics.";
 * dimensions other than day, filters and other sorts are "The query is not supported."; an
 * ids value other than this channel is 403 forbidden.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_youtube.h"
#include "timeutil.h"

#define MAX_METRICS 16

/* The simulator's column order (a request is reordered into it). */
static const struct {
    const char *name, *type;
} metrics[] = {
    {"likes", "INTEGER"},
    {"dislikes", "INTEGER"},
    {"shares", "INTEGER"},
    {"views", "INTEGER"},
    {"subscribersLost", "INTEGER"},
    {"comments", "INTEGER"},
    {"estimatedMinutesWatched", "INTEGER"},
    {"subscribersGained", "INTEGER"},
    {"averageViewDuration", "INTEGER"},
    {"averageViewPercentage", "FLOAT"},
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

static const char unsupported[] =
    "The query is not supported. Check the documentation at "
    "https://developers.google.com/youtube/analytics/v2/available_reports for a list of "
    "supported queries.";

struct report_query {
    int32_t start, end; /* days, inclusive */
    size_t col[MAX_METRICS];
    int ncol;
    bool by_day, descending;
    long start_index, max_results; /* 1-based; max_results 0 = all */
};

/* Sums a window of days into one (the totals row) and gives the view-weighted percentage. */
struct window_sum {
    struct yt_day sum;
    int64_t pct_weighted; /* sum of views x view_pct_bp */
};

static void add_day(struct window_sum *s, const struct yt_day *d)
{
    s->sum.views += d->views;
    s->sum.minutes += d->minutes;
    s->sum.likes += d->likes;
    s->sum.dislikes += d->dislikes;
    s->sum.comments += d->comments;
    s->sum.shares += d->shares;
    s->sum.gained += d->gained;
    s->sum.lost += d->lost;
    s->pct_weighted += d->views * d->view_pct_bp;
}

static void put_value(struct jw *j, const struct window_sum *s, size_t m)
{
    const struct yt_day *d = &s->sum;
    int64_t bp = d->views > 0 ? s->pct_weighted / d->views : 0;
    char pct[32];
    switch (m) {
    case 0:
        jw_int(j, d->likes);
        break;
    case 1:
        jw_int(j, d->dislikes);
        break;
    case 2:
        jw_int(j, d->shares);
        break;
    case 3:
        jw_int(j, d->views);
        break;
    case 4:
        jw_int(j, d->lost);
        break;
    case 5:
        jw_int(j, d->comments);
        break;
    case 6:
        jw_int(j, d->minutes);
        break;
    case 7:
        jw_int(j, d->gained);
        break;
    case 8:
        jw_int(j, d->views > 0 ? d->minutes * 60 / d->views : 0);
        break;
    default:
        snprintf(pct, sizeof pct, "%lld.%02lld", (long long)(bp / 100), (long long)(bp % 100));
        jw_raw(j, pct);
    }
}

/* ---- parameters ----------------------------------------------------------------------------- */

static bool ids_ok(const struct yt_world *yt, struct http_req *r)
{
    const char *ids = http_param(r, "ids");
    if (!ids) {
        yt_bad_param(r, "ids", "required", "global", "Required ids");
        return false;
    }
    if (strcmp(ids, "channel==MINE") == 0 ||
        (strncmp(ids, "channel==", 9) == 0 && strcmp(ids + 9, yt->channel_id) == 0))
        return true;
    struct google_error e = {.status = 403,
                             .message = "Forbidden",
                             .domain = "global",
                             .reason = "forbidden",
                             .grpc_status = "PERMISSION_DENIED"};
    yt_error(r, &e);
    return false;
}

static bool date_param(struct http_req *r, const char *name, int32_t *day)
{
    const char *v = http_param(r, name);
    char msg[192];
    if (!v) {
        snprintf(msg, sizeof msg, "Required %s", name);
        yt_bad_param(r, name, "required", "global", msg);
        return false;
    }
    if (time_parse_date(v, day) < 0) {
        snprintf(msg, sizeof msg,
                 "Invalid value '%.40s'. Values must match the following regular "
                 "expression: '[0-9]{4}-[0-9]{2}-[0-9]{2}'",
                 v);
        yt_bad_param(r, name, "invalidParameter", "global", msg);
        return false;
    }
    return true;
}

/* metrics=... -> columns in the simulator's order; false (answered) on an unknown one. */
static bool parse_metrics(struct http_req *r, struct report_query *q)
{
    const char *v = http_param(r, "metrics");
    bool want[NMETRICS] = {false};
    size_t asked[MAX_METRICS];
    int nasked = 0;
    char msg[160];
    if (!v || !*v) {
        yt_bad_param(r, "metrics", "required", "global", "Required metrics");
        return false;
    }
    for (const char *p = v; *p;) {
        size_t n = strcspn(p, ","), m = 0;
        while (m < NMETRICS && (strlen(metrics[m].name) != n || strncmp(metrics[m].name, p, n)))
            m++;
        if (m == NMETRICS || nasked == MAX_METRICS) {
            snprintf(msg, sizeof msg,
                     "Unknown identifier (%.*s) given in field parameters.metrics.",
                     (int)(n < 60 ? n : 60), p);
            yt_bad_request(r, msg);
            return false;
        }
        if (!want[m])
            asked[nasked++] = m;
        want[m] = true;
        p += n + (p[n] == ',');
    }
    for (size_t m = 0; m < NMETRICS; m++)
        if (want[m])
            q->col[q->ncol++] = m;
    /* A request already in our order is rotated by one, so the order always differs. */
    if (q->ncol > 1 && memcmp(q->col, asked, (size_t)q->ncol * sizeof *asked) == 0) {
        size_t first = q->col[0];
        memmove(q->col, q->col + 1, (size_t)(q->ncol - 1) * sizeof *q->col);
        q->col[q->ncol - 1] = first;
    }
    return true;
}

static bool positive(struct http_req *r, const char *name, long *out)
{
    const char *v = http_param(r, name);
    char *end, msg[128];
    if (!v)
        return true;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 1) {
        snprintf(msg, sizeof msg, "Invalid value '%.30s'. Values must be at least 1", v);
        yt_bad_param(r, name, "invalidParameter", "global", msg);
        return false;
    }
    *out = n;
    return true;
}

static bool parse_shape(struct http_req *r, struct report_query *q)
{
    const char *dims = http_param(r, "dimensions"), *sort = http_param(r, "sort");
    q->by_day = dims && strcmp(dims, "day") == 0;
    if ((dims && !q->by_day) || http_param(r, "filters") ||
        (sort && (!q->by_day || (strcmp(sort, "day") != 0 && strcmp(sort, "-day") != 0)))) {
        yt_bad_request(r, unsupported);
        return false;
    }
    q->descending = sort && sort[0] == '-';
    q->start_index = 1;
    return positive(r, "startIndex", &q->start_index) && positive(r, "maxResults", &q->max_results);
}

static bool parse_query(const struct yt_world *yt, struct http_req *r, struct report_query *q)
{
    memset(q, 0, sizeof *q);
    if (!ids_ok(yt, r) || !date_param(r, "startDate", &q->start) ||
        !date_param(r, "endDate", &q->end))
        return false;
    if (q->end < q->start) {
        yt_bad_request(r, "The start date must be on or before the end date.");
        return false;
    }
    return parse_metrics(r, q) && parse_shape(r, q);
}

/* ---- the table ------------------------------------------------------------------------------ */

static void column_headers(const struct report_query *q, struct jw *j)
{
    jw_karr(j, "columnHeaders");
    if (q->by_day) {
        jw_obj(j);
        jw_kstr(j, "name", "day");
        jw_kstr(j, "columnType", "DIMENSION");
        jw_kstr(j, "dataType", "STRING");
        jw_end(j);
    }
    for (int i = 0; i < q->ncol; i++) {
        jw_obj(j);
        jw_kstr(j, "name", metrics[q->col[i]].name);
        jw_kstr(j, "columnType", "METRIC");
        jw_kstr(j, "dataType", metrics[q->col[i]].type);
        jw_end(j);
    }
    jw_end(j);
}

static void row(const struct report_query *q, const struct window_sum *s, int32_t day, struct jw *j)
{
    char date[16];
    jw_arr(j);
    if (q->by_day) {
        fmt_date(day, date, sizeof date);
        jw_str(j, date);
    }
    for (int i = 0; i < q->ncol; i++)
        put_value(j, s, q->col[i]);
    jw_end(j);
}

/* Writes "rows" when there is at least one row to show. */
static void rows(const struct yt_world *yt, const struct report_query *q, struct jw *j)
{
    int32_t lo = q->start > yt->first_day ? q->start : yt->first_day;
    int32_t hi = q->end < yt->first_day + yt->ndays - 1 ? q->end : yt->first_day + yt->ndays - 1;
    long n = hi >= lo ? (q->by_day ? hi - lo + 1 : 1) : 0, shown = 0;
    if (n < q->start_index)
        return;
    jw_karr(j, "rows");
    if (!q->by_day) {
        struct window_sum s = {0};
        for (int32_t d = lo; d <= hi; d++)
            add_day(&s, &yt->days[d - yt->first_day]);
        row(q, &s, 0, j);
    }
    for (long k = q->start_index - 1; q->by_day && k < n; k++) {
        int32_t d = q->descending ? hi - (int32_t)k : lo + (int32_t)k;
        struct window_sum s = {0};
        if (q->max_results > 0 && shown++ == q->max_results)
            break;
        add_day(&s, &yt->days[d - yt->first_day]);
        row(q, &s, d, j);
    }
    jw_end(j);
}

void yt_reports(struct yt_world *yt, const struct world *w, struct http_req *r)
{
    struct report_query q;
    struct jw j;
    (void)w;
    if (!parse_query(yt, r, &q))
        return;
    yt_begin(r, &j);
    jw_obj(&j);
    jw_kstr(&j, "kind", "youtubeAnalytics#resultTable");
    column_headers(&q, &j);
    rows(yt, &q, &j);
    jw_end(&j);
}
