-- 001_core.sql: schemas, roles and the core tables of socialroi.
--
-- Forward-only: once applied anywhere, this file never changes; later changes are new files.
-- Every object is schema-qualified (connections run with an empty search_path).
-- Fact tables carry account_id in their keys so they can be distributed by it later.

CREATE SCHEMA IF NOT EXISTS socialroi;
CREATE SCHEMA IF NOT EXISTS dashboard;
CREATE SCHEMA IF NOT EXISTS finance;

-- Group roles (NOLOGIN): grant them to login roles. Roles are cluster-wide, so an existing
-- role (made by a DBA, or by another database of the cluster) is reused.
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['socialroi_daemon', 'socialroi_dashboard', 'socialroi_finance'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$$;

-- One connected account per platform, declared in the config; state is the daemon's.
CREATE TABLE socialroi.account (
    account_id      integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    platform        text NOT NULL CHECK (platform IN
                        ('x', 'facebook', 'instagram', 'linkedin', 'youtube', 'pinterest', 'hubspot')),
    external_id     text NOT NULL,
    currency        char(3),
    timezone        text,
    state           text NOT NULL DEFAULT 'ok' CHECK (state IN ('ok', 'needs_reauth', 'disabled')),
    state_reason    text,
    token_expires_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    updated_at      timestamptz NOT NULL DEFAULT pg_catalog.now()
);

-- One row per (account, stream): the schedule, the cursor and the lease.
CREATE TABLE socialroi.poll_job (
    job_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    stream          text NOT NULL,
    poll_interval   interval NOT NULL,
    lookback        interval NOT NULL,
    cursor          text,
    next_due        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    failures        integer NOT NULL DEFAULT 0,
    last_error_class text,
    last_error      text,
    last_success    timestamptz,
    last_attempt    timestamptz,
    lease_owner     text,
    lease_expires   timestamptz,
    UNIQUE (account_id, stream)
);

-- Audit of every fetch.
CREATE TABLE socialroi.fetch_run (
    run_id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id          bigint NOT NULL REFERENCES socialroi.poll_job ON DELETE CASCADE,
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz NOT NULL DEFAULT pg_catalog.now(),
    window_from     date,
    window_to       date,
    pages           integer NOT NULL DEFAULT 0,
    rows_written    integer NOT NULL DEFAULT 0,
    http_status     integer,
    outcome         text NOT NULL CHECK (outcome IN ('ok', 'error', 'rejected')),
    error_class     text,
    error           text
);
CREATE INDEX fetch_run_job_idx ON socialroi.fetch_run (job_id, finished_at);

-- Posts, videos, pins, media.
CREATE TABLE socialroi.content (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    content_id      text NOT NULL,
    kind            text NOT NULL,
    published_at    timestamptz,
    url             text,
    title           text,
    utm_campaign    text,
    PRIMARY KEY (account_id, content_id)
);

-- Delta metrics: an amount per day ("day" in the platform's own day basis).
CREATE TABLE socialroi.metric_daily (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    object_id       text NOT NULL DEFAULT '',
    metric          text NOT NULL,
    day             date NOT NULL,
    day_basis       text NOT NULL CHECK (day_basis IN ('utc', 'account_tz', 'pacific')),
    value           bigint NOT NULL,
    PRIMARY KEY (account_id, object_id, metric, day)
);

-- Snapshot metrics: a lifetime counter observed at a time; never summed, differenced.
CREATE TABLE socialroi.metric_snapshot (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    object_id       text NOT NULL DEFAULT '',
    metric          text NOT NULL,
    observed_at     timestamptz NOT NULL,
    value           bigint NOT NULL,
    PRIMARY KEY (account_id, object_id, metric, observed_at)
);

-- Platform ad campaigns and their daily delivery and spend.
CREATE TABLE socialroi.ad_campaign (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    campaign_id     text NOT NULL,
    name            text,
    status          text,
    objective       text,
    PRIMARY KEY (account_id, campaign_id)
);

CREATE TABLE socialroi.ad_daily (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    campaign_id     text NOT NULL,
    day             date NOT NULL,
    day_basis       text NOT NULL CHECK (day_basis IN ('utc', 'account_tz', 'pacific')),
    currency        char(3) NOT NULL,
    spend_micros    bigint NOT NULL DEFAULT 0,
    impressions     bigint NOT NULL DEFAULT 0,
    clicks          bigint NOT NULL DEFAULT 0,
    leads           bigint NOT NULL DEFAULT 0,
    conversions     bigint NOT NULL DEFAULT 0,
    conversion_value_micros bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, campaign_id, day)
);

-- Leads from forms and the CRM. No raw PII: e-mail only as a salted hash, for joining.
CREATE TABLE socialroi.lead (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    lead_id         text NOT NULL,
    source          text NOT NULL CHECK (source IN ('form', 'crm')),
    created_at      timestamptz NOT NULL,
    email_hash      text,
    form_id         text,
    campaign_id     text,
    ad_id           text,
    lifecycle_stage text,
    is_test         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (account_id, lead_id)
);
CREATE INDEX lead_email_hash_idx ON socialroi.lead (email_hash) WHERE email_hash IS NOT NULL;

-- The touches that led to a lead: ad clicks with UTM values, form submissions, CRM sources.
CREATE TABLE socialroi.touchpoint (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    touch_id        text NOT NULL,
    lead_id         text NOT NULL,
    kind            text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    platform        text,
    campaign_id     text,
    utm_source      text,
    utm_medium      text,
    utm_campaign    text,
    utm_content     text,
    PRIMARY KEY (account_id, touch_id)
);
CREATE INDEX touchpoint_lead_idx ON socialroi.touchpoint (account_id, lead_id, occurred_at);

-- Deals from the CRM: the revenue side.
CREATE TABLE socialroi.deal (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    deal_id         text NOT NULL,
    amount_micros   bigint,
    currency        char(3),
    stage           text,
    pipeline        text,
    is_won          boolean NOT NULL DEFAULT false,
    is_closed       boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL,
    closed_at       timestamptz,
    PRIMARY KEY (account_id, deal_id)
);

CREATE TABLE socialroi.deal_contact (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    deal_id         text NOT NULL,
    lead_id         text NOT NULL,
    PRIMARY KEY (account_id, deal_id, lead_id)
);

-- Brand and competitor mentions.
CREATE TABLE socialroi.mention (
    account_id      integer NOT NULL REFERENCES socialroi.account ON DELETE CASCADE,
    mention_id      text NOT NULL,
    query           text NOT NULL,
    author_id       text,
    body            text,
    posted_at       timestamptz NOT NULL,
    sentiment       numeric(4, 3) CHECK (sentiment BETWEEN -1 AND 1),
    PRIMARY KEY (account_id, mention_id)
);

-- Business campaigns declared in config; never deleted, only marked inactive.
CREATE TABLE socialroi.campaign (
    campaign_id     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    title           text NOT NULL,
    start_day       date NOT NULL,
    end_day         date,
    budget_micros   bigint,
    budget_currency char(3),
    active          boolean NOT NULL DEFAULT true,
    updated_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    CHECK (end_day IS NULL OR end_day >= start_day)
);

-- Configured spend lines: fixed over a period, monthly retainer, or one-off on a date.
CREATE TABLE socialroi.campaign_spend (
    campaign_id     integer NOT NULL REFERENCES socialroi.campaign ON DELETE CASCADE,
    line_no         integer NOT NULL,
    kind            text NOT NULL CHECK (kind IN ('fixed', 'monthly', 'oneoff')),
    amount_micros   bigint NOT NULL,
    currency        char(3) NOT NULL,
    start_day       date NOT NULL,
    end_day         date NOT NULL,
    PRIMARY KEY (campaign_id, line_no),
    CHECK (end_day >= start_day)
);

-- Which platform campaigns, UTM values and content belong to a business campaign.
CREATE TABLE socialroi.campaign_link (
    campaign_id     integer NOT NULL REFERENCES socialroi.campaign ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('ad_campaign', 'utm_campaign', 'content')),
    platform        text NOT NULL DEFAULT '',
    value           text NOT NULL,
    PRIMARY KEY (campaign_id, kind, platform, value)
);

