/*
 * world_x_search.c - generation, /_advance, /_world and /_truth of what X's recent search
 * finds for the simulated account (see world_x_search.h, tests/sim/README.md "X recent
 * search").
 *
 * The account has two or three queries: the brand as a phrase or hashtag without retweets, the
 * competitors in English, and sometimes the handle or the campaign hashtag without giveaways.
 * Queries hold quotes, '#' and parentheses but never a comma (socialroi's config lists them
 * comma-separated).
 * Posts of other users are drawn as slots: mentions of one query (a tone, then a sentence
 * that says it in plain English words), noise that must match nothing (near misses of each
 * query, other languages, giveaways, retweets of brand mentions) and retweets of competitor
 * mentions, which that query keeps. Every drawn post is run through the same matcher the
 * endpoint uses and drawn again until it matches exactly its query, or none for noise, so the
 * truth cannot disagree with the answers.
 *
 * Time: the window posts lie in the six days before today and the older ones more than eight
 * days back, so whatever the time of day the 7-day window of recent search keeps exactly the
 * former (the window's edge moves through the empty seventh day) and /_truth is the same for
 * the same seed and day. /_advance adds one to three mentions (and sometimes noise) in the
 * minute before the request clock, after every earlier post: search shows posts as they are
 * made, so unlike the timeline's (stamped early on today) they are found by a client that
 * polls from the time of its last run less an overlap, as it would on X.
 */
#include "world_x_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "world_x.h"
#include "xmalloc.h"

#define WINDOW_DAYS     6 /* window posts: [today - 6 days, today) */
#define OLD_FROM        12
#define OLD_TO          8 /* older posts: [today - 12 days, today - 8 days) */
#define MAX_DRAWS       200
#define SNOWFLAKE_USERS 1388534400LL /* 2014-01-01: user ids are snowflakes from then on */
#define SPIKE_DAYS_BACK 2 /* the brand's negative spike: the UTC day two days before today */

enum slot_kind { SLOT_MENTION, SLOT_NOISE, SLOT_RT_MENTION, SLOT_RT_NOISE };

struct slot {
    enum slot_kind kind;
    int query; /* for mentions */
    int64_t t;
    int tone; /* a mention's enum x_tone, or -1 for one drawn (40 % positive, 30 % negative) */
};

/* ---- words of the world --------------------------------------------------------------------- */

static const struct {
    const char *name, *handle;
} people[] = {
    {"Maria Lopez", "marialopez"},
    {"Zoë Martin", "zoemartin"},
    {"Jürgen Weiß", "jweiss"},
    {"Siobhán O'Neill", "siobhan_on"},
    {"李明", "liming_data"},
    {"Ana García 🌱", "anagarcia"},
    {"Dev Patel", "devpatel"},
    {"Sam Okafor", "samokafor"},
    {"Priya Raman", "priyar"},
    {"Tom Becker", "tbecker"},
    {"Chloé Dubois", "chloedubois"},
    {"Kenji Sato", "kenjisato"},
    {"Fatima Zahra", "fzahra"},
    {"Lars Nilsson", "larsn"},
    {"Olivia Chen", "oliviachen"},
    {"Mateus Silva", "mateussilva"},
    {"Growth Jen", "growthjen"},
    {"RevOps Rick", "revopsrick"},
    {"B2B Marketing Daily", "b2bmktdaily"},
    {"Emma Schulz", "emmaschulz"},
    {"Noah Williams", "noahw"},
    {"Aisha Bello", "aishabello"},
    {"Hannah Kim", "hannahkim"},
    {"Pierre Laurent", "plaurent"},
    {"Demand Gen Dana", "demandgendana"},
    {"Ola Nordmann", "olanordmann"},
    {"Marketing Ops Weekly", "mopsweekly"},
    {"Ravi Shankar", "ravishankar"},
    {"Julia Nowak", "julianowak"},
    {"Ben Carter", "bencarter"},
};

