-- hubspot.sql - HubSpot contacts (as leads with their touchpoints), deals, their contacts and
-- the pipeline stages against the simulator's truth (psql -v truth_file=PATH).
\set ON_ERROR_STOP 1
CREATE TEMP TABLE truth AS SELECT pg_read_file(:'truth_file')::jsonb -> 'hubspot' AS j;
CREATE TEMP VIEW acct AS
SELECT account_id, external_id FROM socialroi.account WHERE platform = 'hubspot';

CREATE TEMP VIEW exp_contact AS
SELECT p.key AS portal, c.key AS contact, (c.value ->> 'created_at')::timestamptz AS created_at,
       c.value ->> 'lifecycle_stage' AS stage, (c.value ->> 'has_email')::boolean AS has_email
  FROM truth, jsonb_each(j) p, jsonb_each(p.value -> 'contacts') c;
CREATE TEMP VIEW act_contact AS
SELECT a.external_id, l.lead_id, l.created_at, l.lifecycle_stage, l.email_hash IS NOT NULL
  FROM socialroi.lead l JOIN acct a USING (account_id) WHERE l.source = 'crm';

-- a touch's platform is compared only where it is a platform socialroi polls
CREATE TEMP VIEW exp_touch AS
SELECT p.key AS portal, c.key AS contact, t.key AS kind,
       (t.value ->> 'occurred_at')::timestamptz AS occurred_at, t.value ->> 'platform' AS platform,
       t.value ->> 'utm_campaign' AS utm_campaign
  FROM truth, jsonb_each(j) p, jsonb_each(p.value -> 'contacts') c,
       jsonb_each(c.value -> 'touchpoints') t;
CREATE TEMP VIEW act_touch AS
SELECT a.external_id, t.lead_id, t.kind, t.occurred_at,
       CASE WHEN t.platform IN ('x', 'facebook', 'instagram', 'linkedin', 'youtube', 'pinterest')
            THEN t.platform END,
       t.utm_campaign
  FROM socialroi.touchpoint t JOIN acct a USING (account_id);

CREATE TEMP VIEW exp_deal AS
SELECT p.key AS portal, d.key AS deal, (d.value ->> 'amount_micros')::bigint AS amount,
       d.value ->> 'currency' AS currency, d.value ->> 'stage' AS stage,
       d.value ->> 'pipeline' AS pipeline, (d.value ->> 'is_won')::boolean AS is_won,
       (d.value ->> 'is_closed')::boolean AS is_closed,
       (d.value ->> 'created_at')::timestamptz AS created_at,
       (d.value ->> 'closed_at')::timestamptz AS closed_at
  FROM truth, jsonb_each(j) p, jsonb_each(p.value -> 'deals') d;
CREATE TEMP VIEW act_deal AS
SELECT a.external_id, d.deal_id, d.amount_micros, d.currency::text, d.stage, d.pipeline,
       d.is_won, d.is_closed, d.created_at, d.closed_at
  FROM socialroi.deal d JOIN acct a USING (account_id);

CREATE TEMP VIEW exp_dc AS
SELECT p.key AS portal, d.key AS deal, x AS contact
  FROM truth, jsonb_each(j) p, jsonb_each(p.value -> 'deals') d,
       jsonb_array_elements_text(d.value -> 'contacts') x;
CREATE TEMP VIEW act_dc AS
SELECT a.external_id, dc.deal_id, dc.lead_id
  FROM socialroi.deal_contact dc JOIN acct a USING (account_id);

CREATE TEMP VIEW exp_stage AS
SELECT p.key AS portal, pl.key AS pipeline, s.key AS stage,
       (s.value ->> 'is_won')::boolean AS is_won, (s.value ->> 'is_closed')::boolean AS is_closed
  FROM truth, jsonb_each(j) p, jsonb_each(p.value -> 'stages') pl, jsonb_each(pl.value) s;
CREATE TEMP VIEW act_stage AS
SELECT a.external_id, s.pipeline, s.stage, s.is_won, s.is_closed
  FROM socialroi.deal_stage s JOIN acct a USING (account_id);

SELECT 'missing contact', * FROM (SELECT * FROM exp_contact EXCEPT SELECT * FROM act_contact) d
UNION ALL SELECT 'unexpected contact', * FROM (SELECT * FROM act_contact EXCEPT SELECT * FROM exp_contact) d;
SELECT 'missing touch', * FROM (SELECT * FROM exp_touch EXCEPT SELECT * FROM act_touch) d
UNION ALL SELECT 'unexpected touch', * FROM (SELECT * FROM act_touch EXCEPT SELECT * FROM exp_touch) d;
SELECT 'missing deal', * FROM (SELECT * FROM exp_deal EXCEPT SELECT * FROM act_deal) d
UNION ALL SELECT 'unexpected deal', * FROM (SELECT * FROM act_deal EXCEPT SELECT * FROM exp_deal) d;
SELECT 'missing deal contact', * FROM (SELECT * FROM exp_dc EXCEPT SELECT * FROM act_dc) d
UNION ALL SELECT 'unexpected deal contact', * FROM (SELECT * FROM act_dc EXCEPT SELECT * FROM exp_dc) d;
SELECT 'missing stage', * FROM (SELECT * FROM exp_stage EXCEPT SELECT * FROM act_stage) d
UNION ALL SELECT 'unexpected stage', * FROM (SELECT * FROM act_stage EXCEPT SELECT * FROM exp_stage) d;
