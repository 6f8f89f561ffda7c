-- ROI figures as one set-based query, and monthly views a month filter can reach.
--
-- finance.campaign_roi and finance.channel_roi called the PL/pgSQL socialroi.roi once per
-- month of data and per model, after finance.months() had read three tables whole to list the
-- months: a filter on month reached none of it, so one month cost about what a year did
-- (869 ms and 3.9 s at 10.7 million fact rows). Now:
--   socialroi.roi_all(from, to, by)   every model's figures for a period in one pass, as a
--                                     sum of lines (a day of spend, a touch's credit);
--   socialroi.roi, finance.roi        one model of it (their signatures are unchanged);
--   finance.roi_all                   the figures as the reports show them, every model;
--   socialroi.data_months             the months holding data, found by index probes;
--   finance.campaign_roi, channel_roi one finance.roi_all call per month the filter keeps.

-- The attribution models (the CHECK on socialroi.attribution.model lists the same names).
CREATE FUNCTION socialroi.attribution_models() RETURNS SETOF text
LANGUAGE sql IMMUTABLE AS $$
    VALUES ('first_touch'), ('last_touch'), ('linear'), ('position_based'), ('time_decay')
$$;

-- A period's credit and spend without reading other days'.
CREATE INDEX attribution_day_idx ON socialroi.attribution (day);
CREATE INDEX rollup_spend_day_idx ON socialroi.rollup_spend (day);
CREATE INDEX ad_daily_day_idx ON socialroi.ad_daily (day);

-- ROI figures for [p_from, p_to] under every model: p_by 'campaign' (business campaigns;
-- credit to touches of no campaign goes to "(no campaign)", conversions without touches to
-- "(unattributed)"), 'channel' (platforms; configured spend as "(configured)", touches
-- without a channel as "(unknown)") or anything else for one 'total' row; and per campaign (or
-- platform) and platform the platforms' own counts as model 'platform_reported', never summed
-- across platforms. Amounts in reporting micros.
--
-- Each key's figures are the sums of its lines: a day of spend (once per model, since spend
-- does not depend on the model), a campaign running in the period (so it has a row without
-- spend), a touch's credit. A line in a currency without a rate adds its currency to
-- unconverted instead of an amount. Spend is the business campaigns' (rollup_spend) however
-- the rows are cut, so channel rows and the total add up to the campaign rows. The touches'
-- credit is summed per key before it meets the spend (a month at 100,000 people is about
-- 60,000 touches).
CREATE FUNCTION socialroi.roi_all(p_from date, p_to date, p_by text)
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend_micros bigint, configured_spend_micros bigint,
               spend_micros bigint, unconverted text[], leads numeric, customers numeric,
               revenue_micros bigint)
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT l.key, max(l.title), NULL::text, l.model, socialroi.reporting_currency(),
           COALESCE(sum(l.platform_micros), 0)::bigint,
           COALESCE(sum(l.configured_micros), 0)::bigint,
           (COALESCE(sum(l.platform_micros), 0) + COALESCE(sum(l.configured_micros), 0))::bigint,
           COALESCE(pg_catalog.array_agg(DISTINCT l.currency ORDER BY l.currency)
                        FILTER (WHERE l.unconverted), '{}'),
           COALESCE(sum(l.leads), 0), COALESCE(sum(l.customers), 0),
           COALESCE(sum(l.revenue_micros), 0)::bigint
      FROM (SELECT CASE p_by WHEN 'campaign' THEN c.name
                             WHEN 'channel' THEN CASE WHEN r.source = 'configured'
                                                      THEN '(configured)' ELSE r.platform END
                             ELSE 'total' END AS key,
                   CASE WHEN p_by = 'campaign' THEN c.title END AS title, x.model,
                   CASE WHEN r.source = 'platform' THEN r.reporting_micros END AS platform_micros,
                   CASE WHEN r.source = 'configured' THEN r.reporting_micros END
                       AS configured_micros,
                   NULL::numeric AS leads, NULL::numeric AS customers,
                   NULL::numeric AS revenue_micros, r.reporting_micros IS NULL AS unconverted,
                   r.currency::text AS currency
              FROM socialroi.rollup_spend r JOIN socialroi.campaign c USING (campaign_id)
             CROSS JOIN socialroi.attribution_models() x(model)
             WHERE r.day BETWEEN p_from AND p_to
            UNION ALL
            SELECT c.name, c.title, x.model, NULL, NULL, NULL, NULL, NULL, false, NULL
              FROM socialroi.campaign c CROSS JOIN socialroi.attribution_models() x(model)
             WHERE p_by = 'campaign' AND c.active AND c.start_day <= p_to
               AND (c.end_day IS NULL OR c.end_day >= p_from)
            UNION ALL
            SELECT 'total', NULL, x.model, NULL, NULL, NULL, NULL, NULL, false, NULL
              FROM socialroi.attribution_models() x(model)
             WHERE p_by NOT IN ('campaign', 'channel')
            UNION ALL
            SELECT CASE WHEN p_by NOT IN ('campaign', 'channel') THEN 'total'
                        WHEN a.seq = 0 THEN '(unattributed)'
                        WHEN p_by = 'campaign' THEN COALESCE(c.name, '(no campaign)')
                        ELSE COALESCE(a.channel, '(unknown)') END,
                   max(c.title) FILTER (WHERE p_by = 'campaign' AND a.seq <> 0), a.model,
                   NULL, NULL, sum(a.weight) FILTER (WHERE a.kind = 'lead'),
                   sum(a.weight) FILTER (WHERE a.kind = 'deal' AND a.won),
                   sum(a.revenue_micros) FILTER (WHERE a.kind = 'deal' AND a.won),
                   a.kind = 'deal' AND a.won AND a.revenue_micros IS NULL,
                   CASE WHEN a.kind = 'deal' AND a.won AND a.revenue_micros IS NULL
                        THEN a.currency::text END
              FROM socialroi.attribution a LEFT JOIN socialroi.campaign c USING (campaign_id)
             WHERE a.day BETWEEN p_from AND p_to
             GROUP BY 1, 3, 9, 10) l
     GROUP BY l.key, l.model
    UNION ALL
    SELECT CASE WHEN p_by = 'channel' THEN r.platform ELSE c.name END,
           CASE WHEN p_by = 'channel' THEN NULL ELSE c.title END, r.platform,
           'platform_reported', socialroi.reporting_currency(),
           COALESCE(sum(r.reporting_micros), 0)::bigint, 0::bigint,
           COALESCE(sum(r.reporting_micros), 0)::bigint,
           COALESCE(pg_catalog.array_agg(DISTINCT r.currency::text ORDER BY r.currency::text)
                        FILTER (WHERE r.reporting_micros IS NULL), '{}'),
           sum(r.platform_leads)::numeric, sum(r.platform_conversions)::numeric,
           sum(socialroi.to_reporting(r.platform_value_micros, r.currency, r.day))::bigint
      FROM socialroi.rollup_spend r JOIN socialroi.campaign c USING (campaign_id)
     WHERE r.source = 'platform' AND r.day BETWEEN p_from AND p_to
       AND p_by IN ('campaign', 'channel')
     GROUP BY 1, 2, r.platform
