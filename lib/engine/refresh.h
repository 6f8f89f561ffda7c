/*
 * refresh.h - OAuth token refreshes for the job machine: one refresh in flight per credential,
 * however many jobs wait for it; the outcome is handed to each waiting job. Also the credential's
 * expiry: when a refresh is due (the platform's margin before it), the warnings for a token that
 * cannot be refreshed and the end of one (expiry.h), and what the database and /metrics are told
 * of it.
 */
#ifndef SR_REFRESH_H
#define SR_REFRESH_H

#include "job.h"

#include <stddef.h>

struct buf;

/* A refresh j waited for ended: ERR_NONE, or the class of its failure and why. */
typedef void refresh_done_fn(struct ejob *j, enum err_class cls, const char *why);

/* j waits for a new token of its credential; a refresh starts unless one is under way. done
 * is called for every waiting job, possibly before this returns. */
void refresh_wait(struct ejob *j, refresh_done_fn *done);
/* Whether a refresh of the credential is under way. */
bool refresh_running(struct jobenv *e, const char *credential);
/* The credential's generation: bumped by every successful refresh. */
uint64_t refresh_generation(struct jobenv *e, const char *credential);
/* Whether j's token is within its platform's margin of its expiry (and can be refreshed). */
bool refresh_due(const struct ejob *j, int64_t now_s);
/* Whether j's credential can get a new token by itself (its adapter builds a refresh). */
bool refresh_possible(const struct ejob *j);
/* Records the token's end and whether it can be renewed in the database (at each sync). */
void refresh_sync_renewal(struct ejob *j);
/* Logs a token that will end and cannot be refreshed 14 and 3 days before its end (once each,
 * expiry.h); true once it has ended, with why (the account has to be re-authorized). */
bool refresh_token_ended(struct ejob *j, int64_t now_s, char *why, size_t len);
/* The gauge of the tokens' ends, one per account with a known end (the first job's token). */
void refresh_expiry_metrics(const struct acct_state *accts, struct buf *b);
/* Frees the credentials' state. */
void refresh_free(struct jobenv *e);

#endif
