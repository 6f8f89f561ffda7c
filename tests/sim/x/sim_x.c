/*
 * sim_x.c - the X API v2 endpoints of the simulator.
 *
 * Served under /x (so api_base http://HOST:PORT/x, tests/sim/README.md):
 *   GET  /2/users/{id}?user.fields=...          user lookup      (reference §1.1, §1.2)
 *   GET  /2/users/me                            the token's user (reference §1.1)
 *   GET  /2/users/{id}/tweets?max_results=&start_time=&end_time=&since_id=&until_id=
 *        &pagination_token=&tweet.fields=       user timeline    (§1.1-§1.3, §10.1)
 *   GET  /2/tweets/search/recent?query=...      recent search    (sim_x_search.c)
 *   POST /2/oauth2/token grant_type=refresh_token (form)           (§1.4, §12)
 * Shapes: collections {"data":[...],"meta":{"result_count","newest_id","oldest_id",
 * "next_token","previous_token"}}, with data omitted and only result_count when empty and
 * next_token absent on the last page (§1.2, §1.3); ids as strings, created_at
 * "2021-02-23T18:07:07.000Z" (§1.7); x-rate-limit-limit/-remaining/-reset (epoch seconds) on
 * every response, 429 {"title":"Too Many Requests","type":"about:blank","status":429,...}
 * (§1.5); 400 invalid-request problems naming the parameter, including unknown query
 * parameters, which is how X refuses `next_token` on a timeline (§1.6, §15 item 16); 200 with
 * a resource-not-found partial error for an unknown user id (§1.6); 401 "Unauthorized"
 * problem for a bad or expired token (§11). Only Bearer authentication is accepted (§0).
 * Token refresh answers like X's OAuth 2.0 endpoint: a new access token and a NEW rotating
 * refresh token; the old refresh token stops working (§1.4, §12).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json.h"
#include "sim_x.h"
#include "world_x_search.h"

#define JSON_UTF8 "application/json; charset=utf-8"

const char *const x_tweet_fields[] = {"attachments",
                                      "author_id",
                                      "card_uri",
                                      "context_annotations",
                                      "conversation_id",
                                      "created_at",
                                      "edit_controls",
                                      "edit_history_tweet_ids",
                                      "entities",
                                      "geo",
                                      "id",
                                      "in_reply_to_user_id",
                                      "lang",
                                      "non_public_metrics",
                                      "note_tweet",
                                      "organic_metrics",
                                      "possibly_sensitive",
                                      "promoted_metrics",
                                      "public_metrics",
                                      "referenced_tweets",
                                      "reply_settings",
                                      "source",
                                      "text",
                                      "withheld",
                                      NULL};

const char *const x_user_fields[] = {"affiliation",
                                     "connection_status",
                                     "created_at",
                                     "description",
                                     "entities",
                                     "id",
                                     "location",
                                     "most_recent_tweet_id",
                                     "name",
                                     "pinned_tweet_id",
                                     "profile_banner_url",
                                     "profile_image_url",
                                     "protected",
                                     "public_metrics",
                                     "receives_your_dm",
                                     "subscription_type",
                                     "url",
                                     "username",
                                     "verified",
                                     "verified_type",
                                     "withheld",
                                     NULL};

static const char *const user_params[] = {"expansions", "tweet.fields", "user.fields", NULL};

static const char *const timeline_params[] = {
    "end_time",         "exclude",      "expansions",  "max_results", "media.fields",
    "pagination_token", "place.fields", "poll.fields", "since_id",    "start_time",
    "tweet.fields",     "until_id",     "user.fields", NULL};

/* ---- answers -------------------------------------------------------------------------------- */

void x_begin(struct http_req *r, int status, struct jw *j)
{
    http_answer(r, status, JSON_UTF8);
    jw_init(j, &r->body, JW_UTF8);
}

void x_problem(struct http_req *r, int status, const char *title)
{
    struct jw j;
    x_begin(r, status, &j);
    jw_obj(&j);
    jw_kstr(&j, "title", title);
    jw_kstr(&j, "type", "about:blank");
    jw_kint(&j, "status", status);
    jw_kstr(&j, "detail", title);
    jw_end(&j);
}

