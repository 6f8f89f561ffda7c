/*
 * fuzz_linkedin.c - libFuzzer target for the LinkedIn adapter's parsers.
 *
 * The input is a response body. It goes to the parse() of every LinkedIn stream under each page
 * cursor a run can hold, as an HTTP 200, 400 and 429, and to the token refresh parser. Whatever
 * the input: no crash, leak or undefined behaviour; a rejected page has an error class and no
 * records; a good page has no error; no message quotes the token; and the next cursor of a good
 * page is one build() accepts.
 */
#include "adapter.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOW   INT64_C(1730728800250000) /* 2024-11-04T14:00:00.25Z */
#define TOKEN "tok-FUZZ-secret"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *no_header(const struct http_response *r, const char *name)
{
    (void)r;
    (void)name;
    return NULL;
}

/* The cursor a good page hands on must build the next request. */
static void check_next(const struct stream_def *s, struct adapter_ctx ctx, const char *next)
{
    struct http_request req = {0};
    char why[256];
    ctx.page = next;
    if (s->build(&ctx, &req, why, sizeof why) != 0)
        abort();
    http_request_free(&req);
}

static void check_page(const struct stream_def *s, const struct adapter_ctx *ctx, long status,
                       const char *body, size_t len)
{
    struct http_response resp = {status, body, len, no_header, NULL};
    struct rowset *rs = rowset_new();
    const char *msg;
    int rc = s->parse(ctx, &resp, rs);
    enum err_class cls = rowset_error(rs, &msg, NULL);
    if (rc == 0 && cls != ERR_NONE)
        abort();
    if (rc != 0 && (cls == ERR_NONE || rowset_count(rs) != 0 || rowset_next(rs)))
        abort(); /* a rejected page keeps nothing */
    if (strstr(msg, TOKEN))
        abort();
    if (rc == 0 && rowset_next(rs))
        check_next(s, *ctx, rowset_next(rs));
    struct buf out = {0};
    rowset_write_jsonl(rs, &out);
    buf_free(&out);
    rowset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char id[] = "2414183", ad[] = "508866422", cur[] = "USD";
    static char base[] = "https://api.linkedin.com", version[] = "202610";
    static struct cfg_account account = {.id = id, .ad_account = ad, .currency = cur};
    static struct cfg_platform platform = {.api_base = base, .version = version};
    static const char *const pages[][5] = {
        {NULL, "share_statistics", "network_size", "", ""},
        {NULL, "campaigns:DgEAAAGS", "analytics:1", "analytics:2", ""},
        {NULL, "3:1730728800250", "", "", ""},
    };
    static const long statuses[] = {200, 400, 429};
    const struct adapter *a = adapter_for(PLATFORM_LINKEDIN);
    for (size_t i = 0; i < a->nstreams && i < 3; i++) {
        for (size_t p = 0; p < 5 && (p == 0 || *pages[i][p]); p++) {
            struct adapter_ctx ctx = {.account = &account,
                                      .platform = &platform,
                                      .stream = a->streams[i].name,
                                      .access_token = TOKEN,
                                      .email_salt = "salt",
                                      .page = pages[i][p],
                                      .from_day = 20024,
                                      .to_day = 20030,
                                      .since = NOW - INT64_C(86400000000),
                                      .now = NOW};
            for (size_t st = 0; st < 3; st++)
                check_page(&a->streams[i], &ctx, statuses[st], (const char *)data, size);
        }
    }
    struct http_response resp = {200, (const char *)data, size, no_header, NULL};
    struct token_set *tok = calloc(1, sizeof *tok);
    enum err_class cls;
    char why[256];
    if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) != 0 && cls == ERR_NONE)
        abort();
    free(tok);
    return 0;
}
