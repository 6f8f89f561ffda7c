-- staging.sql - make bench's staging section (tests/bench/staging.sh): a batch of pages
-- written by COPY into unlogged staging tables and one merge, to measure against one
-- ingest_page call per page. Loaded by the benchmark into its own databases, as the migrating
-- role; not a migration: the daemon does not write this way.
--
-- Each page costs ingest_page a transaction, a jsonb_to_recordset per record kind and a
-- statement per kind with its triggers. Here a writer COPYs the rows of N pages into
-- socialroi.ingest_stage (one COPY per record kind, its columns named as the page's JSON
-- keys), the pages' fetch records and cursors into socialroi.ingest_stage_page, and calls
-- socialroi.ingest_merge(batch) in the same transaction. The merge writes the same rows as
-- ingest_page called page by page in the batch's order: the same guarded upserts (an unchanged
-- row is not rewritten, so its triggers mark nothing), a key repeated in the batch keeps its
-- last row, a campaign's missing fields keep the value an earlier page gave, and snapshots go
-- through their series page by page. What differs: a fact restated twice in one batch leaves
-- one revision instead of two, a page's fetch record counts no rows (the batch's count is the
-- merge's result), revisions carry the batch's last fetch record, and the rollup's marks are
-- one per bucket and batch instead of one per bucket and page.
--
-- COPY is not allowed in libpq's pipeline mode, so a writer using this would need a connection
-- of its own. The staging tables are shared: each batch carries its own number and the merge
-- deletes its rows, so writer connections could stage at once.

CREATE UNLOGGED TABLE socialroi.ingest_stage_page (
    batch           bigint NOT NULL,
    page            integer NOT NULL,
    job_id          bigint NOT NULL,
    lease_owner     text NOT NULL,
    cursor          text,
    run             jsonb NOT NULL DEFAULT '{}',
    final           boolean NOT NULL DEFAULT false,
    next_in_s       double precision NOT NULL,
    PRIMARY KEY (batch, page)
);
COMMENT ON TABLE socialroi.ingest_stage_page IS
    'Pages of a batch being written by socialroi.ingest_merge (unlogged, emptied by the merge)';
COMMENT ON COLUMN socialroi.ingest_stage_page.batch IS
    'the batch, a number the writer chooses, unique among batches staged at once';
COMMENT ON COLUMN socialroi.ingest_stage_page.page IS
    'the page''s place in the batch: pages are merged in this order';
COMMENT ON COLUMN socialroi.ingest_stage_page.job_id IS 'the job the page was fetched for';
COMMENT ON COLUMN socialroi.ingest_stage_page.lease_owner IS
    'the daemon holding the job''s lease (checked as ingest_page checks it)';
COMMENT ON COLUMN socialroi.ingest_stage_page.cursor IS
    'the job''s cursor after this page (ingest_page''s p_cursor)';
COMMENT ON COLUMN socialroi.ingest_stage_page.run IS
    'the fetch record (ingest_page''s p_run)';
COMMENT ON COLUMN socialroi.ingest_stage_page.final IS
    'the last page of its run: the lease is given back (ingest_page''s p_final)';
COMMENT ON COLUMN socialroi.ingest_stage_page.next_in_s IS
    'seconds until the job is due again (ingest_page''s p_next_in_s)';

