/*
 * adapter.c - the adapter registry and the helpers adapters share (see adapter.h).
 */
#include "adapter.h"
#include "buf.h"
#include "json.h"
#include "timeutil.h"
#include "sha256.h"
#include "xmalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct adapter adapter_x;
extern const struct adapter adapter_facebook;
extern const struct adapter adapter_linkedin;
extern const struct adapter adapter_hubspot;
extern const struct adapter adapter_instagram;
extern const struct adapter adapter_youtube;
extern const struct adapter adapter_pinterest;

static const struct adapter *const registry[] = {
    &adapter_x,         &adapter_facebook, &adapter_linkedin,  &adapter_hubspot,
    &adapter_instagram, &adapter_youtube,  &adapter_pinterest,
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

int stream_platform(const char *name, enum platform_id *platform)
{
    const struct adapter *owner;
    if (!adapter_stream(name, &owner))
        return -1;
    *platform = owner->platform;
    return 0;
}

const struct stream_def *adapter_stream_at(size_t i, const struct adapter **owner)
{
    for (size_t r = 0; r < sizeof registry / sizeof registry[0]; r++) {
        if (i < registry[r]->nstreams) {
            *owner = registry[r];
            return &registry[r]->streams[i];
        }
        i -= registry[r]->nstreams;
    }
    return NULL;
}

const char *stream_name_at(size_t i, enum platform_id *platform)
{
    const struct adapter *owner;
    const struct stream_def *d = adapter_stream_at(i, &owner);
    if (!d)
        return NULL;
    *platform = owner->platform;
    return d->name;
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

/* ---- text, headers, auth ----------------------------------------------------------------- */

void adapter_safe_text(char *dst, size_t n, const char *src, const char *secret)
{
    struct buf b = {0};
    while (src && *src) {
        size_t w = strcspn(src, " ");
        char *word = xstrndup(src, w);
        if (w >= 32 || strstr(word, "://") || strstr(word, "token=") || strstr(word, "_token") ||
            (secret && *secret && strstr(word, secret)))
            buf_puts(&b, "[redacted]");
        else
            for (char *c = word; *c; c++)
                buf_append(&b, (unsigned char)*c < 0x20 || *c == 0x7f ? " " : c, 1);
        free(word);
        src += w;
        if (*src)
            buf_append(&b, src++, 1);
    }
    size_t len = b.len < n ? b.len : n - 1;
    while (len > 0 && len < b.len && (b.data[len] & 0xc0) == 0x80)
        len--;
    memcpy(dst, b.len ? b.data : "", len);
    dst[len] = '\0';
    buf_free(&b);
}

const char *adapter_title(struct rowset *rs, const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
            n--;
    }
    return rowset_strndup(rs, text, n);
}

int adapter_header_int(const struct http_response *resp, const char *name, int64_t *out)
{
    const char *v = resp->header ? resp->header(resp, name) : NULL;
    int64_t n = 0;
    if (!v)
        return -1;
    while (*v == ' ')
        v++;
    if (*v < '0' || *v > '9')
        return -1;
    for (; *v >= '0' && *v <= '9'; v++) {
        if (n > (INT64_MAX / 1000 - 9) / 10) /* leaves room to convert seconds to ms */
            return -1;
        n = n * 10 + (*v - '0');
    }
    while (*v == ' ')
        v++;
    if (*v)
        return -1;
    *out = n;
    return 0;
}

static char *base64(const char *s)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t n = strlen(s);
    char *out = xmalloc((n + 2) / 3 * 4 + 1), *o = out;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < n)
            v |= p[i + 2];
        *o++ = tab[v >> 18 & 63];
        *o++ = tab[v >> 12 & 63];
        *o++ = i + 1 < n ? tab[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? tab[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

void adapter_query(struct buf *q, const char *name, const char *value)
{
    char *enc = adapter_urlencode(value);
    buf_printf(q, "%s%s=%s", q->len ? "&" : "", name, enc);
    free(enc);
}

int adapter_malformed(struct rowset *rs, const char *platform, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    rowset_set_error(rs, ERR_MALFORMED, -1, "%s: %s", platform, msg);
    return -1;
}

void adapter_free_secret(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
    }
}

int adapter_basic_auth(struct http_request *req, const char *id, const char *secret)
{
    char *pair = xasprintf("%s:%s", id, secret);
    char *b64 = base64(pair);
    int rc = http_request_header(req, "Authorization: Basic %s", b64);
    adapter_free_secret(b64);
    adapter_free_secret(pair);
    return rc;
}

/* ---- Pacific days (reference §2.2, §15.4) ---------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/* The first Sunday on or after day (1970-01-01 was a Thursday). */
static int32_t sunday_from(int32_t day)
{
    int wd = (int)((day % 7 + 7 + 4) % 7); /* 0 = Sunday */
    return day + (7 - wd) % 7;
}

/*
 * The offset of US Pacific time from UTC at t (epoch seconds). Daylight time runs from the second
 * Sunday of March, 02:00 PST (10:00 UTC), to the first Sunday of November, 02:00 PDT (09:00 UTC),
 * since 2007; from the first Sunday of April to the last of October before. Computed here because
 * adapters do not read the tz database.
 */
int64_t adapter_pacific_offset(int64_t t)
{
    int y;
    unsigned m, d;
    int32_t start, end;
    time_civil_from_days((int32_t)floor_div(t, 86400), &y, &m, &d);
    if (y >= 2007) {
        start = sunday_from(time_days_from_civil(y, 3, 1)) + 7;
        end = sunday_from(time_days_from_civil(y, 11, 1));
    } else {
        start = sunday_from(time_days_from_civil(y, 4, 1));
        end = sunday_from(time_days_from_civil(y, 10, 25));
    }
    int64_t s = (int64_t)start * 86400 + 10 * 3600, e = (int64_t)end * 86400 + 9 * 3600;
    return t >= s && t < e ? -7 * 3600 : -8 * 3600;
}

/* The Pacific calendar day that ends at end_us: the Pacific date of the second before it. */
int64_t adapter_until_pacific_midnight_ms(int64_t now)
{
    int64_t t = floor_div(now, 1000000), off = adapter_pacific_offset(t);
    int64_t next_day = floor_div(t + off, 86400) + 1;
    int64_t midnight = next_day * 86400 - off;
    /* across a clock change the offset at midnight is the new one (clocks move at 02:00) */
    int64_t off_then = adapter_pacific_offset(midnight);
    if (off_then != off)
        midnight = next_day * 86400 - off_then;
    return (midnight * 1000000 - now) / 1000;
}

int32_t adapter_pacific_day_ending(int64_t end_us)
{
    int64_t t = floor_div(end_us, 1000000) - 1;
    return (int32_t)floor_div(t + adapter_pacific_offset(t), 86400);
}

/* ---- pending records ----------------------------------------------------------------------- */

void adapter_pending_add(struct adapter_pending *p, const struct record *r)
{
    p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof *p->v);
    p->v[p->n++] = *r;
}

