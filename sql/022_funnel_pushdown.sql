-- 022_funnel_pushdown.sql - dashboard.funnel is a plain view over the tables, so a range of
-- months reads only those months.
--
-- The view was SELECT ... FROM dashboard.funnel_rows(), a function that aggregated every stage
-- of every campaign over all time: a filter on month applied to its result, so one month cost
-- what all of them did. At 10.7 million fact rows (the customer of make bench) one month, one
-- year and all months each took about 1.06 s, most of it reading the whole of
-- socialroi.metric_daily for the ad campaigns' interactions (1.04 s) and all linear credit
-- from socialroi.attribution (0.27 s).
--
-- The view now starts from the (campaign, month) pairs: for each campaign the months from the
-- first to the last it has data in (found from index bounds), and for each pair every stage
-- through range conditions on the tables' own date columns that their indexes serve. A filter
-- on month removes pairs before any stage is read. A pair is a row when some stage has a row
-- in that month, which is when the function gave it one; the rows and figures are the
-- function's (tests/sql/022_funnel_pushdown.sql compares them). The same customer: one month
-- 21 to 26 ms, one year 206 to 213 ms, all 25 months 321 to 355 ms (the function 1.0 to 1.3 s
-- for each; medians of three in two runs, as socialroi_dashboard). The view reads the tables as its owner and
-- calls only dashboard.round6 and built-in functions, so dashboard.funnel_rows (a SECURITY
-- DEFINER function for that) goes.

