-- worlds/finance.sql - hand-made data with several campaigns, channels and multi-touch people
-- (included by the finance tests with \ir): accounts, campaigns and their spend lines, ad
-- spend in January and February 2026, leads, touches, deals, posts and mentions. Not rolled up.

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, '');
SELECT socialroi.sync_account('li', 'linkedin', '2', 'EUR', '', true, '');
SELECT socialroi.sync_account('x', 'x', '3', NULL, '', true, '');
SELECT socialroi.sync_account('hs', 'hubspot', '4', NULL, '', true, '');

-- The config, synced by the daemon: alpha (Meta 111, LinkedIn 222), beta (Meta 333 and 100.00
-- USD on Feb 10), gamma (280.00 USD over February, no links), delta (Meta 444), q4-webinar (two
-- spellings of its utm value).
CREATE TEMP TABLE config AS SELECT '[
  {"name":"alpha","title":"Alpha","start":"2026-01-01","end":"2026-03-31","spend":[],
   "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"},
            {"kind":"ad_campaign","platform":"linkedin","value":"222"},
            {"kind":"utm_campaign","platform":"","value":"alpha"}]},
  {"name":"beta","title":"Beta","start":"2026-01-01","end":"2026-03-31",
   "spend":[{"line":1,"kind":"oneoff","amount_micros":100000000,"currency":"USD","start":"2026-02-10","end":"2026-02-10"}],
   "links":[{"kind":"ad_campaign","platform":"facebook","value":"333"},
            {"kind":"utm_campaign","platform":"","value":"beta"}]},
  {"name":"gamma","title":"Gamma","start":"2026-02-01","end":"2026-02-28",
   "spend":[{"line":1,"kind":"fixed","amount_micros":280000000,"currency":"USD","start":"2026-02-01","end":"2026-02-28"}],
   "links":[]},
  {"name":"delta","title":"Delta","start":"2026-02-01","end":"2026-02-28","spend":[],
   "links":[{"kind":"ad_campaign","platform":"facebook","value":"444"}]},
  {"name":"q4-webinar","title":"Q4 webinar","start":"2026-03-01","end":"2026-03-31","spend":[],
   "links":[{"kind":"utm_campaign","platform":"","value":"q4-webinar"},
            {"kind":"utm_campaign","platform":"","value":"Q4_Webinar"}]}]'::jsonb AS campaigns;
GRANT SELECT ON config TO socialroi_daemon;
SET ROLE socialroi_daemon;
SELECT socialroi.sync_settings('USD', 7.000000);
SELECT socialroi.sync_fx_static('{"EUR":"1.10"}');
SELECT socialroi.sync_campaigns(campaigns) FROM config;
RESET ROLE;

-- Spend in February: alpha 20.00 + 10.00 EUR = 31.00, beta 30.00 + 100.00, gamma 280.00,
-- delta 1,000,000.00; 99.00 on Meta 999, linked to no campaign, is nobody's. January: alpha 10.00.
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros)
VALUES (1, '111', '2026-01-31', 'account_tz', 'USD', 10000000),
       (1, '111', '2026-02-01', 'account_tz', 'USD', 20000000),
       (2, '222', '2026-02-01', 'utc', 'EUR', 10000000),
       (1, '333', '2026-02-02', 'account_tz', 'USD', 30000000),
       (1, '444', '2026-02-03', 'account_tz', 'USD', 1000000000000),
       (1, '999', '2026-02-01', 'account_tz', 'USD', 99000000);

