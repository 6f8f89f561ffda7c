/*
 * sim_hubspot.h - helpers shared by the HubSpot endpoint files of the simulator (sim_hubspot.c:
 * routing, token, errors, rate limits, pipelines, associations; sim_hubspot_search.c: the CRM
 * search of contacts and deals; sim_hubspot_props.c: their properties).
 *
 * Shapes: platform reference §7, §10.7, §11 and HubSpot's CRM API documentation
 * (developers.hubspot.com/docs/api/crm/search, /crm/pipelines, /crm/associations/v4,
 * /usage-details#rate-limits, /error-handling). Bodies are raw UTF-8.
 */
#ifndef SIM_SIM_HUBSPOT_H
#define SIM_SIM_HUBSPOT_H

#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "world_hubspot.h"

/* One request being answered. */
struct hs_ctx {
    struct hs_world *hs;
    const struct world *w;
    struct http_req *r;
    char correlation[40]; /* a UUID, as in every HubSpot error body */
};

/* {"status":"error","message","correlationId","category"}. */
void hs_error(struct hs_ctx *c, int status, const char *category, const char *message);
/* 200 with a JSON body. */
void hs_begin(struct hs_ctx *c, struct jw *j);
/* The request's JSON body; NULL with a 400 when it is not JSON. Caller frees. */
cJSON *hs_body(struct hs_ctx *c);

/* The object types the search serves. */
enum hs_object { HS_CONTACTS, HS_DEALS };

/* A property's value: null, or its text (and its number: ms for dates, micros for numbers). */
enum hs_type { HS_STRING, HS_NUMBER, HS_DATETIME };
struct hs_value {
    bool null;
    enum hs_type type;
    int64_t num;
    char text[256];
};

/* The properties of an object type; false for a property it does not have. */
bool hs_prop_known(enum hs_object o, const char *name);
/* Fills v with property name of record i (a contact or deal index). */
void hs_prop(struct hs_ctx *c, enum hs_object o, size_t i, const char *name, struct hs_value *v);
/* The properties every answer has, and the ones returned when none are asked for. */
extern const char *const hs_always[2][4];
extern const char *const hs_defaults[2][9];

/* POST /crm/v3/objects/{contacts|deals}/search (answers c->r completely). */
void hs_search(struct hs_ctx *c, enum hs_object o);
/* GET /crm/v3/objects/{contacts|deals} (sim_hubspot_list.c; answers c->r completely). */
void hs_list(struct hs_ctx *c, enum hs_object o);

#endif
