/*
 * sim_pinterest.h - helpers shared by the Pinterest endpoint files of the simulator
 * (sim_pinterest.c: routing, OAuth, errors, faults, the user account and its analytics;
 * sim_pinterest_ads.c: ad accounts, campaigns and campaign analytics).
 *
 * Pinterest errors are {"code":<Pinterest code>,"message":"..."} where code is not the HTTP
 * status (429 -> 8, 401 -> 2; reference §6.4, §10.6, §11). Bodies are raw UTF-8.
 */
#ifndef SIM_SIM_PINTEREST_H
#define SIM_SIM_PINTEREST_H

#include "world_pinterest.h"

/* Pinterest error codes the simulator uses (HTTP status in the comment). */
enum {
    PIN_CODE_INVALID = 1,     /* 400 invalid parameters */
    PIN_CODE_AUTH = 2,        /* 401 authentication failed */
    PIN_CODE_FORBIDDEN = 3,   /* 403 authorization failed */
    PIN_CODE_RATE_LIMIT = 8,  /* 429 */
    PIN_CODE_UNAVAILABLE = 9, /* 503 */
    PIN_CODE_NOT_FOUND = 404, /* 404: the one code equal to its status */
};

void pin_error(struct http_req *r, int status, int code, const char *message);
/* 400 with code 1 and a message "<param>: <what is wrong>". */
void pin_bad_param(struct http_req *r, const char *param, const char *what);
/* 200 with a JSON body. */
void pin_begin(struct http_req *r, struct jw *j);
/*
 * start_date and end_date (YYYY-MM-DD, UTC): both required, end not before start, at most
 * max_span days apart, start at most 90 days before the world's today and, unless
 * allow_future, end no later than today. False (answered) otherwise.
 */
bool pin_dates(struct http_req *r, const struct world *w, int max_span, bool allow_future,
               int32_t *start, int32_t *end);
/* Writes an integer count, as "1000.0" when as_float (Pinterest sometimes sends them so). */
void pin_count(struct jw *j, int64_t v, bool as_float);
/* Writes num/den as a decimal fraction with six places ("0.012345"); 0 when den is 0. */
void pin_ratio(struct jw *j, int64_t num, int64_t den);

/* The ad endpoints (sim_pinterest_ads.c); sub is the path below /v5/ad_accounts. */
void pin_ads_route(struct pin_world *pw, const struct world *w, struct http_req *r,
                   const char *sub);

#endif
