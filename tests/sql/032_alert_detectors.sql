-- 032_alert_detectors.sql - the data-side detectors, each on data made here, evaluated as the
-- daemon role: token_expiry (warning, critical within 3 days) and reauth_needed,
-- version_sunset from the versions the daemon syncs, data_loss by days left of the retention
-- window, stale with its hold band, data_gap naming the missing days, listening_budget at the
-- cap; data_health shares the facts; socialroi.alert_ack as the operator's role.
BEGIN;
SELECT plan(33);

CREATE TEMP TABLE n AS SELECT now() AS t, (now() AT TIME ZONE 'UTC')::date AS today;
GRANT SELECT ON n TO socialroi_daemon, socialroi_dashboard;

SELECT socialroi.sync_account('x-0', 'x', '1', 'USD', 'UTC', true, 'h');
SELECT socialroi.sync_job('x-0', 'x.mentions', 3600000, 3600000, 604800000, false);
SELECT socialroi.sync_account('li-0', 'linkedin', '2', 'USD', 'UTC', true, 'h');
SELECT socialroi.sync_job('li-0', 'linkedin.org_stats', 86400000, 604800000, 2592000000, true);
SELECT socialroi.sync_account('li-1', 'linkedin', '3', 'USD', 'UTC', true, 'h');
SELECT socialroi.sync_account('li-2', 'linkedin', '4', 'USD', 'UTC', true, 'h');
SELECT socialroi.sync_account('li-3', 'linkedin', '5', 'USD', 'UTC', true, 'h');
SELECT socialroi.sync_account('li-4', 'linkedin', '6', 'USD', 'UTC', true, 'h');
UPDATE socialroi.account SET token_refreshable = false,
       token_expires_at = (SELECT t FROM n) + interval '2 days 1 hour' WHERE name = 'li-0';
UPDATE socialroi.account SET state = 'needs_reauth', state_reason = 'HTTP 401 from linkedin'
 WHERE name = 'li-1';
UPDATE socialroi.account SET token_refreshable = false,
       token_expires_at = (SELECT t FROM n) + interval '10 days' WHERE name = 'li-2';
UPDATE socialroi.account SET token_refreshable = false,
       token_expires_at = (SELECT t FROM n) - interval '1 day' WHERE name = 'li-3';
UPDATE socialroi.account SET token_refreshable = true,
       token_expires_at = (SELECT t FROM n) + interval '1 day' WHERE name = 'li-4';
UPDATE socialroi.poll_job SET last_success = (SELECT t FROM n) - interval '4 days 12 hours'
 WHERE stream = 'x.mentions';
UPDATE socialroi.poll_job SET last_success = (SELECT t FROM n) - interval '2 days 12 hours'
 WHERE stream = 'linkedin.org_stats';
-- li-0's daily metrics: every day of the last 30 but two
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
SELECT socialroi.account_id('li-0'), '', 'impressions', d::date, 'utc', 1
  FROM n, generate_series(n.today - 30, n.today - 1, interval '1 day') d
 WHERE d::date NOT IN (n.today - 20, n.today - 12);

CREATE TEMP TABLE facts AS
SELECT jsonb_build_object(
    'versions', jsonb_build_array(
        jsonb_build_object('platform', 'facebook', 'family', 'meta-marketing', 'key', 'ads_version',
                           'version', 'v25.0', 'title', 'Marketing API', 'sunset', today + 20,
                           'suggest', 'v26.0', 'warn_days', 30),
        jsonb_build_object('platform', 'linkedin', 'family', 'linkedin', 'key', 'version',
                           'version', '202603', 'title', 'LinkedIn-Version', 'sunset', today + 5,
                           'suggest', '202610', 'warn_days', 30),
        jsonb_build_object('platform', 'facebook', 'family', 'meta-graph', 'key', 'version',
                           'version', 'v24.0', 'title', 'Graph API', 'sunset', today + 100,
                           'suggest', 'v24.0', 'warn_days', 30)),
    'streams', jsonb_build_array(
        jsonb_build_object('stream', 'x.mentions', 'platform', 'x', 'retention_days', 7),
        jsonb_build_object('stream', 'linkedin.org_stats', 'platform', 'linkedin',
                           'api_family', 'linkedin', 'retention_days', 365),
        jsonb_build_object('stream', 'x.user', 'platform', 'x', 'retention_days', 0)),
    'listening', jsonb_build_array(
        jsonb_build_object('account', 'x-0', 'per_day', 3, 'per_month', 0),
        jsonb_build_object('account', 'nobody', 'per_day', 3, 'per_month', 0))) AS f
  FROM n;
