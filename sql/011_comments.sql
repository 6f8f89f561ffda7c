-- 011_comments.sql: what the readers see in their BI tool or psql (\d+, \df+): every schema,
-- view, column and function a reader role can use documented in the database itself, in the
-- words of the README ("Dashboard and finance views").
--
-- tests/sql/011_comments.sql fails when a column of any view in dashboard or finance has no
-- comment, so a migration that adds or redefines a view comments it in the same file.

-- ---- schemas ----------------------------------------------------------------------------------

COMMENT ON SCHEMA dashboard IS
    'Views for marketing managers: channel activity, top content, the funnel and data health. '
    'Readable by socialroi_dashboard and socialroi_finance.';
COMMENT ON SCHEMA finance IS
    'Views for finance: ROI per campaign and channel, spend against budget. Amounts are numeric '
    'in major units of the reporting currency with six decimals; every row names its currency '
    'and attribution model. Readable by socialroi_finance.';

-- ---- dashboard.channel_daily ------------------------------------------------------------------

COMMENT ON VIEW dashboard.channel_daily IS
    'One row per platform, account and UTC day with any activity.';
COMMENT ON COLUMN dashboard.channel_daily.platform IS
    'The platform (x, facebook, instagram, linkedin, youtube, pinterest, hubspot).';
COMMENT ON COLUMN dashboard.channel_daily.account IS
    'The configured account name.';
COMMENT ON COLUMN dashboard.channel_daily.day IS
    'The day (the platform''s own day basis for its daily metrics).';
COMMENT ON COLUMN dashboard.channel_daily.impressions IS
    'Daily impressions the platform reports.';
COMMENT ON COLUMN dashboard.channel_daily.reach IS
    'Daily reach the platform reports (NULL where it reports none).';
COMMENT ON COLUMN dashboard.channel_daily.views IS
    'Daily views the platform reports (NULL where it reports none).';
COMMENT ON COLUMN dashboard.channel_daily.clicks IS
    'Clicks plus link clicks.';
COMMENT ON COLUMN dashboard.channel_daily.engagements IS
    'The platform''s daily engagement metric where it has one, else its daily likes + comments + '
    'shares + quotes + saves + bookmarks, else the day''s growth of the posts'' interaction '
    'counters (X).';
COMMENT ON COLUMN dashboard.channel_daily.engagement_rate IS
    'engagements / impressions (NULL when there are no impressions).';
COMMENT ON COLUMN dashboard.channel_daily.followers IS
    'The last follower count observed that day.';
COMMENT ON COLUMN dashboard.channel_daily.followers_growth IS
    'Followers gained - lost as reported, else the change of the follower count since the '
    'previous observed day.';
COMMENT ON COLUMN dashboard.channel_daily.posts IS
    'Content published that day.';
COMMENT ON COLUMN dashboard.channel_daily.watch_time_seconds IS
    'YouTube watch time, in seconds.';
COMMENT ON COLUMN dashboard.channel_daily.paid_impressions IS
    'The day''s ad impressions of the account''s ad campaigns.';
COMMENT ON COLUMN dashboard.channel_daily.paid_clicks IS
    'The day''s ad clicks of the account''s ad campaigns.';

-- ---- dashboard.channel_monthly ----------------------------------------------------------------

COMMENT ON VIEW dashboard.channel_monthly IS
    'dashboard.channel_daily per calendar month: amounts summed, followers at the last '
    'observation of the month, engagement_rate from the month''s sums.';
COMMENT ON COLUMN dashboard.channel_monthly.platform IS
    'The platform (x, facebook, instagram, linkedin, youtube, pinterest, hubspot).';
COMMENT ON COLUMN dashboard.channel_monthly.account IS
    'The configured account name.';
COMMENT ON COLUMN dashboard.channel_monthly.month IS
    'The calendar month (its first day).';
COMMENT ON COLUMN dashboard.channel_monthly.impressions IS
    'Impressions the platform reports, summed over the month.';
COMMENT ON COLUMN dashboard.channel_monthly.reach IS
    'Daily reach summed over the month (NULL where the platform reports none).';
