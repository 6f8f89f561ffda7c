/*
 * test_metrics.c - Prometheus text format, the byte buffer under it, and the failing
 * components (health) reported through both.
 */
#include "unit.h"
#include "health.h"
#include "log.h"
#include "metrics.h"

#include <stdio.h>
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

/* ---- health: failing components ------------------------------------------------------------ */

static int64_t now_us;
static int lines;
static char last_line[512];

static int64_t fake_clock(void)
{
    return now_us;
}

static void sink(int level, const char *line, void *arg)
{
    (void)level;
    (void)arg;
    lines++;
    snprintf(last_line, sizeof last_line, "%s", line);
}

static void test_health(void **state)
{
    (void)state;
    struct health *h = health_new();
    struct buf b = {0};
    log_set_sink(sink, NULL);
    log_set_clock(fake_clock);
    now_us = 1000000000;
    lines = 0;
    assert_false(health_failing(h));
    health_json(h, &b);
    assert_int_equal(b.len, 0);

    health_fail(h, "campaign_sync", "sync_campaigns", "permission denied for view v");
    health_fail(h, "campaign_sync", "sync_campaigns", "permission denied for view v");
    assert_true(health_failing(h));
    assert_int_equal(health_failures(h, "campaign_sync"), 2);
    assert_int_equal(lines, 1); /* the repeat waits for the next back-off step */
    assert_non_null(strstr(last_line, "db: sync_campaigns failed component=campaign_sync "
                                      "failures=1 error=\"permission denied for view v\""));
    now_us += 11 * 1000000LL;
    health_fail(h, "campaign_sync", "sync_campaigns", "permission denied for view v");
    assert_int_equal(lines, 2);

    health_json(h, &b);
    assert_string_equal(b.data,
                        ",\"failing\":{\"campaign_sync\":\"permission denied for view v\"}");
    buf_reset(&b);
    health_metrics(h, &b);
    assert_non_null(
        strstr(b.data, "\nsocialroi_db_query_errors_total{component=\"campaign_sync\"} 3\n"));
    assert_non_null(
        strstr(b.data, "\nsocialroi_component_failing{component=\"campaign_sync\"} 1\n"));
    assert_non_null(strstr(b.data, "\nsocialroi_db_query_errors_total{component=\"claim\"} 0\n"));

    health_ok(h, "campaign_sync");
    assert_false(health_failing(h));
    assert_int_equal(health_failures(h, "campaign_sync"), 0);
    assert_int_equal(lines, 3);
    assert_non_null(strstr(last_line, "db: campaign_sync works again"));
    health_ok(h, "campaign_sync"); /* no news, no line */
    assert_int_equal(lines, 3);
    buf_reset(&b);
    health_metrics(h, &b);
    assert_non_null(
        strstr(b.data, "\nsocialroi_db_query_errors_total{component=\"campaign_sync\"} 3\n"));
    assert_non_null(
        strstr(b.data, "\nsocialroi_component_failing{component=\"campaign_sync\"} 0\n"));
    health_flush(h); /* no database attached: nothing to do */

    /* secrets and line breaks never reach the log or /healthz */
    health_fail(h, "ingest", "ingest_page", "bad\nvalue access_token=abc123");
    buf_reset(&b);
    health_json(h, &b);
    assert_null(strstr(b.data, "abc123"));
    assert_null(strstr(b.data, "\n"));
    assert_null(strstr(last_line, "abc123"));

    log_set_sink(NULL, NULL);
    log_set_clock(NULL);
    buf_free(&b);
    health_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_family_and_labels),
        cmocka_unit_test(test_process_metrics),
        cmocka_unit_test(test_buf_cap),
        cmocka_unit_test(test_health),
    };
    return cmocka_run_group_tests_name("metrics", tests, NULL, NULL);
}
