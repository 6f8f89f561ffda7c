-- 035_alert_delivery_open.sql: a new destination is told of the alerts open when it appears.
--
-- 034 started a destination seen for the first time after the newest event, so nothing raised
-- before it existed was sent. A daemon's first evaluation runs on another connection than its
-- first outbox poll, so alerts raised at its very start could come first and never be sent;
-- and a destination added to a running deployment heard nothing of what was wrong already.
-- A new destination now starts after the newest event too, and gets besides, once, the latest
-- raise or escalation of each alert still open, when its routing lets it through and it is at
-- most max_age old (a resolved alert, or an older one, is still never sent).

CREATE OR REPLACE FUNCTION socialroi.alert_delivery_queue(p_destination text, p_kinds text[],
                                                          p_min_severity text,
                                                          p_resolved boolean,
                                                          p_max_age interval)
RETURNS bigint LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    mark bigint;
    top bigint;
    pending bigint;
    fresh boolean;
BEGIN
    INSERT INTO socialroi.alert_destination (destination, queued_through)
    SELECT p_destination, COALESCE(pg_catalog.max(event_id), 0) FROM socialroi.alert_event
    ON CONFLICT (destination) DO NOTHING
    RETURNING true INTO fresh;
    SELECT queued_through INTO mark FROM socialroi.alert_destination
     WHERE destination = p_destination FOR UPDATE;
    IF fresh THEN -- what is wrong now: each open alert's latest raise or escalation
        INSERT INTO socialroi.alert_delivery (destination, event_id)
        SELECT p_destination, l.event_id
          FROM socialroi.alert a
          CROSS JOIN LATERAL (SELECT e.event_id, e.severity, e.at FROM socialroi.alert_event e
                               WHERE e.alert_id = a.alert_id AND e.event <> 'resolved'
                               ORDER BY e.event_id DESC LIMIT 1) l
         WHERE a.resolved_at IS NULL
           AND (p_kinds IS NULL OR pg_catalog.cardinality(p_kinds) = 0 OR a.kind = ANY (p_kinds))
           AND socialroi.alert_severity_rank(l.severity)
               >= socialroi.alert_severity_rank(p_min_severity)
           AND l.at >= pg_catalog.now() - p_max_age
        ON CONFLICT DO NOTHING;
    END IF;
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
    'old); a destination seen for the first time starts at the newest event and gets the '
    'latest raise or escalation of each alert still open (routed, at most max_age old). Gives '
    'up pending deliveries older than max_age. Returns the deliveries pending for the '
    'destination.';
