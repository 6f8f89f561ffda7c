/*
 * sim_youtube_data.c - the YouTube Data API v3 endpoints of the simulator (reference §5.2,
 * §10.5, §15 item 11).
 *
 *   GET /youtube/v3/channels?part=statistics[,snippet,contentDetails]&id=UC...|mine=true
 *       statistics values are STRINGS (viewCount, subscriberCount, videoCount) and
 *       hiddenSubscriberCount a real bool; subscriberCount is rounded down to three
 *       significant figures; no match means no "items" member at all.
 *   GET /youtube/v3/playlistItems?part=contentDetails[,snippet,status]&playlistId=UU...
 *       &maxResults=0..50 (default 5)&pageToken=
 *       the uploads playlist, newest first; contentDetails.{videoId,videoPublishedAt};
 *       nextPageToken absent on the last page, prevPageToken absent on the first. Page
 *       tokens are YouTube's classic ones, base64 of a small protobuf (offset, direction):
 *       "CAUQAA" is offset 5 forward, "CAUQAQ" the page before offset 5.
 *   GET /youtube/v3/videos?part=statistics,snippet[,contentDetails,status]&id=a,b,... (<= 50)
 *       items in the order asked, unknown ids left out; likeCount absent when the ratings
 *       are hidden, commentCount absent when comments are disabled.
 * Envelopes {"kind","etag","nextPageToken"?,"prevPageToken"?,"items":[...],"pageInfo":
 * {"totalResults","resultsPerPage"}}; timestamps "2024-01-15T14:00:07Z". Parameter errors
 * are Google error bodies naming the parameter (unknownPart, invalidPageToken, ...).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_youtube.h"

#define MAX_IDS 50

static const char *const channel_parts[] = {"id",           "snippet",       "contentDetails",
                                            "statistics",   "status",        "brandingSettings",
                                            "topicDetails", "localizations", NULL};
static const char *const playlist_parts[] = {"id", "snippet", "contentDetails", "status", NULL};
static const char *const video_parts[] = {"id",           "snippet",       "contentDetails",
                                          "statistics",   "status",        "player",
                                          "topicDetails", "localizations", NULL};

/* ---- parameters ----------------------------------------------------------------------------- */

static bool in_list(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (strlen(*list) == n && strncmp(*list, s, n) == 0)
            return true;
    return false;
}

/* part= must be present and every item known; false (answered) otherwise. */
static bool parts_ok(struct http_req *r, const char *const *known)
{
    const char *v = http_param(r, "part");
    char msg[128];
    if (!v || !*v) {
        yt_bad_param(r, "part", "required", "global", "Required parameter: part");
        return false;
    }
    for (const char *p = v; *p;) {
        size_t n = strcspn(p, ",");
        if (!in_list(p, n, known)) {
            snprintf(msg, sizeof msg, "'%.*s'", (int)(n < 60 ? n : 60), p);
            yt_bad_param(r, "part", "unknownPart", "youtube.part", msg);
            return false;
        }
        p += n + (p[n] == ',');
    }
    return true;
}

