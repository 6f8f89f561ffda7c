-- 034_alert_delivery.sql - the delivery side of the alert outbox, as the daemon role: a new
-- destination starts after the events raised before it (of an alert resolved since: open
-- ones are 035's); routing by kind, lowest severity and
-- resolutions; a claim is leased (claimed again only when it lapses or a retry comes due);
-- delivered and failed settle a delivery for good; an event older than max_age is neither
-- queued nor retried; dashboard.alert_deliveries shows it all to readers, who cannot queue.
BEGIN;
SELECT plan(23);

CREATE TABLE public.probe (kind text, subject text, severity text);
CREATE FUNCTION public.probe_detector(p_now timestamptz)
RETURNS SETOF socialroi.alert_candidate LANGUAGE sql AS $$
    SELECT kind, subject, severity, true, kind || ' ' || subject, '{"n": 1}'::jsonb
      FROM public.probe
$$;
INSERT INTO socialroi.alert_kind VALUES
    ('probe', 'public.probe_detector', 'A probe', 'Look at the probe.'),
    ('other', 'public.probe_detector', 'Another probe', 'Look at the other probe.');
GRANT SELECT ON public.probe TO socialroi_daemon;
INSERT INTO public.probe VALUES ('probe', 'early', 'critical');

SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate();
RESET ROLE;
DELETE FROM public.probe WHERE subject = 'early';
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate(pg_catalog.now() + interval '10 seconds');
SELECT socialroi.alert_evaluate(pg_catalog.now() + interval '20 seconds');
SELECT is(socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day'), 0::bigint,
          'a new destination gets nothing of an alert resolved before it existed');
SELECT is(socialroi.alert_delivery_queue('d2', '{other}', 'info', false, '1 day'), 0::bigint,
          'nor does a second one');
RESET ROLE;

INSERT INTO public.probe VALUES ('probe', 'a', 'critical'), ('other', 'b', 'warning'),
                                ('probe', 'c', 'info');
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate(pg_catalog.now() + interval '1 minute');
SELECT is(socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day'), 2::bigint,
          'every kind from warning up: two of the three new events');
SELECT is(socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day'), 2::bigint,
          'queued once however often it is asked');
SELECT is(socialroi.alert_delivery_queue('d2', '{other}', 'info', false, '1 day'), 1::bigint,
          'kinds = other, from info up: one');

CREATE TEMP TABLE claimed AS
SELECT * FROM socialroi.alert_delivery_claim('d1', 10, '1 minute');
SELECT is((SELECT string_agg(kind || '/' || subject || ':' || event || ':' || severity, ','
                             ORDER BY subject) FROM claimed),
          'probe/a:raised:critical,other/b:raised:warning', 'the claim returns both');
SELECT is((SELECT array_agg(event_id) FROM claimed),
          (SELECT array_agg(event_id ORDER BY event_id) FROM claimed), 'in the outbox''s order');
SELECT is((SELECT count(*)::integer FROM claimed
            WHERE instance = (SELECT id FROM socialroi.alert_instance)
              AND title IS NOT NULL AND runbook LIKE 'Look at%' AND attempts = 0
              AND at ~ '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$' AND detail = '{"n": 1}'),
          2, 'with the database id, title, runbook, attempts, UTC time and detail');
SELECT is((SELECT count(*)::integer FROM socialroi.alert_delivery_claim('d1', 10, '1 minute')),
          0, 'claimed rows are leased: a second claim gets none');
SELECT is((SELECT count(*)::integer FROM socialroi.alert_delivery_claim('d2', 10, '1 minute')),
          1, 'another destination claims its own');
SELECT socialroi.alert_delivery_done('d2', event_id, 'retry', 'HTTP 503', '0 seconds')
  FROM socialroi.alert_delivery WHERE destination = 'd2';

SELECT socialroi.alert_delivery_done('d1', (SELECT event_id FROM claimed WHERE subject = 'a'),
                                     'delivered', NULL, NULL);
SELECT socialroi.alert_delivery_done('d1', (SELECT event_id FROM claimed WHERE subject = 'b'),
                                     'retry', 'HTTP 500', '0 seconds');
SELECT is((SELECT string_agg(subject || ':' || attempts, ',')
             FROM socialroi.alert_delivery_claim('d1', 10, '1 minute') c),
          'b:1', 'a retry that came due is claimed again, with its attempt count');
SELECT socialroi.alert_delivery_done('d1', (SELECT event_id FROM claimed WHERE subject = 'b'),
                                     'failed', 'HTTP 404', NULL);
SELECT socialroi.alert_delivery_done('d1', (SELECT event_id FROM claimed WHERE subject = 'b'),
                                     'delivered', NULL, NULL);
SELECT is((SELECT string_agg(d.attempts || ':' || (d.delivered_at IS NOT NULL) || ':'
                             || (d.failed_at IS NOT NULL) || ':' || COALESCE(d.last_error, '-'),
                             ',' ORDER BY c.subject)
             FROM socialroi.alert_delivery d JOIN claimed c USING (event_id)
            WHERE d.destination = 'd1'),
          '1:true:false:-,2:false:true:HTTP 404',
          'delivered and failed settle a delivery; a later outcome leaves it as it was');
SELECT is(socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day'), 0::bigint,
          'nothing pending once settled');
SELECT throws_ok($$SELECT socialroi.alert_delivery_done('d1', 1, 'maybe', NULL, NULL)$$,
                 'P0001', NULL, 'an unknown result is refused');
RESET ROLE;

-- resolutions: d1 takes them, d2 (resolved = false) does not
DELETE FROM public.probe WHERE subject = 'b';
SET LOCAL ROLE socialroi_daemon;
SELECT socialroi.alert_evaluate(pg_catalog.now() + interval '2 minutes');
SELECT socialroi.alert_evaluate(pg_catalog.now() + interval '3 minutes');
SELECT is(socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day'), 1::bigint,
          'the resolution is queued for a destination that wants them');
SELECT is(socialroi.alert_delivery_queue('d2', '{other}', 'info', false, '1 day'), 1::bigint,
          'and not for one with resolved = false (its one pending is the raise)');
SELECT is((SELECT string_agg(event, ',') FROM socialroi.alert_delivery_claim('d1', 10, '1 minute')),
          'resolved', 'd1 claims the resolution');
RESET ROLE;

-- max_age: an old event is not queued, and a pending one that grew old is given up
INSERT INTO socialroi.alert_event (alert_id, event, severity, at)
SELECT alert_id, 'escalated', 'critical', pg_catalog.now() - interval '2 days'
  FROM socialroi.alert WHERE subject = 'a';
UPDATE socialroi.alert_event SET at = pg_catalog.now() - interval '2 days'
 WHERE event_id = (SELECT min(event_id) FROM socialroi.alert_delivery WHERE destination = 'd2');
SET LOCAL ROLE socialroi_daemon;
SELECT is(socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day'), 1::bigint,
          'an event older than max_age is not queued');
SELECT is(socialroi.alert_delivery_queue('d2', '{other}', 'info', false, '1 day'), 0::bigint,
          'a pending delivery older than max_age is given up');
SELECT is((SELECT last_error FROM socialroi.alert_delivery WHERE destination = 'd2'),
          'expired (older than max_age) after 1 attempts; last: HTTP 503', 'as expired');
RESET ROLE;

SET LOCAL ROLE socialroi_dashboard;
SELECT is((SELECT string_agg(destination || ':' || kind || '/' || subject || ':' || event || ':'
                             || state, ',' ORDER BY destination, subject, event_id)
             FROM dashboard.alert_deliveries),
          'd1:probe/a:raised:delivered,d1:other/b:raised:failed,d1:other/b:resolved:pending,'
          'd2:other/b:raised:failed', 'dashboard.alert_deliveries shows each and its state');
SELECT throws_ok($$SELECT socialroi.alert_delivery_queue('d1', NULL, 'warning', true, '1 day')$$,
                 '42501', NULL, 'a reader cannot queue');
SELECT throws_ok($$SELECT * FROM socialroi.alert_delivery$$, '42501', NULL,
                 'nor read the table itself');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
