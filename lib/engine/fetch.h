/*
 * fetch.h - HTTP requests on the event loop: libcurl's multi interface driven by libevent.
 *
 * One CURLM, one timer, one event per socket curl asks us to watch; finished transfers are
 * drained after every socket action. Each request has a connect and a total timeout and a body
 * cap; gzip/deflate are accepted; connections per host and in total are limited. The
 * completion callback gets the status, the response headers and the body, all borrowed until
 * it returns. Secrets in URLs, headers and bodies are never logged here: log_url is.
 *
 * Runs on the event loop; not thread-safe. fetch_free() must run before the base is freed.
 */
#ifndef SR_FETCH_H
#define SR_FETCH_H

#include "adapter.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct fetch;
struct fetch_req;

struct fetch_opts {
    int64_t timeout_ms;
    int64_t connect_timeout_ms;
    size_t max_body; /* bytes; a larger body fails the request */
};

struct fetch_result {
    long status;            /* HTTP status; 0 when no response arrived */
    bool transport_error;   /* connect failure, timeout, reset, body over the cap... */
    bool too_large;         /* the body exceeded max_body */
    const char *error;      /* transport error text (no URL), "" when none */
    int64_t retry_after_ms; /* Retry-After header, -1 when absent */
    int64_t elapsed_ms;
    struct http_response resp; /* status, body and header lookup for adapters */
};

/* Called once per submitted request (unless cancelled). res is borrowed. */
typedef void fetch_done_fn(void *arg, const struct fetch_result *res);

struct fetch_stats {
    uint64_t requests, transport_errors, bytes;
    size_t inflight;
};

struct fetch *fetch_new(struct event_base *base, long max_per_host, long max_total);
/* New connection limits (a reload); transfers already running keep theirs. */
void fetch_set_limits(struct fetch *f, long max_per_host, long max_total);
/* Cancels everything in flight (no callbacks) and frees. NULL is a no-op. */
void fetch_free(struct fetch *f);

/*
 * Starts req (copied: the caller may free it at once). Returns a handle valid until the
 * callback returns, or NULL when curl refused the request (logged).
 */
struct fetch_req *fetch_submit(struct fetch *f, const struct http_request *req,
                               const struct fetch_opts *opts, fetch_done_fn *cb, void *arg);
/* Abandons a request: its callback will not run. */
void fetch_cancel(struct fetch *f, struct fetch_req *r);

void fetch_stats(const struct fetch *f, struct fetch_stats *out);

#endif
