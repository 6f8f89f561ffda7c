/*
 * hubspot_int.h - private to the HubSpot adapter (hubspot.c and hubspot_deals.c): the helpers both
 * halves share. Not an API for anything else; the adapter itself is `adapter_hubspot`.
 *
 * hubspot.c holds requests, error classes, the CRM search with its 10,000-result window, contacts
 * (hubspot.contacts), rate-limit headers and tokens; hubspot_deals.c holds pipelines, deals and
 * their contact associations (hubspot.deals).
 */
#ifndef SR_ADAPTERS_HUBSPOT_INT_H
#define SR_ADAPTERS_HUBSPOT_INT_H

#include "adapter.h"
#include "json.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HUBSPOT_ID_MAX 20 /* digits of a 64-bit object id */

/* Marks the page malformed ("hubspot: ..."); returns -1. */
#define hubspot_malformed(rs, ...) adapter_malformed(rs, "hubspot", __VA_ARGS__)

/*
 * Sets req to {method} {api_base}{path} with the bearer header and, for a body (owned by req
 * afterwards), Content-Type: application/json. 0, or -1 with why.
 */
int hubspot_request(const struct adapter_ctx *ctx, struct http_request *req, const char *method,
                    const char *path, char *body, char *why, size_t whylen);

/*
 * The body of a good answer as a JSON object, or NULL with the error set on rs: a non-2xx answer
 * is classified by status, category and policyName (reference §7.4, §11); a 2xx body that is not
 * a JSON object is malformed.
 */
cJSON *hubspot_read_body(const struct adapter_ctx *ctx, const struct http_response *resp,
                         struct rowset *rs);

/* An object id (string, JSON number or "805781762.0") as decimal digits in the arena, or NULL. */
const char *hubspot_id(const cJSON *obj, const char *key, struct rowset *rs);

/*
 * A property value: a non-empty string (borrowed) in *out, NULL when absent, null or "".
 * -1 after hubspot_malformed when it is not a string.
 */
int hubspot_prop(const cJSON *props, const char *key, struct rowset *rs, const char **out);

/* A timestamp property (ISO-8601, or epoch milliseconds as text): JSON_OK, _ABSENT or _BAD. */
enum json_get hubspot_time(const cJSON *props, const char *key, int64_t *us);

/*
 * Where a search stands: the GTE watermark of its modified-date filter (epoch ms) and the `after`
 * token within it ("" = the start of the window). Text form "WATERMARK:AFTER".
 */
struct hubspot_search {
    int64_t since_ms;
    const char *after;
};

/* Reads "WATERMARK:AFTER" (after borrowed from s); -1 when s is not one. */
int hubspot_search_read(const char *s, struct hubspot_search *st);
/* The search request body (caller frees): filter and sort on prop, these properties, limit 200. */
char *hubspot_search_body(const char *prop, const struct hubspot_search *st,
                          const char *const *properties);
/*
 * The search state after a page (caller frees; NULL when it was the last page). last_ms is the
 * latest modified date on the page (-1 when none): past 9,800 results the window moves up to it
 * and paging restarts, since HubSpot refuses to page beyond 10,000. -1 with the error set.
 */
int hubspot_search_next(const cJSON *root, const struct hubspot_search *st, int64_t last_ms,
                        struct rowset *rs, char **next);

/*
 * The list endpoints (GET /crm/v3/objects/{contacts|deals}; hubspot.c says where the facts come
 * from) read a full load: a page cursor "list:AFTER" ("list:" = the first page).
 */
#define HUBSPOT_PAGE_LIST "list:"

/* Sets req to a list page: limit 100, these properties (and associations), `after` unless "". */
int hubspot_list_request(const struct adapter_ctx *ctx, struct http_request *req,
                         const char *object, const char *after, const char *const *properties,
                         const char *associations, char *why, size_t whylen);
/* The cursor after a list page (caller frees; NULL on the last page); -1 with the error set. */
int hubspot_list_next(const cJSON *root, struct rowset *rs, char **next);
/*
 * Whether a list page's result belongs to the run: modified (property prop) at or after the
 * watermark, as the search's GTE filter would have it. A result the parser will refuse is kept.
 */
bool hubspot_list_keeps(const struct adapter_ctx *ctx, const cJSON *res, const char *prop);

/* The results[] array of a body; NULL after hubspot_malformed when missing or not an array. */
const cJSON *hubspot_results(const cJSON *root, struct rowset *rs);

/* Deals (hubspot_deals.c). */
int hubspot_build_deals(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                        size_t whylen);
int hubspot_parse_deals(const struct adapter_ctx *ctx, const struct http_response *resp,
                        struct rowset *rs);
/* Whether the deals request of ctx is a search (paced by requests_per_second). */
bool hubspot_deals_paced(const struct adapter_ctx *ctx);

#endif
