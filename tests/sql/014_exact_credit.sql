-- 014_exact_credit.sql - a conversion's credit is split in millionths the way revenue is split
-- in micros (cumulative rounding, half to even): every model's weights have six decimals at
-- most, add up to exactly 1, and stay within a millionth of the exact share; revenue still
-- adds up to the deal's amount.
BEGIN;
SELECT plan(6);

SELECT socialroi.sync_settings('USD', 7);
SELECT socialroi.write_attribution('deal', 'd1', '2026-03-10 12:00Z', '2026-03-10', true, 'USD',
    1000000000, '[{"at":"2026-03-01 10:00Z","channel":"x","campaign":null},
                  {"at":"2026-03-04 10:00Z","channel":"linkedin","campaign":null},
                  {"at":"2026-03-09 10:00Z","channel":"facebook","campaign":null}]');

SELECT is(array_agg(weight ORDER BY seq), ARRAY[0.333333, 0.333334, 0.333333]::numeric[],
          'linear over three touches: 0.333333, 0.333334, 0.333333')
  FROM socialroi.attribution WHERE conversion = 'd1' AND model = 'linear';
SELECT is(array_agg(weight ORDER BY seq), ARRAY[0.4, 0.2, 0.4]::numeric[],
          'position_based over three touches: 40/20/40')
  FROM socialroi.attribution WHERE conversion = 'd1' AND model = 'position_based';
SELECT is(array_agg(DISTINCT model ORDER BY model), NULL,
          'every model''s weights add up to exactly 1')
  FROM (SELECT model FROM socialroi.attribution WHERE conversion = 'd1'
         GROUP BY model HAVING sum(weight) <> 1) x;
SELECT is(count(*), 0::bigint, 'no weight has more than six decimals')
  FROM socialroi.attribution
 WHERE conversion = 'd1' AND weight <> pg_catalog.round(weight, 6);
SELECT is(array_agg(DISTINCT model ORDER BY model), NULL,
          'revenue still adds up to the amount under every model')
  FROM (SELECT model FROM socialroi.attribution WHERE conversion = 'd1'
         GROUP BY model HAVING sum(revenue_micros) <> 1000000000) x;
SELECT ok(bool_and(abs(weight - exact) < 0.000001),
          'time_decay weights stay within a millionth of their exact shares')
  FROM (SELECT a.weight, w.weight AS exact
          FROM socialroi.attribution a
          JOIN socialroi.model_weights('time_decay', ARRAY[9.0833333333, 6.0833333333,
                                       1.0833333333]::numeric[], 7) w ON w.seq = a.seq
         WHERE a.conversion = 'd1' AND a.model = 'time_decay') x;

SELECT * FROM finish();
ROLLBACK;
