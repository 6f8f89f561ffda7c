-- 005_rollup.sql: attribution and incremental rollups.
--
-- Two materialized sets feed the finance views:
--   rollup_spend   spend, impressions, clicks and platform-reported leads per business campaign,
--                  day, source (platform or configured), platform and currency, with the amount
--                  in the reporting currency (NULL when no FX rate is known);
--   attribution    the credit of every conversion (a person's first lead, a deal) to the
--                  campaigns and channels of its touches, under every model.
-- A write that changes a fact marks what it affects dirty in the same transaction (triggers
-- below); socialroid's rollup job recomputes only the dirty parts (socialroi.rollup_dirty), and
-- socialroi.rollup_rebuild recomputes everything from scratch with the same functions, so the
-- two always agree.

-- ---- people and touches ------------------------------------------------------------------------

-- A person is an e-mail hash (the same person across forms and the CRM), or a single lead.
CREATE FUNCTION socialroi.person_key(p_account integer, p_lead text, p_email_hash text)
RETURNS text LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT COALESCE('e:' || p_email_hash, 'l:' || p_account || ':' || p_lead)
$$;

-- Channel names as the platforms and the CRM spell them, folded to socialroi's platforms.
CREATE FUNCTION socialroi.channel_of(p text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT CASE pg_catalog.lower(pg_catalog.btrim(p))
           WHEN 'twitter' THEN 'x' WHEN 'x' THEN 'x'
           WHEN 'facebook' THEN 'facebook' WHEN 'fb' THEN 'facebook' WHEN 'meta' THEN 'facebook'
           WHEN 'instagram' THEN 'instagram' WHEN 'ig' THEN 'instagram'
           WHEN 'linkedin' THEN 'linkedin' WHEN 'youtube' THEN 'youtube'
           WHEN 'pinterest' THEN 'pinterest' WHEN 'hubspot' THEN 'hubspot'
           ELSE NULLIF(pg_catalog.lower(pg_catalog.btrim(p)), '') END
$$;

-- The business campaign a touch belongs to: a linked ad campaign first, then its utm_campaign.
CREATE FUNCTION socialroi.touch_campaign(p_platform text, p_campaign text, p_utm text)
RETURNS integer LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT l.campaign_id FROM socialroi.campaign_link l
     WHERE (l.kind = 'ad_campaign' AND l.platform = socialroi.channel_of(p_platform)
            AND l.value = p_campaign)
        OR (l.kind = 'utm_campaign' AND l.value = p_utm)
     ORDER BY (l.kind = 'ad_campaign') DESC, l.campaign_id
     LIMIT 1
$$;

-- ---- tables ---------------------------------------------------------------------------------

CREATE TABLE socialroi.rollup_spend (
    campaign_id     integer NOT NULL REFERENCES socialroi.campaign ON DELETE CASCADE,
    day             date NOT NULL,
    source          text NOT NULL CHECK (source IN ('platform', 'configured')),
    platform        text NOT NULL,
    currency        char(3) NOT NULL,
    micros          bigint NOT NULL,
    reporting_micros bigint,
    impressions     bigint NOT NULL DEFAULT 0,
    clicks          bigint NOT NULL DEFAULT 0,
    platform_leads  bigint NOT NULL DEFAULT 0,
    platform_conversions bigint NOT NULL DEFAULT 0,
    platform_value_micros bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign_id, day, source, platform, currency)
);

CREATE TABLE socialroi.attribution (
    kind            text NOT NULL CHECK (kind IN ('lead', 'deal')),
    conversion      text NOT NULL,
    model           text NOT NULL CHECK (model IN ('first_touch', 'last_touch', 'linear',
                                                   'position_based', 'time_decay')),
    seq             integer NOT NULL,
    campaign_id     integer,
    channel         text,
    weight          numeric NOT NULL,
    day             date NOT NULL,
    won             boolean NOT NULL DEFAULT false,
    currency        char(3),
    revenue_micros  bigint,
    PRIMARY KEY (kind, conversion, model, seq)
);
CREATE INDEX attribution_campaign_idx ON socialroi.attribution (campaign_id, day);

CREATE TABLE socialroi.dirty_spend (
    campaign_id     integer NOT NULL,
    day             date NOT NULL,
    PRIMARY KEY (campaign_id, day)
);

-- kind 'person' (its first lead and its deals) or 'deal'.
CREATE TABLE socialroi.dirty_conversion (
    kind            text NOT NULL,
    key             text NOT NULL,
    PRIMARY KEY (kind, key)
);

-- ---- spend per campaign and day -------------------------------------------------------------------

-- Recomputes the spend rows of one campaign and day from the facts.
CREATE FUNCTION socialroi.compute_spend(p_campaign integer, p_day date) RETURNS void
LANGUAGE sql SET search_path = '' AS $$
    DELETE FROM socialroi.rollup_spend WHERE campaign_id = p_campaign AND day = p_day;
    INSERT INTO socialroi.rollup_spend
    SELECT p_campaign, p_day, 'platform', a.platform, d.currency, sum(d.spend_micros),
           socialroi.to_reporting(sum(d.spend_micros)::bigint, d.currency, p_day),
           sum(d.impressions), sum(d.clicks), sum(d.leads), sum(d.conversions),
           sum(d.conversion_value_micros)
      FROM socialroi.campaign_link l
      JOIN socialroi.account a ON a.platform = l.platform
      JOIN socialroi.ad_daily d ON d.account_id = a.account_id AND d.campaign_id = l.value
     WHERE l.campaign_id = p_campaign AND l.kind = 'ad_campaign' AND d.day = p_day
     GROUP BY a.platform, d.currency;
    INSERT INTO socialroi.rollup_spend (campaign_id, day, source, platform, currency, micros,
                                        reporting_micros)
    SELECT p_campaign, p_day, 'configured', '', s.currency, s.micros,
           socialroi.to_reporting(s.micros, s.currency, p_day)
      FROM socialroi.configured_spend_daily s
     WHERE s.campaign_id = p_campaign AND s.day = p_day;
$$;

-- ---- attribution ------------------------------------------------------------------------------

-- Splits credit among n ordered touches under one model. The rational models give each touch
-- an exact share num/den (first_touch, last_touch: 1/1; linear: 1/n; position_based: 40/20/40
-- as 2(n-2)/(5(n-2)) at the ends and 1/(5(n-2)) in between, 1/2 each of two touches);
-- time_decay weighs 0.5^(age/half-life) and has no exact share (num and den 0). weight is the
-- share with 20 decimals, the last touch taking what is left, so a conversion's weights add up
-- to exactly 1.
CREATE FUNCTION socialroi.model_weights(p_model text, p_ages numeric[], p_half_life numeric)
RETURNS TABLE (seq integer, weight numeric, num bigint, den bigint)
LANGUAGE plpgsql IMMUTABLE SET search_path = '' AS $$
DECLARE
    n integer := COALESCE(pg_catalog.array_length(p_ages, 1), 0);
    w numeric[] := '{}';
    nums bigint[] := '{}';
    d bigint := 0;
    total numeric := 0;
    used numeric := 0;
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    d := CASE p_model WHEN 'first_touch' THEN 1 WHEN 'last_touch' THEN 1 WHEN 'linear' THEN n
                      WHEN 'position_based' THEN (CASE WHEN n <= 2 THEN n ELSE 5 * (n - 2) END)
                      ELSE 0 END;
    FOR i IN 1..n LOOP
        nums := nums || CASE p_model
            WHEN 'first_touch' THEN (i = 1)::int::bigint
            WHEN 'last_touch' THEN (i = n)::int::bigint
            WHEN 'linear' THEN 1::bigint
            WHEN 'position_based' THEN
                CASE WHEN n <= 2 THEN 1 WHEN i = 1 OR i = n THEN 2 * (n - 2) ELSE 1 END
            ELSE 0::bigint END;
        w := w || CASE WHEN d > 0 THEN nums[i]::numeric / d
                       ELSE pg_catalog.power(0.5::numeric, p_ages[i] / p_half_life) END;
        total := total + w[i];
    END LOOP;
    FOR i IN 1..n LOOP
        IF i < n THEN
            w[i] := pg_catalog.round(w[i] / total, 20);
            used := used + w[i];
        ELSE
            w[i] := 1 - used;
        END IF;
        seq := i;
        weight := w[i];
        num := nums[i];
        den := d;
        RETURN NEXT;
    END LOOP;
END
$$;

-- Half to even of p_num / p_den in integers (p_den > 0): exact where numeric division is not.
CREATE FUNCTION socialroi.div_round_even(p_num numeric, p_den bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT (q + CASE WHEN 2 * r > p_den OR (2 * r = p_den AND q % 2 <> 0) THEN 1 ELSE 0 END)::bigint
      FROM (SELECT pg_catalog.floor(p_num / p_den) AS q) a,
           LATERAL (SELECT p_num - a.q * p_den AS r) b
$$;

-- Writes the attribution rows of one conversion from its ordered touches (JSON: at, channel,
-- campaign): every model. Revenue is split by cumulative rounding so the parts add up to the
-- deal's amount exactly: touch i gets R(amount x S_i) - R(amount x S_(i-1)), S_i the share of
-- touches 1..i and R half to even to the micro, computed on the exact shares of the rational
-- models (on the 20-decimal weights for time_decay). No touch: one unattributed row.
CREATE FUNCTION socialroi.write_attribution(p_kind text, p_key text, p_time timestamptz,
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
               w.weight, p_day, p_won, p_currency,
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

-- account:lead ids as rows, for joins on the tables' keys.
CREATE FUNCTION socialroi.lead_keys(p_leads text[])
RETURNS TABLE (account_id integer, lead_id text)
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT pg_catalog.split_part(k, ':', 1)::integer,
           pg_catalog.substr(k, pg_catalog.strpos(k, ':') + 1)
      FROM pg_catalog.unnest(p_leads) k
$$;

CREATE FUNCTION socialroi.touches_of(p_leads text[], p_until timestamptz)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'at', t.occurred_at, 'channel', socialroi.channel_of(t.platform),
               'campaign', socialroi.touch_campaign(t.platform, t.campaign_id, t.utm_campaign))
           ORDER BY t.occurred_at, t.account_id, t.touch_id)
      FROM socialroi.lead_keys(p_leads) k
      JOIN socialroi.touchpoint t ON t.account_id = k.account_id AND t.lead_id = k.lead_id
     WHERE t.occurred_at <= p_until
$$;

-- The leads of a person (account:lead ids): every lead with the e-mail hash, or the one lead.
CREATE FUNCTION socialroi.person_leads(p_person text) RETURNS text[]
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

-- A person converts when their first lead appears; credit goes to the touches up to then.
CREATE FUNCTION socialroi.compute_person(p_person text) RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    leads text[] := socialroi.person_leads(p_person);
    first timestamptz;
BEGIN
    SELECT min(l.created_at) INTO first
      FROM socialroi.lead_keys(leads) k
      JOIN socialroi.lead l ON l.account_id = k.account_id AND l.lead_id = k.lead_id;
    IF first IS NULL THEN
        DELETE FROM socialroi.attribution WHERE kind = 'lead' AND conversion = p_person;
        RETURN;
    END IF;
    PERFORM socialroi.write_attribution('lead', p_person, first,
                                        (first AT TIME ZONE 'UTC')::date, false, NULL, NULL,
                                        socialroi.touches_of(leads, first));
END
$$;

-- A deal converts when it is created; its revenue (won deals only) lands on its close day in
-- the reporting currency.
CREATE FUNCTION socialroi.compute_deal(p_account integer, p_deal text) RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    d socialroi.deal;
    leads text[];
    day date;
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
           LATERAL pg_catalog.unnest(socialroi.person_leads(
               socialroi.person_key(c.account_id, c.lead_id, c.email_hash))) x
     WHERE dc.account_id = p_account AND dc.deal_id = p_deal;
    day := (COALESCE(d.closed_at, d.created_at) AT TIME ZONE 'UTC')::date;
    PERFORM socialroi.write_attribution(
        'deal', key, d.created_at, day, d.is_won, socialroi.reporting_currency(),
        CASE WHEN d.is_won
             THEN socialroi.to_reporting(COALESCE(d.amount_micros, 0), d.currency, day) END,
        socialroi.touches_of(leads, d.created_at));
END
$$;

-- The deals a person's leads are contacts of.
CREATE FUNCTION socialroi.person_deals(p_person text)
RETURNS TABLE (account_id integer, deal_id text)
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT DISTINCT dc.account_id, dc.deal_id
      FROM socialroi.lead_keys(socialroi.person_leads(p_person)) k
      JOIN socialroi.deal_contact dc ON dc.account_id = k.account_id AND dc.lead_id = k.lead_id
$$;

CREATE INDEX deal_contact_lead_idx ON socialroi.deal_contact (account_id, lead_id);

-- ---- dirty marking -----------------------------------------------------------------------------

CREATE FUNCTION socialroi.mark_ad_days() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    INSERT INTO socialroi.dirty_spend
    SELECT DISTINCT l.campaign_id, r.day
      FROM changed r
      JOIN socialroi.account a ON a.account_id = r.account_id
      JOIN socialroi.campaign_link l ON l.kind = 'ad_campaign' AND l.platform = a.platform
                                    AND l.value = r.campaign_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER ad_daily_dirty_ins AFTER INSERT ON socialroi.ad_daily
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION socialroi.mark_ad_days();
CREATE TRIGGER ad_daily_dirty_upd AFTER UPDATE ON socialroi.ad_daily
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION socialroi.mark_ad_days();
CREATE TRIGGER ad_daily_dirty_del AFTER DELETE ON socialroi.ad_daily
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION socialroi.mark_ad_days();

-- Every day a campaign has or may have spend on (a change of its lines, links or dates).
CREATE FUNCTION socialroi.mark_campaign(p_campaign integer) RETURNS void
LANGUAGE sql SET search_path = '' AS $$
    INSERT INTO socialroi.dirty_spend
    SELECT p_campaign, d FROM (
        SELECT day AS d FROM socialroi.rollup_spend WHERE campaign_id = p_campaign
        UNION SELECT day FROM socialroi.configured_spend_daily WHERE campaign_id = p_campaign
        UNION SELECT ad.day FROM socialroi.campaign_link l
                JOIN socialroi.account a ON a.platform = l.platform
                JOIN socialroi.ad_daily ad ON ad.account_id = a.account_id
                                          AND ad.campaign_id = l.value
               WHERE l.campaign_id = p_campaign AND l.kind = 'ad_campaign') days
    ON CONFLICT DO NOTHING
$$;

-- Links decide both spend and credit: the campaign's spend days and every conversion.
CREATE FUNCTION socialroi.mark_links() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    PERFORM socialroi.mark_campaign(c) FROM (SELECT campaign_id AS c FROM changed) x
     GROUP BY c;
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash)
      FROM socialroi.lead
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER campaign_link_dirty_ins AFTER INSERT ON socialroi.campaign_link
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_links();
CREATE TRIGGER campaign_link_dirty_del AFTER DELETE ON socialroi.campaign_link
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_links();

