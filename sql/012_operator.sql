-- 012_operator.sql: what an operator asks of the jobs from the command line: poll now
-- (socialroi poll), re-poll a past range (socialroi backfill), and see those ranges' progress
-- (socialroi status, dashboard.backfills).
--
-- A backfill request lives in the job's cursor (poll_job.cursor, JSON written by
-- lib/cursor.c): "backfill": {"from", "to"} while pending; the daemon turns it into a run
-- ("backfilling": true, with from/to) when no run is under way, and when that run ends it
-- keeps the range as "last_backfill". Because the cursor commits with each page, a backfill
-- interrupted by a crash resumes mid-range, and a finished one is never fetched again.
-- Both functions NOTIFY socialroi_jobs so a running daemon reschedules at once.

-- The cursor as jsonb, or NULL when it is not JSON (the daemon then starts the job over), so a
-- damaged cursor never breaks the views that read it.
CREATE FUNCTION socialroi.cursor_jsonb(p_cursor text) RETURNS jsonb
LANGUAGE plpgsql IMMUTABLE SET search_path = '' AS $$
BEGIN
    RETURN p_cursor::jsonb;
EXCEPTION WHEN others THEN
    RETURN NULL;
END
$$;

-- The job of (account, stream), locked; raises no_data_found naming what is unknown.
CREATE FUNCTION socialroi.find_job(p_account text, p_stream text) RETURNS bigint
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    job bigint;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM socialroi.account WHERE name = p_account) THEN
        RAISE EXCEPTION 'unknown account "%"', p_account USING ERRCODE = 'no_data_found',
            HINT = 'socialroi status lists the accounts the daemon knows (from its config)';
    END IF;
    SELECT j.job_id INTO job FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id)
     WHERE a.name = p_account AND j.stream = p_stream FOR UPDATE OF j;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account "%" has no stream "%"', p_account, p_stream
            USING ERRCODE = 'no_data_found',
                  HINT = 'socialroi status lists each account''s streams';
    END IF;
    RETURN job;
END
$$;

-- Makes the account's jobs (or the one of p_stream, when not NULL) due now. Returns what was
-- made due and whether the daemon will run it (disabled jobs and accounts that need
-- re-authorization stay idle until fixed).
CREATE FUNCTION socialroi.poll_now(p_account text, p_stream text)
RETURNS TABLE (account text, stream text, runs boolean, why_not text)
LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    IF p_stream IS NOT NULL THEN
        PERFORM socialroi.find_job(p_account, p_stream);
    ELSIF NOT EXISTS (SELECT 1 FROM socialroi.job_status s WHERE s.account = p_account) THEN
        PERFORM socialroi.find_job(p_account, '');
    END IF;
    RETURN QUERY
    WITH due AS (
        UPDATE socialroi.poll_job j SET next_due = pg_catalog.now()
          FROM socialroi.account a
         WHERE a.account_id = j.account_id AND a.name = p_account
           AND (p_stream IS NULL OR j.stream = p_stream)
        RETURNING a.name, j.stream, j.enabled, a.state)
    SELECT d.name, d.stream, d.enabled AND d.state = 'ok',
           CASE WHEN NOT d.enabled THEN 'the stream is disabled in the config'
                WHEN d.state <> 'ok' THEN 'the account is ' || d.state END
      FROM due d ORDER BY d.stream;
    PERFORM pg_catalog.pg_notify('socialroi_jobs', p_account);
END
$$;

-- Asks for a re-poll of p_from..p_to (UTC days, inclusive) through the job's normal run.
-- Refuses a reversed or future range and, unless p_replace, a job with a backfill already
-- pending or running. Returns the job's cursor after the request.
CREATE FUNCTION socialroi.request_backfill(p_account text, p_stream text, p_from date,
                                           p_to date, p_replace boolean)
RETURNS text LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    job bigint := socialroi.find_job(p_account, p_stream);
    cur jsonb;
