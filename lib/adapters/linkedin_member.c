/*
 * linkedin_member.c - a LinkedIn member's own posts (linkedin.member_posts): the posts a member
 * authored and their statistics from the Member Post Analytics API (memberCreatorPostAnalytics),
 * read with the member's own token (scope r_member_postAnalytics). An account with `member =
 * yes` has only this stream; its `id` is the member's person id (letters and digits).
 *
 * One run is a chain of pages, each one request, chained by the page cursor:
 *
 *   NULL or "posts:START"   GET /rest/posts?author=urn:li:person:{id}&q=author&sortBy=CREATED
 *                           &start=START&count=20: a `content` record per post published in the
 *                           window (newest first; the first older post ends the list)
 *   "post:Q:NEXT:URN,..."   GET /rest/memberCreatorPostAnalytics?q=entity&entity=(share:URN)
 *                           &queryType=Q&aggregation=TOTAL: a `snapshot` of the first URN's
 *                           lifetime count; Q walks IMPRESSION MEMBERS_REACHED REACTION COMMENT
 *                           RESHARE, then the next URN; NEXT is the next list page's start ("-":
 *                           none)
 *   "daily:Q"               GET /rest/memberCreatorPostAnalytics?q=me&queryType=Q
 *                           &aggregation=DAILY&dateRange=(start:(...),end:(...)): a `metric` per
 *                           UTC day of the member's posts together, for IMPRESSION REACTION
 *                           COMMENT RESHARE (members reached is a count of distinct members,
 *                           which days cannot be summed into: it is kept per post only)
 *
 * What LinkedIn answers: a collection {"paging":{...},"elements":[...]}; an analytics element is
 * {"count":N,"metricType":{"<type>":"IMPRESSION"}} and, for DAILY, a "dateRange" of civil dates
 * ({"year","month","day"}) whose start is the day counted. Errors and headers are the other
 * LinkedIn streams' (linkedin.c).
 *
 * Pure: no I/O, no clock, no globals.
 */
#include "linkedin_int.h"
#include "buf.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POSTS_PER_PAGE 20
#define TITLE_MAX      280 /* bytes of post text kept as the content title */

/* The query types read per post, with the canonical metric each one is stored as. */
static const struct {
    const char *type, *metric;
    bool daily; /* also read per day for the member (q=me, DAILY) */
} qtypes[] = {
    {"IMPRESSION", "impressions", true}, {"MEMBERS_REACHED", "reach", false},
    {"REACTION", "likes", true},         {"COMMENT", "comments", true},
    {"RESHARE", "shares", true},
};
#define NQ ((int)(sizeof qtypes / sizeof qtypes[0]))

bool linkedin_member_applies(const struct cfg_account *a)
{
    return a->member;
}

bool linkedin_org_applies(const struct cfg_account *a)
{
    return !a->member;
}

/* The first daily query type at or after i; NQ when none. */
static int next_daily(int i)
{
    while (i < NQ && !qtypes[i].daily)
        i++;
    return i;
}

/* The text of b ("" when nothing was written). */
static const char *bstr(const struct buf *b)
{
    return b->data ? b->data : "";
}

/* ---- cursors --------------------------------------------------------------------------------- */

enum mpage { MP_POSTS, MP_POST, MP_DAILY, MP_BAD };

struct mcursor {
    enum mpage kind;
    long start;       /* MP_POSTS: the list's start */
    int q;            /* MP_POST, MP_DAILY: index into qtypes */
    char next[24];    /* MP_POST: the next list page's start, "-" for none */
    const char *urns; /* MP_POST: comma-separated post URNs, the first one asked for now */
};

static enum mpage read_cursor(const char *page, struct mcursor *c)
{
    char *end;
    memset(c, 0, sizeof *c);
    if (!page) {
        c->kind = MP_POSTS;
    } else if (strncmp(page, "posts:", 6) == 0) {
        c->start = strtol(page + 6, &end, 10);
        c->kind = end != page + 6 && !*end && c->start >= 0 ? MP_POSTS : MP_BAD;
    } else if (strncmp(page, "daily:", 6) == 0) {
        c->q = (int)strtol(page + 6, &end, 10);
        c->kind = end != page + 6 && !*end && c->q >= 0 && c->q < NQ && qtypes[c->q].daily
                      ? MP_DAILY
                      : MP_BAD;
    } else if (strncmp(page, "post:", 5) == 0) {
        const char *p = page + 5, *colon;
        c->q = (int)strtol(p, &end, 10);
        if (end == p || *end != ':' || c->q < 0 || c->q >= NQ)
            return c->kind = MP_BAD;
        p = end + 1;
        colon = strchr(p, ':');
        if (!colon || colon == p || (size_t)(colon - p) >= sizeof c->next)
            return c->kind = MP_BAD;
        memcpy(c->next, p, (size_t)(colon - p));
        c->urns = colon + 1;
        c->kind = strncmp(c->urns, "urn:li:", 7) == 0 ? MP_POST : MP_BAD;
    } else {
        c->kind = MP_BAD;
    }
    return c->kind;
}

