/*
 * sim_instagram.c - the Instagram Graph API front door of the simulator: routing, access
 * tokens, error bodies, usage headers, the user and media nodes, the media list and the
 * token refresh.
 *
 * Served under /instagram, with any version segment (reference §3.1-§3.3):
 *   GET /refresh_access_token?grant_type=ig_refresh_token&access_token=
 *       -> {"access_token","token_type":"bearer","expires_in":5184000} (§3.1, §12)
 *   GET /vNN.0/{ig-user}?fields=id,username,name,followers_count,follows_count,media_count
 *   GET /vNN.0/{ig-user}/insights       (sim_instagram_insights.c)
 *   GET /vNN.0/{ig-user}/media?fields=id,caption,media_type,media_product_type,timestamp,
 *       permalink,like_count,comments_count[,children{id}]&limit=&after=&before=&since=&until=
 *       newest first, cursor paging; paging.next is a full URL embedding access_token and is
 *       absent on the last page, which still has its cursors (§2.5, §3.3, §15 item 3);
 *       timestamp "2023-06-12T19:20:02+0000" (§3.3); like_count absent when hidden (§3.4)
 *   GET /vNN.0/{media}?fields=...;  GET /vNN.0/{media}/insights (sim_instagram_insights.c)
 * Tokens as Bearer or access_token= (§0). Errors are Graph bodies (§2.7): 104 without a
 * token, 190 for an unknown one and 190/463 for an expired one, 100/33 for unknown objects,
 * "(#100) Tried accessing nonexisting field" for unknown fields and edges. Every answer
 * carries X-App-Usage and X-Business-Use-Case-Usage with type "instagram"; the throttle fault
 * is error 80002 (§2.6, §3.4). The refresh accepts an expired token and refuses a revoked one
 * (190/460), like the Meta exchange (tests/sim/README.md).
 */
#include "sim_instagram.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_facebook.h"
#include "xmalloc.h"

#define JSON_META "application/json; charset=UTF-8"

/* ---- answers -------------------------------------------------------------------------------- */

struct graph_error {
    int status, code, subcode, transient;
    const char *message, *user_title, *user_msg;
};

static void write_error(struct ig_ctx *c, const struct graph_error *e)
{
    struct jw j;
    char trace[32];
    struct rng r = {mix64(c->w->seed ^ 0x1C, c->ig->requests)};
    rng_alnum(&r, trace, "A", 22);
    http_answer(c->r, e->status, JSON_META);
    jw_init(&j, &c->r->body, JW_ASCII);
    jw_obj(&j);
    jw_kobj(&j, "error");
    jw_kstr(&j, "message", e->message);
    jw_kstr(&j, "type", "OAuthException");
    jw_kint(&j, "code", e->code);
    if (e->subcode)
        jw_kint(&j, "error_subcode", e->subcode);
    if (e->transient >= 0)
        jw_kbool(&j, "is_transient", e->transient > 0);
    if (e->user_title)
        jw_kstr(&j, "error_user_title", e->user_title);
    if (e->user_msg)
        jw_kstr(&j, "error_user_msg", e->user_msg);
    jw_kstr(&j, "fbtrace_id", trace);
    jw_end(&j);
    jw_end(&j);
}

void ig_error(struct ig_ctx *c, int status, int code, int subcode, const char *message,
              int transient)
{
    struct graph_error e = {status, code, subcode, transient, message, NULL, NULL};
    write_error(c, &e);
}

void ig_error_user(struct ig_ctx *c, int code, int subcode, const char *message,
                   const char *user_title, const char *user_msg)
{
    struct graph_error e = {400, code, subcode, 0, message, user_title, user_msg};
    write_error(c, &e);
}

void ig_begin(struct ig_ctx *c, struct jw *j)
{
    http_answer(c->r, 200, JSON_META);
    jw_init(j, &c->r->body, JW_ASCII);
}

static void no_field(struct ig_ctx *c, const char *field, const char *node_type)
{
    char msg[256];
    snprintf(msg, sizeof msg, "(#100) Tried accessing nonexisting field (%.80s) on node type (%s)",
             field, node_type);
    ig_error(c, 400, 100, 0, msg, -1);
}

