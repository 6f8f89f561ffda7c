-- 026_metric_breaks.sql - breaks in series: the dated registry of platform metric redefinitions.
--
-- Platforms rename, redefine and retire metrics. A chart of Instagram views across 2025-04-21
-- jumps because views then began to count what impressions and plays counted before, not
-- because the audience grew. socialroi.metric_break records each such change: when, on which
-- platform, which canonical metric it touches, what changed and where the platform says so.
-- dashboard.metric_breaks shows it to the readers, so a chart can mark the dates.

CREATE TABLE socialroi.metric_break (
    break_id          integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    platform          text NOT NULL CHECK (platform IN
                          ('x', 'facebook', 'instagram', 'linkedin', 'youtube', 'pinterest',
                           'hubspot')),
    effective         date NOT NULL,
    metric            text NOT NULL,
    platform_metrics  text NOT NULL,
    change            text NOT NULL,
    source_url        text NOT NULL CHECK (source_url ~ '^https://'),
    UNIQUE (platform, effective, metric)
);
COMMENT ON TABLE socialroi.metric_break IS
    'Dated redefinitions of platform metrics (breaks in series), seeded by the migrations.';
COMMENT ON COLUMN socialroi.metric_break.break_id IS 'Identity of the break.';
COMMENT ON COLUMN socialroi.metric_break.platform IS 'The platform whose metric changed.';
COMMENT ON COLUMN socialroi.metric_break.effective IS
    'The first day (UTC) the platform reports the metric the new way, or no longer reports it.';
COMMENT ON COLUMN socialroi.metric_break.metric IS
    'The canonical metric whose series breaks (socialroi''s name: views, reach, followers...).';
COMMENT ON COLUMN socialroi.metric_break.platform_metrics IS
    'The platform''s own metric names the change concerns, comma-separated.';
COMMENT ON COLUMN socialroi.metric_break.change IS 'What changed, in words.';
COMMENT ON COLUMN socialroi.metric_break.source_url IS
    'Where the platform announces or documents the change.';

INSERT INTO socialroi.metric_break (platform, effective, metric, platform_metrics, change,
                                    source_url) VALUES
('instagram', '2025-04-21', 'views',
 'views, impressions, plays, clips_replays_count, ig_reels_aggregated_all_plays_count',
 'views replaces impressions and the Reels plays metrics of Instagram media and accounts: '
 'impressions, plays, clips_replays_count and ig_reels_aggregated_all_plays_count are '
 'retired on every API version (from v22.0 earlier); views counts every time content is '
 'played or displayed, so a views series rises where impressions or plays were counted before',
 'https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights'),
('youtube', '2025-03-31', 'views', 'views, engagedViews',
 'A view of a Short counts every time it starts to play or replays, with no minimum watch '
 'time; the earlier measure is engaged views. Long-form videos are unchanged. The bulk '
 'reports followed on 2025-06-30 with new report versions and an engaged_views column',
 'https://developers.google.com/youtube/analytics/revision_history'),
('facebook', '2025-11-15', 'impressions',
 'page_impressions, page_impressions_paid, page_impressions_viral, page_impressions_nonviral, '
 'post_impressions, post_impressions_paid, post_impressions_fan, post_impressions_organic, '
 'post_impressions_viral, post_impressions_nonviral',
 'Page Insights impressions are retired on every API version (an invalid metric error); the '
 'replacement is views: page_media_view and post_media_view, the number of times content was '
 'played or displayed. An impressions series of a Page ends here and continues as views',
 'https://developers.facebook.com/blog/post/2025/08/15/page-insights-api-updates/'),
('facebook', '2025-11-15', 'followers',
 'page_fans, page_fans_locale, page_fans_city, page_fans_country, page_fan_adds, '
 'page_fan_adds_unique, page_fan_removes, page_fan_removes_unique',
 'The Page fans (likes of the Page) metrics are retired on every API version; a Page''s '
 'audience is its followers: page_follows and page_daily_follows_unique. A series of fans '
 'ends here; followers count follows, not likes',
 'https://developers.facebook.com/documentation/pages-api/changelog/'),
('facebook', '2026-06-15', 'reach',
 'page_impressions_unique, page_impressions_paid_unique, page_impressions_viral_unique, '
 'page_impressions_nonviral_unique, page_posts_impressions_unique, '
 'page_posts_impressions_paid_unique, page_posts_impressions_organic_unique, '
 'page_posts_impressions_viral_unique, page_posts_impressions_nonviral_unique, '
 'post_impressions_unique, post_impressions_paid_unique, post_impressions_fan_unique, '
 'post_impressions_organic_unique, post_impressions_viral_unique, '
 'post_impressions_nonviral_unique',
 'The unique-impressions (reach) family is retired on every API version; reach is '
 'page_total_media_view_unique and post_total_media_view_unique, the people who saw any of '
 'the content at least once. (The deprecated-metrics page, updated 2026-03-02, lists this '
 'above the 2025-11-15 retirements but prints the year as 2025.)',
 'https://developers.facebook.com/documentation/pages-api/platforminsights/page/deprecated-metrics'),
('youtube', '2026-08-27', 'views', 'viewCount, views, engagedViews',
 'YouTube counts public views of every format (long-form videos, live streams and Shorts) '
 'as soon as a video starts to play, as Shorts since 2025-03-31; the earlier measure stays '
 'as engaged views. The date is that of the revision history entry announcing it',
 'https://developers.google.com/youtube/analytics/revision_history');

CREATE VIEW dashboard.metric_breaks AS
SELECT platform, effective, metric, platform_metrics, change, source_url
  FROM socialroi.metric_break;
COMMENT ON VIEW dashboard.metric_breaks IS
    'Dated redefinitions of platform metrics: a series of the metric on the platform is not '
    'comparable across the effective day.';
COMMENT ON COLUMN dashboard.metric_breaks.platform IS 'The platform whose metric changed.';
COMMENT ON COLUMN dashboard.metric_breaks.effective IS
    'The first day (UTC) the platform reports the metric the new way, or no longer reports it.';
COMMENT ON COLUMN dashboard.metric_breaks.metric IS
    'The canonical metric whose series breaks, as in dashboard.channel_daily and the other views.';
COMMENT ON COLUMN dashboard.metric_breaks.platform_metrics IS
    'The platform''s own metric names the change concerns, comma-separated.';
COMMENT ON COLUMN dashboard.metric_breaks.change IS 'What changed, in words.';
COMMENT ON COLUMN dashboard.metric_breaks.source_url IS
    'Where the platform announces or documents the change.';
GRANT SELECT ON dashboard.metric_breaks TO socialroi_dashboard, socialroi_finance;
