-- 038_roi_bridge.sql - the ROI bridge: per channel and month, the leads a platform reported
-- against the leads the CRM verified, the difference broken into named causes.
--
-- A platform counts the leads of its own lead forms (and of its pixel) on its own day; the CRM
-- knows a person from the first CRM record of them, and socialroi credits that person to the
-- channel of their last touch up to then (the last_touch model of finance.channel_roi). The
-- two counts differ, and finance asks why. Each difference is traced to records, each record
-- to exactly one cause, so the causes and the unexplained rest add up to the difference:
--
--   platform_leads - crm_leads = form_lead_not_in_crm + repeated_form_submission
--                              + credited_to_another_channel + day_basis + crm_timing
--                              + crm_lead_platform_did_not_count + organic_form_lead
--                              + outside_attribution_window + unexplained
--
-- A cause is its contribution to the difference: positive where the platform counted more.
--   form_lead_not_in_crm            a form lead whose person the CRM never recorded (+1 in the
--                                   form's month)
--   repeated_form_submission        a second or later form lead of the same person on the same
--                                   platform: the platform counts each, the CRM the person (+1)
--   credited_to_another_channel     a form lead whose person the CRM credits to another channel
--                                   (their last touch before the CRM record was elsewhere) (+1)
--   day_basis                       a form lead the platform counts in one month (its account's
--                                   day: the time zone of the account's ad rows) and the CRM in
--                                   the next or previous (UTC), because of the time zone alone:
--                                   +1 in the platform's month, -1 in the CRM's
--   crm_timing                      the same for a CRM record made in another month than the
--                                   form (imported late or known before): +1 and -1
--   crm_lead_platform_did_not_count a CRM person credited to the channel with no form lead on
--                                   it (a link click, an organic post's link), the last touch
--                                   within the platform's 7-day click window (-1)
--   organic_form_lead               a CRM person credited to the channel whose form lead on it
--                                   came from an organic post's form, which the platform's ad
--                                   rows do not count (-1)
--   outside_attribution_window      the same with the last touch more than 7 days before the
--                                   CRM record: the platform's default window no longer counts
--                                   it (-1)
--   unexplained                     the rest: leads the platform reports without a form lead
--                                   socialroi holds (pixel leads, modelled conversions, forms
--                                   not read), never dropped
--
-- Test leads are left out on both sides; a person is an e-mail hash (a lead without one is its
-- own person), as in crediting. CRM people whose last touch names no channel are no channel's
-- and appear in no row. Channels are the ad and social platforms (not the CRM).

-- Computed month by month from index lookups, so a filter on month costs that month: a
-- person's leads are found by e-mail hash (or are the one lead without one), their first CRM
-- record and its channel from their touches, a form lead's rank among the person's ad forms on
-- its platform from their forms. (The plain SQL functions below are inlined into the month's
-- query, which is why they set no search_path: every name in them is qualified.)

-- Every lead of a person (test leads left out): the leads sharing its e-mail hash, or the lead
-- itself when it has none.
CREATE FUNCTION socialroi.person_leads(p_hash text, p_account integer, p_lead text)
RETURNS SETOF socialroi.lead LANGUAGE sql STABLE AS $$
    SELECT l.* FROM socialroi.lead l WHERE l.email_hash = p_hash AND NOT l.is_test
    UNION ALL
    SELECT l.* FROM socialroi.lead l
     WHERE p_hash IS NULL AND l.account_id = p_account AND l.lead_id = p_lead AND NOT l.is_test
$$;

-- A person's first CRM record, with the channel and time of their last touch up to it; no row
-- when the CRM never recorded them.
CREATE FUNCTION socialroi.person_crm(p_hash text, p_account integer, p_lead text)
RETURNS TABLE (at timestamptz, channel text, touched_at timestamptz)
LANGUAGE sql STABLE AS $$
    SELECT c.at, socialroi.channel_of(t.platform), t.occurred_at
      FROM (SELECT pg_catalog.min(l.created_at) AS at
              FROM socialroi.person_leads(p_hash, p_account, p_lead) l
             WHERE l.source = 'crm') c
      LEFT JOIN LATERAL (
          SELECT t.platform, t.occurred_at
            FROM socialroi.person_leads(p_hash, p_account, p_lead) l
            JOIN socialroi.touchpoint t ON t.account_id = l.account_id AND t.lead_id = l.lead_id
           WHERE t.occurred_at <= c.at
           ORDER BY t.occurred_at DESC, t.account_id DESC, t.touch_id DESC LIMIT 1) t ON true
     WHERE c.at IS NOT NULL
$$;

-- How each account's platform counts days (the time zone of its ad rows' day basis), and its
-- channel; the CRM is no channel.
CREATE VIEW socialroi.bridge_account AS
SELECT a.account_id, a.platform AS channel,
       CASE (SELECT d.day_basis FROM socialroi.ad_daily d
              WHERE d.account_id = a.account_id LIMIT 1)
            WHEN 'account_tz' THEN COALESCE(a.timezone, 'UTC')
            WHEN 'pacific' THEN 'America/Los_Angeles'
            ELSE 'UTC' END AS tz
  FROM socialroi.account a
 WHERE a.platform <> 'hubspot';

-- A person's first ad form lead on a channel (lead forms of organic posts have no campaign:
-- the platforms' ad rows do not count them), with the month its platform counts it in and its
-- UTC month.
CREATE FUNCTION socialroi.person_first_form(p_hash text, p_account integer, p_lead text,
                                            p_channel text)
RETURNS TABLE (account_id integer, lead_id text, month date, utc_month date)
LANGUAGE sql STABLE AS $$
    SELECT l.account_id, l.lead_id,
           pg_catalog.date_trunc('month', l.created_at AT TIME ZONE a.tz)::date,
           pg_catalog.date_trunc('month', l.created_at AT TIME ZONE 'UTC')::date
      FROM socialroi.person_leads(p_hash, p_account, p_lead) l
      JOIN socialroi.bridge_account a ON a.account_id = l.account_id AND a.channel = p_channel
     WHERE l.source = 'form' AND l.campaign_id IS NOT NULL
     ORDER BY l.created_at, l.account_id, l.lead_id LIMIT 1
$$;

-- The bridge's lines of one month (its first day): the platforms' counts, the CRM people, and
-- one line per record with a cause, each signed as its contribution to the difference.
CREATE FUNCTION socialroi.roi_bridge_lines(p_month date)
RETURNS TABLE (channel text, what text, leads bigint)
LANGUAGE sql STABLE SET search_path = '' AS $$
    WITH bound AS (
        SELECT p_month::timestamp AT TIME ZONE 'UTC' AS lo,
               (p_month + interval '1 month')::timestamp AT TIME ZONE 'UTC' AS hi
    ), form AS (
        -- the ad form leads the platforms count in the month (their day is at most a day off UTC)
        SELECT l.email_hash, l.account_id, l.lead_id, a.channel,
               pg_catalog.date_trunc('month', l.created_at AT TIME ZONE 'UTC')::date AS utc_month
          FROM bound b
          JOIN socialroi.lead l ON l.created_at >= b.lo - interval '1 day'
                               AND l.created_at < b.hi + interval '1 day'
          JOIN socialroi.bridge_account a USING (account_id)
         WHERE l.source = 'form' AND l.campaign_id IS NOT NULL AND NOT l.is_test
           AND pg_catalog.date_trunc('month', l.created_at AT TIME ZONE a.tz)::date = p_month
    ), form_cause AS (
        SELECT f.channel,
               CASE WHEN c.at IS NULL THEN 'form_lead_not_in_crm'
                    WHEN (ff.account_id, ff.lead_id) IS DISTINCT FROM (f.account_id, f.lead_id)
                    THEN 'repeated_form_submission'
                    WHEN c.channel IS DISTINCT FROM f.channel THEN 'credited_to_another_channel'
                    WHEN pg_catalog.date_trunc('month', c.at AT TIME ZONE 'UTC')::date = p_month
                    THEN NULL
                    WHEN pg_catalog.date_trunc('month', c.at AT TIME ZONE 'UTC')::date
                         = f.utc_month THEN 'day_basis'
                    ELSE 'crm_timing' END AS cause
          FROM form f
          LEFT JOIN LATERAL socialroi.person_crm(f.email_hash, f.account_id, f.lead_id) c ON true
          LEFT JOIN LATERAL socialroi.person_first_form(f.email_hash, f.account_id, f.lead_id,
                                                        f.channel) ff ON true
    ), crm AS (
        -- the people whose first CRM record falls in the month, with its channel
        SELECT l.email_hash, l.account_id, l.lead_id, c.at, c.channel, c.touched_at
          FROM bound b
          JOIN socialroi.lead l ON l.created_at >= b.lo AND l.created_at < b.hi
          CROSS JOIN LATERAL socialroi.person_crm(l.email_hash, l.account_id, l.lead_id) c
         WHERE l.source = 'crm' AND NOT l.is_test AND c.at = l.created_at
           AND NOT EXISTS (SELECT 1 FROM socialroi.person_leads(l.email_hash, l.account_id,
                                                                l.lead_id) e
                            WHERE e.source = 'crm' AND e.created_at = l.created_at
                              AND (e.account_id, e.lead_id) < (l.account_id, l.lead_id))
           AND c.channel IN (SELECT a.channel FROM socialroi.bridge_account a)
    ), crm_cause AS (
        SELECT c.channel,
               CASE WHEN ff.month = p_month THEN NULL
                    WHEN ff.utc_month = p_month THEN 'day_basis'
                    WHEN ff.month IS NOT NULL THEN 'crm_timing'
                    WHEN EXISTS (SELECT 1
                                   FROM socialroi.person_leads(c.email_hash, c.account_id,
                                                               c.lead_id) o
                                   JOIN socialroi.bridge_account a USING (account_id)
                                  WHERE o.source = 'form' AND o.campaign_id IS NULL
                                    AND a.channel = c.channel) THEN 'organic_form_lead'
                    WHEN c.at - c.touched_at > interval '7 days'
                    THEN 'outside_attribution_window'
                    ELSE 'crm_lead_platform_did_not_count' END AS cause
          FROM crm c
          LEFT JOIN LATERAL socialroi.person_first_form(c.email_hash, c.account_id, c.lead_id,
                                                        c.channel) ff ON true
    )
    SELECT a.channel, 'platform', pg_catalog.sum(d.leads)::bigint
      FROM socialroi.ad_daily d JOIN socialroi.bridge_account a USING (account_id)
     WHERE d.day >= p_month AND d.day < p_month + interval '1 month' AND d.leads <> 0
     GROUP BY a.channel
    UNION ALL
    SELECT c.channel, 'crm', 1 FROM crm c
    UNION ALL
    SELECT f.channel, f.cause, 1 FROM form_cause f WHERE f.cause IS NOT NULL
    UNION ALL
    SELECT c.channel, c.cause, -1 FROM crm_cause c WHERE c.cause IS NOT NULL
$$;

-- The month's bridge rows, with the owner's rights (the readers cannot read the tables).
CREATE FUNCTION finance.roi_bridge_month(p_month date)
RETURNS TABLE (channel text, platform_leads bigint, crm_leads bigint, difference bigint,
               form_lead_not_in_crm bigint, repeated_form_submission bigint,
               credited_to_another_channel bigint, day_basis bigint, crm_timing bigint,
               crm_lead_platform_did_not_count bigint, organic_form_lead bigint,
               outside_attribution_window bigint, unexplained bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT c.channel, c.platform, c.crm, c.platform - c.crm, c.not_in_crm, c.repeated,
           c.elsewhere, c.day_basis, c.timing, c.not_counted, c.organic, c.outside,
           c.platform - c.crm - c.not_in_crm - c.repeated - c.elsewhere - c.day_basis
               - c.timing - c.not_counted - c.organic - c.outside
      FROM (SELECT l.channel,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'platform'), 0)::bigint
                       AS platform,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'crm'), 0)::bigint AS crm,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'form_lead_not_in_crm'), 0)
                       ::bigint AS not_in_crm,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'repeated_form_submission'), 0)
                       ::bigint AS repeated,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'credited_to_another_channel'),
                            0)::bigint AS elsewhere,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'day_basis'), 0)::bigint
                       AS day_basis,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'crm_timing'), 0)::bigint
                       AS timing,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'crm_lead_platform_did_not_count'),
                            0)::bigint AS not_counted,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'organic_form_lead'), 0)::bigint
                       AS organic,
                   COALESCE(sum(l.leads) FILTER (WHERE l.what = 'outside_attribution_window'), 0)
                       ::bigint AS outside
              FROM socialroi.roi_bridge_lines(p_month) l
             GROUP BY l.channel) c
