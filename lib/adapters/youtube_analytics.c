/*
 * youtube_analytics.c - youtube.analytics: the channel's daily report from the YouTube Analytics
 * API v2 ({api_base2}/v2/reports, dimensions=day). Requests and Google errors are in youtube.c.
 *
 * What the report looks like (reference §5.3, §10.5): columnHeaders[] names each column
 * (dimensions first, then metrics, in the order asked, but this parser never relies on that: every
 * column is found by its name); rows[] are positional arrays of a "YYYY-MM-DD" Pacific day and
 * JSON numbers (dataType INTEGER or FLOAT); `rows` is left out entirely when the window has no
 * data, which is an empty page, not an error. The report has one row per day, so a window fits one
 * page and there is no cursor.
 *
 * estimatedMinutesWatched becomes watch_time_seconds. It may be a FLOAT: the number is read
 * through its decimal text (the shortest text that reads back as the same number) with the exact
 * decimal parser to micro-minutes, multiplied by 60 in integers and rounded half to even to whole
 * seconds, so the value is never the product of two doubles.
 *
 * Pure, like the rest of the adapter.
 */
#include "youtube_int.h"
#include "money.h"
#include "timeutil.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name;   /* report column */
    const char *metric; /* canonical name */
} columns[] = {
    {"views", "views"},
    {"estimatedMinutesWatched", "watch_time_seconds"},
    {"likes", "likes"},
    {"comments", "comments"},
    {"shares", "shares"},
    {"subscribersGained", "followers_gained"},
    {"subscribersLost", "followers_lost"},
};
#define NCOLUMNS    (sizeof columns / sizeof columns[0])
#define WATCH_TIME  1 /* the column that is minutes, stored as seconds */
#define MAX_COLUMNS 64

int youtube_build_analytics(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                            size_t whylen)
{
    char start[16], end[16];
    struct buf q = {0}, metrics = {0};
    for (size_t i = 0; i < NCOLUMNS; i++)
        buf_printf(&metrics, "%s%s", i ? "," : "", columns[i].name);
    time_format_date(ctx->from_day, start, sizeof start);
    time_format_date(ctx->to_day, end, sizeof end);
    adapter_query(&q, "ids", "channel==MINE");
    adapter_query(&q, "startDate", start);
    adapter_query(&q, "endDate", end);
    adapter_query(&q, "metrics", metrics.data);
    adapter_query(&q, "dimensions", "day");
    adapter_query(&q, "sort", "day");
    int rc = youtube_get(ctx, req, ctx->platform->api_base2, "/v2/reports", &q, why, whylen);
    buf_free(&metrics);
    buf_free(&q);
    return rc;
}

/* Where each column is: day_col and col[] (-1 when the report lacks it). */
struct layout {
    int ncols, day_col, col[NCOLUMNS];
};

static int read_headers(const cJSON *headers, struct layout *l, struct rowset *rs)
{
    const cJSON *h;
    const char *name;
    l->ncols = 0;
    l->day_col = -1;
    for (size_t i = 0; i < NCOLUMNS; i++)
        l->col[i] = -1;
    if (!cJSON_IsArray(headers))
        return youtube_malformed(rs, "rows without columnHeaders");
    cJSON_ArrayForEach(h, headers)
    {
        if (l->ncols == MAX_COLUMNS)
            return youtube_malformed(rs, "more than %d columnHeaders", MAX_COLUMNS);
        if (json_str(h, "name", &name) != JSON_OK)
            return youtube_malformed(rs, "columnHeaders item without a name");
        if (strcmp(name, "day") == 0)
            l->day_col = l->ncols;
        for (size_t i = 0; i < NCOLUMNS; i++)
            if (strcmp(name, columns[i].name) == 0)
                l->col[i] = l->ncols;
        l->ncols++;
    }
    return l->day_col < 0 ? youtube_malformed(rs, "columnHeaders without a day column") : 0;
}

/* Whole seconds from a number of minutes (integer or decimal), half to even. */
static enum json_get minutes_to_seconds(const cJSON *it, int64_t *secs)
{
    int64_t micro_min;
    if (!it || cJSON_IsNull(it))
        return JSON_ABSENT;
    char *txt = cJSON_IsNumber(it)   ? cJSON_PrintUnformatted(it)
                : cJSON_IsString(it) ? it->valuestring
                                     : NULL;
    bool ok = txt && money_parse_decimal(txt, strlen(txt), &micro_min) == 0 && micro_min >= 0 &&
              micro_min <= INT64_MAX / 60;
    if (cJSON_IsNumber(it))
        cJSON_free(txt);
    if (!ok)
        return JSON_BAD;
    int64_t us = micro_min * 60, s = us / 1000000, rem = us % 1000000;
    *secs = s + (rem > 500000 || (rem == 500000 && (s & 1)));
    return JSON_OK;
}

/* One row: a record per known metric column (null: no record), when the day is in the window. */
static int read_row(const struct adapter_ctx *ctx, const cJSON *row, const struct layout *l,
                    struct rowset *rs, struct adapter_pending *p)
{
    const cJSON *d;
    int32_t day;
    int64_t v;
    if (!cJSON_IsArray(row) || cJSON_GetArraySize(row) != l->ncols)
        return youtube_malformed(rs, "a row does not match columnHeaders");
    d = cJSON_GetArrayItem(row, l->day_col);
    if (!cJSON_IsString(d) || time_parse_date(d->valuestring, &day) < 0)
        return youtube_malformed(rs, "a row's day is not a date");
    for (size_t i = 0; i < NCOLUMNS; i++) {
        if (l->col[i] < 0)
            continue;
        const cJSON *cell = cJSON_GetArrayItem(row, l->col[i]);
        enum json_get g =
            i == WATCH_TIME ? minutes_to_seconds(cell, &v) : json_count_item(cell, &v);
        if (g == JSON_BAD)
            return youtube_malformed(rs, "%s on %s is not a count", columns[i].name,
                                     d->valuestring);
        if (g == JSON_OK && day >= ctx->from_day && day <= ctx->to_day)
            adapter_daily(BASIS_PACIFIC, columns[i].metric, day, v, p);
    }
    return 0;
}

static int report(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                  struct adapter_pending *p)
{
    const cJSON *rows = json_get(root, "rows"), *row;
    struct layout l;
    if (!rows || cJSON_IsNull(rows)) /* nothing in the window */
        return 0;
    if (!cJSON_IsArray(rows))
        return youtube_malformed(rs, "rows is not an array");
    if (read_headers(json_get(root, "columnHeaders"), &l, rs) < 0)
        return -1;
    cJSON_ArrayForEach(row, rows)
    {
        if (read_row(ctx, row, &l, rs, p) < 0)
            return -1;
    }
    return 0;
}

int youtube_parse_analytics(const struct adapter_ctx *ctx, const struct http_response *resp,
                            struct rowset *rs)
{
    struct adapter_pending p = {0};
    cJSON *root = youtube_body(ctx, resp, rs);
    if (!root)
        return -1;
    int rc = report(ctx, root, rs, &p);
    if (rc == 0)
        adapter_pending_commit(&p, rs); /* one page: no next cursor */
    adapter_pending_drop(&p);
    cJSON_Delete(root);
    return rc;
}