/* The first URN of a cursor's list, into buf; 0, or -1 when it does not fit. */
static int first_urn(const char *urns, char *buf, size_t len)
{
    size_t n = strcspn(urns, ",");
    if (n == 0 || n >= len)
        return -1;
    memcpy(buf, urns, n);
    buf[n] = '\0';
    return 0;
}

/* The cursor after a list page's posts are done: another list page, or the daily pages. */
static char *after_posts(const char *next)
{
    if (strcmp(next, "-") != 0)
        return xasprintf("posts:%s", next);
    int d = next_daily(0);
    return d < NQ ? xasprintf("daily:%d", d) : NULL;
}

/* The cursor after a post page (q of the first URN done). */
static char *after_post(const struct mcursor *c)
{
    if (c->q + 1 < NQ)
        return xasprintf("post:%d:%s:%s", c->q + 1, c->next, c->urns);
    const char *comma = strchr(c->urns, ',');
    if (comma && comma[1])
        return xasprintf("post:0:%s:%s", c->next, comma + 1);
    return after_posts(c->next);
}

/* ---- requests -------------------------------------------------------------------------------- */

/* Appends the URN percent-encoded for a Rest.li query value (':' -> %3A). */
static void put_urn(struct buf *q, const char *urn)
{
    for (const char *s = urn; *s; s++) {
        if (*s == ':')
            buf_puts(q, "%3A");
        else
            buf_append(q, s, 1);
    }
}

static void put_date(struct buf *q, int32_t day)
{
    int y;
    unsigned m, d;
    time_civil_from_days(day, &y, &m, &d);
    buf_printf(q, "(day:%u,month:%u,year:%d)", d, m, y);
}

/*
 * The member's person id from the account's `id`: "urn:li:person:ID" or the bare ID, letters,
 * digits, '-' and '_' (person ids are not numeric: "p8Zx41mQ"). 0, or -1 with why.
 */
static int person_id(const char *value, char *buf, size_t len, char *why, size_t whylen)
{
    const char *id = value;
    if (!value || !*value) {
        snprintf(why, whylen, "account has no id");
        return -1;
    }
    if (strncmp(value, "urn:li:person:", 14) == 0)
        id = value + 14;
    size_t n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    if (n == 0 || id[n] || n >= len) {
        snprintf(why, whylen, "account id is not a LinkedIn person id or urn:li:person URN");
        return -1;
    }
    memcpy(buf, id, n + 1);
    return 0;
}

int linkedin_build_member(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                          size_t whylen)
{
    char id[72], urn[128];
    struct mcursor c;
    struct buf q = {0};
    int rc;
    if (person_id(ctx->account ? ctx->account->id : NULL, id, sizeof id, why, whylen) < 0)
        return -1;
    switch (read_cursor(ctx->page, &c)) {
    case MP_POSTS:
        buf_printf(&q,
                   "author=urn%%3Ali%%3Aperson%%3A%s&q=author&sortBy=CREATED&start=%ld&count=%d",
                   id, c.start, POSTS_PER_PAGE);
        rc = linkedin_get(ctx, req, "posts", bstr(&q), why, whylen);
        break;
    case MP_POST:
        if (first_urn(c.urns, urn, sizeof urn) < 0) {
            snprintf(why, whylen, "page cursor holds no post URN");
            rc = -1;
            break;
        }
        /* the entity is a union member: share for urn:li:share, ugc for urn:li:ugcPost */
        buf_printf(
            &q, "q=entity&entity=(%s:", strncmp(urn, "urn:li:ugcPost:", 15) == 0 ? "ugc" : "share");
        put_urn(&q, urn);
        buf_printf(&q, ")&queryType=%s&aggregation=TOTAL", qtypes[c.q].type);
        rc = linkedin_get(ctx, req, "memberCreatorPostAnalytics", bstr(&q), why, whylen);
        break;
    case MP_DAILY:
        buf_printf(&q, "q=me&queryType=%s&aggregation=DAILY&dateRange=(start:", qtypes[c.q].type);
        put_date(&q, ctx->from_day);
        buf_puts(&q, ",end:"); /* the end day is not counted: the day after the window */
        put_date(&q, ctx->to_day + 1);
        buf_puts(&q, ")");
        rc = linkedin_get(ctx, req, "memberCreatorPostAnalytics", bstr(&q), why, whylen);
        break;
    default:
        snprintf(why, whylen, "page cursor is not a member_posts page");
        rc = -1;
    }
    buf_free(&q);
    return rc;
}

