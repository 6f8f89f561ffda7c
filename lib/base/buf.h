/*
 * buf.h - a growable byte buffer with an optional hard cap.
 *
 * Used for HTTP bodies (where the cap is the response size limit) and for building text.
 * The data is always NUL-terminated so text consumers can use it directly.
 * Plain record embedded by value; buf_free releases the storage.
 */
#ifndef SR_BUF_H
#define SR_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
    char *data;
    size_t len, cap;
    size_t max; /* 0 = unlimited */
};

/* Appends; returns 0, or -1 (nothing appended) when the cap would be exceeded. */
int buf_append(struct buf *b, const void *data, size_t len);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* Hands the storage to the caller (free() it); the buffer becomes empty. */
char *buf_steal(struct buf *b, size_t *len);

#endif
