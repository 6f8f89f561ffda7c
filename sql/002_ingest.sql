-- 002_ingest.sql: how the daemon writes. Accounts and jobs are synced from the config, a job
-- is leased before it is fetched, and each fetched page is written by one call that upserts
-- its facts, saves the job's cursor and records the fetch, all in the caller's transaction.
--
-- Upserts leave a row untouched when nothing changed (the WHERE ... IS DISTINCT FROM clause):
-- a re-fetch of unchanged data writes nothing, and every real change of a fact already stored
-- (a platform restating a day) leaves its previous value in socialroi.revision.

ALTER TABLE socialroi.poll_job ADD COLUMN backfill interval NOT NULL DEFAULT '30 days';
ALTER TABLE socialroi.poll_job ADD COLUMN enabled boolean NOT NULL DEFAULT true;
ALTER TABLE socialroi.account ADD COLUMN enabled boolean NOT NULL DEFAULT true;
-- Fingerprint (SHA-256) of the access token that was refused: an operator who puts a new token
-- in the credentials file brings a needs_reauth account back without touching the database.
ALTER TABLE socialroi.account ADD COLUMN reauth_token_hash text;

-- ---- revisions ----------------------------------------------------------------------------

CREATE FUNCTION socialroi.keep_revision() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    k jsonb;
BEGIN
    SELECT pg_catalog.jsonb_object_agg(c, pg_catalog.to_jsonb(NEW) -> c)
      INTO k FROM pg_catalog.unnest(TG_ARGV) AS c;
    INSERT INTO socialroi.revision (table_name, fact_key, old_value, new_value, run_id)
    VALUES (TG_TABLE_NAME, k, pg_catalog.to_jsonb(OLD), pg_catalog.to_jsonb(NEW),
            NULLIF(pg_catalog.current_setting('socialroi.run_id', true), '')::bigint);
    RETURN NULL;
END
$$;

CREATE TRIGGER metric_daily_revision AFTER UPDATE ON socialroi.metric_daily
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION socialroi.keep_revision('account_id', 'object_id', 'metric', 'day');
CREATE TRIGGER ad_daily_revision AFTER UPDATE ON socialroi.ad_daily
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION socialroi.keep_revision('account_id', 'campaign_id', 'day');
CREATE TRIGGER deal_revision AFTER UPDATE ON socialroi.deal
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION socialroi.keep_revision('account_id', 'deal_id');

-- ---- accounts and jobs from the config ----------------------------------------------------

-- Creates or updates an account; returns its id. An account marked needs_reauth comes back
-- to ok when its credential's access token is no longer the one that was refused.
CREATE FUNCTION socialroi.sync_account(p_name text, p_platform text, p_external_id text,
                                       p_currency text, p_timezone text, p_enabled boolean,
                                       p_token_hash text)
RETURNS integer LANGUAGE sql SET search_path = '' AS $$
    INSERT INTO socialroi.account AS a (name, platform, external_id, currency, timezone, enabled)
    VALUES (p_name, p_platform, p_external_id, NULLIF(p_currency, ''),
            NULLIF(p_timezone, ''), p_enabled)
    ON CONFLICT (name) DO UPDATE
       SET platform = EXCLUDED.platform, external_id = EXCLUDED.external_id,
           currency = EXCLUDED.currency, timezone = EXCLUDED.timezone,
           enabled = EXCLUDED.enabled, updated_at = pg_catalog.now(),
           state = CASE WHEN a.state = 'needs_reauth'
                         AND a.reauth_token_hash IS DISTINCT FROM p_token_hash
                        THEN 'ok' ELSE a.state END,
           state_reason = CASE WHEN a.state = 'needs_reauth'
                                AND a.reauth_token_hash IS DISTINCT FROM p_token_hash
                               THEN NULL ELSE a.state_reason END
     WHERE (a.platform, a.external_id, a.currency, a.timezone, a.enabled)
           IS DISTINCT FROM (EXCLUDED.platform, EXCLUDED.external_id, EXCLUDED.currency,
                             EXCLUDED.timezone, EXCLUDED.enabled)
        OR (a.state = 'needs_reauth' AND a.reauth_token_hash IS DISTINCT FROM p_token_hash)
    RETURNING account_id
$$;

-- Accounts no longer in the config are disabled, never deleted: their history stays.
CREATE FUNCTION socialroi.disable_accounts_except(p_names text[]) RETURNS void
LANGUAGE sql SET search_path = '' AS $$
    UPDATE socialroi.account SET enabled = false, updated_at = pg_catalog.now()
     WHERE name <> ALL (p_names) AND enabled
$$;

