-- 018_spend_set_based.sql - the batch spend rollup (socialroi.compute_spend_batch, used by
-- rollup_dirty) writes exactly the rows the per-bucket compute_spend of 005 wrote: platform
-- spend of several accounts, currencies and ad campaigns, configured fixed, monthly and
-- one-off lines in two currencies, days without any spend, a campaign without links. The
-- per-bucket function as 005 defined it is kept here, in pg_temp, as the reference.
BEGIN;
SELECT plan(5);

CREATE FUNCTION pg_temp.old_compute_spend(p_campaign integer, p_day date) RETURNS void
LANGUAGE sql SET search_path = '' AS $$
    DELETE FROM socialroi.rollup_spend WHERE campaign_id = p_campaign AND day = p_day;
    INSERT INTO socialroi.rollup_spend
    SELECT p_campaign, p_day, 'platform', a.platform, d.currency, sum(d.spend_micros),
           socialroi.to_reporting(sum(d.spend_micros)::bigint, d.currency, p_day),
           sum(d.impressions), sum(d.clicks), sum(d.leads), sum(d.conversions),
           sum(d.conversion_value_micros)
      FROM socialroi.campaign_link l
      JOIN socialroi.account a ON a.platform = l.platform
      JOIN socialroi.ad_daily d ON d.account_id = a.account_id AND d.campaign_id = l.value
     WHERE l.campaign_id = p_campaign AND l.kind = 'ad_campaign' AND d.day = p_day
     GROUP BY a.platform, d.currency;
    INSERT INTO socialroi.rollup_spend (campaign_id, day, source, platform, currency, micros,
                                        reporting_micros)
    SELECT p_campaign, p_day, 'configured', '', s.currency, s.micros,
           socialroi.to_reporting(s.micros, s.currency, p_day)
      FROM socialroi.configured_spend_daily s
     WHERE s.campaign_id = p_campaign AND s.day = p_day;
$$;

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, '');
SELECT socialroi.sync_account('fb2', 'facebook', '2', 'EUR', '', true, '');
SELECT socialroi.sync_account('li', 'linkedin', '3', 'EUR', '', true, '');
SELECT socialroi.sync_campaigns('[
  {"name":"launch","title":"Launch","start":"2026-01-20","end":"2026-03-10",
   "spend":[{"line":1,"kind":"monthly","amount_micros":3100000001,"currency":"USD","start":"2026-01-20","end":"2026-03-10"},
            {"line":2,"kind":"fixed","amount_micros":700000003,"currency":"EUR","start":"2026-02-03","end":"2026-02-09"},
            {"line":3,"kind":"oneoff","amount_micros":5000000,"currency":"USD","start":"2026-02-01","end":"2026-02-01"}],
   "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"},
            {"kind":"ad_campaign","platform":"facebook","value":"112"},
            {"kind":"ad_campaign","platform":"linkedin","value":"222"}]},
  {"name":"brand","title":"Brand","start":"2026-01-01","end":"2026-02-28",
   "spend":[{"line":1,"kind":"fixed","amount_micros":-999999,"currency":"USD","start":"2026-01-30","end":"2026-02-02"}],
   "links":[{"kind":"ad_campaign","platform":"linkedin","value":"223"}]},
  {"name":"quiet","title":"Quiet","start":"2026-02-01","end":"2026-02-05",
   "spend":[{"line":1,"kind":"monthly","amount_micros":100,"currency":"GBP","start":"2026-02-01","end":"2026-02-05"}],
   "links":[]}]');
INSERT INTO socialroi.fx_rate VALUES ('-infinity', 'EUR', 1.10, 'config'),
                                      ('2026-02-05', 'EUR', 1.15, 'ecb');
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions, clicks, leads, conversions, conversion_value_micros)
SELECT a, c, d::date, 'utc', CASE WHEN a = 1 THEN 'USD' ELSE 'EUR' END,
       (pg_catalog.hashtext(a || c || d) % 1000000 + 1000000)::bigint, 100, 10, 1, 1, 7000000
  FROM (VALUES (1, '111'), (1, '112'), (2, '111'), (3, '222'), (3, '223'), (3, '999')) x(a, c),
       pg_catalog.generate_series(timestamp '2026-01-25', '2026-03-05', '1 day') d
 WHERE pg_catalog.hashtext(a || c || d) % 5 <> 0;

-- Every bucket of every campaign over its whole range and a few days outside it.
CREATE TEMP TABLE buckets AS
SELECT c.campaign_id, d::date AS day
  FROM socialroi.campaign c,
       pg_catalog.generate_series(timestamp '2026-01-15', '2026-03-15', '1 day') d;

SELECT pg_temp.old_compute_spend(campaign_id, day) FROM buckets;
CREATE TEMP TABLE want AS SELECT * FROM socialroi.rollup_spend;
DELETE FROM socialroi.rollup_spend;

SELECT cmp_ok((SELECT count(*) FROM want WHERE source = 'configured'), '>', 60::bigint,
              'the reference has configured rows');
SELECT socialroi.compute_spend_batch(pg_catalog.array_agg(campaign_id), pg_catalog.array_agg(day))
  FROM buckets;
SELECT set_eq('SELECT * FROM socialroi.rollup_spend', 'SELECT * FROM want',
              'one batch of every bucket writes the rows the per-bucket function wrote');

DELETE FROM socialroi.rollup_spend;
SELECT socialroi.compute_spend(campaign_id, day) FROM buckets;
SELECT set_eq('SELECT * FROM socialroi.rollup_spend', 'SELECT * FROM want',
              'compute_spend, one bucket at a time, writes the same rows');

-- The rollup job in batches of 7 buckets gives what a rebuild gives.
DELETE FROM socialroi.rollup_spend;
DELETE FROM socialroi.dirty_spend;
DELETE FROM socialroi.dirty_conversion;
INSERT INTO socialroi.dirty_spend (campaign_id, day) SELECT campaign_id, day FROM buckets;
SELECT is((WITH RECURSIVE r(n) AS (SELECT socialroi.rollup_dirty(7)
                                   UNION ALL SELECT socialroi.rollup_dirty(7) FROM r WHERE n > 0)
           SELECT count(*)::int > 1 FROM r), true, 'the job drains the buckets in several batches');
SELECT set_eq('SELECT * FROM socialroi.rollup_spend', 'SELECT * FROM want',
              'the rollup job in batches writes the same rows');

SELECT * FROM finish();
ROLLBACK;
