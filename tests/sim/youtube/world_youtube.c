/*
 * world_youtube.c - generation, /_advance, /_world and /_truth of the simulated YouTube
 * channel.
 *
 * One channel ("UC" + 22 characters) whose uploads playlist ("UU" + the same 22) holds every
 * video of the channel: 24-28 over the days, so a client reading 20 per page needs two pages
 * and one reading 50 needs one. Video statistics only grow; some videos hide their like count
 * or have comments disabled (likeCount / commentCount absent, reference §5.2). Channel
 * analytics: one Pacific day of views, watch time, likes, dislikes, comments, shares and
 * subscribers gained and lost for every day of history; the last two days are incomplete and
 * /_advance restates them upwards (§5.3). subscriberCount is shown rounded down to three
 * significant figures (§5.2).
 * Truth names (README "Streams and records", youtube.*): views, watch_time_seconds
 * (estimatedMinutesWatched x 60), likes, comments, shares, followers_gained
 * (subscribersGained), followers_lost (subscribersLost), each by Pacific day; channel
 * viewCount -> views, videoCount -> posts, subscriberCount as shown -> followers; per video
 * viewCount -> views, likeCount -> likes and commentCount -> comments when present.
 */
#include "world_youtube.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "xmalloc.h"

static const struct {
    const char *title, *description;
} videos[] = {
    {"How we measure social ROI (in 8 minutes)", "The whole pipeline, from click to deal."},
    {"Attribution windows explained — why “yesterday” keeps changing",
     "Meta restates 28 days, Pinterest up to 60. Here is what that means for your reports."},
    {"Dashboard tour 2026 🚀", "A quick look at the new campaign view."},
    {"Webinar: «Budgets that survive the CFO»", "Recording of our November webinar."},
    {"Pipeline per follower: the only social KPI that matters?", "Zoë and Jürgen debate."},
    {"Customer story: Ødegaard & Co. cut cost per lead by 31%", "Interview with the team."},
    {"新しいダッシュボードの紹介", "日本語の字幕付き。"},
    {"UTM hygiene in 5 steps ✅", "utm_source, utm_medium, utm_campaign — done right."},
    {"Live Q&A: your attribution questions", "Recorded live. Timestamps in the comments."},
    {"Nouveautés : rapports de ROI par campagne", "Sous-titres en français."},
};

void yt_uploads_playlist(const struct yt_world *yt, char *out, size_t len)
{
    snprintf(out, len, "UU%s", yt->channel_id + 2);
}

int64_t yt_channel_views(const struct yt_world *yt)
{
    int64_t n = yt->views_before;
    for (int d = 0; d < yt->ndays; d++)
        n += yt->days[d].views;
    return n;
}

int64_t yt_subscribers(const struct yt_world *yt)
{
    int64_t n = yt->subs_before + yt->subs_extra;
    for (int d = 0; d < yt->ndays; d++)
        n += yt->days[d].gained - yt->days[d].lost;
    return n;
}

int64_t yt_subscribers_shown(const struct yt_world *yt)
{
    int64_t n = yt_subscribers(yt), p = 1;
    while (n / p >= 1000)
        p *= 10;
    return n / p * p;
}

void yt_refresh_token(const struct yt_world *yt, char *out, size_t len)
{
    snprintf(out, len, "%s%s", YT_REFRESH_PREFIX, yt->cred.refresh);
}

/* ---- generation ----------------------------------------------------------------------------- */

static void gen_day(struct rng *r, struct yt_day *day)
{
    day->views = rng_range(r, 300, 4000);
    day->minutes = day->views * rng_range(r, 90, 320) / 100;
    day->likes = day->views * rng_range(r, 15, 60) / 1000;
    day->dislikes = day->likes * rng_range(r, 0, 6) / 100;
    day->comments = day->views * rng_range(r, 1, 8) / 1000;
    day->shares = day->views * rng_range(r, 1, 10) / 1000;
    day->gained = rng_range(r, 2, 45);
    day->lost = rng_range(r, 0, 8);
    day->view_pct_bp = (int)rng_range(r, 2800, 6500);
}

/* An 11-character video id; some carry the '-' and '_' of YouTube's alphabet. */
static void video_id(struct rng *r, char out[16])
{
    rng_alnum(r, out, "", 11);
    if (rng_pct(r, 20))
        out[rng_range(r, 1, 9)] = rng_pct(r, 50) ? '-' : '_';
}

