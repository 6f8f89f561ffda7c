/*
 * tokens.h - the live access and refresh tokens of each credential.
 *
 * Tokens start as the credentials file says. A refresh replaces them, and the new pair is
 * persisted to state_dir/tokens/NAME (mode 0600, written to a temporary file, fsynced, renamed
 * over the old one, directory fsynced) before the new access token is used: platforms that
 * rotate refresh tokens (X, Pinterest) invalidate the old one at once, so a crash between
 * refresh and save would otherwise lock the account out. On start and reload a saved pair wins
 * over the credentials file only while the file still holds what that pair was refreshed from;
 * new tokens put in the file by an operator win over older saved ones.
 *
 * Secrets live only here and in the config; nothing here logs them. Not thread-safe.
 */
#ifndef SR_TOKENS_H
#define SR_TOKENS_H

#include "config.h"

#include <stdbool.h>
#include <stdint.h>

struct tokens;

/* state_dir may be "" (refreshed tokens are then kept in memory only, with a warning). */
struct tokens *tokens_new(const char *state_dir);
void tokens_free(struct tokens *t);

/* Takes the credentials of cfg (borrowed only during the call), merging saved state. */
void tokens_load(struct tokens *t, const struct config *cfg);

/* Current tokens of a credential ("" when unknown); expiry in epoch seconds (0 = unknown). */
const char *tokens_access(const struct tokens *t, const char *cred);
const char *tokens_refresh(const struct tokens *t, const char *cred);
int64_t tokens_expires_at(const struct tokens *t, const char *cred);

/*
 * Records a refresh: the new access token, the new refresh token ("" keeps the old one) and
 * the lifetime in seconds (0 = unknown). Persists before returning; returns -1 when the state
 * could not be saved (the new tokens are still used, since the old ones may be dead already).
 */
int tokens_update(struct tokens *t, const char *cred, const char *access, const char *refresh,
                  int64_t expires_in_s, int64_t now_s);

#endif
