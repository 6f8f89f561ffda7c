/*
 * test_alertmsg.c - alert events on the wire: the JSON webhook body, Slack's text and blocks
 * (escaped, within its limits), the e-mail's headers and body, the id, and secret scrubbing.
 */
#include "unit.h"
#include "alertmsg.h"
#include "buf.h"
#include "json.h"

#include <string.h>

static const struct alert_note note = {
    .instance = "0a1b2c3d4e5f",
    .event_id = 42,
    .alert_id = 7,
    .event = "raised",
    .severity = "critical",
    .at = "2026-12-07T10:00:00Z",
    .kind = "stale_job",
    .subject = "account=x-0 stream=x.mentions",
    .title = "A job stopped",
    .message = "no success for 3 h <@channel> & more\nsecond line",
    .runbook = "Look at socialroi status.",
    .first_seen = "2026-12-07T09:00:00Z",
    .detail = "{\"hours\": 3}",
};

static cJSON *parse(const struct buf *b)
{
    char why[128];
    cJSON *j = json_parse(b->data, b->len, why, sizeof why);
    if (!j)
        fail_msg("not JSON (%s): %s", why, b->data);
    return j;
}

static const char *str(const cJSON *j, const char *key)
{
    const char *v = NULL;
    if (json_str(j, key, &v) != JSON_OK)
        fail_msg("no string %s", key);
    return v;
}

static void test_id_and_json(void **state)
{
    (void)state;
    char id[128];
    struct buf b = {0};
    alertmsg_id(&note, id, sizeof id);
    assert_string_equal(id, "socialroi-0a1b2c3d4e5f-42");
    alertmsg_json(&note, &b);
    cJSON *j = parse(&b);
    assert_string_equal(str(j, "id"), "socialroi-0a1b2c3d4e5f-42");
    assert_string_equal(str(j, "event"), "raised");
    assert_string_equal(str(j, "severity"), "critical");
    assert_string_equal(str(j, "subject"), "account=x-0 stream=x.mentions");
    assert_string_equal(str(j, "message"), note.message);
    int64_t n = 0;
    assert_int_equal(json_int(json_get(j, "detail"), "hours", &n), JSON_OK);
    assert_int_equal(n, 3);
    assert_int_equal(json_int(j, "event_id", &n), JSON_OK);
    assert_int_equal(n, 42);
    cJSON_Delete(j);
    /* no detail: an empty object */
    struct alert_note bare = note;
    bare.detail = "";
    buf_reset(&b);
    alertmsg_json(&bare, &b);
    cJSON_Delete(parse(&b));
    buf_free(&b);
}

static void test_slack(void **state)
{
    (void)state;
    struct buf b = {0};
    alertmsg_slack(&note, &b);
    cJSON *j = parse(&b);
    assert_string_equal(str(j, "text"),
                        "CRITICAL raised: A job stopped (account=x-0 stream=x.mentions)");
    const cJSON *blocks = json_get(j, "blocks");
    assert_int_equal(cJSON_GetArraySize(blocks), 3);
    const cJSON *section = cJSON_GetArrayItem(blocks, 1);
    const char *text = str(json_get(section, "text"), "text");
    assert_non_null(strstr(text, "&lt;@channel&gt; &amp; more"));
    assert_null(strstr(text, "<@channel>"));
    cJSON_Delete(j);
    /* a long title stays within the header's 150 characters, cut between characters */
    struct alert_note lng = note;
    char title[400];
    memset(title, 0, sizeof title);
    for (int i = 0; i < 100; i++)
        memcpy(title + i * 3, "\xe2\x82\xac", 3); /* € */
    lng.title = title;
    buf_reset(&b);
    alertmsg_slack(&lng, &b);
    j = parse(&b);
    const cJSON *header = json_get(cJSON_GetArrayItem(json_get(j, "blocks"), 0), "text");
    const char *h = str(header, "text");
    assert_true(strlen(h) <= 150);
    assert_true(json_utf8_valid(h, strlen(h)));
    cJSON_Delete(j);
    buf_free(&b);
}

static void test_mail(void **state)
{
    (void)state;
    struct buf b = {0};
    char ops[] = "ops@example.com", oncall[] = "oncall@example.com";
    char *const to[] = {ops, oncall};
    struct alert_note evil = note;
    evil.subject = "x\r\nBcc: victim@example.com";
    alertmsg_mail(&evil, "alerts@example.com", to, 2, 1796637600LL * 1000000, &b);
    assert_non_null(strstr(b.data, "Date: Mon, 07 Dec 2026 10:00:00 +0000\r\n"));
    assert_non_null(strstr(b.data, "\r\nFrom: alerts@example.com\r\n"));
    assert_non_null(strstr(b.data, "\r\nTo: ops@example.com,\r\n oncall@example.com\r\n"));
    assert_non_null(strstr(b.data, "\r\nMessage-ID: <socialroi-0a1b2c3d4e5f-42@example.com>\r\n"));
    assert_non_null(strstr(b.data, "\r\nMIME-Version: 1.0\r\n"));
    assert_non_null(strstr(b.data, "\r\nContent-Type: text/plain; charset=UTF-8\r\n"));
    assert_non_null(strstr(b.data, "\r\nSubject: [socialroi] CRITICAL raised: A job stopped (x  "
                                   "Bcc: victim@example.com)\r\n"));
    const char *body = strstr(b.data, "\r\n\r\n");
    assert_non_null(body);
    const char *bcc = strstr(b.data, "\r\nBcc:");
    assert_true(!bcc || bcc >= body); /* the subject's line break made no header */
    assert_non_null(strstr(body, "\r\nsecond line\r\n"));
    assert_null(strstr(body, "line\n")); /* every line ends CRLF */
    /* a subject that is not ASCII is an RFC 2047 encoded word */
    struct alert_note euro = note;
    euro.title = "Budget \xe2\x82\xac";
    buf_reset(&b);
    alertmsg_mail(&euro, "alerts@example.com", to, 1, 0, &b);
    assert_non_null(strstr(b.data, "\r\nSubject: =?UTF-8?B?"));
    buf_free(&b);
}

static void test_secrets(void **state)
{
    (void)state;
    char out[128];
    alertmsg_log_url("https://hooks.slack.com/services/T1/B2/XYZ", out, sizeof out);
    assert_string_equal(out, "https://hooks.slack.com");
    alertmsg_log_url("smtp://user:pw@mail.example.com:587/helo", out, sizeof out);
    assert_string_equal(out, "smtp://mail.example.com:587");
    char msg[256] = "Failed to connect to https://hooks.slack.com/services/T1/B2/XYZ: refused; "
                    "path /services/T1/B2/XYZ";
    alertmsg_scrub(msg, sizeof msg, "https://hooks.slack.com/services/T1/B2/XYZ");
    assert_null(strstr(msg, "XYZ"));
    assert_non_null(strstr(msg, "[secret]"));
    char pw[64] = "login denied for hunter2hunter2";
    alertmsg_scrub(pw, sizeof pw, "hunter2hunter2");
    assert_string_equal(pw, "login denied for [secret]");
    char small[20] = "abcdefg tok";
    alertmsg_scrub(small, sizeof small, "tok");
    assert_null(strstr(small, "tok"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_id_and_json),
        cmocka_unit_test(test_slack),
        cmocka_unit_test(test_mail),
        cmocka_unit_test(test_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
