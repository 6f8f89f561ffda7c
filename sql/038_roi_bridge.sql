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

CREATE VIEW finance.roi_bridge AS
WITH acct AS (
    -- each account's channel and the time zone its platform counts days in
    SELECT a.account_id, a.platform AS channel,
           CASE (SELECT d.day_basis FROM socialroi.ad_daily d
                  WHERE d.account_id = a.account_id LIMIT 1)
                WHEN 'account_tz' THEN COALESCE(a.timezone, 'UTC')
                WHEN 'pacific' THEN 'America/Los_Angeles'
                ELSE 'UTC' END AS tz
      FROM socialroi.account a
     WHERE a.platform <> 'hubspot'
), person_lead AS (
    SELECT COALESCE(l.email_hash, l.account_id || ':' || l.lead_id) AS person, l.account_id,
           l.lead_id, l.source, l.created_at, l.campaign_id
      FROM socialroi.lead l
     WHERE NOT l.is_test
), crm_first AS (
    SELECT p.person, pg_catalog.min(p.created_at) AS at
      FROM person_lead p WHERE p.source = 'crm' GROUP BY p.person
), crm AS (
    -- each CRM person with the channel and time of their last touch up to the first CRM record
    SELECT DISTINCT ON (c.person) c.person,
           pg_catalog.date_trunc('month', c.at AT TIME ZONE 'UTC')::date AS month,
           c.at, socialroi.channel_of(t.platform) AS channel, t.occurred_at AS touched_at
      FROM crm_first c
      LEFT JOIN person_lead p ON p.person = c.person
      LEFT JOIN socialroi.touchpoint t ON t.account_id = p.account_id AND t.lead_id = p.lead_id
                                      AND t.occurred_at <= c.at
     ORDER BY c.person, t.occurred_at DESC NULLS LAST, t.account_id DESC, t.touch_id DESC
), form AS (
    SELECT p.person, a.channel,
           pg_catalog.date_trunc('month', p.created_at AT TIME ZONE a.tz)::date AS month,
           pg_catalog.date_trunc('month', p.created_at AT TIME ZONE 'UTC')::date AS utc_month,
           pg_catalog.row_number() OVER (PARTITION BY p.person, a.channel
                                         ORDER BY p.created_at, p.account_id, p.lead_id) AS nth
      FROM person_lead p JOIN acct a USING (account_id)
     WHERE p.source = 'form' AND p.campaign_id IS NOT NULL
), organic AS (
    -- lead forms of organic posts: the platforms' ad rows do not count them
    SELECT DISTINCT p.person, a.channel
      FROM person_lead p JOIN acct a USING (account_id)
     WHERE p.source = 'form' AND p.campaign_id IS NULL
), form_cause AS (
    SELECT f.channel, f.month AS form_month, c.month AS crm_month,
           CASE WHEN c.person IS NULL THEN 'form_lead_not_in_crm'
                WHEN f.nth > 1 THEN 'repeated_form_submission'
                WHEN c.channel IS DISTINCT FROM f.channel THEN 'credited_to_another_channel'
                WHEN f.month <> c.month AND f.utc_month = c.month THEN 'day_basis'
                WHEN f.month <> c.month THEN 'crm_timing' END AS cause
      FROM form f LEFT JOIN crm c USING (person)
), line AS (
    SELECT a.channel, pg_catalog.date_trunc('month', d.day)::date AS month,
           'platform'::text AS what, d.leads
      FROM socialroi.ad_daily d JOIN acct a USING (account_id)
     WHERE d.leads <> 0
    UNION ALL
    SELECT c.channel, c.month, 'crm', 1
      FROM crm c WHERE c.channel IN (SELECT a.channel FROM acct a)
    UNION ALL
    SELECT f.channel, f.form_month, f.cause, 1 FROM form_cause f WHERE f.cause IS NOT NULL
    UNION ALL
    SELECT f.channel, f.crm_month, f.cause, -1
      FROM form_cause f WHERE f.cause IN ('day_basis', 'crm_timing')
    UNION ALL
    SELECT c.channel, c.month,
           CASE WHEN EXISTS (SELECT 1 FROM organic o
                              WHERE o.person = c.person AND o.channel = c.channel)
                THEN 'organic_form_lead'
                WHEN c.at - c.touched_at > interval '7 days' THEN 'outside_attribution_window'
                ELSE 'crm_lead_platform_did_not_count' END,
           -1
      FROM crm c
     WHERE c.channel IN (SELECT a.channel FROM acct a)
       AND NOT EXISTS (SELECT 1 FROM form f
                        WHERE f.person = c.person AND f.channel = c.channel AND f.nth = 1)
), cell AS (
    SELECT l.month, l.channel,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'platform'), 0)::bigint AS platform,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'crm'), 0)::bigint AS crm,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'form_lead_not_in_crm'), 0)::bigint
               AS not_in_crm,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'repeated_form_submission'), 0)::bigint
               AS repeated,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'credited_to_another_channel'), 0)
               ::bigint AS elsewhere,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'day_basis'), 0)::bigint AS day_basis,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'crm_timing'), 0)::bigint AS timing,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'crm_lead_platform_did_not_count'), 0)
               ::bigint AS not_counted,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'organic_form_lead'), 0)::bigint
               AS organic,
           COALESCE(sum(l.leads) FILTER (WHERE l.what = 'outside_attribution_window'), 0)
               ::bigint AS outside
      FROM line l
     GROUP BY l.month, l.channel
)
SELECT c.month, c.channel, c.platform AS platform_leads, c.crm AS crm_leads,
       c.platform - c.crm AS difference, c.not_in_crm AS form_lead_not_in_crm,
       c.repeated AS repeated_form_submission, c.elsewhere AS credited_to_another_channel,
       c.day_basis, c.timing AS crm_timing, c.not_counted AS crm_lead_platform_did_not_count,
       c.organic AS organic_form_lead, c.outside AS outside_attribution_window,
       c.platform - c.crm - c.not_in_crm - c.repeated - c.elsewhere - c.day_basis - c.timing
           - c.not_counted - c.organic - c.outside AS unexplained
  FROM cell c;

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
CREATE VIEW finance.roi_bridge_revenue AS
WITH setting AS (
    SELECT s.value AS reporting FROM socialroi.setting s WHERE s.key = 'reporting_currency'
), acct AS (
    SELECT a.account_id, a.platform AS channel FROM socialroi.account a
     WHERE a.platform <> 'hubspot'
), platform AS (
    SELECT a.channel, pg_catalog.date_trunc('month', d.day)::date AS month, d.currency::text,
           CASE WHEN d.currency::text = s.reporting THEN d.conversion_value_micros
                ELSE socialroi.round_even(d.conversion_value_micros * r.rate) END AS micros
      FROM socialroi.ad_daily d JOIN acct a USING (account_id) CROSS JOIN setting s
      LEFT JOIN LATERAL (SELECT x.rate FROM socialroi.fx_rate x
                          WHERE x.currency = d.currency AND x.day <= d.day
                          ORDER BY x.day DESC LIMIT 1) r ON true
     WHERE d.conversion_value_micros <> 0
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
     WHERE d.is_won AND d.closed_at IS NOT NULL
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
    SELECT p.channel, p.month, 'platform'::text AS what, p.micros, p.currency FROM platform p
    UNION ALL
    SELECT d.channel, pg_catalog.date_trunc('month', d.closed_at AT TIME ZONE 'UTC')::date,
           CASE WHEN d.closed_at - d.touched_at > interval '7 days' THEN 'outside' ELSE 'crm' END,
           d.micros, d.currency
      FROM deal_touch d WHERE d.channel IN (SELECT a.channel FROM acct a)
), cell AS (
    SELECT l.month, l.channel,
           COALESCE(sum(l.micros) FILTER (WHERE l.what = 'platform'), 0) AS platform,
           COALESCE(sum(l.micros) FILTER (WHERE l.what <> 'platform'), 0) AS crm,
           COALESCE(sum(l.micros) FILTER (WHERE l.what = 'outside'), 0) AS outside,
           COALESCE(pg_catalog.array_agg(DISTINCT l.currency ORDER BY l.currency)
                        FILTER (WHERE l.micros IS NULL), '{}') AS unconverted
      FROM line l
     GROUP BY l.month, l.channel
)
-- (micro-units to amounts inline: the readers may not call functions of schema socialroi
-- whose bodies name it, as socialroi.money's does)
SELECT c.month, c.channel, (SELECT s.reporting FROM setting s) AS currency,
       (c.platform / 1000000)::numeric(24, 6) AS platform_revenue,
       (c.crm / 1000000)::numeric(24, 6) AS crm_revenue,
       ((c.platform - c.crm) / 1000000)::numeric(24, 6) AS difference,
       (-c.outside / 1000000)::numeric(24, 6) AS outside_attribution_window,
       ((c.platform - c.crm + c.outside) / 1000000)::numeric(24, 6) AS unexplained,
       c.unconverted AS unconverted_currencies
  FROM cell c;

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
