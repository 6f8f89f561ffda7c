/*
 * dbsql.h - the text of every statement the daemon sends, except the writer's page and failure
 * transactions (writer.c): one place to read what the daemon asks of the database (the SQL
 * functions are the migrations'). Parameters are $1, $2, ... as each caller passes them.
 */
#ifndef SR_DBSQL_H
#define SR_DBSQL_H

/* the jobs' sync (engine.c) */
extern const char dbsql_sync_account[];
extern const char dbsql_sync_listening[];
extern const char dbsql_disable_jobs_except[];
extern const char dbsql_sync_job[];
extern const char dbsql_disable_accounts_except[];

/* jobs made due from outside: socialroi poll, backfill (engine.c) */
extern const char dbsql_jobs_channel[];
extern const char dbsql_listen_jobs[];
extern const char dbsql_jobs_due[];

/* a run: its lease, its account, its token and whether it renews (job.c, lease.c, refresh.c) */
extern const char dbsql_claim_job[];
extern const char dbsql_renew_lease[];
extern const char dbsql_release_job[];
extern const char dbsql_set_account_state[];
extern const char dbsql_set_token_expiry[];
extern const char dbsql_set_token_renewal[];

/* the X search's listening budget: what is billed, a page's posts, a stop (xbudget.c) */
extern const char dbsql_x_read_used[];
extern const char dbsql_x_read_record[];
extern const char dbsql_x_budget_stop[];

/* alert delivery: queue and claim a destination's events, record an attempt (alertsend.c) */
extern const char dbsql_alert_queue[];
extern const char dbsql_alert_claim[];
extern const char dbsql_alert_done[];

/* health (health.c), the schema version (dbschema.c), the session (pgconn.c) */
extern const char dbsql_set_daemon_health[];
extern const char dbsql_clear_daemon_health[];
extern const char dbsql_schema_exists[];
extern const char dbsql_schema_version[];
extern const char dbsql_set_search_path[];
extern const char dbsql_async_commit[];

/* the money side (lib/finance/rollup.c) */
extern const char dbsql_sync_settings[];
extern const char dbsql_sync_fx_static[];
extern const char dbsql_sync_campaigns[];
extern const char dbsql_import_fx[];
extern const char dbsql_rollup_dirty[];
extern const char dbsql_sync_alert_facts[];
extern const char dbsql_alert_evaluate[];
extern const char dbsql_alert_events[];
extern const char dbsql_alert_active[];

#endif
