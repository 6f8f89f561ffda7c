-- 031_listening.sql - social listening for readers: which search query is the brand's and which
-- a competitor's, share of voice, daily tone with the day's top terms, and the funnel's
-- advocacy stage counting every positive brand mention.
--
-- Brand and competitors. An X account's `queries` are the brand's own searches (a config
-- without `competitors` means exactly that: every query is the brand's, as before) and its
-- `competitors` the competitors' searches, NAME=QUERY each. The daemon writes the label of each
-- configured query to socialroi.listening_query when the config loads (sync_listening, beside
-- sync_account) rather than a column on every mention at ingest: a mention already carries
-- the query that found it, a label is one row per query instead of one per post, and the
-- views group by joining on (account_id, query). A query dropped from the config keeps its
-- last label (configured = false), so its mentions keep their subject; a query moved from
-- one side to the other relabels its past mentions, which is what a reader asks of the
-- current config. A mention whose query has no label (stored before the account had any)
-- is the brand's.
--
-- A post found by two queries is one mention (the key is (account_id, mention_id)) under the
-- query of the later page x.mentions read: it counts once, for that query's subject.
--
-- Tone classes: dashboard.mention_positive and dashboard.mention_negative hold the scorer's
-- thresholds (above 0.25 positive, below -0.25 negative, README "Mention sentiment") in one
-- place; they are plain SQL expressions, inlined, so mention_positive_posted_idx still serves
-- a filter on them.
--
-- Cost, measured on 210,000 mentions over two years of one account (three queries), as
-- socialroi_dashboard, medians of three on a shared two-core machine: share_of_voice counts
-- each UTC day once and sums weeks and months from the days (all grains 224 ms, one month's
-- grain 173 ms; grouping every mention three times took 1,429 and 931 ms); sentiment_daily
-- reads each group's day again through mention_account_posted_idx for its top terms (one day
-- 50 to 125 ms, one month 275 to 381 ms, all 730 days 5.5 to 9.7 s: filter on day); the
-- funnel's brand-wide row adds a count of the month's positive brand mentions (one month 80 to
-- 97 ms against 33 to 46 ms before, all months 0.8 to 1.5 s against 0.5 to 0.7 s).
--
-- Reach: x.mentions asks X for each author's public_metrics (expansions=author_id,
-- user.fields=public_metrics) and the mention keeps the follower count; share_of_voice's reach
-- sums it over the subject's mentions (an author counted once per mention, as impressions
-- would: potential reach, additive over days).

-- The author's followers of each mention, NULL for mentions stored before and for an author X
-- left out of includes. upsert_facts is 019's with that one column added to the mention
-- statement: a page without the count keeps the last one given.
ALTER TABLE socialroi.mention ADD COLUMN author_followers bigint
    CHECK (author_followers >= 0);
COMMENT ON COLUMN socialroi.mention.author_followers IS
    'The author''s followers when the mention was last read (X public_metrics.followers_count); '
    'NULL when X did not give them.';

CREATE OR REPLACE FUNCTION socialroi.upsert_facts(acc integer, p_rows jsonb) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    n integer := 0;
    c integer;