static void unsupported_get(struct ig_ctx *c, const char *id)
{
    char msg[400];
    snprintf(msg, sizeof msg,
             "Unsupported get request. Object with ID '%.60s' does not exist, cannot be loaded "
             "due to missing permissions, or does not support this operation. Please read the "
             "Graph API documentation at https://developers.facebook.com/docs/graph-api",
             id);
    ig_error(c, 400, 100, 33, msg, -1);
}

static bool dropped(const char *key, const char *const *drop)
{
    if (strcmp(key, "access_token") == 0)
        return true;
    for (; drop && *drop; drop++)
        if (strcmp(key, *drop) == 0)
            return true;
    return false;
}

void ig_self_url(struct ig_ctx *c, struct buf *b, const char *const *drop, const char *extra)
{
    buf_printf(b, "http://%s/instagram", http_host(c->r));
    if (c->version[0])
        buf_printf(b, "/%s", c->version);
    buf_printf(b, "/%s", c->node);
    if (c->edge[0])
        buf_printf(b, "/%s", c->edge);
    buf_puts(b, "?access_token=");
    http_urlencode(b, c->token ? c->token : "");
    for (size_t i = 0; i < c->r->nparams; i++) {
        if (dropped(c->r->params[i].key, drop))
            continue;
        buf_puts(b, "&");
        http_urlencode(b, c->r->params[i].key);
        buf_puts(b, "=");
        http_urlencode(b, c->r->params[i].val);
    }
    if (extra && *extra)
        buf_printf(b, "&%s", extra);
}

/* X-App-Usage and X-Business-Use-Case-Usage of type instagram (reference §2.6, §3.4). */
static void usage_headers(struct ig_ctx *c, int pct, int regain_minutes)
{
    char v[512];
    snprintf(v, sizeof v, "{\"call_count\":%d,\"total_cputime\":%d,\"total_time\":%d}", pct,
             pct / 2, pct / 2);
    http_set_header(c->r, "X-App-Usage", v);
    snprintf(v, sizeof v,
             "{\"%s\":[{\"type\":\"instagram\",\"call_count\":%d,\"total_cputime\":%d,"
             "\"total_time\":%d,\"estimated_time_to_regain_access\":%d}]}",
             c->ig->user_id, pct, pct / 2, pct / 2, regain_minutes);
    http_set_header(c->r, "X-Business-Use-Case-Usage", v);
}

/* ---- tokens --------------------------------------------------------------------------------- */

static void token_error(struct ig_ctx *c, int subcode, const char *msg)
{
    char v[300];
    ig_error(c, 400, 190, subcode, msg, -1);
    snprintf(v, sizeof v, "OAuth \"Facebook Platform\" \"invalid_token\" \"%s\"", msg);
    http_set_header(c->r, "WWW-Authenticate", v);
}

static bool authorized(struct ig_ctx *c)
{
    c->token = http_bearer(c->r);
    if (!c->token)
        c->token = http_param(c->r, "access_token");
    if (!c->token) {
        ig_error(c, 400, 104, 0, "An access token is required to request this resource.", -1);
        return false;
    }
    switch (cred_check(&c->ig->cred, c->token)) {
    case CRED_VALID:
        return true;
    case CRED_EXPIRED:
    case CRED_REVOKED: /* a revoked token also reads as expired (README: "as expire_token") */
        token_error(c, 463, "Error validating access token: Session has expired.");
        return false;
    default:
        token_error(c, 0, "Invalid OAuth access token - Cannot parse access token");
        return false;
    }
}

