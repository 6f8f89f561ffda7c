/*
 * sentiment.c - the tone of a short English post (see sentiment.h).
 *
 * Weights are in tenths so the whole walk is integer arithmetic; only the final squashing into
 * -1000..1000 uses floating point (a tone is not money). Tokens are runs of ASCII letters,
 * digits and apostrophes (the typographic one too), lower-cased; a few emoji are tokens of
 * their own. Punctuation that ends a clause (. , ; ! ?) ends a negation's reach.
 */
#include "sentiment.h"

#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#define TOKEN_MAX    32
#define NEGATE_REACH 3 /* words after a negation that it still turns around */

struct word {
    const char *w;
    int tenths; /* > 0 praise, < 0 complaint */
};

/* Product talk: what people say about software, service and vendors they like or do not. */
static const struct word lexicon[] = {
    {"amazing", 30},
    {"awesome", 30},
    {"best", 20},
    {"brilliant", 30},
    {"delighted", 30},
    {"easy", 15},
    {"enjoy", 20},
    {"enjoying", 20},
    {"excellent", 30},
    {"fantastic", 30},
    {"fast", 15},
    {"faster", 15},
    {"favorite", 20},
    {"favourite", 20},
    {"glad", 20},
    {"good", 15},
    {"great", 20},
    {"happy", 20},
    {"helpful", 20},
    {"impressed", 20},
    {"impressive", 20},
    {"intuitive", 20},
    {"kudos", 20},
    {"love", 30},
    {"loved", 30},
    {"loves", 30},
    {"loving", 20},
    {"nice", 15},
    {"outstanding", 30},
    {"perfect", 30},
    {"pleased", 20},
    {"powerful", 15},
    {"recommend", 20},
    {"recommended", 20},
    {"reliable", 20},
    {"satisfied", 20},
    {"seamless", 20},
    {"smooth", 15},
    {"solid", 15},
    {"stellar", 30},
    {"superb", 30},
    {"thank", 10},
    {"thanks", 10},
    {"useful", 15},
    {"win", 15},
    {"wins", 15},
    {"wonderful", 30},
    {"works", 10},
    {"angry", -25},
    {"annoyed", -20},
    {"annoying", -20},
    {"avoid", -20},
    {"awful", -30},
    {"bad", -20},
    {"broke", -20},
    {"broken", -25},
    {"bug", -15},
    {"buggy", -25},
    {"bugs", -15},
    {"cancel", -15},
    {"canceled", -15},
    {"cancelled", -15},
    {"clunky", -20},
    {"complaint", -15},
    {"confusing", -20},
    {"crash", -20},
    {"crashed", -20},
    {"crashes", -20},
    {"disappointed", -25},
    {"disappointing", -25},
    {"disappointment", -25},
    {"error", -10},
    {"errors", -10},
    {"expensive", -15},
    {"fail", -20},
    {"failed", -20},
    {"fails", -20},
    {"failure", -20},
    {"frustrated", -25},
    {"frustrating", -25},
    {"garbage", -30},
    {"hate", -30},
    {"hated", -30},
    {"hates", -30},
    {"horrible", -30},
    {"issue", -10},
    {"issues", -10},
    {"laggy", -20},
    {"nightmare", -30},
    {"outage", -25},
    {"overpriced", -20},
    {"poor", -20},
    {"problem", -10},
    {"problems", -10},
    {"refund", -15},
    {"scam", -30},
    {"slow", -15},
    {"slower", -15},
    {"sucks", -25},
    {"terrible", -30},
    {"unreliable", -25},
    {"unusable", -30},
    {"useless", -30},
    {"waste", -25},
    {"worse", -25},
    {"worst", -30},
};

/* UTF-8 emoji people put after praise or complaint. */
static const struct word emoji[] = {
    {"\xF0\x9F\x98\x8D", 30},  /* smiling face with heart-eyes */
    {"\xE2\x9D\xA4", 25},      /* red heart */
    {"\xF0\x9F\x91\x8D", 20},  /* thumbs up */
    {"\xF0\x9F\x8E\x89", 20},  /* party popper */
    {"\xF0\x9F\x99\x8C", 20},  /* raising hands */
    {"\xF0\x9F\x98\x80", 15},  /* grinning face */
    {"\xF0\x9F\x98\x8A", 15},  /* smiling face with smiling eyes */
    {"\xF0\x9F\x91\x8E", -20}, /* thumbs down */
    {"\xF0\x9F\x98\xA1", -25}, /* pouting face */
    {"\xF0\x9F\x98\xA0", -25}, /* angry face */
    {"\xF0\x9F\x98\x9E", -20}, /* disappointed face */
    {"\xF0\x9F\x98\xA4", -20}, /* face with steam from nose */
};

