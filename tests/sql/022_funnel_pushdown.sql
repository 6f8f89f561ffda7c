-- 022_funnel_pushdown.sql - dashboard.funnel as a plain view gives the rows the function it
-- replaces (dashboard.funnel_rows of 010, kept here in pg_temp as the reference) gave, every
-- column of every row, and a query for a range of months gives the whole view's rows of those
-- months. The world: three business campaigns over seven months with gaps, content owned by a
-- content link, by a utm_campaign value and by both, several snapshots of a counter, content
-- without a publication time or without counters, ad delivery and ad interactions, an ad
-- campaign whose only data in a month is a metric the funnel does not count, linear credit of
-- leads and of won and lost deals, and mentions (positive, neutral, negative, naming two
-- values, naming two campaigns, naming nothing). Run in Pacific/Kiritimati (UTC+14): months
-- are UTC months.
BEGIN;
SELECT plan(18);

SET LOCAL TimeZone = 'Pacific/Kiritimati';
-- Dozens of queries of the view follow; compiling each would take longer than running it.
SET LOCAL jit = off;

-- The function and view as 010 defined them.
CREATE FUNCTION pg_temp.old_funnel_rows() RETURNS TABLE (
    campaign text, title text, month date, impressions bigint, reach bigint, engagements bigint,
    clicks bigint, leads numeric, won_deals bigint, customers numeric, shares bigint,
    positive_mentions bigint)
LANGUAGE sql STABLE SET search_path = '' AS $$
    WITH own AS (
        SELECT l.campaign_id, t.account_id, t.content_id, t.published_at
          FROM socialroi.campaign_link l
          JOIN socialroi.account a ON a.platform = l.platform
          JOIN socialroi.content t ON t.account_id = a.account_id AND t.content_id = l.value
         WHERE l.kind = 'content'
        UNION
        SELECT l.campaign_id, t.account_id, t.content_id, t.published_at
          FROM socialroi.campaign_link l
          JOIN socialroi.content t ON t.utm_campaign = l.value
         WHERE l.kind = 'utm_campaign'),
    content AS (
        SELECT o.campaign_id,
               pg_catalog.date_trunc('month', o.published_at AT TIME ZONE 'UTC')::date AS month,
               sum(x.value) FILTER (WHERE x.metric = 'impressions') AS impressions,
               sum(x.value) FILTER (WHERE x.metric = 'reach') AS reach,
               sum(x.value) FILTER (WHERE x.metric IN ('likes', 'comments', 'shares', 'quotes',
                                                       'saves', 'bookmarks')) AS engagements,
               sum(x.value) FILTER (WHERE x.metric = 'shares') AS shares
          FROM own o
          JOIN LATERAL (SELECT DISTINCT ON (metric) metric, value FROM socialroi.metric_snapshot s
                         WHERE s.account_id = o.account_id AND s.object_id = o.content_id
                         ORDER BY metric, observed_at DESC) x ON true
         WHERE o.published_at IS NOT NULL
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
    utm AS (
        SELECT l.campaign_id,
               pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+', '', 'g')
                   AS word
          FROM socialroi.campaign_link l WHERE l.kind = 'utm_campaign'),
    mentions AS (
        SELECT u.campaign_id,
               pg_catalog.date_trunc('month', m.posted_at AT TIME ZONE 'UTC')::date AS month,
               count(DISTINCT (m.account_id, m.mention_id)) AS positive
          FROM utm u
          JOIN socialroi.mention m
            ON m.sentiment > 0.25
           AND pg_catalog.strpos(pg_catalog.regexp_replace(pg_catalog.lower(m.body),
                                                           '[^[:alnum:]]+', '', 'g'), u.word) > 0
         WHERE u.word <> '' GROUP BY 1, 2),
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

CREATE VIEW pg_temp.old_funnel AS
SELECT campaign, title, month, impressions AS interest_impressions, reach AS interest_reach,
       engagements AS consideration_engagements, clicks AS consideration_clicks,
       dashboard.round6(leads) AS trial_leads, won_deals AS loyalty_won_deals,
       dashboard.round6(customers) AS loyalty_customers,
       shares AS advocacy_shares, positive_mentions AS advocacy_positive_mentions,
       dashboard.round6((engagements + clicks)::numeric / NULLIF(impressions, 0))
           AS interest_to_consideration,
       dashboard.round6(leads / NULLIF(engagements + clicks, 0)) AS consideration_to_trial,
       dashboard.round6(customers / NULLIF(leads, 0)) AS trial_to_loyalty,
       dashboard.round6((shares + positive_mentions) / NULLIF(customers, 0))
           AS loyalty_to_advocacy
  FROM pg_temp.old_funnel_rows();

-- ---- the world -------------------------------------------------------------------------------

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, '');
SELECT socialroi.sync_account('li', 'linkedin', '2', 'EUR', '', true, '');
SELECT socialroi.sync_account('x', 'x', '3', NULL, '', true, '');
CREATE TEMP TABLE acc AS SELECT name, account_id FROM socialroi.account;

