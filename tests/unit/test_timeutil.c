/*
 * test_timeutil.c - calendar dates and durations.
 */
#include "unit.h"
#include "timeutil.h"

static void test_dates(void **state)
{
    (void)state;
    int32_t d;
    char buf[16];
    assert_int_equal(time_parse_date("1970-01-01", &d), 0);
    assert_int_equal(d, 0);
    assert_int_equal(time_parse_date("2024-02-29", &d), 0);
    time_format_date(d, buf, sizeof buf);
    assert_string_equal(buf, "2024-02-29");
    assert_int_equal(time_parse_date("2000-03-01", &d), 0);
    assert_int_equal(d, 11017);
    assert_int_equal(time_parse_date("1969-12-31", &d), 0);
    assert_int_equal(d, -1);
    assert_int_equal(time_parse_date("2023-02-29", &d), -1);
    assert_int_equal(time_parse_date("2026-13-01", &d), -1);
    assert_int_equal(time_parse_date("2026-04-31", &d), -1);
    assert_int_equal(time_parse_date("2026-1-01", &d), -1);
    assert_int_equal(time_parse_date("2026-01-01T00", &d), -1);
    assert_int_equal(time_parse_date("", &d), -1);
}

static void test_utc_timestamps(void **state)
{
    (void)state;
    int64_t us;
    assert_int_equal(time_parse_utc("1970-01-01T00:00:00Z", &us), 0);
    assert_true(us == 0);
    assert_int_equal(time_parse_utc("2026-06-15T12:30:05Z", &us), 0);
    assert_true(us == 1781526605LL * 1000000); /* date -u -d 2026-06-15T12:30:05Z +%s */
    assert_int_equal(time_parse_utc("2026-06-15T24:00:00Z", &us), -1);
    assert_int_equal(time_parse_utc("2026-06-15T12:60:00Z", &us), -1);
    assert_int_equal(time_parse_utc("2026-02-30T00:00:00Z", &us), -1);
    assert_int_equal(time_parse_utc("2026-06-15 12:30:05Z", &us), -1);
    assert_int_equal(time_parse_utc("2026-06-15T12:30:05", &us), -1);
    assert_int_equal(time_parse_utc("2026-06-15T12:30:05+00:00", &us), -1);
    assert_int_equal(time_parse_utc("2026-06-15", &us), -1);
}

static void test_date_roundtrip(void **state)
{
    (void)state;
    char buf[16];
    for (int32_t z = -800000; z < 800000; z += 997) {
        int32_t back;
        time_format_date(z, buf, sizeof buf);
        if (buf[0] == '-')
            continue;
        assert_int_equal(time_parse_date(buf, &back), 0);
        assert_int_equal(back, z);
    }
}

static void test_durations(void **state)
{
    (void)state;
    int64_t ms;
    assert_int_equal(time_parse_duration("15m", &ms), 0);
    assert_int_equal(ms, 900000);
    assert_int_equal(time_parse_duration("1h30m", &ms), 0);
    assert_int_equal(ms, 5400000);
    assert_int_equal(time_parse_duration("30d", &ms), 0);
    assert_int_equal(ms, 30LL * 86400000);
    assert_int_equal(time_parse_duration("500ms", &ms), 0);
    assert_int_equal(ms, 500);
    assert_int_equal(time_parse_duration("2w", &ms), 0);
    assert_int_equal(ms, 14LL * 86400000);
    assert_int_equal(time_parse_duration("0s", &ms), 0);
    assert_int_equal(ms, 0);
    assert_int_equal(time_parse_duration("15", &ms), -1);
    assert_int_equal(time_parse_duration("15 min", &ms), -1);
    assert_int_equal(time_parse_duration("m", &ms), -1);
    assert_int_equal(time_parse_duration("", &ms), -1);
    assert_int_equal(time_parse_duration("-5s", &ms), -1);
    assert_int_equal(time_parse_duration("1y", &ms), -1);
    assert_int_equal(time_parse_duration("99999999999999d", &ms), -1);
}

static void test_format_duration(void **state)
{
    (void)state;
    char buf[32];
    time_format_duration(5400000, buf, sizeof buf);
    assert_string_equal(buf, "1h30m");
    time_format_duration(90061001, buf, sizeof buf);
    assert_string_equal(buf, "1d1h1m1s1ms");
    time_format_duration(0, buf, sizeof buf);
    assert_string_equal(buf, "0s");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),           cmocka_unit_test(test_utc_timestamps),
        cmocka_unit_test(test_date_roundtrip),  cmocka_unit_test(test_durations),
        cmocka_unit_test(test_format_duration),
    };
    return cmocka_run_group_tests_name("timeutil", tests, NULL, NULL);
}
