-- 004_money.sql: settings, campaigns from the config, FX rates, configured spend per day.
--
-- Money stays in int64 micro-units of its own currency until a report asks for the reporting
-- currency; conversion uses the rate of that day (the latest earlier rate when the day has
-- none) and an amount without any rate is reported as unconverted, never taken as 1:1.

CREATE TABLE socialroi.setting (
    key             text PRIMARY KEY,
    value           text NOT NULL
);
INSERT INTO socialroi.setting VALUES ('reporting_currency', 'USD'), ('half_life_days', '7');

-- The daemon syncs its [daemon] settings on start and reload.
CREATE FUNCTION socialroi.sync_settings(p_reporting text, p_half_life_days numeric)
RETURNS void LANGUAGE sql SET search_path = '' AS $$
    INSERT INTO socialroi.setting AS s VALUES ('reporting_currency', p_reporting),
                                             ('half_life_days', p_half_life_days::text)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value WHERE s.value <> EXCLUDED.value
$$;

CREATE FUNCTION socialroi.reporting_currency() RETURNS text
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT value FROM socialroi.setting WHERE key = 'reporting_currency'
$$;

-- ---- FX ------------------------------------------------------------------------------------

-- Static rates from [fx] are stored at day -infinity: any dated rate takes precedence.
ALTER TABLE socialroi.fx_rate ADD CONSTRAINT fx_rate_currency_check
    CHECK (currency ~ '^[A-Z]{3}$');

-- Units of the reporting currency per unit of p_currency on p_day; NULL when no rate is known.
CREATE FUNCTION socialroi.fx(p_currency text, p_day date) RETURNS numeric
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT CASE WHEN p_currency = socialroi.reporting_currency() THEN 1::numeric ELSE
           (SELECT rate FROM socialroi.fx_rate
             WHERE currency = p_currency AND day <= p_day ORDER BY day DESC LIMIT 1) END
$$;

