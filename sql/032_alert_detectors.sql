-- 032_alert_detectors.sql: the data-side alert kinds (see 030_alerts.sql for the machinery).
--
--   token_expiry      a token the daemon cannot renew ends within 14 days (critical within 3)
--   reauth_needed     an account is needs_reauth, or its unrenewable token has ended
--   version_sunset    a configured API version is retired within 30 days (critical within 7)
--   data_loss         a stream has not succeeded for so long that the platform's retention
--                     window is about to drop days it never delivered
--   stale             a job's last success is older than 3x its interval (at least an hour)
--   data_gap          a daily-metrics stream has days without metrics in the last 30
--   listening_budget  an X account's daily or monthly listening cap is reached
--
-- Each fact is computed in one place and shared with dashboard.data_health: the token warning,
-- the days missing from the daily metrics, the days left before the retention window drops
-- data. What only the daemon's C tables and config know (the configured API versions and their
-- sunsets from lib/model/apiversion.c, each stream's retention window from its adapter's
-- stream_def.max_days_back, the X listening caps of [account]) the daemon writes here with
-- socialroi.sync_alert_facts() whenever it loads its configuration.

-- ---- what the daemon tells the database ---------------------------------------------------

CREATE TABLE socialroi.api_version_in_use (
    platform   text NOT NULL,
    family     text NOT NULL,
    config_key text,
    version    text NOT NULL,
    title      text NOT NULL,
    sunset     date,
    suggest    text,
    warn_days  integer NOT NULL CHECK (warn_days > 0),
    PRIMARY KEY (platform, family)
);
COMMENT ON TABLE socialroi.api_version_in_use IS
    'The API versions the daemon''s configuration sends, per platform and version family, '
    'with the sunset from socialroi''s version table (or the configured override); written '
    'by the daemon when it loads its configuration.';
COMMENT ON COLUMN socialroi.api_version_in_use.platform IS 'The [platform NAME] section.';
COMMENT ON COLUMN socialroi.api_version_in_use.family IS
    'The version family: meta-graph, meta-marketing, linkedin, hubspot.';
COMMENT ON COLUMN socialroi.api_version_in_use.config_key IS
    'The key that sets it (version, ads_version); NULL when the adapter pins it (HubSpot).';
COMMENT ON COLUMN socialroi.api_version_in_use.version IS 'The version sent.';
COMMENT ON COLUMN socialroi.api_version_in_use.title IS
    'What the platform calls it: Graph API, Marketing API, LinkedIn-Version, HubSpot API.';
COMMENT ON COLUMN socialroi.api_version_in_use.sunset IS
    'The day it is retired; NULL when not announced or the version is not in the table.';
COMMENT ON COLUMN socialroi.api_version_in_use.suggest IS 'The version to move to.';
COMMENT ON COLUMN socialroi.api_version_in_use.warn_days IS
    'Days before the sunset the daemon starts warning (APIVER_WARN_DAYS).';

CREATE TABLE socialroi.stream_fact (
    stream         text PRIMARY KEY,
    platform       text NOT NULL,
    api_family     text,
    retention_days integer CHECK (retention_days > 0)
);
COMMENT ON TABLE socialroi.stream_fact IS
    'What the daemon''s adapters declare about each stream they know: written by the daemon '
    'when it loads its configuration.';
COMMENT ON COLUMN socialroi.stream_fact.stream IS 'The stream, e.g. x.mentions.';
COMMENT ON COLUMN socialroi.stream_fact.platform IS 'Its platform.';
COMMENT ON COLUMN socialroi.stream_fact.api_family IS
    'The API version family its calls use (socialroi.api_version_in_use); NULL: none pinned.';
COMMENT ON COLUMN socialroi.stream_fact.retention_days IS
    'Days back the platform still serves (X recent search 7, Pinterest analytics 90, LinkedIn '
    'organization statistics 365); NULL: everything (or not declared).';

