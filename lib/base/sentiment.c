/*
 * sentiment.c - the tone of a short English post (see sentiment.h).
 *
 * The rules of Hutto & Gilbert, "VADER: A Parsimonious Rule-based Model for Sentiment Analysis
 * of Social Media Text" (ICWSM 2014), written from the paper's description over its published
 * lexicon (data/sentiment/, compiled in by the Makefile):
 *
 *   - every word, emoticon or emoji found in the lexicon adds its mean human valence (-4..4);
 *     an emoji the lexicon does not list speaks through the words of its name ("grinning face");
 *   - a negation among the three words before a word turns it around and weakens it (x -0.74);
 *   - a booster among the three words before strengthens it ("very", "extremely": 0.293 less
 *     5 % for each word of distance), a dampener weakens it ("slightly", "barely");
 *   - a word in ALL CAPS in a post that is not all caps counts 0.733 further out;
 *   - after "but" (or "however") words count 1.5 times, those before it half;
 *   - up to four exclamation marks add 0.292 each, two or more question marks 0.18 each (0.96
 *     from four), in the direction the words already point;
 *   - the sum x is normalised to x / sqrt(x^2 + 15) in -1..1.
 *
 * Tokens are whitespace-separated; within one, runs of ASCII letters, digits and apostrophes
 * (the typographic one too) are words, lower-cased. A hashtag counts as its words (#fail is
 * "fail", #CustomerService is "customer service"); @handles and links say nothing. Punctuation
 * that ends a clause (. , ; : ! ?) and an emoji end the reach of a negation or a booster.
 * Pure and allocation-free: a walk over the text with the last three words remembered.
 */
#include "sentiment.h"
#include "sentiment_lexicon.h"

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_MAX   40 /* longer runs are no word of the lexicon (its longest has 19 bytes) */
#define REACH       3  /* words before a word that a negation or booster still reaches */
#define NEGATION    -0.74
#define BOOST       0.293
#define CAPS        0.733
#define BUT_BEFORE  0.5
#define BUT_AFTER   1.5
#define BANG        0.292
#define QUESTION    0.18
#define QUESTIONS_4 0.96
#define ALPHA       15.0
#define EMOJI_CP    8 /* code points an emoji sequence may have (flags, families, keycaps) */

enum kind { PLAIN, NEGATOR, BOOSTER, DAMPENER };

static const char *const negators[] = {
    "aint",   "arent",  "cannot", "cant",     "couldnt", "darent", "didnt",   "doesnt",  "dont",
    "hadnt",  "hasnt",  "havent", "isnt",     "mightnt", "mustnt", "neednt",  "neither", "never",
    "no",     "nobody", "none",   "nope",     "nor",     "not",    "nothing", "nowhere", "oughtnt",
    "rarely", "seldom", "shant",  "shouldnt", "wasnt",   "werent", "without", "wont",    "wouldnt",
};

static const char *const boosters[] = {
    "absolutely",   "amazingly",    "awfully",       "completely", "considerably", "decidedly",
    "deeply",       "effing",       "enormously",    "entirely",   "especially",   "exceptionally",
    "extremely",    "fabulously",   "freaking",      "fully",      "greatly",      "highly",
    "hugely",       "incredibly",   "insanely",      "intensely",  "majorly",      "more",
    "most",         "particularly", "purely",        "quite",      "really",       "remarkably",
    "ridiculously", "so",           "substantially", "super",      "thoroughly",   "too",
    "totally",      "tremendously", "truly",         "uber",       "unbelievably", "unusually",
    "utterly",      "very",
};

static const char *const dampeners[] = {
    "almost", "barely", "hardly",   "kinda",    "less",     "little", "marginally", "occasionally",
    "partly", "rather", "scarcely", "slightly", "somewhat", "sorta",  "fairly",
};

struct prev {
    enum kind kind;
    bool caps;
};

