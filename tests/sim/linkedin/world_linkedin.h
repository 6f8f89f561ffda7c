/*
 * world_linkedin.h - the simulated LinkedIn business: an organization page (follower and share
 * statistics per UTC day, its follower count), an ad account in EUR with five campaigns
 * (daily ad analytics) and a Lead Gen Form whose answers are the people's LinkedIn leads plus
 * a few test leads.
 *
 * Shared between world_linkedin.c (generation, /_advance, /_world, /_truth) and the endpoint
 * files sim_linkedin*.c. Shapes follow the platform reference §4, §10.4, §11 and §12, and
 * LinkedIn's Marketing API documentation (learn.microsoft.com/linkedin/marketing/).
 */
#ifndef SIM_WORLD_LINKEDIN_H
#define SIM_WORLD_LINKEDIN_H

#include <stdbool.h>
#include <stdint.h>

#include "cred.h"
#include "sim.h"
#include "world.h"

#define LI_CAMPAIGNS 5
#define LI_ID        24
#define LI_MEMBERS   2 /* employees who connected their own token (employee advocacy) */

/* One UTC day of the organization page: follower gains and share statistics. */
struct li_orgday {
    int64_t organic_gain, paid_gain;
    int64_t impressions, unique_impressions, clicks, likes, comments, shares;
};

struct li_campaign {
    char id[LI_ID], group[LI_ID], creative[LI_ID];
    const char *name, *status, *objective, *cost_type;
    int64_t daily_budget_micros, unit_cost_micros;
    int64_t created_ms, modified_ms, run_start_ms;
};

/* How costInLocalCurrency is printed: "209.449", "509.980", "2.09449E+2", "100", "-2E-18". */
enum li_cost_style { LI_COST_PLAIN, LI_COST_PADDED, LI_COST_EXP, LI_COST_WHOLE, LI_COST_TINY };

/* One campaign on one UTC day; present when LinkedIn returns an element for it. */
struct li_adday {
    bool present;
    enum li_cost_style style;
    int64_t cost_micros; /* ad account currency */
    int64_t impressions, reach, clicks, landing_clicks, leads, form_opens;
    int64_t conversions, conversion_value_micros;
    int64_t likes, comments, shares, follows, video_views, video_starts, video_completions;
};

struct li_lead {
    char id[48]; /* "a9a29e52-c0a3-42e3-8af1-2fc83b697003-4" */
    int64_t at_ms;
    int campaign;
    bool test;
    char first[48], last[48], email[96];
    const char *company;
    int size_option; /* answer of the multiple-choice question, 1-5 */
};

/* A member's own post and its lifetime statistics (Member Post Statistics, TOTAL). */
struct li_post {
    char urn[48]; /* urn:li:share:N or urn:li:ugcPost:N */
    int64_t published_ms;
    char text[160];
    int64_t impressions, reached, reactions, comments, reshares;
};

/* A member's posts together on one UTC day (Member Post Statistics, q=me, DAILY). */
struct li_memday {
    int64_t impressions, reactions, comments, reshares;
};

/* An employee: a member with a token of their own (scope r_member_postAnalytics). */
struct li_member {
    char person[16]; /* the person id of urn:li:person:ID, letters and digits */
    const char *name;
    struct cred cred;
    struct li_post *posts; /* newest first */
    size_t nposts;
    struct li_memday *days; /* ndays, from first_day */
};

struct li_world {
    struct rng rng;
    char org[LI_ID], account[LI_ID], form[LI_ID];
    const char *org_name, *account_name, *form_name, *currency;
    int32_t first_day;
    int ndays;
    int64_t followers_base;
    struct li_orgday *days; /* ndays, from first_day */
    struct li_campaign camps[LI_CAMPAIGNS];
    struct li_adday *ads; /* [campaign * ndays + day] */
    struct li_member members[LI_MEMBERS];
    struct li_lead *leads; /* ascending by time */
    size_t nleads, leadcap;
    size_t people_leads; /* how many of the people's leads were read */
    char client_id[24], client_secret[24];
    struct cred cred;
    int64_t token_expires;   /* epoch seconds of the current access token's end */
    int64_t refresh_expires; /* fixed at the first authorization (reference §12) */
    uint64_t requests, page_key;
};

/* The ad day of campaign c on day index d (0 = first_day). */
struct li_adday *li_adday(struct li_world *li, int c, int d);
/* The organization's followers at the end of day index d (firstDegreeSize). */
int64_t li_followers_at(const struct li_world *li, int d);
/* costInLocalCurrency as LinkedIn prints it; buf of 40 bytes. */
void li_cost_text(const struct li_adday *a, char *buf, size_t len);
/* The world's now: the wall clock, kept inside the world's today. */
int64_t li_now(const struct world *w);

/* The member whose current or previous access token this is, or NULL; *state says how it is. */
struct li_member *li_member_by_token(struct li_world *li, const char *token,
                                     enum cred_state *state);

/* The endpoints (sim_linkedin.c); see struct sim_platform for the contract. */
void sim_linkedin_serve(void *pd, const struct world *w, struct http_req *r);
void sim_linkedin_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                        int seconds);

#endif
