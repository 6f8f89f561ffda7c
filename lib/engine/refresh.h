/*
 * refresh.h - OAuth token refreshes for the job machine: one refresh in flight per credential,
 * however many jobs wait for it; the outcome is handed to each waiting job. Also the credential's
 * expiry: when a refresh is due (the platform's margin before it), and the daily warning for a
 * token that cannot be refreshed.
 */
#ifndef SR_REFRESH_H
#define SR_REFRESH_H

#include "job.h"

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
/* Logs, once a day from 14 days before, a token that will expire and cannot be refreshed. */
void refresh_warn_expiry(struct ejob *j, int64_t now_s);
/* Frees the credentials' state. */
void refresh_free(struct jobenv *e);

#endif