-- One row of any record kind; the columns are the keys of the page's JSON arrays
-- (upsert_facts), so a kind's COPY names the columns its records have.
CREATE UNLOGGED TABLE socialroi.ingest_stage (
    batch           bigint NOT NULL,
    page            integer NOT NULL,
    ord             integer NOT NULL,
    rec             text NOT NULL CHECK (rec IN ('metric', 'snapshot', 'content', 'campaign',
                                                 'ad_daily', 'lead', 'touchpoint', 'deal',
                                                 'mention', 'stage', 'deal_contact')),
    object          text,
    metric          text,
    day             date,
    basis           text,
    value           bigint,
    observed_at     timestamptz,
    id              text,
    kind            text,
    published_at    timestamptz,
    url             text,
    title           text,
    utm_campaign    text,
    name            text,
    status          text,
    objective       text,
    campaign        text,
    currency        text,
    spend_micros    bigint,
    impressions     bigint,
    clicks          bigint,
    leads           bigint,
    conversions     bigint,
    conversion_value_micros bigint,
    source          text,
    created_at      timestamptz,
    email_hash      text,
    form            text,
    ad              text,
    lifecycle_stage text,
    is_test         boolean,
    lead            text,
    occurred_at     timestamptz,
    platform        text,
    utm_source      text,
    utm_medium      text,
    utm_content     text,
    amount_micros   bigint,
    stage           text,
    pipeline        text,
    is_won          boolean,
    is_closed       boolean,
    closed_at       timestamptz,
    contacts        text[],
    query           text,
    author          text,
    text            text,
    posted_at       timestamptz,
    sentiment       numeric,
    followers       bigint,
    label           text,
    deal            text,
    contact         text
);
-- Each statement of the merge reads one kind of one batch; the merge deletes the batch's rows,
-- and until vacuum comes by, a scan of the table would read every batch deleted before it.
CREATE INDEX ingest_stage_batch_idx ON socialroi.ingest_stage (batch, rec);
COMMENT ON TABLE socialroi.ingest_stage IS
    'Records of a batch of pages being written by socialroi.ingest_merge (unlogged, emptied by '
    'the merge); the columns are the keys of the pages'' JSON records';
COMMENT ON COLUMN socialroi.ingest_stage.batch IS 'the batch (socialroi.ingest_stage_page)';
COMMENT ON COLUMN socialroi.ingest_stage.page IS 'the page of the batch the record came in';
COMMENT ON COLUMN socialroi.ingest_stage.ord IS
    'the record''s order in the batch: of two records with one key the later one is kept';
COMMENT ON COLUMN socialroi.ingest_stage.rec IS
    'the record kind: the key of the page''s JSON array it came from';
DO $$
DECLARE
    c text;
BEGIN
    FOR c IN SELECT a.attname FROM pg_catalog.pg_attribute a
              WHERE a.attrelid = 'socialroi.ingest_stage'::regclass AND a.attnum > 0
                AND a.attname NOT IN ('batch', 'page', 'ord', 'rec') LOOP
        EXECUTE format('COMMENT ON COLUMN socialroi.ingest_stage.%I IS %L', c,
                       format('the record''s "%s" (upsert_facts reads the same key)', c));
    END LOOP;
END
$$;

-- The snapshots of one staged page, as upsert_snapshots writes a page's: a value equal to the
-- latest stored one at or before its time only moves that row's last_seen.
CREATE FUNCTION socialroi.merge_stage_snapshots(p_batch bigint, p_page integer, acc integer)
RETURNS integer LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    c integer;
BEGIN
    WITH r AS (
        SELECT DISTINCT ON (s.object, s.metric, s.observed_at)
               s.object, s.metric, s.observed_at, s.value
          FROM socialroi.ingest_stage s
         WHERE s.batch = p_batch AND s.page = p_page AND s.rec = 'snapshot'
         ORDER BY s.object, s.metric, s.observed_at, s.ord DESC),
    prev AS (
        SELECT r.*, p.observed_at AS prev_at, p.value AS prev_value
          FROM r LEFT JOIN LATERAL (
                   SELECT s.observed_at, s.value FROM socialroi.metric_snapshot s
                    WHERE s.account_id = acc AND s.object_id = r.object AND s.metric = r.metric
                      AND s.observed_at <= r.observed_at
                    ORDER BY s.observed_at DESC LIMIT 1) p ON true),
    seen AS (
        UPDATE socialroi.metric_snapshot s
           SET last_seen = GREATEST(s.last_seen, prev.observed_at)
          FROM prev
         WHERE prev.prev_value = prev.value AND prev.prev_at < prev.observed_at
           AND (s.account_id, s.object_id, s.metric, s.observed_at) =
               (acc, prev.object, prev.metric, prev.prev_at))
    INSERT INTO socialroi.metric_snapshot AS s (account_id, object_id, metric, observed_at, value)
    SELECT acc, prev.object, prev.metric, prev.observed_at, prev.value
      FROM prev WHERE prev.prev_value IS DISTINCT FROM prev.value
    ON CONFLICT (account_id, object_id, metric, observed_at) DO UPDATE
       SET value = EXCLUDED.value WHERE s.value IS DISTINCT FROM EXCLUDED.value;
    GET DIAGNOSTICS c = ROW_COUNT;
    RETURN c;
