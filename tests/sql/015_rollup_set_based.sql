-- 015_rollup_set_based.sql - the batch attribution (socialroi.credit_conversions, the rollup
-- job and the rebuild) writes exactly the rows the per-conversion functions wrote: same
-- touches, order, weights, revenue, unattributed rows and currencies, under every model, for
-- people with 0, 1, 2 and 5 touches, leads sharing an e-mail hash, won and lost deals in
-- several currencies. The per-conversion functions as 010 and 014 defined them are kept here,
-- in pg_temp, as the reference.
BEGIN;
SELECT plan(17);

-- ---- the per-conversion reference -------------------------------------------------------------

CREATE FUNCTION pg_temp.old_write_attribution(p_kind text, p_key text, p_time timestamptz,
                                              p_day date, p_won boolean, p_currency text,
                                              p_revenue bigint, p_touches jsonb)
RETURNS void LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    m text;
    half numeric := (SELECT value::numeric FROM socialroi.setting WHERE key = 'half_life_days');
    ages numeric[];
BEGIN
    DELETE FROM socialroi.attribution WHERE kind = p_kind AND conversion = p_key;
    IF p_touches IS NULL OR pg_catalog.jsonb_array_length(p_touches) = 0 THEN
        INSERT INTO socialroi.attribution
        SELECT p_kind, p_key, m2, 0, NULL, NULL, 1, p_day, p_won, p_currency, p_revenue
          FROM pg_catalog.unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                                       'time_decay']) m2;
        RETURN;
    END IF;
    SELECT pg_catalog.array_agg(pg_catalog.date_part('epoch', p_time - (t ->> 'at')::timestamptz)
                                / 86400.0 ORDER BY o)
      INTO ages FROM pg_catalog.jsonb_array_elements(p_touches) WITH ORDINALITY AS x(t, o);
    FOREACH m IN ARRAY ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                             'time_decay'] LOOP
        INSERT INTO socialroi.attribution
        SELECT p_kind, p_key, m, w.seq, (t.t ->> 'campaign')::integer, t.t ->> 'channel',
               (CASE WHEN w.den > 0 THEN
                        socialroi.div_round_even(1000000::numeric
                                                 * sum(w.num) OVER (ORDER BY w.seq), w.den)
                      - socialroi.div_round_even(1000000::numeric
                                                 * (sum(w.num) OVER (ORDER BY w.seq) - w.num),
                                                 w.den)
                    ELSE socialroi.round_even(1000000 * sum(w.weight) OVER (ORDER BY w.seq))
                       - socialroi.round_even(1000000 * (sum(w.weight) OVER (ORDER BY w.seq)
                                                         - w.weight)) END)::numeric / 1000000,
               p_day, p_won, p_currency,
               CASE WHEN p_revenue IS NULL THEN NULL
                    WHEN w.den > 0 THEN
                        socialroi.div_round_even(p_revenue::numeric
                                                 * sum(w.num) OVER (ORDER BY w.seq), w.den)
                      - socialroi.div_round_even(p_revenue::numeric
                                                 * (sum(w.num) OVER (ORDER BY w.seq) - w.num),
                                                 w.den)
                    ELSE socialroi.round_even(p_revenue * sum(w.weight) OVER (ORDER BY w.seq))
                       - socialroi.round_even(p_revenue * (sum(w.weight) OVER (ORDER BY w.seq)
                                                           - w.weight)) END
          FROM socialroi.model_weights(m, ages, half) w
          JOIN pg_catalog.jsonb_array_elements(p_touches) WITH ORDINALITY AS t(t, o)
            ON t.o = w.seq
         WHERE w.weight <> 0;
    END LOOP;
END
$$;

CREATE FUNCTION pg_temp.old_touches_of(p_leads text[], p_until timestamptz)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'at', t.occurred_at, 'channel', socialroi.channel_of(t.platform),
               'campaign', socialroi.touch_campaign(t.platform, t.campaign_id, t.utm_campaign))
           ORDER BY t.occurred_at, t.account_id, t.touch_id)
      FROM socialroi.lead_keys(p_leads) k
      JOIN socialroi.touchpoint t ON t.account_id = k.account_id AND t.lead_id = k.lead_id
     WHERE t.occurred_at <= p_until
