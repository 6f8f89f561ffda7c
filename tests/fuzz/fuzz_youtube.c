/*
 * fuzz_youtube.c - libFuzzer target for the YouTube adapter's parsers.
 *
 * The input is a response body. It goes to the parse() of every page kind of every YouTube stream
 * (the channel; a playlist page and a videos page; the Analytics report) with a fixed context, as
 * an HTTP 200, 403 and 429, and to the token refresh parser. Whatever the input: no crash, leak or
 * undefined behaviour; a rejected page has an error class and no records; a good page has no error
 * and its next cursor builds a request; no message quotes the token; a quota wait is never
 * negative nor longer than a day and an hour.
 */
#include "adapter.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOW   INT64_C(1710316800000000) /* 2024-03-13T08:00:00Z */
#define TOKEN "ya29.FUZZ-youtube-secret"

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
    int64_t retry;
    int rc = s->parse(ctx, &resp, rs);
    enum err_class cls = rowset_error(rs, &msg, &retry);
    if (rc == 0 && cls != ERR_NONE)
        abort();
    if (rc != 0 && (cls == ERR_NONE || rowset_count(rs) != 0 || rowset_next(rs)))
        abort(); /* a rejected page keeps nothing */
    if (strstr(msg, TOKEN))
        abort();
    if (cls == ERR_QUOTA && (retry < 0 || retry > 25 * 3600 * 1000))
        abort(); /* until the next Pacific midnight */
    if (rc == 0 && rowset_next(rs))
        check_next(s, ctx, rowset_next(rs));
    struct buf out = {0};
    rowset_write_jsonl(rs, &out);
    buf_free(&out);
    rowset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char id[] = "UC_x5XG1OV2P6uZZ5FSM9Ttw";
    static char base[] = "https://www.googleapis.com";
    static char base2[] = "https://youtubeanalytics.googleapis.com";
    static struct cfg_account account = {.id = id};
    static struct cfg_platform platform = {.api_base = base, .api_base2 = base2};
    static const char *const pages[] = {NULL, "videos:abcDEF12345,N_-x9-y8Z70:EAAaBlBUOkNESQ"};
    static const long statuses[] = {200, 403, 429};
    const struct adapter *a = adapter_for(PLATFORM_YOUTUBE);
    for (size_t i = 0; i < a->nstreams; i++) {
        for (size_t j = 0; j < 2; j++) {
            struct adapter_ctx ctx = {
                .account = &account,
                .platform = &platform,
                .stream = a->streams[i].name,
                .access_token = TOKEN,
                .email_salt = "",
                .page = strcmp(a->streams[i].name, "youtube.videos") == 0 ? pages[j] : NULL,
                .from_day = 19783,
                .to_day = 19795,
                .now = NOW + (int64_t)(size % 86400) * 1000000};
            for (size_t k = 0; k < 3; k++)
                check_page(&a->streams[i], &ctx, statuses[k], (const char *)data, size);
        }
    }
    struct http_response resp = {200, (const char *)data, size, NULL, NULL};
    struct token_set *tok = calloc(1, sizeof *tok);
    enum err_class cls;
    char why[256];
    if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) != 0 && cls == ERR_NONE)
        abort();
    resp.status = 400;
    if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) == 0)
        abort();
    free(tok);
    return 0;
}