COMMENT ON COLUMN dashboard.channel_monthly.views IS
    'Daily views summed over the month (NULL where the platform reports none).';
COMMENT ON COLUMN dashboard.channel_monthly.clicks IS
    'Clicks plus link clicks, summed over the month.';
COMMENT ON COLUMN dashboard.channel_monthly.engagements IS
    'Daily engagements (see dashboard.channel_daily) summed over the month.';
COMMENT ON COLUMN dashboard.channel_monthly.engagement_rate IS
    'engagements / impressions from the month''s sums (NULL when there are no impressions).';
COMMENT ON COLUMN dashboard.channel_monthly.followers IS
    'The follower count at the last observation of the month.';
COMMENT ON COLUMN dashboard.channel_monthly.followers_growth IS
    'Daily followers_growth summed over the month.';
COMMENT ON COLUMN dashboard.channel_monthly.posts IS
    'Content published in the month.';
COMMENT ON COLUMN dashboard.channel_monthly.watch_time_seconds IS
    'YouTube watch time in the month, in seconds.';
COMMENT ON COLUMN dashboard.channel_monthly.paid_impressions IS
    'Ad impressions of the account''s ad campaigns in the month.';
COMMENT ON COLUMN dashboard.channel_monthly.paid_clicks IS
    'Ad clicks of the account''s ad campaigns in the month.';

-- ---- dashboard.top_content --------------------------------------------------------------------

COMMENT ON VIEW dashboard.top_content IS
    'Every post, video, pin or medium with its latest counters, ranked by engagements within '
    'its platform and month.';
COMMENT ON COLUMN dashboard.top_content.platform IS
    'The platform the content was published on.';
COMMENT ON COLUMN dashboard.top_content.account IS
    'The configured account name.';
COMMENT ON COLUMN dashboard.top_content.content_id IS
    'The platform''s id of the post, video, pin or medium.';
COMMENT ON COLUMN dashboard.top_content.kind IS
    'What it is: tweet, post, media, reel, story or video.';
COMMENT ON COLUMN dashboard.top_content.title IS
    'Its title or text.';
COMMENT ON COLUMN dashboard.top_content.url IS
    'Where it can be seen on the platform.';
COMMENT ON COLUMN dashboard.top_content.published_at IS
    'When it was published.';
COMMENT ON COLUMN dashboard.top_content.month IS
    'The UTC month it was published (its first day).';
COMMENT ON COLUMN dashboard.top_content.engagements IS
    'Latest likes + comments + shares + quotes + saves + bookmarks.';
COMMENT ON COLUMN dashboard.top_content.likes IS
    'Latest lifetime like count (NULL when the platform gives none).';
COMMENT ON COLUMN dashboard.top_content.comments IS
    'Latest lifetime comment count (NULL when the platform gives none).';
COMMENT ON COLUMN dashboard.top_content.shares IS
    'Latest lifetime share count (NULL when the platform gives none).';
COMMENT ON COLUMN dashboard.top_content.impressions IS
    'Latest lifetime impressions (NULL when the platform gives none).';
COMMENT ON COLUMN dashboard.top_content.views IS
    'Latest lifetime views (NULL when the platform gives none).';
COMMENT ON COLUMN dashboard.top_content.reach IS
    'Latest lifetime reach (NULL when the platform gives none).';
COMMENT ON COLUMN dashboard.top_content.engagement_rate IS
    'engagements / impressions (or views where there are no impressions).';
COMMENT ON COLUMN dashboard.top_content.rank_in_month IS
    'Rank by engagements among the platform''s content of the same month (1 is the best).';

-- ---- dashboard.funnel -------------------------------------------------------------------------

COMMENT ON VIEW dashboard.funnel IS
    'Per business campaign and month, the five stages (interest, consideration, trial, loyalty, '
    'advocacy) and the rate from each stage to the next.';
COMMENT ON COLUMN dashboard.funnel.campaign IS
    'The business campaign (its configured name).';
COMMENT ON COLUMN dashboard.funnel.title IS
    'The business campaign''s title.';
