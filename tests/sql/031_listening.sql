-- 031_listening.sql - brand and competitor labels (socialroi.sync_listening),
-- dashboard.share_of_voice, dashboard.sentiment_daily and the funnel's advocacy stage over brand
-- mentions, read as the reader roles. The world: an X account acme searching its brand
-- ("acme") and two competitors (globex, initech) over four days around a month's end (Friday
-- January 30 to Monday February 2, 2026: one ISO week holds three of them and two months), and
-- an older account whose query has no label (the brand's). Run in Pacific/Kiritimati (UTC+14):
-- days, weeks and months are UTC.
BEGIN;
SELECT plan(25);

SET LOCAL TimeZone = 'Pacific/Kiritimati';

SELECT socialroi.sync_account('acme', 'x', '1', NULL, '', true, '');
SELECT socialroi.sync_account('legacy', 'x', '2', NULL, '', true, '');
SELECT socialroi.sync_account('moves', 'x', '3', NULL, '', true, '');
CREATE TEMP TABLE acc AS SELECT name, account_id FROM socialroi.account;

-- ---- the labels ------------------------------------------------------------------------------

-- as the daemon does it, as the daemon role
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.sync_listening('acme', ARRAY['acme'],
                                ARRAY['globex=globex', 'initech=initech lang:en']);
SELECT socialroi.sync_listening('moves', ARRAY['moves'],
                                ARRAY['globex=globex', 'globex=url:"globex.example/?a=b"']);
RESET ROLE;

SELECT results_eq(
    $$SELECT a.name, q.query, q.side, q.competitor, q.configured
        FROM socialroi.listening_query q JOIN acc a USING (account_id) ORDER BY 1, 2$$,
    $$VALUES ('acme', 'acme', 'brand', NULL, true), ('acme', 'globex', 'competitor', 'globex', true),
             ('acme', 'initech lang:en', 'competitor', 'initech', true),
             ('moves', 'globex', 'competitor', 'globex', true),
             ('moves', 'moves', 'brand', NULL, true),
             ('moves', 'url:"globex.example/?a=b"', 'competitor', 'globex', true)$$,
    'sync_listening labels the brand''s queries and each competitor''s (NAME=QUERY split at the '
    'first =, two queries for one name), run as socialroi_daemon');

-- the config changes: globex's url query is dropped, its plain query becomes the brand's
SELECT socialroi.sync_listening('moves', ARRAY['moves', 'globex'], ARRAY[]::text[]);
SELECT results_eq(
    $$SELECT q.query, q.side, q.competitor, q.configured
        FROM socialroi.listening_query q JOIN acc a USING (account_id)
       WHERE a.name = 'moves' ORDER BY 1$$,
    $$VALUES ('globex', 'brand', NULL, true), ('moves', 'brand', NULL, true),
             ('url:"globex.example/?a=b"', 'competitor', 'globex', false)$$,
    'a moved query takes its new side; a dropped one keeps its last label, no longer configured');

-- ---- the mentions ----------------------------------------------------------------------------

-- sentiment: above 0.25 positive, below -0.25 negative, 0.25 and -0.25 neutral
INSERT INTO socialroi.mention (account_id, mention_id, query, body, posted_at, sentiment)
SELECT (SELECT account_id FROM acc WHERE name = a), i, q, b, t::timestamptz, s
  FROM (VALUES
    ('acme', 'a1', 'acme', 'Acme support was quick and helpful, love acme https://t.co/abc123 @acmehelp',
     '2026-01-30 09:00Z', 0.8),
    ('acme', 'a2', 'acme', 'acme outage again, acme dashboard down', '2026-01-30 10:00Z', -0.6),
    ('acme', 'a3', 'acme', 'acme dashboard is fine', '2026-01-30 23:59Z', 0.25),
    ('acme', 'g1', 'globex', 'globex dashboard launch looks great', '2026-01-30 11:00Z', 0.7),
    ('acme', 'i1', 'initech lang:en', 'initech printer broken', '2026-01-30 12:00Z', -0.5),
    ('acme', 'a4', 'acme', 'acme Spring-Sale rocks', '2026-01-31 08:00Z', 0.9),
    ('acme', 'g2', 'globex', 'globex spring sale is better', '2026-01-31 09:00Z', 0.9),
    ('acme', 'a5', 'acme', 'acme is great', '2026-02-01 00:00Z', 0.5),
    ('acme', 'g3', 'globex', 'globex meh', '2026-02-01 10:00Z', 0.0),
    ('acme', 'i2', 'initech lang:en', 'initech ok', '2026-02-01 11:00Z', -0.25),
    ('acme', 'a6', 'acme', 'acme', '2026-02-02 10:00Z', 0.3),
    ('legacy', 'l1', 'legacy', 'legacy rocks', '2026-01-30 10:00Z', 0.6))
    v(a, i, q, b, t, s);
-- authors' followers as X gave them: a1 100, a3 50 (a2's not given), g1 1000
UPDATE socialroi.mention SET author_followers = f
  FROM (VALUES ('a1', 100), ('a3', 50), ('g1', 1000)) v(i, f) WHERE mention_id = v.i;

