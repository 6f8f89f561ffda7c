-- 001_core_schema.sql - the core schema of DESIGN §5: schemas, tables, keys, checks, roles.
BEGIN;
SELECT plan(47);

SELECT has_schema('socialroi');
SELECT has_schema('dashboard');
SELECT has_schema('finance');

SELECT has_table('socialroi', t, 'table socialroi.' || t)
  FROM unnest(ARRAY['schema_migration', 'account', 'poll_job', 'fetch_run', 'content',
                    'metric_daily', 'metric_snapshot', 'ad_campaign', 'ad_daily', 'lead',
                    'touchpoint', 'deal', 'mention', 'campaign', 'campaign_spend',
                    'campaign_link', 'fx_rate', 'revision']) AS t;

SELECT has_role('socialroi_daemon');
SELECT has_role('socialroi_dashboard');
SELECT has_role('socialroi_finance');

-- natural keys carry account_id (distribution key) first
SELECT col_is_pk('socialroi', 'metric_daily', ARRAY['account_id', 'object_id', 'metric', 'day'], 'primary key');
SELECT col_is_pk('socialroi', 'metric_snapshot',
                 ARRAY['account_id', 'object_id', 'metric', 'observed_at'], 'primary key');
SELECT col_is_pk('socialroi', 'ad_daily', ARRAY['account_id', 'campaign_id', 'day'], 'primary key');
SELECT col_is_pk('socialroi', 'lead', ARRAY['account_id', 'lead_id'], 'primary key');
SELECT col_is_pk('socialroi', 'deal', ARRAY['account_id', 'deal_id'], 'primary key');
SELECT col_is_unique('socialroi', 'poll_job', ARRAY['account_id', 'stream'], 'one job per stream');

-- money is integer micro-units
SELECT col_type_is('socialroi', 'ad_daily', 'spend_micros', 'bigint', 'ad_daily.spend_micros is bigint micro-units');
SELECT col_type_is('socialroi', 'deal', 'amount_micros', 'bigint', 'deal.amount_micros is bigint micro-units');
SELECT col_type_is('socialroi', 'campaign_spend', 'amount_micros', 'bigint', 'campaign_spend.amount_micros is bigint micro-units');

-- constraints that keep bad states out
INSERT INTO socialroi.account (name, platform, external_id) VALUES ('a', 'x', '1');
SELECT throws_ok($$INSERT INTO socialroi.account (name, platform, external_id)
                   VALUES ('b', 'myspace', '1')$$, '23514', NULL, 'unknown platform refused');
SELECT throws_ok($$UPDATE socialroi.account SET state = 'sleepy'$$, '23514', NULL,
                 'unknown account state refused');
SELECT lives_ok($$UPDATE socialroi.account SET state = 'needs_reauth'$$, 'needs_reauth allowed');
SELECT throws_ok($$INSERT INTO socialroi.metric_daily (account_id, metric, day, day_basis, value)
                   SELECT account_id, 'likes', '2026-01-01', 'mars', 1 FROM socialroi.account$$,
                 '23514', NULL, 'unknown day basis refused');
SELECT throws_ok($$INSERT INTO socialroi.campaign (name, title, start_day, end_day)
                   VALUES ('c', 'c', '2026-02-01', '2026-01-01')$$, '23514', NULL,
                 'campaign ending before it starts refused');
SELECT throws_ok($$INSERT INTO socialroi.fx_rate VALUES ('2026-01-01', 'EUR', 0, 'test')$$,
                 '23514', NULL, 'a zero FX rate refused');
SELECT throws_ok($$INSERT INTO socialroi.mention (account_id, mention_id, query, posted_at, sentiment)
                   SELECT account_id, 'm', 'q', now(), 1.5 FROM socialroi.account$$,
                 '23514', NULL, 'sentiment outside -1..1 refused');
SELECT throws_ok($$INSERT INTO socialroi.metric_daily (account_id, metric, day, day_basis, value)
                   VALUES (999999, 'likes', '2026-01-01', 'utc', 1)$$, '23503', NULL,
                 'facts need an existing account');

-- readers see no table in socialroi; the daemon cannot rewrite migration history
SELECT schema_privs_are('socialroi', 'socialroi_dashboard', ARRAY[]::text[]);
SELECT schema_privs_are('socialroi', 'socialroi_finance', ARRAY[]::text[]);
SELECT schema_privs_are('dashboard', 'socialroi_dashboard', ARRAY['USAGE']);
SELECT schema_privs_are('finance', 'socialroi_finance', ARRAY['USAGE']);
SELECT schema_privs_are('finance', 'socialroi_dashboard', ARRAY[]::text[]);
SELECT table_privs_are('socialroi', 'schema_migration', 'socialroi_daemon', ARRAY['SELECT']);

SELECT * FROM finish();
ROLLBACK;