-- spring: ad campaign 111 on Facebook, posts f0 and f1 by link, utm "Spring-Sale" (f2 carries
-- it and is linked too: counted once). brand: ad campaign 222 on LinkedIn and 111 on LinkedIn
-- (nothing there), utm "q4-webinar" and "#Brand". solo: a utm value that is no word ("--") and
-- ad campaign 999 on Facebook, delivered in October 2025 only, and in July 2026 one lead
-- with two of its touches and that lead's won deal (two credit rows of one deal: one won
-- deal), nothing else. idle: no links at all, no row.
--
-- Each of the first and last months a campaign has data in comes from one stage only: spring's
-- December 2025 (f0) from its content and August 2026 from a mention, brand's November 2025 and
-- June 2026 from its ad campaign's metrics, solo's October 2025 from its delivery and July 2026
-- from its credit.
SELECT socialroi.sync_campaigns('[
  {"name":"spring","title":"Spring","start":"2026-01-01","end":"2026-03-31","spend":[],
   "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"},
            {"kind":"content","platform":"facebook","value":"f0"},
            {"kind":"content","platform":"facebook","value":"f1"},
            {"kind":"content","platform":"facebook","value":"f2"},
            {"kind":"utm_campaign","platform":"","value":"Spring-Sale"}]},
  {"name":"brand","title":"Brand","start":"2026-02-01","end":"2026-04-30","spend":[],
   "links":[{"kind":"ad_campaign","platform":"linkedin","value":"222"},
            {"kind":"ad_campaign","platform":"linkedin","value":"111"},
            {"kind":"utm_campaign","platform":"","value":"q4-webinar"},
            {"kind":"utm_campaign","platform":"","value":"#Brand"}]},
  {"name":"solo","title":"Solo","start":"2026-01-01","end":"2026-12-31","spend":[],
   "links":[{"kind":"utm_campaign","platform":"","value":"--"},
            {"kind":"ad_campaign","platform":"facebook","value":"999"}]},
  {"name":"idle","title":"Idle","start":"2026-01-01","end":"2026-12-31","spend":[],"links":[]}]');

-- Ad delivery: 111 on Facebook in January and March (not February), 222 on LinkedIn in
-- February and April; days at the months' edges.
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions, clicks)
SELECT (SELECT account_id FROM acc WHERE name = a), c, d::date, 'utc', cur, 1000000,
       100 + extract(day FROM d)::bigint, 1 + extract(day FROM d)::bigint % 7
  FROM (VALUES ('fb', '111', 'USD', '2026-01-01'::date, '2026-01-31'::date),
               ('fb', '111', 'USD', '2026-03-01', '2026-03-31'),
               ('li', '222', 'EUR', '2026-02-01', '2026-02-28'),
               ('li', '222', 'EUR', '2026-04-30', '2026-04-30'),
               ('fb', '999', 'USD', '2025-10-30', '2025-10-31')) s(a, c, cur, f, t),
       pg_catalog.generate_series(s.f::timestamp, s.t::timestamp, '1 day') d;

