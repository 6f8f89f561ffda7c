/*
 * x_query.c - parsing and matching of the X search query subset (see x_query.h).
 *
 * Grammar, after X's "Build a query" page: a query is groups separated by OR; a group is one
 * or more terms separated by spaces (AND, which binds tighter than OR); a term is an optional
 * '-' and then a keyword, a "quoted phrase", #hashtag, @handle, lang:xx, is:retweet or a
 * parenthesized query. Like X, a query needs at least one standalone term (keyword, phrase,
 * hashtag, handle) that is not negated: lang: and is: only narrow. Operators outside the
 * subset answer X's "operator is not available" error instead of being ignored, so a client
 * cannot believe a filter works that the simulator never applied; an upper-case AND is X's
 * "ambiguous use of and" error. Error texts are X's where a recorded one is known (invalid
 * operator, AND, standalone operators), the simulator's own otherwise (parentheses, quotes).
 *
 * Words: X matches keywords against the tokenized text. Here a word is a run of ASCII letters,
 * digits and '_' and of non-ASCII letters; spaces, ASCII punctuation, the Latin-1 and general
 * punctuation blocks (’ “ ” — …), arrows and symbols (U+2000-U+2FFF), CJK punctuation and
 * every astral character (emoji) and variation selectors separate words, and so do the HTML
 * entities X leaves in text
 * (&amp; &lt; &gt;). A # or @ right before a word (and not after another word) makes it a
 * hashtag or a mention; a plain keyword matches the word with or without it. Case folding is
 * ASCII only.
 */
#include "x_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define MAX_WORDS 256 /* words of one post or one phrase: posts are short */

struct word {
    const char *s;
    size_t n;
    char prefix; /* '#', '@' or 0 */
};

/* ---- words ---------------------------------------------------------------------------------- */

static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* True when the character at p (len bytes) belongs to a word. */
static bool word_char(const unsigned char *p, size_t len)
{
    if (len == 1)
        return (p[0] >= 'a' && p[0] <= 'z') || (p[0] >= 'A' && p[0] <= 'Z') ||
               (p[0] >= '0' && p[0] <= '9') || p[0] == '_';
    if (len == 2)
        return p[0] != 0xC2; /* U+0080-U+00BF: nbsp, « », ·, ... */
    if (len == 3) /* punctuation and symbols; variation selectors (the FE0F after an emoji) */
        return p[0] != 0xE2 && !(p[0] == 0xE3 && p[1] == 0x80) && !(p[0] == 0xEF && p[1] == 0xB8);
    return false; /* astral: emoji */
}

/* Length of an HTML entity X keeps in post text at p, or 0. */
static size_t entity_len(const char *p)
{
    static const char *const entities[] = {"&amp;", "&lt;", "&gt;", NULL};
    if (*p != '&') /* the common case, tried for every character of every post drawn */
        return 0;
    for (const char *const *e = entities; *e; e++)
        if (strncmp(p, *e, strlen(*e)) == 0)
            return strlen(*e);
    return 0;
}

/* Splits text into words (pointers into text); returns how many (at most max). */
static size_t split_words(const char *text, size_t len, struct word *out, size_t max)
{
    size_t n = 0, i = 0;
    bool prev_word = false;
    while (i < len && n < max) {
        const unsigned char *p = (const unsigned char *)text + i;
        size_t cl = utf8_len(p[0]), el = entity_len(text + i);
        if (cl > len - i)
            cl = len - i;
        if (el > 0 || !word_char(p, cl)) {
            prev_word = false;
            i += el > 0 ? el : cl;
            continue;
        }
        size_t start = i;
        while (i < len) {
            size_t l = utf8_len((unsigned char)text[i]);
            if (l > len - i || entity_len(text + i) ||
                !word_char((const unsigned char *)text + i, l))
                break;
            i += l;
        }
        char pre = 0;
        if (start > 0 && (text[start - 1] == '#' || text[start - 1] == '@') && !prev_word &&
            (start < 2 || !word_char((const unsigned char *)text + start - 2, 1)))
            pre = text[start - 1];
        out[n++] = (struct word){text + start, i - start, pre};
        prev_word = true;
    }
    return n;
}

