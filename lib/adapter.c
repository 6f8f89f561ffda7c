/*
 * adapter.c - the adapter registry and the helpers adapters share (see adapter.h).
 */
#include "adapter.h"
#include "sha256.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct adapter adapter_x;
extern const struct adapter adapter_facebook;

static const struct adapter *const registry[] = {
    &adapter_x,
    &adapter_facebook,
};

const struct adapter *adapter_for(enum platform_id platform)
{
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++)
        if (registry[i]->platform == platform)
            return registry[i];
    return NULL;
}

const struct stream_def *adapter_stream(const char *stream, const struct adapter **owner)
{
    for (size_t i = 0; i < sizeof registry / sizeof registry[0]; i++) {
        for (size_t j = 0; j < registry[i]->nstreams; j++) {
            if (strcmp(registry[i]->streams[j].name, stream) == 0) {
                if (owner)
                    *owner = registry[i];
                return &registry[i]->streams[j];
            }
        }
    }
    return NULL;
}

int http_request_header(struct http_request *r, const char *fmt, ...)
{
    size_t n = 0;
    while (n < HTTP_MAX_HEADERS && r->headers[n])
        n++;
    if (n == HTTP_MAX_HEADERS)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    r->headers[n] = xmalloc((size_t)len + 1);
    va_start(ap, fmt);
    vsnprintf(r->headers[n], (size_t)len + 1, fmt, ap);
    va_end(ap);
    return 0;
}

void http_request_set_url(struct http_request *r, char *url)
{
    free(r->url);
    free(r->log_url);
    r->url = url;
    const char *q = strchr(url, '?');
    r->log_url = q ? xstrndup(url, (size_t)(q - url)) : xstrdup(url);
}

void http_request_free(struct http_request *r)
{
    free(r->url);
    free(r->log_url);
    if (r->body) {
        /* bodies carry refresh tokens and client secrets */
        explicit_bzero(r->body, strlen(r->body));
        free(r->body);
    }
    for (size_t i = 0; i < HTTP_MAX_HEADERS && r->headers[i]; i++) {
        explicit_bzero(r->headers[i], strlen(r->headers[i]));
        free(r->headers[i]);
    }
    memset(r, 0, sizeof *r);
}

char *adapter_urlencode(const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    char *out = xmalloc(strlen(s) * 3 + 1), *o = out;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            *o++ = (char)*p;
        } else {
            *o++ = '%';
            *o++ = hex[*p >> 4];
            *o++ = hex[*p & 15];
        }
    }
    *o = '\0';
    return out;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static char *urldecode(const char *s, size_t n)
{
    char *out = xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            *o++ = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else if (s[i] == '+') {
            *o++ = ' ';
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
}

char *adapter_query_param(const char *url, const char *name)
{
    const char *q = strchr(url, '?');
    q = q ? q + 1 : url;
    size_t nl = strlen(name);
    while (*q) {
        const char *amp = strchr(q, '&');
        size_t len = amp ? (size_t)(amp - q) : strlen(q);
        if (len > nl && strncmp(q, name, nl) == 0 && q[nl] == '=')
            return urldecode(q + nl + 1, len - nl - 1);
        if (!amp)
            break;
        q = amp + 1;
    }
    return NULL;
}

void adapter_email_hash(const char *salt, const char *email, char hex[65])
{
    while (isspace((unsigned char)*email))
        email++;
    size_t n = strlen(email);
    while (n && isspace((unsigned char)email[n - 1]))
        n--;
    char *norm = xstrndup(email, n);
    for (char *p = norm; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    hmac_sha256_hex(salt, strlen(salt), norm, n, hex);
    explicit_bzero(norm, n);
    free(norm);
}
