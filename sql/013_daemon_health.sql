-- 013_daemon_health.sql: what a running daemon cannot do, where socialroi status and the
-- dashboards can see it; the last success of each job handed back when jobs are synced; a
-- changed poll interval moves the job's next due time.

-- One row per failing component of a daemon (a statement that keeps failing: campaign sync,
-- job sync, claim, ingest, rollup, ...). The daemon inserts the row when the component starts
-- failing, updates it on each further failure and deletes it when the component works again.
CREATE TABLE socialroi.daemon_health (
    component       text NOT NULL,
    owner           text NOT NULL,
    failing_since   timestamptz NOT NULL DEFAULT pg_catalog.now(),
    failures        integer NOT NULL DEFAULT 1,
    last_error      text NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (component, owner)
);

-- Records the state of a daemon's component: p_error NULL means it works (the row goes).
CREATE FUNCTION socialroi.set_daemon_health(p_component text, p_owner text, p_error text,
                                            p_failures integer)
RETURNS void LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    IF p_error IS NULL THEN
        DELETE FROM socialroi.daemon_health WHERE component = p_component AND owner = p_owner;
        RETURN;
    END IF;
    INSERT INTO socialroi.daemon_health AS h (component, owner, failures, last_error)
    VALUES (p_component, p_owner, GREATEST(p_failures, 1), p_error)
    ON CONFLICT (component, owner) DO UPDATE
       SET failures = EXCLUDED.failures, last_error = EXCLUDED.last_error,
           updated_at = pg_catalog.now();
END
$$;

CREATE VIEW dashboard.daemon_health AS
SELECT component, owner, failing_since, failures, last_error, updated_at,
       pg_catalog.now() - failing_since AS failing_for
  FROM socialroi.daemon_health;

COMMENT ON VIEW dashboard.daemon_health IS
    'Components of running daemons that keep failing (one row each; none when all is well).';
COMMENT ON COLUMN dashboard.daemon_health.component IS
    'What fails: schema_check, account_sync, job_sync, job_notify, claim, ingest, record_failure, account_state, token_expiry, release_job, settings_sync, fx_sync, campaign_sync or rollup.';
COMMENT ON COLUMN dashboard.daemon_health.owner IS
    'The daemon: host and a fingerprint of its configuration file (as lease_owner in jobs).';
COMMENT ON COLUMN dashboard.daemon_health.failing_since IS
    'When the component started failing.';
COMMENT ON COLUMN dashboard.daemon_health.failures IS
    'Consecutive failed attempts since then.';
COMMENT ON COLUMN dashboard.daemon_health.last_error IS
    'The latest error, as the database or the daemon worded it.';
COMMENT ON COLUMN dashboard.daemon_health.updated_at IS
    'When the daemon last recorded a failure of the component.';
COMMENT ON COLUMN dashboard.daemon_health.failing_for IS
    'How long the component has been failing.';

-- ---- jobs: last success, interval changes -------------------------------------------------

-- The result gains last_success (epoch seconds, NULL before the first complete run), so the
-- daemon's metrics survive a restart; a changed interval moves next_due by the difference (and
-- never further than the new interval from now).
DROP FUNCTION socialroi.sync_job(text, text, bigint, bigint, bigint);
CREATE FUNCTION socialroi.sync_job(p_account text, p_stream text, p_interval_ms bigint,
                                   p_lookback_ms bigint, p_backfill_ms bigint)
RETURNS TABLE (job_id bigint, due_in_s double precision, failures integer, account_state text,
               last_success_s double precision)
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    acc integer := socialroi.account_id(p_account);
BEGIN
    INSERT INTO socialroi.poll_job AS j (account_id, stream, poll_interval, lookback, backfill)
    VALUES (acc, p_stream, pg_catalog.make_interval(secs => p_interval_ms / 1000.0),
            pg_catalog.make_interval(secs => p_lookback_ms / 1000.0),
            pg_catalog.make_interval(secs => p_backfill_ms / 1000.0))
    ON CONFLICT (account_id, stream) DO UPDATE
       SET poll_interval = EXCLUDED.poll_interval, lookback = EXCLUDED.lookback,
           backfill = EXCLUDED.backfill, enabled = true,
           next_due = CASE WHEN j.poll_interval = EXCLUDED.poll_interval THEN j.next_due
                           ELSE LEAST(j.next_due - j.poll_interval + EXCLUDED.poll_interval,
                                      pg_catalog.now() + EXCLUDED.poll_interval) END
     WHERE (j.poll_interval, j.lookback, j.backfill, j.enabled)
           IS DISTINCT FROM (EXCLUDED.poll_interval, EXCLUDED.lookback, EXCLUDED.backfill, true);
    RETURN QUERY
    SELECT j.job_id, pg_catalog.date_part('epoch', j.next_due - pg_catalog.now())::float8,
           j.failures, a.state, pg_catalog.date_part('epoch', j.last_success)::float8
      FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id)
     WHERE j.account_id = acc AND j.stream = p_stream;
END
$$;

-- Due times of the given jobs, read again when socialroi poll or backfill made them due
-- (NOTIFY socialroi_jobs).
CREATE FUNCTION socialroi.jobs_due(p_jobs bigint[])
RETURNS TABLE (job_id bigint, due_in_s double precision)
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT j.job_id, pg_catalog.date_part('epoch', j.next_due - pg_catalog.now())::float8
      FROM socialroi.poll_job j
     WHERE j.job_id = ANY (p_jobs) AND j.enabled
$$;

REVOKE ALL ON FUNCTION socialroi.set_daemon_health(text, text, text, integer),
    socialroi.sync_job(text, text, bigint, bigint, bigint), socialroi.jobs_due(bigint[])
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.set_daemon_health(text, text, text, integer),
    socialroi.sync_job(text, text, bigint, bigint, bigint), socialroi.jobs_due(bigint[])
    TO socialroi_daemon;
GRANT SELECT, INSERT, UPDATE, DELETE ON socialroi.daemon_health TO socialroi_daemon;
GRANT SELECT ON dashboard.daemon_health TO socialroi_dashboard, socialroi_finance, socialroi_daemon;
