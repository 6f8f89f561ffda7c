-- 039_view_speed.sql - finance.mmm_panel and finance.roi_bridge computed week by week and
-- month by month give what the whole-table definitions give, on a generated world of 3000
-- people (e-mails shared and missing, test leads, repeated forms, organic forms, CRM records
-- before and after the forms, ties, touches inside and outside the click window, platforms
-- spelled several ways, three time zones), deals in three currencies (one without a rate,
-- one closed at infinity), mentions of both sides and organic engagements: the panel equals
-- 037's query row for row, a filtered read equals those weeks' rows of the whole panel, and
-- the bridge's lines equal 038's record-by-record lines in every month, every cause present.
BEGIN;
SELECT plan(10);

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', 'America/New_York', true, '');
SELECT socialroi.sync_account('li', 'linkedin', '2', 'EUR', '', true, '');
SELECT socialroi.sync_account('hs', 'hubspot', '3', NULL, '', true, '');
SELECT socialroi.sync_account('xx', 'x', '4', 'USD', 'America/Los_Angeles', true, '');
INSERT INTO socialroi.fx_rate (day, currency, rate, source)
VALUES ('2025-12-01', 'EUR', 1.1, 'test'), ('2026-02-15', 'EUR', 1.2345678, 'test');

-- Ad days from January to April; Meta on its account's day, X on Pacific time.
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions, clicks, leads)
SELECT a, 'c' || c, date '2026-01-01' + d,
       CASE a WHEN 1 THEN 'account_tz' WHEN 4 THEN 'pacific' ELSE 'utc' END,
       CASE a WHEN 2 THEN 'EUR' ELSE 'USD' END, 1000003 * (1 + (a * 7 + c * 3 + d) % 11),
       100 + (c + d) % 50, (c + d) % 9, (a + c + d) % 4
  FROM unnest(ARRAY[1, 2, 4]) a, generate_series(1, 3) c, generate_series(0, 119) d;

-- People: i's form lead (one in four has none) on Meta, LinkedIn or X, one in seventeen from
-- an organic post, one in six repeated three days later; a CRM record (one in five has none)
-- from 20 days before to 40 days after the form; one in eleven without an e-mail, one in nine
-- sharing the previous person's; one in 29 a test; one in 23 with two CRM records at once.
CREATE TEMP TABLE person AS
SELECT i, CASE WHEN i % 11 = 0 THEN NULL WHEN i % 9 = 0 THEN 'h' || (i - 1) ELSE 'h' || i END
              AS hash,
       CASE i % 3 WHEN 0 THEN 1 WHEN 1 THEN 2 ELSE 4 END AS acct,
       timestamptz '2026-01-01 00:00Z' + ((i * 7919) % (115 * 1440)) * interval '1 minute' AS t
  FROM generate_series(1, 3000) i;
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash, campaign_id,
                            is_test)
SELECT acct, 'f' || i, 'form', t, hash, CASE WHEN i % 17 <> 0 THEN 'c1' END, i % 29 = 0
  FROM person WHERE i % 4 <> 3
UNION ALL
SELECT acct, 'g' || i, 'form', t + interval '3 days', hash, 'c2', false
  FROM person WHERE i % 4 <> 3 AND i % 6 = 0
UNION ALL
SELECT 3, 'c' || i, 'crm', t + ((i * 31) % 60 - 20) * interval '1 day' + interval '1 hour', hash,
       NULL, i % 29 = 0
  FROM person WHERE i % 5 <> 2
UNION ALL
SELECT 3, 'd' || i, 'crm', t + ((i * 31) % 60 - 20) * interval '1 day' + interval '1 hour', hash,
       NULL, false
  FROM person WHERE i % 5 <> 2 AND i % 23 = 0;
-- The form's own touch, and one to three touches before the CRM record on platforms spelled
-- several ways (none, an unknown one and the CRM among them), up to 20 days earlier.
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform)
SELECT l.account_id, 't' || l.lead_id, l.lead_id, 'form_submission', l.created_at,
       CASE l.account_id WHEN 1 THEN 'facebook' WHEN 2 THEN 'linkedin' ELSE 'x' END
  FROM socialroi.lead l WHERE l.source = 'form'
UNION ALL
SELECT 3, 't' || l.lead_id || '-' || k, l.lead_id, 'click',
       l.created_at - ((p.i * k * 13) % 480) * interval '1 hour',
       (ARRAY['facebook', 'Facebook', ' fb ', 'linkedin', 'x', 'twitter', NULL, 'tiktok',
              'hubspot', 'meta', 'LinkedIn', ''])[1 + (p.i * k) % 12]
  FROM socialroi.lead l JOIN person p ON l.lead_id = 'c' || p.i,
       generate_series(1, 1 + p.i % 3) k;

-- Deals won in USD, EUR and JPY (no rate), one closed at infinity, one still open; mentions of
-- the brand, of a competitor and of a query no longer configured; organic engagements.
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
SELECT 3, 'D' || i, CASE WHEN i % 10 = 0 THEN NULL ELSE 1000000 * (i % 700) + 500000 END,
       (ARRAY['USD', 'EUR', 'JPY', NULL])[1 + i % 4], i % 3 <> 0, true,
       t, t + ((i * 17) % 50) * interval '1 day'
  FROM person WHERE i % 7 = 1;
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
VALUES (3, 'Dinf', 5000000, 'USD', true, true, '2026-02-01', 'infinity'),
       (3, 'Dopen', 5000000, 'USD', true, false, '2026-02-01', NULL);
