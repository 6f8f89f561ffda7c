-- 040_bridge_restated.sql - finance.roi_bridge.restated_after_close, read as the finance role:
-- Meta restates a day of February before and after February's close; only the change after
-- the standing close is traced, the rest of the difference stays unexplained; every row still
-- adds up; a reopened month and a month never closed trace nothing.
BEGIN;
SELECT plan(6);

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', 'America/New_York', true, '');
-- Meta reports 5 leads on Feb 10 and 4 on Mar 10; no form lead, no CRM person (all pixel)
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, leads)
VALUES (1, '111', '2026-02-10', 'account_tz', 'USD', 5),
       (1, '111', '2026-03-10', 'account_tz', 'USD', 4);
-- a restatement before the close: 5 -> 6
UPDATE socialroi.ad_daily SET leads = 6 WHERE day = '2026-02-10';
-- February closed, after that revision
INSERT INTO socialroi.period_close (period, closed_by, reporting_currency, last_revision_id)
SELECT '2026-02-01', 'ana', 'USD', max(revision_id) FROM socialroi.revision;
-- after the close: 6 -> 9, then 9 -> 8 (net +2); March, never closed: 4 -> 7
UPDATE socialroi.ad_daily SET leads = 9 WHERE day = '2026-02-10';
UPDATE socialroi.ad_daily SET leads = 8 WHERE day = '2026-02-10';
UPDATE socialroi.ad_daily SET leads = 7 WHERE day = '2026-03-10';

SET LOCAL ROLE socialroi_finance;
SELECT results_eq(
    $$SELECT month::text, platform_leads, restated_after_close, unexplained
        FROM finance.roi_bridge WHERE channel = 'facebook' ORDER BY month$$,
    $$VALUES ('2026-02-01', 8::bigint, 2::bigint, 6::bigint),
             ('2026-03-01', 7, 0, 7)$$,
    'February: the two restatements after the close (+3, -1) are traced, the one before is not; '
    'March was never closed');
SELECT is_empty(
    $$SELECT * FROM finance.roi_bridge
       WHERE form_lead_not_in_crm + repeated_form_submission + credited_to_another_channel
             + day_basis + crm_timing + crm_lead_platform_did_not_count + organic_form_lead
             + outside_attribution_window + restated_after_close + unexplained <> difference$$,
    'every row still adds up to its difference');
SELECT is((SELECT col_description('finance.roi_bridge'::regclass, attnum) IS NOT NULL
             FROM pg_attribute WHERE attrelid = 'finance.roi_bridge'::regclass
              AND attname = 'restated_after_close'),
          true, 'the new column is described');
RESET ROLE;

-- reopened: the close no longer stands, nothing is traced
UPDATE socialroi.period_close SET reopened_at = now(), reopened_by = 'bob',
       reopen_reason = 'Meta restated February' WHERE period = '2026-02-01';
SET LOCAL ROLE socialroi_finance;
SELECT is((SELECT restated_after_close FROM finance.roi_bridge
            WHERE channel = 'facebook' AND month = '2026-02-01'), 0::bigint,
          'a reopened month traces nothing');
SELECT is((SELECT unexplained FROM finance.roi_bridge
            WHERE channel = 'facebook' AND month = '2026-02-01'), 8::bigint,
          'and its platform leads are unexplained again');
RESET ROLE;
SET LOCAL ROLE socialroi_dashboard;
SELECT throws_ok('SELECT * FROM finance.roi_bridge', '42501', NULL,
                 'the dashboard role still cannot read the bridge');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
