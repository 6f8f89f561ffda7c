/*
 * sim_x_search.c - GET /x/2/tweets/search/recent: X's recent search over the posts of
 * world_x_search.c.
 *
 * Written from X's API reference (docs.x.com/x-api/posts/recent-search), its pagination
 * guide (docs.x.com/x-api/posts/search/integrate/paginate), the build-a-query guide and the
 * platform reference §1; README "X recent search" lists what comes from where.
 *   query         required, at most 512 characters, the subset of x_query.h; anything else
 *                 (an unknown operator, a bad parenthesis) is a 400 naming the position
 *   start_time    RFC 3339, inclusive; not before 7 days ago (minute precision), at least 10 s
 *                 before the request; default 7 days ago
 *   end_time      RFC 3339, exclusive; at least 10 s before the request; default now
 *   since_id, until_id   exclusive id bounds
 *   max_results   10-100, default 10
 *   next_token    (or pagination_token) from meta.next_token; tied to the query and the order
 *   sort_order    recency (default, newest first) or relevancy (most engagement first)
 *   tweet.fields, expansions (author_id, referenced_tweets.id[.author_id]), user.fields
 * Answer: {"data":[...],"includes":{"users":[...],"tweets":[...]},"meta":{"newest_id",
 * "oldest_id","result_count","next_token"}}; only {"meta":{"result_count":0}} when nothing
 * matches. Authentication, rate-limit headers (450 per 15 minutes) and faults are sim_x.c's.
 * Runs on the event loop; not thread-safe.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_x.h"
#include "world_x_search.h"
#include "xmalloc.h"

#define QUERY_MAX_CHARS 512
#define WINDOW_S        (7 * 86400LL)
#define MIN_AGE_S       10 /* start_time and end_time must be this far behind the request */
#define TOKEN_PREFIX    "b26v89c19zqg8o3f"

static const char *const search_params[] = {
    "end_time",     "expansions",       "max_results",  "media.fields",
    "next_token",   "pagination_token", "place.fields", "poll.fields",
    "query",        "since_id",         "sort_order",   "start_time",
    "tweet.fields", "until_id",         "user.fields",  NULL};

static const char *const expansion_names[] = {"attachments.media_keys",
                                              "attachments.media_source_tweet",
                                              "attachments.poll_ids",
                                              "author_id",
                                              "edit_history_tweet_ids",
                                              "entities.mentions.username",
                                              "entities.note.mentions.username",
                                              "geo.place_id",
                                              "in_reply_to_user_id",
                                              "referenced_tweets.id",
                                              "referenced_tweets.id.attachments.media_keys",
                                              "referenced_tweets.id.author_id",
                                              NULL};

/* One search request, checked. */
struct search {
    const struct x_search *s;
    const struct x_world *x;
    struct http_req *r;
    struct xq_node *q; /* owned */
    uint64_t qhash;    /* ties next_token to the query */
    int64_t lo, hi;    /* created_at in [lo, hi) */
    uint64_t since_id, until_id;
    int max;
    bool relevancy;
    uint64_t cursor; /* recency: the last id shown; relevancy: how many were shown */
};

/* ---- tokens --------------------------------------------------------------------------------- */

static const char b36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

static void put_b36(char *out, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = b36[v % 36];
        v /= 36;
    }
}

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

/* prefix, order ('c' recency, 'r' relevancy), 13 base-36 digits of the cursor, 8 of a check */
static void token_encode(const struct search *q, uint64_t cursor, char out[48])
{
    uint64_t v = cursor ^ q->x->token_key;
    size_t n = strlen(TOKEN_PREFIX);
    memcpy(out, TOKEN_PREFIX, n);
    out[n] = q->relevancy ? 'r' : 'c';
    put_b36(out + n + 1, v, 13);
    put_b36(out + n + 14, mix64(v, q->qhash ^ (uint64_t)q->relevancy) % 2821109907456ULL, 8);
    out[n + 22] = '\0';
}