static const char *const descriptions[] = {
    "B2B marketer. Opinions my own.",
    "Demand gen @ a SaaS you have not heard of yet",
    "RevOps, spreadsheets & coffee ☕",
    "Writing about attribution so you don't have to",
    "Marketing analytics lead. Ex-agency.",
    "Daily notes on paid social for B2B",
    NULL,
};

static const char *const locations[] = {"Berlin", "London", "Austin, TX", "São Paulo",
                                        "東京",   "Lyon",   NULL,         NULL};

/* How each query's mentions name their subject; {S} in a sentence is replaced by one. */
static const char *const brand_names[] = {"Acme Analytics", "acme analytics", "ACME Analytics",
                                          "#AcmeAnalytics", "#acmeanalytics", NULL};
static const char *const rival_names[] = {"Globex",  "Initech", "globex",
                                          "#Globex", "INITECH", NULL};
static const char *const tag_names[] = {"#socialroi", "#SocialROI", NULL}; /* plus @handle */

/*
 * Sentences by tone, each saying one thing in plain words: praise, complaint (some through a
 * negation such as "not happy") or a fact. No sarcasm and no "but" clauses: the truth's tone
 * must be the one any reader (and a lexicon) gives the text.
 */
static const char *const positive[] = {
    "I love {S}: the dashboards are great",
    "{S} is excellent for B2B attribution, would recommend",
    "Setting up {S} was easy and the reports look great",
    "Highly recommend {S} if you run paid social",
    "Great webinar from {S} today, learned a lot",
    "Really happy with {S}, the support team is excellent",
    "Love the new funnel view in {S}, great work",
    NULL,
};
static const char *const negative[] = {
    "{S} is broken again, the dashboards will not load",
    "Terrible experience with {S} this week",
    "So disappointed with {S}, the sync is slow and buggy",
    "I hate how slow {S} has become",
    "Not happy with {S} at all, the exports keep failing",
    "Would not recommend {S} to a small team",
    "Worst onboarding ever, {S} lost our data twice",
    NULL,
};
static const char *const neutral[] = {
    "Anyone here using {S} for LinkedIn reporting?",
    "{S} published a new pricing page today",
    "Comparing {S} with spreadsheets for our Q4 planning",
    "Webinar with {S} on Tuesday at 4pm CET",
    "Reading the {S} docs on UTM tagging",
    "We switched plans with {S} this month",
    "Our team moved the monthly report into {S}",
    NULL,
};

static const char *const emoji[][4] = {
    [X_TONE_POSITIVE] = {" 🚀", " 👏", " 💯", " 🙌"},
    [X_TONE_NEGATIVE] = {" 😡", " 👎", " 🙄", " 😤"},
    [X_TONE_NEUTRAL] = {" 📊", " 📅", " 👀", " 🧐"},
};

/* Tails that change no tone: a name with an accent, an entity X leaves escaped, Japanese. */
static const char *const extras[] = {" (h/t Zoë)", " Q&amp;A in the thread.",
                                     " 日本のチームにも共有しました", NULL};

/* Near misses and strangers: none of them may match a query. */
static const struct {
    const char *lang, *text;
} noise[] = {
    {"en", "Acme Corp just shipped a new anvil catalogue"},
    {"en", "Our analytics team at Acme grew again this quarter"},
    {"en", "Analytics, Acme style: more charts than anyone can read"},
    {"en", "#AcmeAnalyticsSummit tickets are on sale 🎟"},
    {"en", "Globexcorp is hiring data engineers in Lisbon"},
    {"en", "#socialroi giveaway: win a free funnel audit 🎁"},
    {"de", "Globex ist für uns zu teuer geworden"},
    {"fr", "Initech lance une nouvelle version de son tableau de bord"},
    {"es", "Globex presenta su nuevo informe trimestral"},
    {"en", "Social media ROI is hard to measure, any tips?"},
    {"en", "Attribution windows &amp; cookie banners: a long story"},
};

const char *x_tone_name(enum x_tone t)
{
    return t == X_TONE_POSITIVE ? "positive" : t == X_TONE_NEGATIVE ? "negative" : "neutral";
}

