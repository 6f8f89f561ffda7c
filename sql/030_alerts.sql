-- 030_alerts.sql: alerts as data, raised and resolved by the daemon's rollup cycle.
--
-- A detector is a function (p_now timestamptz) RETURNS SETOF socialroi.alert_candidate that
-- says what is wrong now; socialroi.alert_kind names each kind, the detector that finds it
-- and the runbook line a reader follows. socialroi.alert_evaluate() runs every detector and
-- keeps one open alert per (kind, subject):
--   - a candidate with firing = true raises an alert when none is open;
--   - a candidate with firing = false (inside the detector's hold band, between its resolve
--     and raise thresholds) keeps an open alert open but never raises one;
--   - an open alert no candidate names is resolved after p_clear_runs evaluations in a row
--     without it, so one noisy evaluation neither resolves nor re-raises it (no flapping);
--   - a failed detector leaves its kinds' alerts as they were.
-- Every change a receiver must hear of (raised, escalated to a higher severity, resolved) is
-- one row of socialroi.alert_event, the outbox the delivery side reads. Adding a kind is a row
-- in alert_kind and a detector function: no change here.

CREATE TYPE socialroi.alert_candidate AS (
    kind     text,
    subject  text,
    severity text,
    firing   boolean,
    message  text,
    detail   jsonb
);

COMMENT ON TYPE socialroi.alert_candidate IS
    'What a detector reports: kind, subject (what it is about, e.g. "account=x-0 '
    'stream=x.mentions"), severity (info, warning, critical), firing (true: over the raise '
    'threshold; false: inside the hold band, keeps an open alert open), message, detail.';

CREATE TABLE socialroi.alert_kind (
    kind     text PRIMARY KEY,
    detector regproc NOT NULL,
    title    text NOT NULL,
    runbook  text NOT NULL
);

COMMENT ON TABLE socialroi.alert_kind IS
    'One row per alert kind: the detector function (p_now timestamptz) that finds it, a title '
    'and the runbook line shown with every alert of the kind.';

CREATE TABLE socialroi.alert (
    alert_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind        text NOT NULL REFERENCES socialroi.alert_kind,
    subject     text NOT NULL,
    severity    text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    first_seen  timestamptz NOT NULL,
    last_seen   timestamptz NOT NULL,
    resolved_at timestamptz,
    clear_runs  integer NOT NULL DEFAULT 0,
    message     text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}',
    acked_at    timestamptz,
    acked_by    text,
    CHECK (resolved_at IS NULL OR resolved_at >= first_seen)
);

-- one open alert per (kind, subject): the deduplication
CREATE UNIQUE INDEX alert_open ON socialroi.alert (kind, subject) WHERE resolved_at IS NULL;

COMMENT ON TABLE socialroi.alert IS
    'Raised alerts, open (resolved_at NULL) and resolved; at most one open per (kind, '
    'subject). clear_runs counts the evaluations in a row that no longer saw it.';

CREATE TABLE socialroi.alert_event (
    event_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id bigint NOT NULL REFERENCES socialroi.alert ON DELETE CASCADE,
    event    text NOT NULL CHECK (event IN ('raised', 'escalated', 'resolved')),
    severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    at       timestamptz NOT NULL
);

CREATE INDEX alert_event_alert ON socialroi.alert_event (alert_id);

COMMENT ON TABLE socialroi.alert_event IS
    'The outbox of alert notifications: one row per raise, escalation and resolution, in '
    'order; event_id is the id a receiver de-duplicates on.';

-- 1 info, 2 warning, 3 critical
CREATE FUNCTION socialroi.alert_severity_rank(p_severity text) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT pg_catalog.array_position(ARRAY['info', 'warning', 'critical'], p_severity)
$$;

-- Every detector's candidates; the detectors that failed (their kinds are left alone).
CREATE FUNCTION socialroi.alert_detect(p_now timestamptz, OUT candidates socialroi.alert_candidate[],
                                       OUT failed regproc[])
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    d regproc;
    found socialroi.alert_candidate[];
