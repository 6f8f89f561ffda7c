-- 027_x_read_budget.sql - the X listening counter, as the daemon role: a post read twice in one
-- UTC day is billed once, read again the next day it is billed again; ids are kept for the
-- current day only; a budget stop is a fetch record and a job state of its own, not a failure;
-- dashboard.x_listening gives the exact cost per mention to its readers.
BEGIN;
SELECT plan(23);

SELECT socialroi.sync_account('acme-x', 'x', '42', 'USD', 'UTC', true, 'h1');
SELECT socialroi.sync_job('acme-x', 'x.mentions', 3600000, 3600000, 604800000, false);

-- epoch seconds of 2026-12-07 10:00 UTC, 23:59:59 UTC, the next day and the next month
CREATE TEMP TABLE t (name text PRIMARY KEY, at double precision);
INSERT INTO t VALUES ('d1', 1796637600), ('d1_late', 1796687999), ('d2', 1796688000),
                     ('jan', 1798761600);
GRANT SELECT ON t TO socialroi_daemon;

SET LOCAL ROLE socialroi_daemon;

SELECT is((SELECT row(day, billed_day, billed_month)::text
             FROM socialroi.x_read_used('acme-x', (SELECT at FROM t WHERE name = 'd1'))),
          '(2026-12-07,0,0)', 'nothing read yet: nothing used');
SELECT is((SELECT row(day, billed_day, billed_month)::text
             FROM socialroi.x_read_record('acme-x', ARRAY['1', '2', '3'], 5000,
                                          (SELECT at FROM t WHERE name = 'd1'))),
          '(2026-12-07,3,3)', 'a first page of three posts: three billed');
SELECT is((SELECT row(day, billed_day, billed_month)::text
             FROM socialroi.x_read_record('acme-x', ARRAY['2', '3', '4', '4'], 5000,
                                          (SELECT at FROM t WHERE name = 'd1_late'))),
          '(2026-12-07,4,4)', 'the same day, two re-read and one new (twice on the page): one more billed');
SELECT is((SELECT row(posts_read, posts_billed, cost_micros)::text FROM socialroi.x_read_budget),
          '(7,4,20000)', 'seven posts read, four billed, 4 x 0.005 = 0.02 exactly');
SELECT is((SELECT count(*) FROM socialroi.x_read_post), 4::bigint,
          'four distinct ids kept for the day');

SELECT is((SELECT row(day, billed_day, billed_month)::text
             FROM socialroi.x_read_record('acme-x', ARRAY['1', '2'], 5000,
                                          (SELECT at FROM t WHERE name = 'd2'))),
          '(2026-12-08,2,6)', 'at 00:00 UTC the next day the same posts are billed again');
SELECT is((SELECT count(*) FROM socialroi.x_read_post WHERE day < '2026-12-08'), 0::bigint,
          'the earlier day''s ids are gone');
SELECT is((SELECT count(*) FROM socialroi.x_read_post), 2::bigint, 'only today''s ids are kept');
SELECT is((SELECT row(day, billed_day, billed_month)::text
             FROM socialroi.x_read_used('acme-x', (SELECT at FROM t WHERE name = 'd1'))),
          '(2026-12-07,4,4)', 'the first day''s figures stay readable');

-- a price change counts from the posts read after it; the month turns at 00:00 UTC on the 1st
SELECT is((SELECT row(day, billed_day, billed_month)::text
             FROM socialroi.x_read_record('acme-x', ARRAY['9'], 7500,
                                          (SELECT at FROM t WHERE name = 'd2'))),
          '(2026-12-08,3,7)', 'another post the same day');
SELECT is((SELECT cost_micros FROM socialroi.x_read_budget WHERE day = '2026-12-08'),
          17500::bigint, 'billed at the price configured when read (2 x 5000 + 7500)');
SELECT is((SELECT row(day, billed_day, billed_month)::text
             FROM socialroi.x_read_used('acme-x', (SELECT at FROM t WHERE name = 'jan'))),
          '(2027-01-01,0,0)', 'a new month starts from zero');
SELECT is((SELECT row(day, billed_day, billed_month)::text
             FROM socialroi.x_read_record('acme-x', '{}', 5000,
                                          (SELECT at FROM t WHERE name = 'jan'))),
          '(2027-01-01,0,0)', 'an empty page counts nothing');

-- a budget stop: a fetch record of its own, the job waits, it is not a failure
RESET ROLE;
UPDATE socialroi.poll_job SET cursor = '{"in_run":true,"page":"0:tok"}', failures = 0;
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT claimed FROM socialroi.claim_job(1, 'd', 60, true)), true, 'the daemon claims the search');
SELECT lives_ok($$SELECT socialroi.x_budget_stop(1, 'd',
    '{"error":"x listening budget reached: 4 of 4 posts today (resets 00:00 UTC)"}', 3600)$$,
    'the daemon records a budget stop');
SELECT is((SELECT row(outcome, error_class IS NULL, pages)::text FROM socialroi.fetch_run),
          '(budget,t,0)', 'the fetch record says budget, with no error class');
SELECT is((SELECT row(failures, last_error_class, lease_owner IS NULL, cursor)::text
             FROM socialroi.poll_job),
          '(0,budget,t,"{""in_run"":true,""page"":""0:tok""}")',
          'the job: no failure, stopped for budget, lease given back, page cursor kept');
SELECT ok((SELECT next_due BETWEEN now() + interval '59 minutes' AND now() + interval '61 minutes'
             FROM socialroi.poll_job), 'due again when the budget turns');
RESET ROLE;
SELECT is((SELECT row(failures, last_error_class)::text FROM dashboard.data_health),
          '(0,budget)', 'dashboard.data_health shows the stop as budget, not as a failure');

-- the readers' view: cost per mention, exact
INSERT INTO socialroi.mention (account_id, mention_id, query, posted_at)
SELECT 1, i::text, 'acme', '2026-12-07 10:00+00' FROM generate_series(1, 3) i;
SET LOCAL ROLE socialroi_dashboard;
SELECT is((SELECT row(posts_read, posts_billed, cost, currency, mentions, cost_per_mention)::text
             FROM dashboard.x_listening WHERE month = '2026-12-01'),
          '(10,7,0.037500,USD,3,0.0125)',
          'dashboard: December cost 0.0375 USD for 3 mentions: 0.0125 a mention');
SELECT is((SELECT row(posts_billed, cost, mentions, cost_per_mention)::text
             FROM dashboard.x_listening WHERE month = '2027-01-01'),
          '(0,0.000000,0,)', 'a month without mentions has no cost per mention');
RESET ROLE;
SET LOCAL ROLE socialroi_finance;
SELECT is((SELECT count(*) FROM dashboard.x_listening), 2::bigint, 'finance reads it too');
RESET ROLE;

-- what a BI tool sums over the months is what the counter holds in all
SELECT is((SELECT row(sum(posts_read), sum(posts_billed), sum(cost))::text
             FROM dashboard.x_listening),
          (SELECT row(sum(posts_read), sum(posts_billed),
                      (sum(cost_micros)::numeric / 1000000)::numeric(24, 6))::text
             FROM socialroi.x_read_budget),
          'x_listening summed over months: the posts read, billed and their cost of the counter');

SELECT * FROM finish();
ROLLBACK;
