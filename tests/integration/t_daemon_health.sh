# t_daemon_health.sh - a statement the database keeps refusing (a privilege taken away from
# socialroi_daemon) is visible everywhere: /healthz degraded with the component and the error,
# a per-component error counter in /metrics, one log line per back-off step worded as what
# happened, a row in socialroi.daemon_health; it clears when the privilege is back, and a
# --once run in that state ends with exit 1 within about a minute.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"

# The daemon runs as the deployment does: write_config connects as it_daemon, a LOGIN role
# holding only socialroi_daemon (tests/pg.sh).
write_config "$CONF" "rollup_interval = 1s"
cat >>"$CONF" <<'CONF'

[campaign health-check]
title = Health check
start = 2026-01-01
end = 2026-01-31
budget = 1000.00 USD
spend = 310.00 USD over 2026-01-01..2026-01-31
CONF

# The config sync is three statements in one transaction; the first that reads the view fails
# (which one depends on what changed), the others are aborted with it.
SYNC='(settings|fx|campaign)_sync'

# ---- a privilege taken away: visible within one poll --------------------------------------------
sql "REVOKE SELECT ON socialroi.configured_spend_daily FROM socialroi_daemon"
degraded() {
    http_is 503 /healthz && grep -q '"status":"degraded"' "$TEST_DIR/body"
}
start_daemon "$CONF"
if wait_for 20 degraded; then
    ok "/healthz answers 503 while the campaign sync is refused"
else
    not_ok "/healthz answers 503 while the campaign sync is refused" "$(cat "$TEST_DIR/body")"
fi
check_grep "/healthz is degraded, not unavailable" '"status":"degraded"' "$TEST_DIR/body"
check_grep "/healthz names the component and the database's error" \
    "\"failing\":\{[^}]*\"$SYNC\":\"permission denied for view configured_spend_daily\"\}" \
    "$TEST_DIR/body"
check_grep "/healthz still says the database is connected" '"database":"ok"' "$TEST_DIR/body"
http_get /metrics >/dev/null
check_grep "/metrics counts the refused statements of the component" \
    "^socialroi_db_query_errors_total\\{component=\"$SYNC\"\\} [1-9]" "$TEST_DIR/body"
check_grep "/metrics says the component is failing" \
    "^socialroi_component_failing\\{component=\"$SYNC\"\\} 1\$" "$TEST_DIR/body"
check_grep "/metrics lists components that work with 0 errors" \
    '^socialroi_db_query_errors_total\{component="claim"\} 0$' "$TEST_DIR/body"
check_grep "the log says what happened" \
    "db: sync_[a-z_]+ failed component=$SYNC failures=1 error=\"permission denied for view configured_spend_daily\"\$" \
    "$TEST_DIR/daemon.log"
health_row() {
    sql "SELECT failures > 0 AND last_error LIKE 'permission denied for view configured_spend_daily%'
           FROM socialroi.daemon_health WHERE component ~ '^$SYNC\$'"
}
has_health_row() {
    [ "$(sql "SELECT count(*) FROM socialroi.daemon_health WHERE component ~ '^$SYNC\$'")" = 1 ]
}
if wait_for 10 has_health_row; then
    ok "socialroi.daemon_health has a row for the failing component"
else
    not_ok "socialroi.daemon_health has a row for the failing component"