BEGIN
    IF p_from > p_to THEN
        RAISE EXCEPTION 'the range ends (%) before it starts (%)', p_to, p_from
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_to > (pg_catalog.now() AT TIME ZONE 'UTC')::date THEN
        RAISE EXCEPTION 'the range ends in the future (%): a backfill re-polls past days', p_to
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT COALESCE(socialroi.cursor_jsonb(j.cursor), '{}') INTO cur
      FROM socialroi.poll_job j WHERE j.job_id = job;
    IF NOT p_replace AND (cur ? 'backfill' OR (cur ->> 'backfilling') = 'true') THEN
        RAISE EXCEPTION 'a backfill of %/% is already %', p_account, p_stream,
            CASE WHEN cur ? 'backfill' THEN 'pending' ELSE 'running' END
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'wait for it (socialroi backfill --status), or pass --replace';
    END IF;
    cur := cur || pg_catalog.jsonb_build_object('backfill', pg_catalog.jsonb_build_object(
        'from', p_from::text, 'to', p_to::text));
    UPDATE socialroi.poll_job SET cursor = cur::text, next_due = pg_catalog.now()
     WHERE job_id = job;
    PERFORM pg_catalog.pg_notify('socialroi_jobs', p_account);
    RETURN cur::text;
END
$$;

-- A daemon that claimed the job before a request writes back the cursor it read, which lacks
-- the request: keep the request then, unless the new cursor shows the daemon took it up (its
-- run is that range, or has just finished it). A run that ends well with a request still
-- pending is due again at once rather than after the stream's interval (after a failure, the
-- daemon's retry delay stands).
CREATE FUNCTION socialroi.keep_backfill_request() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    was jsonb := socialroi.cursor_jsonb(OLD.cursor) -> 'backfill';
    cur jsonb := socialroi.cursor_jsonb(NEW.cursor);
BEGIN
    IF was IS NOT NULL AND cur IS NOT NULL AND NOT cur ? 'backfill'
       AND NOT COALESCE((cur ->> 'backfilling') = 'true' AND cur ->> 'from' = was ->> 'from'
                        AND cur ->> 'to' = was ->> 'to', false)
       AND (cur -> 'last_backfill') IS DISTINCT FROM was THEN
        cur := cur || pg_catalog.jsonb_build_object('backfill', was);
        NEW.cursor := cur::text;
    END IF;
    IF cur ? 'backfill' AND (cur ->> 'in_run') IS DISTINCT FROM 'true'
       AND NEW.last_error_class IS NULL THEN
        NEW.next_due := LEAST(NEW.next_due, pg_catalog.now());
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER keep_backfill_request BEFORE UPDATE OF cursor ON socialroi.poll_job
    FOR EACH ROW WHEN (OLD.cursor IS DISTINCT FROM NEW.cursor)
    EXECUTE FUNCTION socialroi.keep_backfill_request();

