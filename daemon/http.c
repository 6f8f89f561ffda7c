/*
 * http.c - /healthz and /metrics over evhttp (see http.h).
 */
#include "http.h"
#include "log.h"
#include "xmalloc.h"

#include <event2/buffer.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <stdlib.h>
#include <string.h>

struct http_status {
    struct evhttp *http;
    struct http_handlers h;
    void *arg;
};

static void free_body(const void *data, size_t len, void *arg)
{
    (void)len;
    (void)arg;
    free((void *)data);
}

/* Sends body (taken: /metrics of 10,000 accounts is megabytes, so it is not copied). */
static void reply(struct evhttp_request *req, int code, const char *reason, const char *type,
                  struct buf *body)
{
    struct evbuffer *out = evbuffer_new();
    if (!out)
        abort();
    evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", type);
    evhttp_add_header(evhttp_request_get_output_headers(req), "Cache-Control", "no-store");
    if (body && body->len && evhttp_request_get_command(req) != EVHTTP_REQ_HEAD) {
        size_t len;
        char *data = buf_steal(body, &len); /* the evbuffer frees it once it is sent */
        if (evbuffer_add_reference(out, data, len, free_body, NULL) != 0)
            free(data);
    }
    evhttp_send_reply(req, code, reason, out);
    evbuffer_free(out);
}

static void request_cb(struct evhttp_request *req, void *arg)
{
    struct http_status *s = arg;
    enum evhttp_cmd_type cmd = evhttp_request_get_command(req);
    const char *path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req));
    struct buf body = {0};
    if (cmd != EVHTTP_REQ_GET && cmd != EVHTTP_REQ_HEAD) {
        evhttp_add_header(evhttp_request_get_output_headers(req), "Allow", "GET, HEAD");
        buf_puts(&body, "method not allowed\n");
        reply(req, 405, "Method Not Allowed", "text/plain", &body);
    } else if (path && strcmp(path, "/healthz") == 0) {
        bool ok = s->h.health(s->arg, &body);
        reply(req, ok ? 200 : 503, ok ? "OK" : "Service Unavailable", "application/json", &body);
    } else if (path && strcmp(path, "/metrics") == 0) {
        s->h.metrics(s->arg, &body);
        reply(req, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", &body);
    } else {
        buf_puts(&body, "not found: try /healthz or /metrics\n");
        reply(req, 404, "Not Found", "text/plain", &body);
    }
    buf_free(&body);
}

struct http_status *http_status_new(struct event_base *base, const char *listen,
                                    const struct http_handlers *h, void *arg)
{
    const char *colon = strrchr(listen, ':');
    char *host = xstrndup(listen, (size_t)(colon - listen));
    int port = atoi(colon + 1);
    struct http_status *s = xcalloc(1, sizeof *s);
    s->h = *h;
    s->arg = arg;
    s->http = evhttp_new(base);
    if (!s->http)
        abort();
    /* an address in brackets is IPv6: evhttp wants it bare */
    if (host[0] == '[' && host[strlen(host) - 1] == ']') {
        memmove(host, host + 1, strlen(host));
        host[strlen(host) - 1] = '\0';
    }
    evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD | EVHTTP_REQ_POST |
                                            EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE);
    evhttp_set_max_headers_size(s->http, 16384);
    evhttp_set_max_body_size(s->http, 4096);
    evhttp_set_timeout(s->http, 10);
    evhttp_set_gencb(s->http, request_cb, s);
    if (evhttp_bind_socket(s->http, host, (ev_uint16_t)port) != 0) {
        log_err("http: cannot listen addr=%s", listen);
        free(host);
        http_status_free(s);
        return NULL;
    }
    log_info("http: listening addr=%s", listen);
    free(host);
    return s;
}

void http_status_free(struct http_status *s)
{
    if (!s)
        return;
    if (s->http)
        evhttp_free(s->http);
    free(s);
}
