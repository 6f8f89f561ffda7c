/*
 * sentiment.h - the tone of a short English post, for brand mentions (x.mentions).
 *
 * A lexicon scorer: words that say good or bad things about a product ("love", "fast",
 * "broken", "disappointed") add or subtract; a negation shortly before a word turns it around
 * at half strength ("not great" is mildly negative, "never disappointed" mildly positive); an
 * intensifier ("very", "really") strengthens the next word; what follows "but" counts more than
 * what came before. The sum is squashed into -1000..1000 (thousandths), 0 when nothing tonal was
 * said. Good enough to tell praise from complaint in the advocacy stage of the funnel; it is not
 * meant to read irony. Pure.
 */
#ifndef SR_SENTIMENT_H
#define SR_SENTIMENT_H

#include <stdint.h>

/* The tone of text (UTF-8) in thousandths, -1000 (very negative) .. 1000 (very positive). */
int32_t sentiment_milli(const char *text);

#endif
