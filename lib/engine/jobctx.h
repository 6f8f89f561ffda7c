/*
 * jobctx.h - what a run of a job tells others (job.c): the adapter's context for its next
 * request, the fetch record socialroi.record_run stores with a page or a failure, and the
 * jobs' counters on /metrics.
 */
#ifndef SR_JOBCTX_H
#define SR_JOBCTX_H

#include "job.h"

#include <stdbool.h>
#include <stdint.h>

struct buf;

/* The job's current day at now (epoch microseconds), by its stream's day basis. */
int32_t job_today(const struct ejob *j, int64_t now);
/* The adapter's context for the job's next request: its cursor, token, budget, retired and
 * probed metrics. */
void job_ctx(const struct ejob *j, struct adapter_ctx *ctx);
/* The fetch record (malloc'd JSON); keep_lease adds lease_s: the run goes on. */
char *job_run_json(const struct ejob *j, const char *outcome, enum err_class cls, const char *err,
                   bool keep_lease);

/* The jobs' families on /metrics (pages, rows, errors by class, failures, last success), for
 * every job of the list through ejob.next. */
void job_metrics(const struct ejob *jobs, struct buf *b);

#endif
