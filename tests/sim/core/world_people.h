/*
 * world_people.h - the people of the simulated world and the business campaigns they answer.
 *
 * One module owns who did what and when, so that every platform tells the same story and the
 * ROI has real joins (tests/sim/README.md, "People, campaigns and money across platforms"):
 * business campaigns (name, title, dates, budget, utm_campaign values, spend lines, links to
 * the ad platforms' campaigns), and about 150 persons with an e-mail address and a history:
 * ad clicks (platform, ad campaign, the business campaign's utm_campaign), lead form answers on
 * Meta or LinkedIn, a HubSpot contact (created at or after the first touch, its first and
 * latest source) and deals. The platforms only give these facts their ids and wire formats:
 * world_facebook.c and world_linkedin.c turn the leads into form answers, world_hubspot.c the
 * contacts and deals into CRM records.
 *
 * Ad campaigns are known through each platform's ad_campaign accessor (sim.h): campaign i of
 * every ad platform belongs to business campaign i modulo their number. Times are Unix
 * seconds; lists only grow (/_advance appends), so a platform keeps how far it has read.
 * Runs on the event loop; not thread-safe.
 */
#ifndef SIM_WORLD_PEOPLE_H
#define SIM_WORLD_PEOPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jw.h"
#include "world.h"

#define PP_MAX_CAMPAIGNS 4
#define PP_MAX_UTM       2
#define PP_MAX_SPEND     3
#define PP_MAX_CLICKS    4
#define PP_NONE          ((size_t)-1)

/* A business campaign: what an operator writes as [campaign NAME] (README "Configuration"). */
struct pp_campaign {
    char name[32], title[64];
    int32_t start, end; /* days, inclusive */
    int64_t budget_micros;
    char utm[PP_MAX_UTM][32];
    int nutm;
    char spend[PP_MAX_SPEND][96];
    int nspend;
};

/* A platform that runs ads: its index into sim_platforms and how many campaigns it has. */
struct pp_adplat {
    size_t plat;
    size_t ncamps;
};

/* A click on an ad: plat indexes sim_platforms, camp is the platform's i-th ad campaign. */
struct pp_click {
    int64_t at;
    size_t plat, camp;
};

/* A lead form answer (Meta or LinkedIn); camp is PP_NONE for an organic Meta lead. */
struct pp_lead {
    int64_t at;
    size_t plat, camp, person;
};

/* Whether a person's form answers carry their e-mail: drawn per answer, always, or never. */
enum pp_form_email { PP_EMAIL_DRAWN, PP_EMAIL_ALWAYS, PP_EMAIL_NEVER };

enum pp_source { PP_PAID_SOCIAL, PP_ORGANIC_SEARCH, PP_DIRECT_TRAFFIC };

enum pp_lifecycle {
    PP_SUBSCRIBER,
    PP_LEAD,
    PP_MQL,
    PP_OPPORTUNITY,
    PP_CUSTOMER,
};

struct pp_person {
    char name[48];                         /* UTF-8 full name (some non-ASCII, one with an emoji) */
    char first[48];                        /* the given name alone */
    char last[48];                         /* the rest of the name (the family name) */
    char email[96];                        /* ASCII, as the person types it: mixed case */
    struct pp_click clicks[PP_MAX_CLICKS]; /* ascending by time */
    int nclicks;
    bool lead;                     /* answered a lead form */
    enum pp_form_email form_email; /* whether form answers carry the e-mail (the ROI bridge's) */
    /* the HubSpot contact */
    bool contact;
    int64_t contact_at;
    enum pp_source source;
    int first_click;  /* index into clicks of the first touch (PAID_SOCIAL), or -1 */
    int latest_click; /* a click after the contact was created, or -1 */
    enum pp_lifecycle lifecycle;
    int64_t modified; /* last change of the contact: touch, lifecycle */
    const char *company;
};

/* Deal pipelines: the default one and a custom one with numeric stage ids (world_hubspot.c). */
enum { PP_PIPE_DEFAULT, PP_PIPE_CUSTOM, PP_NPIPES };

struct pp_deal {
    size_t person, second;             /* associated contacts; second may be PP_NONE */
    int64_t created, modified, closed; /* closed 0 while open */
    int64_t amount_micros;             /* -1: no amount */
    const char *currency;              /* "USD" or "EUR" */
    bool currency_set;                 /* false: deal_currency_code is null (home currency) */
    int pipeline, stage;               /* stage index into the pipeline (pp_stage_*) */
    char name[96];
};

struct people {
    struct rng rng;
    const struct world *w; /* borrowed: the world that owns these people */
    struct pp_campaign camps[PP_MAX_CAMPAIGNS];
    int ncamps;
    struct pp_adplat adplats[SIM_MAX_PLATFORMS];
    size_t nadplats;
    size_t fb, li; /* sim_platforms indexes of facebook and linkedin (PP_NONE if absent) */
    struct pp_person *persons;
    size_t npersons, personcap;
    struct pp_lead *leads; /* every platform's, ascending by time */
    size_t nleads, leadcap;
    struct pp_deal *deals; /* ascending by creation */
    size_t ndeals, dealcap;
};

/* Generates the people once every platform's world exists. Caller frees with people_free. */
struct people *people_new(const struct world *w);
/*
 * No campaigns and nobody: the people of an extra account's world (accounts.h), whose platform
 * serves only its own data. Caller frees with people_free.
 */
struct people *people_empty(const struct world *w);
void people_free(struct people *pp);
/* One /_advance step: new people with leads and contacts, deals that move, a late click. */
void people_advance(struct people *pp, const struct world *w);
/* The /_world "campaigns" array. */
void people_campaigns_json(const struct people *pp, struct jw *j);

/* The ad campaign id a click or lead names (the platform's ad_campaign accessor). */
const char *pp_ad_id(const struct people *pp, size_t plat, size_t camp);
/* The business campaign an ad campaign belongs to, and the utm_campaign its clicks carry. */
int pp_biz(const struct people *pp, size_t plat, size_t camp);
const char *pp_utm(const struct people *pp, size_t plat, size_t camp);
/* "facebook" and "Facebook" (the network name HubSpot shows in hs_analytics_source_data_1). */
const char *pp_plat_name(size_t plat);
const char *pp_network(size_t plat);

/* Stages: the number of a pipeline's stages; the won and the lost one are the last two. */
int pp_nstages(int pipeline);
bool pp_stage_closed(int pipeline, int stage);
bool pp_stage_won(int pipeline, int stage);
/* HubSpot's internal name of a lifecycle stage ("marketingqualifiedlead"). */
const char *pp_lifecycle_name(enum pp_lifecycle l);

#endif