CREATE FUNCTION socialroi.mark_spend_lines() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    INSERT INTO socialroi.dirty_spend
    SELECT DISTINCT c.campaign_id, d.day
      FROM changed c,
           LATERAL socialroi.spend_line_days(c.kind, c.amount_micros, c.start_day, c.end_day) d
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER campaign_spend_dirty_ins AFTER INSERT ON socialroi.campaign_spend
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION socialroi.mark_spend_lines();
CREATE TRIGGER campaign_spend_dirty_del AFTER DELETE ON socialroi.campaign_spend
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
    EXECUTE FUNCTION socialroi.mark_spend_lines();

-- A new or changed rate affects that currency from its day on: spend and won deals.
CREATE FUNCTION socialroi.mark_fx() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    INSERT INTO socialroi.dirty_spend
    SELECT DISTINCT r.campaign_id, r.day
      FROM socialroi.rollup_spend r JOIN changed c ON c.currency = r.currency AND r.day >= c.day
    ON CONFLICT DO NOTHING;
    INSERT INTO socialroi.dirty_spend
    SELECT DISTINCT s.campaign_id, s.day
      FROM socialroi.configured_spend_daily s JOIN changed c ON c.currency = s.currency
                                                           AND s.day >= c.day
    ON CONFLICT DO NOTHING;
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'deal', d.account_id || ':' || d.deal_id
      FROM socialroi.deal d JOIN changed c ON c.currency = d.currency
     WHERE d.is_won
       AND (COALESCE(d.closed_at, d.created_at) AT TIME ZONE 'UTC')::date >= c.day
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER fx_rate_dirty_ins AFTER INSERT ON socialroi.fx_rate
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_fx();
CREATE TRIGGER fx_rate_dirty_upd AFTER UPDATE ON socialroi.fx_rate
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_fx();
CREATE TRIGGER fx_rate_dirty_del AFTER DELETE ON socialroi.fx_rate
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_fx();

