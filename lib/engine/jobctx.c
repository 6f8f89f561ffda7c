/*
 * jobctx.c - what a run of a job tells others: the adapter's context for its next request and
 * the fetch record of a page or a failure, and the jobs' counters on /metrics (see jobctx.h).
 */
#include "jobctx.h"
#include "buf.h"
#include "json.h"
#include "metrics.h"
#include "policy.h"
#include "refusal.h"
#include "timeutil.h"
#include "tokens.h"
#include "xbudget.h"

#include <stdio.h>
#include <string.h>

/* The job's "today" by its stream's basis (a platform's day, the account's time zone, UTC). */
int32_t job_today(const struct ejob *j, int64_t now)
{
    switch (j->def->basis) {
    case BASIS_PACIFIC:
        return time_today_in("America/Los_Angeles", now);
    case BASIS_ACCOUNT_TZ:
        return time_today_in(j->acct->timezone, now);
    default:
        return time_today_in("", now);
    }
}

void job_ctx(const struct ejob *j, struct adapter_ctx *ctx)
{
    memset(ctx, 0, sizeof *ctx);
    ctx->account = j->acct;
    ctx->platform = &j->e->cfg->platforms[j->acct->platform_id];
    ctx->stream = j->stream;
    ctx->access_token = tokens_access(j->e->tokens, j->acct->credential);
    ctx->email_salt = j->e->cfg->hashing.email_salt;
    ctx->page = j->cur.page;
    ctx->from_day = j->cur.from;
    ctx->to_day = j->cur.to;
    ctx->since = j->cur.since;
    ctx->full = !j->cur.watermark || j->cur.backfilling;
    ctx->now = time_wall_us();
    if (xbudget_applies(j)) /* a page no larger than the listening budget left */
        ctx->max_results = xbudget_page_size(xbudget_left(&j->as->xb, j->acct->x_posts_per_day,
                                                          j->acct->x_posts_per_month,
                                                          time_utc_day(ctx->now), NULL));
    ctx->retired = j->cur.retired;
    ctx->probe = refusal_probe(j);
}

/*
 * The fetch record socialroi.record_run stores (no secrets: messages come sanitized). keep_lease
 * adds lease_s: the page or failure it goes with keeps the job leased for that long, since the
 * run goes on (the next page, or a retry after a rate-limit wait); without it the lease is given
 * back with the record.
 */
char *job_run_json(const struct ejob *j, const char *outcome, enum err_class cls, const char *err,
                   bool keep_lease)
{
    struct buf b = {0};
    char from[16], to[16];
    time_format_date(j->cur.from, from, sizeof from);
    time_format_date(j->cur.to, to, sizeof to);
    buf_printf(&b, "{\"started_at\":%.6f,\"outcome\":\"%s\",\"pages\":1",
               (double)(j->cur.run_started ? j->cur.run_started : time_wall_us()) / 1e6, outcome);
    if (j->cur.in_run && j->def->windowed)
        buf_printf(&b, ",\"window_from\":\"%s\",\"window_to\":\"%s\"", from, to);
    if (j->http_status)
        buf_printf(&b, ",\"http_status\":%ld", j->http_status);
    if (cls != ERR_NONE)
        buf_printf(&b, ",\"error_class\":\"%s\"", err_class_name(cls));
    if (err) {
        char msg[300];
        snprintf(msg, sizeof msg, "%s", err);
        buf_puts(&b, ",\"error\":");
        json_write_str(&b, log_redact(msg));
    }
    if (keep_lease)
        buf_printf(&b, ",\"lease_s\":%lld", (long long)policy_lease_s(j->e->cfg->daemon.lease_ms));
    buf_puts(&b, "}");
    return buf_steal(&b, NULL);
}

/* ---- the jobs' counters ------------------------------------------------------------------- */

void job_metrics(const struct ejob *jobs, struct buf *b)
{
    metrics_family(b, "socialroi_job_pages_total", "counter", "Pages fetched and written.");
    for (const struct ejob *j = jobs; j; j = j->next)
        metrics_u64(b, "socialroi_job_pages_total", j->pages, "account", j->account, "stream",
                    j->stream, NULL);
    metrics_family(b, "socialroi_job_rows_total", "counter", "Facts inserted or changed.");
    for (const struct ejob *j = jobs; j; j = j->next)
        metrics_u64(b, "socialroi_job_rows_total", j->rows, "account", j->account, "stream",
                    j->stream, NULL);
    metrics_family(b, "socialroi_job_errors_total", "counter", "Failed fetches by error class.");
    for (const struct ejob *j = jobs; j; j = j->next)
        for (int c = ERR_THROTTLED; c <= ERR_LAST; c++)
            if (j->errors[c])
                metrics_u64(b, "socialroi_job_errors_total", j->errors[c], "account", j->account,
                            "stream", j->stream, "class", err_class_name((enum err_class)c), NULL);
    metrics_family(b, "socialroi_job_failures", "gauge", "Consecutive failures of a job.");
    for (const struct ejob *j = jobs; j; j = j->next)
        metrics_i64(b, "socialroi_job_failures", j->failures, "account", j->account, "stream",
                    j->stream, NULL);
    metrics_family(b, "socialroi_job_last_success_timestamp_seconds", "gauge",
                   "When a job last finished a run (as recorded in the database).");
    for (const struct ejob *j = jobs; j; j = j->next)
        if (j->last_success_wall)
            metrics_i64(b, "socialroi_job_last_success_timestamp_seconds", j->last_success_wall,
                        "account", j->account, "stream", j->stream, NULL);
}
