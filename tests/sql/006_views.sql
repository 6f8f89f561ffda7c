-- 006_views.sql - the dashboard views on small hand-made data: channel_daily, channel_monthly,
-- top_content, funnel, data_health and dashboard.channel_report. Lifetime counters are
-- differenced (never summed), rates are ratios of sums (never averages of rates), a zero
-- denominator gives NULL (never 0 or infinity), and days are UTC days whatever the session's
-- TimeZone: the whole file runs in Pacific/Kiritimati (UTC+14), where 23:30 UTC is already the
-- next day, and the views must answer the same in UTC and in Etc/GMT+12 (UTC-12).
BEGIN;
SELECT plan(30);

SET LOCAL TimeZone = 'Pacific/Kiritimati';

SELECT is(socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, ''), 1, 'account fb is 1');
SELECT is(socialroi.sync_account('li', 'linkedin', '2', 'USD', '', true, ''), 2, 'account li is 2');
SELECT is(socialroi.sync_account('x', 'x', '3', NULL, '', true, ''), 3, 'account x is 3');
SELECT is(socialroi.sync_account('ig', 'instagram', '4', NULL, '', true, ''), 4, 'account ig is 4');

-- ---- facts ------------------------------------------------------------------------------------

-- Facebook page metrics: the platform's own daily engagement count.
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
VALUES (1, '', 'impressions', '2026-01-30', 'pacific', 1000),
       (1, '', 'reach', '2026-01-30', 'pacific', 800),
       (1, '', 'engagements', '2026-01-30', 'pacific', 10),
       (1, '', 'clicks', '2026-01-30', 'pacific', 3),
       (1, '', 'impressions', '2026-01-31', 'pacific', 3000),
       (1, '', 'reach', '2026-01-31', 'pacific', 2000),
       (1, '', 'engagements', '2026-01-31', 'pacific', 90),
       (1, '', 'clicks', '2026-01-31', 'pacific', 7),
       (1, '', 'followers_gained', '2026-01-31', 'pacific', 8),
       (1, '', 'followers_lost', '2026-01-31', 'pacific', 2),
       (1, '', 'impressions', '2026-02-01', 'pacific', 500),
       (1, '', 'engagements', '2026-02-01', 'pacific', 0),
       (1, '', 'impressions', '2026-02-02', 'pacific', 0),
       (1, '', 'engagements', '2026-02-02', 'pacific', 0),
       -- an ad campaign's own interactions: the funnel's, never the page's
       (1, '111', 'likes', '2026-01-31', 'pacific', 6),
       (1, '111', 'shares', '2026-01-31', 'pacific', 2);
-- The page's follower count, a lifetime counter observed twice on Jan 30, once at 23:30 UTC on
-- Jan 31 (Feb 1 in Kiritimati) and once on Feb 1.
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
VALUES (1, '', 'followers', '2026-01-30 08:00Z', 100),
       (1, '', 'followers', '2026-01-30 20:00Z', 105),
       (1, '', 'followers', '2026-01-31 23:30Z', 110),
       (1, '', 'followers', '2026-02-01 10:00Z', 120);
-- Facebook posts and their lifetime counters.
INSERT INTO socialroi.content (account_id, content_id, kind, published_at, url, title, utm_campaign)
VALUES (1, 'f1', 'post', '2026-01-31 23:30Z', 'https://fb.example/f1', 'Launch post', 'spring'),
       (1, 'f2', 'post', '2026-01-30 12:00Z', 'https://fb.example/f2', 'Teaser', NULL),
       (1, 'f3', 'post', '2026-02-01 10:00Z', 'https://fb.example/f3', 'February', NULL),
       (1, 'f4', 'video', '2026-01-15 12:00Z', 'https://fb.example/f4', 'Clip', NULL);
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
VALUES (1, 'f1', 'likes', '2026-02-01 10:00Z', 10),
       (1, 'f1', 'likes', '2026-02-02 10:00Z', 20),
       (1, 'f1', 'comments', '2026-02-02 10:00Z', 5),
       (1, 'f1', 'shares', '2026-02-02 10:00Z', 5),
       (1, 'f1', 'impressions', '2026-02-02 10:00Z', 600),
       (1, 'f1', 'reach', '2026-02-02 10:00Z', 400),
       (1, 'f2', 'likes', '2026-01-31 10:00Z', 30),
       (1, 'f2', 'impressions', '2026-01-31 10:00Z', 0),
       (1, 'f3', 'likes', '2026-02-02 10:00Z', 1),
       (1, 'f4', 'likes', '2026-01-20 10:00Z', 5),
       (1, 'f4', 'views', '2026-01-20 10:00Z', 50);
