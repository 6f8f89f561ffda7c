/*
 * writer.h - writes fetched pages and failures to PostgreSQL, one transaction each.
 *
 * A page (its records, the cursor that produced them and the fetch record) is one call of
 * socialroi.ingest_page in a pipeline segment of its own, which PostgreSQL runs as one
 * transaction committed at the segment's sync. The callback runs only when the sync's answer
 * arrived: until then nothing is assumed written. Requests wait in a
 * FIFO while the database is away and are sent again after a reconnect (the upserts make a
 * repeat harmless), so nothing fetched is dropped silently; the only drops are a page the
 * database refuses twice and a page whose job lease was lost, both reported to the caller.
 * writer_congested() is the backpressure signal the scheduler obeys.
 *
 * Runs on the event loop; not thread-safe.
 */
#ifndef SR_WRITER_H
#define SR_WRITER_H

#include "rowset.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct pgconn;
struct writer;

enum write_outcome {
    WRITE_OK,
    WRITE_LEASE_LOST, /* another daemon owns the job now: the page was not kept */
    WRITE_FAILED,     /* the database refused it twice: logged, reported, dropped */
    WRITE_SHUTDOWN,   /* the writer was freed with the request still queued */
};

/* rows: facts written (inserted or changed); err: the reason for a failure (no secrets). */
typedef void writer_done_fn(void *arg, enum write_outcome out, int rows, const char *err);

struct writer_stats {
    uint64_t pages, failures_recorded, rows, retries, dropped, lease_lost;
    size_t queued, inflight;
};

/*
 * Writes through n connections (borrowed; they must outlive the writer): each job's requests
 * always go through the same one, chosen by its id, so a job's pages commit in order. high_water
 * is the most requests queued or in flight over all of them before writer_congested().
 */
struct writer *writer_new(struct pgconn *const *dbs, size_t n, size_t high_water);
/* Calls back WRITE_SHUTDOWN for everything still queued. NULL is a no-op. */
void writer_free(struct writer *w);

/* Whether the database may be written (connected and the schema checked). */
void writer_set_ready(struct writer *w, bool ready);
/* One of its connections came up: what waited for it is sent. */
void writer_connection_up(struct writer *w);

/*
 * Queues a page of job_id (leased by owner). Takes ownership of rs. cursor is the job state to
 * save with the rows, run is the fetch record as JSON (see socialroi.record_run), final ends the
 * run and next_in_s is when the next one is due.
 */
void writer_page(struct writer *w, int64_t job_id, const char *owner, struct rowset *rs,
                 const char *cursor, const char *run, bool final, double next_in_s,
                 writer_done_fn *cb, void *arg);
/* Queues a failed fetch: counted, lease released, cursor kept (or replaced when not NULL). */
void writer_failure(struct writer *w, int64_t job_id, const char *owner, const char *run,
                    double next_in_s, const char *cursor, writer_done_fn *cb, void *arg);

bool writer_congested(const struct writer *w);
bool writer_idle(const struct writer *w);
void writer_stats(const struct writer *w, struct writer_stats *out);

#endif
