-- 033_alert_anomalies.sql: alert kinds for what the numbers say (the machinery is 030).
--
-- anomaly            a channel's daily series (impressions, engagements, clicks, paid
--                    impressions and clicks, spend, leads) far from its usual value on the
--                    same weekday: robust z-score |x - median| / (1.4826 MAD) over the eight
--                    same weekdays before the day.
-- negative_mentions  a spike of negative mentions (sentiment below -0.25, the views'
--                    threshold) of an account's query in the last 24 hours against the same
--                    count over the 28 days before.
-- budget_pacing      a business campaign's spend to date ahead of or behind its budget times
--                    the share of its days gone by.
--
-- Which day: the daily series and the spend to date are read for the last UTC day that ended
-- twelve hours ago (platforms whose day is Pacific or the account's time zone finish a day up
-- to twelve hours after UTC does, and a day's figures arrive during the next one), so every
-- evaluation from 12:00 UTC on D+1 to 12:00 UTC on D+2 looks at day D: an alert about D
-- holds all that time, and a normal D+1 resolves it after the clear runs of alert_evaluate.
-- A day an account has no row for is missing data (the data-side alerts speak to it), not a
-- zero.
--
-- A detector's statement is planned with p_now as a parameter, so with the estimates of any
-- time: over the JIT threshold on a large database, where compiling cost 0.8 s of a 5 ms run.
-- The detectors run with jit off.

-- ---- helpers ------------------------------------------------------------------------------

-- The median of the non-NULL values, exact (the mean of the two middle values of an even
-- count); NULL for none.
CREATE FUNCTION socialroi.exact_median(p numeric[]) RETURNS numeric
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT CASE WHEN k.n = 0 THEN NULL
                WHEN k.n % 2 = 1 THEN k.s[k.n / 2 + 1]
                ELSE (k.s[k.n / 2] + k.s[k.n / 2 + 1]) / 2 END
      FROM (SELECT pg_catalog.array_agg(x ORDER BY x) AS s, count(x)::integer AS n
              FROM pg_catalog.unnest(p) x) k
$$;

COMMENT ON FUNCTION socialroi.exact_median(numeric[]) IS
    'The median of the non-NULL values, exact (the mean of the two middle values of an even '
    'count); NULL when there are none.';

-- The median absolute deviation from p_median.
CREATE FUNCTION socialroi.exact_mad(p numeric[], p_median numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT socialroi.exact_median(ARRAY(SELECT pg_catalog.abs(x - p_median)
                                          FROM pg_catalog.unnest(p) x))
$$;

COMMENT ON FUNCTION socialroi.exact_mad(numeric[], numeric) IS
    'The median absolute deviation of the values from p_median (socialroi.exact_median of '
    '|x - m|).';

-- A figure for a message: thousands separated, at most two decimals (1040.5 -> 1,040.5).
CREATE FUNCTION socialroi.alert_figure(p numeric) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT pg_catalog.rtrim(pg_catalog.rtrim(
               pg_catalog.to_char(pg_catalog.round(p, 2), 'FM999,999,999,999,999,990.99'), '0'),
           '.')
$$;

COMMENT ON FUNCTION socialroi.alert_figure(numeric) IS
    'A number as an alert message shows it: thousands separated, at most two decimals.';

-- Micro-units as an amount for a message, to the cent with thousands separated and the
-- currency (12400000000, EUR -> 12,400.00 EUR). Only for reading: the detail keeps the exact
-- amount.
CREATE FUNCTION socialroi.alert_money(p_micros numeric, p_currency text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT pg_catalog.to_char(pg_catalog.round(p_micros / 1000000, 2),
                              'FM999,999,999,999,999,990.00') || ' ' || p_currency
$$;

COMMENT ON FUNCTION socialroi.alert_money(numeric, text) IS
    'Micro-units as an alert message shows them: to the cent, thousands separated, with the '
    'currency; the alert''s detail keeps the exact amount.';

-- The day the daily detectors look at: the last UTC day that ended twelve hours before p_now.
CREATE FUNCTION socialroi.alert_day(p_now timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT ((p_now - interval '12 hours') AT TIME ZONE 'UTC')::date - 1
$$;

COMMENT ON FUNCTION socialroi.alert_day(timestamptz) IS
    'The day the anomaly and budget_pacing detectors look at when run at p_now: the last UTC '
    'day that ended at least twelve hours before (from 12:00 UTC on D+1 to 12:00 UTC on D+2, '
    'day D).';

-- ---- anomaly ------------------------------------------------------------------------------

-- Post counters observed in a range of time, for socialroi.channel_figures. Observations
-- arrive in time order, so a block range index stays small and cheap to keep.
CREATE INDEX metric_snapshot_observed_idx ON socialroi.metric_snapshot USING brin (observed_at);

-- The account-level figures of dashboard.channel_daily (impressions, engagements, clicks,
-- paid_impressions, paid_clicks) for a few days, computed from the facts of those days only:
-- the view computes every day of every account (seconds on a large database), and its day
-- filter is applied after. The definitions are the view's (tests/sql/033 compares the two row
-- for row): impressions the platform's daily figure, else the day's growth of the posts'
-- impression counters; engagements the platform's daily figure, else its daily interactions,
-- else the growth of the posts' interaction counters; a post's counter grows on a day by its
-- last value of the day less its last value before (its first value when the post was
-- published at most a day earlier). A row per account and day with a daily metric, an
-- observed post counter or ad delivery; organic says the first two were there (the organic
-- figures were reported), paid the last (the paid ones were).
CREATE FUNCTION socialroi.channel_figures(p_days date[])
RETURNS TABLE (account_id integer, day date, impressions bigint, engagements bigint,
               clicks bigint, paid_impressions bigint, paid_clicks bigint, organic boolean,
               paid boolean)
LANGUAGE sql STABLE SET search_path = '' AS $$
    WITH m AS (
        -- per account and day one scan of metric_daily_account_level_idx for the metrics
        SELECT a.account_id, k.day, x.impressions, x.clicks, x.engagements, x.interactions
          FROM socialroi.account a CROSS JOIN pg_catalog.unnest(p_days) k(day)
          CROSS JOIN LATERAL (
              SELECT count(*) AS n,
                     sum(d.value) FILTER (WHERE d.metric = 'impressions') AS impressions,
                     sum(d.value) FILTER (WHERE d.metric IN ('clicks', 'link_clicks')) AS clicks,
                     sum(d.value) FILTER (WHERE d.metric = 'engagements') AS engagements,
                     sum(d.value) FILTER (WHERE d.metric IN ('likes', 'comments', 'shares',
                                                             'quotes', 'saves', 'bookmarks'))
                         AS interactions
                FROM socialroi.metric_daily d
               WHERE d.account_id = a.account_id AND d.object_id = '' AND d.day = k.day
                 AND d.metric IN ('impressions', 'clicks', 'link_clicks', 'engagements',
                                  'likes', 'comments', 'shares', 'quotes', 'saves',
                                  'bookmarks')) x
         WHERE x.n > 0),
    last_of_day AS (
        SELECT DISTINCT ON (s.account_id, s.object_id, s.metric, 4)
               s.account_id, s.object_id, s.metric, (s.observed_at AT TIME ZONE 'UTC')::date AS day,
               s.value
          FROM socialroi.metric_snapshot s
         WHERE s.object_id <> ''
           AND s.metric IN ('impressions', 'likes', 'comments', 'shares', 'quotes', 'saves',
                            'bookmarks')
           AND s.observed_at >= (SELECT min(x) FROM pg_catalog.unnest(p_days) x)::timestamp
                                AT TIME ZONE 'UTC'
           AND s.observed_at < ((SELECT max(x) FROM pg_catalog.unnest(p_days) x) + 1)::timestamp
                               AT TIME ZONE 'UTC'
           AND (s.observed_at AT TIME ZONE 'UTC')::date = ANY (p_days)
         ORDER BY s.account_id, s.object_id, s.metric, 4, s.observed_at DESC),
    ps AS (
        SELECT n.account_id, n.day,
               sum(g.growth) FILTER (WHERE n.metric <> 'impressions') AS interactions,
               sum(g.growth) FILTER (WHERE n.metric = 'impressions') AS impressions
          FROM last_of_day n
          LEFT JOIN socialroi.content t ON t.account_id = n.account_id
                                       AND t.content_id = n.object_id
          CROSS JOIN LATERAL (
              SELECT COALESCE(n.value - (SELECT o.value FROM socialroi.metric_snapshot o
                                          WHERE o.account_id = n.account_id
                                            AND o.object_id = n.object_id
                                            AND o.metric = n.metric
                                            AND o.observed_at < n.day::timestamp
                                                                AT TIME ZONE 'UTC'
                                          ORDER BY o.observed_at DESC LIMIT 1),
                              CASE WHEN n.day <= (t.published_at AT TIME ZONE 'UTC')::date + 1
                                   THEN n.value END) AS growth) g
         GROUP BY 1, 2),
    ad AS (
        SELECT d.account_id, d.day, sum(d.impressions) AS impressions, sum(d.clicks) AS clicks
          FROM socialroi.ad_daily d WHERE d.day = ANY (p_days) GROUP BY 1, 2),
    k AS (
        SELECT m.account_id, m.day FROM m UNION SELECT ps.account_id, ps.day FROM ps
        UNION SELECT ad.account_id, ad.day FROM ad)
    SELECT k.account_id, k.day,
           COALESCE(m.impressions, ps.impressions, 0)::bigint,
           COALESCE(m.engagements, m.interactions, ps.interactions, 0)::bigint,
           COALESCE(m.clicks, 0)::bigint, COALESCE(ad.impressions, 0)::bigint,
           COALESCE(ad.clicks, 0)::bigint, m.account_id IS NOT NULL OR ps.account_id IS NOT NULL,
           ad.account_id IS NOT NULL
      FROM k LEFT JOIN m USING (account_id, day) LEFT JOIN ps USING (account_id, day)
      LEFT JOIN ad USING (account_id, day)
$$;

COMMENT ON FUNCTION socialroi.channel_figures(date[]) IS
    'The impressions, engagements, clicks, paid_impressions and paid_clicks of '
    'dashboard.channel_daily for the given days only, per account_id and day with a daily '
    'metric, an observed post counter or ad delivery (organic: the first two, paid: the '
    'last); read by the anomaly detector.';

-- Per account, metric and (for spend) currency: the value on the day and on the eight same
-- weekdays before it, from socialroi.channel_figures (impressions, engagements, clicks,
-- paid_impressions, paid_clicks), socialroi.ad_daily (spend, micro-units) and socialroi.lead
-- (leads created that UTC day, test leads left out). A day counts for a series when its
-- source reported the day: the organic series when the account has organic figures that day
-- (a daily metric or an observed post counter), the paid series and spend when it has ad
-- days (spend per currency, 0 in a currency without), leads when it has any figure or lead.
-- A day without is missing, not a zero: Pinterest, for one, keeps its latest day back while
-- it is processing, and an account's ad days can come before its organic ones.
CREATE FUNCTION socialroi.alert_metric_anomalies(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate
LANGUAGE sql STABLE SET search_path = '' SET jit = off AS $$
    WITH days AS (
        SELECT socialroi.alert_day(p_now) - 7 * k AS day, k
          FROM pg_catalog.generate_series(0, 8) k),
    acc AS (
        SELECT account_id, name, platform FROM socialroi.account WHERE state <> 'disabled'),
    cd AS (
        SELECT * FROM socialroi.channel_figures(ARRAY(SELECT day FROM days))),
    sp AS (
        SELECT d.account_id, d.day, d.currency::text AS currency, sum(d.spend_micros) AS micros
          FROM socialroi.ad_daily d
         WHERE d.day IN (SELECT day FROM days)
         GROUP BY 1, 2, 3),
    ld AS (
        SELECT l.account_id, (l.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
          FROM socialroi.lead l
         WHERE NOT l.is_test
           AND l.created_at >= (SELECT min(day) FROM days)::timestamp AT TIME ZONE 'UTC'
           AND l.created_at < ((SELECT max(day) FROM days) + 1)::timestamp AT TIME ZONE 'UTC'
           AND (l.created_at AT TIME ZONE 'UTC')::date IN (SELECT day FROM days)
         GROUP BY 1, 2),
    present AS (
        SELECT account_id, day FROM cd UNION SELECT account_id, day FROM ld),
    currencies AS (SELECT DISTINCT account_id, currency FROM sp),
    v AS (
        SELECT cd.account_id, x.metric, ''::text AS currency, cd.day, x.value
          FROM cd
          CROSS JOIN LATERAL (VALUES ('impressions', cd.impressions::numeric, cd.organic),
                                     ('engagements', cd.engagements::numeric, cd.organic),
                                     ('clicks', cd.clicks::numeric, cd.organic),
                                     ('paid_impressions', cd.paid_impressions::numeric,
                                      cd.paid),
                                     ('paid_clicks', cd.paid_clicks::numeric, cd.paid))
                      x(metric, value, reported)
         WHERE x.reported
        UNION ALL
        SELECT cd.account_id, 'spend', cu.currency, cd.day, COALESCE(sp.micros, 0)
          FROM cd JOIN currencies cu USING (account_id)
          LEFT JOIN sp ON sp.account_id = cd.account_id AND sp.day = cd.day
                      AND sp.currency = cu.currency
         WHERE cd.paid
        UNION ALL
        SELECT p.account_id, 'leads', '', p.day, COALESCE(ld.n, 0)
          FROM present p LEFT JOIN ld USING (account_id, day)),
    series AS (
        SELECT v.account_id, v.metric, v.currency,
               max(v.value) FILTER (WHERE d.k = 0) AS x,
               pg_catalog.array_agg(v.value ORDER BY d.k) FILTER (WHERE d.k > 0) AS hist
          FROM v JOIN days d USING (day)
         GROUP BY 1, 2, 3
        HAVING count(*) FILTER (WHERE d.k = 0) = 1
           AND count(*) FILTER (WHERE d.k > 0) >= 6),
    stats AS (
        SELECT s.*, socialroi.exact_median(s.hist) AS med,
               -- the volume below which a series is not judged, and the smallest scale
               -- (one unit: a count, or 1.00 of the currency)
               CASE s.metric WHEN 'impressions' THEN 100 WHEN 'paid_impressions' THEN 100
                             WHEN 'leads' THEN 5 WHEN 'spend' THEN 10000000
                             ELSE 20 END AS volume,
               CASE s.metric WHEN 'spend' THEN 1000000 ELSE 1 END AS unit
          FROM series s),
    z AS (
        SELECT t.*, socialroi.exact_mad(t.hist, t.med) AS mad,
               (t.x - t.med) / GREATEST(1.4826 * socialroi.exact_mad(t.hist, t.med),
                                        0.05 * t.med, t.unit) AS z
          FROM stats t
         WHERE GREATEST(t.x, t.med) >= t.volume)
    SELECT 'anomaly', 'account=' || a.name || ' metric=' || z.metric,
           CASE WHEN pg_catalog.abs(z.z) >= 8 OR (z.x = 0 AND 0 < ALL (z.hist)) THEN 'critical'
                ELSE 'warning' END,
           pg_catalog.abs(z.z) >= 4 OR (z.x = 0 AND 0 < ALL (z.hist)),
           pg_catalog.format('%s of %s/%s on %s (%s): %s vs usual %s (median of %s %ss), %s',
               z.metric, a.platform, a.name, pg_catalog.to_char(day0, 'YYYY-MM-DD'),
               pg_catalog.to_char(day0, 'Dy'),
               CASE WHEN z.metric = 'spend' THEN socialroi.alert_money(z.x, z.currency)
                    ELSE socialroi.alert_figure(z.x) END,
               CASE WHEN z.metric = 'spend' THEN socialroi.alert_money(z.med, z.currency)
                    ELSE socialroi.alert_figure(z.med) END,
               pg_catalog.cardinality(z.hist), pg_catalog.to_char(day0, 'FMDay'),
               CASE WHEN z.med = 0 THEN 'up from none'
                    ELSE pg_catalog.to_char(pg_catalog.round((z.x - z.med) * 100 / z.med),
                                            'FMSG999999990') || '%' END),
           pg_catalog.jsonb_build_object(
               'day', day0, 'metric', z.metric, 'value', z.x, 'median', z.med, 'mad', z.mad,
               'z', pg_catalog.round(z.z, 2), 'history', z.hist,
               'currency', NULLIF(z.currency, ''))
      FROM z JOIN acc a USING (account_id),
           LATERAL (SELECT socialroi.alert_day(p_now) AS day0) d0
     WHERE pg_catalog.abs(z.z) >= 3 OR (z.x = 0 AND 0 < ALL (z.hist))
$$;

COMMENT ON FUNCTION socialroi.alert_metric_anomalies(timestamptz) IS
    'Detector of the anomaly alert kind: per account and daily series, the value of the day '
    '(socialroi.alert_day) against the median and MAD of the eight same weekdays before it; '
    'raises at |z| >= 4 or a drop to zero of a series never zero in that history, holds down '
    'to |z| 3; critical at |z| >= 8 or such a drop.';

INSERT INTO socialroi.alert_kind (kind, detector, title, runbook) VALUES
    ('anomaly', 'socialroi.alert_metric_anomalies',
     'A channel''s daily figure far from its usual value on that weekday',
     'Compare the day in dashboard.channel_daily with the weeks before and with the '
     'platform''s own dashboard: a drop to zero is most often a broken tag, a paused or '
     'rejected ad, a disconnected page or a token without the insights permission (check '
     'dashboard.data_health); a spike, a post or campaign that took off or bot traffic. A '
     'planned change (a campaign ended) needs only an ack: the alert resolves once a day is '
     'back to normal.');

-- ---- negative_mentions --------------------------------------------------------------------

-- The mentions the views count negative (sentiment below -0.25, as positive is above 0.25),
-- by time: the detector reads the last 29 days of them.
CREATE INDEX mention_negative_posted_idx ON socialroi.mention (posted_at)
    WHERE sentiment < -0.25;

-- Per account and query: negative mentions posted in the 24 hours to p_now against the same
-- count in each of the 28 days of 24 hours before. The history is what socialroi stored: X's
-- recent search reads back 7 days, so it starts 7 days before the account's first mention
-- search (the first successful run of its x.mentions job in socialroi.fetch_run; without one,
-- at its first negative mention of the 29 days). Days of 24 hours without a negative mention
-- count 0.
--   at least 7 days of history: z = (count - median) / max(1.4826 MAD, sqrt(median), 1)
--     (the square root: the spread a count has by chance when MAD says none); raises at
--     z >= 4 with at least 5 mentions, holds down to z 3 with at least 5, critical at z >= 8
--     with at least 20;
--   less: no baseline; raises at 15 mentions, holds down to 10.
CREATE FUNCTION socialroi.alert_negative_mentions(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate
LANGUAGE sql STABLE SET search_path = '' SET jit = off AS $$
    WITH w AS (
        SELECT m.account_id, m.query,
               pg_catalog.floor(EXTRACT(epoch FROM p_now - m.posted_at) / 86400)::integer AS k,
               count(*) AS n, min(m.posted_at) AS first
          FROM socialroi.mention m
         WHERE m.sentiment < -0.25 AND m.posted_at > p_now - interval '29 days'
           AND m.posted_at <= p_now
         GROUP BY 1, 2, 3),
    cur AS (
        SELECT w.account_id, w.query, w.n FROM w WHERE w.k = 0 AND w.n >= 5),
    cov AS (
        SELECT c.account_id, c.query,
               COALESCE((SELECT min(r.finished_at) - interval '7 days'
                           FROM socialroi.poll_job j JOIN socialroi.fetch_run r USING (job_id)
                          WHERE j.account_id = c.account_id AND j.stream = 'x.mentions'
                            AND r.outcome = 'ok'),
                        (SELECT min(w.first) FROM w WHERE w.account_id = c.account_id))
                   AS since
          FROM cur c),
    h AS (
        SELECT c.account_id, c.query, c.n,
               ARRAY(SELECT COALESCE((SELECT w.n FROM w
                                       WHERE w.account_id = c.account_id AND w.query = c.query
                                         AND w.k = i), 0)::numeric
                       FROM pg_catalog.generate_series(1, 28) i
                      WHERE p_now - i * interval '1 day' > v.since) AS hist
          FROM cur c JOIN cov v USING (account_id, query)),
    s AS (
        SELECT h.*, pg_catalog.cardinality(h.hist) AS days,
               socialroi.exact_median(h.hist) AS med,
               socialroi.exact_mad(h.hist, socialroi.exact_median(h.hist)) AS mad
          FROM h),
    z AS (
        SELECT s.*,
               CASE WHEN s.days >= 7
                    THEN (s.n - s.med) / GREATEST(1.4826 * s.mad, pg_catalog.sqrt(s.med), 1)
               END AS z
          FROM s)
    SELECT 'negative_mentions', 'account=' || a.name || ' query=' || z.query,
           CASE WHEN z.z >= 8 AND z.n >= 20 THEN 'critical' ELSE 'warning' END,
           CASE WHEN z.z IS NULL THEN z.n >= 15 ELSE z.z >= 4 END,
           CASE WHEN z.z IS NULL
                THEN pg_catalog.format(
                         'negative mentions of %s for %s: %s in the 24 hours to %s UTC '
                         '(only %s of history: raised at 15)',
                         a.name, pg_catalog.quote_literal(z.query), z.n,
                         pg_catalog.to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
                         CASE z.days WHEN 1 THEN '1 day' ELSE z.days || ' days' END)
                ELSE pg_catalog.format(
                         'negative mentions of %s for %s: %s in the 24 hours to %s UTC vs usual '
                         '%s a day (median of %s days), z %s',
                         a.name, pg_catalog.quote_literal(z.query), z.n,
                         pg_catalog.to_char(p_now AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
                         socialroi.alert_figure(z.med), z.days,
                         socialroi.alert_figure(pg_catalog.round(z.z, 1))) END,
           pg_catalog.jsonb_build_object(
               'count', z.n, 'median', z.med, 'mad', z.mad, 'z', pg_catalog.round(z.z, 2),
               'history_days', z.days, 'history', z.hist, 'threshold', -0.25)
      FROM z JOIN socialroi.account a USING (account_id)
     WHERE CASE WHEN z.z IS NULL THEN z.n >= 10 ELSE z.z >= 3 END
$$;

COMMENT ON FUNCTION socialroi.alert_negative_mentions(timestamptz) IS
    'Detector of the negative_mentions alert kind: per account and query, mentions with '
    'sentiment below -0.25 in the 24 hours to p_now against the median and MAD of the 28 days '
    'before (from 7 days before the first mention search); raises at z >= 4 and 5 mentions, '
    'holds down to z 3; with less than 7 days of history raises at 15 mentions.';

INSERT INTO socialroi.alert_kind (kind, detector, title, runbook) VALUES
    ('negative_mentions', 'socialroi.alert_negative_mentions',
     'More negative mentions of a query than usual',
     'Read the day''s negative mentions of the query (socialroi.mention, newest first): an '
     'outage, a bug, a price change or a post people object to. Tell support or the product '
     'owner and answer from the brand account; if the posts are not about the brand, narrow '
     'the account''s query in the configuration.');

-- ---- budget_pacing ------------------------------------------------------------------------

-- Per active business campaign with a budget and an end day, from its third day to its last:
-- spend to date (socialroi.campaign_spend_between up to socialroi.alert_day, platform and
-- configured, in the reporting currency: the spend of finance.spend_reconciliation) against
-- budget x days gone by / days (the budget converted on the start day, as there). Ahead
-- raises above 1.2 times the expected and holds above 1.1; behind raises below 0.8 and holds
-- below 0.9; critical when the budget is spent before the last day. Amounts with no rate are
-- left out, and the message names their currencies. All comparisons are exact (micro-units).
CREATE FUNCTION socialroi.alert_budget_pacing(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate
LANGUAGE sql STABLE SET search_path = '' SET jit = off AS $$
    WITH c AS (
        SELECT c.campaign_id, c.name, c.end_day, socialroi.alert_day(p_now) AS day,
               socialroi.to_reporting(c.budget_micros, c.budget_currency::text, c.start_day)
                   AS budget,
               socialroi.alert_day(p_now) - c.start_day + 1 AS elapsed,
               c.end_day - c.start_day + 1 AS days
          FROM socialroi.campaign c
         WHERE c.active AND c.budget_micros > 0 AND c.end_day IS NOT NULL
           AND socialroi.alert_day(p_now) BETWEEN c.start_day + 2 AND c.end_day),
    s AS (
        SELECT c.*, COALESCE(x.platform_micros + x.configured_micros, 0) AS spend,
               COALESCE(x.unconverted, '{}') AS unconverted
          FROM c LEFT JOIN socialroi.campaign_spend_between('-infinity',
                                                            socialroi.alert_day(p_now)) x
                   USING (campaign_id)
         WHERE c.budget > 0),
    p AS (
        -- spend / expected = spend x days / (budget x elapsed), exact
        SELECT s.*, s.budget::numeric * s.elapsed / s.days AS expected,
               s.spend::numeric * s.days AS lhs, s.budget::numeric * s.elapsed AS rhs
          FROM s)
    SELECT 'budget_pacing', 'campaign=' || p.name,
           CASE WHEN p.spend >= p.budget AND p.day < p.end_day THEN 'critical'
                ELSE 'warning' END,
           p.lhs * 10 > p.rhs * 12 OR p.lhs * 10 < p.rhs * 8,
           pg_catalog.format('campaign %s: spent %s of %s by day %s of %s (expected %s), %s%% %s%s',
               p.name, socialroi.alert_money(p.spend, socialroi.reporting_currency()),
               socialroi.alert_money(p.budget, socialroi.reporting_currency()), p.elapsed,
               p.days, socialroi.alert_money(p.expected, socialroi.reporting_currency()),
               pg_catalog.round(pg_catalog.abs(p.lhs - p.rhs) * 100 / p.rhs),
               CASE WHEN p.lhs > p.rhs THEN 'ahead' ELSE 'behind' END,
               CASE WHEN pg_catalog.cardinality(p.unconverted) > 0
                    THEN ' (left out for want of a rate: '
                         || pg_catalog.array_to_string(p.unconverted, ', ') || ')'
                    ELSE '' END),
           pg_catalog.jsonb_build_object(
               'day', p.day, 'elapsed_days', p.elapsed, 'days', p.days,
               'currency', socialroi.reporting_currency(), 'budget', socialroi.money(p.budget),
               'spend', socialroi.money(p.spend), 'expected', socialroi.money(p.expected),
               'pacing', pg_catalog.round(p.lhs / p.rhs, 6), 'unconverted', p.unconverted)
      FROM p
     WHERE p.lhs * 10 > p.rhs * 11 OR p.lhs * 10 < p.rhs * 9
$$;

COMMENT ON FUNCTION socialroi.alert_budget_pacing(timestamptz) IS
    'Detector of the budget_pacing alert kind: per active campaign with a budget and an end '
    'day, from its third day on, spend to date against budget x elapsed share of its days; '
    'raises above 1.2 (ahead) or below 0.8 (behind) times the expected, holds to 1.1 and 0.9; '
    'critical when the budget is spent before the last day.';

INSERT INTO socialroi.alert_kind (kind, detector, title, runbook) VALUES
    ('budget_pacing', 'socialroi.alert_budget_pacing',
     'A campaign spending ahead of or behind its budget',
     'Open finance.spend_reconciliation and the ad platform''s campaign: ahead, lower the '
     'daily budgets or bids or end the flight early; behind, check for rejected or paused ads, '
     'a spent-out payment method or too narrow targeting, then raise bids or move the budget. '
     'A deliberate change of plan: change the campaign''s budget or dates in the '
     'configuration.');

-- The detectors run as the daemon (alert_evaluate); the default privileges of 009 cover
-- these, granted here as each migration grants what it adds.
GRANT EXECUTE ON FUNCTION socialroi.exact_median(numeric[]),
                          socialroi.exact_mad(numeric[], numeric),
                          socialroi.alert_figure(numeric), socialroi.alert_money(numeric, text),
                          socialroi.alert_day(timestamptz), socialroi.channel_figures(date[]),
                          socialroi.alert_metric_anomalies(timestamptz),
                          socialroi.alert_negative_mentions(timestamptz),
                          socialroi.alert_budget_pacing(timestamptz) TO socialroi_daemon;
