/*
 * sim_facebook_page.c - Facebook Page insights and posts, as the Graph API serves them.
 *
 *   GET /vNN.0/{page}/insights?metric=a,b,c&period=day&since=&until=
 *       One data[] entry per requested metric, values[] one per Pacific day whose end_time
 *       (the END of the day: 08:00 UTC in PST, 07:00 in PDT) lies in (since, until]; value is
 *       a JSON number; "id" is "{page}/insights/{metric}/day"; paging.previous/next are
 *       time windows of the same width that walk on forever, into the future too
 *       (reference §2.2, §10.3, §15 items 3-4). An unknown or deprecated metric such as
 *       page_impressions, or one a test retired (POST /_retire), fails the whole call with
 *       error 100 without naming it (§2.2, §15 item 6). At most 93
 *       days between since and until.
 *   GET /vNN.0/{page}/posts?fields=id,created_time,message,permalink_url,shares,
 *       reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0)
 *       &since=&until=&limit=&__paging_token=   (also /feed and /published_posts)
 *       Newest first, paged by time as Graph pages a Page's posts: no paging.cursors, a
 *       paging.next URL only while more posts follow, carrying until=<created_time of the
 *       page's last post>&__paging_token=enc_<opaque> (the token names that post, so posts
 *       sharing its second are neither lost nor repeated), and paging.previous with
 *       since=<first post>&__paging_token=..&__previous=1 (developers.facebook.com/docs/
 *       graph-api/results, "Time-based Pagination"). An `after` cursor of an older answer is
 *       still honoured. `message` is absent for a post without
 *       text and `shares` is absent when nobody shared it, as on the real API; reactions and
 *       comments carry summary.total_count when .summary(...) is asked for (their data[]
 *       lists are always empty here).
 * Timestamps: "2024-03-12T15:02:47+0000" (§10.2).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "retire.h"
#include "sim_facebook.h"
#include "xmalloc.h"

/* ---- insights ------------------------------------------------------------------------------- */

struct insight_metric {
    const char *name, *title, *description;
};

static const struct insight_metric metrics[] = {
    {"page_post_engagements", "Daily Post Engagements",
     "Daily: The number of times people have engaged with your posts through reactions, "
     "comments, shares and more."},
    {"page_daily_follows_unique", "Daily New Follows",
     "Daily: The number of accounts that followed your Page."},
    {"page_media_view", "Daily Views",
     "Daily: The number of times your content was played or displayed."},
    {"page_total_media_view_unique", "Daily Viewers",
     "Daily: The number of people who saw any of your content at least once."},
    {"page_follows", "Page Followers",
     "Lifetime: The number of accounts following your Page, at the end of the day."},
    {"page_daily_unfollows_unique", "Daily Unfollows",
     "Daily: The number of accounts that stopped following your Page."},
};
#define NMETRICS (sizeof metrics / sizeof metrics[0])

static int64_t metric_value(const struct fb_world *fb, size_t m, int d)
{
    const struct fb_day *day = &fb->days[d];
    switch (m) {
    case 0:
        return day->engagements;
    case 1:
        return day->follows;
    case 2:
        return day->views;
    case 3:
        return day->reach;
    case 4:
        return fb_followers_at(fb, d);
    default:
        return day->unfollows;
    }
}

/* metric=a,b,c -> indexes into metrics[]; -1 (answered) on an unknown name. */
static int parse_metrics(struct fb_ctx *c, size_t *idx, size_t max)
{
    const char *s = http_param(c->r, "metric");
    size_t n = 0;
    if (!s || !*s) {
        fb_error(c, 400, 100, 0, "OAuthException", "(#100) The parameter metric is required", -1);
        return -1;
    }
    for (const char *p = s; *p;) {
        size_t len = strcspn(p, ","), m = 0;
        while (m < NMETRICS &&
               (strlen(metrics[m].name) != len || strncmp(metrics[m].name, p, len) != 0))
            m++;
        if (m == NMETRICS || n == max || sim_retired("facebook", p, len)) {
            fb_error(c, 400, 100, 0, "OAuthException",
                     "(#100) The value must be a valid insights metric", -1);
            return -1;
        }
        idx[n++] = m;
        p += len + (p[len] == ',');
    }
    return (int)n;
}

