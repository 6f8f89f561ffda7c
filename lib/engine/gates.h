/*
 * gates.h - rate-limit gates: one per key (a platform's credential, one of its streams, a
 * paced endpoint), each closed until a moment on the monotonic clock. Only closed gates take
 * memory: open ones are dropped whenever their hash bucket is visited.
 */
#ifndef SR_GATES_H
#define SR_GATES_H

#include <stdint.h>

struct gate {
    int64_t open_at; /* monotonic microseconds; a gate open at now is the same as none */
    struct gate *next;
    char key[];
};

struct gates;

struct gates *gates_new(void);
void gates_free(struct gates *g);
/* The gate of key (a new one, open, when there is none); now drops the open ones passed. */
struct gate *gates_get(struct gates *g, const char *key, int64_t now);

#endif
