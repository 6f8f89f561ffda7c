-- 037_mmm.sql - finance.mmm_panel, read as the finance role, equals the facts it was built
-- from: spend per channel (reporting currency, exact), impressions, clicks, won revenue and new
-- leads sum to what the fact tables hold; every week from the first to the last is there with
-- a row per channel and a KPI row, zeros in the weeks without data; weeks start on Monday.
-- finance.import_mmm stores a model's ROI once (same file: nothing new), refuses an unknown
-- channel or a bad number whole, and finance.channel_roi_mmm shows the MMM figure beside the
-- rule-based ones.
BEGIN;
SELECT plan(17);

\ir worlds/finance.sql

-- Beside the world: delivery figures, an ad day four weeks after the rest (the weeks between
-- hold nothing), organic engagements, a test lead (never counted).
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions, clicks)
VALUES (2, '222', '2026-02-02', 'utc', 'EUR', 3333333, 4000, 40),
       (1, '111', '2026-03-23', 'account_tz', 'USD', 7000000, 900, 9);
UPDATE socialroi.ad_daily SET impressions = 1000, clicks = 10
 WHERE account_id = 1 AND campaign_id = '111' AND day = '2026-02-01';
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
VALUES (3, '', 'engagements', '2026-02-03', 'utc', 12), (3, '', 'engagements', '2026-02-04', 'utc', 5);
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, is_test)
VALUES (1, 'test1', 'form', '2026-02-05 10:00Z', true);

-- The facts, summed straight from the tables (each row converted on its own day).
CREATE TEMP TABLE fact AS
SELECT a.platform AS channel,
       sum(socialroi.to_reporting(d.spend_micros, d.currency, d.day)) AS spend_micros,
       sum(d.impressions) AS impressions, sum(d.clicks) AS clicks
  FROM socialroi.ad_daily d JOIN socialroi.account a USING (account_id)
 GROUP BY a.platform;
CREATE TEMP TABLE kpi AS
SELECT (SELECT sum(socialroi.to_reporting(amount_micros, currency, (closed_at AT TIME ZONE 'UTC')::date))
          FROM socialroi.deal WHERE is_won) AS revenue_micros,
       (SELECT count(DISTINCT socialroi.person_key(account_id, lead_id, email_hash))
          FROM socialroi.lead WHERE NOT is_test) AS leads;
GRANT SELECT ON fact, kpi TO socialroi_finance;

SET LOCAL ROLE socialroi_finance;

SELECT set_eq($$SELECT channel, sum(spend_micros) AS s, sum(impressions) AS i, sum(clicks) AS c
                 FROM finance.mmm_panel WHERE kind = 'media' GROUP BY channel$$,
              $$SELECT channel, spend_micros, impressions, clicks FROM fact$$,
              'spend (reporting micros), impressions and clicks per channel: the fact tables''');
SELECT is((SELECT sum(spend) FROM finance.mmm_panel WHERE channel = 'linkedin'),
          14.666666::numeric, 'spend as an exact decimal (EUR 13.333333 at 1.10)');
SELECT is((SELECT sum(revenue_micros)::bigint FROM finance.mmm_panel WHERE kind = 'kpi'),
          (SELECT revenue_micros FROM kpi)::bigint, 'won revenue: the deals''');
SELECT is((SELECT sum(revenue_micros)::bigint FROM finance.mmm_panel WHERE kind = 'kpi'),
          1550000000::bigint, 'USD 1000 and EUR 500 at 1.10; lost deals left out');
SELECT is((SELECT pg_catalog.array_agg(u ORDER BY week, u) FROM finance.mmm_panel,
                  unnest(unconverted_currencies) u WHERE kind = 'kpi'),
          '{GBP,???}'::text[], 'won deals without a rate or a currency are named, not summed');
SELECT is((SELECT sum(leads) FROM finance.mmm_panel), (SELECT leads FROM kpi)::numeric,
          'new leads: each person once, test leads left out');
SELECT is((SELECT sum(organic_engagements) FROM finance.mmm_panel), 17::numeric,
          'organic engagements as a control');
SELECT is((SELECT count(*) FROM finance.mmm_panel WHERE EXTRACT(isodow FROM week) <> 1), 0::bigint,
          'weeks start on Monday');
SELECT is((SELECT row(min(week), max(week), count(DISTINCT week))::text FROM finance.mmm_panel),
          '(2026-01-26,2026-03-23,9)', 'every week from the first to the last');
SELECT is_empty($$SELECT week FROM finance.mmm_panel GROUP BY week
                   HAVING count(*) <> (SELECT count(DISTINCT channel) + 1 FROM finance.mmm_panel)$$,
                'each week a row per channel and a KPI row: no holes');
SELECT is((SELECT row(sum(spend_micros), sum(impressions), count(*))::text FROM finance.mmm_panel
            WHERE week = '2026-03-02' AND kind = 'media'),
          '(0,0,2)', 'a week without data is there, with zeros');

-- MMM results, as the finance role.
SELECT is((SELECT row(imported, channels)::text FROM finance.import_mmm('robyn-1', 'robyn',
              repeat('a', 64), '2026-01-01', '2026-03-31',
              '[{"channel":"facebook","roi":"2.5"},
                {"channel":"LinkedIn","roi":"0.8","roi_lower":"0.5","roi_upper":"1.1"}]')),
          '(t,2)', 'a model''s ROI per channel is stored');
SELECT is((SELECT row(imported, channels)::text FROM finance.import_mmm('robyn-1', 'robyn',
              repeat('a', 64), '2026-01-01', '2026-03-31', '[{"channel":"x","roi":"9"}]')),
          '(f,2)', 'the same file again changes nothing');
SELECT throws_ok($$SELECT * FROM finance.import_mmm('m2', 'generic', repeat('b', 64),
                     '2026-01-01', '2026-03-31',
                     '[{"channel":"x","roi":"1"},{"channel":"tv","roi":"1"}]')$$,
                 '22023', 'unknown channel "tv"', 'an unknown channel is refused');
SELECT throws_ok($$SELECT * FROM finance.import_mmm('m2', 'generic', repeat('b', 64),
                     '2026-01-01', '2026-03-31',
                     '[{"channel":"x","roi":"1"},{"channel":"facebook","roi":"high"}]')$$,
                 '22P02', NULL, 'a ROI that is not a number is refused');
SELECT is((SELECT row(c.roas, c.mmm_model, c.mmm_roi, c.mmm_roi_lower, c.mmm_roi_upper)::text
             FROM finance.channel_roi_mmm c
            WHERE month = '2026-02-01' AND channel = 'linkedin' AND model = 'linear'),
          (SELECT row(r.roas, 'robyn-1', 0.8, 0.5, 1.1)::text FROM finance.channel_roi r
            WHERE month = '2026-02-01' AND channel = 'linkedin' AND model = 'linear'),
          'channel_roi_mmm: the MMM figure beside the rule-based one, not added to it');
RESET ROLE;
SELECT is((SELECT count(*) FROM socialroi.mmm_run), 1::bigint,
          'refused files stored nothing');

SELECT * FROM finish();
ROLLBACK;
