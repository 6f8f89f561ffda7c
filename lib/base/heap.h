/*
 * heap.h - a binary min-heap of entries ordered by a 64-bit key (a due time).
 *
 * Entries are embedded in their owner (struct heap_entry) and know their index, so removing
 * or re-keying an entry is O(log n) without searching. Pure data structure.
 */
#ifndef SR_HEAP_H
#define SR_HEAP_H

#include <stddef.h>
#include <stdint.h>

struct heap_entry {
    int64_t key;
    size_t index; /* position in the heap, or SIZE_MAX when not in it */
};

struct heap {
    struct heap_entry **items;
    size_t n, cap;
};

void heap_init(struct heap *h);
void heap_release(struct heap *h);
void heap_entry_init(struct heap_entry *e);
void heap_push(struct heap *h, struct heap_entry *e, int64_t key);
/* Removes e if it is in the heap. */
void heap_remove(struct heap *h, struct heap_entry *e);
/* Changes e's key (pushing it if absent). */
void heap_update(struct heap *h, struct heap_entry *e, int64_t key);
struct heap_entry *heap_top(const struct heap *h);
struct heap_entry *heap_pop(struct heap *h);
int heap_contains(const struct heap_entry *e);

#endif
