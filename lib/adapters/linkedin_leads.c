/*
 * linkedin_leads.c - linkedin.leads: Lead Gen Form responses of the ad account submitted since the
 * watermark. The Rest.li and error machinery is in linkedin.c.
 *
 * What LinkedIn sends (reference §4.5): elements with an `id`, `submittedAt` in epoch milliseconds,
 * `testLead`, the form as versionedLeadGenFormUrn "urn:li:versionedLeadGenForm:(urn:li:
 * leadGenForm:ID,VERSION)", the campaign URN in leadMetadata.sponsoredLeadMetadata.campaign and the
 * answers in formResponse.answers[].answerDetails. Answers carry question ids, not labels (those
 * would need another request per form), so the e-mail address is the first text answer that is a
 * syntactically valid address; it is kept only as a salted hash. Test leads are skipped.
 *
 * Paging is by offset: start/count with paging.total. The page cursor is "START:END": the offset
 * of the next page and the end of submittedAtTimeRange in epoch milliseconds. The first request
 * ends its range at ctx->now; parsing its answer fixes END (the parse's ctx->now, a moment later)
 * for every later page, so the pages of a run ask for one range while ctx->now moves on and a
 * lead submitted meanwhile cannot shift the offsets. The next run starts from the watermark minus
 * the lookback, so leads after END are read then.
 *
 * Pure, like the rest of the adapter.
 */
#include "linkedin_int.h"
#include "buf.h"
#include "xmalloc.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE_COUNT 100
#define EMAIL_MAX  254

/* ---- cursor ---------------------------------------------------------------------------------- */

/* "START:END" (NULL: offset 0, the range ends now); -1 when it is not such a cursor. */
static int lead_cursor(const struct adapter_ctx *ctx, int64_t *start, int64_t *end)
{
    const char *p = ctx->page;
    *start = 0;
    *end = ctx->now / 1000;
    if (!p)
        return 0;
    if (adapter_read_decimal(&p, start) < 0 || *p++ != ':' || adapter_read_decimal(&p, end) < 0 ||
        *p)
        return -1;
    return 0;
}

/* ---- request --------------------------------------------------------------------------------- */

int linkedin_build_leads(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                         size_t whylen)
{
    char acct[32], query[640];
    int64_t start, end;
    if (linkedin_config_id(ctx->account ? ctx->account->ad_account : NULL, "ad_account", acct,
                           sizeof acct, why, whylen) < 0)
        return -1;
    if (lead_cursor(ctx, &start, &end) < 0) {
        snprintf(why, whylen, "page cursor is not a leads offset");
        return -1;
    }
    snprintf(query, sizeof query,
             "q=owner&owner=(sponsoredAccount:urn%%3Ali%%3AsponsoredAccount%%3A%s)"
             "&leadType=(leadType:SPONSORED)&limitedToTestLeads=false"
             "&submittedAtTimeRange=(start:%" PRId64 ",end:%" PRId64 ")&start=%" PRId64 "&count=%d",
             acct, ctx->since > 0 ? ctx->since / 1000 : 0, end, start, PAGE_COUNT);
    return linkedin_get(ctx, req, "leadFormResponses", query, why, whylen);
}

/* ---- answers --------------------------------------------------------------------------------- */

static bool local_char(unsigned char c)
{
    return isalnum(c) || (c && strchr("!#$%&'*+/=?^_`{|}~.-", c));
}

/* One DNS label: 1..63 letters, digits and inner hyphens. */
static bool label_ok(const char *s, size_t n)
{
    if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return false;
    return true;
}

/* local@domain.tld with no spaces, dots in the right places and a letter TLD. */
static bool email_valid(const char *s, size_t n)
{
    const char *at = memchr(s, '@', n);
    if (!at || at == s || n > EMAIL_MAX || s[n - 1] == '.' ||
        memchr(at + 1, '@', n - (size_t)(at - s) - 1))
        return false;
    size_t nl = (size_t)(at - s), nd = n - nl - 1;
    if (nl > 64 || s[0] == '.' || s[nl - 1] == '.')
        return false;
    for (size_t i = 0; i < nl; i++)
        if (!local_char((unsigned char)s[i]) || (s[i] == '.' && s[i + 1] == '.'))
            return false;
    const char *d = at + 1, *dot, *end = d + nd, *last = NULL;
    for (; d < end; d = dot + 1) {
        dot = memchr(d, '.', (size_t)(end - d));
        if (!dot)
            dot = end;
        if (!label_ok(d, (size_t)(dot - d)))
            return false;
        last = d;
        if (dot == end)
            break;
    }
    if (!last || last == at + 1 || end - last < 2) /* at least two labels, a 2+ letter TLD */
        return false;
    for (const char *c = last; c < end; c++)
        if (!isalpha((unsigned char)*c))
            return false;
    return true;
}