-- Round half to even, to the micro-unit (PostgreSQL's round() goes half away from zero).
CREATE FUNCTION socialroi.round_even(x numeric) RETURNS bigint
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT CASE WHEN x - pg_catalog.floor(x) = 0.5
                THEN (pg_catalog.floor(x) + (pg_catalog.floor(x)::bigint % 2 <> 0)::int)::bigint
                ELSE pg_catalog.round(x)::bigint END
$$;

-- Micros of p_currency on p_day in reporting-currency micros; NULL without a rate.
CREATE FUNCTION socialroi.to_reporting(p_micros bigint, p_currency text, p_day date)
RETURNS bigint LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT socialroi.round_even(p_micros * socialroi.fx(p_currency, p_day))
$$;

-- [fx] rates of the config: replaced as a whole on every sync.
CREATE FUNCTION socialroi.sync_fx_static(p_rates jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    DELETE FROM socialroi.fx_rate f
     WHERE f.source = 'config' AND NOT (p_rates ? f.currency::text);
    INSERT INTO socialroi.fx_rate AS f (day, currency, rate, source)
    SELECT '-infinity', k, v::numeric, 'config' FROM pg_catalog.jsonb_each_text(p_rates) AS e(k, v)
    ON CONFLICT (day, currency) DO UPDATE SET rate = EXCLUDED.rate, source = 'config'
     WHERE f.rate <> EXCLUDED.rate;
END
$$;

-- ---- campaigns -------------------------------------------------------------------------------

-- Declarative: the config's campaigns exist with exactly their spend lines and links; a
-- campaign no longer in the config becomes inactive (its history stays). Unchanged lines and
-- links are left alone, so a reload with the same file changes nothing.
CREATE FUNCTION socialroi.sync_campaigns(p jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    c jsonb;
    cid integer;
BEGIN
    UPDATE socialroi.campaign SET active = false, updated_at = pg_catalog.now()
     WHERE active AND name NOT IN (SELECT e ->> 'name' FROM pg_catalog.jsonb_array_elements(p) e);
    FOR c IN SELECT * FROM pg_catalog.jsonb_array_elements(p) LOOP
        INSERT INTO socialroi.campaign AS k (name, title, start_day, end_day, budget_micros,
                                             budget_currency, active)
        VALUES (c ->> 'name', c ->> 'title', (c ->> 'start')::date, (c ->> 'end')::date,
                (c ->> 'budget_micros')::bigint, c ->> 'budget_currency', true)
        ON CONFLICT (name) DO UPDATE
           SET title = EXCLUDED.title, start_day = EXCLUDED.start_day, end_day = EXCLUDED.end_day,
               budget_micros = EXCLUDED.budget_micros, budget_currency = EXCLUDED.budget_currency,
               active = true, updated_at = pg_catalog.now()
         WHERE (k.title, k.start_day, k.end_day, k.budget_micros, k.budget_currency, k.active)
               IS DISTINCT FROM (EXCLUDED.title, EXCLUDED.start_day, EXCLUDED.end_day,
                                 EXCLUDED.budget_micros, EXCLUDED.budget_currency, true);
        SELECT campaign_id INTO cid FROM socialroi.campaign WHERE name = c ->> 'name';

        DELETE FROM socialroi.campaign_spend s
         WHERE s.campaign_id = cid
           AND (s.line_no, s.kind, s.amount_micros, s.currency::text, s.start_day, s.end_day)
               NOT IN (SELECT (x ->> 'line')::int, x ->> 'kind', (x ->> 'amount_micros')::bigint,
                              x ->> 'currency', (x ->> 'start')::date, (x ->> 'end')::date
                         FROM pg_catalog.jsonb_array_elements(c -> 'spend') x);
        INSERT INTO socialroi.campaign_spend (campaign_id, line_no, kind, amount_micros, currency,
                                              start_day, end_day)
        SELECT cid, (x ->> 'line')::int, x ->> 'kind', (x ->> 'amount_micros')::bigint,
               x ->> 'currency', (x ->> 'start')::date, (x ->> 'end')::date
          FROM pg_catalog.jsonb_array_elements(c -> 'spend') x
        ON CONFLICT DO NOTHING;

        DELETE FROM socialroi.campaign_link l
         WHERE l.campaign_id = cid
           AND (l.kind, l.platform, l.value)
               NOT IN (SELECT x ->> 'kind', x ->> 'platform', x ->> 'value'
                         FROM pg_catalog.jsonb_array_elements(c -> 'links') x);
        INSERT INTO socialroi.campaign_link (campaign_id, kind, platform, value)
        SELECT cid, x ->> 'kind', x ->> 'platform', x ->> 'value'
          FROM pg_catalog.jsonb_array_elements(c -> 'links') x
        ON CONFLICT DO NOTHING;
    END LOOP;
END
$$;

-- ---- configured spend, day by day ------------------------------------------------------------

-- Spreads p_micros over the days from p_from to p_to so the days add up exactly: every day gets
-- the same share and the first (remainder) days one micro more.
CREATE FUNCTION socialroi.spread(p_micros bigint, p_from date, p_to date)
RETURNS TABLE (day date, micros bigint)
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT p_from + i::integer, p_micros / n + (CASE WHEN i < pg_catalog.abs(p_micros % n)
                                                     THEN pg_catalog.sign(p_micros)::bigint
                                                     ELSE 0 END)
      FROM (SELECT (p_to - p_from + 1)::bigint AS n) k, pg_catalog.generate_series(0, k.n - 1) i
$$;

-- One spend line as daily amounts in its own currency:
--   fixed    amount over [start, end], spread evenly per day
--   monthly  amount per calendar month within [start, end]; a partial month gets its share of
--            days (half to even to the micro), spread over those days
--   oneoff   amount on start
CREATE FUNCTION socialroi.spend_line_days(p_kind text, p_micros bigint, p_from date, p_to date)
RETURNS TABLE (day date, micros bigint)
LANGUAGE plpgsql IMMUTABLE SET search_path = '' AS $$
DECLARE
    m date;
    first date;
    last date;
    month_days integer;
BEGIN
    IF p_kind = 'oneoff' THEN
        RETURN QUERY SELECT p_from, p_micros;
    ELSIF p_kind = 'fixed' THEN
        RETURN QUERY SELECT * FROM socialroi.spread(p_micros, p_from, p_to);
    ELSE
        m := pg_catalog.date_trunc('month', p_from)::date;
        WHILE m <= p_to LOOP
            month_days := ((m + interval '1 month')::date - m);
            first := GREATEST(m, p_from);
            last := LEAST((m + interval '1 month')::date - 1, p_to);
            RETURN QUERY SELECT * FROM socialroi.spread(
                socialroi.round_even(p_micros::numeric * (last - first + 1) / month_days),
                first, last);
            m := (m + interval '1 month')::date;
        END LOOP;
    END IF;
END
$$;

-- Configured spend of every campaign per day and currency.
CREATE VIEW socialroi.configured_spend_daily AS
SELECT s.campaign_id, d.day, s.currency, sum(d.micros)::bigint AS micros
  FROM socialroi.campaign_spend s,
       LATERAL socialroi.spend_line_days(s.kind, s.amount_micros, s.start_day, s.end_day) d
 GROUP BY s.campaign_id, d.day, s.currency;

GRANT SELECT, INSERT, UPDATE, DELETE ON socialroi.setting TO socialroi_daemon;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA socialroi TO socialroi_daemon;
