/*
 * sim_x.h - helpers shared by the X endpoint files of the simulator (sim_x.c: routing,
 * rate limits, tokens, users, timelines; sim_x_search.c: recent search).
 *
 * Shapes: platform reference §1 (X API v2) and §10.1. Bodies are written in the JW_UTF8
 * style: raw UTF-8, astral characters as surrogate pairs, like recorded X bodies.
 * Runs on the event loop; not thread-safe.
 */
#ifndef SIM_SIM_X_H
#define SIM_SIM_X_H

#include <stdbool.h>
#include <stdint.h>

#include "world_x.h"

#define X_PROBLEM_INVALID   "https://api.twitter.com/2/problems/invalid-request"
#define X_PROBLEM_NOT_FOUND "https://api.twitter.com/2/problems/resource-not-found"

/* Every field name X knows for tweet.fields and user.fields (NULL-terminated). */
extern const char *const x_tweet_fields[];
extern const char *const x_user_fields[];

/* Starts a JSON answer with that status. */
void x_begin(struct http_req *r, int status, struct jw *j);
/* A problem body of type about:blank (401, 429, 503): title, status, detail. */
void x_problem(struct http_req *r, int status, const char *title);
/*
 * 400 invalid-request: errors[0] names the parameter with its value (an empty list when
 * value is NULL, as for a missing parameter) and carries the message (reference §1.6).
 */
void x_invalid(struct http_req *r, const char *param, const char *value, const char *msg);
/* 400 "The `param` query parameter value [value] is not valid". */
void x_invalid_value(struct http_req *r, const char *param, const char *value);

/* True when every query parameter is in allowed; otherwise answers 400 and returns false. */
bool x_params_known(struct http_req *r, const char *const *allowed);
/* True when every item of the comma list param is in known; otherwise answers 400. */
bool x_fields_ok(struct http_req *r, const char *param, const char *const *known);
/* True when the comma list param holds item. */
bool x_wants(const struct http_req *r, const char *param, const char *item);
/* A decimal id of 1-19 digits. */
bool x_parse_id(const char *s, uint64_t *id);
/*
 * An RFC 3339 time parameter into Unix seconds; *t is left alone when the parameter is
 * absent. False (answered 400) when it does not parse.
 */
bool x_time_param(struct http_req *r, const char *name, int64_t *t);

/* GET /2/tweets/search/recent (sim_x_search.c); answers r completely. */
void x_serve_search(struct x_world *x, const struct world *w, struct http_req *r);

#endif
