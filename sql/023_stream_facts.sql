-- What a stream is comes from its adapter's declaration, not from lists in SQL.
--
-- dashboard.data_health counted gaps for five streams named in a CASE: a stream added to an
-- adapter had to be added here too. The daemon now passes the stream's daily_metrics flag
-- with each job it syncs, and the views read it from the job.

ALTER TABLE socialroi.poll_job ADD COLUMN daily_metrics boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN socialroi.poll_job.daily_metrics IS
    'The stream delivers the account''s daily metrics (set by the daemon from its adapter).';

-- Until the daemon starts again and syncs its jobs, the jobs keep what the old CASE said.
UPDATE socialroi.poll_job SET daily_metrics = true
 WHERE stream IN ('facebook.page_insights', 'instagram.account_insights', 'linkedin.org_stats',
                  'youtube.analytics', 'pinterest.user_analytics');

DROP FUNCTION socialroi.sync_job(text, text, bigint, bigint, bigint);
CREATE FUNCTION socialroi.sync_job(p_account text, p_stream text, p_interval_ms bigint,
                                   p_lookback_ms bigint, p_backfill_ms bigint,
                                   p_daily_metrics boolean)
RETURNS TABLE (job_id bigint, due_in_s double precision, failures integer, account_state text,
               last_success_s double precision)
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    acc integer := socialroi.account_id(p_account);
BEGIN
    INSERT INTO socialroi.poll_job AS j (account_id, stream, poll_interval, lookback, backfill,
                                         daily_metrics)
    VALUES (acc, p_stream, pg_catalog.make_interval(secs => p_interval_ms / 1000.0),
            pg_catalog.make_interval(secs => p_lookback_ms / 1000.0),
            pg_catalog.make_interval(secs => p_backfill_ms / 1000.0), p_daily_metrics)
    ON CONFLICT (account_id, stream) DO UPDATE
       SET poll_interval = EXCLUDED.poll_interval, lookback = EXCLUDED.lookback,
           backfill = EXCLUDED.backfill, daily_metrics = EXCLUDED.daily_metrics, enabled = true,
           next_due = CASE WHEN j.poll_interval = EXCLUDED.poll_interval THEN j.next_due
                           ELSE LEAST(j.next_due - j.poll_interval + EXCLUDED.poll_interval,
                                      pg_catalog.now() + EXCLUDED.poll_interval) END
     WHERE (j.poll_interval, j.lookback, j.backfill, j.daily_metrics, j.enabled)
           IS DISTINCT FROM (EXCLUDED.poll_interval, EXCLUDED.lookback, EXCLUDED.backfill,
                             EXCLUDED.daily_metrics, true);
    RETURN QUERY
    SELECT j.job_id, pg_catalog.date_part('epoch', j.next_due - pg_catalog.now())::float8,
           j.failures, a.state, pg_catalog.date_part('epoch', j.last_success)::float8
      FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id)
     WHERE j.account_id = acc AND j.stream = p_stream;
END
$$;
REVOKE ALL ON FUNCTION socialroi.sync_job(text, text, bigint, bigint, bigint, boolean)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.sync_job(text, text, bigint, bigint, bigint, boolean)
    TO socialroi_daemon;

CREATE OR REPLACE VIEW socialroi.job_status AS
SELECT a.name AS account, a.platform, j.stream, a.state AS account_state, a.state_reason,
       j.enabled, j.last_success, pg_catalog.now() - j.last_success AS lag, j.failures,
       j.last_error_class, j.last_error, j.next_due, j.lease_owner, a.token_expires_at,
       j.daily_metrics
  FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id);

-- As in 006, the gaps counted for the jobs whose stream delivers daily metrics.
CREATE OR REPLACE VIEW dashboard.data_health AS
SELECT s.account, s.platform, s.stream, s.account_state, s.enabled, s.last_success,
       s.lag, s.failures, s.last_error_class, s.next_due, s.token_expires_at,
       CASE WHEN s.daily_metrics
            THEN 30 - (SELECT count(DISTINCT md.day)
                         FROM socialroi.metric_daily md JOIN socialroi.account a2
                           ON a2.account_id = md.account_id
                        WHERE a2.name = s.account AND md.object_id = ''
                          AND md.day >= (pg_catalog.now() AT TIME ZONE 'UTC')::date - 30
                          AND md.day < (pg_catalog.now() AT TIME ZONE 'UTC')::date)
       END AS gaps_30d
  FROM socialroi.job_status s;