CREATE FUNCTION socialroi.account_id(p_name text) RETURNS integer
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT account_id FROM socialroi.account WHERE name = p_name
$$;

-- Creates or updates the job of (account, stream); returns what the scheduler needs, with
-- next_due as seconds from now (negative when overdue) so no clock is compared across hosts.
CREATE FUNCTION socialroi.sync_job(p_account text, p_stream text, p_interval_ms bigint,
                                   p_lookback_ms bigint, p_backfill_ms bigint)
RETURNS TABLE (job_id bigint, due_in_s double precision, failures integer, account_state text)
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    acc integer := socialroi.account_id(p_account);
BEGIN
    INSERT INTO socialroi.poll_job AS j (account_id, stream, poll_interval, lookback, backfill)
    VALUES (acc, p_stream, pg_catalog.make_interval(secs => p_interval_ms / 1000.0),
            pg_catalog.make_interval(secs => p_lookback_ms / 1000.0),
            pg_catalog.make_interval(secs => p_backfill_ms / 1000.0))
    ON CONFLICT (account_id, stream) DO UPDATE
       SET poll_interval = EXCLUDED.poll_interval, lookback = EXCLUDED.lookback,
           backfill = EXCLUDED.backfill, enabled = true
     WHERE (j.poll_interval, j.lookback, j.backfill, j.enabled)
           IS DISTINCT FROM (EXCLUDED.poll_interval, EXCLUDED.lookback, EXCLUDED.backfill, true);
    RETURN QUERY
    SELECT j.job_id, pg_catalog.date_part('epoch', j.next_due - pg_catalog.now())::float8,
           j.failures, a.state
      FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id)
     WHERE j.account_id = acc AND j.stream = p_stream;
END
$$;

-- Jobs of streams no longer configured stop; their history stays.
CREATE FUNCTION socialroi.disable_jobs_except(p_account text, p_streams text[])
RETURNS void LANGUAGE sql SET search_path = '' AS $$
    UPDATE socialroi.poll_job SET enabled = false
     WHERE account_id = socialroi.account_id(p_account)
       AND stream <> ALL (p_streams) AND enabled
$$;

-- ---- leases -------------------------------------------------------------------------------

-- Takes the job for p_owner when it is due (or p_force) and not leased by a live owner.
-- Several daemons may share a database: exactly one gets each run of a job.
CREATE FUNCTION socialroi.claim_job(p_job bigint, p_owner text, p_lease_s integer,
                                    p_force boolean)
RETURNS TABLE (claimed boolean, job_cursor text, due_in_s double precision,
               account_state text, failures integer)
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    RETURN QUERY
    UPDATE socialroi.poll_job j
       SET lease_owner = p_owner,
           lease_expires = pg_catalog.now() + pg_catalog.make_interval(secs => p_lease_s),
           last_attempt = pg_catalog.now()
      FROM socialroi.account a
     WHERE j.job_id = p_job AND a.account_id = j.account_id AND a.state = 'ok' AND j.enabled
       AND (j.lease_owner IS NULL OR j.lease_owner = p_owner
            OR j.lease_expires < pg_catalog.now())
       AND (p_force OR j.lease_owner = p_owner OR j.next_due <= pg_catalog.now() + '1 second')
    RETURNING true, j.cursor, 0::float8, a.state, j.failures;
    IF NOT FOUND THEN
        RETURN QUERY
        SELECT false, j.cursor,
               pg_catalog.date_part('epoch', GREATEST(j.next_due,
                   COALESCE(j.lease_expires, j.next_due)) - pg_catalog.now())::float8,
               a.state, j.failures
          FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id)
         WHERE j.job_id = p_job;
    END IF;
END
$$;

-- Gives a lease back without a result (shutdown, a request that could not be built).
CREATE FUNCTION socialroi.release_job(p_job bigint, p_owner text) RETURNS void
LANGUAGE sql SET search_path = '' AS $$
    UPDATE socialroi.poll_job SET lease_owner = NULL, lease_expires = NULL
     WHERE job_id = p_job AND lease_owner = p_owner
$$;

-- ---- writing a page -----------------------------------------------------------------------

CREATE FUNCTION socialroi.record_run(p_job bigint, p_run jsonb, p_rows integer)
RETURNS bigint LANGUAGE sql SET search_path = '' AS $$
    INSERT INTO socialroi.fetch_run (job_id, started_at, window_from, window_to, pages,
                                     rows_written, http_status, outcome, error_class, error)
    VALUES (p_job, COALESCE(pg_catalog.to_timestamp((p_run ->> 'started_at')::float8),
                            pg_catalog.now()),
            (p_run ->> 'window_from')::date, (p_run ->> 'window_to')::date,
            COALESCE((p_run ->> 'pages')::integer, 1), p_rows,
            (p_run ->> 'http_status')::integer, p_run ->> 'outcome',
            p_run ->> 'error_class', p_run ->> 'error')
    RETURNING run_id
