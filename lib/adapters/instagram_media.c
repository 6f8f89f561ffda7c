/*
 * instagram_media.c - instagram.media: the account's media with their public counts, and each
 * medium's lifetime insights. The Graph machinery (requests, errors, paging) is in instagram.c.
 *
 * What Instagram sends (reference §3.2-§3.4, §10.3): the media list is newest first, in pages of
 * up to 50 with cursor paging (paging.next present iff there is another page); `timestamp` looks
 * like "2023-06-12T19:20:02+0000"; like_count is left out when the owner hides likes (then no
 * likes snapshot, never 0). Media insights are lifetime values, values:[{"value":N}] without an
 * end_time (newer versions may answer total_value:{"value":N}: both are read). A medium posted
 * before the account became a business account answers error 100 subcode 2108006: it has no
 * insights, which is a fact about that medium, not a failed page; so are a medium deleted since
 * the list (100/33) and one with too few viewers (error 10).
 *
 * The run alternates between the list and the insights of the media of each list page; the page
 * cursor says where it is:
 *
 *   (none)                     the first list page
 *   "list:AFTER"               a later list page (AFTER is the Graph `after` cursor)
 *   "insights:ID,ID,...:AFTER" the insights of the first ID; the other ids follow one by one, and
 *                              AFTER (empty when the list has ended) is where the list goes on
 *
 * Ids are Graph ids (digits and '_'), so ',' and the first ':' after the ids cannot be part of
 * one; AFTER comes last and may contain anything. The list stops at the first page that reaches
 * media older than the window's first day (UTC): those media are not recorded and no further list
 * page is fetched.
 *
 * Pure, like the rest of the adapter.
 */
#include "instagram_int.h"
#include "xmalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ID_MAX 64 /* bytes of a Graph id (meta_is_id) */

/* A page cursor taken apart; every pointer is into ctx->page. */
struct media_cursor {
    bool insights;
    char first[ID_MAX + 1]; /* the medium of an insights page */
    const char *rest;       /* the ids after it: rest_len bytes, comma-separated */
    size_t rest_len;
    const char *after; /* where the list goes on; NULL for the first page or the end */
};

/* Reads the cursor (see the top of the file); -1 when it is not one of ours. */
static int media_cursor(const char *page, struct media_cursor *c)
{
    memset(c, 0, sizeof *c);
    if (!page)
        return 0;
    if (strncmp(page, "list:", 5) == 0 && page[5]) {
        c->after = page + 5;
        return 0;
    }
    if (strncmp(page, "insights:", 9) != 0)
        return -1;
    const char *ids = page + 9, *colon = strchr(ids, ':');
    size_t n = strcspn(ids, ",:");
    if (!colon || n == 0 || n > ID_MAX)
        return -1;
    memcpy(c->first, ids, n);
    c->first[n] = '\0';
    if (!meta_is_id(c->first))
        return -1;
    c->insights = true;
    c->rest = ids[n] == ',' ? ids + n + 1 : colon;
    c->rest_len = (size_t)(colon - c->rest);
    c->after = colon[1] ? colon + 1 : NULL;
    return 0;
}

/* The cursor after an insights page (caller frees), NULL at the end of the run. */
static char *after_insights(const struct media_cursor *c)
{
    if (c->rest_len)
        return xasprintf("insights:%.*s:%s", (int)c->rest_len, c->rest, c->after ? c->after : "");
    return c->after ? xasprintf("list:%s", c->after) : NULL;
}

int instagram_build_media(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                          size_t whylen)
{
    struct media_cursor c;
    struct buf q = {0};
    const char *user = instagram_user(ctx, why, whylen);
    if (!user)
        return -1;
    if (media_cursor(ctx->page, &c) < 0) {
        snprintf(why, whylen, "page cursor is not a media page");
        return -1;
    }
    if (c.insights) {
        adapter_query(&q, "metric", "reach,views,shares,saved,total_interactions");
    } else {
        adapter_query(&q, "fields",
                      "id,caption,media_type,media_product_type,timestamp,permalink,"
                      "like_count,comments_count");
        adapter_query(&q, "limit", "50");
        meta_page_query(&q, c.after);
    }
    int rc = instagram_get(ctx, req, c.insights ? c.first : user, c.insights ? "insights" : "media",
                           &q, why, whylen);
    buf_free(&q);
    return rc;
}

