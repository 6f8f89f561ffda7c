-- A retired platform API version is an error class of its own.
--
-- The daemon classifies a LinkedIn HTTP 426 (NONEXISTENT_VERSION) and a Marketing API error
-- 2635 ("a deprecated version of the Ads API") as `version`: the job waits at least an hour
-- between attempts, since only a change of [platform NAME] version / ads_version heals it.
-- Its message says what to set; dashboard.data_health now shows the last error's message
-- beside its class, so socialroi status can print it.

CREATE OR REPLACE VIEW dashboard.data_health AS
SELECT s.account, s.platform, s.stream, s.account_state, s.enabled, s.last_success,
       s.lag, s.failures, s.last_error_class, s.next_due, s.token_expires_at,
       CASE WHEN s.daily_metrics
            THEN 30 - (SELECT count(DISTINCT md.day)
                         FROM socialroi.metric_daily md JOIN socialroi.account a2
                           ON a2.account_id = md.account_id
                        WHERE a2.name = s.account AND md.object_id = ''
                          AND md.day >= (pg_catalog.now() AT TIME ZONE 'UTC')::date - 30
                          AND md.day < (pg_catalog.now() AT TIME ZONE 'UTC')::date)
       END AS gaps_30d,
       s.last_error
  FROM socialroi.job_status s;

COMMENT ON COLUMN dashboard.data_health.last_error_class IS
    'The class of the last error (throttled, quota, auth, permission, bad_request, not_found, '
    'transient, malformed, version: the configured API version is retired).';
COMMENT ON COLUMN dashboard.data_health.last_error IS
    'The last error''s message (tokens never appear in it); for class version, the '
    '[platform NAME] key to set and a supported version.';
