/*
 * sim_instagram_insights.c - Instagram account and media insights, as the Graph API serves
 * them (reference §3.2-§3.4, §10.3, §15 items 3, 4 and 6).
 *
 *   GET /vNN.0/{ig-user}/insights?metric=reach,follower_count&period=day&since=&until=
 *       time series: one data[] entry per metric with values[{value,end_time}], one per
 *       Pacific day whose end_time (the END of the day, "+0000") lies in (since, until], and
 *       paging.previous/next windows of the same width that walk on forever. Only reach and
 *       follower_count are time series; follower_count covers the last 30 days before today.
 *   GET /vNN.0/{ig-user}/insights?metric=views,accounts_engaged,total_interactions,likes,
 *       comments,shares,saves&metric_type=total_value&period=day&since=&until=[&breakdown=
 *       media_product_type,follow_type]
 *       data[].total_value.value over the window, with breakdowns[].{dimension_keys,
 *       results[].{dimension_values,value}} when a breakdown is asked for; no values[].
 *       Reach over more than one day counts each account once, so it is less than the sum.
 *   A window without data answers {"data":[]} rather than zeros (§3.4). A retired metric
 *   (impressions, plays, video_views, profile_views, ...) or an unknown one fails the whole
 *   call with error 100; more than 30 days between since and until is error 100 too.
 *   GET /vNN.0/{media}/insights?metric=reach,views,likes,comments,shares,saved,
 *       total_interactions[,ig_reels_avg_watch_time,ig_reels_video_view_total_time]
 *       lifetime values: values:[{"value":N}] without end_time; id "{media}/insights/{m}/
 *       lifetime". Media posted before the business conversion fail with error 100 subcode
 *       2108006 and error_user_title/msg (recorded, §3.4).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retire.h"
#include "sim_facebook.h"
#include "sim_instagram.h"

#define MAX_METRICS 16
#define MAX_SPAN    (30LL * 86400)

enum breakdown { BD_PRODUCT = 1, BD_FOLLOW = 2 };

struct account_metric {
    const char *name, *title, *description;
    bool series, total;
    unsigned breakdowns;
};

static const struct account_metric account_metrics[] = {
    {"reach", "Accounts reached",
     "The number of unique accounts that have seen your content, at least once, including in "
     "ads.",
     true, true, BD_PRODUCT | BD_FOLLOW},
    {"follower_count", "Follower count",
     "Total number of unique accounts following this profile, new each day.", true, false, 0},
    {"views", "Views", "The number of times your content was played or displayed.", false, true,
     BD_PRODUCT | BD_FOLLOW},
    {"accounts_engaged", "Accounts engaged",
     "The number of accounts that have interacted with your content, including in ads.", false,
     true, 0},
    {"total_interactions", "Content interactions",
     "The total number of post interactions, story interactions, reels interactions, video "
     "interactions and live video interactions, including any interactions on boosted content.",
     false, true, BD_PRODUCT},
    {"likes", "Likes", "The number of likes on your posts, reels and videos.", false, true,
     BD_PRODUCT},
    {"comments", "Comments", "The number of comments on your posts, reels, videos and live videos.",
     false, true, BD_PRODUCT},
    {"shares", "Shares",
     "The number of shares of your posts, stories, reels, videos and live "
     "videos.",
     false, true, BD_PRODUCT},
    {"saves", "Saves", "The number of saves of your posts, reels and videos.", false, true,
     BD_PRODUCT},
};
#define NACCOUNT (sizeof account_metrics / sizeof account_metrics[0])

static const char *const retired[] = {"impressions",
                                      "plays",
                                      "video_views",
                                      "profile_views",
                                      "website_clicks",
                                      "email_contacts",
                                      "phone_call_clicks",
                                      "text_message_clicks",
                                      "get_directions_clicks",
                                      "clips_replays_count",
                                      "ig_reels_aggregated_all_plays_count",
                                      "engagement",
                                      NULL};

static bool is_retired(const char *name, size_t len)
{
    for (const char *const *p = retired; *p; p++)
        if (strlen(*p) == len && strncmp(*p, name, len) == 0)
            return true;
    return false;
}

static void retired_error(struct ig_ctx *c, const char *name, size_t len)
{
    char msg[300];
    snprintf(msg, sizeof msg,
             "(#100) Starting from v22.0, the %.*s metric is no longer supported. Please use "
             "the views metric instead.",
             (int)(len < 60 ? len : 60), name);
    ig_error(c, 400, 100, 0, msg, -1);
}

static int64_t account_value(const struct ig_day *d, size_t m)
{
    switch (m) {
    case 0:
        return d->reach;
    case 1:
        return d->follows;
    case 2:
        return d->views;
    case 3:
        return d->accounts_engaged;
    case 4:
        return ig_day_interactions(d);
    case 5:
        return d->likes;
    case 6:
        return d->comments;
    case 7:
        return d->shares;
    default:
        return d->saves;
    }
}

/* ---- request ------------------------------------------------------------------------------- */

