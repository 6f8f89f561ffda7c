/*
 * oauth.h - the OAuth 2.0 refresh-token grant (RFC 6749 §6) as X, LinkedIn, YouTube, Pinterest
 * and HubSpot speak it: the form request to the token endpoint and the parsing of its answer.
 *
 * The platforms agree on the grant and differ in small ways: how the client authenticates, the
 * order of the form fields, where a refusal says why, how a 429 or a 530 is read. Each adapter
 * describes its differences in one `struct oauth_client` and keeps only two thin vtable entries.
 *
 * Pure, like every adapter: no I/O, no clock, no globals.
 */
#ifndef SR_ADAPTERS_OAUTH_H
#define SR_ADAPTERS_OAUTH_H

#include "adapter.h"

#include <stdbool.h>
#include <stddef.h>

/* How the client proves who it is to the token endpoint. */
enum oauth_auth {
    /* client_id and client_secret in the form body (both required) */
    OAUTH_AUTH_BODY,
    /* client_id and client_secret as HTTP Basic (both required); neither in the body */
    OAUTH_AUTH_BASIC,
    /* client_id in the body; a confidential client (one with a secret) adds HTTP Basic */
    OAUTH_AUTH_CLIENT_ID,
};

/* One platform's token endpoint. Zero members take the defaults noted. */
struct oauth_client {
    const char *name; /* starts every message: "x token endpoint refused the refresh: ..." */
    enum oauth_auth auth;
    bool client_first;      /* the client's fields before refresh_token in the body */
    const char *extra_form; /* appended to the body as is ("continuous_refresh=true"), or NULL */
    const char *said[2];    /* members naming why a refresh was refused, first present wins */
    const char *said_none;  /* what the message says when none is (default "no error code") */
    size_t said_max;        /* bytes of that text kept, NUL included (default 64) */
    enum err_class on_429;  /* the class of a 429 (default ERR_THROTTLED) */
    long not_transient;     /* a 5xx status that is a refusal, not server trouble (HubSpot 530) */
    /* a refresh_token that is not a string is ignored rather than refused (a non-rotating one
     * the platform may send as anything) */
    bool rt_string_only;
    const char *also_seconds; /* another member that must be a number of seconds when present */
};

/*
 * The refresh request: a POST of the form to the platform's token_url. The refresh token is the
 * one given, else the credential's. -1 when the credential cannot refresh (no refresh token, no
 * client_id, no client_secret where the platform needs one, no token_url).
 */
int oauth_refresh_build(const struct oauth_client *c, const struct cfg_platform *p,
                        const struct cfg_credential *cred, const char *refresh_token,
                        struct http_request *req);

/*
 * The token endpoint's answer into out: access_token (required), refresh_token (when the
 * platform rotates it; present but unusable is refused, since keeping the old one would lose the
 * credential at the next refresh) and expires_in. A refusal is classified: 5xx transient, 429
 * throttled, anything else auth (invalid_grant: someone must authorize again). 0, or -1 with
 * cls and why (the platform and its error code, never a secret) and out wiped.
 */
int oauth_refresh_parse(const struct oauth_client *c, const struct http_response *resp,
                        struct token_set *out, enum err_class *cls, char *why, size_t whylen);

#endif
