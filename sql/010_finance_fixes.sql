-- 010_finance_fixes.sql: dirty marks that cannot be lost, ROI rows that add up, revenue without
-- an exchange rate flagged, reader-runnable reports, channel figures from post counters, the
-- funnel's advocacy stage, count and ratio types, and costs per lead that never overflow.
--
-- Figures the readers see: counts are bigint; ratios and credited sums (leads, customers) are
-- rounded half to even to six decimal places, exactly as the reports round them
-- (socialroi.round6), trailing zeros dropped; money keeps its six decimals.

-- ---- dirty marks: one row per marking transaction ---------------------------------------------
--
-- A mark used to be the bare (campaign, day) or (kind, key): a write that found the mark already
-- there did nothing, so a mark the rollup job was processing absorbed the new write, the job
-- then deleted it, and the change never reached the rollups. Now every transaction that marks a
-- bucket adds its own row (one per bucket and transaction: the unique index on xact), and the
-- rollup deletes exactly the rows it read, by mark_id. A write the job has not seen keeps its
-- mark, and the next run recomputes it with a snapshot that sees the write.

ALTER TABLE socialroi.dirty_spend DROP CONSTRAINT dirty_spend_pkey;
ALTER TABLE socialroi.dirty_spend
    ADD COLUMN mark_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ADD COLUMN xact xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id();
CREATE UNIQUE INDEX dirty_spend_bucket_idx ON socialroi.dirty_spend (campaign_id, day, xact);

ALTER TABLE socialroi.dirty_conversion DROP CONSTRAINT dirty_conversion_pkey;
ALTER TABLE socialroi.dirty_conversion
    ADD COLUMN mark_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    ADD COLUMN xact xid8 NOT NULL DEFAULT pg_catalog.pg_current_xact_id();
CREATE UNIQUE INDEX dirty_conversion_key_idx ON socialroi.dirty_conversion (kind, key, xact);

-- Recomputes up to p_limit dirty spend buckets and conversions (oldest first) and deletes the
-- marks it read, no others; returns how many marks are left, so a caller loops until 0. Runs
-- serialize on a transaction-level advisory lock: two runs never recompute one bucket at once.
CREATE OR REPLACE FUNCTION socialroi.rollup_dirty(p_limit integer) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    r record;
    p text;
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('socialroi.rollup'));
    FOR r IN SELECT s.campaign_id, s.day, pg_catalog.array_agg(s.mark_id) AS marks
               FROM socialroi.dirty_spend s GROUP BY s.campaign_id, s.day
              ORDER BY s.day, s.campaign_id LIMIT p_limit LOOP
        PERFORM socialroi.compute_spend(r.campaign_id, r.day);
        DELETE FROM socialroi.dirty_spend WHERE mark_id = ANY (r.marks);
    END LOOP;
    FOR r IN SELECT c.kind, c.key, pg_catalog.array_agg(c.mark_id) AS marks
               FROM socialroi.dirty_conversion c GROUP BY c.kind, c.key
              ORDER BY c.kind DESC, c.key LIMIT p_limit LOOP
        IF r.kind = 'person' THEN
            PERFORM socialroi.compute_person(r.key);
            INSERT INTO socialroi.dirty_conversion (kind, key)
            SELECT DISTINCT 'deal', d.account_id || ':' || d.deal_id
              FROM socialroi.person_deals(r.key) d
            ON CONFLICT DO NOTHING;
        ELSE
            p := pg_catalog.split_part(r.key, ':', 1);
            PERFORM socialroi.compute_deal(p::integer,
                                           pg_catalog.substr(r.key, pg_catalog.length(p) + 2));
        END IF;
        DELETE FROM socialroi.dirty_conversion WHERE mark_id = ANY (r.marks);
    END LOOP;
    RETURN (SELECT count(*) FROM socialroi.dirty_spend)
         + (SELECT count(*) FROM socialroi.dirty_conversion);
END
$$;

-- Everything from scratch, with the same functions as the incremental job. Marks committed
-- while it runs that it did not see stay for the next incremental run.
CREATE OR REPLACE FUNCTION socialroi.rollup_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('socialroi.rollup'));
    DELETE FROM socialroi.rollup_spend;
    DELETE FROM socialroi.attribution;
    DELETE FROM socialroi.dirty_spend;
    DELETE FROM socialroi.dirty_conversion;
    PERFORM socialroi.mark_campaign(campaign_id) FROM socialroi.campaign;
    INSERT INTO socialroi.dirty_conversion (kind, key)
    SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash)
      FROM socialroi.lead
    ON CONFLICT DO NOTHING;
    INSERT INTO socialroi.dirty_conversion (kind, key)
    SELECT 'deal', account_id || ':' || deal_id FROM socialroi.deal
    ON CONFLICT DO NOTHING;
    WHILE socialroi.rollup_dirty(100000) > 0 LOOP
    END LOOP;
