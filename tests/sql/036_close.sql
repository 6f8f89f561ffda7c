-- 036_close.sql - month-end close, as the finance role closes it: February 2026 of the finance
-- world is closed; its snapshot never changes when the platform restates a day, a late deal
-- lands or a day's FX rate changes; each of those appears once in finance.close_adjustments
-- with its cause, and every figure's causes plus unexplained sum exactly to its difference;
-- the as-closed reading gives the snapshot, the current one today's figures; reopening is
-- logged and keeps the old rows (superseded); the refusals.
BEGIN;
SELECT plan(39);

\ir worlds/finance.sql

CREATE FUNCTION pg_temp.rollup() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    SET LOCAL ROLE socialroi_daemon;
    PERFORM socialroi.rollup_dirty(100000) + socialroi.rollup_dirty(100000)
          + socialroi.rollup_dirty(100000);
    RESET ROLE;
END
$$;
SELECT pg_temp.rollup();

-- runs sql as the role and returns the SQLSTATE it failed with, or 'ok'
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

-- February as finance.campaign_roi shows it before the close.
CREATE TEMP TABLE before_close AS
SELECT * FROM finance.campaign_roi WHERE month = '2026-02-01';
GRANT SELECT ON before_close TO socialroi_finance;
-- Meta's February 9th for beta (5.00 USD) is stored but not rolled up when finance closes.
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros)
VALUES (1, '333', '2026-02-09', 'account_tz', 'USD', 5000000);

-- ---- refusals and the close ----------------------------------------------------------------

SET ROLE socialroi_finance;
SELECT throws_ok($$SELECT finance.close_period(date_trunc('month', now())::date, 'ana')$$,
                 '22023', NULL, 'the current month cannot be closed: it has not ended');
SELECT throws_ok($$SELECT finance.close_period('2026-02-01', '')$$, '22023', NULL,
                 'a close names who closes');
SELECT lives_ok($$SELECT finance.close_period('2026-02-14', 'ana')$$,
                'finance closes February 2026 (any day of the month names it)');
SELECT throws_ok($$SELECT finance.close_period('2026-02-01', 'bob')$$, '23505', NULL,
                 'a closed month cannot be closed again');
SELECT throws_ok($$SELECT finance.reopen_period('2026-01-01', 'bob', 'late invoice')$$, '22023',
                 NULL, 'a month not closed cannot be reopened');
SELECT throws_ok($$SELECT finance.reopen_period('2026-02-01', 'bob', '  ')$$, '22023', NULL,
                 'reopening needs a reason');
SELECT results_eq($$SELECT period, closed_by, is_open FROM finance.period_close$$,
                  $$VALUES ('2026-02-01'::date, 'ana', true)$$,
                  'finance.period_close lists the close');
RESET ROLE;

SELECT is(pg_temp.try_as('socialroi_finance',
                         $$INSERT INTO socialroi.close_figure SELECT * FROM socialroi.close_figure$$),
          '42501', 'finance cannot write the snapshot itself');
SELECT is(pg_temp.try_as('socialroi_finance', $$SELECT socialroi.roi('2026-02-01', '2026-02-28', 'campaign', 'linear')$$),
          '42501', 'finance still does not reach socialroi''s functions');
SELECT is(pg_temp.try_as('socialroi_dashboard', $$SELECT finance.close_period('2026-01-01', 'x')$$),
          '42501', 'the dashboard role cannot close');

SELECT is((SELECT spend FROM finance.campaign_roi_as_of('closed')
            WHERE month = '2026-02-01' AND campaign = 'beta' AND model = 'linear'),
          (SELECT spend + 5 FROM before_close WHERE campaign = 'beta' AND model = 'linear'),
          'the close rolled up first: beta''s frozen spend has the 5.00 stored before it');
SELECT set_eq($$SELECT campaign, model, spend, leads, customers, revenue
                  FROM finance.campaign_roi_as_of('closed') WHERE month = '2026-02-01'$$,
              $$SELECT campaign, model, spend, leads, customers, revenue FROM finance.campaign_roi
                 WHERE month = '2026-02-01'$$,
              'the snapshot holds February''s figures as finance.campaign_roi shows them');
SELECT set_eq($$SELECT * FROM finance.campaign_roi_as_of('closed', '2026-02-01', '2026-02-28')$$,
              $$SELECT * FROM finance.campaign_roi_as_of('closed') WHERE month = '2026-02-01'$$,
              'the month bounds give that month''s rows of the whole');
SELECT ok((SELECT count(*) FROM socialroi.close_figure WHERE cut = 'channel') > 0
          AND (SELECT count(DISTINCT model) FROM socialroi.close_figure) = 6,
          'the snapshot holds the channel cut too, every model and platform_reported');
