-- 009_finance_fixes.sql - the finance and dashboard figures on hand-made data with several
-- campaigns, channels and multi-touch people, read as the roles that read them in deployments:
-- one channel row per (channel, month, model) whose sums equal the campaign rows; won revenue
-- without an exchange rate (or without a currency) listed as unconverted; a no-op config sync
-- marks nothing dirty; posts' counters in the channel figures; the funnel's advocacy from
-- utm-linked content and mentions; counts as bigint and nothing with more than six decimals;
-- a time-decay credit of 1e-18 giving no cost per lead instead of an overflow.
BEGIN;
SELECT plan(30);

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, '');
SELECT socialroi.sync_account('li', 'linkedin', '2', 'EUR', '', true, '');
SELECT socialroi.sync_account('x', 'x', '3', NULL, '', true, '');
SELECT socialroi.sync_account('hs', 'hubspot', '4', NULL, '', true, '');

-- The config, synced by the daemon: alpha (Meta 111, LinkedIn 222), beta (Meta 333 and 100.00
-- USD on Feb 10), gamma (280.00 USD over February, no links), delta (Meta 444), q4-webinar (two
-- spellings of its utm value).
CREATE TEMP TABLE config AS SELECT '[
  {"name":"alpha","title":"Alpha","start":"2026-01-01","end":"2026-03-31","spend":[],
   "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"},
            {"kind":"ad_campaign","platform":"linkedin","value":"222"},
            {"kind":"utm_campaign","platform":"","value":"alpha"}]},
  {"name":"beta","title":"Beta","start":"2026-01-01","end":"2026-03-31",
   "spend":[{"line":1,"kind":"oneoff","amount_micros":100000000,"currency":"USD","start":"2026-02-10","end":"2026-02-10"}],
   "links":[{"kind":"ad_campaign","platform":"facebook","value":"333"},
            {"kind":"utm_campaign","platform":"","value":"beta"}]},
  {"name":"gamma","title":"Gamma","start":"2026-02-01","end":"2026-02-28",
   "spend":[{"line":1,"kind":"fixed","amount_micros":280000000,"currency":"USD","start":"2026-02-01","end":"2026-02-28"}],
   "links":[]},
  {"name":"delta","title":"Delta","start":"2026-02-01","end":"2026-02-28","spend":[],
   "links":[{"kind":"ad_campaign","platform":"facebook","value":"444"}]},
  {"name":"q4-webinar","title":"Q4 webinar","start":"2026-03-01","end":"2026-03-31","spend":[],
   "links":[{"kind":"utm_campaign","platform":"","value":"q4-webinar"},
            {"kind":"utm_campaign","platform":"","value":"Q4_Webinar"}]}]'::jsonb AS campaigns;
GRANT SELECT ON config TO socialroi_daemon;
SET ROLE socialroi_daemon;
SELECT socialroi.sync_settings('USD', 7.000000);
SELECT socialroi.sync_fx_static('{"EUR":"1.10"}');
SELECT socialroi.sync_campaigns(campaigns) FROM config;
RESET ROLE;

-- Spend in February: alpha 20.00 + 10.00 EUR = 31.00, beta 30.00 + 100.00, gamma 280.00,
-- delta 1,000,000.00; 99.00 on Meta 999, linked to no campaign, is nobody's. January: alpha 10.00.
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros)
VALUES (1, '111', '2026-01-31', 'account_tz', 'USD', 10000000),
       (1, '111', '2026-02-01', 'account_tz', 'USD', 20000000),
       (2, '222', '2026-02-01', 'utc', 'EUR', 10000000),
       (1, '333', '2026-02-02', 'account_tz', 'USD', 30000000),
       (1, '444', '2026-02-03', 'account_tz', 'USD', 1000000000000),
       (1, '999', '2026-02-01', 'account_tz', 'USD', 99000000);

