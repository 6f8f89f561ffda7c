-- 017_lease_renew.sql: a job's lease lasts as long as its run, however long the run waits.
--
-- A run that waits between pages (a rate-limit reset: X windows last 15 minutes; a quota; a
-- Retry-After) used to keep the lease only for the ten minutes the last page or claim gave it,
-- or gave it back with a throttled attempt; another daemon could then take the job in the
-- middle of the run. Now the daemon holding the lease renews it while the run waits
-- (renew_lease), and a page or a throttled attempt that the run goes on from keeps the lease
-- for as long as the fetch record's lease_s says. The lease's length is the daemon's setting
-- ([daemon] lease) alone: claim_job, renew_lease and lease_s all carry it.

-- Moves the lease of p_job on to p_lease_s seconds from now, when p_owner still holds it
-- (even past lease_expires, as long as no other daemon took the job). False: the lease is gone.
CREATE FUNCTION socialroi.renew_lease(p_job bigint, p_owner text, p_lease_s integer)
RETURNS boolean LANGUAGE sql SET search_path = '' AS $$
    WITH renewed AS (
        UPDATE socialroi.poll_job
           SET lease_expires = pg_catalog.now() + pg_catalog.make_interval(secs => p_lease_s)
         WHERE job_id = p_job AND lease_owner = p_owner
        RETURNING job_id)
    SELECT EXISTS (SELECT FROM renewed)
$$;
COMMENT ON FUNCTION socialroi.renew_lease(bigint, text, integer) IS
    'Renews the lease of a run that waits (rate limit, quota); false when another daemon holds the job.';

-- As in 002, but a non-final page renews the lease by the fetch record's lease_s (the daemon's
-- setting) instead of a fixed ten minutes; a record without lease_s leaves lease_expires as the
-- claim set it.
CREATE OR REPLACE FUNCTION socialroi.ingest_page(p_job bigint, p_owner text, p_rows jsonb,
                                                 p_cursor text, p_run jsonb, p_final boolean,
                                                 p_next_in_s double precision)
RETURNS integer LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    acc integer;
    run bigint;
    n integer;
BEGIN
    SELECT j.account_id INTO acc FROM socialroi.poll_job j
     WHERE j.job_id = p_job AND j.lease_owner = p_owner FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'lease on job % lost', p_job USING ERRCODE = 'SR001';
    END IF;
    run := socialroi.record_run(p_job, p_run, 0);
    PERFORM pg_catalog.set_config('socialroi.run_id', run::text, true);
    n := socialroi.upsert_facts(acc, p_rows);
    UPDATE socialroi.fetch_run SET rows_written = n WHERE run_id = run;
    UPDATE socialroi.poll_job
       SET cursor = p_cursor, failures = 0, last_error_class = NULL, last_error = NULL,
           last_success = CASE WHEN p_final THEN pg_catalog.now() ELSE last_success END,
           next_due = pg_catalog.now() + pg_catalog.make_interval(secs => p_next_in_s),
           lease_owner = CASE WHEN p_final THEN NULL ELSE lease_owner END,
           lease_expires = CASE
               WHEN p_final THEN NULL
               WHEN p_run ? 'lease_s' THEN pg_catalog.now() + pg_catalog.make_interval(
                   secs => (p_run ->> 'lease_s')::double precision)
               ELSE lease_expires END
     WHERE job_id = p_job;
    RETURN n;
END
$$;

-- As in 002, but a failed attempt whose fetch record carries lease_s (a throttled or quota
-- wait the run goes on from, on the same daemon) keeps the lease and renews it by lease_s;
-- any other failure gives the lease back. The cursor stays unless p_cursor replaces it.
CREATE OR REPLACE FUNCTION socialroi.record_failure(p_job bigint, p_owner text, p_run jsonb,
                                                    p_next_in_s double precision, p_cursor text)
RETURNS void LANGUAGE plpgsql SET search_path = '' AS $$
DECLARE
    keep boolean := p_run ? 'lease_s';
BEGIN
    PERFORM socialroi.record_run(p_job, p_run, 0);
    UPDATE socialroi.poll_job
       SET failures = failures + (CASE WHEN p_run ->> 'error_class' = 'throttled' THEN 0 ELSE 1 END),
           last_error_class = p_run ->> 'error_class', last_error = p_run ->> 'error',
           next_due = pg_catalog.now() + pg_catalog.make_interval(secs => p_next_in_s),
           cursor = COALESCE(p_cursor, cursor),
           lease_owner = CASE WHEN keep THEN lease_owner END,
           lease_expires = CASE WHEN keep AND lease_owner IS NOT NULL
               THEN pg_catalog.now() + pg_catalog.make_interval(
                   secs => (p_run ->> 'lease_s')::double precision) END
     WHERE job_id = p_job AND (lease_owner = p_owner OR lease_owner IS NULL);
END
$$;

REVOKE ALL ON FUNCTION socialroi.renew_lease(bigint, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.renew_lease(bigint, text, integer) TO socialroi_daemon;
