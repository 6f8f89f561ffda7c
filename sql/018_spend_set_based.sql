-- 018_spend_set_based.sql - the spend rollup credits a batch of dirty (campaign, day) buckets
-- with one statement per source, instead of one function call per bucket.
--
-- compute_spend(campaign, day) read socialroi.configured_spend_daily for one day: the view
-- spreads every spend line of the campaign over all of its days and the filter keeps one, so
-- a rollup of N days of a campaign spread its lines N times (quadratic in the campaign's
-- length: a 400-day world spent 6.3 of its 8 rollup seconds there). compute_spend_batch
-- spreads the lines of the batch's campaigns once and joins the batch to them and to
-- socialroi.ad_daily. The rows it writes are the ones compute_spend wrote.

CREATE FUNCTION socialroi.compute_spend_batch(p_campaigns integer[], p_days date[])
RETURNS void
LANGUAGE sql SET search_path = '' AS $$
    DELETE FROM socialroi.rollup_spend r
     USING ROWS FROM (pg_catalog.unnest(p_campaigns), pg_catalog.unnest(p_days))
           AS b(campaign_id, day)
     WHERE r.campaign_id = b.campaign_id AND r.day = b.day;
    INSERT INTO socialroi.rollup_spend (campaign_id, day, source, platform, currency, micros,
                                        reporting_micros, impressions, clicks, platform_leads,
                                        platform_conversions, platform_value_micros)
    SELECT b.campaign_id, b.day, 'platform', a.platform, d.currency, sum(d.spend_micros),
           socialroi.to_reporting(sum(d.spend_micros)::bigint, d.currency, b.day),
           sum(d.impressions), sum(d.clicks), sum(d.leads), sum(d.conversions),
           sum(d.conversion_value_micros)
      FROM ROWS FROM (pg_catalog.unnest(p_campaigns), pg_catalog.unnest(p_days))
           AS b(campaign_id, day)
      JOIN socialroi.campaign_link l ON l.campaign_id = b.campaign_id AND l.kind = 'ad_campaign'
      JOIN socialroi.account a ON a.platform = l.platform
      JOIN socialroi.ad_daily d
        ON d.account_id = a.account_id AND d.campaign_id = l.value AND d.day = b.day
     GROUP BY b.campaign_id, b.day, a.platform, d.currency;
    INSERT INTO socialroi.rollup_spend (campaign_id, day, source, platform, currency, micros,
                                        reporting_micros)
    SELECT b.campaign_id, b.day, 'configured', '', s.currency, s.micros,
           socialroi.to_reporting(s.micros, s.currency, b.day)
      FROM ROWS FROM (pg_catalog.unnest(p_campaigns), pg_catalog.unnest(p_days))
           AS b(campaign_id, day)
      JOIN (SELECT l.campaign_id, d.day, l.currency, sum(d.micros)::bigint AS micros
              FROM socialroi.campaign_spend l,
                   LATERAL socialroi.spend_line_days(l.kind, l.amount_micros, l.start_day,
                                                     l.end_day) d
             WHERE l.campaign_id = ANY (p_campaigns)
             GROUP BY l.campaign_id, d.day, l.currency) s
        ON s.campaign_id = b.campaign_id AND s.day = b.day;
$$;

-- One bucket is a batch of one: a single definition of what a bucket's rows are.
CREATE OR REPLACE FUNCTION socialroi.compute_spend(p_campaign integer, p_day date) RETURNS void
LANGUAGE sql SET search_path = '' AS $$
    SELECT socialroi.compute_spend_batch(ARRAY[p_campaign], ARRAY[p_day]);
$$;

-- As 015, with the spend buckets of a batch credited together.
CREATE OR REPLACE FUNCTION socialroi.rollup_dirty(p_limit integer) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    campaigns integer[];
    days date[];
    people text[];
    deals text[];
    marks bigint[];
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

GRANT EXECUTE ON FUNCTION socialroi.compute_spend_batch(integer[], date[]) TO socialroi_daemon;