END
$$;

-- ---- statements that change nothing mark nothing -----------------------------------------------

-- A link statement that inserted or deleted no row (a config sync with the same links) leaves
-- the people alone; a real change re-credits every person, as any conversion may move.
CREATE OR REPLACE FUNCTION socialroi.mark_links() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM changed) THEN
        RETURN NULL;
    END IF;
    PERFORM socialroi.mark_campaign(c) FROM (SELECT campaign_id AS c FROM changed) x
     GROUP BY c;
    INSERT INTO socialroi.dirty_conversion (kind, key)
    SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash)
      FROM socialroi.lead
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

-- A new reporting currency or half-life changes every converted amount and weight; other
-- settings, and an upsert that rewrote nothing, change none.
CREATE FUNCTION socialroi.mark_settings() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    IF NOT EXISTS (SELECT FROM new_rows n LEFT JOIN old_rows o USING (key)
                    WHERE n.key IN ('reporting_currency', 'half_life_days')
                      AND n.value IS DISTINCT FROM o.value) THEN
        RETURN NULL;
    END IF;
    PERFORM socialroi.mark_campaign(campaign_id) FROM socialroi.campaign;
    INSERT INTO socialroi.dirty_conversion (kind, key)
    SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash)
      FROM socialroi.lead
    ON CONFLICT DO NOTHING;
    INSERT INTO socialroi.dirty_conversion (kind, key)
    SELECT 'deal', account_id || ':' || deal_id FROM socialroi.deal
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

DROP TRIGGER setting_dirty ON socialroi.setting;
CREATE TRIGGER setting_dirty AFTER UPDATE ON socialroi.setting
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_settings();

-- The half-life is stored in its shortest spelling and compared as a number, so the daemon's
-- "7.000000" on every start is no change to the "7" already there.
CREATE OR REPLACE FUNCTION socialroi.sync_settings(p_reporting text, p_half_life_days numeric)
RETURNS void LANGUAGE sql SET search_path = '' AS $$
    INSERT INTO socialroi.setting AS s
    VALUES ('reporting_currency', p_reporting),
           ('half_life_days', pg_catalog.trim_scale(p_half_life_days)::text)
    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value
     WHERE s.value <> EXCLUDED.value
       AND NOT (s.key = 'half_life_days'
                AND s.value::numeric = EXCLUDED.value::numeric)
$$;

-- ---- revenue that cannot be converted ------------------------------------------------------------

-- A deal converts when it is created; its revenue (won deals only) lands on its close day in
-- the reporting currency. When the amount cannot be converted (no rate for its currency, or no
-- currency at all), its rows keep revenue NULL and name the deal's currency instead of the
-- reporting one ('???' when the deal has none), so the reports can list it as unconverted.
CREATE OR REPLACE FUNCTION socialroi.compute_deal(p_account integer, p_deal text) RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    d socialroi.deal;
    leads text[];
    day date;
    revenue bigint;
    key text := p_account || ':' || p_deal;
BEGIN
    SELECT * INTO d FROM socialroi.deal WHERE account_id = p_account AND deal_id = p_deal;
    IF NOT FOUND THEN
        DELETE FROM socialroi.attribution WHERE kind = 'deal' AND conversion = key;
        RETURN;
    END IF;
    SELECT pg_catalog.array_agg(DISTINCT x) INTO leads
      FROM socialroi.deal_contact dc
      JOIN socialroi.lead c ON c.account_id = dc.account_id AND c.lead_id = dc.lead_id,
           LATERAL pg_catalog.unnest(socialroi.person_leads(
               socialroi.person_key(c.account_id, c.lead_id, c.email_hash))) x
     WHERE dc.account_id = p_account AND dc.deal_id = p_deal;
    day := (COALESCE(d.closed_at, d.created_at) AT TIME ZONE 'UTC')::date;
    IF d.is_won THEN
        revenue := socialroi.to_reporting(COALESCE(d.amount_micros, 0), d.currency, day);
    END IF;
    PERFORM socialroi.write_attribution(
        'deal', key, d.created_at, day, d.is_won,
        CASE WHEN d.is_won AND revenue IS NULL THEN COALESCE(d.currency, '???')
             ELSE socialroi.reporting_currency() END,
        revenue, socialroi.touches_of(leads, d.created_at));
