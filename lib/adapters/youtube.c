/*
 * youtube.c - the YouTube adapter: the channel's lifetime counters (youtube.channel), its uploaded
 * videos with their counts (youtube.videos), and in youtube_analytics.c the channel's daily
 * Analytics report (youtube.analytics); Google error bodies and the OAuth token refresh.
 *
 * What YouTube sends (reference §5, §10.5): Data API counts are STRINGS of uint64 ("1500");
 * subscriberCount is rounded to three significant figures and is meaningless when
 * hiddenSubscriberCount is true; likeCount and commentCount are left out when the owner disabled
 * them (then nothing is recorded, never 0). A channels.list for an unknown id is an HTTP 200 with
 * no items. Errors are Google error bodies {"error":{"code","message","errors":[{"domain",
 * "reason"}],"status"}}: the reason says what happened (quota exhaustion is 403 quotaExceeded,
 * not 429), errors[] may be missing on newer answers and status on older ones.
 *
 * youtube.videos walks the channel's uploads playlist. Its id is the channel id with the "UC"
 * prefix replaced by "UU": that is the documented convention behind the
 * channels.contentDetails.relatedPlaylists.uploads value, and it saves a request per run. The
 * playlist is newest first; the run alternates between playlist pages and a videos.list of the
 * ids each playlist page brought, and the page cursor says where it is:
 *
 *   (none)                    the first playlist page
 *   "playlist:TOKEN"          a later playlist page (TOKEN is Google's nextPageToken)
 *   "videos:ID,ID,...:TOKEN"  the statistics and snippets of those videos (at most 50); TOKEN,
 *                             empty at the end, is where the playlist goes on
 *
 * Video ids are [A-Za-z0-9_-] only, so ',' and ':' separate them safely; TOKEN comes last. The
 * playlist stops at the first page that reaches a video published before the window's first day
 * (UTC): those videos are not fetched and no further playlist page is.
 *
 * Every record of a page is held in a pending list and handed to the rowset only once the whole
 * page has been read: a rejected page leaves no records behind.
 *
 * Pure: no I/O, no clock, no globals; everything comes in adapter_ctx and http_response.
 */
#include "youtube_int.h"
#include "oauth.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_MAX 280 /* bytes of video title kept (YouTube allows 100 characters) */
#define ID_MAX    64  /* bytes of a channel or video id we accept */

extern const struct adapter adapter_youtube;

/* ---- shared helpers (youtube_int.h)
 * -------------------------------------------------------------- */

int youtube_get(const struct adapter_ctx *ctx, struct http_request *req, const char *base,
                const char *path, const struct buf *query, char *why, size_t whylen)
{
    if (adapter_need_token(ctx, why, whylen) < 0)
        return -1;
    if (!base || !*base) {
        snprintf(why, whylen, "platform has no API base URL for %s", path);
        return -1;
    }
    req->method = "GET";
    http_request_set_url(req, xasprintf("%s%s?%s", base, path, query->len ? query->data : ""));
    return http_request_header(req, "Authorization: Bearer %s", ctx->access_token);
}

/* A YouTube id: 1 to 64 of [A-Za-z0-9_-] (safe in a query, a cursor and a message). */
static bool is_id(const char *id)
{
    size_t n = strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-");
    return n > 0 && n <= ID_MAX && !id[n];
}

static const char *shown_id(const char *id)
{
    return is_id(id) ? id : "(not a YouTube id)";
}

/* ---- Google errors (reference §5.4, §11) ----------------------------------------------------- */

struct class_name {
    const char *name;
    enum err_class cls;
};

