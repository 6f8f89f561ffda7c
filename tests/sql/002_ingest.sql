-- 002_ingest.sql - the write path: sync, lease, upsert-only-when-changed, revisions, cursor and
-- fetch record in one call, lost leases refused, duplicate keys in one page tolerated.
BEGIN;
SELECT plan(28);

SELECT is(socialroi.sync_account('acme-fb', 'facebook', '111', 'USD', 'America/Los_Angeles', true, 'h1'),
          1, 'sync_account creates the account');
SELECT is(socialroi.sync_account('acme-fb', 'facebook', '111', 'USD', 'America/Los_Angeles', true, 'h1'),
          NULL, 'an unchanged account is not rewritten');
SELECT is((SELECT count(*)::int FROM socialroi.sync_job('acme-fb', 'facebook.ads_insights',
                                                       21600000, 2419200000, 2592000000, false)),
          1, 'sync_job creates the job');
SELECT is((SELECT poll_interval FROM socialroi.poll_job), interval '6 hours', 'interval stored');

-- leases
SELECT is((SELECT claimed FROM socialroi.claim_job(1, 'a', 600, false)), true,
          'a due job is claimed');
SELECT is((SELECT claimed FROM socialroi.claim_job(1, 'b', 600, false)), false,
          'another owner cannot claim a leased job');
SELECT is((SELECT claimed FROM socialroi.claim_job(1, 'a', 600, false)), true,
          'the owner can claim again (next page)');

-- first page: two days of one campaign
SELECT is(socialroi.ingest_page(1, 'a',
    '{"campaign":[{"id":"c1","name":"Launch"}],
      "ad_daily":[{"campaign":"c1","day":"2026-11-01","basis":"account_tz","currency":"USD",
                   "spend_micros":14350000,"impressions":185,"clicks":9,"leads":1,
                   "conversions":0,"conversion_value_micros":0},
                  {"campaign":"c1","day":"2026-11-02","basis":"account_tz","currency":"USD",
                   "spend_micros":9223372036854775807,"impressions":1,"clicks":0,"leads":0,
                   "conversions":0,"conversion_value_micros":0}]}',
    '{"page":"p2"}', '{"started_at":1700000000,"outcome":"ok","http_status":200}', false, 0),
    3, 'a page writes its rows');
SELECT is((SELECT spend_micros FROM socialroi.ad_daily WHERE day = '2026-11-02'),
          9223372036854775807, 'int64 money survives jsonb exactly');
SELECT is((SELECT cursor FROM socialroi.poll_job), '{"page":"p2"}',
          'the cursor is saved with the rows');
SELECT is((SELECT lease_owner FROM socialroi.poll_job), 'a', 'a non-final page keeps the lease');

-- the same page again: nothing changes
SELECT is(socialroi.ingest_page(1, 'a',
    '{"ad_daily":[{"campaign":"c1","day":"2026-11-01","basis":"account_tz","currency":"USD",
                   "spend_micros":14350000,"impressions":185,"clicks":9,"leads":1,
                   "conversions":0,"conversion_value_micros":0}]}',
    '{"page":"p2"}', '{"started_at":1700000000,"outcome":"ok"}', false, 0),
    0, 'an unchanged re-fetch writes no row');
SELECT is((SELECT count(*)::int FROM socialroi.revision), 0, 'and makes no revision');

-- a restated day: updated, with its previous value kept
SELECT is(socialroi.ingest_page(1, 'a',
    '{"ad_daily":[{"campaign":"c1","day":"2026-11-01","basis":"account_tz","currency":"USD",
                   "spend_micros":15000000,"impressions":190,"clicks":9,"leads":2,
                   "conversions":0,"conversion_value_micros":0}]}',
    '{"done_through":"2026-11-02"}', '{"started_at":1700000000,"outcome":"ok"}', true, 21600),
    1, 'a restated day is updated');
SELECT is((SELECT (old_value ->> 'spend_micros')::bigint FROM socialroi.revision), 14350000::bigint,
          'the revision keeps the old spend');
SELECT is((SELECT (fact_key ->> 'campaign_id') FROM socialroi.revision), 'c1',
          'the revision names the fact');
SELECT isnt((SELECT run_id FROM socialroi.revision), NULL, 'the revision names the fetch run');
SELECT is((SELECT lease_owner FROM socialroi.poll_job), NULL, 'the final page releases the lease');
SELECT ok((SELECT next_due > now() + interval '5 hours' FROM socialroi.poll_job),
          'the final page schedules the next run');

-- a lost lease refuses the page
SELECT throws_ok($$SELECT socialroi.ingest_page(1, 'a', '{}', 'x', '{"outcome":"ok"}', true, 0)$$,
                 'SR001', NULL, 'a page without the lease is refused');

-- duplicate keys in one page keep the last
SELECT is(socialroi.claim_job(1, 'a', 600, true) IS NOT NULL, true, 'forced claim');
SELECT lives_ok($$SELECT socialroi.ingest_page(1, 'a',
    '{"metric":[{"object":"","metric":"likes","day":"2026-11-01","basis":"pacific","value":1},
                {"object":"","metric":"likes","day":"2026-11-01","basis":"pacific","value":2}]}',
    'c', '{"outcome":"ok"}', true, 60)$$, 'duplicate keys in one page');
SELECT is((SELECT value FROM socialroi.metric_daily), 2::bigint, 'the last duplicate wins');

-- failures count but throttling does not
SELECT socialroi.record_failure(1, 'a', '{"outcome":"error","error_class":"transient","error":"503"}', 30, NULL);
SELECT is((SELECT failures FROM socialroi.poll_job), 1, 'a failure is counted');
SELECT socialroi.record_failure(1, 'a', '{"outcome":"error","error_class":"throttled","error":"429"}', 30, NULL);
SELECT is((SELECT failures FROM socialroi.poll_job), 1, 'throttling is not counted as a failure');

-- needs_reauth comes back to ok only with a different token
SELECT socialroi.set_account_state('acme-fb', 'needs_reauth', 'code 190', 'h1');
SELECT is((SELECT claimed FROM socialroi.claim_job(1, 'a', 600, true)), false,
          'a needs_reauth account is not polled');
SELECT socialroi.sync_account('acme-fb', 'facebook', '111', 'USD', 'America/Los_Angeles', true, 'h1');
SELECT is((SELECT state FROM socialroi.account), 'needs_reauth', 'the same token keeps needs_reauth');
SELECT socialroi.sync_account('acme-fb', 'facebook', '111', 'USD', 'America/Los_Angeles', true, 'h2');
SELECT is((SELECT state FROM socialroi.account), 'ok', 'a new token brings the account back');

SELECT * FROM finish();
ROLLBACK;
