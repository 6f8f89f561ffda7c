-- 004_attribution.sql - the attribution models on 0, 1, 2 and 5 touches; weights that add up to
-- exactly 1; revenue split to the micro without loss; touches after the deal ignored; a deal
-- without touches unattributed; people joined across form leads and CRM contacts by e-mail hash.
BEGIN;
SELECT plan(36);

CREATE FUNCTION pg_temp.weights(m text, ages numeric[]) RETURNS numeric[] LANGUAGE sql AS
$$ SELECT array_agg(weight ORDER BY seq) FROM socialroi.model_weights(m, ages, 7) $$;
CREATE FUNCTION pg_temp.total(m text, ages numeric[]) RETURNS numeric LANGUAGE sql AS
$$ SELECT sum(weight) FROM socialroi.model_weights(m, ages, 7) $$;

-- no touch: no weight at all (the conversion is reported as unattributed)
SELECT is(pg_temp.weights('linear', '{}'), NULL, 'no touch, no weights');
-- one touch: every model gives it everything
SELECT is(pg_temp.weights(m, '{3}'), ARRAY[1]::numeric[], m || ': one touch gets 1')
  FROM unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay']) m;
-- two touches
SELECT is(pg_temp.weights('first_touch', '{10,2}'), ARRAY[1, 0]::numeric[], 'first_touch, 2 touches');
SELECT is(pg_temp.weights('last_touch', '{10,2}'), ARRAY[0, 1]::numeric[], 'last_touch, 2 touches');
SELECT is(pg_temp.weights('linear', '{10,2}'), ARRAY[0.5, 0.5]::numeric[], 'linear, 2 touches');
SELECT is(pg_temp.weights('position_based', '{10,2}'), ARRAY[0.5, 0.5]::numeric[],
          'position_based, 2 touches: 50/50');
SELECT is(pg_temp.weights('time_decay', '{14,7}'),
          ARRAY[0.33333333333333333333, 0.66666666666666666667]::numeric[],
          'time_decay, 2 touches: a week older weighs half');
-- five touches
SELECT is(pg_temp.weights('first_touch', '{20,15,10,5,1}'), ARRAY[1, 0, 0, 0, 0]::numeric[], 'first_touch, 5 touches');
SELECT is(pg_temp.weights('last_touch', '{20,15,10,5,1}'), ARRAY[0, 0, 0, 0, 1]::numeric[], 'last_touch, 5 touches');
SELECT is(pg_temp.weights('linear', '{20,15,10,5,1}'), ARRAY[0.2, 0.2, 0.2, 0.2, 0.2]::numeric[], 'linear, 5 touches');
SELECT is(pg_temp.weights('position_based', '{20,15,10,5,1}'),
          ARRAY[0.4, 0.06666666666666666667, 0.06666666666666666667, 0.06666666666666666667,
                0.39999999999999999999]::numeric[],
          'position_based, 5 touches: 40/20/40 with the remainder on the last');
SELECT is(pg_temp.weights('time_decay', '{14,7,0}'),
          ARRAY[0.14285714285714285714, 0.28571428571428571429, 0.57142857142857142857]::numeric[],
          'time_decay, half-life 7 days: 1/7, 2/7, 4/7');
SELECT is(pg_temp.total(m, n), 1::numeric, m || ' weights add up to exactly 1 on ' || array_length(n, 1) || ' touches')
  FROM unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based', 'time_decay']) m,
       (VALUES ('{20,15,10,5,1}'::numeric[]), ('{9,8,7}'::numeric[])) t(n)
 WHERE m IN ('linear', 'position_based', 'time_decay');

-- exact halves in integers, even where 1/6 has no exact decimal
SELECT is(socialroi.div_round_even(3, 6), 0::bigint, '3/6 = 0.5 rounds to 0');
SELECT is(socialroi.div_round_even(9, 6), 2::bigint, '9/6 = 1.5 rounds to 2');
SELECT is(socialroi.div_round_even(-3, 6), 0::bigint, '-3/6 rounds to 0');
SELECT is(socialroi.div_round_even(7, 6), 1::bigint, '7/6 rounds to 1');
SELECT is((SELECT array_agg(num || '/' || den ORDER BY seq) FROM socialroi.model_weights('position_based', '{5,4,3,2,1}', 7)),
          ARRAY['6/15', '1/15', '1/15', '1/15', '6/15'], 'position_based shares are exact fractions');

