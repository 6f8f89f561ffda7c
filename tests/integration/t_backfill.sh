# t_backfill.sh - socialroi backfill and poll as the daemon's role, against the simulator: a
# first `socialroid --once` reaches back only `backfill = 4d`; a backfill of an older range is
# then fetched by the next --once through the job's normal run, exactly once (one run with
# that window, not repeated by later runs), its days land in the database, and the range is
# shown pending, then done; a backfill interrupted mid-run is finished by the next run.
# Refusals exit non-zero with one clear message. A daemon that writes back a cursor read
# before the request does not lose it.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
JOB=facebook.page_insights
SIM_ARGS="--days 30"
start_sim 5 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" facebook
sed -i "/^\[account facebook-0\]/a backfill = 4d\nstreams = $JOB, facebook.leads" "$CONF"

DSN="$(conninfo it_daemon)" # the daemon's role (tests/pg.sh), as operators run backfill

check_rc 0 "a first --once exits 0" run_once "$CONF"
today=$(sql "SELECT (now() AT TIME ZONE 'America/Los_Angeles')::date")
from=$(sql "SELECT '$today'::date - 14") to=$(sql "SELECT '$today'::date - 9")
days_in_range() {
    sql "SELECT count(DISTINCT day) FROM socialroi.metric_daily
          WHERE metric_daily.day BETWEEN '$from' AND '$to'"
}
runs_of_range() {
    sql "SELECT count(DISTINCT started_at) FROM socialroi.fetch_run f
           JOIN socialroi.poll_job j USING (job_id)
          WHERE j.stream = '$JOB' AND f.window_from = '$from' AND f.window_to = '$to'"
}
check_eq "the first run did not reach $from..$to" 0 "$(days_in_range)"

# ---- refusals ---------------------------------------------------------------------------------
check_rc 2 "--from after --to is a usage error" socialroi backfill facebook-0 $JOB --from "$to" --to "$from" --dsn "$DSN"
check_grep "saying so once" "^socialroi: backfill: --from $to is after --to $from" "$TEST_DIR/last.out"
check_rc 2 "a range in the future is a usage error" socialroi backfill facebook-0 $JOB --from "$from" --to 2999-01-01 --dsn "$DSN"
check_rc 2 "a backfill without --to is a usage error" socialroi backfill facebook-0 $JOB --from "$from" --dsn "$DSN"
check_rc 1 "an unknown stream is refused" socialroi backfill facebook-0 facebook.nothing --from "$from" --to "$to" --dsn "$DSN"
check_grep "naming it" '^socialroi: backfill: account "facebook-0" has no stream "facebook.nothing"' "$TEST_DIR/last.out"
check_rc 1 "an unknown account is refused" socialroi backfill nobody $JOB --from "$from" --to "$to" --dsn "$DSN"
check_grep "naming it" '^socialroi: backfill: unknown account "nobody"' "$TEST_DIR/last.out"

# ---- the request, as the daemon's role --------------------------------------------------------
check_rc 0 "the backfill is accepted" socialroi backfill facebook-0 $JOB --from "$from" --to "$to" --dsn "$DSN"
check_grep "and says what happens next" "^backfill of facebook-0 $JOB, $from..$to, requested" "$TEST_DIR/last.out"
check_rc 1 "a second request while one is pending is refused" socialroi backfill facebook-0 $JOB --from "$from" --to "$to" --dsn "$DSN"
check_grep "with what to do" 'already pending \(wait for it .*--replace\)' "$TEST_DIR/last.out"
check_rc 0 "--replace replaces it" socialroi backfill facebook-0 $JOB --from "$from" --to "$to" --replace --dsn "$DSN"
check_rc 0 "backfill --status works as the daemon's role" socialroi backfill --status --dsn "$DSN"
check_grep "and shows it pending" "^facebook-0 +$JOB +pending +$from\.\.$to" "$TEST_DIR/last.out"
due=$(sql "SELECT next_due <= now() FROM socialroi.poll_job WHERE stream = '$JOB'")
check_eq "the job is due now" t "$due"

# A daemon that claimed the job before the request writes back the cursor it had: the request
# stays. When the cursor shows the run of the range, it is taken up.
sql "UPDATE socialroi.poll_job SET cursor = '{\"in_run\":false,\"done_through\":\"$today\"}'
      WHERE stream = '$JOB'" >/dev/null
kept=$(sql "SELECT cursor::jsonb -> 'backfill' ->> 'from' FROM socialroi.poll_job WHERE stream = '$JOB'")
check_eq "a stale cursor written back keeps the request" "$from" "$kept"

