-- 038_roi_bridge.sql - finance.roi_bridge, read as the finance role: one person per cause, and
-- three pixel leads the platform reports without a form lead, each difference traced to its
-- cause in the right month and channel; the causes and the unexplained rest add up to the
-- difference in every row; the columns add up to the platforms' and the CRM's own totals.
BEGIN;
SELECT plan(12);

SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', 'America/New_York', true, '');
SELECT socialroi.sync_account('li', 'linkedin', '2', 'USD', '', true, '');
SELECT socialroi.sync_account('hs', 'hubspot', '3', NULL, '', true, '');

-- The platforms' counts: Meta (its account's day, New York) 1 lead in January and 9 in
-- February (six form leads and three pixel leads); LinkedIn none.
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, leads)
VALUES (1, '111', '2026-01-20', 'account_tz', 'USD', 1),
       (1, '111', '2026-02-10', 'account_tz', 'USD', 5),
       (1, '111', '2026-02-28', 'account_tz', 'USD', 4),
       (2, '222', '2026-02-15', 'utc', 'USD', 0);

-- p1 Meta form, CRM the same hour (matched, no difference); p2 Meta form at 22:00 New York on
-- Feb 28, CRM on Mar 1 UTC (day basis); p3 Meta form, never in the CRM; p4 two Meta forms, one
-- CRM record (repeated); p5 Meta form, then a LinkedIn click before the CRM record (credited to
-- LinkedIn; LinkedIn did not count a form); p6 Meta form in January, CRM in February (CRM
-- timing); p7 a Meta click 15 days before the CRM record (outside the window); p8 a Meta click
-- 2 days before (not counted by the platform); p9 no channel; a test form lead; p10 below.
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash, is_test)
VALUES (1, 'f1', 'form', '2026-02-10 12:00Z', 'h1', false),
       (3, 'c1', 'crm', '2026-02-10 13:00Z', 'h1', false),
       (1, 'f2', 'form', '2026-03-01 03:00Z', 'h2', false),
       (3, 'c2', 'crm', '2026-03-01 03:30Z', 'h2', false),
       (1, 'f3', 'form', '2026-02-12 12:00Z', 'h3', false),
       (1, 'f4', 'form', '2026-02-13 12:00Z', 'h4', false),
       (1, 'f4b', 'form', '2026-02-20 12:00Z', 'h4', false),
       (3, 'c4', 'crm', '2026-02-13 13:00Z', 'h4', false),
       (1, 'f5', 'form', '2026-02-14 12:00Z', 'h5', false),
       (3, 'c5', 'crm', '2026-02-15 13:00Z', 'h5', false),
       (1, 'f6', 'form', '2026-01-20 12:00Z', 'h6', false),
       (3, 'c6', 'crm', '2026-02-05 09:00Z', 'h6', false),
       (3, 'c7', 'crm', '2026-02-25 12:00Z', 'h7', false),
       (3, 'c8', 'crm', '2026-02-26 12:00Z', 'h8', false),
       (3, 'c9', 'crm', '2026-02-26 12:00Z', 'h9', false),
       (1, 'ft', 'form', '2026-02-11 12:00Z', 'ht', true);
-- every form lead above came from an ad; p10's from an organic post's form (no campaign)
UPDATE socialroi.lead SET campaign_id = '111' WHERE source = 'form';
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
VALUES (1, 'f10', 'form', '2026-02-16 12:00Z', 'h10'),
       (3, 'c10', 'crm', '2026-02-16 13:00Z', 'h10');
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform)
VALUES (1, 'tf1', 'f1', 'form_submission', '2026-02-10 12:00Z', 'facebook'),
       (1, 'tf2', 'f2', 'form_submission', '2026-03-01 03:00Z', 'facebook'),
       (1, 'tf3', 'f3', 'form_submission', '2026-02-12 12:00Z', 'facebook'),
       (1, 'tf4', 'f4', 'form_submission', '2026-02-13 12:00Z', 'facebook'),
       (1, 'tf4b', 'f4b', 'form_submission', '2026-02-20 12:00Z', 'facebook'),
       (1, 'tf5', 'f5', 'form_submission', '2026-02-14 12:00Z', 'facebook'),
       (3, 'tc5', 'c5', 'ad_click', '2026-02-15 10:00Z', 'linkedin'),
       (1, 'tf6', 'f6', 'form_submission', '2026-01-20 12:00Z', 'facebook'),
       (3, 'tc7', 'c7', 'ad_click', '2026-02-10 12:00Z', 'facebook'),
       (3, 'tc8', 'c8', 'ad_click', '2026-02-24 12:00Z', 'Facebook'),
       (3, 'tc9', 'c9', 'crm_first_source', '2026-02-26 12:00Z', NULL),
       (1, 'tft', 'ft', 'form_submission', '2026-02-11 12:00Z', 'facebook'),
       (1, 'tf10', 'f10', 'form_submission', '2026-02-16 12:00Z', 'facebook');

