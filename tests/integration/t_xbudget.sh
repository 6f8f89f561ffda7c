# t_xbudget.sh - the X listening budget against the simulator: with x_posts_per_day below the
# mentions the search finds (140 of 260), the daemon reads exactly the cap (pages of 100 and
# 40), sends no further search request, logs the stop once, shows it in /metrics, in
# dashboard.data_health and in socialroi status as a budget stop (healthy, no failure), while
# the account's other streams and another platform keep flowing; when the UTC day turns (the
# counter's day moved back) the search goes on from where it stopped.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
CAP=140
start_sim 7 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x facebook
sed -i -e 's/^log_level = info$/log_level = debug/' \
    -e "s/^platform = x\$/platform = x\\nx_posts_per_day = $CAP\\ninterval = 1h/" "$CONF"
ACCOUNT=$(sed -n 's/^\[account \(x-[^]]*\)\]$/\1/p' "$CONF" | head -n 1)
avail=$(sim_get /_truth | jq '[.x[] | .mentions | length] | add')
[ "$avail" -gt $((CAP + 50)) ] && [ "$avail" -le $((2 * CAP)) ] &&
    ok "the world has more mentions ($avail) than the cap ($CAP), at most two days of it" ||
    not_ok "the world has more mentions than the cap, at most two days of it" "$avail"
check "socialroid -n accepts the caps" socialroid -n -c "$CONF"

searches() {
    grep -c "engine: fetch account=$ACCOUNT stream=x.mentions " "$TEST_DIR/daemon.log"
}
stops() {
    grep -c "x listening budget reached: " "$TEST_DIR/daemon.log"
}

start_daemon "$CONF"
wait_for 60 log_has "x listening budget reached: " || not_ok "the search stops at its budget"
LINE="engine: x listening budget reached: $CAP of $CAP posts today \\(resets 00:00 UTC\\) account=$ACCOUNT stream=x\\.mentions\$"
check_grep "it says so in one line" "$LINE" "$TEST_DIR/daemon.log"
# two requests: the second page asked for the 40 left, not for 100
check_eq "the search sent two requests" 2 "$(searches)"
check_eq "exactly the cap of mentions is stored" "$CAP" \
    "$(sql "SELECT count(*) FROM socialroi.mention")"
check_eq "the counter: posts read, billed and their cost today" "$CAP $CAP $((CAP * 5000))" \
    "$(sql "SELECT posts_read || ' ' || posts_billed || ' ' || cost_micros FROM socialroi.x_read_budget
             WHERE day = (now() AT TIME ZONE 'UTC')::date")"

# the other streams keep flowing: every job of X and Facebook but the search completes its run
others_done() {
    [ "$(sql "SELECT count(*) FROM socialroi.poll_job
               WHERE stream <> 'x.mentions' AND last_success IS NULL")" = 0 ]
}
wait_for 60 others_done && ok "every other job completed a run" ||
    not_ok "every other job completed a run" \
        "$(sql "SELECT stream FROM socialroi.poll_job WHERE last_success IS NULL")"
sleep 2
check_eq "no search request after the stop" 2 "$(searches)"
check_eq "the stop is logged once" 1 "$(stops)"

http_get /metrics >/dev/null
check_grep "/metrics: posts read today" \
    "^socialroi_x_posts_read_today\\{account=\"$ACCOUNT\"\\} $CAP\$" "$TEST_DIR/body"
check_grep "/metrics: the daily cap" \
    "^socialroi_x_posts_read_today_cap\\{account=\"$ACCOUNT\"\\} $CAP\$" "$TEST_DIR/body"
check_grep "/metrics: stopped for budget" \
    "^socialroi_x_listening_budget_stopped\\{account=\"$ACCOUNT\"\\} 1\$" "$TEST_DIR/body"
check_grep "/metrics: no job failing" '^socialroi_job_failures\{.*stream="x.mentions"\} 0$' \
    "$TEST_DIR/body"
http_is 200 /healthz && ok "/healthz stays ok" || not_ok "/healthz stays ok" "$(cat "$TEST_DIR/body")"