$$;

-- The same body in PL/pgSQL: its expression is evaluated from a cached plan, where a SQL
-- function that cannot be inlined (it sets search_path) starts an executor per call: 600
-- calls 71 ms -> 26 ms (the platforms' conversion values of a month at 10 million rows).
CREATE OR REPLACE FUNCTION socialroi.to_reporting(p_micros bigint, p_currency text, p_day date)
RETURNS bigint LANGUAGE plpgsql STABLE SET search_path = '' AS $$
BEGIN
    RETURN socialroi.round_even(p_micros * socialroi.fx(p_currency, p_day));
END
$$;

CREATE OR REPLACE FUNCTION socialroi.roi(p_from date, p_to date, p_by text, p_model text)
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend_micros bigint, configured_spend_micros bigint,
               spend_micros bigint, unconverted text[], leads numeric, customers numeric,
               revenue_micros bigint)
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT * FROM socialroi.roi_all(p_from, p_to, p_by) r WHERE r.model = p_model
$$;

-- The readers' door to socialroi.roi_all: runs with the owner's rights, adds the ratios.
-- Leads, customers, roi and roas are rounded half to even to six decimals (the report's
-- figures); a cost is NULL when its count rounds to zero.
CREATE FUNCTION finance.roi_all(p_from date, p_to date, p_by text DEFAULT 'campaign')
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend numeric, configured_spend numeric, spend numeric,
               unconverted_currencies text[], leads numeric, customers numeric,
               revenue numeric, roi numeric, roas numeric, cost_per_lead numeric,
               customer_acquisition_cost numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT key, title, platform, model, currency,
           socialroi.money(platform_spend_micros), socialroi.money(configured_spend_micros),
           socialroi.money(spend_micros), unconverted, dashboard.round6(leads),
           dashboard.round6(customers), socialroi.money(revenue_micros),
           dashboard.round6((revenue_micros - spend_micros)::numeric / NULLIF(spend_micros, 0)),
           dashboard.round6(revenue_micros::numeric / NULLIF(spend_micros, 0)),
           socialroi.money(socialroi.cost_per(spend_micros, leads)),
           socialroi.money(socialroi.cost_per(spend_micros, customers))
      FROM socialroi.roi_all(p_from, p_to, p_by)
