-- 003_crm.sql: CRM pipelines and deal-contact associations.
--
-- A deal's stage is a pipeline's internal stage id; whether it means won or lost comes from the
-- pipeline definition (HubSpot: GET /crm/v3/pipelines/deals), kept in socialroi.deal_stage.
-- When the definition is known it decides a deal's is_won and is_closed; otherwise the flags
-- the CRM sent with the deal stand.

CREATE TABLE socialroi.deal_stage (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    pipeline        text NOT NULL,
    stage           text NOT NULL,
    label           text,
    is_won          boolean NOT NULL,
    is_closed       boolean NOT NULL,
    PRIMARY KEY (account_id, pipeline, stage)
);

GRANT SELECT, INSERT, UPDATE, DELETE ON socialroi.deal_stage TO socialroi_daemon;

-- Deals take won/closed from their pipeline's stage definition; p_deals limits it to those ids
-- (NULL: every deal of the account, after the definitions changed).
CREATE FUNCTION socialroi.apply_deal_stages(acc integer, p_deals text[]) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    c integer;
BEGIN
    UPDATE socialroi.deal d SET is_won = s.is_won, is_closed = s.is_closed
      FROM socialroi.deal_stage s
     WHERE d.account_id = acc AND s.account_id = acc
       AND s.pipeline = d.pipeline AND s.stage = d.stage
       AND (p_deals IS NULL OR d.deal_id = ANY (p_deals))
       AND (d.is_won, d.is_closed) IS DISTINCT FROM (s.is_won, s.is_closed);
    GET DIAGNOSTICS c = ROW_COUNT;
    RETURN c;
END
$$;

CREATE FUNCTION socialroi.upsert_crm(acc integer, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    n integer := 0;
    c integer;
BEGIN
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

    INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
    SELECT DISTINCT acc, r.deal, r.contact
      FROM pg_catalog.jsonb_to_recordset(p_rows -> 'deal_contact') AS r(deal text, contact text)
    ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS c = ROW_COUNT;
    n := n + c;

    IF p_rows ? 'deal' THEN
        n := n + socialroi.apply_deal_stages(acc, ARRAY(
                 SELECT d ->> 'id' FROM pg_catalog.jsonb_array_elements(p_rows -> 'deal') d));
    END IF;
    RETURN n;
END
$$;

-- The page writer, now with the CRM records.
CREATE OR REPLACE FUNCTION socialroi.upsert_facts(acc integer, p_rows jsonb) RETURNS integer
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
    n := n + socialroi.upsert_crm(acc, p_rows);
    RETURN n;
END
$$;

GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA socialroi TO socialroi_daemon;
