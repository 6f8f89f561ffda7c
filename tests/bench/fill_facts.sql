-- fill_facts.sql - the synthetic customer's platform facts (psql -v off=DAY_OFFSET -v days=DAYS
-- -v objects=N): from day off (0 = 2025-01-01) over days days, on the Facebook and the LinkedIn
-- account of customer.sql, daily delivery and spend of 13 linked and 187 unlinked ad campaigns
-- per account (USD on Facebook, EUR on LinkedIn), and five daily metrics of N posts per account
-- (2 x N content rows, 10 x N x days metric rows). A monthly spend line per business campaign
-- comes with the first call (off = 0).
INSERT INTO socialroi.content (account_id, content_id, kind, published_at, title)
SELECT a, 'post' || i, 'post', timestamptz '2025-01-01 00:00Z' + (i % 365) * interval '1 day',
       'Post ' || i
  FROM generate_series(1, :objects) i, unnest(ARRAY[2, 3]) a
    ON CONFLICT DO NOTHING;
INSERT INTO socialroi.campaign_spend (campaign_id, line_no, kind, amount_micros, currency,
                                      start_day, end_day)
SELECT c.campaign_id, 1, 'monthly', (5000 + c.campaign_id * 100) * 1000000::bigint, 'USD',
       '2025-01-01', '2027-12-31'
  FROM socialroi.campaign c
 WHERE :off = 0;
INSERT INTO socialroi.ad_daily (account_id, campaign_id, day, day_basis, currency, spend_micros,
                                impressions, clicks, leads, conversions, conversion_value_micros)
SELECT a, 'ad' || c, date '2025-01-01' + :off + d, 'utc',
       CASE WHEN a = 2 THEN 'USD' ELSE 'EUR' END, (1000 + (c * 7 + d) % 900) * 10000::bigint,
       1000 + (c + d) % 500, 10 + (c + d) % 40, (c + d) % 3, (c + d) % 2, ((c + d) % 2) * 50000000
  FROM unnest(ARRAY[2, 3]) a, generate_series(0, 199) c, generate_series(0, :days - 1) d;
INSERT INTO socialroi.metric_daily (account_id, object_id, metric, day, day_basis, value)
SELECT a, 'post' || i, m, date '2025-01-01' + :off + d, 'utc', (i * 31 + d * 7) % 1000
  FROM unnest(ARRAY[2, 3]) a, generate_series(1, :objects) i,
       unnest(ARRAY['impressions', 'reach', 'engagements', 'clicks', 'video_views']) m,
       generate_series(0, :days - 1) d;
