-- 008_roles.sql - what each reader role can and cannot do, tried as that role: the dashboard
-- role reads the dashboard schema only; the finance role reads finance and dashboard; neither
-- reaches socialroi's tables (leads with their e-mail hashes, deals, the fetch log, raw
-- values), its functions, or a way to write; no reader column carries an e-mail hash.
BEGIN;
SELECT plan(24);

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, '');
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
VALUES (1, 'l1', 'form', '2026-02-01 10:00Z', 'secret-hash');

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

-- the dashboard role
SELECT is(pg_temp.try_as('socialroi_dashboard', 'SELECT * FROM dashboard.channel_daily'), 'ok',
          'dashboard reads dashboard.channel_daily');
SELECT is(pg_temp.try_as('socialroi_dashboard', 'SELECT * FROM dashboard.funnel'), 'ok',
          'dashboard reads dashboard.funnel');
SELECT is(pg_temp.try_as('socialroi_dashboard', 'SELECT * FROM dashboard.data_health'), 'ok',
          'dashboard reads dashboard.data_health');
SELECT is(pg_temp.try_as('socialroi_dashboard',
          $$SELECT * FROM dashboard.channel_report('2026-01-01', '2026-01-31', 'channel')$$), 'ok',
          'dashboard runs the channel report');
SELECT is(pg_temp.try_as('socialroi_dashboard', 'SELECT * FROM finance.campaign_roi'), '42501',
          'dashboard is denied finance.campaign_roi');
SELECT is(pg_temp.try_as('socialroi_dashboard', 'SELECT * FROM finance.spend_reconciliation'), '42501',
          'dashboard is denied finance.spend_reconciliation');
SELECT is(pg_temp.try_as('socialroi_dashboard',
          $$SELECT * FROM finance.roi_report('2026-01-01', '2026-01-31', 'campaign', 'linear')$$),
          '42501', 'dashboard is denied the ROI report');
SELECT is(pg_temp.try_as('socialroi_dashboard', 'SELECT email_hash FROM socialroi.lead'), '42501',
          'dashboard is denied the lead hashes');
SELECT is(pg_temp.try_as('socialroi_dashboard', 'SELECT * FROM socialroi.fetch_run'), '42501',
          'dashboard is denied the fetch log');
SELECT is(pg_temp.try_as('socialroi_dashboard', 'SELECT socialroi.reporting_currency()'), '42501',
          'dashboard is denied socialroi''s functions');

-- the finance role
SELECT is(pg_temp.try_as('socialroi_finance', 'SELECT * FROM finance.campaign_roi'), 'ok',
          'finance reads finance.campaign_roi');
SELECT is(pg_temp.try_as('socialroi_finance', 'SELECT * FROM finance.channel_roi'), 'ok',
          'finance reads finance.channel_roi');
SELECT is(pg_temp.try_as('socialroi_finance', 'SELECT * FROM finance.spend_reconciliation'), 'ok',
          'finance reads finance.spend_reconciliation');
SELECT is(pg_temp.try_as('socialroi_finance',
          $$SELECT * FROM finance.roi_report('2026-01-01', '2026-01-31', 'campaign', 'linear')$$), 'ok',
          'finance runs the ROI report');
SELECT is(pg_temp.try_as('socialroi_finance', 'SELECT * FROM dashboard.channel_monthly'), 'ok',
          'finance reads the dashboard too');
SELECT is(pg_temp.try_as('socialroi_finance', 'SELECT email_hash FROM socialroi.lead'), '42501',
          'finance is denied the lead hashes');
SELECT is(pg_temp.try_as('socialroi_finance', 'SELECT * FROM socialroi.deal'), '42501',
          'finance is denied the raw deals');
SELECT is(pg_temp.try_as('socialroi_finance', 'SELECT * FROM socialroi.revision'), '42501',
          'finance is denied the revision history');
SELECT is(pg_temp.try_as('socialroi_finance',
          $$SELECT * FROM socialroi.roi('2026-01-01', '2026-01-31', 'campaign', 'linear')$$), '42501',
          'finance is denied socialroi''s functions behind the report');
SELECT is(pg_temp.try_as('socialroi_finance',
          $$INSERT INTO socialroi.fx_rate VALUES ('2026-01-01', 'EUR', 2, 'me')$$), '42501',
          'finance cannot write an FX rate');
SELECT is(pg_temp.try_as('socialroi_finance', 'SELECT socialroi.rollup_dirty(10)'), '42501',
          'finance cannot run the rollup');

-- no reader column carries a hash or an address, and the readers can create nothing
SELECT is((SELECT count(*)::int FROM information_schema.columns
            WHERE table_schema IN ('dashboard', 'finance')
              AND (column_name LIKE '%hash%' OR column_name LIKE '%email%')), 0,
          'no dashboard or finance column holds an e-mail or its hash');
SELECT is(pg_temp.try_as('socialroi_dashboard', 'CREATE VIEW dashboard.mine AS SELECT 1'), '42501',
          'dashboard cannot create objects in its schema');
SELECT is(pg_temp.try_as('socialroi_finance', 'CREATE TABLE finance.mine (x int)'), '42501',
          'finance cannot create objects in its schema');

SELECT * FROM finish();
ROLLBACK;