-- People. h1: Meta form lead l1 (Feb 4) after four touches: Meta 111, LinkedIn 222, X with
-- utm beta, and a search click of no campaign; and HubSpot contact c1. h2: l2 (Feb 6) after
-- Meta 333 and LinkedIn 222; contact c2. l3: no touch. l4 (Feb 21): Meta 444 in January 2025
-- and Meta 111 the day before: under time_decay 444's share is 0.5^(416.4 / 7), about 1e-18.
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
VALUES (1, 'l1', 'form', '2026-02-04 12:00Z', 'h1'), (1, 'l2', 'form', '2026-02-06 10:00Z', 'h2'),
       (1, 'l3', 'form', '2026-02-07 10:00Z', NULL), (1, 'l4', 'form', '2026-02-21 10:00Z', NULL),
       (4, 'c1', 'crm', '2026-02-04 13:00Z', 'h1'), (4, 'c2', 'crm', '2026-02-06 13:00Z', 'h2');
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign)
VALUES (1, 't1', 'l1', 'ad_click', '2026-02-01 10:00Z', 'facebook', '111', NULL),
       (1, 't2', 'l1', 'ad_click', '2026-02-02 10:00Z', 'linkedin', '222', NULL),
       (1, 't3', 'l1', 'ad_click', '2026-02-03 10:00Z', 'x', NULL, 'beta'),
       (1, 't4', 'l1', 'ad_click', '2026-02-04 10:00Z', 'google', NULL, 'zzz'),
       (1, 't5', 'l2', 'ad_click', '2026-02-05 10:00Z', 'facebook', '333', NULL),
       (1, 't6', 'l2', 'ad_click', '2026-02-05 12:00Z', 'linkedin', '222', NULL),
       (1, 't7', 'l4', 'ad_click', '2025-01-01 00:00Z', 'facebook', '444', NULL),
       (1, 't8', 'l4', 'ad_click', '2026-02-20 10:00Z', 'facebook', '111', NULL);
-- Won deals: d1 1000.00 USD and d4 300.00 in no currency at all (HubSpot without
-- deal_currency_code, an account without currency) for h1; d2 500.00 EUR and d3 200.00 GBP
-- (no rate) for h2; d5 lost.
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
VALUES (4, 'd1', 1000000000, 'USD', true, true, '2026-02-08Z', '2026-02-10Z'),
       (4, 'd2', 500000000, 'EUR', true, true, '2026-02-08Z', '2026-02-12Z'),
       (4, 'd3', 200000000, 'GBP', true, true, '2026-02-08Z', '2026-02-15Z'),
       (4, 'd4', 300000000, NULL, true, true, '2026-02-08Z', '2026-02-16Z'),
       (4, 'd5', 999000000, 'USD', false, true, '2026-02-08Z', '2026-02-17Z');
INSERT INTO socialroi.deal_contact VALUES (4, 'd1', 'c1'), (4, 'd2', 'c2'), (4, 'd3', 'c2'),
                                          (4, 'd4', 'c1'), (4, 'd5', 'c1');

-- X posts: q1 polled from its first day (its first counts are growth from zero), q0 first
-- seen a month after publication (its first counts are its baseline), q2 carries utm
-- q4-webinar (no content link).
INSERT INTO socialroi.content (account_id, content_id, kind, published_at, utm_campaign)
VALUES (3, 'q0', 'tweet', '2026-02-01 10:00Z', NULL), (3, 'q1', 'tweet', '2026-03-01 10:00Z', NULL),
       (3, 'q2', 'tweet', '2026-03-05 10:00Z', 'q4-webinar');
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
VALUES (3, 'q1', 'likes', '2026-03-01 20:00Z', 4), (3, 'q1', 'impressions', '2026-03-01 20:00Z', 100),
       (3, 'q1', 'likes', '2026-03-02 20:00Z', 6), (3, 'q1', 'impressions', '2026-03-02 20:00Z', 150),
       (3, 'q0', 'likes', '2026-03-01 20:00Z', 9), (3, 'q0', 'impressions', '2026-03-01 20:00Z', 500),
       (3, 'q0', 'likes', '2026-03-02 20:00Z', 10), (3, 'q0', 'impressions', '2026-03-02 20:00Z', 520),
       (3, 'q2', 'likes', '2026-03-06 20:00Z', 5), (3, 'q2', 'shares', '2026-03-06 20:00Z', 3);
-- Mentions: m1 names it as a hashtag, m2 with both spellings (one mention), m3 is negative,
-- m4 is neutral.
INSERT INTO socialroi.mention (account_id, mention_id, query, body, posted_at, sentiment)
VALUES (3, 'm1', 'acme', 'Loved the #Q4Webinar!', '2026-03-06 10:00Z', 0.8),
       (3, 'm2', 'acme', 'q4-webinar and the Q4 Webinar recording: great', '2026-03-07 10:00Z', 0.9),
       (3, 'm3', 'acme', '#q4webinar was awful', '2026-03-08 10:00Z', -0.7),
       (3, 'm4', 'acme', 'Q4 webinar', '2026-03-09 10:00Z', 0.1);