struct insight_query {
    size_t idx[MAX_METRICS];
    int n;
    bool total;
    unsigned bd[2]; /* asked breakdowns in order; 0 = none */
    const char *bd_name[2];
    int nbd;
    int64_t since, until;
};

/* metric=a,b,c -> indexes; false (answered) on a retired or unknown metric. */
static bool parse_metrics(struct ig_ctx *c, struct insight_query *q)
{
    const char *s = http_param(c->r, "metric");
    if (!s || !*s) {
        ig_error(c, 400, 100, 0, "(#100) The parameter metric is required", -1);
        return false;
    }
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, ","), m = 0;
        while (m < NACCOUNT && (strlen(account_metrics[m].name) != len ||
                                strncmp(account_metrics[m].name, p, len) != 0))
            m++;
        if (is_retired(p, len)) {
            retired_error(c, p, len);
            return false;
        }
        if (m == NACCOUNT || q->n == MAX_METRICS || sim_retired("instagram", p, len)) {
            char msg[400];
            snprintf(msg, sizeof msg,
                     "(#100) metric[%d] must be one of the following values: reach, "
                     "follower_count, views, accounts_engaged, total_interactions, likes, "
                     "comments, shares, saves, replies, profile_links_taps, "
                     "follows_and_unfollows, online_followers, follower_demographics",
                     q->n);
            ig_error(c, 400, 100, 0, msg, -1);
            return false;
        }
        q->idx[q->n++] = m;
        p += len + (p[len] == ',');
    }
    return true;
}

/* metric_type and period; every metric must be served that way. */
static bool parse_type(struct ig_ctx *c, struct insight_query *q)
{
    const char *t = http_param(c->r, "metric_type"), *period = http_param(c->r, "period");
    char msg[256];
    if (t && strcmp(t, "total_value") != 0 && strcmp(t, "time_series") != 0) {
        ig_error(c, 400, 100, 0,
                 "(#100) metric_type must be one of the following values: time_series, "
                 "total_value",
                 -1);
        return false;
    }
    q->total = t && strcmp(t, "total_value") == 0;
    if (!period || strcmp(period, "day") != 0) {
        ig_error(c, 400, 100, 0,
                 period ? "(#100) Incompatible period for the requested metrics: use day"
                        : "(#100) The parameter period is required",
                 -1);
        return false;
    }
    for (int i = 0; i < q->n; i++) {
        const struct account_metric *m = &account_metrics[q->idx[i]];
        if (q->total ? m->total : m->series)
            continue;
        snprintf(msg, sizeof msg,
                 q->total ? "(#100) The following metrics (%s) cannot be specified with "
                            "parameter metric_type=total_value"
                          : "(#100) The following metrics (%s) should be specified with "
                            "parameter metric_type=total_value",
                 m->name);
        ig_error(c, 400, 100, 0, msg, -1);
        return false;
    }
    return true;
}

static unsigned breakdown_named(const char *s, size_t len)
{
    if (len == 18 && strncmp(s, "media_product_type", len) == 0)
        return BD_PRODUCT;
    if ((len == 11 && strncmp(s, "follow_type", len) == 0) ||
        (len == 13 && strncmp(s, "follower_type", len) == 0))
        return BD_FOLLOW;
    return 0;
}

static bool parse_breakdown(struct ig_ctx *c, struct insight_query *q)
{
    const char *s = http_param(c->r, "breakdown");
    for (const char *p = s; p && *p;) {
        size_t len = strcspn(p, ",");
        unsigned b = breakdown_named(p, len);
        bool ok = b && q->total && q->nbd < 2;
        for (int i = 0; ok && i < q->n; i++)
            ok = (account_metrics[q->idx[i]].breakdowns & b) != 0;
        if (!ok) {
            ig_error(c, 400, 100, 0,
                     "(#100) Incompatible breakdowns. Please refer to the documentation for the "
                     "breakdowns each metric supports with metric_type=total_value.",
                     -1);
            return false;
        }
        q->bd[q->nbd] = b;
        q->bd_name[q->nbd++] = p;
        p += len + (p[len] == ',');
    }
    return true;
}

