/*
 * test_cursor.c - job progress: windows with lookback and backfill, pages, JSON round trips.
 */
#include "unit.h"
#include "cursor.h"
#include "timeutil.h"

#include <stdlib.h>
#include <string.h>

#define DAY_MS (86400LL * 1000)

static int32_t d(const char *s)
{
    int32_t v;
    assert_int_equal(time_parse_date(s, &v), 0);
    return v;
}

static void test_first_run_backfills(void **state)
{
    (void)state;
    struct job_cursor c;
    cursor_init(&c);
    cursor_plan(&c, d("2026-11-22"), 1000, 28 * DAY_MS, 30 * DAY_MS);
    assert_true(c.in_run);
    assert_int_equal(c.from, d("2026-10-23"));
    assert_int_equal(c.to, d("2026-11-22"));
    assert_int_equal(c.since, 1000 - 30 * DAY_MS * 1000);
    assert_null(c.page);
    cursor_free(&c);
}

static void test_later_runs_repoll_lookback(void **state)
{
    (void)state;
    struct job_cursor c;
    cursor_init(&c);
    cursor_plan(&c, d("2026-11-20"), 5000, 28 * DAY_MS, 30 * DAY_MS);
    cursor_finish(&c);
    assert_false(c.in_run);
    assert_int_equal(c.done_through, d("2026-11-20"));
    assert_int_equal(c.watermark, 5000);
    /* two days later: restated days are fetched again, 28 back */
    cursor_plan(&c, d("2026-11-22"), 9000, 28 * DAY_MS, 30 * DAY_MS);
    assert_int_equal(c.from, d("2026-10-25"));
    assert_int_equal(c.since, 5000 - 28 * DAY_MS * 1000);
    cursor_free(&c);
    /* a short lookback still covers the days since the last run */
    cursor_init(&c);
    c.done_through = d("2026-11-10");
    cursor_plan(&c, d("2026-11-22"), 1, 3 * DAY_MS, 30 * DAY_MS);
    assert_int_equal(c.from, d("2026-11-11"));
    cursor_free(&c);
    /* after an outage longer than the backfill, no further back than a first run */
    cursor_init(&c);
    c.done_through = d("2025-01-01");
    cursor_plan(&c, d("2026-11-22"), 1, 3 * DAY_MS, 30 * DAY_MS);
    assert_int_equal(c.from, d("2026-10-23"));
    cursor_free(&c);
}

static void test_run_under_way_is_kept(void **state)
{
    (void)state;
    struct job_cursor c;
    cursor_init(&c);
    cursor_plan(&c, d("2026-11-20"), 5, DAY_MS, DAY_MS);
    cursor_next_page(&c, "AbC\"\\");
    cursor_plan(&c, d("2026-11-22"), 6, DAY_MS, DAY_MS); /* a restart mid-run changes nothing */
    assert_int_equal(c.to, d("2026-11-20"));
    assert_string_equal(c.page, "AbC\"\\");
    char *json = cursor_format(&c);
    struct job_cursor back;
    assert_int_equal(cursor_parse(json, &back), 0);
    assert_true(back.in_run);
    assert_int_equal(back.from, c.from);
    assert_int_equal(back.to, c.to);
    assert_int_equal(back.since, c.since);
    assert_int_equal(back.run_started, 5);
    assert_string_equal(back.page, "AbC\"\\");
    free(json);
    cursor_free(&back);
    cursor_free(&c);
}

/* Pages that report modification times move the watermark to the latest of them, whatever the
 * local clock says; a run that saw nothing keeps it; the report survives a restart mid-run. */
static void test_watermark_from_data(void **state)
{
    (void)state;
    struct job_cursor c, back;
    cursor_init(&c);
    c.watermark = 7000;
    cursor_plan(&c, d("2026-11-22"), 90000, DAY_MS, DAY_MS);
    cursor_saw(&c, 8000);
    cursor_saw(&c, 0);
    char *json = cursor_format(&c);
    assert_int_equal(cursor_parse(json, &back), 0);
    free(json);
    cursor_saw(&back, 8500);
    cursor_saw(&back, 8100);
    cursor_finish(&back);
    assert_int_equal(back.watermark, 8500);
    assert_false(back.by_data);
    /* a run whose pages saw no record: the watermark stays */
    cursor_plan(&back, d("2026-11-23"), 99000, DAY_MS, DAY_MS);
    cursor_saw(&back, 0);
    cursor_finish(&back);
    assert_int_equal(back.watermark, 8500);
    /* a stream that reports nothing keeps the run's start */
    cursor_plan(&back, d("2026-11-24"), 99500, DAY_MS, DAY_MS);
    cursor_finish(&back);
    assert_int_equal(back.watermark, 99500);
    cursor_free(&back);
    cursor_free(&c);
}

static void test_garbage(void **state)
{
    (void)state;
    struct job_cursor c;
    assert_int_equal(cursor_parse(NULL, &c), 0);
    assert_false(c.in_run);
    assert_int_equal(cursor_parse("", &c), 0);
    assert_int_equal(cursor_parse("{\"from\":\"2026-02-30\"}", &c), -1);
    assert_false(c.in_run);
    assert_int_equal(cursor_parse("[1,2]", &c), -1);
    assert_int_equal(cursor_parse("{\"page\":5}", &c), -1);
    assert_int_equal(cursor_parse("not json", &c), -1);
    cursor_free(&c);
}