CREATE FUNCTION pg_temp.try_as(role text, sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', role);
    BEGIN
        EXECUTE sql;
    EXCEPTION WHEN OTHERS THEN
        RESET ROLE;
        RETURN SQLSTATE || ' ' || SQLERRM;
    END;
    RESET ROLE;
    RETURN 'ok';
END
$$;

SELECT is(pg_temp.try_as('socialroi_dashboard',
                         'CREATE TEMP TABLE sov AS SELECT * FROM dashboard.share_of_voice'), 'ok',
          'socialroi_dashboard reads dashboard.share_of_voice');
SELECT is(pg_temp.try_as('socialroi_dashboard',
                         'CREATE TEMP TABLE sd AS SELECT * FROM dashboard.sentiment_daily'), 'ok',
          'socialroi_dashboard reads dashboard.sentiment_daily');
SELECT is(pg_temp.try_as('socialroi_finance',
                         'CREATE TEMP TABLE sov_f AS SELECT * FROM dashboard.share_of_voice'),
          'ok',
          'socialroi_finance reads dashboard.share_of_voice');
SELECT is(pg_temp.try_as('socialroi_finance',
                         'CREATE TEMP TABLE sd_f AS SELECT * FROM dashboard.sentiment_daily'), 'ok',
          'socialroi_finance reads dashboard.sentiment_daily');
SELECT set_eq('SELECT * FROM sov_f', 'SELECT * FROM sov', 'both readers see the same rows');

-- ---- share of voice ----------------------------------------------------------------------------

-- Friday: acme 3 (a1 a2 a3), globex 1, initech 1 of 5; Sunday one each: a third is 0.333333,
-- the cumulative rounding gives the middle one the millionth that makes 1.
SELECT results_eq(
    $$SELECT period, subject, side, mentions, share, positive, negative, positive_share,
             negative_share, reach
        FROM sov WHERE grain = 'day' AND account = 'acme' ORDER BY period, side, subject$$,
    $$VALUES ('2026-01-30'::date, 'acme', 'brand', 3::bigint, 0.6::numeric, 1::bigint,
              1::bigint, 0.333333::numeric, 0.333333::numeric, 150::bigint),
             ('2026-01-30', 'globex', 'competitor', 1, 0.2, 1, 0, 1, 0, 1000),
             ('2026-01-30', 'initech', 'competitor', 1, 0.2, 0, 1, 0, 1, NULL),
             ('2026-01-31', 'acme', 'brand', 1, 0.5, 1, 0, 1, 0, NULL),
             ('2026-01-31', 'globex', 'competitor', 1, 0.5, 1, 0, 1, 0, NULL),
             ('2026-02-01', 'acme', 'brand', 1, 0.333333, 1, 0, 1, 0, NULL),
             ('2026-02-01', 'globex', 'competitor', 1, 0.333334, 0, 0, 0, 0, NULL),
             ('2026-02-01', 'initech', 'competitor', 1, 0.333333, 0, 0, 0, 0, NULL),
             ('2026-02-02', 'acme', 'brand', 1, 1, 1, 0, 1, 0, NULL)$$,
    'share_of_voice by UTC day: each subject''s mentions, share, tone and reach (followers '
    'given summed, NULL when none given); 0.25 and -0.25 are neither positive nor negative');

-- January: 4 + 2 + 1 of 7 (0.571429, 0.285714, 0.142857); the week from Monday January 26: 5 + 3
-- + 2 of 10
SELECT results_eq(
    $$SELECT grain, period, subject, mentions, share, positive, negative
        FROM sov WHERE grain <> 'day' AND account = 'acme' ORDER BY grain, period, side, subject$$,
    $$VALUES ('month', '2026-01-01'::date, 'acme', 4::bigint, 0.571429::numeric, 2::bigint,
              1::bigint),
             ('month', '2026-01-01', 'globex', 2, 0.285714, 2, 0),
             ('month', '2026-01-01', 'initech', 1, 0.142857, 0, 1),
             ('month', '2026-02-01', 'acme', 2, 0.5, 2, 0),
             ('month', '2026-02-01', 'globex', 1, 0.25, 0, 0),
             ('month', '2026-02-01', 'initech', 1, 0.25, 0, 0),
             ('week', '2026-01-26', 'acme', 5, 0.5, 3, 1),
             ('week', '2026-01-26', 'globex', 3, 0.3, 2, 0),
             ('week', '2026-01-26', 'initech', 2, 0.2, 0, 1),
             ('week', '2026-02-02', 'acme', 1, 1, 1, 0)$$,
    'share_of_voice by ISO week (from Monday) and calendar month');

SELECT results_eq(
    $$SELECT grain, period, side, subject, mentions, share FROM sov WHERE account = 'legacy'
       ORDER BY grain$$,
    $$VALUES ('day', '2026-01-30'::date, 'brand', 'legacy', 1::bigint, 1::numeric),
             ('month', '2026-01-01', 'brand', 'legacy', 1, 1),
             ('week', '2026-01-26', 'brand', 'legacy', 1, 1)$$,
    'a query without a label is the brand''s, named after its account');

SELECT is_empty(
    $$SELECT grain, period, account FROM sov GROUP BY 1, 2, 3 HAVING sum(share) <> 1$$,
    'the shares of every period and account sum to exactly 1');

-- as a BI tool sums: the day rows of a week or a month give its row, every count
SELECT is_empty(
    $$SELECT w.grain, w.period, w.account, w.subject
        FROM sov w
        LEFT JOIN LATERAL (
            SELECT sum(d.mentions) AS mentions, sum(d.positive) AS positive,
                   sum(d.negative) AS negative
              FROM sov d
             WHERE d.grain = 'day' AND d.account = w.account AND d.subject = w.subject
               AND d.side = w.side AND d.period >= w.period
               AND d.period < w.period + CASE w.grain WHEN 'week' THEN interval '7 days'
                                                      ELSE interval '1 month' END) s ON true
       WHERE w.grain IN ('week', 'month')
         AND (w.mentions, w.positive, w.negative) IS DISTINCT FROM (s.mentions, s.positive,
                                                                     s.negative)$$,
    'the day rows of each subject sum to its week and month rows');
SELECT is((SELECT array_agg(DISTINCT grain ORDER BY grain) FROM sov), ARRAY['day', 'month', 'week'],
          'three grains');
SELECT is((SELECT sum(mentions) FROM sov WHERE grain = 'month')::bigint,
          (SELECT count(*) FROM socialroi.mention),
          'every mention counts once per grain');

SELECT is((SELECT reach FROM sov WHERE grain = 'month' AND period = '2026-01-01'
              AND subject = 'acme'), 150::bigint, 'reach sums over the days of a month');

-- a page read again without the follower count keeps the last one; with one, takes it
SELECT socialroi.upsert_facts((SELECT account_id FROM acc WHERE name = 'acme'),
    '{"mention":[{"id":"a1","query":"acme","author":"7","text":"Acme support was quick and helpful, love acme https://t.co/abc123 @acmehelp","posted_at":"2026-01-30T09:00:00Z","sentiment":0.8,"followers":null},
                 {"id":"a3","query":"acme","author":"8","text":"acme dashboard is fine","posted_at":"2026-01-30T23:59:00Z","sentiment":0.25,"followers":75}]}');
