/*
 * sim_facebook.h - helpers shared by the Graph API endpoint files of the simulator
 * (sim_facebook.c: routing, tokens, errors, headers, paging; sim_facebook_page.c: Page
 * insights and posts; sim_facebook_ads.c: Ads Insights and leads).
 *
 * Shapes: platform reference §2 and §10.2-§10.3. Graph bodies are written in the JW_ASCII
 * style (non-ASCII as \u escapes, "\/" in URLs) like the real API.
 */
#ifndef SIM_SIM_FACEBOOK_H
#define SIM_SIM_FACEBOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "world_facebook.h"

/* One Graph request being answered. */
struct fb_ctx {
    struct fb_world *fb;
    const struct world *w;
    struct http_req *r;
    char version[16]; /* "v24.0", or "" for an unversioned path */
    char node[64], edge[64];
    const char *token; /* the access token the client sent (borrowed) */
};

/* A Graph error body; subcode 0 and transient < 0 leave those members out. */
void fb_error(struct fb_ctx *c, int status, int code, int subcode, const char *type,
              const char *message, int transient);
/* 200 with a JSON body in the Graph style. */
void fb_begin(struct fb_ctx *c, struct jw *j);
/* (#100) Tried accessing nonexisting field (name) on node type (type). */
void fb_no_field(struct fb_ctx *c, const char *field, const char *node_type);

/* One entry of a fields= list: "reactions.summary(total_count).limit(0)" -> name, modifiers. */
struct fb_field {
    char name[64];
    char mods[192];
};
#define FB_MAX_FIELDS 40
/* Splits at top-level commas; returns the count, or -1 when the list is malformed. */
int fb_fields_parse(const char *s, struct fb_field *out, int max);
/* True when fields (or the default list when fields is absent) has name. */
bool fb_wants(const struct fb_field *f, int n, const char *name);
/* The first field name not in known (NULL-terminated), or NULL. */
const char *fb_unknown_field(const struct fb_field *f, int n, const char *const *known);

/* Meta-style cursor: base64 of text, '=' padding written as "ZD" ("MA==" -> "MAZDZD"). */
void fb_cursor_encode(const char *text, char *out, size_t len);
/* Decodes a cursor into text; -1 when it is not one of ours. */
int fb_cursor_decode(const char *cursor, char *out, size_t len);

/*
 * Writes "paging":{"cursors":{"before","after"},"previous"?,"next"?}. The URLs repeat the
 * request's parameters with before/after replaced and embed the access token, as Graph does.
 */
void fb_paging(struct fb_ctx *c, struct jw *j, const char *before, const char *after, bool has_prev,
               bool has_next, int limit);
/*
 * Cursor paging over a list shown newest first. all[0..total) are indexes into the stored
 * items (ascending by time) of the items that match, newest first; id_at names an item.
 * Reads the after/before cursors of the request and picks the page: just below the `after`
 * item or just above the `before` item. Returns 0, or -1 (answered) on a bad cursor.
 */
typedef const char *fb_id_fn(const struct fb_world *fb, size_t i);
struct fb_page {
    size_t start, n; /* the page is all[start .. start + n) */
    bool prev, next; /* more items of the list before / after the page */
};
int fb_page_select(struct fb_ctx *c, const size_t *all, size_t total, size_t nitems,
                   fb_id_fn *id_at, int limit, struct fb_page *pg);
/* The page's "paging" member (nothing for an empty page). */
void fb_page_paging(struct fb_ctx *c, struct jw *j, const struct fb_page *pg, const size_t *all,
                    fb_id_fn *id_at, int limit);

/* Appends the request's URL with each name in drop removed and extra "k=v" pairs appended. */
void fb_self_url(struct fb_ctx *c, struct buf *b, const char *const *drop, const char *extra);

/* X-App-Usage and X-Business-Use-Case-Usage (type e.g. "pages", "ads_insights"). */
void fb_usage_headers(struct fb_ctx *c, const char *buc_type, const char *buc_id, int pct,
                      int regain_minutes);

/* Unix seconds from a Graph time parameter: Unix seconds, "YYYY-MM-DD" (Pacific midnight,
 * Graph's strtotime runs on Pacific time) or an ISO-8601 timestamp. Returns 0 or -1. */
int fb_parse_time(const char *s, int64_t *t);
/* Page size from limit= (default def, at most max); -1 with an error answer when bad. */
int fb_limit(struct fb_ctx *c, int def, int max);

/* The edges (each answers c->r completely). */
void fb_page_insights(struct fb_ctx *c);
void fb_page_posts(struct fb_ctx *c);
void fb_ads_insights(struct fb_ctx *c);
void fb_form_leads(struct fb_ctx *c);

#endif