COMMENT ON COLUMN dashboard.funnel.month IS
    'The calendar month (its first day).';
COMMENT ON COLUMN dashboard.funnel.interest_impressions IS
    'Ad impressions of its linked ad campaigns plus impressions of its content.';
COMMENT ON COLUMN dashboard.funnel.interest_reach IS
    'Reach of its content.';
COMMENT ON COLUMN dashboard.funnel.consideration_engagements IS
    'Interactions with its content and ads.';
COMMENT ON COLUMN dashboard.funnel.consideration_clicks IS
    'Ad clicks of its linked ad campaigns.';
COMMENT ON COLUMN dashboard.funnel.trial_leads IS
    'Leads credited to it (linear model).';
COMMENT ON COLUMN dashboard.funnel.loyalty_won_deals IS
    'Won deals touched by it.';
COMMENT ON COLUMN dashboard.funnel.loyalty_customers IS
    'Customers credited to it (linear model).';
COMMENT ON COLUMN dashboard.funnel.advocacy_shares IS
    'Shares of its content and ads.';
COMMENT ON COLUMN dashboard.funnel.advocacy_positive_mentions IS
    'Positive mentions (sentiment above 0.25) that name one of its utm_campaign values.';
COMMENT ON COLUMN dashboard.funnel.interest_to_consideration IS
    '(engagements + clicks) / impressions.';
COMMENT ON COLUMN dashboard.funnel.consideration_to_trial IS
    'leads / (engagements + clicks).';
COMMENT ON COLUMN dashboard.funnel.trial_to_loyalty IS
    'customers / leads.';
COMMENT ON COLUMN dashboard.funnel.loyalty_to_advocacy IS
    '(shares + positive mentions) / customers.';

-- ---- dashboard.data_health --------------------------------------------------------------------

COMMENT ON VIEW dashboard.data_health IS
    'One row per polling job (account and stream), for whoever keeps the data flowing.';
COMMENT ON COLUMN dashboard.data_health.account IS
    'The configured account name of the job.';
COMMENT ON COLUMN dashboard.data_health.platform IS
    'The platform of the job.';
COMMENT ON COLUMN dashboard.data_health.stream IS
    'The stream the job polls (such as facebook.ads_insights).';
COMMENT ON COLUMN dashboard.data_health.account_state IS
    'ok, or needs_reauth (polling stopped until a new token is configured).';
COMMENT ON COLUMN dashboard.data_health.enabled IS
    'The account is enabled in the configuration.';
COMMENT ON COLUMN dashboard.data_health.last_success IS
    'End of the last complete run.';
COMMENT ON COLUMN dashboard.data_health.lag IS
    'The time since the end of the last complete run.';
COMMENT ON COLUMN dashboard.data_health.failures IS
    'Consecutive failed attempts.';
COMMENT ON COLUMN dashboard.data_health.last_error_class IS
    'The class of the last error (throttled, quota, auth, permission, bad_request, not_found, '
    'transient, malformed).';
COMMENT ON COLUMN dashboard.data_health.next_due IS
    'When the job runs next.';
COMMENT ON COLUMN dashboard.data_health.token_expires_at IS
    'When the account''s access token expires, where known.';
COMMENT ON COLUMN dashboard.data_health.gaps_30d IS
    'Days of the last 30 without any daily metric (streams that deliver daily metrics only).';

-- ---- finance.campaign_roi ---------------------------------------------------------------------

COMMENT ON VIEW finance.campaign_roi IS
    'Per calendar month, business campaign and attribution model (first_touch, last_touch, '
    'linear, position_based, time_decay, platform_reported), plus the (unattributed) and '
    '(no campaign) rows; use finance.roi(from, to, by, model) for any other period.';
COMMENT ON COLUMN finance.campaign_roi.month IS
    'The calendar month (its first day).';
COMMENT ON COLUMN finance.campaign_roi.campaign IS
    'The business campaign; (unattributed) holds conversions without any touch, (no campaign) '
    'the credit of touches that belong to no business campaign.';
