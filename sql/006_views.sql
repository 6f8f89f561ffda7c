-- 006_views.sql: what marketing managers (dashboard.*) and finance (finance.*) read.
--
-- Snapshot metrics (lifetime counters) are differenced, never summed; rates are ratios of sums,
-- never averages of rates; a ratio whose denominator is zero is NULL. Money columns are in
-- major units of the reporting currency (numeric, exact to the micro-unit) and every finance
-- row names its currency. Readers reach the facts only through these views and the
-- SECURITY DEFINER functions of their schemas: they have no privilege on schema socialroi.

-- ---- helpers owned by the schemas the readers may use ------------------------------------------
--
-- Days are UTC days: a timestamp becomes a date AT TIME ZONE 'UTC', whatever the session's
-- TimeZone, so every client and the daemon's rollup put an event on the same day.

-- The day-over-day change of each lifetime counter: the last observation of a day minus the
-- last observation of the previous observed day.
CREATE VIEW socialroi.snapshot_daily AS
SELECT account_id, object_id, metric, day, value,
       value - pg_catalog.lag(value) OVER (PARTITION BY account_id, object_id, metric ORDER BY day)
           AS delta
  FROM (SELECT DISTINCT ON (account_id, object_id, metric,
                           (observed_at AT TIME ZONE 'UTC')::date)
               account_id, object_id, metric, (observed_at AT TIME ZONE 'UTC')::date AS day,
               value
          FROM socialroi.metric_snapshot
         ORDER BY account_id, object_id, metric, (observed_at AT TIME ZONE 'UTC')::date,
                  observed_at DESC) last_of_day;

-- ---- dashboard ------------------------------------------------------------------------------

-- Per platform, account and day. engagements: the platform's own daily engagement metric when
-- it has one (Facebook, Instagram, Pinterest), else the sum of the daily interaction metrics
-- (likes, comments, shares, quotes, saves, bookmarks: LinkedIn, YouTube), else the day's growth
-- of the posts' interaction counters (X). followers: the last count observed that day;
-- followers_gained: the platform's daily gain when reported, else the counter's growth.
CREATE VIEW dashboard.channel_daily AS
WITH m AS (
    SELECT account_id, day,
           sum(value) FILTER (WHERE metric = 'impressions') AS impressions,
           sum(value) FILTER (WHERE metric = 'reach') AS reach,
           sum(value) FILTER (WHERE metric = 'views') AS views,
           sum(value) FILTER (WHERE metric IN ('clicks', 'link_clicks')) AS clicks,
           sum(value) FILTER (WHERE metric = 'engagements') AS engagements,
           sum(value) FILTER (WHERE metric IN ('likes', 'comments', 'shares', 'quotes', 'saves',
                                               'bookmarks')) AS interactions,
           sum(value) FILTER (WHERE metric = 'followers_gained') AS followers_gained,
           sum(value) FILTER (WHERE metric = 'followers_lost') AS followers_lost,
           sum(value) FILTER (WHERE metric = 'watch_time_seconds') AS watch_time_seconds
      FROM socialroi.metric_daily WHERE object_id = '' GROUP BY account_id, day),
s AS (
    SELECT account_id, day,
           max(value) FILTER (WHERE object_id = '' AND metric = 'followers') AS followers,
           sum(delta) FILTER (WHERE object_id = '' AND metric = 'followers') AS followers_delta,
           sum(delta) FILTER (WHERE object_id <> '' AND metric IN ('likes', 'comments', 'shares',
                              'quotes', 'saves', 'bookmarks')) AS post_interactions
      FROM socialroi.snapshot_daily GROUP BY account_id, day),
p AS (
    SELECT account_id, (published_at AT TIME ZONE 'UTC')::date AS day, count(*) AS posts
      FROM socialroi.content WHERE published_at IS NOT NULL GROUP BY 1, 2),
ad AS (
    SELECT account_id, day, sum(impressions) AS paid_impressions, sum(clicks) AS paid_clicks
      FROM socialroi.ad_daily GROUP BY 1, 2),
k AS (
    SELECT account_id, day FROM m UNION SELECT account_id, day FROM s
    UNION SELECT account_id, day FROM p UNION SELECT account_id, day FROM ad)
