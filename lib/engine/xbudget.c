/*
 * xbudget.c - the X listening budget (see xbudget.h): the arithmetic of its UTC day and month,
 * then the engine's side (the figures from and to the database, /metrics). Runs on the event
 * loop, not thread-safe.
 */
#include "xbudget.h"
#include "buf.h"
#include "dbsql.h"
#include "job.h"
#include "health.h"
#include "log.h"
#include "metrics.h"
#include "money.h"
#include "pgconn.h"
#include "timeutil.h"
#include "xmalloc.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arithmetic ------------------------------------------------------------------------- */

static bool same_month(int32_t a, int32_t b)
{
    int ya, yb;
    unsigned ma, mb, d;
    time_civil_from_days(a, &ya, &ma, &d);
    time_civil_from_days(b, &yb, &mb, &d);
    return ya == yb && ma == mb;
}

void xbudget_roll(struct xbudget *b, int32_t today)
{
    if (!b->known || today <= b->day)
        return;
    if (!same_month(b->day, today))
        b->billed_month = 0;
    b->billed_day = 0;
    b->day = today;
}

void xbudget_set(struct xbudget *b, int32_t day, int64_t billed_day, int64_t billed_month,
                 int64_t settled)
{
    b->pending -= settled;
    if (b->pending < 0)
        b->pending = 0;
    if (b->known && day < b->day)
        return; /* an answer about a day that has since turned */
    b->day = day;
    b->billed_day = billed_day;
    b->billed_month = billed_month;
    b->known = true;
}

int64_t xbudget_left(struct xbudget *b, long cap_day, long cap_month, int32_t today, bool *by_month)
{
    int64_t left = XBUDGET_NO_CAP;
    bool month = false;
    xbudget_roll(b, today);
    if (cap_day > 0) {
        int64_t l = cap_day - b->billed_day - b->pending;
        left = l > 0 ? l : 0;
    }
    if (cap_month > 0) {
        int64_t l = cap_month - b->billed_month - b->pending;
        if (l < 0)
            l = 0;
        if (l < left) {
            left = l;
            month = true;
        }
    }
    if (by_month)
        *by_month = month;
    return left;
}

int xbudget_page_size(int64_t left)
{
    if (left < XBUDGET_PAGE_MIN)
        return 0;
    return left > XBUDGET_PAGE_MAX ? XBUDGET_PAGE_MAX : (int)left;
}

int64_t xbudget_resets_at(int32_t today, bool by_month)
{
    int32_t next = today + 1;
    if (by_month) {
        int y;
        unsigned m, d;
        time_civil_from_days(today, &y, &m, &d);
        next = m == 12 ? time_days_from_civil(y + 1, 1, 1) : time_days_from_civil(y, m + 1, 1);
    }
    return (int64_t)next * 86400;
}

int xbudget_price_micros(const char *text, int64_t *micros)
{
    size_t whole = strspn(text, "0123456789"), frac = 0;
    if (text[whole] == '.')
        frac = strspn(text + whole + 1, "0123456789");
    size_t len = whole + (text[whole] == '.' ? 1 + frac : 0);
    if (whole + frac == 0 || frac > 6 || text[len] != '\0')
        return -1;
    return money_parse_decimal(text, len, micros);
}

/* ---- the engine's side ------------------------------------------------------------------ */

bool xbudget_applies(const struct ejob *j)
{
    return strcmp(j->stream, "x.mentions") == 0;
}

/* The day and the two figures of an x_read_used / x_read_record row into b. */
static void take_row(struct acct_state *a, PGresult *res, const char *err, int64_t settled,
                     struct jobenv *e, const char *what)
{
    int32_t day;
    if (err || !res || PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
        time_parse_date(PQgetvalue(res, 0, 0), &day) < 0) {
        if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
            health_fail(e->health, "listening", what, err ? err : "unexpected answer");
        a->xb.pending -= settled; /* still counted, conservatively, until the next load */
        a->xb.billed_day += settled;
        a->xb.billed_month += settled;
        if (a->xb.pending < 0)
            a->xb.pending = 0;
        return;
    }
    health_ok(e->health, "listening");
    xbudget_set(&a->xb, day, strtoll(PQgetvalue(res, 0, 1), NULL, 10),
                strtoll(PQgetvalue(res, 0, 2), NULL, 10), settled);
}

/* A figure on its way from the database: the account and the posts of the page it counts. */
struct counting {
    struct jobenv *e;
    struct acct_state *a; /* lives as long as the engine, unlike a job (a reload frees it) */
    int64_t n;
};

/* One statement of ours answered: --once and a stop wait for the last of them. */
static void answered(struct jobenv *e)
{
    e->listening_inflight--;
    e->host.kick(e->host.arg);
}

static void loaded_cb(void *arg, PGresult *res, const char *err)
{
    struct counting *c = arg;
    struct jobenv *e = c->e;
    take_row(c->a, res, err, 0, e, "x_read_used");
    free(c);
    answered(e);
}

void xbudget_load(struct ejob *j)
{
    char at[32];
    struct counting *c = xmalloc(sizeof *c);
    *c = (struct counting){j->e, j->as, 0};
    j->as->xb.cap_day = j->acct->x_posts_per_day;
    j->as->xb.cap_month = j->acct->x_posts_per_month;
    snprintf(at, sizeof at, "%.6f", (double)time_wall_us() / 1e6);
    const char *p[2] = {j->account, at};
    if (pgconn_query(j->e->db, dbsql_x_read_used, 2, p, loaded_cb, c) < 0) {
        free(c); /* the claim sent next fails the same way */
        return;
    }
    j->e->listening_inflight++;
    pgconn_sync(j->e->db, NULL, NULL); /* a segment of its own: its error spares the claim */
}

