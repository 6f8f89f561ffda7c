/*
 * sentiment.h - the tone of a short English post, for brand mentions (x.mentions).
 *
 * A lexicon scorer with the rules of VADER (Hutto & Gilbert, ICWSM 2014) over its published
 * lexicon of about 7,500 words, emoticons and slang rated by people, its emoji names, and a
 * few words of product talk ("buggy", "unusable", "reliable"): a negation within three words
 * turns a word around ("not great" is negative, "never disappointed" positive), boosters and
 * dampeners ("very", "slightly") move it, ALL CAPS and exclamation marks emphasise, what
 * follows "but" counts more than what came before, hashtags speak as their words (#EpicFail).
 * The sum is normalised into -1000..1000 (thousandths), 0 when nothing tonal was said. It does
 * not read irony ("great, another outage" reads as praise). Pure; the lexicon is compiled in.
 */
#ifndef SR_SENTIMENT_H
#define SR_SENTIMENT_H

#include <stdint.h>

/* The tone of text (UTF-8) in thousandths, -1000 (very negative) .. 1000 (very positive). */
int32_t sentiment_milli(const char *text);

#endif
