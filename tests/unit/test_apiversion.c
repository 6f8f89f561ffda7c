/*
 * test_apiversion.c - the table of platform API versions, the sunset arithmetic and the
 * configuration check's messages.
 */
#include "unit.h"
#include "apiversion.h"
#include "config.h"
#include "timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int32_t day(int y, unsigned m, unsigned d)
{
    return time_days_from_civil(y, m, d);
}

static int32_t date(const char *s)
{
    int32_t d;
    assert_int_equal(time_parse_date(s, &d), 0);
    return d;
}

/* Every row: a family, dates that parse, released before its sunset, oldest first per family,
 * a source; every default is a row; no version twice in a family. */
static void test_table(void **state)
{
    (void)state;
    int32_t last[API_FAMILY_COUNT];
    for (int f = 0; f < API_FAMILY_COUNT; f++)
        last[f] = INT32_MIN;
    size_t n = 0;
    for (const struct api_version *v; (v = apiver_at(n)); n++) {
        assert_true((int)v->family >= 0 && v->family < API_FAMILY_COUNT);
        assert_true(v->version && *v->version);
        assert_true(strncmp(v->source, "https://", 8) == 0);
        assert_ptr_equal(apiver_find(v->family, v->version), v);
        int32_t rel = v->released ? date(v->released) : INT32_MIN;
        if (v->released) {
            assert_true(rel >= last[v->family]);
            last[v->family] = rel;
        }
        if (v->sunset)
            assert_true(date(v->sunset) > rel);
    }
    assert_true(n >= 10);
    for (int f = 0; f < API_FAMILY_COUNT; f++)
        assert_non_null(apiver_find((enum api_family)f, apiver_default((enum api_family)f)));
    assert_null(apiver_find(API_META_GRAPH, "v99.0"));
    assert_null(apiver_find(API_LINKEDIN, NULL));
    /* the platforms' published dates, as the checks below rely on them */
    assert_string_equal(apiver_find(API_META_MARKETING, "v24.0")->sunset, "2026-11-10");
    assert_string_equal(apiver_find(API_META_MARKETING, "v25.0")->sunset, "2027-02-23");
    assert_string_equal(apiver_find(API_META_GRAPH, "v24.0")->sunset, "2028-02-18");
    assert_string_equal(apiver_find(API_LINKEDIN, "202510")->sunset, "2026-10-15");
    assert_string_equal(apiver_family_name(API_META_MARKETING), "meta-marketing");
}

/* The README's table has exactly the rows of the C table. */
static void test_readme_table(void **state)
{
    (void)state;
    char *readme = unit_read_file("README.md", NULL);
    assert_non_null(readme);
    size_t n = 0;
    char row[256];
    for (const struct api_version *v; (v = apiver_at(n)); n++) {
        snprintf(row, sizeof row, "| `%s` | `%s` | %s | %s | [", apiver_family_name(v->family),
                 v->version, v->released ? v->released : "-",
                 v->sunset ? v->sunset : "not announced");
        if (!strstr(readme, row))
            fail_msg("README.md has no row %s", row);
    }
    size_t rows = 0;
    for (const char *p = readme; (p = strstr(p, "\n| `")); p++)
        for (int f = 0; f < API_FAMILY_COUNT; f++) {
            char head[32];
            snprintf(head, sizeof head, "\n| `%s` | `", apiver_family_name((enum api_family)f));
            if (strncmp(p, head, strlen(head)) == 0)
                rows++;
        }
    assert_int_equal(rows, n);
    free(readme);
}

