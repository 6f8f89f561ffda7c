-- 033_alert_anomalies.sql - the anomaly, negative_mentions and budget_pacing detectors, as the
-- daemon role, on crafted data: a weekly pattern whose low Sunday is normal while a Tuesday
-- drop is not, a flat series (MAD 0) that raises, holds in the band and resolves when it
-- returns, a drop of spend to zero (critical), too short a history (nothing); a spike of
-- negative mentions and a day that is not one, with and without history; campaigns ahead,
-- behind, in the hold band and on plan; alert_evaluate end to end and dashboard.alerts.
BEGIN;
SELECT plan(33);

INSERT INTO socialroi.account (name, platform, external_id) VALUES
    ('acme-li', 'linkedin', 'li-1'), ('acme-fb', 'facebook', 'fb-1'),
    ('new-li', 'linkedin', 'li-2'), ('acme-x', 'x', 'x-1'), ('other-x', 'x', 'x-2'),
    ('acme-pin', 'pinterest', 'pin-1');

-- acme-li: about 1,000 impressions on weekdays, 200 on Sundays, from September on; Sunday
-- 2026-12-06 has 210 (its usual), Tuesday 2026-12-08 has 300
INSERT INTO socialroi.metric_daily (account_id, metric, day, day_basis, value)
SELECT a.account_id, 'impressions', d::date, 'utc',
       CASE WHEN d::date = '2026-12-06' THEN 210
            WHEN d::date = '2026-12-08' THEN 300
            WHEN EXTRACT(dow FROM d) = 0 THEN 200 + (EXTRACT(doy FROM d)::integer * 7) % 21 - 10
            ELSE 1000 + (EXTRACT(doy FROM d)::integer * 37) % 61 - 30 END
  FROM socialroi.account a, generate_series('2026-09-01'::date, '2026-12-12', '1 day') d
 WHERE a.name = 'acme-li';

-- acme-fb: exactly 100 clicks a day (MAD 0) but 75 on Wednesday 2026-12-09 and 84 on
-- Thursday 2026-12-10; 50.00 EUR of ad spend a day with 40 to 60 impressions, none on 12-09
-- (the campaign reported, with nothing spent)
INSERT INTO socialroi.metric_daily (account_id, metric, day, day_basis, value)
SELECT a.account_id, 'clicks', d::date, 'utc',
       CASE d::date WHEN '2026-12-09' THEN 75 WHEN '2026-12-10' THEN 84 ELSE 100 END
  FROM socialroi.account a, generate_series('2026-09-01'::date, '2026-12-12', '1 day') d
 WHERE a.name = 'acme-fb';
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions)
SELECT a.account_id, 'c1', d::date, 'utc', 'EUR',
       CASE WHEN d::date = '2026-12-09' THEN 0 ELSE 50000000 END,
       CASE WHEN d::date = '2026-12-09' THEN 0 ELSE 40 + EXTRACT(doy FROM d)::integer % 21 END
  FROM socialroi.account a, generate_series('2026-09-01'::date, '2026-12-12', '1 day') d
 WHERE a.name = 'acme-fb';

-- acme-pin: 1,000 impressions a day and ad delivery, but its organic figures of 2026-12-08
-- not reported yet (Pinterest keeps back a day it is still processing)
INSERT INTO socialroi.metric_daily (account_id, metric, day, day_basis, value)
SELECT a.account_id, 'impressions', d::date, 'utc', 1000
  FROM socialroi.account a, generate_series('2026-09-01'::date, '2026-12-07', '1 day') d
 WHERE a.name = 'acme-pin';
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions)
SELECT a.account_id, 'p1', d::date, 'utc', 'EUR', 20000000, 500
  FROM socialroi.account a, generate_series('2026-09-01'::date, '2026-12-12', '1 day') d
 WHERE a.name = 'acme-pin';

-- new-li: five Tuesdays of history before a drop on 2026-12-08
INSERT INTO socialroi.metric_daily (account_id, metric, day, day_basis, value)
SELECT a.account_id, 'impressions', d::date, 'utc',
       CASE WHEN d::date = '2026-12-08' THEN 100 ELSE 1000 END
  FROM socialroi.account a, generate_series('2026-11-03'::date, '2026-12-12', '1 day') d
 WHERE a.name = 'new-li';

