/*
 * accounts.c - account 0 and the lazily made extra accounts of each platform (see accounts.h).
 */
#include "accounts.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "world_people.h"
#include "xmalloc.h"

struct slot {
    struct world *w; /* NULL until made */
    bool kept;       /* asked something: holds state that a new copy would not have */
};

struct accounts {
    struct world *base;
    size_t count[SIM_MAX_PLATFORMS];
    struct slot *slots[SIM_MAX_PLATFORMS]; /* [k - 1] for account k >= 1 */
    size_t held;
};

struct accounts *accounts_new(struct world *base, const size_t *counts)
{
    struct accounts *a = xcalloc(1, sizeof *a);
    a->base = base;
    for (size_t i = 0; sim_platforms[i]; i++) {
        a->count[i] = counts[i] > 0 ? counts[i] : 1;
        if (a->count[i] > 1)
            a->slots[i] = xcalloc(a->count[i] - 1, sizeof *a->slots[i]);
    }
    return a;
}

static void extra_free(size_t plat, struct world *w)
{
    sim_platforms[plat]->world_free(w->pdata[plat]);
    people_free(w->people);
    free(w);
}

void accounts_free(struct accounts *a)
{
    if (!a)
        return;
    for (size_t i = 0; sim_platforms[i]; i++) {
        for (size_t k = 1; k < a->count[i]; k++)
            if (a->slots[i][k - 1].w)
                extra_free(i, a->slots[i][k - 1].w);
        free(a->slots[i]);
    }
    world_free(a->base);
    free(a);
}

struct world *accounts_base(const struct accounts *a)
{
    return a->base;
}

size_t accounts_count(const struct accounts *a, size_t plat)
{
    return a->count[plat];
}

size_t accounts_held(const struct accounts *a)
{
    return a->held;
}

/* Account k of platform plat as it is after the /_advance steps taken so far. */
static struct world *extra_new(const struct world *base, size_t plat, size_t k)
{
    const struct sim_platform *p = sim_platforms[plat];
    struct world *w = xcalloc(1, sizeof *w);
    w->seed = mix64(base->seed, k);
    w->today = base->today;
    w->ndays = base->ndays;
    w->crm_contacts = base->crm_contacts;
    w->no_rate_limits = base->no_rate_limits;
    w->account = (unsigned)k;
    w->people = people_empty(w);
    w->pdata[plat] = p->world_new(w);
    if (p->link)
        p->link(w->pdata[plat], w);
    while (w->generation < base->generation) {
        w->generation++;
        p->advance(w->pdata[plat], w);
    }
    return w;
}

struct world *accounts_get(struct accounts *a, size_t plat, size_t k, bool keep)
{
    if (k == 0 || k >= a->count[plat])
        return a->base;
    struct slot *s = &a->slots[plat][k - 1];
    if (!s->w) {
        s->w = extra_new(a->base, plat, k);
        a->held++;
    }
    s->kept |= keep;
    return s->w;
}

void accounts_release(struct accounts *a, size_t plat, size_t k)
{
    if (k == 0 || k >= a->count[plat])
        return;
    struct slot *s = &a->slots[plat][k - 1];
    if (s->w && !s->kept) {
        extra_free(plat, s->w);
        s->w = NULL;
        a->held--;
    }
}

/* K of the first "k<K>-" in token (K decimal without a leading zero), or 0. */
static size_t token_account(const char *token)
{
    for (const char *p = token ? strchr(token, 'k') : NULL; p; p = strchr(p + 1, 'k')) {
        const char *d = p + 1;
        size_t k = 0;
        if (*d < '1' || *d > '9')
            continue;
        while (isdigit((unsigned char)*d) && k <= ACCOUNTS_MAX)
            k = k * 10 + (size_t)(*d++ - '0');
        if (*d == '-')
            return k;
    }
    return 0;
}

size_t accounts_route(const struct accounts *a, size_t plat, const struct http_req *r)
{
    static const char *const keys[] = {"access_token", "refresh_token", "fb_exchange_token",
                                       "input_token"};
    size_t k = 0;
    if (a->count[plat] <= 1)
        return 0;
    k = token_account(http_bearer(r));
    for (size_t i = 0; k == 0 && i < sizeof keys / sizeof keys[0]; i++) {
        k = token_account(http_param(r, keys[i]));
        if (k == 0)
            k = token_account(http_form(r, keys[i]));
    }
    return k < a->count[plat] ? k : 0;
}

unsigned accounts_advance(struct accounts *a)
{
    unsigned g = world_advance(a->base);
    for (size_t i = 0; sim_platforms[i]; i++) {
        for (size_t k = 1; k < a->count[i]; k++) {
            struct world *w = a->slots[i][k - 1].w;
            if (!w)
                continue;
            w->generation++;
            sim_platforms[i]->advance(w->pdata[i], w);
        }
    }
    return g;
}
