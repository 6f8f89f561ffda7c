-- 019_ingest_lean.sql - the page writer runs only the statements a page needs.
--
-- upsert_facts ran every record kind's INSERT for every page, and each one costs even when its
-- kind is absent from the page: the statement is planned and run over an empty set, and the
-- statement triggers that mark the rollup's dirty buckets fire with empty transition tables
-- (lead: three of them). A page holds one or two kinds, so most of a page's statements did
-- nothing: in a 730-day world of 7,475 pages (253k rows) the empty ones took about a quarter of
-- the writer's time. Now each kind's statement runs only when the page has that kind, in the
-- order 016 ran them (leads before their touches and deals, deals before their stages), with
-- the same statements, so the rows written are the same. The per-kind helpers 002 and 003
-- defined (upsert_ads, upsert_people, upsert_crm) are folded in and dropped: one definition of
-- what a page writes.
--
-- The marking triggers return at once when their statement changed no row: an upsert whose
-- rows were all unchanged still fires the UPDATE triggers, and mark_touches joined its empty
-- transition table to every lead (1.8 ms a page at 42k leads); it now looks each touch's lead
-- up by its key.
--
-- credit_conversions plans its statements for each call: the rollup's connection lives as long
-- as the daemon, and a plan made while socialroi.attribution was nearly empty (a sequential
-- scan) was kept as the table grew, so deleting a batch's few old rows read the whole table.

CREATE OR REPLACE FUNCTION socialroi.upsert_facts(acc integer, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    n integer := 0;
    c integer;
BEGIN
    -- Duplicate keys inside one page (a platform listing a post twice) keep the last one:
    -- ON CONFLICT cannot touch a row twice in one statement.
    IF p_rows ? 'metric' THEN
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
    END IF;
    IF p_rows ? 'snapshot' THEN
        n := n + socialroi.upsert_snapshots(acc, p_rows);
    END IF;
    IF p_rows ? 'content' THEN
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
    END IF;
    IF p_rows ? 'campaign' THEN
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
    END IF;
    IF p_rows ? 'ad_daily' THEN
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
        n := n + c;
    END IF;
    IF p_rows ? 'lead' THEN
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
    END IF;
    IF p_rows ? 'touchpoint' THEN
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
    END IF;
    IF p_rows ? 'deal' THEN
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
    END IF;
    IF p_rows ? 'mention' THEN
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
        n := n + c;
    END IF;
    IF p_rows ? 'stage' THEN
        INSERT INTO socialroi.deal_stage AS t (account_id, pipeline, stage, label, is_won, is_closed)
        SELECT DISTINCT ON (r.pipeline, r.stage) acc, r.pipeline, r.stage, r.label, r.is_won,
               r.is_closed
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'stage')
                          AS (pipeline text, stage text, label text, is_won boolean,
                              is_closed boolean))
               WITH ORDINALITY AS r(pipeline, stage, label, is_won, is_closed, ord)
         ORDER BY r.pipeline, r.stage, r.ord DESC
        ON CONFLICT (account_id, pipeline, stage) DO UPDATE
           SET label = EXCLUDED.label, is_won = EXCLUDED.is_won, is_closed = EXCLUDED.is_closed
         WHERE (t.label, t.is_won, t.is_closed) IS DISTINCT FROM
               (EXCLUDED.label, EXCLUDED.is_won, EXCLUDED.is_closed);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
        IF c > 0 THEN
            n := n + socialroi.apply_deal_stages(acc, NULL);
        END IF;
    END IF;
    IF p_rows ? 'deal_contact' THEN
        INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
        SELECT DISTINCT acc, r.deal, r.contact
          FROM pg_catalog.jsonb_to_recordset(p_rows -> 'deal_contact') AS r(deal text, contact text)
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'deal' THEN
        n := n + socialroi.apply_deal_stages(acc, ARRAY(
                 SELECT d ->> 'id' FROM pg_catalog.jsonb_array_elements(p_rows -> 'deal') d));
    END IF;
    RETURN n;
END
$$;

DROP FUNCTION socialroi.upsert_ads(integer, jsonb);
DROP FUNCTION socialroi.upsert_people(integer, jsonb);
DROP FUNCTION socialroi.upsert_crm(integer, jsonb);

CREATE OR REPLACE FUNCTION socialroi.mark_ad_days() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM changed) THEN
        RETURN NULL;
    END IF;
    INSERT INTO socialroi.dirty_spend
    SELECT DISTINCT l.campaign_id, r.day
      FROM changed r
      JOIN socialroi.account a ON a.account_id = r.account_id
      JOIN socialroi.campaign_link l ON l.kind = 'ad_campaign' AND l.platform = a.platform
                                    AND l.value = r.campaign_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION socialroi.mark_leads() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM changed) THEN
        RETURN NULL;
    END IF;
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash) FROM changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION socialroi.mark_touches() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM changed) THEN
        RETURN NULL;
    END IF;
    -- Each touch's lead by its key (the LIMIT keeps the planner from hashing every lead: it
    -- cannot know how few touches a transition table holds).
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'person', l.key
      FROM changed t,
           LATERAL (SELECT socialroi.person_key(l.account_id, l.lead_id, l.email_hash) AS key
                      FROM socialroi.lead l
                     WHERE l.account_id = t.account_id AND l.lead_id = t.lead_id LIMIT 1) l
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION socialroi.mark_deals() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM changed) THEN
        RETURN NULL;
    END IF;
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'deal', account_id || ':' || deal_id FROM changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

ALTER FUNCTION socialroi.credit_conversions(text[], text[]) SET plan_cache_mode = force_custom_plan;
