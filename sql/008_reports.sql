-- 008_reports.sql: the exact figures `socialroi report` prints (and machines compare).
--
-- Money in integer micro-units of the reporting currency; leads, customers and ratios as
-- decimals rounded half to even to 6 places; cost per lead and customer acquisition cost in
-- micros, half to even. Every row names its model and currency.

-- Half to even to 6 decimal places.
CREATE FUNCTION socialroi.round6(x numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT (socialroi.round_even(x * 1000000)::numeric / 1000000)::numeric(30, 6)
$$;

-- p_by: 'campaign', 'channel' or 'month' (one row per calendar month of the range, totals).
CREATE FUNCTION finance.roi_report(p_from date, p_to date, p_by text, p_model text)
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend_micros bigint, configured_spend_micros bigint, spend_micros bigint,
               unconverted_currencies text[], leads numeric, customers numeric,
               revenue_micros bigint, roi numeric, roas numeric, cost_per_lead_micros bigint,
               customer_acquisition_cost_micros bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    WITH r AS (
        SELECT * FROM socialroi.roi(p_from, p_to, p_by, p_model) WHERE p_by <> 'month'
        UNION ALL
        SELECT pg_catalog.to_char(m, 'YYYY-MM'), x.title, x.platform, x.model, x.currency,
               x.platform_spend_micros, x.configured_spend_micros, x.spend_micros,
               x.unconverted, x.leads, x.customers, x.revenue_micros
          FROM pg_catalog.generate_series(pg_catalog.date_trunc('month', p_from::timestamp),
                                          p_to::timestamp, interval '1 month') m,
               LATERAL socialroi.roi(GREATEST(m::date, p_from),
                                     LEAST((m + interval '1 month' - interval '1 day')::date, p_to),
                                     'total', p_model) x
         WHERE p_by = 'month')
    SELECT key, title, platform, model, currency, platform_spend_micros, configured_spend_micros,
           spend_micros, unconverted, socialroi.round6(leads), socialroi.round6(customers),
           revenue_micros,
           socialroi.round6((revenue_micros - spend_micros)::numeric / NULLIF(spend_micros, 0)),
           socialroi.round6(revenue_micros::numeric / NULLIF(spend_micros, 0)),
           socialroi.round_even(spend_micros / NULLIF(leads, 0)),
           socialroi.round_even(spend_micros / NULLIF(customers, 0))
      FROM r
     ORDER BY (key LIKE '(%'), key, platform
$$;

-- Channel activity for `socialroi report channels`: dashboard.channel_daily over a range.
CREATE FUNCTION dashboard.channel_report(p_from date, p_to date, p_by text)
RETURNS TABLE (key text, platform text, account text, impressions numeric, reach numeric,
               views numeric, clicks numeric, engagements numeric, engagement_rate numeric,
               followers bigint, followers_growth numeric, posts numeric,
               paid_impressions numeric, paid_clicks numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT CASE WHEN p_by = 'month' THEN pg_catalog.to_char(c.day, 'YYYY-MM') ELSE c.platform END,
           c.platform, c.account, sum(c.impressions), sum(c.reach), sum(c.views), sum(c.clicks),
           sum(c.engagements),
           socialroi.round6(sum(c.engagements)::numeric / NULLIF(sum(c.impressions), 0)),
           (pg_catalog.array_agg(c.followers ORDER BY c.day DESC)
                FILTER (WHERE c.followers IS NOT NULL))[1],
           sum(c.followers_growth), sum(c.posts), sum(c.paid_impressions), sum(c.paid_clicks)
      FROM dashboard.channel_daily c
     WHERE c.day BETWEEN p_from AND p_to
     GROUP BY 1, c.platform, c.account
     ORDER BY 1, c.platform, c.account
$$;

REVOKE ALL ON FUNCTION finance.roi_report(date, date, text, text),
    dashboard.channel_report(date, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finance.roi_report(date, date, text, text) TO socialroi_finance;
GRANT EXECUTE ON FUNCTION dashboard.channel_report(date, date, text)
    TO socialroi_dashboard, socialroi_finance;
