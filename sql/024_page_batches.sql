-- 024_page_batches.sql - the daemon writes a batch of pages in one transaction.
--
-- ingest_page costs each page a transaction, a lease check, a fetch record, a cursor update
-- and a statement per record kind with its triggers: 24 rows a page on average, so most of
-- the writer's time was per page, not per row. The daemon now COPYs the pages queued on a
-- connection (up to 50, of any jobs) into socialroi.page_stage and calls
-- socialroi.merge_pages() in the same transaction; the merge writes what ingest_page called
-- page after page in the batch's order would have written, row for row:
--
--   - page by page, in order: the lease check (a page whose job is not leased to its owner is
--     skipped and reported lost, as ingest_page's SR001 loses that page alone), the fetch
--     record (its backfill window read from the cursor the page before left) and the job's
--     cursor, schedule and lease;
--   - the metrics, content, ad days and mentions of all the batch's pages, one statement per
--     kind, when no key of a kind comes in two pages of the batch (a key written by two pages
--     would be one update instead of two); each row written is counted to the page it came
--     from, and a restated fact's revision names that page's fetch record;
--   - the snapshots, the campaigns (an ads page names its campaigns again, and a field a
--     record lacks keeps what the page before wrote) and the CRM kinds (leads, touches, deals,
--     stages, deal contacts), whose statements read what the pages before wrote, page by page
--     through upsert_facts;
--   - a batch in which a key of those kinds comes twice is written page by page through
--     upsert_facts entirely.
--
-- The staging rows belong to the session that COPYed them (batch defaults to the backend's
-- pid, which no other session holds while it lives) and the merge deletes them; a failed
-- transaction takes its COPY back with it. Several connections and several daemons can stage
-- at once.

CREATE UNLOGGED TABLE socialroi.page_stage (
    batch           integer NOT NULL DEFAULT pg_catalog.pg_backend_pid(),
    page            integer NOT NULL,
    job_id          bigint NOT NULL,
    lease_owner     text NOT NULL,
    rows            jsonb NOT NULL,
    cursor          text,
    run             jsonb NOT NULL,
    final           boolean NOT NULL,
    next_in_s       double precision NOT NULL,
    account_id      integer,
    run_id          bigint,
    PRIMARY KEY (batch, page)
);
COMMENT ON TABLE socialroi.page_stage IS
    'Pages being written by socialroi.merge_pages in the transaction that staged them (unlogged, '
    'emptied by the merge)';
COMMENT ON COLUMN socialroi.page_stage.batch IS
    'the staging session''s backend pid (the default): the merge reads and deletes its own rows';
COMMENT ON COLUMN socialroi.page_stage.page IS
    'the page''s place in the batch, from 1: pages are written in this order';
COMMENT ON COLUMN socialroi.page_stage.job_id IS 'the job the page was fetched for';
COMMENT ON COLUMN socialroi.page_stage.lease_owner IS
    'the daemon holding the job''s lease (checked as ingest_page checks it)';
COMMENT ON COLUMN socialroi.page_stage.rows IS 'the page''s records (ingest_page''s p_rows)';
COMMENT ON COLUMN socialroi.page_stage.cursor IS
    'the job''s cursor after this page (ingest_page''s p_cursor)';
COMMENT ON COLUMN socialroi.page_stage.run IS 'the fetch record (ingest_page''s p_run)';
COMMENT ON COLUMN socialroi.page_stage.final IS
    'the last page of its run: the lease is given back (ingest_page''s p_final)';
COMMENT ON COLUMN socialroi.page_stage.next_in_s IS
    'seconds until the job is due again (ingest_page''s p_next_in_s)';
COMMENT ON COLUMN socialroi.page_stage.account_id IS
    'the job''s account, set by the merge once the lease is checked (NULL: the lease was lost)';
COMMENT ON COLUMN socialroi.page_stage.run_id IS
    'the page''s fetch record, set by the merge (NULL: the lease was lost)';

-- The metrics, content, ad days and mentions of the session's staged pages (those whose lease
-- held), one statement per kind, as upsert_facts writes them page by page when no key comes in
-- two pages. Returns the rows written per page.
CREATE FUNCTION socialroi.merge_stage_kinds(p_batch integer)
RETURNS TABLE (page_no integer, written integer)
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    pgs integer[];
    ns integer[];
    acc_pages integer[] := '{}';
    acc_ns integer[] := '{}';
    kinds text[];