/* ---- the list -------------------------------------------------------------------------------- */

/* What a list page found: the ids of its media in the window, and whether it reached older ones. */
struct media_list {
    struct buf ids;
    bool old;
};

/* content kind from media_product_type: FEED (and AD, or none) is plain media */
static const char *media_kind(const char *product)
{
    if (product && strcmp(product, "REELS") == 0)
        return "reel";
    if (product && strcmp(product, "STORY") == 0)
        return "story";
    return "media";
}

/* likes and comments: a count the answer lacks (hidden likes) is not recorded. */
static int media_counts(const struct adapter_ctx *ctx, const cJSON *m, const char *id,
                        struct rowset *rs, struct adapter_pending *p)
{
    int64_t v;
    enum json_get g = json_count(m, "like_count", &v);
    if (g == JSON_OK)
        adapter_snapshot(ctx->now, id, "likes", v, p);
    enum json_get h = json_count(m, "comments_count", &v);
    if (h == JSON_OK)
        adapter_snapshot(ctx->now, id, "comments", v, p);
    if (g == JSON_BAD || h == JSON_BAD)
        return instagram_malformed(rs, "medium %s: like_count or comments_count is not a count",
                                   id);
    return 0;
}

static int media_item(const struct adapter_ctx *ctx, const cJSON *m, struct media_list *l,
                      struct rowset *rs, struct adapter_pending *p)
{
    char buf[32];
    const char *id, *ts, *caption = NULL, *url = NULL, *product = NULL;
    int64_t published = 0;
    if (!cJSON_IsObject(m) || json_id(m, "id", buf, sizeof buf, &id) != JSON_OK || !meta_is_id(id))
        return instagram_malformed(rs, "medium without a Graph id");
    id = rowset_strdup(rs, id);
    enum json_get g = json_str(m, "timestamp", &ts);
    if (g == JSON_BAD || (g == JSON_OK && json_parse_time(ts, &published) < 0))
        return instagram_malformed(rs, "medium %s: timestamp is not a timestamp", id);
    if (json_str(m, "caption", &caption) == JSON_BAD ||
        json_str(m, "permalink", &url) == JSON_BAD ||
        json_str(m, "media_product_type", &product) == JSON_BAD)
        return instagram_malformed(rs, "medium %s: caption, permalink or product is not a string",
                                   id);
    if (g == JSON_OK && published < (int64_t)ctx->from_day * 86400 * 1000000) {
        l->old = true; /* newest first: the window is behind us */
        return 0;
    }
    struct record r = {.type = REC_CONTENT};
    r.u.content.id = id;
    r.u.content.kind = media_kind(product);
    r.u.content.published_at = published;
    r.u.content.url = rowset_strdup(rs, url);
    r.u.content.title = caption ? adapter_title(rs, caption, INSTAGRAM_TITLE_MAX) : NULL;
    adapter_pending_add(p, &r);
    if (media_counts(ctx, m, id, rs, p) < 0)
        return -1;
    buf_printf(&l->ids, "%s%s", l->ids.len ? "," : "", id);
    return 0;
}

/* The cursor after a list page (caller frees), NULL at the end of the run. */
static char *after_list(const struct media_list *l, const char *after)
{
    if (l->old)
        after = NULL; /* the rest of the list is older than the window */
    if (l->ids.len)
        return xasprintf("insights:%s:%s", l->ids.data, after ? after : "");
    return after ? xasprintf("list:%s", after) : NULL;
}

static int list_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                     struct adapter_pending *p, char **next)
{
    const cJSON *data = json_get(root, "data"), *m;
    struct media_list l = {{0}, false};
    char *after = NULL;
    int rc = 0;
    if (!cJSON_IsArray(data))
        return instagram_malformed(rs, "data is %s", data ? "not an array" : "missing");
    cJSON_ArrayForEach(m, data)
    {
        if ((rc = media_item(ctx, m, &l, rs, p)) < 0)
            break;
    }
    if (rc == 0)
        rc = meta_next_page(&instagram_graph, root, rs, &after);
    struct media_cursor c;
    media_cursor(ctx->page, &c); /* checked by parse_media */
    if (rc == 0 && adapter_cursor_repeats(c.after, after, "instagram", rs))
        rc = -1;
    if (rc == 0)
        *next = after_list(&l, after);
    free(after);
    buf_free(&l.ids);
    return rc;
}