$$;

CREATE FUNCTION socialroi.upsert_ads(acc integer, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    n integer := 0;
    c integer;
BEGIN
    INSERT INTO socialroi.ad_campaign AS t (account_id, campaign_id, name, status, objective)
    SELECT DISTINCT ON (r.id) acc, r.id, r.name, r.status, r.objective
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'campaign')
                      AS (id text, name text, status text, objective text))
           WITH ORDINALITY AS r(id, name, status, objective, ord)
     ORDER BY r.id, r.ord DESC
    ON CONFLICT (account_id, campaign_id) DO UPDATE
       SET name = COALESCE(EXCLUDED.name, t.name),
           status = COALESCE(EXCLUDED.status, t.status),
           objective = COALESCE(EXCLUDED.objective, t.objective)
     WHERE (t.name, t.status, t.objective) IS DISTINCT FROM
           (COALESCE(EXCLUDED.name, t.name), COALESCE(EXCLUDED.status, t.status),
            COALESCE(EXCLUDED.objective, t.objective));
    GET DIAGNOSTICS c = ROW_COUNT;
    n := n + c;

    INSERT INTO socialroi.ad_daily AS d (account_id, campaign_id, day, day_basis, currency,
                                         spend_micros, impressions, clicks, leads, conversions,
                                         conversion_value_micros)
    SELECT DISTINCT ON (r.campaign, r.day) acc, r.campaign, r.day, r.basis, r.currency,
           r.spend_micros, r.impressions, r.clicks, r.leads, r.conversions,
           r.conversion_value_micros
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'ad_daily')
                      AS (campaign text, day date, basis text, currency text,
                          spend_micros bigint, impressions bigint, clicks bigint, leads bigint,
                          conversions bigint, conversion_value_micros bigint))
           WITH ORDINALITY AS r(campaign, day, basis, currency, spend_micros, impressions, clicks,
                                leads, conversions, conversion_value_micros, ord)
     ORDER BY r.campaign, r.day, r.ord DESC
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
    RETURN n + c;
END
$$;

CREATE FUNCTION socialroi.upsert_people(acc integer, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    n integer := 0;
    c integer;
BEGIN
    INSERT INTO socialroi.lead AS l (account_id, lead_id, source, created_at, email_hash, form_id,
                                     campaign_id, ad_id, lifecycle_stage, is_test)
    SELECT DISTINCT ON (r.id) acc, r.id, r.source, r.created_at, r.email_hash, r.form, r.campaign,
           r.ad, r.lifecycle_stage, r.is_test
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'lead')
                      AS (id text, source text, created_at timestamptz, email_hash text,
                          form text, campaign text, ad text, lifecycle_stage text,
                          is_test boolean))
           WITH ORDINALITY AS r(id, source, created_at, email_hash, form, campaign, ad,
                                lifecycle_stage, is_test, ord)
     ORDER BY r.id, r.ord DESC
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

    INSERT INTO socialroi.touchpoint AS t (account_id, touch_id, lead_id, kind, occurred_at,
                                           platform, campaign_id, utm_source, utm_medium,
                                           utm_campaign, utm_content)
    SELECT DISTINCT ON (r.id) acc, r.id, r.lead, r.kind, r.occurred_at, r.platform, r.campaign,
           r.utm_source, r.utm_medium, r.utm_campaign, r.utm_content
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'touchpoint')
                      AS (id text, lead text, kind text, occurred_at timestamptz, platform text,
                          campaign text, utm_source text, utm_medium text, utm_campaign text,
                          utm_content text))
           WITH ORDINALITY AS r(id, lead, kind, occurred_at, platform, campaign, utm_source,
                                utm_medium, utm_campaign, utm_content, ord)
     ORDER BY r.id, r.ord DESC
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

    INSERT INTO socialroi.deal AS d (account_id, deal_id, amount_micros, currency, stage, pipeline,
                                     is_won, is_closed, created_at, closed_at)
    SELECT DISTINCT ON (r.id) acc, r.id, r.amount_micros, r.currency, r.stage, r.pipeline,
           r.is_won, r.is_closed, r.created_at, r.closed_at
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'deal')
                      AS (id text, amount_micros bigint, currency text, stage text,
                          pipeline text, is_won boolean, is_closed boolean,
                          created_at timestamptz, closed_at timestamptz))
           WITH ORDINALITY AS r(id, amount_micros, currency, stage, pipeline, is_won, is_closed,
                                created_at, closed_at, ord)
     ORDER BY r.id, r.ord DESC
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
    SELECT DISTINCT acc, d ->> 'id', x
      FROM pg_catalog.jsonb_array_elements(COALESCE(p_rows -> 'deal', '[]')) AS d,
           pg_catalog.jsonb_array_elements_text(COALESCE(d -> 'contacts', '[]')) AS x
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS c = ROW_COUNT;
    n := n + c;

    INSERT INTO socialroi.mention AS m (account_id, mention_id, query, author_id, body,
                                        posted_at, sentiment)
    SELECT DISTINCT ON (r.id) acc, r.id, r.query, r.author, r.text, r.posted_at, r.sentiment
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'mention')
                      AS (id text, query text, author text, text text, posted_at timestamptz,
                          sentiment numeric))
           WITH ORDINALITY AS r(id, query, author, text, posted_at, sentiment, ord)
     ORDER BY r.id, r.ord DESC
    ON CONFLICT (account_id, mention_id) DO UPDATE
       SET query = EXCLUDED.query, author_id = EXCLUDED.author_id, body = EXCLUDED.body,
           posted_at = EXCLUDED.posted_at, sentiment = EXCLUDED.sentiment
     WHERE (m.query, m.author_id, m.body, m.posted_at, m.sentiment) IS DISTINCT FROM
           (EXCLUDED.query, EXCLUDED.author_id, EXCLUDED.body, EXCLUDED.posted_at,
            EXCLUDED.sentiment);
    GET DIAGNOSTICS c = ROW_COUNT;
    RETURN n + c;
