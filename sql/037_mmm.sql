-- 037_mmm.sql - a weekly panel for marketing-mix models (MMM), and their ROI read back.
--
-- finance.mmm_panel is the time x channel panel that Google's Meridian and Meta's Robyn take:
-- one row per ISO week (weeks start on Monday, date_trunc('week')) and ad platform with its
-- spend in the reporting currency, impressions and clicks, plus one KPI row per week with the
-- CRM's won revenue, new leads and the controls (organic engagements, brand and competitor
-- mentions). Every week from the first to the last week holding spend or a KPI has its rows,
-- zeros where nothing happened: a panel has no holes. `socialroi export panel` only formats it.
--
-- socialroi.mmm_run / socialroi.mmm_result hold what a model said per channel (its ROI with an
-- optional credible interval, for the period it was fitted on), written by
-- finance.import_mmm; finance.channel_roi_mmm shows it beside the rule-based figures, never
-- added to them.

-- ---- the panel ---------------------------------------------------------------------------------

-- Ad days are the platform's own day (ad_daily.day in its day_basis); deals and leads count on
-- their UTC day. Spend is converted per platform, currency and day as
-- socialroi.platform_spend_between does, so a week is the sum of its converted days; a day
-- without a rate names its currency in unconverted_currencies and adds nothing. The rate is
-- looked up and rounded (half to even) here as socialroi.to_reporting does it, and a person is
-- keyed as socialroi.person_key does it, without calling them: a view reads tables as its
-- owner, but the functions it calls run as the reader, who has no access to socialroi.
CREATE VIEW finance.mmm_panel AS
WITH rc AS (
    SELECT (SELECT value FROM socialroi.setting WHERE key = 'reporting_currency') AS currency),
spend_sum AS (
    SELECT a.platform AS channel, d.day, d.currency::text AS currency,
           sum(d.spend_micros) AS micros,
           sum(d.impressions) AS impressions, sum(d.clicks) AS clicks
      FROM socialroi.ad_daily d JOIN socialroi.account a USING (account_id)
     GROUP BY a.platform, d.day, d.currency),
spend_day AS (
    SELECT s.channel, s.day, s.currency, s.impressions, s.clicks,
           CASE WHEN x.v - pg_catalog.floor(x.v) = 0.5
                THEN (pg_catalog.floor(x.v) + (pg_catalog.floor(x.v)::bigint % 2 <> 0)::int)::bigint
                ELSE pg_catalog.round(x.v)::bigint END AS rm
      FROM spend_sum s, rc,
           LATERAL (SELECT s.micros *
                    CASE WHEN s.currency = rc.currency THEN 1::numeric ELSE
                         (SELECT f.rate FROM socialroi.fx_rate f
                           WHERE f.currency = s.currency AND f.day <= s.day
                           ORDER BY f.day DESC LIMIT 1) END AS v) x),
media AS (
    SELECT channel, (pg_catalog.date_trunc('week', day))::date AS week,
           COALESCE(sum(rm), 0)::bigint AS spend_micros,
           pg_catalog.array_agg(DISTINCT currency ORDER BY currency) FILTER (WHERE rm IS NULL)
               AS unconverted,
           sum(impressions)::bigint AS impressions, sum(clicks)::bigint AS clicks
      FROM spend_day GROUP BY 1, 2),
deal_sum AS (
    SELECT (d.closed_at AT TIME ZONE 'UTC')::date AS day, d.currency::text AS currency,
           sum(COALESCE(d.amount_micros, 0)) AS micros
      FROM socialroi.deal d
     WHERE d.is_won AND d.closed_at IS NOT NULL AND pg_catalog.isfinite(d.closed_at)
     GROUP BY 1, 2),
