/*
 * meta.h - the Graph API machinery the two Meta adapters share (facebook.c, instagram.c): usage
 * headers, error bodies classified by error.code, the body check, paging (cursor, time, offset) and
 * the token request of both. Not an API for anything else.
 *
 * Facebook and Instagram answer alike; what differs is named in a `struct meta_api`: the platform
 * each message starts with, and whether the Marketing API's X-Ad-Account-Usage counts.
 *
 * Pure, like every adapter: no I/O, no clock, no globals.
 */
#ifndef SR_ADAPTERS_META_H
#define SR_ADAPTERS_META_H

#include "adapter.h"
#include "buf.h"
#include "json.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct meta_api {
    const char *name;      /* "facebook": starts every message */
    bool ad_account_usage; /* X-Ad-Account-Usage counts with X-App-Usage and the BUC header */
};

/*
 * The rate-limit signals of X-App-Usage, X-Business-Use-Case-Usage (and X-Ad-Account-Usage):
 * the highest usage percentage, and a wait of the longest estimated_time_to_regain_access.
 */
void meta_ratelimit(const struct meta_api *m, const struct http_response *resp,
                    struct rl_signal *sig);

/* True for a Graph id: 1 to 64 digits or '_' (safe in a path, a cursor and a message). */
bool meta_is_id(const char *id);
/* An id from a body as it may appear in a message: the id, or "(not a Graph id)". */
const char *meta_shown_id(const char *id);

/* Parses the body (NULL when it is not JSON; why says where, "empty body" for none). */
cJSON *meta_json(const struct http_response *resp, char *why, size_t whylen);

/*
 * Checks a parsed answer: a Graph error object is classified by error.code (not the HTTP status:
 * a throttle arrives as 400 or 403), a non-2xx without one by its status, and a good answer must
 * be a JSON object. 0 when root is a good answer, -1 with the error set on rs. jwhy is
 * meta_json's reason for a NULL root; secret is the token in use (blanked in messages).
 */
int meta_check(const struct meta_api *m, const struct http_response *resp, const cJSON *root,
               const char *jwhy, const char *secret, struct rowset *rs);

/* meta_json and meta_check in one: the good answer (caller frees) or NULL. */
cJSON *meta_body(const struct meta_api *m, const struct http_response *resp, const char *secret,
                 struct rowset *rs);

/* The code and subcode of a Graph error answer; false when root is not one. */
bool meta_error_code(const cJSON *root, int64_t *code, int64_t *subcode);

/*
 * The next page of a list answer (caller frees), NULL on the last page; -1 with the page marked
 * malformed. paging.next alone decides whether there is another page (the last page still carries
 * cursors), and only the page is kept, never the next URL (it embeds the access token): the
 * `after` cursor (from paging.cursors or the URL), else the URL's time page
 * ("until=N&__paging_token=T") or offset ("offset=N").
 */
int meta_next_page(const struct meta_api *m, const cJSON *root, struct rowset *rs, char **page);

/* Appends a page meta_next_page returned to a request query: after=, or until/token/offset. */
void meta_page_query(struct buf *q, const char *page);

/* An insights metric as Graph names it and as socialroi stores it (NULL: read, not stored). */
struct meta_metric {
    const char *name;
    const char *metric;
};

/*
 * The metrics of m[0..n) a request asks for, comma-separated into out: those in ctx->probe when
 * it is set, else those not in ctx->retired. Returns how many (0: none left to ask for).
 */
size_t meta_metrics_asked(const struct adapter_ctx *ctx, const struct meta_metric *m, size_t n,
                          struct buf *out);

/*
 * After a request for the metrics `asked` (comma-separated) failed with rs set to
 * ERR_BAD_REQUEST: when the answer is Graph's refusal of an insights metric (error 100 whose
 * message speaks of a metric: "(#100) The value must be a valid insights metric", "(#100)
 * metric[N] must be one of the following values: ...", "(#100) Starting from v22.0, the X metric
 * is no longer supported..."), marks rs with rowset_set_refused_metric: metric[N] of asked when
 * the message gives an index, else the one asked metric the message names, else unknown among
 * asked.
 */
void meta_refused_metric(const struct http_response *resp, const char *asked, struct rowset *rs);

/*
 * Meta has no refresh token: a token is exchanged or refreshed by a GET of the token URL with
 * the query q (which holds secrets: it is wiped and freed here). 0.
 */
int meta_token_request(const struct cfg_platform *p, struct buf *q, struct http_request *req);

/*
 * The token endpoint's answer: access_token and expires_in (absent: does not expire or unknown);
 * a Graph error is classified as any other (190 auth, 5xx transient). `what` names the grant in
 * messages ("token exchange"). 0, or -1 with cls and why (never a secret).
 */
int meta_token_parse(const struct meta_api *m, const char *what, const struct http_response *resp,
                     struct token_set *out, enum err_class *cls, char *why, size_t whylen);

#endif