/* GET /refresh_access_token?grant_type=ig_refresh_token&access_token= (reference §3.1). */
static void token_refresh(struct ig_ctx *c)
{
    const char *grant = http_param(c->r, "grant_type");
    const char *old = http_param(c->r, "access_token");
    enum cred_state st = cred_check(&c->ig->cred, old);
    struct jw j;
    if (c->r->method != EVHTTP_REQ_GET)
        unsupported_get(c, "refresh_access_token");
    else if (!grant || strcmp(grant, "ig_refresh_token") != 0)
        ig_error(c, 400, 100, 0, "(#100) grant_type must be ig_refresh_token", -1);
    else if (!old)
        ig_error(c, 400, 104, 0, "An access token is required to request this resource.", -1);
    else if (st == CRED_UNKNOWN)
        token_error(c, 0, "Invalid OAuth access token - Cannot parse access token");
    else if (st == CRED_REVOKED)
        token_error(c, 460,
                    "Error validating access token: The session has been invalidated because the "
                    "user changed their password or Instagram has changed the session for "
                    "security reasons.");
    else {
        cred_rotate(&c->ig->cred);
        ig_begin(c, &j);
        jw_obj(&j);
        jw_kstr(&j, "access_token", c->ig->cred.access);
        jw_kstr(&j, "token_type", "bearer");
        jw_kint(&j, "expires_in", 5184000);
        jw_end(&j);
    }
}

/* ---- nodes ---------------------------------------------------------------------------------- */

static bool node_fields(struct ig_ctx *c, const char *def, const char *const *known,
                        const char *type, struct fb_field *f, int *n)
{
    const char *s = http_param(c->r, "fields");
    *n = fb_fields_parse(s ? s : def, f, FB_MAX_FIELDS);
    if (*n < 0) {
        ig_error(c, 400, 100, 0, "(#100) Syntax error in fields", -1);
        return false;
    }
    const char *bad = fb_unknown_field(f, *n, known);
    if (bad)
        no_field(c, bad, type);
    return bad == NULL;
}

static void user_node(struct ig_ctx *c)
{
    static const char *const known[] = {"id",
                                        "ig_id",
                                        "username",
                                        "name",
                                        "biography",
                                        "followers_count",
                                        "follows_count",
                                        "media_count",
                                        "website",
                                        "profile_picture_url",
                                        NULL};
    const struct ig_world *ig = c->ig;
    struct fb_field f[FB_MAX_FIELDS];
    struct jw j;
    int n;
    if (!node_fields(c, "id", known, "IGUser", f, &n))
        return;
    ig_begin(c, &j);
    jw_obj(&j);
    if (fb_wants(f, n, "ig_id"))
        jw_kint(&j, "ig_id", (int64_t)(mix64(c->w->seed, 0x16) % 9000000000ULL) + 1000000000);
    if (fb_wants(f, n, "username"))
        jw_kstr(&j, "username", ig->username);
    if (fb_wants(f, n, "name"))
        jw_kstr(&j, "name", ig->name);
    if (fb_wants(f, n, "biography"))
        jw_kstr(&j, "biography", "Measuring what B2B social is worth 📊\nPosts by the team.");
    if (fb_wants(f, n, "followers_count"))
        jw_kint(&j, "followers_count", ig_followers(ig));
    if (fb_wants(f, n, "follows_count"))
        jw_kint(&j, "follows_count", ig->following);
    if (fb_wants(f, n, "media_count"))
        jw_kint(&j, "media_count", ig_media_count(ig));
    if (fb_wants(f, n, "website"))
        jw_kstr(&j, "website", "https://acme-analytics.example/");
    if (fb_wants(f, n, "profile_picture_url"))
        jw_kstrf(&j, "profile_picture_url", "https://scontent.cdninstagram.com/v/%s.jpg",
                 ig->user_id);
    jw_kstr(&j, "id", ig->user_id);
    jw_end(&j);
}

static const char *const media_known[] = {"id",
                                          "caption",
                                          "media_type",
                                          "media_product_type",
                                          "timestamp",
                                          "permalink",
                                          "like_count",
                                          "comments_count",
                                          "media_url",
                                          "thumbnail_url",
                                          "shortcode",
                                          "username",
                                          "is_comment_enabled",
                                          "owner",
                                          "children",
                                          NULL};

