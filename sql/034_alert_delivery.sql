-- 034_alert_delivery.sql: delivering the alert outbox (socialroi.alert_event) to the
-- destinations of the config's [alert NAME] sections (webhooks, e-mail).
--
-- Each destination has a high-water mark (alert_destination.queued_through): every poll queues
-- the events after it that the destination's routing lets through (kinds, lowest severity,
-- resolutions) as rows of alert_delivery, then moves the mark. The events are numbered in the
-- order they commit because alert_evaluate() runs one evaluation at a time (its advisory lock),
-- so a mark never skips an event that commits later.
--
-- What a destination gets first: a destination seen for the first time starts at the newest
-- event (nothing raised before it existed is sent), and an event older than the destination's
-- max_age when it is queued is never sent (a daemon that was down for days sends no stale
-- backlog); a delivery still not made max_age after its event is given up as expired.
--
-- Sending is claimed with a lease: alert_delivery_claim() picks due rows FOR UPDATE SKIP
-- LOCKED and moves their next_attempt past the lease, so several daemons sharing the database
-- send each event once per destination; a daemon that dies mid-send leaves rows that come due
-- again when the lease ends (at least once). alert_delivery_done() records the outcome.

CREATE TABLE socialroi.alert_instance (
    one        boolean PRIMARY KEY DEFAULT true CHECK (one),
    id         text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
INSERT INTO socialroi.alert_instance (id)
VALUES (pg_catalog.substr(pg_catalog.md5(pg_catalog.random()::text
                                         || pg_catalog.clock_timestamp()::text), 1, 12));

COMMENT ON TABLE socialroi.alert_instance IS
    'One row: a random id of this database, made when it was migrated; every delivered alert '
    'carries "socialroi-<id>-<event_id>" so receivers tell two databases apart when they '
    'de-duplicate.';
COMMENT ON COLUMN socialroi.alert_instance.one IS 'Always true: keeps the table at one row.';
COMMENT ON COLUMN socialroi.alert_instance.id IS '12 hex digits, random.';
COMMENT ON COLUMN socialroi.alert_instance.created_at IS 'When the id was made.';

CREATE TABLE socialroi.alert_destination (
    destination    text PRIMARY KEY,
    created_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    queued_through bigint NOT NULL
);

COMMENT ON TABLE socialroi.alert_destination IS
    'One row per [alert NAME] section a daemon has delivered for: the outbox events up to '
    'queued_through were considered (queued or filtered out) for it.';
COMMENT ON COLUMN socialroi.alert_destination.destination IS 'The [alert NAME] section name.';
COMMENT ON COLUMN socialroi.alert_destination.created_at IS 'When a daemon first saw it.';
COMMENT ON COLUMN socialroi.alert_destination.queued_through IS
    'High-water mark: the last socialroi.alert_event.event_id considered.';

CREATE TABLE socialroi.alert_delivery (
    destination  text NOT NULL REFERENCES socialroi.alert_destination ON DELETE CASCADE,
    event_id     bigint NOT NULL REFERENCES socialroi.alert_event ON DELETE CASCADE,
    attempts     integer NOT NULL DEFAULT 0,
    next_attempt timestamptz NOT NULL DEFAULT pg_catalog.now(),
    delivered_at timestamptz,
    failed_at    timestamptz,
    last_error   text,
    PRIMARY KEY (destination, event_id),
    CHECK (delivered_at IS NULL OR failed_at IS NULL)
);

CREATE INDEX alert_delivery_due ON socialroi.alert_delivery (destination, next_attempt)
    WHERE delivered_at IS NULL AND failed_at IS NULL;

COMMENT ON TABLE socialroi.alert_delivery IS
    'One row per (destination, outbox event) to send: pending (next_attempt is when it is '
    'tried next, or when a claim''s lease ends), delivered, or failed for good.';
COMMENT ON COLUMN socialroi.alert_delivery.destination IS 'The [alert NAME] section name.';
COMMENT ON COLUMN socialroi.alert_delivery.event_id IS 'The socialroi.alert_event sent.';
COMMENT ON COLUMN socialroi.alert_delivery.attempts IS 'Attempts made so far.';
COMMENT ON COLUMN socialroi.alert_delivery.next_attempt IS
    'When it is due next (while a daemon sends it: when its claim lapses).';
COMMENT ON COLUMN socialroi.alert_delivery.delivered_at IS
    'When the receiver accepted it (HTTP 2xx, SMTP 250); NULL until then.';
COMMENT ON COLUMN socialroi.alert_delivery.failed_at IS
    'When it was given up: refused for good (HTTP 4xx other than 408 and 429, SMTP 5xx) or '
    'expired (not delivered within the destination''s max_age).';
COMMENT ON COLUMN socialroi.alert_delivery.last_error IS
    'What the last failed attempt got (status or transport error; never a URL or password).';

-- Queues the new events the destination's routing lets through, expires what is too old;
-- returns how many deliveries are pending for it.
CREATE FUNCTION socialroi.alert_delivery_queue(p_destination text, p_kinds text[],
                                               p_min_severity text, p_resolved boolean,
                                               p_max_age interval)
RETURNS bigint LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    mark bigint;
    top bigint;
    pending bigint;
BEGIN
    INSERT INTO socialroi.alert_destination (destination, queued_through)
    SELECT p_destination, COALESCE(pg_catalog.max(event_id), 0) FROM socialroi.alert_event
    ON CONFLICT (destination) DO NOTHING;
    SELECT queued_through INTO mark FROM socialroi.alert_destination
     WHERE destination = p_destination FOR UPDATE;
    SELECT COALESCE(pg_catalog.max(event_id), mark) INTO top FROM socialroi.alert_event
     WHERE event_id > mark;
    IF top > mark THEN
        INSERT INTO socialroi.alert_delivery (destination, event_id)
        SELECT p_destination, e.event_id
          FROM socialroi.alert_event e JOIN socialroi.alert a ON a.alert_id = e.alert_id
         WHERE e.event_id > mark AND e.event_id <= top
           AND (p_kinds IS NULL OR pg_catalog.cardinality(p_kinds) = 0 OR a.kind = ANY (p_kinds))
           AND socialroi.alert_severity_rank(e.severity)
               >= socialroi.alert_severity_rank(p_min_severity)
           AND (p_resolved OR e.event <> 'resolved')
           AND e.at >= pg_catalog.now() - p_max_age
        ON CONFLICT DO NOTHING;
        UPDATE socialroi.alert_destination SET queued_through = top
         WHERE destination = p_destination;
    END IF;
    UPDATE socialroi.alert_delivery d
       SET failed_at = pg_catalog.now(),
           last_error = pg_catalog.format('expired (older than max_age) after %s attempts%s',
                                          d.attempts, '; last: ' || d.last_error)
      FROM socialroi.alert_event e
     WHERE d.destination = p_destination AND d.delivered_at IS NULL AND d.failed_at IS NULL
       AND e.event_id = d.event_id AND e.at < pg_catalog.now() - p_max_age
       AND d.next_attempt <= pg_catalog.now();
    SELECT pg_catalog.count(*) INTO pending FROM socialroi.alert_delivery
     WHERE destination = p_destination AND delivered_at IS NULL AND failed_at IS NULL;
    RETURN pending;
END
$$;

COMMENT ON FUNCTION socialroi.alert_delivery_queue(text, text[], text, boolean, interval) IS
    'Queues the outbox events after the destination''s high-water mark that its routing lets '
    'through (kinds: NULL or empty = all; lowest severity; resolutions or not; at most max_age '
    'old); a destination seen for the first time starts at the newest event. Gives up pending '
    'deliveries older than max_age. Returns the deliveries pending for the destination.';

-- Up to p_limit due deliveries of the destination, claimed for p_lease, with what to send.
CREATE FUNCTION socialroi.alert_delivery_claim(p_destination text, p_limit integer,
                                               p_lease interval)
RETURNS TABLE (event_id bigint, attempts integer, event text, severity text, at text,
               alert_id bigint, kind text, subject text, message text, title text,
               runbook text, first_seen text, detail jsonb, instance text)
LANGUAGE sql SET search_path = '' AS $$
    WITH due AS (
        SELECT d.event_id FROM socialroi.alert_delivery d
         WHERE d.destination = p_destination AND d.delivered_at IS NULL
           AND d.failed_at IS NULL AND d.next_attempt <= pg_catalog.now()
         ORDER BY d.event_id
         LIMIT p_limit
           FOR UPDATE SKIP LOCKED),
    claimed AS (
        UPDATE socialroi.alert_delivery d SET next_attempt = pg_catalog.now() + p_lease
          FROM due
         WHERE d.destination = p_destination AND d.event_id = due.event_id
        RETURNING d.event_id, d.attempts)
    SELECT c.event_id, c.attempts, e.event, e.severity,
           pg_catalog.to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           a.alert_id, a.kind, a.subject, a.message, k.title, k.runbook,
           pg_catalog.to_char(a.first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           a.detail,
           (SELECT i.id FROM socialroi.alert_instance i)
      FROM claimed c
      JOIN socialroi.alert_event e ON e.event_id = c.event_id
      JOIN socialroi.alert a ON a.alert_id = e.alert_id
      JOIN socialroi.alert_kind k ON k.kind = a.kind
     ORDER BY c.event_id
$$;

COMMENT ON FUNCTION socialroi.alert_delivery_claim(text, integer, interval) IS
    'Claims up to p_limit due deliveries of a destination for p_lease (FOR UPDATE SKIP LOCKED: '
    'daemons sharing the database never claim the same one) and returns what to send: the '
    'event (its time in UTC, ISO 8601), its alert (latest message and detail), the kind''s '
    'title and runbook, and this database''s id.';

-- The outcome of one attempt: 'delivered', 'retry' (again after p_retry_in) or 'failed'.
CREATE FUNCTION socialroi.alert_delivery_done(p_destination text, p_event_id bigint,
                                              p_result text, p_error text,
                                              p_retry_in interval)
RETURNS void LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    IF p_result NOT IN ('delivered', 'retry', 'failed') THEN
        RAISE EXCEPTION 'alert_delivery_done: unknown result %', p_result;
    END IF;
    UPDATE socialroi.alert_delivery
       SET attempts = attempts + 1,
           delivered_at = CASE WHEN p_result = 'delivered' THEN pg_catalog.now() END,
           failed_at = CASE WHEN p_result = 'failed' THEN pg_catalog.now() END,
           next_attempt = pg_catalog.now() + COALESCE(p_retry_in, '0'::interval),
           last_error = COALESCE(p_error, last_error)
     WHERE destination = p_destination AND event_id = p_event_id
       AND delivered_at IS NULL AND failed_at IS NULL;
END
$$;

COMMENT ON FUNCTION socialroi.alert_delivery_done(text, bigint, text, text, interval) IS
    'Records one attempt of a delivery: delivered, retry after p_retry_in, or failed for good; '
    'p_error is what the attempt got. A delivery already settled is left as it is.';

CREATE VIEW dashboard.alert_deliveries AS
SELECT d.destination, d.event_id, e.alert_id, a.kind, a.subject, e.event, e.severity,
       CASE WHEN d.delivered_at IS NOT NULL THEN 'delivered'
            WHEN d.failed_at IS NOT NULL THEN 'failed'
            ELSE 'pending' END AS state,
       d.attempts, d.next_attempt, d.delivered_at, d.failed_at, d.last_error
  FROM socialroi.alert_delivery d
  JOIN socialroi.alert_event e ON e.event_id = d.event_id
  JOIN socialroi.alert a ON a.alert_id = e.alert_id;

COMMENT ON VIEW dashboard.alert_deliveries IS
    'Each alert event queued for each [alert NAME] destination, and whether it got there.';
COMMENT ON COLUMN dashboard.alert_deliveries.destination IS 'The [alert NAME] section name.';
COMMENT ON COLUMN dashboard.alert_deliveries.event_id IS
    'The outbox event (receivers de-duplicate on socialroi-<database id>-<event_id>).';
COMMENT ON COLUMN dashboard.alert_deliveries.alert_id IS 'The alert (dashboard.alerts).';
COMMENT ON COLUMN dashboard.alert_deliveries.kind IS 'The alert''s kind.';
COMMENT ON COLUMN dashboard.alert_deliveries.subject IS 'What the alert is about.';
COMMENT ON COLUMN dashboard.alert_deliveries.event IS 'raised, escalated or resolved.';
COMMENT ON COLUMN dashboard.alert_deliveries.severity IS 'The severity the event carried.';
COMMENT ON COLUMN dashboard.alert_deliveries.state IS
    'pending (to be tried, or being sent), delivered, or failed (refused for good or expired).';
COMMENT ON COLUMN dashboard.alert_deliveries.attempts IS 'Attempts made so far.';
COMMENT ON COLUMN dashboard.alert_deliveries.next_attempt IS 'When a pending one is tried next.';
COMMENT ON COLUMN dashboard.alert_deliveries.delivered_at IS 'When the receiver accepted it.';
COMMENT ON COLUMN dashboard.alert_deliveries.failed_at IS 'When it was given up.';
COMMENT ON COLUMN dashboard.alert_deliveries.last_error IS
    'What the last failed attempt got (HTTP status, SMTP reply or transport error).';

REVOKE ALL ON FUNCTION socialroi.alert_delivery_queue(text, text[], text, boolean, interval),
              socialroi.alert_delivery_claim(text, integer, interval),
              socialroi.alert_delivery_done(text, bigint, text, text, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.alert_delivery_queue(text, text[], text, boolean, interval),
                          socialroi.alert_delivery_claim(text, integer, interval),
                          socialroi.alert_delivery_done(text, bigint, text, text, interval)
    TO socialroi_daemon;
GRANT SELECT ON socialroi.alert_instance TO socialroi_daemon;
GRANT SELECT, INSERT, UPDATE ON socialroi.alert_destination, socialroi.alert_delivery
    TO socialroi_daemon;
GRANT SELECT ON dashboard.alert_deliveries TO socialroi_dashboard, socialroi_finance;