BEGIN
    SELECT pg_catalog.array_agg(DISTINCT k) INTO kinds
      FROM socialroi.page_stage s, pg_catalog.jsonb_object_keys(s.rows) AS k
     WHERE s.batch = p_batch AND s.run_id IS NOT NULL;
    IF 'metric' = ANY (kinds) THEN
        WITH src AS MATERIALIZED (
            SELECT DISTINCT ON (s.account_id, r.object, r.metric, r.day)
                   s.account_id, s.page, r.object, r.metric, r.day, r.basis, r.value
              FROM socialroi.page_stage s,
                   ROWS FROM (pg_catalog.jsonb_to_recordset(s.rows -> 'metric')
                              AS (object text, metric text, day date, basis text, value bigint))
                   WITH ORDINALITY AS r(object, metric, day, basis, value, ord)
             WHERE s.batch = p_batch AND s.run_id IS NOT NULL AND s.rows ? 'metric'
             ORDER BY s.account_id, r.object, r.metric, r.day, s.page DESC, r.ord DESC),
        w AS (
            INSERT INTO socialroi.metric_daily AS m (account_id, object_id, metric, day,
                                                     day_basis, value)
            SELECT src.account_id, src.object, src.metric, src.day, src.basis, src.value FROM src
            ON CONFLICT (account_id, object_id, metric, day) DO UPDATE
               SET value = EXCLUDED.value, day_basis = EXCLUDED.day_basis
             WHERE (m.value, m.day_basis) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.day_basis)
            RETURNING m.account_id, m.object_id, m.metric, m.day)
        SELECT pg_catalog.array_agg(x.page), pg_catalog.array_agg(x.n) INTO pgs, ns
          FROM (SELECT src.page, pg_catalog.count(*)::integer AS n
                  FROM w JOIN src ON (src.account_id, src.object, src.metric, src.day)
                                   = (w.account_id, w.object_id, w.metric, w.day)
                 GROUP BY src.page) x;
        acc_pages := acc_pages || COALESCE(pgs, '{}');
        acc_ns := acc_ns || COALESCE(ns, '{}');
    END IF;
    IF 'content' = ANY (kinds) THEN
        WITH src AS MATERIALIZED (
            SELECT DISTINCT ON (s.account_id, r.id)
                   s.account_id, s.page, r.id, r.kind, r.published_at, r.url, r.title,
                   r.utm_campaign
              FROM socialroi.page_stage s,
                   ROWS FROM (pg_catalog.jsonb_to_recordset(s.rows -> 'content')
                              AS (id text, kind text, published_at timestamptz, url text,
                                  title text, utm_campaign text))
                   WITH ORDINALITY AS r(id, kind, published_at, url, title, utm_campaign, ord)
             WHERE s.batch = p_batch AND s.run_id IS NOT NULL AND s.rows ? 'content'
             ORDER BY s.account_id, r.id, s.page DESC, r.ord DESC),
        w AS (
            INSERT INTO socialroi.content AS t (account_id, content_id, kind, published_at, url,
                                                title, utm_campaign)
            SELECT src.account_id, src.id, src.kind, src.published_at, src.url, src.title,
                   src.utm_campaign FROM src
            ON CONFLICT (account_id, content_id) DO UPDATE
               SET kind = EXCLUDED.kind, published_at = EXCLUDED.published_at, url = EXCLUDED.url,
                   title = EXCLUDED.title, utm_campaign = EXCLUDED.utm_campaign
             WHERE (t.kind, t.published_at, t.url, t.title, t.utm_campaign) IS DISTINCT FROM
                   (EXCLUDED.kind, EXCLUDED.published_at, EXCLUDED.url, EXCLUDED.title,
                    EXCLUDED.utm_campaign)
            RETURNING t.account_id, t.content_id)
        SELECT pg_catalog.array_agg(x.page), pg_catalog.array_agg(x.n) INTO pgs, ns
          FROM (SELECT src.page, pg_catalog.count(*)::integer AS n
                  FROM w JOIN src ON (src.account_id, src.id) = (w.account_id, w.content_id)
                 GROUP BY src.page) x;
        acc_pages := acc_pages || COALESCE(pgs, '{}');
        acc_ns := acc_ns || COALESCE(ns, '{}');
    END IF;
    IF 'ad_daily' = ANY (kinds) THEN
        WITH src AS MATERIALIZED (
            SELECT DISTINCT ON (s.account_id, r.campaign, r.day)
                   s.account_id, s.page, r.campaign, r.day, r.basis, r.currency, r.spend_micros,
                   r.impressions, r.clicks, r.leads, r.conversions, r.conversion_value_micros
              FROM socialroi.page_stage s,
                   ROWS FROM (pg_catalog.jsonb_to_recordset(s.rows -> 'ad_daily')
                              AS (campaign text, day date, basis text, currency text,
                                  spend_micros bigint, impressions bigint, clicks bigint,
                                  leads bigint, conversions bigint,
                                  conversion_value_micros bigint))
                   WITH ORDINALITY AS r(campaign, day, basis, currency, spend_micros,
                                        impressions, clicks, leads, conversions,
                                        conversion_value_micros, ord)
             WHERE s.batch = p_batch AND s.run_id IS NOT NULL AND s.rows ? 'ad_daily'
             ORDER BY s.account_id, r.campaign, r.day, s.page DESC, r.ord DESC),
        w AS (
            INSERT INTO socialroi.ad_daily AS d (account_id, campaign_id, day, day_basis,
                                                 currency, spend_micros, impressions, clicks,
                                                 leads, conversions, conversion_value_micros)
            SELECT src.account_id, src.campaign, src.day, src.basis, src.currency,
                   src.spend_micros, src.impressions, src.clicks, src.leads, src.conversions,
                   src.conversion_value_micros FROM src
            ON CONFLICT (account_id, campaign_id, day) DO UPDATE
               SET day_basis = EXCLUDED.day_basis, currency = EXCLUDED.currency,
                   spend_micros = EXCLUDED.spend_micros, impressions = EXCLUDED.impressions,
                   clicks = EXCLUDED.clicks, leads = EXCLUDED.leads,
                   conversions = EXCLUDED.conversions,
                   conversion_value_micros = EXCLUDED.conversion_value_micros
             WHERE (d.day_basis, d.currency, d.spend_micros, d.impressions, d.clicks, d.leads,
                    d.conversions, d.conversion_value_micros) IS DISTINCT FROM
                   (EXCLUDED.day_basis, EXCLUDED.currency, EXCLUDED.spend_micros,
                    EXCLUDED.impressions, EXCLUDED.clicks, EXCLUDED.leads, EXCLUDED.conversions,
                    EXCLUDED.conversion_value_micros)
            RETURNING d.account_id, d.campaign_id, d.day)
        SELECT pg_catalog.array_agg(x.page), pg_catalog.array_agg(x.n) INTO pgs, ns
          FROM (SELECT src.page, pg_catalog.count(*)::integer AS n
                  FROM w JOIN src ON (src.account_id, src.campaign, src.day)
                                   = (w.account_id, w.campaign_id, w.day)
                 GROUP BY src.page) x;
        acc_pages := acc_pages || COALESCE(pgs, '{}');
        acc_ns := acc_ns || COALESCE(ns, '{}');
    END IF;
    IF 'mention' = ANY (kinds) THEN
        WITH src AS MATERIALIZED (
            SELECT DISTINCT ON (s.account_id, r.id)
                   s.account_id, s.page, r.id, r.query, r.author, r.text, r.posted_at,
                   r.sentiment
              FROM socialroi.page_stage s,
                   ROWS FROM (pg_catalog.jsonb_to_recordset(s.rows -> 'mention')
                              AS (id text, query text, author text, text text,
                                  posted_at timestamptz, sentiment numeric))
                   WITH ORDINALITY AS r(id, query, author, text, posted_at, sentiment, ord)
             WHERE s.batch = p_batch AND s.run_id IS NOT NULL AND s.rows ? 'mention'
             ORDER BY s.account_id, r.id, s.page DESC, r.ord DESC),
        w AS (
            INSERT INTO socialroi.mention AS m (account_id, mention_id, query, author_id, body,
                                                posted_at, sentiment)
            SELECT src.account_id, src.id, src.query, src.author, src.text, src.posted_at,
                   src.sentiment FROM src
            ON CONFLICT (account_id, mention_id) DO UPDATE
               SET query = EXCLUDED.query, author_id = EXCLUDED.author_id, body = EXCLUDED.body,
                   posted_at = EXCLUDED.posted_at, sentiment = EXCLUDED.sentiment
             WHERE (m.query, m.author_id, m.body, m.posted_at, m.sentiment) IS DISTINCT FROM
                   (EXCLUDED.query, EXCLUDED.author_id, EXCLUDED.body, EXCLUDED.posted_at,
                    EXCLUDED.sentiment)
            RETURNING m.account_id, m.mention_id)
        SELECT pg_catalog.array_agg(x.page), pg_catalog.array_agg(x.n) INTO pgs, ns
          FROM (SELECT src.page, pg_catalog.count(*)::integer AS n
                  FROM w JOIN src ON (src.account_id, src.id) = (w.account_id, w.mention_id)
                 GROUP BY src.page) x;
        acc_pages := acc_pages || COALESCE(pgs, '{}');
        acc_ns := acc_ns || COALESCE(ns, '{}');
    END IF;
    RETURN QUERY SELECT u.p, pg_catalog.sum(u.n)::integer
                   FROM ROWS FROM (pg_catalog.unnest(acc_pages), pg_catalog.unnest(acc_ns)) AS u(p, n)
                  GROUP BY u.p;