/* children{id} of a carousel: 2-5 child media ids derived from the album's id. */
static void children(const struct ig_media *m, struct jw *j)
{
    uint64_t h = mix64(strtoull(m->id, NULL, 10), 0xC4);
    jw_kobj(j, "children");
    jw_karr(j, "data");
    for (unsigned i = 0; i < 2 + h % 4; i++) {
        jw_obj(j);
        jw_kstrf(j, "id", "179%014llu", (unsigned long long)(mix64(h, i) % 100000000000000ULL));
        jw_end(j);
    }
    jw_end(j);
    jw_end(j);
}

static void media_object(struct ig_ctx *c, const struct ig_media *m, const struct fb_field *f,
                         int n, struct jw *j)
{
    char ts[32];
    jw_obj(j);
    if (fb_wants(f, n, "caption") && m->caption)
        jw_kstr(j, "caption", m->caption);
    if (fb_wants(f, n, "media_type"))
        jw_kstr(j, "media_type", m->media_type);
    if (fb_wants(f, n, "media_product_type"))
        jw_kstr(j, "media_product_type", m->reel ? "REELS" : "FEED");
    if (fb_wants(f, n, "timestamp")) {
        fmt_meta_time(m->created, ts, sizeof ts);
        jw_kstr(j, "timestamp", ts);
    }
    if (fb_wants(f, n, "permalink"))
        jw_kstrf(j, "permalink", "https://www.instagram.com/%s/%s/", m->reel ? "reel" : "p",
                 m->shortcode);
    if (fb_wants(f, n, "shortcode"))
        jw_kstr(j, "shortcode", m->shortcode);
    if (fb_wants(f, n, "media_url"))
        jw_kstrf(j, "media_url", "https://scontent.cdninstagram.com/v/t51/%s_n.%s", m->id,
                 strcmp(m->media_type, "VIDEO") == 0 ? "mp4" : "jpg");
    if (fb_wants(f, n, "thumbnail_url") && strcmp(m->media_type, "VIDEO") == 0)
        jw_kstrf(j, "thumbnail_url", "https://scontent.cdninstagram.com/v/t51/%s_t.jpg", m->id);
    if (fb_wants(f, n, "username"))
        jw_kstr(j, "username", c->ig->username);
    if (fb_wants(f, n, "is_comment_enabled"))
        jw_kbool(j, "is_comment_enabled", true);
    if (fb_wants(f, n, "children") && strcmp(m->media_type, "CAROUSEL_ALBUM") == 0)
        children(m, j);
    if (fb_wants(f, n, "owner")) {
        jw_kobj(j, "owner");
        jw_kstr(j, "id", c->ig->user_id);
        jw_end(j);
    }
    if (fb_wants(f, n, "like_count") && !m->likes_hidden)
        jw_kint(j, "like_count", m->likes);
    if (fb_wants(f, n, "comments_count"))
        jw_kint(j, "comments_count", m->comments);
    jw_kstr(j, "id", m->id);
    jw_end(j);
}

static void media_node(struct ig_ctx *c, const struct ig_media *m)
{
    struct fb_field f[FB_MAX_FIELDS];
    struct jw j;
    int n;
    if (!node_fields(c, "id", media_known, "IGMedia", f, &n))
        return;
    ig_begin(c, &j);
    media_object(c, m, f, n, &j);
}

/* ---- the media list ------------------------------------------------------------------------- */

struct media_query {
    struct fb_field f[FB_MAX_FIELDS];
    int nf, limit;
    int64_t since, until;
    long after, before; /* stored indexes named by the cursors; nmedia when absent */
};

static int parse_limit(struct ig_ctx *c, int def, int max)
{
    const char *v = http_param(c->r, "limit");
    char *end;
    if (!v)
        return def;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 0) {
        ig_error(c, 400, 100, 0, "(#100) Param limit must be a number", -1);
        return -1;
    }
    return n == 0 ? def : n > max ? max : (int)n;
}

