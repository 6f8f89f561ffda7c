/*
 * test_sentiment.c - the tone of posts: praise, complaint, nothing said, negation, intensifiers,
 * "but", emoji, apostrophes and odd input.
 */
#include "unit.h"
#include "sentiment.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_praise_and_complaint),
        cmocka_unit_test(test_negation),
        cmocka_unit_test(test_clauses_and_intensifiers),
    };
    return cmocka_run_group_tests_name("sentiment", tests, NULL, NULL);
}