/* since/until as Unix seconds; defaults give the last two complete days. */
static int insight_window(struct fb_ctx *c, int64_t *since, int64_t *until)
{
    const char *s = http_param(c->r, "since"), *u = http_param(c->r, "until");
    int64_t now = pacific_midnight(c->w->today) + 12 * 3600;
    if ((s && fb_parse_time(s, since) < 0) || (u && fb_parse_time(u, until) < 0)) {
        fb_error(c, 400, 100, 0, "OAuthException",
                 "(#100) The since and until parameters must be dates or Unix timestamps", -1);
        return -1;
    }
    if (!u)
        *until = now;
    if (!s)
        *since = *until - 2 * 86400;
    if (*until - *since > 93LL * 86400) {
        fb_error(c, 400, 100, 0, "OAuthException",
                 "(#100) There cannot be more than 93 days (8035200 s) between since and until",
                 -1);
        return -1;
    }
    return 0;
}

static void window_url(struct fb_ctx *c, struct jw *j, const char *key, int64_t since,
                       int64_t until)
{
    static const char *const drop[] = {"since", "until", NULL};
    struct buf url = {0};
    char extra[64];
    snprintf(extra, sizeof extra, "since=%lld&until=%lld", (long long)since, (long long)until);
    fb_self_url(c, &url, drop, extra);
    jw_kstr(j, key, url.data);
    buf_free(&url);
}

static void metric_entry(struct fb_ctx *c, struct jw *j, size_t m, int64_t since, int64_t until)
{
    char ts[32];
    jw_obj(j);
    jw_kstr(j, "name", metrics[m].name);
    jw_kstr(j, "period", "day");
    jw_karr(j, "values");
    for (int d = 0; d < c->fb->ndays; d++) {
        int64_t end = pacific_midnight(c->fb->first_day + d + 1);
        if (end <= since || end > until)
            continue;
        fmt_meta_time(end, ts, sizeof ts);
        jw_obj(j);
        jw_kint(j, "value", metric_value(c->fb, m, d));
        jw_kstr(j, "end_time", ts);
        jw_end(j);
    }
    jw_end(j);
    jw_kstr(j, "title", metrics[m].title);
    jw_kstr(j, "description", metrics[m].description);
    jw_kstrf(j, "id", "%s/insights/%s/day", c->fb->page_id, metrics[m].name);
    jw_end(j);
}

void fb_page_insights(struct fb_ctx *c)
{
    size_t idx[16];
    int64_t since = 0, until = 0;
    int n = parse_metrics(c, idx, 16);
    const char *period = http_param(c->r, "period");
    if (n < 0)
        return;
    if (period && strcmp(period, "day") != 0) {
        fb_error(c, 400, 100, 0, "OAuthException",
                 "(#100) The period of the requested metrics must be day here", -1);
        return;
    }
    if (insight_window(c, &since, &until) < 0)
        return;
    struct jw j;
    fb_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "data");
    for (int i = 0; i < n; i++)
        metric_entry(c, &j, idx[i], since, until);
    jw_end(&j);
    jw_kobj(&j, "paging");
    window_url(c, &j, "previous", since - (until - since), since);
    window_url(c, &j, "next", until, until + (until - since));
    jw_end(&j);
    jw_end(&j);
}

/* ---- posts ---------------------------------------------------------------------------------- */

static const char *const post_known[] = {
    "id",        "created_time", "updated_time", "message",      "permalink_url", "shares",
    "reactions", "comments",     "status_type",  "is_published", "from",          NULL};

struct post_query {
    struct fb_field f[FB_MAX_FIELDS];
    int nf, limit;
    int64_t since, until;
};