/* The stored index of the medium a cursor names: nmedia when absent, -1 (answered) if bad. */
static long cursor_index(struct ig_ctx *c, const char *param)
{
    const char *v = http_param(c->r, param);
    char id[64];
    if (!v)
        return (long)c->ig->nmedia;
    if (fb_cursor_decode(v, id, sizeof id) == 0)
        for (size_t i = 0; i < c->ig->nmedia; i++)
            if (strcmp(c->ig->media[i].id, id) == 0)
                return (long)i;
    ig_error(c, 400, 100, 0, "(#100) The cursor is invalid or has expired", -1);
    return -1;
}

static bool media_query_parse(struct ig_ctx *c, struct media_query *q)
{
    const char *s = http_param(c->r, "since"), *u = http_param(c->r, "until");
    if (!node_fields(c, "id", media_known, "IGMedia", q->f, &q->nf))
        return false;
    q->since = INT64_MIN;
    q->until = INT64_MAX;
    if ((s && fb_parse_time(s, &q->since) < 0) || (u && fb_parse_time(u, &q->until) < 0)) {
        ig_error(c, 400, 100, 0,
                 "(#100) The since and until parameters must be dates or Unix timestamps", -1);
        return false;
    }
    q->limit = parse_limit(c, 25, 100);
    if (q->limit < 0 || (q->after = cursor_index(c, "after")) < 0 ||
        (q->before = cursor_index(c, "before")) < 0)
        return false;
    return true;
}

static void media_paging(struct ig_ctx *c, struct jw *j, const char *first, const char *last,
                         bool prev, bool next, int limit)
{
    static const char *const drop[] = {"after", "before", "limit", NULL};
    struct buf url = {0}, extra = {0};
    jw_kobj(j, "paging");
    jw_kobj(j, "cursors");
    jw_kstr(j, "before", first);
    jw_kstr(j, "after", last);
    jw_end(j);
    if (prev) {
        buf_printf(&extra, "limit=%d&before=", limit);
        http_urlencode(&extra, first);
        ig_self_url(c, &url, drop, extra.data);
        jw_kstr(j, "previous", url.data);
    }
    if (next) {
        buf_reset(&url);
        buf_reset(&extra);
        buf_printf(&extra, "limit=%d&after=", limit);
        http_urlencode(&extra, last);
        ig_self_url(c, &url, drop, extra.data);
        jw_kstr(j, "next", url.data);
    }
    jw_end(j);
    buf_free(&url);
    buf_free(&extra);
}

/* Writes the page all[start .. start + n) of the newest-first list all[0 .. total). */
static void media_page(struct ig_ctx *c, const struct media_query *q, const size_t *all,
                       size_t total, size_t start, size_t n)
{
    struct jw j;
    char first[128], last[128];
    ig_begin(c, &j);
    jw_obj(&j);
    jw_karr(&j, "data");
    for (size_t i = 0; i < n; i++)
        media_object(c, &c->ig->media[all[start + i]], q->f, q->nf, &j);
    jw_end(&j);
    if (n > 0) {
        fb_cursor_encode(c->ig->media[all[start]].id, first, sizeof first);
        fb_cursor_encode(c->ig->media[all[start + n - 1]].id, last, sizeof last);
        media_paging(c, &j, first, last, start > 0, start + n < total, q->limit);
    }
    jw_end(&j);
}

static void media_list(struct ig_ctx *c)
{
    struct media_query q;
    const struct ig_world *ig = c->ig;
    if (!media_query_parse(c, &q))
        return;
    size_t *all = xcalloc(ig->nmedia + 1, sizeof *all), total = 0, start = 0, end;
    for (size_t i = ig->nmedia; i-- > 0;)
        if (ig->media[i].created >= q.since && ig->media[i].created < q.until)
            all[total++] = i;
    end = total;
    if (q.before < (long)ig->nmedia) { /* the page ends just above (newer than) `before` */
        end = 0;
        while (end < total && (long)all[end] > q.before)
            end++;
        start = end > (size_t)q.limit ? end - (size_t)q.limit : 0;
    } else if (q.after < (long)ig->nmedia) { /* the page starts just below `after` */
        while (start < total && (long)all[start] >= q.after)
            start++;
    }
    media_page(c, &q, all, total, start,
               end - start < (size_t)q.limit ? end - start : (size_t)q.limit);
    free(all);
}

