-- 024_page_batches.sql - merge_pages writes a batch of staged pages as ingest_page called page
-- by page does, row for row: the same rounds of pages (a first load of metrics, snapshots,
-- content, campaigns, ad days, mentions and CRM records over four jobs; the same pages again
-- unchanged; every kind restated; a batch where one key comes in two pages; campaigns named
-- again on every ads page; a page whose lease another daemon holds; a page after its job's
-- final page) are written both ways as the
-- daemon's role and every table is compared, with what each call returned.
BEGIN;
SELECT plan(10);

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', 'UTC', true, '');
SELECT socialroi.sync_account('ads', 'linkedin', '2', 'EUR', 'UTC', true, '');
SELECT socialroi.sync_account('crm', 'hubspot', '3', 'USD', 'UTC', true, '');
SELECT socialroi.sync_account('x', 'x', '4', 'USD', 'UTC', true, '');
SELECT socialroi.sync_job('fb', 'facebook.page_insights', 900000, 0, 2592000000, true);
SELECT socialroi.sync_job('ads', 'linkedin.ads', 900000, 0, 2592000000, false);
SELECT socialroi.sync_job('crm', 'hubspot.contacts', 900000, 0, 2592000000, false);
SELECT socialroi.sync_job('x', 'x.mentions', 900000, 0, 2592000000, false);
-- ad days of the linked campaign mark the rollup
INSERT INTO socialroi.campaign (name, title, start_day) VALUES ('launch', 'Launch', '2026-01-01');
INSERT INTO socialroi.campaign_link (campaign_id, kind, platform, value)
SELECT campaign_id, 'ad_campaign', 'linkedin', 'c1' FROM socialroi.campaign;

-- the pages of each round, in the order the daemon queued them
CREATE TEMP TABLE pages (round int, seq int, job bigint, owner text, rows jsonb, cursor text,
                         run jsonb, final boolean, next_in_s float8);
CREATE FUNCTION pg_temp.m(obj text, metric text, day text, v int) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT jsonb_build_object('object', obj, 'metric', metric, 'day', day, 'basis', 'utc',
                              'value', v)
$$;
CREATE FUNCTION pg_temp.ad(day text, spend int) RETURNS jsonb LANGUAGE sql AS $$
    SELECT jsonb_build_object('campaign', 'c1', 'day', day, 'basis', 'utc', 'currency', 'EUR',
                              'spend_micros', spend, 'impressions', 100, 'clicks', 3,
                              'leads', 1, 'conversions', 0, 'conversion_value_micros', 0)