enum xbudget_verdict xbudget_check(struct ejob *j, int64_t now, char *msg, size_t len,
                                   int64_t *resets_at_s)
{
    struct xbudget *b = &j->as->xb;
    long cap_day = j->acct->x_posts_per_day, cap_month = j->acct->x_posts_per_month;
    bool by_month;
    if (!xbudget_applies(j)) /* the account's other streams read no search */
        return XBUDGET_GO;
    b->stopped = false;
    if (cap_day <= 0 && cap_month <= 0)
        return XBUDGET_GO;
    if (!b->known) {
        snprintf(msg, len, "x listening budget unknown: the database did not answer");
        return XBUDGET_UNKNOWN;
    }
    int32_t today = time_utc_day(now);
    if (xbudget_page_size(xbudget_left(b, cap_day, cap_month, today, &by_month)) > 0)
        return XBUDGET_GO;
    int64_t resets = xbudget_resets_at(today, by_month);
    char day[16];
    time_format_date((int32_t)(resets / 86400), day, sizeof day);
    if (by_month)
        snprintf(msg, len,
                 "x listening budget reached: %lld of %ld posts this month (resets 00:00 UTC on "
                 "%s)",
                 (long long)(b->billed_month + b->pending), cap_month, day);
    else
        snprintf(msg, len, "x listening budget reached: %lld of %ld posts today (resets 00:00 UTC)",
                 (long long)(b->billed_day + b->pending), cap_day);
    log_notice("engine: %s account=%s stream=%s", msg, j->account, j->stream);
    b->stopped = true;
    *resets_at_s = resets;
    return XBUDGET_STOP;
}

static void stop_cb(void *arg, PGresult *res, const char *err)
{
    struct jobenv *e = arg;
    if (!err && res && PQresultStatus(res) == PGRES_TUPLES_OK)
        health_ok(e->health, "listening");
    else if (res && PQresultStatus(res) != PGRES_PIPELINE_ABORTED)
        health_fail(e->health, "listening", "x_budget_stop", err ? err : "unexpected answer");
    answered(e);
}

void xbudget_record_stop(struct ejob *j, const char *run, double next_in_s)
{
    char id[24], next[32];
    snprintf(id, sizeof id, "%lld", (long long)j->id);
    snprintf(next, sizeof next, "%.3f", next_in_s);
    const char *p[4] = {id, j->e->owner, run, next};
    if (pgconn_query(j->e->db, dbsql_x_budget_stop, 4, p, stop_cb, j->e) < 0)
        return;
    j->e->listening_inflight++;
    pgconn_sync(j->e->db, NULL, NULL);
}

static void counted_cb(void *arg, PGresult *res, const char *err)
{
    struct counting *c = arg;
    struct jobenv *e = c->e;
    take_row(c->a, res, err, c->n, e, "x_read_record");
    free(c);
    answered(e);
}

void xbudget_count(struct ejob *j, const struct rowset *rs)
{
    struct buf ids = {0};
    int64_t n = 0, price = 0;
    buf_puts(&ids, "{");
    for (size_t i = 0; i < rowset_count(rs); i++) {
        const struct record *r = rowset_get(rs, i);
        if (r->type != REC_MENTION)
            continue;
        /* ids are decimal snowflakes (x_tweet_id): no quoting needed in an array literal */
        buf_printf(&ids, "%s%s", n ? "," : "", r->u.mention.id);
        n++;
    }
    buf_puts(&ids, "}");
    if (xbudget_price_micros(j->acct->x_price_per_post, &price) < 0)
        price = 0; /* the config check refused such a value already */
    struct counting *c = xmalloc(sizeof *c);
    *c = (struct counting){j->e, j->as, n};
    j->as->xb.pending += n;
    char at[32], pr[24];
    snprintf(at, sizeof at, "%.6f", (double)time_wall_us() / 1e6);
    snprintf(pr, sizeof pr, "%" PRId64, price);
    const char *p[4] = {j->account, ids.data, pr, at};
    if (pgconn_query(j->e->db, dbsql_x_read_record, 4, p, counted_cb, c) < 0) {
        j->e->listening_inflight++; /* counted_cb answers it at once */
        counted_cb(c, NULL, "the database connection is down");
    } else {
        j->e->listening_inflight++;
        pgconn_sync(j->e->db, NULL, NULL);
    }
    buf_free(&ids);
}

void xbudget_metrics(const struct acct_state *accts, struct buf *b)
{
    static const struct {
        const char *name, *help;
    } fam[] = {
        {"socialroi_x_posts_read_today",
         "Distinct posts the X search read today (UTC day): what X bills."},
        {"socialroi_x_posts_read_today_cap", "x_posts_per_day of the account (0 = no cap)."},
        {"socialroi_x_posts_read_month", "Distinct posts per UTC day, summed over the month."},
        {"socialroi_x_posts_read_month_cap", "x_posts_per_month of the account (0 = no cap)."},
        {"socialroi_x_listening_budget_stopped",
         "1 while the X search waits for its budget to turn (not an error)."},
    };
    int32_t today = time_utc_day(time_wall_us());
    for (size_t f = 0; f < sizeof fam / sizeof fam[0]; f++) {
        metrics_family(b, fam[f].name, "gauge", fam[f].help);
        for (const struct acct_state *a = accts; a; a = a->next) {
            if (!a->xb.known)
                continue;
            struct xbudget x = a->xb;
            xbudget_roll(&x, today);
            int64_t v[] = {x.billed_day + x.pending, x.cap_day, x.billed_month + x.pending,
                           x.cap_month, x.stopped};
            metrics_i64(b, fam[f].name, v[f], "account", a->name, NULL);
        }
    }
}
