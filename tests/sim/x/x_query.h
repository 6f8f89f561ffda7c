/*
 * x_query.h - the subset of X's search query language the simulator understands.
 *
 * Shared by the world (world_x_search.c checks that every generated mention matches exactly
 * one of the account's queries) and the endpoint (sim_x_search.c), so the truth and the
 * answers come from the same matcher. The subset (tests/sim/README.md, "X recent search"):
 * terms separated by spaces are ANDed; OR (upper case) between terms or groups, weaker than
 * AND; parentheses; "quoted phrases"; -negation of a term or group; @handle and #hashtag;
 * lang:xx; is:retweet. Matching is case-insensitive (ASCII) on whole words.
 * Any other operator (from:, has:links, url:, is:reply, ...) is refused, never ignored, and
 * so is an upper-case AND (X: "Ambiguous use of and as a keyword").
 */
#ifndef SIM_X_QUERY_H
#define SIM_X_QUERY_H

#include <stdbool.h>
#include <stddef.h>

enum xq_kind {
    XQ_WORD,    /* one keyword: a whole word, with or without a # or @ in front */
    XQ_PHRASE,  /* consecutive words */
    XQ_HASHTAG, /* #word */
    XQ_MENTION, /* @word */
    XQ_LANG,    /* lang:xx */
    XQ_RETWEET, /* is:retweet */
    XQ_AND,
    XQ_OR,
    XQ_NOT,
};

struct xq_node {
    enum xq_kind kind;
    char **words; /* lower case: the keyword, the phrase's words, the tag, the language */
    size_t nwords;
    struct xq_node **kids; /* AND, OR: two or more; NOT: one */
    size_t nkids;
};

/* What a query is matched against: a post's text as X returns it, its lang, its kind. */
struct xq_post {
    const char *text;
    const char *lang;
    bool retweet;
};

/*
 * Parses a query. Returns the tree (free with xq_free), or NULL with X's kind of message in
 * err, ending with the 1-based position it refers to: "... (at position 12)".
 */
struct xq_node *xq_parse(const char *query, char *err, size_t errlen);
bool xq_match(const struct xq_node *n, const struct xq_post *p);
void xq_free(struct xq_node *n);

#endif