void x_invalid(struct http_req *r, const char *param, const char *value, const char *msg)
{
    struct jw j;
    x_begin(r, 400, &j);
    jw_obj(&j);
    jw_karr(&j, "errors");
    jw_obj(&j);
    jw_kobj(&j, "parameters");
    jw_karr(&j, param);
    if (value)
        jw_str(&j, value);
    jw_end(&j);
    jw_end(&j);
    jw_kstr(&j, "message", msg);
    jw_end(&j);
    jw_end(&j);
    jw_kstr(&j, "title", "Invalid Request");
    jw_kstr(&j, "detail", "One or more parameters to your request was invalid.");
    jw_kstr(&j, "type", X_PROBLEM_INVALID);
    jw_end(&j);
}

void x_invalid_value(struct http_req *r, const char *param, const char *value)
{
    char msg[512];
    snprintf(msg, sizeof msg, "The `%s` query parameter value [%.300s] is not valid", param, value);
    x_invalid(r, param, value, msg);
}

static void not_found_route(struct http_req *r)
{
    struct jw j;
    x_begin(r, 404, &j);
    jw_obj(&j);
    jw_karr(&j, "errors");
    jw_obj(&j);
    jw_kstr(&j, "message", "Sorry, that page does not exist");
    jw_kint(&j, "code", 34);
    jw_end(&j);
    jw_end(&j);
    jw_end(&j);
}

/* 200 with only a partial error: the user does not exist (reference §1.6). */
static void user_not_found(struct http_req *r, const char *id)
{
    struct jw j;
    x_begin(r, 200, &j);
    jw_obj(&j);
    jw_karr(&j, "errors");
    jw_obj(&j);
    jw_kstr(&j, "value", id);
    jw_kstrf(&j, "detail", "Could not find user with id: [%.40s].", id);
    jw_kstr(&j, "title", "Not Found Error");
    jw_kstr(&j, "resource_type", "user");
    jw_kstr(&j, "parameter", "id");
    jw_kstr(&j, "resource_id", id);
    jw_kstr(&j, "type", X_PROBLEM_NOT_FOUND);
    jw_end(&j);
    jw_end(&j);
    jw_end(&j);
}

/* ---- rate limits ---------------------------------------------------------------------------- */

static enum x_endpoint endpoint_of(const char *sub)
{
    size_t n = strlen(sub);
    if (strstr(sub, "/oauth2/"))
        return X_EP_TOKEN;
    if (strncmp(sub, "/2/tweets/search/", 17) == 0)
        return X_EP_SEARCH;
    if (n >= 7 && strcmp(sub + n - 7, "/tweets") == 0)
        return X_EP_TWEETS;
    return X_EP_USERS;
}

static struct x_limit *limit_window(struct x_world *x, enum x_endpoint ep)
{
    static const int limits[X_EP_COUNT] = {
        [X_EP_USERS] = 900, [X_EP_TWEETS] = 1500, [X_EP_SEARCH] = 450, [X_EP_TOKEN] = 300};
    struct x_limit *l = &x->limits[ep];
    int64_t now = (int64_t)time(NULL);
    if (now >= l->reset) {
        l->limit = limits[ep];
        l->remaining = l->limit;
        l->reset = now + 900;
    }
    return l;
}

static void limit_headers(struct http_req *r, int limit, int remaining, int64_t reset)
{
    char v[32];
    snprintf(v, sizeof v, "%d", limit);
    http_set_header(r, "x-rate-limit-limit", v);
    snprintf(v, sizeof v, "%d", remaining);
    http_set_header(r, "x-rate-limit-remaining", v);
    snprintf(v, sizeof v, "%lld", (long long)reset);
    http_set_header(r, "x-rate-limit-reset", v);
}

/*
 * Counts the request against its window; false (with a 429 answer) when it is used up. Under
 * --no-rate-limits nothing is counted and the window always shows its whole budget.
 */
