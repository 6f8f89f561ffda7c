/*
 * world_instagram.c - generation, /_advance, /_world and /_truth of the simulated Instagram
 * professional account (Instagram API with Facebook Login, Graph conventions of Meta).
 *
 * Account insights: one Pacific day of reach, views, accounts engaged, likes, comments,
 * shares, saves and new followers for every day of history; /_advance restates the last two
 * days (insights lag up to 48 h, reference §3.4). Media: 58-64 over the days, so a client
 * reading 50 per page needs two pages; feed images, carousels, videos and reels, some
 * without caption, a few with the like count hidden (like_count absent, §3.4) and the three
 * oldest posted before the business conversion (their insights fail with 100/2108006, §3.4).
 * The /media edge does not list stories (they live on /stories for 24 h only), so stories
 * appear only in the media_product_type breakdowns of account insights.
 * Truth names (README "Streams and records", instagram.*): reach -> reach, follower_count ->
 * followers_gained, views -> views, total_interactions -> engagements, likes, comments,
 * shares, saves, each by the Pacific day ending at end_time; followers_count -> followers,
 * follows_count -> following, media_count -> posts; per medium like_count -> likes,
 * comments_count -> comments and the lifetime insights reach, views, shares, saved -> saves,
 * total_interactions -> engagements (none for media before the business conversion).
 */
#include "world_instagram.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "xmalloc.h"

#define IG_MEDIA_MIN       58
#define IG_MEDIA_MAX       64
#define IG_BEFORE_BUSINESS 3

static const char *const captions[] = {
    "Behind the scenes at our #socialROI workshop 📸\n\nWhat would you measure first?",
    "Zoë’s 3 rules for attribution windows 👇 #marketing #B2B",
    "Nouveautés : rapports de ROI par campagne ✨",
    "Dashboard tour in 30 seconds ⏱️ #reels",
    "Team offsite in München 🏔️ — Stand B12 next week!",
    "新しいダッシュボードを公開しました 🎉",
    "Pipeline per follower: the chart everyone asked for 📈",
    "Customer story: Ødegaard & Co. cut cost per lead by 31%",
    "Swipe ➡️ for the full benchmark report",
    "Hiring! Senior data engineer (remote, EU/US) 🚀 Link in bio.",
};

int64_t ig_day_interactions(const struct ig_day *d)
{
    return d->likes + d->comments + d->shares + d->saves;
}

int64_t ig_media_interactions(const struct ig_media *m)
{
    return m->likes + m->comments + m->shares + m->saved;
}

int64_t ig_followers(const struct ig_world *ig)
{
    int64_t n = ig->followers_base + ig->followers_extra;
    for (int d = 0; d < ig->ndays; d++)
        n += ig->days[d].follows - ig->days[d].unfollows;
    return n;
}

int64_t ig_media_count(const struct ig_world *ig)
{
    return ig->older_media + (int64_t)ig->nmedia;
}

int ig_day_index(const struct ig_world *ig, int32_t day)
{
    int d = (int)(day - ig->first_day);
    return d >= 0 && d < ig->ndays ? d : -1;
}

bool ig_follower_count_served(const struct ig_world *ig, const struct world *w, int d)
{
    return ig->first_day + d >= w->today - 30;
}

/* ---- generation ----------------------------------------------------------------------------- */

static void gen_day(struct rng *r, struct ig_day *day)
{
    day->reach = rng_range(r, 600, 9000);
    day->views = day->reach * rng_range(r, 140, 320) / 100;
    day->likes = day->reach * rng_range(r, 2, 9) / 100;
    day->comments = day->likes * rng_range(r, 2, 15) / 100;
    day->shares = day->reach * rng_range(r, 0, 20) / 1000;
    day->saves = day->reach * rng_range(r, 0, 25) / 1000;
    day->accounts_engaged = ig_day_interactions(day) * rng_range(r, 55, 85) / 100;
    day->follows = rng_range(r, 2, 40);
    day->unfollows = rng_range(r, 0, 6);
}