CREATE TABLE socialroi.listening_cap (
    account         text PRIMARY KEY,
    posts_per_day   bigint NOT NULL CHECK (posts_per_day >= 0),
    posts_per_month bigint NOT NULL CHECK (posts_per_month >= 0)
);
COMMENT ON TABLE socialroi.listening_cap IS
    'The X listening caps of [account] x_posts_per_day and x_posts_per_month (0: no cap), '
    'written by the daemon when it loads its configuration.';
COMMENT ON COLUMN socialroi.listening_cap.account IS
    'The X account''s name ([account NAME]; by name, as the jobs'' sync may add it later).';
COMMENT ON COLUMN socialroi.listening_cap.posts_per_day IS
    'Posts billed per UTC day before the search stops; 0: no cap.';
COMMENT ON COLUMN socialroi.listening_cap.posts_per_month IS
    'Posts billed per calendar month (UTC) before the search stops; 0: no cap.';

-- Replaces the three tables' contents with what the daemon's configuration says:
-- {"versions": [{platform, family, key, version, title, sunset, suggest, warn_days}],
--  "streams": [{stream, platform, api_family, retention_days}],
--  "listening": [{account, per_day, per_month}]}.
CREATE FUNCTION socialroi.sync_alert_facts(p_facts jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    DELETE FROM socialroi.api_version_in_use;
    INSERT INTO socialroi.api_version_in_use
    SELECT v ->> 'platform', v ->> 'family', NULLIF(v ->> 'key', ''), v ->> 'version',
           v ->> 'title', (NULLIF(v ->> 'sunset', ''))::date, NULLIF(v ->> 'suggest', ''),
           (v ->> 'warn_days')::integer
      FROM pg_catalog.jsonb_array_elements(COALESCE(p_facts -> 'versions', '[]')) v;
    DELETE FROM socialroi.stream_fact;
    INSERT INTO socialroi.stream_fact
    SELECT s ->> 'stream', s ->> 'platform', NULLIF(s ->> 'api_family', ''),
           NULLIF((s ->> 'retention_days')::integer, 0)
      FROM pg_catalog.jsonb_array_elements(COALESCE(p_facts -> 'streams', '[]')) s;
    DELETE FROM socialroi.listening_cap;
    INSERT INTO socialroi.listening_cap
    SELECT l ->> 'account', (l ->> 'per_day')::bigint, (l ->> 'per_month')::bigint
      FROM pg_catalog.jsonb_array_elements(COALESCE(p_facts -> 'listening', '[]')) l;
END
$$;
COMMENT ON FUNCTION socialroi.sync_alert_facts(jsonb) IS
    'Writes the configured API versions, the streams'' retention windows and the X listening '
    'caps the daemon loaded (the alert detectors and dashboard.data_health read them).';

-- ---- facts shared by dashboard.data_health and the detectors -------------------------------

-- The token warning of 029, now in one place.
CREATE FUNCTION socialroi.token_warning(p_expires_at timestamptz, p_refreshable boolean,
                                        p_now timestamptz) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT CASE WHEN p_refreshable IS DISTINCT FROM false OR p_expires_at IS NULL
                THEN NULL
                WHEN p_expires_at <= p_now
                THEN 'expired on '
                     || pg_catalog.to_char(p_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                     || ', reconnect: authorize the app again, put the new access_token and its '
                     || 'expires_at in the credentials file, reload'
                WHEN p_expires_at <= p_now + interval '14 days'
                THEN 'expires in '
                     || pg_catalog.ceil(extract(epoch FROM p_expires_at - p_now) / 86400)::integer
                     || ' days, reconnect'
           END
$$;
COMMENT ON FUNCTION socialroi.token_warning(timestamptz, boolean, timestamptz) IS
    'For a token the daemon cannot renew: "expires in N days, reconnect" from 14 days before '
    'its end, how to reconnect once it ended; NULL otherwise (data_health, token alerts).';

-- Days of [p_from, p_to) without the account's daily metrics (object ''), the first and last.
-- SECURITY DEFINER: dashboard.data_health calls it as its reader, who cannot read metric_daily.
CREATE FUNCTION socialroi.metric_gaps(p_account_id integer, p_from date, p_to date,
                                      OUT missing integer, OUT first_missing date,
                                      OUT last_missing date)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = '' AS $$
    SELECT pg_catalog.count(*)::integer, min(d.day), max(d.day)
      FROM (SELECT g::date AS day
              FROM pg_catalog.generate_series(p_from, p_to - 1, interval '1 day') g) d
     WHERE NOT EXISTS (SELECT 1 FROM socialroi.metric_daily md
                        WHERE md.account_id = p_account_id AND md.object_id = ''
                          AND md.day = d.day)
$$;
COMMENT ON FUNCTION socialroi.metric_gaps(integer, date, date) IS
    'Days from p_from up to (not including) p_to without the account''s daily metrics: how '
    'many, the first and the last (data_health.gaps_30d, data_gap alerts).';

-- Days left before a platform that keeps p_retention_days days drops data fetched last at
-- p_last: the data of p_last's moment is dropped p_retention_days after it. Negative: it is
-- being dropped. NULL when the platform keeps everything.
CREATE FUNCTION socialroi.retention_days_left(p_last timestamptz, p_retention_days integer,
                                              p_now timestamptz) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT pg_catalog.floor(extract(epoch FROM p_last
                                               + pg_catalog.make_interval(days => p_retention_days)
                                               - p_now) / 86400)::integer
     WHERE p_retention_days > 0
$$;
COMMENT ON FUNCTION socialroi.retention_days_left(timestamptz, integer, timestamptz) IS
    'Whole days left before a platform keeping p_retention_days days drops the data after '
    'p_last (a job''s last success); negative once it started; NULL when it keeps everything.';

-- The days the data_loss alert starts warning and turns critical for a retention window:
-- half the window (X: 3 of 7 days), and a tenth of it but at least one day (X: 1).
CREATE FUNCTION socialroi.retention_thresholds(p_retention_days integer, OUT warn_days integer,
                                               OUT critical_days integer)
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT p_retention_days / 2, GREATEST(1, p_retention_days / 10)
$$;
COMMENT ON FUNCTION socialroi.retention_thresholds(integer) IS
    'Days left at which the data_loss alert warns (half the retention window) and turns '
    'critical (a tenth of it, at least one day).';

-- ---- dashboard.data_health: the shared facts, the version's sunset, the retention left ------

CREATE OR REPLACE VIEW dashboard.data_health AS
SELECT s.account, s.platform, s.stream, s.account_state, s.enabled, s.last_success,
       s.lag, s.failures, s.last_error_class, s.next_due, s.token_expires_at,
       CASE WHEN s.daily_metrics
            THEN (SELECT g.missing
                    FROM socialroi.account a2,
                         (SELECT (pg_catalog.now() AT TIME ZONE 'UTC')::date AS today) t,
                         socialroi.metric_gaps(a2.account_id, t.today - 30, t.today) g
                   WHERE a2.name = s.account)::bigint
       END AS gaps_30d,
       s.last_error,
       socialroi.token_warning(s.token_expires_at, s.token_refreshable, pg_catalog.now())
           AS token_warning,
       v.sunset AS api_version_sunset,
       socialroi.retention_days_left(s.last_success, f.retention_days, pg_catalog.now())
           AS retention_days_left
  FROM socialroi.job_status s
  LEFT JOIN socialroi.stream_fact f ON f.stream = s.stream
  LEFT JOIN socialroi.api_version_in_use v ON v.platform = s.platform AND v.family = f.api_family;

COMMENT ON COLUMN dashboard.data_health.api_version_sunset IS
    'The day the API version this stream''s calls send is retired (socialroi''s version table '
    'or the configured override); NULL when none is announced or the stream pins none.';
COMMENT ON COLUMN dashboard.data_health.retention_days_left IS
    'Whole days left before the platform''s retention window drops data after the last '
    'success (X search keeps 7 days, Pinterest 90, ...); NULL when it keeps everything.';

-- ---- the detectors ---------------------------------------------------------------------------

CREATE FUNCTION socialroi.detect_token(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT CASE WHEN a.state = 'needs_reauth' OR a.token_expires_at <= p_now
                THEN 'reauth_needed' ELSE 'token_expiry' END,
           'account=' || a.name,
           CASE WHEN a.state = 'needs_reauth' OR a.token_expires_at <= p_now
                     OR a.token_expires_at <= p_now + interval '3 days'
                THEN 'critical' ELSE 'warning' END,
           true,
           CASE WHEN a.state = 'needs_reauth'
                THEN 'the ' || a.platform || ' credential was refused, polling stopped: '
                     || COALESCE(a.state_reason, 'needs_reauth')
                ELSE 'the ' || a.platform || ' access token (the daemon cannot renew it) '
                     || socialroi.token_warning(a.token_expires_at, a.token_refreshable, p_now)
           END,
           pg_catalog.jsonb_build_object('platform', a.platform, 'state', a.state,
                                         'token_expires_at', a.token_expires_at,
                                         'refreshable', a.token_refreshable)
      FROM socialroi.account a
     WHERE a.enabled
       AND (a.state = 'needs_reauth'
            OR socialroi.token_warning(a.token_expires_at, a.token_refreshable, p_now) IS NOT NULL)
$$;

CREATE FUNCTION socialroi.detect_version_sunset(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT 'version_sunset',
           'platform=' || v.platform || COALESCE(' key=' || v.config_key, ''),
           CASE WHEN v.sunset - t.today <= 7 THEN 'critical' ELSE 'warning' END,
           true,
           '[platform ' || v.platform || '] ' || COALESCE(v.config_key || ' ', '') || v.version
           || ' (' || v.title || ') '
           || CASE WHEN v.sunset <= t.today
                   THEN 'was retired on ' || v.sunset
                   ELSE 'is retired on ' || v.sunset || ', in ' || (v.sunset - t.today)
                        || CASE WHEN v.sunset - t.today = 1 THEN ' day' ELSE ' days' END
              END
           || CASE WHEN v.config_key IS NULL
                   THEN ': this socialroi needs an update'
                   WHEN v.suggest IS NULL OR v.suggest = v.version
                   THEN ': socialroi knows no later version; set ' || v.config_key
                        || ' to one the platform''s version page lists'
                   ELSE ': set ' || v.config_key || ' = ' || v.suggest END,
           pg_catalog.jsonb_build_object('version', v.version, 'sunset', v.sunset,
                                         'days_left', v.sunset - t.today,
                                         'suggest', v.suggest)
      FROM socialroi.api_version_in_use v,
           (SELECT (p_now AT TIME ZONE 'UTC')::date AS today) t
     WHERE v.sunset IS NOT NULL AND v.sunset - t.today <= v.warn_days
$$;

-- Jobs the detectors look at: enabled, of an enabled account, with their stream's facts.
CREATE FUNCTION socialroi.alert_jobs()
RETURNS TABLE (account_id integer, account text, platform text, account_state text,
               stream text, poll_interval interval, last_success timestamptz,
               since timestamptz, last_error_class text, last_error text,
               daily_metrics boolean, retention_days integer)
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT a.account_id, a.name, a.platform, a.state, j.stream, j.poll_interval, j.last_success,
           COALESCE(j.last_success, a.created_at), j.last_error_class, j.last_error,
           j.daily_metrics, f.retention_days
      FROM socialroi.poll_job j
      JOIN socialroi.account a USING (account_id)
      LEFT JOIN socialroi.stream_fact f ON f.stream = j.stream
     WHERE j.enabled AND a.enabled AND a.state <> 'disabled'
$$;
COMMENT ON FUNCTION socialroi.alert_jobs() IS
    'The enabled jobs of enabled accounts with their stream''s facts; since is the last '
    'success, or when the account was added when it never succeeded.';

-- A job not polled successfully for 3x its interval (at least an hour) raises; it stays open
-- until the lag is under 2x (the hold band). An account that needs re-authorization is
-- reauth_needed's, a search stopped at its budget listening_budget's.
CREATE FUNCTION socialroi.detect_stale(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT 'stale', 'account=' || j.account || ' stream=' || j.stream,
           CASE WHEN p_now - j.since >= GREATEST(10 * j.poll_interval, interval '1 day')
                THEN 'critical' ELSE 'warning' END,
           p_now - j.since > 3 * j.poll_interval,
           'no success for ' || pg_catalog.to_char(p_now - j.since, 'FMDD"d "FMHH24"h "FMMI"m"')
           || ' (polled every ' || j.poll_interval || ')'
           || COALESCE('; last error: ' || j.last_error_class
                       || COALESCE(': ' || pg_catalog.left(j.last_error, 200), ''), ''),
           pg_catalog.jsonb_build_object('last_success', j.last_success,
                                         'lag_s', extract(epoch FROM p_now - j.since)::bigint,
                                         'interval_s', extract(epoch FROM j.poll_interval)::bigint,
                                         'last_error_class', j.last_error_class)
      FROM socialroi.alert_jobs() j
     WHERE j.account_state = 'ok' AND j.last_error_class IS DISTINCT FROM 'budget'
       AND p_now - j.since > 2 * j.poll_interval AND p_now - j.since >= interval '1 hour'
$$;

-- Days missing from a daily-metrics stream between 30 days ago and 3 days ago (the platforms'
-- own lag: YouTube Analytics needs 2-3 days), once the job has succeeded at least once.
CREATE FUNCTION socialroi.detect_data_gap(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql STABLE SET search_path = '' AS $$
    -- only the jobs whose account has fewer days than the range are looked at day by day:
    -- one grouped scan instead of a probe per day and job
    WITH t AS (SELECT (p_now AT TIME ZONE 'UTC')::date AS today),
    have AS (
        SELECT md.account_id, pg_catalog.count(DISTINCT md.day) AS days
          FROM socialroi.metric_daily md, t
         WHERE md.object_id = '' AND md.day >= t.today - 30 AND md.day < t.today - 2
         GROUP BY md.account_id),
    short AS MATERIALIZED (
        SELECT j.account_id, j.account, j.stream
          FROM socialroi.alert_jobs() j LEFT JOIN have h USING (account_id)
         WHERE j.daily_metrics AND j.last_success IS NOT NULL AND COALESCE(h.days, 0) < 28)
    SELECT 'data_gap', 'account=' || j.account || ' stream=' || j.stream, 'warning', true,
           g.missing || CASE WHEN g.missing = 1 THEN ' day' ELSE ' days' END
           || ' without daily metrics between ' || g.first_missing || ' and ' || g.last_missing,
           pg_catalog.jsonb_build_object('missing', g.missing, 'first', g.first_missing,
                                         'last', g.last_missing)
      FROM short j CROSS JOIN t
      CROSS JOIN LATERAL socialroi.metric_gaps(j.account_id, t.today - 30, t.today - 2) g
     WHERE g.missing > 0
$$;

CREATE FUNCTION socialroi.detect_data_loss(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT 'data_loss', 'account=' || j.account || ' stream=' || j.stream,
           CASE WHEN l.days_left <= th.critical_days THEN 'critical' ELSE 'warning' END,
           true,
           CASE WHEN l.days_left < 0
                THEN j.platform || ' is dropping data of '
                     || (j.since AT TIME ZONE 'UTC')::date || ' now (it keeps '
                     || j.retention_days || ' days): poll it today'
                ELSE l.days_left || CASE WHEN l.days_left = 1 THEN ' day' ELSE ' days' END
                     || ' left before ' || j.platform || ' drops data of '
                     || (j.since AT TIME ZONE 'UTC')::date
           END,
           pg_catalog.jsonb_build_object('days_left', l.days_left,
                                         'retention_days', j.retention_days,
                                         'last_success', j.last_success)
      FROM socialroi.alert_jobs() j,
           LATERAL (SELECT socialroi.retention_days_left(j.since, j.retention_days, p_now)
                           AS days_left) l,
           LATERAL socialroi.retention_thresholds(j.retention_days) th
     WHERE j.retention_days IS NOT NULL AND l.days_left <= th.warn_days
$$;

CREATE FUNCTION socialroi.detect_listening_budget(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT 'listening_budget', 'account=' || a.name || ' stream=x.mentions',
           CASE WHEN month_full THEN 'critical' ELSE 'warning' END,
           true,
           CASE WHEN month_full
                THEN 'monthly listening cap reached: ' || u.billed_month || ' of '
                     || c.posts_per_month || ' posts billed in '
                     || pg_catalog.to_char(u.day, 'YYYY-MM')
                     || '; the search waits for the next month'
                ELSE 'daily listening cap reached: ' || u.billed_day || ' of '
                     || c.posts_per_day || ' posts billed on ' || u.day
                     || '; the search waits for the next UTC day'
           END,
           pg_catalog.jsonb_build_object('billed_day', u.billed_day,
                                         'cap_day', c.posts_per_day,
                                         'billed_month', u.billed_month,
                                         'cap_month', c.posts_per_month)
      FROM socialroi.listening_cap c
      JOIN socialroi.account a ON a.name = c.account
      CROSS JOIN LATERAL socialroi.x_read_used(a.name, extract(epoch FROM p_now)::float8) u
      CROSS JOIN LATERAL (SELECT c.posts_per_month > 0 AND u.billed_month >= c.posts_per_month
                                 AS month_full) m
     WHERE a.enabled
       AND ((c.posts_per_day > 0 AND u.billed_day >= c.posts_per_day) OR m.month_full)
$$;

INSERT INTO socialroi.alert_kind (kind, detector, title, runbook) VALUES
    ('token_expiry', 'socialroi.detect_token', 'An access token ends soon',
     'Authorize the app again for the account, put the new access_token and its expires_at in '
     'its [credential] of the credentials file, then systemctl reload socialroid.'),
    ('reauth_needed', 'socialroi.detect_token', 'An account needs re-authorization',
     'Authorize the app again for the account, put the new token in the credentials file, '
     'systemctl reload socialroid; socialroi status shows the account ok again.'),
    ('version_sunset', 'socialroi.detect_version_sunset', 'An API version is being retired',
     'Set the key the message names in /etc/socialroi/socialroi.conf ([platform NAME]) to the '
     'version it names, check with socialroid -n, then systemctl reload socialroid.'),
    ('data_loss', 'socialroi.detect_data_loss', 'Data is about to fall out of a platform''s window',
     'Fix what stops the job (socialroi status, journalctl -u socialroid), then '
     'socialroi poll ACCOUNT STREAM; days past the window are lost for good.'),
    ('stale', 'socialroi.detect_stale', 'A job has not succeeded for a while',
     'socialroi status shows the job''s last error; fix it (credentials, network, config), '
     'then socialroi poll ACCOUNT STREAM.'),
    ('data_gap', 'socialroi.detect_data_gap', 'Daily metrics have missing days',
     'socialroi backfill ACCOUNT STREAM --from FIRST --to LAST with the days the message names.'),
    ('listening_budget', 'socialroi.detect_listening_budget', 'The X listening budget is reached',
     'Raise x_posts_per_day / x_posts_per_month of the [account] and systemctl reload '
     'socialroid, or narrow its queries; the search goes on when the day or month turns.');

COMMENT ON FUNCTION socialroi.detect_token(timestamptz) IS
    'Detector of token_expiry (an unrenewable token ends within 14 days) and reauth_needed.';
COMMENT ON FUNCTION socialroi.detect_version_sunset(timestamptz) IS
    'Detector of version_sunset: a configured API version retired within warn_days.';
COMMENT ON FUNCTION socialroi.detect_stale(timestamptz) IS
    'Detector of stale: last success older than 3x the interval (held open above 2x).';
COMMENT ON FUNCTION socialroi.detect_data_gap(timestamptz) IS
    'Detector of data_gap: days without daily metrics between 30 and 2 days ago.';
COMMENT ON FUNCTION socialroi.detect_data_loss(timestamptz) IS
    'Detector of data_loss: days left before the platform''s retention window drops data.';
COMMENT ON FUNCTION socialroi.detect_listening_budget(timestamptz) IS
    'Detector of listening_budget: an X account''s daily or monthly cap reached.';

-- ---- acknowledgement (socialroi alerts ack ID) ---------------------------------------------

CREATE FUNCTION socialroi.alert_ack(p_alert_id bigint, p_by text DEFAULT NULL)
RETURNS TABLE (alert_id bigint, kind text, subject text, acked_at timestamptz, acked_by text)
LANGUAGE plpgsql SET search_path = '' AS $$
#variable_conflict use_column
DECLARE
    st timestamptz;
BEGIN
    SELECT a.resolved_at INTO st FROM socialroi.alert a WHERE a.alert_id = p_alert_id
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no alert %', p_alert_id USING ERRCODE = 'no_data_found',
            HINT = 'socialroi alerts lists the open alerts and their ids';
    END IF;
    IF st IS NOT NULL THEN
        RAISE EXCEPTION 'alert % was resolved at %', p_alert_id, st
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN QUERY
    UPDATE socialroi.alert a
       SET acked_at = pg_catalog.now(),
           acked_by = COALESCE(NULLIF(p_by, ''), pg_catalog.session_user()::text)
     WHERE a.alert_id = p_alert_id
    RETURNING a.alert_id, a.kind, a.subject, a.acked_at, a.acked_by;
END
$$;
COMMENT ON FUNCTION socialroi.alert_ack(bigint, text) IS
    'Acknowledges an open alert: acked_at now, acked_by p_by or the database user; an unknown '
    'or resolved id is an error (socialroi alerts ack ID).';

-- ---- privileges --------------------------------------------------------------------------------

REVOKE ALL ON FUNCTION socialroi.sync_alert_facts(jsonb), socialroi.alert_ack(bigint, text),
              socialroi.detect_token(timestamptz), socialroi.detect_version_sunset(timestamptz),
              socialroi.detect_stale(timestamptz), socialroi.detect_data_gap(timestamptz),
              socialroi.detect_data_loss(timestamptz),
              socialroi.detect_listening_budget(timestamptz), socialroi.alert_jobs()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.sync_alert_facts(jsonb), socialroi.alert_ack(bigint, text),
                          socialroi.detect_token(timestamptz),
                          socialroi.detect_version_sunset(timestamptz),
                          socialroi.detect_stale(timestamptz),
                          socialroi.detect_data_gap(timestamptz),
                          socialroi.detect_data_loss(timestamptz),
                          socialroi.detect_listening_budget(timestamptz),
                          socialroi.alert_jobs()
    TO socialroi_daemon;
GRANT SELECT, INSERT, UPDATE, DELETE ON socialroi.api_version_in_use, socialroi.stream_fact,
                                        socialroi.listening_cap TO socialroi_daemon;
-- dashboard.data_health calls these as its reader
GRANT EXECUTE ON FUNCTION socialroi.token_warning(timestamptz, boolean, timestamptz),
                          socialroi.metric_gaps(integer, date, date),
                          socialroi.retention_days_left(timestamptz, integer, timestamptz),
                          socialroi.retention_thresholds(integer)
    TO socialroi_daemon, socialroi_dashboard, socialroi_finance;
-- socialroi alerts list runs as the operator's role, which holds socialroi_daemon (as for
-- socialroi poll and backfill) or a reader role
GRANT SELECT ON dashboard.alerts TO socialroi_daemon;