static bool limit_take(struct x_world *x, const struct world *w, struct http_req *r)
{
    struct x_limit *l = limit_window(x, endpoint_of(r->sub));
    if (w->no_rate_limits) {
        limit_headers(r, l->limit, l->remaining, l->reset);
        return true;
    }
    if (l->remaining == 0) {
        limit_headers(r, l->limit, 0, l->reset);
        x_problem(r, 429, "Too Many Requests");
        return false;
    }
    l->remaining--;
    limit_headers(r, l->limit, l->remaining, l->reset);
    return true;
}

/* ---- request checks ------------------------------------------------------------------------- */

static bool authorized(struct x_world *x, struct http_req *r)
{
    if (cred_check(&x->cred, http_bearer(r)) == CRED_VALID)
        return true;
    x_problem(r, 401, "Unauthorized");
    return false;
}

static bool in_list(const char *const *list, const char *s, size_t n)
{
    for (; *list; list++)
        if (strlen(*list) == n && strncmp(*list, s, n) == 0)
            return true;
    return false;
}

/* Every query parameter must be one the endpoint knows (X answers 400 otherwise). */
bool x_params_known(struct http_req *r, const char *const *allowed)
{
    for (size_t i = 0; i < r->nparams; i++) {
        const char *k = r->params[i].key;
        if (in_list(allowed, k, strlen(k)))
            continue;
        char msg[512];
        snprintf(msg, sizeof msg, "The query parameter [%.100s] is not one of [", k);
        for (const char *const *a = allowed; *a; a++) {
            strncat(msg, *a, sizeof msg - strlen(msg) - 3);
            strncat(msg, a[1] ? "," : "]", sizeof msg - strlen(msg) - 1);
        }
        x_invalid(r, k, r->params[i].val, msg);
        return false;
    }
    return true;
}

/* A comma list such as tweet.fields: every item must be a known field name. */
bool x_fields_ok(struct http_req *r, const char *param, const char *const *known)
{
    const char *v = http_param(r, param);
    for (const char *p = v; p && *p;) {
        size_t n = strcspn(p, ",");
        if (!in_list(known, p, n)) {
            char item[128], msg[512];
            snprintf(item, sizeof item, "%.*s", (int)(n < 100 ? n : 100), p);
            snprintf(msg, sizeof msg,
                     "The `%s` query parameter value [%s] is not one of the "
                     "allowed values",
                     param, item);
            x_invalid(r, param, item, msg);
            return false;
        }
        p += n + (p[n] == ',');
    }
    return true;
}