BEGIN
    -- Duplicate keys inside one page (a platform listing a post twice) keep the last one:
    -- ON CONFLICT cannot touch a row twice in one statement.
    IF p_rows ? 'metric' THEN
        INSERT INTO socialroi.metric_daily AS m (account_id, object_id, metric, day, day_basis, value)
        SELECT DISTINCT ON (r.object, r.metric, r.day) acc, r.object, r.metric, r.day, r.basis, r.value
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'metric')
                          AS (object text, metric text, day date, basis text, value bigint))
               WITH ORDINALITY AS r(object, metric, day, basis, value, ord)
         ORDER BY r.object, r.metric, r.day, r.ord DESC
        ON CONFLICT (account_id, object_id, metric, day) DO UPDATE
           SET value = EXCLUDED.value, day_basis = EXCLUDED.day_basis
         WHERE (m.value, m.day_basis) IS DISTINCT FROM (EXCLUDED.value, EXCLUDED.day_basis);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'snapshot' THEN
        n := n + socialroi.upsert_snapshots(acc, p_rows);
    END IF;
    IF p_rows ? 'content' THEN
        INSERT INTO socialroi.content AS t (account_id, content_id, kind, published_at, url, title,
                                            utm_campaign)
        SELECT DISTINCT ON (r.id) acc, r.id, r.kind, r.published_at, r.url, r.title, r.utm_campaign
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'content')
                          AS (id text, kind text, published_at timestamptz, url text, title text,
                              utm_campaign text))
               WITH ORDINALITY AS r(id, kind, published_at, url, title, utm_campaign, ord)
         ORDER BY r.id, r.ord DESC
        ON CONFLICT (account_id, content_id) DO UPDATE
           SET kind = EXCLUDED.kind, published_at = EXCLUDED.published_at, url = EXCLUDED.url,
               title = EXCLUDED.title, utm_campaign = EXCLUDED.utm_campaign
         WHERE (t.kind, t.published_at, t.url, t.title, t.utm_campaign) IS DISTINCT FROM
               (EXCLUDED.kind, EXCLUDED.published_at, EXCLUDED.url, EXCLUDED.title,
                EXCLUDED.utm_campaign);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'campaign' THEN
        INSERT INTO socialroi.ad_campaign AS t (account_id, campaign_id, name, status, objective)
        SELECT DISTINCT ON (r.id) acc, r.id, r.name, r.status, r.objective
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'campaign')
                          AS (id text, name text, status text, objective text))
               WITH ORDINALITY AS r(id, name, status, objective, ord)
         ORDER BY r.id, r.ord DESC
        ON CONFLICT (account_id, campaign_id) DO UPDATE
           SET name = COALESCE(EXCLUDED.name, t.name),
               status = COALESCE(EXCLUDED.status, t.status),
               objective = COALESCE(EXCLUDED.objective, t.objective)
         WHERE (t.name, t.status, t.objective) IS DISTINCT FROM
               (COALESCE(EXCLUDED.name, t.name), COALESCE(EXCLUDED.status, t.status),
                COALESCE(EXCLUDED.objective, t.objective));
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'ad_daily' THEN
        INSERT INTO socialroi.ad_daily AS d (account_id, campaign_id, day, day_basis, currency,
                                             spend_micros, impressions, clicks, leads, conversions,
                                             conversion_value_micros)
        SELECT DISTINCT ON (r.campaign, r.day) acc, r.campaign, r.day, r.basis, r.currency,
               r.spend_micros, r.impressions, r.clicks, r.leads, r.conversions,
               r.conversion_value_micros
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'ad_daily')
                          AS (campaign text, day date, basis text, currency text,
                              spend_micros bigint, impressions bigint, clicks bigint, leads bigint,
                              conversions bigint, conversion_value_micros bigint))
               WITH ORDINALITY AS r(campaign, day, basis, currency, spend_micros, impressions, clicks,
                                    leads, conversions, conversion_value_micros, ord)
         ORDER BY r.campaign, r.day, r.ord DESC
        ON CONFLICT (account_id, campaign_id, day) DO UPDATE
           SET day_basis = EXCLUDED.day_basis, currency = EXCLUDED.currency,
               spend_micros = EXCLUDED.spend_micros, impressions = EXCLUDED.impressions,
               clicks = EXCLUDED.clicks, leads = EXCLUDED.leads, conversions = EXCLUDED.conversions,
               conversion_value_micros = EXCLUDED.conversion_value_micros
         WHERE (d.day_basis, d.currency, d.spend_micros, d.impressions, d.clicks, d.leads,
                d.conversions, d.conversion_value_micros) IS DISTINCT FROM
               (EXCLUDED.day_basis, EXCLUDED.currency, EXCLUDED.spend_micros, EXCLUDED.impressions,
                EXCLUDED.clicks, EXCLUDED.leads, EXCLUDED.conversions,
                EXCLUDED.conversion_value_micros);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'lead' THEN
        INSERT INTO socialroi.lead AS l (account_id, lead_id, source, created_at, email_hash, form_id,
                                         campaign_id, ad_id, lifecycle_stage, is_test)
        SELECT DISTINCT ON (r.id) acc, r.id, r.source, r.created_at, r.email_hash, r.form, r.campaign,
               r.ad, r.lifecycle_stage, r.is_test
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'lead')
                          AS (id text, source text, created_at timestamptz, email_hash text,
                              form text, campaign text, ad text, lifecycle_stage text,
                              is_test boolean))
               WITH ORDINALITY AS r(id, source, created_at, email_hash, form, campaign, ad,
                                    lifecycle_stage, is_test, ord)
         ORDER BY r.id, r.ord DESC
        ON CONFLICT (account_id, lead_id) DO UPDATE
           SET source = EXCLUDED.source, created_at = EXCLUDED.created_at,
               email_hash = EXCLUDED.email_hash, form_id = EXCLUDED.form_id,
               campaign_id = EXCLUDED.campaign_id, ad_id = EXCLUDED.ad_id,
               lifecycle_stage = EXCLUDED.lifecycle_stage, is_test = EXCLUDED.is_test
         WHERE (l.source, l.created_at, l.email_hash, l.form_id, l.campaign_id, l.ad_id,
                l.lifecycle_stage, l.is_test) IS DISTINCT FROM
               (EXCLUDED.source, EXCLUDED.created_at, EXCLUDED.email_hash, EXCLUDED.form_id,
                EXCLUDED.campaign_id, EXCLUDED.ad_id, EXCLUDED.lifecycle_stage, EXCLUDED.is_test);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'touchpoint' THEN
        INSERT INTO socialroi.touchpoint AS t (account_id, touch_id, lead_id, kind, occurred_at,
                                               platform, campaign_id, utm_source, utm_medium,
                                               utm_campaign, utm_content)
        SELECT DISTINCT ON (r.id) acc, r.id, r.lead, r.kind, r.occurred_at, r.platform, r.campaign,
               r.utm_source, r.utm_medium, r.utm_campaign, r.utm_content
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'touchpoint')
                          AS (id text, lead text, kind text, occurred_at timestamptz, platform text,
                              campaign text, utm_source text, utm_medium text, utm_campaign text,
                              utm_content text))
               WITH ORDINALITY AS r(id, lead, kind, occurred_at, platform, campaign, utm_source,
                                    utm_medium, utm_campaign, utm_content, ord)
         ORDER BY r.id, r.ord DESC
        ON CONFLICT (account_id, touch_id) DO UPDATE
           SET lead_id = EXCLUDED.lead_id, kind = EXCLUDED.kind, occurred_at = EXCLUDED.occurred_at,
               platform = EXCLUDED.platform, campaign_id = EXCLUDED.campaign_id,
               utm_source = EXCLUDED.utm_source, utm_medium = EXCLUDED.utm_medium,
               utm_campaign = EXCLUDED.utm_campaign, utm_content = EXCLUDED.utm_content
         WHERE (t.lead_id, t.kind, t.occurred_at, t.platform, t.campaign_id, t.utm_source,
                t.utm_medium, t.utm_campaign, t.utm_content) IS DISTINCT FROM
               (EXCLUDED.lead_id, EXCLUDED.kind, EXCLUDED.occurred_at, EXCLUDED.platform,
                EXCLUDED.campaign_id, EXCLUDED.utm_source, EXCLUDED.utm_medium,
                EXCLUDED.utm_campaign, EXCLUDED.utm_content);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'deal' THEN
        INSERT INTO socialroi.deal AS d (account_id, deal_id, amount_micros, currency, stage, pipeline,
                                         is_won, is_closed, created_at, closed_at)
        SELECT DISTINCT ON (r.id) acc, r.id, r.amount_micros, r.currency, r.stage, r.pipeline,
               r.is_won, r.is_closed, r.created_at, r.closed_at
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'deal')
                          AS (id text, amount_micros bigint, currency text, stage text,
                              pipeline text, is_won boolean, is_closed boolean,
                              created_at timestamptz, closed_at timestamptz))
               WITH ORDINALITY AS r(id, amount_micros, currency, stage, pipeline, is_won, is_closed,
                                    created_at, closed_at, ord)
         ORDER BY r.id, r.ord DESC
        ON CONFLICT (account_id, deal_id) DO UPDATE
           SET amount_micros = EXCLUDED.amount_micros, currency = EXCLUDED.currency,
               stage = EXCLUDED.stage, pipeline = EXCLUDED.pipeline, is_won = EXCLUDED.is_won,
               is_closed = EXCLUDED.is_closed, created_at = EXCLUDED.created_at,
               closed_at = EXCLUDED.closed_at
         WHERE (d.amount_micros, d.currency, d.stage, d.pipeline, d.is_won, d.is_closed,
                d.created_at, d.closed_at) IS DISTINCT FROM
               (EXCLUDED.amount_micros, EXCLUDED.currency, EXCLUDED.stage, EXCLUDED.pipeline,
                EXCLUDED.is_won, EXCLUDED.is_closed, EXCLUDED.created_at, EXCLUDED.closed_at);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
        INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
        SELECT DISTINCT acc, d ->> 'id', x
          FROM pg_catalog.jsonb_array_elements(COALESCE(p_rows -> 'deal', '[]')) AS d,
               pg_catalog.jsonb_array_elements_text(COALESCE(d -> 'contacts', '[]')) AS x
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'mention' THEN
        -- the author's followers when read (031): a later read without them keeps the last
        INSERT INTO socialroi.mention AS m (account_id, mention_id, query, author_id, body,
                                            posted_at, sentiment, author_followers)
        SELECT DISTINCT ON (r.id) acc, r.id, r.query, r.author, r.text, r.posted_at, r.sentiment,
               r.followers
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'mention')
                          AS (id text, query text, author text, text text, posted_at timestamptz,
                              sentiment numeric, followers bigint))
               WITH ORDINALITY AS r(id, query, author, text, posted_at, sentiment, followers, ord)
         ORDER BY r.id, r.ord DESC
        ON CONFLICT (account_id, mention_id) DO UPDATE
           SET query = EXCLUDED.query, author_id = EXCLUDED.author_id, body = EXCLUDED.body,
               posted_at = EXCLUDED.posted_at, sentiment = EXCLUDED.sentiment,
               author_followers = COALESCE(EXCLUDED.author_followers, m.author_followers)
         WHERE (m.query, m.author_id, m.body, m.posted_at, m.sentiment, m.author_followers)
               IS DISTINCT FROM
               (EXCLUDED.query, EXCLUDED.author_id, EXCLUDED.body, EXCLUDED.posted_at,
                EXCLUDED.sentiment, COALESCE(EXCLUDED.author_followers, m.author_followers));
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'stage' THEN
        INSERT INTO socialroi.deal_stage AS t (account_id, pipeline, stage, label, is_won, is_closed)
        SELECT DISTINCT ON (r.pipeline, r.stage) acc, r.pipeline, r.stage, r.label, r.is_won,
               r.is_closed
          FROM ROWS FROM (pg_catalog.jsonb_to_recordset(p_rows -> 'stage')
                          AS (pipeline text, stage text, label text, is_won boolean,
                              is_closed boolean))
               WITH ORDINALITY AS r(pipeline, stage, label, is_won, is_closed, ord)
         ORDER BY r.pipeline, r.stage, r.ord DESC
        ON CONFLICT (account_id, pipeline, stage) DO UPDATE
           SET label = EXCLUDED.label, is_won = EXCLUDED.is_won, is_closed = EXCLUDED.is_closed
         WHERE (t.label, t.is_won, t.is_closed) IS DISTINCT FROM
               (EXCLUDED.label, EXCLUDED.is_won, EXCLUDED.is_closed);
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
        IF c > 0 THEN
            n := n + socialroi.apply_deal_stages(acc, NULL);
        END IF;
    END IF;
    IF p_rows ? 'deal_contact' THEN
        INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id)
        SELECT DISTINCT acc, r.deal, r.contact
          FROM pg_catalog.jsonb_to_recordset(p_rows -> 'deal_contact') AS r(deal text, contact text)
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS c = ROW_COUNT;
        n := n + c;
    END IF;
    IF p_rows ? 'deal' THEN
        n := n + socialroi.apply_deal_stages(acc, ARRAY(
                 SELECT d ->> 'id' FROM pg_catalog.jsonb_array_elements(p_rows -> 'deal') d));
    END IF;
    RETURN n;