struct walk {
    double sum;      /* valences with negation, boosters and "but" applied */
    double caps_sum; /* the ALL-CAPS emphasis alone: it counts only in a post of mixed case */
    bool but;        /* a "but" was seen: what follows counts more */
    int caps_words;  /* words in ALL CAPS */
    int other_words; /* words with a lower-case letter */
    int bangs;       /* exclamation marks */
    int questions;   /* question marks */
    struct prev prev[REACH]; /* the last words, nearest first */
};

static bool listed(const char *tok, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(tok, list[i]) == 0)
            return true;
    return false;
}

static int cmp_word(const void *key, const void *entry)
{
    return strcmp(key, ((const struct sentiment_word *)entry)->word);
}

static int cmp_emoji(const void *key, const void *entry)
{
    return strcmp(key, ((const struct sentiment_emoji *)entry)->emoji);
}

/* The valence of a lexicon entry in tenths, or 0 when it has none. */
static int valence(const char *tok)
{
    const struct sentiment_word *w =
        bsearch(tok, sentiment_words, sentiment_nwords, sizeof sentiment_words[0], cmp_word);
    return w ? w->tenths : 0;
}

/* A negation: the list, or any word ending in n't ("isn't", "wouldn't"), apostrophe or not. */
static enum kind kind_of(const char *tok)
{
    size_t n = strlen(tok);
    if (n >= 3 && strcmp(tok + n - 3, "n't") == 0)
        return NEGATOR;
    if (listed(tok, negators, sizeof negators / sizeof negators[0]))
        return NEGATOR;
    if (listed(tok, boosters, sizeof boosters / sizeof boosters[0]))
        return BOOSTER;
    if (listed(tok, dampeners, sizeof dampeners / sizeof dampeners[0]))
        return DAMPENER;
    return PLAIN;
}

/* A clause ends: negations and boosters reach no further. */
static void clause(struct walk *s)
{
    memset(s->prev, 0, sizeof s->prev);
}

static void remember(struct walk *s, enum kind kind, bool caps)
{
    memmove(s->prev + 1, s->prev, (REACH - 1) * sizeof s->prev[0]);
    s->prev[0] = (struct prev){kind, caps};
}

/* Adds a tonal token of valence tenths/10, written in capitals or not. */
static void tonal(struct walk *s, int tenths, bool caps)
{
    double v = tenths / 10.0, dir = v > 0 ? 1.0 : -1.0;
    double emphasis = caps ? CAPS * dir : 0.0;
    bool negated = false;
    for (int d = 0; d < REACH; d++) {
        double scale = 1.0 - 0.05 * d;
        if (s->prev[d].kind == NEGATOR) {
            negated = true;
        } else if (s->prev[d].kind == BOOSTER || s->prev[d].kind == DAMPENER) {
            double sign = s->prev[d].kind == BOOSTER ? dir : -dir;
            v += BOOST * scale * sign;
            if (s->prev[d].caps)
                emphasis += CAPS * scale * sign;
        }
    }
    double factor = (negated ? NEGATION : 1.0) * (s->but ? BUT_AFTER : 1.0);
    s->sum += v * factor;
    s->caps_sum += emphasis * factor;
}

/* One word, lower-cased; caps: it was written in capitals (two letters or more). */
static void word(struct walk *s, const char *tok, bool caps)
{
    if (strcmp(tok, "but") == 0 || strcmp(tok, "however") == 0) {
        if (!s->but) {
            s->sum *= BUT_BEFORE;
            s->caps_sum *= BUT_BEFORE;
            s->but = true;
        }
        clause(s);
        return;
    }
    enum kind kind = kind_of(tok);
    int tenths = kind == PLAIN ? valence(tok) : 0;
    if (tenths)
        tonal(s, tenths, caps);
    remember(s, kind, caps);
}

/* The words of an emoji's name ("face with tears of joy"), each a word of the post. */
static void name_words(struct walk *s, const char *name)
{
    char tok[TOKEN_MAX + 1];
    size_t n = 0;
    for (const char *p = name;; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '\'') {
            if (n < TOKEN_MAX)
                tok[n++] = (char)c;
            continue;
        }
        if (n) {
            tok[n] = '\0';
            word(s, tok, false);
            n = 0;
        }
        if (!c)
            break;
    }
}