static bool has(const struct http_req *r, const char *param, const char *item)
{
    const char *v = http_param(r, param);
    size_t n = strlen(item);
    for (const char *p = v; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, item, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

static void no_filter(struct http_req *r, const char *expected)
{
    char msg[200];
    snprintf(msg, sizeof msg, "No filter selected. Expected one of: %s", expected);
    yt_bad_param(r, NULL, "missingRequiredParameter", "youtube.parameter", msg);
}

/* maxResults in [0, 50], default 5; -1 (answered) when out of range. */
static int max_results(struct http_req *r)
{
    const char *v = http_param(r, "maxResults");
    char *end, msg[128];
    if (!v)
        return 5;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 0 || n > 50) {
        snprintf(msg, sizeof msg, "Invalid value '%.30s'. Values must be within the range: [0, 50]",
                 v);
        yt_bad_param(r, "maxResults", "invalidParameter", "youtube.parameter", msg);
        return -1;
    }
    return (int)n;
}

/* ---- page tokens ---------------------------------------------------------------------------- */

/* base64 (no padding) of 08 <varint offset> 10 <backward>: "CAUQAA", "CJYBEAA". */
static void token_encode(size_t offset, bool backward, char *out)
{
    unsigned char b[16];
    size_t n = 0;
    char tmp[32];
    b[n++] = 0x08;
    do {
        b[n++] = (unsigned char)((offset & 0x7F) | (offset > 0x7F ? 0x80 : 0));
        offset >>= 7;
    } while (offset > 0);
    b[n++] = 0x10;
    b[n++] = backward;
    b64_encode(b, n, tmp);
    tmp[strcspn(tmp, "=")] = '\0';
    strcpy(out, tmp);
}

static bool token_decode(const char *s, size_t *offset, bool *backward)
{
    unsigned char b[16];
    int n = strlen(s) < 20 ? b64_decode(s, b, sizeof b) : -1, i = 1;
    size_t v = 0;
    unsigned shift = 0;
    if (n < 4 || b[0] != 0x08)
        return false;
    while (i < n - 2 && (b[i] & 0x80) && shift < 28) {
        v |= (size_t)(b[i++] & 0x7F) << shift;
        shift += 7;
    }
    v |= (size_t)(b[i++] & 0x7F) << shift;
    if (i != n - 2 || b[i] != 0x10 || b[i + 1] > 1)
        return false;
    *offset = v;
    *backward = b[i + 1] == 1;
    return true;
}

/* ---- shared pieces -------------------------------------------------------------------------- */

static void thumbnails(struct jw *j, const char *base)
{
    static const struct {
        const char *name, *file;
        int w, h;
    } sizes[] = {{"default", "default", 120, 90},
                 {"medium", "mqdefault", 320, 180},
                 {"high", "hqdefault", 480, 360}};
    jw_kobj(j, "thumbnails");
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        jw_kobj(j, sizes[i].name);
        jw_kstrf(j, "url", "%s/%s.jpg", base, sizes[i].file);
        jw_kint(j, "width", sizes[i].w);
        jw_kint(j, "height", sizes[i].h);
        jw_end(j);
    }
    jw_end(j);
}

static void envelope_start(const struct yt_world *yt, const struct world *w, const char *kind,
                           struct http_req *r, struct jw *j)
{
    char etag[32];
    yt_etag(yt, w, r->path, etag);
    yt_begin(r, j);
    jw_obj(j);
    jw_kstr(j, "kind", kind);
    jw_kstr(j, "etag", etag);
}

static void page_info(struct jw *j, int64_t total, int64_t per_page)
{
    jw_kobj(j, "pageInfo");
    jw_kint(j, "totalResults", total);
    jw_kint(j, "resultsPerPage", per_page);
    jw_end(j);
}

/* ---- channels ------------------------------------------------------------------------------- */

static void channel_item(const struct yt_world *yt, const struct world *w, struct http_req *r,
                         struct jw *j)
{
    char etag[32], uploads[40], ts[32];
    yt_etag(yt, w, yt->channel_id, etag);
    jw_obj(j);
    jw_kstr(j, "kind", "youtube#channel");
    jw_kstr(j, "etag", etag);
    jw_kstr(j, "id", yt->channel_id);
    if (has(r, "part", "snippet")) {
        fmt_iso_z(day_start_utc(w->today) - 3000LL * 86400 + 41234, ts, sizeof ts);
        jw_kobj(j, "snippet");
        jw_kstr(j, "title", yt->title);
        jw_kstr(j, "description", "Measuring what B2B social is worth — talks, demos, how-tos.");
        jw_kstr(j, "customUrl", "@acmeanalytics");
        jw_kstr(j, "publishedAt", ts);
        thumbnails(j, "https://yt3.ggpht.com/ytc/acme");
        jw_kstr(j, "country", "US");
        jw_end(j);
    }
    if (has(r, "part", "contentDetails")) {
        yt_uploads_playlist(yt, uploads, sizeof uploads);
        jw_kobj(j, "contentDetails");
        jw_kobj(j, "relatedPlaylists");
        jw_kstr(j, "likes", "");
        jw_kstr(j, "uploads", uploads);
        jw_end(j);
        jw_end(j);
    }
    if (has(r, "part", "statistics")) {
        jw_kobj(j, "statistics");
        jw_kstrf(j, "viewCount", "%lld", (long long)yt_channel_views(yt));
        jw_kstrf(j, "subscriberCount", "%lld", (long long)yt_subscribers_shown(yt));
        jw_kbool(j, "hiddenSubscriberCount", false);
        jw_kstrf(j, "videoCount", "%zu", yt->nvideos);
        jw_end(j);
    }
    jw_end(j);
}