/* 31 days before the sunset is fine, 30 a warning, the sunset day and after retired. */
static void test_sunset_days(void **state)
{
    (void)state;
    int32_t sunset = date("2027-02-23"), s, left; /* Marketing v25.0 */
    static const struct {
        int32_t before;
        enum apiver_state want;
    } cases[] = {
        {31, APIVER_OK},     {30, APIVER_SOON},    {1, APIVER_SOON},
        {0, APIVER_RETIRED}, {-1, APIVER_RETIRED}, {400, APIVER_OK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int32_t today = sunset - cases[i].before;
        assert_int_equal(apiver_check(API_META_MARKETING, "v25.0", INT32_MIN, today, &s, &left),
                         cases[i].want);
        assert_int_equal(s, sunset);
        assert_int_equal(left, cases[i].before);
    }
    /* no sunset announced: fine whatever the day */
    assert_int_equal(
        apiver_check(API_META_MARKETING, "v26.0", INT32_MIN, day(2030, 1, 1), &s, &left),
        APIVER_OK);
    assert_int_equal(s, INT32_MIN);
    /* the same number, another family, another life */
    assert_int_equal(apiver_check(API_META_GRAPH, "v24.0", INT32_MIN, day(2026, 12, 7), &s, &left),
                     APIVER_OK);
    assert_int_equal(
        apiver_check(API_META_MARKETING, "v24.0", INT32_MIN, day(2026, 12, 7), &s, &left),
        APIVER_RETIRED);
    assert_int_equal(left, -27);
}

/* An unknown version is a note; a configured sunset makes it (or any version) checked. */
static void test_unknown_and_override(void **state)
{
    (void)state;
    int32_t s, left, today = day(2026, 12, 7);
    assert_int_equal(apiver_check(API_LINKEDIN, "202699", INT32_MIN, today, &s, &left),
                     APIVER_UNKNOWN);
    assert_int_equal(apiver_check(API_LINKEDIN, "202699", today + 31, today, &s, &left), APIVER_OK);
    assert_int_equal(apiver_check(API_LINKEDIN, "202699", today + 30, today, &s, &left),
                     APIVER_SOON);
    assert_int_equal(apiver_check(API_LINKEDIN, "202699", today, today, &s, &left), APIVER_RETIRED);
    /* an override wins over the table, both ways */
    assert_int_equal(apiver_check(API_LINKEDIN, "202510", today + 100, today, &s, &left),
                     APIVER_OK);
    assert_int_equal(apiver_check(API_META_GRAPH, "v24.0", today - 1, today, &s, &left),
                     APIVER_RETIRED);
    assert_int_equal(s, today - 1);
}

static void test_suggest(void **state)
{
    (void)state;
    /* the default while it is fine */
    assert_string_equal(apiver_suggest(API_META_MARKETING, day(2026, 12, 7)), "v26.0");
    assert_string_equal(apiver_suggest(API_LINKEDIN, day(2026, 12, 7)), "202610");
    assert_string_equal(apiver_suggest(API_META_GRAPH, day(2026, 12, 7)), "v24.0");
    /* a default near its sunset gives way to the newest fine version */
    assert_string_equal(apiver_suggest(API_META_GRAPH, day(2028, 2, 1)), "v26.0");
    /* before anything in the table was released: the default */
    assert_string_equal(apiver_suggest(API_LINKEDIN, day(2020, 1, 1)), "202610");
}

static void test_stream_family(void **state)
{
    (void)state;
    enum api_family f;
    assert_true(apiver_stream_family("facebook.ads_insights", &f));
    assert_int_equal(f, API_META_MARKETING);
    assert_true(apiver_stream_family("facebook.leads", &f));
    assert_int_equal(f, API_META_MARKETING);
    assert_true(apiver_stream_family("facebook.posts", &f));
    assert_int_equal(f, API_META_GRAPH);
    assert_true(apiver_stream_family("instagram.media", &f));
    assert_int_equal(f, API_META_GRAPH);
    assert_true(apiver_stream_family("linkedin.ad_analytics", &f));
    assert_int_equal(f, API_LINKEDIN);
    assert_true(apiver_stream_family("hubspot.deals", &f));
    assert_int_equal(f, API_HUBSPOT);
    assert_false(apiver_stream_family("x.tweets", &f));
    assert_string_equal(apiver_config_key(API_META_MARKETING), "ads_version");
    assert_null(apiver_config_key(API_HUBSPOT));

    char graph[] = "v24.0", ads[] = "v26.0", empty[] = "";
    struct cfg_platform p = {.version = graph, .ads_version = ads};
    assert_string_equal(apiver_for_stream(&p, "facebook.ads_insights"), "v26.0");
    assert_string_equal(apiver_for_stream(&p, "facebook.leads"), "v26.0");
    assert_string_equal(apiver_for_stream(&p, "facebook.page_insights"), "v24.0");
    p.ads_version = empty; /* not set: the one version */
    assert_string_equal(apiver_for_stream(&p, "facebook.ads_insights"), "v24.0");
}

struct notes {
    char text[4][512];
    enum apiver_state st[4];
    int n;
};

static void collect(void *arg, enum apiver_state st, const char *msg)
{
    struct notes *n = arg;
    assert_true(n->n < 4);
    snprintf(n->text[n->n], sizeof n->text[0], "%s", msg);
    n->st[n->n++] = st;
}

/* The configuration's versions: only platforms an enabled account polls, one line each. */
static void test_check_config(void **state)
{
    (void)state;
    static struct config cfg;
    static struct cfg_account accounts[3];
    char fb_graph[] = "v24.0", fb_ads[] = "v24.0", li[] = "202510", ig[] = "v31.0";
    memset(&cfg, 0, sizeof cfg);
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        cfg.platforms[i].version_sunset = CFG_UNSET_DATE;
        cfg.platforms[i].ads_version_sunset = CFG_UNSET_DATE;
    }
    cfg.platforms[PLATFORM_FACEBOOK].version = fb_graph;
    cfg.platforms[PLATFORM_FACEBOOK].ads_version = fb_ads;
    cfg.platforms[PLATFORM_LINKEDIN].version = li;
    cfg.platforms[PLATFORM_INSTAGRAM].version = ig;
    accounts[0] = (struct cfg_account){.platform_id = PLATFORM_FACEBOOK, .enabled = true};
    accounts[1] = (struct cfg_account){.platform_id = PLATFORM_LINKEDIN, .enabled = true};
    accounts[2] = (struct cfg_account){.platform_id = PLATFORM_INSTAGRAM, .enabled = false};
    cfg.accounts = accounts;
    cfg.naccounts = 3;

    struct notes n = {0};
    assert_int_equal(apiver_check_config(&cfg, day(2026, 12, 7), collect, &n), 2);
    assert_int_equal(n.n, 2); /* instagram's unknown v31.0 is not polled: not a word */
    assert_int_equal(n.st[0], APIVER_RETIRED);
    assert_string_equal(n.text[0], "[platform facebook] ads_version v24.0 (Marketing API) was "
                                   "retired on 2026-11-10: set ads_version = v26.0");
    assert_int_equal(n.st[1], APIVER_RETIRED);
    assert_string_equal(n.text[1], "[platform linkedin] version 202510 (LinkedIn-Version) was "
                                   "retired on 2026-10-15: set version = 202610");

    /* near the sunset; an unknown version of a polled platform is a note */
    char ads25[] = "v25.0", li26[] = "202610";
    cfg.platforms[PLATFORM_FACEBOOK].ads_version = ads25;
    cfg.platforms[PLATFORM_LINKEDIN].version = li26;
    accounts[2].enabled = true;
    memset(&n, 0, sizeof n);
    assert_int_equal(apiver_check_config(&cfg, day(2027, 1, 24), collect, &n), 1);
    assert_int_equal(n.n, 2);
    assert_int_equal(n.st[0], APIVER_SOON);
    assert_string_equal(n.text[0], "[platform facebook] ads_version v25.0 (Marketing API) is "
                                   "retired on 2027-02-23, in 30 days: set ads_version = v26.0");
    assert_int_equal(n.st[1], APIVER_UNKNOWN);
    assert_string_equal(n.text[1], "[platform instagram] version v31.0 is not in socialroi's table "
                                   "of meta-graph versions: its sunset is not checked (set "
                                   "version_sunset = YYYY-MM-DD to have it checked)");
    /* a day earlier: 31 days, nothing to say about facebook */
    memset(&n, 0, sizeof n);
    assert_int_equal(apiver_check_config(&cfg, day(2027, 1, 23), collect, &n), 0);
    assert_int_equal(n.n, 1);
    /* a configured sunset is the one checked */
    cfg.platforms[PLATFORM_INSTAGRAM].version_sunset = day(2027, 1, 23);
    memset(&n, 0, sizeof n);
    assert_int_equal(apiver_check_config(&cfg, day(2027, 1, 23), collect, &n), 1);
    assert_int_equal(n.st[0], APIVER_RETIRED);
    assert_string_equal(n.text[0], "[platform instagram] version v31.0 (Graph API) was retired "
                                   "on 2027-01-23: set version = v24.0");
}