bool x_wants(const struct http_req *r, const char *param, const char *field)
{
    const char *v = http_param(r, param);
    size_t n = strlen(field);
    for (const char *p = v; p && *p;) {
        size_t len = strcspn(p, ",");
        if (len == n && strncmp(p, field, n) == 0)
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

bool x_parse_id(const char *s, uint64_t *id)
{
    size_t n = strlen(s);
    if (n == 0 || n > 19 || strspn(s, "0123456789") != n)
        return false;
    *id = strtoull(s, NULL, 10);
    return true;
}

/* ---- users ---------------------------------------------------------------------------------- */

static void user_object(const struct x_world *x, const struct http_req *r, struct jw *j)
{
    char ts[32];
    jw_obj(j);
    jw_kstrf(j, "id", "%llu", (unsigned long long)x->user_id);
    jw_kstr(j, "name", x->name);
    jw_kstr(j, "username", x->username);
    if (x_wants(r, "user.fields", "created_at")) {
        fmt_x_time(x->user_created, ts, sizeof ts);
        jw_kstr(j, "created_at", ts);
    }
    if (x_wants(r, "user.fields", "description"))
        jw_kstr(j, "description", "Measuring what B2B social is worth 📊 — posts by the team");
    if (x_wants(r, "user.fields", "protected"))
        jw_kbool(j, "protected", false);
    if (x_wants(r, "user.fields", "verified"))
        jw_kbool(j, "verified", false);
    if (x_wants(r, "user.fields", "public_metrics")) {
        jw_kobj(j, "public_metrics");
        jw_kint(j, "followers_count", x->followers);
        jw_kint(j, "following_count", x->following);
        jw_kint(j, "tweet_count", x_tweet_count(x));
        jw_kint(j, "listed_count", x->listed);
        jw_kint(j, "like_count", x->likes_given);
        jw_kint(j, "media_count", x_tweet_count(x) / 5);
        jw_end(j);
    }
    jw_end(j);
}

static void serve_user(struct x_world *x, struct http_req *r, const char *id_text)
{
    uint64_t id;
    if (!x_params_known(r, user_params) || !x_fields_ok(r, "user.fields", x_user_fields) ||
        !x_fields_ok(r, "tweet.fields", x_tweet_fields))
        return;
    if (strcmp(id_text, "me") == 0) {
        id = x->user_id;
    } else if (!x_parse_id(id_text, &id)) {
        x_invalid_value(r, "id", id_text);
        return;
    }
    if (id != x->user_id) {
        user_not_found(r, id_text);
        return;
    }
    struct jw j;
    x_begin(r, 200, &j);
    jw_obj(&j);
    jw_key(&j, "data");
    user_object(x, r, &j);
    jw_end(&j);
}

/* ---- timeline ------------------------------------------------------------------------------- */

struct timeline_query {
    int64_t start, end; /* inclusive, seconds */
    uint64_t since_id, until_id;
    uint64_t cursor; /* 0 = first page */
    bool backward;   /* cursor is a previous_token */
    int max;
};

static const char b36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

static void put_b36(char *out, uint64_t v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        out[i] = b36[v % 36];
        v /= 36;
    }
}

/* Opaque page token: a fixed prefix, direction, the scrambled id and a check value. */
static void token_encode(const struct x_world *x, uint64_t id, bool backward, char out[40])
{
    uint64_t v = id ^ x->token_key;
    memcpy(out, "7140dibdnow9", 12);
    out[12] = backward ? 'k' : 'c';
    put_b36(out + 13, v, 13);
    put_b36(out + 26, mix64(v, backward) % 60466176ULL, 5); /* 36^5 */
    out[31] = '\0';
}

static bool token_decode(const struct x_world *x, const char *s, uint64_t *id, bool *backward)
{
    if (strlen(s) != 31 || strncmp(s, "7140dibdnow9", 12) != 0 || (s[12] != 'c' && s[12] != 'k'))
        return false;
    uint64_t v = 0;
    for (int i = 13; i < 26; i++) {
        const char *c = strchr(b36, s[i]);
        if (!c || !*c)
            return false;
        v = v * 36 + (uint64_t)(c - b36);
    }
    char check[40];
    token_encode(x, v ^ x->token_key, s[12] == 'k', check);
    if (strcmp(check, s) != 0)
        return false;
    *id = v ^ x->token_key;
    *backward = s[12] == 'k';
    return true;
}

bool x_time_param(struct http_req *r, const char *name, int64_t *t)
{
    const char *v = http_param(r, name);
    int64_t us;
    if (!v)
        return true;
    if (json_parse_time(v, &us) < 0 || strchr(v, 'T') == NULL) {
        char msg[512];
        snprintf(msg, sizeof msg, "Invalid '%s':'%.100s'. '%s' must be a valid RFC3339 date.", name,
                 v, name);
        x_invalid(r, name, v, msg);
        return false;
    }
    *t = us / 1000000;
    return true;
}

static bool parse_id_param(struct http_req *r, const char *name, uint64_t *id)
{
    const char *v = http_param(r, name);
    if (v && !x_parse_id(v, id)) {
        x_invalid_value(r, name, v);
        return false;
    }
    return true;
}

static bool parse_max_results(struct http_req *r, int *max)
{
    const char *v = http_param(r, "max_results");
    *max = 10;
    if (!v)
        return true;
    char *end;
    long n = strtol(v, &end, 10);
    if (*v == '\0' || *end != '\0' || n < 5 || n > 100) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "The `max_results` query parameter value [%.40s] is not between 5 and 100", v);
        x_invalid(r, "max_results", v, msg);
        return false;
    }
    *max = (int)n;
    return true;
}