-- Ad interactions. 111 on Facebook: likes, comments, shares and views in January and March.
-- 222 on LinkedIn: likes and shares in February; in November 2025 (before anything else of
-- brand) only views, and in June 2026 (after everything else) only link_clicks: months
-- whose row is all zeros.
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
SELECT (SELECT account_id FROM acc WHERE name = a), o, m, d::date, 'utc',
       extract(day FROM d)::bigint + pg_catalog.length(m)
  FROM (VALUES ('fb', '111', '2026-01-01'::date, '2026-01-31'::date),
               ('fb', '111', '2026-03-10', '2026-03-12')) s(a, o, f, t),
       pg_catalog.unnest(ARRAY['likes', 'comments', 'shares', 'views']) m,
       pg_catalog.generate_series(s.f::timestamp, s.t::timestamp, '1 day') d;
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
VALUES ((SELECT account_id FROM acc WHERE name = 'li'), '222', 'likes', '2026-02-03', 'utc', 7),
       ((SELECT account_id FROM acc WHERE name = 'li'), '222', 'shares', '2026-02-28', 'utc', 3),
       ((SELECT account_id FROM acc WHERE name = 'li'), '222', 'views', '2025-11-30', 'utc', 50),
       ((SELECT account_id FROM acc WHERE name = 'li'), '222', 'link_clicks', '2026-06-01', 'utc',
        4),
       -- 999 on LinkedIn is not solo's (its link names Facebook)
       ((SELECT account_id FROM acc WHERE name = 'li'), '999', 'likes', '2026-05-05', 'utc', 9);

-- Content. f1 (link) at 23:30 UTC Jan 31 (Feb 1 here): January. f2 (link and utm) in
-- February. f5 carries Spring-Sale only, published 00:30 UTC Mar 1. f3 carries q4-webinar but
-- has no publication time; f4 carries it and has no counters; x1 carries #Brand on X in April.
-- Posts of no campaign: o1.
INSERT INTO socialroi.content (account_id, content_id, kind, published_at, title, utm_campaign)
VALUES ((SELECT account_id FROM acc WHERE name = 'fb'), 'f0', 'post', '2025-12-05 12:00Z', 'f0', NULL),
       ((SELECT account_id FROM acc WHERE name = 'fb'), 'f1', 'post', '2026-01-31 23:30Z', 'f1', NULL),
       ((SELECT account_id FROM acc WHERE name = 'fb'), 'f2', 'post', '2026-02-14 12:00Z', 'f2',
        'Spring-Sale'),
       ((SELECT account_id FROM acc WHERE name = 'fb'), 'f5', 'post', '2026-03-01 00:30Z', 'f5',
        'Spring-Sale'),
       ((SELECT account_id FROM acc WHERE name = 'li'), 'f3', 'post', NULL, 'f3', 'q4-webinar'),
       ((SELECT account_id FROM acc WHERE name = 'li'), 'f4', 'post', '2026-02-10 12:00Z', 'f4',
        'q4-webinar'),
       ((SELECT account_id FROM acc WHERE name = 'x'), 'x1', 'post', '2026-04-02 12:00Z', 'x1',
        '#Brand'),
       ((SELECT account_id FROM acc WHERE name = 'fb'), 'o1', 'post', '2026-02-02 12:00Z', 'o1',
        'other');
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
SELECT (SELECT account_id FROM acc WHERE name = a), o, m, t::timestamptz, v
  FROM (VALUES ('fb', 'f0', 'reach', '2025-12-06 10:00Z', 50),
               ('fb', 'f1', 'likes', '2026-02-01 10:00Z', 10),
               ('fb', 'f1', 'likes', '2026-02-02 10:00Z', 20),
               ('fb', 'f1', 'comments', '2026-02-02 10:00Z', 5),
               ('fb', 'f1', 'shares', '2026-02-02 10:00Z', 4),
               ('fb', 'f1', 'impressions', '2026-02-02 10:00Z', 600),
               ('fb', 'f1', 'reach', '2026-02-02 10:00Z', 400),
               ('fb', 'f2', 'likes', '2026-02-20 10:00Z', 30),
               ('fb', 'f2', 'saves', '2026-02-20 10:00Z', 3),
               ('fb', 'f2', 'impressions', '2026-02-20 10:00Z', 900),
               ('fb', 'f2', 'impressions', '2026-02-15 10:00Z', 100),
               ('fb', 'f5', 'shares', '2026-03-02 10:00Z', 2),
               ('fb', 'f5', 'views', '2026-03-02 10:00Z', 77),
               ('li', 'f3', 'likes', '2026-02-20 10:00Z', 8),
               ('x', 'x1', 'quotes', '2026-04-03 10:00Z', 6),
               ('x', 'x1', 'bookmarks', '2026-04-03 10:00Z', 1),
               ('x', 'x1', 'impressions', '2026-04-03 10:00Z', 300),
               ('fb', 'o1', 'likes', '2026-02-03 10:00Z', 99)) s(a, o, m, t, v);