/* HubSpot's legacy paths are the adapter's: a warning names no key to set. */
static void test_check_hubspot(void **state)
{
    (void)state;
    static struct config cfg;
    static struct cfg_account acct;
    memset(&cfg, 0, sizeof cfg);
    acct = (struct cfg_account){.platform_id = PLATFORM_HUBSPOT, .enabled = true};
    cfg.accounts = &acct;
    cfg.naccounts = 1;
    struct notes n = {0};
    assert_int_equal(apiver_check_config(&cfg, day(2026, 12, 7), collect, &n), 0);
    assert_int_equal(n.n, 0);
    assert_int_equal(apiver_check_config(&cfg, day(2027, 8, 20), collect, &n), 1);
    assert_int_equal(n.st[0], APIVER_SOON);
    assert_string_equal(n.text[0], "hubspot: the adapter calls HubSpot's legacy v3/v4 paths, "
                                   "retired on 2027-09-01: this socialroi needs an update to "
                                   "HubSpot's date versions");
}

static void test_today(void **state)
{
    (void)state;
    assert_int_equal(time_utc_day(0), 0);
    assert_int_equal(time_utc_day(86400LL * 1000000 - 1), 0);
    assert_int_equal(time_utc_day(-1), -1);
    assert_int_equal(time_utc_day((int64_t)day(2026, 12, 7) * 86400 * 1000000 + 3600000000LL),
                     day(2026, 12, 7));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),        cmocka_unit_test(test_readme_table),
        cmocka_unit_test(test_sunset_days),  cmocka_unit_test(test_unknown_and_override),
        cmocka_unit_test(test_suggest),      cmocka_unit_test(test_stream_family),
        cmocka_unit_test(test_check_config), cmocka_unit_test(test_check_hubspot),
        cmocka_unit_test(test_today),
    };
    return cmocka_run_group_tests_name("apiversion", tests, NULL, NULL);
}
