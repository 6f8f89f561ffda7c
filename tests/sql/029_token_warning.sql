-- 029_token_warning.sql - the end of a token the daemon cannot renew, as the dashboard sees it:
-- set_token_renewal as the daemon role, token_warning "expires in N days,
-- reconnect" from 14 days before the end of an unrenewable token, how to reconnect once it
-- ended, nothing for a renewable token or an unknown end; read as socialroi_dashboard.
BEGIN;
SELECT plan(10);

SELECT socialroi.sync_account('li-self', 'linkedin', 'o1', 'USD', 'UTC', true, 'h1');
SELECT socialroi.sync_job('li-self', 'linkedin.org_stats', 3600000, 3600000, 604800000, false);
SELECT socialroi.sync_account('li-partner', 'linkedin', 'o2', 'USD', 'UTC', true, 'h2');
SELECT socialroi.sync_job('li-partner', 'linkedin.org_stats', 3600000, 3600000, 604800000, false);
SELECT socialroi.sync_account('li-old', 'linkedin', 'o3', 'USD', 'UTC', true, 'h3');
SELECT socialroi.sync_job('li-old', 'linkedin.org_stats', 3600000, 3600000, 604800000, false);

CREATE TEMP TABLE t (name text PRIMARY KEY, at double precision);
INSERT INTO t VALUES ('in10d', floor(extract(epoch FROM now() + interval '10 days')) - 60),
                     ('in15d', floor(extract(epoch FROM now() + interval '15 days'))),
                     ('in14d', floor(extract(epoch FROM now() + interval '14 days'))),
                     ('ended', extract(epoch FROM timestamptz '2026-01-02 10:00Z'));
GRANT SELECT ON t TO socialroi_daemon;

SET LOCAL ROLE socialroi_daemon;
SELECT lives_ok($$SELECT socialroi.set_token_renewal('li-self', (SELECT at FROM t WHERE name = 'in15d'), false)$$,
                'the daemon records an unrenewable token''s end');
SELECT socialroi.set_token_renewal('li-partner', (SELECT at FROM t WHERE name = 'in10d'), true);
SELECT socialroi.set_token_renewal('li-old', (SELECT at FROM t WHERE name = 'ended'), false);
RESET ROLE;

SELECT is((SELECT token_refreshable FROM socialroi.account WHERE name = 'li-self'), false,
          'token_refreshable is kept');
SELECT is((SELECT extract(epoch FROM token_expires_at) FROM socialroi.account WHERE name = 'li-self'),
          (SELECT at FROM t WHERE name = 'in15d')::numeric, 'and the end');

SET LOCAL ROLE socialroi_dashboard;
SELECT is((SELECT token_warning FROM dashboard.data_health WHERE account = 'li-self'), NULL,
          '15 days left: nothing yet');
RESET ROLE;

SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.set_token_renewal('li-self', (SELECT at FROM t WHERE name = 'in14d'), false);
RESET ROLE;
SELECT is((SELECT token_warning FROM dashboard.data_health WHERE account = 'li-self'),
          'expires in 14 days, reconnect', '14 days left: the warning');

SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.set_token_renewal('li-self', (SELECT at FROM t WHERE name = 'in10d'), false);
RESET ROLE;
SET LOCAL ROLE socialroi_dashboard;
SELECT is((SELECT token_warning FROM dashboard.data_health WHERE account = 'li-self'),
          'expires in 10 days, reconnect', 'a reader sees: expires in 10 days, reconnect');
SELECT is((SELECT token_warning FROM dashboard.data_health WHERE account = 'li-partner'), NULL,
          'a token the daemon refreshes carries no warning, however near its end');
SELECT is((SELECT token_warning FROM dashboard.data_health WHERE account = 'li-old'),
          'expired on 2026-01-02, reconnect: authorize the app again, put the new access_token '
          'and its expires_at in the credentials file, reload', 'an ended token says how to reconnect');
RESET ROLE;

-- an unknown end (0) clears it
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.set_token_renewal('li-old', 0, false);
RESET ROLE;
SELECT is((SELECT token_expires_at FROM socialroi.account WHERE name = 'li-old'), NULL,
          'an unknown end is recorded as NULL');
SELECT is((SELECT token_warning FROM dashboard.data_health WHERE account = 'li-old'), NULL,
          'and warns of nothing');

SELECT * FROM finish();
ROLLBACK;