check_rc 0 "the next --once exits 0" run_once "$CONF"
check_eq "it fetched the range in one run" 1 "$(runs_of_range)"
n=$(days_in_range)
check_eq "every day of the range is in the database" 6 "$n"
cur=$(sql "SELECT cursor::jsonb ?| array['backfill', 'backfilling'] FROM socialroi.poll_job WHERE stream = '$JOB'")
check_eq "the request is cleared" f "$cur"
done_through=$(sql "SELECT cursor::jsonb ->> 'done_through' FROM socialroi.poll_job WHERE stream = '$JOB'")
check_eq "done_through did not move backwards" "$today" "$done_through"
check_rc 0 "backfill --status --format json" socialroi backfill --status --format json --dsn "$DSN"
state=$(jq -r ".[] | select(.stream == \"$JOB\") | .state + \" \" + .from_day" "$TEST_DIR/last.out")
check_eq "shows it done" "done $from" "$state"

make_due
check_rc 0 "another --once exits 0" run_once "$CONF"
check_eq "which does not fetch the range again" 1 "$(runs_of_range)"

# ---- resumed: a daemon killed mid-backfill left the run under way in the cursor it committed
from2=$(sql "SELECT '$today'::date - 21") to2=$(sql "SELECT '$today'::date - 17")
sql "UPDATE socialroi.poll_job
        SET cursor = (cursor::jsonb || jsonb_build_object('in_run', true, 'backfilling', true,
                      'from', '$from2', 'to', '$to2', 'since', 0,
                      'run_started', (extract(epoch FROM now()) * 1e6)::bigint - 60000000))::text,
            next_due = now()
      WHERE stream = '$JOB'" >/dev/null
check_rc 0 "the next --once exits 0" run_once "$CONF"
n=$(sql "SELECT count(DISTINCT day) FROM socialroi.metric_daily WHERE day BETWEEN '$from2' AND '$to2'")
check_eq "it finished the interrupted range" 5 "$n"
n=$(sql "SELECT count(DISTINCT started_at) FROM socialroi.fetch_run f JOIN socialroi.poll_job j USING (job_id)
          WHERE j.stream = '$JOB' AND f.window_from = '$from2' AND f.window_to = '$to2'")
check_eq "as the same run (its start time kept)" 1 "$n"
cur=$(sql "SELECT (cursor::jsonb -> 'last_backfill' ->> 'from') || ' ' || (cursor::jsonb ->> 'done_through')
             FROM socialroi.poll_job WHERE stream = '$JOB'")
check_eq "recorded as done, done_through unchanged" "$from2 $today" "$cur"

# ---- an incremental stream: since the range's first day ----------------------------------------
check_rc 0 "a backfill of facebook.leads is accepted" socialroi backfill facebook-0 facebook.leads --from "$from" --to "$to" --dsn "$DSN"
check_rc 0 "and runs" run_once "$CONF"
cur=$(sql "SELECT cursor::jsonb -> 'last_backfill' ->> 'from' FROM socialroi.poll_job WHERE stream = 'facebook.leads'")
check_eq "to its end" "$from" "$cur"

# ---- poll -------------------------------------------------------------------------------------
sql "UPDATE socialroi.poll_job SET next_due = now() + interval '1 hour'" >/dev/null
psql -XqAt -d "$TEST_DB" -c "LISTEN socialroi_jobs" -c "SELECT pg_sleep(3)" >"$TEST_DIR/listen.out" 2>&1 &
LISTENER=$!
sleep 1
check_rc 0 "poll ACCOUNT STREAM as the daemon's role" socialroi poll facebook-0 $JOB --dsn "$DSN"
check_grep "prints what it made due" "^due now: facebook-0 $JOB$" "$TEST_DIR/last.out"
wait $LISTENER
check_grep "and notifies socialroi_jobs" 'notification "socialroi_jobs"' "$TEST_DIR/listen.out"
n=$(sql "SELECT string_agg(stream, ',' ORDER BY stream) FROM socialroi.poll_job WHERE next_due <= now()")
check_eq "only that job is due" "$JOB" "$n"
check_rc 0 "poll ACCOUNT makes every job of the account due" socialroi poll facebook-0 --dsn "$DSN"
n=$(grep -c '^due now: facebook-0 ' "$TEST_DIR/last.out")
check_eq "two lines" 2 "$n"
check_rc 1 "poll of an unknown account exits 1" socialroi poll nobody --dsn "$DSN"
check_grep "saying so" '^socialroi: poll: unknown account "nobody"' "$TEST_DIR/last.out"
check_rc 1 "poll of an unknown stream exits 1" socialroi poll facebook-0 facebook.nothing --dsn "$DSN"
check_rc 2 "poll with three arguments is a usage error" socialroi poll a b c --dsn "$DSN"
check_rc 0 "a --once after poll exits 0" run_once "$CONF"

done_testing