END
$$;

CREATE FUNCTION socialroi.upsert_facts(acc integer, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    n integer := 0;
    c integer;
BEGIN
    -- Duplicate keys inside one page (a platform listing a post twice) keep the last one:
    -- ON CONFLICT cannot touch a row twice in one statement.
    INSERT INTO socialroi.metric_daily AS m (account_id, object_id, metric, day, day_basis, value)
    SELECT DISTINCT ON (r.object, r.metric, r.day) acc, r.object, r.metric, r.day, r.basis, r.value
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'metric')
                      AS (object text, metric text, day date, basis text, value bigint))
           WITH ORDINALITY AS r(object, metric, day, basis, value, ord)
     ORDER BY r.object, r.metric, r.day, r.ord DESC
    ON CONFLICT (account_id, object_id, metric, day) DO UPDATE
       SET value = EXCLUDED.value, day_basis = EXCLUDED.day_basis
     WHERE (m.value, m.day_basis) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.day_basis);
    GET DIAGNOSTICS c = ROW_COUNT;
    n := n + c;

    INSERT INTO socialroi.metric_snapshot AS s (account_id, object_id, metric, observed_at, value)
    SELECT DISTINCT ON (r.object, r.metric, r.observed_at)
           acc, r.object, r.metric, r.observed_at, r.value
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'snapshot')
                      AS (object text, metric text, observed_at timestamptz, value bigint))
           WITH ORDINALITY AS r(object, metric, observed_at, value, ord)
     ORDER BY r.object, r.metric, r.observed_at, r.ord DESC
    ON CONFLICT (account_id, object_id, metric, observed_at) DO UPDATE
       SET value = EXCLUDED.value WHERE s.value IS DISTINCT FROM EXCLUDED.value;
    GET DIAGNOSTICS c = ROW_COUNT;
    n := n + c;

    INSERT INTO socialroi.content AS t (account_id, content_id, kind, published_at, url, title,
                                        utm_campaign)
    SELECT DISTINCT ON (r.id) acc, r.id, r.kind, r.published_at, r.url, r.title, r.utm_campaign
      FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'content')
                      AS (id text, kind text, published_at timestamptz, url text, title text,
                          utm_campaign text))
           WITH ORDINALITY AS r(id, kind, published_at, url, title, utm_campaign, ord)
     ORDER BY r.id, r.ord DESC
    ON CONFLICT (account_id, content_id) DO UPDATE
       SET kind = EXCLUDED.kind, published_at = EXCLUDED.published_at, url = EXCLUDED.url,
           title = EXCLUDED.title, utm_campaign = EXCLUDED.utm_campaign
     WHERE (t.kind, t.published_at, t.url, t.title, t.utm_campaign) IS DISTINCT FROM
           (EXCLUDED.kind, EXCLUDED.published_at, EXCLUDED.url, EXCLUDED.title,
            EXCLUDED.utm_campaign);
    GET DIAGNOSTICS c = ROW_COUNT;
    n := n + c;

    n := n + socialroi.upsert_ads(acc, p_rows);
    n := n + socialroi.upsert_people(acc, p_rows);
    RETURN n;