-- end to end: a form lead and a CRM contact of the same person, a deal, touches
SELECT socialroi.sync_account('fb', 'facebook', '1', 'USD', '', true, '');
SELECT socialroi.sync_account('crm', 'hubspot', '2', 'USD', '', true, '');
SELECT socialroi.sync_campaigns('[{"name":"c1","title":"C1","start":"2026-01-01","end":"2026-12-31","spend":[],
    "links":[{"kind":"ad_campaign","platform":"facebook","value":"111"}]},
  {"name":"c2","title":"C2","start":"2026-01-01","end":"2026-12-31","spend":[],
    "links":[{"kind":"utm_campaign","platform":"","value":"c2-utm"}]}]');
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
VALUES (1, 'f1', 'form', '2026-02-01 10:00Z', 'h-ann'), (2, 'k1', 'crm', '2026-02-03 09:00Z', 'h-ann'),
       (2, 'k2', 'crm', '2026-02-05 09:00Z', NULL);
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform, campaign_id, utm_campaign)
VALUES (1, 't1', 'f1', 'form_submission', '2026-02-01 10:00Z', 'facebook', '111', NULL),
       (2, 't2', 'k1', 'crm_first_source', '2026-02-03 09:00Z', 'LinkedIn', NULL, 'c2-utm'),
       (2, 't3', 'k1', 'crm_latest_source', '2026-03-20 09:00Z', 'LinkedIn', NULL, 'c2-utm');
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, stage, is_won, is_closed, created_at, closed_at)
VALUES (2, 'd1', 1000001, 'USD', 'closedwon', true, true, '2026-03-01 00:00Z', '2026-03-10 00:00Z'),
       (2, 'd2', 5000000, 'USD', 'closedwon', true, true, '2026-03-02 00:00Z', '2026-03-11 00:00Z');
INSERT INTO socialroi.deal_contact VALUES (2, 'd1', 'k1'), (2, 'd2', 'k2');
SELECT is(socialroi.rollup_dirty(1000) + socialroi.rollup_dirty(1000), 0, 'the rollup job drains the dirty queue');

SELECT is((SELECT array_agg(campaign_id ORDER BY seq) FROM socialroi.attribution
            WHERE kind = 'deal' AND conversion = '2:d1' AND model = 'linear'),
          ARRAY[1, 2], 'the deal credits the form lead''s ad campaign and the CRM utm campaign');
SELECT is((SELECT array_agg(revenue_micros ORDER BY seq) FROM socialroi.attribution
            WHERE kind = 'deal' AND conversion = '2:d1' AND model = 'linear'),
          ARRAY[500000, 500001]::bigint[], 'linear revenue split to the micro, nothing lost');
SELECT is((SELECT count(*)::int FROM socialroi.attribution
            WHERE kind = 'deal' AND conversion = '2:d1' AND model = 'last_touch' AND campaign_id = 2),
          1, 'a touch after the deal''s creation is ignored (last touch is the Feb 3 one)');
SELECT is((SELECT sum(weight) FROM socialroi.attribution
            WHERE kind = 'deal' AND conversion = '2:d1' AND model = 'time_decay'), 1::numeric,
          'time_decay weights of the deal add up to 1');
SELECT is((SELECT array_agg(DISTINCT campaign_id) FROM socialroi.attribution
            WHERE kind = 'deal' AND conversion = '2:d2'), '{NULL}'::int[],
          'a deal whose contact has no touch is unattributed');
SELECT is((SELECT revenue_micros FROM socialroi.attribution
            WHERE kind = 'deal' AND conversion = '2:d2' AND model = 'first_touch'), 5000000::bigint,
          'and keeps all its revenue on the unattributed row');
SELECT is((SELECT weight FROM socialroi.attribution
            WHERE kind = 'lead' AND conversion = 'e:h-ann' AND model = 'first_touch'), 1::numeric,
          'the person converts with their first lead (Feb 1, the form)');
SELECT is((SELECT campaign_id FROM socialroi.attribution
            WHERE kind = 'lead' AND conversion = 'e:h-ann' AND model = 'first_touch'), 1,
          'and that lead is credited to the form''s campaign');

SELECT * FROM finish();
ROLLBACK;
