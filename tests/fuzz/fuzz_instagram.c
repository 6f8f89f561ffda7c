/*
 * fuzz_instagram.c - libFuzzer target for the Instagram adapter's parsers.
 *
 * The input is a response body. It goes to the parse() of every page kind of every Instagram
 * stream (the first and a later daily series chunk, a total_value day and the profile; a media list
 * page and a medium's insights) with a fixed context, as an HTTP 200 and as an HTTP 400, to the
 * token refresh parser, and (as the usage header values) to the rate-limit reader. Whatever the
 * input: no crash, leak or undefined behaviour; a rejected page has an error class and no records;
 * a good page has no error and its next cursor builds a request; no message quotes the token.
 */
#include "adapter.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOW   INT64_C(1705219200000000) /* 2024-01-14T08:00:00Z */
#define TOKEN "EAAB-FUZZ-instagram-secret"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *header(const struct http_response *r, const char *name)
{
    (void)name;
    return r->priv; /* the input, as every header */
}

/*
 * A cursor the parser handed out must build the next request. (Its platform cursor is the body's
 * data: a body that echoes the token can put it in the next URL, so that is not checked here.)
 */
static void check_next(const struct stream_def *s, const struct adapter_ctx *ctx, const char *next)
{
    struct adapter_ctx c = *ctx;
    struct http_request req = {0};
    char why[256];
    c.page = next;
    if (s->build(&c, &req, why, sizeof why) != 0)
        abort();
    http_request_free(&req);
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
    if (rc == 0 && rowset_next(rs))
        check_next(s, ctx, rowset_next(rs));
    struct buf out = {0};
    rowset_write_jsonl(rs, &out);
    buf_free(&out);
    rowset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char id[] = "17841405822304914";
    static char base[] = "https://graph.facebook.com", version[] = "v24.0";
    static char token_url[] = "https://graph.instagram.com/refresh_access_token";
    static struct cfg_account account = {.id = id};
    static struct cfg_platform platform = {
        .api_base = base, .version = version, .token_url = token_url};
    static const char *const pages[][4] = {
        {NULL, "series:2024-01-13", "total:2024-01-13", "profile"},
        {NULL, "list:QVFIUmlt", "insights:18027939643083444,17895695668004550:QVFIUmlt", NULL},
    };
    const struct adapter *a = adapter_for(PLATFORM_INSTAGRAM);
    char *text = malloc(size + 1); /* NUL-terminated copy for the header readers */
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < a->nstreams && i < 2; i++) {
        for (size_t j = 0; j < 4; j++) {
            struct adapter_ctx ctx = {.account = &account,
                                      .platform = &platform,
                                      .stream = a->streams[i].name,
                                      .access_token = TOKEN,
                                      .email_salt = "",
                                      .page = pages[i][j],
                                      .from_day = 19734,
                                      .to_day = 19736,
                                      .now = NOW};
            check_page(&a->streams[i], &ctx, 200, (const char *)data, size);
            check_page(&a->streams[i], &ctx, 400, (const char *)data, size);
        }
    }
    struct http_response resp = {400, (const char *)data, size, header, text};
    struct rl_signal sig;
    a->ratelimit(&resp, NOW, &sig);
    struct token_set *tok = calloc(1, sizeof *tok);
    enum err_class cls;
    char why[256];
    resp.status = 200;
    if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) != 0 && cls == ERR_NONE)
        abort();
    free(tok);
    free(text);
    return 0;
}
