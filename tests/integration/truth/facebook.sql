-- facebook.sql - the Meta facts in the database against the simulator's truth
-- (psql -v truth_file=PATH). Prints one row per difference.
\set ON_ERROR_STOP 1
CREATE TEMP TABLE truth AS SELECT pg_read_file(:'truth_file')::jsonb AS j;

-- page insights: one value per metric and Pacific day
CREATE TEMP VIEW exp_daily AS
SELECT p.key AS page, m.key AS metric, d.key::date AS day, d.value::bigint AS value
  FROM truth, jsonb_each(j -> 'facebook') p, jsonb_each(p.value -> 'metric_daily') m,
       jsonb_each_text(m.value) d;
CREATE TEMP VIEW act_daily AS
SELECT a.external_id, md.metric, md.day, md.value
  FROM socialroi.metric_daily md JOIN socialroi.account a USING (account_id)
 WHERE a.platform = 'facebook' AND md.object_id = '' AND md.day_basis = 'pacific';

-- posts and their latest counters
CREATE TEMP VIEW exp_post AS
SELECT p.key AS page, c.key AS post, (c.value ->> 'published_at')::timestamptz AS published_at
  FROM truth, jsonb_each(j -> 'facebook') p, jsonb_each(p.value -> 'content') c;
CREATE TEMP VIEW act_post AS
SELECT a.external_id, c.content_id, c.published_at
  FROM socialroi.content c JOIN socialroi.account a USING (account_id)
 WHERE a.platform = 'facebook';
CREATE TEMP VIEW exp_post_metric AS
SELECT p.key AS page, c.key AS post, m.key AS metric, m.value::bigint AS value
  FROM truth, jsonb_each(j -> 'facebook') p, jsonb_each(p.value -> 'content') c,
       jsonb_each_text(c.value -> 'metrics') m;
CREATE TEMP VIEW act_post_metric AS
SELECT a.external_id, s.object_id, s.metric, s.value
  FROM (SELECT DISTINCT ON (account_id, object_id, metric) * FROM socialroi.metric_snapshot
         WHERE object_id <> '' ORDER BY account_id, object_id, metric, observed_at DESC) s
  JOIN socialroi.account a USING (account_id) WHERE a.platform = 'facebook';

-- ads: every campaign day with delivery, exact micros
CREATE TEMP VIEW exp_ad AS
SELECT p.key AS page, c.key AS campaign, d.key::date AS day,
       (d.value ->> 'spend_micros')::bigint AS spend_micros,
       (d.value ->> 'impressions')::bigint AS impressions,
       (d.value ->> 'clicks')::bigint AS clicks, (d.value ->> 'leads')::bigint AS leads,
       (d.value ->> 'conversions')::bigint AS conversions,
       (d.value ->> 'conversion_value_micros')::bigint AS conversion_value_micros,
       p.value ->> 'currency' AS currency
  FROM truth, jsonb_each(j -> 'facebook') p, jsonb_each(p.value -> 'campaigns') c,
       jsonb_each(c.value -> 'days') d;
CREATE TEMP VIEW act_ad AS
SELECT a.external_id, ad.campaign_id, ad.day, ad.spend_micros, ad.impressions, ad.clicks,
       ad.leads, ad.conversions, ad.conversion_value_micros, ad.currency::text
  FROM socialroi.ad_daily ad JOIN socialroi.account a USING (account_id)
 WHERE a.platform = 'facebook';
CREATE TEMP VIEW exp_campaign AS
SELECT p.key AS page, c.key AS campaign, c.value ->> 'name' AS name
  FROM truth, jsonb_each(j -> 'facebook') p, jsonb_each(p.value -> 'campaigns') c;
CREATE TEMP VIEW act_campaign AS
SELECT a.external_id, ac.campaign_id, ac.name
  FROM socialroi.ad_campaign ac JOIN socialroi.account a USING (account_id)
 WHERE a.platform = 'facebook';

-- leads: ids, times, form, campaign, ad, and whether an e-mail (hash) was kept
CREATE TEMP VIEW exp_lead AS
SELECT p.key AS page, l.key AS lead, (l.value ->> 'created_at')::timestamptz AS created_at,
       l.value ->> 'form' AS form, l.value ->> 'campaign' AS campaign, l.value ->> 'ad' AS ad,
       (l.value ->> 'has_email')::boolean AS has_email
  FROM truth, jsonb_each(j -> 'facebook') p, jsonb_each(p.value -> 'leads') l;
CREATE TEMP VIEW act_lead AS
SELECT a.external_id, ld.lead_id, ld.created_at, ld.form_id, ld.campaign_id, ld.ad_id,
       ld.email_hash IS NOT NULL
  FROM socialroi.lead ld JOIN socialroi.account a USING (account_id)
 WHERE a.platform = 'facebook';

SELECT 'missing metric day' AS diff, * FROM (SELECT * FROM exp_daily EXCEPT SELECT * FROM act_daily) d
UNION ALL
SELECT 'unexpected metric day', * FROM (SELECT * FROM act_daily EXCEPT SELECT * FROM exp_daily) d;
SELECT 'missing post' AS diff, * FROM (SELECT * FROM exp_post EXCEPT SELECT * FROM act_post) d
UNION ALL
SELECT 'unexpected post', * FROM (SELECT * FROM act_post EXCEPT SELECT * FROM exp_post) d;
SELECT 'missing post metric' AS diff, *
  FROM (SELECT * FROM exp_post_metric EXCEPT SELECT * FROM act_post_metric) d
UNION ALL
SELECT 'unexpected post metric', *
  FROM (SELECT * FROM act_post_metric EXCEPT SELECT * FROM exp_post_metric) d;
SELECT 'missing ad day' AS diff, * FROM (SELECT * FROM exp_ad EXCEPT SELECT * FROM act_ad) d
UNION ALL
SELECT 'unexpected ad day', * FROM (SELECT * FROM act_ad EXCEPT SELECT * FROM exp_ad) d;
SELECT 'missing campaign' AS diff, *
  FROM (SELECT * FROM exp_campaign EXCEPT SELECT * FROM act_campaign) d
UNION ALL
SELECT 'unexpected campaign', *
  FROM (SELECT * FROM act_campaign EXCEPT SELECT * FROM exp_campaign) d;
SELECT 'missing lead' AS diff, * FROM (SELECT * FROM exp_lead EXCEPT SELECT * FROM act_lead) d
UNION ALL
SELECT 'unexpected lead', * FROM (SELECT * FROM act_lead EXCEPT SELECT * FROM exp_lead) d;
