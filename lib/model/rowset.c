/*
 * rowset.c - records, arena, cursor and outcome of one parsed page (see rowset.h).
 *
 * The same JSON shape serves two readers: people (socialroi parse prints one record per line)
 * and PostgreSQL (the writer sends the records grouped by type to socialroi.ingest_page, which
 * reads them with jsonb_to_recordset). Integers are printed exactly; jsonb keeps them exact.
 */
#include "rowset.h"
#include "json.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_BLOCK 16384

struct arena_block {
    struct arena_block *next;
    size_t used, size;
    char data[];
};

struct rowset {
    struct record *recs;
    size_t n, cap;
    struct arena_block *arena;
    char *next;
    enum err_class err;
    char errmsg[512];
    int64_t retry_after_ms;
    unsigned warnings;
    bool refused;        /* rowset_set_refused_metric */
    char *refused_name;  /* NULL: unknown */
    char *refused_among; /* the metrics asked for */
    bool seen_set;
    int64_t seen;
};

struct rowset *rowset_new(void)
{
    struct rowset *rs = xcalloc(1, sizeof *rs);
    rs->retry_after_ms = -1;
    return rs;
}

void rowset_free(struct rowset *rs)
{
    if (!rs)
        return;
    while (rs->arena) {
        struct arena_block *b = rs->arena;
        rs->arena = b->next;
        free(b);
    }
    free(rs->recs);
    free(rs->next);
    free(rs->refused_name);
    free(rs->refused_among);
    free(rs);
}

void *rowset_alloc(struct rowset *rs, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (!rs->arena || rs->arena->size - rs->arena->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        struct arena_block *b = xmalloc(sizeof *b + size);
        b->next = rs->arena;
        b->used = 0;
        b->size = size;
        rs->arena = b;
    }
    void *p = rs->arena->data + rs->arena->used;
    rs->arena->used += n;
    memset(p, 0, n);
    return p;
}

