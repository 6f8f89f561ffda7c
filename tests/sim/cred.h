/*
 * cred.h - one account's OAuth credentials as the platform sees them.
 *
 * The current access token and the one before it (a refresh does not kill the old token
 * at once on either platform, platform reference §12), and a refresh token that rotates on
 * every refresh (X: "Refresh tokens rotate", §1.4). The fault kinds expire_token and
 * revoke_token (tests/sim/README.md) invalidate the access tokens, and revoke also the
 * refresh token. Tokens are drawn from the world seed and a serial, so they are repeatable.
 * Plain record embedded in the platform's world.
 */
#ifndef SIM_CRED_H
#define SIM_CRED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRED_MAX 256

struct cred {
    char access[CRED_MAX], prev[CRED_MAX], refresh[CRED_MAX];
    bool access_ok, prev_ok, refresh_ok;
    unsigned serial;
    uint64_t seed;
    char tag[16], prefix[8];
    size_t len;
};

enum cred_state { CRED_VALID, CRED_EXPIRED, CRED_UNKNOWN };

/* Issues the first tokens: prefix + len random characters ("EAA..." for Meta). */
void cred_init(struct cred *c, uint64_t seed, const char *tag, const char *prefix, size_t len);
/* What an access token presented by a client is worth. */
enum cred_state cred_check(const struct cred *c, const char *token);
/* The access tokens stop working; with revoke the refresh token is refused too. */
void cred_expire(struct cred *c, bool revoke);
/* A successful refresh: a new access token and a new refresh token (the old one dies). */
void cred_rotate(struct cred *c);

#endif