/* ---- the insights of one medium -------------------------------------------------------------- */

static const struct {
    const char *name;   /* Graph metric */
    const char *metric; /* canonical name */
} media_metrics[] = {
    {"reach", "reach"},
    {"views", "views"},
    {"shares", "shares"},
    {"saved", "saves"},
    {"total_interactions", "engagements"},
};

/* The lifetime value of an insights item: values[0].value or total_value.value. */
static enum json_get lifetime_value(const cJSON *item, int64_t *v)
{
    const cJSON *values = json_get(item, "values");
    const cJSON *tv = json_get(item, "total_value");
    if (values && !cJSON_IsNull(values)) {
        if (!cJSON_IsArray(values))
            return JSON_BAD;
        const cJSON *first = cJSON_GetArrayItem(values, 0);
        if (first && !cJSON_IsObject(first))
            return JSON_BAD;
        if (cJSON_IsObject(json_get(first, "value"))) /* a breakdown map */
            return JSON_ABSENT;
        return json_count(first, "value", v);
    }
    if (tv && !cJSON_IsNull(tv) && !cJSON_IsObject(tv))
        return JSON_BAD;
    return json_count(tv, "value", v);
}

static int insights_item(const struct adapter_ctx *ctx, const cJSON *item, const char *object,
                         struct rowset *rs, struct adapter_pending *p)
{
    const char *name;
    int64_t v;
    size_t i = 0, n = sizeof media_metrics / sizeof media_metrics[0];
    if (!cJSON_IsObject(item) || json_str(item, "name", &name) != JSON_OK)
        return instagram_malformed(rs, "medium %s: insights item without a metric name", object);
    while (i < n && strcmp(media_metrics[i].name, name) != 0)
        i++;
    if (i == n) /* a metric we did not ask for */
        return 0;
    enum json_get g = lifetime_value(item, &v);
    if (g == JSON_BAD)
        return instagram_malformed(rs, "medium %s: %s is not a lifetime count", object, name);
    if (g == JSON_OK)
        adapter_snapshot(ctx->now, object, media_metrics[i].metric, v, p);
    return 0;
}

static int insights_page(const struct adapter_ctx *ctx, const cJSON *root,
                         const struct media_cursor *c, struct rowset *rs, struct adapter_pending *p)
{
    const cJSON *data = json_get(root, "data"), *item;
    const char *object = rowset_strdup(rs, c->first);
    if (!cJSON_IsArray(data))
        return instagram_malformed(rs, "medium %s: data is %s", object,
                                   data ? "not an array" : "missing");
    cJSON_ArrayForEach(item, data)
    {
        if (insights_item(ctx, item, object, rs, p) < 0)
            return -1;
    }
    return 0;
}

/* ---- parse ----------------------------------------------------------------------------------- */

/*
 * Errors on one medium's insights that are facts about that medium, not a failed page: 100/2108006
 * (posted before the business conversion), 100/33 (deleted between the list and its insights)
 * and 10 ("not enough viewers", stories and reels seen by few). Failing the page would keep the
 * cursor on that medium and block the run at every interval; a token without the insights
 * permission shows on the account insights job instead, as a permission error.
 */
static bool medium_without_insights(const cJSON *root)
{
    int64_t code, subcode;
    if (!meta_error_code(root, &code, &subcode))
        return false;
    return (code == 100 && (subcode == 2108006 || subcode == 33)) || code == 10;
}

int instagram_parse_media(const struct adapter_ctx *ctx, const struct http_response *resp,
                          struct rowset *rs)
{
    struct media_cursor c;
    struct adapter_pending p = {0};
    char why[128], *next = NULL;
    int rc;
    if (media_cursor(ctx->page, &c) < 0)
        return instagram_malformed(rs, "page cursor is not a media page");
    cJSON *root = meta_json(resp, why, sizeof why);
    if (c.insights && medium_without_insights(root)) {
        rowset_add_warning(rs); /* skipped, and the run goes on */
        rc = 0;
    } else if ((rc = meta_check(&instagram_graph, resp, root, why, ctx->access_token, rs)) == 0) {
        rc =
            c.insights ? insights_page(ctx, root, &c, rs, &p) : list_page(ctx, root, rs, &p, &next);
    }
    if (rc == 0 && c.insights)
        next = after_insights(&c);
    return adapter_page_end(ctx, "instagram", rc, &p, rs, next, root);
}