BEGIN
    candidates := '{}';
    failed := '{}';
    FOR d IN SELECT DISTINCT detector FROM socialroi.alert_kind ORDER BY 1 LOOP
        BEGIN
            EXECUTE pg_catalog.format('SELECT pg_catalog.array_agg(c) FROM %s($1) c', d)
               INTO found USING p_now;
            candidates := candidates || COALESCE(found, '{}');
        EXCEPTION WHEN others THEN
            RAISE WARNING 'alert detector % failed: %', d, SQLERRM;
            failed := failed || d;
        END;
    END LOOP;
END
$$;

CREATE FUNCTION socialroi.alert_evaluate(p_now timestamptz DEFAULT pg_catalog.now(),
                                         p_clear_runs integer DEFAULT 2,
                                         OUT raised integer, OUT resolved integer,
                                         OUT active integer, OUT failed text)
LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    det record;
    c socialroi.alert_candidate[];
BEGIN
    -- several daemons may share the database: one evaluation at a time
    PERFORM pg_catalog.pg_advisory_xact_lock(pg_catalog.hashtext('socialroi.alert_evaluate'));
    det := socialroi.alert_detect(p_now);

    -- one candidate per (kind, subject) of a known kind: the highest severity, firing if any
    SELECT COALESCE(pg_catalog.array_agg(row(d.kind, d.subject, d.severity, d.firing, d.message,
                                             d.detail)::socialroi.alert_candidate), '{}')
      INTO c
      FROM (SELECT DISTINCT ON (x.kind, x.subject) x.kind, x.subject, x.severity,
                   pg_catalog.bool_or(x.firing) OVER (PARTITION BY x.kind, x.subject) AS firing,
                   x.message, COALESCE(x.detail, '{}') AS detail
              FROM pg_catalog.unnest(det.candidates) x
              JOIN socialroi.alert_kind k ON k.kind = x.kind
             WHERE x.subject IS NOT NULL AND x.message IS NOT NULL
             ORDER BY x.kind, x.subject, socialroi.alert_severity_rank(x.severity) DESC,
                      x.firing DESC) d;

    -- still seen: refresh, and tell of a higher severity (old is the row before the update)
    WITH seen AS (
        UPDATE socialroi.alert a
           SET last_seen = p_now, clear_runs = 0, message = n.message, detail = n.detail,
               severity = n.severity
          FROM pg_catalog.unnest(c) n, socialroi.alert old
         WHERE a.resolved_at IS NULL AND a.kind = n.kind AND a.subject = n.subject
           AND old.alert_id = a.alert_id
        RETURNING a.alert_id, a.severity, old.severity AS was)
    INSERT INTO socialroi.alert_event (alert_id, event, severity, at)
    SELECT alert_id, 'escalated', severity, p_now FROM seen
     WHERE socialroi.alert_severity_rank(severity) > socialroi.alert_severity_rank(was);

    -- new and over the raise threshold: raise
    WITH new AS (
        INSERT INTO socialroi.alert (kind, subject, severity, first_seen, last_seen, message,
                                     detail)
        SELECT n.kind, n.subject, n.severity, p_now, p_now, n.message, n.detail
          FROM pg_catalog.unnest(c) n
         WHERE n.firing
           AND NOT EXISTS (SELECT 1 FROM socialroi.alert a
                            WHERE a.resolved_at IS NULL AND a.kind = n.kind
                              AND a.subject = n.subject)
        RETURNING alert_id, severity)
    INSERT INTO socialroi.alert_event (alert_id, event, severity, at)
    SELECT alert_id, 'raised', severity, p_now FROM new;
    GET DIAGNOSTICS raised = ROW_COUNT;

    -- not seen by a detector that ran: count, resolve after p_clear_runs in a row
    UPDATE socialroi.alert a SET clear_runs = a.clear_runs + 1
      FROM socialroi.alert_kind k
     WHERE a.resolved_at IS NULL AND k.kind = a.kind AND k.detector <> ALL (det.failed)
       AND a.last_seen < p_now;
    WITH gone AS (
        UPDATE socialroi.alert a SET resolved_at = GREATEST(p_now, a.first_seen)
         WHERE a.resolved_at IS NULL AND a.clear_runs >= p_clear_runs
        RETURNING alert_id, severity)
    INSERT INTO socialroi.alert_event (alert_id, event, severity, at)
    SELECT alert_id, 'resolved', severity, p_now FROM gone;
    GET DIAGNOSTICS resolved = ROW_COUNT;

    SELECT count(*) INTO active FROM socialroi.alert WHERE resolved_at IS NULL;
    failed := NULLIF(pg_catalog.array_to_string(det.failed, ', '), '');