void yt_channels(struct yt_world *yt, const struct world *w, struct http_req *r)
{
    const char *mine = http_param(r, "mine"), *id = http_param(r, "id");
    struct jw j;
    if (!parts_ok(r, channel_parts))
        return;
    if (!id && !mine && !http_param(r, "forHandle") && !http_param(r, "forUsername")) {
        no_filter(r, "forUsername, managedByMe, categoryId, mine, mySubscribers, id, idParam");
        return;
    }
    bool found = (mine && strcmp(mine, "true") == 0) || has(r, "id", yt->channel_id) ||
                 has(r, "forHandle", "@acmeanalytics") || has(r, "forHandle", "acmeanalytics");
    envelope_start(yt, w, "youtube#channelListResponse", r, &j);
    page_info(&j, found, 5);
    if (found) { /* no match: no "items" member at all */
        jw_karr(&j, "items");
        channel_item(yt, w, r, &j);
        jw_end(&j);
    }
    jw_end(&j);
}

/* ---- playlistItems -------------------------------------------------------------------------- */

static void playlist_snippet(const struct yt_world *yt, const struct yt_video *v,
                             const char *playlist, size_t pos, struct jw *j)
{
    char ts[32], base[64];
    fmt_iso_z(v->published, ts, sizeof ts);
    snprintf(base, sizeof base, "https://i.ytimg.com/vi/%s", v->id);
    jw_kobj(j, "snippet");
    jw_kstr(j, "publishedAt", ts);
    jw_kstr(j, "channelId", yt->channel_id);
    jw_kstr(j, "title", v->title);
    jw_kstr(j, "description", v->description);
    thumbnails(j, base);
    jw_kstr(j, "channelTitle", yt->title);
    jw_kstr(j, "playlistId", playlist);
    jw_kint(j, "position", (int64_t)pos);
    jw_kobj(j, "resourceId");
    jw_kstr(j, "kind", "youtube#video");
    jw_kstr(j, "videoId", v->id);
    jw_end(j);
    jw_kstr(j, "videoOwnerChannelTitle", yt->title);
    jw_kstr(j, "videoOwnerChannelId", yt->channel_id);
    jw_end(j);
}

static void playlist_item(const struct yt_world *yt, const struct world *w,
                          const struct http_req *r, const char *playlist, size_t pos, struct jw *j)
{
    const struct yt_video *v = &yt->videos[yt->nvideos - 1 - pos];
    char raw[96], id[160], ts[32], etag[32];
    snprintf(raw, sizeof raw, "%s.%016llX", playlist,
             (unsigned long long)mix64(v->published, (uint64_t)v->id[0] << 8 | (uint8_t)v->id[5]));
    b64_encode(raw, strlen(raw), id);
    id[strcspn(id, "=")] = '\0';
    yt_etag(yt, w, id, etag);
    fmt_iso_z(v->published, ts, sizeof ts);
    jw_obj(j);
    jw_kstr(j, "kind", "youtube#playlistItem");
    jw_kstr(j, "etag", etag);
    jw_kstr(j, "id", id);
    if (has(r, "part", "snippet"))
        playlist_snippet(yt, v, playlist, pos, j);
    if (has(r, "part", "contentDetails")) {
        jw_kobj(j, "contentDetails");
        jw_kstr(j, "videoId", v->id);
        jw_kstr(j, "videoPublishedAt", ts);
        jw_end(j);
    }
    if (has(r, "part", "status")) {
        jw_kobj(j, "status");
        jw_kstr(j, "privacyStatus", "public");
        jw_end(j);
    }
    jw_end(j);
}

