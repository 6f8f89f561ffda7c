/*
 * test_xbudget.c - the X listening budget's arithmetic: what is left under the daily and
 * monthly caps, the page asked for (partial pages, X's minimum of 10), the turn of the UTC
 * day and month at midnight, answers of the database arriving late, and the price per post.
 */
#include "unit.h"
#include "timeutil.h"
#include "xbudget.h"

/* Epoch microseconds of a UTC time. */
static int64_t at(const char *iso)
{
    int64_t us;
    assert_int_equal(time_parse_utc(iso, &us), 0);
    return us;
}

static int32_t day(const char *date)
{
    int32_t d;
    assert_int_equal(time_parse_date(date, &d), 0);
    return d;
}

static void test_utc_day(void **state)
{
    (void)state;
    assert_int_equal(time_utc_day(at("2026-12-07T00:00:00Z")), day("2026-12-07"));
    assert_int_equal(time_utc_day(at("2026-12-07T23:59:59Z") + 999999), day("2026-12-07"));
    assert_int_equal(time_utc_day(at("2026-12-08T00:00:00Z")), day("2026-12-08"));
    assert_int_equal(time_utc_day(-1), -1); /* 1969-12-31T23:59:59.999999Z */
}

static void test_left_and_pages(void **state)
{
    (void)state;
    struct xbudget b = {0};
    int32_t d = day("2026-12-07");
    bool by_month = true;
    xbudget_set(&b, d, 0, 0, 0);
    /* no cap: nothing limits, a full page */
    assert_true(xbudget_left(&b, 0, 0, d, &by_month) == XBUDGET_NO_CAP);
    assert_false(by_month);
    assert_int_equal(xbudget_page_size(XBUDGET_NO_CAP), 100);
    /* a cap of 250: pages of 100, 100, then the partial 50, then a stop */
    assert_true(xbudget_left(&b, 250, 0, d, NULL) == 250);
    assert_int_equal(xbudget_page_size(250), 100);
    b.pending += 100; /* a page read, its answer on the way */
    assert_true(xbudget_left(&b, 250, 0, d, NULL) == 150);
    xbudget_set(&b, d, 100, 100, 100); /* the database billed all of it */
    assert_true(b.pending == 0);
    b.pending += 100;
    xbudget_set(&b, d, 180, 180, 100); /* 20 of them were read earlier today: not billed */
    assert_true(xbudget_left(&b, 250, 0, d, NULL) == 70);
    assert_int_equal(xbudget_page_size(70), 70);
    b.pending += 70;
    assert_true(xbudget_left(&b, 250, 0, d, NULL) == 0);
    assert_int_equal(xbudget_page_size(0), 0);
    xbudget_set(&b, d, 250, 250, 70);
    assert_true(xbudget_left(&b, 250, 0, d, NULL) == 0);
    /* less than X's smallest page left is a stop: a page of 10 would overrun the cap */
    assert_int_equal(xbudget_page_size(9), 0);
    assert_int_equal(xbudget_page_size(10), 10);
    assert_int_equal(xbudget_page_size(99), 99);
    assert_int_equal(xbudget_page_size(101), 100);
    /* the month's cap is the tighter one */
    xbudget_set(&b, d, 40, 980, 0);
    assert_true(xbudget_left(&b, 250, 1000, d, &by_month) == 20);
    assert_true(by_month);
    assert_true(xbudget_left(&b, 250, 5000, d, &by_month) == 210);
    assert_false(by_month);
    /* figures above a cap lowered by a reload leave nothing, never a negative */
    assert_true(xbudget_left(&b, 30, 0, d, NULL) == 0);
}

static void test_rollover(void **state)
{
    (void)state;
    struct xbudget b = {0};
    int32_t d = day("2026-12-31");
    xbudget_set(&b, day("2026-12-30"), 250, 7000, 0);
    /* at 00:00 UTC the day starts again, the month keeps its earlier days */
    assert_true(xbudget_left(&b, 250, 10000, d, NULL) == 250);
    assert_true(b.billed_day == 0 && b.billed_month == 7000);
    assert_int_equal(b.day, d);
    xbudget_set(&b, d, 3000, 10000, 0);
    bool by_month;
    assert_true(xbudget_left(&b, 5000, 10000, d, &by_month) == 0);
    assert_true(by_month);
    /* the month turns at 00:00 UTC on the 1st: both start again */
    assert_true(xbudget_left(&b, 5000, 10000, day("2027-01-01"), &by_month) == 5000);
    assert_false(by_month);
    assert_true(b.billed_month == 0);
    /* a late answer about the day before is not taken over today's figures, but settles */
    b.pending = 100;
    xbudget_set(&b, day("2026-12-31"), 250, 10000, 100);
    assert_true(b.pending == 0);
    assert_true(b.billed_day == 0 && b.billed_month == 0);
    assert_int_equal(b.day, day("2027-01-01"));
    /* pending posts read before the turn stay counted after it (never too few) */
    b.pending = 40;
    assert_true(xbudget_left(&b, 100, 0, day("2027-01-02"), NULL) == 60);
    /* figures not known yet (no load) roll nowhere */
    struct xbudget u = {0};
    xbudget_roll(&u, d);
    assert_false(u.known);
}

static void test_resets(void **state)
{
    (void)state;
    int64_t s = xbudget_resets_at(day("2026-12-07"), false);
    assert_true(s * 1000000 == at("2026-12-08T00:00:00Z"));
    s = xbudget_resets_at(day("2026-12-07"), true);
    assert_true(s * 1000000 == at("2027-01-01T00:00:00Z"));
    s = xbudget_resets_at(day("2028-02-28"), false);
    assert_true(s * 1000000 == at("2028-02-29T00:00:00Z"));
    s = xbudget_resets_at(day("2028-02-29"), true);
    assert_true(s * 1000000 == at("2028-03-01T00:00:00Z"));
}

static void test_price(void **state)
{
    (void)state;
    int64_t m = -1;
    assert_int_equal(xbudget_price_micros("0.005", &m), 0);
    assert_true(m == 5000);
    assert_int_equal(xbudget_price_micros("0.000001", &m), 0);
    assert_true(m == 1);
    assert_int_equal(xbudget_price_micros("2", &m), 0);
    assert_true(m == 2000000);
    assert_int_equal(xbudget_price_micros(".5", &m), 0);
    assert_true(m == 500000);
    assert_int_equal(xbudget_price_micros("0", &m), 0);
    assert_true(m == 0);
    static const char *const bad[] = {"0.0000005", "-0.005", "1e-3", "", ".", "0.005 USD", "abc"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(xbudget_price_micros(bad[i], &m), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utc_day),  cmocka_unit_test(test_left_and_pages),
        cmocka_unit_test(test_rollover), cmocka_unit_test(test_resets),
        cmocka_unit_test(test_price),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
