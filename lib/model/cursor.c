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
    free(c->retired);
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

/* An optional {"from", "to"} range under key; *has tells whether it was there. */
static int read_range(const cJSON *o, const char *key, bool *has, int32_t *from, int32_t *to)
{
    const cJSON *r = json_get(o, key);
    *has = false;
    if (!r)
        return 0;
    const char *f, *t;
    if (!cJSON_IsObject(r) || json_str(r, "from", &f) != JSON_OK ||
        json_str(r, "to", &t) != JSON_OK || time_parse_date(f, from) < 0 ||
        time_parse_date(t, to) < 0)
        return -1;
    *has = true;
    return 0;
}

int cursor_parse(const char *json, struct job_cursor *c)
{
    char why[128];
    const char *page = NULL, *retired = NULL;
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
        json_bool(o, "in_run", &in_run) == JSON_BAD || json_str(o, "page", &page) == JSON_BAD ||
        json_str(o, "retired", &retired) == JSON_BAD ||
        json_bool(o, "backfilling", &c->backfilling) == JSON_BAD ||
        read_range(o, "backfill", &c->bf_pending, &c->bf_from, &c->bf_to) < 0 ||
        read_range(o, "last_backfill", &c->bf_done, &c->bf_done_from, &c->bf_done_to) < 0) {
        cJSON_Delete(o);
        cursor_init(c);
        return -1;
    }
    c->in_run = in_run;
    c->backfilling = in_run && c->backfilling;
    c->page = page ? xstrdup(page) : NULL;
    c->retired = retired && *retired ? xstrdup(retired) : NULL;
    cJSON_Delete(o);
    return 0;
}

static void put_day(struct buf *b, const char *key, int32_t day)
{
    char d[16];
    time_format_date(day, d, sizeof d);
    buf_printf(b, ",\"%s\":\"%s\"", key, d);
}

static void put_range(struct buf *b, const char *key, int32_t from, int32_t to)
{
    char f[16], t[16];
    time_format_date(from, f, sizeof f);
    time_format_date(to, t, sizeof t);
    buf_printf(b, ",\"%s\":{\"from\":\"%s\",\"to\":\"%s\"}", key, f, t);
}

char *cursor_format(const struct job_cursor *c)
{
    struct buf b = {0};
    buf_printf(&b, "{\"in_run\":%s", c->in_run ? "true" : "false");
    if (c->bf_pending)
        put_range(&b, "backfill", c->bf_from, c->bf_to);
    else if (c->backfilling && !c->in_run) /* a backfill run abandoned: ask for it again */
        put_range(&b, "backfill", c->from, c->to);
    if (c->bf_done)
        put_range(&b, "last_backfill", c->bf_done_from, c->bf_done_to);
    if (c->in_run) {
        if (c->backfilling)
            buf_puts(&b, ",\"backfilling\":true");
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
    if (c->retired) {
        buf_puts(&b, ",\"retired\":");
        json_write_str(&b, c->retired);
    }
    buf_puts(&b, "}");
    return buf_steal(&b, NULL);
}

bool cursor_list_has(const char *list, const char *name)
{
    size_t n = strlen(name);
    while (list && *list) {
        size_t len = strcspn(list, ",");
        if (len == n && strncmp(list, name, n) == 0)
            return true;
        list += len + (list[len] == ',');
    }
    return false;
}

void cursor_retire(struct job_cursor *c, const char *metric)
{
    if (cursor_list_has(c->retired, metric))
        return;
    char *r = c->retired ? xasprintf("%s,%s", c->retired, metric) : xstrdup(metric);
    free(c->retired);
    c->retired = r;
}

static void start_run(struct job_cursor *c, int64_t now_us)
{
    c->in_run = true;
    c->by_data = false;
    c->seen = 0;
    free(c->page);
    c->page = NULL;
    c->run_started = now_us;
}

/* The requested range as it is, not clamped to the lookback or backfill horizon: asking for it
 * is the point. */
static void start_backfill(struct job_cursor *c, int32_t today, int64_t now_us)
{
    start_run(c, now_us);
    c->backfilling = true;
    c->bf_pending = false;
    c->from = c->bf_from;
    c->to = c->bf_to < today ? c->bf_to : today;
    if (c->from > c->to)
        c->from = c->to;
    c->since = (int64_t)c->from * TIME_MS_PER_DAY * 1000;
}

void cursor_plan(struct job_cursor *c, int32_t today, int64_t now_us, int64_t lookback_ms,
                 int64_t backfill_ms)
{
    int32_t lookback_days = (int32_t)(lookback_ms / TIME_MS_PER_DAY);
    int32_t backfill_days = (int32_t)(backfill_ms / TIME_MS_PER_DAY);
    if (c->in_run)
        return;
    if (c->backfilling || c->bf_pending) {
        if (!c->bf_pending) { /* an abandoned backfill run starts over */
            c->bf_pending = true;
            c->bf_from = c->from;
            c->bf_to = c->to;
        }
        start_backfill(c, today, now_us);
        return;
    }
    start_run(c, now_us);
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
    if (c->backfilling) {
        c->bf_done = true;
        c->bf_done_from = c->from;
        c->bf_done_to = c->to;
        c->backfilling = false;
        if (c->done_through == NO_DAY || c->to > c->done_through)
            c->done_through = c->to;
        /* an incremental backfill read everything since its first day: as a normal run */
        int64_t mark = c->by_data ? c->seen : c->run_started;
        if (mark > c->watermark && c->watermark)
            c->watermark = mark;
    } else {
        c->done_through = c->to;
        if (!c->by_data)
            c->watermark = c->run_started;
        else if (c->seen > c->watermark)
            c->watermark = c->seen;
    }
    c->by_data = false;
    c->seen = 0;
    c->in_run = false;
    free(c->page);
    c->page = NULL;
}