/* errors[].reason: what happened, whatever the HTTP status says */
static const struct class_name reasons[] = {
    {"quotaExceeded", ERR_QUOTA},
    {"dailyLimitExceeded", ERR_QUOTA},
    {"rateLimitExceeded", ERR_THROTTLED},
    {"userRateLimitExceeded", ERR_THROTTLED},
    {"authError", ERR_AUTH},
    {"forbidden", ERR_PERMISSION},
    {"insufficientPermissions", ERR_PERMISSION},
    {"badRequest", ERR_BAD_REQUEST},
    {"invalidValue", ERR_BAD_REQUEST},
    {"invalidParameter", ERR_BAD_REQUEST},
    {"keyInvalid", ERR_BAD_REQUEST},
    {"channelNotFound", ERR_NOT_FOUND},
    {"videoNotFound", ERR_NOT_FOUND},
    {"playlistNotFound", ERR_NOT_FOUND},
    {"notFound", ERR_NOT_FOUND},
    {"backendError", ERR_TRANSIENT},
    {"internalError", ERR_TRANSIENT},
};

/* the gRPC-style status, for answers without errors[] (or with reasons we do not know) */
static const struct class_name statuses[] = {
    {"RESOURCE_EXHAUSTED", ERR_THROTTLED},
    {"UNAUTHENTICATED", ERR_AUTH},
    {"PERMISSION_DENIED", ERR_PERMISSION},
    {"INVALID_ARGUMENT", ERR_BAD_REQUEST},
    {"FAILED_PRECONDITION", ERR_BAD_REQUEST},
    {"OUT_OF_RANGE", ERR_BAD_REQUEST},
    {"NOT_FOUND", ERR_NOT_FOUND},
    {"UNAVAILABLE", ERR_TRANSIENT},
    {"INTERNAL", ERR_TRANSIENT},
    {"DEADLINE_EXCEEDED", ERR_TRANSIENT},
};

#define NREASONS  (sizeof reasons / sizeof reasons[0])
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

/* The class map names for name, or ERR_NONE. */
static enum err_class name_class(const struct class_name *map, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++)
        if (strcmp(name, map[i].name) == 0)
            return map[i].cls;
    return ERR_NONE;
}

static enum err_class http_class(long status)
{
    if (status == 429)
        return ERR_THROTTLED;
    if (status >= 500)
        return ERR_TRANSIENT;
    if (status == 401)
        return ERR_AUTH;
    if (status == 403)
        return ERR_PERMISSION;
    if (status == 404)
        return ERR_NOT_FOUND;
    return ERR_BAD_REQUEST;
}

/* The class of an error object, and the reason or status that decided it (for the message). */
static enum err_class google_class(const cJSON *err, long status, const char **said)
{
    const cJSON *errors = json_get(err, "errors"), *e;
    const char *reason, *st;
    enum err_class cls;
    if (!cJSON_IsArray(errors)) /* newer answers leave errors[] out */
        errors = NULL;
    cJSON_ArrayForEach(e, errors)
    {
        if (json_str(e, "reason", &reason) == JSON_OK &&
            (cls = name_class(reasons, NREASONS, reason)) != ERR_NONE) {
            *said = reason;
            return cls;
        }
    }
    if (json_str(err, "status", &st) == JSON_OK &&
        (cls = name_class(statuses, NSTATUSES, st)) != ERR_NONE) {
        *said = st;
        return cls;
    }
    *said = "";
    return http_class(status);
}

static void google_error(const struct adapter_ctx *ctx, const struct http_response *resp,
                         const cJSON *err, struct rowset *rs)
{
    const char *said, *m;
    char name[64], text[160];
    enum err_class cls = google_class(err, resp->status, &said);
    if (json_str(err, "message", &m) != JSON_OK)
        m = "";
    adapter_safe_text(name, sizeof name, said, ctx->access_token);
    adapter_safe_text(text, sizeof text, m, ctx->access_token);
    /* the daily quota comes back at midnight Pacific; other classes wait as the engine says */
    int64_t retry = cls == ERR_QUOTA ? adapter_until_pacific_midnight_ms(ctx->now) : -1;
    rowset_set_error(rs, cls, retry, "youtube: HTTP %ld%s%s: %s", resp->status, *name ? " " : "",
                     name, *text ? text : "no message");
}

