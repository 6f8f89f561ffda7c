-- 016_ingest_dedupe.sql: a snapshot is stored when its value changes, not on every poll.
--
-- A lifetime counter observed again with the value it already had (a refetch of the same
-- window, a post nobody touched since) used to add one row per poll. Now the series keeps the
-- first observation of each value, and last_seen says until when that value was still
-- observed. socialroi.snapshot_daily reads a row as holding on every day from observed_at to
-- last_seen, so the days it reports and their differences are the ones the repeated rows gave.

ALTER TABLE socialroi.metric_snapshot ADD COLUMN last_seen timestamptz;
COMMENT ON COLUMN socialroi.metric_snapshot.last_seen IS
    'the latest observation of the same value (observed again without a new row); NULL: observed once';

-- Folds repeated observations into the first row of their value (the series as the page
-- writer below keeps it); returns the number of rows removed. Run once here for the rows
-- stored before.
CREATE FUNCTION socialroi.compact_snapshots() RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    c integer;
BEGIN
    WITH runs AS (
        SELECT account_id, object_id, metric, observed_at, last_seen,
               value IS NOT DISTINCT FROM pg_catalog.lag(value) OVER w AS repeat
          FROM socialroi.metric_snapshot
        WINDOW w AS (PARTITION BY account_id, object_id, metric ORDER BY observed_at)),
    groups AS (
        SELECT *, pg_catalog.count(*) FILTER (WHERE NOT repeat)
                      OVER (PARTITION BY account_id, object_id, metric ORDER BY observed_at) AS g
          FROM runs),
    spans AS (
        SELECT account_id, object_id, metric, pg_catalog.min(observed_at) AS first_at,
               pg_catalog.max(observed_at) AS last_at,
               pg_catalog.max(COALESCE(last_seen, observed_at)) AS seen
          FROM groups GROUP BY account_id, object_id, metric, g HAVING pg_catalog.count(*) > 1),
    kept AS (
        UPDATE socialroi.metric_snapshot s SET last_seen = p.seen
          FROM spans p
         WHERE (s.account_id, s.object_id, s.metric, s.observed_at) =
               (p.account_id, p.object_id, p.metric, p.first_at))
    DELETE FROM socialroi.metric_snapshot s
     USING spans p
     WHERE (s.account_id, s.object_id, s.metric) = (p.account_id, p.object_id, p.metric)
       AND s.observed_at > p.first_at AND s.observed_at <= p.last_at;
    GET DIAGNOSTICS c = ROW_COUNT;
    RETURN c;
END
$$;

SELECT socialroi.compact_snapshots();

-- Snapshots of one page: a value equal to the latest stored one at or before its time only
-- moves that row's last_seen (not counted: no fact changed); any other value is a new row.
-- Duplicate keys inside one page keep the last one.
CREATE FUNCTION socialroi.upsert_snapshots(acc integer, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    c integer;
BEGIN
    WITH r AS (
        SELECT DISTINCT ON (r.object, r.metric, r.observed_at)
               r.object, r.metric, r.observed_at, r.value
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'snapshot')
                          AS (object text, metric text, observed_at timestamptz, value bigint))
               WITH ORDINALITY AS r(object, metric, observed_at, value, ord)
         ORDER BY r.object, r.metric, r.observed_at, r.ord DESC),
    prev AS (
        SELECT r.*, p.observed_at AS prev_at, p.value AS prev_value
          FROM r LEFT JOIN LATERAL (
                   SELECT s.observed_at, s.value FROM socialroi.metric_snapshot s
                    WHERE s.account_id = acc AND s.object_id = r.object AND s.metric = r.metric
                      AND s.observed_at <= r.observed_at
                    ORDER BY s.observed_at DESC LIMIT 1) p ON true),
    seen AS (
        UPDATE socialroi.metric_snapshot s
           SET last_seen = GREATEST(s.last_seen, prev.observed_at)
          FROM prev
         WHERE prev.prev_value = prev.value AND prev.prev_at < prev.observed_at
           AND (s.account_id, s.object_id, s.metric, s.observed_at) =
               (acc, prev.object, prev.metric, prev.prev_at))
    INSERT INTO socialroi.metric_snapshot AS s (account_id, object_id, metric, observed_at, value)
    SELECT acc, prev.object, prev.metric, prev.observed_at, prev.value
      FROM prev WHERE prev.prev_value IS DISTINCT FROM prev.value
    ON CONFLICT (account_id, object_id, metric, observed_at) DO UPDATE
       SET value = EXCLUDED.value WHERE s.value IS DISTINCT FROM EXCLUDED.value;
    GET DIAGNOSTICS c = ROW_COUNT;
    RETURN c;