END
$$;

COMMENT ON FUNCTION socialroi.alert_evaluate(timestamptz, integer) IS
    'Runs every detector of socialroi.alert_kind and raises, refreshes, escalates and resolves '
    'alerts (see 030_alerts.sql); returns how many were raised and resolved, how many are '
    'open, and the detectors that failed (NULL: none). Called by the daemon after each rollup '
    'cycle.';

CREATE VIEW dashboard.alerts AS
SELECT a.alert_id, a.kind, a.subject, a.severity,
       CASE WHEN a.resolved_at IS NOT NULL THEN 'resolved'
            WHEN a.acked_at IS NOT NULL THEN 'acknowledged'
            ELSE 'active' END AS state,
       a.first_seen, a.last_seen, a.resolved_at, a.message, k.runbook, a.acked_at, a.acked_by,
       a.detail
  FROM socialroi.alert a JOIN socialroi.alert_kind k USING (kind);

COMMENT ON VIEW dashboard.alerts IS
    'Raised and resolved alerts, one row per alert (an alert that comes back after it was '
    'resolved is a new row).';
COMMENT ON COLUMN dashboard.alerts.alert_id IS 'The alert''s id (socialroi alerts ack ID).';
COMMENT ON COLUMN dashboard.alerts.kind IS 'What kind of problem (socialroi.alert_kind).';
COMMENT ON COLUMN dashboard.alerts.subject IS
    'What it is about, as key=value words: account=..., stream=..., campaign=..., query=...';
COMMENT ON COLUMN dashboard.alerts.severity IS 'info, warning or critical (the latest seen).';
COMMENT ON COLUMN dashboard.alerts.state IS
    'active; acknowledged (active, someone said they are on it); resolved.';
COMMENT ON COLUMN dashboard.alerts.first_seen IS 'When it was raised.';
COMMENT ON COLUMN dashboard.alerts.last_seen IS 'The last evaluation that still saw it.';
COMMENT ON COLUMN dashboard.alerts.resolved_at IS 'When it was resolved; NULL while open.';
COMMENT ON COLUMN dashboard.alerts.message IS 'What is wrong, in figures (the latest seen).';
COMMENT ON COLUMN dashboard.alerts.runbook IS 'What to do about it.';
COMMENT ON COLUMN dashboard.alerts.acked_at IS 'When it was acknowledged; NULL if not.';
COMMENT ON COLUMN dashboard.alerts.acked_by IS 'Who acknowledged it.';
COMMENT ON COLUMN dashboard.alerts.detail IS 'The detector''s figures as JSON.';

REVOKE ALL ON FUNCTION socialroi.alert_evaluate(timestamptz, integer),
              socialroi.alert_detect(timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.alert_evaluate(timestamptz, integer),
                          socialroi.alert_detect(timestamptz),
                          socialroi.alert_severity_rank(text) TO socialroi_daemon;
GRANT SELECT ON socialroi.alert_kind TO socialroi_daemon;
GRANT SELECT, INSERT, UPDATE ON socialroi.alert, socialroi.alert_event TO socialroi_daemon;
GRANT SELECT ON dashboard.alerts TO socialroi_dashboard, socialroi_finance;