static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static char *lower_dup(const char *s, size_t n)
{
    char *d = xstrndup(s, n);
    for (char *p = d; *p; p++)
        *p = lower(*p);
    return d;
}

/* A word of the text equals a (lower-case) query word. */
static bool word_is(const struct word *w, const char *q)
{
    size_t n = strlen(q);
    if (w->n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(w->s[i]) != q[i])
            return false;
    return true;
}

/* ---- matching ------------------------------------------------------------------------------- */

struct text {
    struct word words[MAX_WORDS];
    size_t n;
};

static bool has_word(const struct text *t, const char *q, char prefix)
{
    for (size_t i = 0; i < t->n; i++)
        if ((prefix == 0 || t->words[i].prefix == prefix) && word_is(&t->words[i], q))
            return true;
    return false;
}

static bool has_phrase(const struct text *t, char *const *q, size_t nq)
{
    for (size_t i = 0; i + nq <= t->n; i++) {
        size_t k = 0;
        while (k < nq && word_is(&t->words[i + k], q[k]))
            k++;
        if (k == nq)
            return true;
    }
    return false;
}

static bool lang_is(const char *lang, const char *q)
{
    if (!lang)
        return false;
    for (; *lang && *q; lang++, q++)
        if (lower(*lang) != *q)
            return false;
    return *lang == *q;
}

static bool eval(const struct xq_node *n, const struct xq_post *p, const struct text *t)
{
    switch (n->kind) {
    case XQ_WORD:
        return has_word(t, n->words[0], 0);
    case XQ_PHRASE:
        return has_phrase(t, n->words, n->nwords);
    case XQ_HASHTAG:
        return has_word(t, n->words[0], '#');
    case XQ_MENTION:
        return has_word(t, n->words[0], '@');
    case XQ_LANG:
        return lang_is(p->lang, n->words[0]);
    case XQ_RETWEET:
        return p->retweet;
    case XQ_NOT:
        return !eval(n->kids[0], p, t);
    case XQ_AND:
        for (size_t i = 0; i < n->nkids; i++)
            if (!eval(n->kids[i], p, t))
                return false;
        return true;
    case XQ_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (eval(n->kids[i], p, t))
                return true;
        return false;
    }
    return false;
}

bool xq_match(const struct xq_node *n, const struct xq_post *p)
{
    struct text t;
    t.n = split_words(p->text, strlen(p->text), t.words, MAX_WORDS);
    return eval(n, p, &t);
}

/* ---- nodes ---------------------------------------------------------------------------------- */

void xq_free(struct xq_node *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->nwords; i++)
        free(n->words[i]);
    for (size_t i = 0; i < n->nkids; i++)
        xq_free(n->kids[i]);
    free(n->words);
    free(n->kids);
    free(n);
}

static struct xq_node *node(enum xq_kind kind)
{
    struct xq_node *n = xcalloc(1, sizeof *n);
    n->kind = kind;
    return n;
}

static void add_word(struct xq_node *n, char *w)
{
    n->words = xrealloc(n->words, (n->nwords + 1) * sizeof *n->words);
    n->words[n->nwords++] = w;
}

static void add_kid(struct xq_node *n, struct xq_node *kid)
{
    n->kids = xrealloc(n->kids, (n->nkids + 1) * sizeof *n->kids);
    n->kids[n->nkids++] = kid;
}

/* ---- parsing -------------------------------------------------------------------------------- */

struct parser {
    const char *q;
    size_t pos;
    char *err;
    size_t errlen;
};

/* Sets X's kind of parse error at a 0-based offset; returns NULL for the caller to pass on. */
static struct xq_node *fail(struct parser *p, size_t at, const char *what)
{
    snprintf(p->err, p->errlen, "There were errors processing your request: %s (at position %zu)",
             what, at + 1);
    return NULL;
}

static void skip_space(struct parser *p)
{
    while (p->q[p->pos] == ' ' || p->q[p->pos] == '\t' || p->q[p->pos] == '\n' ||
           p->q[p->pos] == '\r')
        p->pos++;
}

static bool term_end(char c)
{
    return c == '\0' || c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '(' || c == ')' ||
           c == '"';
}

