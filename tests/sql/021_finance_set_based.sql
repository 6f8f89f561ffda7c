-- 021_finance_set_based.sql - the ROI figures, now one set-based query (socialroi.roi_all), are
-- row for row those of the PL/pgSQL function they replace (kept below as the reference) for
-- every month of data, model and cut, as finance.campaign_roi, finance.channel_roi and
-- finance.roi show them to the finance role; a month filter gives that month's rows of the
-- whole view; finance.months() lists the months the three tables hold, gaps left out.
BEGIN;
SELECT plan(10);

\ir worlds/finance.sql

-- Beside the world: the platforms' own lead and conversion counts on Meta 111 and 333, spend
-- in a currency without a rate (GBP) on Meta 111, and ad data in November 2025 on an ad
-- campaign linked to nothing (a month of data with no business campaign in it; December and
-- March hold none).
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                leads, conversions, conversion_value_micros)
VALUES (1, '111', '2026-02-05', 'account_tz', 'GBP', 7000000, 2, 1, 50000000),
       (1, '333', '2026-02-06', 'account_tz', 'USD', 1000000, 3, 2, 80000000),
       (1, '999', '2025-11-15', 'account_tz', 'USD', 5000000, 0, 0, 0);

SET ROLE socialroi_daemon;
SELECT socialroi.rollup_dirty(100000) + socialroi.rollup_dirty(100000)
     + socialroi.rollup_dirty(100000);
RESET ROLE;

-- The reference: socialroi.roi as sql/010_finance_fixes.sql defined it, one model at a time,
-- and finance.roi's presentation of its figures.
CREATE FUNCTION pg_temp.old_roi(p_from date, p_to date, p_by text, p_model text)
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend_micros bigint, configured_spend_micros bigint,
               spend_micros bigint, unconverted text[], leads numeric, customers numeric,
               revenue_micros bigint)
LANGUAGE plpgsql STABLE SET search_path = '' AS $$
BEGIN
    IF p_model = 'platform_reported' THEN
        RETURN QUERY
        SELECT CASE WHEN p_by = 'channel' THEN r.platform ELSE c.name END,
               CASE WHEN p_by = 'channel' THEN NULL ELSE c.title END, r.platform, p_model,
               socialroi.reporting_currency(),
               COALESCE(sum(r.reporting_micros), 0)::bigint, 0::bigint,
               COALESCE(sum(r.reporting_micros), 0)::bigint,
               pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT CASE WHEN
                   r.reporting_micros IS NULL THEN r.currency::text END), NULL),
               sum(r.platform_leads)::numeric, sum(r.platform_conversions)::numeric,
               sum(socialroi.to_reporting(r.platform_value_micros, r.currency, r.day))::bigint
          FROM socialroi.rollup_spend r JOIN socialroi.campaign c USING (campaign_id)
         WHERE r.source = 'platform' AND r.day BETWEEN p_from AND p_to
           AND (p_by <> 'total')
         GROUP BY 1, 2, r.platform;
        RETURN;
    END IF;
    RETURN QUERY
    WITH credit AS (
        SELECT CASE p_by WHEN 'campaign' THEN
                    CASE WHEN a.seq = 0 THEN '(unattributed)'
                         ELSE COALESCE(c.name, '(no campaign)') END
                    WHEN 'channel' THEN
                    CASE WHEN a.seq = 0 THEN '(unattributed)'
                         ELSE COALESCE(a.channel, '(unknown)') END
                    ELSE 'total' END AS k,
               max(c.title) FILTER (WHERE p_by = 'campaign' AND a.seq <> 0) AS t,
               sum(a.weight) FILTER (WHERE a.kind = 'lead') AS leads,
               sum(a.weight) FILTER (WHERE a.kind = 'deal' AND a.won) AS customers,
               sum(a.revenue_micros) FILTER (WHERE a.kind = 'deal' AND a.won) AS revenue,
               pg_catalog.array_agg(DISTINCT a.currency::text)
                   FILTER (WHERE a.kind = 'deal' AND a.won AND a.revenue_micros IS NULL) AS u
          FROM socialroi.attribution a LEFT JOIN socialroi.campaign c USING (campaign_id)
         WHERE a.model = p_model AND a.day BETWEEN p_from AND p_to
         GROUP BY 1),
    spend AS (
        -- every campaign that runs in the period, spending or not, and any with spend in it
        SELECT c.name AS k, c.title AS t, COALESCE(s.platform_micros, 0) AS pm,
               COALESCE(s.configured_micros, 0) AS cm, COALESCE(s.unconverted, '{}') AS u
          FROM socialroi.campaign c
          LEFT JOIN socialroi.campaign_spend_between(p_from, p_to) s USING (campaign_id)
         WHERE p_by = 'campaign'
           AND (s.campaign_id IS NOT NULL
                OR (c.active AND c.start_day <= p_to AND (c.end_day IS NULL OR c.end_day >= p_from)))
        UNION ALL
        SELECT CASE WHEN r.source = 'configured' THEN '(configured)' ELSE r.platform END, NULL,
               COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'platform'), 0),
               COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'configured'), 0),
               pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT
                   CASE WHEN r.reporting_micros IS NULL THEN r.currency::text END), NULL)
          FROM socialroi.rollup_spend r
         WHERE p_by = 'channel' AND r.day BETWEEN p_from AND p_to
         GROUP BY 1
        UNION ALL
        SELECT 'total', NULL,
               COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'platform'), 0),
               COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'configured'), 0),
               pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT
                   CASE WHEN r.reporting_micros IS NULL THEN r.currency::text END), NULL)
          FROM socialroi.rollup_spend r
         WHERE p_by NOT IN ('campaign', 'channel') AND r.day BETWEEN p_from AND p_to
        HAVING p_by NOT IN ('campaign', 'channel'))
    SELECT COALESCE(s.k, cr.k), COALESCE(s.t, cr.t), NULL::text, p_model,
           socialroi.reporting_currency(),
           COALESCE(s.pm, 0)::bigint, COALESCE(s.cm, 0)::bigint,
           (COALESCE(s.pm, 0) + COALESCE(s.cm, 0))::bigint,
           ARRAY(SELECT DISTINCT x FROM pg_catalog.unnest(COALESCE(s.u, '{}')
                                                         || COALESCE(cr.u, '{}')) x
                  ORDER BY x),
           COALESCE(cr.leads, 0), COALESCE(cr.customers, 0), COALESCE(cr.revenue, 0)::bigint
      FROM spend s FULL JOIN credit cr ON cr.k = s.k;