$$;

CREATE FUNCTION pg_temp.old_person_leads(p_person text) RETURNS text[]
LANGUAGE plpgsql STABLE SET search_path = '' AS $$
DECLARE
    acct text;
BEGIN
    IF pg_catalog.left(p_person, 2) = 'e:' THEN
        RETURN (SELECT pg_catalog.array_agg(l.account_id || ':' || l.lead_id)
                  FROM socialroi.lead l WHERE l.email_hash = pg_catalog.substr(p_person, 3));
    END IF;
    acct := pg_catalog.split_part(p_person, ':', 2);
    RETURN (SELECT pg_catalog.array_agg(l.account_id || ':' || l.lead_id)
              FROM socialroi.lead l
             WHERE l.account_id = acct::integer
               AND l.lead_id = pg_catalog.substr(p_person, pg_catalog.length(acct) + 4)
               AND l.email_hash IS NULL);
END
$$;

CREATE FUNCTION pg_temp.old_compute_person(p_person text) RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    leads text[] := pg_temp.old_person_leads(p_person);
    first timestamptz;
BEGIN
    SELECT min(l.created_at) INTO first
      FROM socialroi.lead_keys(leads) k
      JOIN socialroi.lead l ON l.account_id = k.account_id AND l.lead_id = k.lead_id;
    IF first IS NULL THEN
        DELETE FROM socialroi.attribution WHERE kind = 'lead' AND conversion = p_person;
        RETURN;
    END IF;
    PERFORM pg_temp.old_write_attribution('lead', p_person, first,
                                          (first AT TIME ZONE 'UTC')::date, false, NULL, NULL,
                                          pg_temp.old_touches_of(leads, first));
END
$$;

CREATE FUNCTION pg_temp.old_compute_deal(p_account integer, p_deal text) RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    d socialroi.deal;
    leads text[];
    day date;
    revenue bigint;
    key text := p_account || ':' || p_deal;
BEGIN
    SELECT * INTO d FROM socialroi.deal WHERE account_id = p_account AND deal_id = p_deal;
    IF NOT FOUND THEN
        DELETE FROM socialroi.attribution WHERE kind = 'deal' AND conversion = key;
        RETURN;
    END IF;
    SELECT pg_catalog.array_agg(DISTINCT x) INTO leads
      FROM socialroi.deal_contact dc
      JOIN socialroi.lead c ON c.account_id = dc.account_id AND c.lead_id = dc.lead_id,
           LATERAL pg_catalog.unnest(pg_temp.old_person_leads(
               socialroi.person_key(c.account_id, c.lead_id, c.email_hash))) x
     WHERE dc.account_id = p_account AND dc.deal_id = p_deal;
    day := (COALESCE(d.closed_at, d.created_at) AT TIME ZONE 'UTC')::date;
    IF d.is_won THEN
        revenue := socialroi.to_reporting(COALESCE(d.amount_micros, 0), d.currency, day);
    END IF;
    PERFORM pg_temp.old_write_attribution(
        'deal', key, d.created_at, day, d.is_won,
        CASE WHEN d.is_won AND revenue IS NULL THEN COALESCE(d.currency, '???')
             ELSE socialroi.reporting_currency() END,
        revenue, pg_temp.old_touches_of(leads, d.created_at));
END
$$;

-- Every conversion of the data, one at a time, as the reference rows (as text: scale and all).
CREATE FUNCTION pg_temp.reference() RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM socialroi.attribution;
    PERFORM pg_temp.old_compute_person(p)
       FROM (SELECT DISTINCT socialroi.person_key(account_id, lead_id, email_hash) AS p
               FROM socialroi.lead) x;
    PERFORM pg_temp.old_compute_deal(account_id, deal_id) FROM socialroi.deal;
    RETURN QUERY SELECT a::text FROM socialroi.attribution a;
    DELETE FROM socialroi.attribution;
END
$$;

-- ---- the data -------------------------------------------------------------------------------

SELECT socialroi.sync_settings('USD', 7);
INSERT INTO socialroi.account (name, platform, external_id)
VALUES ('crm', 'hubspot', 'h'), ('meta', 'facebook', 'f'), ('li', 'linkedin', 'l');
INSERT INTO socialroi.fx_rate VALUES ('2026-01-01', 'EUR', 1.0837, 'ecb'),
                                     ('2026-02-15', 'EUR', 1.0911, 'ecb');
