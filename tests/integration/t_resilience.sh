# t_resilience.sh - the database away mid-run, the daemon killed mid-run, two daemons on one
# database: in every case nothing is lost and nothing is doubled.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
start_sim 17 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x facebook

# The daemon reaches PostgreSQL through a proxy the test can cut.
"$B/tests/tools/tcpproxy" 127.0.0.1 "$PGPORT" >"$TEST_DIR/proxy.out" 2>"$TEST_DIR/proxy.log" &
PROXY_PID=$!
register_pid $PROXY_PID
wait_for 10 grep -q 'listening port=' "$TEST_DIR/proxy.out"
PROXY_PORT=$(sed -n 's/.*port=\([0-9]*\).*/\1/p' "$TEST_DIR/proxy.out")
sed -i -e "s|^database = .*|database = \"hostaddr=127.0.0.1 port=$PROXY_PORT user=$PGUSER dbname=$TEST_DB\"|" "$CONF"

runs_done() {
    sql "SELECT count(*) FROM socialroi.poll_job WHERE last_success > now() - interval '10 minutes'"
}

# ---- the database goes away in the middle of a run --------------------------------------------
sim_fault '{"platform":"facebook","kind":"slow","seconds":2,"count":4}'
start_daemon "$CONF"
wait_for 30 sh -c "[ \$(psql -XqAt -d $TEST_DB -c 'SELECT count(*) FROM socialroi.fetch_run') -ge 2 ]"
kill -USR1 $PROXY_PID # cut
sleep 3
wait_for 10 log_has 'pgconn: connection lost'
check_grep "the daemon notices the database went away" 'pgconn: connection lost' "$TEST_DIR/daemon.log"
code=$(http_get /healthz)
[ "$code" = 503 ] && ok "/healthz answers 503 while the database is away" || not_ok "/healthz answers 503 while the database is away" "$code"
kill -0 "$DAEMON_PID" && ok "the daemon keeps running" || not_ok "the daemon keeps running"
http_get /metrics >/dev/null
check_grep "the scheduler is paused while the database is away" '^socialroi_scheduler_paused 1$' "$TEST_DIR/body"
kill -USR2 $PROXY_PID # restore
wait_for 60 sh -c "[ \$(psql -XqAt -d $TEST_DB -c \"SELECT count(*) FROM socialroi.poll_job WHERE last_success IS NOT NULL\") -ge 7 ]"
[ "$(runs_done)" -ge 7 ] && ok "every job completes once the database is back" || not_ok "every job completes once the database is back" "$(runs_done) of 7"
http_is 200 /healthz && ok "/healthz is 200 again" || not_ok "/healthz is 200 again"
http_get /metrics >/dev/null
check_grep "/metrics counts the lost connection" '^socialroi_db_disconnects_total [1-9]' "$TEST_DIR/body"
truth_check "Meta equals the truth after the outage" facebook
truth_check "X equals the truth after the outage" x
stop_daemon TERM
[ "$DAEMON_RC" -eq 0 ] && ok "SIGTERM drains and exits 0" || not_ok "SIGTERM drains and exits 0" "rc=$DAEMON_RC"
sim_clear_faults

# ---- killed in the middle of a run, restarted -----------------------------------------------------
sim_post /_advance >/dev/null
since=$(sql "SELECT now()")
make_due
sim_fault '{"platform":"facebook","kind":"slow","seconds":3,"count":2}'
: >"$TEST_DIR/daemon.log"
start_daemon "$CONF"
wait_for 30 log_has 'engine: run complete'
kill -KILL "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null
ok "the daemon was killed with SIGKILL mid-run"
sim_clear_faults
leased=$(sql "SELECT count(*) FROM socialroi.poll_job WHERE lease_owner IS NOT NULL")
echo "# $leased jobs were leased when it died"
start_daemon "$CONF"
finished="SELECT count(*) FROM socialroi.poll_job WHERE lease_owner IS NULL AND last_success > '$since'"
wait_for 60 sh -c "[ \$(psql -XqAt -d $TEST_DB -c \"$finished\") -ge 7 ]"
n=$(sql "$finished")
[ "$n" -ge 7 ] && ok "the restarted daemon takes its leases back and finishes every run" ||
    not_ok "the restarted daemon takes its leases back and finishes every run" "$n of 7"
truth_check "Meta equals the truth after the kill" facebook
truth_check "X equals the truth after the kill" x
stop_daemon TERM

# ---- two daemons, one database -------------------------------------------------------------------
sim_post /_advance >/dev/null
since=$(sql "SELECT now()")
make_due
cp "$CONF" "$TEST_DIR/second.conf"
HTTP_PORT2=$(free_port)
sed -i -e "s|^http_listen = .*|http_listen = 127.0.0.1:$HTTP_PORT2|" "$TEST_DIR/second.conf"
mark=$(sql "SELECT COALESCE(max(run_id), 0) FROM socialroi.fetch_run")
start_daemon "$CONF"
FIRST=$DAEMON_PID
start_daemon "$TEST_DIR/second.conf"
SECOND=$DAEMON_PID
finished="SELECT count(*) FROM socialroi.poll_job WHERE lease_owner IS NULL AND last_success > '$since'"
wait_for 60 sh -c "[ \$(psql -XqAt -d $TEST_DB -c \"$finished\") -ge 7 ]"
sleep 1
single=$(sql "SELECT max(n) FROM (SELECT count(*) AS n FROM socialroi.fetch_run f JOIN socialroi.poll_job j USING (job_id) WHERE f.run_id > $mark AND j.stream IN ('x.user') AND f.outcome = 'ok' GROUP BY job_id) c")
[ "$single" = 1 ] && ok "two daemons: each single-page run happens exactly once" ||
    not_ok "two daemons: each single-page run happens exactly once" "got $single"
truth_check "two daemons: Meta equals the truth" facebook
truth_check "two daemons: X equals the truth" x
DAEMON_PID=$FIRST
stop_daemon TERM
DAEMON_PID=$SECOND
stop_daemon TERM

kill -TERM $PROXY_PID
stop_sim
done_testing
