/*
 * test_json.c - the typed JSON getters, UTF-8 checking, timestamps, and record output.
 */
#include "unit.h"
#include "buf.h"
#include "json.h"
#include "rowset.h"

#include <string.h>

static cJSON *parse(const char *s)
{
    char why[128];
    cJSON *j = json_parse(s, strlen(s), why, sizeof why);
    if (!j)
        fail_msg("parse failed: %s", why);
    return j;
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(json_utf8_valid("plain", 5));
    assert_true(json_utf8_valid("\xc3\xa9\xe2\x80\x99\xf0\x9f\xa5\x81", 9)); /* é ’ 🥁 */
    assert_false(json_utf8_valid("\xc0\xaf", 2));                            /* overlong */
    assert_false(json_utf8_valid("\xed\xa0\x80", 3));                        /* surrogate */
    assert_false(json_utf8_valid("\xf4\x90\x80\x80", 4));                    /* > U+10FFFF */
    assert_false(json_utf8_valid("\xe2\x80", 2));                            /* truncated */
    assert_false(json_utf8_valid("\xff", 1));
    char why[128];
    assert_null(json_parse("{\"a\":\"\xff\"}", 8, why, sizeof why));
    assert_non_null(strstr(why, "UTF-8"));
    assert_null(json_parse("{\"a\":1} x", 9, why, sizeof why));
    assert_non_null(strstr(why, "trailing"));
    assert_null(json_parse("{\"a\":", 5, why, sizeof why));
    assert_non_null(strstr(why, "malformed"));
}

static void test_surrogate_pairs(void **state)
{
    (void)state;
    cJSON *j = parse("{\"t\":\"drum \\uD83E\\uDD41 \\u00e9\"}");
    const char *t;
    assert_int_equal(json_str(j, "t", &t), JSON_OK);
    assert_string_equal(t, "drum \xf0\x9f\xa5\x81 \xc3\xa9"); /* one code point, real UTF-8 */
    assert_true(json_utf8_valid(t, strlen(t)));
    cJSON_Delete(j);
    char why[128];
    /* a lone surrogate is not text */
    cJSON *bad = json_parse("{\"t\":\"\\uD83E\"}", 14, why, sizeof why);
    if (bad) {
        const char *s;
        assert_int_equal(json_str(bad, "t", &s), JSON_OK);
        assert_true(json_utf8_valid(s, strlen(s)) || strlen(s) == 0);
        cJSON_Delete(bad);
    }
}

/* cJSON ends a string at an escaped NUL: such a body is refused, not silently cut. */
static void test_escaped_nul(void **state)
{
    (void)state;
    char why[128];
    const char *cut = "{\"name\":\"ab\\u0000cd\"}";
    assert_null(json_parse(cut, strlen(cut), why, sizeof why));
    assert_non_null(strstr(why, "\\u0000"));
    assert_non_null(strstr(why, "byte 11"));
    /* an escaped backslash followed by the letters u0000 is text, kept whole */
    cJSON *j = parse("{\"t\":\"a\\\\u0000b\"}");
    const char *t;
    assert_int_equal(json_str(j, "t", &t), JSON_OK);
    assert_string_equal(t, "a\\u0000b");
    cJSON_Delete(j);
    /* other escapes of low code points are fine */
    j = parse("{\"t\":\"\\u0001\\u0010\"}");
    assert_int_equal(json_str(j, "t", &t), JSON_OK);
    assert_int_equal(strlen(t), 2);
    cJSON_Delete(j);
}

