/*
 * world_facebook.h - the simulated Meta business: a Facebook Page (daily insights, posts), an
 * ad account with campaigns (daily delivery) and a lead form (leads).
 *
 * Shared between world_facebook.c (generation, /_advance, /_world, /_truth) and the endpoint
 * files sim_facebook*.c. Shapes follow the platform reference §2 (Meta Graph, Marketing API,
 * Lead Ads), §10.2 and §10.3.
 */
#ifndef SIM_WORLD_FACEBOOK_H
#define SIM_WORLD_FACEBOOK_H

#include <stdbool.h>
#include <stdint.h>

#include "cred.h"
#include "sim.h"
#include "world.h"

#define FB_CAMPAIGNS 3
#define FB_ID        32

/* One Pacific day of page insights. */
struct fb_day {
    int64_t engagements, follows, unfollows, views, reach;
};

struct fb_post {
    char id[80]; /* "{page_id}_{post_id}" */
    int64_t created;
    char *message; /* NULL: a post without text (photo only), the key is then absent */
    const char *status_type;
    int64_t reactions, comments, shares;
};

struct fb_campaign {
    char id[FB_ID], adset_id[FB_ID], ad_ids[2][FB_ID];
    const char *name, *objective;
};

/* One campaign's delivery on one day of the ad account's time zone. */
struct fb_adday {
    bool delivered;
    int64_t spend_micros, impressions, reach, clicks, link_clicks;
    int64_t leads, purchases, purchase_value_micros;
    int64_t form_leads; /* of leads: the form answers of the day; the rest are pixel leads */
};

struct fb_lead {
    char id[FB_ID];
    int64_t created;
    int campaign, ad; /* -1: organic (no ad_id, campaign_id) */
    bool instagram;
    char name[64];  /* the person's, UTF-8: some non-ASCII and one with an emoji */
    char email[96]; /* the person's as typed (mixed case), "" when answered without it */
    char phone[24];
    int custom; /* 0 none, 1 company size, 2 a question with a Cyrillic key */
};

struct fb_world {
    struct rng rng;
    struct rng form_rng; /* rows of days that had no delivery until a form answer came */
    char page_id[FB_ID], ad_account[FB_ID], form_id[FB_ID], business_id[FB_ID];
    const char *page_name, *account_name, *form_name;
    int32_t first_day;
    int ndays;
    int64_t followers_base;
    struct fb_day *days;   /* ndays, from first_day */
    struct fb_post *posts; /* ascending by time */
    size_t nposts, postcap;
    struct fb_campaign camps[FB_CAMPAIGNS];
    struct fb_adday *ads;  /* [campaign * ndays + day] */
    struct fb_lead *leads; /* ascending by time */
    size_t nleads, leadcap;
    size_t people_leads; /* how many of the people's leads (every platform's) were read */
    char client_id[FB_ID], client_secret[40];
    struct cred cred;
    uint64_t requests;         /* served so far: usage headers and fbtrace_id */
    int outage;                /* the day index of a tracking outage (/_outage), -1 none */
    struct fb_day outage_kept; /* that day's real values */
};

/* The ad day of campaign c on day index d (0 = first_day). */
struct fb_adday *fb_adday(struct fb_world *fb, int c, int d);
/* Page followers at the end of day index d (the page_follows lifetime value). */
int64_t fb_followers_at(const struct fb_world *fb, int d);
/*
 * The pixel leads of campaign c on day index d: the ad row's leads that are not form answers
 * (drawn per day, restated by /_advance); 0 on a day without delivery.
 */
int64_t fb_pixel_leads(const struct fb_world *fb, int c, int d);

/* The endpoints (sim_facebook.c); see struct sim_platform for the contract. */
void sim_facebook_serve(void *pd, const struct world *w, struct http_req *r);
void sim_facebook_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                        int seconds);

#endif
