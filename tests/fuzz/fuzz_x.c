/*
 * fuzz_x.c - libFuzzer target for the X adapter's parsers.
 *
 * The input is a response body. It goes to the parse() of every X stream with a fixed context,
 * as an HTTP 200 and as an HTTP 400, to the token refresh parser, and (as header values) to the
 * rate-limit reader. Whatever the input: no crash, leak or undefined behaviour; a rejected page
 * has an error class and no records; a good page has no error; no message quotes the token.
 */
#include "adapter.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NOW   INT64_C(1730728800000000) /* 2024-11-04T14:00:00Z */
#define TOKEN "tok-FUZZ-secret"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *header(const struct http_response *r, const char *name)
{
    (void)name;
    return r->priv; /* the input, as every header */
}

static void check_page(const struct stream_def *s, const struct adapter_ctx *ctx, long status,
                       const char *body, size_t len)
{
    struct http_response resp = {status, body, len, header, NULL};
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
    struct buf out = {0};
    rowset_write_jsonl(rs, &out);
    buf_free(&out);
    rowset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char id[] = "2244994945", base[] = "https://api.x.com";
    static char *queries[] = {(char *)"\"acme analytics\" -is:retweet",
                              (char *)"globex OR initech"};
    static struct cfg_account account = {.id = id, .queries = {.items = queries, .n = 2}};
    static struct cfg_platform platform = {.api_base = base};
    const struct adapter *a = adapter_for(PLATFORM_X);
    char *text = malloc(size + 1); /* NUL-terminated copy for the header readers */
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < a->nstreams; i++) {
        struct adapter_ctx ctx = {.account = &account,
                                  .platform = &platform,
                                  .stream = a->streams[i].name,
                                  .access_token = TOKEN,
                                  .email_salt = "",
                                  .from_day = 19997,
                                  .to_day = 20027,
                                  .now = NOW};
        check_page(&a->streams[i], &ctx, 200, (const char *)data, size);
        check_page(&a->streams[i], &ctx, 400, (const char *)data, size);
        ctx.page = "1:b26v89c19zqg8o3"; /* a later query's later page (x.mentions) */
        if (strcmp(ctx.stream, "x.mentions") == 0)
            check_page(&a->streams[i], &ctx, 200, (const char *)data, size);
    }
    struct http_response resp = {200, (const char *)data, size, header, text};
    struct rl_signal sig;
    a->ratelimit(&resp, NOW, &sig);
    struct token_set *tok = calloc(1, sizeof *tok);
    enum err_class cls;
    char why[256];
    if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) != 0 && cls == ERR_NONE)
        abort();
    free(tok);
    free(text);
    return 0;
}
