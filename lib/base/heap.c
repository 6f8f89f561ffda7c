/*
 * heap.c - binary min-heap with index tracking (see heap.h).
 */
#include "heap.h"
#include "xmalloc.h"

#include <stdlib.h>

#define NOT_IN_HEAP SIZE_MAX

void heap_init(struct heap *h)
{
    h->items = NULL;
    h->n = h->cap = 0;
}

void heap_release(struct heap *h)
{
    for (size_t i = 0; i < h->n; i++)
        h->items[i]->index = NOT_IN_HEAP;
    free(h->items);
    heap_init(h);
}

void heap_entry_init(struct heap_entry *e)
{
    e->key = 0;
    e->index = NOT_IN_HEAP;
}

int heap_contains(const struct heap_entry *e)
{
    return e->index != NOT_IN_HEAP;
}

static void place(struct heap *h, size_t i, struct heap_entry *e)
{
    h->items[i] = e;
    e->index = i;
}

static void sift_up(struct heap *h, size_t i)
{
    struct heap_entry *e = h->items[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (h->items[parent]->key <= e->key)
            break;
        place(h, i, h->items[parent]);
        i = parent;
    }
    place(h, i, e);
}

static void sift_down(struct heap *h, size_t i)
{
    struct heap_entry *e = h->items[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->n)
            break;
        if (child + 1 < h->n && h->items[child + 1]->key < h->items[child]->key)
            child++;
        if (e->key <= h->items[child]->key)
            break;
        place(h, i, h->items[child]);
        i = child;
    }
    place(h, i, e);
}

void heap_push(struct heap *h, struct heap_entry *e, int64_t key)
{
    if (heap_contains(e)) {
        heap_update(h, e, key);
        return;
    }
    h->items = xgrow(h->items, &h->cap, h->n + 1, sizeof *h->items);
    e->key = key;
    place(h, h->n++, e);
    sift_up(h, h->n - 1);
}

void heap_remove(struct heap *h, struct heap_entry *e)
{
    if (!heap_contains(e))
        return;
    size_t i = e->index;
    struct heap_entry *last = h->items[--h->n];
    e->index = NOT_IN_HEAP;
    if (last == e)
        return;
    place(h, i, last);
    sift_up(h, i);
    sift_down(h, last->index);
}

void heap_update(struct heap *h, struct heap_entry *e, int64_t key)
{
    if (!heap_contains(e)) {
        heap_push(h, e, key);
        return;
    }
    e->key = key;
    sift_up(h, e->index);
    sift_down(h, e->index);
}

struct heap_entry *heap_top(const struct heap *h)
{
    return h->n ? h->items[0] : NULL;
}

struct heap_entry *heap_pop(struct heap *h)
{
    struct heap_entry *top = heap_top(h);
    if (top)
        heap_remove(h, top);
    return top;
}
