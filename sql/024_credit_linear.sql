-- 024_credit_linear.sql: crediting that costs the same per person at any size.
--
-- Crediting 100,000 people cost 1.92 times per person what 10,000 did (1.43 and 1.66 in runs
-- before sql/021). Measured on the bench's customer (tests/bench/bench.sh, section rollup),
-- four things grew faster than the people:
--   - socialroi.rollup_dirty credits a batch of up to p_limit marks in one call, and a rebuild
--     drains 100,000 at a time: at 100,000 people the second batch held only deals (13,141),
--     and socialroi.credit_conversions joined them to their leads with a nested loop (the
--     planner cannot know the size of either set): 13,141 x 20,653 rows, 90 of the rebuild's
--     seconds. Each lead of a conversion now carries the conversion's time and row values,
--     so neither its touches nor its credited rows are joined back to the conversions;
--   - each touch carried the whole channel and campaign map of its batch (a jsonb of every
--     (platform, ad campaign, utm) seen) through the sort of the touches: 1.4 GB sorted on
--     disk for 332,897 touches, in several merge passes. The lookup is made before the sort;
--   - the sorts of a batch grow with it (and spill to disk in more passes): a batch is now
--     credited in slices of 10,000 people and deals, in key order, each its own statement;
--   - socialroi.attribution wrote three indexes per row; the day index of sql/021 is gone
--     (crediting every person at 100,000 people: 111 s with it, 80 s without, back to back).
--     A period's credit is read through the campaign index (campaign_id, day) that dashboard.funnel
--     already needs: one range of it per business campaign credited and one for the credit
--     of no campaign. The campaigns credited are found in the same index by skipping from
--     one to the next (a probe each), so a month costs what it did.

DROP INDEX socialroi.attribution_day_idx;