deal_day AS (
    SELECT s.day, s.currency,
           CASE WHEN x.v - pg_catalog.floor(x.v) = 0.5
                THEN (pg_catalog.floor(x.v) + (pg_catalog.floor(x.v)::bigint % 2 <> 0)::int)::bigint
                ELSE pg_catalog.round(x.v)::bigint END AS rm
      FROM deal_sum s, rc,
           LATERAL (SELECT s.micros *
                    CASE WHEN s.currency = rc.currency THEN 1::numeric ELSE
                         (SELECT f.rate FROM socialroi.fx_rate f
                           WHERE f.currency = s.currency AND f.day <= s.day
                           ORDER BY f.day DESC LIMIT 1) END AS v) x),
revenue AS (
    SELECT (pg_catalog.date_trunc('week', day))::date AS week,
           COALESCE(sum(rm), 0)::bigint AS revenue_micros,
           pg_catalog.array_agg(DISTINCT COALESCE(currency, '???') ORDER BY
                                COALESCE(currency, '???')) FILTER (WHERE rm IS NULL)
               AS unconverted
      FROM deal_day GROUP BY 1),
person AS (
    SELECT COALESCE('e:' || l.email_hash, 'l:' || l.account_id || ':' || l.lead_id) AS person,
           min(l.created_at) AS first_at
      FROM socialroi.lead l
     WHERE NOT l.is_test AND pg_catalog.isfinite(l.created_at)
     GROUP BY 1),
leads AS (
    SELECT (pg_catalog.date_trunc('week', first_at AT TIME ZONE 'UTC'))::date AS week,
           count(*) AS leads
      FROM person GROUP BY 1),
organic AS (
    SELECT (pg_catalog.date_trunc('week', m.day))::date AS week, sum(m.value)::bigint AS eng
      FROM socialroi.metric_daily m
     WHERE m.object_id = '' AND m.metric = 'engagements'
     GROUP BY 1),
mentions AS (
    SELECT (pg_catalog.date_trunc('week', m.posted_at AT TIME ZONE 'UTC'))::date AS week,
           count(*) FILTER (WHERE COALESCE(q.side, 'brand') = 'brand') AS brand,
           count(*) FILTER (WHERE q.side = 'competitor') AS competitor
      FROM socialroi.mention m
      LEFT JOIN socialroi.listening_query q ON q.account_id = m.account_id AND q.query = m.query
     WHERE pg_catalog.isfinite(m.posted_at)
     GROUP BY 1),
bounds AS (
    SELECT min(week) AS first_week, max(week) AS last_week
      FROM (SELECT week FROM media UNION ALL SELECT week FROM revenue
            UNION ALL SELECT week FROM leads) k),
weeks AS (
    SELECT (g.w)::date AS week
      FROM bounds b, pg_catalog.generate_series(b.first_week::timestamp,
                                                b.last_week::timestamp, interval '7 days') g(w)),
channels AS (SELECT DISTINCT channel FROM media)
SELECT w.week, c.channel, 'media'::text AS kind, rc.currency,
       COALESCE(m.spend_micros, 0) AS spend_micros,
       (COALESCE(m.spend_micros, 0)::numeric / 1000000)::numeric(24, 6) AS spend,
       COALESCE(m.unconverted, '{}') AS unconverted_currencies,
       COALESCE(m.impressions, 0) AS impressions, COALESCE(m.clicks, 0) AS clicks,
       NULL::bigint AS revenue_micros, NULL::numeric(24, 6) AS revenue, NULL::bigint AS leads,
       NULL::bigint AS organic_engagements, NULL::bigint AS brand_mentions,
       NULL::bigint AS competitor_mentions
  FROM weeks w CROSS JOIN channels c CROSS JOIN rc
  LEFT JOIN media m ON m.week = w.week AND m.channel = c.channel
UNION ALL
SELECT w.week, NULL, 'kpi', rc.currency, NULL, NULL,
       COALESCE(r.unconverted, '{}'), NULL, NULL,
       COALESCE(r.revenue_micros, 0), (COALESCE(r.revenue_micros, 0)::numeric / 1000000)::numeric(24, 6),
       COALESCE(l.leads, 0), COALESCE(o.eng, 0), COALESCE(n.brand, 0), COALESCE(n.competitor, 0)
  FROM weeks w CROSS JOIN rc
  LEFT JOIN revenue r ON r.week = w.week
  LEFT JOIN leads l ON l.week = w.week
  LEFT JOIN organic o ON o.week = w.week
  LEFT JOIN mentions n ON n.week = w.week;