-- new-li likes and comments (its engagements); acme-x's posts' counters: t1 published
-- 2026-11-25 and seen that day, not on the 26th, again on the 27th and 28th; t2 published long
-- before and first seen on the 26th (its first counts a baseline)
INSERT INTO socialroi.metric_daily (account_id, metric, day, day_basis, value)
SELECT a.account_id, m, d::date, 'utc', CASE m WHEN 'likes' THEN 30 ELSE 5 END
  FROM socialroi.account a, unnest(ARRAY['likes', 'comments']) m,
       generate_series('2026-11-03'::date, '2026-12-12', '1 day') d
 WHERE a.name = 'new-li';
INSERT INTO socialroi.content (account_id, content_id, kind, published_at)
SELECT account_id, c, 'post', p FROM socialroi.account,
       (VALUES ('t1', '2026-11-25 09:00Z'::timestamptz), ('t2', '2026-11-01 09:00Z')) v(c, p)
 WHERE name = 'acme-x';
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
SELECT a.account_id, v.o, v.m, v.t::timestamptz, v.n
  FROM socialroi.account a,
       (VALUES ('t1', 'impressions', '2026-11-25 12:00Z', 100),
               ('t1', 'likes', '2026-11-25 12:00Z', 5),
               ('t1', 'impressions', '2026-11-25 20:00Z', 150),
               ('t1', 'likes', '2026-11-25 20:00Z', 8),
               ('t1', 'impressions', '2026-11-27 10:00Z', 400),
               ('t1', 'likes', '2026-11-27 10:00Z', 20),
               ('t1', 'impressions', '2026-11-28 10:00Z', 450),
               ('t1', 'shares', '2026-11-28 10:00Z', 2),
               ('t2', 'impressions', '2026-11-26 10:00Z', 1000),
               ('t2', 'likes', '2026-11-26 10:00Z', 40),
               ('t2', 'impressions', '2026-11-27 11:00Z', 1100),
               ('t2', 'likes', '2026-11-27 11:00Z', 43))
       v(o, m, t, n)
 WHERE a.name = 'acme-x';

CREATE FUNCTION pg_temp.subjects(p_rows socialroi.alert_candidate[]) RETURNS text
LANGUAGE sql AS $$
    SELECT COALESCE(string_agg(subject || ':' || severity || ':' || firing, ',' ORDER BY subject),
                    '')
      FROM unnest(p_rows)
$$;

SELECT results_eq(
    $$SELECT a.name::text, f.day, f.impressions, f.engagements, f.clicks, f.paid_impressions,
             f.paid_clicks
        FROM socialroi.channel_figures(ARRAY(SELECT d::date FROM generate_series(
                 '2026-09-01'::date, '2026-12-12', '1 day') d)) f
        JOIN socialroi.account a USING (account_id)
       WHERE (f.impressions, f.engagements, f.clicks, f.paid_impressions, f.paid_clicks)
             <> (0, 0, 0, 0, 0)
       ORDER BY 1, 2$$,
    $$SELECT account, day, impressions, engagements, clicks, paid_impressions, paid_clicks
        FROM dashboard.channel_daily
       WHERE (impressions, engagements, clicks, paid_impressions, paid_clicks) <> (0, 0, 0, 0, 0)
       ORDER BY 1, 2$$,
    'channel_figures has the figures of dashboard.channel_daily, day by day');
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT string_agg(day || ':' || impressions || '/' || engagements, ' ' ORDER BY day)
             FROM socialroi.channel_figures('{2026-11-25,2026-11-26,2026-11-27,2026-11-28}') f
             JOIN socialroi.account a USING (account_id) WHERE a.name = 'acme-x'),
          '2026-11-25:150/8 2026-11-26:0/0 2026-11-27:350/15 2026-11-28:50/0',
          'X: a new post''s first counts are growth, a post first seen late is a baseline, a '
          'day without observation gives its growth to the next');
RESET ROLE;

SET LOCAL ROLE socialroi_daemon;
SELECT is(socialroi.alert_day('2026-12-07 13:00Z'), '2026-12-06'::date,
          'the day looked at from 12:00 UTC on D+1 is D');
SELECT is(socialroi.alert_day('2026-12-08 11:59Z'), '2026-12-06'::date,
          '... until 12:00 UTC on D+2');
SELECT is(socialroi.exact_median(ARRAY[5, 1, 3, NULL, 2]::numeric[]), 2.5::numeric,
          'median of an even count: the mean of the two middle values, NULL left out');
