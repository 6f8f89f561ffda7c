/*
 * cred.h - one account's OAuth credentials as the platform sees them.
 *
 * The current access token and the one before it (a refresh does not kill the old token at
 * once on either platform, platform reference §12), and a refresh token that rotates on every
 * refresh (X: "Refresh tokens rotate", §1.4). The fault kinds expire_token and revoke_token
 * (tests/sim/README.md) kill the tokens a client holds: they are remembered as expired (or
 * revoked) so the platform can say so, and the account gets a fresh valid set, which is what
 * /_world shows ("the currently valid credentials"): after expire_token a new access token
 * with the same refresh token (a client refreshes and goes on), after revoke_token a new
 * access and refresh token (what an operator gets by authorizing again). Tokens are drawn from
 * the world seed and a serial, so they are repeatable. Plain record embedded in the
 * platform's world.
 */
#ifndef SIM_CRED_H
#define SIM_CRED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CRED_MAX  256
#define CRED_DEAD 8 /* killed access tokens remembered */

struct cred_dead {
    char token[CRED_MAX];
    bool revoked;
};

struct cred {
    char access[CRED_MAX], prev[CRED_MAX], refresh[CRED_MAX];
    struct cred_dead dead[CRED_DEAD]; /* a ring */
    unsigned ndead;
    unsigned serial;
    uint64_t seed;
    char tag[16], prefix[16];
    char mark[16]; /* "" for account 0, "k<K>-" for account K of a --accounts world */
    size_t len;
};

enum cred_state { CRED_VALID, CRED_EXPIRED, CRED_REVOKED, CRED_UNKNOWN };

struct world;

/*
 * Issues the first tokens from the world's seed: prefix + len random characters ("EAA..." for
 * Meta). In account K >= 1 of a --accounts world (README "Many accounts") the access token is
 * prefix + "k<K>-" + random characters and the refresh token "k<K>-" + random characters: the
 * random part never holds '-' and no prefix holds a 'k', so the mark is unambiguous and the
 * simulator routes a request by it (accounts.h).
 */
void cred_init(struct cred *c, const struct world *w, const char *tag, const char *prefix,
               size_t len);
/* What an access token presented by a client is worth (NULL is CRED_UNKNOWN). */
enum cred_state cred_check(const struct cred *c, const char *token);
/* True when token is the current refresh token. */
bool cred_refresh_ok(const struct cred *c, const char *token);
/* The tokens clients hold stop working; see above for what replaces them. */
void cred_expire(struct cred *c, bool revoke);
/* A successful refresh: a new access token and a new refresh token (the old one dies). */
void cred_rotate(struct cred *c);

#endif