static const char *const negators[] = {"not",     "no",   "never",  "none",    "nobody", "nothing",
                                       "neither", "nor",  "cannot", "cant",    "dont",   "doesnt",
                                       "didnt",   "isnt", "wont",   "without", "hardly", "barely"};

static const char *const intensifiers[] = {"very",  "really",     "so",      "extremely",
                                           "super", "absolutely", "totally", "incredibly",
                                           "truly", "highly"};

static bool in(const char *tok, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(tok, list[i]) == 0)
            return true;
    return false;
}

static int lookup(const char *tok)
{
    for (size_t i = 0; i < sizeof lexicon / sizeof lexicon[0]; i++)
        if (strcmp(tok, lexicon[i].w) == 0)
            return lexicon[i].tenths;
    return 0;
}

/* A negation word: the list, or anything ending in n't ("isn't", "wouldn't"). */
static bool negator(const char *tok)
{
    size_t n = strlen(tok);
    if (n >= 3 && strcmp(tok + n - 3, "n't") == 0)
        return true;
    return in(tok, negators, sizeof negators / sizeof negators[0]);
}

struct walk {
    int sum;    /* tenths, scaled by the clause factors below (x4) */
    int negate; /* words the last negation still reaches */
    bool boost; /* the previous word was an intensifier */
    bool after_but;
};

/* Adds one tonal word (or emoji) of weight w. */
static void score(struct walk *s, int w)
{
    int v = w * 4;
    if (s->boost)
        v = v * 3 / 2;
    if (s->negate > 0)
        v = -v / 2;
    if (s->after_but)
        v = v * 3 / 2;
    s->sum += v;
    s->boost = false;
}

static void word(struct walk *s, const char *tok)
{
    int w = lookup(tok);
    if (negator(tok)) {
        s->negate = NEGATE_REACH + 1; /* the decrement below spends one on the negator itself */
    } else if (in(tok, intensifiers, sizeof intensifiers / sizeof intensifiers[0])) {
        s->boost = true;
    } else if (strcmp(tok, "but") == 0 || strcmp(tok, "however") == 0) {
        s->after_but = true;
        s->negate = 0;
    } else if (w) {
        score(s, w);
    } else {
        s->boost = false;
    }
    if (s->negate > 0)
        s->negate--;
}

/* An emoji at p: its weight and length, or 0. */
static int emoji_at(const char *p, size_t *len)
{
    for (size_t i = 0; i < sizeof emoji / sizeof emoji[0]; i++) {
        size_t n = strlen(emoji[i].w);
        if (strncmp(p, emoji[i].w, n) == 0) {
            *len = n;
            return emoji[i].tenths;
        }
    }
    return 0;
}

/* The apostrophe at p (ASCII or U+2019), and its length, or 0. */
static size_t apostrophe(const char *p)
{
    if (*p == '\'')
        return 1;
    return strncmp(p, "\xE2\x80\x99", 3) == 0 ? 3 : 0;
}

int32_t sentiment_milli(const char *text)
{
    struct walk s = {0};
    char tok[TOKEN_MAX + 1];
    size_t n = 0, len;
    for (const char *p = text ? text : "";; p++) {
        unsigned char c = (unsigned char)*p;
        size_t ap = apostrophe(p);
        if ((c < 0x80 && isalnum(c)) || (ap && n)) {
            if (n < TOKEN_MAX)
                tok[n++] = ap ? '\'' : (char)tolower(c);
            p += ap ? ap - 1 : 0;
            continue;
        }
        if (n) {
            tok[n] = '\0';
            word(&s, tok);
            n = 0;
        }
        if (!c)
            break;
        int e = emoji_at(p, &len);
        if (e) {
            score(&s, e);
            p += len - 1;
        } else if (strchr(".,;!?", c)) {
            s.negate = 0;
        }
    }
    /* x / sqrt(x^2 + 4) maps any sum into (-1, 1); one plain word of praise lands near 0.45 */
    double x = s.sum / 40.0;
    long v = lround(1000.0 * x / sqrt(x * x + 4.0));
    return (int32_t)(v > 1000 ? 1000 : v < -1000 ? -1000 : v);
}