-- The business campaigns socialroi.attribution credits, in order: the first campaign id of
-- the campaign index, then each next one above it, one index probe each (a dozen campaigns,
-- not the table's rows). With the owner's rights: socialroi.data_months, a view the readers
-- query, calls it.
CREATE FUNCTION socialroi.credited_campaigns() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT ARRAY(
        WITH RECURSIVE ids(id) AS (
            SELECT min(a.campaign_id) FROM socialroi.attribution a
            UNION ALL
            SELECT (SELECT min(a.campaign_id) FROM socialroi.attribution a
                     WHERE a.campaign_id > ids.id)
              FROM ids WHERE ids.id IS NOT NULL)
        SELECT ids.id FROM ids WHERE ids.id IS NOT NULL)
$$;

-- socialroi.roi_all as sql/021 defined it; the credit lines of the period are read per
-- campaign (and for no campaign) from the campaign index.
CREATE OR REPLACE FUNCTION socialroi.roi_all(p_from date, p_to date, p_by text)
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend_micros bigint, configured_spend_micros bigint,
               spend_micros bigint, unconverted text[], leads numeric, customers numeric,
               revenue_micros bigint)
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT l.key, max(l.title), NULL::text, l.model, socialroi.reporting_currency(),
           COALESCE(sum(l.platform_micros), 0)::bigint,
           COALESCE(sum(l.configured_micros), 0)::bigint,
           (COALESCE(sum(l.platform_micros), 0) + COALESCE(sum(l.configured_micros), 0))::bigint,
           COALESCE(pg_catalog.array_agg(DISTINCT l.currency ORDER BY l.currency)
                        FILTER (WHERE l.unconverted), '{}'),
           COALESCE(sum(l.leads), 0), COALESCE(sum(l.customers), 0),
           COALESCE(sum(l.revenue_micros), 0)::bigint
      FROM (SELECT CASE p_by WHEN 'campaign' THEN c.name
                             WHEN 'channel' THEN CASE WHEN r.source = 'configured'
                                                      THEN '(configured)' ELSE r.platform END
                             ELSE 'total' END AS key,
                   CASE WHEN p_by = 'campaign' THEN c.title END AS title, x.model,
                   CASE WHEN r.source = 'platform' THEN r.reporting_micros END AS platform_micros,
                   CASE WHEN r.source = 'configured' THEN r.reporting_micros END
                       AS configured_micros,
                   NULL::numeric AS leads, NULL::numeric AS customers,
                   NULL::numeric AS revenue_micros, r.reporting_micros IS NULL AS unconverted,
                   r.currency::text AS currency
              FROM socialroi.rollup_spend r JOIN socialroi.campaign c USING (campaign_id)
             CROSS JOIN socialroi.attribution_models() x(model)
             WHERE r.day BETWEEN p_from AND p_to
            UNION ALL
            SELECT c.name, c.title, x.model, NULL, NULL, NULL, NULL, NULL, false, NULL
              FROM socialroi.campaign c CROSS JOIN socialroi.attribution_models() x(model)
             WHERE p_by = 'campaign' AND c.active AND c.start_day <= p_to
               AND (c.end_day IS NULL OR c.end_day >= p_from)
            UNION ALL
            SELECT 'total', NULL, x.model, NULL, NULL, NULL, NULL, NULL, false, NULL
              FROM socialroi.attribution_models() x(model)
             WHERE p_by NOT IN ('campaign', 'channel')
            UNION ALL
            SELECT CASE WHEN p_by NOT IN ('campaign', 'channel') THEN 'total'
                        WHEN a.seq = 0 THEN '(unattributed)'
                        WHEN p_by = 'campaign' THEN COALESCE(c.name, '(no campaign)')
                        ELSE COALESCE(a.channel, '(unknown)') END,
                   max(c.title) FILTER (WHERE p_by = 'campaign' AND a.seq <> 0), a.model,
                   NULL, NULL, sum(a.weight) FILTER (WHERE a.kind = 'lead'),
                   sum(a.weight) FILTER (WHERE a.kind = 'deal' AND a.won),
                   sum(a.revenue_micros) FILTER (WHERE a.kind = 'deal' AND a.won),
                   a.kind = 'deal' AND a.won AND a.revenue_micros IS NULL,
                   CASE WHEN a.kind = 'deal' AND a.won AND a.revenue_micros IS NULL
                        THEN a.currency::text END
              FROM (SELECT y.* FROM pg_catalog.unnest(socialroi.credited_campaigns()) i(id)
                      JOIN socialroi.attribution y
                        ON y.campaign_id = i.id AND y.day BETWEEN p_from AND p_to
                    UNION ALL
                    SELECT y.* FROM socialroi.attribution y
                     WHERE y.campaign_id IS NULL AND y.day BETWEEN p_from AND p_to) a
              LEFT JOIN socialroi.campaign c USING (campaign_id)
             GROUP BY 1, 3, 9, 10) l
     GROUP BY l.key, l.model
    UNION ALL
    SELECT CASE WHEN p_by = 'channel' THEN r.platform ELSE c.name END,
           CASE WHEN p_by = 'channel' THEN NULL ELSE c.title END, r.platform,
           'platform_reported', socialroi.reporting_currency(),
           COALESCE(sum(r.reporting_micros), 0)::bigint, 0::bigint,
           COALESCE(sum(r.reporting_micros), 0)::bigint,
           COALESCE(pg_catalog.array_agg(DISTINCT r.currency::text ORDER BY r.currency::text)
                        FILTER (WHERE r.reporting_micros IS NULL), '{}'),
           sum(r.platform_leads)::numeric, sum(r.platform_conversions)::numeric,
           sum(socialroi.to_reporting(r.platform_value_micros, r.currency, r.day))::bigint
      FROM socialroi.rollup_spend r JOIN socialroi.campaign c USING (campaign_id)
     WHERE r.source = 'platform' AND r.day BETWEEN p_from AND p_to
       AND p_by IN ('campaign', 'channel')
     GROUP BY 1, 2, r.platform
$$;

