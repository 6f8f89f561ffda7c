-- 007_finance.sql - the finance views and the report function on hand-made data: spend split
-- into platform and configured per calendar month (a campaign across a month boundary, a
-- retainer prorated over partial months), zero spend giving NULL ratios (never 0 or infinity),
-- an amount without an FX rate reported as unconverted (never 1:1), restated spend after a
-- rollup, the channel view, platform-reported conversions per platform, the reconciliation
-- against the budget, and the exact rounding of finance.roi_report.
BEGIN;
SELECT plan(28);

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, '');
SELECT socialroi.sync_account('li', 'linkedin', '2', 'EUR', '', true, '');
INSERT INTO socialroi.fx_rate VALUES ('-infinity', 'EUR', 1.10, 'config');
SELECT socialroi.sync_campaigns('[
  {"name":"launch","title":"Launch","start":"2026-01-20","end":"2026-02-10",
   "budget_micros":10000000000,"budget_currency":"USD",
   "spend":[{"line":1,"kind":"monthly","amount_micros":3100000000,"currency":"USD","start":"2026-01-20","end":"2026-02-10"}],
   "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"},
            {"kind":"ad_campaign","platform":"linkedin","value":"222"}]},
  {"name":"quiet","title":"Quiet","start":"2026-01-01","end":"2026-03-31","spend":[],"links":[]},
  {"name":"pounds","title":"Pounds","start":"2026-02-01","end":"2026-02-28",
   "spend":[{"line":1,"kind":"oneoff","amount_micros":100000000,"currency":"GBP","start":"2026-02-03","end":"2026-02-03"}],
   "links":[]},
  {"name":"old","title":"Old","start":"2025-01-01","end":"2025-03-31","spend":[],"links":[]}]');
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions, clicks, leads, conversions)
VALUES (1, '111', '2026-01-31', 'account_tz', 'USD', 10000000, 1000, 10, 1, 0),
       (1, '111', '2026-02-01', 'account_tz', 'USD', 20000000, 2000, 20, 2, 1),
       (2, '222', '2026-02-01', 'utc', 'EUR', 10000000, 500, 5, 3, 0);
-- one person: a Meta form lead on the launch campaign who became a 1,000.00 USD customer
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash, campaign_id)
VALUES (1, 'l1', 'form', '2026-02-01 10:00Z', 'h1', '111');
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform, campaign_id)
VALUES (1, 't1', 'l1', 'form_submission', '2026-02-01 10:00Z', 'facebook', '111');
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed, created_at, closed_at)
VALUES (1, 'd1', 1000000000, 'USD', true, true, '2026-02-05Z', '2026-02-06Z');
INSERT INTO socialroi.deal_contact VALUES (1, 'd1', 'l1');
SELECT socialroi.rollup_dirty(100000);

CREATE TEMP VIEW roi AS SELECT * FROM finance.campaign_roi WHERE model = 'linear';

-- a campaign across a month boundary, the retainer prorated: 12 of 31 January days, 10 of 28
SELECT is((SELECT (platform_spend, configured_spend, spend)::text FROM roi
            WHERE month = '2026-01-01' AND campaign = 'launch'),
          '(10.000000,1200.000000,1210.000000)', 'January: 10.00 on Meta, 1200.00 of the retainer');
SELECT is((SELECT (platform_spend, configured_spend, spend)::text FROM roi
            WHERE month = '2026-02-01' AND campaign = 'launch'),
          '(31.000000,1107.142857,1138.142857)',
          'February: 20.00 USD + 10.00 EUR at 1.10, and 1107.142857 of the retainer');
SELECT is((SELECT (leads, customers, revenue)::text FROM roi
            WHERE month = '2026-02-01' AND campaign = 'launch'),
          '(1,1,1000.000000)', 'the lead, the customer and the won revenue are the campaign''s');
SELECT is((SELECT roi FROM roi WHERE month = '2026-02-01' AND campaign = 'launch'),
          round((1000 - 1138.142857) / 1138.142857, 6),
          'ROI = (revenue - spend) / spend, rounded to 6 places');
SELECT is((SELECT roas FROM roi WHERE month = '2026-02-01' AND campaign = 'launch'),
          round(1000 / 1138.142857, 6), 'ROAS = revenue / spend, rounded to 6 places');
SELECT is((SELECT (cost_per_lead, customer_acquisition_cost)::text FROM roi
            WHERE month = '2026-02-01' AND campaign = 'launch'),
          '(1138.142857,1138.142857)', 'cost per lead and per customer');
SELECT ok((SELECT roi = -1 AND roas = 0 AND cost_per_lead IS NULL AND customer_acquisition_cost IS NULL
             FROM roi WHERE month = '2026-01-01' AND campaign = 'launch'),
          'spend without revenue is -100 %; no leads, no cost per lead (NULL)');

-- zero spend: NULL ratios, and the campaign is listed all the same
SELECT is((SELECT (spend, leads, revenue)::text FROM roi WHERE month = '2026-02-01' AND campaign = 'quiet'),
          '(0.000000,0,0.000000)', 'a campaign that spent nothing has a row of zeros');