cJSON *youtube_body(const struct adapter_ctx *ctx, const struct http_response *resp,
                    struct rowset *rs)
{
    char why[128] = "empty body";
    cJSON *root = resp->len ? json_parse(resp->body, resp->len, why, sizeof why) : NULL;
    const cJSON *err = json_get(root, "error");
    if (cJSON_IsObject(err))
        google_error(ctx, resp, err, rs);
    else if (resp->status < 200 || resp->status > 299) /* a proxy page, an empty 502 */
        rowset_set_error(rs, http_class(resp->status), -1,
                         "youtube: HTTP %ld without a Google error body", resp->status);
    else if (!root)
        youtube_malformed(rs, "%s", why);
    else if (!cJSON_IsObject(root))
        youtube_malformed(rs, "body is not a JSON object");
    else
        return root;
    cJSON_Delete(root);
    return NULL;
}

/* items[] of a list answer: an array, or NULL when absent (an empty list); -1 when not a list. */
static int items_of(const cJSON *root, struct rowset *rs, const cJSON **items)
{
    *items = json_get(root, "items");
    if (!*items || cJSON_IsNull(*items)) {
        *items = NULL;
        return 0;
    }
    return cJSON_IsArray(*items) ? 0 : youtube_malformed(rs, "items is not an array");
}

/* The page parser of one stream: records into p, the next cursor into *next (caller frees). */
typedef int page_fn(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                    struct adapter_pending *p, char **next);

/* Body, records and cursor of one page; the records reach rs only when the page is good. */
static int parse_page(const struct adapter_ctx *ctx, const struct http_response *resp,
                      struct rowset *rs, page_fn *fn)
{
    struct adapter_pending p = {0};
    char *next = NULL;
    cJSON *root = youtube_body(ctx, resp, rs);
    if (!root)
        return -1;
    int rc = fn(ctx, root, rs, &p, &next);
    return adapter_page_end(ctx, "youtube", rc, &p, rs, next, root);
}

/* ---- youtube.channel ------------------------------------------------------------------------- */

static int build_channel(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                         size_t whylen)
{
    struct buf q = {0};
    if (!ctx->account || !ctx->account->id || !*ctx->account->id) {
        snprintf(why, whylen, "account has no channel id");
        return -1;
    }
    adapter_query(&q, "part", "statistics");
    adapter_query(&q, "id", ctx->account->id);
    int rc =
        youtube_get(ctx, req, ctx->platform->api_base, "/youtube/v3/channels", &q, why, whylen);
    buf_free(&q);
    return rc;
}

/* A statistics count: a string of uint64 (or a number); absent means hidden or disabled. */
static int count_stat(const struct adapter_ctx *ctx, const cJSON *stats, const char *key,
                      const char *object, const char *metric, struct rowset *rs,
                      struct adapter_pending *p)
{
    int64_t v;
    enum json_get g = json_count(stats, key, &v);
    if (g == JSON_BAD)
        return youtube_malformed(rs, "%s: statistics.%s is not a count",
                                 *object ? shown_id(object) : "channel", key);
    if (g == JSON_OK)
        adapter_snapshot(ctx->now, object, metric, v, p);
    return 0;
}

/*
 * The channels.list request names one channel id, so its answer holds that channel alone. Should
 * it hold several (an id list, or mine=true for an account owning several), the configured
 * channel's item is the account's, when exactly one item has its id; the others are not this
 * account and are not recorded. NULL otherwise: the page is refused, naming the count.
 */
static const cJSON *configured_channel(const struct adapter_ctx *ctx, const cJSON *items)
{
    const cJSON *it, *found = NULL;
    const char *id;
    if (!ctx->account || !ctx->account->id)
        return NULL;
    cJSON_ArrayForEach(it, items)
    {
        if (json_str(it, "id", &id) != JSON_OK || strcmp(id, ctx->account->id) != 0)
            continue;
        if (found)
            return NULL;
        found = it;
    }
    return found;
}