-- Leads over five months with one to three touches: ad clicks of 111 (spring) and 222
-- (brand), a utm touch of q4-webinar (brand), touches of no campaign. Every third person has
-- a deal, won when the lead number is even, closed a week later.
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at)
SELECT (SELECT account_id FROM acc WHERE name = 'fb'), 'l' || i, 'form', timestamptz '2026-01-03 10:00Z' + i * interval '37 hours'
  FROM pg_catalog.generate_series(1, 90) i;
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign)
SELECT (SELECT account_id FROM acc WHERE name = 'fb'), 't' || i || '.' || j, 'l' || i, 'ad_click',
       timestamptz '2026-01-03 09:00Z' + i * interval '37 hours' - j * interval '20 hours',
       CASE (i + j) % 4 WHEN 0 THEN 'facebook' WHEN 1 THEN 'linkedin' WHEN 2 THEN 'x' ELSE NULL END,
       CASE (i + j) % 4 WHEN 0 THEN '111' WHEN 1 THEN '222' END,
       CASE (i + j) % 4 WHEN 2 THEN 'q4-webinar' END
  FROM pg_catalog.generate_series(1, 90) i, pg_catalog.generate_series(0, i % 3) j;
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at)
VALUES ((SELECT account_id FROM acc WHERE name = 'fb'), 'l900', 'form', '2026-07-10 10:00Z');
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id)
VALUES ((SELECT account_id FROM acc WHERE name = 'fb'), 't900', 'l900', 'ad_click',
        '2026-07-08 10:00Z', 'facebook', '999'),
       ((SELECT account_id FROM acc WHERE name = 'fb'), 't901', 'l900', 'ad_click',
        '2026-07-09 10:00Z', 'facebook', '999');
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
SELECT (SELECT account_id FROM acc WHERE name = 'fb'), 'd' || i, 1000000 * i, 'USD', i % 2 = 0, true,
       timestamptz '2026-01-03 12:00Z' + i * interval '37 hours',
       timestamptz '2026-01-10 12:00Z' + i * interval '37 hours'
  FROM pg_catalog.generate_series(3, 90, 3) i;
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
VALUES ((SELECT account_id FROM acc WHERE name = 'fb'), 'd900', 5000000, 'USD', true, true,
        '2026-07-11 10:00Z', '2026-07-20 10:00Z');
INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
VALUES ((SELECT account_id FROM acc WHERE name = 'fb'), 'd900', 'l900');
INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
SELECT (SELECT account_id FROM acc WHERE name = 'fb'), 'd' || i, 'l' || i
  FROM pg_catalog.generate_series(3, 90, 3) i;