static bool post_window(struct fb_ctx *c, struct post_query *q)
{
    const char *s = http_param(c->r, "since"), *u = http_param(c->r, "until");
    q->since = INT64_MIN;
    q->until = INT64_MAX;
    if ((s && fb_parse_time(s, &q->since) < 0) || (u && fb_parse_time(u, &q->until) < 0)) {
        fb_error(c, 400, 100, 0, "OAuthException",
                 "(#100) The since and until parameters must be dates or Unix timestamps", -1);
        return false;
    }
    return true;
}

static bool post_query_parse(struct fb_ctx *c, struct post_query *q)
{
    const char *s = http_param(c->r, "fields");
    q->nf = fb_fields_parse(s ? s : "created_time,message,id", q->f, FB_MAX_FIELDS);
    if (q->nf < 0) {
        fb_error(c, 400, 100, 0, "OAuthException", "(#100) Syntax error in fields", -1);
        return false;
    }
    const char *bad = fb_unknown_field(q->f, q->nf, post_known);
    if (bad) {
        fb_no_field(c, bad, "PagePost");
        return false;
    }
    q->limit = fb_limit(c, 25, 100);
    return q->limit >= 0 && post_window(c, q);
}

static const struct fb_field *field_named(const struct post_query *q, const char *name)
{
    for (int i = 0; i < q->nf; i++)
        if (strcmp(q->f[i].name, name) == 0)
            return &q->f[i];
    return NULL;
}

/* reactions / comments: an empty edge list with summary.total_count when asked for. */
static void count_edge(struct jw *j, const struct fb_field *f, int64_t total, bool comments)
{
    jw_kobj(j, f->name);
    jw_karr(j, "data");
    jw_end(j);
    if (strstr(f->mods, ".summary(") && !strstr(f->mods, ".summary(false)")) {
        jw_kobj(j, "summary");
        if (comments)
            jw_kstr(j, "order", "ranked");
        jw_kint(j, "total_count", total);
        if (comments)
            jw_kbool(j, "can_comment", true);
        else
            jw_kstr(j, "viewer_reaction", "NONE");
        jw_end(j);
    }
    jw_end(j);
}

static void post_object(struct fb_ctx *c, const struct post_query *q, const struct fb_post *p,
                        struct jw *j)
{
    const struct fb_field *f;
    char ts[32];
    jw_obj(j);
    jw_kstr(j, "id", p->id);
    if (field_named(q, "created_time")) {
        fmt_meta_time(p->created, ts, sizeof ts);
        jw_kstr(j, "created_time", ts);
    }
    if (field_named(q, "updated_time")) {
        fmt_meta_time(p->created + 95, ts, sizeof ts);
        jw_kstr(j, "updated_time", ts);
    }
    if (field_named(q, "message") && p->message)
        jw_kstr(j, "message", p->message);
    if (field_named(q, "status_type"))
        jw_kstr(j, "status_type", p->status_type);
    if (field_named(q, "is_published"))
        jw_kbool(j, "is_published", true);
    if (field_named(q, "from")) {
        jw_kobj(j, "from");
        jw_kstr(j, "name", c->fb->page_name);
        jw_kstr(j, "id", c->fb->page_id);
        jw_end(j);
    }
    if (field_named(q, "permalink_url"))
        jw_kstrf(j, "permalink_url", "https://www.facebook.com/%s/posts/%s", c->fb->page_id,
                 strchr(p->id, '_') + 1);
    if (field_named(q, "shares") && p->shares > 0) {
        jw_kobj(j, "shares");
        jw_kint(j, "count", p->shares);
        jw_end(j);
    }
    if ((f = field_named(q, "reactions")))
        count_edge(j, f, p->reactions, false);
    if ((f = field_named(q, "comments")))
        count_edge(j, f, p->comments, true);
    jw_end(j);
}

static bool post_in_window(const struct fb_post *p, const struct post_query *q)
{
    return p->created >= q->since && p->created < q->until;
}