COMMENT ON COLUMN finance.campaign_roi.title IS
    'The business campaign''s title.';
COMMENT ON COLUMN finance.campaign_roi.platform IS
    'For platform_reported only: the platform whose own counts these are.';
COMMENT ON COLUMN finance.campaign_roi.model IS
    'The attribution model.';
COMMENT ON COLUMN finance.campaign_roi.currency IS
    'The reporting currency of every amount in the row.';
COMMENT ON COLUMN finance.campaign_roi.platform_spend IS
    'Spend reported by the ad platforms.';
COMMENT ON COLUMN finance.campaign_roi.configured_spend IS
    'Spend from the configured spend lines.';
COMMENT ON COLUMN finance.campaign_roi.spend IS
    'platform_spend + configured_spend.';
COMMENT ON COLUMN finance.campaign_roi.unconverted_currencies IS
    'Currencies of amounts left out for want of an exchange rate.';
COMMENT ON COLUMN finance.campaign_roi.leads IS
    'Credited leads (sum of weights); for platform_reported the platforms'' own lead counts.';
COMMENT ON COLUMN finance.campaign_roi.customers IS
    'Credited won deals (sum of weights); for platform_reported the platforms'' own conversion '
    'counts.';
COMMENT ON COLUMN finance.campaign_roi.revenue IS
    'Credited revenue of won deals (for platform_reported the platforms'' conversion value).';
COMMENT ON COLUMN finance.campaign_roi.roi IS
    '(revenue - spend) / spend (NULL when spend is zero).';
COMMENT ON COLUMN finance.campaign_roi.roas IS
    'revenue / spend (NULL when spend is zero).';
COMMENT ON COLUMN finance.campaign_roi.cost_per_lead IS
    'spend / leads, to the micro-unit (half to even).';
COMMENT ON COLUMN finance.campaign_roi.customer_acquisition_cost IS
    'spend / customers, to the micro-unit (half to even).';

-- ---- finance.channel_roi ----------------------------------------------------------------------

COMMENT ON VIEW finance.channel_roi IS
    'finance.campaign_roi per channel (platform) instead of campaign: one row per channel, '
    'calendar month and attribution model.';
COMMENT ON COLUMN finance.channel_roi.month IS
    'The calendar month (its first day).';
COMMENT ON COLUMN finance.channel_roi.channel IS
    'The platform; (configured) holds the configured spend no platform reports, '
    '(unattributed) the conversions without any touch.';
COMMENT ON COLUMN finance.channel_roi.model IS
    'The attribution model.';
COMMENT ON COLUMN finance.channel_roi.currency IS
    'The reporting currency of every amount in the row.';
COMMENT ON COLUMN finance.channel_roi.platform_spend IS
    'Spend reported by the ad platforms.';
COMMENT ON COLUMN finance.channel_roi.configured_spend IS
    'Spend from the configured spend lines.';
COMMENT ON COLUMN finance.channel_roi.spend IS
    'platform_spend + configured_spend.';
COMMENT ON COLUMN finance.channel_roi.unconverted_currencies IS
    'Currencies of amounts left out for want of an exchange rate.';
COMMENT ON COLUMN finance.channel_roi.leads IS
    'Credited leads (sum of weights).';
COMMENT ON COLUMN finance.channel_roi.customers IS
    'Credited won deals (sum of weights).';
COMMENT ON COLUMN finance.channel_roi.revenue IS
    'Credited revenue of won deals.';
COMMENT ON COLUMN finance.channel_roi.roi IS
    '(revenue - spend) / spend (NULL when spend is zero).';
COMMENT ON COLUMN finance.channel_roi.roas IS
    'revenue / spend (NULL when spend is zero).';
COMMENT ON COLUMN finance.channel_roi.cost_per_lead IS
    'spend / leads, to the micro-unit (half to even).';
COMMENT ON COLUMN finance.channel_roi.customer_acquisition_cost IS
    'spend / customers, to the micro-unit (half to even).';

-- ---- finance.spend_reconciliation -------------------------------------------------------------

