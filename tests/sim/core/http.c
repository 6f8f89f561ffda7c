/*
 * http.c - request parsing and reply delivery for the simulator (see http.h).
 *
 * The fault deliveries follow tests/sim/README.md ("Control endpoints", fault table):
 * slow = the real body in small chunks over `seconds` (evhttp chunked replies driven by a
 * timer), truncated = status 200 with the real body cut in the middle, malformed = status 200
 * with a body that is not JSON (an HTML proxy error page, what a misbehaving edge really
 * sends), timeout = no answer, then the connection is closed.
 */
#include "http.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <event2/buffer.h>
#include <event2/keyvalq_struct.h>

#include "xmalloc.h"

#define SLOW_CHUNKS 10

/* A reply that is still going out (slow), being withheld (timeout) or waiting (latency). */
struct pending {
    struct http *h;
    struct evhttp_request *req;
    struct evhttp_connection *evcon;
    struct event *timer;
    char *body;
    size_t len, pos, chunk;
    struct timeval interval;
    bool hold;
    http_later_fn *later; /* set for a request waiting out --latency-ms */
    void *later_arg;
    struct pending *prev, *next;
};

struct http {
    struct event_base *base;
    struct pending *pending;
};

struct http *http_new(struct event_base *base)
{
    struct http *h = xcalloc(1, sizeof *h);
    h->base = base;
    return h;
}

static void pending_free(struct pending *p)
{
    if (p->prev)
        p->prev->next = p->next;
    else
        p->h->pending = p->next;
    if (p->next)
        p->next->prev = p->prev;
    event_free(p->timer);
    free(p->body);
    free(p);
}

void http_free(struct http *h)
{
    if (!h)
        return;
    /* evhttp_free has closed every connection, and close_cb freed each pending reply. */
    while (h->pending) {
        evhttp_connection_set_closecb(h->pending->evcon, NULL, NULL);
        pending_free(h->pending);
    }
    free(h);
}

/* ---- parsing -------------------------------------------------------------------------------- */

static char *decode(const char *s, size_t n, int plus)
{
    char *tmp = xstrndup(s, n);
    char *d = evhttp_uridecode(tmp, plus, NULL);
    free(tmp);
    if (!d)
        return xstrdup("");
    char *out = xstrdup(d);
    free(d);
    return out;
}

/* "a=1&b=%7B%7D" -> pairs, percent-decoded, '+' as space (form encoding). */
static void parse_pairs(const char *q, struct http_param **out, size_t *n)
{
    size_t cap = 0;
    while (q && *q) {
        size_t len = strcspn(q, "&");
        if (len > 0) {
            const char *eq = memchr(q, '=', len);
            size_t klen = eq ? (size_t)(eq - q) : len;
            *out = xgrow(*out, &cap, *n + 1, sizeof **out);
            (*out)[*n].key = decode(q, klen, 1);
            (*out)[*n].val = eq ? decode(eq + 1, len - klen - 1, 1) : xstrdup("");
            (*n)++;
        }
        q += len;
        if (*q == '&')
            q++;
    }
}

static void read_form(struct http_req *r)
{
    struct evbuffer *in = evhttp_request_get_input_buffer(r->req);
    size_t len = evbuffer_get_length(in);
    if (len == 0)
        return;
    char *body = xmalloc(len + 1);
    evbuffer_copyout(in, body, len);
    body[len] = '\0';
    parse_pairs(body, &r->form, &r->nform);
    free(body);
}

int http_req_init(struct http_req *r, struct evhttp_request *req)
{
    memset(r, 0, sizeof *r);
    r->req = req;
    r->method = evhttp_request_get_command(req);
    r->status = 200;
    r->content_type = "application/json";
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(req);
    const char *path = uri ? evhttp_uri_get_path(uri) : NULL;
    if (!path)
        return -1;
    r->path = decode(path, strlen(path), 0);
    r->sub = r->path;
    parse_pairs(evhttp_uri_get_query(uri), &r->params, &r->nparams);
    if (r->method == EVHTTP_REQ_POST)
        read_form(r);
    return 0;
}

static void free_pairs(struct http_param *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(p[i].key);
        free(p[i].val);
    }
    free(p);
}