END
$$;
COMMENT ON FUNCTION socialroi.merge_stage_snapshots(bigint, integer, integer) IS
    'The snapshots of one staged page written as upsert_snapshots writes them (ingest_merge).';

-- The facts of a staged batch, kind by kind in upsert_facts' order; returns the rows written.
-- A batch's records are sorted to keep the last of each key: with the default work_mem the
-- sort of a batch of 200 large pages (100,000 records) went to disk.
CREATE FUNCTION socialroi.merge_stage_facts(p_batch bigint) RETURNS integer
LANGUAGE plpgsql SET search_path = '' SET work_mem = '64MB' AS $$
DECLARE
    n integer := 0;
    c integer;
    pg record;
    kinds text[];
    accs integer[];
    acc integer;
BEGIN
    -- a kind's statements run only when the batch has records of it; a record's account is
    -- its page's job's
    SELECT pg_catalog.array_agg(DISTINCT s.rec) INTO kinds
      FROM socialroi.ingest_stage s WHERE s.batch = p_batch;
    IF kinds IS NULL THEN
        RETURN 0;
    END IF;
    IF 'metric' = ANY (kinds) THEN
        INSERT INTO socialroi.metric_daily AS m (account_id, object_id, metric, day, day_basis, value)
        SELECT DISTINCT ON (p.account_id, s.object, s.metric, s.day) p.account_id, s.object, s.metric, s.day,
               s.basis, s.value
          FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id)
         WHERE s.batch = p_batch AND s.rec = 'metric'
         ORDER BY p.account_id, s.object, s.metric, s.day, s.ord DESC
        ON CONFLICT (account_id, object_id, metric, day) DO UPDATE
           SET value = EXCLUDED.value, day_basis = EXCLUDED.day_basis
         WHERE (m.value, m.day_basis) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.day_basis);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF 'snapshot' = ANY (kinds) THEN
        -- page by page: a page's observations compare with the series as the pages before
        -- it left it
        FOR pg IN SELECT DISTINCT s.page, p.account_id AS acc FROM socialroi.ingest_stage s
                    JOIN socialroi.ingest_stage_page sp USING (batch, page)
               JOIN socialroi.poll_job p USING (job_id)
                   WHERE s.batch = p_batch AND s.rec = 'snapshot' ORDER BY s.page LOOP
            n := n + socialroi.merge_stage_snapshots(p_batch, pg.page, pg.acc);
        END LOOP;
    END IF;
    IF 'content' = ANY (kinds) THEN
        INSERT INTO socialroi.content AS t (account_id, content_id, kind, published_at, url, title,
                                            utm_campaign)
        SELECT DISTINCT ON (p.account_id, s.id) p.account_id, s.id, s.kind, s.published_at, s.url, s.title,
               s.utm_campaign
          FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id)
         WHERE s.batch = p_batch AND s.rec = 'content'
         ORDER BY p.account_id, s.id, s.ord DESC
        ON CONFLICT (account_id, content_id) DO UPDATE
           SET kind = EXCLUDED.kind, published_at = EXCLUDED.published_at, url = EXCLUDED.url,
               title = EXCLUDED.title, utm_campaign = EXCLUDED.utm_campaign
         WHERE (t.kind, t.published_at, t.url, t.title, t.utm_campaign) IS DISTINCT FROM
               (EXCLUDED.kind, EXCLUDED.published_at, EXCLUDED.url, EXCLUDED.title,
                EXCLUDED.utm_campaign);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF 'campaign' = ANY (kinds) THEN
        -- a page keeps its last record of a campaign; a field that record lacks keeps what an
        -- earlier page (or the table) had, as the COALESCE of page after page does
        INSERT INTO socialroi.ad_campaign AS t (account_id, campaign_id, name, status, objective)
        SELECT l.account, l.id,
               (pg_catalog.array_agg(l.name ORDER BY l.ord DESC)
                    FILTER (WHERE l.name IS NOT NULL))[1],
               (pg_catalog.array_agg(l.status ORDER BY l.ord DESC)
                    FILTER (WHERE l.status IS NOT NULL))[1],
               (pg_catalog.array_agg(l.objective ORDER BY l.ord DESC)
                    FILTER (WHERE l.objective IS NOT NULL))[1]
          FROM (SELECT DISTINCT ON (p.account_id, s.id, s.page) p.account_id AS account, s.id,
                       s.name, s.status, s.objective, s.ord
                  FROM socialroi.ingest_stage s
                  JOIN socialroi.ingest_stage_page sp USING (batch, page)
                  JOIN socialroi.poll_job p USING (job_id)
                 WHERE s.batch = p_batch AND s.rec = 'campaign'
                 ORDER BY p.account_id, s.id, s.page, s.ord DESC) l
         GROUP BY l.account, l.id
        ON CONFLICT (account_id, campaign_id) DO UPDATE
           SET name = COALESCE(EXCLUDED.name, t.name),
               status = COALESCE(EXCLUDED.status, t.status),
               objective = COALESCE(EXCLUDED.objective, t.objective)
         WHERE (t.name, t.status, t.objective) IS DISTINCT FROM
               (COALESCE(EXCLUDED.name, t.name), COALESCE(EXCLUDED.status, t.status),
                COALESCE(EXCLUDED.objective, t.objective));
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF 'ad_daily' = ANY (kinds) THEN
        INSERT INTO socialroi.ad_daily AS d (account_id, campaign_id, day, day_basis, currency,
                                             spend_micros, impressions, clicks, leads, conversions,
                                             conversion_value_micros)
        SELECT DISTINCT ON (p.account_id, s.campaign, s.day) p.account_id, s.campaign, s.day, s.basis,
               s.currency, s.spend_micros, s.impressions, s.clicks, s.leads, s.conversions,
               s.conversion_value_micros
          FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id)
         WHERE s.batch = p_batch AND s.rec = 'ad_daily'
         ORDER BY p.account_id, s.campaign, s.day, s.ord DESC
        ON CONFLICT (account_id, campaign_id, day) DO UPDATE
           SET day_basis = EXCLUDED.day_basis, currency = EXCLUDED.currency,
               spend_micros = EXCLUDED.spend_micros, impressions = EXCLUDED.impressions,
               clicks = EXCLUDED.clicks, leads = EXCLUDED.leads, conversions = EXCLUDED.conversions,
               conversion_value_micros = EXCLUDED.conversion_value_micros
         WHERE (d.day_basis, d.currency, d.spend_micros, d.impressions, d.clicks, d.leads,
                d.conversions, d.conversion_value_micros) IS DISTINCT FROM
               (EXCLUDED.day_basis, EXCLUDED.currency, EXCLUDED.spend_micros, EXCLUDED.impressions,
                EXCLUDED.clicks, EXCLUDED.leads, EXCLUDED.conversions,
                EXCLUDED.conversion_value_micros);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF 'lead' = ANY (kinds) THEN
        INSERT INTO socialroi.lead AS l (account_id, lead_id, source, created_at, email_hash, form_id,
                                         campaign_id, ad_id, lifecycle_stage, is_test)
        SELECT DISTINCT ON (p.account_id, s.id) p.account_id, s.id, s.source, s.created_at, s.email_hash, s.form,
               s.campaign, s.ad, s.lifecycle_stage, s.is_test
          FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id)
         WHERE s.batch = p_batch AND s.rec = 'lead'
         ORDER BY p.account_id, s.id, s.ord DESC
        ON CONFLICT (account_id, lead_id) DO UPDATE
           SET source = EXCLUDED.source, created_at = EXCLUDED.created_at,
               email_hash = EXCLUDED.email_hash, form_id = EXCLUDED.form_id,
               campaign_id = EXCLUDED.campaign_id, ad_id = EXCLUDED.ad_id,
               lifecycle_stage = EXCLUDED.lifecycle_stage, is_test = EXCLUDED.is_test
         WHERE (l.source, l.created_at, l.email_hash, l.form_id, l.campaign_id, l.ad_id,
                l.lifecycle_stage, l.is_test) IS DISTINCT FROM
               (EXCLUDED.source, EXCLUDED.created_at, EXCLUDED.email_hash, EXCLUDED.form_id,
                EXCLUDED.campaign_id, EXCLUDED.ad_id, EXCLUDED.lifecycle_stage, EXCLUDED.is_test);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF 'touchpoint' = ANY (kinds) THEN
        INSERT INTO socialroi.touchpoint AS t (account_id, touch_id, lead_id, kind, occurred_at,
                                               platform, campaign_id, utm_source, utm_medium,
                                               utm_campaign, utm_content)
        SELECT DISTINCT ON (p.account_id, s.id) p.account_id, s.id, s.lead, s.kind, s.occurred_at, s.platform,
               s.campaign, s.utm_source, s.utm_medium, s.utm_campaign, s.utm_content
          FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id)
         WHERE s.batch = p_batch AND s.rec = 'touchpoint'
         ORDER BY p.account_id, s.id, s.ord DESC
        ON CONFLICT (account_id, touch_id) DO UPDATE
           SET lead_id = EXCLUDED.lead_id, kind = EXCLUDED.kind, occurred_at = EXCLUDED.occurred_at,
               platform = EXCLUDED.platform, campaign_id = EXCLUDED.campaign_id,
               utm_source = EXCLUDED.utm_source, utm_medium = EXCLUDED.utm_medium,
               utm_campaign = EXCLUDED.utm_campaign, utm_content = EXCLUDED.utm_content
         WHERE (t.lead_id, t.kind, t.occurred_at, t.platform, t.campaign_id, t.utm_source,
                t.utm_medium, t.utm_campaign, t.utm_content) IS DISTINCT FROM
               (EXCLUDED.lead_id, EXCLUDED.kind, EXCLUDED.occurred_at, EXCLUDED.platform,
                EXCLUDED.campaign_id, EXCLUDED.utm_source, EXCLUDED.utm_medium,
                EXCLUDED.utm_campaign, EXCLUDED.utm_content);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF 'deal' = ANY (kinds) THEN
        INSERT INTO socialroi.deal AS d (account_id, deal_id, amount_micros, currency, stage, pipeline,
                                         is_won, is_closed, created_at, closed_at)
        SELECT DISTINCT ON (p.account_id, s.id) p.account_id, s.id, s.amount_micros, s.currency, s.stage,
               s.pipeline, s.is_won, s.is_closed, s.created_at, s.closed_at
          FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id)
         WHERE s.batch = p_batch AND s.rec = 'deal'
         ORDER BY p.account_id, s.id, s.ord DESC
        ON CONFLICT (account_id, deal_id) DO UPDATE
           SET amount_micros = EXCLUDED.amount_micros, currency = EXCLUDED.currency,
               stage = EXCLUDED.stage, pipeline = EXCLUDED.pipeline, is_won = EXCLUDED.is_won,
               is_closed = EXCLUDED.is_closed, created_at = EXCLUDED.created_at,
               closed_at = EXCLUDED.closed_at
         WHERE (d.amount_micros, d.currency, d.stage, d.pipeline, d.is_won, d.is_closed,
                d.created_at, d.closed_at) IS DISTINCT FROM
               (EXCLUDED.amount_micros, EXCLUDED.currency, EXCLUDED.stage, EXCLUDED.pipeline,
                EXCLUDED.is_won, EXCLUDED.is_closed, EXCLUDED.created_at, EXCLUDED.closed_at);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
        INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
        SELECT DISTINCT p.account_id, s.id, x
          FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id),
               pg_catalog.unnest(s.contacts) AS x
         WHERE s.batch = p_batch AND s.rec = 'deal'
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF 'mention' = ANY (kinds) THEN
        INSERT INTO socialroi.mention AS m (account_id, mention_id, query, author_id, body,
                                            posted_at, sentiment, author_followers)
        SELECT DISTINCT ON (p.account_id, s.id) p.account_id, s.id, s.query, s.author, s.text, s.posted_at,
               s.sentiment, s.followers
          FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id)
         WHERE s.batch = p_batch AND s.rec = 'mention'
         ORDER BY p.account_id, s.id, s.ord DESC
        ON CONFLICT (account_id, mention_id) DO UPDATE
           SET query = EXCLUDED.query, author_id = EXCLUDED.author_id, body = EXCLUDED.body,
               posted_at = EXCLUDED.posted_at, sentiment = EXCLUDED.sentiment,
               author_followers = COALESCE(EXCLUDED.author_followers, m.author_followers)
         WHERE (m.query, m.author_id, m.body, m.posted_at, m.sentiment, m.author_followers)
               IS DISTINCT FROM
               (EXCLUDED.query, EXCLUDED.author_id, EXCLUDED.body, EXCLUDED.posted_at,
                EXCLUDED.sentiment, COALESCE(EXCLUDED.author_followers, m.author_followers));
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF 'stage' = ANY (kinds) THEN
        WITH w AS (
            INSERT INTO socialroi.deal_stage AS t (account_id, pipeline, stage, label, is_won,
                                                   is_closed)
            SELECT DISTINCT ON (p.account_id, s.pipeline, s.stage) p.account_id, s.pipeline,
                   s.stage, s.label, s.is_won, s.is_closed
              FROM socialroi.ingest_stage s JOIN socialroi.ingest_stage_page sp USING (batch, page)
                   JOIN socialroi.poll_job p USING (job_id)
             WHERE s.batch = p_batch AND s.rec = 'stage'
             ORDER BY p.account_id, s.pipeline, s.stage, s.ord DESC
            ON CONFLICT (account_id, pipeline, stage) DO UPDATE
               SET label = EXCLUDED.label, is_won = EXCLUDED.is_won, is_closed = EXCLUDED.is_closed
             WHERE (t.label, t.is_won, t.is_closed) IS DISTINCT FROM
                   (EXCLUDED.label, EXCLUDED.is_won, EXCLUDED.is_closed)
            RETURNING t.account_id)
        SELECT pg_catalog.count(*), pg_catalog.array_agg(DISTINCT w.account_id) INTO c, accs FROM w;
        n := n + c;
        -- the definitions of these accounts changed: every deal of theirs takes them
        FOREACH acc IN ARRAY COALESCE(accs, '{}') LOOP
            n := n + socialroi.apply_deal_stages(acc, NULL);
        END LOOP;
    END IF;
    IF 'deal_contact' = ANY (kinds) THEN
        INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
        SELECT DISTINCT p.account_id, s.deal, s.contact
          FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id)
         WHERE s.batch = p_batch AND s.rec = 'deal_contact'
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF 'deal' = ANY (kinds) THEN
        FOR pg IN SELECT p.account_id AS acc, pg_catalog.array_agg(DISTINCT s.id) AS deals
                    FROM socialroi.ingest_stage s
          JOIN socialroi.ingest_stage_page sp USING (batch, page)
          JOIN socialroi.poll_job p USING (job_id)
                   WHERE s.batch = p_batch AND s.rec = 'deal' GROUP BY p.account_id LOOP
            n := n + socialroi.apply_deal_stages(pg.acc, pg.deals);
        END LOOP;
    END IF;
    RETURN n;
