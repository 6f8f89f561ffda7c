/*
 * webhook-recv.c - an HTTP receiver on loopback for the alert delivery tests (test helper).
 *
 *   webhook-recv PORT_FILE DIR [STATUSES] [SECONDS]
 *
 * Listens on 127.0.0.1 (a free port, written to PORT_FILE) and answers every request with the
 * next status of STATUSES (comma-separated, default 200; the last one repeats), so "500,500,200"
 * makes a sender retry twice; "429:3" answers 429 with "Retry-After: 3". Each request is kept as
 * DIR/req.N.headers ("METHOD URI", then one "Name: value" line per header, then "status: S" with
 * the answer) and DIR/req.N.body, N counting from 1. Exits after SECONDS (default 120) or on
 * SIGTERM.
 */
#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct recv {
    const char *dir;
    int statuses[64], retry_after[64];
    int nstatuses;
    int n;
};

static const char *method_name(enum evhttp_cmd_type t)
{
    switch (t) {
    case EVHTTP_REQ_GET:
        return "GET";
    case EVHTTP_REQ_POST:
        return "POST";
    case EVHTTP_REQ_PUT:
        return "PUT";
    default:
        return "OTHER";
    }
}

static void on_request(struct evhttp_request *req, void *arg)
{
    struct recv *r = arg;
    int i = r->n < r->nstatuses ? r->n : r->nstatuses - 1;
    int status = r->statuses[i];
    char path[4096];
    r->n++;
    snprintf(path, sizeof path, "%s/req.%d.headers", r->dir, r->n);
    FILE *h = fopen(path, "w");
    if (h) {
        fprintf(h, "%s %s\n", method_name(evhttp_request_get_command(req)),
                evhttp_request_get_uri(req));
        struct evkeyvalq *hdrs = evhttp_request_get_input_headers(req);
        for (struct evkeyval *kv = hdrs->tqh_first; kv; kv = kv->next.tqe_next)
            fprintf(h, "%s: %s\n", kv->key, kv->value);
        fprintf(h, "status: %d\n", status);
        fclose(h);
    }
    snprintf(path, sizeof path, "%s/req.%d.body", r->dir, r->n);
    FILE *b = fopen(path, "w");
    if (b) {
        struct evbuffer *in = evhttp_request_get_input_buffer(req);
        size_t len = evbuffer_get_length(in);
        unsigned char *data = evbuffer_pullup(in, -1);
        if (len)
            fwrite(data, 1, len, b);
        fclose(b);
    }
    if (r->retry_after[i] > 0) {
        char after[16];
        snprintf(after, sizeof after, "%d", r->retry_after[i]);
        evhttp_add_header(evhttp_request_get_output_headers(req), "Retry-After", after);
    }
    struct evbuffer *out = evbuffer_new();
    evbuffer_add_printf(out, status / 100 == 2 ? "ok" : "status %d", status);
    evhttp_send_reply(req, status, status / 100 == 2 ? "OK" : "Test status", out);
    evbuffer_free(out);
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    event_base_loopexit(arg, NULL);
}

int main(int argc, char **argv)
{
    struct recv r = {0};
    if (argc < 3) {
        fprintf(stderr, "usage: webhook-recv PORT_FILE DIR [STATUSES] [SECONDS]\n");
        return 2;
    }
    r.dir = argv[2];
    char *list = strdup(argc > 3 ? argv[3] : "200"), *save = NULL;
    for (char *t = strtok_r(list, ",", &save); t && r.nstatuses < 64;
         t = strtok_r(NULL, ",", &save)) {
        const char *colon = strchr(t, ':');
        r.retry_after[r.nstatuses] = colon ? atoi(colon + 1) : 0;
        r.statuses[r.nstatuses++] = atoi(t);
    }
    free(list);
    if (r.nstatuses == 0)
        r.statuses[r.nstatuses++] = 200;
    int seconds = argc > 4 ? atoi(argv[4]) : 120;
    signal(SIGPIPE, SIG_IGN);
    struct event_base *base = event_base_new();
    struct evhttp *http = evhttp_new(base);
    struct evhttp_bound_socket *sock = evhttp_bind_socket_with_handle(http, "127.0.0.1", 0);
    if (!sock) {
        fprintf(stderr, "webhook-recv: cannot listen\n");
        return 1;
    }
    evhttp_set_gencb(http, on_request, &r);
    struct sockaddr_storage ss;
    ev_socklen_t sl = sizeof ss;
    getsockname(evhttp_bound_socket_get_fd(sock), (struct sockaddr *)&ss, &sl);
    int port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[1]);
    FILE *pf = fopen(tmp, "w");
    if (!pf || fprintf(pf, "%d\n", port) < 0 || fclose(pf) != 0 || rename(tmp, argv[1]) != 0) {
        perror(argv[1]);
        return 1;
    }
    struct event *term = evsignal_new(base, SIGTERM, on_stop, base);
    struct event *limit = evtimer_new(base, on_stop, base);
    struct timeval tv = {seconds, 0};
    evsignal_add(term, NULL);
    evtimer_add(limit, &tv);
    event_base_dispatch(base);
    event_free(term);
    event_free(limit);
    evhttp_free(http);
    event_base_free(base);
    return 0;
}
