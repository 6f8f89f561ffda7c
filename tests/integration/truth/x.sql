-- x.sql - the X facts in the database against the simulator's truth (psql -v truth_file=PATH).
-- Prints one row per difference: "missing" (in the truth, not stored) or "unexpected".
\set ON_ERROR_STOP 1
CREATE TEMP TABLE truth AS SELECT pg_read_file(:'truth_file')::jsonb AS j;

-- account snapshots: the latest observation of each counter
CREATE TEMP VIEW exp_snap AS
SELECT u.key AS uid, m.key AS metric, m.value::bigint AS value
  FROM truth, jsonb_each(j -> 'x') u, jsonb_each_text(u.value -> 'snapshots') m;
CREATE TEMP VIEW act_snap AS
SELECT a.external_id AS uid, s.metric, s.value
  FROM (SELECT DISTINCT ON (account_id, metric) * FROM socialroi.metric_snapshot
         WHERE object_id = '' ORDER BY account_id, metric, observed_at DESC) s
  JOIN socialroi.account a USING (account_id) WHERE a.platform = 'x';

-- posts and the latest value of each post counter
CREATE TEMP VIEW exp_post AS
SELECT u.key AS uid, p.key AS post, (p.value ->> 'published_at')::timestamptz AS published_at
  FROM truth, jsonb_each(j -> 'x') u, jsonb_each(u.value -> 'content') p;
CREATE TEMP VIEW act_post AS
SELECT a.external_id, c.content_id, c.published_at
  FROM socialroi.content c JOIN socialroi.account a USING (account_id) WHERE a.platform = 'x';
CREATE TEMP VIEW exp_post_metric AS
SELECT u.key AS uid, p.key AS post, m.key AS metric, m.value::bigint AS value
  FROM truth, jsonb_each(j -> 'x') u, jsonb_each(u.value -> 'content') p,
       jsonb_each_text(p.value -> 'metrics') m;
CREATE TEMP VIEW act_post_metric AS
SELECT a.external_id, s.object_id, s.metric, s.value
  FROM (SELECT DISTINCT ON (account_id, object_id, metric) * FROM socialroi.metric_snapshot
         WHERE object_id <> '' ORDER BY account_id, object_id, metric, observed_at DESC) s
  JOIN socialroi.account a USING (account_id) WHERE a.platform = 'x';

SELECT 'missing snapshot' AS diff, * FROM (SELECT * FROM exp_snap EXCEPT SELECT * FROM act_snap) d
UNION ALL
SELECT 'unexpected snapshot', * FROM (SELECT * FROM act_snap EXCEPT SELECT * FROM exp_snap) d;
SELECT 'missing post' AS diff, * FROM (SELECT * FROM exp_post EXCEPT SELECT * FROM act_post) d
UNION ALL
SELECT 'unexpected post', * FROM (SELECT * FROM act_post EXCEPT SELECT * FROM exp_post) d;
SELECT 'missing post metric' AS diff, *
  FROM (SELECT * FROM exp_post_metric EXCEPT SELECT * FROM act_post_metric) d
UNION ALL
SELECT 'unexpected post metric', *
  FROM (SELECT * FROM act_post_metric EXCEPT SELECT * FROM exp_post_metric) d;

-- mentions: what recent search returns now, each with the query that found it, its tone and its
-- author's followers;
-- the stored sentiment maps to a tone with the thresholds of the views (> 0.25, < -0.25)
CREATE TEMP VIEW exp_mention AS
SELECT u.key AS uid, m.key AS mention_id, m.value ->> 'query' AS query,
       m.value ->> 'author_id' AS author_id, (m.value ->> 'posted_at')::timestamptz AS posted_at,
       m.value ->> 'tone' AS tone, (m.value ->> 'author_followers')::bigint AS author_followers
  FROM truth, jsonb_each(j -> 'x') u, jsonb_each(u.value -> 'mentions') m;
CREATE TEMP VIEW act_mention AS
SELECT a.external_id, m.mention_id, m.query, m.author_id, m.posted_at,
       CASE WHEN m.sentiment > 0.25 THEN 'positive' WHEN m.sentiment < -0.25 THEN 'negative'
            ELSE 'neutral' END, m.author_followers
  FROM socialroi.mention m JOIN socialroi.account a USING (account_id) WHERE a.platform = 'x';

SELECT 'missing mention' AS diff, *
  FROM (SELECT * FROM exp_mention EXCEPT SELECT * FROM act_mention) d
UNION ALL
SELECT 'unexpected mention', *
  FROM (SELECT * FROM act_mention EXCEPT SELECT * FROM exp_mention) d;
