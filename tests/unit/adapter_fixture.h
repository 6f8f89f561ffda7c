/*
 * adapter_fixture.h - what the adapter tests share: a platform's stream by name, a saved
 * response body (a fixture under tests/fixtures/<platform>/, or a string) with its status and
 * headers run through a stream's parser, and the checks every refused page must pass.
 *
 * A test binary names its platform once (fixture_use, before its tests run); its streams and
 * fixtures then come from that platform. Failures end the current cmocka test.
 */
#ifndef SR_ADAPTER_FIXTURE_H
#define SR_ADAPTER_FIXTURE_H

#include "adapter.h"

#include <stddef.h>
#include <stdint.h>

/* A response header; header arrays end with {NULL, NULL}. */
struct fixture_hdr {
    const char *name, *value;
};

/* The platform the following calls test, and a string its error messages must never contain
 * (its token, or the token's prefix). */
void fixture_use(enum platform_id platform, const char *secret);

/* The stream `name`, which must exist and belong to the platform. */
const struct stream_def *fixture_stream(const char *name);

/* A response of that status, body and headers (NULL: none); it borrows them. */
struct http_response fixture_response(long status, const char *body, size_t len,
                                      const struct fixture_hdr *headers);

/* Runs ctx->stream's parser on a body; headers may be NULL. *rc is the parser's return. */
struct rowset *fixture_parse_body(const struct adapter_ctx *ctx, long status, const char *body,
                                  size_t len, const struct fixture_hdr *headers, int *rc);

/* The same on tests/fixtures/<platform>/<file>. */
struct rowset *fixture_parse(const struct adapter_ctx *ctx, long status, const char *file,
                             const struct fixture_hdr *headers, int *rc);

/* A fixture answered with 200 that must parse: fails with the parser's reason otherwise. */
struct rowset *fixture_parse_ok(const struct adapter_ctx *ctx, const char *file);

/* A refused page (what names it in a failure): rc -1, class cls, retry_after retry, no
 * record, no cursor, no warning, and neither a URL nor the secret in the message. */
void fixture_rejected(struct rowset *rs, int rc, enum err_class cls, int64_t retry,
                      const char *what);

/* fixture_parse then fixture_rejected, and the rowset freed. */
void fixture_expect_error(const struct adapter_ctx *ctx, long status, const char *file,
                          const struct fixture_hdr *headers, enum err_class cls, int64_t retry);

/* A 200 page whose next cursor is ctx->page, the page it was asked for: refused as a repeat
 * (malformed, no record, no cursor), never paged again. */
void fixture_expect_repeat(const struct adapter_ctx *ctx, const char *file);

/* The same for a body given as a string. */
void fixture_expect_body_error(const struct adapter_ctx *ctx, long status, const char *body,
                               const struct fixture_hdr *headers, enum err_class cls,
                               int64_t retry);

#endif
