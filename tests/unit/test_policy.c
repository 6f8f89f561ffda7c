/*
 * test_policy.c - the engine's timing rules without a loop: the grid and the jobs' phases,
 * first runs, the run after a run, failures, rate-limit signals, the lease, backoff.
 */
#include "unit.h"
#include "config.h"
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>

#define SEC 1000
#define IV  (180 * SEC)
/* an arbitrary wall-clock moment, epoch milliseconds */
#define T0 1796000000123LL

static void test_interval(void **state)
{
    (void)state;
    assert_int_equal(policy_interval_ms(CFG_UNSET_MS, 3600 * SEC), 3600 * SEC);
    assert_int_equal(policy_interval_ms(60 * SEC, 3600 * SEC), 60 * SEC);
    assert_int_equal(policy_interval_ms(10, 3600 * SEC), SEC); /* at least a second */
}

/* A phase is the same for the same job, within its interval, and phases spread evenly. */
static void test_phase_uniform(void **state)
{
    (void)state;
    static const char *streams[3] = {"x.user", "x.tweets", "x.mentions"};
    int bucket[18] = {0};
    char name[32];
    for (int i = 1; i <= 10000; i++) {
        snprintf(name, sizeof name, "x-%d", i);
        for (int k = 0; k < 3; k++) {
            int64_t p = policy_phase_ms(name, streams[k], IV);
            assert_true(p >= 0 && p < IV);
            assert_int_equal(p, policy_phase_ms(name, streams[k], IV));
            bucket[p / (10 * SEC)]++;
        }
    }
    /* 30,000 jobs over 18 buckets of 10 s: 1,667 each; a bunched schedule fails this */
    for (int b = 0; b < 18; b++)
        assert_true(bucket[b] > 1500 && bucket[b] < 1833);
    assert_true(policy_phase_ms("x-1", "x.user", IV) != policy_phase_ms("x-2", "x.user", IV));
    assert_true(policy_phase_ms("x-1", "x.user", IV) != policy_phase_ms("x-1", "x.tweets", IV));
}

static void test_to_grid(void **state)
{
    (void)state;
    assert_int_equal(policy_to_grid_ms(IV, 0, 0), 0);
    assert_int_equal(policy_to_grid_ms(IV, 5000, 0), 5000);
    assert_int_equal(policy_to_grid_ms(IV, 5000, 6000), IV - 1000);
    assert_int_equal(policy_to_grid_ms(IV, 5000, IV + 5000), 0);
    /* a grid point: now + to_grid is one, whatever now is */
    for (int64_t now = T0; now < T0 + 3 * IV; now += 7777) {
        int64_t g = now + policy_to_grid_ms(IV, 12345, now);
        assert_true(g >= now && g < now + IV);
        assert_int_equal(policy_to_grid_ms(IV, 12345, g), 0);
    }
}

/* A job due later keeps its time; one due now waits for its grid point when its interval is
 * short, and runs within a short spread when it is long. */
static void test_start(void **state)
{
    (void)state;
    assert_int_equal(policy_start_in_ms(IV, 777, 42.5, T0, 0), 42500);
    for (int64_t ph = 0; ph < IV; ph += 997) {
        int64_t g = policy_to_grid_ms(IV, ph, T0);
        int64_t d = policy_start_in_ms(IV, ph, -100, T0, 0);
        assert_int_equal(d, g);
        /* the daemon started 20 s ago: a point later than one interval from then is not
         * waited for, every first run is within one interval of the start */
        d = policy_start_in_ms(IV, ph, -100, T0, 20 * SEC);
        assert_true(d == g || (g > IV - 20 * SEC && d < IV / 10));
        assert_true(d + 20 * SEC <= IV);
        d = policy_start_in_ms(3600 * SEC, ph, 0, T0, 0);
        assert_true(d >= 0 && d < 30 * SEC); /* a tenth of an hour is capped at 30 s */
        d = policy_start_in_ms(10 * 60 * SEC, ph, 0, T0, 0);
        assert_true(d >= 0 && d < 60 * SEC);
    }
    /* 30,000 short-interval jobs all due at start: their first runs spread over the interval */
    int bucket[18] = {0};
    char name[32];
    for (int i = 1; i <= 30000; i++) {
        snprintf(name, sizeof name, "x-%d", i);
        int64_t d = policy_start_in_ms(IV, policy_phase_ms(name, "x.user", IV), 0, T0, 0);
        assert_true(d >= 0 && d < IV);
        bucket[d / (10 * SEC)]++;
    }
    for (int b = 0; b < 18; b++)
        assert_true(bucket[b] > 1500 && bucket[b] < 1833);
}