/* A token of this query and order, or false. */
static bool token_decode(const struct search *q, const char *s, uint64_t *cursor)
{
    size_t n = strlen(TOKEN_PREFIX);
    uint64_t v = 0;
    if (strlen(s) != n + 22 || strncmp(s, TOKEN_PREFIX, n) != 0)
        return false;
    for (size_t i = n + 1; i < n + 14; i++) {
        const char *c = strchr(b36, s[i]);
        if (!c || !*c)
            return false;
        v = v * 36 + (uint64_t)(c - b36);
    }
    char check[48];
    token_encode(q, v ^ q->x->token_key, check);
    if (strcmp(check, s) != 0)
        return false;
    *cursor = v ^ q->x->token_key;
    return true;
}

/* ---- checks --------------------------------------------------------------------------------- */

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static bool check_query(struct search *q)
{
    const char *v = http_param(q->r, "query");
    char err[600];
    if (!v || !*v) {
        x_invalid(q->r, "query", v, "The `query` query parameter can not be empty");
        return false;
    }
    if (utf8_chars(v) > QUERY_MAX_CHARS) {
        snprintf(err, sizeof err,
                 "There were errors processing your request: Rule length exceeds the maximum "
                 "of %d characters (at position %d)",
                 QUERY_MAX_CHARS, QUERY_MAX_CHARS + 1);
        x_invalid(q->r, "query", v, err);
        return false;
    }
    q->q = xq_parse(v, err, sizeof err);
    if (!q->q) {
        x_invalid(q->r, "query", v, err);
        return false;
    }
    q->qhash = fnv1a(v);
    return true;
}

static bool check_max_results(struct search *q)
{
    const char *v = http_param(q->r, "max_results");
    char *end, msg[256];
    q->max = 10;
    if (!v)
        return true;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 10 || n > 100) {
        snprintf(msg, sizeof msg,
                 "The `max_results` query parameter value [%.40s] is not between 10 and 100", v);
        x_invalid(q->r, "max_results", v, msg);
        return false;
    }
    q->max = (int)n;
    return true;
}

static bool check_sort_order(struct search *q)
{
    const char *v = http_param(q->r, "sort_order");
    if (v && strcmp(v, "recency") != 0 && strcmp(v, "relevancy") != 0) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "The `sort_order` query parameter value [%.40s] is not one of [recency, "
                 "relevancy]",
                 v);
        x_invalid(q->r, "sort_order", v, msg);
        return false;
    }
    q->relevancy = v && strcmp(v, "relevancy") == 0;
    return true;
}

/* X echoes times the way Java prints them: seconds only when they are not zero. */
static void fmt_echo(int64_t t, char *buf, size_t len)
{
    char iso[32];
    fmt_iso_z(t, iso, sizeof iso); /* 2024-03-12T15:02:47Z */
    if (t % 60 == 0)
        snprintf(buf, len, "%.16sZ", iso);
    else
        snprintf(buf, len, "%s", iso);
}

/* 400 "Invalid 'name':'value'. 'name' must ..." with the value echoed as X does. */
static void time_invalid(struct search *q, const char *name, int64_t t, const char *must)
{
    char echo[32], msg[256];
    fmt_echo(t, echo, sizeof echo);
    snprintf(msg, sizeof msg, "Invalid '%s':'%s'. '%s' must %s", name, echo, name, must);
    x_invalid(q->r, name, echo, msg);
}

/* One time bound: within the 7 days search keeps and at least 10 s before the request. */
static bool time_in_range(struct search *q, const char *name, int64_t t, int64_t clock)
{
    int64_t oldest = (clock - WINDOW_S) / 60 * 60;
    char must[96], bound[32];
    if (t < oldest) {
        fmt_echo(oldest, bound, sizeof bound);
        snprintf(must, sizeof must, "be on or after %s", bound);
        time_invalid(q, name, t, must);
        return false;
    }
    if (t > clock - MIN_AGE_S) {
        time_invalid(q, name, t, "be a minimum of 10 seconds prior to the request time.");
        return false;
    }
    return true;
}

