-- 014_exact_credit.sql: credit in millionths that add up however the rows are cut.
--
-- A conversion's weights were exact fractions (1/3) or 20-decimal shares; the views round each
-- row to six decimals, so rows summed in a BI tool (channels of a month) could miss the total
-- by a millionth per row. Credit is now split like revenue: touch i gets R(10^6 x S_i) -
-- R(10^6 x S_(i-1)) millionths, S_i the exact share of touches 1..i and R half to even. A
-- conversion's weights still add up to exactly 1, each is within a millionth of its exact
-- share, and every sum of them (per campaign, channel, month) is exact at six decimals, so the
-- channel rows add up to the campaign rows to the last digit.
--
-- platform_reported gets channel rows too (the platforms' own counts per platform), so
-- finance.channel_roi has every model finance.campaign_roi has.

CREATE OR REPLACE FUNCTION socialroi.write_attribution(p_kind text, p_key text, p_time timestamptz,
                                            p_day date, p_won boolean, p_currency text,
                                            p_revenue bigint, p_touches jsonb)
RETURNS void LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    m text;
    half numeric := (SELECT value::numeric FROM socialroi.setting WHERE key = 'half_life_days');
    ages numeric[];
BEGIN
    DELETE FROM socialroi.attribution WHERE kind = p_kind AND conversion = p_key;
    IF p_touches IS NULL OR pg_catalog.jsonb_array_length(p_touches) = 0 THEN
        INSERT INTO socialroi.attribution
        SELECT p_kind, p_key, m2, 0, NULL, NULL, 1, p_day, p_won, p_currency, p_revenue
          FROM pg_catalog.unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                                       'time_decay']) m2;
        RETURN;
    END IF;
    SELECT pg_catalog.array_agg(pg_catalog.date_part('epoch', p_time - (t ->> 'at')::timestamptz)
                                / 86400.0 ORDER BY o)
      INTO ages FROM pg_catalog.jsonb_array_elements(p_touches) WITH ORDINALITY AS x(t, o);
    FOREACH m IN ARRAY ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                             'time_decay'] LOOP
        INSERT INTO socialroi.attribution
        SELECT p_kind, p_key, m, w.seq, (t.t ->> 'campaign')::integer, t.t ->> 'channel',
               (CASE WHEN w.den > 0 THEN
                        socialroi.div_round_even(1000000::numeric
                                                 * sum(w.num) OVER (ORDER BY w.seq), w.den)
                      - socialroi.div_round_even(1000000::numeric
                                                 * (sum(w.num) OVER (ORDER BY w.seq) - w.num),
                                                 w.den)
                    ELSE socialroi.round_even(1000000 * sum(w.weight) OVER (ORDER BY w.seq))
                       - socialroi.round_even(1000000 * (sum(w.weight) OVER (ORDER BY w.seq)
                                                         - w.weight)) END)::numeric / 1000000,
               p_day, p_won, p_currency,
               CASE WHEN p_revenue IS NULL THEN NULL
                    WHEN w.den > 0 THEN
                        socialroi.div_round_even(p_revenue::numeric
                                                 * sum(w.num) OVER (ORDER BY w.seq), w.den)
                      - socialroi.div_round_even(p_revenue::numeric
                                                 * (sum(w.num) OVER (ORDER BY w.seq) - w.num),
                                                 w.den)
                    ELSE socialroi.round_even(p_revenue * sum(w.weight) OVER (ORDER BY w.seq))
                       - socialroi.round_even(p_revenue * (sum(w.weight) OVER (ORDER BY w.seq)
                                                           - w.weight)) END
          FROM socialroi.model_weights(m, ages, half) w
          JOIN pg_catalog.jsonb_array_elements(p_touches) WITH ORDINALITY AS t(t, o)
            ON t.o = w.seq
         WHERE w.weight <> 0;
    END LOOP;
END
$$;


CREATE OR REPLACE FUNCTION socialroi.roi(p_from date, p_to date, p_by text, p_model text)
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend_micros bigint, configured_spend_micros bigint,
               spend_micros bigint, unconverted text[], leads numeric, customers numeric,
               revenue_micros bigint)
