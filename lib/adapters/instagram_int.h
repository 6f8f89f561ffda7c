/*
 * instagram_int.h - private to the Instagram adapter (instagram.c and instagram_media.c): the Graph
 * helpers both halves share. Not an API for anything else; the adapter itself is
 * `adapter_instagram`.
 *
 * instagram.c holds the Graph requests, account insights and the token refresh; instagram_media.c
 * holds the media list and per-medium insights. Graph errors, bodies, paging and usage headers
 * are meta.c's, shared with the Facebook adapter.
 */
#ifndef SR_ADAPTERS_INSTAGRAM_INT_H
#define SR_ADAPTERS_INSTAGRAM_INT_H

#include "adapter.h"
#include "buf.h"
#include "json.h"
#include "meta.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define INSTAGRAM_TITLE_MAX 280 /* bytes of caption kept as the content title */

/* Marks the page malformed ("instagram: ..."); returns -1. */
#define instagram_malformed(rs, ...) adapter_malformed(rs, "instagram", __VA_ARGS__)

/*
 * Sets req to a GET of {api_base}/{version}/{object}[/{edge}]?{query} with the bearer header;
 * object is percent-encoded here, edge is literal (NULL for none). 0, or -1 with why.
 */
int instagram_get(const struct adapter_ctx *ctx, struct http_request *req, const char *object,
                  const char *edge, const struct buf *query, char *why, size_t whylen);

/* The account's IG user id; NULL with why when the account has none. */
const char *instagram_user(const struct adapter_ctx *ctx, char *why, size_t whylen);

/* Graph as Instagram speaks it (meta.h): messages start "instagram:". */
extern const struct meta_api instagram_graph;

/* instagram.media (instagram_media.c). */
int instagram_build_media(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                          size_t whylen);
int instagram_parse_media(const struct adapter_ctx *ctx, const struct http_response *resp,
                          struct rowset *rs);

#endif