void adapter_pending_commit(struct adapter_pending *p, struct rowset *rs)
{
    for (size_t i = 0; i < p->n; i++)
        rowset_add(rs, &p->v[i]);
    adapter_pending_drop(p);
}

void adapter_pending_drop(struct adapter_pending *p)
{
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* ---- records and pages ----------------------------------------------------------------------- */

void adapter_snapshot(int64_t at, const char *object, const char *metric, int64_t value,
                      struct adapter_pending *p)
{
    struct record r = {.type = REC_SNAPSHOT};
    r.u.snapshot.object = object;
    r.u.snapshot.metric = metric;
    r.u.snapshot.observed_at = at;
    r.u.snapshot.value = value;
    adapter_pending_add(p, &r);
}

void adapter_daily(enum day_basis basis, const char *metric, int32_t day, int64_t value,
                   struct adapter_pending *p)
{
    struct record r = {.type = REC_METRIC};
    r.u.metric.object = "";
    r.u.metric.metric = metric;
    r.u.metric.day = day;
    r.u.metric.basis = basis;
    r.u.metric.value = value;
    adapter_pending_add(p, &r);
}

bool adapter_cursor_repeats(const char *asked, const char *got, const char *platform,
                            struct rowset *rs)
{
    if (!got || !asked || strcmp(got, asked) != 0)
        return false;
    adapter_malformed(rs, platform, "paging repeats the page just read: stopped");
    return true;
}

bool adapter_next_repeats(const struct adapter_ctx *ctx, const char *next, const char *platform,
                          struct rowset *rs)
{
    return adapter_cursor_repeats(ctx->page, next, platform, rs);
}

int adapter_page_end(const struct adapter_ctx *ctx, const char *platform, int rc,
                     struct adapter_pending *p, struct rowset *rs, char *next, struct cJSON *root)
{
    if (rc == 0 && adapter_next_repeats(ctx, next, platform, rs))
        rc = -1;
    if (rc == 0) {
        adapter_pending_commit(p, rs);
        rowset_set_next(rs, next);
    }
    free(next);
    adapter_pending_drop(p);
    cJSON_Delete(root);
    return rc;
}

int adapter_need_token(const struct adapter_ctx *ctx, char *why, size_t whylen)
{
    if (ctx->access_token && *ctx->access_token)
        return 0;
    snprintf(why, whylen, "no access token");
    return -1;
}

void adapter_form_lead(const struct adapter_ctx *ctx, const struct rec_lead *l, const char *email,
                       size_t n, const char *platform, struct rowset *rs, struct adapter_pending *p)
{
    struct record r = {.type = REC_LEAD}, t = {.type = REC_TOUCHPOINT};
    r.u.lead = *l;
    if (email) {
        char hex[65], *e = xstrndup(email, n);
        adapter_email_hash(ctx->email_salt ? ctx->email_salt : "", e, hex);
        r.u.lead.email_hash = rowset_strdup(rs, hex);
        adapter_free_secret(e);
    }
    adapter_pending_add(p, &r);
    char *tid = xasprintf("form:%s", l->id);
    t.u.touchpoint.id = rowset_strdup(rs, tid);
    free(tid);
    t.u.touchpoint.lead = l->id;
    t.u.touchpoint.kind = "form_submission";
    t.u.touchpoint.occurred_at = l->created_at;
    t.u.touchpoint.platform = platform;
    t.u.touchpoint.campaign = l->campaign; /* NULL for an organic lead */
    adapter_pending_add(p, &t);
}

int adapter_read_decimal(const char **pp, int64_t *out)
{
    const char *p = *pp;
    int64_t v = 0;
    if (*p < '0' || *p > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    *pp = p;
    *out = v;
    return 0;
}
