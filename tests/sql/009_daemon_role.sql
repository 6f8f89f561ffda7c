-- 009_daemon_role.sql - socialroi_daemon can reach every relation and function of schema
-- socialroi (read everything, write the tables but the migration history), so a daemon holding
-- only that role runs every code path; found by query, not by a list, so an object a later
-- migration forgets to grant fails here. The campaign and FX sync are then run as the role.
BEGIN;
SELECT plan(8);

SELECT is(array_agg(c.relname::text ORDER BY c.relname), NULL,
          'socialroi_daemon may read every table and view of schema socialroi')
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'socialroi' AND c.relkind IN ('r', 'v', 'm', 'p')
   AND NOT pg_catalog.has_table_privilege('socialroi_daemon', c.oid, 'SELECT');

SELECT is(array_agg(c.relname::text ORDER BY c.relname), NULL,
          'socialroi_daemon may write every table of schema socialroi but schema_migration')
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'socialroi' AND c.relkind IN ('r', 'p') AND c.relname <> 'schema_migration'
   AND NOT (pg_catalog.has_table_privilege('socialroi_daemon', c.oid, 'INSERT')
            AND pg_catalog.has_table_privilege('socialroi_daemon', c.oid, 'UPDATE')
            AND pg_catalog.has_table_privilege('socialroi_daemon', c.oid, 'DELETE'));

SELECT ok(NOT pg_catalog.has_table_privilege('socialroi_daemon', 'socialroi.schema_migration',
                                              'INSERT, UPDATE, DELETE'),
          'socialroi_daemon cannot rewrite the migration history');

SELECT is(array_agg(p.proname::text ORDER BY p.proname), NULL,
          'socialroi_daemon may execute every function of schema socialroi')
  FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
 WHERE n.nspname = 'socialroi'
   AND NOT pg_catalog.has_function_privilege('socialroi_daemon', p.oid, 'EXECUTE');

SELECT is(array_agg(c.relname::text ORDER BY c.relname), NULL,
          'socialroi_daemon may use every sequence of schema socialroi')
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'socialroi'
   AND CASE WHEN c.relkind = 'S'  -- the privilege function refuses any other relation
            THEN NOT pg_catalog.has_sequence_privilege('socialroi_daemon', c.oid, 'USAGE') END;

-- what the daemon runs on start and reload, as the daemon
SET LOCAL ROLE socialroi_daemon;
SELECT lives_ok($$SELECT socialroi.sync_settings('USD', 604800000)$$,
                'the settings sync runs as socialroi_daemon');
SELECT lives_ok($$SELECT socialroi.sync_campaigns('[{"name":"c1","title":"C1","start":"2026-01-01",
    "end":null,"budget_micros":null,"budget_currency":null,
    "links":[{"kind":"utm_campaign","platform":"","value":"c1"}],
    "spend":[{"line":1,"kind":"fixed","amount_micros":1000000,"currency":"USD",
              "start":"2026-01-01","end":"2026-01-10"}]}]'::jsonb)$$,
                'the campaign sync runs as socialroi_daemon');
SELECT lives_ok($$SELECT socialroi.rollup_dirty(1000)$$, 'the rollup runs as socialroi_daemon');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
