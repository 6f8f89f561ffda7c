/*
 * cursor.c - job progress as JSON, and window planning (see cursor.h).
 */
#include "cursor.h"
#include "buf.h"
#include "json.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdlib.h>
#include <string.h>

#define NO_DAY INT32_MIN

void cursor_init(struct job_cursor *c)
{
    memset(c, 0, sizeof *c);
    c->done_through = NO_DAY;
}

void cursor_free(struct job_cursor *c)
{
    free(c->page);
    cursor_init(c);
}

static int read_day(const cJSON *o, const char *key, int32_t *day)
{
    const char *s;
    enum json_get g = json_str(o, key, &s);
    if (g == JSON_ABSENT)
        return 0;
    return g == JSON_OK && time_parse_date(s, day) == 0 ? 0 : -1;
}

int cursor_parse(const char *json, struct job_cursor *c)
{
    char why[128];
    const char *page = NULL;
    bool in_run = false;
    cursor_init(c);
    if (!json || !*json)
        return 0;
    cJSON *o = json_parse(json, strlen(json), why, sizeof why);
    if (!cJSON_IsObject(o) || read_day(o, "from", &c->from) < 0 || read_day(o, "to", &c->to) < 0 ||
        read_day(o, "done_through", &c->done_through) < 0 ||
        json_int(o, "since", &c->since) == JSON_BAD ||
        json_int(o, "run_started", &c->run_started) == JSON_BAD ||
        json_int(o, "watermark", &c->watermark) == JSON_BAD ||
        json_int(o, "seen", &c->seen) == JSON_BAD ||
        json_bool(o, "by_data", &c->by_data) == JSON_BAD ||
        json_bool(o, "in_run", &in_run) == JSON_BAD || json_str(o, "page", &page) == JSON_BAD) {
        cJSON_Delete(o);
        cursor_init(c);
        return -1;
    }
    c->in_run = in_run;
    c->page = page ? xstrdup(page) : NULL;
    cJSON_Delete(o);
    return 0;
}

static void put_day(struct buf *b, const char *key, int32_t day)
{
    char d[16];
    time_format_date(day, d, sizeof d);
    buf_printf(b, ",\"%s\":\"%s\"", key, d);
}

char *cursor_format(const struct job_cursor *c)
{
    struct buf b = {0};
    buf_printf(&b, "{\"in_run\":%s", c->in_run ? "true" : "false");
    if (c->in_run) {
        put_day(&b, "from", c->from);
        put_day(&b, "to", c->to);
        buf_printf(&b, ",\"since\":%lld,\"run_started\":%lld", (long long)c->since,
                   (long long)c->run_started);
        if (c->by_data)
            buf_printf(&b, ",\"by_data\":true,\"seen\":%lld", (long long)c->seen);
        if (c->page) {
            buf_puts(&b, ",\"page\":");
            json_write_str(&b, c->page);
        }
    }
    if (c->done_through != NO_DAY)
        put_day(&b, "done_through", c->done_through);
    if (c->watermark)
        buf_printf(&b, ",\"watermark\":%lld", (long long)c->watermark);
    buf_puts(&b, "}");
    return buf_steal(&b, NULL);
}

void cursor_plan(struct job_cursor *c, int32_t today, int64_t now_us, int64_t lookback_ms,
                 int64_t backfill_ms)
{
    int32_t lookback_days = (int32_t)(lookback_ms / TIME_MS_PER_DAY);
    int32_t backfill_days = (int32_t)(backfill_ms / TIME_MS_PER_DAY);
    if (c->in_run)
        return;
    c->in_run = true;
    c->by_data = false;
    c->seen = 0;
    free(c->page);
    c->page = NULL;
    c->run_started = now_us;
    c->to = today;
    if (c->done_through == NO_DAY) {
        c->from = today - backfill_days;
    } else {
        c->from = c->done_through + 1;
        if (c->from > today - lookback_days)
            c->from = today - lookback_days;
    }
    /* after a long outage, catch up at most as far as a first run would */
    int32_t horizon = today - (backfill_days > lookback_days ? backfill_days : lookback_days);
    if (c->from < horizon)
        c->from = horizon;
    if (c->from > today)
        c->from = today;
    c->since = c->watermark ? c->watermark - lookback_ms * 1000 : now_us - backfill_ms * 1000;
}

void cursor_next_page(struct job_cursor *c, const char *page)
{
    free(c->page);
    c->page = page ? xstrdup(page) : NULL;
}

void cursor_saw(struct job_cursor *c, int64_t at_us)
{
    c->by_data = true;
    if (at_us > c->seen)
        c->seen = at_us;
}

void cursor_finish(struct job_cursor *c)
{
    c->done_through = c->to;
    if (!c->by_data)
        c->watermark = c->run_started;
    else if (c->seen > c->watermark)
        c->watermark = c->seen;
    c->by_data = false;
    c->seen = 0;
    c->in_run = false;
    free(c->page);
    c->page = NULL;
}