static char *media_caption(struct rng *r)
{
    if (rng_pct(r, 10))
        return NULL;
    return xstrdup(captions[rng_range(r, 0, sizeof captions / sizeof captions[0] - 1)]);
}

static void media_kind(struct rng *r, struct ig_media *m)
{
    int64_t k = rng_range(r, 0, 99);
    m->reel = k < 30;
    m->media_type = k < 30 ? "VIDEO" : k < 45 ? "VIDEO" : k < 70 ? "CAROUSEL_ALBUM" : "IMAGE";
}

static void media_metrics(struct rng *r, struct ig_media *m, int age_days)
{
    m->reach = rng_range(r, 150, m->reel ? 6000 : 2500) + age_days * rng_range(r, 0, 40);
    m->views = m->reach * rng_range(r, 110, m->reel ? 400 : 180) / 100;
    m->likes = m->reach * rng_range(r, 2, 12) / 100;
    m->comments = m->likes * rng_range(r, 0, 15) / 100;
    m->shares = m->reach * rng_range(r, 0, m->reel ? 50 : 15) / 1000;
    m->saved = m->reach * rng_range(r, 0, 60) / 1000;
    m->watch_ms = m->reel ? m->views * rng_range(r, 3000, 14000) : 0;
}

static struct ig_media *add_media(struct ig_world *ig, int64_t t, int age_days)
{
    char d[24];
    ig->media = xgrow(ig->media, &ig->cap, ig->nmedia + 1, sizeof *ig->media);
    struct ig_media *m = &ig->media[ig->nmedia++];
    memset(m, 0, sizeof *m);
    rng_digits(&ig->rng, d, 14);
    snprintf(m->id, sizeof m->id, "179%s", d);
    rng_alnum(&ig->rng, m->shortcode, "C", 10);
    m->created = t;
    m->caption = media_caption(&ig->rng);
    media_kind(&ig->rng, m);
    m->likes_hidden = rng_pct(&ig->rng, 8);
    media_metrics(&ig->rng, m, age_days);
    return m;
}