/* "OR" as an operator: upper case and standing alone (a lower-case "or" is a keyword). */
static bool at_or(const struct parser *p)
{
    return strncmp(p->q + p->pos, "OR", 2) == 0 && term_end(p->q[p->pos + 2]) &&
           p->q[p->pos + 2] != '"';
}

/* The words of s[0..n) as a WORD (one) or a PHRASE (several) node, or NULL when none. */
static struct xq_node *words_node(const char *s, size_t n, bool phrase)
{
    struct word w[MAX_WORDS];
    size_t k = split_words(s, n, w, MAX_WORDS);
    if (k == 0)
        return NULL;
    struct xq_node *nd = node(phrase || k > 1 ? XQ_PHRASE : XQ_WORD);
    for (size_t i = 0; i < k; i++)
        add_word(nd, lower_dup(w[i].s, w[i].n));
    return nd;
}

/* #tag or @handle: one word, nothing else. */
static struct xq_node *entity_term(struct parser *p, const char *s, size_t n, size_t at)
{
    struct word w[2];
    if (n < 2 || split_words(s + 1, n - 1, w, 2) != 1 || w[0].n != n - 1)
        return fail(p, at,
                    s[0] == '#' ? "a hashtag must be one word" : "a handle must be one word");
    struct xq_node *nd = node(s[0] == '#' ? XQ_HASHTAG : XQ_MENTION);
    add_word(nd, lower_dup(s + 1, n - 1));
    return nd;
}

static bool lang_code(const char *s, size_t n)
{
    if (n < 2 || n > 3)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) < 'a' || lower(s[i]) > 'z')
            return false;
    return true;
}

/* name:value: lang:xx and is:retweet are understood; any other operator is refused. */
static struct xq_node *operator_term(struct parser *p, const char *s, size_t n, size_t colon,
                                     size_t at)
{
    char msg[400];
    const char *v = s + colon + 1;
    size_t vn = n - colon - 1;
    if (colon == 4 && strncmp(s, "lang", 4) == 0) {
        if (!lang_code(v, vn))
            return fail(p, at + colon + 1, "lang: needs a BCP 47 language code such as en");
        struct xq_node *nd = node(XQ_LANG);
        add_word(nd, lower_dup(v, vn));
        return nd;
    }
    if (colon == 2 && strncmp(s, "is", 2) == 0 && vn == 7 && strncmp(v, "retweet", 7) == 0)
        return node(XQ_RETWEET);
    /* X names is: and has: operators with their value ('is:polls'), others without ('since') */
    bool with_value =
        (colon == 2 && strncmp(s, "is", 2) == 0) || (colon == 3 && strncmp(s, "has", 3) == 0);
    snprintf(msg, sizeof msg,
             "Reference to invalid operator '%.*s'. Operator is not available in current "
             "product or product packaging. Please refer to complete available operator list at "
             "https://developer.twitter.com/en/docs/twitter-api/tweets/search/integrate/"
             "build-a-query.",
             (int)(with_value ? (n > 60 ? 60 : n) : colon), s);
    return fail(p, at, msg);
}

static struct xq_node *plain_term(struct parser *p)
{
    size_t at = p->pos, n = 0;
    const char *s = p->q + at;
    while (!term_end(s[n]))
        n++;
    p->pos += n;
    if (n == 3 && strncmp(s, "AND", 3) == 0)
        return fail(p, at,
                    "Ambiguous use of and as a keyword. Use a space to logically join two "
                    "clauses, or \"and\" to find occurrences of and in text");
    if (s[0] == '#' || s[0] == '@')
        return entity_term(p, s, n, at);
    const char *colon = memchr(s, ':', n);
    if (colon && colon > s)
        return operator_term(p, s, n, (size_t)(colon - s), at);
    struct xq_node *nd = words_node(s, n, false);
    return nd ? nd : fail(p, at, "a term has no words to match");
}

static struct xq_node *phrase_term(struct parser *p)
{
    size_t at = p->pos;
    const char *s = p->q + at + 1, *end = strchr(s, '"');
    if (!end)
        return fail(p, at, "a quoted phrase is not closed");
    p->pos = (size_t)(end - p->q) + 1;
    struct xq_node *nd = words_node(s, (size_t)(end - s), true);
    return nd ? nd : fail(p, at, "a quoted phrase has no words to match");
}

