/*
 * fuzz_pinterest.c - libFuzzer target for the Pinterest adapter's parsers.
 *
 * The input is a response body. It goes to the parse() of every page kind of every Pinterest
 * stream (user analytics and the account; a campaigns page and a bare-array analytics page) with a
 * fixed context, as an HTTP 200 and as an HTTP 429, and to the token refresh parser. Whatever the
 * input: no crash, leak or undefined behaviour; a rejected page has an error class and no records;
 * a good page has no error and its next cursor builds a request; no message quotes the token;
 * every ad_daily record carries the account's currency.
 */
#include "adapter.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOW   INT64_C(1714809600000000) /* 2024-05-04T08:00:00Z */
#define TOKEN "pina_FUZZ-pinterest-secret"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
    struct http_response resp = {status, body, len, NULL, NULL};
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
    for (size_t i = 0; i < rowset_count(rs); i++) {
        const struct record *r = rowset_get(rs, i);
        if (r->type == REC_AD_DAILY && strcmp(r->u.ad_daily.currency, "EUR") != 0)
            abort();
    }
    if (rc == 0 && rowset_next(rs))
        check_next(s, ctx, rowset_next(rs));
    struct buf out = {0};
    rowset_write_jsonl(rs, &out);
    buf_free(&out);
    rowset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char act[] = "549755885175", eur[] = "EUR", base[] = "https://api.pinterest.com";
    static struct cfg_account account = {.ad_account = act, .currency = eur};
    static struct cfg_platform platform = {.api_base = base};
    static const char *const pages[][2] = {
        {NULL, "account"},
        {"campaigns:Y2JleGFtcGxl", "analytics:549755885175,549755885176:Y2JleGFtcGxl"},
    };
    const struct adapter *a = adapter_for(PLATFORM_PINTEREST);
    for (size_t i = 0; i < a->nstreams && i < 2; i++) {
        for (size_t j = 0; j < 2; j++) {
            struct adapter_ctx ctx = {.account = &account,
                                      .platform = &platform,
                                      .stream = a->streams[i].name,
                                      .access_token = TOKEN,
                                      .email_salt = "",
                                      .page = pages[i][j],
                                      .from_day = 19844,
                                      .to_day = 19846,
                                      .now = NOW};
            check_page(&a->streams[i], &ctx, 200, (const char *)data, size);
            check_page(&a->streams[i], &ctx, 429, (const char *)data, size);
        }
    }
    struct http_response resp = {200, (const char *)data, size, NULL, NULL};
    struct token_set *tok = calloc(1, sizeof *tok);
    enum err_class cls;
    char why[256];
    if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) != 0 && cls == ERR_NONE)
        abort();
    resp.status = 401;
    if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) == 0 || cls != ERR_AUTH)
        abort();
    free(tok);
    return 0;
}
