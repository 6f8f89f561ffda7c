/*
 * linkedin_int.h - private to the LinkedIn adapter (linkedin.c and linkedin_ads.c): the helpers
 * both halves share. Not an API for anything else; the adapter itself is `adapter_linkedin`.
 *
 * linkedin.c holds the Rest.li request and error machinery, organization statistics
 * (linkedin.org_stats) and token refresh; linkedin_ads.c holds campaigns with adAnalytics
 * (linkedin.ad_analytics) and Lead Gen Form responses (linkedin.leads).
 */
#ifndef SR_ADAPTERS_LINKEDIN_INT_H
#define SR_ADAPTERS_LINKEDIN_INT_H

#include "adapter.h"
#include "json.h"

#include <stdbool.h>
#include <stddef.h>

#define LINKEDIN_ID_MAX 20 /* digits of a 64-bit id */

/* Marks the page malformed ("linkedin: ..."); returns -1. */
#define linkedin_malformed(rs, ...) adapter_malformed(rs, "linkedin", __VA_ARGS__)

/*
 * The numeric id of an account setting (`id`, `ad_account`) that may be written as a bare id or
 * as a URN ("urn:li:sponsoredAccount:123"); copied into buf. 0, or -1 with why.
 */
int linkedin_config_id(const char *value, const char *what, char *buf, size_t len, char *why,
                       size_t whylen);

/* The numeric id after the last ':' of a URN (or a bare id), in the arena; NULL when not one. */
const char *linkedin_urn_id(struct rowset *rs, const char *urn);

/*
 * Sets req to GET {api_base}/rest/{path}?{query} with the bearer, LinkedIn-Version and
 * X-Restli-Protocol-Version headers. path and query must already be Rest.li-encoded (syntax
 * characters as they are, URNs percent-encoded). 0, or -1 with why.
 */
int linkedin_get(const struct adapter_ctx *ctx, struct http_request *req, const char *path,
                 const char *query, char *why, size_t whylen);

/*
 * The body of a good answer as a JSON object, or NULL with the error set on rs: a non-2xx answer
 * is classified by status and serviceErrorCode (reference §4.7, §11), a 2xx body that is not a
 * JSON object is malformed.
 */
cJSON *linkedin_read_body(const struct adapter_ctx *ctx, const struct http_response *resp,
                          struct rowset *rs);

/* The elements[] array of a body; NULL after linkedin_malformed when missing or not an array. */
const cJSON *linkedin_elements(const cJSON *root, struct rowset *rs);

/* True when some element of arr is an object with member key (recognizes a page's shape). */
bool linkedin_any_has(const cJSON *arr, const char *key);

/* Campaigns and adAnalytics (linkedin_ads.c). */
int linkedin_build_ads(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                       size_t whylen);
int linkedin_parse_ads(const struct adapter_ctx *ctx, const struct http_response *resp,
                       struct rowset *rs);
/* Lead Gen Form responses (linkedin_leads.c). */
int linkedin_build_leads(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                         size_t whylen);
int linkedin_parse_leads(const struct adapter_ctx *ctx, const struct http_response *resp,
                         struct rowset *rs);

/* A member's own posts and their statistics (linkedin_member.c). */
int linkedin_build_member(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                          size_t whylen);
int linkedin_parse_member(const struct adapter_ctx *ctx, const struct http_response *resp,
                          struct rowset *rs);
/* Which accounts a stream serves: a member's (`member = yes`) or an organization's. */
bool linkedin_member_applies(const struct cfg_account *a);
bool linkedin_org_applies(const struct cfg_account *a);

#endif