static size_t count(const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return n;
}

static const char *pick(struct rng *r, const char *const *list)
{
    return list[rng_range(r, 0, (int64_t)count(list) - 1)];
}

/* ---- authors -------------------------------------------------------------------------------- */

/*
 * User ids: accounts made before 2014 have short sequential ids, later ones snowflakes of their
 * creation time (18-19 digits, always below 2^63 like every X id).
 */
static uint64_t author_id(struct rng *r, int64_t created)
{
    char digits[16];
    if (created >= SNOWFLAKE_USERS)
        return x_snowflake(r, created);
    rng_digits(r, digits, (size_t)rng_range(r, 8, 10));
    return strtoull(digits, NULL, 10);
}

static void gen_authors(struct x_search *s, const struct world *w)
{
    s->nauthors = sizeof people / sizeof people[0];
    s->authors = xcalloc(s->nauthors, sizeof *s->authors);
    for (size_t i = 0; i < s->nauthors; i++) {
        struct x_author *a = &s->authors[i];
        a->created = day_start_utc(w->today) - rng_range(&s->rng, 200, 5000) * 86400LL;
        a->id = author_id(&s->rng, a->created);
        if (rng_pct(&s->rng, 40))
            snprintf(a->username, sizeof a->username, "%s%d", people[i].handle,
                     (int)rng_range(&s->rng, 2, 99));
        else
            snprintf(a->username, sizeof a->username, "%s", people[i].handle);
        snprintf(a->name, sizeof a->name, "%s", people[i].name);
        a->description = pick(&s->rng, descriptions);
        a->location = locations[rng_range(&s->rng, 0, sizeof locations / sizeof locations[0] - 1)];
        a->followers = rng_range(&s->rng, 40, 25000);
        a->following = rng_range(&s->rng, 30, 3000);
        a->tweets = rng_range(&s->rng, 200, 40000);
        a->listed = rng_range(&s->rng, 0, 300);
        a->verified = rng_pct(&s->rng, 10);
    }
}

/* ---- posts ---------------------------------------------------------------------------------- */

/* A sentence with every {S} replaced by the subject. */
static char *fill(const char *sentence, const char *subject)
{
    struct buf b = {0};
    const char *p = sentence, *s;
    while ((s = strstr(p, "{S}")) != NULL) {
        buf_append(&b, p, (size_t)(s - p));
        buf_puts(&b, subject);
        p = s + 3;
    }
    buf_puts(&b, p);
    return buf_steal(&b, NULL);
}

static const char *subject(struct x_search *s, int query, char *handle, size_t len)
{
    if (query == 0)
        return pick(&s->rng, brand_names);
    if (query == 1)
        return pick(&s->rng, rival_names);
    /* the handle query: the account's @handle, taken from the query itself */
    if (rng_pct(&s->rng, 50)) {
        const char *at = strchr(s->queries[2], '@');
        snprintf(handle, len, "%.*s", (int)strcspn(at, " )"), at);
        return handle;
    }
    return pick(&s->rng, tag_names);
}

static char *mention_text(struct x_search *s, int query, enum x_tone tone)
{
    const char *const *sentences = tone == X_TONE_POSITIVE   ? positive
                                   : tone == X_TONE_NEGATIVE ? negative
                                                             : neutral;
    char handle[64];
    char *text = fill(pick(&s->rng, sentences), subject(s, query, handle, sizeof handle));
    struct buf b = {0};
    buf_puts(&b, text);
    free(text);
    if (rng_pct(&s->rng, 55))
        buf_puts(&b, emoji[tone][rng_range(&s->rng, 0, 3)]);
    if (rng_pct(&s->rng, 20))
        buf_puts(&b, pick(&s->rng, extras));
    if (rng_pct(&s->rng, 15)) {
        char link[16];
        rng_alnum(&s->rng, link, "", 10);
        buf_printf(&b, " https://t.co/%s", link);
    }
    return buf_steal(&b, NULL);
}

