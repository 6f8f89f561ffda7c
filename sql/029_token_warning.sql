-- A token that cannot be refreshed, as the dashboard sees it.
--
-- LinkedIn self-serve apps get 60-day access tokens and no refresh token; a Meta long-lived
-- token without the app's secret cannot be exchanged either. The daemon records, beside the
-- token's end (token_expires_at, now also from the credentials file's expires_at), whether it
-- can renew the token by itself; dashboard.data_health says "expires in N days, reconnect"
-- from 14 days before the end of a token it cannot renew, and how to reconnect once it ended
-- (the account is then needs_reauth: the daemon does not send a token it knows is dead).

ALTER TABLE socialroi.account ADD COLUMN token_refreshable boolean;

COMMENT ON COLUMN socialroi.account.token_refreshable IS
    'Whether the daemon can renew the account''s access token by itself (a refresh token, or '
    'a Meta exchange with the app''s secret); false: someone has to authorize the app again '
    'before token_expires_at; NULL: not known yet.';

CREATE FUNCTION socialroi.set_token_renewal(p_account text, p_expires_at double precision,
                                            p_refreshable boolean)
RETURNS void LANGUAGE sql SET search_path = '' AS $$
    UPDATE socialroi.account
       SET token_expires_at = CASE WHEN p_expires_at > 0
                                   THEN pg_catalog.to_timestamp(p_expires_at) END,
           token_refreshable = p_refreshable
     WHERE name = p_account
       AND (token_expires_at, token_refreshable) IS DISTINCT FROM
           (CASE WHEN p_expires_at > 0 THEN pg_catalog.to_timestamp(p_expires_at) END,
            p_refreshable)
$$;

COMMENT ON FUNCTION socialroi.set_token_renewal(text, double precision, boolean) IS
    'Records the end of an account''s access token (epoch seconds, 0 = unknown) and whether '
    'the daemon can renew it; called when the daemon loads its credentials. Writes only a '
    'change.';

REVOKE ALL ON FUNCTION socialroi.set_token_renewal(text, double precision, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.set_token_renewal(text, double precision, boolean)
    TO socialroi_daemon;

CREATE OR REPLACE VIEW socialroi.job_status AS
SELECT a.name AS account, a.platform, j.stream, a.state AS account_state, a.state_reason,
       j.enabled, j.last_success, pg_catalog.now() - j.last_success AS lag, j.failures,
       j.last_error_class, j.last_error, j.next_due, j.lease_owner, a.token_expires_at,
       j.daily_metrics, a.token_refreshable
  FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id);

COMMENT ON COLUMN socialroi.job_status.token_refreshable IS
    'Whether the daemon can renew the account''s token by itself (socialroi.account).';

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
       s.last_error,
       CASE WHEN s.token_refreshable IS DISTINCT FROM false OR s.token_expires_at IS NULL
            THEN NULL
            WHEN s.token_expires_at <= pg_catalog.now()
            THEN 'expired on '
                 || pg_catalog.to_char(s.token_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                 || ', reconnect: authorize the app again, put the new access_token and its '
                 || 'expires_at in the credentials file, reload'
            WHEN s.token_expires_at <= pg_catalog.now() + interval '14 days'
            THEN 'expires in '
                 || pg_catalog.ceil(extract(epoch FROM s.token_expires_at - pg_catalog.now())
                                    / 86400)::integer
                 || ' days, reconnect'
       END AS token_warning
  FROM socialroi.job_status s;

COMMENT ON COLUMN dashboard.data_health.token_warning IS
    'For a token the daemon cannot renew by itself: "expires in N days, reconnect" from 14 '
    'days before token_expires_at, then how to reconnect once it has ended; NULL otherwise.';