SELECT is((SELECT (roi, roas, cost_per_lead, customer_acquisition_cost)::text FROM roi
            WHERE month = '2026-02-01' AND campaign = 'quiet'),
          '(,,,)', 'and NULL where the denominator is zero, never 0 or infinity');
SELECT is((SELECT count(*)::int FROM roi WHERE campaign = 'old'), 0,
          'a campaign that ran in another year is not listed');

-- no FX rate at all: reported as unconverted, never summed 1:1
SELECT is((SELECT (spend, unconverted_currencies)::text FROM roi
            WHERE month = '2026-02-01' AND campaign = 'pounds'),
          '(0.000000,{GBP})', '100.00 GBP without a rate is not 100.00 USD; GBP is named');
SELECT is((SELECT unconverted_currencies FROM finance.channel_roi
            WHERE month = '2026-02-01' AND model = 'linear' AND channel = '(configured)'),
          ARRAY['GBP'], 'the channel view names it too');

-- channels: platform spend per platform, configured spend as its own row
SELECT is((SELECT array_agg(channel || '=' || spend ORDER BY channel) FROM finance.channel_roi
            WHERE month = '2026-02-01' AND model = 'linear'),
          ARRAY['(configured)=1107.142857', 'facebook=20.000000', 'linkedin=11.000000'],
          'February by channel');
SELECT is((SELECT (leads, customers, revenue)::text FROM finance.channel_roi
            WHERE month = '2026-02-01' AND model = 'first_touch' AND channel = 'facebook'),
          '(1,1,1000.000000)', 'the channel of the touch gets the credit');

-- platform-reported conversions: per campaign and platform, never summed across platforms
SELECT is((SELECT array_agg(platform || ':' || leads || ':' || customers ORDER BY platform)
             FROM finance.campaign_roi
            WHERE month = '2026-02-01' AND model = 'platform_reported' AND campaign = 'launch'),
          ARRAY['facebook:2:1', 'linkedin:3:0'], 'each platform''s own lead and conversion counts');

-- restated spend after the rollup
UPDATE socialroi.ad_daily SET spend_micros = 25000000 WHERE campaign_id = '111' AND day = '2026-02-01';
SELECT is((SELECT platform_spend FROM roi WHERE month = '2026-02-01' AND campaign = 'launch'),
          31.000000, 'before the rollup the view still has the old figure');
SELECT socialroi.rollup_dirty(100000);
SELECT is((SELECT platform_spend FROM roi WHERE month = '2026-02-01' AND campaign = 'launch'),
          36.000000, 'after it, the restated 25.00');
SELECT is((SELECT platform_spend FROM roi WHERE month = '2026-01-01' AND campaign = 'launch'),
          10.000000, 'January is untouched');

-- budget against spend
SELECT is((SELECT (budget, platform_spend, configured_spend, spend, remaining)::text
             FROM finance.spend_reconciliation WHERE campaign = 'launch'),
          '(10000.000000,46.000000,2307.142857,2353.142857,7646.857143)',
          'budget, platform and configured spend to date, what remains');
SELECT is((SELECT (round(budget_used, 6), time_elapsed, round(pacing, 6))::text
             FROM finance.spend_reconciliation WHERE campaign = 'launch'),
          '(0.235314,1,0.235314)', 'a finished campaign: all its time elapsed, pacing = budget used');
SELECT is((SELECT (budget, budget_used, pacing)::text FROM finance.spend_reconciliation
            WHERE campaign = 'quiet'),
          '(,,)', 'no budget: NULL, not 0');

-- the report's figures: micros, six decimals half to even, model and currency on every row
SELECT is((SELECT (spend_micros, revenue_micros, roi, roas, cost_per_lead_micros)::text
             FROM finance.roi_report('2026-02-01', '2026-02-28', 'campaign', 'linear')
            WHERE key = 'launch'),
          '(1143142857,1000000000,-0.125219,0.874781,1143142857)',
          'roi_report: exact micros, ratios rounded half to even to 6 places');
SELECT is((SELECT array_agg(DISTINCT model || ' ' || currency)
             FROM finance.roi_report('2026-02-01', '2026-02-28', 'campaign', 'linear')),
          ARRAY['linear USD'], 'every row names the model and the currency');
SELECT is((SELECT array_agg(key ORDER BY key)
             FROM finance.roi_report('2026-02-01', '2026-02-28', 'campaign', 'first_touch')),
          ARRAY['launch', 'pounds', 'quiet'], 'one row per campaign running in the period');
SELECT is((SELECT array_agg(key || '=' || spend_micros ORDER BY key)
             FROM finance.roi_report('2026-01-01', '2026-02-28', 'month', 'linear')),
          ARRAY['2026-01=1210000000', '2026-02=1143142857'], 'by month: totals per calendar month');
SELECT is((SELECT sum(leads) FROM finance.roi_report('2026-01-01', '2026-02-28', 'campaign', m)),
          1.000000, m || ': the one lead is credited exactly once')
  FROM unnest(ARRAY['first_touch', 'last_touch', 'linear']) m;

SELECT * FROM finish();
ROLLBACK;