static int cmp_time(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void gen_media(struct ig_world *ig, const struct world *w)
{
    int64_t start = day_start_utc(world_first_day(w)), end = day_start_utc(w->today);
    size_t n = (size_t)rng_range(&ig->rng, IG_MEDIA_MIN, IG_MEDIA_MAX);
    int64_t *t = xcalloc(n, sizeof *t);
    for (size_t i = 0; i < n; i++)
        t[i] = rng_range(&ig->rng, start, end - 1);
    qsort(t, n, sizeof *t, cmp_time);
    for (size_t i = 0; i < n; i++) {
        struct ig_media *m = add_media(ig, t[i], (int)((end - t[i]) / 86400));
        m->before_business = i < IG_BEFORE_BUSINESS;
    }
    free(t);
}

static void *ig_world_new(const struct world *w)
{
    struct ig_world *ig = xcalloc(1, sizeof *ig);
    char d[24];
    rng_seed(&ig->rng, w->seed, "instagram");
    ig->first_day = world_first_day(w);
    ig->ndays = w->ndays;
    ig->days = xcalloc((size_t)ig->ndays, sizeof *ig->days);
    rng_digits(&ig->rng, d, 11);
    snprintf(ig->user_id, sizeof ig->user_id, "178414%s", d);
    snprintf(ig->username, sizeof ig->username, "acme.analytics");
    snprintf(ig->name, sizeof ig->name, "Acme Analytics");
    rng_digits(&ig->rng, ig->client_id, 15);
    rng_alnum(&ig->rng, ig->client_secret, "", 32);
    cred_init(&ig->cred, w, "instagram", "IGAA", 160);
    ig->followers_base = rng_range(&ig->rng, 3000, 12000);
    ig->following = rng_range(&ig->rng, 150, 900);
    ig->older_media = rng_range(&ig->rng, 150, 600);
    for (int i = 0; i < ig->ndays; i++)
        gen_day(&ig->rng, &ig->days[i]);
    gen_media(ig, w);
    return ig;
}

static void ig_world_free(void *pd)
{
    struct ig_world *ig = pd;
    if (!ig)
        return;
    for (size_t i = 0; i < ig->nmedia; i++)
        free(ig->media[i].caption);
    free(ig->media);
    free(ig->days);
    free(ig);
}

/* ---- /_advance ------------------------------------------------------------------------------ */

/* The last two days were incomplete: their counts grow. */
static void restate_days(struct ig_world *ig)
{
    for (int d = ig->ndays - 2; d < ig->ndays; d++) {
        if (d < 0)
            continue;
        struct ig_day *day = &ig->days[d];
        int64_t more = rng_range(&ig->rng, 30, 400);
        day->reach += more;
        day->views += more * rng_range(&ig->rng, 120, 250) / 100;
        day->likes += rng_range(&ig->rng, 0, 12);
        day->comments += rng_pct(&ig->rng, 40);
        day->shares += rng_pct(&ig->rng, 30);
        day->saves += rng_range(&ig->rng, 0, 2);
        day->accounts_engaged += rng_range(&ig->rng, 0, 8);
        day->follows += rng_range(&ig->rng, 0, 3);
    }
}

static void grow_media(struct ig_world *ig)
{
    for (size_t i = 0; i < ig->nmedia; i++) {
        struct ig_media *m = &ig->media[i];
        if (!rng_pct(&ig->rng, 45))
            continue;
        int64_t more = rng_range(&ig->rng, 1, 60);
        m->reach += more;
        m->views += more + rng_range(&ig->rng, 0, 40);
        m->likes += rng_range(&ig->rng, 0, 4);
        m->comments += rng_pct(&ig->rng, 25);
        m->shares += rng_pct(&ig->rng, 15);
        m->saved += rng_pct(&ig->rng, 20);
        if (m->reel)
            m->watch_ms += more * rng_range(&ig->rng, 3000, 9000);
    }
}

static void ig_advance(void *pd, const struct world *w)
{
    struct ig_world *ig = pd;
    restate_days(ig);
    grow_media(ig);
    ig->followers_extra += rng_range(&ig->rng, 0, 15);
    ig->following += rng_pct(&ig->rng, 30);
    /* A new medium early in the world's today, after every earlier one. */
    int64_t base = day_start_utc(w->today) + (int64_t)(w->generation - 1) * 600;
    struct ig_media *m = add_media(ig, base + rng_range(&ig->rng, 450, 550), 0);
    m->reach /= 10;
    m->views /= 10;
    m->likes /= 10;
}

/* ---- /_world and /_truth -------------------------------------------------------------------- */

static void ig_account_json(void *pd, const struct world *w, struct jw *j)
{
    const struct ig_world *ig = pd;
    (void)w;
    jw_obj(j);
    jw_kstr(j, "ig_user_id", ig->user_id);
    jw_kstr(j, "username", ig->username);
    jw_kstr(j, "access_token", ig->cred.access);
    jw_kstr(j, "client_id", ig->client_id);
    jw_kstr(j, "client_secret", ig->client_secret);
    jw_end(j);
}

enum ig_metric {
    M_REACH,
    M_FOLLOWS,
    M_VIEWS,
    M_ENGAGEMENTS,
    M_LIKES,
    M_COMMENTS,
    M_SHARES,
    M_SAVES
};

static int64_t day_metric(const struct ig_day *d, enum ig_metric m)
{
    switch (m) {
    case M_REACH:
        return d->reach;
    case M_FOLLOWS:
        return d->follows;
    case M_VIEWS:
        return d->views;
    case M_ENGAGEMENTS:
        return ig_day_interactions(d);
    case M_LIKES:
        return d->likes;
    case M_COMMENTS:
        return d->comments;
    case M_SHARES:
        return d->shares;
    default:
        return d->saves;
    }
}

static const char *const truth_names[] = {"reach", "followers_gained", "views",  "engagements",
                                          "likes", "comments",         "shares", "saves"};

/* Writes metric_daily and returns how many metric days it holds. */
static int64_t metric_truth(const struct ig_world *ig, const struct world *w, struct jw *j)
{
    char day[16];
    int64_t n = 0;
    jw_kobj(j, "metric_daily");
    for (int m = M_REACH; m <= M_SAVES; m++) {
        jw_kobj(j, truth_names[m]);
        for (int d = 0; d < ig->ndays; d++) {
            if (m == M_FOLLOWS && !ig_follower_count_served(ig, w, d))
                continue;
            fmt_date(ig->first_day + d, day, sizeof day);
            jw_kint(j, day, day_metric(&ig->days[d], (enum ig_metric)m));
            n++;
        }
        jw_end(j);
    }
    jw_end(j);
    return n;
}

/* Writes one medium's truth; returns how many metric snapshots it has. */
static int media_truth(const struct ig_media *m, struct jw *j)
{
    char ts[32];
    int n = 1;
    fmt_iso_z(m->created, ts, sizeof ts);
    jw_kobj(j, m->id);
    jw_kstr(j, "published_at", ts);
    jw_kstr(j, "kind", m->reel ? "reel" : "media");
    jw_kobj(j, "metrics");
    if (!m->likes_hidden) {
        jw_kint(j, "likes", m->likes);
        n++;
    }
    jw_kint(j, "comments", m->comments);
    if (!m->before_business) {
        jw_kint(j, "reach", m->reach);
        jw_kint(j, "views", m->views);
        jw_kint(j, "shares", m->shares);
        jw_kint(j, "saves", m->saved);
        jw_kint(j, "engagements", ig_media_interactions(m));
        n += 5;
    }
    jw_end(j);
    jw_end(j);
    return n;
}

static void ig_truth_json(void *pd, const struct world *w, struct jw *j)
{
    const struct ig_world *ig = pd;
    jw_obj(j);
    jw_kobj(j, ig->user_id);
    metric_truth(ig, w, j);
    jw_kobj(j, "snapshots");
    jw_kint(j, "followers", ig_followers(ig));
    jw_kint(j, "following", ig->following);
    jw_kint(j, "posts", ig_media_count(ig));
    jw_end(j);
    jw_kobj(j, "content");
    for (size_t i = 0; i < ig->nmedia; i++)
        media_truth(&ig->media[i], j);
    jw_end(j);
    jw_end(j);
    jw_end(j);
}

static void ig_totals_json(void *pd, const struct world *w, struct jw *j)
{
    const struct ig_world *ig = pd;
    struct buf scratch = {0};
    struct jw sj;
    int64_t snapshots = 3, metric_days;
    /* Count what the truth holds by writing it aside (one source of the rules). */
    jw_init(&sj, &scratch, JW_UTF8);
    jw_obj(&sj);
    metric_days = metric_truth(ig, w, &sj);
    for (size_t i = 0; i < ig->nmedia; i++)
        snapshots += media_truth(&ig->media[i], &sj);
    jw_end(&sj);
    buf_free(&scratch);
    jw_obj(j);
    jw_kint(j, "posts", (int64_t)ig->nmedia);
    jw_kint(j, "metric_days", metric_days);
    jw_kint(j, "snapshots", snapshots);
    jw_end(j);
}

const struct sim_platform sim_platform_instagram = {
    .name = "instagram",
    .world_new = ig_world_new,
    .world_free = ig_world_free,
    .advance = ig_advance,
    .account_json = ig_account_json,
    .truth_json = ig_truth_json,
    .totals_json = ig_totals_json,
    .serve = sim_instagram_serve,
    .fault = sim_instagram_fault,
};
