/*
 * test_expiry.c - the warnings before an unrenewable token ends: the levels at 15, 14, 4, 3, 0
 * and -1 days, each threshold announced once however often it is polled, a reload that keeps the
 * same expiry announcing nothing again, a new expiry starting over, and a token first seen late.
 */
#include "unit.h"
#include "expiry.h"

#define NOW 1796601600LL /* 2026-12-07T00:00:00Z */
#define DAY 86400LL

static void test_levels(void **state)
{
    (void)state;
    assert_int_equal(expiry_level(0, NOW), EXPIRY_NONE);
    assert_int_equal(expiry_level(-5, NOW), EXPIRY_NONE);
    assert_int_equal(expiry_level(NOW + 15 * DAY, NOW), EXPIRY_NONE);
    assert_int_equal(expiry_level(NOW + 14 * DAY + 1, NOW), EXPIRY_NONE);
    assert_int_equal(expiry_level(NOW + 14 * DAY, NOW), EXPIRY_14D);
    assert_int_equal(expiry_level(NOW + 4 * DAY, NOW), EXPIRY_14D);
    assert_int_equal(expiry_level(NOW + 3 * DAY + 1, NOW), EXPIRY_14D);
    assert_int_equal(expiry_level(NOW + 3 * DAY, NOW), EXPIRY_3D);
    assert_int_equal(expiry_level(NOW + 1, NOW), EXPIRY_3D);
    assert_int_equal(expiry_level(NOW, NOW), EXPIRY_EXPIRED);
    assert_int_equal(expiry_level(NOW - DAY, NOW), EXPIRY_EXPIRED);
}

static void test_days_left(void **state)
{
    (void)state;
    assert_int_equal(expiry_days_left(NOW + 10 * DAY, NOW), 10);
    assert_int_equal(expiry_days_left(NOW + 10 * DAY - 60, NOW), 10);
    assert_int_equal(expiry_days_left(NOW + 9 * DAY + 1, NOW), 10);
    assert_int_equal(expiry_days_left(NOW + 1, NOW), 1);
    assert_int_equal(expiry_days_left(NOW, NOW), 0);
    assert_int_equal(expiry_days_left(NOW - DAY, NOW), 0);
}

/* One token followed day by day, polled many times a day: each threshold once, in order. */
static void test_once_per_threshold(void **state)
{
    (void)state;
    struct expiry_note n = {0};
    int64_t exp = NOW + 15 * DAY;
    int said[4] = {0};
    for (int64_t t = NOW; t <= exp + DAY; t += 600) {
        enum expiry_level l = expiry_announce(&n, exp, t);
        said[l]++;
        if (l == EXPIRY_14D)
            assert_int_equal(t, exp - 14 * DAY);
        if (l == EXPIRY_3D)
            assert_int_equal(t, exp - 3 * DAY);
        if (l == EXPIRY_EXPIRED)
            assert_int_equal(t, exp);
    }
    assert_int_equal(said[EXPIRY_14D], 1);
    assert_int_equal(said[EXPIRY_3D], 1);
    assert_int_equal(said[EXPIRY_EXPIRED], 1);
}

static void test_days_15_14_4_3_0_minus1(void **state)
{
    (void)state;
    struct expiry_note n = {0};
    int64_t exp = NOW + 15 * DAY;
    assert_int_equal(expiry_announce(&n, exp, exp - 15 * DAY), EXPIRY_NONE);
    assert_int_equal(expiry_announce(&n, exp, exp - 14 * DAY), EXPIRY_14D);
    assert_int_equal(expiry_announce(&n, exp, exp - 14 * DAY + 60), EXPIRY_NONE);
    assert_int_equal(expiry_announce(&n, exp, exp - 4 * DAY), EXPIRY_NONE);
    assert_int_equal(expiry_announce(&n, exp, exp - 3 * DAY), EXPIRY_3D);
    assert_int_equal(expiry_announce(&n, exp, exp - 3 * DAY + 1), EXPIRY_NONE);
    assert_int_equal(expiry_announce(&n, exp, exp), EXPIRY_EXPIRED);
    assert_int_equal(expiry_announce(&n, exp, exp + DAY), EXPIRY_NONE);
}

/* A reload keeps the note: the same expiry announces nothing again; a new token starts over. */
static void test_reload(void **state)
{
    (void)state;
    struct expiry_note n = {0};
    int64_t exp = NOW + 10 * DAY;
    assert_int_equal(expiry_announce(&n, exp, NOW), EXPIRY_14D);
    assert_int_equal(expiry_announce(&n, exp, NOW + 3600), EXPIRY_NONE); /* reloaded, same */
    int64_t renewed = NOW + 60 * DAY;
    assert_int_equal(expiry_announce(&n, renewed, NOW + 7200), EXPIRY_NONE);
    assert_int_equal(n.said, EXPIRY_NONE);
    assert_int_equal(expiry_announce(&n, renewed, renewed - 14 * DAY), EXPIRY_14D);
    /* an operator puts an older token back: its own announcements again */
    assert_int_equal(expiry_announce(&n, exp, NOW + 7200), EXPIRY_14D);
    /* the expiry forgotten (0: unknown) says nothing */
    assert_int_equal(expiry_announce(&n, 0, NOW), EXPIRY_NONE);
}

/* First seen late: only the latest threshold, not the ones it already passed. */
static void test_first_seen_late(void **state)
{
    (void)state;
    struct expiry_note a = {0}, b = {0};
    assert_int_equal(expiry_announce(&a, NOW + 2 * DAY, NOW), EXPIRY_3D);
    assert_int_equal(expiry_announce(&a, NOW + 2 * DAY, NOW + DAY), EXPIRY_NONE);
    assert_int_equal(expiry_announce(&b, NOW - DAY, NOW), EXPIRY_EXPIRED);
    assert_int_equal(expiry_announce(&b, NOW - DAY, NOW + 60), EXPIRY_NONE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_days_left),
        cmocka_unit_test(test_once_per_threshold),
        cmocka_unit_test(test_days_15_14_4_3_0_minus1),
        cmocka_unit_test(test_reload),
        cmocka_unit_test(test_first_seen_late),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