SELECT a.platform, a.name AS account, k.day,
       COALESCE(m.impressions, 0) AS impressions, m.reach, m.views,
       COALESCE(m.clicks, 0) AS clicks,
       COALESCE(m.engagements, m.interactions, s.post_interactions, 0) AS engagements,
       COALESCE(m.engagements, m.interactions, s.post_interactions, 0)::numeric
           / NULLIF(m.impressions, 0) AS engagement_rate,
       s.followers,
       COALESCE(m.followers_gained - COALESCE(m.followers_lost, 0), s.followers_delta)
           AS followers_growth,
       COALESCE(p.posts, 0) AS posts,
       m.watch_time_seconds,
       COALESCE(ad.paid_impressions, 0) AS paid_impressions,
       COALESCE(ad.paid_clicks, 0) AS paid_clicks
  FROM k JOIN socialroi.account a USING (account_id)
  LEFT JOIN m USING (account_id, day) LEFT JOIN s USING (account_id, day)
  LEFT JOIN p USING (account_id, day) LEFT JOIN ad USING (account_id, day);

-- The same per calendar month: amounts summed, followers at the end of the month, rates as
-- ratios of the month's sums.
CREATE VIEW dashboard.channel_monthly AS
SELECT platform, account, pg_catalog.date_trunc('month', day)::date AS month,
       sum(impressions) AS impressions, sum(reach) AS reach, sum(views) AS views,
       sum(clicks) AS clicks, sum(engagements) AS engagements,
       sum(engagements)::numeric / NULLIF(sum(impressions), 0) AS engagement_rate,
       (pg_catalog.array_agg(followers ORDER BY day DESC) FILTER (WHERE followers IS NOT NULL))[1]
           AS followers,
       sum(followers_growth) AS followers_growth, sum(posts) AS posts,
       sum(watch_time_seconds) AS watch_time_seconds,
       sum(paid_impressions) AS paid_impressions, sum(paid_clicks) AS paid_clicks
  FROM dashboard.channel_daily
 GROUP BY platform, account, pg_catalog.date_trunc('month', day);

-- Every post, video, pin or medium with its latest counters, ranked by engagement (likes,
-- comments, shares, quotes, saves, bookmarks) among its platform's content of the same month.
CREATE VIEW dashboard.top_content AS
WITH latest AS (
    SELECT DISTINCT ON (account_id, object_id, metric) account_id, object_id, metric, value
      FROM socialroi.metric_snapshot WHERE object_id <> ''
     ORDER BY account_id, object_id, metric, observed_at DESC),
c AS (
    SELECT t.account_id, t.content_id,
           sum(l.value) FILTER (WHERE l.metric IN ('likes', 'comments', 'shares', 'quotes',
                                                   'saves', 'bookmarks')) AS engagements,
           max(l.value) FILTER (WHERE l.metric = 'likes') AS likes,
           max(l.value) FILTER (WHERE l.metric = 'comments') AS comments,
           max(l.value) FILTER (WHERE l.metric = 'shares') AS shares,
           max(l.value) FILTER (WHERE l.metric = 'impressions') AS impressions,
           max(l.value) FILTER (WHERE l.metric = 'views') AS views,
           max(l.value) FILTER (WHERE l.metric = 'reach') AS reach
      FROM socialroi.content t
      LEFT JOIN latest l ON l.account_id = t.account_id AND l.object_id = t.content_id
     GROUP BY t.account_id, t.content_id)
SELECT a.platform, a.name AS account, t.content_id, t.kind, t.title, t.url, t.published_at,
       pg_catalog.date_trunc('month', t.published_at AT TIME ZONE 'UTC')::date AS month,
       COALESCE(c.engagements, 0) AS engagements, c.likes, c.comments, c.shares,
       c.impressions, c.views, c.reach,
       COALESCE(c.engagements, 0)::numeric / NULLIF(COALESCE(c.impressions, c.views), 0)
           AS engagement_rate,
       pg_catalog.rank() OVER (
           PARTITION BY a.platform, pg_catalog.date_trunc('month', t.published_at AT TIME ZONE 'UTC')
           ORDER BY COALESCE(c.engagements, 0) DESC) AS rank_in_month
  FROM socialroi.content t JOIN socialroi.account a USING (account_id)
  JOIN c USING (account_id, content_id);

