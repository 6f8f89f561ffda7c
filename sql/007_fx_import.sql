-- 007_fx_import.sql: daily rates from an ECB-style CSV (socialroi fx import, [fx] csv).
--
-- The file quotes every currency against one base (the ECB: units of the currency per 1 EUR);
-- stored rates are units of the reporting currency per unit of each currency, so each day's
-- rates are divided through the reporting currency's own quote that day. Decimal all the way.

-- p_rows: [{"day": "2026-11-20", "currency": "USD", "quote": "1.0842"}, ...]. Returns the
-- number of rates stored (inserted or changed). Days without a quote of the reporting currency
-- (when it is not the base) are skipped.
CREATE FUNCTION socialroi.import_fx(p_rows jsonb, p_base text, p_source text) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    reporting text := socialroi.reporting_currency();
    n integer;
BEGIN
    WITH q AS (
        SELECT (r ->> 'day')::date AS day, r ->> 'currency' AS currency,
               (r ->> 'quote')::numeric AS quote
          FROM pg_catalog.jsonb_array_elements(p_rows) r
         WHERE (r ->> 'quote')::numeric > 0
        UNION ALL
        SELECT DISTINCT (r ->> 'day')::date, p_base, 1::numeric
          FROM pg_catalog.jsonb_array_elements(p_rows) r),
    ref AS (
        SELECT day, quote FROM q WHERE currency = reporting),
    rates AS (
        SELECT q.day, q.currency, pg_catalog.round(ref.quote / q.quote, 12) AS rate
          FROM q JOIN ref USING (day)
         WHERE q.currency <> reporting)
    INSERT INTO socialroi.fx_rate AS f (day, currency, rate, source)
    SELECT day, currency, rate, p_source FROM rates
    ON CONFLICT (day, currency) DO UPDATE SET rate = EXCLUDED.rate, source = EXCLUDED.source
     WHERE f.rate <> EXCLUDED.rate;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN n;
END
$$;

GRANT EXECUTE ON FUNCTION socialroi.import_fx(jsonb, text, text) TO socialroi_daemon;
