-- 027_x_read_budget.sql - what X listening reads and costs, per account and UTC day.
--
-- X bills its API per post read (pay-per-use: $0.005 a post read, docs.x.com/x-api/getting-
-- started/pricing) and bills a post once per UTC day however often it is read that day (the
-- deduplication window resets at midnight UTC). The x.mentions search counts here what every
-- page it reads returned: posts read (every post of every page) and posts billed (the posts
-- not read before that UTC day), and the daemon stops the search at the account's daily and
-- monthly caps of billed posts. The ids of the posts read are kept only for the current UTC
-- day: recording a page deletes the account's ids of earlier days.

CREATE TABLE socialroi.x_read_budget (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    day             date NOT NULL,
    posts_read      bigint NOT NULL DEFAULT 0 CHECK (posts_read >= 0),
    posts_billed    bigint NOT NULL DEFAULT 0 CHECK (posts_billed >= 0 AND posts_billed <= posts_read),
    price_micros    bigint NOT NULL CHECK (price_micros >= 0),
    cost_micros     bigint NOT NULL DEFAULT 0 CHECK (cost_micros >= 0),
    PRIMARY KEY (account_id, day)
);
COMMENT ON TABLE socialroi.x_read_budget IS
    'X posts read by the x.mentions search per account and UTC day, and what X bills for them.';
COMMENT ON COLUMN socialroi.x_read_budget.account_id IS 'The X account whose search read them.';
COMMENT ON COLUMN socialroi.x_read_budget.day IS 'The UTC day of the reads (X bills per UTC day).';
COMMENT ON COLUMN socialroi.x_read_budget.posts_read IS
    'Every post the search pages returned that day, re-reads included.';
COMMENT ON COLUMN socialroi.x_read_budget.posts_billed IS
    'Distinct posts first read that day: what X bills (a post read twice in one UTC day once).';
COMMENT ON COLUMN socialroi.x_read_budget.price_micros IS
    'Price per billed post in micro-units of the account currency, as last configured that day.';
COMMENT ON COLUMN socialroi.x_read_budget.cost_micros IS
    'Sum of each billed post times the price configured when it was read, micro-units.';

-- The ids of the posts read on the current UTC day (earlier days are deleted as pages arrive).
CREATE TABLE socialroi.x_read_post (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    day             date NOT NULL,
    post_id         text NOT NULL,
    PRIMARY KEY (account_id, day, post_id)
);
COMMENT ON TABLE socialroi.x_read_post IS
    'Posts the x.mentions search read on the current UTC day, so a re-read is not billed twice.';
COMMENT ON COLUMN socialroi.x_read_post.account_id IS 'The X account whose search read it.';
COMMENT ON COLUMN socialroi.x_read_post.day IS 'The UTC day it was first read.';
COMMENT ON COLUMN socialroi.x_read_post.post_id IS 'X''s id of the post.';

-- A budget stop is a fetch record of its own: not an error.
ALTER TABLE socialroi.fetch_run DROP CONSTRAINT fetch_run_outcome_check;
ALTER TABLE socialroi.fetch_run ADD CONSTRAINT fetch_run_outcome_check
    CHECK (outcome IN ('ok', 'error', 'rejected', 'budget'));

-- The UTC day of an epoch-seconds time.
CREATE FUNCTION socialroi.utc_day(p_at double precision) RETURNS date
LANGUAGE sql IMMUTABLE SET search_path = '' AS $$
    SELECT (pg_catalog.to_timestamp(p_at) AT TIME ZONE 'UTC')::date
$$;
COMMENT ON FUNCTION socialroi.utc_day(double precision) IS
    'The UTC day of an epoch-seconds time.';

-- Posts billed to an account on the UTC day of p_at and in that day's calendar month.
CREATE FUNCTION socialroi.x_read_used(p_account text, p_at double precision)
RETURNS TABLE (day date, billed_day bigint, billed_month bigint)
LANGUAGE sql STABLE SET search_path = '' AS $$
    SELECT d, COALESCE(sum(b.posts_billed) FILTER (WHERE b.day = d), 0)::bigint,
           COALESCE(sum(b.posts_billed), 0)::bigint
      FROM (SELECT socialroi.utc_day(p_at) AS d) t
      LEFT JOIN socialroi.account a ON a.name = p_account
      LEFT JOIN socialroi.x_read_budget b
        ON b.account_id = a.account_id
       AND b.day >= pg_catalog.date_trunc('month', t.d)::date AND b.day <= t.d
     GROUP BY d
$$;
COMMENT ON FUNCTION socialroi.x_read_used(text, double precision) IS
    'Posts billed to an X account on the UTC day of an epoch-seconds time and in its month.';

-- Records one search page read at p_at (epoch seconds): every id counts as read, the ids not
-- read before that UTC day as billed at p_price_micros. Returns the day's and the month's
-- billed posts after it.
CREATE FUNCTION socialroi.x_read_record(p_account text, p_ids text[], p_price_micros bigint,
                                        p_at double precision)
RETURNS TABLE (day date, billed_day bigint, billed_month bigint)
LANGUAGE plpgsql SET search_path = '' AS $$
#variable_conflict use_column
DECLARE
    acc integer := socialroi.account_id(p_account);
    d date := socialroi.utc_day(p_at);
    billed bigint;