END
$$;

-- Won deals credited without revenue were computed before their currency was kept: again.
INSERT INTO socialroi.dirty_conversion (kind, key)
SELECT DISTINCT 'deal', conversion FROM socialroi.attribution
 WHERE kind = 'deal' AND won AND revenue_micros IS NULL
ON CONFLICT DO NOTHING;

-- ---- rounding and costs ------------------------------------------------------------------------

-- x half to even to six decimal places, trailing zeros dropped (1/3 -> 0.333333, 1.5 -> 1.5):
-- the value socialroi.round6 gives the reports, as the views show it. Readers may call it.
CREATE FUNCTION dashboard.round6(x numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT pg_catalog.trim_scale(
               (CASE WHEN y - pg_catalog.floor(y) = 0.5
                     THEN pg_catalog.floor(y) + (pg_catalog.mod(pg_catalog.floor(y), 2) <> 0)::int
                     ELSE pg_catalog.round(y) END) / 1000000)
      FROM (SELECT x * 1000000 AS y) s
$$;

-- The reporting currency, for the heading of a report run by a reader.
CREATE FUNCTION dashboard.reporting_currency() RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT socialroi.reporting_currency()
$$;

-- p_micros per p_count (a cost per lead or per customer) in micros, half to even. NULL when
-- the count rounds to zero at six decimals (a time-decay credit of 1e-11 prices nothing) or
-- the cost would not fit in 64 bits: never an overflow.
CREATE FUNCTION socialroi.cost_per(p_micros bigint, p_count numeric) RETURNS bigint
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT CASE WHEN p_count IS NULL OR socialroi.round6(p_count) = 0 THEN NULL
                WHEN pg_catalog.abs(p_micros / p_count) >= 9223372036854775807 THEN NULL
                ELSE socialroi.round_even(p_micros / p_count) END
$$;

-- ---- ROI figures ------------------------------------------------------------------------------

-- ROI figures for [p_from, p_to]: p_by 'campaign' (business campaigns; credit to touches of
-- no campaign goes to "(no campaign)", conversions without touches to "(unattributed)"),
-- 'channel' (platforms; configured spend as "(configured)", touches without a channel as
-- "(unknown)") or 'total'; p_model one of the attribution models, or 'platform_reported' (the
-- ad platforms' own lead and conversion counts per campaign and platform, never summed across
-- platforms). Amounts in reporting micros.
--
-- One row per key: credit is summed per key alone, so a key's spend is never repeated on
-- several rows. Spend is the spend of the business campaigns (rollup_spend) however the rows
-- are cut, so the channel rows and the month total add up to the campaign rows of the same
-- period and model: spend, leads, customers and revenue. unconverted lists the currencies of
-- spend and of won revenue left out for want of a rate ('???' for a deal without a currency).
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

-- The readers' door to socialroi.roi: runs with the owner's rights, adds the ratios. Leads,
-- customers, roi and roas are rounded half to even to six decimals (the report's figures);
-- a cost is NULL when its count rounds to zero.
CREATE OR REPLACE FUNCTION finance.roi(p_from date, p_to date, p_by text DEFAULT 'campaign',
                                       p_model text DEFAULT 'linear')
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend numeric, configured_spend numeric, spend numeric,
               unconverted_currencies text[], leads numeric, customers numeric,
               revenue numeric, roi numeric, roas numeric, cost_per_lead numeric,
               customer_acquisition_cost numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT key, title, platform, model, currency,
           socialroi.money(platform_spend_micros), socialroi.money(configured_spend_micros),
           socialroi.money(spend_micros), unconverted, dashboard.round6(leads),
           dashboard.round6(customers), socialroi.money(revenue_micros),
           dashboard.round6((revenue_micros - spend_micros)::numeric / NULLIF(spend_micros, 0)),
           dashboard.round6(revenue_micros::numeric / NULLIF(spend_micros, 0)),
           socialroi.money(socialroi.cost_per(spend_micros, leads)),
           socialroi.money(socialroi.cost_per(spend_micros, customers))
      FROM socialroi.roi(p_from, p_to, p_by, p_model)
$$;

-- p_by: 'campaign', 'channel' or 'month' (one row per calendar month of the range, totals).
CREATE OR REPLACE FUNCTION finance.roi_report(p_from date, p_to date, p_by text, p_model text)
RETURNS TABLE (key text, title text, platform text, model text, currency text,
               platform_spend_micros bigint, configured_spend_micros bigint, spend_micros bigint,
               unconverted_currencies text[], leads numeric, customers numeric,
               revenue_micros bigint, roi numeric, roas numeric, cost_per_lead_micros bigint,
               customer_acquisition_cost_micros bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    WITH r AS (
        SELECT * FROM socialroi.roi(p_from, p_to, p_by, p_model) WHERE p_by <> 'month'
        UNION ALL
        SELECT pg_catalog.to_char(m, 'YYYY-MM'), x.title, x.platform, x.model, x.currency,
               x.platform_spend_micros, x.configured_spend_micros, x.spend_micros,
               x.unconverted, x.leads, x.customers, x.revenue_micros
          FROM pg_catalog.generate_series(pg_catalog.date_trunc('month', p_from::timestamp),
                                          p_to::timestamp, interval '1 month') m,
               LATERAL socialroi.roi(GREATEST(m::date, p_from),
                                     LEAST((m + interval '1 month' - interval '1 day')::date, p_to),
                                     'total', p_model) x
         WHERE p_by = 'month')
    SELECT key, title, platform, model, currency, platform_spend_micros, configured_spend_micros,
           spend_micros, unconverted, socialroi.round6(leads), socialroi.round6(customers),
           revenue_micros,
           socialroi.round6((revenue_micros - spend_micros)::numeric / NULLIF(spend_micros, 0)),
           socialroi.round6(revenue_micros::numeric / NULLIF(spend_micros, 0)),
           socialroi.cost_per(spend_micros, leads), socialroi.cost_per(spend_micros, customers)
      FROM r
     ORDER BY (key LIKE '(%'), key, platform
$$;

-- Budget against spend per campaign: platform-reported and configured spend so far (in the
-- reporting currency), the share of the budget used and of the campaign's days elapsed, and
-- pacing (budget used / time elapsed: above 1 spends faster than planned); the three ratios
-- rounded half to even to six decimals.
CREATE OR REPLACE FUNCTION finance.reconciliation() RETURNS TABLE (
    campaign text, title text, active boolean, start_day date, end_day date, currency text,
    budget numeric, platform_spend numeric, configured_spend numeric, spend numeric,
    remaining numeric, unconverted_currencies text[], budget_used numeric, time_elapsed numeric,
    pacing numeric)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT c.name, c.title, c.active, c.start_day, c.end_day, socialroi.reporting_currency(),
           socialroi.money(b.budget), socialroi.money(s.platform_micros),
           socialroi.money(s.configured_micros),
           socialroi.money(s.platform_micros + s.configured_micros),
           socialroi.money(b.budget - s.platform_micros - s.configured_micros), s.unconverted,
           dashboard.round6((s.platform_micros + s.configured_micros)::numeric
                            / NULLIF(b.budget, 0)),
           dashboard.round6(e.elapsed),
           dashboard.round6((s.platform_micros + s.configured_micros)::numeric
                            / NULLIF(b.budget, 0) / NULLIF(e.elapsed, 0))
      FROM socialroi.campaign c
      CROSS JOIN LATERAL (SELECT socialroi.to_reporting(c.budget_micros, c.budget_currency,
                                                        c.start_day) AS budget) b
      CROSS JOIN LATERAL (SELECT LEAST(1, GREATEST(0, (CURRENT_DATE - c.start_day + 1)::numeric
                                 / NULLIF(COALESCE(c.end_day, CURRENT_DATE) - c.start_day + 1,
                                          0))) AS elapsed) e
      LEFT JOIN LATERAL (SELECT * FROM socialroi.campaign_spend_between('-infinity', 'infinity') x
                          WHERE x.campaign_id = c.campaign_id) s0 ON true
      CROSS JOIN LATERAL (SELECT COALESCE(s0.platform_micros, 0) AS platform_micros,
                                 COALESCE(s0.configured_micros, 0) AS configured_micros,
                                 COALESCE(s0.unconverted, '{}') AS unconverted) s
$$;

-- ---- dashboard: counts as bigint, rates rounded, post counters in the channel figures ----------

DROP VIEW dashboard.channel_monthly;
DROP VIEW dashboard.channel_daily;
DROP FUNCTION dashboard.channel_report(date, date, text);

-- Per platform, account and day. impressions: the platform's daily impressions, else the day's
-- growth of its posts' impression counters (X); engagements: the platform's own daily
-- engagement metric when it has one (Facebook, Instagram, Pinterest), else the sum of the daily
-- interaction metrics (likes, comments, shares, quotes, saves, bookmarks: LinkedIn, YouTube),
-- else the day's growth of the posts' interaction counters (X). A post's counters grow from its
-- first observation on; when that observation comes within a day of its publication (a post
-- polled from the start) the first count itself is growth from zero, otherwise it is the
-- baseline (nothing says on which days those counts came). followers: the last count observed
-- that day; followers_gained: the platform's daily gain when reported, else the counter's
-- growth.
CREATE VIEW dashboard.channel_daily AS
WITH m AS (
    SELECT account_id, day,
           sum(value) FILTER (WHERE metric = 'impressions') AS impressions,
           sum(value) FILTER (WHERE metric = 'reach') AS reach,
           sum(value) FILTER (WHERE metric = 'views') AS views,
           sum(value) FILTER (WHERE metric IN ('clicks', 'link_clicks')) AS clicks,
           sum(value) FILTER (WHERE metric = 'engagements') AS engagements,
           sum(value) FILTER (WHERE metric IN ('likes', 'comments', 'shares', 'quotes', 'saves',
                                               'bookmarks')) AS interactions,
           sum(value) FILTER (WHERE metric = 'followers_gained') AS followers_gained,
           sum(value) FILTER (WHERE metric = 'followers_lost') AS followers_lost,
           sum(value) FILTER (WHERE metric = 'watch_time_seconds') AS watch_time_seconds
      FROM socialroi.metric_daily WHERE object_id = '' GROUP BY account_id, day),
s AS (
    SELECT account_id, day,
           max(value) FILTER (WHERE metric = 'followers') AS followers,
           sum(delta) FILTER (WHERE metric = 'followers') AS followers_delta
      FROM socialroi.snapshot_daily WHERE object_id = '' GROUP BY account_id, day),
ps AS (
    SELECT g.account_id, g.day,
           sum(g.growth) FILTER (WHERE g.metric IN ('likes', 'comments', 'shares', 'quotes',
                                                    'saves', 'bookmarks')) AS interactions,
           sum(g.growth) FILTER (WHERE g.metric = 'impressions') AS impressions
      FROM (SELECT d.account_id, d.day, d.metric,
                   COALESCE(d.delta,
                            CASE WHEN d.day <= (t.published_at AT TIME ZONE 'UTC')::date + 1
                                 THEN d.value END) AS growth
              FROM socialroi.snapshot_daily d
              LEFT JOIN socialroi.content t ON t.account_id = d.account_id
                                           AND t.content_id = d.object_id
             WHERE d.object_id <> '') g
     GROUP BY g.account_id, g.day),
p AS (
    SELECT account_id, (published_at AT TIME ZONE 'UTC')::date AS day, count(*) AS posts
      FROM socialroi.content WHERE published_at IS NOT NULL GROUP BY 1, 2),
ad AS (
    SELECT account_id, day, sum(impressions) AS paid_impressions, sum(clicks) AS paid_clicks
      FROM socialroi.ad_daily GROUP BY 1, 2),
k AS (
    SELECT account_id, day FROM m UNION SELECT account_id, day FROM s
    UNION SELECT account_id, day FROM ps
    UNION SELECT account_id, day FROM p UNION SELECT account_id, day FROM ad)
SELECT a.platform, a.name AS account, k.day,
       COALESCE(m.impressions, ps.impressions, 0)::bigint AS impressions,
       m.reach::bigint AS reach, m.views::bigint AS views,
       COALESCE(m.clicks, 0)::bigint AS clicks,
       COALESCE(m.engagements, m.interactions, ps.interactions, 0)::bigint AS engagements,
       dashboard.round6(COALESCE(m.engagements, m.interactions, ps.interactions, 0)::numeric
                        / NULLIF(COALESCE(m.impressions, ps.impressions), 0))
           AS engagement_rate,
       s.followers,
       COALESCE(m.followers_gained - COALESCE(m.followers_lost, 0), s.followers_delta)::bigint
           AS followers_growth,
       COALESCE(p.posts, 0) AS posts,
       m.watch_time_seconds::bigint AS watch_time_seconds,
       COALESCE(ad.paid_impressions, 0)::bigint AS paid_impressions,
       COALESCE(ad.paid_clicks, 0)::bigint AS paid_clicks
  FROM k JOIN socialroi.account a USING (account_id)
  LEFT JOIN m USING (account_id, day) LEFT JOIN s USING (account_id, day)
  LEFT JOIN ps USING (account_id, day)
  LEFT JOIN p USING (account_id, day) LEFT JOIN ad USING (account_id, day);

-- The same per calendar month: amounts summed, followers at the end of the month, rates as
-- ratios of the month's sums.
CREATE VIEW dashboard.channel_monthly AS
SELECT platform, account, pg_catalog.date_trunc('month', day)::date AS month,
       sum(impressions)::bigint AS impressions, sum(reach)::bigint AS reach,
       sum(views)::bigint AS views, sum(clicks)::bigint AS clicks,
       sum(engagements)::bigint AS engagements,
       dashboard.round6(sum(engagements)::numeric / NULLIF(sum(impressions), 0))
           AS engagement_rate,
       (pg_catalog.array_agg(followers ORDER BY day DESC) FILTER (WHERE followers IS NOT NULL))[1]
           AS followers,
       sum(followers_growth)::bigint AS followers_growth, sum(posts)::bigint AS posts,
       sum(watch_time_seconds)::bigint AS watch_time_seconds,
       sum(paid_impressions)::bigint AS paid_impressions, sum(paid_clicks)::bigint AS paid_clicks
  FROM dashboard.channel_daily
 GROUP BY platform, account, pg_catalog.date_trunc('month', day);

-- Channel activity for `socialroi report channels`: dashboard.channel_daily over a range.
CREATE FUNCTION dashboard.channel_report(p_from date, p_to date, p_by text)
RETURNS TABLE (key text, platform text, account text, impressions bigint, reach bigint,
               views bigint, clicks bigint, engagements bigint, engagement_rate numeric,
               followers bigint, followers_growth bigint, posts bigint,
               paid_impressions bigint, paid_clicks bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT CASE WHEN p_by = 'month' THEN pg_catalog.to_char(c.day, 'YYYY-MM') ELSE c.platform END,
           c.platform, c.account, sum(c.impressions)::bigint, sum(c.reach)::bigint,
           sum(c.views)::bigint, sum(c.clicks)::bigint, sum(c.engagements)::bigint,
           socialroi.round6(sum(c.engagements)::numeric / NULLIF(sum(c.impressions), 0)),
           (pg_catalog.array_agg(c.followers ORDER BY c.day DESC)
                FILTER (WHERE c.followers IS NOT NULL))[1],
           sum(c.followers_growth)::bigint, sum(c.posts)::bigint,
           sum(c.paid_impressions)::bigint, sum(c.paid_clicks)::bigint
      FROM dashboard.channel_daily c
     WHERE c.day BETWEEN p_from AND p_to
     GROUP BY 1, c.platform, c.account
     ORDER BY 1, c.platform, c.account
$$;

DROP VIEW dashboard.top_content;

-- Every post, video, pin or medium with its latest counters, ranked by engagement (likes,
-- comments, shares, quotes, saves, bookmarks) among its platform's content of the same month.
CREATE VIEW dashboard.top_content AS
WITH latest AS (
    SELECT DISTINCT ON (account_id, object_id, metric) account_id, object_id, metric, value
      FROM socialroi.metric_snapshot WHERE object_id <> ''
     ORDER BY account_id, object_id, metric, observed_at DESC),
c AS (
    SELECT t.account_id, t.content_id,
           sum(l.value) FILTER (WHERE l.metric IN ('likes', 'comments', 'shares', 'quotes',
                                                   'saves', 'bookmarks')) AS engagements,
           max(l.value) FILTER (WHERE l.metric = 'likes') AS likes,
           max(l.value) FILTER (WHERE l.metric = 'comments') AS comments,
           max(l.value) FILTER (WHERE l.metric = 'shares') AS shares,
           max(l.value) FILTER (WHERE l.metric = 'impressions') AS impressions,
           max(l.value) FILTER (WHERE l.metric = 'views') AS views,
           max(l.value) FILTER (WHERE l.metric = 'reach') AS reach
      FROM socialroi.content t
      LEFT JOIN latest l ON l.account_id = t.account_id AND l.object_id = t.content_id
     GROUP BY t.account_id, t.content_id)
SELECT a.platform, a.name AS account, t.content_id, t.kind, t.title, t.url, t.published_at,
       pg_catalog.date_trunc('month', t.published_at AT TIME ZONE 'UTC')::date AS month,
       COALESCE(c.engagements, 0)::bigint AS engagements, c.likes, c.comments, c.shares,
       c.impressions, c.views, c.reach,
       dashboard.round6(COALESCE(c.engagements, 0)::numeric
                        / NULLIF(COALESCE(c.impressions, c.views), 0)) AS engagement_rate,
       pg_catalog.rank() OVER (
           PARTITION BY a.platform, pg_catalog.date_trunc('month', t.published_at AT TIME ZONE 'UTC')
           ORDER BY COALESCE(c.engagements, 0) DESC) AS rank_in_month
  FROM socialroi.content t JOIN socialroi.account a USING (account_id)
  JOIN c USING (account_id, content_id);

-- ---- the funnel ---------------------------------------------------------------------------------

-- Per business campaign and month, the funnel of the essays: interest (impressions of its ad
-- campaigns and its content, reach of the content), consideration (engagements of the content
-- and the ad campaigns, ad clicks), trial (leads, linear attribution), loyalty (won deals and
-- customers, linear), advocacy (shares of its content and ads, and positive mentions that name
-- one of its utm_campaign values), with the rate from each stage to the next.
--
-- Its content is what a content link names and, like a touch, whatever carries one of its
-- utm_campaign values. A mention names a value when its text holds the value with case and
-- punctuation ignored: "#Q4Webinar" names q4-webinar. Each mention counts once per campaign.
CREATE OR REPLACE FUNCTION dashboard.funnel_rows() RETURNS TABLE (
    campaign text, title text, month date, impressions bigint, reach bigint, engagements bigint,
    clicks bigint, leads numeric, won_deals bigint, customers numeric, shares bigint,
    positive_mentions bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    WITH own AS (
        SELECT l.campaign_id, t.account_id, t.content_id, t.published_at
          FROM socialroi.campaign_link l
          JOIN socialroi.account a ON a.platform = l.platform
          JOIN socialroi.content t ON t.account_id = a.account_id AND t.content_id = l.value
         WHERE l.kind = 'content'
        UNION
        SELECT l.campaign_id, t.account_id, t.content_id, t.published_at
          FROM socialroi.campaign_link l
          JOIN socialroi.content t ON t.utm_campaign = l.value
         WHERE l.kind = 'utm_campaign'),
    content AS (
        SELECT o.campaign_id,
               pg_catalog.date_trunc('month', o.published_at AT TIME ZONE 'UTC')::date AS month,
               sum(x.value) FILTER (WHERE x.metric = 'impressions') AS impressions,
               sum(x.value) FILTER (WHERE x.metric = 'reach') AS reach,
               sum(x.value) FILTER (WHERE x.metric IN ('likes', 'comments', 'shares', 'quotes',
                                                       'saves', 'bookmarks')) AS engagements,
               sum(x.value) FILTER (WHERE x.metric = 'shares') AS shares
          FROM own o
          JOIN LATERAL (SELECT DISTINCT ON (metric) metric, value FROM socialroi.metric_snapshot s
                         WHERE s.account_id = o.account_id AND s.object_id = o.content_id
                         ORDER BY metric, observed_at DESC) x ON true
         WHERE o.published_at IS NOT NULL
         GROUP BY 1, 2),
    ads AS (
        SELECT campaign_id, pg_catalog.date_trunc('month', day)::date AS month,
               sum(impressions) AS impressions, sum(clicks) AS clicks
          FROM socialroi.rollup_spend WHERE source = 'platform' GROUP BY 1, 2),
    ad_eng AS (
        SELECT l.campaign_id, pg_catalog.date_trunc('month', md.day)::date AS month,
               sum(md.value) FILTER (WHERE md.metric IN ('likes', 'comments', 'shares'))
                   AS engagements,
               sum(md.value) FILTER (WHERE md.metric = 'shares') AS shares
          FROM socialroi.campaign_link l
          JOIN socialroi.account a ON a.platform = l.platform
          JOIN socialroi.metric_daily md ON md.account_id = a.account_id AND md.object_id = l.value
         WHERE l.kind = 'ad_campaign' GROUP BY 1, 2),
    credit AS (
        SELECT campaign_id, pg_catalog.date_trunc('month', day)::date AS month,
               sum(weight) FILTER (WHERE kind = 'lead') AS leads,
               count(DISTINCT conversion) FILTER (WHERE kind = 'deal' AND won) AS won_deals,
               sum(weight) FILTER (WHERE kind = 'deal' AND won) AS customers
          FROM socialroi.attribution WHERE model = 'linear' AND campaign_id IS NOT NULL
         GROUP BY 1, 2),
    utm AS (
        SELECT l.campaign_id,
               pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+', '', 'g')
                   AS word
          FROM socialroi.campaign_link l WHERE l.kind = 'utm_campaign'),
    mentions AS (
        SELECT u.campaign_id,
               pg_catalog.date_trunc('month', m.posted_at AT TIME ZONE 'UTC')::date AS month,
               count(DISTINCT (m.account_id, m.mention_id)) AS positive
          FROM utm u
          JOIN socialroi.mention m
            ON m.sentiment > 0.25
           AND pg_catalog.strpos(pg_catalog.regexp_replace(pg_catalog.lower(m.body),
                                                           '[^[:alnum:]]+', '', 'g'), u.word) > 0
         WHERE u.word <> '' GROUP BY 1, 2),
    k AS (
        SELECT campaign_id, month FROM content UNION SELECT campaign_id, month FROM ads
        UNION SELECT campaign_id, month FROM ad_eng UNION SELECT campaign_id, month FROM credit
        UNION SELECT campaign_id, month FROM mentions)
    SELECT c.name, c.title, k.month,
           (COALESCE(ads.impressions, 0) + COALESCE(content.impressions, 0))::bigint,
           COALESCE(content.reach, 0)::bigint,
           (COALESCE(content.engagements, 0) + COALESCE(ad_eng.engagements, 0))::bigint,
           COALESCE(ads.clicks, 0)::bigint, COALESCE(credit.leads, 0),
           COALESCE(credit.won_deals, 0), COALESCE(credit.customers, 0),
           (COALESCE(content.shares, 0) + COALESCE(ad_eng.shares, 0))::bigint,
           COALESCE(mentions.positive, 0)
      FROM k JOIN socialroi.campaign c USING (campaign_id)
      LEFT JOIN content USING (campaign_id, month) LEFT JOIN ads USING (campaign_id, month)
      LEFT JOIN ad_eng USING (campaign_id, month) LEFT JOIN credit USING (campaign_id, month)
      LEFT JOIN mentions USING (campaign_id, month)
$$;

-- Stages as counts, credited leads and customers and the rates rounded half to even to six
-- decimals (each rate from the unrounded stages).
CREATE OR REPLACE VIEW dashboard.funnel AS
SELECT campaign, title, month, impressions AS interest_impressions, reach AS interest_reach,
       engagements AS consideration_engagements, clicks AS consideration_clicks,
       dashboard.round6(leads) AS trial_leads, won_deals AS loyalty_won_deals,
       dashboard.round6(customers) AS loyalty_customers,
       shares AS advocacy_shares, positive_mentions AS advocacy_positive_mentions,
       dashboard.round6((engagements + clicks)::numeric / NULLIF(impressions, 0))
           AS interest_to_consideration,
       dashboard.round6(leads / NULLIF(engagements + clicks, 0)) AS consideration_to_trial,
       dashboard.round6(customers / NULLIF(leads, 0)) AS trial_to_loyalty,
       dashboard.round6((shares + positive_mentions) / NULLIF(customers, 0))
           AS loyalty_to_advocacy
  FROM dashboard.funnel_rows();

-- ---- privileges ----------------------------------------------------------------------------------

-- Readers: the views and their own schemas' functions, nothing in socialroi.
REVOKE ALL ON FUNCTION dashboard.round6(numeric), dashboard.reporting_currency(),
    dashboard.channel_report(date, date, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dashboard.round6(numeric), dashboard.reporting_currency(),
    dashboard.channel_report(date, date, text) TO socialroi_dashboard, socialroi_finance;
GRANT SELECT ON dashboard.channel_daily, dashboard.channel_monthly, dashboard.top_content
    TO socialroi_dashboard, socialroi_finance;
-- The daemon fires mark_settings through sync_settings and writes marks with their identity;
-- cost_per serves the finance functions, which run as their owner.
REVOKE ALL ON FUNCTION socialroi.mark_settings(), socialroi.cost_per(bigint, numeric) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.mark_settings() TO socialroi_daemon;
-- The rollup and the links' marking read the configured spend per day.
GRANT SELECT ON socialroi.configured_spend_daily TO socialroi_daemon;
GRANT USAGE ON SEQUENCE socialroi.dirty_spend_mark_id_seq, socialroi.dirty_conversion_mark_id_seq
    TO socialroi_daemon;
