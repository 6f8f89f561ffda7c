-- 040_bridge_restated.sql - the lead bridge names the restatements after a month's close.
--
-- A platform restates its days (Meta's attribution settles over a few days, leads forms are
-- deduplicated late); after a month is closed (socialroi close, sql/036) such a change moves
-- the platform's side of finance.roi_bridge, and it would land in `unexplained`. It is
-- traced instead: the updates of the month's ad rows after the standing close's last revision
-- (socialroi.revision, whose rows record each update with its old and new values), summed per
-- channel, as `restated_after_close`. Rows the platform adds after the close are not updates
-- and stay in `unexplained`. The column is added before `unexplained`, so the view and its
-- month function are made again; their comments and grants with them.

-- How much the updates of a month's ad rows after the month's standing close changed the
-- platforms' lead counts, per channel; no row when the month is not closed.
CREATE FUNCTION socialroi.bridge_restated(p_month date)
RETURNS TABLE (channel text, leads bigint)
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT a.channel,
           pg_catalog.sum(COALESCE((r.new_value ->> 'leads')::bigint, 0)
                          - COALESCE((r.old_value ->> 'leads')::bigint, 0))::bigint
      FROM socialroi.period_close c
      JOIN socialroi.revision r ON r.revision_id > c.last_revision_id
                               AND r.table_name = 'ad_daily'
      JOIN socialroi.bridge_account a
        ON a.account_id = (r.fact_key ->> 'account_id')::integer
     WHERE c.period = p_month AND c.reopened_at IS NULL
       AND (r.fact_key ->> 'day')::date >= p_month
       AND (r.fact_key ->> 'day')::date < p_month + interval '1 month'
     GROUP BY a.channel
$$;
COMMENT ON FUNCTION socialroi.bridge_restated(date) IS
    'Per channel, the change in the platforms'' lead counts of a closed month made by updates '
    'of its ad rows after its standing close (finance.roi_bridge.restated_after_close).';

DROP VIEW finance.roi_bridge;
DROP FUNCTION finance.roi_bridge_month(date);

-- finance.roi_bridge_month as sql/039 defined it, with restated_after_close taken out of the
-- unexplained rest.
CREATE FUNCTION finance.roi_bridge_month(p_month date)
RETURNS TABLE (channel text, platform_leads bigint, crm_leads bigint, difference bigint,
               form_lead_not_in_crm bigint, repeated_form_submission bigint,
               credited_to_another_channel bigint, day_basis bigint, crm_timing bigint,
               crm_lead_platform_did_not_count bigint, organic_form_lead bigint,
               outside_attribution_window bigint, restated_after_close bigint,
               unexplained bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT c.channel, c.platform, c.crm, c.platform - c.crm, c.not_in_crm, c.repeated,
           c.elsewhere, c.day_basis, c.timing, c.not_counted, c.organic, c.outside,
           COALESCE(x.leads, 0),
           c.platform - c.crm - c.not_in_crm - c.repeated - c.elsewhere - c.day_basis
               - c.timing - c.not_counted - c.organic - c.outside - COALESCE(x.leads, 0)
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
              FROM socialroi.bridge_lines(p_month) l
             GROUP BY l.channel) c
      LEFT JOIN socialroi.bridge_restated(p_month) x USING (channel)
$$;
COMMENT ON FUNCTION finance.roi_bridge_month(date) IS
    'The rows of finance.roi_bridge for one month (its first day): per channel, the platform''s '
    'and the CRM''s leads, the difference and its causes.';
REVOKE ALL ON FUNCTION finance.roi_bridge_month(date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION finance.roi_bridge_month(date) TO socialroi_finance;

CREATE VIEW finance.roi_bridge AS
SELECT m.month, b.channel, b.platform_leads, b.crm_leads, b.difference, b.form_lead_not_in_crm,
       b.repeated_form_submission, b.credited_to_another_channel, b.day_basis, b.crm_timing,
       b.crm_lead_platform_did_not_count, b.organic_form_lead, b.outside_attribution_window,
       b.restated_after_close, b.unexplained
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
COMMENT ON COLUMN finance.roi_bridge.restated_after_close IS
    'Under a standing close of the month: how much the platform''s restatements after the '
    'close (updates of its ad rows, socialroi.revision) changed its lead count (+ when they '
    'raised it); 0 for a month not closed.';
COMMENT ON COLUMN finance.roi_bridge.unexplained IS
    'The rest of the difference, never dropped: leads the platform reports without a form '
    'lead socialroi holds (pixel leads, modelled conversions, forms not read).';
GRANT SELECT ON finance.roi_bridge TO socialroi_finance;