GRANT SELECT ON facts TO socialroi_daemon;

SET LOCAL ROLE socialroi_daemon;
SELECT lives_ok($$SELECT socialroi.sync_alert_facts((SELECT f FROM facts))$$,
                'the daemon writes its versions, streams and caps');
SELECT lives_ok($$SELECT socialroi.sync_alert_facts((SELECT f FROM facts))$$, 'again: replaced');
RESET ROLE;
SELECT is((SELECT count(*)::integer FROM socialroi.api_version_in_use), 3, 'three versions');
SELECT is((SELECT retention_days FROM socialroi.stream_fact WHERE stream = 'x.user'), NULL,
          'retention 0: the platform keeps everything');
SELECT is((SELECT count(*)::integer FROM socialroi.listening_cap), 2,
          'caps by account name: one the jobs'' sync has not added yet too');

-- ---- tokens
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT string_agg(kind || ' ' || subject || ' ' || severity, ', ' ORDER BY subject)
             FROM socialroi.detect_token((SELECT t FROM n))),
          'token_expiry account=li-0 critical, reauth_needed account=li-1 critical, '
          'token_expiry account=li-2 warning, reauth_needed account=li-3 critical',
          'tokens: 2 days left critical, 10 days warning, needs_reauth and ended: reauth_needed; '
          'a renewable token nothing');
SELECT is((SELECT message FROM socialroi.detect_token((SELECT t FROM n))
            WHERE subject = 'account=li-2'),
          'the linkedin access token (the daemon cannot renew it) expires in 10 days, reconnect',
          'the message is data_health''s token warning');
SELECT is((SELECT message FROM socialroi.detect_token((SELECT t FROM n))
            WHERE subject = 'account=li-1'),
          'the linkedin credential was refused, polling stopped: HTTP 401 from linkedin',
          'needs_reauth says why');
RESET ROLE;

-- ---- versions
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT string_agg(subject || ' ' || severity, ', ' ORDER BY subject)
             FROM socialroi.detect_version_sunset((SELECT t FROM n))),
          'platform=facebook key=ads_version warning, platform=linkedin key=version critical',
          'version_sunset: 20 days warning, 5 days critical, 100 days nothing');
SELECT is((SELECT message FROM socialroi.detect_version_sunset((SELECT t FROM n))
            WHERE subject = 'platform=facebook key=ads_version'),
          (SELECT '[platform facebook] ads_version v25.0 (Marketing API) is retired on '
                  || (today + 20) || ', in 20 days: set ads_version = v26.0' FROM n),
          'saying what to set');
SELECT is((SELECT severity || ' ' || message FROM socialroi.detect_version_sunset((SELECT t + interval '6 days' FROM n))
            WHERE subject = 'platform=linkedin key=version'),
          (SELECT 'critical [platform linkedin] version 202603 (LinkedIn-Version) was retired on '
                  || (today + 5) || ': set version = 202610' FROM n),
          'past the sunset: was retired');
RESET ROLE;

-- ---- data loss: x.mentions last succeeded 4.5 days ago, X keeps 7
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT severity || ' ' || message FROM socialroi.detect_data_loss((SELECT t FROM n))),
          (SELECT 'warning 2 days left before x drops data of '
                  || ((t - interval '4 days 12 hours') AT TIME ZONE 'UTC')::date FROM n),
          'data_loss: 2 of 7 days left is a warning (from 3 left); LinkedIn''s 365 nothing');
SELECT is((SELECT severity FROM socialroi.detect_data_loss((SELECT t + interval '1 day' FROM n))),
          'critical', '1 day left: critical');
SELECT is((SELECT count(*)::integer FROM socialroi.detect_data_loss((SELECT t - interval '2 days' FROM n))),
          0, '4 days left: nothing');
RESET ROLE;

-- ---- stale: x.mentions (hourly) 4.5 days; org_stats (daily) 2.5 days: the hold band
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT string_agg(subject || ' ' || severity || ' ' || firing, ', ' ORDER BY subject)
             FROM socialroi.detect_stale((SELECT t FROM n))),
          'account=li-0 stream=linkedin.org_stats warning false, '
          'account=x-0 stream=x.mentions critical true',
          'stale: over 3x raises (over 10x and a day critical), between 2x and 3x holds');
SELECT is((SELECT firing FROM socialroi.detect_stale((SELECT t + interval '1 day' FROM n))
            WHERE subject LIKE 'account=li-0 %'),
          true, 'org_stats at 3.5 days: raises');
SELECT alike((SELECT message FROM socialroi.detect_stale((SELECT t FROM n))
              WHERE subject LIKE 'account=x-0 %'),
             'no success for 4d 12h 0m (polled every 01:00:00)%', 'the message says how long');