$$;
COMMENT ON FUNCTION finance.roi_bridge_month(date) IS
    'The rows of finance.roi_bridge for one month (its first day): per channel, the platform''s '
    'and the CRM''s leads, the difference and its causes.';
REVOKE ALL ON FUNCTION finance.roi_bridge_month(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finance.roi_bridge_month(date) TO socialroi_finance;

-- The months of the bridge: those holding data (socialroi.data_months) and those holding
-- leads, each probed in the index of lead creation times.
CREATE INDEX lead_created_idx ON socialroi.lead (created_at);
CREATE VIEW socialroi.bridge_months AS
SELECT d.month FROM socialroi.data_months d
UNION
SELECT m::date
  FROM (SELECT pg_catalog.min(l.created_at) AT TIME ZONE 'UTC' AS lo,
               pg_catalog.max(l.created_at) AT TIME ZONE 'UTC' AS hi
          FROM socialroi.lead l) b,
       pg_catalog.generate_series(pg_catalog.date_trunc('month', b.lo), b.hi,
                                  interval '1 month') m
 WHERE EXISTS (SELECT 1 FROM socialroi.lead l
                WHERE l.created_at >= m AT TIME ZONE 'UTC'
                  AND l.created_at < (m + interval '1 month') AT TIME ZONE 'UTC');

-- A filter on month keeps rows of socialroi.bridge_months before any figure is computed.
CREATE VIEW finance.roi_bridge AS
SELECT m.month, b.channel, b.platform_leads, b.crm_leads, b.difference, b.form_lead_not_in_crm,
       b.repeated_form_submission, b.credited_to_another_channel, b.day_basis, b.crm_timing,
       b.crm_lead_platform_did_not_count, b.organic_form_lead, b.outside_attribution_window,
       b.unexplained
  FROM socialroi.bridge_months m, LATERAL finance.roi_bridge_month(m.month) b;

COMMENT ON VIEW finance.roi_bridge IS
    'Per channel and month, the leads the platform reported (its ad rows) against the CRM '
    'people socialroi credits to the channel (last touch up to their first CRM record, UTC '
    'month), with the difference broken into causes traced record by record; each cause is its '
    'contribution to platform_leads - crm_leads, and the causes plus unexplained add up to the '
    'difference exactly. Every column adds up across months and channels.';
COMMENT ON COLUMN finance.roi_bridge.month IS
    'The month (first day): the platform''s own day for its counts and form leads, UTC for the '
    'CRM.';
COMMENT ON COLUMN finance.roi_bridge.channel IS 'The platform (facebook, linkedin, ...).';
COMMENT ON COLUMN finance.roi_bridge.platform_leads IS
    'Leads the platform reported for the month (sum of its ad rows'' leads).';
COMMENT ON COLUMN finance.roi_bridge.crm_leads IS
    'CRM people whose first CRM record falls in the month (UTC) and whose last touch up to it '
    'was on the channel; test leads left out.';
COMMENT ON COLUMN finance.roi_bridge.difference IS 'platform_leads - crm_leads.';
COMMENT ON COLUMN finance.roi_bridge.form_lead_not_in_crm IS
    'Form leads of the platform whose person the CRM never recorded (+).';
COMMENT ON COLUMN finance.roi_bridge.repeated_form_submission IS
    'Second and later form leads of one person on the platform: counted by the platform each '
    'time, by the CRM once (+).';
COMMENT ON COLUMN finance.roi_bridge.credited_to_another_channel IS
    'Form leads whose person the CRM credits to another channel (last touch elsewhere) (+).';
COMMENT ON COLUMN finance.roi_bridge.day_basis IS
    'Form leads the platform counts in another month than the CRM because the platform counts '
    'in its account''s time zone and the CRM in UTC: + in the platform''s month, - in the '
    'CRM''s.';
COMMENT ON COLUMN finance.roi_bridge.crm_timing IS
    'Form leads whose person the CRM first recorded in another month for another reason than '
    'the time zone (imported late, known before): + in the form''s month, - in the CRM''s.';
COMMENT ON COLUMN finance.roi_bridge.crm_lead_platform_did_not_count IS
    'CRM people credited to the channel without a form lead on it (a link click, an organic '
    'post), last touch within 7 days of the CRM record (-).';
COMMENT ON COLUMN finance.roi_bridge.organic_form_lead IS
    'CRM people credited to the channel whose form lead on it came from an organic post''s '
    'form, which the platform''s ad rows do not count (-).';
COMMENT ON COLUMN finance.roi_bridge.outside_attribution_window IS
    'CRM people credited to the channel without a form lead on it whose last touch was more '
    'than 7 days (the platform''s default click window) before the CRM record (-).';
COMMENT ON COLUMN finance.roi_bridge.unexplained IS
    'The rest of the difference, never dropped: leads the platform reports without a form '
    'lead socialroi holds (pixel leads, modelled conversions, forms not read).';
GRANT SELECT ON finance.roi_bridge TO socialroi_finance;

-- ---- revenue ------------------------------------------------------------------------------
--
-- The platform side is the conversion value the ad rows report (the pixel's purchase values),
-- converted on its day; the CRM side is the revenue of the deals won in the month (UTC, on
-- their close day), each credited whole to the channel of the last touch of its contacts up to
-- the deal's creation (last_touch, as crediting does). A platform can only report a value its
-- pixel saw within its click window; a B2B deal won weeks after the last click never reaches
-- it. That part is computed; the rest cannot be traced record by record (a platform reports
-- values, not deals) and is shown as unexplained. Amounts without an exchange rate are left out
-- of both sides and their currencies named.
-- One month's rows (its first day), with the owner's rights.
CREATE FUNCTION finance.roi_bridge_revenue_month(p_month date)
RETURNS TABLE (channel text, currency text, platform_revenue numeric(24, 6),
               crm_revenue numeric(24, 6), difference numeric(24, 6),
               outside_attribution_window numeric(24, 6), unexplained numeric(24, 6),
               unconverted_currencies text[])
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
WITH setting AS (
    SELECT s.value AS reporting FROM socialroi.setting s WHERE s.key = 'reporting_currency'
), platform AS (
    SELECT a.channel, d.currency::text,
           CASE WHEN d.currency::text = s.reporting THEN d.conversion_value_micros
                ELSE socialroi.round_even(d.conversion_value_micros * r.rate) END AS micros
      FROM socialroi.ad_daily d JOIN socialroi.bridge_account a USING (account_id) CROSS JOIN setting s
      LEFT JOIN LATERAL (SELECT x.rate FROM socialroi.fx_rate x
                          WHERE x.currency = d.currency AND x.day <= d.day
                          ORDER BY x.day DESC LIMIT 1) r ON true
     WHERE d.conversion_value_micros <> 0
       AND d.day >= p_month AND d.day < p_month + interval '1 month'
), deal AS (
    SELECT d.account_id, d.deal_id, d.created_at, d.closed_at,
           COALESCE(d.currency::text, '???') AS currency,
           CASE WHEN d.currency::text = s.reporting THEN COALESCE(d.amount_micros, 0)
                ELSE socialroi.round_even(COALESCE(d.amount_micros, 0) * r.rate) END AS micros
      FROM socialroi.deal d CROSS JOIN setting s
      LEFT JOIN LATERAL (SELECT x.rate FROM socialroi.fx_rate x
                          WHERE x.currency = d.currency
                            AND x.day <= (d.closed_at AT TIME ZONE 'UTC')::date
                          ORDER BY x.day DESC LIMIT 1) r ON true
     WHERE d.is_won AND d.closed_at >= p_month::timestamp AT TIME ZONE 'UTC'
       AND d.closed_at < (p_month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
), deal_touch AS (
    -- each won deal with the channel and time of the last touch of its contacts (every lead
    -- of each contact's person) up to the deal's creation
    SELECT DISTINCT ON (d.account_id, d.deal_id) d.*,
           socialroi.channel_of(t.platform) AS channel, t.occurred_at AS touched_at
      FROM deal d
      JOIN socialroi.deal_contact dc ON dc.account_id = d.account_id AND dc.deal_id = d.deal_id
      JOIN socialroi.lead c ON c.account_id = dc.account_id AND c.lead_id = dc.lead_id
      JOIN LATERAL (SELECT l.account_id, l.lead_id FROM socialroi.lead l
                     WHERE l.email_hash = c.email_hash AND NOT l.is_test
                    UNION ALL
                    SELECT c.account_id, c.lead_id WHERE c.email_hash IS NULL AND NOT c.is_test) l
                  ON true
      JOIN socialroi.touchpoint t ON t.account_id = l.account_id AND t.lead_id = l.lead_id
                                 AND t.occurred_at <= d.created_at
     ORDER BY d.account_id, d.deal_id, t.occurred_at DESC, t.account_id DESC, t.touch_id DESC
), line AS (
    SELECT p.channel, 'platform'::text AS what, p.micros, p.currency FROM platform p
    UNION ALL
    SELECT d.channel,
           CASE WHEN d.closed_at - d.touched_at > interval '7 days' THEN 'outside' ELSE 'crm' END,
           d.micros, d.currency
      FROM deal_touch d WHERE d.channel IN (SELECT a.channel FROM socialroi.bridge_account a)
), cell AS (
    SELECT l.channel,
           COALESCE(sum(l.micros) FILTER (WHERE l.what = 'platform'), 0) AS platform,
           COALESCE(sum(l.micros) FILTER (WHERE l.what <> 'platform'), 0) AS crm,
           COALESCE(sum(l.micros) FILTER (WHERE l.what = 'outside'), 0) AS outside,
           COALESCE(pg_catalog.array_agg(DISTINCT l.currency ORDER BY l.currency)
                        FILTER (WHERE l.micros IS NULL), '{}') AS unconverted
      FROM line l
     GROUP BY l.channel
)
SELECT c.channel, (SELECT s.reporting FROM setting s) AS currency,
       (c.platform / 1000000)::numeric(24, 6) AS platform_revenue,
       (c.crm / 1000000)::numeric(24, 6) AS crm_revenue,
       ((c.platform - c.crm) / 1000000)::numeric(24, 6) AS difference,
       (-c.outside / 1000000)::numeric(24, 6) AS outside_attribution_window,
       ((c.platform - c.crm + c.outside) / 1000000)::numeric(24, 6) AS unexplained,
       c.unconverted AS unconverted_currencies
  FROM cell c
$$;
COMMENT ON FUNCTION finance.roi_bridge_revenue_month(date) IS
    'The rows of finance.roi_bridge_revenue for one month (its first day).';
REVOKE ALL ON FUNCTION finance.roi_bridge_revenue_month(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finance.roi_bridge_revenue_month(date) TO socialroi_finance;

CREATE VIEW finance.roi_bridge_revenue AS
SELECT m.month, b.channel, b.currency, b.platform_revenue, b.crm_revenue, b.difference,
       b.outside_attribution_window, b.unexplained, b.unconverted_currencies
  FROM socialroi.bridge_months m, LATERAL finance.roi_bridge_revenue_month(m.month) b;



COMMENT ON VIEW finance.roi_bridge_revenue IS
    'Per channel and month, the conversion value the platform reported against the revenue of '
    'the CRM deals won in the month and credited to the channel (last touch of their contacts '
    'up to the deal''s creation), in the reporting currency: outside_attribution_window plus '
    'unexplained add up to the difference exactly. Amounts without an exchange rate are in '
    'neither figure; their currencies are named.';
COMMENT ON COLUMN finance.roi_bridge_revenue.month IS
    'The month (first day): the platform''s own day for its values, the UTC close day for deals.';
COMMENT ON COLUMN finance.roi_bridge_revenue.channel IS 'The platform.';
COMMENT ON COLUMN finance.roi_bridge_revenue.currency IS 'The reporting currency.';
COMMENT ON COLUMN finance.roi_bridge_revenue.platform_revenue IS
    'Conversion value the platform''s ad rows report, converted on each row''s day.';
COMMENT ON COLUMN finance.roi_bridge_revenue.crm_revenue IS
    'Amounts of the deals won in the month credited to the channel, converted on the close day.';
COMMENT ON COLUMN finance.roi_bridge_revenue.difference IS 'platform_revenue - crm_revenue.';
COMMENT ON COLUMN finance.roi_bridge_revenue.outside_attribution_window IS
    'Minus the revenue of the deals won more than 7 days (the platforms'' default click window) '
    'after their last touch on the channel: no platform can report it.';
COMMENT ON COLUMN finance.roi_bridge_revenue.unexplained IS
    'The rest of the difference: values the platform reported that no deal accounts for, and '
    'deals won within the window the platform did not report (not traceable record by record).';
COMMENT ON COLUMN finance.roi_bridge_revenue.unconverted_currencies IS
    'Currencies of platform values or won deals left out of both figures for want of an '
    'exchange rate (??? for a deal without a currency).';
GRANT SELECT ON finance.roi_bridge_revenue TO socialroi_finance;
