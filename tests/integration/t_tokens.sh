# t_tokens.sh - OAuth tokens: an expired token is refreshed once and the run goes on (the new
# tokens saved atomically in state_dir before use); a revoked one marks the account
# needs_reauth, stops its polling, and says so in the log, in status and in /metrics; new
# credentials bring it back.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
start_sim 13 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" x facebook
check_rc 0 "a first run exits 0" run_once "$CONF"

# ---- an expired X token: refreshed, rotated refresh token persisted -----------------------------
old_refresh=$(sed -n '/\[credential x-0\]/,/^\[/s/^refresh_token = //p' "$TEST_DIR/credentials")
sim_fault '{"platform":"x","kind":"expire_token","count":1}'
make_due
check_rc 0 "an expired token is refreshed and the run completes" run_once "$CONF"
check_grep "the refresh is logged" 'tokens: refreshed credential=x-0' "$TEST_DIR/daemon.log"
state="$TEST_DIR/state/tokens/x-0"
[ -f "$state" ] && ok "the refreshed tokens are saved in state_dir" || not_ok "the refreshed tokens are saved in state_dir"
mode=$(stat -c %a "$state" 2>/dev/null)
[ "$mode" = 600 ] && ok "the saved tokens are mode 0600" || not_ok "the saved tokens are mode 0600" "mode $mode"
new_refresh=$(sed -n 's/^refresh_token=//p' "$state")
[ -n "$new_refresh" ] && [ "$new_refresh" != "$old_refresh" ] &&
    ok "the rotated refresh token is the one saved" || not_ok "the rotated refresh token is the one saved"
if grep -qF "$new_refresh" "$TEST_DIR/daemon.log"; then not_ok "the new refresh token is not logged"; else ok "the new refresh token is not logged"; fi
ls "$TEST_DIR/state/tokens/" | grep -q '\.tmp$' && not_ok "no temporary file is left" || ok "no temporary file is left"

# the next process starts from the saved pair: the credentials file's refresh token is dead now
make_due
check_rc 0 "a new process uses the saved tokens" run_once "$CONF"
n=$(grep -c 'tokens: refreshed' "$TEST_DIR/daemon.log")
[ "$n" -eq 1 ] && ok "and does not need another refresh" || not_ok "and does not need another refresh" "$n refreshes"
truth_check "X equals the truth across the refresh" x

# ---- a revoked Meta token: needs_reauth ----------------------------------------------------------
sim_fault '{"platform":"facebook","kind":"revoke_token","count":1}'
make_due
check_rc 1 "a revoked token makes --once exit 1" run_once "$CONF"
st=$(sql "SELECT state FROM socialroi.account WHERE platform = 'facebook'")
[ "$st" = needs_reauth ] && ok "the account is marked needs_reauth" || not_ok "the account is marked needs_reauth" "$st"
check_grep "the log says what to do" 'account needs re-authorization.*account=facebook-0' "$TEST_DIR/daemon.log"
socialroi status --dsn "$(conninfo)" >"$TEST_DIR/status.out" 2>&1
check_grep "socialroi status shows needs_reauth" 'facebook-0 +facebook\.[a-z_]+ +needs_reauth' "$TEST_DIR/status.out"
check_grep "and X is still ok" 'x-0 +x\.user +ok' "$TEST_DIR/status.out"

# a daemon shows it in /metrics and does not poll the account
start_daemon "$CONF"
wait_for 20 http_is 200 /healthz
http_get /metrics >/dev/null
check_grep "/metrics shows the account needing re-authorization" \
    'socialroi_account_needs_reauth\{account="facebook-0"\} 1' "$TEST_DIR/body"
before=$(sql "SELECT count(*) FROM socialroi.fetch_run f JOIN socialroi.poll_job j USING (job_id) WHERE j.stream LIKE 'facebook.%'")
make_due
sleep 2
after=$(sql "SELECT count(*) FROM socialroi.fetch_run f JOIN socialroi.poll_job j USING (job_id) WHERE j.stream LIKE 'facebook.%'")
[ "$before" = "$after" ] && ok "a needs_reauth account is not polled" || not_ok "a needs_reauth account is not polled" "$before -> $after"

# new credentials from the operator, a reload: back to ok
sim_get /_world >"$TEST_DIR/world2.json"
newtok=$(jq -r '.facebook.accounts[0].access_token' "$TEST_DIR/world2.json")
sed -i "/\[credential facebook-0\]/,/^\[/s|^access_token = .*|access_token = $newtok|" "$TEST_DIR/credentials"
kill -HUP "$DAEMON_PID"
wait_for 20 sh -c "psql -XqAt -d $TEST_DB -c \"SELECT state FROM socialroi.account WHERE platform = 'facebook'\" | grep -qx ok"
st=$(sql "SELECT state FROM socialroi.account WHERE platform = 'facebook'")
[ "$st" = ok ] && ok "a new token in the credentials file and a reload bring the account back" ||
    not_ok "a new token in the credentials file and a reload bring the account back" "$st"
wait_for 30 sh -c "[ \$(psql -XqAt -d $TEST_DB -c \"SELECT count(*) FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id) WHERE a.platform = 'facebook' AND j.last_success > now() - interval '1 minute'\") -ge 4 ]"
truth_check "Meta equals the truth after re-authorization" facebook
stop_daemon TERM
[ "$DAEMON_RC" -eq 0 ] && ok "the daemon stops cleanly" || not_ok "the daemon stops cleanly" "rc=$DAEMON_RC"

stop_sim
done_testing