/* since/until as Unix seconds; defaults give the last two days. */
static bool parse_window(struct ig_ctx *c, struct insight_query *q)
{
    const char *s = http_param(c->r, "since"), *u = http_param(c->r, "until");
    if ((s && fb_parse_time(s, &q->since) < 0) || (u && fb_parse_time(u, &q->until) < 0)) {
        ig_error(c, 400, 100, 0,
                 "(#100) The since and until parameters must be dates or Unix timestamps", -1);
        return false;
    }
    if (!u)
        q->until = pacific_midnight(c->w->today) + 12 * 3600;
    if (!s)
        q->since = q->until - 2 * 86400;
    if (q->until - q->since > MAX_SPAN) {
        ig_error(c, 400, 100, 0,
                 "(#100) There cannot be more than 30 days (2592000 s) between since and until",
                 -1);
        return false;
    }
    return true;
}

/* True when day index d has a value of metric m in the window (end_time in (since, until]). */
static bool day_in(const struct ig_ctx *c, const struct insight_query *q, size_t m, int d)
{
    int64_t end = pacific_midnight(c->ig->first_day + d + 1);
    if (end <= q->since || end > q->until)
        return false;
    return m != 1 || ig_follower_count_served(c->ig, c->w, d);
}

/* ---- time series ---------------------------------------------------------------------------- */

static void window_url(struct ig_ctx *c, struct jw *j, const char *key, int64_t since,
                       int64_t until)
{
    static const char *const drop[] = {"since", "until", NULL};
    struct buf url = {0};
    char extra[64];
    snprintf(extra, sizeof extra, "since=%lld&until=%lld", (long long)since, (long long)until);
    ig_self_url(c, &url, drop, extra);
    jw_kstr(j, key, url.data);
    buf_free(&url);
}

static void series_entry(struct ig_ctx *c, const struct insight_query *q, size_t m, struct jw *j)
{
    char ts[32];
    const struct account_metric *def = &account_metrics[m];
    jw_obj(j);
    jw_kstr(j, "name", def->name);
    jw_kstr(j, "period", "day");
    jw_karr(j, "values");
    for (int d = 0; d < c->ig->ndays; d++) {
        if (!day_in(c, q, m, d))
            continue;
        fmt_meta_time(pacific_midnight(c->ig->first_day + d + 1), ts, sizeof ts);
        jw_obj(j);
        jw_kint(j, "value", account_value(&c->ig->days[d], m));
        jw_kstr(j, "end_time", ts);
        jw_end(j);
    }
    jw_end(j);
    jw_kstr(j, "title", def->title);
    jw_kstr(j, "description", def->description);
    jw_kstrf(j, "id", "%s/insights/%s/day", c->ig->user_id, def->name);
    jw_end(j);
}

static int days_with_data(const struct ig_ctx *c, const struct insight_query *q, size_t m)
{
    int n = 0;
    for (int d = 0; d < c->ig->ndays; d++)
        n += day_in(c, q, m, d);
    return n;
}

static void time_series(struct ig_ctx *c, const struct insight_query *q)
{
    struct jw j;
    ig_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "data");
    for (int i = 0; i < q->n; i++)
        if (days_with_data(c, q, q->idx[i]) > 0) /* no data: left out, never zeros */
            series_entry(c, q, q->idx[i], &j);
    jw_end(&j);
    jw_kobj(&j, "paging");
    window_url(c, &j, "previous", q->since - (q->until - q->since), q->since);
    window_url(c, &j, "next", q->until, q->until + (q->until - q->since));
    jw_end(&j);
    jw_end(&j);
}

/* ---- total values --------------------------------------------------------------------------- */

static const char *const product_values[] = {"FEED", "REELS", "STORY"};
static const char *const follow_values[] = {"FOLLOWER", "NON_FOLLOWER"};
#define NCELLS 6 /* 3 products x 2 follow types */