void http_req_cleanup(struct http_req *r)
{
    free(r->path);
    free_pairs(r->params, r->nparams);
    free_pairs(r->form, r->nform);
    buf_free(&r->body);
    memset(r, 0, sizeof *r);
}

static const char *find_pair(const struct http_param *p, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(p[i].key, key) == 0)
            return p[i].val;
    return NULL;
}

const char *http_param(const struct http_req *r, const char *key)
{
    return find_pair(r->params, r->nparams, key);
}

const char *http_form(const struct http_req *r, const char *key)
{
    return find_pair(r->form, r->nform, key);
}

const char *http_header(const struct http_req *r, const char *name)
{
    return evhttp_find_header(evhttp_request_get_input_headers(r->req), name);
}

const char *http_bearer(const struct http_req *r)
{
    const char *a = http_header(r, "Authorization");
    if (!a || strncasecmp(a, "Bearer ", 7) != 0)
        return NULL;
    a += 7;
    while (*a == ' ')
        a++;
    return *a ? a : NULL;
}

void http_set_header(struct http_req *r, const char *name, const char *value)
{
    evhttp_add_header(evhttp_request_get_output_headers(r->req), name, value);
}

const char *http_host(const struct http_req *r)
{
    const char *h = http_header(r, "Host");
    return h && *h ? h : "127.0.0.1";
}

void http_answer(struct http_req *r, int status, const char *content_type)
{
    r->status = status;
    r->content_type = content_type;
    buf_reset(&r->body);
}

/* ---- delivery ------------------------------------------------------------------------------- */

/* Reason phrases libevent does not know (it only has those up to 417). */
static const char *reason(int status)
{
    switch (status) {
    case 429:
        return "Too Many Requests";
    case 422:
        return "Unprocessable Entity";
    default:
        return NULL; /* libevent's own table */
    }
}

static void close_cb(struct evhttp_connection *evcon, void *arg)
{
    struct pending *p = arg;
    (void)evcon;
    /*
     * The client went away (or the server is shutting down). When the client closed first,
     * evhttp has detached the request from the connection and it is ours to free; otherwise
     * the connection frees it right after this callback.
     */
    if (evhttp_request_get_connection(p->req) == NULL)
        evhttp_request_free(p->req);
    pending_free(p);
}

static void slow_cb(evutil_socket_t fd, short what, void *arg)
{
    struct pending *p = arg;
    (void)fd;
    (void)what;
    size_t n = p->len - p->pos < p->chunk ? p->len - p->pos : p->chunk;
    struct evbuffer *eb = evbuffer_new();
    evbuffer_add(eb, p->body + p->pos, n);
    p->pos += n;
    evhttp_send_reply_chunk(p->req, eb);
    evbuffer_free(eb);
    if (p->pos < p->len) {
        evtimer_add(p->timer, &p->interval);
        return;
    }
    /* Done: forget the connection before ending, which may free it. */
    evhttp_connection_set_closecb(p->evcon, NULL, NULL);
    struct evhttp_request *req = p->req;
    pending_free(p);
    evhttp_send_reply_end(req);
}

static void hold_cb(evutil_socket_t fd, short what, void *arg)
{
    struct pending *p = arg;
    (void)fd;
    (void)what;
    struct evhttp_connection *evcon = p->evcon;
    evhttp_connection_set_closecb(evcon, NULL, NULL);
    pending_free(p);
    evhttp_connection_free(evcon); /* frees the unanswered request with it */
}

/* The wait is over: forget the connection's close callback, then answer. */
static void later_cb(evutil_socket_t fd, short what, void *arg)
{
    struct pending *p = arg;
    (void)fd;
    (void)what;
    struct evhttp_request *req = p->req;
    http_later_fn *fn = p->later;
    void *fn_arg = p->later_arg;
    evhttp_connection_set_closecb(p->evcon, NULL, NULL);
    pending_free(p);
    fn(req, fn_arg);
}

static struct pending *pending_new(struct http *h, struct evhttp_request *req, bool hold,
                                   http_later_fn *later)
{
    struct pending *p = xcalloc(1, sizeof *p);
    p->h = h;
    p->req = req;
    p->hold = hold;
    p->later = later;
    p->evcon = evhttp_request_get_connection(req);
    p->timer = evtimer_new(h->base, later ? later_cb : hold ? hold_cb : slow_cb, p);
    p->next = h->pending;
    if (h->pending)
        h->pending->prev = p;
    h->pending = p;
    evhttp_connection_set_closecb(p->evcon, close_cb, p);
    return p;
}