$$;
CREATE FUNCTION pg_temp.round_pages(r int, k int) RETURNS void LANGUAGE sql AS $$
    -- k = 0 first load, 1 unchanged, 2 restated
    INSERT INTO pages VALUES
    (r, 1, 1, 'd1', jsonb_build_object(
        'metric', jsonb_build_array(pg_temp.m('', 'reach', '2026-03-01', 10 + (k / 2) * 5),
                                    pg_temp.m('', 'reach', '2026-03-02', 11),
                                    pg_temp.m('', 'reach', '2026-03-01', 12 + (k / 2) * 5)),
        'snapshot', jsonb_build_array(jsonb_build_object(
            'object', '', 'metric', 'followers',
            'observed_at', format('2026-03-0%sT10:00Z', 1 + k), 'value', 500 + (k / 2))),
        'content', jsonb_build_array(jsonb_build_object('id', 'p1', 'kind', 'post',
                                                        'title', 'T' || (k / 2)))),
     format('{"in_run":true,"page":"%s"}', r), '{"outcome":"ok","lease_s":600}', false, 0),
    (r, 2, 2, 'd1', jsonb_build_object(
        'campaign', jsonb_build_array(jsonb_build_object('id', 'c1', 'name', 'Launch')),
        'ad_daily', jsonb_build_array(pg_temp.ad('2026-03-01', 1000000 + (k / 2)),
                                      pg_temp.ad('2026-03-02', 2000000))),
     NULL, '{"outcome":"ok","lease_s":600}', false, 0),
    (r, 3, 1, 'd1', jsonb_build_object(
        'metric', jsonb_build_array(pg_temp.m('p1', 'likes', '2026-03-01', 3 + k / 2)),
        'snapshot', jsonb_build_array(jsonb_build_object(
            'object', '', 'metric', 'followers',
            'observed_at', format('2026-03-0%sT12:00Z', 1 + k), 'value', 500 + (k / 2)))),
     format('{"page":"%s-end"}', r), '{"outcome":"ok"}', true, 900),
    (r, 4, 3, 'd1', jsonb_build_object(
        'lead', jsonb_build_array(jsonb_build_object('id', 'L1', 'source', 'crm',
                                                     'created_at', '2026-03-02T00:00Z',
                                                     'email_hash', 'h' || (k / 2),
                                                     'is_test', false)),
        'touchpoint', jsonb_build_array(jsonb_build_object('id', 'T1', 'lead', 'L1',
                                                           'kind', 'click',
                                                           'occurred_at', '2026-03-01T00:00Z',
                                                           'platform', 'linkedin',
                                                           'campaign', 'c1')),
        'deal', jsonb_build_array(jsonb_build_object('id', 'D1', 'amount_micros', 5000000 + k / 2,
                                                     'currency', 'USD', 'stage', 'won',
                                                     'pipeline', 'default', 'is_won', false,
                                                     'is_closed', false,
                                                     'created_at', '2026-03-03T00:00Z',
                                                     'contacts', jsonb_build_array('L1')))),
     NULL, '{"outcome":"ok","lease_s":600}', false, 0),
    (r, 5, 4, 'd1', jsonb_build_object(
        'mention', jsonb_build_array(jsonb_build_object('id', 'M1', 'query', 'q',
                                                        'text', 'hi ' || k,
                                                        'posted_at', '2026-03-01T00:00Z'))),
     NULL, '{"outcome":"ok"}', false, 0),
    (r, 6, 3, 'd1', jsonb_build_object(
        'stage', jsonb_build_array(jsonb_build_object('pipeline', 'default', 'stage', 'won',
                                                      'label', 'Won', 'is_won', k < 2,
                                                      'is_closed', true)),
        'deal_contact', jsonb_build_array(jsonb_build_object('deal', 'D1', 'contact', 'L2'))),
     NULL, '{"outcome":"ok"}', false, 0)
$$;
SELECT pg_temp.round_pages(1, 0);
SELECT pg_temp.round_pages(2, 1);
SELECT pg_temp.round_pages(3, 2);
-- round 4: a key in two pages (the second restates it), and a page after its job's final page
INSERT INTO pages VALUES
    (4, 1, 2, 'd1', jsonb_build_object('ad_daily', jsonb_build_array(pg_temp.ad('2026-03-05', 7))),
     NULL, '{"outcome":"ok"}', false, 0),
    (4, 2, 1, 'd1', jsonb_build_object('metric', jsonb_build_array(
         pg_temp.m('', 'reach', '2026-03-09', 1))), NULL, '{"outcome":"ok"}', true, 900),
    (4, 3, 2, 'd1', jsonb_build_object('ad_daily', jsonb_build_array(pg_temp.ad('2026-03-05', 8))),
     NULL, '{"outcome":"ok"}', false, 0),
    (4, 4, 1, 'd1', jsonb_build_object('metric', jsonb_build_array(
         pg_temp.m('', 'reach', '2026-03-10', 1))), NULL, '{"outcome":"ok"}', false, 0);