/* The page [start, start + n) of the list from pageToken and maxResults; false if answered. */
static bool playlist_page(struct http_req *r, size_t total, int max, size_t *start, size_t *n)
{
    const char *tok = http_param(r, "pageToken");
    size_t offset = 0;
    bool backward = false;
    if (tok && !token_decode(tok, &offset, &backward)) {
        yt_bad_param(r, "pageToken", "invalidPageToken", "youtube.parameter",
                     "The request specifies an invalid page token.");
        return false;
    }
    if (offset > total) /* a token from a longer list: the end of this one */
        offset = total;
    if (backward) {
        *start = offset > (size_t)max ? offset - (size_t)max : 0;
        *n = offset - *start;
    } else {
        *start = offset < total ? offset : total;
        *n = total - *start < (size_t)max ? total - *start : (size_t)max;
    }
    return true;
}

static void playlist_not_found(struct http_req *r)
{
    struct google_error e = {.status = 404,
                             .message = "The playlist identified with the request's "
                                        "<code>playlistId</code> parameter cannot be found.",
                             .domain = "youtube.playlistItem",
                             .reason = "playlistNotFound",
                             .location = "playlistId",
                             .location_type = "parameter",
                             .grpc_status = "NOT_FOUND"};
    yt_error(r, &e);
}

void yt_playlist_items(struct yt_world *yt, const struct world *w, struct http_req *r)
{
    const char *pl = http_param(r, "playlistId");
    char uploads[40], tok[32];
    size_t start, n;
    int max;
    struct jw j;
    if (!parts_ok(r, playlist_parts) || (max = max_results(r)) < 0)
        return;
    if (!pl) {
        no_filter(r, "playlistId, id");
        return;
    }
    yt_uploads_playlist(yt, uploads, sizeof uploads);
    if (strcmp(pl, uploads) != 0) {
        playlist_not_found(r);
        return;
    }
    if (!playlist_page(r, yt->nvideos, max, &start, &n))
        return;
    envelope_start(yt, w, "youtube#playlistItemListResponse", r, &j);
    if (start + n < yt->nvideos) {
        token_encode(start + n, false, tok);
        jw_kstr(&j, "nextPageToken", tok);
    }
    if (start > 0) {
        token_encode(start, true, tok);
        jw_kstr(&j, "prevPageToken", tok);
    }
    jw_karr(&j, "items");
    for (size_t i = 0; i < n; i++)
        playlist_item(yt, w, r, uploads, start + i, &j);
    jw_end(&j);
    page_info(&j, (int64_t)yt->nvideos, max);
    jw_end(&j);
}

/* ---- videos --------------------------------------------------------------------------------- */

static void fmt_duration(int s, char *out, size_t len)
{
    int h = s / 3600, m = s / 60 % 60, sec = s % 60, o = snprintf(out, len, "PT");
    if (h)
        o += snprintf(out + o, len - (size_t)o, "%dH", h);
    if (m)
        o += snprintf(out + o, len - (size_t)o, "%dM", m);
    if (sec || (!h && !m))
        snprintf(out + o, len - (size_t)o, "%dS", sec);
}

static void video_snippet(const struct yt_world *yt, const struct yt_video *v, struct jw *j)
{
    char ts[32], base[64];
    fmt_iso_z(v->published, ts, sizeof ts);
    snprintf(base, sizeof base, "https://i.ytimg.com/vi/%s", v->id);
    jw_kobj(j, "snippet");
    jw_kstr(j, "publishedAt", ts);
    jw_kstr(j, "channelId", yt->channel_id);
    jw_kstr(j, "title", v->title);
    jw_kstr(j, "description", v->description);
    thumbnails(j, base);
    jw_kstr(j, "channelTitle", yt->title);
    jw_kstr(j, "categoryId", "28");
    jw_kstr(j, "liveBroadcastContent", "none");
    jw_kstr(j, "defaultAudioLanguage", "en");
    jw_kobj(j, "localized");
    jw_kstr(j, "title", v->title);
    jw_kstr(j, "description", v->description);
    jw_end(j);
    jw_end(j);
}