/* The length of the UTF-8 sequence at p (1 for a stray byte), never past the end. */
static size_t utf8_len(const char *p)
{
    unsigned char c = (unsigned char)*p;
    size_t n = c < 0xC0 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < n; i++)
        if (((unsigned char)p[i] & 0xC0) != 0x80)
            return 1;
    return n;
}

/*
 * An emoji at p (a byte >= 0x80): the longest sequence of code points that the lexicon scores
 * or the emoji table names, scored; returns its length, or 0 when none is known. A valence of
 * the lexicon wins over a name even when the name's sequence is longer (a skin tone after a
 * thumbs up is then its own, silent, code point).
 */
static size_t emoji(struct walk *s, const char *p)
{
    char key[EMOJI_CP * 4 + 1];
    size_t len = 0, lex_len = 0, name_len = 0;
    int lex = 0;
    const struct sentiment_emoji *named = NULL;
    for (int cp = 0; cp < EMOJI_CP && (unsigned char)p[len] >= 0x80; cp++) {
        size_t n = utf8_len(p + len);
        if (n == 1)
            break;
        memcpy(key + len, p + len, n);
        len += n;
        key[len] = '\0';
        int v = valence(key);
        if (v) {
            lex = v;
            lex_len = len;
        }
        const struct sentiment_emoji *e =
            bsearch(key, sentiment_emoji, sentiment_nemoji, sizeof sentiment_emoji[0], cmp_emoji);
        if (e) {
            named = e;
            name_len = len;
        }
    }
    if (!lex_len && !named)
        return 0;
    clause(s); /* an emoji stands on its own: "will not load 😡" is no praise */
    if (lex_len) {
        tonal(s, lex, false);
        remember(s, PLAIN, false);
        return lex_len;
    }
    name_words(s, named->name);
    return name_len;
}

static bool alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool upper(unsigned char c)
{
    return c >= 'A' && c <= 'Z';
}

/* The apostrophe at p (ASCII or U+2019), and its length, or 0. */
static size_t apostrophe(const char *p)
{
    if (*p == '\'')
        return 1;
    return strncmp(p, "\xE2\x80\x99", 3) == 0 ? 3 : 0;
}

/* A run of letters as written (raw, n bytes, apostrophes as '), scored as one word; a run
 * longer than TOKEN_MAX (too_long, raw holds its start) only counts as a word. */
static void plain_word(struct walk *s, const char *raw, size_t n, bool too_long)
{
    char tok[TOKEN_MAX + 1];
    int letters = 0, capitals = 0;
    while (n && raw[n - 1] == '\'')
        n--; /* a closing quote */
    if (!n)
        return;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)raw[i];
        letters += (c >= 'a' && c <= 'z') || upper(c);
        capitals += upper(c);
    }
    bool caps = letters >= 2 && capitals == letters;
    if (letters) {
        s->caps_words += caps;
        s->other_words += !caps;
    }
    if (too_long) {
        remember(s, PLAIN, caps);
        return;
    }
    for (size_t i = 0; i < n; i++)
        tok[i] = upper((unsigned char)raw[i]) ? (char)(raw[i] - 'A' + 'a') : raw[i];
    tok[n] = '\0';
    word(s, tok, caps);
}

