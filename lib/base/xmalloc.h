/*
 * xmalloc.h - allocation that cannot fail.
 *
 * Running out of memory is the one fault the daemon does not try to survive: every allocator here
 * logs and aborts instead of returning NULL, so callers never check. Everything else at runtime
 * (network, database, bad input) is a state the caller handles.
 */
#ifndef SR_XMALLOC_H
#define SR_XMALLOC_H

#include <stddef.h>

/* Caller frees with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array to hold at least `want` elements of `size` bytes, doubling; updates *cap. */
void *xgrow(void *p, size_t *cap, size_t want, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