RESET ROLE;
UPDATE socialroi.poll_job SET last_error_class = 'budget' WHERE stream = 'x.mentions';
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT count(*)::integer FROM socialroi.detect_stale((SELECT t FROM n))
            WHERE subject LIKE 'account=x-0 %'),
          0, 'a search waiting for its budget is listening_budget''s, not stale');
RESET ROLE;
UPDATE socialroi.poll_job SET last_error_class = NULL WHERE stream = 'x.mentions';

-- ---- data gap
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT subject || ': ' || message FROM socialroi.detect_data_gap((SELECT t FROM n))),
          (SELECT 'account=li-0 stream=linkedin.org_stats: 2 days without daily metrics between '
                  || (today - 20) || ' and ' || (today - 12) FROM n),
          'data_gap names the missing days');
RESET ROLE;
SET LOCAL ROLE socialroi_dashboard;
SELECT is((SELECT gaps_30d FROM dashboard.data_health WHERE account = 'li-0'), 2::bigint,
          'data_health counts the same gaps');
SELECT is((SELECT row(api_version_sunset, retention_days_left)::text FROM dashboard.data_health
            WHERE account = 'li-0'),
          (SELECT row(today + 5, 362)::text FROM n),
          'data_health: the version''s sunset and the days left of the retention window');
SELECT is((SELECT token_warning FROM dashboard.data_health WHERE account = 'li-0'),
          'expires in 3 days, reconnect', 'and the token warning as before');
RESET ROLE;

-- ---- listening budget: cap 3 a day
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.x_read_record('x-0', ARRAY['1', '2'], 5000, extract(epoch FROM (SELECT t FROM n)));
SELECT is((SELECT count(*)::integer FROM socialroi.detect_listening_budget((SELECT t FROM n))), 0,
          '2 of 3: nothing');
SELECT socialroi.x_read_record('x-0', ARRAY['2', '3'], 5000, extract(epoch FROM (SELECT t FROM n)));
SELECT is((SELECT subject || ' ' || severity || ': ' || message
             FROM socialroi.detect_listening_budget((SELECT t FROM n))),
          (SELECT 'account=x-0 stream=x.mentions warning: daily listening cap reached: 3 of 3 '
                  || 'posts billed on ' || today || '; the search waits for the next UTC day'
             FROM n),
          'listening_budget at the daily cap');
SELECT is((SELECT count(*)::integer FROM socialroi.detect_listening_budget((SELECT t + interval '1 day' FROM n))), 0,
          'the next UTC day: nothing');
RESET ROLE;

-- ---- all of it through alert_evaluate, and acknowledged
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT row(raised, failed)::text FROM socialroi.alert_evaluate((SELECT t FROM n))),
          '(10,)', 'alert_evaluate raises each once, no detector fails');
SELECT is((SELECT string_agg(kind || ':' || count, ',' ORDER BY kind COLLATE "C")
             FROM (SELECT kind, count(*) FROM socialroi.alert GROUP BY kind) k),
          'data_gap:1,data_loss:1,listening_budget:1,reauth_needed:2,stale:1,token_expiry:2,'
          'version_sunset:2',
          'one alert per kind and subject');
SELECT is((SELECT raised FROM socialroi.alert_evaluate((SELECT t + interval '1 minute' FROM n))),
          0, 'evaluated again: nothing new');
SELECT is((SELECT acked_by FROM socialroi.alert_ack(
              (SELECT alert_id FROM socialroi.alert WHERE kind = 'data_loss'), 'alice')),
          'alice', 'alert_ack as the operator''s role, by a name');
SELECT is((SELECT acked_by FROM socialroi.alert_ack(
              (SELECT alert_id FROM socialroi.alert WHERE kind = 'data_gap'))),
          session_user::text, 'without a name: the database user');
SELECT throws_ok($$SELECT socialroi.alert_ack(999999)$$, 'P0002', 'no alert 999999',
                 'an unknown id is an error');
RESET ROLE;
UPDATE socialroi.alert SET resolved_at = now() WHERE kind = 'stale';
SET LOCAL ROLE socialroi_daemon;
SELECT throws_like($$SELECT socialroi.alert_ack((SELECT alert_id FROM socialroi.alert WHERE kind = 'stale'))$$,
                   'alert % was resolved at %', 'a resolved one too');
RESET ROLE;
SET LOCAL ROLE socialroi_dashboard;
SELECT is((SELECT state || ' ' || acked_by FROM dashboard.alerts WHERE kind = 'data_loss'),
          'acknowledged alice', 'dashboard.alerts shows who acknowledged it');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