static struct yt_video *add_video(struct yt_world *yt, int64_t t, int age_days)
{
    yt->videos = xgrow(yt->videos, &yt->cap, yt->nvideos + 1, sizeof *yt->videos);
    struct yt_video *v = &yt->videos[yt->nvideos++];
    size_t k = (size_t)rng_range(&yt->rng, 0, sizeof videos / sizeof videos[0] - 1);
    memset(v, 0, sizeof *v);
    video_id(&yt->rng, v->id);
    v->published = t;
    v->title = videos[k].title;
    v->description = videos[k].description;
    v->duration_s = (int)rng_range(&yt->rng, 40, 2400);
    v->ratings_hidden = rng_pct(&yt->rng, 10);
    v->comments_disabled = rng_pct(&yt->rng, 10);
    v->views = rng_range(&yt->rng, 40, 3000) + age_days * rng_range(&yt->rng, 5, 200);
    v->likes = v->views * rng_range(&yt->rng, 10, 60) / 1000;
    v->comments = v->views * rng_range(&yt->rng, 0, 8) / 1000;
    return v;
}

static int cmp_time(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void gen_videos(struct yt_world *yt, const struct world *w)
{
    int64_t start = day_start_utc(world_first_day(w)), end = day_start_utc(w->today);
    size_t n = (size_t)rng_range(&yt->rng, 24, 28);
    int64_t *t = xcalloc(n, sizeof *t);
    for (size_t i = 0; i < n; i++)
        t[i] = rng_range(&yt->rng, start, end - 1);
    qsort(t, n, sizeof *t, cmp_time);
    for (size_t i = 0; i < n; i++)
        add_video(yt, t[i], (int)((end - t[i]) / 86400));
    free(t);
}

/* The last two days are incomplete: about 70 % and 35 % of a day counted so far. */
static void partial_day(struct yt_day *day, int pct)
{
    day->views = day->views * pct / 100;
    day->minutes = day->minutes * pct / 100;
    day->likes = day->likes * pct / 100;
    day->dislikes = day->dislikes * pct / 100;
    day->comments = day->comments * pct / 100;
    day->shares = day->shares * pct / 100;
    day->gained = day->gained * pct / 100;
    day->lost = day->lost * pct / 100;
}

static void *yt_world_new(const struct world *w)
{
    struct yt_world *yt = xcalloc(1, sizeof *yt);
    char d[16], s[33]; /* 32 characters and the NUL */
    rng_seed(&yt->rng, w->seed, "youtube");
    yt->first_day = world_first_day(w);
    yt->ndays = w->ndays;
    yt->days = xcalloc((size_t)yt->ndays, sizeof *yt->days);
    rng_alnum(&yt->rng, yt->channel_id, "UC", 22);
    yt->title = "Acme Analytics";
    rng_digits(&yt->rng, d, 12);
    rng_alnum(&yt->rng, s, "", 32);
    for (char *p = s; *p; p++)
        *p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
    snprintf(yt->client_id, sizeof yt->client_id, "%s-%s.apps.googleusercontent.com", d, s);
    rng_alnum(&yt->rng, yt->client_secret, "GOCSPX-", 28);
    cred_init(&yt->cred, w, "youtube", "ya29.", 150);
    yt->views_before = rng_range(&yt->rng, 150000, 900000);
    yt->subs_before = rng_range(&yt->rng, 8000, 60000);
    for (int i = 0; i < yt->ndays; i++)
        gen_day(&yt->rng, &yt->days[i]);
    if (yt->ndays >= 2)
        partial_day(&yt->days[yt->ndays - 2], 70);
    partial_day(&yt->days[yt->ndays - 1], 35);
    gen_videos(yt, w);
    return yt;
}

static void yt_world_free(void *pd)
{
    struct yt_world *yt = pd;
    if (!yt)
        return;
    free(yt->videos);
    free(yt->days);
    free(yt);
}

/* ---- /_advance ------------------------------------------------------------------------------ */

static void restate_days(struct yt_world *yt)
{
    for (int d = yt->ndays - 2; d < yt->ndays; d++) {
        if (d < 0)
            continue;
        struct yt_day *day = &yt->days[d];
        int64_t more = rng_range(&yt->rng, 50, 600);
        day->views += more;
        day->minutes += more * rng_range(&yt->rng, 90, 300) / 100;
        day->likes += more * rng_range(&yt->rng, 10, 50) / 1000;
        day->comments += rng_pct(&yt->rng, 50);
        day->shares += rng_pct(&yt->rng, 40);
        day->gained += rng_range(&yt->rng, 0, 5);
        day->lost += rng_pct(&yt->rng, 30);
    }
}

static void yt_advance(void *pd, const struct world *w)
{
    struct yt_world *yt = pd;
    restate_days(yt);
    for (size_t i = 0; i < yt->nvideos; i++) {
        struct yt_video *v = &yt->videos[i];
        if (!rng_pct(&yt->rng, 60))
            continue;
        v->views += rng_range(&yt->rng, 1, 120);
        v->likes += rng_range(&yt->rng, 0, 3);
        v->comments += rng_pct(&yt->rng, 20);
    }
    yt->subs_extra += rng_range(&yt->rng, 0, 20);
    /* A new upload early in the world's today, after every earlier one. */
    int64_t base = day_start_utc(w->today) + (int64_t)(w->generation - 1) * 600;
    struct yt_video *v = add_video(yt, base + rng_range(&yt->rng, 200, 280), 0);
    v->views /= 20;
    v->likes /= 20;
    v->comments /= 20;
}

/* ---- /_world and /_truth -------------------------------------------------------------------- */

static void yt_account_json(void *pd, const struct world *w, struct jw *j)
{
    const struct yt_world *yt = pd;
    char rt[CRED_MAX + 8];
    (void)w;
    yt_refresh_token(yt, rt, sizeof rt);
    jw_obj(j);
    jw_kstr(j, "channel_id", yt->channel_id);
    jw_kstr(j, "access_token", yt->cred.access);
    jw_kstr(j, "refresh_token", rt);
    jw_kstr(j, "client_id", yt->client_id);
    jw_kstr(j, "client_secret", yt->client_secret);
    jw_end(j);
}

static int64_t day_metric(const struct yt_day *d, int m)
{
    switch (m) {
    case 0:
        return d->views;
    case 1:
        return d->minutes * 60;
    case 2:
        return d->likes;
    case 3:
        return d->comments;
    case 4:
        return d->shares;
    case 5:
        return d->gained;
    default:
        return d->lost;
    }
}

static const char *const truth_names[] = {
    "views",  "watch_time_seconds", "likes",         "comments",
    "shares", "followers_gained",   "followers_lost"};
#define NTRUTH 7

static void metric_truth(const struct yt_world *yt, struct jw *j)
{
    char day[16];
    jw_kobj(j, "metric_daily");
    for (int m = 0; m < NTRUTH; m++) {
        jw_kobj(j, truth_names[m]);
        for (int d = 0; d < yt->ndays; d++) {
            fmt_date(yt->first_day + d, day, sizeof day);
            jw_kint(j, day, day_metric(&yt->days[d], m));
        }
        jw_end(j);
    }
    jw_end(j);
}

static int video_snapshots(const struct yt_video *v)
{
    return 1 + !v->ratings_hidden + !v->comments_disabled;
}

static void video_truth(const struct yt_video *v, struct jw *j)
{
    char ts[32];
    fmt_iso_z(v->published, ts, sizeof ts);
    jw_kobj(j, v->id);
    jw_kstr(j, "published_at", ts);
    jw_kstr(j, "kind", "video");
    jw_kstr(j, "title", v->title);
    jw_kobj(j, "metrics");
    jw_kint(j, "views", v->views);
    if (!v->ratings_hidden)
        jw_kint(j, "likes", v->likes);
    if (!v->comments_disabled)
        jw_kint(j, "comments", v->comments);
    jw_end(j);
    jw_end(j);
}

static void yt_truth_json(void *pd, const struct world *w, struct jw *j)
{
    const struct yt_world *yt = pd;
    (void)w;
    jw_obj(j);
    jw_kobj(j, yt->channel_id);
    metric_truth(yt, j);
    jw_kobj(j, "snapshots");
    jw_kint(j, "views", yt_channel_views(yt));
    jw_kint(j, "posts", (int64_t)yt->nvideos);
    jw_kint(j, "followers", yt_subscribers_shown(yt));
    jw_end(j);
    jw_kobj(j, "content");
    for (size_t i = 0; i < yt->nvideos; i++)
        video_truth(&yt->videos[i], j);
    jw_end(j);
    jw_end(j);
    jw_end(j);
}

static void yt_totals_json(void *pd, const struct world *w, struct jw *j)
{
    const struct yt_world *yt = pd;
    int64_t snapshots = 3;
    (void)w;
    for (size_t i = 0; i < yt->nvideos; i++)
        snapshots += video_snapshots(&yt->videos[i]);
    jw_obj(j);
    jw_kint(j, "posts", (int64_t)yt->nvideos);
    jw_kint(j, "metric_days", NTRUTH * (int64_t)yt->ndays);
    jw_kint(j, "snapshots", snapshots);
    jw_end(j);
}

const struct sim_platform sim_platform_youtube = {
    .name = "youtube",
    .world_new = yt_world_new,
    .world_free = yt_world_free,
    .advance = yt_advance,
    .account_json = yt_account_json,
    .truth_json = yt_truth_json,
    .totals_json = yt_totals_json,
    .serve = sim_youtube_serve,
    .fault = sim_youtube_fault,
};