-- socialroi.data_months as sql/021 defined it; the credit's first and last days, and whether
-- a month holds any, probed per campaign credited in the campaign index (the credit of no
-- campaign by an ordered scan of its NULL entries: min() over IS NULL reads them all).
CREATE OR REPLACE VIEW socialroi.data_months AS
SELECT m::date AS month
  FROM (SELECT socialroi.credited_campaigns() AS ids) k,
       LATERAL (
        SELECT LEAST((SELECT min(day) FROM socialroi.rollup_spend),
                     (SELECT min((SELECT min(a.day) FROM socialroi.attribution a
                                   WHERE a.campaign_id = i.id))
                        FROM pg_catalog.unnest(k.ids) i(id)),
                     (SELECT a.day FROM socialroi.attribution a WHERE a.campaign_id IS NULL
                       ORDER BY a.campaign_id, a.day LIMIT 1),
                     (SELECT min(day) FROM socialroi.ad_daily)) AS lo,
               GREATEST((SELECT max(day) FROM socialroi.rollup_spend),
                        (SELECT max((SELECT max(a.day) FROM socialroi.attribution a
                                      WHERE a.campaign_id = i.id))
                           FROM pg_catalog.unnest(k.ids) i(id)),
                        (SELECT a.day FROM socialroi.attribution a WHERE a.campaign_id IS NULL
                          ORDER BY a.campaign_id DESC, a.day DESC LIMIT 1),
                        (SELECT max(day) FROM socialroi.ad_daily)) AS hi) b,
       pg_catalog.generate_series(pg_catalog.date_trunc('month', b.lo::timestamp),
                                  b.hi::timestamp, interval '1 month') m
 WHERE EXISTS (SELECT 1 FROM socialroi.rollup_spend r
                WHERE r.day >= m::date AND r.day < (m + interval '1 month')::date)
    OR EXISTS (SELECT 1 FROM pg_catalog.unnest(k.ids) i(id)
                WHERE EXISTS (SELECT 1 FROM socialroi.attribution a
                               WHERE a.campaign_id = i.id AND a.day >= m::date
                                 AND a.day < (m + interval '1 month')::date))
    OR EXISTS (SELECT 1 FROM socialroi.attribution a
                WHERE a.campaign_id IS NULL AND a.day >= m::date
                  AND a.day < (m + interval '1 month')::date)
    OR EXISTS (SELECT 1 FROM socialroi.ad_daily d
                WHERE d.day >= m::date AND d.day < (m + interval '1 month')::date);

COMMENT ON FUNCTION socialroi.credited_campaigns() IS
    'The business campaign ids socialroi.attribution credits, found in its campaign index.';

REVOKE ALL ON FUNCTION socialroi.credited_campaigns() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.credited_campaigns()
    TO socialroi_daemon, socialroi_finance, socialroi_dashboard;