SELECT is(pg_temp.subjects(ARRAY(SELECT socialroi.alert_metric_anomalies('2026-12-07 13:00Z'))),
          '', 'a Sunday of 210 against Sundays of about 200 is no anomaly (weekdays about 1,000)');
SELECT is(pg_temp.subjects(ARRAY(SELECT socialroi.alert_metric_anomalies('2026-12-09 13:00Z'))),
          'account=acme-li metric=impressions:critical:true',
          'a Tuesday of 300 against Tuesdays of about 1,000 is; five Tuesdays of history are '
          'too few to judge new-li''s drop; a day acme-pin has ad days but no organic figures '
          'for is missing, not a drop to zero');
SELECT is((SELECT message FROM socialroi.alert_metric_anomalies('2026-12-09 13:00Z')),
          'impressions of linkedin/acme-li on 2026-12-08 (Tue): 300 vs usual 1,006 (median '
          'of 8 Tuesdays), -70%', 'the message says it in figures');
SELECT is((SELECT (detail ->> 'z')::numeric FROM
             socialroi.alert_metric_anomalies('2026-12-09 13:00Z')),
          -14.04::numeric, 'z = (300 - 1006) / 50.3: 5 % of the median, as 1.4826 MAD is less');
SELECT is(pg_temp.subjects(ARRAY(SELECT socialroi.alert_metric_anomalies('2026-12-10 13:00Z'))),
          'account=acme-fb metric=clicks:warning:true,account=acme-fb metric=spend:critical:true',
          'a flat series (MAD 0) 25 % down raises; spend at zero after never zero is critical');
SELECT is((SELECT message FROM socialroi.alert_metric_anomalies('2026-12-10 13:00Z')
            WHERE subject LIKE '%spend'),
          'spend of facebook/acme-fb on 2026-12-09 (Wed): 0.00 EUR vs usual 50.00 EUR (median '
          'of 8 Wednesdays), -100%', 'spend in money with its currency');
SELECT is(pg_temp.subjects(ARRAY(SELECT socialroi.alert_metric_anomalies('2026-12-11 13:00Z'))),
          'account=acme-fb metric=clicks:warning:false',
          '84 against a flat 100 is z -3.2: inside the hold band, not firing');
SELECT is(pg_temp.subjects(ARRAY(SELECT socialroi.alert_metric_anomalies('2026-12-12 13:00Z'))),
          '', 'back to 100: nothing');
RESET ROLE;

-- the same through alert_evaluate, day after day, with the clear runs
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT row(raised, resolved)::text
             FROM socialroi.alert_evaluate('2026-12-10 13:00Z')),
          '(2,0)', 'evaluate: the clicks drop and the spend stop raised');
SELECT is((SELECT row(raised, resolved)::text
             FROM socialroi.alert_evaluate('2026-12-10 23:00Z')),
          '(0,0)', 'the same day later: nothing new, nothing resolved');
SELECT is((SELECT row(raised, resolved)::text
             FROM socialroi.alert_evaluate('2026-12-11 13:00Z')),
          '(0,0)', 'next day: clicks in the hold band keep theirs; spend unseen once');
SELECT is((SELECT row(raised, resolved)::text
             FROM socialroi.alert_evaluate('2026-12-11 14:00Z')),
          '(0,1)', 'spend resolved after two evaluations without it');
SELECT is((SELECT message FROM socialroi.alert
            WHERE subject = 'account=acme-fb metric=clicks' AND resolved_at IS NULL),
          'clicks of facebook/acme-fb on 2026-12-10 (Thu): 84 vs usual 100 (median of 8 '
          'Thursdays), -16%', 'the open alert tells of the day it is held by');
SELECT socialroi.alert_evaluate('2026-12-12 13:00Z');
SELECT is((SELECT row(raised, resolved, active)::text
             FROM socialroi.alert_evaluate('2026-12-12 14:00Z')),
          '(0,1,0)', 'clicks back to 100: resolved after the clear runs');
RESET ROLE;

-- ---- negative mentions --------------------------------------------------------------------

-- acme-x has searched mentions since 2026-11-01; one or two negative mentions of "acme" a day
-- (and positive and neutral ones), 12 in the last 24 hours to 2026-12-07 10:00
INSERT INTO socialroi.poll_job (account_id, stream, poll_interval, lookback)
SELECT account_id, 'x.mentions', '5 minutes', '1 hour' FROM socialroi.account
 WHERE name = 'acme-x';