END
$$;
COMMENT ON FUNCTION socialroi.merge_stage_kinds(integer) IS
    'The metrics, content, ad days and mentions of a staged batch, one statement per kind '
    '(merge_pages); returns the rows written per page.';

-- Whether a key of the kinds merge_stage_kinds writes comes in two pages of the batch: such a
-- batch is written page by page.
CREATE FUNCTION socialroi.stage_keys_repeat(p_batch integer) RETURNS boolean
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT EXISTS (
        SELECT FROM socialroi.page_stage s,
               LATERAL (SELECT k.kind, CASE k.kind
                           WHEN 'metric' THEN pg_catalog.jsonb_build_array(e -> 'object',
                                                  e -> 'metric', e -> 'day')
                           WHEN 'ad_daily' THEN pg_catalog.jsonb_build_array(e -> 'campaign',
                                                    e -> 'day')
                           ELSE e -> 'id' END AS key
                          FROM pg_catalog.unnest(ARRAY['metric', 'content', 'ad_daily',
                                                       'mention']) AS k(kind),
                               pg_catalog.jsonb_array_elements(
                                   CASE WHEN pg_catalog.jsonb_typeof(s.rows -> k.kind) = 'array'
                                        THEN s.rows -> k.kind ELSE '[]' END) AS e) r
         WHERE s.batch = p_batch AND s.run_id IS NOT NULL
         GROUP BY s.account_id, r.kind, r.key
        HAVING pg_catalog.min(s.page) <> pg_catalog.max(s.page))
