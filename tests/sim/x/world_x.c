/*
 * world_x.c - generation, /_advance, /_world and /_truth of the simulated X account.
 *
 * One user with about 150 posts spread over the world's days, so a client reading 100 per
 * page needs two pages (platform reference §1.3). Ids are 19-digit snowflakes that grow with
 * time, like real X ids (§1.7, §10.1); texts mix raw UTF-8, astral emoji (sent as surrogate
 * pairs) and the HTML entities X leaves in post text (&amp;). Metrics are lifetime snapshots
 * that only grow (§1.7); /_advance grows them, adds a post or two and a few followers.
 * Truth names: like_count -> likes, reply_count -> comments, retweet_count -> shares,
 * quote_count -> quotes, bookmark_count -> bookmarks, impression_count -> impressions; the
 * user's followers_count -> followers, following_count -> following, tweet_count -> posts.
 * The posts of other users that recent search finds (the truth's "mentions") live in
 * world_x_search.c, on a random stream of their own so the account above stays the same.
 */
#include "world_x.h"

#include <stdio.h>
#include <stdlib.h>

#include "jw.h"
#include "sim.h"
#include "world_x_search.h"
#include "xmalloc.h"

#define TWITTER_EPOCH_MS 1288834974657LL

static const char *const texts[] = {
    "How B2B teams measure social ROI without guessing: a thread 🧵 (%d/5)",
    "Q&amp;A on attribution windows tomorrow at %d:00 UTC. Bring your questions!",
    "New post: why last-click under-counts LinkedIn by %d%% → https://t.co/abc%dxyz",
    "Zoë from our data team on “pipeline per follower” — %d charts worth a look 📈",
    "Ship log #%d: HubSpot deal sync is live ✅",
    "Nouveautés : rapports de ROI par campagne, %d nouvelles vues 🚀",
    "新しいダッシュボードを公開しました (%d)",
    "Spend is not value. Value is not revenue. Revenue is not margin. #%d",
    "We read %d ad invoices so you don't have to 🙃",
    "Webinar replay: «Budgets that survive the CFO» — part %d",
    "Reminder: Meta restates the last 28 days. Re-poll your windows! (%d)",
    "Short one today: %d%% of our leads came from forms &lt;24h after the post.",
};

int64_t x_tweet_count(const struct x_world *x)
{
    return x->older_tweets + (int64_t)x->ntweets;
}

uint64_t x_snowflake(struct rng *r, int64_t t)
{
    int64_t ms = t * 1000 + rng_range(r, 0, 999);
    return ((uint64_t)(ms - TWITTER_EPOCH_MS) << 22) | (uint64_t)rng_range(r, 0, (1 << 22) - 1);
}

static char *tweet_text(struct rng *r)
{
    size_t i = (size_t)rng_range(r, 0, sizeof texts / sizeof texts[0] - 1);
    int n = (int)rng_range(r, 2, 60);
    struct buf b = {0};
    /* Each "%d" in a template takes the number; "%%" is a percent sign. */
    for (const char *p = texts[i]; *p; p++) {
        if (p[0] == '%' && p[1] == 'd') {
            buf_printf(&b, "%d", n);
            p++;
        } else if (p[0] == '%' && p[1] == '%') {
            buf_puts(&b, "%");
            p++;
        } else {
            buf_append(&b, p, 1);
        }
    }
    return buf_steal(&b, NULL);
}

static void tweet_metrics(struct rng *r, struct x_tweet *tw, int age_days)
{
    tw->impressions = rng_range(r, 120, 3500) + age_days * rng_range(r, 0, 90);
    tw->likes = tw->impressions * rng_range(r, 3, 40) / 1000;
    tw->replies = tw->likes * rng_range(r, 0, 30) / 100;
    tw->retweets = tw->likes * rng_range(r, 0, 35) / 100;
    tw->quotes = tw->retweets * rng_range(r, 0, 30) / 100;
    tw->bookmarks = tw->likes * rng_range(r, 0, 25) / 100;
}

static struct x_tweet *add_tweet(struct x_world *x, int64_t t)
{
    x->tweets = xgrow(x->tweets, &x->cap, x->ntweets + 1, sizeof *x->tweets);
    struct x_tweet *tw = &x->tweets[x->ntweets++];
    tw->id = x_snowflake(&x->rng, t);
    tw->created = t;
    tw->text = tweet_text(&x->rng);
    return tw;
}

