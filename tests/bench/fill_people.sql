-- fill_people.sql - a synthetic CRM for the benchmarks (psql -v n=PEOPLE -v off=DAY_OFFSET
-- -v days=DAYS): n leads from day off over days days (a third of them form leads), one in seven
-- without an e-mail, one in ten sharing its e-mail hash with another lead; 1 to 5 touches per
-- lead in the days before it, over six platforms (one in six without one), linked to a campaign
-- by ad campaign, by utm_campaign, or to none; one deal per five people (half won, a third in
-- EUR), each with two contacts. Needs the accounts and campaigns of customer.sql.
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
SELECT CASE WHEN i % 3 = 0 THEN 2 ELSE 1 END, 'L' || (:off::bigint * 100000000 + i),
       CASE WHEN i % 3 = 0 THEN 'form' ELSE 'crm' END,
       timestamptz '2025-01-01 00:00Z' + (:off + (i::numeric / :n) * :days) * interval '1 day',
       CASE WHEN i % 7 = 0 THEN NULL
            WHEN i % 10 = 1 THEN 'h' || (:off::bigint * 100000000 + i - 1)
            ELSE 'h' || (:off::bigint * 100000000 + i) END
  FROM generate_series(1, :n) i;
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign)
SELECT l.account_id, l.lead_id || '-' || k, l.lead_id, 'click',
       l.created_at - (k * 2.5 - 1.5) * interval '1 day' + (h % 1000) * interval '1 minute',
       (ARRAY['facebook', 'linkedin', 'x', 'instagram', 'youtube', NULL])[1 + h % 6],
       CASE WHEN h % 4 = 0 THEN 'ad' || (h % 13) END,
       CASE WHEN h % 4 = 1 THEN 'utm' || (h % 11) END
  FROM socialroi.lead l,
       LATERAL (SELECT pg_catalog.abs(pg_catalog.hashtext(l.lead_id)) AS h0) x,
       LATERAL pg_catalog.generate_series(1, 1 + x.h0 % 5) k,
       LATERAL (SELECT pg_catalog.abs(pg_catalog.hashtext(l.lead_id || k)) AS h) y
 WHERE l.lead_id LIKE 'L%' AND pg_catalog.substr(l.lead_id, 2)::bigint / 100000000 = :off;
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at)
SELECT 1, 'D' || (:off::bigint * 100000000 + i), (1000 + i % 5000) * 1000000::bigint,
       CASE WHEN i % 3 = 0 THEN 'EUR' ELSE 'USD' END, i % 2 = 0, i % 4 <> 3,
       timestamptz '2025-01-01 00:00Z'
           + (:off + (i * 5::numeric / :n) * :days + 1) * interval '1 day',
       CASE WHEN i % 4 <> 3 THEN timestamptz '2025-01-01 00:00Z'
            + (:off + (i * 5::numeric / :n) * :days + 20) * interval '1 day' END
  FROM generate_series(1, :n / 5) i;
INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
SELECT DISTINCT 1, 'D' || (:off::bigint * 100000000 + i),
       'L' || (:off::bigint * 100000000 + ((i * 5 + j) % :n) + 1)
  FROM generate_series(1, :n / 5) i, generate_series(0, 1) j;