/* Splits a day's value into the 6 cells (product major), with weights fixed per day+metric. */
static void split_day(const struct ig_ctx *c, int d, size_t m, int64_t v, int64_t cells[NCELLS])
{
    int64_t w[NCELLS], sum = 0, given = 0;
    for (int i = 0; i < NCELLS; i++) {
        uint64_t h =
            mix64(c->w->seed, ((uint64_t)(c->ig->first_day + d) << 8) | (m << 3) | (unsigned)i);
        w[i] = 5 + (int64_t)(h % 40) + (i % 2 == 0 ? 30 : 0); /* followers weigh more */
        sum += w[i];
    }
    for (int i = 0; i < NCELLS - 1; i++) {
        cells[i] = v * w[i] / sum;
        given += cells[i];
    }
    cells[NCELLS - 1] = v - given;
}

/* The window's cells of metric m; returns the number of days with data. */
static int window_cells(const struct ig_ctx *c, const struct insight_query *q, size_t m,
                        int64_t cells[NCELLS])
{
    int days = 0;
    memset(cells, 0, NCELLS * sizeof *cells);
    for (int d = 0; d < c->ig->ndays; d++) {
        int64_t day_cells[NCELLS];
        if (!day_in(c, q, m, d))
            continue;
        split_day(c, d, m, account_value(&c->ig->days[d], m), day_cells);
        for (int i = 0; i < NCELLS; i++)
            cells[i] += day_cells[i];
        days++;
    }
    if (m == 0 && days > 1) /* reach: accounts seen on several days count once */
        for (int i = 0; i < NCELLS; i++)
            cells[i] = cells[i] * 4 / 5;
    return days;
}

/* One result row per combination of the asked dimensions. */
static void breakdown_results(const struct insight_query *q, const int64_t cells[NCELLS],
                              struct jw *j)
{
    bool product = q->bd[0] == BD_PRODUCT || q->bd[1] == BD_PRODUCT;
    bool follow = q->bd[0] == BD_FOLLOW || q->bd[1] == BD_FOLLOW;
    for (int p = 0; p < (product ? 3 : 1); p++) {
        for (int f = 0; f < (follow ? 2 : 1); f++) {
            int64_t v = 0;
            for (int i = 0; i < NCELLS; i++)
                if ((!product || i / 2 == p) && (!follow || i % 2 == f))
                    v += cells[i];
            jw_obj(j);
            jw_karr(j, "dimension_values");
            for (int k = 0; k < q->nbd; k++)
                jw_str(j, q->bd[k] == BD_PRODUCT ? product_values[p] : follow_values[f]);
            jw_end(j);
            jw_kint(j, "value", v);
            jw_end(j);
        }
    }
}

static void total_entry(struct ig_ctx *c, const struct insight_query *q, size_t m,
                        const int64_t cells[NCELLS], struct jw *j)
{
    const struct account_metric *def = &account_metrics[m];
    int64_t total = 0;
    for (int i = 0; i < NCELLS; i++)
        total += cells[i];
    jw_obj(j);
    jw_kstr(j, "name", def->name);
    jw_kstr(j, "period", "day");
    jw_kstr(j, "title", def->title);
    jw_kstr(j, "description", def->description);
    jw_kobj(j, "total_value");
    jw_kint(j, "value", total);
    if (q->nbd > 0) {
        jw_karr(j, "breakdowns");
        jw_obj(j);
        jw_karr(j, "dimension_keys");
        for (int k = 0; k < q->nbd; k++)
            jw_strf(j, "%.*s", (int)strcspn(q->bd_name[k], ","), q->bd_name[k]);
        jw_end(j);
        jw_karr(j, "results");
        breakdown_results(q, cells, j);
        jw_end(j);
        jw_end(j);
        jw_end(j);
    }
    jw_end(j);
    jw_kstrf(j, "id", "%s/insights/%s/day", c->ig->user_id, def->name);
    jw_end(j);
}

static void total_values(struct ig_ctx *c, const struct insight_query *q)
{
    struct jw j;
    ig_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "data");
    for (int i = 0; i < q->n; i++) {
        int64_t cells[NCELLS];
        if (window_cells(c, q, q->idx[i], cells) > 0)
            total_entry(c, q, q->idx[i], cells, &j);
    }
    jw_end(&j);
    jw_end(&j);
}

void ig_account_insights(struct ig_ctx *c)
{
    struct insight_query q;
    memset(&q, 0, sizeof q);
    if (!parse_metrics(c, &q) || !parse_type(c, &q) || !parse_breakdown(c, &q) ||
        !parse_window(c, &q))
        return;
    if (q.total)
        total_values(c, &q);
    else
        time_series(c, &q);
}