static int cmp_time(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static void gen_tweets(struct x_world *x, const struct world *w)
{
    int64_t start = day_start_utc(world_first_day(w)), end = day_start_utc(w->today);
    size_t n = (size_t)rng_range(&x->rng, 140, 160);
    int64_t *times = xcalloc(n, sizeof *times);
    for (size_t i = 0; i < n; i++)
        times[i] = rng_range(&x->rng, start, end - 1);
    qsort(times, n, sizeof *times, cmp_time);
    for (size_t i = 0; i < n; i++) {
        struct x_tweet *tw = add_tweet(x, times[i]);
        tweet_metrics(&x->rng, tw, (int)((end - times[i]) / 86400));
    }
    free(times);
}

static void *x_world_new(const struct world *w)
{
    struct x_world *x = xcalloc(1, sizeof *x);
    char digits[24];
    rng_seed(&x->rng, w->seed, "x");
    rng_digits(&x->rng, digits, 19);
    x->user_id = strtoull(digits, NULL, 10) % 8000000000000000000ULL + 1000000000000000000ULL;
    snprintf(x->username, sizeof x->username, "acme_b2b_%u", (unsigned)(x->user_id % 1000));
    snprintf(x->name, sizeof x->name, "Acme Analytics");
    x->user_created = day_start_utc(w->today) - 1500LL * 86400 + rng_range(&x->rng, 0, 86399);
    x->followers = rng_range(&x->rng, 1200, 6000);
    x->following = rng_range(&x->rng, 80, 400);
    x->older_tweets = rng_range(&x->rng, 800, 3000);
    x->listed = rng_range(&x->rng, 10, 60);
    x->likes_given = rng_range(&x->rng, 300, 2000);
    x->token_key = rng_next(&x->rng);
    rng_alnum(&x->rng, x->client_id, "", 34);
    cred_init(&x->cred, w, "x", "", 91);
    gen_tweets(x, w);
    x->search = x_search_new(w, x->username);
    return x;
}

static void x_world_free(void *pd)
{
    struct x_world *x = pd;
    if (!x)
        return;
    x_search_free(x->search);
    for (size_t i = 0; i < x->ntweets; i++)
        free(x->tweets[i].text);
    free(x->tweets);
    free(x);
}

static void grow_tweet(struct rng *r, struct x_tweet *tw)
{
    if (!rng_pct(r, 50))
        return;
    tw->likes += rng_range(r, 0, 3);
    tw->replies += rng_pct(r, 20);
    tw->retweets += rng_pct(r, 25);
    tw->quotes += rng_pct(r, 5);
    tw->bookmarks += rng_pct(r, 15);
    tw->impressions += rng_range(r, 5, 150);
}

static void x_advance(void *pd, const struct world *w)
{
    struct x_world *x = pd;
    x->followers += rng_range(&x->rng, 0, 12);
    x->following += rng_pct(&x->rng, 30);
    for (size_t i = 0; i < x->ntweets; i++)
        grow_tweet(&x->rng, &x->tweets[i]);
    /* New posts early in the world's today, after every earlier one. */
    int64_t base = day_start_utc(w->today) + (int64_t)(w->generation - 1) * 600;
    int k = (int)rng_range(&x->rng, 1, 2);
    for (int i = 0; i < k; i++) {
        struct x_tweet *tw = add_tweet(x, base + i * 200 + rng_range(&x->rng, 0, 150));
        tweet_metrics(&x->rng, tw, 0);
        tw->impressions /= 10;
        tw->likes /= 10;
    }
    x_search_advance(x->search, w);
}

static int x_burst(void *pd, const struct world *w, int count)
{
    struct x_world *x = pd;
    x_search_burst(x->search, w, count);
    return 0;
}

static void x_account_json(void *pd, const struct world *w, struct jw *j)
{
    const struct x_world *x = pd;
    (void)w;
    jw_obj(j);
    jw_kstrf(j, "user_id", "%llu", (unsigned long long)x->user_id);
    jw_kstr(j, "username", x->username);
    jw_kstr(j, "access_token", x->cred.access);
    jw_kstr(j, "refresh_token", x->cred.refresh);
    jw_kstr(j, "client_id", x->client_id);
    x_search_queries_json(x->search, j);
    jw_end(j);
}

static void tweet_truth(const struct x_tweet *tw, struct jw *j)
{
    char id[24], ts[32];
    snprintf(id, sizeof id, "%llu", (unsigned long long)tw->id);
    fmt_iso_z(tw->created, ts, sizeof ts);
    jw_kobj(j, id);
    jw_kstr(j, "published_at", ts);
    jw_kobj(j, "metrics");
    jw_kint(j, "likes", tw->likes);
    jw_kint(j, "comments", tw->replies);
    jw_kint(j, "shares", tw->retweets);
    jw_kint(j, "quotes", tw->quotes);
    jw_kint(j, "bookmarks", tw->bookmarks);
    jw_kint(j, "impressions", tw->impressions);
    jw_end(j);
    jw_end(j);
}

static void x_truth_json(void *pd, const struct world *w, struct jw *j)
{
    const struct x_world *x = pd;
    char id[24];
    x_search_draw(x->search, w);
    snprintf(id, sizeof id, "%llu", (unsigned long long)x->user_id);
    jw_obj(j);
    jw_kobj(j, id);
    jw_kobj(j, "snapshots");
    jw_kint(j, "followers", x->followers);
    jw_kint(j, "following", x->following);
    jw_kint(j, "posts", x_tweet_count(x));
    jw_end(j);
    jw_kobj(j, "content");
    for (size_t i = 0; i < x->ntweets; i++)
        tweet_truth(&x->tweets[i], j);
    jw_end(j);
    x_search_truth_json(x->search, w, j);
    jw_end(j);
    jw_end(j);
}

static void x_totals_json(void *pd, const struct world *w, struct jw *j)
{
    const struct x_world *x = pd;
    x_search_draw(x->search, w);
    jw_obj(j);
    jw_kint(j, "posts", (int64_t)x->ntweets);
    /* three account counters plus six counters per post */
    jw_kint(j, "snapshots", 3 + 6 * (int64_t)x->ntweets);
    jw_kint(j, "mentions", (int64_t)x_search_mentions(x->search, w));
    jw_end(j);
}

const struct sim_platform sim_platform_x = {
    .name = "x",
    .world_new = x_world_new,
    .world_free = x_world_free,
    .advance = x_advance,
    .account_json = x_account_json,
    .truth_json = x_truth_json,
    .totals_json = x_totals_json,
    .serve = sim_x_serve,
    .fault = sim_x_fault,
    .burst = x_burst,
};