static int channel_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                        struct adapter_pending *p, char **next)
{
    const cJSON *items, *ch, *stats;
    bool hidden = false;
    (void)next;
    if (items_of(root, rs, &items) < 0)
        return -1;
    if (!(ch = cJSON_GetArrayItem(items, 0))) { /* channels.list answers an unknown id so */
        rowset_set_error(rs, ERR_NOT_FOUND, -1, "youtube: channel %s not found",
                         ctx->account && ctx->account->id ? shown_id(ctx->account->id) : "");
        return -1;
    }
    if (cJSON_GetArraySize(items) > 1 && !(ch = configured_channel(ctx, items)))
        return youtube_malformed(rs,
                                 "the answer holds %d channels and not exactly one of them is "
                                 "the configured channel %s: which one to record is unknown",
                                 cJSON_GetArraySize(items),
                                 ctx->account && ctx->account->id ? shown_id(ctx->account->id)
                                                                  : "(none)");
    if (!cJSON_IsObject(stats = json_get(ch, "statistics")))
        return youtube_malformed(rs, "channel without statistics");
    if (json_bool(stats, "hiddenSubscriberCount", &hidden) == JSON_BAD)
        return youtube_malformed(rs, "hiddenSubscriberCount is not a boolean");
    if (count_stat(ctx, stats, "viewCount", "", "views", rs, p) < 0 ||
        count_stat(ctx, stats, "videoCount", "", "posts", rs, p) < 0)
        return -1;
    /* rounded to three significant figures: kept as observed; hidden: not a count at all */
    return hidden ? 0 : count_stat(ctx, stats, "subscriberCount", "", "followers", rs, p);
}

static int parse_channel(const struct adapter_ctx *ctx, const struct http_response *resp,
                         struct rowset *rs)
{
    return parse_page(ctx, resp, rs, channel_page);
}

/* ---- youtube.videos: cursors and requests ---------------------------------------------------- */

/* A page cursor taken apart; pointers are into ctx->page. */
struct video_cursor {
    bool videos;
    const char *ids; /* the ids of a videos page: ids_len bytes, comma-separated */
    size_t ids_len;
    const char *token; /* pageToken of the next playlist page, NULL for the first or none */
};