INSERT INTO socialroi.campaign (name, title, start_day)
VALUES ('spring', 'Spring', '2026-01-01'), ('launch', 'Launch', '2026-01-01'),
       ('brand', 'Brand', '2026-01-01');
INSERT INTO socialroi.campaign_link (campaign_id, kind, platform, value)
VALUES (1, 'ad_campaign', 'facebook', 'a1'), (2, 'ad_campaign', 'linkedin', 'a2'),
       (3, 'utm_campaign', '', 'u3'), (1, 'utm_campaign', '', 'shared'),
       (2, 'utm_campaign', '', 'shared'), (3, 'ad_campaign', 'facebook', 'a3');

INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash) VALUES
    (1, 'none', 'crm', '2026-02-01 10:00Z', 'h-none'),      -- no touch
    (1, 'one', 'crm', '2026-02-02 10:00Z', 'h-one'),        -- one touch
    (1, 'two', 'crm', '2026-02-03 10:00Z', 'h-two'),        -- two touches
    (1, 'five', 'crm', '2026-02-20 23:59:59.123456Z', 'h-five'),  -- five touches, one later
    (1, 'sh-crm', 'crm', '2026-02-10 08:00Z', 'h-shared'),  -- one person, two leads
    (2, 'sh-form', 'form', '2026-02-08 12:30Z', 'h-shared'),
    (2, 'anon:1', 'form', '2026-02-05 09:00Z', NULL),       -- no e-mail, a colon in the id
    (3, 'anon', 'form', '2026-02-06 09:00Z', NULL),         -- no e-mail, no touch
    (3, 'old', 'form', '2025-06-06 09:00Z', 'h-old');       -- touches a year back
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign) VALUES
    (1, 't1', 'one', 'first_source', '2026-01-30 10:00Z', 'Facebook', 'a1', NULL),
    (1, 't2', 'two', 'first_source', '2026-01-20 10:00Z', 'twitter', NULL, 'shared'),
    (1, 't3', 'two', 'latest_source', '2026-02-03 10:00Z', 'LinkedIn', 'a2', 'u3'),
    (1, 't4', 'five', 'first_source', '2026-01-01 00:00Z', 'instagram', NULL, 'u3'),
    (1, 't5', 'five', 'click', '2026-01-15 07:00Z', 'facebook', 'a3', 'shared'),
    (1, 't6b', 'five', 'click', '2026-02-10 07:00Z', NULL, NULL, NULL),
    (1, 't6a', 'five', 'click', '2026-02-10 07:00Z', 'youtube', NULL, 'nowhere'),
    (1, 't7', 'five', 'latest_source', '2026-02-20 23:59:59.123456Z', 'pinterest', NULL, 'u3'),
    (1, 't8', 'five', 'click', '2026-02-25 00:00Z', 'facebook', 'a1', NULL),
    (1, 't9', 'sh-crm', 'first_source', '2026-02-01 00:00Z', 'linkedin', 'a2', NULL),
    (2, 't9', 'sh-form', 'form', '2026-02-08 12:30Z', 'facebook', 'a1', NULL),
    (2, 't10', 'sh-form', 'click', '2026-02-12 12:30Z', 'facebook', 'a3', NULL),
    (2, 't11', 'anon:1', 'form', '2026-02-05 09:00Z', 'facebook', 'a9', 'shared'),
    (2, 't12', 'anon:1', 'click', '2026-01-25 09:00Z', 'ig', NULL, NULL),
    (2, 't13', 'anon:1', 'click', '2026-01-26 09:00Z', 'fb', 'a1', NULL),
    (3, 't14', 'old', 'click', '2025-01-01 00:00Z', 'linkedin', 'a2', NULL),
    (3, 't15', 'old', 'click', '2025-06-05 09:00Z', 'linkedin', 'a2', NULL);