/*
 * The utm_campaign value of the first link in a post's text that carries one
 * ("...?utm_campaign=q4_launch&..."), in the arena; NULL when none. The value ends at the next
 * '&', '#', space or character a URL does not hold; it is kept as written.
 */
static const char *text_utm_campaign(struct rowset *rs, const char *text)
{
    for (const char *p = text; (p = strstr(p, "utm_campaign=")) != NULL; p += 13) {
        if (p > text && p[-1] != '?' && p[-1] != '&')
            continue;
        const char *v = p + 13;
        size_t n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
                             "-._~%+!$'()*,;:@/");
        while (n > 0 && strchr(".,;:!)'", v[n - 1])) /* sentence punctuation after the link */
            n--;
        if (n > 0 && n < 256) {
            char buf[256];
            memcpy(buf, v, n);
            buf[n] = '\0';
            return rowset_strdup(rs, buf);
        }
    }
    return NULL;
}

/* ---- pages ----------------------------------------------------------------------------------- */

/*
 * A posts list page: content records for the posts published in the window; the cursor of the
 * first post's statistics, carrying the next list page (none once a post older than the window
 * came or the list ended).
 */
static int posts_page(const struct adapter_ctx *ctx, const struct mcursor *c, const cJSON *root,
                      struct rowset *rs, struct adapter_pending *p, char **next)
{
    const cJSON *elements = linkedin_elements(root, rs), *el;
    struct buf urns = {0};
    bool older = false;
    int n = 0;
    if (!elements)
        return -1;
    cJSON_ArrayForEach(el, elements)
    {
        const char *urn, *text = NULL;
        int64_t published;
        n++;
        if (json_str(el, "id", &urn) != JSON_OK || strncmp(urn, "urn:li:", 7) != 0 ||
            strchr(urn, ',') || strlen(urn) >= 128 || !linkedin_urn_id(rs, urn)) {
            buf_free(&urns);
            return linkedin_malformed(rs, "post without a share or ugcPost URN id");
        }
        if (json_int(el, "publishedAt", &published) != JSON_OK || published < 0) {
            buf_free(&urns);
            return linkedin_malformed(rs, "post %s: publishedAt is not epoch milliseconds", urn);
        }
        int32_t day = (int32_t)(published / TIME_MS_PER_DAY);
        if (day < ctx->from_day) {
            older = true; /* newest first: the rest are older still */
            break;
        }
        if (day > ctx->to_day)
            continue;
        if (json_str(el, "commentary", &text) == JSON_BAD) {
            buf_free(&urns);
            return linkedin_malformed(rs, "post %s: commentary is not text", urn);
        }
        struct record r = {.type = REC_CONTENT};
        r.u.content.id = rowset_strdup(rs, urn);
        r.u.content.kind = "post";
        r.u.content.published_at = published * 1000;
        char *url = xasprintf("https://www.linkedin.com/feed/update/%s/", urn);
        r.u.content.url = rowset_strdup(rs, url);
        free(url);
        r.u.content.title = text && *text ? adapter_title(rs, text, TITLE_MAX) : NULL;
        r.u.content.utm_campaign = text ? text_utm_campaign(rs, text) : NULL;
        adapter_pending_add(p, &r);
        buf_printf(&urns, "%s%s", urns.len ? "," : "", urn);
    }
    char more[24] = "-";
    if (!older && n == POSTS_PER_PAGE)
        snprintf(more, sizeof more, "%ld", c->start + n);
    *next = urns.len ? xasprintf("post:0:%s:%s", more, bstr(&urns)) : after_posts(more);
    buf_free(&urns);
    return 0;
}

