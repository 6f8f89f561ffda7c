/*
 * test_alerteval.c - the facts the daemon gives the alert detectors: the API versions its
 * configuration sends with their sunsets and what to set instead, every stream's retention
 * window and version family, the X listening caps; only what enabled accounts poll.
 */
#include "unit.h"
#include "alerteval.h"
#include "buf.h"
#include "config.h"
#include "json.h"
#include "timeutil.h"

#include <stdlib.h>
#include <string.h>

static const cJSON *find(const cJSON *arr, const char *key, const char *value)
{
    const cJSON *e;
    cJSON_ArrayForEach(e, arr)
    {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, key);
        if (cJSON_IsString(v) && strcmp(v->valuestring, value) == 0)
            return e;
    }
    return NULL;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int num(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    assert_true(cJSON_IsNumber(v));
    return v->valueint;
}

static void test_facts(void **state)
{
    (void)state;
    static struct config cfg;
    static struct cfg_account accounts[4];
    char ads[] = "v25.0", graph[] = "v24.0", li[] = "202610";
    char n0[] = "fb-0", n1[] = "li-0", n2[] = "x-0", n3[] = "x-1";
    memset(&cfg, 0, sizeof cfg);
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        cfg.platforms[i].version_sunset = CFG_UNSET_DATE;
        cfg.platforms[i].ads_version_sunset = CFG_UNSET_DATE;
    }
    cfg.platforms[PLATFORM_FACEBOOK].version = graph;
    cfg.platforms[PLATFORM_FACEBOOK].ads_version = ads;
    cfg.platforms[PLATFORM_LINKEDIN].version = li;
    cfg.platforms[PLATFORM_LINKEDIN].version_sunset = time_days_from_civil(2027, 1, 2);
    accounts[0] =
        (struct cfg_account){.name = n0, .platform_id = PLATFORM_FACEBOOK, .enabled = true};
    accounts[1] =
        (struct cfg_account){.name = n1, .platform_id = PLATFORM_LINKEDIN, .enabled = true};
    accounts[2] = (struct cfg_account){
        .name = n2, .platform_id = PLATFORM_X, .enabled = true, .x_posts_per_day = 120};
    accounts[3] = (struct cfg_account){
        .name = n3, .platform_id = PLATFORM_X, .enabled = false, .x_posts_per_month = 9};
    cfg.accounts = accounts;
    cfg.naccounts = 4;

    struct buf b = {0};
    alerteval_facts_json(&cfg, time_days_from_civil(2026, 12, 7), &b);
    cJSON *root = cJSON_Parse(b.data);
    assert_non_null(root);

    const cJSON *versions = cJSON_GetObjectItemCaseSensitive(root, "versions");
    assert_int_equal(cJSON_GetArraySize(versions), 3); /* graph, marketing, linkedin */
    const cJSON *v = find(versions, "family", "meta-marketing");
    assert_non_null(v);
    assert_string_equal(str(v, "platform"), "facebook");
    assert_string_equal(str(v, "key"), "ads_version");
    assert_string_equal(str(v, "version"), "v25.0");
    assert_string_equal(str(v, "title"), "Marketing API");
    assert_string_equal(str(v, "sunset"), "2027-02-23");
    assert_string_equal(str(v, "suggest"), "v26.0");
    assert_int_equal(num(v, "warn_days"), 30);
    v = find(versions, "family", "linkedin");
    assert_string_equal(str(v, "sunset"), "2027-01-02"); /* the configured override */
    v = find(versions, "family", "meta-graph");
    assert_string_equal(str(v, "sunset"), "2028-02-18");

    const cJSON *streams = cJSON_GetObjectItemCaseSensitive(root, "streams");
    const cJSON *s = find(streams, "stream", "x.mentions");
    assert_non_null(s);
    assert_int_equal(num(s, "retention_days"), 7);
    assert_string_equal(str(s, "platform"), "x");
    assert_null(str(s, "api_family"));
    s = find(streams, "stream", "linkedin.org_stats");
    assert_int_equal(num(s, "retention_days"), 365);
    assert_string_equal(str(s, "api_family"), "linkedin");
    s = find(streams, "stream", "pinterest.user_analytics");
    assert_int_equal(num(s, "retention_days"), 90);
    s = find(streams, "stream", "facebook.ads_insights");
    assert_string_equal(str(s, "api_family"), "meta-marketing");
    assert_int_equal(num(s, "retention_days"), 0);

    const cJSON *listening = cJSON_GetObjectItemCaseSensitive(root, "listening");
    assert_int_equal(cJSON_GetArraySize(listening), 1); /* x-1 is disabled */
    const cJSON *l = find(listening, "account", "x-0");
    assert_int_equal(num(l, "per_day"), 120);
    assert_int_equal(num(l, "per_month"), 0);
    cJSON_Delete(root);
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facts),
    };
    return cmocka_run_group_tests_name("alerteval", tests, NULL, NULL);
}
