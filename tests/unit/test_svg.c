/*
 * test_svg.c - the SVG/HTML writer: escaping of user text, nice tick steps and axes, the marks
 * and labels of a bar chart (grouped, stacked, log, negative), a line chart with a gap, and a
 * table.
 */
#include "unit.h"
#include "svg.h"

#include <math.h>
#include <string.h>

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_escape(void **state)
{
    (void)state;
    struct buf b = {0};
    svg_escape(&b, "<script>alert('x')</script> & \"co\"\x01\x7f");
    assert_string_equal(b.data, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
                                "&quot;co&quot;\x7f");
    buf_reset(&b);
    svg_escape(&b, NULL);
    svg_escape(&b, "caf\xC3\xA9");
    assert_string_equal(b.data, "caf\xC3\xA9");
    buf_free(&b);
}

static void test_nice_step(void **state)
{
    (void)state;
    assert_true(svg_nice_step(100, 5) == 20);
    assert_true(svg_nice_step(100, 10) == 10);
    assert_true(svg_nice_step(7, 6) == 2);
    assert_true(svg_nice_step(1234567, 6) == 500000);
    assert_true(fabs(svg_nice_step(0.3, 6) - 0.05) < 1e-12);
    assert_true(svg_nice_step(0, 6) == 1);
    assert_true(svg_nice_step(NAN, 6) == 1);
}

static void test_axis(void **state)
{
    (void)state;
    struct svg_axis a;
    svg_axis_fit(&a, 12, 97, 5, false); /* a positive range still starts at 0 */
    assert_true(a.lo == 0 && a.hi == 100 && a.step == 20);
    svg_axis_fit(&a, -35, 80, 6, false);
    assert_true(a.lo == -40 && a.hi == 80 && a.step == 20);
    svg_axis_fit(&a, 5, 5, 6, false);
    assert_true(a.lo == 0 && a.hi == 5 && a.step == 1);
    svg_axis_fit(&a, INFINITY, -INFINITY, 6, false); /* nothing: 0..1 */
    assert_true(a.lo == 0 && a.hi == 1);
    svg_axis_fit(&a, 3, 45000, 6, true);
    assert_true(a.lo == 1 && a.hi == 100000 && a.log);
    svg_axis_fit(&a, INFINITY, -INFINITY, 6, true); /* nothing on a log scale: 1..10 */
    assert_true(a.lo == 1 && a.hi == 10);
    char t[32];
    svg_tick_label(1500000, t, sizeof t);
    assert_string_equal(t, "1.5M");
    svg_tick_label(-40, t, sizeof t);
    assert_string_equal(t, "-40");
    svg_tick_label(0, t, sizeof t);
    assert_string_equal(t, "0");
    svg_tick_label(250000, t, sizeof t);
    assert_string_equal(t, "250k");
}

static void test_bars(void **state)
{
    (void)state;
    const char *groups[] = {"Spring <sale> & more", "Autumn"};
    const char *series[] = {"Spend", "Revenue"};
    const double values[] = {1200.5, 3400, NAN, 0};
    const char *labels[] = {"1200.50 USD", "3400.00 USD", "-", "0.00 USD"};
    struct svg_bars c = {.id = "spend",
                         .title = "Spend & revenue",
                         .x_label = "USD",
                         .y_label = "Campaign",
                         .ngroups = 2,
                         .nseries = 2,
                         .groups = groups,
                         .series = series,
                         .values = values,
                         .labels = labels};
    struct buf b = {0};
    assert_int_equal(svg_bar_chart(&b, &c), 3); /* NAN draws nothing, 0 a zero-width bar */
    assert_int_equal(count(b.data, "class=\"mark\""), 3);
    assert_int_equal(count(b.data, "<rect class=\"mark\""), 3);
    assert_int_equal(count(b.data, "<svg "), 1);
    assert_int_equal(count(b.data, "</svg>"), 1);
    assert_non_null(strstr(b.data, "id=\"spend-svg\""));
    assert_non_null(strstr(b.data, "<title id=\"spend-t\">Spend &amp; revenue</title>"));
    assert_non_null(strstr(b.data, "Spring &lt;sale&gt; &amp; more, Revenue: 3400.00 USD"));
    assert_null(strstr(b.data, "<sale>"));
    assert_int_equal(count(b.data, ">1200.50 USD</text>"), 1); /* the exact label, as given */
    assert_null(strstr(b.data, "http"));                       /* nothing off the page */
    /* 0..4000 in steps of 1000 over 570 units: the 3400 bar is 570 * 3400 / 4000 wide */
    assert_non_null(strstr(b.data, "width=\"484.5\""));
    assert_non_null(strstr(b.data, ">4k</text>"));
    buf_reset(&b);
    c.stacked = true; /* one bar per group, its segments: 2 + 0 (NAN, 0 skipped) */
    assert_int_equal(svg_bar_chart(&b, &c), 2);
    buf_reset(&b);
    const double neg[] = {-50, 150, 20, 30};
    c.stacked = false;
    c.values = neg;
    assert_int_equal(svg_bar_chart(&b, &c), 4);
    assert_non_null(strstr(b.data, ">-50</text>")); /* the axis reaches below zero */
    buf_reset(&b);
    const double logv[] = {1000000, 12, 0, 3};
    c.values = logv;
    c.log = true;
    assert_int_equal(svg_bar_chart(&b, &c), 3); /* 0 has no place on a log scale */
    assert_non_null(strstr(b.data, ">1M</text>"));
    buf_reset(&b);
    c.ngroups = 0;
    assert_int_equal(svg_bar_chart(&b, &c), 0);
    buf_free(&b);
}

