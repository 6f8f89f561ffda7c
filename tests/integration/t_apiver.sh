# t_apiver.sh - retired platform API versions against the simulator: socialroid -n and
# socialroi status -c warn of them; a run classifies LinkedIn's HTTP 426 and Meta's (#2635) as
# error class version with the key to set in the job's last error, waits at least an hour
# before the next attempt, and every other job (Facebook's pages on the Graph API, YouTube)
# keeps flowing; a running daemon reloaded with supported versions runs them again at once.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
start_sim 23 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" facebook linkedin youtube
# the retired versions: Marketing API v24.0 (expired 2026-11-10), LinkedIn-Version 202510
# (sunset 2026-10-15); the Graph API version stays the default v24.0, served until 2028
sed -i -e '/^\[platform facebook\]$/a ads_version = v24.0' \
    -e '/^\[platform linkedin\]$/a version = 202510' "$CONF"

# ---- the configuration check --------------------------------------------------------------
socialroid -n -c "$CONF" >"$TEST_DIR/check.out" 2>&1
check_eq "socialroid -n: a retired version is a warning, not an error (exit 0)" 0 $?
check_grep "socialroid -n names the retired Marketing API version and what to set" \
    '^socialroid: warning: \[platform facebook\] ads_version v24.0 \(Marketing API\) was retired on 2026-11-10: set ads_version = v26.0$' \
    "$TEST_DIR/check.out"
check_grep "socialroid -n names the retired LinkedIn-Version and what to set" \
    '^socialroid: warning: \[platform linkedin\] version 202510 \(LinkedIn-Version\) was retired on 2026-10-15: set version = 202610$' \
    "$TEST_DIR/check.out"
if grep -q 'platform facebook\] version\|youtube' "$TEST_DIR/check.out"; then
    not_ok "socialroid -n says nothing of the versions that are fine" "$(cat "$TEST_DIR/check.out")"
else
    ok "socialroid -n says nothing of the versions that are fine"
fi
# an unknown version is a note; a configured sunset makes it checked
sed -e 's/^version = 202510$/version = 202699/' "$CONF" >"$TEST_DIR/unknown.conf"
socialroid -n -c "$TEST_DIR/unknown.conf" >"$TEST_DIR/unknown.out" 2>&1
check_eq "socialroid -n: an unknown version exits 0" 0 $?
check_grep "socialroid -n: an unknown version is a note" \
    "^socialroid: note: \\[platform linkedin\\] version 202699 is not in socialroi's table of linkedin versions: its sunset is not checked \\(set version_sunset = YYYY-MM-DD to have it checked\\)\$" \
    "$TEST_DIR/unknown.out"
sed -i -e '/^version = 202699$/a version_sunset = 2000-01-01' "$TEST_DIR/unknown.conf"
socialroid -n -c "$TEST_DIR/unknown.conf" >"$TEST_DIR/unknown.out" 2>&1
check_grep "socialroid -n: version_sunset is the sunset checked" \
    '^socialroid: warning: \[platform linkedin\] version 202699 \(LinkedIn-Version\) was retired on 2000-01-01: set version = 202610$' \
    "$TEST_DIR/unknown.out"

# ---- a run with the retired versions --------------------------------------------------------
run_once "$CONF"
check_eq "socialroid --once exits 1 when jobs failed" 1 $?
version_jobs() {
    sql "SELECT string_agg(stream, ' ' ORDER BY stream) FROM dashboard.data_health
          WHERE last_error_class = 'version'"
}
check_eq "the ads streams and every LinkedIn stream failed with class version" \
    "facebook.ads_insights facebook.leads linkedin.ad_analytics linkedin.leads linkedin.org_stats" \
    "$(version_jobs)"
check_eq "every other job completed its run (Facebook's pages on the Graph API, YouTube)" \
    "0 $(sql "SELECT count(*) FROM socialroi.poll_job WHERE stream NOT LIKE 'linkedin.%'
                AND stream NOT IN ('facebook.ads_insights', 'facebook.leads')")" \
    "$(sql "SELECT count(*) FILTER (WHERE last_success IS NULL) || ' ' || count(*)
              FROM socialroi.poll_job WHERE stream NOT LIKE 'linkedin.%'
               AND stream NOT IN ('facebook.ads_insights', 'facebook.leads')")"
truth_check "YouTube's data equals the truth beside the failing jobs" youtube
check_eq "the LinkedIn job's last error names the 426 and the key to set" \
    "linkedin: LinkedIn-Version 202510 is retired (HTTP 426 NONEXISTENT_VERSION: Requested version 20251001 is not active): set version = 202610 in [platform linkedin]" \
    "$(sql "SELECT DISTINCT last_error FROM dashboard.data_health WHERE stream LIKE 'linkedin.%'")"