/* Runs on time stay on the grid, one interval apart; late ones do not move the next. */
static void test_next_run(void **state)
{
    (void)state;
    int64_t ph = policy_phase_ms("x-7", "x.user", IV);
    int64_t g = T0 + policy_to_grid_ms(IV, ph, T0); /* a grid point of the job */
    /* started on its point, ended 2 s later: due one interval after the point */
    assert_int_equal(policy_next_run_in_ms(IV, ph, g, g + 2 * SEC), IV - 2 * SEC);
    /* the timer fired 3 ms early: still the next point, not this one again */
    assert_int_equal(policy_next_run_in_ms(IV, ph, g - 3, g + 2 * SEC), IV - 2 * SEC);
    /* waited 40 s for a slot: the next run is not pushed back */
    assert_int_equal(policy_next_run_in_ms(IV, ph, g + 40 * SEC, g + 41 * SEC), IV - 41 * SEC);
    /* a run that ended after its successor's time is followed at once */
    assert_int_equal(policy_next_run_in_ms(IV, ph, g + 10 * SEC, g + IV + SEC), 0);
    /* a run that started very late (95 % of an interval): the point after, still within
     * 110 % of an interval of its start */
    int64_t d = policy_next_run_in_ms(IV, ph, g + IV * 95 / 100, g + IV * 95 / 100);
    assert_int_equal(d, IV + IV * 5 / 100);
    /* a first run off the grid: the next on the grid, between a tenth and 110 % of an
     * interval later */
    for (int64_t off = 0; off < IV; off += 1234) {
        int64_t start = g + off;
        int64_t next = start + policy_next_run_in_ms(IV, ph, start, start);
        assert_int_equal(policy_to_grid_ms(IV, ph, next), 0);
        assert_true(next - start >= IV / 10 && next - start <= IV + IV / 10);
    }
}

/*
 * 30,000 jobs of one interval that all first came due at once: from their second run on,
 * the runs due in any 10 s are close to an even share, which the due times of a schedule
 * counted from each run's start never are.
 */
static void test_load_spreads(void **state)
{
    (void)state;
    static const char *streams[3] = {"x.user", "x.tweets", "x.mentions"};
    int bucket[18] = {0};
    char name[32];
    uint64_t rng = 5;
    for (int i = 1; i <= 10000; i++) {
        snprintf(name, sizeof name, "x-%d", i);
        for (int k = 0; k < 3; k++) {
            int64_t ph = policy_phase_ms(name, streams[k], IV);
            /* its first run started somewhere in the first 90 s (waiting for slots) */
            int64_t start = T0 + (int64_t)(policy_rand(&rng) % (90 * SEC));
            int64_t second = start + policy_next_run_in_ms(IV, ph, start, start + SEC);
            int64_t third = second + policy_next_run_in_ms(IV, ph, second, second + SEC);
            assert_int_equal(third - second, IV);
            bucket[((third - T0) % IV) / (10 * SEC)]++;
        }
    }
    for (int b = 0; b < 18; b++)
        assert_true(bucket[b] > 1500 && bucket[b] < 1833);
}