static bool parse_cursor(const struct x_world *x, struct http_req *r, struct timeline_query *q)
{
    const char *v = http_param(r, "pagination_token");
    if (v && !token_decode(x, v, &q->cursor, &q->backward)) {
        x_invalid_value(r, "pagination_token", v);
        return false;
    }
    return true;
}

static bool parse_timeline(const struct x_world *x, struct http_req *r, struct timeline_query *q)
{
    memset(q, 0, sizeof *q);
    q->start = INT64_MIN;
    q->end = INT64_MAX;
    q->until_id = UINT64_MAX;
    if (!x_params_known(r, timeline_params) || !x_fields_ok(r, "tweet.fields", x_tweet_fields) ||
        !x_fields_ok(r, "user.fields", x_user_fields) || !parse_max_results(r, &q->max) ||
        !x_time_param(r, "start_time", &q->start) || !x_time_param(r, "end_time", &q->end) ||
        !parse_id_param(r, "since_id", &q->since_id) ||
        !parse_id_param(r, "until_id", &q->until_id) || !parse_cursor(x, r, q))
        return false;
    if (q->start != INT64_MIN && q->end != INT64_MAX && q->start >= q->end) {
        char msg[256];
        snprintf(msg, sizeof msg,
                 "Invalid 'start_time':'%.40s'. 'start_time' must be before "
                 "'end_time':'%.40s'.",
                 http_param(r, "start_time"), http_param(r, "end_time"));
        x_invalid(r, "start_time", http_param(r, "start_time"), msg);
        return false;
    }
    return true;
}

static bool tweet_matches(const struct x_tweet *t, const struct timeline_query *q)
{
    return t->created >= q->start && t->created <= q->end && t->id > q->since_id &&
           t->id < q->until_id;
}

static void tweet_object(const struct x_world *x, const struct x_tweet *t, const struct http_req *r,
                         struct jw *j)
{
    char ts[32];
    jw_obj(j);
    jw_karr(j, "edit_history_tweet_ids");
    jw_strf(j, "%llu", (unsigned long long)t->id);
    jw_end(j);
    jw_kstrf(j, "id", "%llu", (unsigned long long)t->id);
    jw_kstr(j, "text", t->text);
    if (x_wants(r, "tweet.fields", "created_at")) {
        fmt_x_time(t->created, ts, sizeof ts);
        jw_kstr(j, "created_at", ts);
    }
    if (x_wants(r, "tweet.fields", "author_id"))
        jw_kstrf(j, "author_id", "%llu", (unsigned long long)x->user_id);
    if (x_wants(r, "tweet.fields", "conversation_id"))
        jw_kstrf(j, "conversation_id", "%llu", (unsigned long long)t->id);
    if (x_wants(r, "tweet.fields", "lang"))
        jw_kstr(j, "lang", "en");
    if (x_wants(r, "tweet.fields", "public_metrics")) {
        jw_kobj(j, "public_metrics");
        jw_kint(j, "retweet_count", t->retweets);
        jw_kint(j, "reply_count", t->replies);
        jw_kint(j, "like_count", t->likes);
        jw_kint(j, "quote_count", t->quotes);
        jw_kint(j, "bookmark_count", t->bookmarks);
        jw_kint(j, "impression_count", t->impressions);
        jw_end(j);
    }
    jw_end(j);
}

/*
 * Selects one page, newest first, into idx (indexes into x->tweets). Forward pages continue
 * below the cursor id; a previous_token asks for the page just above it.
 */
static size_t select_page(const struct x_world *x, const struct timeline_query *q, size_t *idx)
{
    size_t n = 0;
    if (!q->backward) {
        for (size_t i = x->ntweets; i-- > 0 && n < (size_t)q->max;) {
            const struct x_tweet *t = &x->tweets[i];
            if (tweet_matches(t, q) && (q->cursor == 0 || t->id < q->cursor))
                idx[n++] = i;
        }
        return n;
    }
    for (size_t i = 0; i < x->ntweets && n < (size_t)q->max; i++) {
        const struct x_tweet *t = &x->tweets[i];
        if (tweet_matches(t, q) && t->id > q->cursor)
            idx[n++] = i;
    }
    for (size_t a = 0, b = n; b-- > a + 1; a++) { /* reverse into newest first */
        size_t tmp = idx[a];
        idx[a] = idx[b];
        idx[b] = tmp;
    }
    return n;
}

