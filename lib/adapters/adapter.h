/*
 * adapter.h - what a platform adapter is: request building, parsing, error classification,
 * rate-limit signals and token refresh for each of the platform's streams.
 *
 * Adapters are pure: no libcurl, libpq, libevent, clock or file access. Everything they need
 * arrives in struct adapter_ctx and struct http_response; everything they produce goes into a
 * struct http_request, a struct rowset or a struct rl_signal. That makes every adapter testable
 * on saved bodies (socialroi parse) and fuzzable.
 *
 * One file per platform in lib/adapters/, all-static except its `const struct adapter` and what
 * its own sub-files share (declared in the platform's private <platform>_int.h). What platforms
 * have in common lives here (adapter.c), in oauth.c (the OAuth 2.0 refresh-token grant) and in
 * meta.c (the Graph API of Facebook and Instagram).
 */
#ifndef SR_ADAPTER_H
#define SR_ADAPTER_H

#include "config.h"
#include "platform.h"
#include "rowset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_HEADERS 8

/* A request an adapter built. All strings are owned (free with http_request_free). */
struct http_request {
    const char *method;                  /* "GET" or "POST" (static strings) */
    char *url;                           /* full URL, may embed secrets: never logged */
    char *headers[HTTP_MAX_HEADERS + 1]; /* "Name: value", NULL-terminated */
    char *body;                          /* request body for POST, or NULL */
    char *log_url;                       /* what may be logged: no query string, no secrets */
};