-- Mentions on X. Positive (above 0.25) and naming a value: m1 (SPRING sale!), m2 (Q4 Webinar
-- and #brand: both brand's, counted once), m3 (q4webinar and springsale: one for each), m7 in
-- May 2026, m9 in August 2026. Not counted: m4 (0.25 is not above), m5 (negative), m6 (names
-- nothing), m8 (no body).
INSERT INTO socialroi.mention (account_id, mention_id, query, body, posted_at, sentiment)
SELECT (SELECT account_id FROM acc WHERE name = 'x'), i, 'acme', b, t::timestamptz, s
  FROM (VALUES ('m1', 'Loving the SPRING sale!', '2026-01-31 23:30Z', 0.8),
               ('m2', 'The Q4 Webinar was great #brand', '2026-02-10 10:00Z', 0.6),
               ('m3', 'q4webinar and springsale, both good', '2026-03-31 23:59Z', 0.9),
               ('m4', 'q4-webinar is fine', '2026-02-11 10:00Z', 0.25),
               ('m5', 'spring sale broke my cart', '2026-01-20 10:00Z', -0.6),
               ('m6', 'great product', '2026-01-22 10:00Z', 0.9),
               ('m7', 'brand brand brand', '2026-05-15 10:00Z', 0.3),
               ('m8', NULL, '2026-02-12 10:00Z', 0.9),
               ('m9', 'Spring Sale forever', '2026-08-03 10:00Z', 0.7)) v(i, b, t, s);

SELECT is(socialroi.rollup_dirty(1000) + socialroi.rollup_dirty(1000) + socialroi.rollup_dirty(1000),
          0, 'the rollup drains');
ANALYZE;

CREATE TEMP TABLE want AS SELECT * FROM pg_temp.old_funnel;

-- not vacuous: every stage has figures somewhere, and the rows the world was made for are there
SELECT is((SELECT array_agg(campaign || ' ' || pg_catalog.to_char(month, 'YYYY-MM')
                            ORDER BY campaign, month) FROM want),
          ARRAY['brand 2025-11', 'brand 2026-01', 'brand 2026-02', 'brand 2026-03',
                'brand 2026-04', 'brand 2026-05', 'brand 2026-06', 'solo 2025-10', 'solo 2026-07',
                'spring 2025-12', 'spring 2026-01', 'spring 2026-02', 'spring 2026-03',
                'spring 2026-04', 'spring 2026-05', 'spring 2026-08'],
          'the reference has the months of each campaign that have data, gaps and edges included');
SELECT ok((SELECT bool_and(s > 0) FROM (
               SELECT sum(interest_impressions) AS s FROM want UNION ALL
               SELECT sum(interest_reach) FROM want UNION ALL
               SELECT sum(consideration_engagements) FROM want UNION ALL
               SELECT sum(consideration_clicks) FROM want UNION ALL
               SELECT sum(trial_leads) FROM want UNION ALL
               SELECT sum(loyalty_won_deals) FROM want UNION ALL
               SELECT sum(loyalty_customers) FROM want UNION ALL
               SELECT sum(advocacy_shares) FROM want UNION ALL
               SELECT sum(advocacy_positive_mentions) FROM want) x),
          'every stage has figures in the reference');

-- ---- the view against the function --------------------------------------------------------------

-- The function had campaign rows only; 031 added a brand-wide row per UTC month (campaign
-- NULL) with the positive brand mentions that name no campaign's utm_campaign value (a value
-- of punctuation alone names nothing): m6 in January, m8 (no text) in February. Here from that
-- definition, grouped by month.
INSERT INTO want
SELECT NULL, 'brand-wide (no campaign)',
       (pg_catalog.date_trunc('month', m.posted_at AT TIME ZONE 'UTC'))::date,
       0, 0, 0, 0, 0, 0, 0, 0, count(*), NULL, NULL, NULL, NULL
  FROM socialroi.mention m
 WHERE m.sentiment > 0.25 AND pg_catalog.isfinite(m.posted_at)
   AND NOT EXISTS (
        SELECT FROM socialroi.campaign_link l
         WHERE l.kind = 'utm_campaign'
           AND pg_catalog.regexp_replace(lower(l.value), '[^[:alnum:]]+', '', 'g') <> ''
           AND pg_catalog.strpos(pg_catalog.regexp_replace(lower(m.body), '[^[:alnum:]]+', '', 'g'),
                                 pg_catalog.regexp_replace(lower(l.value), '[^[:alnum:]]+', '',
                                                           'g')) > 0)
 GROUP BY 3;
SELECT results_eq($$SELECT month, advocacy_positive_mentions FROM want WHERE campaign IS NULL
                     ORDER BY month$$,
                  $$VALUES ('2026-01-01'::date, 1::bigint), ('2026-02-01', 1)$$,
                  'brand-wide rows: m6 in January, m8 in February');

SELECT hasnt_function('dashboard', 'funnel_rows', 'dashboard.funnel_rows is gone');
SELECT has_index('socialroi', 'mention', 'mention_positive_posted_idx', ARRAY['posted_at'],
                 'mention has the index of positive mentions by time');
SELECT set_eq('SELECT * FROM dashboard.funnel', 'SELECT * FROM want',
              'the view gives the function''s rows, every column');
SELECT is((SELECT count(*) FROM dashboard.funnel), (SELECT count(*) FROM want),
          'and no row twice');
