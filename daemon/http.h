/*
 * http.h - the status listener: GET /healthz and GET /metrics.
 *
 * A libevent evhttp server on the configured address (127.0.0.1 by default: it exposes
 * operational data, not an API). The bodies come from callbacks into the daemon context;
 * this file only speaks HTTP. Runs on the event loop; not thread-safe.
 */
#ifndef SR_HTTP_H
#define SR_HTTP_H

#include "buf.h"

#include <stdbool.h>

struct event_base;
struct http_status;

struct http_handlers {
    /* Fills body with the health JSON; returns true when healthy (200), false for 503. */
    bool (*health)(void *arg, struct buf *body);
    /* Fills body with Prometheus text. */
    void (*metrics)(void *arg, struct buf *body);
};

/* listen is "ADDRESS:PORT"; returns NULL (and logs why) when it cannot bind. */
struct http_status *http_status_new(struct event_base *base, const char *listen,
                                    const struct http_handlers *h, void *arg);
void http_status_free(struct http_status *s);

#endif