/* The first text answer that is an e-mail address (borrowed, trimmed length in *n), or NULL. */
static int lead_email(const cJSON *lead, struct rowset *rs, const char **email, size_t *n)
{
    const cJSON *answers = json_path(lead, "formResponse", "answers", NULL), *a;
    *email = NULL;
    if (!answers || cJSON_IsNull(answers))
        return 0;
    if (!cJSON_IsArray(answers))
        return linkedin_malformed(rs, "formResponse.answers is not an array");
    cJSON_ArrayForEach(a, answers)
    {
        const char *text;
        const cJSON *t = json_path(a, "answerDetails", "textQuestionAnswer", NULL);
        enum json_get g = json_str(t, "answer", &text);
        if (g == JSON_BAD)
            return linkedin_malformed(rs, "a text answer is not a string");
        if (g != JSON_OK)
            continue; /* a multiple-choice answer, or none */
        while (isspace((unsigned char)*text))
            text++;
        size_t len = strlen(text);
        while (len && isspace((unsigned char)text[len - 1]))
            len--;
        if (email_valid(text, len)) {
            *email = text;
            *n = len;
            return 0;
        }
    }
    return 0;
}

/* ---- leads ----------------------------------------------------------------------------------- */

/* The form id inside "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:ID,VERSION)". */
static const char *form_id(const char *urn, struct rowset *rs)
{
    const char *p = strstr(urn, "leadGenForm:");
    if (!p)
        return linkedin_urn_id(rs, urn);
    p += strlen("leadGenForm:");
    size_t n = strspn(p, "0123456789");
    return n > 0 && n <= LINKEDIN_ID_MAX ? rowset_strndup(rs, p, n) : NULL;
}

/* Form and campaign of a lead; either may stay NULL. */
static int lead_origin(const cJSON *lead, struct rowset *rs, struct rec_lead *l)
{
    const char *form = NULL, *campaign = NULL;
    const cJSON *meta = json_path(lead, "leadMetadata", "sponsoredLeadMetadata", NULL);
    if (json_str(lead, "versionedLeadGenFormUrn", &form) == JSON_BAD ||
        json_str(meta, "campaign", &campaign) == JSON_BAD)
        return linkedin_malformed(rs, "versionedLeadGenFormUrn or campaign is not a string");
    l->form = form ? form_id(form, rs) : NULL;
    l->campaign = campaign ? linkedin_urn_id(rs, campaign) : NULL;
    return 0;
}

static int lead_element(const struct adapter_ctx *ctx, const cJSON *lead, struct rowset *rs,
                        struct adapter_pending *p)
{
    struct rec_lead l = {.source = "form"};
    char buf[32];
    const char *id, *email;
    size_t n = 0;
    bool test = false;
    int64_t ms;
    if (!cJSON_IsObject(lead))
        return linkedin_malformed(rs, "elements[] item is not an object");
    if (json_bool(lead, "testLead", &test) == JSON_BAD)
        return linkedin_malformed(rs, "testLead is not a boolean");
    if (test) /* a form preview submission, never a real lead */
        return 0;
    if (json_id(lead, "id", buf, sizeof buf, &id) != JSON_OK)
        return linkedin_malformed(rs, "lead response without an id");
    l.id = rowset_strdup(rs, id);
    if (json_int(lead, "submittedAt", &ms) != JSON_OK || ms <= 0)
        return linkedin_malformed(rs, "lead response without submittedAt in epoch milliseconds");
    l.created_at = ms * 1000;
    if (lead_origin(lead, rs, &l) < 0 || lead_email(lead, rs, &email, &n) < 0)
        return -1;
    adapter_form_lead(ctx, &l, email, n, "linkedin", rs, p);
    return 0;
}

/* The next offset: more when paging.total says so (or, without a total, after a full page). */
static int lead_next(const cJSON *root, int64_t start, int64_t end, int n, struct rowset *rs,
                     char **next)
{
    int64_t total;
    const cJSON *paging = json_get(root, "paging");
    enum json_get g = json_count(paging, "total", &total);
    *next = NULL;
    if (paging && !cJSON_IsNull(paging) && !cJSON_IsObject(paging))
        return linkedin_malformed(rs, "paging is not an object");
    if (g == JSON_BAD)
        return linkedin_malformed(rs, "paging.total is not a count");
    if (n > 0 && (g == JSON_OK ? start + n < total : n >= PAGE_COUNT))
        *next = xasprintf("%" PRId64 ":%" PRId64, start + n, end);
    return 0;
}

int linkedin_parse_leads(const struct adapter_ctx *ctx, const struct http_response *resp,
                         struct rowset *rs)
{
    struct adapter_pending p = {0};
    int64_t start, end;
    char *next = NULL;
    int rc = -1;
    if (lead_cursor(ctx, &start, &end) < 0)
        return linkedin_malformed(rs, "page cursor is not a leads offset");
    cJSON *root = linkedin_read_body(ctx, resp, rs);
    if (!root)
        return -1;
    const cJSON *elements = linkedin_elements(root, rs), *el;
    if (elements) {
        rc = 0;
        cJSON_ArrayForEach(el, elements)
        {
            if ((rc = lead_element(ctx, el, rs, &p)) < 0)
                break;
        }
    }
    if (rc == 0)
        rc = lead_next(root, start, end, cJSON_GetArraySize(elements), rs, &next);
    return adapter_page_end(ctx, "linkedin", rc, &p, rs, next, root);
}
