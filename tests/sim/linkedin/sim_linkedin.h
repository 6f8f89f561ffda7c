/*
 * sim_linkedin.h - helpers shared by the LinkedIn endpoint files of the simulator
 * (sim_linkedin.c: routing, headers, tokens, errors; sim_linkedin_restli.c: Rest.li 2.0 query
 * values; sim_linkedin_org.c: organization statistics and lead form responses;
 * sim_linkedin_ads.c: ad account, campaigns and ad analytics; sim_linkedin_member.c: a member's
 * own posts and their statistics).
 *
 * Shapes: platform reference §4, §10.4, §11, §12 and LinkedIn's Marketing API documentation
 * (learn.microsoft.com/linkedin/marketing/: "Rest.li Protocol 2.0", "Ads Reporting",
 * "Campaign Management", "Lead Sync API", "Organization Statistics"). Bodies are raw UTF-8.
 */
#ifndef SIM_SIM_LINKEDIN_H
#define SIM_SIM_LINKEDIN_H

#include <stdbool.h>
#include <stdint.h>

#include "world_linkedin.h"

/* One /rest request being answered. */
struct li_ctx {
    struct li_world *li;
    const struct world *w;
    struct http_req *r;
    const char *query;        /* the raw query string, still percent-encoded ("" without one) */
    char *tunneled;           /* owned: the form body of a tunneled GET (X-HTTP-Method-Override) */
    char resource[64];        /* the path segment after /rest/ */
    const char *rest;         /* what follows it (decoded): "" or "/..." */
    struct li_member *member; /* the member whose token it is; NULL: the organization's */
};

/*
 * Error bodies (reference §4.7): {"status","serviceErrorCode","code","message"} when code is
 * given, else the older {"message","status"}.
 */
void li_error(struct li_ctx *c, int status, int service, const char *code, const char *message);
/* 400 with the older body and a printf message. */
void li_bad(struct li_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 200 with a JSON body. */
void li_begin(struct li_ctx *c, struct jw *j);
/* "paging":{"start","count","links":[],"total"?} (total < 0 leaves it out). */
void li_paging(struct jw *j, int64_t start, int64_t count, int64_t total);

/* A query parameter's raw (percent-encoded) value and its length, or NULL. */
const char *li_raw(const struct li_ctx *c, const char *name, size_t *len);
/* Percent-decodes n bytes of s ("+" stays "+"). Caller frees. */
char *li_decode(const char *s, size_t n);
/* A query parameter percent-decoded into out; false when absent. */
bool li_param(const struct li_ctx *c, const char *name, char *out, size_t len);
/* A non-negative integer parameter (def when absent); -1 with a 400 when it is not one. */
int64_t li_int_param(struct li_ctx *c, const char *name, int64_t def, int64_t max);

/* A Rest.li 2.0 value: a primitive (percent-decoded), a record (key:value,...) or List(...). */
enum rl_kind { RL_PRIM, RL_RECORD, RL_LIST };
struct rl {
    enum rl_kind kind;
    char *text; /* RL_PRIM */
    char *key;  /* a record member's key */
    struct rl *child, *next;
};
/*
 * Parses a raw value. The syntax characters ( ) , : must be sent as they are; a primitive is
 * percent-decoded after parsing, so an encoded "(" makes a primitive, not a record, and an
 * unencoded ":" inside List(...) is a syntax error. NULL when malformed.
 */
struct rl *rl_parse(const char *raw, size_t len);
void rl_free(struct rl *v);
const struct rl *rl_member(const struct rl *record, const char *key);
bool rl_int(const struct rl *v, int64_t *out);
/*
 * The parameter as a Rest.li value of the kind wanted; NULL with a 400 when it is absent (and
 * required), malformed or of another kind. *absent tells an absent one apart.
 */
struct rl *li_restli(struct li_ctx *c, const char *name, enum rl_kind want, bool *absent);

/* The id at the end of "urn:li:TYPE:ID" (digits), or false. */
bool li_urn_id(const char *urn, const char *type, char *out, size_t len);
/* A day given as (year:Y,month:M,day:D); false when it is not a valid date. */
bool li_date(const struct rl *v, int32_t *day);

/* The endpoints; each answers c->r completely. */
void li_org_followers(struct li_ctx *c);
void li_org_shares(struct li_ctx *c);
void li_network_size(struct li_ctx *c);
void li_lead_responses(struct li_ctx *c);
void li_ad_account(struct li_ctx *c);
void li_ad_campaigns(struct li_ctx *c);
void li_ad_analytics(struct li_ctx *c);
/* A member's own posts and their statistics (sim_linkedin_member.c). */
void li_member_posts(struct li_ctx *c);
void li_member_analytics(struct li_ctx *c);

#endif