INSERT INTO socialroi.deal (account_id, deal_id, amount_micros, currency, is_won, is_closed,
                            created_at, closed_at) VALUES
    (1, 'won-usd', 1000000001, 'USD', true, true, '2026-02-22 00:00Z', '2026-03-01 00:00Z'),
    (1, 'won-eur', 777777777, 'EUR', true, true, '2026-02-21 00:00Z', '2026-02-28 00:00Z'),
    (1, 'won-gbp', 500000000, 'GBP', true, true, '2026-02-21 00:00Z', '2026-02-28 00:00Z'),
    (1, 'won-none', 5, NULL, true, true, '2026-02-21 00:00Z', NULL),
    (1, 'lost', 900000000, 'USD', false, true, '2026-02-15 00:00Z', '2026-03-02 00:00Z'),
    (1, 'open', NULL, 'USD', false, false, '2026-02-04 00:00Z', NULL),
    (1, 'alone', 300000000, 'USD', true, true, '2026-02-04 00:00Z', '2026-02-05 00:00Z'),
    (1, 'a:b', 333333333, 'USD', true, true, '2026-02-23 00:00Z', '2026-02-24 00:00Z'),
    (1, 'half', 5, 'USD', true, true, '2026-02-23 00:00Z', '2026-02-24 00:00Z'),  -- 2.5 + 2.5
    (1, 'odd', 3, 'USD', true, true, '2026-02-23 00:00Z', '2026-02-24 00:00Z');
INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id) VALUES
    (1, 'won-usd', 'five'), (1, 'won-usd', 'sh-crm'), (1, 'won-usd', 'anon:1'),
    (1, 'won-eur', 'two'), (1, 'won-gbp', 'one'), (1, 'won-none', 'sh-crm'),
    (1, 'lost', 'five'), (1, 'open', 'none'), (1, 'a:b', 'two'), (1, 'a:b', 'five'),
    (1, 'a:b', 'ghost'), (1, 'half', 'two'), (1, 'odd', 'sh-form');

CREATE TEMP TABLE ref AS SELECT r FROM pg_temp.reference() r;
CREATE TEMP TABLE ref3 (r text);

SELECT ok((SELECT count(*) FROM ref) > 100, 'the reference credits every conversion');

-- ---- the batch against the reference -------------------------------------------------------

SELECT socialroi.credit_conversions(
    ARRAY(SELECT DISTINCT socialroi.person_key(account_id, lead_id, email_hash)
            FROM socialroi.lead),
    ARRAY(SELECT account_id || ':' || deal_id FROM socialroi.deal));

SELECT is((SELECT count(*) FROM ((SELECT r FROM ref WHERE r LIKE '%,' || m || ',%'
                                  EXCEPT ALL
                                  SELECT a::text FROM socialroi.attribution a WHERE a.model = m)
                                 UNION ALL
                                 (SELECT a::text FROM socialroi.attribution a WHERE a.model = m
                                  EXCEPT ALL
                                  SELECT r FROM ref WHERE r LIKE '%,' || m || ',%')) x),
          0::bigint, m || ': the batch writes exactly the reference rows')
  FROM unnest(ARRAY['first_touch', 'last_touch', 'linear', 'position_based',
                    'time_decay']) m;

SELECT is((SELECT count(*) FROM socialroi.attribution WHERE kind = 'lead' AND seq = 0),
          10::bigint, 'people without touches: one unattributed row per model');
SELECT is((SELECT array_agg(DISTINCT currency::text ORDER BY currency::text)
             FROM socialroi.attribution WHERE kind = 'deal'),
          ARRAY['???', 'GBP', 'USD'], 'unconverted revenue keeps the deal''s currency');

-- ---- the rollup job, the rebuild, one conversion ---------------------------------------------

SELECT socialroi.rollup_rebuild();
SELECT is((SELECT count(*) FROM ((SELECT r FROM ref EXCEPT ALL
                                  SELECT a::text FROM socialroi.attribution a)
                                 UNION ALL
                                 (SELECT a::text FROM socialroi.attribution a
                                  EXCEPT ALL SELECT r FROM ref)) x),
          0::bigint, 'rollup_rebuild writes exactly the reference rows');

DELETE FROM socialroi.attribution;
DELETE FROM socialroi.dirty_conversion;
SELECT socialroi.compute_person(socialroi.person_key(account_id, lead_id, email_hash))
  FROM socialroi.lead;