-- socialroi.credit_conversions as sql/015 defined it, with each touch carrying its
-- conversion's time, day, won, currency and revenue (no join back to the conversions) and
-- its channel and campaign looked up before the touches are sorted. The rows are the same.
CREATE OR REPLACE FUNCTION socialroi.credit_conversions(p_people text[], p_deals text[])
RETURNS void
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
        -- a deal with what its rows carry: revenue in reporting micros when won (NULL without
        -- a rate) and the currency shown
        SELECT x.key, x.account_id, x.deal_id, x.created_at, x.is_won, x.day, r.revenue,
               CASE WHEN x.is_won AND r.revenue IS NULL THEN COALESCE(x.currency::text, '???')
                    ELSE reporting END AS currency
          FROM (SELECT DISTINCT k.key, d.account_id, d.deal_id, d.created_at, d.is_won,
                       (COALESCE(d.closed_at, d.created_at) AT TIME ZONE 'UTC')::date AS day,
                       d.amount_micros, d.currency
                  FROM pg_catalog.unnest(p_deals) k(key)
                  JOIN socialroi.deal d
                    ON d.account_id = pg_catalog.split_part(k.key, ':', 1)::integer
                   AND d.deal_id = pg_catalog.substr(
                           k.key, pg_catalog.length(pg_catalog.split_part(k.key, ':', 1)) + 2)) x,
               LATERAL (SELECT CASE WHEN x.is_won
                                    THEN socialroi.to_reporting(COALESCE(x.amount_micros, 0),
                                                                x.currency, x.day) END
                                   AS revenue) r
    ), deal_lead AS (
        -- every lead of every person among the deal's contacts, with the deal's row values
        SELECT d.key, l.account_id, l.lead_id, d.created_at AS at, d.day, d.is_won AS won,
               d.currency, d.revenue
          FROM deal d
          JOIN socialroi.deal_contact dc ON dc.account_id = d.account_id
                                        AND dc.deal_id = d.deal_id
          JOIN socialroi.lead c ON c.account_id = dc.account_id AND c.lead_id = dc.lead_id
          JOIN socialroi.lead l ON l.email_hash = c.email_hash
        UNION
        SELECT d.key, c.account_id, c.lead_id, d.created_at, d.day, d.is_won, d.currency,
               d.revenue
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
        SELECT 'deal', d.key, d.created_at, d.day, d.is_won, d.currency, d.revenue FROM deal d
    ), conversion_lead AS (
        -- each lead of each conversion with the conversion's time and row values, so a
        -- touch needs no join back to its conversion (a join of two sets whose sizes the
        -- planner cannot know, once run as a nested loop: 13,141 deals x 20,653 leads)
        SELECT 'lead'::text AS kind, pl.key, pl.account_id, pl.lead_id,
               pg_catalog.min(pl.created_at) OVER w AS at,
               (pg_catalog.min(pl.created_at) OVER w AT TIME ZONE 'UTC')::date AS day,
               false AS won, NULL::text AS currency, NULL::bigint AS revenue
          FROM person_lead pl
        WINDOW w AS (PARTITION BY pl.key)
        UNION ALL
        SELECT 'deal', dl.key, dl.account_id, dl.lead_id, dl.at, dl.day, dl.won, dl.currency,
               dl.revenue
          FROM deal_lead dl
    ), raw_touch AS (
        SELECT cl.kind, cl.key, cl.at, cl.day, cl.won, cl.currency, cl.revenue, t.occurred_at,
               t.account_id, t.touch_id,
               pg_catalog.jsonb_build_array(t.platform, t.campaign_id, t.utm_campaign)::text
                   AS origin
          FROM conversion_lead cl
          JOIN socialroi.touchpoint t ON t.account_id = cl.account_id AND t.lead_id = cl.lead_id
         WHERE t.occurred_at <= cl.at
    ), origin AS MATERIALIZED (
        -- channel and business campaign once per distinct (platform, ad campaign, utm_campaign),
        -- as one object keyed by that triple, so each touch finds its own by a key lookup
        SELECT pg_catalog.jsonb_object_agg(o.origin, pg_catalog.jsonb_build_array(
                   socialroi.channel_of(o.o ->> 0),
                   socialroi.touch_campaign(o.o ->> 0, o.o ->> 1, o.o ->> 2))) AS map
          FROM (SELECT DISTINCT r.origin, r.origin::jsonb AS o FROM raw_touch r) o
    ), touch AS (
        -- the conversion's touches up to it, in time order, with their age in days; each
        -- touch's channel and campaign are looked up before the sort (OFFSET 0 keeps them
        -- there), so the rows sorted do not carry the whole map
        SELECT r.kind, r.key,
               pg_catalog.row_number() OVER (PARTITION BY r.kind, r.key
                                             ORDER BY r.occurred_at, r.account_id, r.touch_id)
                   ::integer AS seq,
               pg_catalog.count(*) OVER (PARTITION BY r.kind, r.key)::integer AS n,
               (pg_catalog.date_part('epoch', r.at - r.occurred_at) / 86400.0)::numeric AS age,
               r.channel, r.campaign_id, r.day, r.won, r.currency, r.revenue
          FROM (SELECT r.kind, r.key, r.at, r.occurred_at, r.account_id, r.touch_id, r.day,
                       r.won, r.currency, r.revenue,
                       (o.map -> r.origin) ->> 0 AS channel,
                       ((o.map -> r.origin) ->> 1)::integer AS campaign_id
                  FROM raw_touch r, origin o OFFSET 0) r
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
           (r.w_hi - r.w_lo)::numeric / 1000000, cr.day, cr.won, cr.currency,
           CASE WHEN cr.revenue IS NULL THEN NULL ELSE r.v_hi - r.v_lo END
      FROM credited cr,
           -- the cumulative shares of touches 1..seq and 1..seq-1, in millionths (x1, x2 and
           -- n1, n2 over den) and in revenue micros (x3, x4 and n3, n4 over den)
           LATERAL (SELECT 1000000::numeric * cr.cum_num AS n1,
                           1000000::numeric * (cr.cum_num - cr.num) AS n2,
                           cr.revenue::numeric * cr.cum_num AS n3,
                           cr.revenue::numeric * (cr.cum_num - cr.num) AS n4,
                           1000000 * cr.cum_weight AS x1,
                           1000000 * (cr.cum_weight - cr.weight) AS x2,
                           cr.revenue * cr.cum_weight AS x3,
                           cr.revenue * (cr.cum_weight - cr.weight) AS x4) a,
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

