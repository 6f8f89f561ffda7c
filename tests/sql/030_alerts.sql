-- 030_alerts.sql - the alert machinery with a detector made for the test, as the daemon role:
-- a firing candidate raises once (deduplicated), a candidate in the hold band keeps an open
-- alert open but raises none, a higher severity escalates (a lower one is kept quietly), an alert unseen for two
-- evaluations in a row resolves (one miss does not), a failed detector leaves its alerts
-- alone, every change is one outbox event; dashboard.alerts shows it all with the runbook.
BEGIN;
SELECT plan(18);

CREATE TABLE public.probe (subject text, severity text, firing boolean);
CREATE FUNCTION public.probe_detector(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql AS $$
    SELECT 'probe', subject, severity, firing, 'probe says ' || severity, '{"n": 1}'::jsonb
      FROM public.probe
$$;
CREATE FUNCTION public.broken_detector(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql AS $$
    SELECT 'broken', 'x', 'warning', 1 / (SELECT count(*) FROM public.probe WHERE false) = 1,
           'never', NULL::jsonb
$$;
INSERT INTO socialroi.alert_kind VALUES
    ('probe', 'public.probe_detector', 'A probe', 'Look at the probe.'),
    ('broken', 'public.broken_detector', 'A broken detector', 'Fix the detector.');
GRANT SELECT ON public.probe TO socialroi_daemon;
INSERT INTO public.probe VALUES ('a', 'warning', true), ('a', 'info', true),
                                ('b', 'warning', false);
-- an open alert of the broken kind, from before it broke
INSERT INTO socialroi.alert (kind, subject, severity, first_seen, last_seen, message)
VALUES ('broken', 'x', 'warning', '2026-12-01', '2026-12-01', 'earlier');

SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT row(raised, resolved, active)::text
             FROM socialroi.alert_evaluate('2026-12-07 10:00Z')),
          '(1,0,2)', 'a firing candidate raises one alert; the hold band raises none');
SELECT is((SELECT row(raised, resolved, active)::text
             FROM socialroi.alert_evaluate('2026-12-07 10:05Z')),
          '(0,0,2)', 'seen again: nothing raised twice');
SELECT is((SELECT severity FROM socialroi.alert WHERE kind = 'probe' AND subject = 'a'),
          'warning', 'two candidates for one subject: the higher severity');
SELECT is((SELECT count(*)::integer FROM socialroi.alert_event), 1, 'one raised event');
RESET ROLE;

UPDATE public.probe SET firing = false WHERE subject = 'a';
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT row(raised, resolved, active)::text
             FROM socialroi.alert_evaluate('2026-12-07 10:10Z')),
          '(0,0,2)', 'back inside the hold band: kept open');
RESET ROLE;

UPDATE public.probe SET severity = 'critical' WHERE subject = 'a' AND severity = 'warning';
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate('2026-12-07 10:15Z');
SELECT is((SELECT string_agg(event || ':' || severity, ',' ORDER BY event_id)
             FROM socialroi.alert_event),
          'raised:warning,escalated:critical', 'a higher severity is one escalated event');
RESET ROLE;

DELETE FROM public.probe WHERE subject = 'a';
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT row(raised, resolved, active)::text
             FROM socialroi.alert_evaluate('2026-12-07 10:20Z')),
          '(0,0,2)', 'one evaluation without it: still open');
RESET ROLE;
INSERT INTO public.probe VALUES ('a', 'warning', false);
SET LOCAL ROLE socialroi_daemon;
SELECT is((SELECT row(raised, resolved, active)::text
             FROM socialroi.alert_evaluate('2026-12-07 10:25Z')),
          '(0,0,2)', 'back in the hold band: the miss count starts over');
SELECT is((SELECT clear_runs FROM socialroi.alert WHERE kind = 'probe' AND subject = 'a'), 0,
          'clear_runs is 0 again');
RESET ROLE;
DELETE FROM public.probe WHERE subject = 'a';
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate('2026-12-07 10:30Z');
SELECT is((SELECT row(raised, resolved, active)::text
             FROM socialroi.alert_evaluate('2026-12-07 10:35Z')),
          '(0,1,1)', 'two evaluations in a row without it: resolved');
SELECT is((SELECT resolved_at FROM socialroi.alert WHERE kind = 'probe' AND subject = 'a'),
          '2026-12-07 10:35Z'::timestamptz, 'resolved_at is the evaluation''s time');
SELECT is((SELECT string_agg(event, ',' ORDER BY event_id) FROM socialroi.alert_event),
          'raised,escalated,resolved', 'and one resolved event');
SELECT is((SELECT resolved_at FROM socialroi.alert WHERE kind = 'broken'), NULL,
          'the broken detector''s alert is left open');
SELECT is((SELECT failed FROM socialroi.alert_evaluate('2026-12-07 10:36Z')),
          'public.broken_detector', 'and the evaluation names the failed detector');
RESET ROLE;

INSERT INTO public.probe VALUES ('a', 'warning', true);
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate('2026-12-07 10:40Z');
SELECT is((SELECT count(*)::integer FROM socialroi.alert WHERE kind = 'probe' AND subject = 'a'),
          2, 'raised again after it was resolved: a new alert');
RESET ROLE;

SET LOCAL ROLE socialroi_dashboard;
SELECT is((SELECT string_agg(state || ':' || severity, ',' ORDER BY alert_id)
             FROM dashboard.alerts WHERE kind = 'probe'),
          'resolved:warning,active:warning', 'dashboard.alerts: the state of each');
SELECT is((SELECT runbook FROM dashboard.alerts WHERE kind = 'probe' LIMIT 1),
          'Look at the probe.', 'with the kind''s runbook');
SELECT throws_ok($$SELECT socialroi.alert_evaluate()$$, '42501', NULL,
                 'a reader cannot evaluate');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