# due again one second after the next 00:00 UTC (the database's clock, give or take a minute)
check_eq "data_health: a budget stop, not a failure, due at the turn of the UTC day" \
    "0 budget true" \
    "$(sql "SELECT failures || ' ' || last_error_class || ' ' ||
                   (abs(date_part('epoch', next_due - (date_trunc('day', now() AT TIME ZONE 'UTC')
                                                       + interval '1 day') AT TIME ZONE 'UTC')) < 60)
              FROM dashboard.data_health WHERE stream = 'x.mentions'")"
check_eq "the fetch record of the stop: outcome budget, no error class" "budget -" \
    "$(sql "SELECT f.outcome || ' ' || coalesce(f.error_class, '-') FROM socialroi.fetch_run f
             JOIN socialroi.poll_job j USING (job_id) WHERE j.stream = 'x.mentions'
             ORDER BY f.run_id DESC LIMIT 1")"
socialroi status --dsn "$(conninfo it_dashboard)" >"$TEST_DIR/status.out" 2>&1
check_eq "socialroi status is healthy" 0 "$?"
check_grep "and shows the search waiting for its budget" 'x\.mentions.*budget' "$TEST_DIR/status.out"
check_eq "dashboard.x_listening: the cost per mention, as the dashboard role" \
    "$CAP 0.700000 $CAP 0.005" \
    "$(psql -XqAt -d "$(conninfo it_dashboard)" -c "SELECT posts_billed || ' ' || cost || ' ' ||
              mentions || ' ' || cost_per_mention FROM dashboard.x_listening")"

# ---- the next UTC day: the search goes on where it stopped ---------------------------------------------
sql "UPDATE socialroi.x_read_budget SET day = day - 1;
     UPDATE socialroi.x_read_post SET day = day - 1;
     UPDATE socialroi.poll_job SET next_due = now() WHERE stream = 'x.mentions';
     NOTIFY socialroi_jobs" >/dev/null
searched() {
    [ "$(sql "SELECT count(*) FROM socialroi.poll_job
               WHERE stream = 'x.mentions' AND last_success IS NOT NULL")" = 1 ]
}
wait_for 60 searched && ok "on a new day the search runs to its end" ||
    not_ok "on a new day the search runs to its end" "$(tail -n 5 "$TEST_DIR/daemon.log")"
check_eq "every mention of the world is stored" "$avail" \
    "$(sql "SELECT count(*) FROM socialroi.mention")"
today=$(sql "SELECT posts_billed FROM socialroi.x_read_budget WHERE day = (now() AT TIME ZONE 'UTC')::date")
[ "$today" -gt 0 ] && [ "$today" -le "$CAP" ] &&
    ok "today's reads are counted afresh, within the cap ($today)" ||
    not_ok "today's reads are counted afresh, within the cap" "$today"
check_eq "the stop is cleared from the job" "-" \
    "$(sql "SELECT coalesce(last_error_class, '-') FROM socialroi.poll_job WHERE stream = 'x.mentions'")"
truth_check "Facebook equals the truth" facebook

stop_daemon
check_eq "the daemon exits 0" 0 "$DAEMON_RC"

# ---- the month's cap, under --once: the run ends at once, as a success, the stop recorded -------------
month=$(sql "SELECT sum(posts_billed) FROM socialroi.x_read_budget
              WHERE day >= date_trunc('month', now() AT TIME ZONE 'UTC')")
next=$(sql "SELECT (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '1 month')::date")
sed -i "s/^x_posts_per_day = $CAP\$/x_posts_per_day = $CAP\nx_posts_per_month = $month/" "$CONF"
sql "UPDATE socialroi.poll_job SET next_due = now() WHERE stream = 'x.mentions'" >/dev/null
before=$(searches)
check_rc 0 "--once with the month's cap reached exits 0" run_once "$CONF"
check_grep "it says the month's budget is spent and when it turns" \
    "x listening budget reached: $month of $month posts this month \\(resets 00:00 UTC on $next\\)" \
    "$TEST_DIR/daemon.log"
check_eq "and sends no search request" "$before" "$(searches)"
check_eq "the stop is recorded before --once exits, due when the month turns" "budget 0 true" \
    "$(sql "SELECT last_error_class || ' ' || failures || ' ' ||
                   (abs(date_part('epoch', next_due - '$next'::timestamp AT TIME ZONE 'UTC')) < 60)
              FROM socialroi.poll_job WHERE stream = 'x.mentions'")"
done_testing