/* ---- media insights ------------------------------------------------------------------------- */

struct media_metric {
    const char *name, *title, *description;
    int only; /* 0 any, 1 feed only, 2 reels only */
};

static const struct media_metric media_metrics[] = {
    {"reach", "Accounts reached", "The number of unique accounts that have seen your media.", 0},
    {"views", "Views", "The number of times your media was played or displayed.", 0},
    {"likes", "Likes", "The number of likes on your media.", 0},
    {"comments", "Comments", "The number of comments on your media.", 0},
    {"shares", "Shares", "The number of shares of your media.", 0},
    {"saved", "Saved", "The number of saves of your media.", 0},
    {"total_interactions", "Interactions",
     "The number of likes, saves, comments and shares on your media, minus the number of "
     "unlikes, unsaves and deleted comments.",
     0},
    {"follows", "Follows", "The number of accounts that started following you.", 1},
    {"profile_visits", "Profile visits", "The number of times your profile was visited.", 1},
    {"ig_reels_avg_watch_time", "Average watch time",
     "The average amount of time spent playing your reel, in milliseconds.", 2},
    {"ig_reels_video_view_total_time", "Watch time",
     "The total amount of time your reel was played, in milliseconds.", 2},
};
#define NMEDIA_METRICS (sizeof media_metrics / sizeof media_metrics[0])

static int64_t media_value(const struct ig_media *m, size_t k)
{
    switch (k) {
    case 0:
        return m->reach;
    case 1:
        return m->views;
    case 2:
        return m->likes;
    case 3:
        return m->comments;
    case 4:
        return m->shares;
    case 5:
        return m->saved;
    case 6:
        return ig_media_interactions(m);
    case 7:
        return m->reach / 200;
    case 8:
        return m->reach / 40;
    case 9:
        return m->views > 0 ? m->watch_ms / m->views : 0;
    default:
        return m->watch_ms;
    }
}

/* metric=... -> indexes; -1 (answered) on a retired, unknown or unsupported metric. */
static int parse_media_metrics(struct ig_ctx *c, const struct ig_media *m, size_t *idx)
{
    const char *s = http_param(c->r, "metric");
    char msg[300];
    int n = 0;
    if (!s || !*s) {
        ig_error(c, 400, 100, 0, "(#100) The parameter metric is required", -1);
        return -1;
    }
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, ","), k = 0;
        while (k < NMEDIA_METRICS && (strlen(media_metrics[k].name) != len ||
                                      strncmp(media_metrics[k].name, p, len) != 0))
            k++;
        if (is_retired(p, len)) {
            retired_error(c, p, len);
            return -1;
        }
        if (k == NMEDIA_METRICS || n == MAX_METRICS || (media_metrics[k].only == 1 && m->reel) ||
            (media_metrics[k].only == 2 && !m->reel)) {
            snprintf(msg, sizeof msg,
                     "(#100) The Media Insights API does not support the %.*s metric for this "
                     "media product type.",
                     (int)(len < 60 ? len : 60), p);
            ig_error(c, 400, 100, 0, msg, -1);
            return -1;
        }
        idx[n++] = k;
        p += len + (p[len] == ',');
    }
    return n;
}

void ig_media_insights(struct ig_ctx *c, const struct ig_media *m)
{
    size_t idx[MAX_METRICS];
    int n = parse_media_metrics(c, m, idx);
    struct jw j;
    if (n < 0)
        return;
    if (m->before_business) {
        ig_error_user(c, 100, 2108006, "Invalid parameter",
                      "Media Posted Before Business Account Conversion",
                      "The media was posted before the most recent time that the user's account "
                      "was converted to a business account from a personal account.");
        return;
    }
    ig_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "data");
    for (int i = 0; i < n; i++) {
        const struct media_metric *def = &media_metrics[idx[i]];
        jw_obj(&j);
        jw_kstr(&j, "name", def->name);
        jw_kstr(&j, "period", "lifetime");
        jw_karr(&j, "values");
        jw_obj(&j);
        jw_kint(&j, "value", media_value(m, idx[i]));
        jw_end(&j);
        jw_end(&j);
        jw_kstr(&j, "title", def->title);
        jw_kstr(&j, "description", def->description);
        jw_kstrf(&j, "id", "%s/insights/%s/lifetime", m->id, def->name);
        jw_end(&j);
    }
    jw_end(&j);
    jw_end(&j);
}