SELECT results_eq($$SELECT rate, rate_day FROM socialroi.close_fx
                     WHERE currency = 'EUR' AND day = '2026-02-01'$$,
                  $$VALUES (1.10::numeric, '-infinity'::date)$$,
                  'the rates used are kept: EUR at the static 1.10 on February 1st');
SELECT is((SELECT count(*)::int FROM finance.close_adjustments), 0,
          'nothing moved yet: no adjustment');

SELECT throws_ok($$UPDATE socialroi.close_figure SET spend_micros = 0$$, '42501', NULL,
                 'a snapshot row cannot be updated, even by the owner');
SELECT throws_ok($$DELETE FROM socialroi.close_credit_line$$, '42501', NULL,
                 'nor deleted');
SELECT throws_ok($$UPDATE socialroi.close_figure SET superseded = true$$, '42501', NULL,
                 'nor marked superseded while its close stands');
SELECT throws_ok($$DELETE FROM socialroi.period_close$$, '42501', NULL,
                 'a close is never deleted');

CREATE TEMP TABLE snap AS SELECT * FROM socialroi.close_figure;

-- ---- three later changes -------------------------------------------------------------------

-- Meta restates alpha's February 1st: 20.00 -> 25.00 USD (and 0 -> 2 leads of its own).
SET ROLE socialroi_daemon;
UPDATE socialroi.ad_daily SET spend_micros = 25000000, leads = 2
 WHERE account_id = 1 AND campaign_id = '111' AND day = '2026-02-01';
-- Meta reports a day of delta it had not reported at the close: February 25th, 7.00 USD.
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros)
VALUES (1, '444', '2026-02-25', 'account_tz', 'USD', 7000000);
-- A deal won in February reaches the CRM after the close: d6, 400.00 USD, for h1 (c1).
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
VALUES (4, 'd6', 400000000, 'USD', true, true, '2026-02-08Z', '2026-02-20Z');
INSERT INTO socialroi.deal_contact VALUES (4, 'd6', 'c1');
-- The CRM corrects d1: 1000.00 -> 1100.00 USD.
UPDATE socialroi.deal SET amount_micros = 1100000000 WHERE account_id = 4 AND deal_id = 'd1';
RESET ROLE;
-- The ECB's final EUR rate for February 1st onwards: 1.20 in place of the static 1.10.
INSERT INTO socialroi.fx_rate (day, currency, rate, source) VALUES ('2026-02-01', 'EUR', 1.20, 'ecb');
SELECT pg_temp.rollup();

SELECT set_eq($$SELECT * FROM socialroi.close_figure$$, $$SELECT * FROM snap$$,
              'the snapshot is unchanged after the restatement, the late deal and the new rate');
SELECT isnt((SELECT spend FROM finance.campaign_roi
              WHERE month = '2026-02-01' AND campaign = 'alpha' AND model = 'linear'),
            (SELECT spend FROM finance.campaign_roi_as_of('closed')
              WHERE month = '2026-02-01' AND campaign = 'alpha' AND model = 'linear'),
            'as of now alpha''s spend moved; as closed it did not');
SELECT is((SELECT spend FROM finance.campaign_roi_as_of('current')
            WHERE month = '2026-02-01' AND campaign = 'alpha' AND model = 'linear'),
          (SELECT spend FROM finance.campaign_roi
            WHERE month = '2026-02-01' AND campaign = 'alpha' AND model = 'linear'),
          'the current basis is finance.campaign_roi');

SET ROLE socialroi_finance;
CREATE TEMP TABLE adj AS SELECT * FROM finance.close_adjustments;
RESET ROLE;

-- alpha's spend, linear: 31.00 -> 37.00: 5.00 restated by revision, 1.00 from the EUR rate
-- (10.00 EUR at 1.20 in place of 1.10).
SELECT results_eq($$SELECT closed_value, current_value, difference FROM adj
                     WHERE cut = 'campaign' AND key = 'alpha' AND model = 'linear'
                       AND figure = 'spend' LIMIT 1$$,
                  $$VALUES (31.000000::numeric, 37.000000::numeric, 6.000000::numeric)$$,
                  'alpha''s linear spend: closed, current, difference');
SELECT set_eq($$SELECT cause, cause_ref, revision_id, amount FROM adj
                 WHERE cut = 'campaign' AND key = 'alpha' AND model = 'linear'
                   AND figure = 'spend'$$,
              $$VALUES ('restatement', NULL::text,
                        (SELECT max(revision_id) FROM socialroi.revision
                          WHERE table_name = 'ad_daily'), 5.000000::numeric),
                       ('fx_rate', 'EUR 2026-02-01', NULL::bigint, 1.000000::numeric)$$,
              'each change appears once with its cause: the revision and the rate');