-- The positive mentions of a month, for the advocacy stage of each of its (campaign, month)
-- pairs and for the first and last month. Without it every pair read the whole table: with
-- 210,000 mentions over two years added to the customer above, one month took 1.4 s and one
-- year 9.0 s (the function: 3.6 s); with it 115 ms and 1.6 s (the rest is matching each
-- positive mention of those months against each campaign's utm_campaign values). It holds
-- only mentions above the threshold (3.7 MB for 94,500 of the 210,000) and grows at the end
-- as mentions arrive in order: copying the 210,000 mentions took 1.48 to 1.65 s with it
-- against 1.61 to 1.77 s without, no difference beyond the noise.
CREATE INDEX mention_positive_posted_idx ON socialroi.mention (posted_at) WHERE sentiment > 0.25;

-- Per business campaign and month, the funnel of the essays: interest (impressions of its ad
-- campaigns and its content, reach of the content), consideration (engagements of the content
-- and the ad campaigns, ad clicks), trial (leads, linear attribution), loyalty (won deals and
-- customers, linear), advocacy (shares of its content and ads, and positive mentions that name
-- one of its utm_campaign values), with the rate from each stage to the next.
--
-- Its content is what a content link names and, like a touch, whatever carries one of its
-- utm_campaign values; content counts in the UTC month it was published in, with its latest
-- lifetime counters. A mention names a value when its text holds the value with case and
-- punctuation ignored: "#Q4Webinar" names q4-webinar. Each mention counts once per campaign.
--
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
  FROM (
    SELECT c.name AS campaign, c.title, k.month,
           (COALESCE(ads.impressions, 0) + COALESCE(ct.impressions, 0))::bigint AS impressions,
           COALESCE(ct.reach, 0)::bigint AS reach,
           (COALESCE(ct.engagements, 0) + COALESCE(ae.engagements, 0))::bigint AS engagements,
           COALESCE(ads.clicks, 0)::bigint AS clicks, COALESCE(cr.leads, 0) AS leads,
           COALESCE(cr.won_deals, 0) AS won_deals, COALESCE(cr.customers, 0) AS customers,
           (COALESCE(ct.shares, 0) + COALESCE(ae.shares, 0))::bigint AS shares,
           COALESCE(mn.positive, 0) AS positive_mentions
      FROM socialroi.campaign c
      -- its content: what its content links name and what carries one of its utm_campaign
      -- values, read once per campaign
     CROSS JOIN LATERAL (
        SELECT pg_catalog.array_agg(o.account_id) AS accounts,
               pg_catalog.array_agg(o.content_id) AS ids,
               pg_catalog.array_agg(o.published_at) AS published,
               (min(o.published_at) FILTER (WHERE pg_catalog.isfinite(o.published_at))
                   AT TIME ZONE 'UTC')::date AS lo,
               (max(o.published_at) FILTER (WHERE pg_catalog.isfinite(o.published_at))
                   AT TIME ZONE 'UTC')::date AS hi
          FROM (SELECT t.account_id, t.content_id, t.published_at
                  FROM socialroi.campaign_link l
                  JOIN socialroi.account a ON a.platform = l.platform
                  JOIN socialroi.content t
                    ON t.account_id = a.account_id AND t.content_id = l.value
                 WHERE l.campaign_id = c.campaign_id AND l.kind = 'content'
                   AND t.published_at IS NOT NULL
                UNION
                SELECT t.account_id, t.content_id, t.published_at
                  FROM socialroi.campaign_link l
                  JOIN socialroi.content t ON t.utm_campaign = l.value
                 WHERE l.campaign_id = c.campaign_id AND l.kind = 'utm_campaign'
                   AND t.published_at IS NOT NULL) o) own
      -- The months the campaign can have a row in: from the first to the last day of its
      -- platform spend and of its linear credit (their indexes lead with the campaign and the
      -- day), of its content, of each daily metric of its linked ad campaigns, and of the
      -- positive mentions when it has a utm_campaign value for them to name. An array, so
      -- the planner counts a few months a campaign rather than the thousand rows it assumes
      -- of a set-returning function (estimated a thousand, the whole view cost enough to be
      -- compiled: 3 s of JIT for a query of 1 s). Only finite days bound it: no platform
      -- gives an infinite one, and a row with one must not make the months endless.
     CROSS JOIN LATERAL (
        SELECT ARRAY(SELECT pg_catalog.generate_series(
                                pg_catalog.date_trunc('month', min(d.lo)::timestamp),
                                max(d.hi)::timestamp, interval '1 month')) AS months
          FROM (SELECT min(r.day) AS lo, max(r.day) AS hi FROM socialroi.rollup_spend r
                 WHERE r.campaign_id = c.campaign_id AND r.source = 'platform'
                   AND pg_catalog.isfinite(r.day)
                UNION ALL
                SELECT min(x.day), max(x.day) FROM socialroi.attribution x
                 WHERE x.campaign_id = c.campaign_id AND x.model = 'linear'
                   AND pg_catalog.isfinite(x.day)
                UNION ALL
                SELECT own.lo, own.hi
                UNION ALL
                -- the metrics an ad campaign has, one index probe each, then each metric's
                -- first and last day, two more
                SELECT (SELECT min(md.day) FROM socialroi.metric_daily md
                         WHERE md.account_id = a.account_id AND md.object_id = l.value
                           AND md.metric = m.metric AND pg_catalog.isfinite(md.day)),
                       (SELECT max(md.day) FROM socialroi.metric_daily md
                         WHERE md.account_id = a.account_id AND md.object_id = l.value
                           AND md.metric = m.metric AND pg_catalog.isfinite(md.day))
                  FROM socialroi.campaign_link l
                  JOIN socialroi.account a ON a.platform = l.platform
                 CROSS JOIN LATERAL (
                    WITH RECURSIVE metrics(metric) AS (
                        SELECT min(md.metric) FROM socialroi.metric_daily md
                         WHERE md.account_id = a.account_id AND md.object_id = l.value
                        UNION ALL
                        SELECT (SELECT min(md.metric) FROM socialroi.metric_daily md
                                 WHERE md.account_id = a.account_id AND md.object_id = l.value
                                   AND md.metric > metrics.metric)
                          FROM metrics WHERE metrics.metric IS NOT NULL)
                    SELECT metrics.metric FROM metrics WHERE metrics.metric IS NOT NULL) m
                 WHERE l.campaign_id = c.campaign_id AND l.kind = 'ad_campaign'
                UNION ALL
                SELECT ((SELECT min(m.posted_at) FROM socialroi.mention m
                          WHERE m.sentiment > 0.25 AND pg_catalog.isfinite(m.posted_at))
                            AT TIME ZONE 'UTC')::date,
                       ((SELECT max(m.posted_at) FROM socialroi.mention m
                          WHERE m.sentiment > 0.25 AND pg_catalog.isfinite(m.posted_at))
                            AT TIME ZONE 'UTC')::date
                 WHERE EXISTS (
                    SELECT FROM socialroi.campaign_link l
                     WHERE l.campaign_id = c.campaign_id AND l.kind = 'utm_campaign'
                       AND pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+',
                                                     '', 'g') <> '')) d) b
      -- its months, as dates and as the UTC instants they start and end at
     CROSS JOIN LATERAL (
        SELECT g::date AS month, (g + interval '1 month')::date AS next,
               g AT TIME ZONE 'UTC' AS t0, (g + interval '1 month') AT TIME ZONE 'UTC' AS t1
          FROM pg_catalog.unnest(b.months) g) k
      -- its ad campaigns' delivery (the spend rollup of their platform rows)
     CROSS JOIN LATERAL (
        SELECT count(*) AS n, sum(r.impressions) AS impressions, sum(r.clicks) AS clicks
          FROM socialroi.rollup_spend r
         WHERE r.campaign_id = c.campaign_id AND r.source = 'platform'
           AND r.day >= k.month AND r.day < k.next) ads
      -- its ad campaigns' interactions
     CROSS JOIN LATERAL (
        SELECT sum(md.value) AS engagements,
               sum(md.value) FILTER (WHERE md.metric = 'shares') AS shares
          FROM socialroi.campaign_link l
          JOIN socialroi.account a ON a.platform = l.platform
          JOIN socialroi.metric_daily md
            ON md.account_id = a.account_id AND md.object_id = l.value
         WHERE l.campaign_id = c.campaign_id AND l.kind = 'ad_campaign'
           AND md.metric IN ('likes', 'comments', 'shares')
           AND md.day >= k.month AND md.day < k.next) ae
      -- its content published in the month, each with its latest value of each counter
     CROSS JOIN LATERAL (
        SELECT count(*) AS n,
               sum(x.value) FILTER (WHERE x.metric = 'impressions') AS impressions,
               sum(x.value) FILTER (WHERE x.metric = 'reach') AS reach,
               sum(x.value) FILTER (WHERE x.metric IN ('likes', 'comments', 'shares', 'quotes',
                                                       'saves', 'bookmarks')) AS engagements,
               sum(x.value) FILTER (WHERE x.metric = 'shares') AS shares
          FROM ROWS FROM (pg_catalog.unnest(own.accounts), pg_catalog.unnest(own.ids),
                          pg_catalog.unnest(own.published)) AS o(account_id, content_id, published_at)
         CROSS JOIN LATERAL (
            SELECT DISTINCT ON (s.metric) s.metric, s.value FROM socialroi.metric_snapshot s
             WHERE s.account_id = o.account_id AND s.object_id = o.content_id
             ORDER BY s.metric, s.observed_at DESC) x
         WHERE o.published_at >= k.t0 AND o.published_at < k.t1) ct
      -- the linear credit of its touches: leads, and won deals with their customers
     CROSS JOIN LATERAL (
        SELECT count(*) AS n, sum(x.weight) FILTER (WHERE x.kind = 'lead') AS leads,
               count(DISTINCT x.conversion) FILTER (WHERE x.kind = 'deal' AND x.won)
                   AS won_deals,
               sum(x.weight) FILTER (WHERE x.kind = 'deal' AND x.won) AS customers
          FROM socialroi.attribution x
         WHERE x.campaign_id = c.campaign_id AND x.model = 'linear'
           AND x.day >= k.month AND x.day < k.next) cr
      -- positive mentions that name one of its utm_campaign values
     CROSS JOIN LATERAL (
        SELECT count(DISTINCT (m.account_id, m.mention_id)) AS positive
          FROM socialroi.campaign_link l
          JOIN socialroi.mention m
            ON m.sentiment > 0.25 AND m.posted_at >= k.t0 AND m.posted_at < k.t1
           AND pg_catalog.strpos(
                   pg_catalog.regexp_replace(pg_catalog.lower(m.body), '[^[:alnum:]]+', '', 'g'),
                   pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+', '',
                                             'g')) > 0
         WHERE l.campaign_id = c.campaign_id AND l.kind = 'utm_campaign'
           AND pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+', '', 'g')
               <> '') mn
     -- a month is a row when a stage has a row in it: the counts above, or any daily metric
     -- of its ad campaigns (not only the interactions counted)
     WHERE ads.n > 0 OR cr.n > 0 OR ct.n > 0 OR mn.positive > 0
        OR EXISTS (SELECT FROM socialroi.campaign_link l
                     JOIN socialroi.account a ON a.platform = l.platform
                     JOIN socialroi.metric_daily md
                       ON md.account_id = a.account_id AND md.object_id = l.value
                    WHERE l.campaign_id = c.campaign_id AND l.kind = 'ad_campaign'
                      AND md.day >= k.month AND md.day < k.next)) f;

DROP FUNCTION dashboard.funnel_rows();