SELECT results_eq(
    $$SELECT month, interest_impressions, interest_reach, consideration_engagements,
             consideration_clicks, advocacy_shares, advocacy_positive_mentions
        FROM dashboard.funnel WHERE campaign = 'brand' ORDER BY month$$,
    $$VALUES ('2025-11-01'::date, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint, 0::bigint),
             ('2026-01-01', 0, 0, 0, 0, 0, 0), ('2026-02-01', 3206, 0, 10, 112, 3, 1),
             ('2026-03-01', 0, 0, 0, 0, 0, 1), ('2026-04-01', 430, 0, 7, 3, 0, 0),
             ('2026-05-01', 0, 0, 0, 0, 0, 1), ('2026-06-01', 0, 0, 0, 0, 0, 0)$$,
    'brand by hand: a views-only and a link_clicks-only month as zeros, f4 without counters, '
    'x1 in April, m2 once, m3 in March, m7 in May');

SELECT results_eq(
    $$SELECT month, interest_impressions, consideration_clicks, trial_leads, loyalty_won_deals,
             loyalty_customers, trial_to_loyalty
        FROM dashboard.funnel WHERE campaign = 'solo' ORDER BY month$$,
    $$VALUES ('2025-10-01'::date, 261::bigint, 7::bigint, 0::numeric, 0::bigint, 0::numeric,
              NULL::numeric),
             ('2026-07-01', 0, 0, 1, 1, 1, 1)$$,
    'solo by hand: two days of delivery in October; in July one lead and one won deal, each '
    'credited through two touches');

-- In other time zones the same.
SET LOCAL TimeZone = 'America/Sao_Paulo';
SELECT set_eq('SELECT * FROM dashboard.funnel', 'SELECT * FROM want',
              'the same rows in America/Sao_Paulo');
SET LOCAL TimeZone = 'Etc/GMT+12';
SELECT set_eq('SELECT * FROM dashboard.funnel', 'SELECT * FROM want',
              'the same rows in Etc/GMT+12');
SET LOCAL TimeZone = 'Pacific/Kiritimati';

-- ---- ranges of months ---------------------------------------------------------------------------

-- Every month from September 2025 to September 2026 alone, as make bench asks (>= and <), and every
-- range of two to four months as socialroi report asks (BETWEEN): the view's rows of those months.
CREATE FUNCTION pg_temp.range_mismatches() RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    m date;
    n integer;
    bad text[] := '{}';
    d bigint;
BEGIN
    FOR m IN SELECT g::date FROM pg_catalog.generate_series(timestamp '2025-09-01',
                                                           '2026-09-01', '1 month') g LOOP
        SELECT count(*) INTO d FROM (
            (SELECT * FROM dashboard.funnel WHERE month >= m AND month < m + interval '1 month'
             EXCEPT ALL SELECT * FROM want WHERE month = m)
            UNION ALL
            (SELECT * FROM want WHERE month = m
             EXCEPT ALL SELECT * FROM dashboard.funnel
              WHERE month >= m AND month < m + interval '1 month')) x;
        IF d > 0 THEN
            bad := bad || pg_catalog.to_char(m, 'YYYY-MM');
        END IF;
        FOR n IN 1..3 LOOP
            SELECT count(*) INTO d FROM (
                (SELECT * FROM dashboard.funnel
                  WHERE month BETWEEN m AND (m + n * interval '1 month')::date
                 EXCEPT ALL SELECT * FROM want
                  WHERE month BETWEEN m AND (m + n * interval '1 month')::date)
                UNION ALL
                (SELECT * FROM want WHERE month BETWEEN m AND (m + n * interval '1 month')::date
                 EXCEPT ALL SELECT * FROM dashboard.funnel
                  WHERE month BETWEEN m AND (m + n * interval '1 month')::date)) x;
            IF d > 0 THEN
                bad := bad || (pg_catalog.to_char(m, 'YYYY-MM') || '+' || n);
            END IF;
        END LOOP;
    END LOOP;
    RETURN bad;
END
$$;
SELECT is(pg_temp.range_mismatches(), '{}'::text[],
          'each month alone and each range of months gives the rows of those months');
SELECT set_eq($$SELECT * FROM dashboard.funnel WHERE month >= '2026-02-01'$$,
              $$SELECT * FROM want WHERE month >= '2026-02-01'$$,
              'an open range too');