END
$$;

-- The page writer, with snapshots stored only when they change.
CREATE OR REPLACE FUNCTION socialroi.upsert_facts(acc integer, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    n integer := 0;
    c integer;
BEGIN
    -- Duplicate keys inside one page (a platform listing a post twice) keep the last one:
    -- ON CONFLICT cannot touch a row twice in one statement.
    INSERT INTO socialroi.metric_daily AS m (account_id, object_id, metric, day, day_basis, value)
    SELECT DISTINCT ON (r.object, r.metric, r.day) acc, r.object, r.metric, r.day, r.basis, r.value
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'metric')
                      AS (object text, metric text, day date, basis text, value bigint))
           WITH ORDINALITY AS r(object, metric, day, basis, value, ord)
     ORDER BY r.object, r.metric, r.day, r.ord DESC
    ON CONFLICT (account_id, object_id, metric, day) DO UPDATE
       SET value = EXCLUDED.value, day_basis = EXCLUDED.day_basis
     WHERE (m.value, m.day_basis) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.day_basis);
    GET DIAGNOSTICS c = ROW_COUNT;
    n := n + c;

    n := n + socialroi.upsert_snapshots(acc, p_rows);

    INSERT INTO socialroi.content AS t (account_id, content_id, kind, published_at, url, title,
                                        utm_campaign)
    SELECT DISTINCT ON (r.id) acc, r.id, r.kind, r.published_at, r.url, r.title, r.utm_campaign
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'content')
                      AS (id text, kind text, published_at timestamptz, url text, title text,
                          utm_campaign text))
           WITH ORDINALITY AS r(id, kind, published_at, url, title, utm_campaign, ord)
     ORDER BY r.id, r.ord DESC
    ON CONFLICT (account_id, content_id) DO UPDATE
       SET kind = EXCLUDED.kind, published_at = EXCLUDED.published_at, url = EXCLUDED.url,
           title = EXCLUDED.title, utm_campaign = EXCLUDED.utm_campaign
     WHERE (t.kind, t.published_at, t.url, t.title, t.utm_campaign) IS DISTINCT FROM
           (EXCLUDED.kind, EXCLUDED.published_at, EXCLUDED.url, EXCLUDED.title,
            EXCLUDED.utm_campaign);
    GET DIAGNOSTICS c = ROW_COUNT;
    n := n + c;

    n := n + socialroi.upsert_ads(acc, p_rows);
    n := n + socialroi.upsert_people(acc, p_rows);
    n := n + socialroi.upsert_crm(acc, p_rows);
    RETURN n;
END
$$;

-- The last value of each day an object's counter was observed on, and its change since the
-- previous such day: a row holds its value from observed_at through last_seen.
CREATE OR REPLACE VIEW socialroi.snapshot_daily AS
SELECT account_id, object_id, metric, day, value,
       value - pg_catalog.lag(value) OVER (PARTITION BY account_id, object_id, metric ORDER BY day)
           AS delta
  FROM (SELECT DISTINCT ON (s.account_id, s.object_id, s.metric, d.day)
               s.account_id, s.object_id, s.metric, d.day::date AS day, s.value
          FROM socialroi.metric_snapshot s
         CROSS JOIN LATERAL pg_catalog.generate_series(
                   (s.observed_at AT TIME ZONE 'UTC')::date,
                   (COALESCE(s.last_seen, s.observed_at) AT TIME ZONE 'UTC')::date,
                   interval '1 day') AS d(day)
         ORDER BY s.account_id, s.object_id, s.metric, d.day, s.observed_at DESC) last_of_day;

GRANT EXECUTE ON FUNCTION socialroi.upsert_snapshots(integer, jsonb) TO socialroi_daemon;