/* Reads the cursor (see the top of the file); -1 when it is not one of ours. */
static int video_cursor(const char *page, struct video_cursor *c)
{
    memset(c, 0, sizeof *c);
    if (!page)
        return 0;
    if (strncmp(page, "playlist:", 9) == 0 && page[9]) {
        c->token = page + 9;
        return 0;
    }
    if (strncmp(page, "videos:", 7) != 0)
        return -1;
    const char *ids = page + 7, *colon = strchr(ids, ':');
    size_t n = strspn(ids, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-,");
    if (!colon || n == 0 || ids + n != colon)
        return -1;
    c->videos = true;
    c->ids = ids;
    c->ids_len = n;
    c->token = colon[1] ? colon + 1 : NULL;
    return 0;
}

/* "UU..." from the channel id "UC..." (caller frees); NULL with why when it is not a UC id. */
static char *uploads_playlist(const struct adapter_ctx *ctx, char *why, size_t whylen)
{
    const char *id = ctx->account ? ctx->account->id : NULL;
    if (!id || strncmp(id, "UC", 2) != 0 || !is_id(id) || !id[2]) {
        snprintf(why, whylen, "account id is not a channel id starting with UC");
        return NULL;
    }
    return xasprintf("UU%s", id + 2);
}

static int build_videos(const struct adapter_ctx *ctx, struct http_request *req, char *why,
                        size_t whylen)
{
    struct video_cursor c;
    struct buf q = {0};
    char *list = uploads_playlist(ctx, why, whylen);
    if (!list)
        return -1;
    if (video_cursor(ctx->page, &c) < 0) {
        snprintf(why, whylen, "page cursor is not a videos page");
        free(list);
        return -1;
    }
    if (c.videos) {
        char *ids = xstrndup(c.ids, c.ids_len);
        adapter_query(&q, "part", "statistics,snippet");
        adapter_query(&q, "id", ids);
        free(ids);
    } else {
        adapter_query(&q, "part", "contentDetails");
        adapter_query(&q, "playlistId", list);
        adapter_query(&q, "maxResults", "50");
        if (c.token)
            adapter_query(&q, "pageToken", c.token);
    }
    int rc =
        youtube_get(ctx, req, ctx->platform->api_base,
                    c.videos ? "/youtube/v3/videos" : "/youtube/v3/playlistItems", &q, why, whylen);
    buf_free(&q);
    free(list);
    return rc;
}

/* ---- youtube.videos: pages ------------------------------------------------------------------- */

/* nextPageToken of a list answer (borrowed), NULL on the last page; -1 when not a string. */
static int page_token(const cJSON *root, struct rowset *rs, const char **token)
{
    *token = NULL;
    if (json_str(root, "nextPageToken", token) == JSON_BAD)
        return youtube_malformed(rs, "nextPageToken is not a string");
    if (*token && !**token)
        *token = NULL;
    return 0;
}

/* One playlist item: its video id appended to ids, or *old when it predates the window. */
static int playlist_item(const struct adapter_ctx *ctx, const cJSON *item, struct buf *ids,
                         bool *old, struct rowset *rs)
{
    const cJSON *cd = json_get(item, "contentDetails");
    const char *id, *at;
    int64_t published;
    if (json_str(cd, "videoId", &id) != JSON_OK || !is_id(id))
        return youtube_malformed(rs, "playlist item without a video id");
    /* a private or deleted upload has no videoPublishedAt: it is asked for, and not returned */
    enum json_get g = json_str(cd, "videoPublishedAt", &at);
    if (g == JSON_BAD || (g == JSON_OK && json_parse_time(at, &published) < 0))
        return youtube_malformed(rs, "video %s: videoPublishedAt is not a timestamp", id);
    if (g == JSON_OK && published < (int64_t)ctx->from_day * 86400 * 1000000) {
        *old = true; /* newest first: the window is behind us */
        return 0;
    }
    buf_printf(ids, "%s%s", ids->len ? "," : "", id);
    return 0;
}

static int playlist_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                         struct adapter_pending *p, char **next)
{
    const cJSON *items, *item;
    const char *token;
    struct buf ids = {0};
    bool old = false;
    int rc = 0;
    (void)p; /* a playlist page has no records: they come with the videos page */
    struct video_cursor c;
    if (items_of(root, rs, &items) < 0 || page_token(root, rs, &token) < 0)
        return -1;
    video_cursor(ctx->page, &c); /* checked by parse_videos */
    if (adapter_cursor_repeats(c.token, token, "youtube", rs))
        return -1;
    cJSON_ArrayForEach(item, items)
    {
        if ((rc = playlist_item(ctx, item, &ids, &old, rs)) < 0)
            break;
    }
    if (old)
        token = NULL;
    if (rc == 0 && ids.len)
        *next = xasprintf("videos:%s:%s", ids.data, token ? token : "");
    else if (rc == 0 && token)
        *next = xasprintf("playlist:%s", token);
    buf_free(&ids);
    return rc;
}

/* content of a video: id, title, publishedAt; the id is returned for the snapshots. */
static int video_content(const cJSON *v, struct rowset *rs, struct adapter_pending *p,
                         const char **idp)
{
    const cJSON *sn = json_get(v, "snippet");
    const char *id, *title = NULL, *at;
    int64_t published = 0;
    if (!cJSON_IsObject(v) || json_str(v, "id", &id) != JSON_OK || !is_id(id))
        return youtube_malformed(rs, "video without an id");
    *idp = id = rowset_strdup(rs, id);
    enum json_get g = json_str(sn, "publishedAt", &at);
    if (g == JSON_BAD || (g == JSON_OK && json_parse_time(at, &published) < 0) ||
        json_str(sn, "title", &title) == JSON_BAD)
        return youtube_malformed(rs, "video %s: snippet.publishedAt or title is unreadable", id);
    char *url = xasprintf("https://www.youtube.com/watch?v=%s", id);
    struct record r = {.type = REC_CONTENT};
    r.u.content.id = id;
    r.u.content.kind = "video";
    r.u.content.published_at = published;
    r.u.content.url = rowset_strdup(rs, url);
    r.u.content.title = title ? adapter_title(rs, title, TITLE_MAX) : NULL;
    adapter_pending_add(p, &r);
    free(url);
    return 0;
}