static void post_metrics(struct rng *r, struct x_post *p)
{
    p->impressions = rng_range(r, 40, 6000);
    p->likes = p->impressions * rng_range(r, 2, 45) / 1000;
    p->replies = p->likes * rng_range(r, 0, 40) / 100;
    p->retweets = p->likes * rng_range(r, 0, 30) / 100;
    p->quotes = p->retweets * rng_range(r, 0, 40) / 100;
    p->bookmarks = p->likes * rng_range(r, 0, 20) / 100;
}

/* The one query the post matches, -1 for none, -2 for several. */
static int matching_query(const struct x_search *s, const struct x_post *p)
{
    struct xq_post xp = {p->text, p->lang, p->retweeted_id != 0};
    int found = -1;
    for (size_t i = 0; i < s->nqueries; i++) {
        if (!xq_match(s->parsed[i], &xp))
            continue;
        if (found >= 0)
            return -2;
        found = (int)i;
    }
    return found;
}

static void draw_mention(struct x_search *s, struct x_post *p, int query, int tone)
{
    int r = (int)rng_range(&s->rng, 0, 99);
    p->tone = tone >= 0 ? (enum x_tone)tone
              : r < 40  ? X_TONE_POSITIVE
              : r < 70  ? X_TONE_NEGATIVE
                        : X_TONE_NEUTRAL;
    p->text = mention_text(s, query, p->tone);
    p->lang = "en";
    p->author = (size_t)rng_range(&s->rng, 0, (int64_t)s->nauthors - 1);
    post_metrics(&s->rng, p);
}

static void draw_noise(struct x_search *s, struct x_post *p)
{
    size_t i = (size_t)rng_range(&s->rng, 0, sizeof noise / sizeof noise[0] - 1);
    p->text = xstrdup(noise[i].text);
    p->lang = noise[i].lang;
    p->tone = X_TONE_NEUTRAL;
    p->author = (size_t)rng_range(&s->rng, 0, (int64_t)s->nauthors - 1);
    post_metrics(&s->rng, p);
}

/*
 * A retweet of an earlier post of the query that is not a retweet itself, as X v2 shows one:
 * "RT @author: text", the original's retweet count and nothing else. False when none exists.
 */
static bool draw_retweet(struct x_search *s, struct x_post *p, int query)
{
    size_t cand[512], n = 0;
    for (size_t i = 0; i < s->nposts && n < sizeof cand / sizeof cand[0]; i++)
        if (s->posts[i].query == query && s->posts[i].retweeted_id == 0)
            cand[n++] = i;
    if (n == 0)
        return false;
    const struct x_post *o = &s->posts[cand[rng_range(&s->rng, 0, (int64_t)n - 1)]];
    p->author = (o->author + (size_t)rng_range(&s->rng, 1, (int64_t)s->nauthors - 1)) % s->nauthors;
    p->text = xasprintf("RT @%s: %s", s->authors[o->author].username, o->text);
    p->lang = o->lang;
    p->tone = o->tone;
    p->retweeted_id = o->id;
    p->retweets = o->retweets;
    return true;
}

/* Draws the slot's post until it matches what the slot wants; retweets fall back to plain. */
static void draw_post(struct x_search *s, struct x_post *p, const struct slot *sl)
{
    bool rt = sl->kind == SLOT_RT_MENTION || sl->kind == SLOT_RT_NOISE;
    int want = sl->kind == SLOT_MENTION || sl->kind == SLOT_RT_MENTION ? sl->query : -1;
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
        memset(p, 0, sizeof *p);
        p->created = sl->t;
        /* a retweet is tried once: its text is the original's, drawing again changes nothing */
        bool drawn = rt && draw == 0 && draw_retweet(s, p, sl->kind == SLOT_RT_MENTION ? 1 : 0);
        if (!drawn && want >= 0)
            draw_mention(s, p, want, sl->tone);
        else if (!drawn)
            draw_noise(s, p);
        p->query = matching_query(s, p);
        if (p->query == want)
            return;
        free(p->text);
    }
    log_err("sim: x search cannot draw a post for query %d", want);
    abort(); /* a programming error in the sentences: the tests would catch it at once */
}