-- round 5: each ads page names its campaigns again (one renamed, one without a name on the
-- second page) beside its own ad days
INSERT INTO pages VALUES
    (5, 1, 2, 'd1', jsonb_build_object(
         'campaign', jsonb_build_array(jsonb_build_object('id', 'c1', 'name', 'Launch'),
                                       jsonb_build_object('id', 'c2', 'name', 'Spring')),
         'ad_daily', jsonb_build_array(pg_temp.ad('2026-03-06', 9))),
     NULL, '{"outcome":"ok"}', false, 0),
    (5, 2, 1, 'd1', jsonb_build_object('metric', jsonb_build_array(
         pg_temp.m('', 'reach', '2026-03-11', 2))), NULL, '{"outcome":"ok"}', false, 0),
    (5, 3, 2, 'd1', jsonb_build_object(
         'campaign', jsonb_build_array(jsonb_build_object('id', 'c1', 'name', 'Launch 2'),
                                       jsonb_build_object('id', 'c2')),
         'ad_daily', jsonb_build_array(pg_temp.ad('2026-03-07', 9))),
     NULL, '{"outcome":"ok"}', true, 900);

-- what each call returned: the rows written, or lost
CREATE TEMP TABLE ret (round int, seq int, result text);
GRANT SELECT ON pages TO socialroi_daemon;
GRANT SELECT, INSERT ON ret TO socialroi_daemon;

