/*
 * oauth.c - the refresh-token grant shared by the OAuth 2.0 platforms (see oauth.h).
 *
 * Secrets pass through here: every copy this module makes of one is wiped before it is freed,
 * and no message carries more than the platform's name and its error code.
 */
#include "oauth.h"
#include "buf.h"
#include "json.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SAID_MAX 128 /* the largest said_max a platform may ask for */

/* Appends name=value (value percent-encoded; it may be a secret, so its copy is wiped). */
static void form_field(struct buf *b, const char *name, const char *value)
{
    char *enc = adapter_urlencode(value);
    buf_printf(b, "%s%s=%s", b->len ? "&" : "", name, enc);
    adapter_free_secret(enc);
}

static bool set(const char *s)
{
    return s && *s;
}

static void client_fields(const struct oauth_client *c, const struct cfg_credential *cred,
                          struct buf *b)
{
    if (c->auth == OAUTH_AUTH_BASIC)
        return;
    form_field(b, "client_id", cred->client_id);
    if (c->auth == OAUTH_AUTH_BODY)
        form_field(b, "client_secret", cred->client_secret);
}

int oauth_refresh_build(const struct oauth_client *c, const struct cfg_platform *p,
                        const struct cfg_credential *cred, const char *refresh_token,
                        struct http_request *req)
{
    if (!set(refresh_token))
        refresh_token = cred->refresh_token;
    bool need_secret = c->auth != OAUTH_AUTH_CLIENT_ID;
    if (!set(refresh_token) || !set(cred->client_id) ||
        (need_secret && !set(cred->client_secret)) || !set(p->token_url))
        return -1;
    struct buf b = {0};
    form_field(&b, "grant_type", "refresh_token");
    if (c->client_first)
        client_fields(c, cred, &b);
    form_field(&b, "refresh_token", refresh_token);
    if (!c->client_first)
        client_fields(c, cred, &b);
    if (c->extra_form)
        buf_printf(&b, "&%s", c->extra_form);
    req->method = "POST";
    http_request_set_url(req, xstrdup(p->token_url));
    req->body = buf_steal(&b, NULL);
    int rc = http_request_header(req, "Content-Type: application/x-www-form-urlencoded");
    if (rc == 0 && c->auth != OAUTH_AUTH_BODY && set(cred->client_secret))
        rc = adapter_basic_auth(req, cred->client_id, cred->client_secret);
    return rc;
}

/* Copies a token member into dst; 0, or -1 when absent, not a string, empty or too long. */
static int copy_token(const cJSON *root, const char *key, char *dst, size_t n)
{
    const char *v;
    if (json_str(root, key, &v) != JSON_OK || !*v || strlen(v) >= n)
        return -1;
    memcpy(dst, v, strlen(v) + 1);
    return 0;
}

/* A failed refresh: no token survives in out; why says what went wrong (never a secret). */
__attribute__((format(printf, 6, 7))) static int fail(struct token_set *out, enum err_class *cls,
                                                      enum err_class c, char *why, size_t whylen,
                                                      const char *fmt, ...)
{
    va_list ap;
    explicit_bzero(out, sizeof *out);
    *cls = c;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return -1;
}

/* A refusal's class: server trouble is retried, a 429 waits, the rest needs a new grant. */
static enum err_class refusal_class(const struct oauth_client *c, long status)
{
    if (status >= 500 && status != c->not_transient)
        return ERR_TRANSIENT;
    if (status == 429)
        return c->on_429 != ERR_NONE ? c->on_429 : ERR_THROTTLED;
    return ERR_AUTH; /* invalid_grant, invalid_request: the refresh token is dead or wrong */
}

static int refused(const struct oauth_client *c, const struct http_response *resp,
                   const cJSON *root, struct token_set *out, enum err_class *cls, char *why,
                   size_t whylen)
{
    char said[SAID_MAX] = "";
    size_t max = c->said_max ? c->said_max : 64;
    const char *s;
    for (size_t i = 0; i < 2 && c->said[i]; i++) {
        if (json_str(root, c->said[i], &s) == JSON_OK) {
            adapter_safe_text(said, max < sizeof said ? max : sizeof said, s, NULL);
            break;
        }
    }
    return fail(out, cls, refusal_class(c, resp->status), why, whylen,
                "%s token endpoint refused the refresh: %s", c->name,
                *said          ? said
                : c->said_none ? c->said_none
                               : "no error code");
}

/* A refresh_token member the answer cannot be trusted with (see rt_string_only). */
static bool bad_refresh_token(const struct oauth_client *c, const cJSON *root,
                              struct token_set *out)
{
    const char *rt;
    enum json_get g = json_str(root, "refresh_token", &rt);
    if (g == JSON_ABSENT || (g == JSON_BAD && c->rt_string_only))
        return false;
    return copy_token(root, "refresh_token", out->refresh_token, sizeof out->refresh_token) < 0;
}

static bool bad_seconds(const struct oauth_client *c, const cJSON *root, int64_t *expires)
{
    int64_t other;
    return json_count(root, "expires_in", expires) == JSON_BAD ||
           (c->also_seconds && json_count(root, c->also_seconds, &other) == JSON_BAD);
}

int oauth_refresh_parse(const struct oauth_client *c, const struct http_response *resp,
                        struct token_set *out, enum err_class *cls, char *why, size_t whylen)
{
    char jwhy[128];
    int64_t expires = 0;
    int rc = 0;
    memset(out, 0, sizeof *out);
    cJSON *root = resp->len ? json_parse(resp->body, resp->len, jwhy, sizeof jwhy) : NULL;
    if (resp->status < 200 || resp->status > 299)
        rc = refused(c, resp, root, out, cls, why, whylen);
    else if (!cJSON_IsObject(root) ||
             copy_token(root, "access_token", out->access_token, sizeof out->access_token))
        rc = fail(out, cls, ERR_MALFORMED, why, whylen,
                  "%s token answer without a usable access_token", c->name);
    else if (bad_refresh_token(c, root, out))
        rc = fail(out, cls, ERR_MALFORMED, why, whylen,
                  "%s token answer with an unusable refresh_token", c->name);
    else if (bad_seconds(c, root, &expires))
        rc = fail(out, cls, ERR_MALFORMED, why, whylen,
                  "%s token answer: expires_in is not a number of seconds", c->name);
    else {
        out->expires_in_s = expires;
        *cls = ERR_NONE;
    }
    cJSON_Delete(root);
    return rc;
}