static struct x_post *add_post(struct x_search *s, const struct slot *sl)
{
    struct x_post p;
    draw_post(s, &p, sl);
    p.id = x_snowflake(&s->rng, p.created);
    s->posts = xgrow(s->posts, &s->cap, s->nposts + 1, sizeof *s->posts);
    s->posts[s->nposts] = p;
    return &s->posts[s->nposts++];
}

/* ---- generation ----------------------------------------------------------------------------- */

static int draw_query(struct x_search *s)
{
    int r = (int)rng_range(&s->rng, 0, 99);
    if (s->nqueries == 3)
        return r < 60 ? 0 : r < 85 ? 1 : 2;
    return r < 70 ? 0 : 1;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* n distinct sorted seconds in [from, to). */
static void draw_times(struct rng *r, int64_t from, int64_t to, struct slot *sl, size_t n)
{
    int64_t *t = xcalloc(n, sizeof *t);
    for (size_t i = 0; i < n; i++)
        t[i] = rng_range(r, from, to - 1);
    qsort(t, n, sizeof *t, cmp_i64);
    for (size_t i = 1; i < n; i++)
        if (t[i] <= t[i - 1])
            t[i] = t[i - 1] + 1;
    for (size_t i = 0; i < n; i++)
        sl[i].t = t[i];
    free(t);
}

static void shuffle(struct rng *r, struct slot *sl, size_t n)
{
    for (size_t i = n; i-- > 1;) {
        size_t k = (size_t)rng_range(r, 0, (int64_t)i);
        struct slot tmp = sl[i];
        sl[i] = sl[k];
        sl[k] = tmp;
    }
}

/* Older than the window: would-be mentions and noise that search must never return. */
static void gen_old(struct x_search *s, const struct world *w)
{
    size_t n = (size_t)rng_range(&s->rng, 10, 18);
    struct slot *sl = xcalloc(n, sizeof *sl);
    for (size_t i = 0; i < n; i++) {
        sl[i].kind = rng_pct(&s->rng, 65) ? SLOT_MENTION : SLOT_NOISE;
        sl[i].query = draw_query(s);
        sl[i].tone = -1;
    }
    int64_t today = day_start_utc(w->today);
    draw_times(&s->rng, today - OLD_FROM * 86400LL, today - OLD_TO * 86400LL, sl, n);
    for (size_t i = 0; i < n; i++)
        add_post(s, &sl[i]);
    free(sl);
}

static void gen_window(struct x_search *s, const struct world *w)
{
    /* enough brand mentions (60-70 %) that a client reading 100 per page needs two pages */
    size_t nm = (size_t)rng_range(&s->rng, 180, 230), nn = (size_t)rng_range(&s->rng, 14, 24);
    size_t rt_m = (size_t)rng_range(&s->rng, 2, 4), rt_n = (size_t)rng_range(&s->rng, 3, 5);
    struct slot *sl = xcalloc(nm + nn, sizeof *sl);
    for (size_t i = 0; i < nm + nn; i++)
        sl[i].tone = -1;
    for (size_t i = 0; i < nm; i++) {
        sl[i].kind = SLOT_MENTION;
        sl[i].query = draw_query(s);
        if (sl[i].query == 1 && rt_m > 0) {
            sl[i].kind = SLOT_RT_MENTION;
            rt_m--;
        }
    }
    for (size_t i = nm; i < nm + nn; i++)
        sl[i].kind = i - nm < rt_n ? SLOT_RT_NOISE : SLOT_NOISE;
    shuffle(&s->rng, sl, nm + nn);
    int64_t today = day_start_utc(w->today);
    draw_times(&s->rng, today - WINDOW_DAYS * 86400LL, today, sl, nm + nn);
    for (size_t i = 0; i < nm + nn; i++)
        add_post(s, &sl[i]);
    free(sl);
}

static int cmp_post_id(const void *a, const void *b)
{
    const struct x_post *x = a, *y = b;
    return (x->id > y->id) - (x->id < y->id);
}

/*
 * The brand's bad day: 36-44 more negative brand mentions spread over the UTC day two days
 * before today, several times the 6-14 a day usually brings. Drawn from a stream of their own
 * so every other post stays what it was; the posts are then put back in id order.
 */
static void gen_spike(struct x_search *s, const struct world *w)
{
    struct rng main = s->rng;
    rng_seed(&s->rng, w->seed, "x-search-spike");
    size_t n = (size_t)rng_range(&s->rng, 36, 44);
    struct slot *sl = xcalloc(n, sizeof *sl);
    for (size_t i = 0; i < n; i++)
        sl[i] = (struct slot){SLOT_MENTION, 0, 0, X_TONE_NEGATIVE};
    int64_t day = day_start_utc(w->today) - SPIKE_DAYS_BACK * 86400LL;
    draw_times(&s->rng, day, day + 86400, sl, n);
    for (size_t i = 0; i < n; i++)
        add_post(s, &sl[i]);
    free(sl);
    s->rng = main;
    qsort(s->posts, s->nposts, sizeof *s->posts, cmp_post_id);
}

static void set_queries(struct x_search *s, const char *username)
{
    char err[512];
    s->queries[0] = xstrdup("(\"acme analytics\" OR #acmeanalytics) -is:retweet");
    s->queries[1] = xstrdup("(globex OR initech) lang:en");
    s->nqueries = 2;
    if (rng_pct(&s->rng, 60))
        s->queries[s->nqueries++] = xasprintf("(@%s OR #socialroi) -giveaway", username);
    for (size_t i = 0; i < s->nqueries; i++) {
        s->parsed[i] = xq_parse(s->queries[i], err, sizeof err);
        if (!s->parsed[i]) {
            log_err("sim: x search query does not parse: %s", err);
            abort();
        }
    }
}

struct x_search *x_search_new(const struct world *w, const char *username)
{
    struct x_search *s = xcalloc(1, sizeof *s);
    /* its own stream, so the account's posts and tokens stay what they were */
    rng_seed(&s->rng, w->seed, "x-search");
    set_queries(s, username);
    if (w->account == 0)
        x_search_draw(s, w);
    return s;
}

static void advance_step(struct x_search *s, const struct world *w);

void x_search_draw(struct x_search *s, const struct world *w)
{
    if (s->drawn)
        return;
    s->drawn = true;
    gen_authors(s, w);
    gen_old(s, w);
    gen_window(s, w);
    gen_spike(s, w);
    for (; s->owed > 0; s->owed--)
        advance_step(s, w);
}

void x_search_free(struct x_search *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nqueries; i++) {
        free(s->queries[i]);
        xq_free(s->parsed[i]);
    }
    for (size_t i = 0; i < s->nposts; i++)
        free(s->posts[i].text);
    free(s->posts);
    free(s->authors);
    free(s);
}

