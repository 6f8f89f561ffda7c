/*
 * fetch.c - the platforms' requests on libcurl multi, on the daemon's loop (see fetch.h).
 *
 * curlev.c drives the multi handle from libevent; after every curl_multi_socket_action the
 * finished transfers are drained here, copying what the completion needs before the easy
 * handle is removed. Teardown removes the easy handles, then cleans up the multi handle (which
 * may still call back), all while the event base is alive.
 */
#include "fetch.h"
#include "curlev.h"
#include "buf.h"
#include "log.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <curl/curl.h>
#include <event2/event.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FETCH_MAX_RESP_HEADERS 64

struct fetch_req {
    struct fetch *f;
    CURL *easy;
    struct curl_slist *headers;
    struct buf body;
    struct buf resp_headers; /* "name: value\n" lines of the final response */
    struct {
        const char *name, *value;
    } hdr[FETCH_MAX_RESP_HEADERS];
    size_t nhdr;
    size_t max_body;
    bool too_large;
    char errbuf[CURL_ERROR_SIZE];
    fetch_done_fn *cb;
    void *arg;
    int64_t started_us;
    struct fetch_req *prev, *next;
};

struct fetch {
    struct event_base *base;
    struct curlev *loop;
    CURLM *multi;           /* the loop's */
    struct fetch_req *reqs; /* in flight, doubly linked */
    struct fetch_stats st;
};

static void check_done(void *arg);

/* ---- curl callbacks ----------------------------------------------------------------------- */

static size_t write_cb(char *data, size_t size, size_t nmemb, void *arg)
{
    struct fetch_req *r = arg;
    size_t n = size * nmemb;
    if (buf_append(&r->body, data, n) < 0) {
        r->too_large = true;
        return 0; /* a short count makes curl fail the transfer */
    }
    return n;
}

static size_t header_cb(char *data, size_t size, size_t nmemb, void *arg)
{
    struct fetch_req *r = arg;
    size_t n = size * nmemb;
    /* a new status line starts a new response (after 100-continue or a proxy CONNECT) */
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0)
        buf_reset(&r->resp_headers);
    else if (n > 2)
        buf_append(&r->resp_headers, data, n);
    return n;
}

/* ---- completion --------------------------------------------------------------------------- */

/*
 * Splits the header block in place into NUL-terminated names and values, so every lookup
 * returns a pointer that stays valid until the completion callback returns.
 */
static void split_headers(struct fetch_req *r)
{
    char *p = r->resp_headers.data;
    r->nhdr = 0;
    while (p && *p && r->nhdr < FETCH_MAX_RESP_HEADERS) {
        char *eol = strchr(p, '\n');
        if (eol)
            *eol = '\0';
        char *colon = strchr(p, ':');
        if (colon) {
            *colon = '\0';
            char *v = colon + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            size_t vl = strlen(v);
            while (vl && (v[vl - 1] == '\r' || v[vl - 1] == ' '))
                v[--vl] = '\0';
            r->hdr[r->nhdr].name = p;
            r->hdr[r->nhdr++].value = v;
        }
        if (!eol)
            break;
        p = eol + 1;
    }
}

static const char *header_lookup(const struct http_response *resp, const char *name)
{
    const struct fetch_req *r = resp->priv;
    for (size_t i = 0; i < r->nhdr; i++)
        if (strcasecmp(r->hdr[i].name, name) == 0)
            return r->hdr[i].value;
    return NULL;
}

static void unlink_req(struct fetch *f, struct fetch_req *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else
        f->reqs = r->next;
    if (r->next)
        r->next->prev = r->prev;
    f->st.inflight--;
}

static void free_req(struct fetch *f, struct fetch_req *r)
{
    curl_multi_remove_handle(f->multi, r->easy);
    curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->headers);
    buf_free(&r->body);
    buf_free(&r->resp_headers);
    free(r);
}

