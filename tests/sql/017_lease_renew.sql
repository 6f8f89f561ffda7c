-- 017_lease_renew.sql - a run's lease across waits: renewed by its owner only, kept by a page
-- or a throttled attempt that carries lease_s (and for that long), given back by any other
-- failure; no fixed ten minutes left in the database.
BEGIN;
SELECT plan(15);

SELECT socialroi.sync_account('acme-x', 'x', '42', 'USD', 'UTC', true, 'h1');
SELECT socialroi.sync_job('acme-x', 'x.tweets', 900000, 0, 2592000000, false);
CREATE FUNCTION pg_temp.expires_in() RETURNS double precision LANGUAGE sql AS $$
    SELECT date_part('epoch', lease_expires - now())::float8 FROM socialroi.poll_job
$$;

SELECT is((SELECT claimed FROM socialroi.claim_job(1, 'a', 3, false)), true, 'a claims the job');
SELECT is(pg_temp.expires_in(), 3::float8, 'for the lease it asked for');

-- renewals
SELECT is(socialroi.renew_lease(1, 'a', 30), true, 'the owner renews its lease');
SELECT is(pg_temp.expires_in(), 30::float8, 'for the length it asks for');
SELECT is(socialroi.renew_lease(1, 'b', 30), false, 'another daemon cannot renew it');
UPDATE socialroi.poll_job SET lease_expires = now() - interval '1 second';
SELECT is(socialroi.renew_lease(1, 'a', 30), true,
          'a lease past its expiry that nobody took is renewed');
UPDATE socialroi.poll_job SET lease_expires = now() - interval '1 second';
SELECT is((SELECT claimed FROM socialroi.claim_job(1, 'b', 3, false)), true,
          'an expired lease is taken by another daemon');
SELECT is(socialroi.renew_lease(1, 'a', 30), false, 'then the first owner''s renewal fails');
SELECT is((SELECT lease_owner FROM socialroi.poll_job), 'b', 'and the lease stays with b');

-- a page that the run goes on from renews the lease by lease_s; without lease_s it is left
SELECT socialroi.ingest_page(1, 'b', '{}', '{"in_run":true,"page":"p2"}',
                             '{"outcome":"ok","lease_s":40}', false, 0);
SELECT is(pg_temp.expires_in(), 40::float8, 'a non-final page renews the lease by its lease_s');
SELECT socialroi.ingest_page(1, 'b', '{}', '{"in_run":true,"page":"p3"}', '{"outcome":"ok"}',
                             false, 0);
SELECT is(pg_temp.expires_in(), 40::float8, 'without lease_s the lease is left as it was');

-- a throttled attempt with lease_s keeps the lease and the cursor; other failures give it back
SELECT socialroi.record_failure(1, 'b',
    '{"outcome":"error","error_class":"throttled","error":"429","lease_s":50}', 900, NULL);
SELECT is((SELECT lease_owner || ' ' || cursor FROM socialroi.poll_job),
          'b {"in_run":true,"page":"p3"}', 'a throttled wait keeps the lease and the page cursor');
SELECT is(pg_temp.expires_in(), 50::float8, 'renewed by the record''s lease_s');
SELECT is((SELECT claimed FROM socialroi.claim_job(1, 'c', 3, true)), false,
          'no other daemon takes the job during the wait, even forced');
SELECT socialroi.record_failure(1, 'b',
    '{"outcome":"error","error_class":"transient","error":"503"}', 30, NULL);
SELECT is((SELECT lease_owner FROM socialroi.poll_job), NULL, 'a transient failure gives it back');

SELECT * FROM finish();
ROLLBACK;
