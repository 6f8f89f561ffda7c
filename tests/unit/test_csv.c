/*
 * test_csv.c - RFC 4180 records (quotes, doubled quotes, CRLF, line breaks in quotes, a
 * trailing empty field) and the ECB's two date spellings.
 */
#include "unit.h"
#include "csv.h"
#include "fxcsv.h"
#include "timeutil.h"

#include <string.h>

static void test_records(void **state)
{
    (void)state;
    const char *t = "a,\"b, c\",\"say \"\"hi\"\"\"\r\n"
                    "\"two\nlines\",x,\r\n"
                    "last";
    size_t pos = 0, line = 1, len = strlen(t);
    struct csv_record r = {0};
    char err[128];
    assert_int_equal(csv_next(t, len, &pos, &line, &r, err, sizeof err), 1);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.fields[1], "b, c");
    assert_string_equal(r.fields[2], "say \"hi\"");
    assert_int_equal(csv_next(t, len, &pos, &line, &r, err, sizeof err), 1);
    assert_int_equal(r.line, 2);
    assert_int_equal(r.n, 3);
    assert_string_equal(r.fields[0], "two\nlines");
    assert_string_equal(r.fields[2], "");
    assert_int_equal(csv_next(t, len, &pos, &line, &r, err, sizeof err), 1);
    assert_int_equal(r.line, 4);
    assert_string_equal(r.fields[0], "last");
    assert_int_equal(csv_next(t, len, &pos, &line, &r, err, sizeof err), 0);
    csv_record_free(&r);
}

static void test_malformed(void **state)
{
    (void)state;
    struct csv_record r = {0};
    char err[128];
    size_t pos = 0, line = 1;
    const char *t = "a,\"never closed\n";
    assert_int_equal(csv_next(t, strlen(t), &pos, &line, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "never closed"));
    pos = 0;
    t = "\"a\"b,c\n";
    assert_int_equal(csv_next(t, strlen(t), &pos, &line, &r, err, sizeof err), -1);
    /* spaces around a quoted field, as hand-edited files have */
    pos = 0;
    t = "x, \"y, z\" ,w";
    assert_int_equal(csv_next(t, strlen(t), &pos, &line, &r, err, sizeof err), 1);
    assert_string_equal(r.fields[1], "y, z");
    assert_string_equal(r.fields[2], "w");
    csv_record_free(&r);
}

static void test_ecb_days(void **state)
{
    (void)state;
    int32_t a, b;
    assert_int_equal(time_parse_date("2026-12-04", &a), 0);
    assert_int_equal(fxcsv_parse_day("04 December 2026", &b), 0);
    assert_int_equal(a, b);
    assert_int_equal(fxcsv_parse_day("4 Dec 2026", &b), 0);
    assert_int_equal(a, b);
    assert_int_equal(fxcsv_parse_day("2026-12-04", &b), 0);
    assert_int_equal(fxcsv_parse_day("31 February 2026", &b), -1);
    assert_int_equal(fxcsv_parse_day("04 Decembre 2026", &b), -1);
    assert_int_equal(fxcsv_parse_day("04 December 2026x", &b), -1);
    assert_int_equal(fxcsv_parse_day("Ma 2026", &b), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_ecb_days),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
