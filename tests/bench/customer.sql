-- customer.sql - the accounts, campaigns and FX rate of the benchmarks' synthetic customer:
-- a HubSpot portal, a Facebook and a LinkedIn account, ten business campaigns linked to 26
-- platform ad campaigns and 9 utm_campaign values, an EUR rate.
SELECT socialroi.sync_settings('USD', 7);
INSERT INTO socialroi.account (name, platform, external_id) VALUES
    ('crm', 'hubspot', '1'), ('meta', 'facebook', '2'), ('li', 'linkedin', '3');
INSERT INTO socialroi.fx_rate (day, currency, rate, source)
VALUES ('2024-01-01', 'EUR', 1.1, 'ecb');
INSERT INTO socialroi.campaign (name, title, start_day)
SELECT 'c' || i, 'Campaign ' || i, '2025-01-01' FROM generate_series(1, 10) i;
INSERT INTO socialroi.campaign_link (campaign_id, kind, platform, value)
SELECT 1 + i % 10, 'ad_campaign', p, 'ad' || i
  FROM generate_series(0, 12) i, unnest(ARRAY['facebook', 'linkedin']) p;
INSERT INTO socialroi.campaign_link (campaign_id, kind, value)
SELECT 1 + i % 10, 'utm_campaign', 'utm' || i FROM generate_series(0, 8) i;
