-- 028_employee_advocacy.sql - dashboard.advocacy and the funnel's advocacy stage, read as the
-- dashboard role. The world: a company page (LinkedIn organization account, with a post of
-- its own that names the campaign: not an employee's) and two members' own accounts (their
-- linkedin.member_posts job makes them members), posts over two months with several
-- observations of a counter, a post carrying the campaign's utm value in a link, one naming it
-- in its text with other case and punctuation, one naming nothing; a positive X mention of
-- the campaign. Run in Pacific/Kiritimati (UTC+14): months are UTC months.
BEGIN;
SELECT plan(10);

SET LOCAL TimeZone = 'Pacific/Kiritimati';

SELECT socialroi.sync_account('page', 'linkedin', '2414183', NULL, '', true, '');
SELECT socialroi.sync_account('ann', 'linkedin', '782134', NULL, '', true, '');
SELECT socialroi.sync_account('bob', 'linkedin', '782135', NULL, '', true, '');
SELECT socialroi.sync_account('x', 'x', '3', NULL, '', true, '');
SELECT socialroi.sync_job('page', 'linkedin.org_stats', 86400000, 604800000, 2592000000, true);
SELECT socialroi.sync_job('ann', 'linkedin.member_posts', 86400000, 2419200000, 2592000000, true);
SELECT socialroi.sync_job('bob', 'linkedin.member_posts', 86400000, 2419200000, 2592000000, true);
CREATE TEMP TABLE acc AS SELECT name, account_id FROM socialroi.account;

SELECT socialroi.sync_campaigns('[
  {"name":"launch","title":"Launch","start":"2026-01-01","end":"2026-12-31","spend":[],
   "links":[{"kind":"utm_campaign","platform":"","value":"q4_launch"}]}]');

-- a1 (ann, Jan 31 23:30 UTC = Feb 1 in Kiritimati: still January) links with the utm value;
-- a2 (ann, February) names "Q4-Launch" in its text; b1 (bob, February) names nothing;
-- p1 (the page, February) names it but is the company's, not an employee's.
INSERT INTO socialroi.content (account_id, content_id, kind, published_at, title, utm_campaign)
SELECT (SELECT account_id FROM acc WHERE name = a), id, 'post', t::timestamptz, ti, u
  FROM (VALUES ('ann', 'urn:li:share:1', '2026-01-31 23:30Z', 'Read this', 'q4_launch'),
               ('ann', 'urn:li:share:2', '2026-02-10 09:00Z', 'Proud of our #Q4-Launch team', NULL),
               ('bob', 'urn:li:ugcPost:3', '2026-02-11 09:00Z', NULL, NULL),
               ('page', 'urn:li:share:9', '2026-02-12 09:00Z', 'q4_launch is live', NULL))
       s(a, id, t, ti, u);
INSERT INTO socialroi.metric_snapshot (account_id, object_id, metric, observed_at, value)
SELECT (SELECT account_id FROM acc WHERE name = a), o, m, t::timestamptz, v
  FROM (VALUES ('ann', 'urn:li:share:1', 'impressions', '2026-02-01 10:00Z', 100),
               ('ann', 'urn:li:share:1', 'impressions', '2026-02-05 10:00Z', 250),
               ('ann', 'urn:li:share:1', 'reach', '2026-02-05 10:00Z', 180),
               ('ann', 'urn:li:share:1', 'likes', '2026-02-05 10:00Z', 12),
               ('ann', 'urn:li:share:1', 'comments', '2026-02-05 10:00Z', 3),
               ('ann', 'urn:li:share:1', 'shares', '2026-02-05 10:00Z', 2),
               ('ann', 'urn:li:share:2', 'impressions', '2026-02-12 10:00Z', 400),
               ('ann', 'urn:li:share:2', 'likes', '2026-02-12 10:00Z', 20),
               ('bob', 'urn:li:ugcPost:3', 'impressions', '2026-02-12 10:00Z', 50),
               ('bob', 'urn:li:ugcPost:3', 'shares', '2026-02-12 10:00Z', 1),
               ('page', 'urn:li:share:9', 'impressions', '2026-02-13 10:00Z', 5000)) s(a, o, m, t, v);
INSERT INTO socialroi.mention (account_id, mention_id, query, body, posted_at, sentiment)
VALUES ((SELECT account_id FROM acc WHERE name = 'x'), 'm1', 'q', 'love the Q4 launch!',
        '2026-02-15 10:00Z', 0.8);

CREATE FUNCTION pg_temp.try_as(role text, sql text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SET LOCAL ROLE %I', role);
    BEGIN
        EXECUTE sql;
    EXCEPTION WHEN OTHERS THEN
        RESET ROLE;
        RETURN SQLSTATE;
    END;
    RESET ROLE;
    RETURN 'ok';
END
$$;

SELECT is(pg_temp.try_as('socialroi_dashboard',
                         'CREATE TEMP TABLE adv AS SELECT * FROM dashboard.advocacy'), 'ok',
          'socialroi_dashboard reads dashboard.advocacy');
SELECT is(pg_temp.try_as('socialroi_dashboard',
                         'CREATE TEMP TABLE fun AS SELECT * FROM dashboard.funnel'), 'ok',
          'socialroi_dashboard reads dashboard.funnel');

SELECT results_eq(
    'SELECT month, members_posting, posts, impressions, reach, reactions, comments, reshares
       FROM adv ORDER BY month',
    $$VALUES (date '2026-01-01', 1::bigint, 1::bigint, 250::bigint, 180::bigint, 12::bigint,
              3::bigint, 2::bigint),
             (date '2026-02-01', 2, 2, 450, 0, 20, 0, 1)$$,
    'advocacy: per UTC month the members'' posts with the latest counter of each; the page''s '
    'own post is not an employee''s');

-- summed over the months, as a BI tool would: the three employee posts and the latest counter of
-- each (impressions 250 + 400 + 50, reach 180, reactions 12 + 20, comments 3, reshares 2 + 1)
SELECT is((SELECT row(sum(posts), sum(impressions), sum(reach), sum(reactions), sum(comments),
                      sum(reshares))::text FROM adv),
          '(3,700,180,32,3,3)', 'advocacy summed over months: every employee post counted once');

SELECT results_eq(
    'SELECT month, advocacy_positive_mentions FROM fun WHERE campaign = ''launch'' ORDER BY month',
    $$VALUES (date '2026-01-01', 1::bigint), (date '2026-02-01', 2::bigint)$$,
    'funnel: the employee post linking the utm value (January), and in February the one naming '
    'it plus the positive mention; neither the page''s post nor the one naming nothing');

SELECT is((SELECT advocacy_shares FROM fun WHERE campaign = 'launch' AND month = '2026-01-01'),
          2::bigint, 'the linked employee post is the campaign''s content too (its shares)');

-- every column of the new view has a comment, and the funnel's changed column says so
SELECT is((SELECT count(*) FROM pg_catalog.pg_attribute
            WHERE attrelid = 'dashboard.advocacy'::regclass AND attnum > 0
              AND pg_catalog.col_description(attrelid, attnum) IS NULL), 0::bigint,
          'every column of dashboard.advocacy has a comment');
SELECT ok(pg_catalog.obj_description('dashboard.advocacy'::regclass, 'pg_class') IS NOT NULL,
          'dashboard.advocacy has a comment');
SELECT matches(pg_catalog.col_description('dashboard.funnel'::regclass,
                   (SELECT attnum FROM pg_catalog.pg_attribute
                     WHERE attrelid = 'dashboard.funnel'::regclass
                       AND attname = 'advocacy_positive_mentions')::int),
               'employees', 'the advocacy column''s comment names the employees'' posts');

-- without the member job the same posts are no employee's
DELETE FROM socialroi.poll_job WHERE stream = 'linkedin.member_posts'
   AND account_id = (SELECT account_id FROM acc WHERE name = 'bob');
SELECT results_eq('SELECT month, members_posting, posts FROM dashboard.advocacy ORDER BY month',
                  $$VALUES (date '2026-01-01', 1::bigint, 1::bigint),
                           (date '2026-02-01', 1, 1)$$,
                  'an account without the linkedin.member_posts job is not a member''s');

SELECT * FROM finish();
ROLLBACK;