INSERT INTO socialroi.listening_query (account_id, query, side, competitor)
VALUES (4, 'brand', 'brand', NULL), (4, 'rival', 'competitor', 'Rival');
INSERT INTO socialroi.mention (account_id, mention_id, query, posted_at)
SELECT 4, 'm' || i, (ARRAY['brand', 'rival', 'gone'])[1 + i % 3],
       timestamptz '2025-12-20 00:00Z' + ((i * 4241) % (160 * 1440)) * interval '1 minute'
  FROM generate_series(1, 900) i;
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
SELECT a, '', m, date '2025-12-25' + d, 'utc', (a * 13 + d * 7) % 100
  FROM unnest(ARRAY[1, 4]) a, unnest(ARRAY['engagements', 'reach']) m,
       generate_series(0, 150) d;

-- ---- the panel -------------------------------------------------------------------------------

-- 037's definition, read straight from the whole tables.
CREATE TEMP VIEW panel_037 AS
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
       COALESCE(r.revenue_micros, 0),
       (COALESCE(r.revenue_micros, 0)::numeric / 1000000)::numeric(24, 6),
       COALESCE(l.leads, 0), COALESCE(o.eng, 0), COALESCE(n.brand, 0), COALESCE(n.competitor, 0)
  FROM weeks w CROSS JOIN rc
  LEFT JOIN revenue r ON r.week = w.week
  LEFT JOIN leads l ON l.week = w.week
  LEFT JOIN organic o ON o.week = w.week
  LEFT JOIN mentions n ON n.week = w.week;

CREATE TEMP TABLE old_panel AS SELECT * FROM panel_037;
SET LOCAL ROLE socialroi_finance;
CREATE TEMP TABLE new_panel AS SELECT * FROM finance.mmm_panel;
CREATE TEMP TABLE part_panel AS
SELECT * FROM finance.mmm_panel WHERE week >= '2026-02-01' AND week < '2026-03-01';
RESET ROLE;

SELECT ok((SELECT count(*) FROM old_panel WHERE kind = 'kpi') > 20
          AND (SELECT count(*) FROM old_panel
                WHERE kind = 'kpi' AND unconverted_currencies <> '{}') > 0
          AND (SELECT sum(leads) FROM old_panel) > 1000
          AND (SELECT sum(competitor_mentions) FROM old_panel) > 0,
          'the world fills the panel: over 20 weeks, unconverted revenue, leads, mentions');
SELECT bag_eq('SELECT * FROM new_panel', 'SELECT * FROM old_panel',
              'the panel read week by week equals 037''s panel, row for row');
SELECT is((SELECT max(week) FROM new_panel),
          (SELECT (date_trunc('week', max(created_at) AT TIME ZONE 'UTC'))::date
             FROM socialroi.lead WHERE NOT is_test),
          'its last week is the last first lead''s, after the last ad day and won deal');
SELECT bag_eq('SELECT * FROM part_panel',
              $$SELECT * FROM new_panel WHERE week >= '2026-02-01' AND week < '2026-03-01'$$,
              'a read filtered on weeks equals the whole panel''s rows of those weeks');
SELECT is((SELECT count(DISTINCT week) FROM part_panel), 4::bigint,
          'the filtered read holds the four weeks starting in February');

-- The first lead after the last ad day and deal is a returning person's: the panel still ends
-- at the last first lead (a lead of a known person starts no week).
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
VALUES (3, 'late', 'crm', (SELECT max(created_at) FROM socialroi.lead) + interval '30 days', 'h1');
SELECT is((SELECT max(week) FROM finance.mmm_panel), (SELECT max(week) FROM new_panel),
          'a returning person''s late lead adds no week');
DELETE FROM socialroi.lead WHERE lead_id = 'late';

-- ---- the bridge ------------------------------------------------------------------------------

CREATE TEMP TABLE old_lines AS
SELECT m.month, l.* FROM socialroi.bridge_months m, socialroi.roi_bridge_lines(m.month) l;
CREATE TEMP TABLE new_lines AS
SELECT m.month, l.* FROM socialroi.bridge_months m, socialroi.bridge_lines(m.month) l;

SELECT bag_eq('SELECT * FROM new_lines', 'SELECT * FROM old_lines',
              'the bridge''s lines read set-based equal 038''s record-by-record lines, '
              'every month');
SELECT set_eq(
    $$SELECT what FROM old_lines WHERE what NOT IN ('platform', 'crm')$$,
    $$VALUES ('form_lead_not_in_crm'), ('repeated_form_submission'),
             ('credited_to_another_channel'), ('day_basis'), ('crm_timing'),
             ('crm_lead_platform_did_not_count'), ('organic_form_lead'),
             ('outside_attribution_window')$$,
    'every cause is present in the world');
SELECT ok((SELECT count(*) FROM old_lines WHERE what = 'crm') > 1000
          AND (SELECT count(DISTINCT month) FROM old_lines) >= 4,
          'over a thousand CRM people over at least four months');
SET LOCAL ROLE socialroi_finance;
SELECT ok((SELECT count(*) FROM finance.roi_bridge WHERE unexplained <> 0) > 0
          AND NOT EXISTS (SELECT 1 FROM finance.roi_bridge
                           WHERE difference <> platform_leads - crm_leads),
          'the finance role reads the bridge, with an unexplained rest');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
