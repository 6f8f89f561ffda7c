/*
 * http.h - the simulator's request parsing and reply delivery on evhttp.
 *
 * A struct http_req is one request being answered: its decoded path, its query parameters
 * (and a form-encoded body, for OAuth token endpoints), and the answer the platform code fills
 * in (status, body, content type, headers). http_deliver then sends it normally or the way a
 * fault asks: in small chunks over some seconds (chunked transfer driven by a timer), cut in
 * the middle, or replaced by a body that is not JSON. http_hold keeps a request unanswered
 * and closes its connection after some seconds.
 *
 * Everything runs on one event_base, no threads and nothing blocking. A connection that goes
 * away while a reply is pending is noticed through evhttp's close callback, which cancels the
 * timer and frees what the reply held.
 */
#ifndef SIM_HTTP_H
#define SIM_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/event.h>
#include <event2/http.h>

#include "buf.h"

struct http;

/* Caller frees with http_free after evhttp_free (which closes pending connections). */
struct http *http_new(struct event_base *base);
void http_free(struct http *h);

struct http_param {
    char *key, *val;
};

struct http_req {
    struct evhttp_request *req; /* borrowed from evhttp */
    enum evhttp_cmd_type method;
    char *path;                /* percent-decoded path, whole */
    const char *sub;           /* points into path: below the platform prefix */
    struct http_param *params; /* decoded query parameters */
    size_t nparams;
    struct http_param *form; /* decoded x-www-form-urlencoded body */
    size_t nform;
    /* the answer */
    int status;
    struct buf body;
    const char *content_type; /* static string */
};

/* Parses req into r. Returns 0, or -1 when the URI cannot be parsed. */
int http_req_init(struct http_req *r, struct evhttp_request *req);
void http_req_cleanup(struct http_req *r);

/* Query parameter / form field by exact name (the first one), or NULL. Borrowed. */
const char *http_param(const struct http_req *r, const char *key);
const char *http_form(const struct http_req *r, const char *key);
/* Request header, or NULL. Borrowed. */
const char *http_header(const struct http_req *r, const char *name);
/* The token of "Authorization: Bearer <token>", or NULL. Borrowed. */
const char *http_bearer(const struct http_req *r);
/* Adds a response header (copied). */
void http_set_header(struct http_req *r, const char *name, const char *value);
/* The Host header, or "127.0.0.1" without one. */
const char *http_host(const struct http_req *r);

/* Sets status and content type and empties the body, ready for a new answer. */
void http_answer(struct http_req *r, int status, const char *content_type);

enum http_mode { HTTP_NORMAL, HTTP_SLOW, HTTP_TRUNCATED, HTTP_MALFORMED };

/* Sends r's answer; for HTTP_SLOW spread over seconds. r can be cleaned up afterwards. */
void http_deliver(struct http *h, struct http_req *r, enum http_mode mode, int seconds);
/* Leaves req unanswered and closes its connection after seconds. */
void http_hold(struct http *h, struct evhttp_request *req, int seconds);
/*
 * Calls fn(req, arg) after ms milliseconds on the event loop (--latency-ms), or never when the
 * client goes away first (then req is freed). Nothing blocks meanwhile.
 */
typedef void http_later_fn(struct evhttp_request *req, void *arg);
void http_later(struct http *h, struct evhttp_request *req, int ms, http_later_fn *fn, void *arg);
/* Replies at once with a small JSON body (used for control endpoints and routing errors). */
void http_reply_json(struct evhttp_request *req, int status, const char *json);

/* Appends s percent-encoded for a query string (RFC 3986 unreserved characters kept). */
void http_urlencode(struct buf *b, const char *s);

/* Standard base64 with padding; out must hold 4 * ((n + 2) / 3) + 1 bytes. */
void b64_encode(const void *in, size_t n, char *out);
/* Decodes standard base64 (padding optional); returns the length, or -1 on bad input. */
int b64_decode(const char *in, unsigned char *out, size_t outlen);

#endif
