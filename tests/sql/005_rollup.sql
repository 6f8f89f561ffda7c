-- 005_rollup.sql - incremental rollups: a fact change marks its buckets dirty in the same
-- transaction, the rollup job recomputes only those, restated spend after a rollup is
-- corrected, and after a sequence of restatements the incremental result equals a full rebuild.
BEGIN;
SELECT plan(16);

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, '');
SELECT socialroi.sync_account('li', 'linkedin', '2', 'EUR', '', true, '');
SELECT socialroi.sync_campaigns('[{"name":"launch","title":"Launch","start":"2026-01-20","end":"2026-02-10",
    "budget_micros":10000000000,"budget_currency":"USD",
    "spend":[{"line":1,"kind":"monthly","amount_micros":3100000000,"currency":"USD","start":"2026-01-20","end":"2026-02-10"}],
    "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"},
             {"kind":"ad_campaign","platform":"linkedin","value":"222"},
             {"kind":"utm_campaign","platform":"","value":"launch"}]}]');
INSERT INTO socialroi.fx_rate VALUES ('-infinity', 'EUR', 1.10, 'config');
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros, impressions, clicks, leads)
VALUES (1, '111', '2026-01-31', 'account_tz', 'USD', 10000000, 1000, 10, 1),
       (1, '111', '2026-02-01', 'account_tz', 'USD', 20000000, 2000, 20, 2),
       (2, '222', '2026-02-01', 'utc', 'EUR', 10000000, 500, 5, 0),
       (1, '999', '2026-02-01', 'account_tz', 'USD', 99000000, 1, 1, 1);

SELECT cmp_ok((SELECT count(*) FROM socialroi.dirty_spend), '>', 0::bigint,
              'writing facts marks buckets dirty in the same transaction');
SELECT is((SELECT count(*)::int FROM socialroi.dirty_spend WHERE day = '2026-02-01'), 1,
          'one bucket per campaign and day, whatever the number of rows');
SELECT is(socialroi.rollup_dirty(10000) + socialroi.rollup_dirty(10000), 0, 'the rollup job drains the queue');
SELECT is((SELECT sum(reporting_micros) FROM socialroi.rollup_spend
            WHERE source = 'platform' AND day = '2026-02-01'), 31000000::numeric,
          'platform spend in USD: 20 USD + 10 EUR at 1.10 (the unlinked campaign is not the campaign''s)');
SELECT is((SELECT sum(reporting_micros) FROM socialroi.rollup_spend
            WHERE source = 'configured' AND day BETWEEN '2026-01-20' AND '2026-01-31'),
          1200000000::numeric, '12 of 31 January days of a 3100.00 retainer: 1200.00');
SELECT is((SELECT sum(reporting_micros) FROM socialroi.rollup_spend
            WHERE source = 'configured' AND day BETWEEN '2026-02-01' AND '2026-02-10'),
          1107142857::numeric, '10 of 28 February days: 1107.142857');
SELECT is((SELECT count(DISTINCT date_trunc('month', day)) FROM socialroi.rollup_spend)::int, 2,
          'the campaign spans a month boundary');

-- a restatement after the rollup: only its bucket is recomputed
UPDATE socialroi.ad_daily SET spend_micros = 25000000 WHERE campaign_id = '111' AND day = '2026-02-01';
SELECT is((SELECT array_agg(day) FROM socialroi.dirty_spend), ARRAY['2026-02-01'::date],
          'a restated day marks exactly its bucket');
SELECT socialroi.rollup_dirty(10000);
SELECT is((SELECT sum(reporting_micros) FROM socialroi.rollup_spend
            WHERE source = 'platform' AND day = '2026-02-01'), 36000000::numeric,
          'restated spend is corrected by the incremental rollup');

-- missing FX: the amount stays unconverted, never 1:1
DELETE FROM socialroi.fx_rate WHERE currency = 'EUR';
SELECT socialroi.rollup_dirty(10000);
SELECT is((SELECT reporting_micros FROM socialroi.rollup_spend
            WHERE platform = 'linkedin' AND day = '2026-02-01'), NULL,
          'without a rate, the converted amount is NULL');
SELECT is((SELECT unconverted FROM socialroi.campaign_spend_between('2026-02-01', '2026-02-01')),
          ARRAY['EUR'], 'and the currency is reported as unconverted');
INSERT INTO socialroi.fx_rate VALUES ('2026-01-01', 'EUR', 1.20, 'ecb');
SELECT socialroi.rollup_dirty(10000);
SELECT is((SELECT reporting_micros FROM socialroi.rollup_spend
            WHERE platform = 'linkedin' AND day = '2026-02-01'), 12000000::bigint,
          'a new rate converts it (the FX change marked the bucket)');

-- a sequence of restatements, config changes and new conversions; then rebuild
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash, campaign_id)
VALUES (1, 'l1', 'form', '2026-02-01 10:00Z', 'h1', '111');
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform, campaign_id)
VALUES (1, 't1', 'l1', 'form_submission', '2026-02-01 10:00Z', 'facebook', '111');
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed, created_at, closed_at)
VALUES (1, 'd1', 7000000, 'EUR', true, true, '2026-02-05Z', '2026-02-06Z');
INSERT INTO socialroi.deal_contact VALUES (1, 'd1', 'l1');
UPDATE socialroi.ad_daily SET spend_micros = spend_micros + 1, clicks = clicks + 1 WHERE day = '2026-01-31';
UPDATE socialroi.fx_rate SET rate = 1.25 WHERE currency = 'EUR';
SELECT socialroi.sync_campaigns('[{"name":"launch","title":"Launch","start":"2026-01-20","end":"2026-02-10",
    "budget_micros":10000000000,"budget_currency":"USD",
    "spend":[{"line":1,"kind":"fixed","amount_micros":500000000,"currency":"EUR","start":"2026-01-25","end":"2026-02-03"}],
    "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"},
             {"kind":"utm_campaign","platform":"","value":"launch"}]}]');
UPDATE socialroi.deal SET amount_micros = 8000000 WHERE deal_id = 'd1';
SELECT socialroi.rollup_dirty(10000);
SELECT socialroi.rollup_dirty(10000);
SELECT socialroi.rollup_dirty(10000);
CREATE TEMP TABLE inc_spend AS SELECT * FROM socialroi.rollup_spend;
CREATE TEMP TABLE inc_attr AS SELECT * FROM socialroi.attribution;
SELECT socialroi.rollup_rebuild();
SELECT is((SELECT count(*) FROM (SELECT * FROM inc_spend EXCEPT SELECT * FROM socialroi.rollup_spend) d)
        + (SELECT count(*) FROM (SELECT * FROM socialroi.rollup_spend EXCEPT SELECT * FROM inc_spend) d),
          0::bigint, 'incremental spend rollup equals a full rebuild');
SELECT is((SELECT count(*) FROM (SELECT * FROM inc_attr EXCEPT SELECT * FROM socialroi.attribution) d)
        + (SELECT count(*) FROM (SELECT * FROM socialroi.attribution EXCEPT SELECT * FROM inc_attr) d),
          0::bigint, 'incremental attribution equals a full rebuild');
SELECT is((SELECT count(*)::int FROM socialroi.rollup_spend WHERE platform = 'linkedin'), 0,
          'an unlinked platform campaign leaves the campaign''s spend');
SELECT is((SELECT revenue_micros FROM socialroi.attribution WHERE conversion = '1:d1' AND model = 'linear'),
          10000000::bigint, 'the won EUR deal is converted at its close day''s rate');

SELECT * FROM finish();
ROLLBACK;
