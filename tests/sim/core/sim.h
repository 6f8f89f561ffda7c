/*
 * sim.h - the simulator's platform interface: one vtable per simulated platform.
 *
 * Each platform lives in a folder of its own (x/world_x.c + x/sim_x.c, facebook/world_facebook.c
 * + facebook/sim_facebook*.c) and exports one const struct sim_platform. Adding a platform
 * means adding its folder and one line to sim_platforms[] in world.c; main.c, control.c and
 * faults.c stay as they are. A platform is served under the
 * path prefix "/<name>" (README: api_base http://HOST:PORT/x, http://HOST:PORT/facebook).
 *
 * Runs on the event loop; not thread-safe.
 */
#ifndef SIM_SIM_H
#define SIM_SIM_H

#include "faults.h"
#include "http.h"
#include "jw.h"
#include "world.h"

struct sim_platform {
    const char *name; /* path prefix, JSON key in /_world and /_truth, fault "platform" */
    /* Generates the platform's data for the world; freed with world_free. */
    void *(*world_new)(const struct world *w);
    void (*world_free)(void *pd);
    /* One /_advance step (w->generation is already the new one). */
    void (*advance)(void *pd, const struct world *w);
    /*
     * Writes one JSON value: the account's object in the platform's /_world "accounts" array,
     * its /_truth entry, its totals.
     */
    void (*account_json)(void *pd, const struct world *w, struct jw *j);
    void (*truth_json)(void *pd, const struct world *w, struct jw *j);
    void (*totals_json)(void *pd, const struct world *w, struct jw *j);
    /* Answers a request below the prefix (r->path starts after "/<name>"). */
    void (*serve)(void *pd, const struct world *w, struct http_req *r);
    /*
     * A fault rule fired: throttle and server_error fill r with the platform's own error;
     * expire_token and revoke_token only change the credentials (serve runs afterwards).
     * seconds is the rule's value or -1 for the kind's default.
     */
    void (*fault)(void *pd, const struct world *w, struct http_req *r, enum fault_kind kind,
                  int seconds);
    /*
     * Optional (NULL when the platform runs no ads): the id of its i-th ad campaign, NULL past
     * the last. Business campaigns and people (world_people.c) link to these ids: campaign i of
     * every ad platform belongs to business campaign i modulo their number.
     */
    const char *(*ad_campaign)(void *pd, size_t i);
    /*
     * Optional: called once every platform's world_new has run and the people of the world
     * exist (w->people), for a platform whose data comes from people (lead forms, CRM).
     */
    void (*link)(void *pd, const struct world *w);
    /*
     * Optional: a tracking outage of the platform's daily account metrics on one day (on), or
     * the day restated with its real values (off; day is then ignored). Returns 0, or -1 when
     * the day is outside the world's history.
     */
    int (*outage)(void *pd, const struct world *w, int32_t day, bool on);
    /*
     * Optional: a burst of count negative posts about the brand in the minutes before the
     * clock (a bad day as it starts, found by the next search); returns 0, or -1 when the
     * platform has no search for this world.
     */
    int (*burst)(void *pd, const struct world *w, int count);
};

extern const struct sim_platform sim_platform_x;
extern const struct sim_platform sim_platform_facebook;
extern const struct sim_platform sim_platform_instagram;
extern const struct sim_platform sim_platform_linkedin;
extern const struct sim_platform sim_platform_youtube;
extern const struct sim_platform sim_platform_pinterest;
extern const struct sim_platform sim_platform_hubspot;

/* Every platform, NULL-terminated, in the order they appear in JSON. */
extern const struct sim_platform *const sim_platforms[];

/* The platform with that name and its index into world.pdata, or NULL. */
const struct sim_platform *sim_platform_find(const char *name, size_t *index);

#endif