-- People. h1: Meta form lead l1 (Feb 4) after four touches: Meta 111, LinkedIn 222, X with
-- utm beta, and a search click of no campaign; and HubSpot contact c1. h2: l2 (Feb 6) after
-- Meta 333 and LinkedIn 222; contact c2. l3: no touch. l4 (Feb 21): Meta 444 in January 2025
-- and Meta 111 the day before: under time_decay 444's share is 0.5^(416.4 / 7), about 1e-18.
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
VALUES (1, 'l1', 'form', '2026-02-04 12:00Z', 'h1'), (1, 'l2', 'form', '2026-02-06 10:00Z', 'h2'),
       (1, 'l3', 'form', '2026-02-07 10:00Z', NULL), (1, 'l4', 'form', '2026-02-21 10:00Z', NULL),
       (4, 'c1', 'crm', '2026-02-04 13:00Z', 'h1'), (4, 'c2', 'crm', '2026-02-06 13:00Z', 'h2');
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign)
VALUES (1, 't1', 'l1', 'ad_click', '2026-02-01 10:00Z', 'facebook', '111', NULL),
       (1, 't2', 'l1', 'ad_click', '2026-02-02 10:00Z', 'linkedin', '222', NULL),
       (1, 't3', 'l1', 'ad_click', '2026-02-03 10:00Z', 'x', NULL, 'beta'),
       (1, 't4', 'l1', 'ad_click', '2026-02-04 10:00Z', 'google', NULL, 'zzz'),
       (1, 't5', 'l2', 'ad_click', '2026-02-05 10:00Z', 'facebook', '333', NULL),
       (1, 't6', 'l2', 'ad_click', '2026-02-05 12:00Z', 'linkedin', '222', NULL),
       (1, 't7', 'l4', 'ad_click', '2025-01-01 00:00Z', 'facebook', '444', NULL),
       (1, 't8', 'l4', 'ad_click', '2026-02-20 10:00Z', 'facebook', '111', NULL);
-- Won deals: d1 1000.00 USD and d4 300.00 in no currency at all (HubSpot without
-- deal_currency_code, an account without currency) for h1; d2 500.00 EUR and d3 200.00 GBP
-- (no rate) for h2; d5 lost.
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
VALUES (4, 'd1', 1000000000, 'USD', true, true, '2026-02-08Z', '2026-02-10Z'),
       (4, 'd2', 500000000, 'EUR', true, true, '2026-02-08Z', '2026-02-12Z'),
       (4, 'd3', 200000000, 'GBP', true, true, '2026-02-08Z', '2026-02-15Z'),
       (4, 'd4', 300000000, NULL, true, true, '2026-02-08Z', '2026-02-16Z'),
       (4, 'd5', 999000000, 'USD', false, true, '2026-02-08Z', '2026-02-17Z');
INSERT INTO socialroi.deal_contact VALUES (4, 'd1', 'c1'), (4, 'd2', 'c2'), (4, 'd3', 'c2'),
                                          (4, 'd4', 'c1'), (4, 'd5', 'c1');

-- X posts: q1 polled from its first day (its first counts are growth from zero), q0 first
-- seen a month after publication (its first counts are its baseline), q2 carries utm
-- q4-webinar (no content link).
INSERT INTO socialroi.content (account_id, content_id, kind, published_at, utm_campaign)
VALUES (3, 'q0', 'tweet', '2026-02-01 10:00Z', NULL), (3, 'q1', 'tweet', '2026-03-01 10:00Z', NULL),
       (3, 'q2', 'tweet', '2026-03-05 10:00Z', 'q4-webinar');
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
VALUES (3, 'q1', 'likes', '2026-03-01 20:00Z', 4), (3, 'q1', 'impressions', '2026-03-01 20:00Z', 100),
       (3, 'q1', 'likes', '2026-03-02 20:00Z', 6), (3, 'q1', 'impressions', '2026-03-02 20:00Z', 150),
       (3, 'q0', 'likes', '2026-03-01 20:00Z', 9), (3, 'q0', 'impressions', '2026-03-01 20:00Z', 500),
       (3, 'q0', 'likes', '2026-03-02 20:00Z', 10), (3, 'q0', 'impressions', '2026-03-02 20:00Z', 520),
       (3, 'q2', 'likes', '2026-03-06 20:00Z', 5), (3, 'q2', 'shares', '2026-03-06 20:00Z', 3);
-- Mentions: m1 names it as a hashtag, m2 with both spellings (one mention), m3 is negative,
-- m4 is neutral.
INSERT INTO socialroi.mention (account_id, mention_id, query, body, posted_at, sentiment)
VALUES (3, 'm1', 'acme', 'Loved the #Q4Webinar!', '2026-03-06 10:00Z', 0.8),
       (3, 'm2', 'acme', 'q4-webinar and the Q4 Webinar recording: great', '2026-03-07 10:00Z', 0.9),
       (3, 'm3', 'acme', '#q4webinar was awful', '2026-03-08 10:00Z', -0.7),
       (3, 'm4', 'acme', 'Q4 webinar', '2026-03-09 10:00Z', 0.1);

SET ROLE socialroi_daemon;
SELECT socialroi.rollup_dirty(100000) + socialroi.rollup_dirty(100000)
     + socialroi.rollup_dirty(100000);
RESET ROLE;

-- ---- a sync that changes nothing marks nothing ---------------------------------------------------

