# t_faults.sh - platform faults: a 429 storm and 5xx bursts slow the run down but end in the
# same equality with the truth; malformed and truncated bodies are rejected without moving the
# cursor or writing anything; a timeout is a transient failure, retried.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
SIM_TIMEOUT=2s
start_sim 11 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x facebook

# ---- throttling and server errors -----------------------------------------------------------
sim_fault '{"platform":"x","kind":"throttle","probability":0.4,"count":6,"seconds":1}'
sim_fault '{"platform":"facebook","kind":"throttle","probability":0.4,"count":6}'
sim_fault '{"platform":"facebook","kind":"server_error","probability":0.3,"count":5}'
sim_fault '{"platform":"x","kind":"server_error","probability":0.3,"count":3}'
run_once "$CONF"
rc=$?
echo "# first run under faults exited $rc"
fired=$(sim_get /_faults | jq '[.faults[].fired] | add')
[ "${fired:-0}" -gt 0 ] && ok "the faults fired ($fired times)" || not_ok "the faults fired"
n=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE error_class IN ('throttled', 'transient')")
[ "$n" -gt 0 ] && ok "throttled and transient failures are recorded ($n)" ||
    not_ok "throttled and transient failures are recorded"
check_grep "throttling is logged with its class" 'class=(throttled|transient)' "$TEST_DIR/daemon.log"
sim_clear_faults
make_due
check_rc 0 "after the storm, --once exits 0" run_once "$CONF"
truth_check "X equals the truth after the storm" x
truth_check "Meta equals the truth after the storm" facebook
n=$(sql "SELECT count(*) FROM socialroi.poll_job WHERE failures > 0")
[ "$n" -eq 0 ] && ok "a success clears the failure counts" || not_ok "a success clears the failure counts" "$n"

# ---- malformed and truncated bodies ---------------------------------------------------------------
cursor_of() {
    sql "SELECT cursor FROM socialroi.poll_job JOIN socialroi.account USING (account_id)
          WHERE stream = '$1'"
}
sim_post /_advance >/dev/null
before=$(cursor_of facebook.ads_insights)
spend_before=$(sql "SELECT sum(spend_micros) FROM socialroi.ad_daily")
sim_fault '{"platform":"facebook","kind":"malformed","path":"/insights","count":100}'
make_due
sql "UPDATE socialroi.poll_job SET next_due = now() + interval '1 day' WHERE stream <> 'facebook.ads_insights'" >/dev/null
check_rc 1 "--once exits 1 when a body stays malformed" run_once "$CONF"
after=$(cursor_of facebook.ads_insights)
[ "$before" = "$after" ] && ok "a malformed body does not move the cursor" ||
    not_ok "a malformed body does not move the cursor" "$before" "$after"
[ "$spend_before" = "$(sql "SELECT sum(spend_micros) FROM socialroi.ad_daily")" ] &&
    ok "a malformed body writes nothing" || not_ok "a malformed body writes nothing"
n=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE outcome = 'rejected' AND error_class = 'malformed'")
[ "$n" -gt 0 ] && ok "the rejected page is recorded with its reason" || not_ok "the rejected page is recorded with its reason"
check_grep "the rejection is logged" 'class=malformed' "$TEST_DIR/daemon.log"
sim_clear_faults

sim_fault '{"platform":"facebook","kind":"truncated","path":"/insights","count":100}'
make_due
sql "UPDATE socialroi.poll_job SET next_due = now() + interval '1 day' WHERE stream <> 'facebook.ads_insights'" >/dev/null
check_rc 1 "--once exits 1 when bodies arrive truncated" run_once "$CONF"
[ "$before" = "$(cursor_of facebook.ads_insights)" ] && ok "a truncated body does not move the cursor" ||
    not_ok "a truncated body does not move the cursor"
[ "$spend_before" = "$(sql "SELECT sum(spend_micros) FROM socialroi.ad_daily")" ] &&
    ok "a truncated body writes nothing" || not_ok "a truncated body writes nothing"
sim_clear_faults

# ---- a timeout ---------------------------------------------------------------------------------
sim_fault '{"platform":"x","kind":"timeout","count":1,"seconds":4}'
make_due
check_rc 0 "a timed-out request is retried and the run completes" run_once "$CONF"
n=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE error_class = 'transient' AND error ILIKE '%time%'")
[ "$n" -gt 0 ] && ok "the timeout is recorded as transient" || not_ok "the timeout is recorded as transient"
sim_clear_faults
make_due
check_rc 0 "a clean run after the faults exits 0" run_once "$CONF"
truth_check "Meta equals the truth after rejected pages" facebook
truth_check "X equals the truth after the timeout" x

stop_sim
done_testing
