/*
 * sim_instagram.h - helpers shared by the Instagram endpoint files of the simulator
 * (sim_instagram.c: routing, tokens, errors, usage headers, user and media nodes, the media
 * list; sim_instagram_insights.c: account and media insights).
 *
 * Instagram with Facebook Login speaks the Graph API of Meta (reference §3.1), so bodies are
 * Graph bodies: JW_ASCII strings, {"error":{...,"fbtrace_id"}} errors, cursor paging with
 * paging.next URLs that embed the token. The pure Graph helpers (fields lists, cursors, time
 * parameters) are those of sim_facebook.c.
 */
#ifndef SIM_SIM_INSTAGRAM_H
#define SIM_SIM_INSTAGRAM_H

#include <stdbool.h>
#include <stdint.h>

#include "world_instagram.h"

/* One Graph request to Instagram being answered. */
struct ig_ctx {
    struct ig_world *ig;
    const struct world *w;
    struct http_req *r;
    char version[16]; /* "v24.0", or "" for an unversioned path */
    char node[64], edge[64];
    const char *token; /* the access token the client sent (borrowed) */
};

/* A Graph error body (type OAuthException); subcode 0 and transient < 0 leave those out. */
void ig_error(struct ig_ctx *c, int status, int code, int subcode, const char *message,
              int transient);
/* The same with error_user_title and error_user_msg (both shown to people by Meta). */
void ig_error_user(struct ig_ctx *c, int code, int subcode, const char *message,
                   const char *user_title, const char *user_msg);
/* 200 with a JSON body in the Graph style. */
void ig_begin(struct ig_ctx *c, struct jw *j);
/* Appends the request's URL with each name in drop removed and extra "k=v" pairs appended. */
void ig_self_url(struct ig_ctx *c, struct buf *b, const char *const *drop, const char *extra);

/* The edges (each answers c->r completely). */
void ig_account_insights(struct ig_ctx *c);
void ig_media_insights(struct ig_ctx *c, const struct ig_media *m);

#endif
