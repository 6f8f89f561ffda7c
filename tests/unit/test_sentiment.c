/*
 * test_sentiment.c - the tone of posts: praise, complaint, nothing said, negation, intensifiers,
 * "but", emoji, apostrophes and odd input; capitals, exclamation marks, hashtags, emoticons,
 * handles and links; the compiled-in lexicon tables.
 */
#include "unit.h"
#include "sentiment.h"
#include "sentiment_lexicon.h"

#include <stdlib.h>
#include <string.h>

#define POSITIVE(t) assert_true(sentiment_milli(t) > 250)
#define NEGATIVE(t) assert_true(sentiment_milli(t) < -250)
#define NEUTRAL(t)  assert_int_equal(sentiment_milli(t), 0)

static void test_praise_and_complaint(void **state)
{
    (void)state;
    POSITIVE("Love the new dashboards in Acme Analytics");
    POSITIVE("acme analytics is excellent, would recommend to any B2B team");
    NEGATIVE("Acme Analytics has been broken all morning. Terrible.");
    NEGATIVE("so disappointed with the acme analytics export, it is slow and buggy");
    NEUTRAL("Acme Analytics releases version 4.2 today");
    NEUTRAL("");
    NEUTRAL(NULL);
    /* stronger words and more of them score further out, within the bounds */
    assert_true(sentiment_milli("love it, excellent, amazing, perfect") > sentiment_milli("nice"));
    assert_true(sentiment_milli("love love love love love love love love love love") <= 1000);
    assert_true(sentiment_milli("hate hate hate hate hate hate hate hate hate hate") >= -1000);
}

static void test_negation(void **state)
{
    (void)state;
    NEGATIVE("the new release is not great");
    POSITIVE("never disappointed by their support");
    NEGATIVE("Acme isn't reliable");
    NEGATIVE("Acme isn\xE2\x80\x99t reliable"); /* typographic apostrophe */
    POSITIVE("don't hesitate, it is fast");     /* "fast" is four words on: out of reach */
    /* a clause ends the negation: "not" does not reach past the comma */
    POSITIVE("not sure yet, but impressed so far");
    /* half strength: "not bad" is milder praise than "good" */
    assert_true(sentiment_milli("not bad") > 0);
    assert_true(sentiment_milli("not bad") < sentiment_milli("good"));
}

static void test_clauses_and_intensifiers(void **state)
{
    (void)state;
    assert_true(sentiment_milli("really great") > sentiment_milli("great"));
    /* what follows "but" weighs more than what came before */
    POSITIVE("a bit expensive but excellent");
    NEGATIVE("good idea but unusable in practice");
    /* emoji speak too */
    POSITIVE("new Acme release \xF0\x9F\x8E\x89\xF0\x9F\x91\x8D");
    NEGATIVE("acme export again \xF0\x9F\x98\xA1");
    /* words are whole: "unbroken" and "greatly" are not in the lexicon */
    NEUTRAL("unbroken greatly");
    /* very long words and bytes that are not UTF-8 are just skipped */
    char junk[400];
    memset(junk, 'a', sizeof junk - 1);
    junk[sizeof junk - 1] = '\0';
    NEUTRAL(junk);
    POSITIVE("\xFF\xFE great \xC3");
}

static void test_emphasis(void **state)
{
    (void)state;
    /* capitals count further out, but only in a post that is not all capitals */
    assert_true(sentiment_milli("the new release is GREAT") >
                sentiment_milli("the new release is great"));
    assert_int_equal(sentiment_milli("THE NEW RELEASE IS GREAT"),
                     sentiment_milli("the new release is great"));
    /* exclamation marks push further in the direction the words point, up to four */
    assert_true(sentiment_milli("great!!") > sentiment_milli("great"));
    assert_true(sentiment_milli("awful!!") < sentiment_milli("awful"));
    assert_int_equal(sentiment_milli("great!!!!!!!!"), sentiment_milli("great!!!!"));
    NEUTRAL("version 4.2 is out!!!");
    /* a dampener softens, a booster strengthens, an ALL-CAPS booster more so */
    assert_true(sentiment_milli("slightly good") < sentiment_milli("good"));
    assert_true(sentiment_milli("SO good") > sentiment_milli("so good"));
    assert_true(sentiment_milli("so good") > sentiment_milli("good"));
}

static void test_social_tokens(void **state)
{
    (void)state;
    /* hashtags speak as their words, CamelCase split */
    NEGATIVE("acme export again #fail");
    NEGATIVE("#EpicFail from acme today");
    POSITIVE("#LoveIt");
    /* emoticons and emoji the lexicon does not score, through the words of their name */
    POSITIVE("new dashboards :)");
    NEGATIVE("new dashboards :(");
    POSITIVE("acme support \xF0\x9F\x98\x82");            /* face with tears of joy */
    POSITIVE("release \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD"); /* thumbs up, medium skin tone */
    /* a negation does not reach into an emoji */
    NEGATIVE("the dashboards will not load \xF0\x9F\x98\xA1");
    /* handles and links say nothing, whatever words they hold */
    NEUTRAL("@greatsupport https://example.com/love-it-awful www.great.example");
    /* product words the general lexicon lacks */
    NEGATIVE("the sync is slow and buggy");
    NEGATIVE("acme is unusable");
}

static int cmp_words(const void *a, const void *b)
{
    return strcmp(((const struct sentiment_word *)a)->word,
                  ((const struct sentiment_word *)b)->word);
}

static void test_tables(void **state)
{
    (void)state;
    assert_true(sentiment_nwords > 7500);
    assert_true(sentiment_nemoji > 3500);
    for (size_t i = 1; i < sentiment_nwords; i++)
        assert_true(strcmp(sentiment_words[i - 1].word, sentiment_words[i].word) < 0);
    for (size_t i = 1; i < sentiment_nemoji; i++)
        assert_true(strcmp(sentiment_emoji[i - 1].emoji, sentiment_emoji[i].emoji) < 0);
    /* VADER's mean ratings in tenths, a product word of ours, an emoticon with a backslash */
    struct sentiment_word key = {"great", 0};
    const struct sentiment_word *w =
        bsearch(&key, sentiment_words, sentiment_nwords, sizeof key, cmp_words);
    assert_non_null(w);
    assert_int_equal(w->tenths, 31);
    key.word = "buggy";
    w = bsearch(&key, sentiment_words, sentiment_nwords, sizeof key, cmp_words);
    assert_non_null(w);
    assert_int_equal(w->tenths, -25);
    key.word = ":-\\";
    assert_non_null(bsearch(&key, sentiment_words, sentiment_nwords, sizeof key, cmp_words));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_praise_and_complaint),
        cmocka_unit_test(test_negation),
        cmocka_unit_test(test_clauses_and_intensifiers),
        cmocka_unit_test(test_emphasis),
        cmocka_unit_test(test_social_tokens),
        cmocka_unit_test(test_tables),
    };
    return cmocka_run_group_tests_name("sentiment", tests, NULL, NULL);
}
