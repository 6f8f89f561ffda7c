/*
 * sched.h - when each job runs next: a min-heap of absolute due times on the monotonic clock
 * with one armed timer.
 *
 * A job fires once when due and leaves the heap; its owner puts it back with sched_at() when
 * the work is done, at the time policy.h decides. sched_pause() stops all firing (backpressure
 * from the writer) without losing any due time.
 *
 * Runs on the event loop; not thread-safe. The clock is injectable for tests.
 */
#ifndef SR_SCHED_H
#define SR_SCHED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct event_base;
struct sched;
struct sched_job;

/* A job is due: data is what sched_add() was given. */
typedef void sched_fire_fn(void *arg, struct sched_job *job, void *data);
typedef int64_t sched_clock_fn(void);

/* base may be NULL for tests that drive sched_run_due() by hand. */
struct sched *sched_new(struct event_base *base, sched_fire_fn *fire, void *arg);
void sched_free(struct sched *s);
void sched_set_clock(struct sched *s, sched_clock_fn *clock);
int64_t sched_now(const struct sched *s);

/* Adds a job due at due_us (monotonic microseconds); the sched owns the job. */
struct sched_job *sched_add(struct sched *s, void *data, int64_t due_us);
/* Removes and frees a job (scheduled or not). */
void sched_remove(struct sched *s, struct sched_job *job);
/* (Re)schedules a job. */
void sched_at(struct sched *s, struct sched_job *job, int64_t due_us);
/* Takes a job out of the heap without freeing it. */
void sched_unschedule(struct sched *s, struct sched_job *job);
bool sched_is_scheduled(const struct sched_job *job);
int64_t sched_due(const struct sched_job *job);

void sched_pause(struct sched *s, bool paused);
bool sched_paused(const struct sched *s);
/* Fires every job due at now_us (unless paused); returns how many fired. */
size_t sched_run_due(struct sched *s, int64_t now_us);
/* Due time of the earliest job, or -1. */
int64_t sched_next_due(const struct sched *s);
size_t sched_count(const struct sched *s);

#endif