/* ---- routing -------------------------------------------------------------------------------- */

/* Splits "/v24.0/node/edge" into c; returns false (answered) when there is more. */
static bool split_path(struct ig_ctx *c, const char *sub)
{
    const char *p = sub + (*sub == '/');
    size_t n = strcspn(p, "/");
    if (n > 1 && n < sizeof c->version && p[0] == 'v' && isdigit((unsigned char)p[1]) &&
        memchr(p, '.', n)) {
        memcpy(c->version, p, n);
        p += n + (p[n] == '/');
    }
    n = strcspn(p, "/");
    snprintf(c->node, sizeof c->node, "%.*s", (int)n, p);
    p += n + (p[n] == '/');
    n = strcspn(p, "/");
    snprintf(c->edge, sizeof c->edge, "%.*s", (int)n, p);
    p += n;
    if (*p == '\0' && c->node[0])
        return true;
    char msg[200];
    snprintf(msg, sizeof msg, "Unknown path components: /%.150s", *p ? p + 1 : "");
    ig_error(c, 400, 2500, 0, msg, -1);
    return false;
}

static const struct ig_media *media_named(const struct ig_world *ig, const char *id)
{
    for (size_t i = 0; i < ig->nmedia; i++)
        if (strcmp(ig->media[i].id, id) == 0)
            return &ig->media[i];
    return NULL;
}

static void route(struct ig_ctx *c)
{
    const struct ig_media *m;
    /* Under --no-rate-limits the usage stays at 0 so a client never paces itself. */
    usage_headers(c, c->w->no_rate_limits ? 0 : 1 + (int)(c->ig->requests / 9 % 25), 0);
    if (strcmp(c->node, c->ig->user_id) == 0) {
        if (!c->edge[0])
            user_node(c);
        else if (strcmp(c->edge, "insights") == 0)
            ig_account_insights(c);
        else if (strcmp(c->edge, "media") == 0)
            media_list(c);
        else
            no_field(c, c->edge, "IGUser");
    } else if ((m = media_named(c->ig, c->node)) != NULL) {
        if (!c->edge[0])
            media_node(c, m);
        else if (strcmp(c->edge, "insights") == 0)
            ig_media_insights(c, m);
        else
            no_field(c, c->edge, "IGMedia");
    } else {
        unsupported_get(c, c->node);
    }
}

void sim_instagram_serve(void *pd, const struct world *w, struct http_req *r)
{
    struct ig_ctx c = {.ig = pd, .w = w, .r = r};
    c.ig->requests++;
    if (!split_path(&c, r->sub))
        return;
    if (strcmp(c.node, "refresh_access_token") == 0 && !c.edge[0]) {
        token_refresh(&c);
        return;
    }
    if (!authorized(&c))
        return;
    if (r->method != EVHTTP_REQ_GET) {
        unsupported_get(&c, c.node);
        return;
    }
    route(&c);
}

void sim_instagram_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                         int seconds)
{
    struct ig_ctx c = {.ig = pd, .w = w, .r = r};
    c.ig->requests++;
    switch (kind) {
    case FAULT_THROTTLE:
        ig_error(&c, 400, 80002, 0,
                 "(#80002) There have been too many calls to this Instagram account. Wait a bit "
                 "and try again. For more info, please refer to "
                 "https://developers.facebook.com/docs/graph-api/overview/rate-limiting.",
                 1);
        usage_headers(&c, 100, (seconds < 0 ? 0 : seconds) / 60);
        break;
    case FAULT_SERVER_ERROR:
        ig_error(&c, 500, 2, 0,
                 "An unexpected error has occurred. Please retry your request later.", 1);
        break;
    case FAULT_EXPIRE_TOKEN:
    case FAULT_REVOKE_TOKEN:
        cred_expire(&c.ig->cred, kind == FAULT_REVOKE_TOKEN);
        break;
    default:
        break;
    }
}
