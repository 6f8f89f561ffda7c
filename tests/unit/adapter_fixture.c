/*
 * adapter_fixture.c - saved responses through the adapters' parsers (see adapter_fixture.h).
 * Linked into each unit test binary.
 */
#include "unit.h"
#include "adapter_fixture.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int fixture_platform = -1;
static const char *fixture_secret;

void fixture_use(enum platform_id platform, const char *secret)
{
    fixture_platform = (int)platform;
    fixture_secret = secret;
}

static const struct adapter *fixture_adapter(void)
{
    if (fixture_platform < 0)
        fail_msg("fixture_use was not called");
    const struct adapter *a = adapter_for((enum platform_id)fixture_platform);
    assert_non_null(a);
    return a;
}

const struct stream_def *fixture_stream(const char *name)
{
    const struct adapter *owner = NULL;
    const struct stream_def *s = adapter_stream(name, &owner);
    if (!s)
        fail_msg("no stream %s", name);
    assert_ptr_equal(owner, fixture_adapter());
    return s;
}

static const char *lookup(const struct http_response *r, const char *name)
{
    for (const struct fixture_hdr *h = r->priv; h && h->name; h++)
        if (strcasecmp(h->name, name) == 0)
            return h->value;
    return NULL;
}

struct http_response fixture_response(long status, const char *body, size_t len,
                                      const struct fixture_hdr *headers)
{
    struct http_response r = {status, body, len, lookup, headers};
    return r;
}

struct rowset *fixture_parse_body(const struct adapter_ctx *ctx, long status, const char *body,
                                  size_t len, const struct fixture_hdr *headers, int *rc)
{
    struct http_response resp = fixture_response(status, body, len, headers);
    struct rowset *rs = rowset_new();
    *rc = fixture_stream(ctx->stream)->parse(ctx, &resp, rs);
    return rs;
}

struct rowset *fixture_parse(const struct adapter_ctx *ctx, long status, const char *file,
                             const struct fixture_hdr *headers, int *rc)
{
    char path[256];
    size_t len;
    snprintf(path, sizeof path, "tests/fixtures/%s/%s",
             platform_info(fixture_adapter()->platform)->name, file);
    char *body = unit_read_file(path, &len);
    if (!body)
        fail_msg("cannot read %s", path);
    struct rowset *rs = fixture_parse_body(ctx, status, body, len, headers, rc);
    free(body);
    return rs;
}

struct rowset *fixture_parse_ok(const struct adapter_ctx *ctx, const char *file)
{
    const char *msg;
    int rc;
    struct rowset *rs = fixture_parse(ctx, 200, file, NULL, &rc);
    if (rc != 0)
        fail_msg("%s: %s", file, (rowset_error(rs, &msg, NULL), msg));
    assert_int_equal(rowset_error(rs, NULL, NULL), ERR_NONE);
    return rs;
}

void fixture_rejected(struct rowset *rs, int rc, enum err_class cls, int64_t retry,
                      const char *what)
{
    const char *msg;
    int64_t after;
    assert_int_equal(rc, -1);
    enum err_class got = rowset_error(rs, &msg, &after);
    if (got != cls)
        fail_msg("%s: class %s, expected %s (%s)", what, err_class_name(got), err_class_name(cls),
                 msg);
    assert_int_equal(after, retry);
    assert_int_equal(rowset_count(rs), 0);
    assert_null(rowset_next(rs));
    assert_int_equal(rowset_warnings(rs), 0);
    assert_null(strstr(msg, "http"));
    assert_null(strstr(msg, "://"));
    if (fixture_secret)
        assert_null(strstr(msg, fixture_secret));
}

void fixture_expect_error(const struct adapter_ctx *ctx, long status, const char *file,
                          const struct fixture_hdr *headers, enum err_class cls, int64_t retry)
{
    int rc;
    struct rowset *rs = fixture_parse(ctx, status, file, headers, &rc);
    fixture_rejected(rs, rc, cls, retry, file);
    rowset_free(rs);
}

void fixture_expect_repeat(const struct adapter_ctx *ctx, const char *file)
{
    int rc;
    const char *msg = NULL;
    int64_t retry;
    struct rowset *rs = fixture_parse(ctx, 200, file, NULL, &rc);
    fixture_rejected(rs, rc, ERR_MALFORMED, -1, file);
    rowset_error(rs, &msg, &retry);
    assert_non_null(msg);
    if (!strstr(msg, "paging repeats the page just read"))
        fail_msg("%s: refused for another reason: %s", file, msg);
    rowset_free(rs);
}

void fixture_expect_body_error(const struct adapter_ctx *ctx, long status, const char *body,
                               const struct fixture_hdr *headers, enum err_class cls, int64_t retry)
{
    int rc;
    struct rowset *rs = fixture_parse_body(ctx, status, body, strlen(body), headers, &rc);
    fixture_rejected(rs, rc, cls, retry, body);
    rowset_free(rs);
}
