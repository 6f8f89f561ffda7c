-- 024_credit_linear.sql - crediting in slices gives the rows of one call: a batch larger than
-- a slice (10,000 people and deals), credited by socialroi.rollup_dirty as the daemon, equals
-- socialroi.credit_conversions of the whole batch at once, row for row; the day index of
-- socialroi.attribution is gone; socialroi.credited_campaigns lists every campaign credited
-- (from the campaign index) and the readers reach it through the views; the months and the
-- ROI figures of every period are those a scan of every row gives.
BEGIN;
SELECT plan(9);

\ir worlds/finance.sql

-- Beside the world: 24,000 more leads (three in four with an e-mail hash, shared by two
-- neighbours: about 18,000 people), 0 to 3 touches each on the world's ad campaigns, a deal for every
-- tenth (won, in USD or EUR), so the daemon's batch spans two slices of people and the deals
-- reach through shared hashes.
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
SELECT 1, 'p' || i, 'form', '2026-01-01 00:00Z'::timestamptz + i * interval '7 minutes',
       CASE WHEN i % 4 <> 0 THEN 'ph' || (i - i % 2) END
  FROM generate_series(1, 24000) i;
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign)
SELECT 1, 'pt' || i || '_' || k, 'p' || i, 'ad_click',
       '2026-01-01 00:00Z'::timestamptz + i * interval '7 minutes' - k * interval '9 hours',
       (ARRAY['facebook', 'linkedin', 'x', NULL])[1 + (i + k) % 4],
       (ARRAY['111', '222', NULL, '333'])[1 + (i * k) % 4],
       (ARRAY[NULL, 'beta', 'alpha', 'zzz'])[1 + (i + 2 * k) % 4]
  FROM generate_series(1, 24000) i, generate_series(1, 3) k
 WHERE k <= i % 4;
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
SELECT 1, 'pd' || i, i * 1000, CASE WHEN i % 20 = 0 THEN 'EUR' ELSE 'USD' END, true, true,
       '2026-03-01Z', '2026-03-02Z'
  FROM generate_series(10, 24000, 10) i;
INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
SELECT 1, 'pd' || i, 'p' || i FROM generate_series(10, 24000, 10) i;

SET ROLE socialroi_daemon;
SELECT socialroi.rollup_dirty(100000) + socialroi.rollup_dirty(100000)
     + socialroi.rollup_dirty(100000);
RESET ROLE;
CREATE TEMP TABLE got AS SELECT * FROM socialroi.attribution;

-- The whole batch in one call, as the reference.
DELETE FROM socialroi.attribution;
SELECT socialroi.credit_conversions(
    (SELECT array_agg(DISTINCT socialroi.person_key(account_id, lead_id, email_hash))
       FROM socialroi.lead),
    (SELECT array_agg(account_id || ':' || deal_id) FROM socialroi.deal));
CREATE TEMP TABLE want AS SELECT * FROM socialroi.attribution;

SELECT ok((SELECT count(DISTINCT conversion) FROM want WHERE kind = 'lead') > 10000
          AND (SELECT count(DISTINCT conversion) FROM want WHERE kind = 'deal') > 1000
          AND (SELECT count(*) FROM want WHERE seq = 0) > 0
          AND (SELECT count(*) FROM want WHERE kind = 'deal' AND won AND revenue_micros > 0)
              > 1000,
          'more than a slice of people, deals through shared hashes, conversions without '
          'touches, won revenue');
SELECT set_eq($$SELECT kind, conversion, model, seq, campaign_id, channel, weight::text, day,
                       won, currency, revenue_micros FROM got$$,
              $$SELECT kind, conversion, model, seq, campaign_id, channel, weight::text, day,
                       won, currency, revenue_micros FROM want$$,
              'the daemon''s rollup in slices writes the rows of one call over the whole batch');

-- The day index is gone; the campaign index serves a period.
SELECT is((SELECT array_agg(indexrelid::regclass::text ORDER BY indexrelid::regclass::text)
             FROM pg_index WHERE indrelid = 'socialroi.attribution'::regclass),
          ARRAY['socialroi.attribution_campaign_idx', 'socialroi.attribution_pkey'],
          'attribution keeps its primary key and the campaign index; the day index is gone');
SELECT is(socialroi.credited_campaigns(),
          (SELECT array_agg(DISTINCT campaign_id ORDER BY campaign_id) FROM socialroi.attribution
            WHERE campaign_id IS NOT NULL),
          'credited_campaigns: every campaign the credit names, in order');