static const char *post_id_at(const struct fb_world *fb, size_t i)
{
    return fb->posts[i].id;
}

/* The index in all[0..total) of the post a __paging_token names; -1 after an error answer. */
static long token_post(struct fb_ctx *c, const size_t *all, size_t total, const char *tok)
{
    char id[64];
    if (strncmp(tok, "enc_", 4) == 0 && fb_cursor_decode(tok + 4, id, sizeof id) == 0)
        for (size_t i = 0; i < total; i++)
            if (strcmp(c->fb->posts[all[i]].id, id) == 0)
                return (long)i;
    fb_error(c, 400, 100, 0, "OAuthException", "(#100) The paging token is invalid or has expired",
             -1);
    return -1;
}

/* "enc_" and the cursor of a post's id: the opaque token of the real API stands for the same. */
static void post_token(const struct fb_post *p, struct buf *b)
{
    char cur[160];
    fb_cursor_encode(p->id, cur, sizeof cur);
    buf_printf(b, "__paging_token=enc_%s", cur);
}

/* Time-based paging: previous from the page's first post, next from its last. */
static void time_paging(struct fb_ctx *c, struct jw *j, const struct fb_post *first,
                        const struct fb_post *last, bool has_next, int limit)
{
    static const char *const drop_prev[] = {"after", "before",         "limit",      "since",
                                            "until", "__paging_token", "__previous", NULL};
    static const char *const drop_next[] = {"after",          "before",     "limit", "until",
                                            "__paging_token", "__previous", NULL};
    struct buf url = {0}, extra = {0};
    jw_kobj(j, "paging");
    buf_printf(&extra, "limit=%d&since=%lld&", limit, (long long)first->created);
    post_token(first, &extra);
    buf_puts(&extra, "&__previous=1");
    fb_self_url(c, &url, drop_prev, extra.data);
    jw_kstr(j, "previous", url.data);
    if (has_next) {
        buf_reset(&url);
        buf_reset(&extra);
        buf_printf(&extra, "limit=%d&until=%lld&", limit, (long long)last->created);
        post_token(last, &extra);
        fb_self_url(c, &url, drop_next, extra.data);
        jw_kstr(j, "next", url.data);
    }
    jw_end(j);
    buf_free(&url);
    buf_free(&extra);
}

void fb_page_posts(struct fb_ctx *c)
{
    struct post_query q;
    struct fb_page pg;
    const char *tok = http_param(c->r, "__paging_token");
    if (!post_query_parse(c, &q))
        return;
    if (tok && q.until < INT64_MAX)
        q.until++; /* with a token, until is the second of the last post shown: inclusive */
    size_t *all = xcalloc(c->fb->nposts + 1, sizeof *all), total = 0;
    for (size_t i = c->fb->nposts; i-- > 0;)
        if (post_in_window(&c->fb->posts[i], &q))
            all[total++] = i;
    int rc = fb_page_select(c, all, total, c->fb->nposts, post_id_at, q.limit, &pg);
    if (rc == 0 && tok && !http_param(c->r, "__previous")) {
        long at = token_post(c, all, total, tok);
        if (at < 0) {
            rc = -1;
        } else { /* the page starts just below (older than) the token's post */
            pg.start = (size_t)at + 1;
            pg.n = total - pg.start < (size_t)q.limit ? total - pg.start : (size_t)q.limit;
            pg.prev = true;
            pg.next = pg.start + pg.n < total;
        }
    }
    if (rc == 0) {
        struct jw j;
        fb_begin(c, &j);
        jw_obj(&j);
        jw_karr(&j, "data");
        for (size_t i = 0; i < pg.n; i++)
            post_object(c, &q, &c->fb->posts[all[pg.start + i]], &j);
        jw_end(&j);
        if (pg.n)
            time_paging(c, &j, &c->fb->posts[all[pg.start]],
                        &c->fb->posts[all[pg.start + pg.n - 1]], pg.next, q.limit);
        jw_end(&j);
    }
    free(all);
}
