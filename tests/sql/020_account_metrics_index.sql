-- 020_account_metrics_index.sql - the account-level daily metrics (object_id '') are found by
-- their partial index, not by reading every post's metrics.
BEGIN;
SELECT plan(2);

SELECT has_index('socialroi', 'metric_daily', 'metric_daily_account_level_idx',
                 ARRAY['account_id', 'metric', 'day'], 'metric_daily has the account-level index');

CREATE FUNCTION pg_temp.plan_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || q LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END
$$;

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, '');
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
SELECT 1, CASE WHEN i % 50 = 0 THEN '' ELSE 'post' || (i % 500) END, 'impressions',
       date '2026-01-01' + (i / 500), 'utc', i
  FROM generate_series(1, 50000) i
    ON CONFLICT DO NOTHING;
ANALYZE socialroi.metric_daily;
SELECT ok(pg_temp.plan_of($$SELECT account_id, day, sum(value) FROM socialroi.metric_daily
                             WHERE object_id = '' GROUP BY account_id, day$$)
          LIKE '%metric_daily_account_level_idx%',
          'what dashboard.channel_daily asks for reads the index, not the table');

SELECT * FROM finish();
ROLLBACK;