-- socialroi.rollup_dirty as sql/018 defined it, the batch's people and deals credited in slices
-- of 10,000 (each slice's sorts and joins bounded whatever p_limit is), in key order.
CREATE OR REPLACE FUNCTION socialroi.rollup_dirty(p_limit integer) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    slice constant integer := 10000;
    campaigns integer[];
    days date[];
    people text[];
    deals text[];
    marks bigint[];
    i integer := 1;
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('socialroi.rollup'));
    WITH batch AS (
        SELECT s.campaign_id, s.day, pg_catalog.array_agg(s.mark_id) AS marks
          FROM socialroi.dirty_spend s GROUP BY s.campaign_id, s.day
         ORDER BY s.day, s.campaign_id LIMIT p_limit
    )
    SELECT pg_catalog.array_agg(b.campaign_id), pg_catalog.array_agg(b.day),
           (SELECT pg_catalog.array_agg(m) FROM batch, pg_catalog.unnest(batch.marks) m)
      INTO campaigns, days, marks
      FROM batch b;
    IF marks IS NOT NULL THEN
        PERFORM socialroi.compute_spend_batch(campaigns, days);
        DELETE FROM socialroi.dirty_spend WHERE mark_id = ANY (marks);
    END IF;
    WITH batch AS (
        SELECT c.kind, c.key, pg_catalog.array_agg(c.mark_id) AS marks
          FROM socialroi.dirty_conversion c GROUP BY c.kind, c.key
         ORDER BY c.kind DESC, c.key LIMIT p_limit
    )
    SELECT COALESCE(pg_catalog.array_agg(b.key ORDER BY b.key)
                        FILTER (WHERE b.kind = 'person'), '{}'),
           COALESCE(pg_catalog.array_agg(b.key ORDER BY b.key)
                        FILTER (WHERE b.kind <> 'person'), '{}'),
           (SELECT pg_catalog.array_agg(m) FROM batch, pg_catalog.unnest(batch.marks) m)
      INTO people, deals, marks
      FROM batch b;
    IF marks IS NOT NULL THEN
        -- in slices of people and deals, in key order
        WHILE i <= pg_catalog.cardinality(people) OR i <= pg_catalog.cardinality(deals) LOOP
            PERFORM socialroi.credit_conversions(people[i:i + slice - 1],
                                                 deals[i:i + slice - 1]);
            i := i + slice;
        END LOOP;
        INSERT INTO socialroi.dirty_conversion (kind, key)
        SELECT 'deal', d FROM socialroi.deals_of_people(people) d
        ON CONFLICT DO NOTHING;
        DELETE FROM socialroi.dirty_conversion WHERE mark_id = ANY (marks);
    END IF;
    RETURN (SELECT count(*) FROM socialroi.dirty_spend)
         + (SELECT count(*) FROM socialroi.dirty_conversion);
END
$$;