static void video_details(const struct yt_video *v, struct jw *j)
{
    char dur[32];
    fmt_duration(v->duration_s, dur, sizeof dur);
    jw_kobj(j, "contentDetails");
    jw_kstr(j, "duration", dur);
    jw_kstr(j, "dimension", "2d");
    jw_kstr(j, "definition", "hd");
    jw_kstr(j, "caption", "false");
    jw_kbool(j, "licensedContent", false);
    jw_kobj(j, "contentRating");
    jw_end(j);
    jw_kstr(j, "projection", "rectangular");
    jw_end(j);
}

static void video_status(struct jw *j)
{
    jw_kobj(j, "status");
    jw_kstr(j, "uploadStatus", "processed");
    jw_kstr(j, "privacyStatus", "public");
    jw_kstr(j, "license", "youtube");
    jw_kbool(j, "embeddable", true);
    jw_kbool(j, "publicStatsViewable", true);
    jw_kbool(j, "madeForKids", false);
    jw_end(j);
}

/* Counts are strings; likeCount and commentCount are left out when hidden or disabled. */
static void video_statistics(const struct yt_video *v, struct jw *j)
{
    jw_kobj(j, "statistics");
    jw_kstrf(j, "viewCount", "%lld", (long long)v->views);
    if (!v->ratings_hidden)
        jw_kstrf(j, "likeCount", "%lld", (long long)v->likes);
    jw_kstr(j, "favoriteCount", "0");
    if (!v->comments_disabled)
        jw_kstrf(j, "commentCount", "%lld", (long long)v->comments);
    jw_end(j);
}

static void video_item(const struct yt_world *yt, const struct world *w, struct http_req *r,
                       const struct yt_video *v, struct jw *j)
{
    char etag[32];
    yt_etag(yt, w, v->id, etag);
    jw_obj(j);
    jw_kstr(j, "kind", "youtube#video");
    jw_kstr(j, "etag", etag);
    jw_kstr(j, "id", v->id);
    if (has(r, "part", "snippet"))
        video_snippet(yt, v, j);
    if (has(r, "part", "contentDetails"))
        video_details(v, j);
    if (has(r, "part", "status"))
        video_status(j);
    if (has(r, "part", "statistics"))
        video_statistics(v, j);
    jw_end(j);
}

static const struct yt_video *video_named(const struct yt_world *yt, const char *id, size_t n)
{
    for (size_t i = 0; i < yt->nvideos; i++)
        if (strlen(yt->videos[i].id) == n && strncmp(yt->videos[i].id, id, n) == 0)
            return &yt->videos[i];
    return NULL;
}

void yt_videos(struct yt_world *yt, const struct world *w, struct http_req *r)
{
    const char *ids = http_param(r, "id");
    const struct yt_video *found[MAX_IDS];
    size_t nids = 0, nfound = 0;
    struct jw j;
    if (!parts_ok(r, video_parts))
        return;
    if (!ids) {
        no_filter(r, "chart, id, myRating");
        return;
    }
    for (const char *p = ids; *p;) {
        size_t n = strcspn(p, ",");
        const struct yt_video *v = video_named(yt, p, n);
        if (++nids > MAX_IDS) {
            yt_bad_param(r, "id", "invalidValue", "youtube.parameter",
                         "The request specifies more than 50 values for the id parameter.");
            return;
        }
        if (v)
            found[nfound++] = v;
        p += n + (p[n] == ',');
    }
    envelope_start(yt, w, "youtube#videoListResponse", r, &j);
    jw_karr(&j, "items");
    for (size_t i = 0; i < nfound; i++)
        video_item(yt, w, r, found[i], &j);
    jw_end(&j);
    page_info(&j, (int64_t)nfound, (int64_t)nfound);
    jw_end(&j);
}