-- Ads: campaign 111 (linked to the business campaign below) and 222 (not linked).
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions, clicks)
VALUES (1, '111', '2026-01-31', 'account_tz', 'USD', 10000000, 400, 4),
       (1, '222', '2026-01-31', 'account_tz', 'USD', 5000000, 100, 1),
       (1, '111', '2026-02-01', 'account_tz', 'USD', 20000000, 1000, 10);

-- LinkedIn: no engagement metric, so the sum of its daily interactions.
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
VALUES (2, '', 'impressions', '2026-01-15', 'utc', 100),
       (2, '', 'likes', '2026-01-15', 'utc', 3),
       (2, '', 'comments', '2026-01-15', 'utc', 2),
       (2, '', 'shares', '2026-01-15', 'utc', 1),
       (2, '', 'clicks', '2026-01-15', 'utc', 4),
       (2, '', 'impressions', '2026-02-10', 'utc', 0),
       (2, '', 'likes', '2026-02-10', 'utc', 2);

-- X: no daily metric at all; engagements are the day's growth of the posts' counters. Both
-- posts are older than their first observation, whose count is their baseline (Jan 9 for p1,
-- Jan 11 for p2): nothing says on which days those likes came.
INSERT INTO socialroi.content (account_id, content_id, kind, published_at, title)
VALUES (3, 'p1', 'tweet', '2026-01-01 12:00Z', 'first'),
       (3, 'p2', 'tweet', '2026-01-05 12:00Z', 'second');
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
VALUES (3, 'p1', 'likes', '2026-01-09 20:00Z', 5),
       (3, 'p1', 'shares', '2026-01-09 20:00Z', 1),
       (3, 'p1', 'likes', '2026-01-11 08:00Z', 7),
       (3, 'p1', 'likes', '2026-01-11 20:00Z', 8),
       (3, 'p1', 'shares', '2026-01-11 20:00Z', 2),
       (3, 'p1', 'likes', '2026-01-12 20:00Z', 8),
       (3, 'p1', 'shares', '2026-01-12 20:00Z', 2),
       (3, 'p2', 'likes', '2026-01-11 20:00Z', 10),
       (3, 'p2', 'likes', '2026-01-12 20:00Z', 12),
       (3, '', 'followers', '2026-01-09 09:00Z', 1000),
       (3, '', 'followers', '2026-01-12 09:00Z', 1010);

-- ---- channel_daily ------------------------------------------------------------------------------

