/*
 * test_metrics.c - Prometheus text format and the byte buffer under it.
 */
#include "unit.h"
#include "metrics.h"

#include <stdlib.h>
#include <string.h>

static void test_family_and_labels(void **state)
{
    (void)state;
    struct buf b = {0};
    metrics_family(&b, "socialroi_x_total", "counter", "Things.");
    metrics_u64(&b, "socialroi_x_total", 18446744073709551615ULL, NULL);
    metrics_u64(&b, "socialroi_x_total", 7, "platform", "x", "account", "a\"b\\c\nd", NULL);
    metrics_i64(&b, "socialroi_g", -3, NULL);
    assert_string_equal(b.data, "# HELP socialroi_x_total Things.\n"
                                "# TYPE socialroi_x_total counter\n"
                                "socialroi_x_total 18446744073709551615\n"
                                "socialroi_x_total{platform=\"x\",account=\"a\\\"b\\\\c\\nd\"} 7\n"
                                "socialroi_g -3\n");
    buf_free(&b);
}

static void test_process_metrics(void **state)
{
    (void)state;
    struct buf b = {0};
    metrics_process(&b, 1700000000.0);
    assert_non_null(strstr(b.data, "process_resident_memory_bytes "));
    assert_non_null(strstr(b.data, "process_open_fds "));
    assert_non_null(strstr(b.data, "process_start_time_seconds 1700000000.000000"));
    buf_free(&b);
}

static void test_buf_cap(void **state)
{
    (void)state;
    struct buf b = {.max = 8};
    assert_int_equal(buf_puts(&b, "12345"), 0);
    assert_int_equal(buf_puts(&b, "6789"), -1); /* would exceed: nothing appended */
    assert_int_equal(b.len, 5);
    assert_int_equal(buf_puts(&b, "678"), 0);
    assert_string_equal(b.data, "12345678");
    size_t n;
    char *s = buf_steal(&b, &n);
    assert_int_equal(n, 8);
    assert_null(b.data);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family_and_labels),
        cmocka_unit_test(test_process_metrics),
        cmocka_unit_test(test_buf_cap),
    };
    return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