END
$$;

-- Writes one fetched page: facts, the cursor that produced them and the fetch record, in the
-- caller's transaction. p_final ends the run (lease released, next run in p_next_in_s);
-- otherwise the lease is extended and the job stays due for its next page. Raises SR001 when
-- the lease was lost (another daemon took the job): nothing of the page is kept then.
CREATE FUNCTION socialroi.ingest_page(p_job bigint, p_owner text, p_rows jsonb, p_cursor text,
                                      p_run jsonb, p_final boolean, p_next_in_s double precision)
RETURNS integer LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    acc integer;
    run bigint;
    n integer;
BEGIN
    SELECT j.account_id INTO acc FROM socialroi.poll_job j
     WHERE j.job_id = p_job AND j.lease_owner = p_owner FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'lease on job % lost', p_job USING ERRCODE = 'SR001';
    END IF;
    run := socialroi.record_run(p_job, p_run, 0);
    PERFORM pg_catalog.set_config('socialroi.run_id', run::text, true);
    n := socialroi.upsert_facts(acc, p_rows);
    UPDATE socialroi.fetch_run SET rows_written = n WHERE run_id = run;
    UPDATE socialroi.poll_job
       SET cursor = p_cursor, failures = 0, last_error_class = NULL, last_error = NULL,
           last_success = CASE WHEN p_final THEN pg_catalog.now() ELSE last_success END,
           next_due = pg_catalog.now() + pg_catalog.make_interval(secs => p_next_in_s),
           lease_owner = CASE WHEN p_final THEN NULL ELSE lease_owner END,
           lease_expires = CASE WHEN p_final THEN NULL
                                ELSE pg_catalog.now() + interval '10 minutes' END
     WHERE job_id = p_job;
    RETURN n;
END
$$;

-- Records a failed fetch: the failure count grows (throttling is not a failure), the lease is
-- released; the cursor stays unless p_cursor replaces it (a run restarted after its page
-- token was refused).
CREATE FUNCTION socialroi.record_failure(p_job bigint, p_owner text, p_run jsonb,
                                         p_next_in_s double precision, p_cursor text)
RETURNS void LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    PERFORM socialroi.record_run(p_job, p_run, 0);
    UPDATE socialroi.poll_job
       SET failures = failures + (CASE WHEN p_run ->> 'error_class' = 'throttled' THEN 0 ELSE 1 END),
           last_error_class = p_run ->> 'error_class', last_error = p_run ->> 'error',
           next_due = pg_catalog.now() + pg_catalog.make_interval(secs => p_next_in_s),
           cursor = COALESCE(p_cursor, cursor),
           lease_owner = NULL, lease_expires = NULL
     WHERE job_id = p_job AND (lease_owner = p_owner OR lease_owner IS NULL);
END
$$;

-- needs_reauth (with the refused token's fingerprint) or back to ok, with the reason operators
-- see in status.
CREATE FUNCTION socialroi.set_account_state(p_account text, p_state text, p_reason text,
                                            p_token_hash text)
RETURNS void LANGUAGE sql SET search_path = '' AS $$
    UPDATE socialroi.account
       SET state = p_state, state_reason = p_reason, reauth_token_hash = p_token_hash,
           updated_at = pg_catalog.now()
     WHERE name = p_account
$$;

-- The access token's expiry as the daemon knows it (refreshes move it).
CREATE FUNCTION socialroi.set_token_expiry(p_account text, p_expires_at double precision)
RETURNS void LANGUAGE sql SET search_path = '' AS $$
    UPDATE socialroi.account
       SET token_expires_at = CASE WHEN p_expires_at > 0
                                   THEN pg_catalog.to_timestamp(p_expires_at) END
     WHERE name = p_account
       AND token_expires_at IS DISTINCT FROM
           (CASE WHEN p_expires_at > 0 THEN pg_catalog.to_timestamp(p_expires_at) END)
$$;

-- One row per job: what socialroi status prints and what data_health builds on.
CREATE VIEW socialroi.job_status AS
SELECT a.name AS account, a.platform, j.stream, a.state AS account_state, a.state_reason,
       j.enabled, j.last_success, pg_catalog.now() - j.last_success AS lag, j.failures,
       j.last_error_class, j.last_error, j.next_due, j.lease_owner, a.token_expires_at
  FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id);

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA socialroi TO socialroi_daemon;
GRANT SELECT ON socialroi.job_status TO socialroi_daemon;