-- Per job: freshness and trouble. gaps_30d counts the last 30 days (before today) without any
-- daily metric of the account, for the streams that deliver daily metrics. Today is the UTC
-- day (not CURRENT_DATE, which follows the session's TimeZone), so every client counts the same
-- gaps.
CREATE VIEW dashboard.data_health AS
SELECT s.account, s.platform, s.stream, s.account_state, s.enabled, s.last_success,
       s.lag, s.failures, s.last_error_class, s.next_due, s.token_expires_at,
       CASE WHEN s.stream IN ('facebook.page_insights', 'instagram.account_insights',
                              'linkedin.org_stats', 'youtube.analytics',
                              'pinterest.user_analytics')
            THEN 30 - (SELECT count(DISTINCT md.day)
                         FROM socialroi.metric_daily md JOIN socialroi.account a2
                           ON a2.account_id = md.account_id
                        WHERE a2.name = s.account AND md.object_id = ''
                          AND md.day >= (pg_catalog.now() AT TIME ZONE 'UTC')::date - 30
                          AND md.day < (pg_catalog.now() AT TIME ZONE 'UTC')::date)
       END AS gaps_30d
  FROM socialroi.job_status s;

-- Micro-units as an amount with six decimals (1234500000 -> 1234.500000), rounded half to
-- even when the micros are themselves a quotient (a cost per lead).
CREATE FUNCTION socialroi.money(micros numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT (socialroi.round_even(micros)::numeric / 1000000)::numeric(24, 6)
$$;

-- ---- finance: one function computes every ROI figure ----------------------------------------

-- Spend in [p_from, p_to] per business campaign, split by source, in reporting micros, with
-- the currencies that had no rate.
CREATE FUNCTION socialroi.campaign_spend_between(p_from date, p_to date)
RETURNS TABLE (campaign_id integer, platform_micros bigint, configured_micros bigint,
               unconverted text[])
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT r.campaign_id,
           COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'platform'), 0)::bigint,
           COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'configured'), 0)::bigint,
           pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT
               CASE WHEN r.reporting_micros IS NULL THEN r.currency::text END), NULL)
      FROM socialroi.rollup_spend r
     WHERE r.day BETWEEN p_from AND p_to
     GROUP BY r.campaign_id
$$;

-- Platform ad spend in [p_from, p_to] per platform (every ad campaign, linked or not).
CREATE FUNCTION socialroi.platform_spend_between(p_from date, p_to date)
RETURNS TABLE (platform text, micros bigint, unconverted text[])
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT platform, COALESCE(sum(rm), 0)::bigint,
           pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT
               CASE WHEN rm IS NULL THEN currency END), NULL)
      FROM (SELECT a.platform, d.currency::text AS currency,
                   socialroi.to_reporting(sum(d.spend_micros)::bigint, d.currency, d.day) AS rm
              FROM socialroi.ad_daily d JOIN socialroi.account a USING (account_id)
             WHERE d.day BETWEEN p_from AND p_to
             GROUP BY a.platform, d.currency, d.day) x
     GROUP BY platform
$$;

-- ROI figures for [p_from, p_to]: p_by 'campaign' (business campaigns; credit to touches of
-- no campaign goes to "(no campaign)", conversions without touches to "(unattributed)"),
-- 'channel' (platforms; configured spend as "(configured)") or 'total'; p_model one of the
-- attribution models, or 'platform_reported' (the ad platforms' own lead and conversion counts
-- per campaign and platform, never summed across platforms). Amounts in reporting micros.
CREATE FUNCTION socialroi.roi(p_from date, p_to date, p_by text, p_model text)
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend_micros bigint, configured_spend_micros bigint,
               spend_micros bigint, unconverted text[], leads numeric, customers numeric,
               revenue_micros bigint)