INSERT INTO socialroi.fetch_run (job_id, started_at, finished_at, outcome)
SELECT job_id, '2026-11-01 00:00Z', '2026-11-01 00:01Z', 'ok' FROM socialroi.poll_job;
INSERT INTO socialroi.mention (account_id, mention_id, query, posted_at, sentiment)
SELECT a.account_id, 'n' || i || '-' || j, 'acme',
       '2026-12-07 10:00Z'::timestamptz - i * interval '1 day' - j * interval '1 hour', -0.6
  FROM socialroi.account a, generate_series(1, 30) i, generate_series(1, 1 + i % 2) j
 WHERE a.name = 'acme-x';
INSERT INTO socialroi.mention (account_id, mention_id, query, posted_at, sentiment)
SELECT a.account_id, s || i, 'acme', '2026-12-07 09:00Z'::timestamptz - i * interval '1 hour',
       CASE s WHEN 'today' THEN -0.5 WHEN 'pos' THEN 0.8 ELSE -0.1 END
  FROM socialroi.account a, unnest(ARRAY['today', 'pos', 'mild']) s, generate_series(0, 11) i
 WHERE a.name = 'acme-x';
-- other-x: no mention search recorded and negative mentions only in the last two days
INSERT INTO socialroi.mention (account_id, mention_id, query, posted_at, sentiment)
SELECT a.account_id, 'o' || i, 'other', '2026-12-07 10:00Z'::timestamptz - i * interval '1 hour',
       -0.9
  FROM socialroi.account a, generate_series(0, 11) i WHERE a.name = 'other-x';
INSERT INTO socialroi.mention (account_id, mention_id, query, posted_at, sentiment)
SELECT a.account_id, 'old' || i, 'other', '2026-12-05 20:00Z'::timestamptz, -0.9
  FROM socialroi.account a, generate_series(1, 2) i WHERE a.name = 'other-x';

SET LOCAL ROLE socialroi_daemon;
SELECT is(pg_temp.subjects(ARRAY(SELECT socialroi.alert_negative_mentions(
              '2026-12-07 10:00Z'))),
          'account=acme-x query=acme:warning:true,account=other-x query=other:warning:false',
          '12 negative mentions against 1 or 2 a day raise; 12 with a day of history only '
          'hold (no baseline: 15 raise)');
SELECT is((SELECT message FROM socialroi.alert_negative_mentions('2026-12-07 10:00Z')
            WHERE subject LIKE '%acme'),
          'negative mentions of acme-x for ''acme'': 12 in the 24 hours to 2026-12-07 10:00 '
          'UTC vs usual 1.5 a day (median of 28 days), z 8.6',
          'positive and mildly negative mentions are not counted');
SELECT is(pg_temp.subjects(ARRAY(SELECT socialroi.alert_negative_mentions('2026-12-06 10:00Z'))),
          '', 'a usual day is no spike');
RESET ROLE;
INSERT INTO socialroi.mention (account_id, mention_id, query, posted_at, sentiment)
SELECT a.account_id, 'o2-' || i, 'other', '2026-12-07 09:30Z'::timestamptz, -0.9
  FROM socialroi.account a, generate_series(1, 4) i WHERE a.name = 'other-x';
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT firing::text || ':' || message
             FROM socialroi.alert_negative_mentions('2026-12-07 10:00Z')
            WHERE subject = 'account=other-x query=other'),
          'true:negative mentions of other-x for ''other'': 16 in the 24 hours to 2026-12-07 '
          '10:00 UTC (only 1 day of history: raised at 15)',
          'without history 16 raise');
RESET ROLE;

-- ---- budget pacing ------------------------------------------------------------------------

-- four 30-day campaigns of 20,000.00 USD from 2026-11-18 (day 20 of 30 on 2026-12-07: 13,333.33
-- expected) and one without an end
INSERT INTO socialroi.campaign (name, title, start_day, end_day, budget_micros, budget_currency)
VALUES ('q4-webinar', 'Webinar', '2026-11-18', '2026-12-17', 20000000000, 'USD'),
       ('q4-ads', 'Ads', '2026-11-18', '2026-12-17', 20000000000, 'USD'),
       ('q4-plan', 'Plan', '2026-11-18', '2026-12-17', 20000000000, 'USD'),
       ('q4-hold', 'Hold', '2026-11-18', '2026-12-17', 20000000000, 'USD'),
       ('always-on', 'Always on', '2026-11-18', NULL, 20000000000, 'USD');