/* Appends "Name: value" (formatted); returns -1 when the header list is full. */
int http_request_header(struct http_request *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Sets url (and log_url: the url up to the '?'). */
void http_request_set_url(struct http_request *r, char *url);
void http_request_free(struct http_request *r);

/* A response as the adapter sees it. Everything is borrowed. */
struct http_response {
    long status;
    const char *body;
    size_t len;
    /* Looks up a header value case-insensitively; NULL when absent. */
    const char *(*header)(const struct http_response *r, const char *name);
    const void *priv;
};

/* What a request and its parser need to know about the job. Everything is borrowed. */
struct adapter_ctx {
    const struct cfg_account *account;
    const struct cfg_platform *platform;
    const char *stream;       /* "facebook.ads_insights" */
    const char *access_token; /* current access token: never logged */
    const char *email_salt;   /* for salted lead e-mail hashes ("" when none) */
    const char *page;         /* page cursor from the previous page's rowset, NULL at first */
    int32_t from_day, to_day; /* window, inclusive, days since epoch in the stream's basis */
    int64_t since;            /* incremental watermark, epoch microseconds (0 = none) */
    /* the run reads everything changed since `since` from scratch: no watermark yet (a first
     * run) or an operator's backfill, as opposed to an increment from the last run's watermark */
    bool full;
    int64_t now; /* wall clock, epoch microseconds: snapshots are observed now */
    /* most posts a search page may return (the X listening budget left), 0 = the stream's own
     * page size */
    int max_results;
    /* insights metrics the platform refused (comma-separated, kept in the job's cursor): no
     * longer asked for; NULL none */
    const char *retired;
    /* when not NULL, ask for only these metrics (comma-separated): the engine is finding out
     * which metric of a refused request the platform refuses */
    const char *probe;
};

/* Rate-limit signals read from any response (success or error). */
struct rl_signal {
    int64_t wait_ms; /* wait at least this long before the next request (-1 = no signal) */
    int usage_pct;   /* highest usage percentage reported (-1 = none) */
    bool per_stream; /* the limit is per endpoint (X windows), not per credential */
};

/* Durations in a stream's row, in milliseconds. */
#define MINUTES(n) ((int64_t)(n)*60 * 1000)
#define HOURS(n)   (MINUTES(n) * 60)
#define DAYS(n)    (HOURS(n) * 24)

/*
 * A stream: everything socialroi knows of it is its row in its adapter's table (the README's
 * stream table is checked against `socialroi streams`). Defaults follow each platform's
 * restatement behaviour and cost: Meta ads restate 28 days, LinkedIn ads 30, YouTube
 * Analytics lags 2-3 days (a 5-day window), CRM deltas run often with a short overlap.
 */
struct stream_def {
    const char *name;     /* "facebook.ads_insights": the platform's name, a dot, the stream's */
    enum day_basis basis; /* day basis of its windows and dates */
    int64_t interval_ms;  /* default poll interval ([account] interval overrides it) */
    int64_t lookback_ms;  /* default trailing window polled again for restatements */
    bool daily_metrics;   /* delivers the account's daily metrics (data_health counts gaps) */
    bool windowed;        /* takes from_day/to_day (else a snapshot or paged list) */
    bool incremental;     /* takes a `since` watermark (leads, CRM deltas) */
    /* Builds the request for ctx (first page when ctx->page is NULL). 0, or -1 with why. */
    int (*build)(const struct adapter_ctx *ctx, struct http_request *req, char *why, size_t whylen);
    /*
     * Parses one response into rs: records and rowset_set_next() for another page, or
     * rowset_set_error() for an API error body (classified) or a malformed one. Returns 0 when
     * the page is good, -1 otherwise.
     */
    int (*parse)(const struct adapter_ctx *ctx, const struct http_response *resp,
                 struct rowset *rs);
    /*
     * Whether an account has what the stream needs (x.mentions: search queries); an account
     * without it gets no job for the stream. NULL: every account of the platform does.
     */
    bool (*applies)(const struct cfg_account *a);
    /* Longest window one request may ask for, in days (0: any): longer ones go in chunks. */
    int max_window_days;
    /*
     * Days before today (UTC) the platform still serves (0: all): older days are skipped, and
     * a job stalled that long loses them for good (the data_loss alert counts down to it; the
     * daemon syncs it to socialroi.stream_fact). The README cites each platform's page.
     */
    int max_days_back;
};

/* Tokens obtained from a refresh. Strings point into the adapter's copy; see refresh_parse. */
struct token_set {
    char access_token[2048];
    char refresh_token[2048]; /* "" when the platform did not rotate it */
    int64_t expires_in_s;     /* 0 = does not expire / unknown */
};

struct adapter {
    enum platform_id platform;
    const struct stream_def *streams;
    size_t nstreams;
    /* Reads the platform's rate-limit signals (now: epoch microseconds); may be NULL. */
    void (*ratelimit)(const struct http_response *resp, int64_t now, struct rl_signal *sig);
    /*
     * Whether the request a stream builds for ctx is one the platform's requests_per_second
     * paces (HubSpot: its CRM search, with a per-second limit of its own); the others go by the
     * rate-limit signals alone. NULL: every request is paced.
     */
    bool (*paced)(const struct adapter_ctx *ctx);
    /* Builds a token refresh request, or returns -1 when the credential cannot refresh. */
    int (*refresh_build)(const struct cfg_platform *p, const struct cfg_credential *cred,
                         const char *access_token, const char *refresh_token,
                         struct http_request *req);
    /* Parses the token endpoint's answer; returns 0, or -1 with class/why (never a secret). */
    int (*refresh_parse)(const struct http_response *resp, struct token_set *out,
                         enum err_class *cls, char *why, size_t whylen);
};

/* The adapter of a platform, and the definition of a stream by name (NULL when unknown). */
const struct adapter *adapter_for(enum platform_id platform);
const struct stream_def *adapter_stream(const char *stream, const struct adapter **owner);
/* The i-th of all streams in a stable order, and its adapter; NULL past the last. */
const struct stream_def *adapter_stream_at(size_t i, const struct adapter **owner);

/* ---- helpers every adapter uses ------------------------------------------------------------ */

/* Percent-encodes s for a query string value (RFC 3986 unreserved characters kept). */
char *adapter_urlencode(const char *s);
/* Appends "&name=value" (just "name=value" to an empty query), value percent-encoded. */
struct buf;
void adapter_query(struct buf *q, const char *name, const char *value);
/* Marks the page malformed ("<platform>: ..."); always returns -1, for `return ...(rs, ...)`. */
int adapter_malformed(struct rowset *rs, const char *platform, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The value of query parameter `name` in a URL or query string, decoded; NULL when absent. */
char *adapter_query_param(const char *url, const char *name);
/* The salted hash of a lower-cased, trimmed e-mail address (hex HMAC-SHA-256). */
void adapter_email_hash(const char *salt, const char *email, char hex[65]);

/*
 * Copies text from an API answer into an error message: control characters become spaces and any
 * word that could be a URL or a credential (contains "://", "token=", "_token" or the current
 * token `secret`, or is 32 bytes or longer without a space) becomes "[redacted]". Truncated at a
 * UTF-8 boundary.
 */
void adapter_safe_text(char *dst, size_t n, const char *src, const char *secret);
/* text cut to at most max bytes at a UTF-8 character boundary, copied into the arena. */
const char *adapter_title(struct rowset *rs, const char *text, size_t max);
/* A header holding a non-negative decimal integer (epoch seconds, counts); 0 or -1. */
int adapter_header_int(const struct http_response *resp, const char *name, int64_t *out);
/* Adds "Authorization: Basic base64(id:secret)"; returns what http_request_header does. */
int adapter_basic_auth(struct http_request *req, const char *id, const char *secret);
/* Wipes and frees a string that held a secret (NULL is fine). */
void adapter_free_secret(char *s);

/*
 * US Pacific time without the tz database (adapters read no files): the offset from UTC at t
 * (epoch seconds), and the Pacific calendar day that ends at end_us (Graph insights end_time).
 */
int64_t adapter_pacific_offset(int64_t t);
int32_t adapter_pacific_day_ending(int64_t end_us);
/* Milliseconds from now (epoch us) to the next Pacific midnight (Google's daily quota reset). */
int64_t adapter_until_pacific_midnight_ms(int64_t now);

/*
 * Records of one page held back until the whole page has been read: a page that turns out
 * malformed half-way must leave no records in the rowset. Zero-initialised.
 */
struct adapter_pending {
    struct record *v;
    size_t n, cap;
};

void adapter_pending_add(struct adapter_pending *p, const struct record *r);
/* Hands the records to rs (the page is good) and empties p. */
void adapter_pending_commit(struct adapter_pending *p, struct rowset *rs);
void adapter_pending_drop(struct adapter_pending *p);

/* Queues a lifetime count of object (account-level: ""), observed at `at` (epoch us). */
void adapter_snapshot(int64_t at, const char *object, const char *metric, int64_t value,
                      struct adapter_pending *p);
/* Queues the account's own metric for day, a day of the given basis. */
void adapter_daily(enum day_basis basis, const char *metric, int32_t day, int64_t value,
                   struct adapter_pending *p);

/*
 * Whether next, the page a parser is about to hand on, is the page just read (ctx->page): its
 * request would be the one just made, and a platform that keeps answering it the same way would
 * be paged forever. When it is, the page is refused as malformed ("<platform>: paging repeats
 * the page just read") and true is returned; the job stops with that error and keeps its cursor.
 */
bool adapter_next_repeats(const struct adapter_ctx *ctx, const char *next, const char *platform,
                          struct rowset *rs);
/* The same for a list whose pages alternate with others (a list page, then the details of its
 * items): got, the list's next token, is asked, the token this list page was requested with. */
bool adapter_cursor_repeats(const char *asked, const char *got, const char *platform,
                            struct rowset *rs);

/*
 * The end of every page parser: a good page (rc 0) hands its records to rs and sets the next
 * page's cursor (NULL: the last page); either way next, p and root are freed. Returns rc, or -1
 * when next repeats the page just read (adapter_next_repeats: no record is handed on).
 */
struct cJSON;
int adapter_page_end(const struct adapter_ctx *ctx, const char *platform, int rc,
                     struct adapter_pending *p, struct rowset *rs, char *next, struct cJSON *root);

/*
 * Queues a lead from a platform's lead form and its form_submission touchpoint ("form:<id>"):
 * email (n bytes, NULL for none) is kept only as its salted hash.
 */
void adapter_form_lead(const struct adapter_ctx *ctx, const struct rec_lead *l, const char *email,
                       size_t n, const char *platform, struct rowset *rs,
                       struct adapter_pending *p);

/*
 * Reads the decimal digits at *pp (at least one, no sign, no overflow) into out and moves *pp
 * past them; -1 when there are none or too many. Page cursors are made of these.
 */
int adapter_read_decimal(const char **pp, int64_t *out);

/* 0 when the job has an access token to send; -1 with why ("no access token") otherwise. */
int adapter_need_token(const struct adapter_ctx *ctx, char *why, size_t whylen);

#endif