SELECT set_eq($$SELECT cause, cause_ref, amount FROM adj
                 WHERE cut = 'campaign' AND key = 'delta' AND model = 'linear'
                   AND figure = 'spend'$$,
              $$VALUES ('late_spend', 'facebook 2026-02-25', 7.000000::numeric)$$,
              'a day of spend that had no row at the close: late_spend, named by platform and day');
SELECT set_eq($$SELECT cause, amount FROM adj
                 WHERE cut = 'channel' AND key = 'facebook' AND model = 'platform_reported'
                   AND platform = 'facebook' AND figure = 'leads'$$,
              $$VALUES ('restatement', 2::numeric)$$,
              'the platform''s own restated leads, on its platform_reported row');
SELECT is((SELECT sum(amount) FROM adj
            WHERE cut = 'campaign' AND model = 'linear' AND figure = 'revenue'
              AND cause = 'late_deal' AND cause_ref = 'd6'), 400.000000::numeric,
          'the late deal d6: its whole 400.00 of linear revenue, named');
SELECT is((SELECT count(*)::int FROM adj
            WHERE cause = 'late_deal' AND cause_ref = 'd6' AND revision_id IS NOT NULL),
          0, 'd6 is new: no deal revision');
SELECT results_eq($$SELECT amount, revision_id FROM adj
                     WHERE cut = 'campaign' AND key = 'alpha' AND model = 'first_touch'
                       AND figure = 'revenue' AND cause = 'late_deal' AND cause_ref = 'd1'$$,
                  $$SELECT 100.000000::numeric, max(revision_id) FROM socialroi.revision
                     WHERE table_name = 'deal'$$,
                  'd1 changed after the close: its 100.00 under first_touch, with its revision');
SELECT is((SELECT sum(amount) FROM adj
            WHERE cut = 'campaign' AND model = 'first_touch' AND figure = 'revenue'
              AND cause = 'fx_rate' AND cause_ref = 'EUR 2026-02-01'), 50.000000::numeric,
          'd2 (500.00 EUR, itself unchanged) gains 50.00 from the new rate');
SELECT is((SELECT count(*)::int FROM (
              SELECT 1 FROM adj GROUP BY period, cut, key, platform, model, figure, cause,
                                         cause_ref, revision_id HAVING count(*) > 1) d),
          0, 'no cause appears twice for one figure');
SELECT cmp_ok((SELECT max(greatest(scale(closed_value), scale(current_value), scale(difference),
                                    scale(amount))) FROM adj), '<=', 6,
              'no value of the adjustments has more than six decimals (credit is in millionths)');
SELECT is((SELECT count(*)::int FROM (
              SELECT 1 FROM adj GROUP BY period, cut, key, platform, model, figure, difference
              HAVING sum(amount) <> difference) d), 0,
          'every figure''s causes plus unexplained sum exactly to its difference');
SELECT is((SELECT count(*)::int FROM (
              SELECT c.cut, c.key, c.platform, c.model, v.figure
                FROM socialroi.close_figure c
                JOIN (SELECT 'campaign' AS cut, key, COALESCE(platform, '') AS platform, model,
                             spend_micros, revenue_micros, customers
                        FROM socialroi.roi_all('2026-02-01', '2026-02-28', 'campaign')
                      UNION ALL
                      SELECT 'channel', key, COALESCE(platform, ''), model, spend_micros,
                             revenue_micros, customers
                        FROM socialroi.roi_all('2026-02-01', '2026-02-28', 'channel')) n
                  USING (cut, key, platform, model),
                     LATERAL (VALUES ('spend', n.spend_micros <> c.spend_micros),
                                     ('revenue', n.revenue_micros <> c.revenue_micros),
                                     ('customers', n.customers <> c.customers)) v(figure, moved)
               WHERE v.moved
              EXCEPT
              SELECT cut, key, platform, model, figure FROM adj) m), 0,
          'every figure that moved is in finance.close_adjustments (none dropped)');

-- ---- reopening ------------------------------------------------------------------------------

SET ROLE socialroi_finance;
SELECT lives_ok($$SELECT finance.reopen_period('2026-02-01', 'bob', 'final EUR rates')$$,
                'finance reopens February with a reason');
SELECT results_eq($$SELECT reopened_by, reopen_reason, is_open FROM finance.period_close$$,
                  $$VALUES ('bob', 'final EUR rates', false)$$,
                  'the reopening is logged on the close');
RESET ROLE;
SELECT ok((SELECT bool_and(superseded) AND count(*) = (SELECT count(*) FROM snap)
             FROM socialroi.close_figure),
          'the old snapshot rows stay, marked superseded');
SET ROLE socialroi_finance;
SELECT lives_ok($$SELECT finance.close_period('2026-02-01', 'ana')$$,
                'February can be closed again');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