static void test_ids(void **state)
{
    (void)state;
    cJSON *j = parse("{\"s\":\"1588190392425373696\",\"n\":5331889818,\"big\":1588190392425373696,"
                     "\"f\":1.5,\"neg\":-3,\"e\":\"\",\"b\":true,\"z\":null}");
    char buf[32];
    const char *id;
    assert_int_equal(json_id(j, "s", buf, sizeof buf, &id), JSON_OK);
    assert_string_equal(id, "1588190392425373696");
    assert_int_equal(json_id(j, "n", buf, sizeof buf, &id), JSON_OK);
    assert_string_equal(id, "5331889818");
    assert_int_equal(json_id(j, "big", buf, sizeof buf, &id), JSON_BAD); /* never rounded */
    assert_int_equal(json_id(j, "f", buf, sizeof buf, &id), JSON_BAD);
    assert_int_equal(json_id(j, "neg", buf, sizeof buf, &id), JSON_BAD);
    assert_int_equal(json_id(j, "e", buf, sizeof buf, &id), JSON_BAD);
    assert_int_equal(json_id(j, "b", buf, sizeof buf, &id), JSON_BAD);
    assert_int_equal(json_id(j, "z", buf, sizeof buf, &id), JSON_ABSENT);
    assert_int_equal(json_id(j, "missing", buf, sizeof buf, &id), JSON_ABSENT);
    cJSON_Delete(j);
}

static void test_counts(void **state)
{
    (void)state;
    cJSON *j = parse("{\"a\":\"185\",\"b\":185,\"c\":2147483648000,\"d\":\"-1\",\"e\":1.5,"
                     "\"f\":\"1e3\",\"g\":\"805781762.0\",\"h\":1000.0,\"i\":[1],\"k\":null}");
    int64_t v;
    assert_int_equal(json_count(j, "a", &v), JSON_OK);
    assert_int_equal(v, 185);
    assert_int_equal(json_count(j, "b", &v), JSON_OK);
    assert_int_equal(json_count(j, "c", &v), JSON_OK);
    assert_int_equal(v, 2147483648000LL); /* beyond int: valueint would saturate */
    assert_int_equal(json_count(j, "d", &v), JSON_BAD);
    assert_int_equal(json_count(j, "e", &v), JSON_BAD);
    assert_int_equal(json_count(j, "f", &v), JSON_BAD);
    assert_int_equal(json_count(j, "g", &v), JSON_OK);
    assert_int_equal(v, 805781762);
    assert_int_equal(json_count(j, "h", &v), JSON_OK);
    assert_int_equal(v, 1000);
    assert_int_equal(json_count(j, "i", &v), JSON_BAD);
    assert_int_equal(json_count(j, "k", &v), JSON_ABSENT);
    cJSON_Delete(j);
}

static void test_money_and_bools(void **state)
{
    (void)state;
    cJSON *j = parse("{\"spend\":\"14.35\",\"tiny\":\"-2E-18\",\"micro\":30000000,"
                     "\"frac\":412345.67,\"cents\":\"5000\",\"t\":\"true\",\"x\":\"yes\"}");
    int64_t m;
    bool b;
    assert_int_equal(json_money(j, "spend", &m), JSON_OK);
    assert_int_equal(m, 14350000);
    assert_int_equal(json_money(j, "tiny", &m), JSON_OK);
    assert_int_equal(m, 0);
    assert_int_equal(json_money_scaled(j, "micro", -6, &m), JSON_OK);
    assert_int_equal(m, 30000000);
    assert_int_equal(json_money(j, "frac", &m), JSON_BAD); /* a fractional double is not exact */
    assert_int_equal(json_money_scaled(j, "cents", -2, &m), JSON_OK);
    assert_int_equal(m, 50000000);
    assert_int_equal(json_bool(j, "t", &b), JSON_OK);
    assert_true(b);
    assert_int_equal(json_bool(j, "x", &b), JSON_BAD);
    cJSON_Delete(j);
}

