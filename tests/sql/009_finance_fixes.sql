-- 009_finance_fixes.sql - the finance and dashboard figures on hand-made data with several
-- campaigns, channels and multi-touch people, read as the roles that read them in deployments:
-- one channel row per (channel, month, model) whose sums equal the campaign rows; won revenue
-- without an exchange rate (or without a currency) listed as unconverted; a no-op config sync
-- marks nothing dirty; posts' counters in the channel figures; the funnel's advocacy from
-- utm-linked content and mentions; counts as bigint and nothing with more than six decimals;
-- a time-decay credit of 1e-18 giving no cost per lead instead of an overflow.
BEGIN;
SELECT plan(30);

\ir worlds/finance.sql

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
                'channel_roi_mmm.mmm_roi', 'channel_roi_mmm.mmm_roi_lower',
                'channel_roi_mmm.mmm_roi_upper', 'channel_roi_mmm.revenue',
                'channel_roi_mmm.roas', 'channel_roi_mmm.roi', 'channel_roi_mmm.spend',
                'close_adjustments.amount', 'close_adjustments.closed_value',
                'close_adjustments.current_value', 'close_adjustments.difference',
                'funnel.consideration_to_trial', 'funnel.interest_to_consideration',
                'funnel.loyalty_customers', 'funnel.loyalty_to_advocacy', 'funnel.trial_leads',
                'funnel.trial_to_loyalty', 'mmm_panel.revenue', 'mmm_panel.spend',
                'roi_bridge_revenue.crm_revenue', 'roi_bridge_revenue.difference',
                'roi_bridge_revenue.outside_attribution_window',
                'roi_bridge_revenue.platform_revenue', 'roi_bridge_revenue.unexplained',
                'sentiment_daily.mean_sentiment',
                'share_of_voice.negative_share', 'share_of_voice.positive_share',
                'share_of_voice.share', 'spend_reconciliation.budget',
                'spend_reconciliation.budget_used', 'spend_reconciliation.configured_spend',
                'spend_reconciliation.pacing', 'spend_reconciliation.platform_spend',
                'spend_reconciliation.remaining', 'spend_reconciliation.spend',
                'spend_reconciliation.time_elapsed', 'top_content.engagement_rate',
                'x_listening.cost', 'x_listening.cost_per_mention'],
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