END
$$;


CREATE TABLE socialroi.listening_query (
    account_id  integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    query       text NOT NULL,
    side        text NOT NULL CHECK (side IN ('brand', 'competitor')),
    competitor  text CHECK ((side = 'competitor') = (competitor IS NOT NULL)),
    configured  boolean NOT NULL DEFAULT true,
    updated_at  timestamptz NOT NULL DEFAULT pg_catalog.now(),
    PRIMARY KEY (account_id, query)
);

COMMENT ON TABLE socialroi.listening_query IS
    'The side of each search query of an X account''s x.mentions: brand (its `queries`) or '
    'competitor (its `competitors`, with the competitor''s name); written by the daemon when '
    'the config loads; configured = false for a query no longer in the config (its last label '
    'kept for its mentions).';

GRANT SELECT, INSERT, UPDATE ON socialroi.listening_query TO socialroi_daemon;

-- The daily views read an account's mentions of a day: without this index each group of
-- dashboard.sentiment_daily read the whole table for its top terms. Inserting 210,000
-- mentions took 1.50 to 2.23 s with it and 1.41 to 2.12 s without (three runs each on a shared
-- machine): no difference beyond the noise.
CREATE INDEX mention_account_posted_idx ON socialroi.mention (account_id, posted_at);

-- Labels the account's configured queries: p_brand its `queries`, p_competitors its
-- `competitors` as NAME=QUERY (split at the first '='); every other query of the account
-- stays with its last label, marked no longer configured. Idempotent; rows change only when
-- their label does.
CREATE FUNCTION socialroi.sync_listening(p_account text, p_brand text[], p_competitors text[])
RETURNS void LANGUAGE sql SET search_path = '' AS $$
    WITH acc AS (
        SELECT account_id FROM socialroi.account WHERE name = p_account),
    want AS (
        SELECT DISTINCT ON (query) query, side, competitor
          FROM (SELECT q AS query, 'brand' AS side, NULL::text AS competitor, 0 AS o
                  FROM pg_catalog.unnest(p_brand) q
                UNION ALL
                SELECT pg_catalog.substr(c, pg_catalog.strpos(c, '=') + 1), 'competitor',
                       pg_catalog.left(c, pg_catalog.strpos(c, '=') - 1), 1
                  FROM pg_catalog.unnest(p_competitors) c
                 WHERE pg_catalog.strpos(c, '=') > 1) w
         ORDER BY query, o),
    ins AS (
        INSERT INTO socialroi.listening_query AS l (account_id, query, side, competitor)
        SELECT acc.account_id, want.query, want.side, want.competitor FROM acc, want
        ON CONFLICT (account_id, query) DO UPDATE
           SET side = EXCLUDED.side, competitor = EXCLUDED.competitor, configured = true,
               updated_at = pg_catalog.now()
         WHERE (l.side, l.competitor, l.configured)
               IS DISTINCT FROM (EXCLUDED.side, EXCLUDED.competitor, true))
    UPDATE socialroi.listening_query l
       SET configured = false, updated_at = pg_catalog.now()
      FROM acc
     WHERE l.account_id = acc.account_id AND l.configured
       AND l.query NOT IN (SELECT query FROM want)