LANGUAGE plpgsql STABLE SET search_path = '' AS $$
BEGIN
    IF p_model = 'platform_reported' THEN
        RETURN QUERY
        SELECT CASE WHEN p_by = 'channel' THEN r.platform ELSE c.name END,
               CASE WHEN p_by = 'channel' THEN NULL ELSE c.title END, r.platform, p_model,
               socialroi.reporting_currency(),
               COALESCE(sum(r.reporting_micros), 0)::bigint, 0::bigint,
               COALESCE(sum(r.reporting_micros), 0)::bigint,
               pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT CASE WHEN
                   r.reporting_micros IS NULL THEN r.currency::text END), NULL),
               sum(r.platform_leads)::numeric, sum(r.platform_conversions)::numeric,
               sum(socialroi.to_reporting(r.platform_value_micros, r.currency, r.day))::bigint
          FROM socialroi.rollup_spend r JOIN socialroi.campaign c USING (campaign_id)
         WHERE r.source = 'platform' AND r.day BETWEEN p_from AND p_to
           AND (p_by <> 'total')
         GROUP BY 1, 2, r.platform;
        RETURN;
    END IF;
    RETURN QUERY
    WITH credit AS (
        SELECT CASE p_by WHEN 'campaign' THEN
                    CASE WHEN a.seq = 0 THEN '(unattributed)'
                         ELSE COALESCE(c.name, '(no campaign)') END
                    WHEN 'channel' THEN
                    CASE WHEN a.seq = 0 THEN '(unattributed)'
                         ELSE COALESCE(a.channel, '(unknown)') END
                    ELSE 'total' END AS k,
               max(c.title) FILTER (WHERE p_by = 'campaign' AND a.seq <> 0) AS t,
               sum(a.weight) FILTER (WHERE a.kind = 'lead') AS leads,
               sum(a.weight) FILTER (WHERE a.kind = 'deal' AND a.won) AS customers,
               sum(a.revenue_micros) FILTER (WHERE a.kind = 'deal' AND a.won) AS revenue,
               pg_catalog.array_agg(DISTINCT a.currency::text)
                   FILTER (WHERE a.kind = 'deal' AND a.won AND a.revenue_micros IS NULL) AS u
          FROM socialroi.attribution a LEFT JOIN socialroi.campaign c USING (campaign_id)
         WHERE a.model = p_model AND a.day BETWEEN p_from AND p_to
         GROUP BY 1),
    spend AS (
        -- every campaign that runs in the period, spending or not, and any with spend in it
        SELECT c.name AS k, c.title AS t, COALESCE(s.platform_micros, 0) AS pm,
               COALESCE(s.configured_micros, 0) AS cm, COALESCE(s.unconverted, '{}') AS u
          FROM socialroi.campaign c
          LEFT JOIN socialroi.campaign_spend_between(p_from, p_to) s USING (campaign_id)
         WHERE p_by = 'campaign'
           AND (s.campaign_id IS NOT NULL
                OR (c.active AND c.start_day <= p_to AND (c.end_day IS NULL OR c.end_day >= p_from)))
        UNION ALL
        SELECT CASE WHEN r.source = 'configured' THEN '(configured)' ELSE r.platform END, NULL,
               COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'platform'), 0),
               COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'configured'), 0),
               pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT
                   CASE WHEN r.reporting_micros IS NULL THEN r.currency::text END), NULL)
          FROM socialroi.rollup_spend r
         WHERE p_by = 'channel' AND r.day BETWEEN p_from AND p_to
         GROUP BY 1
        UNION ALL
        SELECT 'total', NULL,
               COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'platform'), 0),
               COALESCE(sum(r.reporting_micros) FILTER (WHERE r.source = 'configured'), 0),
               pg_catalog.array_remove(pg_catalog.array_agg(DISTINCT
                   CASE WHEN r.reporting_micros IS NULL THEN r.currency::text END), NULL)
          FROM socialroi.rollup_spend r
         WHERE p_by NOT IN ('campaign', 'channel') AND r.day BETWEEN p_from AND p_to
        HAVING p_by NOT IN ('campaign', 'channel'))
    SELECT COALESCE(s.k, cr.k), COALESCE(s.t, cr.t), NULL::text, p_model,
           socialroi.reporting_currency(),
           COALESCE(s.pm, 0)::bigint, COALESCE(s.cm, 0)::bigint,
           (COALESCE(s.pm, 0) + COALESCE(s.cm, 0))::bigint,
           ARRAY(SELECT DISTINCT x FROM pg_catalog.unnest(COALESCE(s.u, '{}')
                                                         || COALESCE(cr.u, '{}')) x
                  ORDER BY x),
           COALESCE(cr.leads, 0), COALESCE(cr.customers, 0), COALESCE(cr.revenue, 0)::bigint
      FROM spend s FULL JOIN credit cr ON cr.k = s.k;
END
$$;


CREATE OR REPLACE VIEW finance.channel_roi AS
SELECT m.month, r.key AS channel, r.model, r.currency, r.platform_spend, r.configured_spend,
       r.spend, r.unconverted_currencies, r.leads, r.customers, r.revenue, r.roi, r.roas,
       r.cost_per_lead, r.customer_acquisition_cost
  FROM finance.months() m,
       pg_catalog.unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                               'time_decay', 'platform_reported']) AS model_name,
       LATERAL finance.roi(m.month, (m.month + interval '1 month' - interval '1 day')::date,
                           'channel', model_name) r;

-- Every conversion is credited again in millionths by the next rollup.
INSERT INTO socialroi.dirty_conversion (kind, key)
SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash)
  FROM socialroi.lead
ON CONFLICT DO NOTHING;
INSERT INTO socialroi.dirty_conversion (kind, key)
SELECT 'deal', account_id || ':' || deal_id FROM socialroi.deal
ON CONFLICT DO NOTHING;