static bool check_times(struct search *q, const struct world *w)
{
    int64_t clock = x_search_clock(w), now = x_search_now(q->s, w);
    int64_t start = INT64_MIN, end = INT64_MIN;
    if (!x_time_param(q->r, "start_time", &start) || !x_time_param(q->r, "end_time", &end))
        return false;
    if (start != INT64_MIN && !time_in_range(q, "start_time", start, clock))
        return false;
    if (end != INT64_MIN && !time_in_range(q, "end_time", end, clock))
        return false;
    if (start != INT64_MIN && end != INT64_MIN && start >= end) {
        char echo[32], must[96];
        fmt_echo(end, echo, sizeof echo);
        snprintf(must, sizeof must, "be before 'end_time':'%s'.", echo);
        time_invalid(q, "start_time", start, must);
        return false;
    }
    q->lo = start != INT64_MIN ? start : now - WINDOW_S;
    q->hi = end != INT64_MIN ? end : now + 1;
    if (q->lo < now - WINDOW_S) /* the minute of slack above never reaches past the index */
        q->lo = now - WINDOW_S;
    return true;
}

static bool check_id(struct search *q, const char *name, uint64_t *id)
{
    const char *v = http_param(q->r, name);
    if (v && !x_parse_id(v, id)) {
        x_invalid_value(q->r, name, v);
        return false;
    }
    return true;
}

static bool check_token(struct search *q)
{
    const char *name = "next_token", *v = http_param(q->r, name);
    if (!v) {
        name = "pagination_token";
        v = http_param(q->r, name);
    }
    if (v && !token_decode(q, v, &q->cursor)) {
        x_invalid_value(q->r, name, v);
        return false;
    }
    return true;
}

static bool check_request(struct search *q, const struct world *w)
{
    q->until_id = UINT64_MAX;
    return x_params_known(q->r, search_params) &&
           x_fields_ok(q->r, "tweet.fields", x_tweet_fields) &&
           x_fields_ok(q->r, "user.fields", x_user_fields) &&
           x_fields_ok(q->r, "expansions", expansion_names) && check_query(q) &&
           check_max_results(q) && check_sort_order(q) && check_times(q, w) &&
           check_id(q, "since_id", &q->since_id) && check_id(q, "until_id", &q->until_id) &&
           check_token(q);
}

/* ---- selection ------------------------------------------------------------------------------ */

static bool post_matches(const struct search *q, const struct x_post *p)
{
    struct xq_post xp = {p->text, p->lang, p->retweeted_id != 0};
    return p->created >= q->lo && p->created < q->hi && p->id > q->since_id &&
           p->id < q->until_id && xq_match(q->q, &xp);
}

static int64_t engagement(const struct x_post *p)
{
    return p->likes + 2 * p->retweets + p->replies + p->quotes;
}

static const struct x_post *sort_base; /* qsort has no context argument in C11 */

/* Most engagement first; ties newest first. */
static int cmp_relevance(const void *a, const void *b)
{
    const struct x_post *x = &sort_base[*(const size_t *)a], *y = &sort_base[*(const size_t *)b];
    int64_t ex = engagement(x), ey = engagement(y);
    if (ex != ey)
        return ex > ey ? -1 : 1;
    return (x->id < y->id) - (x->id > y->id);
}

/* Every matching post in the request's order; returns how many (caller frees *out). */
static size_t select_all(const struct search *q, size_t **out)
{
    const struct x_search *s = q->s;
    size_t n = 0, *all = xcalloc(s->nposts + 1, sizeof *all);
    for (size_t i = s->nposts; i-- > 0;)
        if (post_matches(q, &s->posts[i]))
            all[n++] = i;
    if (q->relevancy) {
        sort_base = s->posts;
        qsort(all, n, sizeof *all, cmp_relevance);
    }
    *out = all;
    return n;
}

/* Where the page starts in all[]: after the cursor's post (recency) or offset (relevancy). */
static size_t page_start(const struct search *q, const size_t *all, size_t n)
{
    if (!http_param(q->r, "next_token") && !http_param(q->r, "pagination_token"))
        return 0;
    if (q->relevancy)
        return q->cursor < n ? (size_t)q->cursor : n;
    size_t i = 0;
    while (i < n && q->s->posts[all[i]].id >= q->cursor)
        i++;
    return i;
}