static void test_failures(void **state)
{
    (void)state;
    uint64_t rng = 3;
    for (int i = 0; i < 100; i++) {
        int64_t w = policy_wait_after(ERR_THROTTLED, 5000, 0, IV, false, &rng);
        assert_true(w >= 5000 && w < 5250); /* the reset, and a little to spread the herd */
    }
    assert_int_equal(policy_wait_after(ERR_QUOTA, 7000, 0, IV, false, &rng), 7000);
    assert_int_equal(policy_wait_after(ERR_QUOTA, -1, 0, IV, false, &rng), 3600 * SEC);
    assert_int_equal(policy_wait_after(ERR_PERMISSION, -1, 3, IV, false, &rng), IV);
    assert_int_equal(policy_wait_after(ERR_AUTH, 100, 3, IV, false, &rng), IV);
    for (int f = 0; f < 10; f++) {
        int64_t w = policy_wait_after(ERR_TRANSIENT, -1, f, IV, false, &rng);
        assert_true(w >= 15 * SEC && w <= 3600 * SEC);
        w = policy_wait_after(ERR_TRANSIENT, -1, f, IV, true, &rng);
        assert_true(w >= 250 && w <= 5 * SEC); /* --once retries fast */
    }
    /* throttled without a reset time: backoff */
    int64_t w = policy_wait_after(ERR_THROTTLED, -1, 0, IV, false, &rng);
    assert_true(w >= 15 * SEC && w <= 30 * SEC);
    assert_true(policy_retryable(ERR_TRANSIENT) && policy_retryable(ERR_THROTTLED));
    assert_false(policy_retryable(ERR_AUTH) || policy_retryable(ERR_BAD_REQUEST));
    assert_true(policy_once_again(ERR_TRANSIENT, 1, 500));
    assert_false(policy_once_again(ERR_TRANSIENT, policy_once_attempts(), 500));
    assert_false(policy_once_again(ERR_QUOTA, 1, 3600 * SEC));
    assert_false(policy_once_again(ERR_PERMISSION, 1, 500));
    assert_true(policy_once_gives_up(61 * SEC));
    assert_false(policy_once_gives_up(59 * SEC));
    /* a retired API version: an hour at least, the interval when longer; never retried under
     * --once; a reload runs it at once only when it configures another version */
    assert_int_equal(policy_wait_after(ERR_VERSION, 100, 2, IV, false, &rng), 3600 * SEC);
    assert_int_equal(policy_wait_after(ERR_VERSION, -1, 0, 2 * 3600 * SEC, false, &rng),
                     2 * 3600 * SEC);
    assert_false(policy_once_again(ERR_VERSION, 1, 500));
    assert_false(policy_version_retry(NULL, "v19.0"));
    assert_false(policy_version_retry("v18.0", "v18.0"));
    assert_true(policy_version_retry("v18.0", "v19.0"));
    assert_true(policy_version_retry("v18.0", NULL));
    assert_false(policy_version_retry("", NULL));
    /* a spent listening budget: one second past the turn, at least a second */
    assert_int_equal(policy_budget_wait_ms(86400, 86399LL * 1000000), 2000);
    assert_int_equal(policy_budget_wait_ms(86400, 86400LL * 1000000 + 500000), 1000);
    assert_int_equal(policy_budget_wait_ms(2 * 86400, 86400LL * 1000000), 86401 * 1000LL);
    /* a refusal closes the gate for the platform's time, or the class's wait */
    assert_int_equal(policy_refusal_gate_ms(ERR_QUOTA, 9000, 0, IV, false, &rng), 9000);
    assert_int_equal(policy_refusal_gate_ms(ERR_QUOTA, -1, 0, IV, false, &rng), 3600 * SEC);
}

static void test_signals(void **state)
{
    (void)state;
    struct rl_signal reset = {900 * SEC, -1, true}, none = {-1, -1, false};
    struct rl_signal near = {-1, 97, false}, above = {-1, 85, false}, low = {-1, 50, false};
    assert_int_equal(policy_signal_wait_ms(&reset, 60 * SEC), 900 * SEC);
    assert_int_equal(policy_signal_wait_ms(&none, 60 * SEC), 0);
    assert_int_equal(policy_signal_wait_ms(&near, 60 * SEC), 60 * SEC);
    assert_int_equal(policy_signal_wait_ms(&above, 60 * SEC), 6 * SEC);
    assert_int_equal(policy_signal_wait_ms(&low, 60 * SEC), 0);
    assert_int_equal(policy_pace_us(5), 200000);
    assert_int_equal(policy_pace_us(0), 0);
}

static void test_slots_and_lease(void **state)
{
    (void)state;
    uint64_t rng = 11;
    for (int i = 0; i < 100; i++) {
        int64_t w = policy_capacity_retry_ms(&rng);
        assert_true(w >= 200 && w < 300);
    }
    assert_int_equal(policy_db_retry_ms(), 2000);
    assert_int_equal(policy_not_claimed_ms(30.5), 30500);
    assert_int_equal(policy_not_claimed_ms(-4), 1000);
    assert_int_equal(policy_lease_s(600 * SEC), 600);
    assert_int_equal(policy_renew_after_us(600 * SEC), 200LL * 1000 * 1000);
    assert_int_equal(policy_renew_retry_us(600 * SEC), 60LL * 1000 * 1000);
}

static void test_backoff_bounds(void **state)
{
    (void)state;
    uint64_t rng = 1;
    for (unsigned f = 0; f < 20; f++) {
        for (int i = 0; i < 200; i++) {
            int64_t b = policy_backoff_ms(f, 1000, 60000, &rng);
            int64_t ceiling = 1000LL << (f > 6 ? 6 : f);
            if (ceiling > 60000)
                ceiling = 60000;
            assert_true(b >= 500);
            assert_true(b <= ceiling);
        }
    }
    /* full jitter: draws differ */
    int64_t a = policy_backoff_ms(5, 1000, 60000, &rng),
            b = policy_backoff_ms(5, 1000, 60000, &rng);
    int64_t c = policy_backoff_ms(5, 1000, 60000, &rng);
    assert_false(a == b && b == c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval),        cmocka_unit_test(test_phase_uniform),
        cmocka_unit_test(test_to_grid),         cmocka_unit_test(test_start),
        cmocka_unit_test(test_next_run),        cmocka_unit_test(test_load_spreads),
        cmocka_unit_test(test_failures),        cmocka_unit_test(test_signals),
        cmocka_unit_test(test_slots_and_lease), cmocka_unit_test(test_backoff_bounds),
    };
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