/* t, or just after the newest post when that is later: ids keep growing with time. */
static int64_t after_newest(const struct x_search *s, int64_t t)
{
    return s->nposts > 0 && t <= s->posts[s->nposts - 1].created
               ? s->posts[s->nposts - 1].created + 1
               : t;
}

void x_search_advance(struct x_search *s, const struct world *w)
{
    if (!s->drawn)
        s->owed++;
    else
        advance_step(s, w);
}

static void advance_step(struct x_search *s, const struct world *w)
{
    int64_t t = x_search_clock(w) - 60;
    int k = (int)rng_range(&s->rng, 1, 3);
    for (int i = 0; i < k + 1; i++) {
        struct slot sl = {i < k ? SLOT_MENTION : SLOT_NOISE, i < k ? draw_query(s) : -1, 0, -1};
        t = after_newest(s, t + rng_range(&s->rng, 3, 15));
        sl.t = t;
        if (i < k || rng_pct(&s->rng, 30))
            add_post(s, &sl);
    }
}

void x_search_burst(struct x_search *s, const struct world *w, int count)
{
    x_search_draw(s, w);
    int64_t t = x_search_clock(w) - 600;
    for (int i = 0; i < count; i++) {
        struct slot sl = {SLOT_MENTION, 0, 0, X_TONE_NEGATIVE};
        t = after_newest(s, t + rng_range(&s->rng, 1, 500 / (count > 0 ? count : 1) + 1));
        sl.t = t;
        add_post(s, &sl);
    }
}

