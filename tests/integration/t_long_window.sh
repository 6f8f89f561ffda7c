# t_long_window.sh - a first run reaching back 120 days (backfill = 120d), further than the
# platforms serve in one request: Facebook Page insights (the simulator, like Graph, refuses
# more than 93 days between since and until) and both Pinterest streams (90 days per request,
# nothing older than 90 days) read the window in chunks, one page each, without a refused
# request, and the database equals the simulator's truth. A backfill of 120 days requested
# later is read the same way.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
SIM_ARGS="--days 118"
start_sim 13 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" facebook pinterest
sed -i -e "/^\[account facebook-[0-9]*\]/a backfill = 120d" \
    -e "/^\[account pinterest-[0-9]*\]/a backfill = 120d" "$CONF"

refused() {
    sql "SELECT count(*) FROM socialroi.fetch_run WHERE http_status = 400"
}
pages() {
    sql "SELECT count(*) FROM socialroi.fetch_run f JOIN socialroi.poll_job j USING (job_id)
          WHERE j.stream = '$1' AND f.outcome = 'ok'"
}

check_rc 0 "socialroid --once exits 0" run_once "$CONF"
check_eq "no request was refused" 0 "$(refused)"
n=$(sql "SELECT count(*) FROM socialroi.poll_job WHERE last_success IS NULL")
check_eq "every job completed its run" 0 "$n"
n=$(pages facebook.page_insights)
[ "$n" -ge 2 ] && ok "Page insights took one page per chunk ($n)" ||
    not_ok "Page insights took one page per chunk" "$n pages"
truth_check "Facebook Page insights equal the truth" facebook
truth_check "Pinterest equals the truth (the days it serves)" pinterest

# ---- a requested backfill of the same length --------------------------------------------------
today=$(sql "SELECT (now() AT TIME ZONE 'America/Los_Angeles')::date")
from=$(sql "SELECT '$today'::date - 120")
sql "DELETE FROM socialroi.metric_daily" >/dev/null
check_rc 0 "a 120-day backfill is accepted" socialroi backfill facebook-0 facebook.page_insights \
    --from "$from" --to "$today" -c "$CONF"
check_rc 0 "the next --once exits 0" run_once "$CONF"
check_eq "no request was refused" 0 "$(refused)"
n=$(sql "SELECT count(DISTINCT day) FROM socialroi.metric_daily m
           JOIN socialroi.account a USING (account_id)
          WHERE a.name = 'facebook-0' AND m.day < '$today'::date - 93")
[ "$n" -gt 0 ] && ok "the backfill reached past 93 days ($n days)" ||
    not_ok "the backfill reached past 93 days" "$n days"

done_testing