$$;

CREATE OR REPLACE FUNCTION finance.roi(p_from date, p_to date, p_by text DEFAULT 'campaign',
                                       p_model text DEFAULT 'linear')
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend numeric, configured_spend numeric, spend numeric,
               unconverted_currencies text[], leads numeric, customers numeric,
               revenue numeric, roi numeric, roas numeric, cost_per_lead numeric,
               customer_acquisition_cost numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT * FROM finance.roi_all(p_from, p_to, p_by) r WHERE r.model = p_model
$$;

-- The calendar months (first days) that hold spend, credit or ad data: each month from the
-- first day of data to the last is probed in each table's day index.
CREATE VIEW socialroi.data_months AS
SELECT m::date AS month
  FROM (SELECT LEAST((SELECT min(day) FROM socialroi.rollup_spend),
                     (SELECT min(day) FROM socialroi.attribution),
                     (SELECT min(day) FROM socialroi.ad_daily)) AS lo,
               GREATEST((SELECT max(day) FROM socialroi.rollup_spend),
                        (SELECT max(day) FROM socialroi.attribution),
                        (SELECT max(day) FROM socialroi.ad_daily)) AS hi) b,
       pg_catalog.generate_series(pg_catalog.date_trunc('month', b.lo::timestamp),
                                  b.hi::timestamp, interval '1 month') m
 WHERE EXISTS (SELECT 1 FROM socialroi.rollup_spend r
                WHERE r.day >= m::date AND r.day < (m + interval '1 month')::date)
    OR EXISTS (SELECT 1 FROM socialroi.attribution a
                WHERE a.day >= m::date AND a.day < (m + interval '1 month')::date)
    OR EXISTS (SELECT 1 FROM socialroi.ad_daily d
                WHERE d.day >= m::date AND d.day < (m + interval '1 month')::date);

CREATE OR REPLACE FUNCTION finance.months() RETURNS TABLE (month date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT month FROM socialroi.data_months
$$;

-- A filter on month keeps rows of socialroi.data_months before any figure is computed.
CREATE OR REPLACE VIEW finance.campaign_roi AS
SELECT m.month, r.key AS campaign, r.title, r.platform, r.model, r.currency, r.platform_spend,
       r.configured_spend, r.spend, r.unconverted_currencies, r.leads, r.customers, r.revenue,
       r.roi, r.roas, r.cost_per_lead, r.customer_acquisition_cost
  FROM socialroi.data_months m,
       LATERAL finance.roi_all(m.month, (m.month + interval '1 month' - interval '1 day')::date,
                               'campaign') r;

CREATE OR REPLACE VIEW finance.channel_roi AS
SELECT m.month, r.key AS channel, r.model, r.currency, r.platform_spend, r.configured_spend,
       r.spend, r.unconverted_currencies, r.leads, r.customers, r.revenue, r.roi, r.roas,
       r.cost_per_lead, r.customer_acquisition_cost
  FROM socialroi.data_months m,
       LATERAL finance.roi_all(m.month, (m.month + interval '1 month' - interval '1 day')::date,
                               'channel') r;

REVOKE ALL ON FUNCTION finance.roi_all(date, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finance.roi_all(date, date, text) TO socialroi_finance;

COMMENT ON FUNCTION socialroi.attribution_models() IS
    'The attribution models, as socialroi.attribution.model names them.';
COMMENT ON FUNCTION socialroi.roi_all(date, date, text) IS
    'ROI figures of a period under every model, in reporting micros: the one definition of '
    'the arithmetic behind finance.roi, finance.roi_report and the monthly finance views.';
COMMENT ON VIEW socialroi.data_months IS
    'The calendar months (first days) holding spend, attribution or ad data.';
COMMENT ON FUNCTION finance.roi_all(date, date, text) IS
    'finance.roi(from, to, by, model) for every model at once (first_touch, last_touch, '
    'linear, position_based, time_decay, platform_reported).';
