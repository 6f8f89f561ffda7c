/*
 * cred.c - access and refresh tokens of a simulated account (see cred.h).
 */
#include "cred.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "world.h"

static void issue(struct cred *c)
{
    char tag[48];
    struct rng r;
    snprintf(tag, sizeof tag, "%s/%u", c->tag, c->serial);
    rng_seed(&r, c->seed, tag);
    rng_alnum(&r, c->access, c->prefix, c->len);
    rng_alnum(&r, c->refresh, "", c->len > 80 ? 80 : c->len);
    c->access_ok = true;
    c->refresh_ok = true;
    c->serial++;
}

void cred_init(struct cred *c, uint64_t seed, const char *tag, const char *prefix, size_t len)
{
    memset(c, 0, sizeof *c);
    c->seed = seed;
    snprintf(c->tag, sizeof c->tag, "%s", tag);
    snprintf(c->prefix, sizeof c->prefix, "%s", prefix);
    c->len = len < CRED_MAX - sizeof c->prefix ? len : CRED_MAX - sizeof c->prefix;
    issue(c);
}

enum cred_state cred_check(const struct cred *c, const char *token)
{
    if (!token)
        return CRED_UNKNOWN;
    if (strcmp(token, c->access) == 0)
        return c->access_ok ? CRED_VALID : CRED_EXPIRED;
    if (c->prev[0] && strcmp(token, c->prev) == 0)
        return c->prev_ok ? CRED_VALID : CRED_EXPIRED;
    return CRED_UNKNOWN;
}

void cred_expire(struct cred *c, bool revoke)
{
    c->access_ok = false;
    c->prev_ok = false;
    if (revoke)
        c->refresh_ok = false;
}

void cred_rotate(struct cred *c)
{
    memcpy(c->prev, c->access, sizeof c->prev);
    c->prev_ok = c->access_ok;
    issue(c);
}