SELECT results_eq($$SELECT mention_id, author_followers FROM socialroi.mention
                     WHERE mention_id IN ('a1', 'a3') ORDER BY 1$$,
                  $$VALUES ('a1', 100::bigint), ('a3', 75::bigint)$$,
                  'the ingest keeps the followers last given and takes new ones');

-- ---- daily tone -------------------------------------------------------------------------------

-- Friday, acme: (0.8 - 0.6 + 0.25) / 3 = 0.15; words without the link, the @handle, stop words
-- (was, and, again) and the query's (acme): dashboard twice, then alphabetical
SELECT results_eq(
    $$SELECT day, account, side, subject, mentions, mean_sentiment, positive, neutral, negative,
             top_terms
        FROM sd WHERE account = 'acme' ORDER BY day, side, subject$$,
    $$VALUES ('2026-01-30'::date, 'acme', 'brand', 'acme', 3::bigint, 0.150::numeric, 1::bigint,
              1::bigint, 1::bigint, ARRAY['dashboard', 'down', 'fine', 'helpful', 'love']),
             ('2026-01-30', 'acme', 'competitor', 'globex', 1, 0.700, 1, 0, 0,
              ARRAY['dashboard', 'great', 'launch', 'looks']),
             ('2026-01-30', 'acme', 'competitor', 'initech', 1, -0.500, 0, 0, 1,
              ARRAY['broken', 'printer']),
             ('2026-01-31', 'acme', 'brand', 'acme', 1, 0.900, 1, 0, 0,
              ARRAY['rocks', 'sale', 'spring']),
             ('2026-01-31', 'acme', 'competitor', 'globex', 1, 0.900, 1, 0, 0,
              ARRAY['better', 'sale', 'spring']),
             ('2026-02-01', 'acme', 'brand', 'acme', 1, 0.500, 1, 0, 0, ARRAY['great']),
             ('2026-02-01', 'acme', 'competitor', 'globex', 1, 0.000, 0, 1, 0, ARRAY['meh']),
             ('2026-02-01', 'acme', 'competitor', 'initech', 1, -0.250, 0, 1, 0, '{}'::text[]),
             ('2026-02-02', 'acme', 'brand', 'acme', 1, 0.300, 1, 0, 0, '{}')$$,
    'sentiment_daily: volume, mean tone, classes and the top words per UTC day and subject');