check_eq "both ads jobs' last error names error 2635 and the key to set" 2 \
    "$(sql "SELECT count(*) FROM dashboard.data_health
             WHERE stream IN ('facebook.ads_insights', 'facebook.leads')
               AND last_error LIKE 'facebook: the configured Marketing API version is retired (HTTP 400, Graph error 2635: (#2635) You are calling a deprecated version of the Ads API. Please update to the latest version: v%.0.): set ads_version = v26.0 in [platform facebook]'")"
# no hammering: a version error waits an hour (or the stream's interval, when longer)
check_eq "a version error's next attempt is at least an hour away" "t" \
    "$(sql "SELECT bool_and(next_due > now() + interval '55 minutes') FROM dashboard.data_health
             WHERE last_error_class = 'version'")"
n=$(sql "SELECT count(*) FROM socialroi.fetch_run r JOIN socialroi.poll_job j USING (job_id)
          WHERE r.error_class = 'version'")
check_eq "one attempt per failing job in the run, no retries" 5 "$n"

# ---- socialroi status ---------------------------------------------------------------------------
socialroi status --dsn "$(conninfo it_dashboard)" -c "$CONF" >"$TEST_DIR/status.out" 2>&1
check_eq "socialroi status: failing jobs make it exit 1" 1 $?
check_grep "socialroi status prints the version error's message under Last errors" \
    'linkedin\.leads .*version .*set version = 202610 in \[platform linkedin\]' "$TEST_DIR/status.out"
check_grep "socialroi status -c warns of the retired Marketing API version" \
    '^warning: \[platform facebook\] ads_version v24.0 \(Marketing API\) was retired on 2026-11-10: set ads_version = v26.0$' \
    "$TEST_DIR/status.out"
socialroi status --dsn "$(conninfo it_dashboard)" -c "$CONF" --format json \
    >"$TEST_DIR/status.json" 2>"$TEST_DIR/status.err"
check_eq "socialroi status --format json stays one JSON object, its jobs carry last_error" "5" \
    "$(jq '[.jobs[] | select(.last_error_class == "version" and (.last_error | test("set (ads_)?version = ")))] | length' "$TEST_DIR/status.json")"
check_grep "socialroi status --format json: the version warnings go to stderr" \
    '^warning: \[platform linkedin\] version 202510' "$TEST_DIR/status.err"

# ---- a running daemon: the fix by reload runs the failed jobs again at once ---------------------
make_due
start_daemon "$CONF"
failed_runs() {
    sql "SELECT count(*) FROM socialroi.fetch_run WHERE error_class = 'version'"
}
wait_for 30 sh -c "[ \$(psql -XqAt -d '$TEST_DB' -c \"SELECT count(*) FROM socialroi.fetch_run WHERE error_class = 'version'\") -ge 10 ]"
check_eq "the daemon meets the retired versions again (5 more failed attempts)" 10 "$(failed_runs)"
check_grep "the daemon logs the retired versions at start" \
    'config: \[platform linkedin\] version 202510 \(LinkedIn-Version\) was retired on 2026-10-15: set version = 202610' \
    "$TEST_DIR/daemon.log"
sed -i -e 's/^ads_version = v24.0$/ads_version = v26.0/' -e 's/^version = 202510$/version = 202610/' \
    "$CONF"
socialroid -n -c "$CONF" >"$TEST_DIR/check2.out" 2>&1
if grep -q 'warning\|note' "$TEST_DIR/check2.out"; then
    not_ok "socialroid -n: nothing to say of supported versions" "$(cat "$TEST_DIR/check2.out")"
else
    ok "socialroid -n: nothing to say of supported versions"
fi
kill -HUP "$DAEMON_PID"
no_version_jobs() {
    [ -z "$(version_jobs)" ]
}
# their next attempt was an hour or a day away: the reload that changed the version runs them now
if wait_for 60 no_version_jobs; then
    ok "after a reload with supported versions the failed jobs run at once and succeed"
else
    not_ok "after a reload with supported versions the failed jobs run at once and succeed" \
        "still failing: $(version_jobs)"
fi
wait_for 30 sh -c "[ \$(psql -XqAt -d '$TEST_DB' -c \"SELECT count(*) FROM socialroi.poll_job WHERE last_success IS NULL OR cursor LIKE '%in_run%true%'\") -eq 0 ]"
stop_daemon
check_eq "the daemon stops cleanly" 0 "$DAEMON_RC"
check_eq "no version error left, and no other job failing" "0 0" \
    "$(sql "SELECT count(*) FILTER (WHERE last_error_class = 'version') || ' ' ||
                   count(*) FILTER (WHERE failures > 0) FROM dashboard.data_health")"
truth_check "LinkedIn's data equals the truth" linkedin
truth_check "Facebook's data equals the truth" facebook

done_testing