LANGUAGE plpgsql STABLE SET search_path = '' AS $$
BEGIN
    IF p_model = 'platform_reported' THEN
        RETURN QUERY
        SELECT c.name, c.title, r.platform, p_model, socialroi.reporting_currency(),
               COALESCE(sum(r.reporting_micros), 0)::bigint, 0::bigint,
               COALESCE(sum(r.reporting_micros), 0)::bigint,
               pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT CASE WHEN
                   r.reporting_micros IS NULL THEN r.currency::text END), NULL),
               sum(r.platform_leads)::numeric, sum(r.platform_conversions)::numeric,
               sum(socialroi.to_reporting(r.platform_value_micros, r.currency, r.day))::bigint
          FROM socialroi.rollup_spend r JOIN socialroi.campaign c USING (campaign_id)
         WHERE r.source = 'platform' AND r.day BETWEEN p_from AND p_to
           AND (p_by <> 'total')
         GROUP BY c.name, c.title, r.platform;
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
               c.title AS t,
               sum(a.weight) FILTER (WHERE a.kind = 'lead') AS leads,
               sum(a.weight) FILTER (WHERE a.kind = 'deal' AND a.won) AS customers,
               sum(a.revenue_micros) FILTER (WHERE a.kind = 'deal' AND a.won) AS revenue
          FROM socialroi.attribution a LEFT JOIN socialroi.campaign c USING (campaign_id)
         WHERE a.model = p_model AND a.day BETWEEN p_from AND p_to
         GROUP BY 1, 2),
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
        SELECT ps.platform, NULL, ps.micros, 0, ps.unconverted
          FROM socialroi.platform_spend_between(p_from, p_to) ps WHERE p_by = 'channel'
        UNION ALL
        SELECT '(configured)', NULL, 0, COALESCE(sum(s.configured_micros), 0)::bigint,
               pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT u2), NULL)
          FROM socialroi.campaign_spend_between(p_from, p_to) s
          LEFT JOIN LATERAL pg_catalog.unnest(s.unconverted) u2 ON true
         WHERE p_by = 'channel'
        HAVING sum(s.configured_micros) > 0
        UNION ALL
        SELECT 'total', NULL, (SELECT COALESCE(sum(micros), 0)::bigint
                                 FROM socialroi.platform_spend_between(p_from, p_to)),
               (SELECT COALESCE(sum(configured_micros), 0)::bigint
                  FROM socialroi.campaign_spend_between(p_from, p_to)), '{}'
         WHERE p_by = 'total')
    SELECT COALESCE(s.k, cr.k), COALESCE(s.t, cr.t), NULL::text, p_model,
           socialroi.reporting_currency(),
           COALESCE(s.pm, 0)::bigint, COALESCE(s.cm, 0)::bigint,
           (COALESCE(s.pm, 0) + COALESCE(s.cm, 0))::bigint, COALESCE(s.u, '{}'),
           COALESCE(cr.leads, 0), COALESCE(cr.customers, 0), COALESCE(cr.revenue, 0)::bigint
      FROM spend s FULL JOIN credit cr ON cr.k = s.k;
END
$$;

-- The readers' door to socialroi.roi: runs with the owner's rights, adds the ratios.
CREATE FUNCTION finance.roi(p_from date, p_to date, p_by text DEFAULT 'campaign',
                            p_model text DEFAULT 'linear')
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend numeric, configured_spend numeric, spend numeric,
               unconverted_currencies text[], leads numeric, customers numeric,
               revenue numeric, roi numeric, roas numeric, cost_per_lead numeric,
               customer_acquisition_cost numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT key, title, platform, model, currency,
           socialroi.money(platform_spend_micros), socialroi.money(configured_spend_micros),
           socialroi.money(spend_micros), unconverted, leads, customers,
           socialroi.money(revenue_micros),
           (revenue_micros - spend_micros)::numeric / NULLIF(spend_micros, 0),
           revenue_micros::numeric / NULLIF(spend_micros, 0),
           socialroi.money(spend_micros / NULLIF(leads, 0)),
           socialroi.money(spend_micros / NULLIF(customers, 0))
      FROM socialroi.roi(p_from, p_to, p_by, p_model)
$$;

-- The months that have data, for the monthly views.
CREATE FUNCTION finance.months() RETURNS TABLE (month date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT DISTINCT pg_catalog.date_trunc('month', day)::date FROM (
        SELECT day FROM socialroi.rollup_spend UNION ALL SELECT day FROM socialroi.attribution
        UNION ALL SELECT day FROM socialroi.ad_daily) d
$$;

-- Per business campaign, calendar month and attribution model.
CREATE VIEW finance.campaign_roi AS
SELECT m.month, r.key AS campaign, r.title, r.platform, r.model, r.currency, r.platform_spend,
       r.configured_spend, r.spend, r.unconverted_currencies, r.leads, r.customers, r.revenue,
       r.roi, r.roas, r.cost_per_lead, r.customer_acquisition_cost
  FROM finance.months() m,
       pg_catalog.unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                               'time_decay', 'platform_reported']) AS model_name,
       LATERAL finance.roi(m.month, (m.month + interval '1 month' - interval '1 day')::date,
                           'campaign', model_name) r;

