/*
 * world_hubspot.h - the simulated HubSpot portal: contacts (the people's, plus contacts only
 * the CRM knows, up to --crm-contacts), deals with their contacts, and two deal pipelines.
 *
 * Shared between world_hubspot.c (ids, generation, /_advance, /_world, /_truth) and the
 * endpoint files sim_hubspot*.c. The facts (who, when, which source, which deal and stage)
 * are the people's (world_people.h); this module gives them HubSpot ids, millisecond times and
 * properties. Shapes follow the platform reference §7, §10.7, §11, §12 and HubSpot's CRM API
 * documentation (developers.hubspot.com/docs/api/crm/search, .../crm/pipelines,
 * .../crm/associations).
 */
#ifndef SIM_WORLD_HUBSPOT_H
#define SIM_WORLD_HUBSPOT_H

#include <stdbool.h>
#include <stdint.h>

#include "cred.h"
#include "sim.h"
#include "world.h"
#include "world_people.h"

#define HS_MAX_STAGES 7
#define HS_BURST_MAX  190 /* requests per ten seconds (Professional and Enterprise) */

struct hs_stage {
    char id[24];
    const char *label, *probability; /* probability as HubSpot prints it: "0.2", "1.0" */
};

struct hs_pipeline {
    char id[24];
    const char *label;
    struct hs_stage stages[HS_MAX_STAGES]; /* in the order of pp_stage_* (world_people.h) */
    int nstages;
    int64_t created_ms;
};

/* A contact: one of the people's (person != PP_NONE), or one only the CRM knows. */
struct hs_contact {
    uint64_t id;
    size_t person;
    /* CRM-only contacts: */
    int64_t created, modified; /* seconds */
    enum pp_source source;
    enum pp_lifecycle lifecycle;
    char email[64]; /* "" for a contact without one */
    const char *first, *last;
};

struct hs_deal {
    uint64_t id;
    size_t deal; /* index into the people's deals */
};

struct hs_world {
    struct rng rng;
    char portal[16], salt[40];
    struct hs_pipeline pipes[PP_NPIPES];
    struct hs_contact *contacts; /* ascending by id, which is ascending by creation */
    size_t ncontacts, contactcap;
    size_t *of_person; /* person index -> contact index (PP_NONE when not a contact) */
    size_t people_seen, ofcap;
    struct hs_deal *deals; /* ascending by id */
    size_t ndeals, dealcap;
    uint64_t next_contact, next_deal;
    struct cred cred;
    double tokens;     /* the search endpoints' secondly bucket */
    int64_t refill_us; /* monotonic time the bucket was last filled */
    /* the other endpoints' rolling ten-second window: monotonic times of the last requests
     * it let through, a ring of HS_BURST_MAX */
    int64_t burst[HS_BURST_MAX];
    size_t burst_next;
    uint64_t requests;
};

/* What a contact is made of, from the person or the CRM-only record. */
struct hs_facts {
    uint64_t id;
    int64_t created_ms, modified_ms;
    const char *email; /* as stored (the person's as typed); "" for none */
    const char *first, *last, *company;
    enum pp_source source;
    enum pp_lifecycle lifecycle;
    const struct pp_click *first_click, *latest_click; /* NULL when there is none */
    bool lead;                                         /* answered a lead form */
};
void hs_contact_facts(const struct hs_world *hs, const struct world *w, size_t i,
                      struct hs_facts *f);

/* Unix milliseconds of a second in a record's history (a fixed fraction per record). */
int64_t hs_ms(uint64_t id, int64_t t);
/* 2024-01-15T08:00:00.123Z */
void hs_fmt_ms(int64_t ms, char *buf, size_t len);
/* The contact index of a contact id, or PP_NONE. */
size_t hs_contact_find(const struct hs_world *hs, uint64_t id);
/* The contact ids of a deal (the second one 0 when there is none). */
void hs_deal_contacts(const struct hs_world *hs, const struct world *w, const struct hs_deal *d,
                      uint64_t out[2]);

/* The endpoints (sim_hubspot.c); see struct sim_platform for the contract. */
void sim_hubspot_serve(void *pd, const struct world *w, struct http_req *r);
void sim_hubspot_fault(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                       int seconds);

#endif