static int video_item(const struct adapter_ctx *ctx, const cJSON *v, struct rowset *rs,
                      struct adapter_pending *p)
{
    const char *id = NULL;
    if (video_content(v, rs, p, &id) < 0)
        return -1;
    const cJSON *stats = json_get(v, "statistics");
    if (stats && !cJSON_IsNull(stats) && !cJSON_IsObject(stats))
        return youtube_malformed(rs, "video %s: statistics is not an object", id);
    if (count_stat(ctx, stats, "viewCount", id, "views", rs, p) < 0 ||
        count_stat(ctx, stats, "likeCount", id, "likes", rs, p) < 0 ||
        count_stat(ctx, stats, "commentCount", id, "comments", rs, p) < 0)
        return -1;
    return 0;
}

static int videos_page(const struct adapter_ctx *ctx, const cJSON *root, struct rowset *rs,
                       struct adapter_pending *p, char **next)
{
    const cJSON *items, *v;
    struct video_cursor c;
    video_cursor(ctx->page, &c); /* checked by parse_videos */
    if (items_of(root, rs, &items) < 0)
        return -1;
    cJSON_ArrayForEach(v, items)
    {
        if (video_item(ctx, v, rs, p) < 0)
            return -1;
    }
    *next = c.token ? xasprintf("playlist:%s", c.token) : NULL;
    return 0;
}

static int parse_videos(const struct adapter_ctx *ctx, const struct http_response *resp,
                        struct rowset *rs)
{
    struct video_cursor c;
    if (video_cursor(ctx->page, &c) < 0)
        return youtube_malformed(rs, "page cursor is not a videos page");
    return parse_page(ctx, resp, rs, c.videos ? videos_page : playlist_page);
}

/* ---- tokens (reference §5.1, §12) ------------------------------------------------------------ */

/* Google's endpoint: invalid_grant means someone must authorize again. Expires in about an
 * hour; no new refresh token means the old one stays. */
static const struct oauth_client oauth = {
    .name = "google",
    .auth = OAUTH_AUTH_BODY,
    .client_first = true,
    .said = {"error"},
};

static int refresh_build(const struct cfg_platform *p, const struct cfg_credential *cred,
                         const char *access_token, const char *refresh_token,
                         struct http_request *req)
{
    (void)access_token;
    return oauth_refresh_build(&oauth, p, cred, refresh_token, req);
}

static int refresh_parse(const struct http_response *resp, struct token_set *out,
                         enum err_class *cls, char *why, size_t whylen)
{
    return oauth_refresh_parse(&oauth, resp, out, cls, why, whylen);
}

/* ---- the adapter ----------------------------------------------------------------------------- */

static const struct stream_def streams[] = {
    {.name = "youtube.channel",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(24),
     .build = build_channel,
     .parse = parse_channel},
    {.name = "youtube.videos",
     .basis = BASIS_UTC,
     .interval_ms = HOURS(24),
     .lookback_ms = DAYS(30),
     .windowed = true,
     .build = build_videos,
     .parse = parse_videos},
    {.name = "youtube.analytics",
     .basis = BASIS_PACIFIC,
     .interval_ms = HOURS(24),
     .lookback_ms = DAYS(5),
     .windowed = true,
     .daily_metrics = true,
     .build = youtube_build_analytics,
     .parse = youtube_parse_analytics},
};

/* Google sends no usage headers: 403/429 bodies and Retry-After are the only signals. */
const struct adapter adapter_youtube = {
    .platform = PLATFORM_YOUTUBE,
    .streams = streams,
    .nstreams = sizeof streams / sizeof streams[0],
    .ratelimit = NULL,
    .refresh_build = refresh_build,
    .refresh_parse = refresh_parse,
};