/* A hashtag's words: #fail, #customerservice as one word, #CustomerService and #ROIWeek split. */
static void hashtag(struct walk *s, const char *raw, size_t n)
{
    size_t start = 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char a = (unsigned char)raw[i - 1], b = (unsigned char)raw[i];
        bool lower_to_upper = !upper(a) && upper(b);
        bool acronym_end =
            upper(a) && upper(b) && i + 1 < n && raw[i + 1] >= 'a' && raw[i + 1] <= 'z';
        if (lower_to_upper || acronym_end) {
            char tok[TOKEN_MAX + 1];
            size_t m = i - start < TOKEN_MAX ? i - start : TOKEN_MAX;
            for (size_t k = 0; k < m; k++)
                tok[k] = upper((unsigned char)raw[start + k]) ? (char)(raw[start + k] + 32)
                                                              : raw[start + k];
            tok[m] = '\0';
            word(s, tok, false);
            start = i;
        }
    }
    char tok[TOKEN_MAX + 1];
    size_t m = n - start < TOKEN_MAX ? n - start : TOKEN_MAX;
    for (size_t k = 0; k < m; k++)
        tok[k] =
            upper((unsigned char)raw[start + k]) ? (char)(raw[start + k] + 32) : raw[start + k];
    tok[m] = '\0';
    word(s, tok, false);
}

/* An emoticon written as one whitespace-separated token (":)", ":-(", "<3", ":D"), or 0. */
static int emoticon(const char *p, size_t n)
{
    char key[16];
    bool punct = false;
    if (n >= sizeof key)
        return 0;
    for (size_t i = 0; i < n; i++)
        punct |= !alnum((unsigned char)p[i]) && (unsigned char)p[i] < 0x80;
    if (!punct)
        return 0;
    memcpy(key, p, n);
    key[n] = '\0';
    return valence(key);
}

static bool starts(const char *p, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && strncmp(p, prefix, k) == 0;
}

/* One whitespace-separated token of n bytes at p. */
static void token(struct walk *s, const char *p, size_t n)
{
    int v = emoticon(p, n);
    if (v) {
        tonal(s, v, false);
        remember(s, PLAIN, false);
        return;
    }
    if (starts(p, n, "http://") || starts(p, n, "https://") || starts(p, n, "www."))
        return;
    char raw[TOKEN_MAX + 1];
    size_t r = 0, longer = 0; /* the word being read, and its bytes beyond TOKEN_MAX */
    bool tag = false;
    for (size_t i = 0; i <= n;) {
        unsigned char c = i < n ? (unsigned char)p[i] : 0;
        size_t ap = i < n ? apostrophe(p + i) : 0;
        if (i < n && (alnum(c) || (ap && r))) {
            if (r < TOKEN_MAX)
                raw[r++] = ap ? '\'' : (char)c;
            else
                longer++;
            i += ap ? ap : 1;
            continue;
        }
        if (r) {
            if (tag && !longer)
                hashtag(s, raw, r);
            else
                plain_word(s, raw, r, longer > 0); /* too long: counted, not looked up */
            r = longer = 0;
        }
        tag = false;
        if (i >= n)
            break;
        if (c == '@') { /* a handle names someone, it says nothing */
            for (i++; i < n && (alnum((unsigned char)p[i]) || p[i] == '_'); i++)
                ;
            continue;
        }
        if (c == '#') {
            tag = true;
        } else if (c >= 0x80) {
            size_t e = emoji(s, p + i);
            i += e ? e : utf8_len(p + i);
            continue;
        } else if (strchr(".,;:!?", c)) {
            s->bangs += c == '!';
            s->questions += c == '?';
            clause(s);
        }
        i++;
    }
}

int32_t sentiment_milli(const char *text)
{
    struct walk s = {0};
    const char *p = text ? text : "";
    while (*p) {
        size_t n = strcspn(p, " \t\r\n\f\v");
        if (n)
            token(&s, p, n);
        p += n;
        p += strspn(p, " \t\r\n\f\v");
    }
    double x = s.sum;
    if (s.caps_words && s.other_words)
        x += s.caps_sum;
    if (x != 0.0) {
        double dir = x > 0 ? 1.0 : -1.0;
        double marks = (s.bangs < 4 ? s.bangs : 4) * BANG;
        if (s.questions > 1)
            marks += s.questions > 3 ? QUESTIONS_4 : s.questions * QUESTION;
        x += dir * marks;
    }
    long v = lround(1000.0 * x / sqrt(x * x + ALPHA));
    return (int32_t)(v > 1000 ? 1000 : v < -1000 ? -1000 : v);
}
