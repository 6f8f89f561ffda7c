/*
 * cred.c - access and refresh tokens of a simulated account (see cred.h).
 */
#include "cred.h"

#include <stdio.h>
#include <string.h>

#include "world.h"

/* Draws a new access token and, when refresh is set, a new refresh token. */
static void issue(struct cred *c, bool refresh)
{
    char tag[48], rt[CRED_MAX], pre[sizeof c->prefix + sizeof c->mark];
    struct rng r;
    snprintf(tag, sizeof tag, "%s/%u", c->tag, c->serial++);
    snprintf(pre, sizeof pre, "%s%s", c->prefix, c->mark);
    rng_seed(&r, c->seed, tag);
    rng_alnum(&r, c->access, pre, c->len);
    rng_alnum(&r, rt, c->mark, c->len > 80 ? 80 : c->len);
    if (refresh)
        memcpy(c->refresh, rt, sizeof c->refresh);
}

void cred_init(struct cred *c, const struct world *w, const char *tag, const char *prefix,
               size_t len)
{
    memset(c, 0, sizeof *c);
    c->seed = w->seed;
    snprintf(c->tag, sizeof c->tag, "%s", tag);
    snprintf(c->prefix, sizeof c->prefix, "%s", prefix);
    if (w->account > 0)
        snprintf(c->mark, sizeof c->mark, "k%u-", w->account);
    c->len = len < CRED_MAX - 2 * sizeof c->prefix ? len : CRED_MAX - 2 * sizeof c->prefix;
    issue(c, true);
}

enum cred_state cred_check(const struct cred *c, const char *token)
{
    if (!token || !*token)
        return CRED_UNKNOWN;
    if (strcmp(token, c->access) == 0 || (c->prev[0] && strcmp(token, c->prev) == 0))
        return CRED_VALID;
    for (unsigned i = 0; i < CRED_DEAD; i++)
        if (c->dead[i].token[0] && strcmp(token, c->dead[i].token) == 0)
            return c->dead[i].revoked ? CRED_REVOKED : CRED_EXPIRED;
    return CRED_UNKNOWN;
}

bool cred_refresh_ok(const struct cred *c, const char *token)
{
    return token && strcmp(token, c->refresh) == 0;
}

static void bury(struct cred *c, const char *token, bool revoked)
{
    struct cred_dead *d = &c->dead[c->ndead++ % CRED_DEAD];
    memmove(d->token, token, strnlen(token, CRED_MAX - 1));
    d->token[strnlen(token, CRED_MAX - 1)] = '\0';
    d->revoked = revoked;
}

void cred_expire(struct cred *c, bool revoke)
{
    bury(c, c->access, revoke);
    if (c->prev[0])
        bury(c, c->prev, revoke);
    c->prev[0] = '\0';
    issue(c, revoke);
}

void cred_rotate(struct cred *c)
{
    memcpy(c->prev, c->access, sizeof c->prev);
    issue(c, true);
}
