-- 009_daemon_grants.sql: everything the daemon's code paths read, granted to socialroi_daemon.
--
-- 001 granted the tables of its day; views and functions made by later migrations were not
-- covered (campaign and FX sync read socialroi.configured_spend_daily, the rollup reads
-- socialroi.snapshot_daily), so a daemon holding only socialroi_daemon could not sync. The
-- default privileges below give objects that later migrations create (as the same migrating
-- role) the same grants; each migration still grants what it adds, and the deployment test
-- runs every code path as the roles a deployment uses.

GRANT SELECT ON ALL TABLES IN SCHEMA socialroi TO socialroi_daemon;
GRANT INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA socialroi TO socialroi_daemon;
REVOKE INSERT, UPDATE, DELETE ON socialroi.schema_migration FROM socialroi_daemon;
REVOKE INSERT, UPDATE, DELETE ON socialroi.job_status, socialroi.configured_spend_daily,
    socialroi.snapshot_daily FROM socialroi_daemon;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA socialroi TO socialroi_daemon;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA socialroi TO socialroi_daemon;

ALTER DEFAULT PRIVILEGES IN SCHEMA socialroi
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO socialroi_daemon;
ALTER DEFAULT PRIVILEGES IN SCHEMA socialroi
    GRANT USAGE, SELECT ON SEQUENCES TO socialroi_daemon;
ALTER DEFAULT PRIVILEGES IN SCHEMA socialroi
    GRANT EXECUTE ON FUNCTIONS TO socialroi_daemon;
ALTER DEFAULT PRIVILEGES IN SCHEMA dashboard
    GRANT SELECT ON TABLES TO socialroi_dashboard, socialroi_finance;
ALTER DEFAULT PRIVILEGES IN SCHEMA finance
    GRANT SELECT ON TABLES TO socialroi_finance;
