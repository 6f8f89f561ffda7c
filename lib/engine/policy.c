/*
 * policy.c - the engine's timing rules (see policy.h).
 */
#include "policy.h"
#include "config.h"

#include <string.h>

#define CAPACITY_RETRY_MS    200
#define DB_RETRY_MS          2000
#define BACKOFF_BASE_MS      30000
#define BACKOFF_CAP_MS       3600000
#define ONCE_BACKOFF_BASE_MS 500
#define ONCE_BACKOFF_CAP_MS  5000
#define ONCE_MAX_ATTEMPTS    6
#define ONCE_MAX_WAIT_MS     60000
#define QUOTA_DEFAULT_MS     3600000
#define VERSION_RETRY_MS     3600000
#define START_SPREAD_MAX_MS  30000
#define START_AT_PHASE_MS    (5 * 60 * 1000)

/* ---- the schedule ------------------------------------------------------------------------- */

int64_t policy_interval_ms(int64_t configured_ms, int64_t stream_ms)
{
    int64_t ms = configured_ms == CFG_UNSET_MS ? stream_ms : configured_ms;
    return ms < 1000 ? 1000 : ms;
}

/* FNV-1a over the name, then a 64-bit finalizer: names that differ in one digit (x-1, x-2)
 * land far apart. */
static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