$$;
COMMENT ON FUNCTION socialroi.stage_keys_repeat(integer) IS
    'Whether a fact key comes in two staged pages of a batch (merge_pages then writes it page by page).';

-- Writes the pages this session staged in socialroi.page_stage as ingest_page called once per
-- page in their order would, and deletes them. Returns each page's fact rows written and
-- whether its lease was lost (the page was not kept; the others were).
CREATE FUNCTION socialroi.merge_pages()
RETURNS TABLE (page_no integer, written integer, lease_lost boolean)
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    b integer := pg_catalog.pg_backend_pid();
    sp record;
    v_acc integer;
    v_run bigint;
    n integer;
    counts integer[];
    lost boolean[];
    npages integer;
    rev_before bigint;
    sentinel bigint := -pg_catalog.pg_backend_pid();
    fast_kinds text[] := ARRAY['metric', 'content', 'ad_daily', 'mention'];
BEGIN
    SELECT pg_catalog.max(s.page) INTO npages FROM socialroi.page_stage s WHERE s.batch = b;
    IF npages IS NULL THEN
        RETURN;
    END IF;
    counts := pg_catalog.array_fill(0, ARRAY[npages]);
    lost := pg_catalog.array_fill(false, ARRAY[npages]);

    -- each page's lease, fetch record and job update in order, as ingest_page does them
    FOR sp IN SELECT s.page, s.job_id, s.lease_owner, s.cursor, s.run, s.final, s.next_in_s
                FROM socialroi.page_stage s WHERE s.batch = b ORDER BY s.page LOOP
        SELECT j.account_id INTO v_acc FROM socialroi.poll_job j
         WHERE j.job_id = sp.job_id AND j.lease_owner = sp.lease_owner FOR UPDATE;
        IF NOT FOUND THEN
            lost[sp.page] := true;
            CONTINUE;
        END IF;
        v_run := socialroi.record_run(sp.job_id, sp.run, 0);
        UPDATE socialroi.poll_job
           SET cursor = sp.cursor, failures = 0, last_error_class = NULL, last_error = NULL,
               last_success = CASE WHEN sp.final THEN pg_catalog.now() ELSE last_success END,
               next_due = pg_catalog.now() + pg_catalog.make_interval(secs => sp.next_in_s),
               lease_owner = CASE WHEN sp.final THEN NULL ELSE lease_owner END,
               lease_expires = CASE
                   WHEN sp.final THEN NULL
                   WHEN sp.run ? 'lease_s' THEN pg_catalog.now() + pg_catalog.make_interval(
                       secs => (sp.run ->> 'lease_s')::double precision)
                   ELSE lease_expires END
         WHERE job_id = sp.job_id;
        UPDATE socialroi.page_stage s SET account_id = v_acc, run_id = v_run
         WHERE s.batch = b AND s.page = sp.page;
    END LOOP;

    IF socialroi.stage_keys_repeat(b) THEN
        FOR sp IN SELECT s.page, s.account_id, s.run_id, s.rows FROM socialroi.page_stage s
                   WHERE s.batch = b AND s.run_id IS NOT NULL ORDER BY s.page LOOP
            PERFORM pg_catalog.set_config('socialroi.run_id', sp.run_id::text, true);
            counts[sp.page] := socialroi.upsert_facts(sp.account_id, sp.rows);
        END LOOP;
    ELSE
        -- a restated fact's revision is written with the sentinel, then given its page's
        -- fetch record
        SELECT COALESCE(pg_catalog.max(r.revision_id), 0) INTO rev_before FROM socialroi.revision r;
        PERFORM pg_catalog.set_config('socialroi.run_id', sentinel::text, true);
        FOR sp IN SELECT * FROM socialroi.merge_stage_kinds(b) LOOP
            counts[sp.page_no] := counts[sp.page_no] + sp.written;
        END LOOP;
        IF EXISTS (SELECT FROM socialroi.revision r
                    WHERE r.revision_id > rev_before AND r.run_id = sentinel) THEN
            UPDATE socialroi.revision r SET run_id = k.run_id
              FROM (SELECT 'metric_daily' AS t, s.run_id,
                           pg_catalog.jsonb_build_object('account_id', s.account_id,
                               'object_id', e ->> 'object', 'metric', e ->> 'metric',
                               'day', (e ->> 'day')::date) AS key
                      FROM socialroi.page_stage s,
                           pg_catalog.jsonb_array_elements(s.rows -> 'metric') e
                     WHERE s.batch = b AND s.run_id IS NOT NULL AND s.rows ? 'metric'
                    UNION ALL
                    SELECT 'ad_daily', s.run_id,
                           pg_catalog.jsonb_build_object('account_id', s.account_id,
                               'campaign_id', e ->> 'campaign', 'day', (e ->> 'day')::date)
                      FROM socialroi.page_stage s,
                           pg_catalog.jsonb_array_elements(s.rows -> 'ad_daily') e
                     WHERE s.batch = b AND s.run_id IS NOT NULL AND s.rows ? 'ad_daily') k
             WHERE r.revision_id > rev_before AND r.run_id = sentinel AND r.table_name = k.t
               AND r.fact_key = k.key;
        END IF;
        -- what reads what the pages before it wrote goes page by page
        FOR sp IN SELECT s.page, s.account_id, s.run_id, s.rows - fast_kinds AS rest
                    FROM socialroi.page_stage s
                   WHERE s.batch = b AND s.run_id IS NOT NULL
                     AND (s.rows - fast_kinds) <> '{}'::jsonb ORDER BY s.page LOOP
            PERFORM pg_catalog.set_config('socialroi.run_id', sp.run_id::text, true);
            counts[sp.page] := counts[sp.page] + socialroi.upsert_facts(sp.account_id, sp.rest);
        END LOOP;
    END IF;

    UPDATE socialroi.fetch_run f SET rows_written = counts[s.page]
      FROM socialroi.page_stage s
     WHERE s.batch = b AND s.run_id IS NOT NULL AND f.run_id = s.run_id;
    DELETE FROM socialroi.page_stage s WHERE s.batch = b;
    RETURN QUERY SELECT g, counts[g], lost[g] FROM pg_catalog.generate_series(1, npages) g;
END
$$;
COMMENT ON FUNCTION socialroi.merge_pages() IS
    'Writes the pages this session COPYed into socialroi.page_stage as ingest_page page by page '
    'would; returns per page the fact rows written and whether its lease was lost.';

REVOKE ALL ON FUNCTION socialroi.merge_stage_kinds(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION socialroi.stage_keys_repeat(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION socialroi.merge_pages() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.merge_stage_kinds(integer),
    socialroi.stage_keys_repeat(integer), socialroi.merge_pages() TO socialroi_daemon;
GRANT SELECT, INSERT, UPDATE, DELETE ON socialroi.page_stage TO socialroi_daemon;