END
$$;

CREATE FUNCTION pg_temp.old_figures(p_from date, p_to date, p_by text, p_model text)
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend numeric, configured_spend numeric, spend numeric,
               unconverted_currencies text[], leads numeric, customers numeric,
               revenue numeric, roi numeric, roas numeric, cost_per_lead numeric,
               customer_acquisition_cost numeric)
LANGUAGE sql STABLE AS $$
    SELECT key, title, platform, model, currency,
           socialroi.money(platform_spend_micros), socialroi.money(configured_spend_micros),
           socialroi.money(spend_micros), unconverted, dashboard.round6(leads),
           dashboard.round6(customers), socialroi.money(revenue_micros),
           dashboard.round6((revenue_micros - spend_micros)::numeric / NULLIF(spend_micros, 0)),
           dashboard.round6(revenue_micros::numeric / NULLIF(spend_micros, 0)),
           socialroi.money(socialroi.cost_per(spend_micros, leads)),
           socialroi.money(socialroi.cost_per(spend_micros, customers))
      FROM pg_temp.old_roi(p_from, p_to, p_by, p_model)
$$;

CREATE TEMP TABLE models AS
SELECT unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay',
                    'platform_reported']) AS model;
CREATE TEMP TABLE want AS
SELECT m.month, b.by, r.*
  FROM (SELECT DISTINCT date_trunc('month', day)::date AS month FROM
          (SELECT day FROM socialroi.rollup_spend UNION ALL SELECT day FROM socialroi.attribution
           UNION ALL SELECT day FROM socialroi.ad_daily) d) m,
       models x, unnest(ARRAY['campaign', 'channel']) b(by),
       LATERAL pg_temp.old_figures(m.month,
                                   (m.month + interval '1 month' - interval '1 day')::date,
                                   b.by, x.model) r;