fi
check_eq "the row holds the error and the failure count" t "$(health_row)"
got=$(psql -XqAt -d "$TEST_DB" -c "SET ROLE socialroi_dashboard; SELECT count(*) FROM dashboard.daemon_health WHERE component ~ '^$SYNC\$'" 2>&1)
check_eq "socialroi_dashboard reads dashboard.daemon_health" 1 "$got"
got=$(psql -XqAt -d "$TEST_DB" -c "SET ROLE socialroi_finance; SELECT count(*) FROM dashboard.daemon_health WHERE last_error LIKE 'permission denied%'" 2>&1)
check_eq "socialroi_finance reads dashboard.daemon_health" 1 "$got"
nocomment=$(sql "SELECT count(*) FROM pg_catalog.pg_attribute a
                  WHERE a.attrelid = 'dashboard.daemon_health'::regclass AND a.attnum > 0
                    AND pg_catalog.col_description(a.attrelid, a.attnum) IS NULL")
check_eq "every column of dashboard.daemon_health has a comment" 0 "$nocomment"

# Retries go on (5 s, 10 s, ...); the log repeats only at growing intervals.
sleep 12
n=$(grep -Ec "component=$SYNC" "$TEST_DIR/daemon.log")
[ "$n" -ge 1 ] && [ "$n" -le 2 ] && ok "the failure is logged once per back-off step ($n lines in 12 s)" ||
    not_ok "the failure is logged once per back-off step" "$n lines in 12 s"
if grep -q 'connection lost' "$TEST_DIR/daemon.log"; then
    not_ok "a refused statement is not called a lost connection" "$(grep 'connection lost' "$TEST_DIR/daemon.log" | head -n 3)"
else
    ok "a refused statement is not called a lost connection"
fi
kill -0 "$DAEMON_PID" 2>/dev/null && ok "the daemon keeps running" || not_ok "the daemon keeps running"

# ---- the privilege back: healthy again -----------------------------------------------------------
sql "GRANT SELECT ON socialroi.configured_spend_daily TO socialroi_daemon"
if wait_for 40 http_is 200 /healthz; then
    ok "/healthz answers 200 once the sync works again"
else
    not_ok "/healthz answers 200 once the sync works again" "$(cat "$TEST_DIR/body")"
fi
wait_for 10 log_has "db: $SYNC works again"
check_grep "the recovery is logged" "db: $SYNC works again" "$TEST_DIR/daemon.log"
no_health_rows() {
    [ "$(sql 'SELECT count(*) FROM socialroi.daemon_health')" = 0 ]
}
wait_for 5 no_health_rows
check_eq "the row is gone from socialroi.daemon_health" 0 "$(sql 'SELECT count(*) FROM socialroi.daemon_health')"
http_get /metrics >/dev/null
check_grep "/metrics says the component works" \
    '^socialroi_component_failing\{component="(settings|fx|campaign)_sync"\} 0$' "$TEST_DIR/body"
stop_daemon TERM
[ "$DAEMON_RC" -eq 0 ] && ok "SIGTERM stops the daemon with status 0" ||
    not_ok "SIGTERM stops the daemon with status 0" "rc=$DAEMON_RC"

# ---- --once in that state: exit 1, within about a minute -----------------------------------------
sed -i -e 's/^spend = 310.00 USD/spend = 620.00 USD/' "$CONF" # a change the sync must write
sql "REVOKE SELECT ON socialroi.configured_spend_daily FROM socialroi_daemon"
: >"$TEST_DIR/daemon.log"
start=$(date +%s)
timeout 150 "$B/socialroid" --once -c "$CONF" >>"$TEST_DIR/daemon.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
check_eq "--once exits 1 when the campaign sync keeps failing" 1 "$rc"
[ "$took" -le 75 ] && ok "--once gives up within about a minute (${took} s)" ||
    not_ok "--once gives up within about a minute" "took ${took} s"
check_grep "--once says why it failed" "db: sync_[a-z_]+ failed component=$SYNC" \
    "$TEST_DIR/daemon.log"
sql "GRANT SELECT ON socialroi.configured_spend_daily TO socialroi_daemon"

# ---- --once when the jobs cannot be synced: exit 1, no job runs -----------------------------------
printf '\n[account health-x]\nplatform = x\nid = 1\ncredential = none\n' >>"$CONF"
sql "REVOKE EXECUTE ON FUNCTION socialroi.sync_job(text, text, bigint, bigint, bigint, boolean) FROM socialroi_daemon"
: >"$TEST_DIR/daemon.log"
start=$(date +%s)
timeout 150 "$B/socialroid" --once -c "$CONF" >>"$TEST_DIR/daemon.log" 2>&1
rc=$?
took=$(($(date +%s) - start))
check_eq "--once exits 1 when the job sync keeps failing" 1 "$rc"
[ "$took" -le 75 ] && ok "and gives up within about a minute (${took} s)" ||
    not_ok "and gives up within about a minute" "took ${took} s"
check_grep "the log names the job sync and the database's error" \
    'db: sync_job failed component=job_sync failures=1 error="permission denied for function sync_job"' \
    "$TEST_DIR/daemon.log"
check_eq "no job ran" 0 "$(sql 'SELECT count(*) FROM socialroi.fetch_run')"
sql "GRANT EXECUTE ON FUNCTION socialroi.sync_job(text, text, bigint, bigint, bigint, boolean) TO socialroi_daemon"

done_testing