-- Facebook, by hand:
--   Jan 30  1000 impr, 10 eng: rate 0.01; followers 105 (the day's last count, not 100 + 105);
--           growth NULL (the first count has nothing to difference); post f2
--   Jan 31  3000 impr, 90 eng: rate 0.03; followers 110 (observed 23:30 UTC: Jan 31, not
--           Kiritimati's Feb 1); growth 8 - 2 = 6 (the platform's own gain wins over the
--           counter's 5); post f1 (23:30 UTC); paid 400 + 100 impressions, 4 + 1 clicks
--   Feb 1    500 impr, 0 eng: rate 0; followers 120, growth 120 - 110 = 10; post f3;
--           paid 1000 / 10
--   Feb 2      0 impr: rate NULL (not 0, not infinity); no follower count: NULL
SELECT results_eq(
    $$SELECT day, impressions, reach, clicks, engagements, engagement_rate, followers,
             followers_growth, posts, paid_impressions, paid_clicks
        FROM dashboard.channel_daily WHERE account = 'fb' AND day >= '2026-01-30' ORDER BY day$$,
    $$VALUES ('2026-01-30'::date, 1000::bigint, 800::bigint, 3::bigint, 10::bigint,
              0.01::numeric, 105::bigint, NULL::bigint, 1::bigint, 0::bigint, 0::bigint),
             ('2026-01-31', 3000, 2000, 7, 90, 0.03, 110, 6, 1, 500, 5),
             ('2026-02-01', 500, NULL, 0, 0, 0, 120, 10, 1, 1000, 10),
             ('2026-02-02', 0, NULL, 0, 0, NULL, NULL, NULL, 0, 0, 0)$$,
    'channel_daily facebook: counts, rates, followers differenced, UTC days');
SELECT is((SELECT platform FROM dashboard.channel_daily WHERE account = 'fb' LIMIT 1), 'facebook',
          'channel_daily names the platform');
-- Jan 15 (post f4 published) and Jan 20 (f4's first counters) are days of their own, with
-- nothing but a post on Jan 15.
SELECT results_eq(
    $$SELECT day, impressions, engagements, engagement_rate, posts
        FROM dashboard.channel_daily WHERE account = 'fb' AND day < '2026-01-30' ORDER BY day$$,
    $$VALUES ('2026-01-15'::date, 0::bigint, 0::bigint, NULL::numeric, 1::bigint),
             ('2026-01-20', 0, 0, NULL, 0)$$,
    'channel_daily facebook: a day with only a post or only counters has no rate');
SELECT is((SELECT count(*)::int FROM dashboard.channel_daily WHERE account = 'fb'), 6,
          'channel_daily facebook: one row per day with any fact (the ad campaign''s own metrics add none)');

-- LinkedIn: Jan 15 likes 3 + comments 2 + shares 1 = 6 engagements on 100 impressions;
-- Feb 10: 2 engagements on 0 impressions, rate NULL.
SELECT results_eq(
    $$SELECT day, impressions, clicks, engagements, engagement_rate, followers, posts
        FROM dashboard.channel_daily WHERE account = 'li' ORDER BY day$$,
    $$VALUES ('2026-01-15'::date, 100::bigint, 4::bigint, 6::bigint, 0.06::numeric,
              NULL::bigint, 0::bigint),
             ('2026-02-10', 0, 0, 2, NULL, NULL, 0)$$,
    'channel_daily linkedin: engagements are the sum of the interaction metrics');

-- X: posts on Jan 1 and Jan 5; Jan 9 the baselines; Jan 11 p1 likes 8 - 5 = 3 (the 08:00
-- count of 7 is not the day's last), shares 2 - 1 = 1, p2's first count is its baseline: 4
-- (the counters themselves add up to 20); Jan 12: p1 unchanged, p2 12 - 10 = 2. Followers 1000
-- on Jan 9, 1010 on Jan 12: growth 10 (against the last observed day, Jan 9). No impressions:
-- every rate NULL.
SELECT results_eq(
    $$SELECT day, engagements, engagement_rate, followers, followers_growth, posts
        FROM dashboard.channel_daily WHERE account = 'x' ORDER BY day$$,
    $$VALUES ('2026-01-01'::date, 0::bigint, NULL::numeric, NULL::bigint, NULL::bigint, 1::bigint),
             ('2026-01-05', 0, NULL, NULL, NULL, 1),
             ('2026-01-09', 0, NULL, 1000, NULL, 0),
             ('2026-01-11', 4, NULL, NULL, NULL, 0),
             ('2026-01-12', 2, NULL, 1010, 10, 0)$$,
    'channel_daily x: the posts'' counters differenced day over day, never summed');

-- ---- channel_monthly ------------------------------------------------------------------------------

-- Facebook January: 4000 impressions, 100 engagements: rate 100/4000 = 0.025 (the average of
-- the daily rates 0.01 and 0.03 would be 0.02); followers at the end of the month 110 (not
-- 105 + 110); growth 6; posts f4, f2, f1; paid 500 / 5.
-- February: 500 impressions, 0 engagements: rate 0; followers 120 (the last count of the month,
-- though Feb 2 has none); growth 10; one post; reach NULL (never reported in February).
SELECT results_eq(
    $$SELECT month, impressions, reach, clicks, engagements, engagement_rate, followers,
             followers_growth, posts, paid_impressions, paid_clicks
        FROM dashboard.channel_monthly WHERE account = 'fb' ORDER BY month$$,
    $$VALUES ('2026-01-01'::date, 4000::bigint, 2800::bigint, 10::bigint, 100::bigint,
              0.025::numeric, 110::bigint, 6::bigint, 3::bigint, 500::bigint, 5::bigint),
             ('2026-02-01', 500, NULL, 0, 0, 0, 120, 10, 1, 1000, 10)$$,
    'channel_monthly facebook');
SELECT results_eq(
    $$SELECT month, impressions, engagements, engagement_rate, followers, followers_growth, posts
        FROM dashboard.channel_monthly WHERE account IN ('li', 'x') ORDER BY account, month$$,
    $$VALUES ('2026-01-01'::date, 100::bigint, 6::bigint, 0.06::numeric, NULL::bigint,
              NULL::bigint, 0::bigint),
             ('2026-02-01', 0, 2, NULL, NULL, NULL, 0),
             ('2026-01-01', 0, 6, NULL, 1010, 10, 2)$$,
    'channel_monthly linkedin and x: zero impressions give a NULL rate; followers at month end');

-- ---- top_content --------------------------------------------------------------------------------

-- The latest value of each counter (f1's likes: 20, not 10 + 20); engagements = likes + comments
-- + shares; the rate over impressions, else views; ranked per platform and UTC month (f1,
-- published 23:30 UTC on Jan 31, is January's). Ties share a rank.
--   f1  20 + 5 + 5 = 30 on 600 impressions: 0.05, rank 1
--   f2  30 on 0 impressions: NULL, rank 1 (tie)
--   f4  5 on 50 views (no impressions): 0.1, rank 3
--   f3  February's only post: 1, no impressions or views: NULL, rank 1
SELECT results_eq(
    $$SELECT content_id, month, engagements, likes, comments, shares, impressions, views, reach,
             engagement_rate, rank_in_month
        FROM dashboard.top_content WHERE platform = 'facebook'
       ORDER BY month, rank_in_month, content_id$$,
    $$VALUES ('f1', '2026-01-01'::date, 30::bigint, 20::bigint, 5::bigint, 5::bigint,
              600::bigint, NULL::bigint, 400::bigint, 0.05::numeric, 1::bigint),
             ('f2', '2026-01-01', 30, 30, NULL, NULL, 0, NULL, NULL, NULL, 1),
             ('f4', '2026-01-01', 5, 5, NULL, NULL, NULL, 50, NULL, 0.1, 3),
             ('f3', '2026-02-01', 1, 1, NULL, NULL, NULL, NULL, NULL, NULL, 1)$$,
    'top_content facebook: latest counters, rates, ranks per UTC month');
SELECT results_eq(
    $$SELECT content_id, engagements, rank_in_month FROM dashboard.top_content
       WHERE platform = 'x' ORDER BY rank_in_month$$,
    $$VALUES ('p2', 12::bigint, 1::bigint), ('p1', 10, 2)$$,
    'top_content x: p2 (12 likes) before p1 (8 likes + 2 shares), ranked apart from facebook');
SELECT is((SELECT row(title, url, kind, account)::text FROM dashboard.top_content WHERE content_id = 'f1'),
          row('Launch post', 'https://fb.example/f1', 'post', 'fb')::text,
          'top_content carries title, url, kind and account');

-- ---- funnel -----------------------------------------------------------------------------------

-- Business campaign "spring": its ad campaign 111, its post f1 and utm_campaign "spring";
-- "quiet": only utm_campaign "quiet".
SELECT socialroi.sync_campaigns('[{"name":"spring","title":"Spring","start":"2026-01-01","end":"2026-03-31","spend":[],
    "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"},
             {"kind":"content","platform":"facebook","value":"f1"},
             {"kind":"utm_campaign","platform":"","value":"spring"}]},
  {"name":"quiet","title":"Quiet","start":"2026-01-01","end":"2026-03-31","spend":[],
    "links":[{"kind":"utm_campaign","platform":"","value":"quiet"}]}]');
-- l1: an ad click of 111 and a touch of no campaign: half a lead for spring (linear), Jan 20.
-- l2: one click of 111: a whole lead, on Jan 31 (created 23:30 UTC).
-- l3: one touch of quiet, Jan 5.
-- d1 (l1's) won, closed Feb 3: half a customer for spring in February. d2 (l2's) lost.
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at)
VALUES (1, 'l1', 'form', '2026-01-20 10:00Z'), (1, 'l2', 'form', '2026-01-31 23:30Z'),
       (1, 'l3', 'form', '2026-01-05 10:00Z');
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign)
VALUES (1, 'ta', 'l1', 'ad_click', '2026-01-19 10:00Z', 'facebook', '111', NULL),
       (1, 'tb', 'l1', 'ad_click', '2026-01-19 12:00Z', 'linkedin', NULL, 'other'),
       (1, 'tc', 'l2', 'ad_click', '2026-01-31 20:00Z', 'facebook', '111', NULL),
       (1, 'td', 'l3', 'ad_click', '2026-01-04 10:00Z', 'x', NULL, 'quiet');
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
VALUES (1, 'd1', 100000000, 'USD', true, true, '2026-01-25 00:00Z', '2026-02-03 12:00Z'),
       (1, 'd2', 900000000, 'USD', false, true, '2026-02-01 00:00Z', '2026-02-04 12:00Z');
INSERT INTO socialroi.deal_contact VALUES (1, 'd1', 'l1'), (1, 'd2', 'l2');
-- Mentions: only a positive one (above 0.25) that names the utm_campaign counts for spring;
-- a positive one naming no campaign (m4) counts on the month's brand-wide row.
INSERT INTO socialroi.mention (account_id, mention_id, query, body, posted_at, sentiment)
VALUES (3, 'm1', 'acme', 'Loving the SPRING launch', '2026-01-31 23:30Z', 0.8),
       (3, 'm2', 'acme', 'spring is meh', '2026-01-20 10:00Z', 0.25),
       (3, 'm3', 'acme', 'spring broke my build', '2026-01-21 10:00Z', -0.6),
       (3, 'm4', 'acme', 'great product', '2026-01-22 10:00Z', 0.9);
SELECT is(socialroi.rollup_dirty(1000) + socialroi.rollup_dirty(1000) + socialroi.rollup_dirty(1000),
          0, 'the rollup drains');

-- spring, January: impressions 400 (ads) + 600 (f1) = 1000; reach 400 (f1); engagements 30
-- (f1) + 8 (111's likes and shares) = 38; clicks 4; leads 0.5 + 1 = 1.5; shares 5 + 2 = 7;
-- one positive mention (m1, 23:30 UTC Jan 31). Rates: (38 + 4) / 1000 = 0.042;
-- 1.5 / 42 = 1/28 (0.035714 to six places); 0 customers / 1.5 leads = 0; advocacy over 0
-- customers: NULL.
-- spring, February: impressions 1000, clicks 10, d1 won: 1 deal, 0.5 customers. Rates:
-- 10 / 1000 = 0.01; 0 leads / 10 = 0; 0.5 customers over 0 leads: NULL; 0 / 0.5 = 0.
-- quiet, January: one lead and nothing else: interest and consideration rates over zero
-- impressions and zero engagements are NULL, trial to loyalty 0 / 1 = 0.
SELECT results_eq(
    $$SELECT campaign, title, month, interest_impressions, interest_reach,
             consideration_engagements, consideration_clicks, trial_leads, loyalty_won_deals,
             loyalty_customers, advocacy_shares, advocacy_positive_mentions,
             interest_to_consideration, round(consideration_to_trial, 12), trial_to_loyalty,
             loyalty_to_advocacy
        FROM dashboard.funnel ORDER BY campaign, month$$,
    $$VALUES ('quiet', 'Quiet', '2026-01-01'::date, 0::bigint, 0::bigint, 0::bigint, 0::bigint,
              1::numeric, 0::bigint, 0::numeric, 0::bigint, 0::bigint, NULL::numeric,
              NULL::numeric, 0::numeric, NULL::numeric),
             ('spring', 'Spring', '2026-01-01', 1000, 400, 38, 4, 1.5, 0, 0, 7, 1, 0.042,
              0.035714, 0, NULL),
             ('spring', 'Spring', '2026-02-01', 1000, 0, 0, 10, 0, 1, 0.5, 0, 0, 0.01, 0, NULL, 0),
             (NULL, 'brand-wide (no campaign)', '2026-01-01', 0, 0, 0, 0, 0, 0, 0, 0, 1, NULL,
              NULL, NULL, NULL)$$,
    'funnel: every stage and rate per campaign and UTC month, NULL over zero; the brand-wide '
    'row has the positive mention naming no campaign (m4)');

-- ---- data_health ------------------------------------------------------------------------------

-- Instagram: account insights delivered on the 30 UTC days before today but two (7 and 20
-- days ago): gaps_30d = 2. A day 31 days ago and a post's metric on a missing day do not count.
SELECT count(*) FROM socialroi.sync_job('ig', 'instagram.account_insights', 86400000, 172800000, 2592000000, true);
SELECT count(*) FROM socialroi.sync_job('ig', 'instagram.media', 86400000, 172800000, 2592000000, false);
SELECT count(*) FROM socialroi.sync_job('ig', 'instagram.stories', 86400000, 172800000, 2592000000, false);
SELECT socialroi.disable_jobs_except('ig', ARRAY['instagram.account_insights', 'instagram.media']);
UPDATE socialroi.poll_job SET last_success = now() - interval '2 hours', failures = 3,
                              last_error_class = 'transient'
 WHERE stream = 'instagram.account_insights';
SELECT socialroi.set_account_state('ig', 'needs_reauth', 'code 190', 'h');
UPDATE socialroi.account SET token_expires_at = '2030-01-01 00:00Z' WHERE name = 'ig';
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
SELECT 4, '', 'reach', d::date, 'pacific', 1
  FROM generate_series((now() AT TIME ZONE 'UTC')::date - 31, (now() AT TIME ZONE 'UTC')::date - 1,
                       interval '1 day') d
 WHERE d::date NOT IN ((now() AT TIME ZONE 'UTC')::date - 7, (now() AT TIME ZONE 'UTC')::date - 20);
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
VALUES (4, 'm1', 'reach', (now() AT TIME ZONE 'UTC')::date - 7, 'pacific', 1);

SELECT results_eq(
    $$SELECT stream, platform, account_state, enabled, lag, failures, last_error_class,
             token_expires_at, gaps_30d
        FROM dashboard.data_health WHERE account = 'ig' ORDER BY stream$$,
    $$VALUES ('instagram.account_insights', 'instagram', 'needs_reauth', true, interval '2 hours',
              3, 'transient', '2030-01-01 00:00Z'::timestamptz, 2::bigint),
             ('instagram.media', 'instagram', 'needs_reauth', true, NULL, 0, NULL,
              '2030-01-01 00:00Z', NULL),
             ('instagram.stories', 'instagram', 'needs_reauth', false, NULL, 0, NULL,
              '2030-01-01 00:00Z', NULL)$$,
    'data_health: state, lag, failures, token expiry; gaps only for daily-metric streams');
SELECT is((SELECT gaps_30d FROM dashboard.data_health WHERE stream = 'instagram.account_insights'),
          2::bigint, 'data_health: gaps over the 30 UTC days before today in Kiritimati');
SET LOCAL TimeZone = 'Etc/GMT+12';
SELECT is((SELECT gaps_30d FROM dashboard.data_health WHERE stream = 'instagram.account_insights'),
          2::bigint, 'data_health: the same gaps in Etc/GMT+12 (a day and two hours behind Kiritimati)');
SET LOCAL TimeZone = 'UTC';
SELECT is((SELECT gaps_30d FROM dashboard.data_health WHERE stream = 'instagram.account_insights'),
          2::bigint, 'data_health: the same gaps in UTC');
SET LOCAL TimeZone = 'Pacific/Kiritimati';

-- ---- channel_report ------------------------------------------------------------------------------

-- Facebook, Jan 30 to Feb 2 (the Instagram days near today are outside): impressions 1000 +
-- 3000 + 500 + 0 = 4500; engagements 100: rate 100 / 4500 = 0.022222 (half to even, 6 places);
-- followers: the latest count in the range, 120; growth 6 + 10 = 16; posts f2, f1, f3;
-- paid 500 + 1000 impressions, 5 + 10 clicks.
SELECT results_eq(
    $$SELECT key, platform, account, impressions, reach, views, clicks, engagements,
             engagement_rate, followers, followers_growth, posts, paid_impressions, paid_clicks
        FROM dashboard.channel_report('2026-01-30', '2026-02-02', 'platform')$$,
    $$VALUES ('facebook', 'facebook', 'fb', 4500::bigint, 2800::bigint, NULL::bigint,
              10::bigint, 100::bigint, 0.022222::numeric, 120::bigint, 16::bigint,
              3::bigint, 1500::bigint, 15::bigint)$$,
    'channel_report by platform: sums, the rate of the sums, the latest follower count');
SELECT results_eq(
    $$SELECT key, platform, account, impressions, clicks, engagements, engagement_rate, followers,
             followers_growth, posts, paid_impressions, paid_clicks
        FROM dashboard.channel_report('2026-01-01', '2026-02-28', 'month')$$,
    $$VALUES ('2026-01', 'facebook', 'fb', 4000::bigint, 10::bigint, 100::bigint,
              0.025::numeric, 110::bigint, 6::bigint, 3::bigint, 500::bigint, 5::bigint),
             ('2026-01', 'linkedin', 'li', 100, 4, 6, 0.06, NULL, NULL, 0, 0, 0),
             ('2026-01', 'x', 'x', 0, 0, 6, NULL, 1010, 10, 2, 0, 0),
             ('2026-02', 'facebook', 'fb', 500, 0, 0, 0, 120, 10, 1, 1000, 10),
             ('2026-02', 'linkedin', 'li', 0, 0, 2, NULL, NULL, NULL, 0, 0, 0)$$,
    'channel_report by month: per month and account, NULL rate over zero impressions');
SELECT is((SELECT count(*)::int FROM dashboard.channel_report('2025-01-01', '2025-12-31', 'month')), 0,
          'channel_report over a range without facts is empty');

-- ---- the same answers whatever the session's TimeZone ------------------------------------------

CREATE TEMP TABLE kiritimati_daily AS SELECT * FROM dashboard.channel_daily;
CREATE TEMP TABLE kiritimati_monthly AS SELECT * FROM dashboard.channel_monthly;
CREATE TEMP TABLE kiritimati_content AS SELECT * FROM dashboard.top_content;
CREATE TEMP TABLE kiritimati_funnel AS SELECT * FROM dashboard.funnel;
CREATE TEMP TABLE kiritimati_report AS
    SELECT * FROM dashboard.channel_report('2026-01-01', '2026-02-28', 'month');
SET LOCAL TimeZone = 'Etc/GMT+12';
SELECT set_eq('SELECT * FROM dashboard.channel_daily', 'SELECT * FROM kiritimati_daily',
              'channel_daily is the same in Etc/GMT+12 as in Kiritimati');
SELECT set_eq('SELECT * FROM dashboard.channel_monthly', 'SELECT * FROM kiritimati_monthly',
              'channel_monthly is the same in Etc/GMT+12');
SELECT set_eq('SELECT * FROM dashboard.top_content', 'SELECT * FROM kiritimati_content',
              'top_content is the same in Etc/GMT+12');
SELECT set_eq('SELECT * FROM dashboard.funnel', 'SELECT * FROM kiritimati_funnel',
              'funnel is the same in Etc/GMT+12');
SELECT set_eq($$SELECT * FROM dashboard.channel_report('2026-01-01', '2026-02-28', 'month')$$,
              'SELECT * FROM kiritimati_report', 'channel_report is the same in Etc/GMT+12');

-- A rollup run in another TimeZone puts the conversions on the same UTC days.
SELECT socialroi.rollup_rebuild();
SELECT set_eq('SELECT * FROM dashboard.funnel', 'SELECT * FROM kiritimati_funnel',
              'a rollup rebuilt in Etc/GMT+12 gives the same funnel');

SELECT * FROM finish();
ROLLBACK;