/* A waterfall: floating bars from 100 down by 30 and 50 to 20; each step from where the last
 * ended, the axis over the whole walk. */
static void test_waterfall(void **state)
{
    (void)state;
    const char *groups[] = {"Platform", "Cause A", "Cause B", "CRM"};
    const char *series[] = {"Leads"};
    const double values[] = {100, -30, -50, 20}, starts[] = {0, 100, 70, 0};
    const char *labels[] = {"100", "-30", "-50", "20"};
    struct svg_bars c = {.id = "walk",
                         .title = "Bridge",
                         .x_label = "leads",
                         .y_label = "Step",
                         .ngroups = 4,
                         .nseries = 1,
                         .groups = groups,
                         .series = series,
                         .values = values,
                         .labels = labels,
                         .starts = starts};
    struct buf b = {0};
    assert_int_equal(svg_bar_chart(&b, &c), 4);
    /* 0..100 over 570 units from x 240: Cause A spans 70..100, i.e. x 639 to 810 */
    assert_non_null(strstr(b.data, "x=\"639.0\" y="));
    assert_non_null(strstr(b.data, "width=\"171.0\""));
    /* Cause B spans 20..70: x 354 to 639 */
    assert_non_null(strstr(b.data, "x=\"354.0\" y="));
    assert_non_null(strstr(b.data, "Cause B, Leads: -50"));
    buf_free(&b);
}

static void test_long_label(void **state)
{
    (void)state;
    const char *groups[] = {"\xC3\xA9t\xC3\xA9 campaign with a very long name indeed, longer"};
    const char *series[] = {"A"};
    const double values[] = {1};
    const char *labels[] = {"1"};
    struct svg_bars c = {.id = "x",
                         .title = "t",
                         .x_label = "",
                         .y_label = "",
                         .ngroups = 1,
                         .nseries = 1,
                         .groups = groups,
                         .series = series,
                         .values = values,
                         .labels = labels};
    struct buf b = {0};
    svg_bar_chart(&b, &c);
    /* cut at 30 characters (not bytes), with the whole name in the tooltip */
    assert_non_null(strstr(b.data, ">\xC3\xA9t\xC3\xA9 campaign with a very long \xE2\x80\xA6<"));
    assert_non_null(strstr(b.data, "<title>\xC3\xA9t\xC3\xA9 campaign with a very long name"));
    buf_free(&b);
}

static void test_lines(void **state)
{
    (void)state;
    const char *x[] = {"2026-11-01", "2026-11-02", "2026-11-03"};
    const char *series[] = {"x", "facebook"};
    const double values[] = {10, NAN, 30, 5, 6, 7};
    const char *labels[] = {"10", "-", "30", "5", "6", "7"};
    struct svg_lines c = {.id = "trend",
                          .title = "Impressions",
                          .x_label = "day",
                          .y_label = "impressions",
                          .nx = 3,
                          .nseries = 2,
                          .x = x,
                          .series = series,
                          .values = values,
                          .labels = labels};
    struct buf b = {0};
    assert_int_equal(svg_line_chart(&b, &c), 5);
    assert_int_equal(count(b.data, "<circle class=\"mark\""), 5);
    assert_int_equal(count(b.data, "<polyline "), 3); /* x is broken by its gap */
    assert_non_null(strstr(b.data, "<title>x, 2026-11-03: 30</title>"));
    buf_free(&b);
}

static void test_table(void **state)
{
    (void)state;
    const char *head[] = {"Campaign", "Revenue"};
    const char *cells[] = {"<b>&", "12.50 USD"};
    struct buf b = {0};
    svg_table(&b, "Revenue", 2, head, 1, cells);
    assert_non_null(strstr(b.data, "<th scope=\"row\">&lt;b&gt;&amp;</th>"
                                   "<td class=\"num\">12.50 USD</td>"));
    assert_int_equal(count(b.data, "<tr>"), 2);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape),    cmocka_unit_test(test_nice_step),
        cmocka_unit_test(test_axis),      cmocka_unit_test(test_bars),
        cmocka_unit_test(test_waterfall), cmocka_unit_test(test_long_label),
        cmocka_unit_test(test_lines),     cmocka_unit_test(test_table),
    };
    return cmocka_run_group_tests_name("svg", tests, NULL, NULL);
}