/* A requested range runs once, as asked, and leaves done_through and the watermark alone. */
static void test_backfill_runs_once(void **state)
{
    (void)state;
    struct job_cursor c;
    assert_int_equal(cursor_parse("{\"in_run\":false,\"done_through\":\"2026-11-20\","
                                  "\"watermark\":5000,\"backfill\":{\"from\":\"2026-08-01\","
                                  "\"to\":\"2026-08-31\"}}",
                                  &c),
                     0);
    assert_true(c.bf_pending);
    cursor_plan(&c, d("2026-11-22"), 9000, 28 * DAY_MS, 30 * DAY_MS);
    assert_true(c.in_run);
    assert_true(c.backfilling);
    assert_false(c.bf_pending);
    assert_int_equal(c.from, d("2026-08-01"));
    assert_int_equal(c.to, d("2026-08-31"));
    assert_int_equal(c.since, (int64_t)d("2026-08-01") * DAY_MS * 1000);
    char *json = cursor_format(&c);
    assert_non_null(strstr(json, "\"backfilling\":true"));
    assert_null(strstr(json, "\"backfill\":"));
    free(json);
    cursor_finish(&c);
    assert_false(c.in_run);
    assert_false(c.backfilling);
    assert_int_equal(c.done_through, d("2026-11-20"));
    assert_int_equal(c.watermark, 9000);
    assert_true(c.bf_done);
    assert_int_equal(c.bf_done_from, d("2026-08-01"));
    /* the next run is an ordinary one */
    cursor_plan(&c, d("2026-11-22"), 9500, 28 * DAY_MS, 30 * DAY_MS);
    assert_false(c.backfilling);
    assert_int_equal(c.from, d("2026-10-25"));
    json = cursor_format(&c);
    assert_non_null(
        strstr(json, "\"last_backfill\":{\"from\":\"2026-08-01\",\"to\":\"2026-08-31\"}"));
    free(json);
    cursor_free(&c);
}

/* A request waits for the run under way; a crash mid-range resumes at the saved page. */
static void test_backfill_waits_and_resumes(void **state)
{
    (void)state;
    struct job_cursor c, r;
    cursor_init(&c);
    cursor_plan(&c, d("2026-11-22"), 1000, 28 * DAY_MS, 30 * DAY_MS);
    c.bf_pending = true;
    c.bf_from = d("2026-09-01");
    c.bf_to = d("2026-09-10");
    cursor_plan(&c, d("2026-11-22"), 2000, 28 * DAY_MS, 30 * DAY_MS);
    assert_false(c.backfilling);
    cursor_finish(&c);
    assert_true(c.bf_pending);
    cursor_plan(&c, d("2026-11-22"), 3000, 28 * DAY_MS, 30 * DAY_MS);
    assert_true(c.backfilling);
    cursor_next_page(&c, "p2");
    char *json = cursor_format(&c);
    assert_int_equal(cursor_parse(json, &r), 0);
    free(json);
    cursor_plan(&r, d("2026-11-23"), 4000, 28 * DAY_MS, 30 * DAY_MS);
    assert_true(r.backfilling);
    assert_string_equal(r.page, "p2");
    assert_int_equal(r.from, d("2026-09-01"));
    assert_int_equal(r.run_started, 3000);
    /* a run given up (its page refused) asks for the same range again */
    r.in_run = false;
    json = cursor_format(&r);
    assert_non_null(strstr(json, "\"backfill\":{\"from\":\"2026-09-01\",\"to\":\"2026-09-10\"}"));
    free(json);
    cursor_free(&c);
    cursor_free(&r);
    assert_int_equal(cursor_parse("{\"backfill\":{\"from\":\"2026-09-01\"}}", &c), -1);
}

/* Metrics the platform refused are kept once each, across runs and restarts. */
static void test_retired_metrics(void **state)
{
    (void)state;
    struct job_cursor c, back;
    cursor_init(&c);
    cursor_plan(&c, d("2026-11-20"), 5, DAY_MS, DAY_MS);
    cursor_retire(&c, "page_media_view");
    cursor_retire(&c, "page_media_view");
    cursor_retire(&c, "page_media");
    assert_string_equal(c.retired, "page_media_view,page_media");
    cursor_finish(&c); /* the run ends: the metrics stay retired */
    cursor_plan(&c, d("2026-11-21"), 6, DAY_MS, DAY_MS);
    char *json = cursor_format(&c);
    assert_non_null(strstr(json, "\"retired\":\"page_media_view,page_media\""));
    assert_int_equal(cursor_parse(json, &back), 0);
    assert_string_equal(back.retired, "page_media_view,page_media");
    free(json);
    cursor_free(&back);
    cursor_free(&c);
    assert_int_equal(cursor_parse("{\"in_run\":false}", &c), 0);
    assert_null(c.retired);
    assert_int_equal(cursor_parse("{\"retired\":3}", &c), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_first_run_backfills),
        cmocka_unit_test(test_later_runs_repoll_lookback),
        cmocka_unit_test(test_run_under_way_is_kept),
        cmocka_unit_test(test_watermark_from_data),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_backfill_runs_once),
        cmocka_unit_test(test_backfill_waits_and_resumes),
        cmocka_unit_test(test_retired_metrics),
    };
    return cmocka_run_group_tests_name("cursor", tests, NULL, NULL);
}
