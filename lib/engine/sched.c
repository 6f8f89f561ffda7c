/*
 * sched.c - due-time heap with one timer (see sched.h).
 */
#include "sched.h"
#include "heap.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <event2/event.h>
#include <stdlib.h>

struct sched_job {
    struct heap_entry he; /* first: the heap hands us back &job->he */
    void *data;
    struct sched_job *prev, *next; /* every job, scheduled or not, for sched_free */
};

struct sched {
    struct heap heap;
    struct event *timer;
    sched_fire_fn *fire;
    void *arg;
    sched_clock_fn *clock;
    bool paused;
    bool running; /* inside sched_run_due: re-arm once at the end */
    struct sched_job *all;
};

static void arm(struct sched *s);

static void timer_cb(evutil_socket_t fd, short what, void *arg)
{
    struct sched *s = arg;
    (void)fd;
    (void)what;
    sched_run_due(s, sched_now(s));
}

struct sched *sched_new(struct event_base *base, sched_fire_fn *fire, void *arg)
{
    struct sched *s = xcalloc(1, sizeof *s);
    heap_init(&s->heap);
    s->fire = fire;
    s->arg = arg;
    s->clock = time_mono_us;
    if (base) {
        s->timer = evtimer_new(base, timer_cb, s);
        if (!s->timer)
            abort();
    }
    return s;
}

void sched_free(struct sched *s)
{
    if (!s)
        return;
    heap_release(&s->heap);
    while (s->all) {
        struct sched_job *j = s->all;
        s->all = j->next;
        free(j);
    }
    if (s->timer)
        event_free(s->timer);
    free(s);
}

void sched_set_clock(struct sched *s, sched_clock_fn *clock)
{
    s->clock = clock ? clock : time_mono_us;
}

int64_t sched_now(const struct sched *s)
{
    return s->clock();
}

/* One timer, armed to the earliest due time (the libcurl and libevent way). */
static void arm(struct sched *s)
{
    if (!s->timer || s->running)
        return;
    struct heap_entry *top = heap_top(&s->heap);
    if (!top || s->paused) {
        evtimer_del(s->timer);
        return;
    }
    int64_t wait = top->key - sched_now(s);
    if (wait < 0)
        wait = 0;
    struct timeval tv = {(time_t)(wait / 1000000), (suseconds_t)(wait % 1000000)};
    evtimer_add(s->timer, &tv);
}

struct sched_job *sched_add(struct sched *s, void *data, int64_t due_us)
{
    struct sched_job *j = xcalloc(1, sizeof *j);
    heap_entry_init(&j->he);
    j->data = data;
    j->next = s->all;
    if (s->all)
        s->all->prev = j;
    s->all = j;
    sched_at(s, j, due_us);
    return j;
}

void sched_remove(struct sched *s, struct sched_job *job)
{
    if (!job)
        return;
    heap_remove(&s->heap, &job->he);
    if (job->prev)
        job->prev->next = job->next;
    else
        s->all = job->next;
    if (job->next)
        job->next->prev = job->prev;
    free(job);
    arm(s);
}

void sched_at(struct sched *s, struct sched_job *job, int64_t due_us)
{
    heap_update(&s->heap, &job->he, due_us);
    arm(s);
}

void sched_unschedule(struct sched *s, struct sched_job *job)
{
    heap_remove(&s->heap, &job->he);
    arm(s);
}

bool sched_is_scheduled(const struct sched_job *job)
{
    return heap_contains(&job->he);
}

int64_t sched_due(const struct sched_job *job)
{
    return heap_contains(&job->he) ? job->he.key : -1;
}

void sched_pause(struct sched *s, bool paused)
{
    s->paused = paused;
    arm(s);
}

bool sched_paused(const struct sched *s)
{
    return s->paused;
}

size_t sched_run_due(struct sched *s, int64_t now_us)
{
    size_t fired = 0;
    s->running = true;
    while (!s->paused) {
        struct heap_entry *top = heap_top(&s->heap);
        if (!top || top->key > now_us)
            break;
        heap_remove(&s->heap, top);
        struct sched_job *j = (struct sched_job *)top;
        fired++;
        /* the callback may reschedule j, add or remove jobs, or pause us */
        s->fire(s->arg, j, j->data);
    }
    s->running = false;
    arm(s);
    return fired;
}

int64_t sched_next_due(const struct sched *s)
{
    struct heap_entry *top = heap_top(&s->heap);
    return top ? top->key : -1;
}

size_t sched_count(const struct sched *s)
{
    return s->heap.n;
}
