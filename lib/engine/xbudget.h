/*
 * xbudget.h - the X listening budget: how many posts the x.mentions search of an account may
 * still read today and this month, and the arithmetic of its UTC day and month.
 *
 * X bills each post the search returns, once per UTC day however often it is read that day
 * (docs.x.com, X API pricing: "deduplicated within a 24-hour UTC day window"). The database
 * counts what X bills (socialroi.x_read_budget, sql/027); an account's caps (x_posts_per_day,
 * x_posts_per_month, 0 = none) bound those billed posts. Before each page the engine asks
 * xbudget_left() what remains: a page asks for no more than that (X serves 10 to 100 posts a
 * page, so less than 10 left is a stop), and nothing left stops the search until the UTC day
 * or month turns. A page read counts at once as pending (as if every post of it were billed),
 * until the database answers with what it really billed: the budget is never overrun while
 * an answer is on its way.
 *
 * The arithmetic (struct xbudget and the functions on it) is pure: the day is passed in. The
 * engine's side (load, count, metrics) is at the end; it runs on the event loop.
 */
#ifndef SR_XBUDGET_H
#define SR_XBUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct acct_state;
struct buf;
struct ejob;
struct rowset;

#define XBUDGET_PAGE_MIN 10  /* X's smallest search page */
#define XBUDGET_PAGE_MAX 100 /* and its largest */
#define XBUDGET_NO_CAP   INT64_MAX

/* One account's posts billed, as the database last said, plus what is on its way there. */
struct xbudget {
    int32_t day;             /* UTC day (days since the epoch) of the figures below */
    int64_t billed_day;      /* posts billed that day */
    int64_t billed_month;    /* posts billed in that day's month, that day included */
    int64_t pending;         /* posts of pages read whose count the database has not answered */
    long cap_day, cap_month; /* the account's caps when it last ran (for /metrics); 0 = none */
    bool known;              /* the figures came from the database */
    bool stopped;            /* the search waits for its budget to turn */
};

/* Moves the figures to today: a new day starts at 0, a new month too (the month's figure
 * keeps the earlier days of the same month). Pending posts stay counted. */
void xbudget_roll(struct xbudget *b, int32_t today);

/* The database's figures for a day (after a load or a page's count); settled = the posts of
 * the page this answers, no longer pending. Figures of a day older than b's are ignored. */
void xbudget_set(struct xbudget *b, int32_t day, int64_t billed_day, int64_t billed_month,
                 int64_t settled);

/* Posts that may still be billed today under both caps (XBUDGET_NO_CAP when neither is set);
 * *by_month (may be NULL) says the month's cap is the tighter one. b rolled to today first. */
int64_t xbudget_left(struct xbudget *b, long cap_day, long cap_month, int32_t today,
                     bool *by_month);

/* The page size to ask for with left posts remaining: 0 = stop (less than a page of X),
 * otherwise XBUDGET_PAGE_MIN..XBUDGET_PAGE_MAX. */
int xbudget_page_size(int64_t left);

/* Epoch seconds when a stopped budget turns: the next 00:00 UTC, or with by_month the first
 * day of the next month at 00:00 UTC. */
int64_t xbudget_resets_at(int32_t today, bool by_month);

/* Parses a price per post ("0.005") into micro-units; -1 unless an exact non-negative decimal. */
int xbudget_price_micros(const char *text, int64_t *micros);

/* ---- the engine's side ------------------------------------------------------------------ */

/* Whether j is a search the budget counts (x.mentions). */
bool xbudget_applies(const struct ejob *j);
/* What the budget says before a page of j is asked for. */
enum xbudget_verdict {
    XBUDGET_GO,      /* not a search, no caps, or a page's worth left */
    XBUDGET_UNKNOWN, /* capped, but the database has not said what is billed: a failure */
    XBUDGET_STOP,    /* spent: no request; due again when it turns at *resets_at_s */
};
/* The verdict at now (epoch microseconds); msg says why for UNKNOWN and STOP (a STOP is
 * logged once here and marks the budget stopped for /metrics). */
enum xbudget_verdict xbudget_check(struct ejob *j, int64_t now, char *msg, size_t len,
                                   int64_t *resets_at_s);
/* Asks the database for the account's figures today (sent just before the job's claim, in a
 * pipeline segment of its own, so they are there when the claim answers and a failure of
 * theirs does not abort the claim). */
void xbudget_load(struct ejob *j);
/* Records a budget stop of j (fetch record run, due again in next_in_s), lease given back. */
void xbudget_record_stop(struct ejob *j, const char *run, double next_in_s);
/* Counts a page the search read: its post ids as pending now, and in the database. */
void xbudget_count(struct ejob *j, const struct rowset *rs);
/* Posts read today and the caps, per account that has a search, for /metrics. */
void xbudget_metrics(const struct acct_state *accts, struct buf *b);

#endif