SELECT is_empty(
    $$SELECT day, account, subject, mentions, positive, negative FROM sd
      EXCEPT
      SELECT period, account, subject, mentions, positive, negative FROM sov WHERE grain = 'day'$$,
    'sentiment_daily agrees with share_of_voice''s day rows');
SELECT is((SELECT sum(positive + neutral + negative) FROM sd),
          (SELECT sum(mentions) FROM sd),
          'every mention is in one tone class');

-- ---- the funnel's advocacy --------------------------------------------------------------------

-- spring (utm spring-sale): a4 names it; g2 names it too but is globex's. Brand-wide: January
-- a1 and legacy's l1, February a5 and a6; a3 (0.25) is not positive, g1 is a competitor's.
SELECT socialroi.sync_campaigns('[
  {"name":"spring","title":"Spring","start":"2026-01-01","end":"2026-03-31","spend":[],
   "links":[{"kind":"utm_campaign","platform":"","value":"spring_sale"}]}]');
SELECT is(pg_temp.try_as('socialroi_dashboard',
                         'CREATE TEMP TABLE fun AS SELECT * FROM dashboard.funnel'), 'ok',
          'socialroi_dashboard reads dashboard.funnel');
SELECT results_eq(
    $$SELECT campaign, title, month, advocacy_positive_mentions, interest_impressions,
             loyalty_customers, loyalty_to_advocacy
        FROM fun ORDER BY campaign NULLS LAST, month$$,
    $$VALUES ('spring', 'Spring', '2026-01-01'::date, 1::bigint, 0::bigint, 0::numeric,
              NULL::numeric),
             (NULL, 'brand-wide (no campaign)', '2026-01-01', 2, 0, 0, NULL),
             (NULL, 'brand-wide (no campaign)', '2026-02-01', 2, 0, 0, NULL)$$,
    'funnel advocacy: the brand mention naming the campaign on its row, a competitor''s never, '
    'the others on the month''s brand-wide row');
SELECT is((SELECT sum(advocacy_positive_mentions) FROM fun)::bigint,
          (SELECT count(*) FROM socialroi.mention m
            WHERE m.sentiment > 0.25
              AND NOT EXISTS (SELECT FROM socialroi.listening_query q
                               WHERE q.account_id = m.account_id AND q.query = m.query
                                 AND q.side = 'competitor')),
          'funnel advocacy summed over months and rows: every positive brand mention once');
SELECT set_eq($$SELECT * FROM dashboard.funnel WHERE month = '2026-02-01'$$,
              $$SELECT * FROM fun WHERE month = '2026-02-01'$$,
              'a month alone gives that month''s rows');

-- ---- comments ---------------------------------------------------------------------------------

SELECT is((SELECT count(*) FROM pg_catalog.pg_attribute
            WHERE attrelid IN ('dashboard.share_of_voice'::regclass,
                               'dashboard.sentiment_daily'::regclass)
              AND attnum > 0 AND pg_catalog.col_description(attrelid, attnum) IS NULL), 0::bigint,
          'every column of share_of_voice and sentiment_daily has a comment');
SELECT ok(pg_catalog.obj_description('dashboard.share_of_voice'::regclass, 'pg_class') IS NOT NULL
          AND pg_catalog.obj_description('dashboard.sentiment_daily'::regclass, 'pg_class')
              IS NOT NULL,
          'both views have a comment');

SELECT * FROM finish();
ROLLBACK;
