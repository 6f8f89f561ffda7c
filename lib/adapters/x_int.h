/*
 * x_int.h - private to the X adapter (x.c and x_mentions.c): the helpers both share. Not an API for
 * anything else; the adapter itself is `adapter_x`.
 *
 * x.c holds requests, errors, paging, the user and timeline streams, rate limits and tokens;
 * x_mentions.c holds the brand-mention search (x.mentions).
 */
#ifndef SR_ADAPTERS_X_INT_H
#define SR_ADAPTERS_X_INT_H

#include "adapter.h"
#include "json.h"

#include <stdbool.h>
#include <stddef.h>

/* Marks the page malformed ("x: ..."); returns -1. */
#define x_malformed(rs, ...) adapter_malformed(rs, "x", __VA_ARGS__)

/* Method, auth header and URL of a GET below {api_base}/2/; path and query already encoded. */
int x_begin_get(const struct adapter_ctx *ctx, struct http_request *req, const char *path,
                const char *query, char *why, size_t whylen);

/* The page parser of one stream: records into p, next cursor into *next (arena or body). */
typedef int x_page_fn(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                      struct adapter_pending *p, const char **next);

/* Status, body and errors[] warnings around a stream's page parser; commits only a good page. */
int x_parse_page(const struct adapter_ctx *ctx, const struct http_response *resp, struct rowset *rs,
                 x_page_fn *fn);

/* A post's id (a decimal snowflake, kept as text) into *out (arena); -1 when malformed. */
int x_tweet_id(const cJSON *tweet, struct rowset *rs, const char **out);

/* x.mentions (x_mentions.c) */
bool x_mentions_applies(const struct cfg_account *a);
int x_build_mentions(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                     size_t whylen);
int x_parse_mentions(const struct adapter_ctx *ctx, const struct http_response *resp,
                     struct rowset *rs);

#endif