static struct xq_node *parse_or(struct parser *p);

static struct xq_node *parse_atom(struct parser *p)
{
    char c = p->q[p->pos];
    if (c == '"')
        return phrase_term(p);
    if (c != '(')
        return plain_term(p);
    size_t at = p->pos++;
    struct xq_node *inner = parse_or(p);
    if (!inner)
        return NULL;
    skip_space(p);
    if (p->q[p->pos] != ')') {
        xq_free(inner);
        return fail(p, at, "a parenthesis is not closed");
    }
    p->pos++;
    return inner;
}

static struct xq_node *parse_unary(struct parser *p)
{
    if (p->q[p->pos] != '-')
        return parse_atom(p);
    size_t at = p->pos++;
    if (term_end(p->q[p->pos]) && p->q[p->pos] != '(' && p->q[p->pos] != '"')
        return fail(p, at, "'-' must be followed by a term");
    struct xq_node *kid = parse_atom(p);
    if (!kid)
        return NULL;
    struct xq_node *nd = node(XQ_NOT);
    add_kid(nd, kid);
    return nd;
}

/* Terms up to OR, ')' or the end, ANDed. */
static struct xq_node *parse_and(struct parser *p)
{
    struct xq_node *and = node(XQ_AND);
    for (;;) {
        skip_space(p);
        char c = p->q[p->pos];
        if (c == '\0' || c == ')' || at_or(p))
            break;
        struct xq_node *t = parse_unary(p);
        if (!t) {
            xq_free(and);
            return NULL;
        }
        add_kid(and, t);
    }
    if (and->nkids == 0) {
        xq_free(and);
        return fail(p, p->pos, "a term is missing");
    }
    if (and->nkids > 1)
        return and;
    struct xq_node *only = and->kids[0];
    and->nkids = 0;
    xq_free(and);
    return only;
}

static struct xq_node *parse_or(struct parser *p)
{
    struct xq_node *first = parse_and(p);
    if (!first)
        return NULL;
    skip_space(p);
    if (!at_or(p))
        return first;
    struct xq_node * or = node(XQ_OR);
    add_kid(or, first);
    while (at_or(p)) {
        p->pos += 2;
        struct xq_node *t = parse_and(p);
        if (!t) {
            xq_free(or);
            return NULL;
        }
        add_kid(or, t);
        skip_space(p);
    }
    return or ;
}

/* Whether the node can only match posts a standalone, non-negated term selects. */
static bool has_standalone(const struct xq_node *n)
{
    switch (n->kind) {
    case XQ_WORD:
    case XQ_PHRASE:
    case XQ_HASHTAG:
    case XQ_MENTION:
        return true;
    case XQ_AND:
        for (size_t i = 0; i < n->nkids; i++)
            if (has_standalone(n->kids[i]))
                return true;
        return false;
    case XQ_OR:
        for (size_t i = 0; i < n->nkids; i++)
            if (!has_standalone(n->kids[i]))
                return false;
        return true;
    default:
        return false;
    }
}

/* Whether the node holds a lang: or is: that is not negated (X's message then names them). */
static bool has_narrowing(const struct xq_node *n)
{
    if (n->kind == XQ_LANG || n->kind == XQ_RETWEET)
        return true;
    if (n->kind == XQ_NOT)
        return false;
    for (size_t i = 0; i < n->nkids; i++)
        if (has_narrowing(n->kids[i]))
            return true;
    return false;
}

struct xq_node *xq_parse(const char *query, char *err, size_t errlen)
{
    struct parser p = {query, 0, err, errlen};
    struct xq_node *root = parse_or(&p);
    if (!root)
        return NULL;
    skip_space(&p);
    if (query[p.pos] != '\0') {
        xq_free(root);
        return fail(&p, p.pos, "a ')' has no matching '('");
    }
    if (!has_standalone(root)) {
        bool narrows = has_narrowing(root);
        xq_free(root);
        return fail(&p, 0,
                    narrows ? "is/has/lang cannot be used as a standalone operator"
                            : "Rules must contain a non-negation term");
    }
    return root;
}
