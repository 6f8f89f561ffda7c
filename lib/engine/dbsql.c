/*
 * dbsql.c - the daemon's statements (see dbsql.h).
 */
#include "dbsql.h"

/* ---- the jobs' sync (engine.c) */

const char dbsql_sync_account[] =
    "SELECT socialroi.sync_account($1, $2, $3, $4, $5, $6::boolean, $7)";
const char dbsql_sync_listening[] = "SELECT socialroi.sync_listening($1, $2::text[], $3::text[])";
const char dbsql_disable_jobs_except[] = "SELECT socialroi.disable_jobs_except($1, $2::text[])";
const char dbsql_sync_job[] =
    "SELECT job_id, due_in_s, failures, account_state, last_success_s FROM socialroi.sync_job($1, "
    "$2, $3::bigint, $4::bigint, $5::bigint, $6::boolean)";
const char dbsql_disable_accounts_except[] = "SELECT socialroi.disable_accounts_except($1::text[])";

/* ---- jobs made due from outside: socialroi poll, backfill (engine.c) */

const char dbsql_jobs_channel[] = "socialroi_jobs";
const char dbsql_listen_jobs[] = "LISTEN socialroi_jobs";
const char dbsql_jobs_due[] = "SELECT job_id, due_in_s FROM socialroi.jobs_due($1::bigint[])";

/* ---- a run: its lease, its account, its token (job.c, lease.c, refresh.c) */

const char dbsql_claim_job[] = "SELECT claimed, job_cursor, due_in_s, account_state, failures FROM "
                               "socialroi.claim_job($1::bigint, $2, $3::integer, $4::boolean)";
const char dbsql_renew_lease[] =
    "SELECT $1::bigint, socialroi.renew_lease($1::bigint, $2, $3::integer)";
const char dbsql_release_job[] = "SELECT socialroi.release_job($1::bigint, $2)";
const char dbsql_set_account_state[] = "SELECT socialroi.set_account_state($1, $2, $3, $4)";
const char dbsql_set_token_expiry[] = "SELECT socialroi.set_token_expiry($1, $2::float8)";
const char dbsql_set_token_renewal[] =
    "SELECT socialroi.set_token_renewal($1, $2::float8, $3::boolean)";

/* ---- the X search's listening budget (xbudget.c) */

const char dbsql_x_read_used[] =
    "SELECT day, billed_day, billed_month FROM socialroi.x_read_used($1, $2::float8)";
const char dbsql_x_read_record[] =
    "SELECT day, billed_day, billed_month FROM "
    "socialroi.x_read_record($1, $2::text[], $3::bigint, $4::float8)";
const char dbsql_x_budget_stop[] =
    "SELECT socialroi.x_budget_stop($1::bigint, $2, $3::jsonb, $4::float8)";

/* ---- alert delivery (alertsend.c) */

const char dbsql_alert_queue[] = "SELECT socialroi.alert_delivery_queue($1, $2::text[], $3, "
                                 "$4::boolean, $5::interval)";
const char dbsql_alert_claim[] =
    "SELECT event_id, attempts, event, severity, at, alert_id, kind, subject, message, title, "
    "runbook, first_seen, detail, instance FROM "
    "socialroi.alert_delivery_claim($1, $2::integer, $3::interval)";
const char dbsql_alert_done[] =
    "SELECT socialroi.alert_delivery_done($1, $2::bigint, $3, $4, $5::interval)";

/* ---- health (health.c), the schema version (dbschema.c), the session (pgconn.c) */

const char dbsql_set_daemon_health[] =
    "SELECT socialroi.set_daemon_health($1, $2, $3, $4::integer)";
const char dbsql_clear_daemon_health[] = "DELETE FROM socialroi.daemon_health WHERE owner = $1";
const char dbsql_schema_exists[] =
    "SELECT pg_catalog.to_regclass('socialroi.schema_migration') IS NOT NULL";
const char dbsql_schema_version[] = "SELECT max(version) FROM socialroi.schema_migration";
const char dbsql_set_search_path[] = "SELECT pg_catalog.set_config('search_path', $1, false)";
const char dbsql_async_commit[] =
    "SELECT pg_catalog.set_config('synchronous_commit', 'off', false)";

/* ---- the money side (lib/finance/rollup.c) */

const char dbsql_sync_settings[] = "SELECT socialroi.sync_settings($1, $2::numeric)";
const char dbsql_sync_fx_static[] = "SELECT socialroi.sync_fx_static($1::jsonb)";
const char dbsql_sync_campaigns[] = "SELECT socialroi.sync_campaigns($1::jsonb)";
const char dbsql_import_fx[] = "SELECT socialroi.import_fx($1::jsonb, $2, $3)";
const char dbsql_rollup_dirty[] = "SELECT socialroi.rollup_dirty($1::integer)";

/* ---- alerts (lib/finance/alerteval.c, on the rollup's connection) */

const char dbsql_sync_alert_facts[] = "SELECT socialroi.sync_alert_facts($1::jsonb)";
const char dbsql_alert_evaluate[] =
    "SELECT raised, resolved, active, failed FROM socialroi.alert_evaluate(pg_catalog.now())";
/* the events of the evaluation just sent: same segment, same transaction, same now() */
const char dbsql_alert_events[] =
    "SELECT e.event, a.kind, a.subject, e.severity, a.message FROM socialroi.alert_event e "
    "JOIN socialroi.alert a USING (alert_id) WHERE e.at = pg_catalog.now() ORDER BY e.event_id";
/* every kind and severity, 0 when none is open: a resolved alert's gauge drops to 0 */
const char dbsql_alert_active[] =
    "SELECT k.kind, s.severity, pg_catalog.count(a.alert_id) FROM socialroi.alert_kind k "
    "CROSS JOIN pg_catalog.unnest(ARRAY['info', 'warning', 'critical']) s(severity) "
    "LEFT JOIN socialroi.alert a ON a.kind = k.kind AND a.severity = s.severity "
    "AND a.resolved_at IS NULL GROUP BY 1, 2 ORDER BY 1, 2";
