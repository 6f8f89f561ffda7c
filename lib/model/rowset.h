/*
 * rowset.h - the normalized records one parsed page produces, and where they go next.
 *
 * An adapter's parse() appends records here; the writer takes the whole rowset (records, the
 * next-page cursor, the outcome) and commits it in one transaction. Every string lives in the
 * rowset's arena and is freed with it, so adapters never free individual strings.
 *
 * The record structs are plain data shared by adapters, writer and the parse command; they are
 * transparent on purpose (like libevent's *_struct.h). Pure data; not thread-safe.
 */
#ifndef SR_ROWSET_H
#define SR_ROWSET_H

#include "buf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum day_basis { BASIS_UTC, BASIS_ACCOUNT_TZ, BASIS_PACIFIC };

/* Error classes of reference §11, plus "malformed" for a body we could not read. */
enum err_class {
    ERR_NONE,
    ERR_THROTTLED,   /* short: wait for the reset and retry */
    ERR_QUOTA,       /* long: park until the quota window resets */
    ERR_AUTH,        /* token expired or revoked: refresh once, then needs_reauth */
    ERR_PERMISSION,  /* no retry */
    ERR_BAD_REQUEST, /* no retry */
    ERR_NOT_FOUND,   /* entity gone */
    ERR_TRANSIENT,   /* server trouble: retry with backoff */
    ERR_MALFORMED,   /* a body that is not valid for the stream: rejected, cursor kept */
    ERR_VERSION,     /* the configured API version is retired: no retry until the config changes */
};
#define ERR_LAST ERR_VERSION

enum rec_type {
    REC_METRIC,
    REC_SNAPSHOT,
    REC_CONTENT,
    REC_CAMPAIGN,
    REC_AD_DAILY,
    REC_LEAD,
    REC_TOUCHPOINT,
    REC_DEAL,
    REC_MENTION,
    REC_STAGE,        /* a CRM pipeline stage and whether it means won or lost */
    REC_DEAL_CONTACT, /* a deal associated with a contact (a lead of the same account) */
};

/* A daily amount of a delta metric (canonical name, DESIGN §4). object "" = account level. */
struct rec_metric {
    const char *object;
    const char *metric;
    int32_t day;
    enum day_basis basis;
    int64_t value;
};

/* A lifetime counter observed at a time; never summed. */
struct rec_snapshot {
    const char *object;
    const char *metric;
    int64_t observed_at; /* microseconds since the epoch, UTC */
    int64_t value;
};

struct rec_content {
    const char *id;
    const char *kind;                       /* post, tweet, video, pin, media, reel */
    int64_t published_at;                   /* 0 = unknown */
    const char *url, *title, *utm_campaign; /* may be NULL */
};

struct rec_campaign {
    const char *id;
    const char *name, *status, *objective; /* may be NULL */
};

struct rec_ad_daily {
    const char *campaign;
    int32_t day;
    enum day_basis basis;
    char currency[4];
    int64_t spend_micros, impressions, clicks, leads, conversions, conversion_value_micros;
};

struct rec_lead {
    const char *id;
    const char *source; /* "form" or "crm" */
    int64_t created_at;
    const char *email_hash, *form, *campaign, *ad, *lifecycle_stage; /* may be NULL */
    bool is_test;
};

struct rec_touchpoint {
    const char *id;
    const char *lead;
    const char *kind; /* form_submission, crm_first_source, crm_latest_source, ad_click */
    int64_t occurred_at;
    const char *platform, *campaign, *utm_source, *utm_medium, *utm_campaign, *utm_content;
};

struct rec_deal {
    const char *id;
    bool has_amount;
    int64_t amount_micros;
    char currency[4];
    const char *stage, *pipeline; /* may be NULL */
    bool is_won, is_closed;
    int64_t created_at, closed_at; /* closed_at 0 = open */
    const char **contacts;         /* lead ids, ncontacts of them */
    size_t ncontacts;
};

struct rec_mention {
    const char *id;
    const char *query, *author, *text; /* may be NULL but query */
    int64_t posted_at;
    bool has_sentiment;
    int32_t sentiment_milli; /* -1000..1000 */
    int64_t followers;       /* the author's followers when read; -1 when not given */
};

struct rec_stage {
    const char *pipeline, *stage, *label;
    bool is_won, is_closed;
};

struct rec_deal_contact {
    const char *deal, *contact;
};

struct record {
    enum rec_type type;
    union {
        struct rec_metric metric;
        struct rec_snapshot snapshot;
        struct rec_content content;
        struct rec_campaign campaign;
        struct rec_ad_daily ad_daily;
        struct rec_lead lead;
        struct rec_touchpoint touchpoint;
        struct rec_deal deal;
        struct rec_mention mention;
        struct rec_stage stage;
        struct rec_deal_contact deal_contact;
    } u;
};

struct rowset;

struct rowset *rowset_new(void);
void rowset_free(struct rowset *rs);

/* Copies s into the arena; NULL stays NULL. */
const char *rowset_strdup(struct rowset *rs, const char *s);
const char *rowset_strndup(struct rowset *rs, const char *s, size_t n);
/* Arena memory for small arrays (deal contacts); zeroed. */
void *rowset_alloc(struct rowset *rs, size_t n);

/* Appends a record (copied; its strings must already live in the arena or be static). */
void rowset_add(struct rowset *rs, const struct record *r);
size_t rowset_count(const struct rowset *rs);
const struct record *rowset_get(const struct rowset *rs, size_t i);

/* The opaque cursor of the next page, or NULL when this was the last page. Copied. */
void rowset_set_next(struct rowset *rs, const char *cursor);
const char *rowset_next(const struct rowset *rs);

/*
 * For streams read since a watermark: the latest modification time among the page's records in
 * the platform's own clock (epoch microseconds), 0 when the page had none. The job's next
 * watermark is then the latest time the platform reported, not the local clock, so a skewed
 * clock or a lagging search index cannot make it skip changes.
 */
void rowset_set_seen(struct rowset *rs, int64_t at_us);
bool rowset_seen(const struct rowset *rs, int64_t *at_us);

/*
 * Marks the page as an API error (or a malformed body). retry_after_ms >= 0 when the body or
 * headers said how long to wait. The message must not contain secrets.
 */
void rowset_set_error(struct rowset *rs, enum err_class cls, int64_t retry_after_ms,
                      const char *fmt, ...) __attribute__((format(printf, 4, 5)));
enum err_class rowset_error(const struct rowset *rs, const char **msg, int64_t *retry_after_ms);

/*
 * With an ERR_BAD_REQUEST: the platform refused one of the metrics the request asked for (a
 * retired or refused insights metric fails the whole call on Graph). name is that metric when
 * the answer says which; otherwise NULL, and among is the comma-separated list the request asked
 * for, in which the refused one must be found by asking fewer. Both are copied.
 */
void rowset_set_refused_metric(struct rowset *rs, const char *name, const char *among);
/* True when the page was such a refusal; name (NULL: unknown) and among as set. */
bool rowset_refused_metric(const struct rowset *rs, const char **name, const char **among);

/* Partial problems on a page that is otherwise fine (X errors[] beside data). */
void rowset_add_warning(struct rowset *rs);
unsigned rowset_warnings(const struct rowset *rs);

const char *err_class_name(enum err_class c);
const char *day_basis_name(enum day_basis b);

/* One JSON object per record, each on its own line (socialroi parse's output). */
void rowset_write_jsonl(const struct rowset *rs, struct buf *out);
/* A JSON array of the records of one type, in the writer's format (see sql/002_ingest.sql). */
void rowset_write_sql_json(const struct rowset *rs, struct buf *out);

#endif