/* ---- answer --------------------------------------------------------------------------------- */

static void post_metrics(const struct x_post *p, struct jw *j)
{
    jw_kobj(j, "public_metrics");
    jw_kint(j, "retweet_count", p->retweets);
    jw_kint(j, "reply_count", p->replies);
    jw_kint(j, "like_count", p->likes);
    jw_kint(j, "quote_count", p->quotes);
    jw_kint(j, "bookmark_count", p->bookmarks);
    jw_kint(j, "impression_count", p->impressions);
    jw_end(j);
}

static void post_refs(const struct x_post *p, struct jw *j)
{
    jw_karr(j, "referenced_tweets");
    jw_obj(j);
    jw_kstr(j, "type", "retweeted");
    jw_kstrf(j, "id", "%llu", (unsigned long long)p->retweeted_id);
    jw_end(j);
    jw_end(j);
}

/* A post with id, text, edit_history_tweet_ids and the tweet.fields asked for. */
static void post_object(const struct search *q, const struct x_post *p, struct jw *j)
{
    const struct http_req *r = q->r;
    char ts[32];
    jw_obj(j);
    jw_karr(j, "edit_history_tweet_ids");
    jw_strf(j, "%llu", (unsigned long long)p->id);
    jw_end(j);
    jw_kstrf(j, "id", "%llu", (unsigned long long)p->id);
    jw_kstr(j, "text", p->text);
    if (x_wants(r, "tweet.fields", "author_id"))
        jw_kstrf(j, "author_id", "%llu", (unsigned long long)q->s->authors[p->author].id);
    if (x_wants(r, "tweet.fields", "created_at")) {
        fmt_x_time(p->created, ts, sizeof ts);
        jw_kstr(j, "created_at", ts);
    }
    if (x_wants(r, "tweet.fields", "conversation_id"))
        jw_kstrf(j, "conversation_id", "%llu", (unsigned long long)p->id);
    if (x_wants(r, "tweet.fields", "lang"))
        jw_kstr(j, "lang", p->lang);
    if (x_wants(r, "tweet.fields", "possibly_sensitive"))
        jw_kbool(j, "possibly_sensitive", false);
    if (x_wants(r, "tweet.fields", "public_metrics"))
        post_metrics(p, j);
    if (x_wants(r, "tweet.fields", "referenced_tweets") && p->retweeted_id)
        post_refs(p, j);
    if (x_wants(r, "tweet.fields", "reply_settings"))
        jw_kstr(j, "reply_settings", "everyone");
    jw_end(j);
}

static void user_metrics(const struct x_author *a, struct jw *j)
{
    jw_kobj(j, "public_metrics");
    jw_kint(j, "followers_count", a->followers);
    jw_kint(j, "following_count", a->following);
    jw_kint(j, "tweet_count", a->tweets);
    jw_kint(j, "listed_count", a->listed);
    jw_end(j);
}

static void user_object(const struct search *q, const struct x_author *a, struct jw *j)
{
    const struct http_req *r = q->r;
    char ts[32];
    jw_obj(j);
    jw_kstrf(j, "id", "%llu", (unsigned long long)a->id);
    jw_kstr(j, "name", a->name);
    jw_kstr(j, "username", a->username);
    if (x_wants(r, "user.fields", "created_at")) {
        fmt_x_time(a->created, ts, sizeof ts);
        jw_kstr(j, "created_at", ts);
    }
    if (x_wants(r, "user.fields", "description"))
        jw_kstr(j, "description", a->description);
    if (x_wants(r, "user.fields", "location") && a->location)
        jw_kstr(j, "location", a->location);
    if (x_wants(r, "user.fields", "protected"))
        jw_kbool(j, "protected", false);
    if (x_wants(r, "user.fields", "verified"))
        jw_kbool(j, "verified", a->verified);
    if (x_wants(r, "user.fields", "public_metrics"))
        user_metrics(a, j);
    jw_end(j);
}