END
$$;
COMMENT ON FUNCTION socialroi.merge_stage_facts(bigint) IS
    'The staged records of a batch upserted as upsert_facts would page by page (ingest_merge).';

-- Writes a staged batch: the leases of its jobs, a fetch record per page, the facts, each job's
-- cursor and schedule from its last page; then empties the batch's staging rows. Returns the
-- fact rows written. Raises SR001 (as ingest_page) when a job's lease is not the page's owner's.
CREATE FUNCTION socialroi.ingest_merge(p_batch bigint) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    lost bigint;
    last_run bigint;
    n integer;
BEGIN
    PERFORM FROM socialroi.poll_job j
     WHERE j.job_id IN (SELECT p.job_id FROM socialroi.ingest_stage_page p WHERE p.batch = p_batch)
       FOR UPDATE;
    SELECT p.job_id INTO lost
      FROM socialroi.ingest_stage_page p
      LEFT JOIN socialroi.poll_job j ON j.job_id = p.job_id AND j.lease_owner = p.lease_owner
     WHERE p.batch = p_batch AND j.job_id IS NULL LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'lease on job % lost', lost USING ERRCODE = 'SR001';
    END IF;

    WITH runs AS (
        INSERT INTO socialroi.fetch_run (job_id, started_at, window_from, window_to, pages,
                                         rows_written, http_status, outcome, error_class, error)
        SELECT p.job_id, COALESCE(pg_catalog.to_timestamp((p.run ->> 'started_at')::float8),
                                  pg_catalog.now()),
               (p.run ->> 'window_from')::date, (p.run ->> 'window_to')::date,
               COALESCE((p.run ->> 'pages')::integer, 1), 0, (p.run ->> 'http_status')::integer,
               p.run ->> 'outcome', p.run ->> 'error_class', p.run ->> 'error'
          FROM socialroi.ingest_stage_page p WHERE p.batch = p_batch ORDER BY p.page
        RETURNING run_id)
    SELECT pg_catalog.max(run_id) INTO last_run FROM runs;
    PERFORM pg_catalog.set_config('socialroi.run_id', last_run::text, true);

    n := socialroi.merge_stage_facts(p_batch);

    UPDATE socialroi.poll_job j
       SET cursor = p.cursor, failures = 0, last_error_class = NULL, last_error = NULL,
           last_success = CASE WHEN p.final THEN pg_catalog.now() ELSE j.last_success END,
           next_due = pg_catalog.now() + pg_catalog.make_interval(secs => p.next_in_s),
           lease_owner = CASE WHEN p.final THEN NULL ELSE j.lease_owner END,
           lease_expires = CASE
               WHEN p.final THEN NULL
               WHEN p.run ? 'lease_s' THEN pg_catalog.now() + pg_catalog.make_interval(
                   secs => (p.run ->> 'lease_s')::double precision)
               ELSE j.lease_expires END
      FROM (SELECT DISTINCT ON (s.job_id) s.* FROM socialroi.ingest_stage_page s
             WHERE s.batch = p_batch ORDER BY s.job_id, s.page DESC) p
     WHERE j.job_id = p.job_id;

    DELETE FROM socialroi.ingest_stage WHERE batch = p_batch;
    DELETE FROM socialroi.ingest_stage_page WHERE batch = p_batch;
    RETURN n;
END
$$;
COMMENT ON FUNCTION socialroi.ingest_merge(bigint) IS
    'Writes a batch of pages COPYed into socialroi.ingest_stage and ingest_stage_page, as '
    'ingest_page would page by page; returns the fact rows written.';

REVOKE ALL ON FUNCTION socialroi.merge_stage_snapshots(bigint, integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION socialroi.merge_stage_facts(bigint) FROM PUBLIC;
REVOKE ALL ON FUNCTION socialroi.ingest_merge(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.merge_stage_snapshots(bigint, integer, integer),
    socialroi.merge_stage_facts(bigint), socialroi.ingest_merge(bigint) TO socialroi_daemon;
GRANT SELECT, INSERT, UPDATE, DELETE ON socialroi.ingest_stage, socialroi.ingest_stage_page
    TO socialroi_daemon;
