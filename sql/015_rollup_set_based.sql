-- 015_rollup_set_based.sql: attribution of many conversions in one statement.
--
-- The rollup credited one conversion at a time: for each dirty person or deal a few statements,
-- and each touch lookup joined socialroi.touchpoint to an array of lead keys whose size the
-- planner could not know, so it hashed the whole table on every call. A rebuild grew with
-- people x touches. Now a batch of dirty people and deals is credited by one INSERT ... SELECT:
-- the batch's leads and touches are found through the indexes on the keys of socialroi.lead,
-- socialroi.deal_contact and socialroi.touchpoint, so a batch costs what its own touches cost,
-- and every model's weights and revenue shares are computed with window functions over each
-- conversion's ordered touches.
-- The rows are exactly those of socialroi.write_attribution (014): the same touches in the same
-- order, weights in millionths and revenue in micros by cumulative rounding, half to even, the
-- exact shares of the rational models and the 20-decimal shares of time_decay, and one
-- unattributed row per model for a conversion without touches.

-- Credits the people (person keys) and deals (account:deal keys) given: deletes their rows and
-- writes them again from the facts. A person or deal that no longer exists keeps no row. The
-- statements are planned for each call's batch (a few hundred conversions from the daemon's
-- job, every conversion in a rebuild): a plan cached for one size would do for neither.
CREATE FUNCTION socialroi.credit_conversions(p_people text[], p_deals text[]) RETURNS void
LANGUAGE plpgsql SET search_path = '' SET plan_cache_mode = force_custom_plan AS $$
DECLARE
    half numeric := (SELECT value::numeric FROM socialroi.setting WHERE key = 'half_life_days');
    reporting text := socialroi.reporting_currency();
