-- 011_comments.sql - the readers' views document themselves: the dashboard and finance schemas,
-- every view in them, every column of every view and every function a reader role may call
-- have a comment (found from the catalogs, so a view added later is held to the same rule), and
-- the comments are what a BI tool connected as a reader role gets (information_schema,
-- col_description, obj_description), tried as that role.
BEGIN;
SELECT plan(16);

-- Runs sql (one row, one text column) as the role and returns its value, or the SQLSTATE it
-- failed with prefixed by "error ".
CREATE FUNCTION pg_temp.as_role(role text, sql text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v text;
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', role);
    BEGIN
        EXECUTE sql INTO v;
    EXCEPTION WHEN OTHERS THEN
        RESET ROLE;
        RETURN 'error ' || SQLSTATE;
    END;
    RESET ROLE;
    RETURN v;
END
$$;

-- every view of the reader schemas, found from the catalog
CREATE TEMP VIEW reader_view AS
SELECT c.oid, n.nspname, c.relname
  FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('dashboard', 'finance') AND c.relkind IN ('v', 'm');

-- every column of those views
CREATE TEMP VIEW reader_column AS
SELECT v.nspname, v.relname, a.attname, a.attnum, pg_catalog.col_description(v.oid, a.attnum) AS doc
  FROM reader_view v JOIN pg_catalog.pg_attribute a ON a.attrelid = v.oid
 WHERE a.attnum > 0 AND NOT a.attisdropped;

-- not vacuous: the views and columns the README documents are there
SELECT cmp_ok((SELECT count(*) FROM reader_view), '>=', 8::bigint,
              'dashboard and finance hold the documented views');
SELECT cmp_ok((SELECT count(*) FROM reader_column), '>=', 120::bigint,
              'and their columns');

-- the rule itself, for whatever views exist
SELECT is_empty($$SELECT nspname || '.' || relname || '.' || attname FROM reader_column
                   WHERE doc IS NULL OR pg_catalog.btrim(doc) = '' ORDER BY 1$$,
                'every column of every view in dashboard and finance has a comment');
SELECT is_empty($$SELECT nspname || '.' || relname FROM reader_view
                   WHERE pg_catalog.obj_description(oid, 'pg_class') IS NULL ORDER BY 1$$,
                'every view in dashboard and finance has a comment');
SELECT is_empty($$SELECT nspname FROM pg_catalog.pg_namespace
                   WHERE nspname IN ('dashboard', 'finance')
                     AND pg_catalog.obj_description(oid, 'pg_namespace') IS NULL$$,
                'the dashboard and finance schemas have a comment');
SELECT is_empty($$SELECT p.oid::regprocedure::text
                    FROM pg_catalog.pg_proc p
                    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                   WHERE n.nspname IN ('dashboard', 'finance')
                     AND (pg_catalog.has_function_privilege('socialroi_dashboard', p.oid, 'EXECUTE')
                          OR pg_catalog.has_function_privilege('socialroi_finance', p.oid,
                                                               'EXECUTE'))
                     AND pg_catalog.obj_description(p.oid, 'pg_proc') IS NULL ORDER BY 1$$,
                'every function a reader role may call has a comment');
SELECT is_empty($$SELECT nspname || '.' || relname || '.' || attname || ': ' || doc
                    FROM reader_column
                   WHERE pg_catalog.length(doc) < 8 OR pg_catalog.lower(doc) = attname ORDER BY 1$$,
                'column comments say more than the column name');

-- spot checks: the words of the README
SELECT is(pg_catalog.col_description('finance.campaign_roi'::regclass,
                                     (SELECT attnum FROM pg_catalog.pg_attribute
                                       WHERE attrelid = 'finance.campaign_roi'::regclass
                                         AND attname = 'roi')),
          '(revenue - spend) / spend (NULL when spend is zero).',
          'finance.campaign_roi.roi says how it is computed');
SELECT is(pg_catalog.col_description('finance.spend_reconciliation'::regclass,
                                     (SELECT attnum FROM pg_catalog.pg_attribute
                                       WHERE attrelid = 'finance.spend_reconciliation'::regclass
                                         AND attname = 'pacing')),
          'budget_used / time_elapsed: above 1 the campaign spends faster than planned.',
          'finance.spend_reconciliation.pacing says how to read it');

-- what a BI tool connected as a reader role sees
SELECT is(pg_temp.as_role('socialroi_dashboard',
          $$SELECT count(*)::text FROM information_schema.columns
             WHERE table_schema = 'dashboard'$$),
          (SELECT count(*)::text FROM reader_column WHERE nspname = 'dashboard'),
          'socialroi_dashboard sees every dashboard column in information_schema');
SELECT is(pg_temp.as_role('socialroi_dashboard',
          $$SELECT count(*)::text FROM information_schema.columns
             WHERE table_schema = 'dashboard'
               AND pg_catalog.col_description(pg_catalog.format('%I.%I', table_schema,
                                                                table_name)::regclass,
                                              ordinal_position::int) IS NULL$$),
          '0', 'socialroi_dashboard reads a comment on each of them');
SELECT is(pg_temp.as_role('socialroi_dashboard',
          $$SELECT pg_catalog.col_description('dashboard.channel_daily'::regclass, 3)$$),
          'The day (the platform''s own day basis for its daily metrics).',
          'socialroi_dashboard reads col_description of dashboard.channel_daily.day');
SELECT is(pg_temp.as_role('socialroi_dashboard',
          $$SELECT pg_catalog.obj_description('dashboard'::regnamespace, 'pg_namespace')$$),
          (SELECT pg_catalog.obj_description('dashboard'::regnamespace, 'pg_namespace')),
          'socialroi_dashboard reads the comment of its schema');
SELECT is(pg_temp.as_role('socialroi_finance',
          $$SELECT count(*)::text FROM information_schema.columns
             WHERE table_schema IN ('dashboard', 'finance')$$),
          (SELECT count(*)::text FROM reader_column),
          'socialroi_finance sees every dashboard and finance column in information_schema');
SELECT is(pg_temp.as_role('socialroi_finance',
          $$SELECT count(*)::text FROM information_schema.columns
             WHERE table_schema IN ('dashboard', 'finance')
               AND pg_catalog.col_description(pg_catalog.format('%I.%I', table_schema,
                                                                table_name)::regclass,
                                              ordinal_position::int) IS NULL$$),
          '0', 'socialroi_finance reads a comment on each of them');
SELECT is(pg_temp.as_role('socialroi_finance',
          $$SELECT pg_catalog.obj_description('finance.campaign_roi'::regclass, 'pg_class')
                   IS NOT NULL
               AND pg_catalog.obj_description('finance.roi(date, date, text, text)'::regprocedure,
                                              'pg_proc') IS NOT NULL$$),
          'true', 'socialroi_finance reads the comments of its views and functions');

SELECT * FROM finish();
ROLLBACK;
