/*
 * cursor.h - a job's progress, saved in socialroi.poll_job.cursor as JSON.
 *
 * A run of a job covers a window (windowed streams: from..to in the stream's day basis) or a
 * watermark (incremental streams: everything changed since `since`), page by page. The cursor
 * says how far the job got: the page to fetch next within the current run, the last day fully
 * fetched (done_through) and the start time of the last complete run or, for streams whose
 * pages report modification times, the latest of those (watermark). Because the
 * cursor commits with the rows of each page, a restart resumes where the last commit left off.
 *
 * Planning a new run re-polls a trailing lookback window, so days the platform restated are
 * fetched again; the first run reaches back `backfill`.
 *
 * An operator's backfill request (socialroi backfill, stored by socialroi.request_backfill as
 * "backfill": {from, to}) becomes the next run when none is under way: the range's days, or
 * for incremental streams everything since its first day. It is an ordinary run, page by page
 * with the cursor, so a crash resumes it mid-range; when it ends the range is kept as
 * "last_backfill" and done_through and the watermark never move backwards. Pure functions.
 */
#ifndef SR_CURSOR_H
#define SR_CURSOR_H

#include <stdbool.h>
#include <stdint.h>

struct job_cursor {
    bool in_run;          /* a run is under way: from/to/since/page describe it */
    int32_t from, to;     /* days since epoch, inclusive */
    int64_t since;        /* epoch microseconds, incremental streams */
    int64_t run_started;  /* epoch microseconds */
    char *page;           /* next page of the run, NULL for its first */
    int32_t done_through; /* last day fully fetched, or INT32_MIN */
    int64_t watermark;    /* start of the last complete run, or 0 */
    bool by_data;         /* this run's pages report modification times (cursor_saw) */
    int64_t seen;         /* the latest of them, or 0 */
    bool backfilling;     /* this run is an operator's backfill (from..to) */
    bool bf_pending;      /* a backfill was requested and has not started */
    int32_t bf_from, bf_to;
    bool bf_done; /* the last backfill finished: its range */
    int32_t bf_done_from, bf_done_to;
    /* metrics the platform refused (a retired insights metric fails the whole call on Graph),
     * comma-separated, never asked for again; kept across runs; NULL none */
    char *retired;
};

void cursor_init(struct job_cursor *c);
void cursor_free(struct job_cursor *c);
/* Parses saved JSON (NULL or "" is a fresh cursor); returns -1 for garbage (c is then fresh). */
int cursor_parse(const char *json, struct job_cursor *c);
/* The JSON to save; caller frees. */
char *cursor_format(const struct job_cursor *c);

/*
 * Starts a run unless one is under way: a pending backfill first (from..to as requested, since
 * = the start of its first day); otherwise to = today; from = the day after done_through, but
 * never later than today - lookback, and today - backfill on the first run; since = watermark -
 * lookback, or now - backfill on the first run.
 */
void cursor_plan(struct job_cursor *c, int32_t today, int64_t now_us, int64_t lookback_ms,
                 int64_t backfill_ms);
/* Whether name is an item of a comma-separated list of metrics (c->retired, a probe's). */
bool cursor_list_has(const char *list, const char *name);
/* Adds a refused metric to c->retired (once). */
void cursor_retire(struct job_cursor *c, const char *metric);

/* Records the next page of the run. */
void cursor_next_page(struct job_cursor *c, const char *page);
/* Records the latest modification time (platform clock, epoch us; 0 none) a page reported. */
void cursor_saw(struct job_cursor *c, int64_t at_us);
/*
 * Ends the run: done_through = to, no page; watermark = the latest modification the run saw
 * (unchanged when it saw none) when its pages report them, else the run's start. A backfill
 * run only moves them forward, and is remembered as the last backfill.
 */
void cursor_finish(struct job_cursor *c);

#endif