BEGIN
    DELETE FROM socialroi.x_read_post p WHERE p.account_id = acc AND p.day < d;
    WITH fresh AS (
        INSERT INTO socialroi.x_read_post (account_id, day, post_id)
        SELECT DISTINCT acc, d, i FROM pg_catalog.unnest(p_ids) AS i WHERE i IS NOT NULL
        ON CONFLICT DO NOTHING
        RETURNING 1)
    SELECT pg_catalog.count(*) INTO billed FROM fresh;
    INSERT INTO socialroi.x_read_budget AS b (account_id, day, posts_read, posts_billed,
                                              price_micros, cost_micros)
    VALUES (acc, d, COALESCE(pg_catalog.cardinality(p_ids), 0), billed, p_price_micros,
            billed * p_price_micros)
    ON CONFLICT (account_id, day) DO UPDATE
       SET posts_read = b.posts_read + EXCLUDED.posts_read,
           posts_billed = b.posts_billed + EXCLUDED.posts_billed,
           price_micros = EXCLUDED.price_micros,
           cost_micros = b.cost_micros + EXCLUDED.cost_micros;
    RETURN QUERY SELECT * FROM socialroi.x_read_used(p_account, p_at);
END
$$;
COMMENT ON FUNCTION socialroi.x_read_record(text, text[], bigint, double precision) IS
    'Counts one X search page (its post ids) as read, and as billed once per UTC day per post.';

-- The search stopped at its budget: a fetch record with outcome budget, the job due again at
-- p_next_in_s (when the UTC day or month turns), its lease given back, its page cursor kept
-- so the run goes on from where it stopped. failures are not touched: a budget stop is not a
-- failure; last_error_class 'budget' and last_error say why the job waits.
CREATE FUNCTION socialroi.x_budget_stop(p_job bigint, p_owner text, p_run jsonb,
                                        p_next_in_s double precision)
RETURNS void LANGUAGE plpgsql SET search_path = '' AS $$
BEGIN
    PERFORM socialroi.record_run(p_job, p_run || '{"outcome":"budget","pages":0}', 0);
    UPDATE socialroi.poll_job
       SET last_error_class = 'budget', last_error = p_run ->> 'error',
           next_due = pg_catalog.now() + pg_catalog.make_interval(secs => p_next_in_s),
           lease_owner = NULL, lease_expires = NULL
     WHERE job_id = p_job AND (lease_owner = p_owner OR lease_owner IS NULL);
END
$$;
COMMENT ON FUNCTION socialroi.x_budget_stop(bigint, text, jsonb, double precision) IS
    'Records that a search job stopped at its listening budget and when it is due again.';

-- Listening cost per X account and UTC month: what X billed and what it bought.
CREATE VIEW dashboard.x_listening AS
WITH used AS (
    SELECT b.account_id, pg_catalog.date_trunc('month', b.day)::date AS month,
           sum(b.posts_read)::bigint AS posts_read, sum(b.posts_billed)::bigint AS posts_billed,
           sum(b.cost_micros)::bigint AS cost_micros
      FROM socialroi.x_read_budget b
     GROUP BY 1, 2)
SELECT a.name AS account, u.month, u.posts_read, u.posts_billed,
       (u.cost_micros::numeric / 1000000)::numeric(24, 6) AS cost,
       COALESCE(NULLIF(a.currency, ''), 'USD') AS currency, m.mentions,
       dashboard.round6(u.cost_micros::numeric / 1000000 / NULLIF(m.mentions, 0)) AS cost_per_mention
  FROM used u
  JOIN socialroi.account a ON a.account_id = u.account_id
  CROSS JOIN LATERAL (
      SELECT pg_catalog.count(*)::bigint AS mentions
        FROM socialroi.mention mn
       WHERE mn.account_id = u.account_id
         AND mn.posted_at >= u.month::timestamp AT TIME ZONE 'UTC'
         AND mn.posted_at < (u.month + interval '1 month')::timestamp AT TIME ZONE 'UTC') m;
COMMENT ON VIEW dashboard.x_listening IS
    'X listening (x.mentions) per account and UTC month: posts read, posts billed, cost, cost per mention.';
COMMENT ON COLUMN dashboard.x_listening.account IS 'The X account (config section name).';
COMMENT ON COLUMN dashboard.x_listening.month IS 'First day of the UTC month.';
COMMENT ON COLUMN dashboard.x_listening.posts_read IS
    'Posts the search read in the month, re-reads included.';
COMMENT ON COLUMN dashboard.x_listening.posts_billed IS
    'Posts X bills: each post once per UTC day it was read.';
COMMENT ON COLUMN dashboard.x_listening.cost IS
    'Posts billed times the configured price per post (x_price_per_post), account currency, exact.';
COMMENT ON COLUMN dashboard.x_listening.currency IS
    'The account currency, or USD (what X bills in) when the account has none.';
COMMENT ON COLUMN dashboard.x_listening.mentions IS
    'Mentions stored for the account that were posted in the month.';
COMMENT ON COLUMN dashboard.x_listening.cost_per_mention IS
    'cost / mentions, rounded to six places; NULL without mentions.';

REVOKE ALL ON socialroi.x_read_budget, socialroi.x_read_post FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE, DELETE ON socialroi.x_read_budget, socialroi.x_read_post
    TO socialroi_daemon;
REVOKE ALL ON FUNCTION socialroi.utc_day(double precision),
    socialroi.x_read_used(text, double precision),
    socialroi.x_read_record(text, text[], bigint, double precision),
    socialroi.x_budget_stop(bigint, text, jsonb, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION socialroi.utc_day(double precision),
    socialroi.x_read_used(text, double precision),
    socialroi.x_read_record(text, text[], bigint, double precision),
    socialroi.x_budget_stop(bigint, text, jsonb, double precision) TO socialroi_daemon;
GRANT SELECT ON dashboard.x_listening TO socialroi_dashboard, socialroi_finance;
