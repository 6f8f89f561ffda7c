-- 019_ingest_lean.sql - the page writer runs only the statements of the kinds a page holds: a
-- page of every kind still writes every table (leads before their touches and deals, deals
-- before their stages) and counts what it wrote; a page of metrics alone, or an empty page,
-- leaves the rollup's dirty marks and the CRM tables alone; the folded helpers are gone.
BEGIN;
SELECT plan(9);

SELECT socialroi.sync_account('crm', 'hubspot', '7', 'USD', 'UTC', true, '');

CREATE TEMP TABLE page AS SELECT jsonb_build_object(
    'metric', jsonb_build_array(jsonb_build_object('object', 'p1', 'metric', 'impressions',
                                                   'day', '2026-03-01', 'basis', 'utc',
                                                   'value', 10)),
    'snapshot', jsonb_build_array(jsonb_build_object('object', '', 'metric', 'followers',
                                                     'observed_at', '2026-03-01T10:00Z',
                                                     'value', 5)),
    'content', jsonb_build_array(jsonb_build_object('id', 'p1', 'kind', 'post')),
    'campaign', jsonb_build_array(jsonb_build_object('id', 'c1', 'name', 'Launch')),
    'ad_daily', jsonb_build_array(jsonb_build_object('campaign', 'c1', 'day', '2026-03-01',
                                                     'basis', 'utc', 'currency', 'USD',
                                                     'spend_micros', 1000000,
                                                     'impressions', 100, 'clicks', 3,
                                                     'leads', 1, 'conversions', 0,
                                                     'conversion_value_micros', 0)),
    'lead', jsonb_build_array(jsonb_build_object('id', 'L1', 'source', 'crm',
                                                 'created_at', '2026-03-02T00:00Z', 'is_test', false)),
    'touchpoint', jsonb_build_array(jsonb_build_object('id', 'T1', 'lead', 'L1',
                                                       'kind', 'click',
                                                       'occurred_at', '2026-03-01T00:00Z')),
    'deal', jsonb_build_array(jsonb_build_object('id', 'D1', 'amount_micros', 5000000,
                                                 'currency', 'USD', 'stage', 'won',
                                                 'pipeline', 'default', 'is_won', false, 'is_closed', false,
                                                 'created_at', '2026-03-03T00:00Z',
                                                 'contacts', jsonb_build_array('L1'))),
    'mention', jsonb_build_array(jsonb_build_object('id', 'M1', 'query', 'q', 'text', 'hi',
                                                    'posted_at', '2026-03-01T00:00Z')),
    'stage', jsonb_build_array(jsonb_build_object('pipeline', 'default', 'stage', 'won',
                                                  'label', 'Won', 'is_won', true,
                                                  'is_closed', true)),
    'deal_contact', jsonb_build_array(jsonb_build_object('deal', 'D1', 'contact', 'L2'))) AS p;

SELECT cmp_ok(socialroi.upsert_facts(1, (SELECT p FROM page)), '>=', 12,
              'a page of every kind counts every row it wrote');
SELECT is(ARRAY[(SELECT count(*) FROM socialroi.metric_daily),
                (SELECT count(*) FROM socialroi.metric_snapshot),
                (SELECT count(*) FROM socialroi.content),
                (SELECT count(*) FROM socialroi.ad_campaign),
                (SELECT count(*) FROM socialroi.ad_daily),
                (SELECT count(*) FROM socialroi.lead),
                (SELECT count(*) FROM socialroi.touchpoint),
                (SELECT count(*) FROM socialroi.deal),
                (SELECT count(*) FROM socialroi.mention),
                (SELECT count(*) FROM socialroi.deal_stage)]::int[],
          ARRAY[1, 1, 1, 1, 1, 1, 1, 1, 1, 1], 'and every table has its row');
SELECT set_eq('SELECT lead_id FROM socialroi.deal_contact', ARRAY['L1', 'L2'],
              'deal contacts from the deal and from the CRM associations');
SELECT is((SELECT is_won FROM socialroi.deal), true,
          'the deal takes its stage''s outcome, the deal written first');
SELECT cmp_ok((SELECT count(*) FROM socialroi.dirty_conversion), '>', 0::bigint,
              'the lead and the deal are marked for the rollup');

DELETE FROM socialroi.dirty_conversion;
DELETE FROM socialroi.dirty_spend;
SELECT is(socialroi.upsert_facts(1, jsonb_build_object('metric', jsonb_build_array(
              jsonb_build_object('object', 'p1', 'metric', 'impressions', 'day', '2026-03-02',
                                 'basis', 'utc', 'value', 11)))), 1,
          'a page of metrics writes its metric');
SELECT is((SELECT count(*)::int FROM socialroi.dirty_conversion)
          + (SELECT count(*)::int FROM socialroi.dirty_spend), 0, 'and marks nothing');
SELECT is(socialroi.upsert_facts(1, '{}'), 0, 'an empty page writes nothing');
SELECT is((SELECT count(*)::int FROM pg_catalog.pg_proc p
             JOIN pg_catalog.pg_namespace s ON s.oid = p.pronamespace
            WHERE s.nspname = 'socialroi'
              AND p.proname IN ('upsert_ads', 'upsert_people', 'upsert_crm')), 0,
          'the per-kind helpers are folded into the page writer');

SELECT * FROM finish();
ROLLBACK;
