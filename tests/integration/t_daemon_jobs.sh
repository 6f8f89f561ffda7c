# t_daemon_jobs.sh - a running daemon and the jobs' times in the database: the last success of
# each job survives a restart in /metrics, a job made due from outside (UPDATE poll_job, then
# NOTIFY socialroi_jobs, what socialroi poll and backfill do) runs within seconds and keeps the
# job's place on its interval, and a changed interval on reload moves the next due time.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
start_sim 23 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x
# long intervals: nothing runs again by itself during the test
sed -i -e 's/^platform = x$/platform = x\ninterval = 1h/' "$CONF"

check_rc 0 "--once polls every job" run_once "$CONF"

# ---- last success from the database ----------------------------------------------------------------
start_daemon "$CONF"
wait_for 30 http_is 200 /healthz || not_ok "/healthz answers 200" "$(cat "$TEST_DIR/body")"
job=$(sql "SELECT a.name || ' ' || j.stream || ' ' || floor(date_part('epoch', j.last_success))::bigint
             FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id)
            WHERE j.stream = 'x.user' LIMIT 1")
set -- $job
ACCOUNT=$1
want="socialroi_job_last_success_timestamp_seconds{account=\"$1\",stream=\"$2\"} $3"
wait_for 10 sh -c "curl -s -m 5 http://127.0.0.1:$HTTP_PORT/metrics | grep -qF '$want'"
http_get /metrics >/dev/null
if grep -qF "$want" "$TEST_DIR/body"; then
    ok "a new process reports the last success recorded in the database"
else
    not_ok "a new process reports the last success recorded in the database" "want: $want" \
        "$(grep last_success "$TEST_DIR/body" | head -n 3)"
fi

# ---- made due from outside -------------------------------------------------------------------------
runs() {
    sql "SELECT count(*) FROM socialroi.fetch_run f JOIN socialroi.poll_job j USING (job_id)
          JOIN socialroi.account a USING (account_id)
         WHERE a.name = '$ACCOUNT' AND j.stream = 'x.user'"
}
more_runs_than() {
    [ "$(runs)" -gt "$1" ]
}
wait_for 10 log_has 'engine: jobs synced'
sleep 1
before=$(runs)
due_at=$(sql "SELECT date_part('epoch', next_due) FROM socialroi.poll_job
               WHERE stream = 'x.user' AND account_id = socialroi.account_id('$ACCOUNT')")
psql -XqAt -d "$TEST_DB" -c "UPDATE socialroi.poll_job SET next_due = now()
                               WHERE stream = 'x.user'
                                 AND account_id = socialroi.account_id('$ACCOUNT')" \
    -c "NOTIFY socialroi_jobs" >/dev/null
if wait_for 10 more_runs_than "$before"; then
    ok "a job made due and notified runs within seconds"
else
    not_ok "a job made due and notified runs within seconds" "runs: $before -> $(runs)"
fi
check_grep "the notification is logged" 'engine: due times read again after a notification' \
    "$TEST_DIR/daemon.log"
sleep 2
after=$(runs)
[ "$after" -eq $((before + 1)) ] && ok "and runs once" || not_ok "and runs once" "runs: $before -> $after"

# ---- a changed interval on reload --------------------------------------------------------------------
due_in() {
    sql "SELECT floor(date_part('epoch', next_due - now()))::bigint FROM socialroi.poll_job
          WHERE stream = 'x.user' AND account_id = socialroi.account_id('$ACCOUNT')"
}
# the run made due from outside is an extra one: the job keeps its place on its interval (its
# grid, lib/engine/policy.c), a whole number of intervals from the time it had before, and
# at least a tenth of an interval after the run
d=$(due_in)
shift=$(sql "SELECT round(((date_part('epoch', next_due) - $due_at)::numeric % 3600 + 3600) % 3600)
               FROM socialroi.poll_job
              WHERE stream = 'x.user' AND account_id = socialroi.account_id('$ACCOUNT')")
if [ "$d" -gt 300 ] && { [ "$shift" -le 2 ] || [ "$shift" -ge 3598 ]; }; then
    ok "the job keeps its place on its interval"
else
    not_ok "the job keeps its place on its interval" "due in $d s, moved by $shift s (mod 3600)"
fi
before=$(runs)
sed -i -e 's/^interval = 1h$/interval = 5s/' "$CONF"
kill -HUP "$DAEMON_PID"
wait_for 10 log_has 'config: reloaded'
if wait_for 20 more_runs_than "$before"; then
    ok "a shorter interval on reload brings the next run forward"
else
    not_ok "a shorter interval on reload brings the next run forward" "runs: $before, due in $(due_in) s"
fi
d=$(due_in)
[ "$d" -le 10 ] && ok "next_due follows the new interval" || not_ok "next_due follows the new interval" "due in $d s"

stop_daemon TERM
[ "$DAEMON_RC" -eq 0 ] && ok "SIGTERM stops the daemon with status 0" ||
    not_ok "SIGTERM stops the daemon with status 0" "rc=$DAEMON_RC"
stop_sim
done_testing
