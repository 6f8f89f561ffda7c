-- 026_metric_breaks.sql - dashboard.metric_breaks, read as the dashboard role: the seeded
-- registry of metric redefinitions, each with its date, platform, canonical metric, change and
-- source; a chart of a series finds the break on its day; the readers can read the view but
-- neither the table behind it nor write through the view.
BEGIN;
SELECT plan(12);

SET LOCAL ROLE socialroi_dashboard;

SELECT results_eq(
    $$SELECT platform, effective::text, metric FROM dashboard.metric_breaks
       ORDER BY effective, platform, metric$$,
    $$VALUES ('youtube', '2025-03-31', 'views'), ('instagram', '2025-04-21', 'views'),
             ('facebook', '2025-11-15', 'followers'), ('facebook', '2025-11-15', 'impressions'),
             ('facebook', '2026-06-15', 'reach'), ('youtube', '2026-08-27', 'views')$$,
    'the registry holds the redefinitions of Instagram and YouTube views, Facebook impressions, '
    'fans and reach, each on its day');
SELECT is_empty(
    $$SELECT * FROM dashboard.metric_breaks
       WHERE source_url !~ '^https://(developers\.facebook\.com|developers\.google\.com)/'
          OR length(change) < 80 OR platform_metrics = ''$$,
    'every break says what changed and cites the platform''s own page');
SELECT ok((SELECT platform_metrics LIKE '%impressions%' AND platform_metrics LIKE '%plays%'
             AND change LIKE 'views replaces impressions%'
             FROM dashboard.metric_breaks WHERE platform = 'instagram'),
          'Instagram views replaced impressions and plays');
SELECT ok((SELECT change LIKE '%engaged views%' FROM dashboard.metric_breaks
            WHERE platform = 'youtube' AND effective = '2025-03-31'),
          'YouTube Shorts views count every play; the old measure is engaged views');
SELECT ok((SELECT platform_metrics LIKE 'page_fans,%' FROM dashboard.metric_breaks
            WHERE platform = 'facebook' AND metric = 'followers'),
          'Facebook page fans retired on 2025-11-15');
SELECT ok((SELECT platform_metrics LIKE 'page_impressions_unique,%'
                  AND change LIKE '%page_total_media_view_unique%'
             FROM dashboard.metric_breaks WHERE platform = 'facebook' AND metric = 'reach'),
          'the unique-impressions family retired on 2026-06-15, reach continues as media views');

-- a chart of Instagram views over April 2025 says why the series jumps, on that day alone
SELECT results_eq(
    $$SELECT d::date::text, b.change IS NOT NULL
        FROM pg_catalog.generate_series('2025-04-19'::date, '2025-04-23'::date,
                                        '1 day'::interval) d
        LEFT JOIN dashboard.metric_breaks b
          ON b.platform = 'instagram' AND b.metric = 'views' AND b.effective = d::date
       ORDER BY 1$$,
    $$VALUES ('2025-04-19', false), ('2025-04-20', false), ('2025-04-21', true),
             ('2025-04-22', false), ('2025-04-23', false)$$,
    'a chart of views across 2025-04-21 finds the break on its day');

SELECT throws_ok($$SELECT count(*) FROM socialroi.metric_break$$, '42501', NULL,
                 'the dashboard role cannot read the table behind the view');
SELECT throws_ok($$INSERT INTO dashboard.metric_breaks VALUES
                   ('x', '2026-01-01', 'views', 'views', 'made up', 'https://example.com/')$$,
                 '42501', NULL, 'nor write through the view');
SELECT throws_ok($$DELETE FROM dashboard.metric_breaks$$, '42501', NULL,
                 'nor delete through it');

RESET ROLE;
SET LOCAL ROLE socialroi_finance;
SELECT is((SELECT count(*)::int FROM dashboard.metric_breaks), 6,
          'the finance role reads the view too');
RESET ROLE;

SELECT is(pg_catalog.obj_description('socialroi.metric_break'::regclass, 'pg_class') IS NOT NULL
          AND (SELECT bool_and(pg_catalog.col_description('socialroi.metric_break'::regclass,
                                                          a.attnum) IS NOT NULL)
                 FROM pg_catalog.pg_attribute a
                WHERE a.attrelid = 'socialroi.metric_break'::regclass AND a.attnum > 0
                  AND NOT a.attisdropped),
          true, 'the table and each of its columns have a comment');

SELECT * FROM finish();
ROLLBACK;