-- Rate of one unit of currency in the reporting currency on a day.
CREATE TABLE socialroi.fx_rate (
    day             date NOT NULL,
    currency        char(3) NOT NULL,
    rate            numeric NOT NULL CHECK (rate > 0),
    source          text NOT NULL,
    PRIMARY KEY (day, currency)
);

-- Previous values of restated facts.
CREATE TABLE socialroi.revision (
    revision_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name      text NOT NULL,
    fact_key        jsonb NOT NULL,
    old_value       jsonb NOT NULL,
    new_value       jsonb NOT NULL,
    changed_at      timestamptz NOT NULL DEFAULT pg_catalog.now(),
    run_id          bigint
);
CREATE INDEX revision_table_idx ON socialroi.revision (table_name, changed_at);

-- Privileges. Readers get the views only: never credentials, payloads or lead hashes.
REVOKE ALL ON SCHEMA socialroi, dashboard, finance FROM PUBLIC;
GRANT USAGE ON SCHEMA socialroi TO socialroi_daemon;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA socialroi TO socialroi_daemon;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA socialroi TO socialroi_daemon;
REVOKE INSERT, UPDATE, DELETE ON socialroi.schema_migration FROM socialroi_daemon;
GRANT USAGE ON SCHEMA dashboard TO socialroi_dashboard, socialroi_finance;
GRANT USAGE ON SCHEMA finance TO socialroi_finance;