BEGIN
    DELETE FROM socialroi.attribution a
     WHERE a.kind = 'lead' AND a.conversion = ANY (p_people);
    DELETE FROM socialroi.attribution a
     WHERE a.kind = 'deal' AND a.conversion = ANY (p_deals);

    INSERT INTO socialroi.attribution
    WITH person AS (
        -- a person key: every lead with the e-mail hash, or the one lead without a hash
        SELECT DISTINCT p.key,
               CASE WHEN pg_catalog.left(p.key, 2) = 'e:' THEN pg_catalog.substr(p.key, 3) END
                   AS hash,
               CASE WHEN pg_catalog.left(p.key, 2) <> 'e:'
                    THEN pg_catalog.split_part(p.key, ':', 2)::integer END AS account_id,
               CASE WHEN pg_catalog.left(p.key, 2) <> 'e:'
                    THEN pg_catalog.substr(p.key,
                                           pg_catalog.length(pg_catalog.split_part(p.key, ':', 2))
                                           + 4) END AS lead_id
          FROM pg_catalog.unnest(p_people) p(key)
    ), person_lead AS (
        SELECT p.key, l.account_id, l.lead_id, l.created_at
          FROM person p JOIN socialroi.lead l ON l.email_hash = p.hash
        UNION ALL
        SELECT p.key, l.account_id, l.lead_id, l.created_at
          FROM person p JOIN socialroi.lead l ON l.account_id = p.account_id
                                             AND l.lead_id = p.lead_id
         WHERE l.email_hash IS NULL
    ), deal AS (
        SELECT DISTINCT k.key, d.account_id, d.deal_id, d.created_at, d.is_won,
               (COALESCE(d.closed_at, d.created_at) AT TIME ZONE 'UTC')::date AS day,
               d.amount_micros, d.currency
          FROM pg_catalog.unnest(p_deals) k(key)
          JOIN socialroi.deal d
            ON d.account_id = pg_catalog.split_part(k.key, ':', 1)::integer
           AND d.deal_id = pg_catalog.substr(k.key,
                                             pg_catalog.length(pg_catalog.split_part(k.key, ':', 1))
                                             + 2)
    ), deal_lead AS (
        -- every lead of every person among the deal's contacts
        SELECT d.key, l.account_id, l.lead_id
          FROM deal d
          JOIN socialroi.deal_contact dc ON dc.account_id = d.account_id
                                        AND dc.deal_id = d.deal_id
          JOIN socialroi.lead c ON c.account_id = dc.account_id AND c.lead_id = dc.lead_id
          JOIN socialroi.lead l ON l.email_hash = c.email_hash
        UNION
        SELECT d.key, c.account_id, c.lead_id
          FROM deal d
          JOIN socialroi.deal_contact dc ON dc.account_id = d.account_id
                                        AND dc.deal_id = d.deal_id
          JOIN socialroi.lead c ON c.account_id = dc.account_id AND c.lead_id = dc.lead_id
         WHERE c.email_hash IS NULL
    ), conversion AS (
        SELECT 'lead'::text AS kind, pl.key, pg_catalog.min(pl.created_at) AS at,
               (pg_catalog.min(pl.created_at) AT TIME ZONE 'UTC')::date AS day, false AS won,
               NULL::text AS currency, NULL::bigint AS revenue
          FROM person_lead pl GROUP BY pl.key
        UNION ALL
        SELECT 'deal', d.key, d.created_at, d.day, d.is_won,
               CASE WHEN d.is_won AND r.revenue IS NULL THEN COALESCE(d.currency, '???')
                    ELSE reporting END,
               r.revenue
          FROM deal d,
               LATERAL (SELECT CASE WHEN d.is_won
                                    THEN socialroi.to_reporting(COALESCE(d.amount_micros, 0),
                                                                d.currency, d.day) END
                                   AS revenue) r
    ), conversion_lead AS (
        SELECT 'lead'::text AS kind, pl.key, pl.account_id, pl.lead_id FROM person_lead pl
        UNION ALL
        SELECT 'deal', dl.key, dl.account_id, dl.lead_id FROM deal_lead dl
    ), raw_touch AS (
        SELECT c.kind, c.key, c.at, t.occurred_at, t.account_id, t.touch_id,
               pg_catalog.jsonb_build_array(t.platform, t.campaign_id, t.utm_campaign)::text
                   AS origin
          FROM conversion c
          JOIN conversion_lead cl ON cl.kind = c.kind AND cl.key = c.key
          JOIN socialroi.touchpoint t ON t.account_id = cl.account_id AND t.lead_id = cl.lead_id
         WHERE t.occurred_at <= c.at
    ), origin AS MATERIALIZED (
        -- channel and business campaign once per distinct (platform, ad campaign, utm_campaign),
        -- as one object keyed by that triple, so each touch finds its own by a key lookup
        SELECT pg_catalog.jsonb_object_agg(o.origin, pg_catalog.jsonb_build_array(
                   socialroi.channel_of(o.o ->> 0),
                   socialroi.touch_campaign(o.o ->> 0, o.o ->> 1, o.o ->> 2))) AS map
          FROM (SELECT DISTINCT r.origin, r.origin::jsonb AS o FROM raw_touch r) o
    ), touch AS (
        -- the conversion's touches up to it, in time order, with their age in days
        SELECT r.kind, r.key,
               pg_catalog.row_number() OVER (PARTITION BY r.kind, r.key
                                             ORDER BY r.occurred_at, r.account_id, r.touch_id)
                   ::integer AS seq,
               pg_catalog.count(*) OVER (PARTITION BY r.kind, r.key)::integer AS n,
               (pg_catalog.date_part('epoch', r.at - r.occurred_at) / 86400.0)::numeric AS age,
               (o.map -> r.origin) ->> 0 AS channel,
               ((o.map -> r.origin) ->> 1)::integer AS campaign_id
          FROM raw_touch r, origin o
    ), share AS (
        -- every model's exact share num/den (den 0: time_decay's 0.5^(age/half-life))
        SELECT t.*, m.model,
               CASE m.model WHEN 'first_touch' THEN (t.seq = 1)::integer::bigint
                            WHEN 'last_touch' THEN (t.seq = t.n)::integer::bigint
                            WHEN 'linear' THEN 1::bigint
                            WHEN 'position_based' THEN
                                CASE WHEN t.n <= 2 THEN 1::bigint
                                     WHEN t.seq = 1 OR t.seq = t.n THEN 2 * (t.n - 2)::bigint
                                     ELSE 1::bigint END
                            ELSE 0::bigint END AS num,
               CASE m.model WHEN 'first_touch' THEN 1::bigint WHEN 'last_touch' THEN 1::bigint
                            WHEN 'linear' THEN t.n::bigint
                            WHEN 'position_based' THEN
                                CASE WHEN t.n <= 2 THEN t.n::bigint
                                     ELSE 5 * (t.n - 2)::bigint END
                            ELSE 0::bigint END AS den,
               CASE WHEN m.model = 'time_decay'
                    THEN pg_catalog.power(0.5::numeric, t.age / half) END AS decay
          FROM touch t,
               pg_catalog.unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                                       'time_decay']) m(model)
    ), decay AS (
        -- time_decay's shares with 20 decimals, the last touch taking what is left
        SELECT s.*,
               pg_catalog.round(s.decay / pg_catalog.sum(s.decay) OVER w, 20) AS rounded
          FROM share s
        WINDOW w AS (PARTITION BY s.kind, s.key, s.model)
    ), weighed AS (
        -- weight: the rational models' numerator (only whether it is 0 matters), time_decay's
        -- 20-decimal share
        SELECT d.*,
               CASE WHEN d.den > 0 THEN d.num::numeric
                    WHEN d.seq < d.n THEN d.rounded
                    ELSE 1 - COALESCE(pg_catalog.sum(d.rounded) FILTER (WHERE d.seq < d.n)
                                          OVER w, 0) END AS weight
          FROM decay d
        WINDOW w AS (PARTITION BY d.kind, d.key, d.model)
    ), credited AS (
        SELECT w.*,
               pg_catalog.sum(w.num) OVER c AS cum_num,
               pg_catalog.sum(w.weight) OVER c AS cum_weight
          FROM weighed w
         WHERE w.weight <> 0
        WINDOW c AS (PARTITION BY w.kind, w.key, w.model ORDER BY w.seq)
    )
    SELECT cr.kind, cr.key, cr.model, cr.seq, cr.campaign_id, cr.channel,
           (r.w_hi - r.w_lo)::numeric / 1000000, c.day, c.won, c.currency,
           CASE WHEN c.revenue IS NULL THEN NULL ELSE r.v_hi - r.v_lo END
      FROM credited cr
      JOIN conversion c ON c.kind = cr.kind AND c.key = cr.key,
           -- the cumulative shares of touches 1..seq and 1..seq-1, in millionths (x1, x2 and
           -- n1, n2 over den) and in revenue micros (x3, x4 and n3, n4 over den)
           LATERAL (SELECT 1000000::numeric * cr.cum_num AS n1,
                           1000000::numeric * (cr.cum_num - cr.num) AS n2,
                           c.revenue::numeric * cr.cum_num AS n3,
                           c.revenue::numeric * (cr.cum_num - cr.num) AS n4,
                           1000000 * cr.cum_weight AS x1,
                           1000000 * (cr.cum_weight - cr.weight) AS x2,
                           c.revenue * cr.cum_weight AS x3,
                           c.revenue * (cr.cum_weight - cr.weight) AS x4) a,
           LATERAL (SELECT pg_catalog.floor(a.n1 / NULLIF(cr.den, 0)) AS q1,
                           pg_catalog.floor(a.n2 / NULLIF(cr.den, 0)) AS q2,
                           pg_catalog.floor(a.n3 / NULLIF(cr.den, 0)) AS q3,
                           pg_catalog.floor(a.n4 / NULLIF(cr.den, 0)) AS q4) q0,
           LATERAL (SELECT q0.q1, q0.q2, q0.q3, q0.q4,
                           a.n1 - q0.q1 * cr.den AS r1, a.n2 - q0.q2 * cr.den AS r2,
                           a.n3 - q0.q3 * cr.den AS r3, a.n4 - q0.q4 * cr.den AS r4) q,
           -- R, half to even: socialroi.div_round_even (den > 0) and socialroi.round_even
           -- (time_decay) written out, as a function call per row costs more than the row
           LATERAL (SELECT
                      CASE WHEN cr.den > 0
                           THEN (q.q1 + CASE WHEN 2 * q.r1 > cr.den
                                                   OR (2 * q.r1 = cr.den AND q.q1 % 2 <> 0)
                                              THEN 1 ELSE 0 END)::bigint
                           ELSE CASE WHEN a.x1 - pg_catalog.floor(a.x1) = 0.5
                                THEN (pg_catalog.floor(a.x1)
                                      + (pg_catalog.floor(a.x1)::bigint % 2 <> 0)::integer)::bigint
                                ELSE pg_catalog.round(a.x1)::bigint END END AS w_hi,
                      CASE WHEN cr.den > 0
                           THEN (q.q2 + CASE WHEN 2 * q.r2 > cr.den
                                                   OR (2 * q.r2 = cr.den AND q.q2 % 2 <> 0)
                                              THEN 1 ELSE 0 END)::bigint
                           ELSE CASE WHEN a.x2 - pg_catalog.floor(a.x2) = 0.5
                                THEN (pg_catalog.floor(a.x2)
                                      + (pg_catalog.floor(a.x2)::bigint % 2 <> 0)::integer)::bigint
                                ELSE pg_catalog.round(a.x2)::bigint END END AS w_lo,
                      CASE WHEN cr.den > 0
                           THEN (q.q3 + CASE WHEN 2 * q.r3 > cr.den
                                                   OR (2 * q.r3 = cr.den AND q.q3 % 2 <> 0)
                                              THEN 1 ELSE 0 END)::bigint
                           ELSE CASE WHEN a.x3 - pg_catalog.floor(a.x3) = 0.5
                                THEN (pg_catalog.floor(a.x3)
                                      + (pg_catalog.floor(a.x3)::bigint % 2 <> 0)::integer)::bigint
                                ELSE pg_catalog.round(a.x3)::bigint END END AS v_hi,
                      CASE WHEN cr.den > 0
                           THEN (q.q4 + CASE WHEN 2 * q.r4 > cr.den
                                                   OR (2 * q.r4 = cr.den AND q.q4 % 2 <> 0)
                                              THEN 1 ELSE 0 END)::bigint
                           ELSE CASE WHEN a.x4 - pg_catalog.floor(a.x4) = 0.5
                                THEN (pg_catalog.floor(a.x4)
                                      + (pg_catalog.floor(a.x4)::bigint % 2 <> 0)::integer)::bigint
                                ELSE pg_catalog.round(a.x4)::bigint END END AS v_lo) r
    UNION ALL
    -- a conversion without touches: one unattributed row per model
    SELECT c.kind, c.key, m.model, 0, NULL, NULL, 1, c.day, c.won, c.currency, c.revenue
      FROM conversion c,
           pg_catalog.unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                                   'time_decay']) m(model)
     WHERE NOT EXISTS (SELECT FROM touch t WHERE t.kind = c.kind AND t.key = c.key);
