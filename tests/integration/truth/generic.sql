-- generic.sql - the facts of one platform (psql -v platform=NAME -v truth_file=PATH) against
-- the simulator's truth: daily metrics of the account and of its ad campaigns, account
-- snapshots (latest), content and the counters the truth names, ad campaigns and their days,
-- form leads. Prints one row per difference.
\set ON_ERROR_STOP 1
CREATE TEMP TABLE truth AS SELECT pg_read_file(:'truth_file')::jsonb -> :'platform' AS j;
CREATE TEMP VIEW acct AS
SELECT a.account_id, a.external_id FROM socialroi.account a WHERE a.platform = :'platform';

CREATE TEMP VIEW exp_daily AS
SELECT p.key AS account, ''::text AS object, m.key AS metric, d.key::date AS day,
       d.value::bigint AS value
  FROM truth, jsonb_each(j) p, jsonb_each(COALESCE(p.value -> 'metric_daily', '{}')) m,
       jsonb_each_text(m.value) d
UNION ALL
SELECT p.key, c.key, m.key, d.key::date, d.value::bigint
  FROM truth, jsonb_each(j) p, jsonb_each(COALESCE(p.value -> 'campaigns', '{}')) c,
       jsonb_each(COALESCE(c.value -> 'metric_daily', '{}')) m, jsonb_each_text(m.value) d;
CREATE TEMP VIEW act_daily AS
SELECT a.external_id, md.object_id, md.metric, md.day, md.value
  FROM socialroi.metric_daily md JOIN acct a USING (account_id);

CREATE TEMP VIEW exp_snap AS
SELECT p.key AS account, s.key AS metric, s.value::bigint AS value
  FROM truth, jsonb_each(j) p, jsonb_each_text(COALESCE(p.value -> 'snapshots', '{}')) s;
CREATE TEMP VIEW act_snap AS
SELECT a.external_id, s.metric, s.value
  FROM (SELECT DISTINCT ON (account_id, metric) * FROM socialroi.metric_snapshot
         WHERE object_id = '' ORDER BY account_id, metric, observed_at DESC) s
  JOIN acct a USING (account_id);

CREATE TEMP VIEW exp_post AS
SELECT p.key AS account, c.key AS post, (c.value ->> 'published_at')::timestamptz AS published_at
  FROM truth, jsonb_each(j) p, jsonb_each(COALESCE(p.value -> 'content', '{}')) c;
CREATE TEMP VIEW act_post AS
SELECT a.external_id, t.content_id, t.published_at
  FROM socialroi.content t JOIN acct a USING (account_id);
CREATE TEMP VIEW exp_post_metric AS
SELECT p.key AS account, c.key AS post, m.key AS metric, m.value::bigint AS value
  FROM truth, jsonb_each(j) p, jsonb_each(COALESCE(p.value -> 'content', '{}')) c,
       jsonb_each_text(COALESCE(c.value -> 'metrics', '{}')) m;
-- only the counters the truth speaks of (insights the simulator does not restate are extra)
CREATE TEMP VIEW act_post_metric AS
SELECT a.external_id, s.object_id, s.metric, s.value
  FROM (SELECT DISTINCT ON (account_id, object_id, metric) * FROM socialroi.metric_snapshot
         WHERE object_id <> '' ORDER BY account_id, object_id, metric, observed_at DESC) s
  JOIN acct a USING (account_id)
 WHERE s.metric IN (SELECT DISTINCT metric FROM exp_post_metric);

CREATE TEMP VIEW exp_ad AS
SELECT p.key AS account, c.key AS campaign, d.key::date AS day,
       (d.value ->> 'spend_micros')::bigint AS spend_micros,
       (d.value ->> 'impressions')::bigint AS impressions, (d.value ->> 'clicks')::bigint AS clicks,
       (d.value ->> 'leads')::bigint AS leads, (d.value ->> 'conversions')::bigint AS conversions,
       (d.value ->> 'conversion_value_micros')::bigint AS conversion_value_micros,
       p.value ->> 'currency' AS currency
  FROM truth, jsonb_each(j) p, jsonb_each(COALESCE(p.value -> 'campaigns', '{}')) c,
       jsonb_each(COALESCE(c.value -> 'days', '{}')) d;
CREATE TEMP VIEW act_ad AS
SELECT a.external_id, ad.campaign_id, ad.day, ad.spend_micros, ad.impressions, ad.clicks,
       ad.leads, ad.conversions, ad.conversion_value_micros, ad.currency::text
  FROM socialroi.ad_daily ad JOIN acct a USING (account_id);
CREATE TEMP VIEW exp_campaign AS
SELECT p.key AS account, c.key AS campaign, c.value ->> 'name' AS name
  FROM truth, jsonb_each(j) p, jsonb_each(COALESCE(p.value -> 'campaigns', '{}')) c;
CREATE TEMP VIEW act_campaign AS
SELECT a.external_id, ac.campaign_id, ac.name
  FROM socialroi.ad_campaign ac JOIN acct a USING (account_id);

CREATE TEMP VIEW exp_lead AS
SELECT p.key AS account, l.key AS lead, (l.value ->> 'created_at')::timestamptz AS created_at,
       l.value ->> 'form' AS form, l.value ->> 'campaign' AS campaign,
       (l.value ->> 'has_email')::boolean AS has_email
  FROM truth, jsonb_each(j) p, jsonb_each(COALESCE(p.value -> 'leads', '{}')) l;
CREATE TEMP VIEW act_lead AS
SELECT a.external_id, ld.lead_id, ld.created_at, ld.form_id, ld.campaign_id,
       ld.email_hash IS NOT NULL
  FROM socialroi.lead ld JOIN acct a USING (account_id);

SELECT 'missing daily', * FROM (SELECT * FROM exp_daily EXCEPT SELECT * FROM act_daily) d
UNION ALL SELECT 'unexpected daily', * FROM (SELECT * FROM act_daily EXCEPT SELECT * FROM exp_daily) d;
SELECT 'missing snapshot', * FROM (SELECT * FROM exp_snap EXCEPT SELECT * FROM act_snap) d
UNION ALL SELECT 'unexpected snapshot', * FROM (SELECT * FROM act_snap EXCEPT SELECT * FROM exp_snap) d;
SELECT 'missing post', * FROM (SELECT * FROM exp_post EXCEPT SELECT * FROM act_post) d
UNION ALL SELECT 'unexpected post', * FROM (SELECT * FROM act_post EXCEPT SELECT * FROM exp_post) d;
SELECT 'missing post metric', * FROM (SELECT * FROM exp_post_metric EXCEPT SELECT * FROM act_post_metric) d
UNION ALL SELECT 'unexpected post metric', * FROM (SELECT * FROM act_post_metric EXCEPT SELECT * FROM exp_post_metric) d;
SELECT 'missing ad day', * FROM (SELECT * FROM exp_ad EXCEPT SELECT * FROM act_ad) d
UNION ALL SELECT 'unexpected ad day', * FROM (SELECT * FROM act_ad EXCEPT SELECT * FROM exp_ad) d;
SELECT 'missing campaign', * FROM (SELECT * FROM exp_campaign EXCEPT SELECT * FROM act_campaign) d
UNION ALL SELECT 'unexpected campaign', * FROM (SELECT * FROM act_campaign EXCEPT SELECT * FROM exp_campaign) d;
SELECT 'missing lead', * FROM (SELECT * FROM exp_lead EXCEPT SELECT * FROM act_lead) d
UNION ALL SELECT 'unexpected lead', * FROM (SELECT * FROM act_lead EXCEPT SELECT * FROM exp_lead) d;