-- Leads and touches change people's conversions (and so their deals).
CREATE FUNCTION socialroi.mark_leads() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash) FROM changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER lead_dirty_ins AFTER INSERT ON socialroi.lead
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_leads();
CREATE TRIGGER lead_dirty_upd_new AFTER UPDATE ON socialroi.lead
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_leads();
CREATE TRIGGER lead_dirty_upd_old AFTER UPDATE ON socialroi.lead
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_leads();

CREATE FUNCTION socialroi.mark_touches() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'person', socialroi.person_key(l.account_id, l.lead_id, l.email_hash)
      FROM changed t JOIN socialroi.lead l ON l.account_id = t.account_id AND l.lead_id = t.lead_id
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER touchpoint_dirty_ins AFTER INSERT ON socialroi.touchpoint
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_touches();
CREATE TRIGGER touchpoint_dirty_upd AFTER UPDATE ON socialroi.touchpoint
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_touches();

CREATE FUNCTION socialroi.mark_deals() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'deal', account_id || ':' || deal_id FROM changed
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER deal_dirty_ins AFTER INSERT ON socialroi.deal
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_deals();
CREATE TRIGGER deal_dirty_upd AFTER UPDATE ON socialroi.deal
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_deals();
CREATE TRIGGER deal_contact_dirty_ins AFTER INSERT ON socialroi.deal_contact
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_deals();

