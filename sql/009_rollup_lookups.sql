-- 009_rollup_lookups.sql: the rollup's lookups of a person's leads, touches and deals by key.
--
-- 005 found them by comparing computed text keys row by row, which scans every lead and touch
-- for each person and made a rollup of a few hundred CRM contacts take seconds; the writers,
-- whose triggers mark the same people dirty, waited for it. These versions reach the rows
-- through their indexes (lead e-mail hash and primary key, touchpoint and deal_contact by
-- lead), so a person costs a few index probes whatever the size of the tables.

CREATE INDEX deal_contact_lead_idx ON socialroi.deal_contact (account_id, lead_id);

-- The leads of a person (account:lead ids): every lead with the e-mail hash, or the one lead.
CREATE OR REPLACE FUNCTION socialroi.person_leads(p_person text) RETURNS text[]
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

-- account:lead ids as rows, for joins on the tables' keys.
CREATE FUNCTION socialroi.lead_keys(p_leads text[])
RETURNS TABLE (account_id integer, lead_id text)
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT pg_catalog.split_part(k, ':', 1)::integer,
           pg_catalog.substr(k, pg_catalog.strpos(k, ':') + 1)
      FROM pg_catalog.unnest(p_leads) k
$$;

CREATE OR REPLACE FUNCTION socialroi.touches_of(p_leads text[], p_until timestamptz)
RETURNS jsonb LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object(
               'at', t.occurred_at, 'channel', socialroi.channel_of(t.platform),
               'campaign', socialroi.touch_campaign(t.platform, t.campaign_id, t.utm_campaign))
           ORDER BY t.occurred_at, t.account_id, t.touch_id)
      FROM socialroi.lead_keys(p_leads) k
      JOIN socialroi.touchpoint t ON t.account_id = k.account_id AND t.lead_id = k.lead_id
     WHERE t.occurred_at <= p_until
$$;

CREATE OR REPLACE FUNCTION socialroi.compute_person(p_person text) RETURNS void
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
    PERFORM socialroi.write_attribution('lead', p_person, first, first::date, false, NULL, NULL,
                                        socialroi.touches_of(leads, first));
END
$$;

CREATE OR REPLACE FUNCTION socialroi.person_deals(p_person text)
RETURNS TABLE (account_id integer, deal_id text)
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT DISTINCT dc.account_id, dc.deal_id
      FROM socialroi.lead_keys(socialroi.person_leads(p_person)) k
      JOIN socialroi.deal_contact dc ON dc.account_id = k.account_id AND dc.lead_id = k.lead_id
$$;
