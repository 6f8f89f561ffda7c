/*
 * chunk.h - windows longer than a platform serves in one request, read as several pages.
 *
 * A stream whose platform limits the range of one request (stream_def.max_window_days) reads
 * a longer window in chunks of at most that many days, oldest first, one page each, so the
 * cursor commits after every chunk and a crash resumes at the next one. A platform that serves
 * only its last max_days_back days (before today, UTC) gets chunks from there on: older days of
 * the window cannot be fetched and are skipped rather than asked for and refused.
 *
 * The page cursor of a chunk after the first is "chunk:YYYY-MM-DD", its first day; streams
 * with other kinds of pages put that date into cursors of their own. Pure functions.
 */
#ifndef SR_CHUNK_H
#define SR_CHUNK_H

#include "adapter.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days of one request, inclusive. */
struct chunk {
    int32_t from, to;
};

/* The first day a request of the window may start on: from_day, or the oldest day served. */
int32_t chunk_window_start(const struct adapter_ctx *ctx);
/* The chunk that starts on day (clipped to the window; never empty). */
struct chunk chunk_at(const struct adapter_ctx *ctx, int32_t day);
/* The chunk that starts on date "YYYY-MM-DD" (NULL: the first); 0, or -1 outside the window. */
int chunk_starting(const struct adapter_ctx *ctx, const char *date, struct chunk *c);
/* The chunk a cursor names: NULL is the first, "chunk:YYYY-MM-DD" a later one; 0, or -1. */
int chunk_cursor(const struct adapter_ctx *ctx, const char *page, struct chunk *c);
/* Whether a later chunk follows c; its first day is c->to + 1. */
bool chunk_more(const struct adapter_ctx *ctx, const struct chunk *c);
/* The cursor of the chunk after c into next ("" when c is the last). */
void chunk_next(const struct adapter_ctx *ctx, const struct chunk *c, char *next, size_t n);

#endif
