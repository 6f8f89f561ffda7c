/*
 * test_money.c - exact decimal parsing and formatting.
 */
#include "unit.h"
#include "money.h"

#include <string.h>

static int64_t parse(const char *s)
{
    int64_t v = 12345;
    assert_int_equal(money_parse_decimal(s, strlen(s), &v), 0);
    return v;
}

static void bad(const char *s)
{
    int64_t v;
    assert_int_equal(money_parse_decimal(s, strlen(s), &v), -1);
}

static void test_plain_decimals(void **state)
{
    (void)state;
    assert_int_equal(parse("14.35"), 14350000);
    assert_int_equal(parse("0"), 0);
    assert_int_equal(parse("100"), 100000000);
    assert_int_equal(parse("509.980"), 509980000);
    assert_int_equal(parse("-3.5"), -3500000);
    assert_int_equal(parse("+2"), 2000000);
    assert_int_equal(parse(".5"), 500000);
    assert_int_equal(parse("5."), 5000000);
    assert_int_equal(parse("0.000001"), 1);
    assert_int_equal(parse("00012.340000"), 12340000);
}

static void test_exponents(void **state)
{
    (void)state;
    /* LinkedIn sends tiny negative costs in exponent notation: they are zero */
    assert_int_equal(parse("-2E-18"), 0);
    assert_int_equal(parse("1e3"), 1000000000);
    assert_int_equal(parse("1.5E+2"), 150000000);
    assert_int_equal(parse("2.5e-6"), 2);
    assert_int_equal(parse("123456789e-15"), 0);
    assert_int_equal(parse("1E-400"), 0);
}

static void test_half_even(void **state)
{
    (void)state;
    assert_int_equal(parse("0.0000005"), 0);  /* tie, 0 is even */
    assert_int_equal(parse("0.0000015"), 2);  /* tie, rounds to even 2 */
    assert_int_equal(parse("0.0000025"), 2);  /* tie, 2 is even */
    assert_int_equal(parse("0.00000251"), 3); /* above the tie */
    assert_int_equal(parse("0.00000049"), 0);
    assert_int_equal(parse("-0.0000015"), -2);
    assert_int_equal(parse("1.2345675"), 1234568);
}

static void test_limits(void **state)
{
    (void)state;
    assert_int_equal(parse("9223372036854.775807"), INT64_MAX);
    assert_int_equal(parse("-9223372036854.775808"), INT64_MIN);
    bad("9223372036854.775808");
    bad("1e400");
    bad("99999999999999999999");
}

static void test_rejects(void **state)
{
    (void)state;
    bad("");
    bad("-");
    bad(".");
    bad("1.2.3");
    bad("abc");
    bad(" 1");
    bad("1 ");
    bad("1e");
    bad("1e+");
    bad("0x10");
    bad("1,5");
    bad("NaN");
    bad("Infinity");
}

static void test_scaled(void **state)
{
    (void)state;
    int64_t v;
    /* Meta budgets are in minor units: "5000" cents = 50.00 */
    assert_int_equal(money_parse_scaled("5000", 4, -2, &v), 0);
    assert_int_equal(v, 50000000);
    /* Pinterest sends micro-units already */
    assert_int_equal(money_parse_scaled("30000000", 8, -6, &v), 0);
    assert_int_equal(v, 30000000);
}

static void test_money_and_currency(void **state)
{
    (void)state;
    struct money m;
    assert_int_equal(money_parse("12000.00 USD", &m), 0);
    assert_int_equal(m.micros, 12000000000LL);
    assert_string_equal(m.currency, "USD");
    assert_int_equal(money_parse("12000.00", &m), -1);
    assert_int_equal(money_parse("12000.00 usd", &m), -1);
    assert_int_equal(money_parse("12k EUR", &m), -1);
    assert_true(money_currency_valid("EUR"));
    assert_false(money_currency_valid("EURO"));
    assert_false(money_currency_valid("E1R"));
}

static void test_format(void **state)
{
    (void)state;
    char buf[32];
    money_format(1234567, 2, buf, sizeof buf);
    assert_string_equal(buf, "1.23");
    money_format(1235000, 2, buf, sizeof buf);
    assert_string_equal(buf, "1.24"); /* tie to even */
    money_format(1225000, 2, buf, sizeof buf);
    assert_string_equal(buf, "1.22");
    money_format(-5000, 2, buf, sizeof buf);
    assert_string_equal(buf, "-0.00" + 1); /* rounds to zero: no sign */
    money_format(-15000000, 2, buf, sizeof buf);
    assert_string_equal(buf, "-15.00");
    money_format(INT64_MIN, 6, buf, sizeof buf);
    assert_string_equal(buf, "-9223372036854.775808");
    money_format(42000000, 0, buf, sizeof buf);
    assert_string_equal(buf, "42");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_decimals),
        cmocka_unit_test(test_exponents),
        cmocka_unit_test(test_half_even),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_scaled),
        cmocka_unit_test(test_money_and_currency),
        cmocka_unit_test(test_format),
    };
    return cmocka_run_group_tests_name("money", tests, NULL, NULL);
}