/* The type an analytics element counts ({"<record type>":"IMPRESSION"} or a bare string). */
static const char *metric_type(const cJSON *el)
{
    const cJSON *mt = json_get(el, "metricType");
    if (cJSON_IsString(mt))
        return mt->valuestring;
    if (cJSON_IsObject(mt) && mt->child && cJSON_IsString(mt->child) && !mt->child->next)
        return mt->child->valuestring;
    return NULL;
}

/* An element's count, checked against the query type asked for. */
static int element_count(const cJSON *el, int q, struct rowset *rs, int64_t *count)
{
    const char *type;
    if (!cJSON_IsObject(el))
        return linkedin_malformed(rs, "elements[] item is not an object");
    if (json_count(el, "count", count) != JSON_OK)
        return linkedin_malformed(rs, "analytics element without a count");
    type = metric_type(el);
    if (type && strcmp(type, qtypes[q].type) != 0)
        return linkedin_malformed(rs, "metricType %s where %s was asked for", type, qtypes[q].type);
    return 0;
}

/* TOTAL for one post: its lifetime count (none when LinkedIn has no element). */
static int post_page(const struct adapter_ctx *ctx, const struct mcursor *c, const cJSON *root,
                     struct rowset *rs, struct adapter_pending *p, char **next)
{
    const cJSON *elements = linkedin_elements(root, rs);
    char urn[128];
    int64_t count = 0, v;
    const cJSON *el;
    if (!elements)
        return -1;
    if (first_urn(c->urns, urn, sizeof urn) < 0)
        return linkedin_malformed(rs, "page cursor holds no post URN");
    int n = 0;
    cJSON_ArrayForEach(el, elements)
    {
        if (element_count(el, c->q, rs, &v) < 0)
            return -1;
        count += v;
        n++;
    }
    if (n)
        adapter_snapshot(ctx->now, rowset_strdup(rs, urn), qtypes[c->q].metric, count, p);
    *next = after_post(c);
    return 0;
}

/* A civil date object {"year","month","day"} as days since the epoch; -1 when it is not one. */
static int civil_day(const cJSON *d, int32_t *day)
{
    int64_t y, m, dd;
    if (json_int(d, "year", &y) != JSON_OK || json_int(d, "month", &m) != JSON_OK ||
        json_int(d, "day", &dd) != JSON_OK || y < 1970 || y > 9999 || m < 1 || m > 12 || dd < 1 ||
        dd > 31)
        return -1;
    *day = time_days_from_civil((int)y, (unsigned)m, (unsigned)dd);
    return 0;
}

/* DAILY for the member: a metric per UTC day of dateRange.start inside the window. */
static int daily_page(const struct adapter_ctx *ctx, const struct mcursor *c, const cJSON *root,
                      struct rowset *rs, struct adapter_pending *p, char **next)
{
    const cJSON *elements = linkedin_elements(root, rs), *el;
    if (!elements)
        return -1;
    cJSON_ArrayForEach(el, elements)
    {
        int64_t v;
        int32_t day;
        if (element_count(el, c->q, rs, &v) < 0)
            return -1;
        if (civil_day(json_get(json_get(el, "dateRange"), "start"), &day) < 0)
            return linkedin_malformed(rs, "daily element without a dateRange.start date");
        if (day >= ctx->from_day && day <= ctx->to_day)
            adapter_daily(BASIS_UTC, qtypes[c->q].metric, day, v, p);
    }
    int d = next_daily(c->q + 1);
    *next = d < NQ ? xasprintf("daily:%d", d) : NULL;
    return 0;
}

int linkedin_parse_member(const struct adapter_ctx *ctx, const struct http_response *resp,
                          struct rowset *rs)
{
    struct adapter_pending p = {0};
    struct mcursor c;
    char *next = NULL;
    int rc;
    cJSON *root = linkedin_read_body(ctx, resp, rs);
    if (!root)
        return -1;
    switch (read_cursor(ctx->page, &c)) {
    case MP_POSTS:
        rc = posts_page(ctx, &c, root, rs, &p, &next);
        break;
    case MP_POST:
        rc = post_page(ctx, &c, root, rs, &p, &next);
        break;
    case MP_DAILY:
        rc = daily_page(ctx, &c, root, rs, &p, &next);
        break;
    default:
        rc = linkedin_malformed(rs, "page cursor is not a member_posts page");
    }
    return adapter_page_end(ctx, "linkedin", rc, &p, rs, next, root);
}
