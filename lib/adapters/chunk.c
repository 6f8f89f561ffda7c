/*
 * chunk.c - a window cut into the ranges a platform accepts per request (see chunk.h).
 */
#include "chunk.h"
#include "timeutil.h"

#include <stdio.h>
#include <string.h>

/* The stream's limits; none when the stream is unknown (a bare context in a test). */
static const struct stream_def *limits(const struct adapter_ctx *ctx)
{
    return ctx->stream ? adapter_stream(ctx->stream, NULL) : NULL;
}

int32_t chunk_window_start(const struct adapter_ctx *ctx)
{
    const struct stream_def *def = limits(ctx);
    if (!def || def->max_days_back <= 0)
        return ctx->from_day;
    int32_t today = (int32_t)(ctx->now / 1000000 / 86400);
    int32_t oldest = today - def->max_days_back;
    return ctx->from_day > oldest ? ctx->from_day : oldest;
}

struct chunk chunk_at(const struct adapter_ctx *ctx, int32_t day)
{
    const struct stream_def *def = limits(ctx);
    struct chunk c = {day, ctx->to_day};
    if (def && def->max_window_days > 0 && day + def->max_window_days - 1 < c.to)
        c.to = day + def->max_window_days - 1;
    /* a window wholly older than the platform serves: one request whose days are all dropped */
    if (c.to < c.from)
        c.to = c.from;
    return c;
}

int chunk_starting(const struct adapter_ctx *ctx, const char *date, struct chunk *c)
{
    int32_t start = chunk_window_start(ctx), day;
    if (!date) {
        *c = chunk_at(ctx, start);
        return 0;
    }
    /* a later chunk starts after the first and inside the window */
    if (time_parse_date(date, &day) < 0 || day <= start || day > ctx->to_day)
        return -1;
    *c = chunk_at(ctx, day);
    return 0;
}

int chunk_cursor(const struct adapter_ctx *ctx, const char *page, struct chunk *c)
{
    if (page && strncmp(page, "chunk:", 6) != 0)
        return -1;
    return chunk_starting(ctx, page ? page + 6 : NULL, c);
}

bool chunk_more(const struct adapter_ctx *ctx, const struct chunk *c)
{
    return c->to < ctx->to_day;
}

void chunk_next(const struct adapter_ctx *ctx, const struct chunk *c, char *next, size_t n)
{
    char date[16];
    if (!chunk_more(ctx, c)) {
        *next = '\0';
        return;
    }
    time_format_date(c->to + 1, date, sizeof date);
    snprintf(next, n, "chunk:%s", date);
}