SELECT is((SELECT count(*)::int FROM socialroi.dirty_spend)
          + (SELECT count(*)::int FROM socialroi.dirty_conversion), 0, 'the rollup drained');
SET ROLE socialroi_daemon;
SELECT socialroi.sync_settings('USD', 7.000000);
SELECT socialroi.sync_fx_static('{"EUR":"1.10"}');
SELECT socialroi.sync_campaigns(campaigns) FROM config;
RESET ROLE;
SELECT is((SELECT count(*)::int FROM socialroi.dirty_spend), 0,
          'the daemon''s sync of the same settings, rates and campaigns marks no spend day');
SELECT is((SELECT count(*)::int FROM socialroi.dirty_conversion), 0,
          'and no person or deal');
SET ROLE socialroi_daemon;
SELECT socialroi.sync_settings('USD', 3);
RESET ROLE;
SELECT is((SELECT count(DISTINCT key)::int FROM socialroi.dirty_conversion WHERE kind = 'deal'), 5,
          'a new half-life still marks every deal');
SET ROLE socialroi_daemon;
SELECT socialroi.sync_settings('USD', 7);
SELECT socialroi.rollup_dirty(100000) + socialroi.rollup_dirty(100000)
     + socialroi.rollup_dirty(100000);
RESET ROLE;

-- ---- what finance reads --------------------------------------------------------------------------

SET ROLE socialroi_finance;
CREATE TEMP TABLE camp AS SELECT * FROM finance.campaign_roi;
CREATE TEMP TABLE chan AS SELECT * FROM finance.channel_roi;
CREATE TEMP TABLE fn AS
SELECT m, 'campaign' AS by, r.* FROM unnest(ARRAY['first_touch', 'last_touch', 'linear',
                                                  'position_based', 'time_decay']) m,
       LATERAL finance.roi('2026-02-01', '2026-02-28', 'campaign', m) r
UNION ALL
SELECT m, 'channel', r.* FROM unnest(ARRAY['first_touch', 'last_touch', 'linear',
                                           'position_based', 'time_decay']) m,
       LATERAL finance.roi('2026-02-01', '2026-02-28', 'channel', m) r;
CREATE TEMP TABLE rep AS
SELECT m, 'campaign' AS by, r.* FROM unnest(ARRAY['first_touch', 'time_decay']) m,
       LATERAL finance.roi_report('2026-01-01', '2026-02-28', 'campaign', m) r
UNION ALL
SELECT m, 'month', r.* FROM unnest(ARRAY['first_touch', 'time_decay']) m,
       LATERAL finance.roi_report('2026-01-01', '2026-02-28', 'month', m) r;
RESET ROLE;

-- one row per channel, month and model; the channels add up to the campaigns
SELECT is((SELECT count(*) - count(DISTINCT (month, channel, model)) FROM chan), 0::bigint,
          'channel_roi: one row per (month, channel, model)');
SELECT is((SELECT array_agg(channel || '=' || spend ORDER BY channel) FROM chan
            WHERE month = '2026-02-01' AND model = 'linear'),
          ARRAY['(configured)=380.000000', '(unattributed)=0.000000', 'facebook=1000050.000000', 'google=0.000000', 'linkedin=11.000000', 'x=0.000000'],
          'February by channel: each platform''s spend once, unlinked ad campaigns nobody''s');
SELECT results_eq(
    $$SELECT month, model, sum(spend), sum(leads), sum(customers), sum(revenue) FROM chan
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    $$SELECT month, model, sum(spend), sum(leads), sum(customers), sum(revenue) FROM camp
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    'channel_roi sums equal campaign_roi sums per month and every model (time_decay and '
    'platform_reported too): spend, leads, customers, revenue');
SELECT is((SELECT array_agg(DISTINCT month) FROM chan), (SELECT array_agg(DISTINCT month) FROM camp),
          'channel_roi has the months of campaign_roi (January and February)');
SELECT results_eq(
    $$SELECT month, sum(spend), sum(revenue), round(sum(leads), 4), round(sum(customers), 4)
        FROM chan WHERE model = 'time_decay' GROUP BY 1 ORDER BY 1$$,
    $$SELECT month, sum(spend), sum(revenue), round(sum(leads), 4), round(sum(customers), 4)
        FROM camp WHERE model = 'time_decay' GROUP BY 1 ORDER BY 1$$,
    'time_decay: spend and revenue equal, credit equal up to the six-decimal rounding of each row');