$$;
REVOKE ALL ON FUNCTION socialroi.sync_listening(text, text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.sync_listening(text, text[], text[]) TO socialroi_daemon;

-- The scorer's classes (README "Mention sentiment"); plain expressions so the planner inlines
-- them (no SET clause).
CREATE FUNCTION dashboard.mention_positive(sentiment numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE AS 'SELECT $1 > 0.25';
CREATE FUNCTION dashboard.mention_negative(sentiment numeric) RETURNS boolean
LANGUAGE sql IMMUTABLE AS 'SELECT $1 < -0.25';
COMMENT ON FUNCTION dashboard.mention_positive(numeric) IS
    'Whether a mention''s sentiment (-1..1) counts as positive: above 0.25.';
COMMENT ON FUNCTION dashboard.mention_negative(numeric) IS
    'Whether a mention''s sentiment (-1..1) counts as negative: below -0.25.';
REVOKE ALL ON FUNCTION dashboard.mention_positive(numeric), dashboard.mention_negative(numeric)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dashboard.mention_positive(numeric),
    dashboard.mention_negative(numeric) TO socialroi_dashboard, socialroi_finance,
    socialroi_daemon;

-- Per period (UTC day, ISO week from Monday, calendar month), X account and subject (the
-- brand, each competitor): mentions, their share of the account's mentions of the period,
-- positive and negative mentions and their shares of the subject's, and the authors'
-- followers. The shares of a period are rounded so they sum to exactly 1: each is round6 of the
-- cumulative share up to it (brand first, then competitors by name) less round6 of the
-- cumulative share before it, so every share is within 0.000001 of the exact one and the sum
-- telescopes to round6(1) = 1.
CREATE VIEW dashboard.share_of_voice AS
WITH per_day AS (
    SELECT (pg_catalog.date_trunc('day', m.posted_at AT TIME ZONE 'UTC'))::date AS day,
           m.account_id, COALESCE(q.side, 'brand') AS side, q.competitor,
           count(*) AS mentions,
           count(*) FILTER (WHERE dashboard.mention_positive(m.sentiment)) AS positive,
           count(*) FILTER (WHERE dashboard.mention_negative(m.sentiment)) AS negative,
           sum(m.author_followers) AS reach
      FROM socialroi.mention m
      LEFT JOIN socialroi.listening_query q
        ON q.account_id = m.account_id AND q.query = m.query
     WHERE pg_catalog.isfinite(m.posted_at)
     GROUP BY 1, 2, 3, 4),
per AS (
    SELECT g.grain, g.period, d.account_id, d.side, d.competitor,
           sum(d.mentions)::bigint AS mentions, sum(d.positive)::bigint AS positive,
           sum(d.negative)::bigint AS negative, sum(d.reach)::bigint AS reach
      FROM per_day d
     CROSS JOIN LATERAL (
        VALUES ('day', d.day), ('week', (pg_catalog.date_trunc('week', d.day))::date),
               ('month', (pg_catalog.date_trunc('month', d.day))::date)) g(grain, period)
     GROUP BY 1, 2, 3, 4, 5),
cum AS (
    SELECT per.*,
           sum(mentions) OVER (PARTITION BY grain, period, account_id
                               ORDER BY side, competitor NULLS FIRST
                               ROWS UNBOUNDED PRECEDING) AS upto,
           sum(mentions) OVER (PARTITION BY grain, period, account_id) AS total
      FROM per)
SELECT c.grain, c.period, a.name AS account, c.side,
       COALESCE(c.competitor, a.name) AS subject, c.mentions,
       dashboard.round6(c.upto::numeric / c.total)
           - dashboard.round6((c.upto - c.mentions)::numeric / c.total) AS share,
       c.positive, c.negative,
       dashboard.round6(c.positive::numeric / c.mentions) AS positive_share,
       dashboard.round6(c.negative::numeric / c.mentions) AS negative_share,
       c.reach
  FROM cum c
  JOIN socialroi.account a ON a.account_id = c.account_id;

COMMENT ON VIEW dashboard.share_of_voice IS
    'Share of voice on X: per period (grain day, week or month, UTC), account and subject (the '
    'brand and each configured competitor), mentions and their share of the period''s, with '
    'positive and negative counts.';
COMMENT ON COLUMN dashboard.share_of_voice.grain IS
    'day, week (ISO, from Monday) or month: filter on one grain (rows of each grain repeat the '
    'same mentions).';
COMMENT ON COLUMN dashboard.share_of_voice.period IS
    'First day of the period: the UTC day, the Monday of the ISO week, the first of the month.';
COMMENT ON COLUMN dashboard.share_of_voice.account IS
    'The X account (config name) whose searches found the mentions.';
COMMENT ON COLUMN dashboard.share_of_voice.side IS
    'brand (the account''s queries) or competitor (its competitors'' queries).';
COMMENT ON COLUMN dashboard.share_of_voice.subject IS
    'The competitor''s name, or the account''s name for the brand.';
COMMENT ON COLUMN dashboard.share_of_voice.mentions IS
    'Mentions of the subject posted in the period (a post found by two queries counts once, '
    'under the query that found it last).';
COMMENT ON COLUMN dashboard.share_of_voice.share IS
    'mentions / all the account''s mentions of the period (brand and competitors), six '
    'decimals, rounded so the subjects of a period sum to exactly 1.';
COMMENT ON COLUMN dashboard.share_of_voice.positive IS
    'Mentions with sentiment above 0.25 (dashboard.mention_positive).';
COMMENT ON COLUMN dashboard.share_of_voice.negative IS
    'Mentions with sentiment below -0.25 (dashboard.mention_negative).';
COMMENT ON COLUMN dashboard.share_of_voice.positive_share IS
    'positive / mentions, six decimals (half to even).';
COMMENT ON COLUMN dashboard.share_of_voice.negative_share IS
    'negative / mentions, six decimals (half to even).';
COMMENT ON COLUMN dashboard.share_of_voice.reach IS
    'Potential reach: the authors'' followers summed over the mentions (an author once per '
    'mention), as X gave them when each was read; NULL when none of them came with a count.';

GRANT SELECT ON dashboard.share_of_voice TO socialroi_dashboard, socialroi_finance;

-- Per UTC day, X account and subject: volume, mean tone, the three tone classes and the five
-- most frequent words of the day's mentions. A word is a run of letters and digits of three
-- or more of them, lower case, from the text without links and @handles; stop words and the
-- words of the mention's own query (its operators too: lang, is) do not count. Ties go to
-- the word first in alphabetical order.
CREATE VIEW dashboard.sentiment_daily AS
SELECT d.day, a.name AS account, d.side, COALESCE(d.competitor, a.name) AS subject,
       d.mentions, d.mean_sentiment, d.positive, d.neutral, d.negative,
       COALESCE(t.terms, '{}') AS top_terms
  FROM (
    SELECT (pg_catalog.date_trunc('day', m.posted_at AT TIME ZONE 'UTC'))::date AS day,
           m.account_id, COALESCE(q.side, 'brand') AS side, q.competitor,
           count(*) AS mentions, pg_catalog.round(avg(m.sentiment), 3) AS mean_sentiment,
           count(*) FILTER (WHERE dashboard.mention_positive(m.sentiment)) AS positive,
           count(*) FILTER (WHERE NOT dashboard.mention_positive(m.sentiment)
                              AND NOT dashboard.mention_negative(m.sentiment)) AS neutral,
           count(*) FILTER (WHERE dashboard.mention_negative(m.sentiment)) AS negative
      FROM socialroi.mention m
      LEFT JOIN socialroi.listening_query q
        ON q.account_id = m.account_id AND q.query = m.query
     WHERE pg_catalog.isfinite(m.posted_at)
     GROUP BY 1, 2, 3, 4) d
  JOIN socialroi.account a ON a.account_id = d.account_id
 CROSS JOIN LATERAL (
    SELECT pg_catalog.array_agg(w.word ORDER BY w.n DESC, w.word) AS terms
      FROM (SELECT x.word, count(*) AS n
              FROM socialroi.mention m
              LEFT JOIN socialroi.listening_query q
                ON q.account_id = m.account_id AND q.query = m.query
             CROSS JOIN LATERAL pg_catalog.regexp_split_to_table(
                    pg_catalog.lower(pg_catalog.regexp_replace(m.body,
                                                               '(https?://\S+|@\w+)', ' ', 'g')),
                    '[^[:alnum:]]+') AS x(word)
             WHERE m.account_id = d.account_id
               AND m.posted_at >= d.day::timestamp AT TIME ZONE 'UTC'
               AND m.posted_at < (d.day + 1)::timestamp AT TIME ZONE 'UTC'
               AND COALESCE(q.side, 'brand') = d.side
               AND q.competitor IS NOT DISTINCT FROM d.competitor
               AND pg_catalog.length(x.word) >= 3
               AND x.word <> ALL ('{the,and,for,are,but,not,you,your,all,any,can,has,had,have,
was,were,this,that,these,those,with,from,they,them,their,there,then,than,what,when,where,which,
who,why,how,will,would,just,get,got,our,out,its,it''s,about,into,over,after,before,more,most,
some,such,only,own,same,very,too,also,been,being,did,does,doing,again,once,here,each,few,both,
other,off,one,him,her,his,she,because,while,until,amp}'::text[])
               AND x.word <> ALL (pg_catalog.regexp_split_to_array(pg_catalog.lower(m.query),
                                                                   '[^[:alnum:]]+'))
             GROUP BY x.word
             ORDER BY n DESC, x.word
             LIMIT 5) w) t;

COMMENT ON VIEW dashboard.sentiment_daily IS
    'Tone of X mentions per UTC day, account and subject (the brand and each configured '
    'competitor): volume, mean sentiment, positive / neutral / negative counts, top terms.';
COMMENT ON COLUMN dashboard.sentiment_daily.day IS 'The UTC day the mentions were posted.';
COMMENT ON COLUMN dashboard.sentiment_daily.account IS
    'The X account (config name) whose searches found the mentions.';
COMMENT ON COLUMN dashboard.sentiment_daily.side IS
    'brand (the account''s queries) or competitor (its competitors'' queries).';
COMMENT ON COLUMN dashboard.sentiment_daily.subject IS
    'The competitor''s name, or the account''s name for the brand.';
COMMENT ON COLUMN dashboard.sentiment_daily.mentions IS 'Mentions of the subject that day.';
COMMENT ON COLUMN dashboard.sentiment_daily.mean_sentiment IS
    'Mean sentiment (-1..1) of those mentions, three decimals (half away from zero).';
COMMENT ON COLUMN dashboard.sentiment_daily.positive IS 'Mentions with sentiment above 0.25.';
COMMENT ON COLUMN dashboard.sentiment_daily.neutral IS
    'Mentions with sentiment from -0.25 to 0.25.';
COMMENT ON COLUMN dashboard.sentiment_daily.negative IS 'Mentions with sentiment below -0.25.';
COMMENT ON COLUMN dashboard.sentiment_daily.top_terms IS
    'The five most frequent words of the day''s mentions, most frequent first (ties '
    'alphabetical): three or more letters or digits, lower case, without links, @handles, '
    'common English stop words and the words of the query that found the mention.';

GRANT SELECT ON dashboard.sentiment_daily TO socialroi_dashboard, socialroi_finance;

-- dashboard.funnel as 028 defined it, with the advocacy stage over brand mentions only (a
-- competitor's query never counts) and a brand-wide row per month (campaign NULL, title
-- 'brand-wide (no campaign)') holding the positive brand mentions that name no campaign's
-- utm_campaign value and the employees' posts that carry or name none, with every other stage
-- 0. A campaign-less mention is not spread over the campaigns running that month: it is
-- nobody's work in particular, and a share of it per campaign would be a guess. Summed over
-- all rows of a month, advocacy_positive_mentions counts every positive brand mention and
-- every employee post once, when each names at most one campaign.
CREATE OR REPLACE VIEW dashboard.funnel AS
SELECT campaign, title, month, impressions AS interest_impressions, reach AS interest_reach,
       engagements AS consideration_engagements, clicks AS consideration_clicks,
       dashboard.round6(leads) AS trial_leads, won_deals AS loyalty_won_deals,
       dashboard.round6(customers) AS loyalty_customers,
       shares AS advocacy_shares, positive_mentions AS advocacy_positive_mentions,
       dashboard.round6((engagements + clicks)::numeric / NULLIF(impressions, 0))
           AS interest_to_consideration,
       dashboard.round6(leads / NULLIF(engagements + clicks, 0)) AS consideration_to_trial,
       dashboard.round6(customers / NULLIF(leads, 0)) AS trial_to_loyalty,
       dashboard.round6((shares + positive_mentions) / NULLIF(customers, 0))
           AS loyalty_to_advocacy
  FROM (
    SELECT c.name AS campaign, c.title, k.month,
           (COALESCE(ads.impressions, 0) + COALESCE(ct.impressions, 0))::bigint AS impressions,
           COALESCE(ct.reach, 0)::bigint AS reach,
           (COALESCE(ct.engagements, 0) + COALESCE(ae.engagements, 0))::bigint AS engagements,
           COALESCE(ads.clicks, 0)::bigint AS clicks, COALESCE(cr.leads, 0) AS leads,
           COALESCE(cr.won_deals, 0) AS won_deals, COALESCE(cr.customers, 0) AS customers,
           (COALESCE(ct.shares, 0) + COALESCE(ae.shares, 0))::bigint AS shares,
           COALESCE(mn.positive, 0) + ep.n AS positive_mentions
      FROM socialroi.campaign c
      -- its content: what its content links name and what carries one of its utm_campaign
      -- values, read once per campaign
     CROSS JOIN LATERAL (
        SELECT pg_catalog.array_agg(o.account_id) AS accounts,
               pg_catalog.array_agg(o.content_id) AS ids,
               pg_catalog.array_agg(o.published_at) AS published,
               (min(o.published_at) FILTER (WHERE pg_catalog.isfinite(o.published_at))
                   AT TIME ZONE 'UTC')::date AS lo,
               (max(o.published_at) FILTER (WHERE pg_catalog.isfinite(o.published_at))
                   AT TIME ZONE 'UTC')::date AS hi
          FROM (SELECT t.account_id, t.content_id, t.published_at
                  FROM socialroi.campaign_link l
                  JOIN socialroi.account a ON a.platform = l.platform
                  JOIN socialroi.content t
                    ON t.account_id = a.account_id AND t.content_id = l.value
                 WHERE l.campaign_id = c.campaign_id AND l.kind = 'content'
                   AND t.published_at IS NOT NULL
                UNION
                SELECT t.account_id, t.content_id, t.published_at
                  FROM socialroi.campaign_link l
                  JOIN socialroi.content t ON t.utm_campaign = l.value
                 WHERE l.campaign_id = c.campaign_id AND l.kind = 'utm_campaign'
                   AND t.published_at IS NOT NULL) o) own
      -- its employees' posts: the posts of LinkedIn member accounts (the accounts polled by
      -- linkedin.member_posts) that carry one of its utm_campaign values in a link or name one
      -- in their text (case and punctuation ignored, as a mention does), read once per campaign
     CROSS JOIN LATERAL (
        SELECT pg_catalog.array_agg(t.published_at) AS published,
               (min(t.published_at) FILTER (WHERE pg_catalog.isfinite(t.published_at))
                   AT TIME ZONE 'UTC')::date AS lo,
               (max(t.published_at) FILTER (WHERE pg_catalog.isfinite(t.published_at))
                   AT TIME ZONE 'UTC')::date AS hi
          FROM socialroi.poll_job j
          JOIN socialroi.content t ON t.account_id = j.account_id
         WHERE j.stream = 'linkedin.member_posts' AND t.published_at IS NOT NULL
           AND EXISTS (
                SELECT FROM socialroi.campaign_link l
                 WHERE l.campaign_id = c.campaign_id AND l.kind = 'utm_campaign'
                   AND (t.utm_campaign = l.value
                        OR (pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+',
                                                      '', 'g') <> ''
                            AND pg_catalog.strpos(
                                    pg_catalog.regexp_replace(pg_catalog.lower(t.title),
                                                              '[^[:alnum:]]+', '', 'g'),
                                    pg_catalog.regexp_replace(pg_catalog.lower(l.value),
                                                              '[^[:alnum:]]+', '', 'g')) > 0)))) emp
      -- The months the campaign can have a row in: from the first to the last day of its
      -- platform spend and of its linear credit (their indexes lead with the campaign and the
      -- day), of its content, of each daily metric of its linked ad campaigns, and of the
      -- positive mentions when it has a utm_campaign value for them to name. An array, so
      -- the planner counts a few months a campaign rather than the thousand rows it assumes
      -- of a set-returning function (estimated a thousand, the whole view cost enough to be
      -- compiled: 3 s of JIT for a query of 1 s). Only finite days bound it: no platform
      -- gives an infinite one, and a row with one must not make the months endless.
     CROSS JOIN LATERAL (
        SELECT ARRAY(SELECT pg_catalog.generate_series(
                                pg_catalog.date_trunc('month', min(d.lo)::timestamp),
                                max(d.hi)::timestamp, interval '1 month')) AS months
          FROM (SELECT min(r.day) AS lo, max(r.day) AS hi FROM socialroi.rollup_spend r
                 WHERE r.campaign_id = c.campaign_id AND r.source = 'platform'
                   AND pg_catalog.isfinite(r.day)
                UNION ALL
                SELECT min(x.day), max(x.day) FROM socialroi.attribution x
                 WHERE x.campaign_id = c.campaign_id AND x.model = 'linear'
                   AND pg_catalog.isfinite(x.day)
                UNION ALL
                SELECT own.lo, own.hi
                UNION ALL
                SELECT emp.lo, emp.hi
                UNION ALL
                -- the metrics an ad campaign has, one index probe each, then each metric's
                -- first and last day, two more
                SELECT (SELECT min(md.day) FROM socialroi.metric_daily md
                         WHERE md.account_id = a.account_id AND md.object_id = l.value
                           AND md.metric = m.metric AND pg_catalog.isfinite(md.day)),
                       (SELECT max(md.day) FROM socialroi.metric_daily md
                         WHERE md.account_id = a.account_id AND md.object_id = l.value
                           AND md.metric = m.metric AND pg_catalog.isfinite(md.day))
                  FROM socialroi.campaign_link l
                  JOIN socialroi.account a ON a.platform = l.platform
                 CROSS JOIN LATERAL (
                    WITH RECURSIVE metrics(metric) AS (
                        SELECT min(md.metric) FROM socialroi.metric_daily md
                         WHERE md.account_id = a.account_id AND md.object_id = l.value
                        UNION ALL
                        SELECT (SELECT min(md.metric) FROM socialroi.metric_daily md
                                 WHERE md.account_id = a.account_id AND md.object_id = l.value
                                   AND md.metric > metrics.metric)
                          FROM metrics WHERE metrics.metric IS NOT NULL)
                    SELECT metrics.metric FROM metrics WHERE metrics.metric IS NOT NULL) m
                 WHERE l.campaign_id = c.campaign_id AND l.kind = 'ad_campaign'
                UNION ALL
                SELECT ((SELECT min(m.posted_at) FROM socialroi.mention m
                          WHERE dashboard.mention_positive(m.sentiment) AND pg_catalog.isfinite(m.posted_at))
                            AT TIME ZONE 'UTC')::date,
                       ((SELECT max(m.posted_at) FROM socialroi.mention m
                          WHERE dashboard.mention_positive(m.sentiment) AND pg_catalog.isfinite(m.posted_at))
                            AT TIME ZONE 'UTC')::date
                 WHERE EXISTS (
                    SELECT FROM socialroi.campaign_link l
                     WHERE l.campaign_id = c.campaign_id AND l.kind = 'utm_campaign'
                       AND pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+',
                                                     '', 'g') <> '')) d) b
      -- its months, as dates and as the UTC instants they start and end at
     CROSS JOIN LATERAL (
        SELECT g::date AS month, (g + interval '1 month')::date AS next,
               g AT TIME ZONE 'UTC' AS t0, (g + interval '1 month') AT TIME ZONE 'UTC' AS t1
          FROM pg_catalog.unnest(b.months) g) k
      -- its ad campaigns' delivery (the spend rollup of their platform rows)
     CROSS JOIN LATERAL (
        SELECT count(*) AS n, sum(r.impressions) AS impressions, sum(r.clicks) AS clicks
          FROM socialroi.rollup_spend r
         WHERE r.campaign_id = c.campaign_id AND r.source = 'platform'
           AND r.day >= k.month AND r.day < k.next) ads
      -- its ad campaigns' interactions
     CROSS JOIN LATERAL (
        SELECT sum(md.value) AS engagements,
               sum(md.value) FILTER (WHERE md.metric = 'shares') AS shares
          FROM socialroi.campaign_link l
          JOIN socialroi.account a ON a.platform = l.platform
          JOIN socialroi.metric_daily md
            ON md.account_id = a.account_id AND md.object_id = l.value
         WHERE l.campaign_id = c.campaign_id AND l.kind = 'ad_campaign'
           AND md.metric IN ('likes', 'comments', 'shares')
           AND md.day >= k.month AND md.day < k.next) ae
      -- its content published in the month, each with its latest value of each counter
     CROSS JOIN LATERAL (
        SELECT count(*) AS n,
               sum(x.value) FILTER (WHERE x.metric = 'impressions') AS impressions,
               sum(x.value) FILTER (WHERE x.metric = 'reach') AS reach,
               sum(x.value) FILTER (WHERE x.metric IN ('likes', 'comments', 'shares', 'quotes',
                                                       'saves', 'bookmarks')) AS engagements,
               sum(x.value) FILTER (WHERE x.metric = 'shares') AS shares
          FROM ROWS FROM (pg_catalog.unnest(own.accounts), pg_catalog.unnest(own.ids),
                          pg_catalog.unnest(own.published)) AS o(account_id, content_id, published_at)
         CROSS JOIN LATERAL (
            SELECT DISTINCT ON (s.metric) s.metric, s.value FROM socialroi.metric_snapshot s
             WHERE s.account_id = o.account_id AND s.object_id = o.content_id
             ORDER BY s.metric, s.observed_at DESC) x
         WHERE o.published_at >= k.t0 AND o.published_at < k.t1) ct
      -- the linear credit of its touches: leads, and won deals with their customers
     CROSS JOIN LATERAL (
        SELECT count(*) AS n, sum(x.weight) FILTER (WHERE x.kind = 'lead') AS leads,
               count(DISTINCT x.conversion) FILTER (WHERE x.kind = 'deal' AND x.won)
                   AS won_deals,
               sum(x.weight) FILTER (WHERE x.kind = 'deal' AND x.won) AS customers
          FROM socialroi.attribution x
         WHERE x.campaign_id = c.campaign_id AND x.model = 'linear'
           AND x.day >= k.month AND x.day < k.next) cr
      -- positive brand mentions (not a competitor's) that name one of its utm_campaign values
     CROSS JOIN LATERAL (
        SELECT count(DISTINCT (m.account_id, m.mention_id)) AS positive
          FROM socialroi.campaign_link l
          JOIN socialroi.mention m
            ON dashboard.mention_positive(m.sentiment) AND m.posted_at >= k.t0 AND m.posted_at < k.t1
           AND pg_catalog.strpos(
                   pg_catalog.regexp_replace(pg_catalog.lower(m.body), '[^[:alnum:]]+', '', 'g'),
                   pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+', '',
                                             'g')) > 0
         WHERE l.campaign_id = c.campaign_id AND l.kind = 'utm_campaign'
           AND pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+', '', 'g')
               <> ''
           AND NOT EXISTS (SELECT FROM socialroi.listening_query q
                            WHERE q.account_id = m.account_id AND q.query = m.query
                              AND q.side = 'competitor')) mn
      -- its employees' posts published in the month
     CROSS JOIN LATERAL (
        SELECT count(*) AS n FROM pg_catalog.unnest(emp.published) p
         WHERE p >= k.t0 AND p < k.t1) ep
     -- a month is a row when a stage has a row in it: the counts above, or any daily metric
     -- of its ad campaigns (not only the interactions counted)
     WHERE ads.n > 0 OR cr.n > 0 OR ct.n > 0 OR mn.positive > 0 OR ep.n > 0
        OR EXISTS (SELECT FROM socialroi.campaign_link l
                     JOIN socialroi.account a ON a.platform = l.platform
                     JOIN socialroi.metric_daily md
                       ON md.account_id = a.account_id AND md.object_id = l.value
                    WHERE l.campaign_id = c.campaign_id AND l.kind = 'ad_campaign'
                      AND md.day >= k.month AND md.day < k.next)
    UNION ALL
    -- the brand-wide row of a month: positive brand mentions that name no campaign's
    -- utm_campaign value and employees' posts that carry or name none; only advocacy
    SELECT NULL, 'brand-wide (no campaign)', k.month, 0::bigint, 0::bigint, 0::bigint,
           0::bigint, 0::numeric, 0::bigint, 0::numeric, 0::bigint, bmn.positive + bep.n
      FROM (
        -- the months from the first to the last positive mention or employee post (index
        -- bounds of mention_positive_posted_idx; the member posts are few)
        SELECT ARRAY(SELECT pg_catalog.generate_series(
                                pg_catalog.date_trunc('month', min(d.lo)::timestamp),
                                max(d.hi)::timestamp, interval '1 month')) AS months
          FROM (SELECT ((SELECT min(m.posted_at) FROM socialroi.mention m
                          WHERE dashboard.mention_positive(m.sentiment)
                            AND pg_catalog.isfinite(m.posted_at)) AT TIME ZONE 'UTC')::date AS lo,
                       ((SELECT max(m.posted_at) FROM socialroi.mention m
                          WHERE dashboard.mention_positive(m.sentiment)
                            AND pg_catalog.isfinite(m.posted_at)) AT TIME ZONE 'UTC')::date AS hi
                UNION ALL
                SELECT (min(t.published_at) AT TIME ZONE 'UTC')::date,
                       (max(t.published_at) AT TIME ZONE 'UTC')::date
                  FROM socialroi.poll_job j
                  JOIN socialroi.content t ON t.account_id = j.account_id
                 WHERE j.stream = 'linkedin.member_posts' AND pg_catalog.isfinite(t.published_at))
               d) b
     CROSS JOIN LATERAL (
        SELECT g::date AS month, g AT TIME ZONE 'UTC' AS t0,
               (g + interval '1 month') AT TIME ZONE 'UTC' AS t1
          FROM pg_catalog.unnest(b.months) g) k
     CROSS JOIN LATERAL (
        SELECT count(*) AS positive FROM socialroi.mention m
         WHERE dashboard.mention_positive(m.sentiment)
           AND m.posted_at >= k.t0 AND m.posted_at < k.t1
           AND NOT EXISTS (SELECT FROM socialroi.listening_query q
                            WHERE q.account_id = m.account_id AND q.query = m.query
                              AND q.side = 'competitor')
           AND NOT EXISTS (
                SELECT FROM socialroi.campaign_link l
                 WHERE l.kind = 'utm_campaign'
                   AND pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+', '',
                                                 'g') <> ''
                   AND pg_catalog.strpos(
                           pg_catalog.regexp_replace(pg_catalog.lower(m.body), '[^[:alnum:]]+',
                                                     '', 'g'),
                           pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+',
                                                     '', 'g')) > 0)) bmn
     CROSS JOIN LATERAL (
        SELECT count(*) AS n
          FROM socialroi.poll_job j
          JOIN socialroi.content t ON t.account_id = j.account_id
         WHERE j.stream = 'linkedin.member_posts'
           AND t.published_at >= k.t0 AND t.published_at < k.t1
           AND NOT EXISTS (
                SELECT FROM socialroi.campaign_link l
                 WHERE l.kind = 'utm_campaign'
                   AND (t.utm_campaign = l.value
                        OR (pg_catalog.regexp_replace(pg_catalog.lower(l.value), '[^[:alnum:]]+',
                                                      '', 'g') <> ''
                            AND pg_catalog.strpos(
                                    pg_catalog.regexp_replace(pg_catalog.lower(t.title),
                                                              '[^[:alnum:]]+', '', 'g'),
                                    pg_catalog.regexp_replace(pg_catalog.lower(l.value),
                                                              '[^[:alnum:]]+', '', 'g')) > 0)))) bep
     WHERE bmn.positive + bep.n > 0) f;

COMMENT ON COLUMN dashboard.funnel.campaign IS
    'Business campaign (config section name); NULL on the brand-wide row of a month.';
COMMENT ON COLUMN dashboard.funnel.advocacy_positive_mentions IS
    'Positive brand mentions (sentiment above 0.25, not found by a competitor''s query) that '
    'name one of its utm_campaign values, plus its employees'' own LinkedIn posts (member '
    'accounts) published in the month that carry one of those values in a link or name one in '
    'their text; on the brand-wide row, those that name no campaign''s value.';
