/*
 * sentiment_lexicon.h - the word and emoji tables of sentiment.c, generated at build time from
 * data/sentiment/ (VADER's lexicon and emoji names, MIT; socialroi's product words) by
 * data/sentiment/lexicon.sh. Both are sorted by bytes (strcmp) for bsearch.
 */
#ifndef SR_SENTIMENT_LEXICON_H
#define SR_SENTIMENT_LEXICON_H

#include <stddef.h>
#include <stdint.h>

struct sentiment_word {
    const char *word; /* lower case, or an emoticon / emoji as written */
    int16_t tenths;   /* mean human valence -4.0..4.0, in tenths */
};

struct sentiment_emoji {
    const char *emoji; /* UTF-8, one or more code points */
    const char *name;  /* its CLDR name in lower-case words ("thumbs up") */
};

extern const struct sentiment_word sentiment_words[];
extern const size_t sentiment_nwords;
extern const struct sentiment_emoji sentiment_emoji[];
extern const size_t sentiment_nemoji;

#endif
