/*
 * facebook_int.h - private to the Meta adapter (facebook.c and facebook_ads.c): the helpers both
 * halves share. Not an API for anything else; the adapter itself is `adapter_facebook`.
 *
 * facebook.c holds the Graph requests and list pages, Page insights, Page posts and the token
 * exchange; facebook_ads.c holds Marketing API ads insights and Lead Ads. Graph errors, paging and
 * usage headers are meta.c's, shared with the Instagram adapter.
 */
#ifndef SR_ADAPTERS_FACEBOOK_INT_H
#define SR_ADAPTERS_FACEBOOK_INT_H

#include "adapter.h"
#include "buf.h"
#include "json.h"
#include "meta.h"

#include <stdbool.h>
#include <stddef.h>

/* Marks the page malformed ("facebook: ..."); returns -1. */
#define facebook_malformed(rs, ...) adapter_malformed(rs, "facebook", __VA_ARGS__)

/*
 * Sets req to a GET of {api_base}/{version}/{path}?{query} with the bearer header; path must
 * already be encoded, page (when not NULL) is a page meta_next_page returned: the `after` cursor,
 * or the time page or offset Graph pages that list by. 0, or -1 with why.
 */
int facebook_get(const struct adapter_ctx *ctx, struct http_request *req, const char *path,
                 struct buf *query, const char *page, char *why, size_t whylen);

/* Turns one data[] item into pending records; 0, or -1 after facebook_malformed. */
typedef int facebook_item_fn(const struct adapter_ctx *ctx, const cJSON *item, void *arg,
                             struct rowset *rs, struct adapter_pending *p);

/*
 * Reads a list answer: classifies Graph errors (by error.code, not the HTTP status), checks the
 * body, runs fn on every data[] item and, when `after` is not NULL, reads the next page's cursor
 * into it (caller frees; NULL on the last page). Records reach rs only when the whole page is good.
 * asked is the cursor this page was requested with (NULL: the first page): a next cursor equal to
 * it refuses the page (adapter_cursor_repeats). Returns 0 or -1 (error set on rs, no records).
 */
int facebook_parse_list(const struct adapter_ctx *ctx, const struct http_response *resp,
                        struct rowset *rs, facebook_item_fn *fn, void *arg, const char *asked,
                        char **after);

/* Ads insights and leads (facebook_ads.c). */
int facebook_build_ads(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                       size_t whylen);
int facebook_parse_ads(const struct adapter_ctx *ctx, const struct http_response *resp,
                       struct rowset *rs);
int facebook_build_leads(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                         size_t whylen);
int facebook_parse_leads(const struct adapter_ctx *ctx, const struct http_response *resp,
                         struct rowset *rs);

#endif
