-- 035_alert_delivery_open.sql - a destination seen for the first time is told, once, of the
-- alerts open when it appears: each one's latest raise or escalation, routed by kind and
-- lowest severity, at most max_age old; nothing of a resolved alert; the events that follow
-- are queued as before. As the daemon role.
BEGIN;
SELECT plan(8);

CREATE TABLE public.probe (kind text, subject text, severity text);
CREATE FUNCTION public.probe_detector(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql AS $$
    SELECT kind, subject, severity, true, kind || ' ' || subject, '{}'::jsonb FROM public.probe
$$;
INSERT INTO socialroi.alert_kind VALUES
    ('probe', 'public.probe_detector', 'A probe', 'Look at the probe.'),
    ('other', 'public.probe_detector', 'Another probe', 'Look at the other probe.');
GRANT SELECT ON public.probe TO socialroi_daemon;
INSERT INTO public.probe VALUES ('probe', 'up', 'warning'), ('probe', 'gone', 'critical'),
                                ('other', 'low', 'info'), ('probe', 'old', 'critical');

SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate();
RESET ROLE;
-- 'up' escalates, 'gone' resolves, 'old' was raised three days ago
UPDATE public.probe SET severity = 'critical' WHERE subject = 'up';
DELETE FROM public.probe WHERE subject = 'gone';
UPDATE socialroi.alert_event SET at = pg_catalog.now() - interval '3 days'
 WHERE alert_id = (SELECT alert_id FROM socialroi.alert WHERE subject = 'old');
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate(pg_catalog.now() + interval '1 minute');
SELECT socialroi.alert_evaluate(pg_catalog.now() + interval '2 minutes');
SELECT is((SELECT string_agg(subject || ':' || CASE WHEN resolved_at IS NULL THEN 'open'
                                                    ELSE 'resolved' END, ',' ORDER BY subject)
             FROM socialroi.alert),
          'gone:resolved,low:open,old:open,up:open', 'three open, one resolved');

SELECT is(socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day'), 1::bigint,
          'a new destination gets one delivery: the open alerts from warning up, within a day');
SELECT is((SELECT string_agg(a.subject || ':' || e.event || ':' || e.severity, ',')
             FROM socialroi.alert_delivery d JOIN socialroi.alert_event e USING (event_id)
             JOIN socialroi.alert a USING (alert_id) WHERE d.destination = 'd1'),
          'up:escalated:critical', 'the latest of the alert still open: its escalation');
SELECT is(socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day'), 1::bigint,
          'once: asked again, nothing more');
SELECT is(socialroi.alert_delivery_queue('d2', '{other}', 'info', true, '1 day'), 1::bigint,
          'routing applies: kinds = other from info up gets the info alert');
SELECT is(socialroi.alert_delivery_queue('d3', NULL, 'warning', true, '7 days'), 2::bigint,
          'a longer max_age takes the older one too');
RESET ROLE;

INSERT INTO public.probe VALUES ('probe', 'later', 'warning');
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate(pg_catalog.now() + interval '3 minutes');
SELECT is(socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day'), 2::bigint,
          'an alert raised afterwards is queued as before');
SELECT is((SELECT count(*)::integer FROM socialroi.alert_delivery d
             JOIN socialroi.alert_event e USING (event_id) JOIN socialroi.alert a USING (alert_id)
            WHERE a.subject = 'gone'),
          0, 'nothing of the resolved alert went anywhere');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
