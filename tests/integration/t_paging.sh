# t_paging.sh - paging across pages and a platform that hands back the cursor it was asked with:
# every post of a timeline longer than one page arrives; a repeated cursor stops the run with
# an error after a bounded number of requests instead of asking for the same page forever, and
# the next clean run reads everything.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
start_sim 23 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x
uid=$(jq -r '.x.accounts[0].user_id' "$TEST_DIR/world.json")

tweets_pages() {
    sql "SELECT coalesce(sum(f.pages), 0) FROM socialroi.fetch_run f
           JOIN socialroi.poll_job USING (job_id) WHERE stream = 'x.tweets' AND $1"
}

# ---- every post across pages ---------------------------------------------------------------------
check_rc 0 "a first run exits 0" run_once "$CONF"
p=$(tweets_pages "f.outcome = 'ok'")
[ "$p" -ge 2 ] && ok "the timeline took several pages ($p)" || not_ok "the timeline took several pages" "$p"
truth_check "X equals the truth: every post of every page" x

# ---- a repeated cursor ---------------------------------------------------------------------------
# the simulator's timeline answers a page asked with pagination_token T with next_token T; the
# next run reads the window again from its first page (which carries no token and pages on)
sim_fault "{\"platform\":\"x\",\"kind\":\"repeat_cursor\",\"path\":\"/users/$uid/tweets\"}"
make_due
check_rc 1 "--once exits 1 when the timeline repeats its cursor" run_once "$CONF"
fired=$(sim_get /_faults | jq '[.faults[].fired] | add')
# each attempt at the second page repeats: a few retries within the run, never an endless loop
[ "${fired:-0}" -ge 2 ] && [ "${fired:-0}" -le 12 ] &&
    ok "the repeated page is asked for a bounded number of times ($fired)" ||
    not_ok "the repeated page is asked for a bounded number of times" "fired $fired"
n=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE error_class = 'malformed'
           AND error LIKE '%paging repeats the page just read%'")
[ "$n" -gt 0 ] && ok "the repeat is recorded as a malformed page with its reason ($n)" ||
    not_ok "the repeat is recorded as a malformed page with its reason"
err=$(sql "SELECT last_error FROM dashboard.data_health WHERE stream = 'x.tweets'")
case $err in
*"paging repeats the page just read"*) ok "data_health says why x.tweets failed" ;;
*) not_ok "data_health says why x.tweets failed" "$err" ;;
esac
check_grep "the repeat is logged" 'stream=x.tweets class=malformed.*paging repeats' "$TEST_DIR/daemon.log"

sim_clear_faults
make_due
check_rc 0 "a clean run after the repeats exits 0" run_once "$CONF"
truth_check "X still equals the truth" x

stop_sim
done_testing