END
$$;

-- One person, one deal: the batch function on a batch of one.
CREATE OR REPLACE FUNCTION socialroi.compute_person(p_person text) RETURNS void
LANGUAGE sql SET search_path = '' AS $$
    SELECT socialroi.credit_conversions(ARRAY[p_person], '{}'::text[])
$$;

CREATE OR REPLACE FUNCTION socialroi.compute_deal(p_account integer, p_deal text) RETURNS void
LANGUAGE sql SET search_path = '' AS $$
    SELECT socialroi.credit_conversions('{}'::text[], ARRAY[p_account || ':' || p_deal])
$$;

-- The deals the leads of the people given are contacts of (account:deal keys).
CREATE FUNCTION socialroi.deals_of_people(p_people text[]) RETURNS SETOF text
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT DISTINCT dc.account_id || ':' || dc.deal_id
      FROM pg_catalog.unnest(p_people) p(key)
      JOIN socialroi.lead l ON l.email_hash = pg_catalog.substr(p.key, 3)
      JOIN socialroi.deal_contact dc ON dc.account_id = l.account_id AND dc.lead_id = l.lead_id
     WHERE pg_catalog.left(p.key, 2) = 'e:'
    UNION
    SELECT dc.account_id || ':' || dc.deal_id
      FROM pg_catalog.unnest(p_people) p(key)
      JOIN socialroi.lead l
        ON l.account_id = pg_catalog.split_part(p.key, ':', 2)::integer
       AND l.lead_id = pg_catalog.substr(p.key,
                                         pg_catalog.length(pg_catalog.split_part(p.key, ':', 2))
                                         + 4)
      JOIN socialroi.deal_contact dc ON dc.account_id = l.account_id AND dc.lead_id = l.lead_id
     WHERE pg_catalog.left(p.key, 2) <> 'e:' AND l.email_hash IS NULL
