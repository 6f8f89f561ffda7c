/*
 * test_sched.c - the due-time heap and the scheduler driven by a fake clock (the timing rules
 * are policy.c's: test_policy.c).
 */
#include "unit.h"
#include "heap.h"
#include "policy.h"
#include "sched.h"

#include <stdlib.h>

static int64_t fake_now;
static int fired[64];
static int nfired;

static int64_t fake_clock(void)
{
    return fake_now;
}

static void fire(void *arg, struct sched_job *job, void *data)
{
    (void)arg;
    (void)job;
    fired[nfired++] = (int)(intptr_t)data;
}

static void test_heap_order(void **state)
{
    (void)state;
    struct heap h;
    struct heap_entry e[100];
    uint64_t rng = 42;
    heap_init(&h);
    for (int i = 0; i < 100; i++) {
        heap_entry_init(&e[i]);
        heap_push(&h, &e[i], (int64_t)(policy_rand(&rng) % 1000));
    }
    heap_update(&h, &e[10], -5);
    heap_remove(&h, &e[20]);
    assert_false(heap_contains(&e[20]));
    assert_ptr_equal(heap_pop(&h), &e[10]);
    int64_t last = -1000;
    for (int n = 0; n < 98; n++) {
        struct heap_entry *top = heap_pop(&h);
        assert_true(top->key >= last);
        last = top->key;
    }
    assert_null(heap_pop(&h));
    heap_release(&h);
}

static void test_due_order_and_reschedule(void **state)
{
    (void)state;
    struct sched *s = sched_new(NULL, fire, NULL);
    sched_set_clock(s, fake_clock);
    nfired = 0;
    fake_now = 0;
    struct sched_job *a = sched_add(s, (void *)1, 300);
    sched_add(s, (void *)2, 100);
    sched_add(s, (void *)3, 200);
    assert_int_equal(sched_next_due(s), 100);
    assert_int_equal(sched_run_due(s, 150), 1);
    assert_int_equal(fired[0], 2);
    sched_at(s, a, 50); /* moved earlier */
    assert_int_equal(sched_run_due(s, 250), 2);
    assert_int_equal(fired[1], 1);
    assert_int_equal(fired[2], 3);
    assert_false(sched_is_scheduled(a)); /* fired jobs leave the heap until rescheduled */
    assert_int_equal(sched_count(s), 0);
    sched_at(s, a, 1000);
    assert_int_equal(sched_due(a), 1000);
    sched_free(s);
}

static void test_pause(void **state)
{
    (void)state;
    struct sched *s = sched_new(NULL, fire, NULL);
    nfired = 0;
    sched_add(s, (void *)7, 10);
    sched_pause(s, true);
    assert_int_equal(sched_run_due(s, 100), 0); /* backpressure: nothing fires */
    assert_int_equal(sched_count(s), 1);        /* and nothing is lost */
    sched_pause(s, false);
    assert_int_equal(sched_run_due(s, 100), 1);
    assert_int_equal(fired[0], 7);
    sched_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heap_order),
        cmocka_unit_test(test_due_order_and_reschedule),
        cmocka_unit_test(test_pause),
    };
    return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