/* True when a matching tweet exists strictly older (older=true) or newer than id. */
static bool more_beyond(const struct x_world *x, const struct timeline_query *q, uint64_t id,
                        bool older)
{
    for (size_t i = 0; i < x->ntweets; i++) {
        const struct x_tweet *t = &x->tweets[i];
        if (tweet_matches(t, q) && (older ? t->id < id : t->id > id))
            return true;
    }
    return false;
}

static void page_meta(const struct x_world *x, const struct timeline_query *q, size_t *idx,
                      size_t n, struct jw *j)
{
    char tok[40];
    uint64_t newest = x->tweets[idx[0]].id, oldest = x->tweets[idx[n - 1]].id;
    jw_kobj(j, "meta");
    jw_kint(j, "result_count", (int64_t)n);
    jw_kstrf(j, "newest_id", "%llu", (unsigned long long)newest);
    jw_kstrf(j, "oldest_id", "%llu", (unsigned long long)oldest);
    if (x->repeat_cursor && q->cursor && !q->backward) { /* the repeat_cursor fault */
        token_encode(x, q->cursor, false, tok);
        jw_kstr(j, "next_token", tok);
    } else if (more_beyond(x, q, oldest, true)) {
        token_encode(x, oldest, false, tok);
        jw_kstr(j, "next_token", tok);
    }
    if (more_beyond(x, q, newest, false)) {
        token_encode(x, newest, true, tok);
        jw_kstr(j, "previous_token", tok);
    }
    jw_end(j);
}

static void serve_timeline(struct x_world *x, struct http_req *r, const char *id_text)
{
    struct timeline_query q;
    uint64_t id;
    if (!x_parse_id(id_text, &id)) {
        x_invalid_value(r, "id", id_text);
        return;
    }
    if (!parse_timeline(x, r, &q))
        return;
    if (id != x->user_id) {
        user_not_found(r, id_text);
        return;
    }
    size_t idx[100];
    size_t n = select_page(x, &q, idx);
    struct jw j;
    x_begin(r, 200, &j);
    jw_obj(&j);
    if (n == 0) {
        jw_kobj(&j, "meta");
        jw_kint(&j, "result_count", 0);
        jw_end(&j);
        jw_end(&j);
        return;
    }
    jw_karr(&j, "data");
    for (size_t i = 0; i < n; i++)
        tweet_object(x, &x->tweets[idx[i]], r, &j);
    jw_end(&j);
    page_meta(x, &q, idx, n, &j);
    jw_end(&j);
}

/* ---- OAuth 2.0 refresh ---------------------------------------------------------------------- */

static void oauth_error(struct http_req *r, int status, const char *error, const char *desc)
{
    struct jw j;
    x_begin(r, status, &j);
    jw_obj(&j);
    jw_kstr(&j, "error", error);
    jw_kstr(&j, "error_description", desc);
    jw_end(&j);
}

/* The client is identified by client_id in the body or by HTTP Basic client_id:secret. */
static bool client_ok(const struct x_world *x, const struct http_req *r)
{
    const char *auth = http_header(r, "Authorization");
    if (auth && strncasecmp(auth, "Basic ", 6) == 0) {
        unsigned char dec[256];
        int n = b64_decode(auth + 6, dec, sizeof dec - 1);
        if (n < 0)
            return false;
        dec[n] = '\0';
        size_t idlen = strcspn((const char *)dec, ":");
        return idlen == strlen(x->client_id) && memcmp(dec, x->client_id, idlen) == 0;
    }
    const char *id = http_form(r, "client_id");
    return id && strcmp(id, x->client_id) == 0;
}

