/*
 * policy.h - when a job runs next and how long it waits: every timing rule of the engine in
 * pure functions (no loop, no clock, no database; the caller passes the time and a random
 * state), so each rule can be tested on its own (tests/unit/test_policy.c).
 *
 * What it decides:
 *   - the schedule: each job runs on a fixed grid of the wall clock, one point per interval,
 *     offset by the job's phase, a stable hash of its account and stream spread uniformly over
 *     the interval (as Prometheus spreads scrape offsets). Jobs with one interval therefore
 *     come due evenly over it instead of all at once, on every daemon and across restarts;
 *   - a job's first run, and the run after a daemon was down (the database says it is
 *     overdue): a job of an interval up to 5 minutes waits for its grid point when that comes
 *     within one interval of the daemon's start; any other runs within a tenth of its
 *     interval (at most 30 s, spread by the phase) and then on the grid, its next run at
 *     least a tenth of an interval later. Every first run is within an interval of the start;
 *   - failures: the wait per error class (Retry-After, a quota's reset, backoff with full
 *     jitter, an interval for errors a retry cannot fix, at least an hour for a retired API
 *     version unless a reload configures another), and what --once retries;
 *   - the X search's listening budget: a spent one waits for the UTC day or month to turn;
 *   - the platforms' rate-limit signals (a window's reset, Meta's usage percentages) as a
 *     wait for the gate of a credential or stream, and the pace of paced requests;
 *   - waiting for a slot (max_inflight) and for the database;
 *   - the lease: its length is the daemon's setting ([daemon] lease) alone, passed to every
 *     SQL function that sets lease_expires (claim_job, renew_lease, and the lease_s of a fetch
 *     record); a run renews it every third of that length.
 */
#ifndef SR_POLICY_H
#define SR_POLICY_H

#include "adapter.h"
#include "rowset.h"

#include <stdbool.h>
#include <stdint.h>

/* ---- the schedule ------------------------------------------------------------------------- */

/* A job's polling interval from its config (CFG_UNSET_MS: the stream's), at least 1 s. */
int64_t policy_interval_ms(int64_t configured_ms, int64_t stream_ms);

/* The job's phase in [0, interval): where on its interval it comes due, the same every time
 * for the same account and stream. */
int64_t policy_phase_ms(const char *account, const char *stream, int64_t interval_ms);

/* Milliseconds from now_ms (wall clock, epoch) to the job's next grid point, 0 when now_ms is
 * one. */
int64_t policy_to_grid_ms(int64_t interval_ms, int64_t phase_ms, int64_t now_ms);

/*
 * When a job runs once it is synced with the database, which said its next run is due_in_s
 * from now (negative: overdue). A job due later keeps that time (a daemon before this one, a
 * retry, `socialroi poll` set it); one that is due now runs at its grid point when its interval
 * is 5 minutes or less and the point comes within one interval of the daemon's start
 * (since_start_ms ago), otherwise within min(interval / 10, 30 s).
 */
int64_t policy_start_in_ms(int64_t interval_ms, int64_t phase_ms, double due_in_s, int64_t now_ms,
                           int64_t since_start_ms);

/*
 * Milliseconds until the run after one that started at run_started_ms (wall clock) and just
 * ended at now_ms: the grid point after the one the run belonged to (the last at or before its
 * start, a second of early firing allowed). A run that waited for a slot, paged or retried
 * does not move later runs; one that ended after its successor's time is followed at once.
 */
int64_t policy_next_run_in_ms(int64_t interval_ms, int64_t phase_ms, int64_t run_started_ms,
                              int64_t now_ms);

/* ---- failures ------------------------------------------------------------------------------ */

/* Whether a failure of class cls is worth another attempt in the same --once run. */
bool policy_retryable(enum err_class cls);

/*
 * How long to wait before the next attempt after a failure of class cls; retry_ms is the
 * platform's own (Retry-After, a reset time; -1 for none), failures the job's consecutive
 * failures so far. rng is a xorshift state the caller keeps.
 */
int64_t policy_wait_after(enum err_class cls, int64_t retry_ms, int failures, int64_t interval_ms,
                          bool once, uint64_t *rng);

/*
 * Whether a job whose last attempt failed as a retired API version (failed_version, NULL when
 * it did not) runs at once, forced, after a reload: the version now configured for its stream
 * is another one. Otherwise such a job waits at least an hour (policy_wait_after).
 */
bool policy_version_retry(const char *failed_version, const char *configured_version);

/*
 * The wait of an X search whose listening budget is spent until its budget turns at
 * resets_at_s (epoch seconds: the next UTC day or month, xbudget_resets_at): one second past
 * it, at least one second.
 */
int64_t policy_budget_wait_ms(int64_t resets_at_s, int64_t now_us);

/* Whether --once makes one more attempt: attempts made so far, the wait before it. */
bool policy_once_again(enum err_class cls, int attempts, int64_t wait_ms);

/* --once attempts before it gives up on a job (failed fetches, lease requests). */
int policy_once_attempts(void);

/* Whether --once gives up on a job rather than wait wait_ms for its rate limit. */
bool policy_once_gives_up(int64_t wait_ms);

/* ---- rate limits ---------------------------------------------------------------------------- */

/*
 * The wait a response's rate-limit signal asks for, 0 for none. A platform that says when its
 * window resets (X) is taken at its word; one that only reports how much of its budget is used
 * (Meta's usage headers) is given room before it starts refusing: usage_pause near the limit,
 * a tenth of it above 80 %.
 */
int64_t policy_signal_wait_ms(const struct rl_signal *sig, int64_t usage_pause_ms);

/* How long the credential's gate closes after a refusal of class cls (throttled or quota). */
int64_t policy_refusal_gate_ms(enum err_class cls, int64_t retry_ms, int failures,
                               int64_t interval_ms, bool once, uint64_t *rng);

/* Microseconds between two paced requests at rps a second (HubSpot's search). */
int64_t policy_pace_us(long rps);

/* ---- slots, the database, the lease ------------------------------------------------------- */

/* The wait of a job that found no free slot (max_inflight): short, jittered, polled again. */
int64_t policy_capacity_retry_ms(uint64_t *rng);

/* The wait after the database could not be asked (not connected, a statement refused). */
int64_t policy_db_retry_ms(void);

/* The wait of a job another daemon holds or just ran: when the database says it is due. */
int64_t policy_not_claimed_ms(double due_in_s);

/* The lease in whole seconds, as the SQL functions take it. */
int64_t policy_lease_s(int64_t lease_ms);

/* Microseconds after a lease was taken or renewed before it is renewed again (a third). */
int64_t policy_renew_after_us(int64_t lease_ms);

/* ... and after a renewal could not be sent (a tenth). */
int64_t policy_renew_retry_us(int64_t lease_ms);

/* ---- randomness ------------------------------------------------------------------------------ */

/* Exponential backoff with full jitter: a uniform draw from [base/2, min(cap, base * 2^n)]
 * (never less than half the base, so a storm of failures cannot spin). */
int64_t policy_backoff_ms(unsigned failures, int64_t base_ms, int64_t cap_ms, uint64_t *rng);
/* xorshift64* step; a zero state is replaced by a constant. */
uint64_t policy_rand(uint64_t *state);

#endif