const char *rowset_strndup(struct rowset *rs, const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = rowset_alloc(rs, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

const char *rowset_strdup(struct rowset *rs, const char *s)
{
    return s ? rowset_strndup(rs, s, strlen(s)) : NULL;
}

void rowset_add(struct rowset *rs, const struct record *r)
{
    rs->recs = xgrow(rs->recs, &rs->cap, rs->n + 1, sizeof *rs->recs);
    rs->recs[rs->n++] = *r;
}

size_t rowset_count(const struct rowset *rs)
{
    return rs->n;
}

const struct record *rowset_get(const struct rowset *rs, size_t i)
{
    return i < rs->n ? &rs->recs[i] : NULL;
}

void rowset_set_next(struct rowset *rs, const char *cursor)
{
    free(rs->next);
    rs->next = cursor ? xstrdup(cursor) : NULL;
}

void rowset_set_seen(struct rowset *rs, int64_t at_us)
{
    rs->seen_set = true;
    rs->seen = at_us;
}

bool rowset_seen(const struct rowset *rs, int64_t *at_us)
{
    *at_us = rs->seen;
    return rs->seen_set;
}

const char *rowset_next(const struct rowset *rs)
{
    return rs->next;
}

void rowset_set_error(struct rowset *rs, enum err_class cls, int64_t retry_after_ms,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rs->errmsg, sizeof rs->errmsg, fmt, ap);
    va_end(ap);
    rs->err = cls;
    rs->retry_after_ms = retry_after_ms;
}

enum err_class rowset_error(const struct rowset *rs, const char **msg, int64_t *retry_after_ms)
{
    if (msg)
        *msg = rs->errmsg;
    if (retry_after_ms)
        *retry_after_ms = rs->retry_after_ms;
    return rs->err;
}

void rowset_set_refused_metric(struct rowset *rs, const char *name, const char *among)
{
    free(rs->refused_name);
    free(rs->refused_among);
    rs->refused = true;
    rs->refused_name = name ? xstrdup(name) : NULL;
    rs->refused_among = among ? xstrdup(among) : NULL;
}

bool rowset_refused_metric(const struct rowset *rs, const char **name, const char **among)
{
    if (name)
        *name = rs->refused_name;
    if (among)
        *among = rs->refused_among;
    return rs->refused;
}

void rowset_add_warning(struct rowset *rs)
{
    rs->warnings++;
}

unsigned rowset_warnings(const struct rowset *rs)
{
    return rs->warnings;
}

const char *err_class_name(enum err_class c)
{
    static const char *const names[] = {
        [ERR_NONE] = "none",
        [ERR_THROTTLED] = "throttled",
        [ERR_QUOTA] = "quota",
        [ERR_AUTH] = "auth",
        [ERR_PERMISSION] = "permission",
        [ERR_BAD_REQUEST] = "bad_request",
        [ERR_NOT_FOUND] = "not_found",
        [ERR_TRANSIENT] = "transient",
        [ERR_MALFORMED] = "malformed",
        [ERR_VERSION] = "version",
    };
    return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "unknown";
}

const char *day_basis_name(enum day_basis b)
{
    return b == BASIS_PACIFIC ? "pacific" : b == BASIS_ACCOUNT_TZ ? "account_tz" : "utc";
}

/* ---- JSON output ---------------------------------------------------------------------------- */

static const char *const type_names[] = {
    [REC_METRIC] = "metric",
    [REC_SNAPSHOT] = "snapshot",
    [REC_CONTENT] = "content",
    [REC_CAMPAIGN] = "campaign",
    [REC_AD_DAILY] = "ad_daily",
    [REC_LEAD] = "lead",
    [REC_TOUCHPOINT] = "touchpoint",
    [REC_DEAL] = "deal",
    [REC_MENTION] = "mention",
    [REC_STAGE] = "stage",
    [REC_DEAL_CONTACT] = "deal_contact",
};
_Static_assert(sizeof type_names / sizeof type_names[0] == REC_DEAL_CONTACT + 1,
               "every record type has a name");
#define NTYPES (sizeof type_names / sizeof type_names[0])

static void kv_int(struct buf *b, const char *k, int64_t v)
{
    buf_printf(b, ",\"%s\":%lld", k, (long long)v);
}

static void kv_bool(struct buf *b, const char *k, bool v)
{
    buf_printf(b, ",\"%s\":%s", k, v ? "true" : "false");
}

static void kv_date(struct buf *b, const char *k, int32_t day)
{
    char d[16];
    time_format_date(day, d, sizeof d);
    buf_printf(b, ",\"%s\":\"%s\"", k, d);
}

/* 0 means unknown for timestamps: written as null */
static void kv_time(struct buf *b, const char *k, int64_t us)
{
    char t[40];
    if (!us) {
        buf_printf(b, ",\"%s\":null", k);
        return;
    }
    json_format_time(us, t, sizeof t);
    buf_printf(b, ",\"%s\":\"%s\"", k, t);
}

static void write_metric(struct buf *b, const struct rec_metric *m)
{
    json_write_member(b, "object", m->object);
    json_write_member(b, "metric", m->metric);
    kv_date(b, "day", m->day);
    json_write_member(b, "basis", day_basis_name(m->basis));
    kv_int(b, "value", m->value);
}

static void write_snapshot(struct buf *b, const struct rec_snapshot *s)
{
    json_write_member(b, "object", s->object);
    json_write_member(b, "metric", s->metric);
    kv_time(b, "observed_at", s->observed_at);
    kv_int(b, "value", s->value);
}

static void write_content(struct buf *b, const struct rec_content *c)
{
    json_write_member(b, "id", c->id);
    json_write_member(b, "kind", c->kind);
    kv_time(b, "published_at", c->published_at);
    json_write_member(b, "url", c->url);
    json_write_member(b, "title", c->title);
    json_write_member(b, "utm_campaign", c->utm_campaign);
}

static void write_campaign(struct buf *b, const struct rec_campaign *c)
{
    json_write_member(b, "id", c->id);
    json_write_member(b, "name", c->name);
    json_write_member(b, "status", c->status);
    json_write_member(b, "objective", c->objective);
}

static void write_ad_daily(struct buf *b, const struct rec_ad_daily *a)
{
    json_write_member(b, "campaign", a->campaign);
    kv_date(b, "day", a->day);
    json_write_member(b, "basis", day_basis_name(a->basis));
    json_write_member(b, "currency", a->currency);
    kv_int(b, "spend_micros", a->spend_micros);
    kv_int(b, "impressions", a->impressions);
    kv_int(b, "clicks", a->clicks);
    kv_int(b, "leads", a->leads);
    kv_int(b, "conversions", a->conversions);
    kv_int(b, "conversion_value_micros", a->conversion_value_micros);
}

static void write_lead(struct buf *b, const struct rec_lead *l)
{
    json_write_member(b, "id", l->id);
    json_write_member(b, "source", l->source);
    kv_time(b, "created_at", l->created_at);
    json_write_member(b, "email_hash", l->email_hash);
    json_write_member(b, "form", l->form);
    json_write_member(b, "campaign", l->campaign);
    json_write_member(b, "ad", l->ad);
    json_write_member(b, "lifecycle_stage", l->lifecycle_stage);
    kv_bool(b, "is_test", l->is_test);
}

static void write_touchpoint(struct buf *b, const struct rec_touchpoint *t)
{
    json_write_member(b, "id", t->id);
    json_write_member(b, "lead", t->lead);
    json_write_member(b, "kind", t->kind);
    kv_time(b, "occurred_at", t->occurred_at);
    json_write_member(b, "platform", t->platform);
    json_write_member(b, "campaign", t->campaign);
    json_write_member(b, "utm_source", t->utm_source);
    json_write_member(b, "utm_medium", t->utm_medium);
    json_write_member(b, "utm_campaign", t->utm_campaign);
    json_write_member(b, "utm_content", t->utm_content);
}

static void write_deal(struct buf *b, const struct rec_deal *d)
{
    json_write_member(b, "id", d->id);
    if (d->has_amount)
        kv_int(b, "amount_micros", d->amount_micros);
    else
        buf_puts(b, ",\"amount_micros\":null");
    json_write_member(b, "currency", d->currency[0] ? d->currency : NULL);
    json_write_member(b, "stage", d->stage);
    json_write_member(b, "pipeline", d->pipeline);
    kv_bool(b, "is_won", d->is_won);
    kv_bool(b, "is_closed", d->is_closed);
    kv_time(b, "created_at", d->created_at);
    kv_time(b, "closed_at", d->closed_at);
    buf_puts(b, ",\"contacts\":[");
    for (size_t i = 0; i < d->ncontacts; i++) {
        if (i)
            buf_puts(b, ",");
        json_write_str(b, d->contacts[i]);
    }
    buf_puts(b, "]");
}

static void write_mention(struct buf *b, const struct rec_mention *m)
{
    json_write_member(b, "id", m->id);
    json_write_member(b, "query", m->query);
    json_write_member(b, "author", m->author);
    json_write_member(b, "text", m->text);
    kv_time(b, "posted_at", m->posted_at);
    if (m->has_sentiment)
        buf_printf(b, ",\"sentiment\":%s%d.%03d", m->sentiment_milli < 0 ? "-" : "",
                   abs(m->sentiment_milli) / 1000, abs(m->sentiment_milli) % 1000);
    else
        buf_puts(b, ",\"sentiment\":null");
    if (m->followers >= 0)
        kv_int(b, "followers", m->followers);
    else
        buf_puts(b, ",\"followers\":null");
}

static void write_stage(struct buf *b, const struct rec_stage *s)
{
    json_write_member(b, "pipeline", s->pipeline);
    json_write_member(b, "stage", s->stage);
    json_write_member(b, "label", s->label);
    kv_bool(b, "is_won", s->is_won);
    kv_bool(b, "is_closed", s->is_closed);
}

static void write_deal_contact(struct buf *b, const struct rec_deal_contact *d)
{
    json_write_member(b, "deal", d->deal);
    json_write_member(b, "contact", d->contact);
}

static void write_record(struct buf *b, const struct record *r)
{
    buf_printf(b, "{\"type\":\"%s\"", type_names[r->type]);
    switch (r->type) {
    case REC_METRIC:
        write_metric(b, &r->u.metric);
        break;
    case REC_SNAPSHOT:
        write_snapshot(b, &r->u.snapshot);
        break;
    case REC_CONTENT:
        write_content(b, &r->u.content);
        break;
    case REC_CAMPAIGN:
        write_campaign(b, &r->u.campaign);
        break;
    case REC_AD_DAILY:
        write_ad_daily(b, &r->u.ad_daily);
        break;
    case REC_LEAD:
        write_lead(b, &r->u.lead);
        break;
    case REC_TOUCHPOINT:
        write_touchpoint(b, &r->u.touchpoint);
        break;
    case REC_DEAL:
        write_deal(b, &r->u.deal);
        break;
    case REC_MENTION:
        write_mention(b, &r->u.mention);
        break;
    case REC_STAGE:
        write_stage(b, &r->u.stage);
        break;
    case REC_DEAL_CONTACT:
        write_deal_contact(b, &r->u.deal_contact);
        break;
    }
    buf_puts(b, "}");
}

void rowset_write_jsonl(const struct rowset *rs, struct buf *out)
{
    for (size_t i = 0; i < rs->n; i++) {
        write_record(out, &rs->recs[i]);
        buf_puts(out, "\n");
    }
    if (rs->next) {
        buf_puts(out, "{\"type\":\"next\",\"cursor\":");
        json_write_str(out, rs->next);
        buf_puts(out, "}\n");
    }
}

void rowset_write_sql_json(const struct rowset *rs, struct buf *out)
{
    bool first_type = true;
    buf_puts(out, "{");
    for (size_t t = 0; t < NTYPES; t++) {
        bool first = true;
        for (size_t i = 0; i < rs->n; i++) {
            if (rs->recs[i].type != (enum rec_type)t)
                continue;
            if (first) {
                buf_printf(out, "%s\"%s\":[", first_type ? "" : ",", type_names[t]);
                first_type = false;
                first = false;
            } else {
                buf_puts(out, ",");
            }
            write_record(out, &rs->recs[i]);
        }
        if (!first)
            buf_puts(out, "]");
    }
    buf_puts(out, "}");
}