-- A campaign id no campaign has any more (a deleted campaign's stale credit) and credit of no
-- campaign on a day nothing else has: the months and the figures count them as a scan would.
INSERT INTO socialroi.attribution (kind, conversion, model, seq, campaign_id, channel, weight,
                                   day, won, currency, revenue_micros)
VALUES ('lead', 'x:stale', 'linear', 1, 9999, 'facebook', 1, '2025-06-15', false, NULL, NULL),
       ('lead', 'x:none', 'linear', 1, NULL, 'x', 1, '2025-04-15', false, NULL, NULL);
SELECT is((socialroi.credited_campaigns())[array_length(socialroi.credited_campaigns(), 1)], 9999,
          'credited_campaigns finds a campaign id that names no campaign');
SELECT is((SELECT array_agg(month ORDER BY month) FROM socialroi.data_months),
          (SELECT array_agg(DISTINCT date_trunc('month', day)::date
                              ORDER BY date_trunc('month', day)::date)
             FROM (SELECT day FROM socialroi.rollup_spend UNION ALL
                   SELECT day FROM socialroi.attribution UNION ALL
                   SELECT day FROM socialroi.ad_daily) d),
          'data_months: every month of the three tables, the stale and no-campaign credit''s '
          'too');

-- The ROI figures against the same query over every row (no index can serve it).
CREATE FUNCTION pg_temp.scan_credit(p_from date, p_to date, p_by text)
RETURNS TABLE (key text, model text, leads numeric, customers numeric, revenue bigint)
LANGUAGE sql AS $$
    SELECT CASE WHEN p_by NOT IN ('campaign', 'channel') THEN 'total'
                WHEN a.seq = 0 THEN '(unattributed)'
                WHEN p_by = 'campaign' THEN COALESCE(c.name, '(no campaign)')
                ELSE COALESCE(a.channel, '(unknown)') END,
           a.model, COALESCE(sum(a.weight) FILTER (WHERE a.kind = 'lead'), 0),
           COALESCE(sum(a.weight) FILTER (WHERE a.kind = 'deal' AND a.won), 0),
           COALESCE(sum(a.revenue_micros) FILTER (WHERE a.kind = 'deal' AND a.won), 0)::bigint
      FROM socialroi.attribution a LEFT JOIN socialroi.campaign c USING (campaign_id)
     WHERE a.day + 0 BETWEEN p_from AND p_to
     GROUP BY 1, 2
$$;
CREATE TEMP TABLE periods AS
SELECT * FROM (VALUES ('2025-04-01'::date, '2025-06-30'::date), ('2026-01-15', '2026-02-20'),
                      ('2026-02-01', '2026-02-28'), ('2026-03-01', '2026-03-31'),
                      ('2025-01-01', '2026-12-31')) p(f, t);
SELECT set_eq(
    $$SELECT p.f, b.by, r.key, r.model, r.leads, r.customers, r.revenue_micros
        FROM periods p, unnest(ARRAY['campaign', 'channel', 'total']) b(by),
             LATERAL socialroi.roi_all(p.f, p.t, b.by) r
       WHERE r.model <> 'platform_reported'
         AND (r.leads <> 0 OR r.customers <> 0 OR r.revenue_micros <> 0)$$,
    $$SELECT p.f, b.by, s.key, s.model, s.leads, s.customers, s.revenue
        FROM periods p, unnest(ARRAY['campaign', 'channel', 'total']) b(by),
             LATERAL pg_temp.scan_credit(p.f, p.t, b.by) s
       WHERE s.leads <> 0 OR s.customers <> 0 OR s.revenue <> 0$$,
    'roi_all: every period''s credit per campaign, channel and total, every model, as a scan '
    'of every row gives it (the stale campaign''s under "(no campaign)")');

-- The readers, through the views.
SET ROLE socialroi_finance;
SELECT ok((SELECT count(*) FROM finance.campaign_roi WHERE month = '2025-04-01') > 0
          AND (SELECT count(*) FROM finance.channel_roi WHERE month = '2025-06-01') > 0,
          'the finance role reads the views (data_months calls credited_campaigns)');
RESET ROLE;
SELECT is(has_function_privilege('public', 'socialroi.credited_campaigns()', 'EXECUTE'), false,
          'credited_campaigns (the owner''s rights) is not everyone''s');

SELECT * FROM finish();
ROLLBACK;