-- Every fetch of a backfill names its range in fetch_run (window_from, window_to), for the
-- audit and so that "fetched exactly once" can be checked: the daemon records a window only
-- for the pages of windowed streams before the last, so the rest is taken from the job's
-- cursor, which at this point still describes the run (or the request the run starts from).
CREATE FUNCTION socialroi.backfill_window() RETURNS trigger
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    cur jsonb;
BEGIN
    IF NEW.window_from IS NOT NULL THEN
        RETURN NEW;
    END IF;
    SELECT socialroi.cursor_jsonb(j.cursor) INTO cur FROM socialroi.poll_job j
     WHERE j.job_id = NEW.job_id;
    IF (cur ->> 'in_run') = 'true' AND (cur ->> 'backfilling') = 'true'
       AND abs(pg_catalog.date_part('epoch', NEW.started_at) * 1e6
               - (cur ->> 'run_started')::double precision) < 1000 THEN
        NEW.window_from := (cur ->> 'from')::date;
        NEW.window_to := (cur ->> 'to')::date;
    ELSIF (cur ->> 'in_run') IS DISTINCT FROM 'true' AND cur ? 'backfill' THEN
        NEW.window_from := (cur #>> '{backfill,from}')::date;
        NEW.window_to := (cur #>> '{backfill,to}')::date;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER backfill_window BEFORE INSERT ON socialroi.fetch_run
    FOR EACH ROW EXECUTE FUNCTION socialroi.backfill_window();

-- Backfills pending, running or last finished, per job, with the pages and rows the running
-- one has fetched so far (its fetch runs share the run's start time).
CREATE VIEW dashboard.backfills AS
WITH j AS (
    SELECT a.name AS account, a.platform, p.stream, p.job_id,
           socialroi.cursor_jsonb(p.cursor) AS cur
      FROM socialroi.poll_job p JOIN socialroi.account a USING (account_id))
SELECT j.account, j.platform, j.stream, 'running'::text AS state,
       (j.cur ->> 'from')::date AS from_day, (j.cur ->> 'to')::date AS to_day,
       pg_catalog.to_timestamp((j.cur ->> 'run_started')::double precision / 1e6) AS started_at,
       COALESCE(sum(f.pages), 0)::bigint AS pages, COALESCE(sum(f.rows_written), 0)::bigint AS rows
  FROM j LEFT JOIN socialroi.fetch_run f
    ON f.job_id = j.job_id AND f.outcome = 'ok'
   AND f.started_at >= pg_catalog.to_timestamp((j.cur ->> 'run_started')::double precision / 1e6)
                       - interval '1 millisecond'
 WHERE (j.cur ->> 'backfilling') = 'true' AND (j.cur ->> 'in_run') = 'true'
 GROUP BY j.account, j.platform, j.stream, j.cur
UNION ALL
SELECT j.account, j.platform, j.stream, 'pending', (j.cur #>> '{backfill,from}')::date,
       (j.cur #>> '{backfill,to}')::date, NULL, 0, 0
  FROM j WHERE j.cur ? 'backfill'
UNION ALL
SELECT j.account, j.platform, j.stream, 'done', (j.cur #>> '{last_backfill,from}')::date,
       (j.cur #>> '{last_backfill,to}')::date, NULL, NULL, NULL
  FROM j WHERE j.cur ? 'last_backfill';

COMMENT ON VIEW dashboard.backfills IS
    'Backfills (socialroi backfill) per job: pending, running (with progress) or last finished';
COMMENT ON COLUMN dashboard.backfills.account IS 'Account name from the config';
COMMENT ON COLUMN dashboard.backfills.platform IS 'Platform of the account';
COMMENT ON COLUMN dashboard.backfills.stream IS 'Stream re-polled';
COMMENT ON COLUMN dashboard.backfills.state IS
    'pending (requested, not started), running (pages being fetched) or done (the last one)';
COMMENT ON COLUMN dashboard.backfills.from_day IS 'First day of the range (UTC)';
COMMENT ON COLUMN dashboard.backfills.to_day IS 'Last day of the range (UTC), inclusive';
COMMENT ON COLUMN dashboard.backfills.started_at IS 'When the running backfill started';
COMMENT ON COLUMN dashboard.backfills.pages IS 'Pages fetched so far by the running backfill';
COMMENT ON COLUMN dashboard.backfills.rows IS 'Rows written so far by the running backfill';

REVOKE ALL ON FUNCTION socialroi.cursor_jsonb(text), socialroi.find_job(text, text),
    socialroi.poll_now(text, text), socialroi.request_backfill(text, text, date, date, boolean),
    socialroi.keep_backfill_request(), socialroi.backfill_window() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.cursor_jsonb(text), socialroi.find_job(text, text),
    socialroi.poll_now(text, text), socialroi.request_backfill(text, text, date, date, boolean),
    socialroi.keep_backfill_request(), socialroi.backfill_window() TO socialroi_daemon;
-- The readers' views call it; it reads nothing but its argument.
GRANT EXECUTE ON FUNCTION socialroi.cursor_jsonb(text) TO socialroi_dashboard, socialroi_finance;
GRANT SELECT ON dashboard.backfills TO socialroi_dashboard, socialroi_finance;

-- The reporting currency (010) for the headings of what the daemon's role runs.
GRANT EXECUTE ON FUNCTION dashboard.reporting_currency() TO socialroi_daemon;

-- socialroi status reads only these views, so the daemon's role (the one operators run poll
-- and backfill as) gets the same answer as the readers.
GRANT USAGE ON SCHEMA dashboard TO socialroi_daemon;
GRANT SELECT ON dashboard.data_health, dashboard.backfills TO socialroi_daemon;
GRANT EXECUTE ON FUNCTION socialroi.cursor_jsonb(text) TO socialroi_daemon;

-- socialroi fx import runs as the daemon's role (the daemon imports its [fx] csv file the same
-- way), and storing a rate marks the spend it converts dirty through this view.
GRANT SELECT ON socialroi.configured_spend_daily, socialroi.snapshot_daily TO socialroi_daemon;