GRANT SELECT ON finance.mmm_panel TO socialroi_finance;

COMMENT ON VIEW finance.mmm_panel IS
    'Weekly panel for marketing-mix models (Meridian, Robyn), long format: per ISO week '
    '(Monday) one media row per ad platform and one kpi row; every week between the first and '
    'the last week holding spend, won revenue or a lead is present, with zeros (no holes).';
COMMENT ON COLUMN finance.mmm_panel.week IS
    'The ISO week, as its Monday (weeks start on Monday).';
COMMENT ON COLUMN finance.mmm_panel.channel IS
    'The ad platform of a media row (facebook, linkedin, ...); NULL on the week''s kpi row.';
COMMENT ON COLUMN finance.mmm_panel.kind IS
    'media: one platform''s spend and delivery; kpi: the week''s outcomes and controls.';
COMMENT ON COLUMN finance.mmm_panel.currency IS
    'The reporting currency of spend and revenue.';
COMMENT ON COLUMN finance.mmm_panel.spend_micros IS
    'Media rows: the platform''s ad spend in the week, reporting-currency micro-units '
    '(converted per day at that day''s rate); NULL on kpi rows.';
COMMENT ON COLUMN finance.mmm_panel.spend IS
    'spend_micros as an exact amount with six decimals.';
COMMENT ON COLUMN finance.mmm_panel.unconverted_currencies IS
    'Currencies of spend (media rows) or won deals (kpi rows) left out of the week for want of '
    'an exchange rate; empty when everything was converted.';
COMMENT ON COLUMN finance.mmm_panel.impressions IS
    'Media rows: paid impressions the platform reported for the week.';
COMMENT ON COLUMN finance.mmm_panel.clicks IS
    'Media rows: paid clicks the platform reported for the week.';
COMMENT ON COLUMN finance.mmm_panel.revenue_micros IS
    'Kpi rows: amounts of CRM deals won (closed) in the week, reporting-currency micro-units.';
COMMENT ON COLUMN finance.mmm_panel.revenue IS
    'revenue_micros as an exact amount with six decimals.';
COMMENT ON COLUMN finance.mmm_panel.leads IS
    'Kpi rows: new people in the week: a person (e-mail hash, or a single lead) counts once, in '
    'the week of their first lead that is not a test.';
COMMENT ON COLUMN finance.mmm_panel.organic_engagements IS
    'Kpi rows, a control: engagements on every account''s own (unpaid) posts in the week.';
COMMENT ON COLUMN finance.mmm_panel.brand_mentions IS
    'Kpi rows, a control: mentions found by the brand''s listening queries in the week.';
COMMENT ON COLUMN finance.mmm_panel.competitor_mentions IS
    'Kpi rows, a control: mentions found by competitors'' listening queries in the week.';

-- ---- what a model said ------------------------------------------------------------------------

CREATE TABLE socialroi.mmm_run (
    run_id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model       text NOT NULL CHECK (model <> ''),
    layout      text NOT NULL CHECK (layout IN ('robyn', 'meridian', 'generic')),
    file_sha256 text NOT NULL UNIQUE CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
    period_from date NOT NULL,
    period_to   date NOT NULL,
    imported_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    imported_by text NOT NULL DEFAULT CURRENT_USER,
    CHECK (period_to >= period_from)
);

CREATE TABLE socialroi.mmm_result (
    run_id      bigint NOT NULL REFERENCES socialroi.mmm_run ON DELETE CASCADE,
    channel     text NOT NULL,
    roi         numeric NOT NULL,
    roi_lower   numeric,
    roi_upper   numeric,
    PRIMARY KEY (run_id, channel),
    CHECK (roi_lower IS NULL OR roi_lower <= roi),
    CHECK (roi_upper IS NULL OR roi_upper >= roi)
);

