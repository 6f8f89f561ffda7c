/*
 * gates.c - rate-limit gates in a fixed hash table (see gates.h).
 */
#include "gates.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define GATE_BUCKETS 1024

struct gates {
    struct gate *bucket[GATE_BUCKETS];
};

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

struct gates *gates_new(void)
{
    return xcalloc(1, sizeof(struct gates));
}

void gates_free(struct gates *gs)
{
    if (!gs)
        return;
    for (size_t i = 0; i < GATE_BUCKETS; i++) {
        while (gs->bucket[i]) {
            struct gate *g = gs->bucket[i];
            gs->bucket[i] = g->next;
            free(g);
        }
    }
    free(gs);
}

struct gate *gates_get(struct gates *gs, const char *key, int64_t now)
{
    struct gate **p = &gs->bucket[hash_str(key) % GATE_BUCKETS], *found = NULL;
    while (*p) {
        struct gate *g = *p;
        if (!found && strcmp(g->key, key) == 0) {
            found = g;
        } else if (g->open_at <= now) { /* open: the same as no gate; callers hold only key's */
            *p = g->next;
            free(g);
            continue;
        }
        p = &g->next;
    }
    if (found)
        return found;
    size_t len = strlen(key) + 1;
    struct gate *g = xcalloc(1, sizeof *g + len);
    memcpy(g->key, key, len);
    g->next = *p;
    *p = g;
    return g;
}