-- Per channel (platform), calendar month and attribution model.
CREATE VIEW finance.channel_roi AS
SELECT m.month, r.key AS channel, r.model, r.currency, r.platform_spend, r.configured_spend,
       r.spend, r.unconverted_currencies, r.leads, r.customers, r.revenue, r.roi, r.roas,
       r.cost_per_lead, r.customer_acquisition_cost
  FROM finance.months() m,
       pg_catalog.unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                               'time_decay']) AS model_name,
       LATERAL finance.roi(m.month, (m.month + interval '1 month' - interval '1 day')::date,
                           'channel', model_name) r;

-- Budget against spend per campaign: platform-reported and configured spend so far (in the
-- reporting currency), the share of the budget used and of the campaign's days elapsed, and
-- pacing (budget used / time elapsed: above 1 spends faster than planned).
CREATE FUNCTION finance.reconciliation() RETURNS TABLE (
    campaign text, title text, active boolean, start_day date, end_day date, currency text,
    budget numeric, platform_spend numeric, configured_spend numeric, spend numeric,
    remaining numeric, unconverted_currencies text[], budget_used numeric, time_elapsed numeric,
    pacing numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT c.name, c.title, c.active, c.start_day, c.end_day, socialroi.reporting_currency(),
           socialroi.money(b.budget), socialroi.money(s.platform_micros),
           socialroi.money(s.configured_micros),
           socialroi.money(s.platform_micros + s.configured_micros),
           socialroi.money(b.budget - s.platform_micros - s.configured_micros), s.unconverted,
           (s.platform_micros + s.configured_micros)::numeric / NULLIF(b.budget, 0), e.elapsed,
           (s.platform_micros + s.configured_micros)::numeric / NULLIF(b.budget, 0)
               / NULLIF(e.elapsed, 0)
      FROM socialroi.campaign c
      CROSS JOIN LATERAL (SELECT socialroi.to_reporting(c.budget_micros, c.budget_currency,
                                                        c.start_day) AS budget) b
      CROSS JOIN LATERAL (SELECT LEAST(1, GREATEST(0, (CURRENT_DATE - c.start_day + 1)::numeric
                                 / NULLIF(COALESCE(c.end_day, CURRENT_DATE) - c.start_day + 1,
                                          0))) AS elapsed) e
      LEFT JOIN LATERAL (SELECT * FROM socialroi.campaign_spend_between('-infinity', 'infinity') x
                          WHERE x.campaign_id = c.campaign_id) s0 ON true
      CROSS JOIN LATERAL (SELECT COALESCE(s0.platform_micros, 0) AS platform_micros,
                                 COALESCE(s0.configured_micros, 0) AS configured_micros,
                                 COALESCE(s0.unconverted, '{}') AS unconverted) s
$$;

CREATE VIEW finance.spend_reconciliation AS SELECT * FROM finance.reconciliation();

-- Per business campaign and month, the funnel of the essays: interest (impressions of its ad
-- campaigns and linked content, reach of the content), consideration (engagements of the
-- content and the ad campaigns, ad clicks), trial (leads, linear attribution), loyalty (won
-- deals and customers, linear), advocacy (shares, and positive mentions that name the
-- campaign's utm_campaign), with the rate from each stage to the next.
CREATE FUNCTION dashboard.funnel_rows() RETURNS TABLE (
    campaign text, title text, month date, impressions bigint, reach bigint, engagements bigint,
    clicks bigint, leads numeric, won_deals bigint, customers numeric, shares bigint,
    positive_mentions bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    WITH content AS (
        SELECT l.campaign_id,
               pg_catalog.date_trunc('month', t.published_at AT TIME ZONE 'UTC')::date AS month,
               sum(x.value) FILTER (WHERE x.metric = 'impressions') AS impressions,
               sum(x.value) FILTER (WHERE x.metric = 'reach') AS reach,
               sum(x.value) FILTER (WHERE x.metric IN ('likes', 'comments', 'shares', 'quotes',
                                                       'saves', 'bookmarks')) AS engagements,
               sum(x.value) FILTER (WHERE x.metric = 'shares') AS shares
          FROM socialroi.campaign_link l
          JOIN socialroi.account a ON a.platform = l.platform
          JOIN socialroi.content t ON t.account_id = a.account_id AND t.content_id = l.value
          JOIN LATERAL (SELECT DISTINCT ON (metric) metric, value FROM socialroi.metric_snapshot s
                         WHERE s.account_id = t.account_id AND s.object_id = t.content_id
                         ORDER BY metric, observed_at DESC) x ON true
         WHERE l.kind = 'content' AND t.published_at IS NOT NULL
         GROUP BY 1, 2),
    ads AS (
        SELECT campaign_id, pg_catalog.date_trunc('month', day)::date AS month,
               sum(impressions) AS impressions, sum(clicks) AS clicks
          FROM socialroi.rollup_spend WHERE source = 'platform' GROUP BY 1, 2),
    ad_eng AS (
        SELECT l.campaign_id, pg_catalog.date_trunc('month', md.day)::date AS month,
               sum(md.value) FILTER (WHERE md.metric IN ('likes', 'comments', 'shares'))
                   AS engagements,
               sum(md.value) FILTER (WHERE md.metric = 'shares') AS shares
          FROM socialroi.campaign_link l
          JOIN socialroi.account a ON a.platform = l.platform
          JOIN socialroi.metric_daily md ON md.account_id = a.account_id AND md.object_id = l.value
         WHERE l.kind = 'ad_campaign' GROUP BY 1, 2),
    credit AS (
        SELECT campaign_id, pg_catalog.date_trunc('month', day)::date AS month,
               sum(weight) FILTER (WHERE kind = 'lead') AS leads,
               count(DISTINCT conversion) FILTER (WHERE kind = 'deal' AND won) AS won_deals,
               sum(weight) FILTER (WHERE kind = 'deal' AND won) AS customers
          FROM socialroi.attribution WHERE model = 'linear' AND campaign_id IS NOT NULL
         GROUP BY 1, 2),
    mentions AS (
        SELECT l.campaign_id,
               pg_catalog.date_trunc('month', m.posted_at AT TIME ZONE 'UTC')::date AS month,
               count(*) AS positive
          FROM socialroi.campaign_link l
          JOIN socialroi.mention m ON m.sentiment > 0.25
                                  AND pg_catalog.strpos(pg_catalog.lower(m.body),
                                                        pg_catalog.lower(l.value)) > 0
         WHERE l.kind = 'utm_campaign' GROUP BY 1, 2),
    k AS (
        SELECT campaign_id, month FROM content UNION SELECT campaign_id, month FROM ads
        UNION SELECT campaign_id, month FROM ad_eng UNION SELECT campaign_id, month FROM credit
        UNION SELECT campaign_id, month FROM mentions)
    SELECT c.name, c.title, k.month,
           (COALESCE(ads.impressions, 0) + COALESCE(content.impressions, 0))::bigint,
           COALESCE(content.reach, 0)::bigint,
           (COALESCE(content.engagements, 0) + COALESCE(ad_eng.engagements, 0))::bigint,
           COALESCE(ads.clicks, 0)::bigint, COALESCE(credit.leads, 0),
           COALESCE(credit.won_deals, 0), COALESCE(credit.customers, 0),
           (COALESCE(content.shares, 0) + COALESCE(ad_eng.shares, 0))::bigint,
           COALESCE(mentions.positive, 0)
      FROM k JOIN socialroi.campaign c USING (campaign_id)
      LEFT JOIN content USING (campaign_id, month) LEFT JOIN ads USING (campaign_id, month)
      LEFT JOIN ad_eng USING (campaign_id, month) LEFT JOIN credit USING (campaign_id, month)
      LEFT JOIN mentions USING (campaign_id, month)
$$;

CREATE VIEW dashboard.funnel AS
SELECT campaign, title, month, impressions AS interest_impressions, reach AS interest_reach,
       engagements AS consideration_engagements, clicks AS consideration_clicks,
       leads AS trial_leads, won_deals AS loyalty_won_deals, customers AS loyalty_customers,
       shares AS advocacy_shares, positive_mentions AS advocacy_positive_mentions,
       (engagements + clicks)::numeric / NULLIF(impressions, 0) AS interest_to_consideration,
       leads / NULLIF(engagements + clicks, 0) AS consideration_to_trial,
       customers / NULLIF(leads, 0) AS trial_to_loyalty,
       (shares + positive_mentions) / NULLIF(customers, 0) AS loyalty_to_advocacy
  FROM dashboard.funnel_rows();

-- ---- privileges ----------------------------------------------------------------------------------

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA finance FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA dashboard TO socialroi_dashboard, socialroi_finance;
GRANT SELECT ON ALL TABLES IN SCHEMA finance TO socialroi_finance;
GRANT EXECUTE ON FUNCTION finance.roi(date, date, text, text), finance.months(),
    finance.reconciliation() TO socialroi_finance;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA dashboard FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dashboard.funnel_rows() TO socialroi_dashboard, socialroi_finance;