SELECT results_eq(
    $$SELECT m, sum(spend), sum(leads), sum(customers), sum(revenue) FROM fn
       WHERE by = 'channel' AND m <> 'time_decay' GROUP BY 1 ORDER BY 1$$,
    $$SELECT m, sum(spend), sum(leads), sum(customers), sum(revenue) FROM fn
       WHERE by = 'campaign' AND m <> 'time_decay' GROUP BY 1 ORDER BY 1$$,
    'finance.roi(from, to, channel, model) adds up to finance.roi(from, to, campaign, model)');
SELECT is((SELECT (spend, leads, customers, revenue)::text FROM fn
            WHERE m = 'linear' AND by = 'campaign' AND key = 'alpha'),
          '(31.000000,1.5,2,775.000000)',
          'alpha, linear: 31.00 spent; half of h1, h2 and l4 each; half of d1 to d4 (250 + 275)');
SELECT is((SELECT sum(spend_micros) FROM rep WHERE m = 'first_touch' AND by = 'campaign'),
          (SELECT sum(spend_micros) FROM rep WHERE m = 'first_touch' AND by = 'month'),
          'roi_report by month adds up to roi_report by campaign');
SELECT is((SELECT array_agg(key || '=' || spend_micros ORDER BY key) FROM rep
            WHERE m = 'first_touch' AND by = 'month'),
          ARRAY['2026-01=10000000', '2026-02=1000441000000'],
          'by month: one row per month, every campaign''s spend once');

-- revenue that cannot be converted is named, never dropped silently
SELECT is((SELECT (revenue, unconverted_currencies)::text FROM camp
            WHERE month = '2026-02-01' AND model = 'first_touch' AND campaign = 'beta'),
          '(550.000000,{GBP})', 'beta: d2''s 500.00 EUR counted, d3''s 200.00 GBP named');
SELECT is((SELECT (revenue, unconverted_currencies)::text FROM camp
            WHERE month = '2026-02-01' AND model = 'first_touch' AND campaign = 'alpha'),
          '(1000.000000,{???})', 'alpha: d4 without a currency is flagged as ???');
SELECT is((SELECT (customers, revenue, unconverted_currencies)::text FROM chan
            WHERE month = '2026-02-01' AND model = 'first_touch' AND channel = 'facebook'),
          '(4,1550.000000,"{???,GBP}")', 'channel_roi names both on the channel of the touch');
SELECT is((SELECT unconverted_currencies FROM rep
            WHERE m = 'first_touch' AND by = 'month' AND key = '2026-02'),
          ARRAY['???', 'GBP'], 'and so does the report by month');
SELECT is((SELECT unconverted_currencies FROM rep
            WHERE m = 'first_touch' AND by = 'campaign' AND key = 'beta'),
          ARRAY['GBP'], 'and by campaign');

-- a credit of 1e-18 prices nothing instead of overflowing
SELECT is((SELECT (spend, leads, cost_per_lead)::text FROM camp
            WHERE month = '2026-02-01' AND model = 'time_decay' AND campaign = 'delta'),
          '(1000000.000000,0,)', 'time_decay: delta''s tiny credit shows 0 leads and no cost per lead');
SELECT is((SELECT cost_per_lead_micros FROM rep
            WHERE m = 'time_decay' AND by = 'campaign' AND key = 'delta'),
          NULL::bigint, 'roi_report: no cost per lead either');
SELECT is((SELECT cost_per_lead_micros FROM rep
            WHERE m = 'first_touch' AND by = 'campaign' AND key = 'delta'),
          1000000000000::bigint, 'a whole lead still gets its cost');

-- ---- what the dashboard reads --------------------------------------------------------------------

SET ROLE socialroi_dashboard;
CREATE TEMP TABLE xdaily AS SELECT * FROM dashboard.channel_daily WHERE account = 'x';
CREATE TEMP TABLE xreport AS SELECT * FROM dashboard.channel_report('2026-03-01', '2026-03-31', 'platform');
CREATE TEMP TABLE xtop AS SELECT * FROM dashboard.top_content WHERE platform = 'x';
CREATE TEMP TABLE fun AS SELECT * FROM dashboard.funnel;
CREATE TEMP TABLE cur AS SELECT dashboard.reporting_currency() AS c;
RESET ROLE;

-- X by hand. Mar 1: q1 from zero, 100 impressions and 4 likes (q0's 500 and 9 are its
-- baseline): rate 0.04. Mar 2: q1 +50 / +2, q0 +20 / +1: 70 and 3, rate 3/70 = 0.042857.
-- Mar 6: q2 (published Mar 5) from zero: 5 likes + 3 shares, no impressions: rate NULL.
SELECT results_eq(
    $$SELECT day, impressions, engagements, engagement_rate, posts FROM xdaily
       WHERE day >= '2026-03-01' ORDER BY day$$,
    $$VALUES ('2026-03-01'::date, 100::bigint, 4::bigint, 0.04::numeric, 1::bigint),
             ('2026-03-02', 70, 3, 0.042857, 0), ('2026-03-05', 0, 0, NULL, 1),
             ('2026-03-06', 0, 8, NULL, 0)$$,
    'channel_daily x: impressions and engagements from the posts'' counters');