$$;

-- Recomputes up to p_limit dirty spend buckets and conversions (oldest first) and deletes the
-- marks it read, no others; returns how many marks are left, so a caller loops until 0. Runs
-- serialize on a transaction-level advisory lock. The conversions of the batch are credited
-- together (socialroi.credit_conversions); the deals of its people are marked dirty, for the
-- next run.
CREATE OR REPLACE FUNCTION socialroi.rollup_dirty(p_limit integer) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    r record;
    people text[];
    deals text[];
    marks bigint[];
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('socialroi.rollup'));
    FOR r IN SELECT s.campaign_id, s.day, pg_catalog.array_agg(s.mark_id) AS marks
               FROM socialroi.dirty_spend s GROUP BY s.campaign_id, s.day
              ORDER BY s.day, s.campaign_id LIMIT p_limit LOOP
        PERFORM socialroi.compute_spend(r.campaign_id, r.day);
        DELETE FROM socialroi.dirty_spend WHERE mark_id = ANY (r.marks);
    END LOOP;
    WITH batch AS (
        SELECT c.kind, c.key, pg_catalog.array_agg(c.mark_id) AS marks
          FROM socialroi.dirty_conversion c GROUP BY c.kind, c.key
         ORDER BY c.kind DESC, c.key LIMIT p_limit
    )
    SELECT COALESCE(pg_catalog.array_agg(b.key) FILTER (WHERE b.kind = 'person'), '{}'),
           COALESCE(pg_catalog.array_agg(b.key) FILTER (WHERE b.kind <> 'person'), '{}'),
           (SELECT pg_catalog.array_agg(m) FROM batch, pg_catalog.unnest(batch.marks) m)
      INTO people, deals, marks
      FROM batch b;
    IF marks IS NOT NULL THEN
        PERFORM socialroi.credit_conversions(people, deals);
        INSERT INTO socialroi.dirty_conversion (kind, key)
        SELECT 'deal', d FROM socialroi.deals_of_people(people) d
        ON CONFLICT DO NOTHING;
        DELETE FROM socialroi.dirty_conversion WHERE mark_id = ANY (marks);
    END IF;
    RETURN (SELECT count(*) FROM socialroi.dirty_spend)
         + (SELECT count(*) FROM socialroi.dirty_conversion);
END
$$;

GRANT EXECUTE ON FUNCTION socialroi.credit_conversions(text[], text[]),
    socialroi.deals_of_people(text[]), socialroi.compute_person(text),
    socialroi.compute_deal(integer, text), socialroi.rollup_dirty(integer) TO socialroi_daemon;
