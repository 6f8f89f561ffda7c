-- 028_employee_advocacy.sql - employee advocacy: what a company's employees' own LinkedIn posts
-- do, beside the company page.
--
-- A LinkedIn account configured with `member = yes` is a member's own profile, polled by
-- linkedin.member_posts alone: its posts are socialroi.content of kind 'post' with the
-- lifetime counters of each (impressions, reach, likes = reactions, comments, shares =
-- reshares) in socialroi.metric_snapshot, and the member's daily totals in
-- socialroi.metric_daily. An account is a member's when it has that stream's job
-- (socialroi.poll_job): the accounts table has no kind, and nothing else polls that stream.
--
-- dashboard.advocacy sums the members' posts per UTC month of publication. dashboard.funnel's
-- advocacy stage, which counted positive X mentions naming a campaign's utm_campaign value,
-- now also counts the employees' posts that carry one of those values in a link
-- (content.utm_campaign) or name one in their text; the column list is unchanged.

-- Per UTC month of publication, the members' own LinkedIn posts: how many members posted, how
-- many posts, and the latest lifetime counters of those posts summed.
CREATE VIEW dashboard.advocacy AS
SELECT (pg_catalog.date_trunc('month', t.published_at AT TIME ZONE 'UTC'))::date AS month,
       count(DISTINCT t.account_id) AS members_posting,
       count(*) AS posts,
       COALESCE(sum(x.impressions), 0)::bigint AS impressions,
       COALESCE(sum(x.reach), 0)::bigint AS reach,
       COALESCE(sum(x.likes), 0)::bigint AS reactions,
       COALESCE(sum(x.comments), 0)::bigint AS comments,
       COALESCE(sum(x.shares), 0)::bigint AS reshares
  FROM socialroi.poll_job j
  JOIN socialroi.content t ON t.account_id = j.account_id
 CROSS JOIN LATERAL (
    SELECT sum(s.value) FILTER (WHERE s.metric = 'impressions') AS impressions,
           sum(s.value) FILTER (WHERE s.metric = 'reach') AS reach,
           sum(s.value) FILTER (WHERE s.metric = 'likes') AS likes,
           sum(s.value) FILTER (WHERE s.metric = 'comments') AS comments,
           sum(s.value) FILTER (WHERE s.metric = 'shares') AS shares
      FROM (SELECT DISTINCT ON (s.metric) s.metric, s.value FROM socialroi.metric_snapshot s
             WHERE s.account_id = t.account_id AND s.object_id = t.content_id
             ORDER BY s.metric, s.observed_at DESC) s) x
 WHERE j.stream = 'linkedin.member_posts' AND t.published_at IS NOT NULL
   AND pg_catalog.isfinite(t.published_at)
 GROUP BY 1;

COMMENT ON VIEW dashboard.advocacy IS
    'Employee advocacy: per UTC month of publication, the own LinkedIn posts of the member '
    'accounts (member = yes) and their latest lifetime counters.';
COMMENT ON COLUMN dashboard.advocacy.month IS
    'The UTC calendar month the posts were published in (its first day).';
COMMENT ON COLUMN dashboard.advocacy.members_posting IS
    'Member accounts with at least one post published in the month.';
COMMENT ON COLUMN dashboard.advocacy.posts IS
    'Posts the members published in the month.';
COMMENT ON COLUMN dashboard.advocacy.impressions IS
    'Impressions of those posts (the latest lifetime count of each).';
COMMENT ON COLUMN dashboard.advocacy.reach IS
    'Members reached by those posts, summed over the posts (a member reached by two posts '
    'counts twice).';
COMMENT ON COLUMN dashboard.advocacy.reactions IS
    'Reactions to those posts (the latest lifetime count of each).';
COMMENT ON COLUMN dashboard.advocacy.comments IS
    'Comments on those posts (the latest lifetime count of each).';
COMMENT ON COLUMN dashboard.advocacy.reshares IS
    'Reshares of those posts (the latest lifetime count of each).';

GRANT SELECT ON dashboard.advocacy TO socialroi_dashboard, socialroi_finance;

-- dashboard.funnel as 022 defined it, with the employees' posts in the advocacy stage.
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
           COALESCE(mn.positive, 0) + ep.n AS positive_mentions
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
      -- its employees' posts: the posts of LinkedIn member accounts (the accounts polled by
      -- linkedin.member_posts) that carry one of its utm_campaign values in a link or name one
      -- in their text (case and punctuation ignored, as a mention does), read once per campaign
     CROSS JOIN LATERAL (
        SELECT pg_catalog.array_agg(t.published_at) AS published,
               (min(t.published_at) FILTER (WHERE pg_catalog.isfinite(t.published_at))
                   AT TIME ZONE 'UTC')::date AS lo,
               (max(t.published_at) FILTER (WHERE pg_catalog.isfinite(t.published_at))
                   AT TIME ZONE 'UTC')::date AS hi
          FROM socialroi.poll_job j
          JOIN socialroi.content t ON t.account_id = j.account_id
         WHERE j.stream = 'linkedin.member_posts' AND t.published_at IS NOT NULL
           AND EXISTS (
                SELECT FROM socialroi.campaign_link l
                 WHERE l.campaign_id = c.campaign_id AND l.kind = 'utm_campaign'
                   AND (t.utm_campaign = l.value
                        OR (pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+',
                                                      '', 'g') <> ''
                            AND pg_catalog.strpos(
                                    pg_catalog.regexp_replace(pg_catalog.lower(t.title),
                                                              '[^[:alnum:]]+', '', 'g'),
                                    pg_catalog.regexp_replace(pg_catalog.lower(l.value),
                                                              '[^[:alnum:]]+', '', 'g')) > 0)))) emp
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
                SELECT emp.lo, emp.hi
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
      -- its employees' posts published in the month
     CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM pg_catalog.unnest(emp.published) p
         WHERE p >= k.t0 AND p < k.t1) ep
     -- a month is a row when a stage has a row in it: the counts above, or any daily metric
     -- of its ad campaigns (not only the interactions counted)
     WHERE ads.n > 0 OR cr.n > 0 OR ct.n > 0 OR mn.positive > 0 OR ep.n > 0
        OR EXISTS (SELECT FROM socialroi.campaign_link l
                     JOIN socialroi.account a ON a.platform = l.platform
                     JOIN socialroi.metric_daily md
                       ON md.account_id = a.account_id AND md.object_id = l.value
                    WHERE l.campaign_id = c.campaign_id AND l.kind = 'ad_campaign'
                      AND md.day >= k.month AND md.day < k.next)) f;


COMMENT ON COLUMN dashboard.funnel.advocacy_positive_mentions IS
    'Positive mentions (sentiment above 0.25) that name one of its utm_campaign values, plus '
    'its employees'' own LinkedIn posts (member accounts) published in the month that carry one '
    'of those values in a link or name one in their text.';
