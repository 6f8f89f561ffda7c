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
-- finance.channel_roi gets platform_reported rows too (the platforms' own counts per platform,
-- socialroi.roi in 010), so it has every model finance.campaign_roi has.

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