COMMENT ON TABLE socialroi.mmm_run IS
    'One imported MMM result file: the model''s name, the file''s layout and SHA-256 (a file '
    'is imported once), the period the model was fitted on, who imported it and when.';
COMMENT ON TABLE socialroi.mmm_result IS
    'A model''s ROI per channel (ad platform) for its run''s period: incremental revenue per '
    'unit of spend as the model defines it, with an optional credible interval.';

-- Stores one file's rows (p_rows: [{"channel", "roi", "roi_lower", "roi_upper"}], the numbers
-- as text, exact) under a new run, all or nothing: a channel that is not an ad platform, a
-- number that is not one, a channel twice or an interval that does not hold the ROI raises and
-- stores nothing. A file already imported (same SHA-256) changes nothing: returns its run with
-- imported = false. SECURITY DEFINER so the finance role needs no access to the socialroi
-- schema (it holds lead hashes): EXECUTE on this function is its one grant to write.
CREATE FUNCTION finance.import_mmm(p_model text, p_layout text, p_sha256 text, p_from date,
                                   p_to date, p_rows jsonb)
RETURNS TABLE (run_id bigint, imported boolean, channels integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = '' AS $$
DECLARE
    v_run bigint;
    v_bad text;
    v_n integer;
BEGIN
    SELECT r.run_id INTO v_run FROM socialroi.mmm_run r WHERE r.file_sha256 = p_sha256;
    IF FOUND THEN
        RETURN QUERY SELECT v_run, false,
            (SELECT count(*)::integer FROM socialroi.mmm_result m WHERE m.run_id = v_run);
        RETURN;
    END IF;
    IF p_rows IS NULL OR pg_catalog.jsonb_typeof(p_rows) <> 'array'
       OR pg_catalog.jsonb_array_length(p_rows) = 0 THEN
        RAISE EXCEPTION 'no rows to import' USING ERRCODE = '22023';
    END IF;
    SELECT e->>'channel' INTO v_bad
      FROM pg_catalog.jsonb_array_elements(p_rows) e
     WHERE socialroi.channel_of(e->>'channel') IS NULL
        OR socialroi.channel_of(e->>'channel') NOT IN
           ('x', 'facebook', 'instagram', 'linkedin', 'youtube', 'pinterest')
     LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'unknown channel "%"', v_bad USING ERRCODE = '22023',
            HINT = 'channels are the ad platforms: x, facebook, instagram, linkedin, youtube, '
                   'pinterest (twitter, fb, meta and ig are read as theirs)';
    END IF;
    INSERT INTO socialroi.mmm_run (model, layout, file_sha256, period_from, period_to)
    VALUES (p_model, p_layout, p_sha256, p_from, p_to) RETURNING mmm_run.run_id INTO v_run;
    INSERT INTO socialroi.mmm_result (run_id, channel, roi, roi_lower, roi_upper)
    SELECT v_run, socialroi.channel_of(e->>'channel'), (e->>'roi')::numeric,
           NULLIF(e->>'roi_lower', '')::numeric, NULLIF(e->>'roi_upper', '')::numeric
      FROM pg_catalog.jsonb_array_elements(p_rows) e;
    GET DIAGNOSTICS v_n = ROW_COUNT;
    RETURN QUERY SELECT v_run, true, v_n;
END
$$;

REVOKE ALL ON FUNCTION finance.import_mmm(text, text, text, date, date, jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finance.import_mmm(text, text, text, date, date, jsonb)
    TO socialroi_finance;

COMMENT ON FUNCTION finance.import_mmm(text, text, text, date, date, jsonb) IS
    'Stores a marketing-mix model''s per-channel ROI (socialroi import mmm): all rows or '
    'none; the same file (SHA-256) twice changes nothing.';

-- ---- beside the rules ------------------------------------------------------------------------

-- finance.channel_roi's rows (every rule-based model and platform_reported, per month and
-- channel) with, in columns of their own, the latest import of each MMM whose period overlaps
-- the month. A separate view: channel_roi's columns stay as they are, and nothing is summed.
CREATE VIEW finance.channel_roi_mmm AS
SELECT c.month, c.channel, c.model, c.currency, c.spend, c.revenue, c.roi, c.roas,
       x.model AS mmm_model, x.run_id AS mmm_run_id, x.roi AS mmm_roi,
       x.roi_lower AS mmm_roi_lower, x.roi_upper AS mmm_roi_upper,
       x.period_from AS mmm_period_from, x.period_to AS mmm_period_to,
       x.imported_at AS mmm_imported_at
  FROM finance.channel_roi c
  LEFT JOIN LATERAL (
      SELECT DISTINCT ON (r.model) r.model, r.run_id, m.roi, m.roi_lower, m.roi_upper,
             r.period_from, r.period_to, r.imported_at
        FROM socialroi.mmm_run r
        JOIN socialroi.mmm_result m ON m.run_id = r.run_id AND m.channel = c.channel
       WHERE r.period_from <= (c.month + interval '1 month' - interval '1 day')::date
         AND r.period_to >= c.month
       ORDER BY r.model, r.imported_at DESC, r.run_id DESC) x ON true;

GRANT SELECT ON finance.channel_roi_mmm TO socialroi_finance;

COMMENT ON VIEW finance.channel_roi_mmm IS
    'finance.channel_roi per month, channel and rule-based model (and platform_reported), with '
    'each marketing-mix model''s ROI for that channel in separate mmm_ columns: the latest '
    'import per MMM whose period overlaps the month, one row per MMM. The two are never summed: '
    'the MMM figure is estimated over its whole period, not measured in the month. Robyn''s '
    'roi_total and Meridian''s ROI are incremental revenue per unit of spend, so compare '
    'mmm_roi with roas; roi here is (revenue - spend) / spend.';
COMMENT ON COLUMN finance.channel_roi_mmm.month IS
    'The calendar month of the rule-based figures (its first day).';
COMMENT ON COLUMN finance.channel_roi_mmm.channel IS
    'The platform, as in finance.channel_roi.';
COMMENT ON COLUMN finance.channel_roi_mmm.model IS
    'The rule-based attribution model of roi and roas, or platform_reported.';
COMMENT ON COLUMN finance.channel_roi_mmm.currency IS
    'The reporting currency of spend and revenue.';
COMMENT ON COLUMN finance.channel_roi_mmm.spend IS
    'Spend of the channel in the month, as finance.channel_roi.spend.';
COMMENT ON COLUMN finance.channel_roi_mmm.revenue IS
    'Revenue credited to the channel in the month by the rule-based model.';
COMMENT ON COLUMN finance.channel_roi_mmm.roi IS
    'Rule-based ROI, (revenue - spend) / spend, as finance.channel_roi.roi.';
COMMENT ON COLUMN finance.channel_roi_mmm.roas IS
    'Rule-based revenue / spend: the figure to compare mmm_roi with.';
COMMENT ON COLUMN finance.channel_roi_mmm.mmm_model IS
    'The name the marketing-mix model was imported under (--model); NULL without an import.';
COMMENT ON COLUMN finance.channel_roi_mmm.mmm_run_id IS
    'The import (socialroi.mmm_run) the MMM figures come from.';
COMMENT ON COLUMN finance.channel_roi_mmm.mmm_roi IS
    'The MMM''s ROI of the channel over its period: incremental revenue per unit of spend.';
COMMENT ON COLUMN finance.channel_roi_mmm.mmm_roi_lower IS
    'Lower end of the MMM''s credible interval for mmm_roi, when the file gave one.';
COMMENT ON COLUMN finance.channel_roi_mmm.mmm_roi_upper IS
    'Upper end of the MMM''s credible interval for mmm_roi, when the file gave one.';
COMMENT ON COLUMN finance.channel_roi_mmm.mmm_period_from IS
    'First day of the period the MMM was fitted on.';
COMMENT ON COLUMN finance.channel_roi_mmm.mmm_period_to IS
    'Last day of the period the MMM was fitted on.';
COMMENT ON COLUMN finance.channel_roi_mmm.mmm_imported_at IS
    'When the MMM''s file was imported.';