static void test_times(void **state)
{
    (void)state;
    int64_t us;
    char buf[40];
    assert_int_equal(json_parse_time("2021-02-23T18:07:07.000Z", &us), 0);
    assert_int_equal(us, 1614103627000000LL);
    assert_int_equal(json_parse_time("2024-01-15T08:00:00+0000", &us), 0);
    assert_int_equal(us, 1705305600000000LL);
    assert_int_equal(json_parse_time("2024-03-12T15:02:47-0700", &us), 0);
    assert_int_equal(us, 1710280967000000LL);
    assert_int_equal(json_parse_time("2024-03-12T15:02:47+05:30", &us), 0);
    assert_int_equal(json_parse_time("2024-11-15", &us), 0);
    assert_int_equal(us, 1731628800000000LL);
    assert_int_equal(json_parse_time("2021-02-23T20:08:49.603Z", &us), 0);
    json_format_time(us, buf, sizeof buf);
    assert_string_equal(buf, "2021-02-23T20:08:49.603Z");
    assert_int_equal(json_parse_time("2024-02-30T00:00:00Z", &us), -1);
    assert_int_equal(json_parse_time("2024-01-15T25:00:00Z", &us), -1);
    assert_int_equal(json_parse_time("2024-01-15T08:00:00", &us), -1); /* no zone: ambiguous */
    assert_int_equal(json_parse_time("yesterday", &us), -1);
}

static void test_records_output(void **state)
{
    (void)state;
    struct rowset *rs = rowset_new();
    struct record r = {.type = REC_AD_DAILY};
    r.u.ad_daily.campaign = rowset_strdup(rs, "c\"1");
    r.u.ad_daily.day = 19662;
    r.u.ad_daily.basis = BASIS_ACCOUNT_TZ;
    memcpy(r.u.ad_daily.currency, "USD", 4);
    r.u.ad_daily.spend_micros = INT64_MAX;
    rowset_add(rs, &r);
    struct record m = {.type = REC_METRIC};
    m.u.metric = (struct rec_metric){"", "likes", 19662, BASIS_PACIFIC, 3};
    rowset_add(rs, &m);
    rowset_set_next(rs, "after=1");
    struct buf b = {0};
    rowset_write_jsonl(rs, &b);
    assert_string_equal(
        b.data,
        "{\"type\":\"ad_daily\",\"campaign\":\"c\\\"1\",\"day\":\"2023-11-01\","
        "\"basis\":\"account_tz\",\"currency\":\"USD\",\"spend_micros\":9223372036854775807,"
        "\"impressions\":0,\"clicks\":0,\"leads\":0,\"conversions\":0,"
        "\"conversion_value_micros\":0}\n"
        "{\"type\":\"metric\",\"object\":\"\",\"metric\":\"likes\",\"day\":\"2023-11-01\","
        "\"basis\":\"pacific\",\"value\":3}\n"
        "{\"type\":\"next\",\"cursor\":\"after=1\"}\n");
    buf_reset(&b);
    rowset_write_sql_json(rs, &b);
    assert_non_null(strstr(b.data, "{\"metric\":[{\"type\":\"metric\""));
    assert_non_null(strstr(b.data, ",\"ad_daily\":[{\"type\":\"ad_daily\""));
    buf_free(&b);
    rowset_free(rs);
}

/* A member of an object: no comma right after its '{', one after a value, null for NULL. */
static void test_members(void **state)
{
    (void)state;
    struct buf b = {0};
    buf_puts(&b, "{");
    json_write_member(&b, "a", "x\"y");
    json_write_member(&b, "b", NULL);
    buf_puts(&b, ",\"c\":{");
    json_write_member(&b, "d", "");
    buf_puts(&b, "}}");
    assert_string_equal(b.data, "{\"a\":\"x\\\"y\",\"b\":null,\"c\":{\"d\":\"\"}}");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8),        cmocka_unit_test(test_surrogate_pairs),
        cmocka_unit_test(test_escaped_nul), cmocka_unit_test(test_ids),
        cmocka_unit_test(test_counts),      cmocka_unit_test(test_money_and_bools),
        cmocka_unit_test(test_times),       cmocka_unit_test(test_records_output),
        cmocka_unit_test(test_members),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