/* The original of a retweet, or NULL when it is not in the world. */
static const struct x_post *original(const struct x_search *s, const struct x_post *p)
{
    for (size_t i = 0; p->retweeted_id && i < s->nposts; i++)
        if (s->posts[i].id == p->retweeted_id)
            return &s->posts[i];
    return NULL;
}

/* Adds v to set (of n) unless it is there already; returns the new n. */
static size_t add_once(size_t *set, size_t n, size_t v)
{
    for (size_t i = 0; i < n; i++)
        if (set[i] == v)
            return n;
    set[n] = v;
    return n + 1;
}

/*
 * includes: "users" for the authors (expansions=author_id) and the authors of referenced
 * posts (referenced_tweets.id.author_id), "tweets" for the referenced posts themselves.
 * Nothing at all when the page needs none.
 */
static void write_includes(const struct search *q, const size_t *page, size_t n, struct jw *j)
{
    const struct x_search *s = q->s;
    size_t *users = xcalloc(2 * n + 1, sizeof *users), *refs = xcalloc(n + 1, sizeof *refs);
    size_t nu = 0, nr = 0;
    bool want_refs = x_wants(q->r, "expansions", "referenced_tweets.id");
    for (size_t i = 0; i < n; i++) {
        const struct x_post *p = &s->posts[page[i]], *o = original(s, p);
        if (x_wants(q->r, "expansions", "author_id"))
            nu = add_once(users, nu, p->author);
        if (o && want_refs)
            nr = add_once(refs, nr, (size_t)(o - s->posts));
        if (o && x_wants(q->r, "expansions", "referenced_tweets.id.author_id"))
            nu = add_once(users, nu, o->author);
    }
    if (nu + nr > 0) {
        jw_kobj(j, "includes");
        if (nu > 0) {
            jw_karr(j, "users");
            for (size_t i = 0; i < nu; i++)
                user_object(q, &s->authors[users[i]], j);
            jw_end(j);
        }
        if (nr > 0) {
            jw_karr(j, "tweets");
            for (size_t i = 0; i < nr; i++)
                post_object(q, &s->posts[refs[i]], j);
            jw_end(j);
        }
        jw_end(j);
    }
    free(users);
    free(refs);
}

static void write_meta(const struct search *q, const size_t *page, size_t n, bool more,
                       uint64_t next, struct jw *j)
{
    uint64_t newest = 0, oldest = UINT64_MAX;
    char tok[48];
    for (size_t i = 0; i < n; i++) {
        uint64_t id = q->s->posts[page[i]].id;
        newest = id > newest ? id : newest;
        oldest = id < oldest ? id : oldest;
    }
    jw_kobj(j, "meta");
    jw_kstrf(j, "newest_id", "%llu", (unsigned long long)newest);
    jw_kstrf(j, "oldest_id", "%llu", (unsigned long long)oldest);
    jw_kint(j, "result_count", (int64_t)n);
    if (more) {
        token_encode(q, next, tok);
        jw_kstr(j, "next_token", tok);
    }
    jw_end(j);
}

static void answer(const struct search *q)
{
    size_t *all, total = select_all(q, &all), start = page_start(q, all, total);
    size_t n = total - start < (size_t)q->max ? total - start : (size_t)q->max;
    const size_t *page = all + start;
    struct jw j;
    x_begin(q->r, 200, &j);
    jw_obj(&j);
    if (n == 0) {
        jw_kobj(&j, "meta");
        jw_kint(&j, "result_count", 0);
        jw_end(&j);
    } else {
        jw_karr(&j, "data");
        for (size_t i = 0; i < n; i++)
            post_object(q, &q->s->posts[page[i]], &j);
        jw_end(&j);
        write_includes(q, page, n, &j);
        uint64_t next = q->relevancy ? start + n : q->s->posts[page[n - 1]].id;
        write_meta(q, page, n, start + n < total, next, &j);
    }
    jw_end(&j);
    free(all);
}

void x_serve_search(struct x_world *x, const struct world *w, struct http_req *r)
{
    struct search q = {.s = x->search, .x = x, .r = r};
    if (check_request(&q, w))
        answer(&q);
    xq_free(q.q);
}