SELECT results_eq(
    $$SELECT key, impressions, engagements, engagement_rate, posts FROM xreport WHERE platform = 'x'$$,
    $$VALUES ('x', 170::bigint, 15::bigint, 0.088235::numeric, 2::bigint)$$,
    'channel_report x for March: 170 impressions, 15 engagements, 15/170 half to even');
SELECT results_eq(
    $$SELECT content_id, engagements, impressions, engagement_rate FROM xtop ORDER BY content_id$$,
    $$VALUES ('q0', 10::bigint, 520::bigint, 0.019231::numeric), ('q1', 6, 150, 0.04),
             ('q2', 8, NULL, NULL)$$,
    'top_content x: q1''s latest counters are what the channel counted for it');
SELECT results_eq(
    $$SELECT month, consideration_engagements, advocacy_shares, advocacy_positive_mentions
        FROM fun WHERE campaign = 'q4-webinar'$$,
    $$VALUES ('2026-03-01'::date, 8::bigint, 3::bigint, 2::bigint)$$,
    'funnel advocacy: shares of the post carrying its utm value, two positive mentions naming it');
SELECT is((SELECT c FROM cur), 'USD', 'readers get the reporting currency for a report''s heading');

-- ---- types: counts are bigint, nothing has more than six decimals ----------------------------------

SELECT is((SELECT array_agg(table_name || '.' || column_name ORDER BY table_name, column_name)
             FROM information_schema.columns
            WHERE table_schema IN ('dashboard', 'finance') AND data_type = 'numeric'),
          ARRAY['campaign_roi.configured_spend', 'campaign_roi.cost_per_lead',
                'campaign_roi.customer_acquisition_cost', 'campaign_roi.customers',
                'campaign_roi.leads', 'campaign_roi.platform_spend', 'campaign_roi.revenue',
                'campaign_roi.roas', 'campaign_roi.roi', 'campaign_roi.spend',
                'channel_daily.engagement_rate', 'channel_monthly.engagement_rate',
                'channel_roi.configured_spend', 'channel_roi.cost_per_lead',
                'channel_roi.customer_acquisition_cost', 'channel_roi.customers',
                'channel_roi.leads', 'channel_roi.platform_spend', 'channel_roi.revenue',
                'channel_roi.roas', 'channel_roi.roi', 'channel_roi.spend',
                'funnel.consideration_to_trial', 'funnel.interest_to_consideration',
                'funnel.loyalty_customers', 'funnel.loyalty_to_advocacy', 'funnel.trial_leads',
                'funnel.trial_to_loyalty', 'spend_reconciliation.budget',
                'spend_reconciliation.budget_used', 'spend_reconciliation.configured_spend',
                'spend_reconciliation.pacing', 'spend_reconciliation.platform_spend',
                'spend_reconciliation.remaining', 'spend_reconciliation.spend',
                'spend_reconciliation.time_elapsed', 'top_content.engagement_rate'],
          'numeric columns are money, credited leads and customers, and ratios: no count');
SELECT is((SELECT count(*)::int FROM information_schema.columns
            WHERE table_schema = 'dashboard'
              AND column_name ~ '(impressions|reach|views|clicks|engagements|followers|growth|posts|seconds|deals|shares|mentions|rank_in_month)$'
              AND data_type <> 'bigint'), 0, 'every count column of the dashboard is bigint');

SET ROLE socialroi_finance;
CREATE TEMP TABLE scales (col text, max_scale integer);
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT table_schema, table_name, column_name FROM information_schema.columns
              WHERE table_schema IN ('dashboard', 'finance') AND data_type = 'numeric' LOOP
        EXECUTE format('INSERT INTO scales SELECT %L, max(scale(%I)) FROM %I.%I',
                       c.table_name || '.' || c.column_name, c.column_name, c.table_schema,
                       c.table_name);
    END LOOP;
END
$$;
RESET ROLE;
SELECT is((SELECT array_agg(col || ':' || max_scale) FROM scales WHERE max_scale > 6), NULL,
          'no value in a dashboard or finance view has more than six decimals');
SELECT cmp_ok((SELECT count(*)::int FROM scales WHERE max_scale = 6), '>=', 20,
              'and the figures that have decimals have six (money, rounded ratios)');

SELECT * FROM finish();
ROLLBACK;