-- A new reporting currency or half-life changes every converted amount and weight.
CREATE FUNCTION socialroi.mark_all() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    PERFORM socialroi.mark_campaign(campaign_id) FROM socialroi.campaign;
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash)
      FROM socialroi.lead
    ON CONFLICT DO NOTHING;
    INSERT INTO socialroi.dirty_conversion
    SELECT 'deal', account_id || ':' || deal_id FROM socialroi.deal
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;

CREATE TRIGGER setting_dirty AFTER UPDATE ON socialroi.setting
    FOR EACH STATEMENT EXECUTE FUNCTION socialroi.mark_all();

-- ---- the rollup job ------------------------------------------------------------------------------

-- Recomputes up to p_limit dirty spend days and conversions (oldest first); returns how many
-- are left, so a caller loops until 0. Safe to run concurrently: dirty rows are claimed with
-- SKIP LOCKED.
CREATE FUNCTION socialroi.rollup_dirty(p_limit integer) RETURNS integer
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    r record;
    p text;
BEGIN
    FOR r IN SELECT * FROM socialroi.dirty_spend ORDER BY day LIMIT p_limit
             FOR UPDATE SKIP LOCKED LOOP
        PERFORM socialroi.compute_spend(r.campaign_id, r.day);
        DELETE FROM socialroi.dirty_spend WHERE campaign_id = r.campaign_id AND day = r.day;
    END LOOP;
    FOR r IN SELECT * FROM socialroi.dirty_conversion ORDER BY kind DESC, key LIMIT p_limit
             FOR UPDATE SKIP LOCKED LOOP
        IF r.kind = 'person' THEN
            PERFORM socialroi.compute_person(r.key);
            INSERT INTO socialroi.dirty_conversion
            SELECT 'deal', d.account_id || ':' || d.deal_id FROM socialroi.person_deals(r.key) d
            ON CONFLICT DO NOTHING;
        ELSE
            p := pg_catalog.split_part(r.key, ':', 1);
            PERFORM socialroi.compute_deal(p::integer,
                                           pg_catalog.substr(r.key, pg_catalog.length(p) + 2));
        END IF;
        DELETE FROM socialroi.dirty_conversion WHERE kind = r.kind AND key = r.key;
    END LOOP;
    RETURN (SELECT count(*) FROM socialroi.dirty_spend)
         + (SELECT count(*) FROM socialroi.dirty_conversion);
END
$$;

-- Everything from scratch, with the same functions as the incremental job.
CREATE FUNCTION socialroi.rollup_rebuild() RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    DELETE FROM socialroi.rollup_spend;
    DELETE FROM socialroi.attribution;
    DELETE FROM socialroi.dirty_spend;
    DELETE FROM socialroi.dirty_conversion;
    PERFORM socialroi.mark_campaign(campaign_id) FROM socialroi.campaign;
    INSERT INTO socialroi.dirty_conversion
    SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash)
      FROM socialroi.lead
    ON CONFLICT DO NOTHING;
    INSERT INTO socialroi.dirty_conversion
    SELECT 'deal', account_id || ':' || deal_id FROM socialroi.deal
    ON CONFLICT DO NOTHING;
    WHILE socialroi.rollup_dirty(100000) > 0 LOOP
    END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON socialroi.rollup_spend, socialroi.attribution,
    socialroi.dirty_spend, socialroi.dirty_conversion TO socialroi_daemon;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA socialroi TO socialroi_daemon;
