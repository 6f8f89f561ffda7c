-- alert_eval.sql - fills a migrated database with :accounts accounts (X, LinkedIn, Facebook,
-- Pinterest in turn) of three jobs each, fresh (last success within 50 minutes), a month of
-- daily metrics for every account but X's with one day missing for one account in 50, and the
-- facts the daemon syncs; then times three socialroi.alert_evaluate() as the daemon role
-- (the first raises the data_gap and version alerts, the next two find them open) and each
-- detector once. Everything is rolled back. Run by tests/bench/alert_eval.sh.
BEGIN;
INSERT INTO socialroi.account (name, platform, external_id)
SELECT 'a' || i, (ARRAY['x', 'linkedin', 'facebook', 'pinterest'])[1 + i % 4], i::text
  FROM generate_series(1, :accounts) i;
INSERT INTO socialroi.poll_job (account_id, stream, poll_interval, lookback, daily_metrics,
                                last_success)
SELECT a.account_id, s, interval '1 hour', interval '1 day',
       s IN ('linkedin.org_stats', 'facebook.page_insights', 'pinterest.user_analytics'),
       now() - (a.account_id % 100) * interval '30 seconds'
  FROM socialroi.account a,
       LATERAL unnest(CASE a.platform
                      WHEN 'x' THEN ARRAY['x.user', 'x.tweets', 'x.mentions']
                      WHEN 'linkedin' THEN ARRAY['linkedin.org_stats', 'linkedin.ad_analytics',
                                                 'linkedin.leads']
                      WHEN 'facebook' THEN ARRAY['facebook.page_insights', 'facebook.posts',
                                                 'facebook.ads_insights']
                      ELSE ARRAY['pinterest.user_analytics', 'pinterest.ad_analytics'] END) s;
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
SELECT a.account_id, '', 'impressions', d::date, 'utc', 1
  FROM socialroi.account a,
       generate_series(current_date - 30, current_date - 1, interval '1 day') d
 WHERE a.platform <> 'x' AND (a.account_id % 50 <> 0 OR d::date <> current_date - 10);
SELECT socialroi.sync_alert_facts(jsonb_build_object(
    'versions', jsonb_build_array(jsonb_build_object(
        'platform', 'linkedin', 'family', 'linkedin', 'key', 'version', 'version', '202603',
        'title', 'LinkedIn-Version', 'sunset', current_date + 20, 'suggest', '202610',
        'warn_days', 30)),
    'streams', '[{"stream": "x.mentions", "platform": "x", "retention_days": 7},
                 {"stream": "linkedin.org_stats", "platform": "linkedin",
                  "api_family": "linkedin", "retention_days": 365},
                 {"stream": "pinterest.user_analytics", "platform": "pinterest",
                  "retention_days": 90}]'::jsonb,
    'listening', '[]'::jsonb));
ANALYZE;
SELECT format('%s jobs, %s metric rows', (SELECT count(*) FROM socialroi.poll_job),
              (SELECT count(*) FROM socialroi.metric_daily));
SET LOCAL ROLE socialroi_daemon;
CREATE TEMP TABLE timing (what text, ms numeric, result text);
DO $$
DECLARE
    t0 timestamptz;
    r record;
    k record;
    n bigint;
BEGIN
    FOR i IN 1..3 LOOP
        t0 := clock_timestamp();
        SELECT * INTO r FROM socialroi.alert_evaluate(now() + i * interval '1 second');
        INSERT INTO timing VALUES ('alert_evaluate ' || i,
            round((extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric, 1),
            format('raised %s, open %s', r.raised, r.active));
    END LOOP;
    FOR k IN SELECT DISTINCT detector FROM socialroi.alert_kind ORDER BY 1 LOOP
        t0 := clock_timestamp();
        EXECUTE format('SELECT count(*) FROM %s(now())', k.detector) INTO n;
        INSERT INTO timing VALUES (k.detector::text,
            round((extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric, 1),
            n || ' candidates');
    END LOOP;
END
$$;
SELECT format('%-40s %8s ms  %s', what, ms, result) FROM timing;
ROLLBACK;