void http_hold(struct http *h, struct evhttp_request *req, int seconds)
{
    struct pending *p = pending_new(h, req, true, NULL);
    struct timeval tv = {.tv_sec = seconds, .tv_usec = 0};
    evtimer_add(p->timer, &tv);
}

void http_later(struct http *h, struct evhttp_request *req, int ms, http_later_fn *fn, void *arg)
{
    struct pending *p = pending_new(h, req, false, fn);
    struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};
    p->later_arg = arg;
    /* The loop's cached time may be older than this request: never wait less than ms. */
    event_base_update_cache_time(h->base);
    evtimer_add(p->timer, &tv);
}

static void deliver_slow(struct http *h, struct http_req *r, int seconds)
{
    struct pending *p = pending_new(h, r->req, false, NULL);
    p->len = r->body.len;
    p->body = buf_steal(&r->body, NULL);
    if (!p->body)
        p->body = xstrdup("");
    p->chunk = (p->len + SLOW_CHUNKS - 1) / SLOW_CHUNKS;
    if (p->chunk == 0)
        p->chunk = 1;
    long ms = (long)seconds * 1000 / SLOW_CHUNKS;
    p->interval.tv_sec = ms / 1000;
    p->interval.tv_usec = (ms % 1000) * 1000;
    evhttp_send_reply_start(r->req, r->status, reason(r->status));
    evtimer_add(p->timer, &p->interval);
}

static const char malformed_body[] =
    "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    "<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n";

void http_deliver(struct http *h, struct http_req *r, enum http_mode mode, int seconds)
{
    struct evkeyvalq *out = evhttp_request_get_output_headers(r->req);
    if (mode == HTTP_MALFORMED) {
        r->status = 200;
        r->content_type = "text/html";
        buf_reset(&r->body);
        buf_puts(&r->body, malformed_body);
    }
    evhttp_remove_header(out, "Content-Type");
    evhttp_add_header(out, "Content-Type", r->content_type);
    if (mode == HTTP_SLOW) {
        deliver_slow(h, r, seconds);
        return;
    }
    size_t len = r->body.len;
    if (mode == HTTP_TRUNCATED) {
        r->status = 200;
        len /= 2;
    }
    struct evbuffer *eb = evbuffer_new();
    evbuffer_add(eb, r->body.data ? r->body.data : "", len);
    evhttp_send_reply(r->req, r->status, reason(r->status), eb);
    evbuffer_free(eb);
}

void http_reply_json(struct evhttp_request *req, int status, const char *json)
{
    struct evbuffer *eb = evbuffer_new();
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "application/json");
    evbuffer_add(eb, json, strlen(json));
    evhttp_send_reply(req, status, NULL, eb);
    evbuffer_free(eb);
}

/* ---- encodings ------------------------------------------------------------------------------ */

void http_urlencode(struct buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (isalnum(*p) || *p == '-' || *p == '_' || *p == '.' || *p == '~')
            buf_append(b, p, 1);
        else
            buf_printf(b, "%%%02X", *p);
    }
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void b64_encode(const void *in, size_t n, char *out)
{
    const unsigned char *s = in;
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        out[o++] = b64[v >> 18 & 63];
        out[o++] = b64[v >> 12 & 63];
        out[o++] = i + 1 < n ? b64[v >> 6 & 63] : '=';
        out[o++] = i + 2 < n ? b64[v & 63] : '=';
    }
    out[o] = '\0';
}

int b64_decode(const char *in, unsigned char *out, size_t outlen)
{
    unsigned v = 0;
    int bits = 0;
    size_t o = 0;
    for (const char *p = in; *p && *p != '='; p++) {
        const char *c = strchr(b64, *p);
        if (!c || !*c)
            return -1;
        v = (v << 6) | (unsigned)(c - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= outlen)
                return -1;
            out[o++] = (unsigned char)(v >> bits & 0xFF);
        }
    }
    return (int)o;
}