-- each round: the jobs claimed (job 4 by another daemon: its pages are lost), then its pages
CREATE FUNCTION pg_temp.ingest(way text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    r int;
    p record;
    n int;
BEGIN
    SET LOCAL ROLE socialroi_daemon;
    FOR r IN SELECT DISTINCT round FROM pages ORDER BY round LOOP
        PERFORM socialroi.claim_job(j, 'd1', 600, true) FROM generate_series(1, 3) j;
        PERFORM socialroi.claim_job(4, 'd2', 600, true);
        IF way = 'page' THEN
            FOR p IN SELECT * FROM pages WHERE round = r ORDER BY seq LOOP
                BEGIN
                    n := socialroi.ingest_page(p.job, p.owner, p.rows, p.cursor, p.run, p.final,
                                               p.next_in_s);
                    INSERT INTO ret VALUES (r, p.seq, n::text);
                EXCEPTION WHEN SQLSTATE 'SR001' THEN
                    INSERT INTO ret VALUES (r, p.seq, 'lost');
                END;
            END LOOP;
        ELSE
            INSERT INTO socialroi.page_stage (page, job_id, lease_owner, rows, cursor, run, final,
                                              next_in_s)
            SELECT seq, job, owner, rows, cursor, run, final, next_in_s FROM pages
             WHERE round = r;
            INSERT INTO ret
            SELECT r, m.page_no, CASE WHEN m.lease_lost THEN 'lost' ELSE m.written::text END
              FROM socialroi.merge_pages() m;
        END IF;
    END LOOP;
    RESET ROLE;
END
$$;

-- every table the writer touches, one line a row; fetch records by their job and order
-- (identity values are not taken back by a rollback); the rollup's marks as the buckets they
-- name (a mark is one row per bucket and transaction: a batch is one transaction where its
-- pages were several)
CREATE FUNCTION pg_temp.dump() RETURNS SETOF text LANGUAGE sql AS $$
    WITH runs AS (
        SELECT f.run_id, f.job_id || '#' || rank() OVER (PARTITION BY f.job_id ORDER BY f.run_id)
                   AS run
          FROM socialroi.fetch_run f)
    SELECT 'metric_daily ' || row_to_json(t)::text FROM socialroi.metric_daily t
    UNION ALL SELECT 'metric_snapshot ' || row_to_json(t)::text FROM socialroi.metric_snapshot t
    UNION ALL SELECT 'content ' || row_to_json(t)::text FROM socialroi.content t
    UNION ALL SELECT 'ad_campaign ' || row_to_json(t)::text FROM socialroi.ad_campaign t
    UNION ALL SELECT 'ad_daily ' || row_to_json(t)::text FROM socialroi.ad_daily t
    UNION ALL SELECT 'lead ' || row_to_json(t)::text FROM socialroi.lead t
    UNION ALL SELECT 'touchpoint ' || row_to_json(t)::text FROM socialroi.touchpoint t
    UNION ALL SELECT 'deal ' || row_to_json(t)::text FROM socialroi.deal t
    UNION ALL SELECT 'deal_contact ' || row_to_json(t)::text FROM socialroi.deal_contact t
    UNION ALL SELECT 'deal_stage ' || row_to_json(t)::text FROM socialroi.deal_stage t
    UNION ALL SELECT 'mention ' || row_to_json(t)::text FROM socialroi.mention t
    UNION ALL SELECT DISTINCT 'dirty_spend ' || campaign_id || ' ' || day FROM socialroi.dirty_spend
    UNION ALL SELECT DISTINCT 'dirty_conversion ' || kind || ' ' || key
                FROM socialroi.dirty_conversion
    UNION ALL SELECT 'poll_job ' || row_to_json(t)::text FROM socialroi.poll_job t
    UNION ALL SELECT 'fetch_run ' || (row_to_json(t)::jsonb - 'run_id'
                                      || jsonb_build_object('run', runs.run))::text
                FROM socialroi.fetch_run t JOIN runs USING (run_id)
    UNION ALL SELECT 'revision ' || (row_to_json(t)::jsonb - 'revision_id' - 'run_id'
                                     || jsonb_build_object('run', runs.run))::text
                FROM socialroi.revision t LEFT JOIN runs USING (run_id)
    UNION ALL SELECT 'ret ' || row_to_json(t)::text FROM ret t
$$;

SAVEPOINT start;
SELECT pg_temp.ingest('page');
SELECT string_agg(x, E'\n' ORDER BY x) AS by_page FROM pg_temp.dump() x \gset
SELECT count(*) AS revisions_by_page FROM socialroi.revision \gset
ROLLBACK TO SAVEPOINT start;

SELECT is((SELECT count(*) FROM socialroi.fetch_run), 0::bigint, 'the rollback took the pages back');
SELECT lives_ok($$SELECT pg_temp.ingest('merge')$$, 'the same rounds merged batch by batch');
CREATE TEMP TABLE by_page AS SELECT x FROM unnest(string_to_array(:'by_page', E'\n')) x;
SELECT bag_eq('SELECT x FROM pg_temp.dump() x', 'SELECT x FROM by_page',
              'every table, row for row, and every page''s result as ingest_page page by page');
SELECT cmp_ok(:revisions_by_page::int, '>=', 6,
              'the restated round left revisions of metrics, ad days, deals');
SELECT is((SELECT array_agg(result ORDER BY round, seq) FROM ret WHERE seq = 5),
          ARRAY['lost', 'lost', 'lost'], 'the page of a job another daemon holds is lost');
SELECT is((SELECT array_agg(result ORDER BY seq) FROM ret WHERE round = 4),
          ARRAY['1', '1', '1', 'lost'],
          'a key in two pages is written twice; a page after its job''s final page is lost');
SELECT is((SELECT array_agg(result ORDER BY seq) FROM ret WHERE round = 5),
          ARRAY['2', '1', '2'], 'campaigns named again count where they changed');
SELECT is((SELECT count(*) FROM socialroi.page_stage), 0::bigint, 'the merge empties its staging');
SELECT is((SELECT count(*) FROM socialroi.revision WHERE run_id < 0 OR run_id IS NULL), 0::bigint,
          'every revision names its page''s fetch record');
SELECT is((SELECT count(*) FROM socialroi.revision r JOIN socialroi.fetch_run f USING (run_id)
            WHERE r.table_name = 'ad_daily' AND r.fact_key ->> 'day' = '2026-03-05'), 1::bigint,
          'the key written twice in one batch left its revision');

SELECT * FROM finish();
ROLLBACK;