static void serve_token(struct x_world *x, struct http_req *r)
{
    const char *grant = http_form(r, "grant_type"), *rt = http_form(r, "refresh_token");
    if (r->method != EVHTTP_REQ_POST) {
        not_found_route(r);
        return;
    }
    if (!grant) {
        oauth_error(r, 400, "invalid_request", "Missing required parameter [grant_type].");
        return;
    }
    if (strcmp(grant, "refresh_token") != 0) {
        oauth_error(r, 400, "unsupported_grant_type", "Unsupported grant type.");
        return;
    }
    if (!client_ok(x, r)) {
        oauth_error(r, 401, "unauthorized_client", "Missing valid authorization header");
        return;
    }
    if (!rt) {
        oauth_error(r, 400, "invalid_request", "Missing required parameter [refresh_token].");
        return;
    }
    if (!cred_refresh_ok(&x->cred, rt)) {
        oauth_error(r, 400, "invalid_request", "Value passed for the token was invalid.");
        return;
    }
    cred_rotate(&x->cred);
    struct jw j;
    x_begin(r, 200, &j);
    jw_obj(&j);
    jw_kstr(&j, "token_type", "bearer");
    jw_kint(&j, "expires_in", 7200);
    jw_kstr(&j, "access_token", x->cred.access);
    jw_kstr(&j, "scope", "tweet.read users.read offline.access");
    jw_kstr(&j, "refresh_token", x->cred.refresh);
    jw_end(&j);
}

/* ---- dispatch ------------------------------------------------------------------------------- */

static void route(struct x_world *x, const struct world *w, struct http_req *r)
{
    char id[64];
    const char *s = r->sub;
    if (strcmp(s, "/2/tweets/search/recent") == 0 && r->method == EVHTTP_REQ_GET) {
        x_search_draw(x->search, w);
        x_serve_search(x, w, r);
        return;
    }
    if (strncmp(s, "/2/users/", 9) != 0 || r->method != EVHTTP_REQ_GET) {
        not_found_route(r);
        return;
    }
    s += 9;
    size_t n = strcspn(s, "/");
    if (n == 0 || n >= sizeof id) {
        not_found_route(r);
        return;
    }
    memcpy(id, s, n);
    id[n] = '\0';
    if (s[n] == '\0')
        serve_user(x, r, id);
    else if (strcmp(s + n, "/tweets") == 0 && strcmp(id, "me") != 0)
        serve_timeline(x, r, id);
    else
        not_found_route(r);
}

void sim_x_serve(void *pd, const struct world *w, struct http_req *r)
{
    struct x_world *x = pd;
    if (strcmp(r->sub, "/2/oauth2/token") == 0) {
        struct x_limit *l = limit_window(x, X_EP_TOKEN);
        limit_headers(r, l->limit, l->remaining, l->reset);
        serve_token(x, r);
        return;
    }
    if (!authorized(x, r)) {
        struct x_limit *l = limit_window(x, endpoint_of(r->sub));
        limit_headers(r, l->limit, l->remaining, l->reset);
        return;
    }
    if (limit_take(x, w, r))
        route(x, w, r);
    x->repeat_cursor = false; /* a fault holds for the one request it fired on */
}

void sim_x_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                 int seconds)
{
    struct x_world *x = pd;
    (void)w;
    switch (kind) {
    case FAULT_THROTTLE: {
        struct x_limit *l = limit_window(x, endpoint_of(r->sub));
        limit_headers(r, l->limit, 0, (int64_t)time(NULL) + (seconds < 0 ? 2 : seconds));
        x_problem(r, 429, "Too Many Requests");
        break;
    }
    case FAULT_SERVER_ERROR:
        x_problem(r, 503, "Service Unavailable");
        break;
    case FAULT_EXPIRE_TOKEN:
    case FAULT_REVOKE_TOKEN:
        cred_expire(&x->cred, kind == FAULT_REVOKE_TOKEN);
        break;
    case FAULT_REPEAT_CURSOR:
        x->repeat_cursor = true;
        break;
    default:
        break;
    }
}
