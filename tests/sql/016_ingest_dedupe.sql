-- 016_ingest_dedupe.sql - a lifetime counter observed again with the same value adds no row:
-- the series keeps the first observation of each value and when it was last seen, and the
-- views that difference or read the latest value answer as they did with one row per poll.
BEGIN;
SELECT plan(13);

SELECT socialroi.sync_account('acme-x', 'x', '42', 'USD', 'UTC', true, 'h1');

CREATE TEMP TABLE obs (at timestamptz, value bigint);
INSERT INTO obs VALUES ('2026-03-01 10:00Z', 100), ('2026-03-01 16:00Z', 100),
                       ('2026-03-02 10:00Z', 100), ('2026-03-03 10:00Z', 100),
                       ('2026-03-04 10:00Z', 105), ('2026-03-05 10:00Z', 105),
                       ('2026-03-06 10:00Z', 100);

-- What socialroi.snapshot_daily gave when every observation was a row: the expected answer.
CREATE TEMP TABLE expected AS
SELECT day, value, value - lag(value) OVER (ORDER BY day) AS delta
  FROM (SELECT DISTINCT ON ((at AT TIME ZONE 'UTC')::date) (at AT TIME ZONE 'UTC')::date AS day,
               value
          FROM obs ORDER BY (at AT TIME ZONE 'UTC')::date, at DESC) d;

CREATE FUNCTION pg_temp.observe(p_at timestamptz, p_value bigint) RETURNS integer
LANGUAGE sql AS $$
    SELECT socialroi.upsert_facts(1, jsonb_build_object('snapshot', jsonb_build_array(
        jsonb_build_object('object', '', 'metric', 'followers', 'observed_at', p_at,
                           'value', p_value))))
$$;

SELECT is(pg_temp.observe('2026-03-01 10:00Z', 100), 1, 'a first observation is stored');
SELECT is(pg_temp.observe('2026-03-01 16:00Z', 100), 0,
          'the same value observed again writes no fact');
SELECT is((SELECT count(*)::int FROM socialroi.metric_snapshot), 1, 'and adds no row');
SELECT is((SELECT last_seen FROM socialroi.metric_snapshot), '2026-03-01 16:00Z'::timestamptz,
          'the row says when the value was last seen');
SELECT is(pg_temp.observe('2026-03-01 16:00Z', 100), 0, 'the same observation twice: nothing');

SELECT pg_temp.observe(at, value) FROM obs WHERE at > '2026-03-01 16:00Z' ORDER BY at;
SELECT is((SELECT array_agg(value ORDER BY observed_at) FROM socialroi.metric_snapshot),
          ARRAY[100, 105, 100]::bigint[], 'a changed value is a new row, each change once');
SELECT is((SELECT value FROM socialroi.metric_snapshot ORDER BY observed_at DESC LIMIT 1),
          100::bigint, 'the latest value is the latest observation''s');

SELECT results_eq('SELECT day, value, delta FROM socialroi.snapshot_daily ORDER BY day',
                  'SELECT day, value, delta FROM expected ORDER BY day',
                  'snapshot_daily gives the days and differences one row per poll gave');
SELECT is((SELECT sum(delta)::bigint FROM socialroi.snapshot_daily), 0::bigint,
          'growth over the whole series is still last minus first');

-- A value observed at the very time of a stored one replaces it, as before.
SELECT is(pg_temp.observe('2026-03-06 10:00Z', 101), 1, 'a corrected observation is updated');

-- Rows stored one per poll before fold into the first of each value, with the same answers.
DELETE FROM socialroi.metric_snapshot;
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
SELECT 1, '', 'followers', at, value FROM obs;
SELECT is(socialroi.compact_snapshots(), 4, 'compacting removes the repeated observations');
SELECT is((SELECT array_agg(value || '@' || to_char(observed_at AT TIME ZONE 'UTC', 'DD') || '..' ||
                            to_char(COALESCE(last_seen, observed_at) AT TIME ZONE 'UTC', 'DD')
                            ORDER BY observed_at) FROM socialroi.metric_snapshot),
          ARRAY['100@01..03', '105@04..05', '100@06..06'],
          'each value kept once, seen until its last repeat');
SELECT results_eq('SELECT day, value, delta FROM socialroi.snapshot_daily ORDER BY day',
                  'SELECT day, value, delta FROM expected ORDER BY day',
                  'and snapshot_daily answers as before');

SELECT * FROM finish();
ROLLBACK;