static void finish(struct fetch *f, struct fetch_req *r, CURLcode code)
{
    struct fetch_result res = {0};
    long status = 0;
    curl_off_t retry = -1;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(r->easy, CURLINFO_RETRY_AFTER, &retry);
    res.status = code == CURLE_OK ? status : 0;
    res.transport_error = code != CURLE_OK;
    res.too_large = r->too_large;
    res.error = code == CURLE_OK ? ""
                : r->too_large   ? "response body larger than the configured limit"
                : r->errbuf[0]   ? r->errbuf
                                 : curl_easy_strerror(code);
    res.retry_after_ms = retry > 0 ? (int64_t)retry * 1000 : -1;
    res.elapsed_ms = (time_mono_us() - r->started_us) / 1000;
    res.resp.status = res.status;
    res.resp.body = r->body.data ? r->body.data : "";
    res.resp.len = r->body.len;
    res.resp.header = header_lookup;
    res.resp.priv = r;
    split_headers(r);
    log_debug("fetch: done status=%ld elapsed_ms=%lld bytes=%zu error=\"%s\"", res.status,
              (long long)res.elapsed_ms, r->body.len, res.error);
    f->st.bytes += r->body.len;
    if (res.transport_error)
        f->st.transport_errors++;
    unlink_req(f, r);
    r->cb(r->arg, &res);
    free_req(f, r);
}

/* curlev calls it after every socket action: the finished transfers, each completed once */
static void check_done(void *arg)
{
    struct fetch *f = arg;
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(f->multi, &left)) != NULL) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        /* copy out before the handle goes: the message dies with it */
        CURL *easy = msg->easy_handle;
        CURLcode code = msg->data.result;
        struct fetch_req *r = NULL;
        curl_easy_getinfo(easy, CURLINFO_PRIVATE, (char **)&r);
        finish(f, r, code);
    }
}

/* ---- public ------------------------------------------------------------------------------- */

struct fetch *fetch_new(struct event_base *base, long max_per_host, long max_total)
{
    struct fetch *f = xcalloc(1, sizeof *f);
    f->base = base;
    f->loop = curlev_new(base, check_done, f);
    f->multi = curlev_multi(f->loop);
    fetch_set_limits(f, max_per_host, max_total);
    return f;
}

void fetch_set_limits(struct fetch *f, long max_per_host, long max_total)
{
    curl_multi_setopt(f->multi, CURLMOPT_MAX_HOST_CONNECTIONS, max_per_host);
    curl_multi_setopt(f->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_total);
}

void fetch_free(struct fetch *f)
{
    if (!f)
        return;
    while (f->reqs) {
        struct fetch_req *r = f->reqs;
        unlink_req(f, r);
        free_req(f, r);
    }
    curlev_free(f->loop); /* libcurl may call back: the base must still be alive */
    free(f);
}

static void set_options(struct fetch_req *r, const struct http_request *req,
                        const struct fetch_opts *o)
{
    CURL *e = r->easy;
    curl_easy_setopt(e, CURLOPT_URL, req->url);
    curl_easy_setopt(e, CURLOPT_PRIVATE, r);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_cb);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, header_cb);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "socialroi/" SR_VERSION);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
    for (size_t i = 0; i < HTTP_MAX_HEADERS && req->headers[i]; i++)
        r->headers = curl_slist_append(r->headers, req->headers[i]);
    r->headers = curl_slist_append(r->headers, "Expect:");
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->headers);
    if (strcmp(req->method, "POST") == 0) {
        curl_easy_setopt(e, CURLOPT_POST, 1L);
        curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->body ? req->body : "");
    }
}

struct fetch_req *fetch_submit(struct fetch *f, const struct http_request *req,
                               const struct fetch_opts *opts, fetch_done_fn *cb, void *arg)
{
    struct fetch_req *r = xcalloc(1, sizeof *r);
    r->f = f;
    r->easy = curl_easy_init();
    if (!r->easy)
        abort();
    r->cb = cb;
    r->arg = arg;
    r->body.max = opts->max_body;
    r->started_us = time_mono_us();
    set_options(r, req, opts);
    CURLMcode mc = curl_multi_add_handle(f->multi, r->easy);
    if (mc != CURLM_OK) {
        log_err("fetch: cannot start request url=%s error=\"%s\"", req->log_url,
                curl_multi_strerror(mc));
        curl_easy_cleanup(r->easy);
        curl_slist_free_all(r->headers);
        free(r);
        return NULL;
    }
    r->next = f->reqs;
    if (f->reqs)
        f->reqs->prev = r;
    f->reqs = r;
    f->st.inflight++;
    f->st.requests++;
    return r;
}

void fetch_cancel(struct fetch *f, struct fetch_req *r)
{
    unlink_req(f, r);
    free_req(f, r);
}

void fetch_stats(const struct fetch *f, struct fetch_stats *out)
{
    *out = f->st;
}