int64_t policy_phase_ms(const char *account, const char *stream, int64_t interval_ms)
{
    uint64_t h = 1469598103934665603ULL;
    for (const char *s = account; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    h = (h ^ '/') * 1099511628211ULL;
    for (const char *s = stream; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return interval_ms > 0 ? (int64_t)(mix(h) % (uint64_t)interval_ms) : 0;
}

int64_t policy_to_grid_ms(int64_t interval_ms, int64_t phase_ms, int64_t now_ms)
{
    if (interval_ms <= 0)
        return 0;
    int64_t off = (phase_ms - now_ms) % interval_ms;
    return off < 0 ? off + interval_ms : off;
}

/* How far apart a daemon's first runs are spread: a tenth of the interval, at most 30 s. */
static int64_t start_spread_ms(int64_t interval_ms)
{
    int64_t s = interval_ms / 10;
    return s > START_SPREAD_MAX_MS ? START_SPREAD_MAX_MS : s < 1 ? 1 : s;
}

int64_t policy_start_in_ms(int64_t interval_ms, int64_t phase_ms, double due_in_s, int64_t now_ms,
                           int64_t since_start_ms)
{
    if (due_in_s > 0)
        return (int64_t)(due_in_s * 1000);
    /*
     * Due now (a new job, or the daemon was down). A job polled every few minutes waits for
     * its grid point when that comes within one interval of the daemon's start (the freshness
     * it promises anyway), and a daemon's many short-interval jobs then never ask all at once,
     * not even when it starts.
     * A job of a longer interval, or one whose point comes later (the start took part of the
     * interval), runs soon, at its place in a short spread, and its next run is on the grid
     * (policy_next_run_in_ms): one extra run buys data at once.
     */
    int64_t to_grid = policy_to_grid_ms(interval_ms, phase_ms, now_ms);
    if (interval_ms <= START_AT_PHASE_MS && since_start_ms + to_grid <= interval_ms)
        return to_grid;
    return to_grid % start_spread_ms(interval_ms);
}

int64_t policy_next_run_in_ms(int64_t interval_ms, int64_t phase_ms, int64_t run_started_ms,
                              int64_t now_ms)
{
    /*
     * The first grid point a tenth of an interval after the run started: the one after its own
     * for a run that started on its point or late (up to nine tenths of an interval), never one
     * a moment after a run that started just off the grid (a first run, a retry), never the
     * run's own point when the timer fired a little early.
     */
    int64_t from = run_started_ms + interval_ms / 10;
    int64_t next = from + policy_to_grid_ms(interval_ms, phase_ms, from);
    return next > now_ms ? next - now_ms : 0;
}

/* ---- failures ------------------------------------------------------------------------------ */

bool policy_retryable(enum err_class cls)
{
    return cls == ERR_THROTTLED || cls == ERR_QUOTA || cls == ERR_TRANSIENT || cls == ERR_MALFORMED;
}

int64_t policy_wait_after(enum err_class cls, int64_t retry_ms, int failures, int64_t interval_ms,
                          bool once, uint64_t *rng)
{
    switch (cls) {
    case ERR_THROTTLED:
        if (retry_ms >= 0)
            return retry_ms + (int64_t)(policy_rand(rng) % 250);
        break;
    case ERR_QUOTA:
        return retry_ms >= 0 ? retry_ms : QUOTA_DEFAULT_MS;
    case ERR_PERMISSION:
    case ERR_BAD_REQUEST:
    case ERR_NOT_FOUND:
    case ERR_AUTH:
        return interval_ms; /* a retry cannot fix these: the next run tries again */
    case ERR_VERSION:       /* heals only when the configuration changes: no sooner than an hour */
        return interval_ms > VERSION_RETRY_MS ? interval_ms : VERSION_RETRY_MS;
    default:
        break;
    }
    return policy_backoff_ms(failures > 0 ? (unsigned)failures : 0,
                             once ? ONCE_BACKOFF_BASE_MS : BACKOFF_BASE_MS,
                             once ? ONCE_BACKOFF_CAP_MS : BACKOFF_CAP_MS, rng);
}

bool policy_version_retry(const char *failed_version, const char *configured_version)
{
    if (!failed_version)
        return false;
    return strcmp(configured_version ? configured_version : "", failed_version) != 0;
}

int64_t policy_budget_wait_ms(int64_t resets_at_s, int64_t now_us)
{
    int64_t wait = resets_at_s * 1000 - now_us / 1000 + 1000;
    return wait > 1000 ? wait : 1000;
}

bool policy_once_again(enum err_class cls, int attempts, int64_t wait_ms)
{
    return policy_retryable(cls) && attempts < ONCE_MAX_ATTEMPTS && wait_ms <= ONCE_MAX_WAIT_MS;
}

int policy_once_attempts(void)
{
    return ONCE_MAX_ATTEMPTS;
}

bool policy_once_gives_up(int64_t wait_ms)
{
    return wait_ms > ONCE_MAX_WAIT_MS;
}

/* ---- rate limits ---------------------------------------------------------------------------- */

int64_t policy_signal_wait_ms(const struct rl_signal *sig, int64_t usage_pause_ms)
{
    int64_t wait = sig->wait_ms;
    if (wait < 0 && sig->usage_pct >= 95)
        wait = usage_pause_ms;
    else if (wait < 0 && sig->usage_pct >= 80)
        wait = usage_pause_ms / 10;
    return wait > 0 ? wait : 0;
}

int64_t policy_refusal_gate_ms(enum err_class cls, int64_t retry_ms, int failures,
                               int64_t interval_ms, bool once, uint64_t *rng)
{
    return retry_ms >= 0 ? retry_ms : policy_wait_after(cls, -1, failures, interval_ms, once, rng);
}

int64_t policy_pace_us(long rps)
{
    return rps > 0 ? 1000000 / rps : 0;
}

/* ---- slots, the database, the lease ------------------------------------------------------- */

int64_t policy_capacity_retry_ms(uint64_t *rng)
{
    return CAPACITY_RETRY_MS + (int64_t)(policy_rand(rng) % 100);
}

int64_t policy_db_retry_ms(void)
{
    return DB_RETRY_MS;
}

int64_t policy_not_claimed_ms(double due_in_s)
{
    return due_in_s > 1 ? (int64_t)(due_in_s * 1000) : 1000;
}

int64_t policy_lease_s(int64_t lease_ms)
{
    return lease_ms / 1000;
}

int64_t policy_renew_after_us(int64_t lease_ms)
{
    return lease_ms * 1000 / 3;
}

int64_t policy_renew_retry_us(int64_t lease_ms)
{
    return lease_ms * 100;
}

/* ---- randomness ------------------------------------------------------------------------------ */

uint64_t policy_rand(uint64_t *state)
{
    uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ULL;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545f4914f6cdd1dULL;
}

static int64_t uniform(uint64_t *rng, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)(policy_rand(rng) % (uint64_t)(hi - lo + 1));
}

int64_t policy_backoff_ms(unsigned failures, int64_t base_ms, int64_t cap_ms, uint64_t *rng)
{
    int64_t ceiling = base_ms;
    for (unsigned i = 0; i < failures && ceiling < cap_ms; i++)
        ceiling *= 2;
    if (ceiling > cap_ms)
        ceiling = cap_ms;
    return uniform(rng, base_ms / 2 < ceiling ? base_ms / 2 : ceiling, ceiling);
}