SELECT socialroi.compute_deal(account_id, deal_id) FROM socialroi.deal;
SELECT is((SELECT count(*) FROM ((SELECT r FROM ref EXCEPT ALL
                                  SELECT a::text FROM socialroi.attribution a)
                                 UNION ALL
                                 (SELECT a::text FROM socialroi.attribution a
                                  EXCEPT ALL SELECT r FROM ref)) x),
          0::bigint, 'compute_person and compute_deal one at a time: the reference rows');

-- new facts, then the incremental job in small batches
INSERT INTO socialroi.touchpoint (account_id, touch_id, lead_id, kind, occurred_at, platform,
                                  campaign_id, utm_campaign)
VALUES (1, 't20', 'one', 'click', '2026-01-31 10:00Z', 'linkedin', 'a2', NULL),
       (3, 't21', 'anon', 'click', '2026-02-06 08:00Z', 'x', NULL, 'u3');
INSERT INTO socialroi.lead (account_id, lead_id, source, created_at, email_hash)
VALUES (3, 'sh-li', 'form', '2026-02-07 09:00Z', 'h-shared');
INSERT INTO socialroi.deal_contact (account_id, deal_id, lead_id) VALUES (1, 'alone', 'old');
UPDATE socialroi.deal SET is_won = true, closed_at = '2026-03-03 00:00Z' WHERE deal_id = 'lost';
DELETE FROM socialroi.deal WHERE deal_id = 'open';
INSERT INTO socialroi.dirty_conversion (kind, key) VALUES ('deal', '1:open');
INSERT INTO socialroi.dirty_conversion (kind, key)
SELECT 'person', socialroi.person_key(account_id, lead_id, email_hash)
  FROM socialroi.lead WHERE lead_id = 'none';
DELETE FROM socialroi.lead WHERE lead_id = 'none';
SELECT is((SELECT count(*) FROM socialroi.attribution WHERE conversion IN ('1:open', 'e:h-none')),
          10::bigint, 'before the job: the rows of a deleted deal and person are there');
CREATE TEMP TABLE ref2 AS SELECT r FROM pg_temp.reference() r;
-- the state the job starts from: the reference of the old facts
INSERT INTO socialroi.attribution SELECT (r::socialroi.attribution).* FROM ref;
DO $$ BEGIN WHILE socialroi.rollup_dirty(2) > 0 LOOP END LOOP; END $$;
SELECT is((SELECT count(*) FROM ((SELECT r FROM ref2 EXCEPT ALL
                                  SELECT a::text FROM socialroi.attribution a)
                                 UNION ALL
                                 (SELECT a::text FROM socialroi.attribution a
                                  EXCEPT ALL SELECT r FROM ref2)) x),
          0::bigint, 'the incremental job in batches of 2: the reference rows of the new facts');
SELECT is((SELECT count(*) FROM socialroi.dirty_conversion), 0::bigint,
          'the job leaves no mark behind');

-- another half-life: the time_decay shares move, the batch still matches
UPDATE socialroi.setting SET value = '2.5' WHERE key = 'half_life_days';
INSERT INTO ref3 SELECT r FROM pg_temp.reference() r;
SELECT socialroi.rollup_rebuild();
SELECT is((SELECT count(*) FROM ((SELECT r FROM ref3 EXCEPT ALL
                                  SELECT a::text FROM socialroi.attribution a)
                                 UNION ALL
                                 (SELECT a::text FROM socialroi.attribution a
                                  EXCEPT ALL SELECT r FROM ref3)) x),
          0::bigint, 'half-life 2.5 days: the rebuild writes exactly the reference rows');
SELECT isnt((SELECT count(*) FROM (SELECT r FROM ref3 EXCEPT SELECT r FROM ref2) x), 0::bigint,
            'the half-life changed the time_decay rows');

-- the daemon's role runs the job
SELECT ok(has_function_privilege('socialroi_daemon', 'socialroi.credit_conversions(text[], text[])',
                                 'EXECUTE'), 'socialroi_daemon may run credit_conversions');
SELECT ok(has_function_privilege('socialroi_daemon', 'socialroi.deals_of_people(text[])',
                                 'EXECUTE'), 'socialroi_daemon may run deals_of_people');

SELECT * FROM finish();
ROLLBACK;