CREATE TEMP TABLE want_any AS
SELECT b.by, r.* FROM models x, unnest(ARRAY['campaign', 'channel', 'total']) b(by),
       LATERAL pg_temp.old_figures('2026-01-15', '2026-02-20', b.by, x.model) r;
GRANT SELECT ON models TO socialroi_finance;

SET ROLE socialroi_finance;
CREATE TEMP TABLE got_any AS
SELECT b.by, r.* FROM models x, unnest(ARRAY['campaign', 'channel', 'total']) b(by),
       LATERAL finance.roi('2026-01-15', '2026-02-20', b.by, x.model) r;
CREATE TEMP TABLE camp AS SELECT * FROM finance.campaign_roi;
CREATE TEMP TABLE chan AS SELECT * FROM finance.channel_roi;
CREATE TEMP TABLE feb AS SELECT * FROM finance.campaign_roi
                          WHERE month >= '2026-02-01' AND month < '2026-03-01';
RESET ROLE;

SELECT is((SELECT array_agg(month ORDER BY month) FROM finance.months()),
          ARRAY['2025-11-01', '2026-01-01', '2026-02-01']::date[],
          'finance.months(): November, January and February; no row for the empty months');
SELECT is((SELECT array_agg(DISTINCT month ORDER BY month)
             FROM (SELECT date_trunc('month', day)::date AS month FROM socialroi.rollup_spend
                   UNION SELECT date_trunc('month', day)::date FROM socialroi.attribution
                   UNION SELECT date_trunc('month', day)::date FROM socialroi.ad_daily) d),
          (SELECT array_agg(month ORDER BY month) FROM finance.months()),
          'finance.months() holds every month of the three tables');
SELECT ok((SELECT count(*) FROM camp) > 40 AND (SELECT count(*) FROM chan) > 30
          AND (SELECT count(*) FROM got_any) > 60, 'the views and finance.roi have rows to compare');
SELECT set_eq(
    $$SELECT month, key, title, platform, model, currency, platform_spend, configured_spend,
             spend, unconverted_currencies, leads, customers, revenue, roi, roas, cost_per_lead,
             customer_acquisition_cost FROM want WHERE by = 'campaign'$$,
    $$SELECT * FROM camp$$,
    'campaign_roi: every row equals the reference''s for its month, model and campaign');
SELECT set_eq(
    $$SELECT month, key, model, currency, platform_spend, configured_spend, spend,
             unconverted_currencies, leads, customers, revenue, roi, roas, cost_per_lead,
             customer_acquisition_cost FROM want WHERE by = 'channel'$$,
    $$SELECT * FROM chan$$,
    'channel_roi: every row equals the reference''s for its month, model and channel');
SELECT set_eq($$SELECT * FROM got_any$$, $$SELECT * FROM want_any$$,
              'finance.roi over any period (mid-January to 20 February), by campaign, channel '
              'and total, every model: the reference''s rows');
SELECT set_eq($$SELECT * FROM feb$$, $$SELECT * FROM camp WHERE month = '2026-02-01'$$,
              'a month''s range gives that month''s rows of the whole view');
SELECT is((SELECT (spend, unconverted_currencies)::text FROM camp
            WHERE month = '2026-02-01' AND model = 'linear' AND campaign = 'alpha'),
          '(31.000000,"{???,GBP}")',
          'alpha: GBP spend without a rate left out of the sum and named (beside d4''s ???)');
SELECT is((SELECT array_agg((campaign, platform, leads, customers, revenue,
                             unconverted_currencies)::text
                            ORDER BY campaign)
             FROM camp WHERE month = '2026-02-01' AND model = 'platform_reported'),
          ARRAY['(alpha,facebook,2,1,0.000000,{GBP})', '(alpha,linkedin,0,0,0.000000,{})',
                '(beta,facebook,3,2,80.000000,{})', '(delta,facebook,0,0,0.000000,{})'],
          'platform_reported: each platform''s own counts per campaign and platform; the value '
          'in GBP, without a rate, named');
SELECT is((SELECT count(*) FROM camp WHERE month = '2025-11-01')
          + (SELECT count(*) FROM chan WHERE month = '2025-11-01'), 0::bigint,
          'November: ad spend of no business campaign gives no row');

SELECT * FROM finish();
ROLLBACK;
