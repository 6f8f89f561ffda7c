-- 003_money.sql - exact money: rounding, spreading spend lines per day (fixed, monthly retainer
-- prorated over partial months, one-off), FX lookups with static and dated rates, campaigns
-- synced declaratively from the config.
BEGIN;
SELECT plan(26);

-- rounding half to even, to the micro-unit
SELECT is(socialroi.round_even(2.5), 2::bigint, '2.5 rounds to 2');
SELECT is(socialroi.round_even(3.5), 4::bigint, '3.5 rounds to 4');
SELECT is(socialroi.round_even(-2.5), -2::bigint, '-2.5 rounds to -2');
SELECT is(socialroi.round_even(2.4999), 2::bigint, '2.4999 rounds to 2');

-- fixed: 100.00 over 3 days adds up exactly
SELECT is((SELECT sum(micros) FROM socialroi.spread(100000000, '2026-01-01', '2026-01-03')),
          100000000::numeric, 'a spread adds up to the amount exactly');
SELECT is((SELECT array_agg(micros ORDER BY day) FROM socialroi.spread(100000000, '2026-01-01', '2026-01-03')),
          ARRAY[33333334, 33333333, 33333333]::bigint[], 'the remainder goes to the first days');
SELECT is((SELECT array_agg(micros ORDER BY day) FROM socialroi.spread(-7, '2026-01-01', '2026-01-03')),
          ARRAY[-3, -2, -2]::bigint[], 'negative amounts spread exactly too');

-- monthly retainer prorated over partial months: 3100.00 per month from Jan 17 to Feb 14
SELECT is((SELECT sum(micros) FROM socialroi.spend_line_days('monthly', 3100000000, '2026-01-17', '2026-01-31')),
          1500000000::numeric, 'a half month of a 3100.00 retainer (15 of 31 days) costs 1500.00');
SELECT is((SELECT sum(micros) FROM socialroi.spend_line_days('monthly', 2800000000, '2026-02-01', '2026-02-14')),
          1400000000::numeric, '14 of 28 February days cost half of 2800.00');
SELECT is((SELECT count(*) FROM socialroi.spend_line_days('monthly', 3100000000, '2026-01-17', '2026-02-14')),
          29::bigint, 'one row per day across the month boundary');
SELECT is((SELECT sum(micros) FROM socialroi.spend_line_days('monthly', 1000000000, '2026-01-01', '2026-03-31')),
          3000000000::numeric, 'three whole months cost three retainers');
SELECT is((SELECT array_agg(micros) FROM socialroi.spend_line_days('oneoff', 500000000, '2026-05-05', '2026-05-05')),
          ARRAY[500000000]::bigint[], 'a one-off lands on its day');

-- FX: static rates at -infinity, dated rates win from their day on, the latest earlier rate
-- fills a missing day, the reporting currency is 1, no rate is NULL
INSERT INTO socialroi.fx_rate VALUES ('-infinity', 'EUR', 1.10, 'config'),
                                     ('2026-01-10', 'EUR', 1.20, 'ecb'),
                                     ('2026-01-12', 'EUR', 1.30, 'ecb');
SELECT is(socialroi.fx('EUR', '2026-01-01'), 1.10, 'before any dated rate, the static rate');
SELECT is(socialroi.fx('EUR', '2026-01-11'), 1.20, 'a missing day takes the latest earlier rate');
SELECT is(socialroi.fx('EUR', '2026-01-12'), 1.30, 'a dated rate applies on its day');
SELECT is(socialroi.fx('USD', '2026-01-12'), 1::numeric, 'the reporting currency is 1');
SELECT is(socialroi.fx('GBP', '2026-01-12'), NULL, 'no rate at all is NULL, never 1');
SELECT is(socialroi.to_reporting(10000000, 'EUR', '2026-01-12'), 13000000::bigint, '10 EUR is 13 USD on Jan 12');
SELECT is(socialroi.to_reporting(10000000, 'GBP', '2026-01-12'), NULL, 'an amount without a rate stays unconverted');

SELECT socialroi.sync_fx_static('{"EUR": "1.05", "JPY": "0.0067"}');
SELECT is(socialroi.fx('EUR', '2026-01-01'), 1.05, 'a config rate is replaced on sync');
SELECT socialroi.sync_fx_static('{"EUR": "1.05"}');
SELECT is(socialroi.fx('JPY', '2026-01-01'), NULL, 'a config rate removed from the config goes');

-- campaigns are declarative
SELECT socialroi.sync_campaigns('[{"name":"a","title":"A","start":"2026-01-01","end":"2026-03-31",
    "budget_micros":30000000000,"budget_currency":"USD",
    "spend":[{"line":1,"kind":"fixed","amount_micros":3000000000,"currency":"USD","start":"2026-01-01","end":"2026-01-31"}],
    "links":[{"kind":"utm_campaign","platform":"","value":"a-utm"}]},
  {"name":"b","title":"B","start":"2026-01-01","end":null,"spend":[],"links":[]}]');
SELECT is((SELECT count(*)::int FROM socialroi.campaign WHERE active), 2, 'two campaigns synced');
SELECT is((SELECT count(*)::int FROM socialroi.configured_spend_daily), 31, 'a month of configured spend');
SELECT socialroi.sync_campaigns('[{"name":"a","title":"A2","start":"2026-01-01","end":"2026-03-31",
    "budget_micros":30000000000,"budget_currency":"USD",
    "spend":[{"line":1,"kind":"fixed","amount_micros":3000000000,"currency":"USD","start":"2026-01-01","end":"2026-01-31"}],
    "links":[{"kind":"utm_campaign","platform":"","value":"a-utm"}]}]');
SELECT is((SELECT active FROM socialroi.campaign WHERE name = 'b'), false,
          'a campaign removed from the config is inactive, not deleted');
SELECT is((SELECT title FROM socialroi.campaign WHERE name = 'a'), 'A2', 'changes are applied');
SELECT is((SELECT count(*)::int FROM socialroi.campaign_link), 1, 'unchanged links stay as they are');

SELECT * FROM finish();
ROLLBACK;
