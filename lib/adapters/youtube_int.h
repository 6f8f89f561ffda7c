/*
 * youtube_int.h - private to the YouTube adapter (youtube.c and youtube_analytics.c): the Google
 * helpers both halves share. Not an API for anything else; the adapter itself is
 * `adapter_youtube`.
 *
 * youtube.c holds the requests, Google error bodies, the Data API streams (channel, videos) and
 * the token refresh; youtube_analytics.c holds the Analytics API report (youtube.analytics).
 */
#ifndef SR_ADAPTERS_YOUTUBE_INT_H
#define SR_ADAPTERS_YOUTUBE_INT_H

#include "adapter.h"
#include "buf.h"
#include "json.h"

#include <stddef.h>
#include <stdint.h>

/* Marks the page malformed ("youtube: ..."); returns -1. */
#define youtube_malformed(rs, ...) adapter_malformed(rs, "youtube", __VA_ARGS__)

/* Sets req to a GET of {base}{path}?{query} with the bearer header; 0, or -1 with why. */
int youtube_get(const struct adapter_ctx *ctx, struct http_request *req, const char *base,
                const char *path, const struct buf *query, char *why, size_t whylen);

/*
 * The body of a good answer (caller frees), or NULL with the error set on rs: a Google error body
 * is classified by errors[].reason, then its gRPC status, then the HTTP status (403 quotaExceeded
 * parks the job until the next Pacific midnight after ctx->now); any other non-2xx by its status;
 * a good answer must be a JSON object.
 */
cJSON *youtube_body(const struct adapter_ctx *ctx, const struct http_response *resp,
                    struct rowset *rs);

/* youtube.analytics (youtube_analytics.c). */
int youtube_build_analytics(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                            size_t whylen);
int youtube_parse_analytics(const struct adapter_ctx *ctx, const struct http_response *resp,
                            struct rowset *rs);

#endif