INSERT INTO socialroi.rollup_spend (campaign_id, day, source, platform, currency, micros,
                                    reporting_micros)
SELECT c.campaign_id, d::date, 'platform', 'facebook', 'USD', s.daily, s.daily
  FROM socialroi.campaign c
  JOIN (VALUES ('q4-webinar', 500000000), ('q4-ads', 850000000), ('q4-plan', 700000000),
               ('q4-hold', 750000000), ('always-on', 5000000000)) s(name, daily) USING (name),
       generate_series('2026-11-18'::date, '2026-12-07', '1 day') d;
-- a day of the future does not count (a spend line spread over the coming days)
INSERT INTO socialroi.rollup_spend (campaign_id, day, source, platform, currency, micros,
                                    reporting_micros)
SELECT campaign_id, '2026-12-10', 'configured', '', 'USD', 9000000000, 9000000000
  FROM socialroi.campaign WHERE name = 'q4-plan';

SET LOCAL ROLE socialroi_daemon;
SELECT is(pg_temp.subjects(ARRAY(SELECT socialroi.alert_budget_pacing('2026-12-08 13:00Z'))),
          'campaign=q4-ads:warning:true,campaign=q4-hold:warning:false,'
          'campaign=q4-webinar:warning:true',
          'ahead at 1.275 and behind at 0.75 raise, 1.125 holds, 1.05 and an open campaign '
          'are no alert');
SELECT is((SELECT message FROM socialroi.alert_budget_pacing('2026-12-08 13:00Z')
            WHERE subject = 'campaign=q4-webinar'),
          'campaign q4-webinar: spent 10,000.00 USD of 20,000.00 USD by day 20 of 30 (expected '
          '13,333.33 USD), 25% behind', 'behind, in money');
SELECT is((SELECT message FROM socialroi.alert_budget_pacing('2026-12-08 13:00Z')
            WHERE subject = 'campaign=q4-ads'),
          'campaign q4-ads: spent 17,000.00 USD of 20,000.00 USD by day 20 of 30 (expected '
          '13,333.33 USD), 28% ahead', 'ahead, in money');
SELECT is((SELECT detail ->> 'expected' FROM socialroi.alert_budget_pacing('2026-12-08 13:00Z')
            WHERE subject = 'campaign=q4-ads'),
          '13333.333333', 'the detail keeps the amounts to the micro-unit');
SELECT is(pg_temp.subjects(ARRAY(SELECT socialroi.alert_budget_pacing('2026-11-20 13:00Z'))),
          '', 'not in the first two days');
RESET ROLE;
-- q4-ads spends its budget by day 20: critical
UPDATE socialroi.rollup_spend SET micros = 1000000000, reporting_micros = 1000000000
 WHERE campaign_id = (SELECT campaign_id FROM socialroi.campaign WHERE name = 'q4-ads');
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT severity FROM socialroi.alert_budget_pacing('2026-12-08 13:00Z')
            WHERE subject = 'campaign=q4-ads'),
          'critical', 'the whole budget spent before the last day is critical');
RESET ROLE;

-- ---- end to end ---------------------------------------------------------------------------

SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT row(raised, failed)::text
             FROM socialroi.alert_evaluate('2026-12-07 13:00Z')),
          '(4,)', 'evaluate: q4-webinar, q4-ads and the two negative-mention spikes raised, no '
                  'detector failed');
SELECT is((SELECT string_agg(kind || ' ' || subject, ', ' ORDER BY kind, subject)
             FROM socialroi.alert WHERE resolved_at IS NULL),
          'budget_pacing campaign=q4-ads, budget_pacing campaign=q4-webinar, '
          'negative_mentions account=acme-x query=acme, '
          'negative_mentions account=other-x query=other',
          'the open alerts');
RESET ROLE;

SET LOCAL ROLE socialroi_dashboard;
SELECT is((SELECT string_agg(kind || ':' || state, ',' ORDER BY kind, state) FROM dashboard.alerts
            WHERE kind IN ('anomaly', 'negative_mentions', 'budget_pacing')),
          'anomaly:resolved,anomaly:resolved,budget_pacing:active,budget_pacing:active,'
          'negative_mentions:active,negative_mentions:active',
          'readers see them in dashboard.alerts');
SELECT ok((SELECT bool_and(runbook <> '') FROM dashboard.alerts), 'each with its runbook');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
