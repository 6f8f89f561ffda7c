-- 039_view_speed.sql - finance views a month filter reaches: the MMM panel per week, and the
-- ROI bridge's month read set-based.

-- ---- finance.mmm_panel: one week at a time ---------------------------------------------------
--
-- 037's panel aggregated every fact row whatever weeks were asked. The same rows now come from
-- finance.mmm_panel_week, called once per week of socialroi.mmm_weeks; a filter on week keeps
-- weeks of that list before any fact row is read, as finance.campaign_roi does over months.
-- Each week's figures read only that week's rows through indexes on their times. On the
-- benchmark customer (10.9 million fact rows, 100,000 people) one month of the panel took 313 ms
-- and now takes 45 ms; the whole panel 646 ms, now 585 ms.

-- Won deals by close time (the panel's revenue), and mentions by posting time (its controls).
CREATE INDEX deal_won_closed_idx ON socialroi.deal (closed_at) WHERE is_won;
CREATE INDEX mention_posted_idx ON socialroi.mention (posted_at);

-- The panel's weeks: every ISO week (its Monday) from the first to the last week holding spend
-- (an ad row), a won deal or a person's first lead, as 037 bounds them, found by index probes.
-- The last week of a first lead is only looked for after the last week of spend and revenue:
-- a lead counts in a week when no earlier lead (not a test) of its person exists.
CREATE VIEW socialroi.mmm_weeks AS
WITH edge AS (
    SELECT (SELECT pg_catalog.min(d.day) FROM socialroi.ad_daily d) AS media_lo,
           (SELECT pg_catalog.max(d.day) FROM socialroi.ad_daily d) AS media_hi,
           (SELECT pg_catalog.min(d.closed_at) FROM socialroi.deal d
             WHERE d.is_won AND pg_catalog.isfinite(d.closed_at)) AS deal_lo,
           (SELECT pg_catalog.max(d.closed_at) FROM socialroi.deal d
             WHERE d.is_won AND pg_catalog.isfinite(d.closed_at)) AS deal_hi,
           (SELECT pg_catalog.min(l.created_at) FROM socialroi.lead l
             WHERE NOT l.is_test AND pg_catalog.isfinite(l.created_at)) AS lead_lo
), week AS (
    SELECT (pg_catalog.date_trunc('week', e.media_lo))::date AS media_lo,
           (pg_catalog.date_trunc('week', e.media_hi))::date AS media_hi,
           (pg_catalog.date_trunc('week', e.deal_lo AT TIME ZONE 'UTC'))::date AS deal_lo,
           (pg_catalog.date_trunc('week', e.deal_hi AT TIME ZONE 'UTC'))::date AS deal_hi,
           (pg_catalog.date_trunc('week', e.lead_lo AT TIME ZONE 'UTC'))::date AS lead_lo
      FROM edge e
), bounds AS (
    SELECT LEAST(w.media_lo, w.deal_lo, w.lead_lo) AS first_week,
           GREATEST(GREATEST(w.media_hi, w.deal_hi),
                    (SELECT (pg_catalog.date_trunc('week', pg_catalog.max(l.created_at)
                                                           AT TIME ZONE 'UTC'))::date
                       FROM socialroi.lead l
                      WHERE l.created_at >= COALESCE(
                                (GREATEST(w.media_hi, w.deal_hi) + 7)::timestamp
                                    AT TIME ZONE 'UTC', '-infinity')
                        AND NOT l.is_test AND pg_catalog.isfinite(l.created_at)
                        AND NOT EXISTS (
                            SELECT 1 FROM socialroi.lead e
                             WHERE l.email_hash IS NOT NULL AND e.email_hash = l.email_hash
                               AND NOT e.is_test AND pg_catalog.isfinite(e.created_at)
                               AND e.created_at < l.created_at))) AS last_week
      FROM week w
)
SELECT (g.w)::date AS week
  FROM bounds b, pg_catalog.generate_series(b.first_week::timestamp, b.last_week::timestamp,
                                            interval '7 days') g(w);

COMMENT ON VIEW socialroi.mmm_weeks IS
    'The weeks (Mondays) of finance.mmm_panel: every week from the first to the last week '
    'holding an ad row, a won deal or a person''s first lead, found by index probes.';

-- One week's rows of the panel (p_week: its Monday), 037's query with every fact read cut to
-- the week. The week's bounds are written into each condition rather than kept in a CTE, so the
-- planner estimates one week's rows: with a CTE its estimate passed the JIT threshold and
-- compiling cost 90 ms a week. Channels are the platforms of accounts with any ad row, so every
-- week has the same media rows. SECURITY DEFINER: the reader has no access to the socialroi
-- schema.
CREATE FUNCTION finance.mmm_panel_week(p_week date)
RETURNS TABLE (channel text, kind text, currency text, spend_micros bigint, spend numeric,
               unconverted_currencies text[], impressions bigint, clicks bigint,
               revenue_micros bigint, revenue numeric, leads bigint,
               organic_engagements bigint, brand_mentions bigint, competitor_mentions bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
WITH rc AS (
    SELECT (SELECT value FROM socialroi.setting WHERE key = 'reporting_currency') AS currency),
spend_sum AS (
    SELECT a.platform AS channel, d.day, d.currency::text AS currency,
           sum(d.spend_micros) AS micros,
           sum(d.impressions) AS impressions, sum(d.clicks) AS clicks
      FROM socialroi.ad_daily d JOIN socialroi.account a USING (account_id)
     WHERE d.day >= p_week AND d.day < p_week + 7
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
    SELECT channel, COALESCE(sum(rm), 0)::bigint AS spend_micros,
           pg_catalog.array_agg(DISTINCT currency ORDER BY currency) FILTER (WHERE rm IS NULL)
               AS unconverted,
           sum(impressions)::bigint AS impressions, sum(clicks)::bigint AS clicks
      FROM spend_day GROUP BY 1),
deal_sum AS (
    SELECT (d.closed_at AT TIME ZONE 'UTC')::date AS day, d.currency::text AS currency,
           sum(COALESCE(d.amount_micros, 0)) AS micros
      FROM socialroi.deal d
     WHERE d.is_won AND d.closed_at >= p_week::timestamp AT TIME ZONE 'UTC'
       AND d.closed_at < (p_week + 7)::timestamp AT TIME ZONE 'UTC'
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
    SELECT COALESCE(sum(rm), 0)::bigint AS revenue_micros,
           pg_catalog.array_agg(DISTINCT COALESCE(currency, '???') ORDER BY
                                COALESCE(currency, '???')) FILTER (WHERE rm IS NULL)
               AS unconverted
      FROM deal_day),
leads AS (
    -- the people whose first lead (not a test) falls in the week: a lead without an e-mail is
    -- its own person; one with an e-mail is no later than every lead sharing it (a probe of
    -- the e-mail hash index per lead of the week, where a join would read every lead)
    SELECT count(DISTINCT COALESCE('e:' || l.email_hash,
                                   'l:' || l.account_id || ':' || l.lead_id)) AS leads
      FROM socialroi.lead l
     WHERE l.created_at >= p_week::timestamp AT TIME ZONE 'UTC'
       AND l.created_at < (p_week + 7)::timestamp AT TIME ZONE 'UTC' AND NOT l.is_test
       AND (l.email_hash IS NULL
            OR l.created_at <= (SELECT pg_catalog.min(e.created_at) FROM socialroi.lead e
                                 WHERE e.email_hash = l.email_hash AND NOT e.is_test
                                   AND pg_catalog.isfinite(e.created_at)))),
organic AS (
    SELECT sum(m.value)::bigint AS eng
      FROM socialroi.metric_daily m
     WHERE m.object_id = '' AND m.metric = 'engagements'
       AND m.day >= p_week AND m.day < p_week + 7),
mentions AS (
    SELECT count(*) FILTER (WHERE COALESCE(q.side, 'brand') = 'brand') AS brand,
           count(*) FILTER (WHERE q.side = 'competitor') AS competitor
      FROM socialroi.mention m
      LEFT JOIN socialroi.listening_query q ON q.account_id = m.account_id AND q.query = m.query
     WHERE m.posted_at >= p_week::timestamp AT TIME ZONE 'UTC'
       AND m.posted_at < (p_week + 7)::timestamp AT TIME ZONE 'UTC'),
channels AS (
    SELECT DISTINCT a.platform AS channel
      FROM socialroi.account a
     WHERE EXISTS (SELECT 1 FROM socialroi.ad_daily d WHERE d.account_id = a.account_id))
SELECT c.channel, 'media'::text AS kind, rc.currency,
       COALESCE(m.spend_micros, 0) AS spend_micros,
       (COALESCE(m.spend_micros, 0)::numeric / 1000000)::numeric(24, 6) AS spend,
       COALESCE(m.unconverted, '{}') AS unconverted_currencies,
       COALESCE(m.impressions, 0) AS impressions, COALESCE(m.clicks, 0) AS clicks,
       NULL::bigint AS revenue_micros, NULL::numeric(24, 6) AS revenue, NULL::bigint AS leads,
       NULL::bigint AS organic_engagements, NULL::bigint AS brand_mentions,
       NULL::bigint AS competitor_mentions
  FROM channels c CROSS JOIN rc
  LEFT JOIN media m ON m.channel = c.channel
UNION ALL
SELECT NULL, 'kpi', rc.currency, NULL, NULL,
       COALESCE(r.unconverted, '{}'), NULL, NULL,
       COALESCE(r.revenue_micros, 0),
       (COALESCE(r.revenue_micros, 0)::numeric / 1000000)::numeric(24, 6),
       COALESCE(l.leads, 0), COALESCE(o.eng, 0), COALESCE(n.brand, 0), COALESCE(n.competitor, 0)
  FROM rc, revenue r, leads l, organic o, mentions n
$$;

REVOKE ALL ON FUNCTION finance.mmm_panel_week(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finance.mmm_panel_week(date) TO socialroi_finance;

COMMENT ON FUNCTION finance.mmm_panel_week(date) IS
    'The rows of finance.mmm_panel for one week (its Monday): one media row per ad platform and '
    'the kpi row, read from that week''s facts only.';

-- Same columns, same rows; a filter on week keeps rows of socialroi.mmm_weeks first. (037's
-- spend column is numeric without a scale, its revenue numeric(24, 6): the UNION typed them.)
CREATE OR REPLACE VIEW finance.mmm_panel AS
SELECT w.week, p.channel, p.kind, p.currency, p.spend_micros,
       p.spend, p.unconverted_currencies, p.impressions, p.clicks,
       p.revenue_micros, p.revenue::numeric(24, 6) AS revenue, p.leads,
       p.organic_engagements, p.brand_mentions, p.competitor_mentions
  FROM socialroi.mmm_weeks w, LATERAL finance.mmm_panel_week(w.week) p;

-- ---- finance.roi_bridge: the month's people read together ------------------------------------
--
-- 038 computes a month's lines record by record: for every form lead and every CRM record of
-- the month, its person's leads are looked up by e-mail hash four to six times (first CRM
-- record, its last touch, ties, first form on the channel, organic forms). socialroi.bridge_lines
-- gathers the month's people first, reads each one's leads once (an index probe per person)
-- into one row per person: the first CRM record, the lead keys, and the form leads in order of
-- time; the last touch up to the CRM record is one probe per lead; the month's records then
-- find their person by a hash join and the first ad form on a channel in that row's arrays.
-- The causes are 038's, decided the same way; socialroi.roi_bridge_lines stays as the
-- record-by-record definition the tests compare this one with. channel_of is written out
-- inline (the function sets search_path, so it is never inlined) and applied to one touch per
-- person. On the benchmarks' CRM (100,000 people over two years) a month's lines took 210 ms and
-- take 55 ms; finance.roi_bridge for one month 0.45 s, now 0.08 s, all 25 months 1.4 s (was 5).
CREATE FUNCTION socialroi.bridge_lines(p_month date)
RETURNS TABLE (channel text, what text, leads bigint)
LANGUAGE sql STABLE SET search_path = '' AS $$
    WITH acct AS MATERIALIZED (
        SELECT a.account_id, a.channel, a.tz FROM socialroi.bridge_account a
    ), form AS MATERIALIZED (
        -- the ad form leads the platforms count in the month (their day is at most a day off UTC)
        SELECT COALESCE('e:' || l.email_hash, 'l:' || l.account_id || ':' || l.lead_id) AS pkey,
               l.email_hash, l.account_id, l.lead_id, a.channel,
               pg_catalog.date_trunc('month', l.created_at AT TIME ZONE 'UTC')::date AS utc_month
          FROM socialroi.lead l
          JOIN acct a USING (account_id)
         WHERE l.created_at >= (p_month - 1)::timestamp AT TIME ZONE 'UTC'
           AND l.created_at < (p_month + interval '1 month' + interval '1 day')::timestamp
                                  AT TIME ZONE 'UTC'
           AND l.source = 'form' AND l.campaign_id IS NOT NULL AND NOT l.is_test
           AND pg_catalog.date_trunc('month', l.created_at AT TIME ZONE a.tz)::date = p_month
    ), crm_rec AS MATERIALIZED (
        -- the CRM records of the month
        SELECT COALESCE('e:' || l.email_hash, 'l:' || l.account_id || ':' || l.lead_id) AS pkey,
               l.email_hash, l.account_id, l.lead_id, l.created_at
          FROM socialroi.lead l
         WHERE l.created_at >= p_month::timestamp AT TIME ZONE 'UTC'
           AND l.created_at < (p_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
           AND l.source = 'crm' AND NOT l.is_test
    ), who AS MATERIALIZED (
        -- the month's people: an e-mail hash, or the one lead without one
        SELECT DISTINCT x.pkey, x.email_hash,
               CASE WHEN x.email_hash IS NULL THEN x.account_id END AS account_id,
               CASE WHEN x.email_hash IS NULL THEN x.lead_id END AS lead_id
          FROM (SELECT f.pkey, f.email_hash, f.account_id, f.lead_id FROM form f
                UNION ALL
                SELECT c.pkey, c.email_hash, c.account_id, c.lead_id FROM crm_rec c) x
    ), person AS MATERIALIZED (
        -- per person, from their leads (test leads left out, as socialroi.person_leads): the
        -- first CRM record (time, then key), every lead's key, and the form leads on the
        -- platforms' accounts in order (time, then key) with their channel and months
        SELECT w.pkey, p.*
          FROM who w
          CROSS JOIN LATERAL (
              SELECT pg_catalog.min(l.created_at) FILTER (WHERE l.source = 'crm') AS at,
                     (pg_catalog.array_agg(l.account_id ORDER BY l.created_at, l.account_id,
                                           l.lead_id) FILTER (WHERE l.source = 'crm'))[1]
                         AS crm_account,
                     (pg_catalog.array_agg(l.lead_id ORDER BY l.created_at, l.account_id,
                                           l.lead_id) FILTER (WHERE l.source = 'crm'))[1]
                         AS crm_lead,
                     pg_catalog.array_agg(l.account_id) AS lead_accounts,
                     pg_catalog.array_agg(l.lead_id) AS lead_ids,
                     pg_catalog.array_agg(a.channel ORDER BY l.created_at, l.account_id, l.lead_id)
                         FILTER (WHERE l.source = 'form' AND a.account_id IS NOT NULL)
                         AS form_channels,
                     pg_catalog.array_agg(l.campaign_id IS NOT NULL
                                          ORDER BY l.created_at, l.account_id, l.lead_id)
                         FILTER (WHERE l.source = 'form' AND a.account_id IS NOT NULL)
                         AS form_ads,
                     pg_catalog.array_agg(l.account_id
                                          ORDER BY l.created_at, l.account_id, l.lead_id)
                         FILTER (WHERE l.source = 'form' AND a.account_id IS NOT NULL)
                         AS form_accounts,
                     pg_catalog.array_agg(l.lead_id ORDER BY l.created_at, l.account_id, l.lead_id)
                         FILTER (WHERE l.source = 'form' AND a.account_id IS NOT NULL)
                         AS form_leads,
                     pg_catalog.array_agg(pg_catalog.date_trunc(
                                              'month', l.created_at AT TIME ZONE a.tz)::date
                                          ORDER BY l.created_at, l.account_id, l.lead_id)
                         FILTER (WHERE l.source = 'form' AND a.account_id IS NOT NULL)
                         AS form_months,
                     pg_catalog.array_agg(pg_catalog.date_trunc(
                                              'month', l.created_at AT TIME ZONE 'UTC')::date
                                          ORDER BY l.created_at, l.account_id, l.lead_id)
                         FILTER (WHERE l.source = 'form' AND a.account_id IS NOT NULL)
                         AS form_utc_months
                FROM (SELECT e.account_id, e.lead_id, e.source, e.created_at, e.campaign_id
                        FROM socialroi.lead e
                       WHERE e.email_hash = w.email_hash AND NOT e.is_test
                      UNION ALL
                      SELECT e.account_id, e.lead_id, e.source, e.created_at, e.campaign_id
                        FROM socialroi.lead e
                       WHERE w.email_hash IS NULL AND e.account_id = w.account_id
                         AND e.lead_id = w.lead_id AND NOT e.is_test) l
                LEFT JOIN acct a ON a.account_id = l.account_id) p
    ), crm_person AS MATERIALIZED (
        -- the people the CRM recorded, with the last touch up to their first record and its
        -- channel (socialroi.channel_of written out)
        SELECT p.*, t.occurred_at AS touched_at,
               CASE pg_catalog.lower(pg_catalog.btrim(t.platform))
                    WHEN 'twitter' THEN 'x' WHEN 'x' THEN 'x'
                    WHEN 'facebook' THEN 'facebook' WHEN 'fb' THEN 'facebook'
                    WHEN 'meta' THEN 'facebook'
                    WHEN 'instagram' THEN 'instagram' WHEN 'ig' THEN 'instagram'
                    WHEN 'linkedin' THEN 'linkedin' WHEN 'youtube' THEN 'youtube'
                    WHEN 'pinterest' THEN 'pinterest' WHEN 'hubspot' THEN 'hubspot'
                    ELSE NULLIF(pg_catalog.lower(pg_catalog.btrim(t.platform)), '') END
                   AS crm_channel
          FROM person p
          LEFT JOIN LATERAL (
              SELECT x.occurred_at, x.platform
                FROM ROWS FROM (pg_catalog.unnest(p.lead_accounts),
                                pg_catalog.unnest(p.lead_ids)) k(account_id, lead_id)
                CROSS JOIN LATERAL (
                    SELECT t.occurred_at, t.account_id, t.touch_id, t.platform
                      FROM socialroi.touchpoint t
                     WHERE t.account_id = k.account_id AND t.lead_id = k.lead_id
                       AND t.occurred_at <= p.at
                     ORDER BY t.occurred_at DESC, t.touch_id DESC LIMIT 1) x
               ORDER BY x.occurred_at DESC, x.account_id DESC, x.touch_id DESC LIMIT 1) t ON true
         WHERE p.at IS NOT NULL
    ), form_cause AS (
        SELECT f.channel,
               CASE WHEN c.at IS NULL THEN 'form_lead_not_in_crm'
                    WHEN (ff.account_id, ff.lead_id) IS DISTINCT FROM (f.account_id, f.lead_id)
                    THEN 'repeated_form_submission'
                    WHEN c.crm_channel IS DISTINCT FROM f.channel
                    THEN 'credited_to_another_channel'
                    WHEN pg_catalog.date_trunc('month', c.at AT TIME ZONE 'UTC')::date = p_month
                    THEN NULL
                    WHEN pg_catalog.date_trunc('month', c.at AT TIME ZONE 'UTC')::date
                         = f.utc_month THEN 'day_basis'
                    ELSE 'crm_timing' END AS cause
          FROM form f
          JOIN person p ON p.pkey = f.pkey
          LEFT JOIN crm_person c ON c.pkey = f.pkey
          LEFT JOIN LATERAL (
              SELECT u.account_id, u.lead_id
                FROM ROWS FROM (pg_catalog.unnest(p.form_channels), pg_catalog.unnest(p.form_ads),
                                pg_catalog.unnest(p.form_accounts),
                                pg_catalog.unnest(p.form_leads)) WITH ORDINALITY
                         u(channel, ad, account_id, lead_id, n)
               WHERE u.channel = f.channel AND u.ad
               ORDER BY u.n LIMIT 1) ff ON true
    ), crm AS (
        -- the people whose first CRM record falls in the month, with its channel
        SELECT c.*
          FROM crm_rec r
          JOIN crm_person c ON c.pkey = r.pkey AND c.crm_account = r.account_id
                           AND c.crm_lead = r.lead_id
         WHERE c.crm_channel IN (SELECT a.channel FROM acct a)
    ), crm_cause AS (
        SELECT c.crm_channel AS channel,
               CASE WHEN ff.month = p_month THEN NULL
                    WHEN ff.utc_month = p_month THEN 'day_basis'
                    WHEN ff.month IS NOT NULL THEN 'crm_timing'
                    WHEN c.crm_channel = ANY (
                             SELECT u.channel
                               FROM ROWS FROM (pg_catalog.unnest(c.form_channels),
                                               pg_catalog.unnest(c.form_ads)) u(channel, ad)
                              WHERE NOT u.ad)
                    THEN 'organic_form_lead'
                    WHEN c.at - c.touched_at > interval '7 days'
                    THEN 'outside_attribution_window'
                    ELSE 'crm_lead_platform_did_not_count' END AS cause
          FROM crm c
          LEFT JOIN LATERAL (
              SELECT u.month, u.utc_month
                FROM ROWS FROM (pg_catalog.unnest(c.form_channels), pg_catalog.unnest(c.form_ads),
                                pg_catalog.unnest(c.form_months),
                                pg_catalog.unnest(c.form_utc_months)) WITH ORDINALITY
                         u(channel, ad, month, utc_month, n)
               WHERE u.channel = c.crm_channel AND u.ad
               ORDER BY u.n LIMIT 1) ff ON true
    )
    SELECT a.channel, 'platform', pg_catalog.sum(d.leads)::bigint
      FROM socialroi.ad_daily d JOIN acct a USING (account_id)
     WHERE d.day >= p_month AND d.day < p_month + interval '1 month' AND d.leads <> 0
     GROUP BY a.channel
    UNION ALL
    SELECT c.crm_channel, 'crm', 1 FROM crm c
    UNION ALL
    SELECT f.channel, f.cause, 1 FROM form_cause f WHERE f.cause IS NOT NULL
    UNION ALL
    SELECT c.channel, c.cause, -1 FROM crm_cause c WHERE c.cause IS NOT NULL
$$;

COMMENT ON FUNCTION socialroi.bridge_lines(date) IS
    'The lines of finance.roi_bridge for one month (its first day), as '
    'socialroi.roi_bridge_lines defines them, computed with the month''s people read together.';

-- 038's month function, reading the lines above.
CREATE OR REPLACE FUNCTION finance.roi_bridge_month(p_month date)
RETURNS TABLE (channel text, platform_leads bigint, crm_leads bigint, difference bigint,
               form_lead_not_in_crm bigint, repeated_form_submission bigint,
               credited_to_another_channel bigint, day_basis bigint, crm_timing bigint,
               crm_lead_platform_did_not_count bigint, organic_form_lead bigint,
               outside_attribution_window bigint, unexplained bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT c.channel, c.platform, c.crm, c.platform - c.crm, c.not_in_crm, c.repeated,
           c.elsewhere, c.day_basis, c.timing, c.not_counted, c.organic, c.outside,
           c.platform - c.crm - c.not_in_crm - c.repeated - c.elsewhere - c.day_basis
               - c.timing - c.not_counted - c.organic - c.outside
      FROM (SELECT l.channel,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'platform'), 0)::bigint
                       AS platform,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'crm'), 0)::bigint AS crm,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'form_lead_not_in_crm'), 0)
                       ::bigint AS not_in_crm,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'repeated_form_submission'), 0)
                       ::bigint AS repeated,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'credited_to_another_channel'),
                            0)::bigint AS elsewhere,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'day_basis'), 0)::bigint
                       AS day_basis,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'crm_timing'), 0)::bigint
                       AS timing,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'crm_lead_platform_did_not_count'),
                            0)::bigint AS not_counted,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'organic_form_lead'), 0)::bigint
                       AS organic,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'outside_attribution_window'), 0)
                       ::bigint AS outside
              FROM socialroi.bridge_lines(p_month) l
             GROUP BY l.channel) c
$$;