/* ---- clock, truth, world -------------------------------------------------------------------- */

int64_t x_search_clock(const struct world *w)
{
    return day_start_utc(w->today) + (int64_t)time(NULL) % 86400;
}

int64_t x_search_now(const struct x_search *s, const struct world *w)
{
    int64_t now = x_search_clock(w);
    if (s->nposts > 0 && now <= s->posts[s->nposts - 1].created)
        now = s->posts[s->nposts - 1].created + 1;
    return now;
}

bool x_search_is_mention(const struct x_search *s, const struct world *w, const struct x_post *p)
{
    return p->query >= 0 && p->created >= x_search_now(s, w) - 7 * 86400LL;
}

size_t x_search_mentions(const struct x_search *s, const struct world *w)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nposts; i++)
        n += x_search_is_mention(s, w, &s->posts[i]);
    return n;
}

void x_search_queries_json(const struct x_search *s, struct jw *j)
{
    jw_karr(j, "queries");
    for (size_t i = 0; i < s->nqueries; i++)
        jw_str(j, s->queries[i]);
    jw_end(j);
}

void x_search_truth_json(const struct x_search *s, const struct world *w, struct jw *j)
{
    char id[24], ts[32];
    jw_kobj(j, "mentions");
    for (size_t i = 0; i < s->nposts; i++) {
        const struct x_post *p = &s->posts[i];
        if (!x_search_is_mention(s, w, p))
            continue;
        snprintf(id, sizeof id, "%llu", (unsigned long long)p->id);
        fmt_x_time(p->created, ts, sizeof ts);
        jw_kobj(j, id);
        jw_kstr(j, "query", s->queries[p->query]);
        jw_kstrf(j, "author_id", "%llu", (unsigned long long)s->authors[p->author].id);
        jw_kstr(j, "posted_at", ts);
        jw_kstr(j, "tone", x_tone_name(p->tone));
        jw_kint(j, "author_followers", s->authors[p->author].followers);
        jw_end(j);
    }
    jw_end(j);
    /* per UTC day and query: the mentions and how many of each tone */
    int64_t now = x_search_now(s, w), first = (now - 7 * 86400LL) / 86400;
    char day[16];
    fmt_date((int32_t)(day_start_utc(w->today) / 86400 - SPIKE_DAYS_BACK), day, sizeof day);
    jw_kstr(j, "negative_spike_day", day);
    jw_kobj(j, "listening");
    for (int64_t d = first; d <= now / 86400; d++) {
        size_t n[X_SEARCH_MAX_QUERIES][3] = {{0}}, any = 0;
        for (size_t i = 0; i < s->nposts; i++) {
            const struct x_post *p = &s->posts[i];
            if (x_search_is_mention(s, w, p) && p->created / 86400 == d) {
                n[p->query][p->tone]++;
                any++;
            }
        }
        if (!any)
            continue;
        fmt_date((int32_t)d, day, sizeof day);
        jw_kobj(j, day);
        for (size_t q = 0; q < s->nqueries; q++) {
            size_t all = n[q][X_TONE_POSITIVE] + n[q][X_TONE_NEGATIVE] + n[q][X_TONE_NEUTRAL];
            if (!all)
                continue;
            jw_kobj(j, s->queries[q]);
            jw_kint(j, "mentions", (int64_t)all);
            jw_kint(j, "positive", (int64_t)n[q][X_TONE_POSITIVE]);
            jw_kint(j, "negative", (int64_t)n[q][X_TONE_NEGATIVE]);
            jw_end(j);
        }
        jw_end(j);
    }
    jw_end(j);
}