-- A day that is not finite (no platform gives one) makes no month and does not make the months
-- endless: a post of spring published at infinity, a mention and a spend day of brand at
-- -infinity; the other rows stay what they were.
SET LOCAL statement_timeout = '20s';
INSERT INTO socialroi.content (account_id, content_id, kind, published_at, title, utm_campaign)
VALUES ((SELECT account_id FROM acc WHERE name = 'fb'), 'f9', 'post', 'infinity', 'f9',
        'Spring-Sale');
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
VALUES ((SELECT account_id FROM acc WHERE name = 'fb'), 'f9', 'likes', '2026-02-02 10:00Z', 1);
INSERT INTO socialroi.mention (account_id, mention_id, query, body, posted_at, sentiment)
VALUES ((SELECT account_id FROM acc WHERE name = 'x'), 'm99', 'acme', '#brand', '-infinity', 0.9);
INSERT INTO socialroi.rollup_spend (campaign_id, day, source, platform, currency, micros,
                                    impressions, clicks)
VALUES ((SELECT campaign_id FROM socialroi.campaign WHERE name = 'brand'), '-infinity',
        'platform', 'linkedin', 'EUR', 0, 5, 1);
SELECT set_eq($$SELECT * FROM dashboard.funnel$$, $$SELECT * FROM want$$,
              'days that are not finite make no month and bound none');
RESET statement_timeout;
DELETE FROM socialroi.rollup_spend WHERE day = '-infinity';
DELETE FROM socialroi.mention WHERE mention_id = 'm99';
DELETE FROM socialroi.metric_snapshot WHERE object_id = 'f9';
DELETE FROM socialroi.content WHERE content_id = 'f9';

-- ---- readers ----------------------------------------------------------------------------------

SET LOCAL ROLE socialroi_dashboard;
CREATE TEMP TABLE as_dashboard AS
SELECT * FROM dashboard.funnel WHERE month >= '2026-02-01' AND month < '2026-03-01';
RESET ROLE;
SELECT set_eq('SELECT * FROM as_dashboard', $$SELECT * FROM want WHERE month = '2026-02-01'$$,
              'socialroi_dashboard reads a month of the view');
SET LOCAL ROLE socialroi_finance;
CREATE TEMP TABLE as_finance AS SELECT * FROM dashboard.funnel;
RESET ROLE;
SELECT set_eq('SELECT * FROM as_finance', 'SELECT * FROM want',
              'socialroi_finance reads the view');

-- ---- what one month reads -----------------------------------------------------------------------

-- Many more metric and credit rows of other objects and of no campaign, and mentions that name
-- nothing, so that reading all of a table would show; then one month's plan reaches the daily
-- metrics, the credit and the mentions through their indexes only.
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
SELECT (SELECT account_id FROM acc WHERE name = 'fb'), 'post' || (i % 400), 'likes',
       date '2025-01-01' + i / 400, 'utc', i
  FROM pg_catalog.generate_series(1, 60000) i;
INSERT INTO socialroi.attribution (kind, conversion, model, seq, campaign_id, channel, weight,
                                   day, won)
SELECT 'lead', 'bulk' || i, mo, 1, NULL, 'x', 1, date '2025-01-01' + i % 500, false
  FROM pg_catalog.generate_series(1, 8000) i,
       pg_catalog.unnest(ARRAY['linear', 'first_touch', 'last_touch']) mo;
INSERT INTO socialroi.mention (account_id, mention_id, query, body, posted_at, sentiment)
SELECT (SELECT account_id FROM acc WHERE name = 'x'), 'bulk' || i, 'acme', 'nothing to see',
       timestamptz '2025-01-01 00:00Z' + i * interval '1 hour', 0.5
  FROM pg_catalog.generate_series(1, 20000) i;
ANALYZE;
CREATE FUNCTION pg_temp.seq_scans(q text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    line text;
    found text[] := '{}';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN ' || q LOOP
        IF line ~ 'Seq Scan on (metric_daily|attribution|mention) ' THEN
            found := found || pg_catalog.btrim(line);
        END IF;
    END LOOP;
    RETURN found;
END
$$;
SELECT is(pg_temp.seq_scans($$SELECT * FROM dashboard.funnel
                               WHERE month >= '2026-02-01' AND month < '2026-03-01'$$),
          '{}'::text[], 'one month reads no fact table whole');

SELECT * FROM finish();
ROLLBACK;
