/*
 * world_x_search.h - what X's recent search finds for the simulated account: public posts of
 * other users that mention the brand or its competitors, with their authors.
 *
 * Owned by the X world (world_x.c) and served by sim_x_search.c. Every post of the window
 * either matches exactly one of the account's queries (a mention, with a tone recorded for
 * the truth) or none of them (noise: near misses, other languages, retweets the brand query
 * excludes). Contract: tests/sim/README.md, "X recent search".
 */
#ifndef SIM_WORLD_X_SEARCH_H
#define SIM_WORLD_X_SEARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jw.h"
#include "world.h"
#include "x_query.h"

#define X_SEARCH_MAX_QUERIES 3

enum x_tone { X_TONE_POSITIVE, X_TONE_NEGATIVE, X_TONE_NEUTRAL };

struct x_author {
    uint64_t id;
    char username[32], name[64];
    const char *description, *location; /* location NULL when the profile has none */
    int64_t created;
    int64_t followers, following, tweets, listed;
    bool verified;
};

struct x_post {
    uint64_t id; /* snowflake, grows with created */
    int64_t created;
    char *text; /* as X returns it: raw UTF-8, &amp; kept */
    const char *lang;
    size_t author;         /* index into authors */
    uint64_t retweeted_id; /* the original, or 0 when the post is not a retweet */
    int query;             /* the one query it matches, -1 for none */
    enum x_tone tone;
    int64_t likes, replies, retweets, quotes, bookmarks, impressions;
};

struct x_search {
    struct rng rng;
    char *queries[X_SEARCH_MAX_QUERIES]; /* as listed in /_world */
    struct xq_node *parsed[X_SEARCH_MAX_QUERIES];
    size_t nqueries;
    struct x_author *authors;
    size_t nauthors;
    struct x_post *posts; /* ascending by id (and so by time) */
    size_t nposts, cap;
    bool drawn;    /* authors and posts exist (x_search_draw) */
    unsigned owed; /* /_advance steps taken before they did */
};

/*
 * The queries for an account with that @username, and for account 0 the posts too; freed with
 * x_search_free. An extra account (accounts.h) draws its posts on first use, x_search_draw:
 * most of the cost of making one, and a listing of 10,000 accounts needs only the queries.
 */
struct x_search *x_search_new(const struct world *w, const char *username);
/* Draws the authors and posts if not done yet, then the /_advance steps owed. */
void x_search_draw(struct x_search *s, const struct world *w);
void x_search_free(struct x_search *s);
/* /_advance: a few new mentions made in the minute before the request clock. */
void x_search_advance(struct x_search *s, const struct world *w);
/* /_burst: count negative brand mentions in the ten minutes before the clock. */
void x_search_burst(struct x_search *s, const struct world *w, int count);

/* The request clock: the world's today at the real time of day (the real time, by default). */
int64_t x_search_clock(const struct world *w);
/*
 * The world's clock for search: the request clock, moved past the newest post when /_advance
 * stamped posts later than it (just after midnight). Recent search covers the 7 days before it.
 */
int64_t x_search_now(const struct x_search *s, const struct world *w);

/* True for a post the truth lists: it matches a query and search can return it now. */
bool x_search_is_mention(const struct x_search *s, const struct world *w, const struct x_post *p);
size_t x_search_mentions(const struct x_search *s, const struct world *w);

/* /_world: the "queries" array. /_truth: the "mentions" object. */
void x_search_queries_json(const struct x_search *s, struct jw *j);
void x_search_truth_json(const struct x_search *s, const struct world *w, struct jw *j);

const char *x_tone_name(enum x_tone t);

#endif