COMMENT ON VIEW finance.spend_reconciliation IS
    'Budget against spend per business campaign, over its whole life.';
COMMENT ON COLUMN finance.spend_reconciliation.campaign IS
    'The business campaign (its configured name).';
COMMENT ON COLUMN finance.spend_reconciliation.title IS
    'The business campaign''s title.';
COMMENT ON COLUMN finance.spend_reconciliation.active IS
    'False once the campaign is removed from the configuration.';
COMMENT ON COLUMN finance.spend_reconciliation.start_day IS
    'The campaign''s first day.';
COMMENT ON COLUMN finance.spend_reconciliation.end_day IS
    'The campaign''s last day (NULL when open).';
COMMENT ON COLUMN finance.spend_reconciliation.currency IS
    'The reporting currency of every amount in the row.';
COMMENT ON COLUMN finance.spend_reconciliation.budget IS
    'The configured budget, converted on the start day.';
COMMENT ON COLUMN finance.spend_reconciliation.platform_spend IS
    'Spend reported by the ad platforms, to date.';
COMMENT ON COLUMN finance.spend_reconciliation.configured_spend IS
    'Spend from the configured spend lines, to date.';
COMMENT ON COLUMN finance.spend_reconciliation.spend IS
    'platform_spend + configured_spend, to date.';
COMMENT ON COLUMN finance.spend_reconciliation.remaining IS
    'budget - spend.';
COMMENT ON COLUMN finance.spend_reconciliation.unconverted_currencies IS
    'Currencies of amounts left out for want of an exchange rate.';
COMMENT ON COLUMN finance.spend_reconciliation.budget_used IS
    'spend / budget.';
COMMENT ON COLUMN finance.spend_reconciliation.time_elapsed IS
    'Share of the campaign''s days gone by (0 to 1).';
COMMENT ON COLUMN finance.spend_reconciliation.pacing IS
    'budget_used / time_elapsed: above 1 the campaign spends faster than planned.';

-- ---- functions the readers may call -----------------------------------------------------------

COMMENT ON FUNCTION finance.roi(date, date, text, text) IS
    'ROI figures for any period: finance.roi(from, to, by, model), by campaign (default), '
    'channel or total, model first_touch, last_touch, linear (default), position_based, '
    'time_decay or platform_reported; the columns of finance.campaign_roi.';
COMMENT ON FUNCTION finance.roi_report(date, date, text, text) IS
    'The exact figures socialroi report roi prints: roi_report(from, to, by, model), by '
    'campaign, channel or month; money in integer micro-units, ratios rounded half to even to '
    'six places.';
COMMENT ON FUNCTION finance.months() IS
    'The calendar months that have spend, credit or ad delivery (the months of the monthly '
    'finance views).';
COMMENT ON FUNCTION finance.reconciliation() IS
    'The rows of finance.spend_reconciliation.';
COMMENT ON FUNCTION dashboard.channel_report(date, date, text) IS
    'Channel activity for socialroi report channels: dashboard.channel_daily summed over '
    'channel_report(from, to, by), by channel or month.';
COMMENT ON FUNCTION dashboard.funnel_rows() IS
    'The stage counts behind dashboard.funnel.';

-- Helpers of the dashboard schema that readers may call where this schema has them (they are
-- commented when present, so this file applies whether or not they exist).
DO $$
DECLARE
    f record;
BEGIN
    FOR f IN SELECT * FROM (VALUES
        ('dashboard.round6(numeric)',
         'x rounded half to even to six decimal places, trailing zeros dropped: the rounding of '
         'the ratios in the views and reports.'),
        ('dashboard.reporting_currency()',
         'The reporting currency every amount is converted into ([daemon] reporting_currency).'))
        AS t(sig, doc)
    LOOP
        IF pg_catalog.to_regprocedure(f.sig) IS NOT NULL THEN
            EXECUTE pg_catalog.format('COMMENT ON FUNCTION %s IS %L',
                                      pg_catalog.to_regprocedure(f.sig), f.doc);
        END IF;
    END LOOP;
END
$$;