-- Revenue: Meta reports 300.00 USD of conversion value in February. p1 wins 1,000.00 USD on
-- Feb 12, two days after its Meta form; p4 wins 500.00 EUR (1.10 USD) on Mar 30, five weeks
-- after its last Meta form; p5 (LinkedIn) wins an amount in GBP, which has no rate.
UPDATE socialroi.ad_daily SET conversion_value_micros = 300000000 WHERE day = '2026-02-10';
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.sync_settings('USD', 7.000000);
SELECT socialroi.sync_fx_static('{"EUR":"1.10"}');
RESET ROLE;
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
VALUES (3, 'd1', 1000000000, 'USD', true, true, '2026-02-11 09:00Z', '2026-02-12 09:00Z'),
       (3, 'd4', 500000000, 'EUR', true, true, '2026-02-25 09:00Z', '2026-03-30 09:00Z'),
       (3, 'd5', 700000000, 'GBP', true, true, '2026-02-16 09:00Z', '2026-03-05 09:00Z');
INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
VALUES (3, 'd1', 'c1'), (3, 'd4', 'c4'), (3, 'd5', 'c5');

SET LOCAL ROLE socialroi_finance;

SELECT results_eq(
    $$SELECT month::text, channel, currency, platform_revenue, crm_revenue, difference,
             outside_attribution_window, unexplained, unconverted_currencies
        FROM finance.roi_bridge_revenue ORDER BY channel, month$$,
    $$VALUES ('2026-02-01', 'facebook', 'USD', 300.000000, 1000.000000, -700.000000,
              0.000000, -700.000000, '{}'::text[]),
             ('2026-03-01', 'facebook', 'USD', 0.000000, 550.000000, -550.000000,
              -550.000000, 0.000000, '{}'),
             ('2026-03-01', 'linkedin', 'USD', 0.000000, 0.000000, 0.000000, 0.000000,
              0.000000, '{GBP}')$$,
    'revenue: a deal won five weeks after its last click is outside the window; the GBP deal '
    'is named, in neither figure');
SELECT is_empty(
    $$SELECT * FROM finance.roi_bridge_revenue
       WHERE outside_attribution_window + unexplained <> difference
          OR difference <> platform_revenue - crm_revenue$$,
    'revenue: in every row the window and the unexplained rest add up to the difference');

SELECT results_eq(
    $$SELECT month::text, channel, platform_leads, crm_leads, difference
        FROM finance.roi_bridge ORDER BY channel, month$$,
    $$VALUES ('2026-01-01', 'facebook', 1::bigint, 0::bigint, 1::bigint),
             ('2026-02-01', 'facebook', 9, 6, 3),
             ('2026-03-01', 'facebook', 0, 1, -1),
             ('2026-02-01', 'linkedin', 0, 1, -1)$$,
    'the platforms'' counts and the CRM people credited to each channel, by month');
SELECT results_eq(
    $$SELECT form_lead_not_in_crm, repeated_form_submission, credited_to_another_channel,
             day_basis, crm_timing, crm_lead_platform_did_not_count, organic_form_lead,
             outside_attribution_window, unexplained
        FROM finance.roi_bridge WHERE channel = 'facebook' AND month = '2026-02-01'$$,
    $$VALUES (1::bigint, 1::bigint, 1::bigint, 1::bigint, -1::bigint, -1::bigint, -1::bigint,
              -1::bigint, 3::bigint)$$,
    'Meta in February: one person per cause, and the three pixel leads unexplained');
SELECT results_eq(
    $$SELECT month::text, day_basis, crm_timing, unexplained FROM finance.roi_bridge
       WHERE channel = 'facebook' AND month <> '2026-02-01' ORDER BY month$$,
    $$VALUES ('2026-01-01', 0::bigint, 1::bigint, 0::bigint),
             ('2026-03-01', -1, 0, 0)$$,
    'a shift between months is + where the platform counts it and - where the CRM does');
SELECT results_eq(
    $$SELECT crm_lead_platform_did_not_count, unexplained FROM finance.roi_bridge
       WHERE channel = 'linkedin'$$,
    $$VALUES (-1::bigint, 0::bigint)$$,
    'a person credited to LinkedIn without a LinkedIn form: LinkedIn did not count them');
SELECT is_empty(
    $$SELECT * FROM finance.roi_bridge
       WHERE form_lead_not_in_crm + repeated_form_submission + credited_to_another_channel
             + day_basis + crm_timing + crm_lead_platform_did_not_count + organic_form_lead
             + outside_attribution_window + unexplained <> difference
          OR difference <> platform_leads - crm_leads$$,
    'in every row the causes and the unexplained rest add up to the difference');
RESET ROLE;
SELECT is((SELECT sum(platform_leads) FROM finance.roi_bridge),
          (SELECT sum(leads) FROM socialroi.ad_daily),
          'platform_leads adds up to the platforms'' own total');
SELECT is((SELECT sum(crm_leads)::bigint FROM finance.roi_bridge), 8::bigint,
          'crm_leads adds up to the CRM people with a channel, each once (eight: p9 has none)');
SELECT is((SELECT sum(day_basis) + sum(crm_timing) FROM finance.roi_bridge), 0::numeric,
          'a shift between months adds to nothing over the months');

SET LOCAL ROLE socialroi_dashboard;
SELECT throws_ok('SELECT * FROM finance.roi_bridge', '42501', NULL,
                 'the dashboard role cannot read the bridge');
SELECT throws_ok('SELECT * FROM finance.roi_bridge_revenue', '42501', NULL,
                 'nor its revenue');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
