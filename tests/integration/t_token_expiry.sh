# t_token_expiry.sh - LinkedIn tokens without a refresh token (self-serve apps): one that ends in
# 10 days is announced once (the 14-day warning, not at every poll, not again after a reload),
# in the log, in socialroi status, in dashboard.data_health and in /metrics; one that has ended
# puts its account in needs_reauth without being sent, and the other accounts go on.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
CREDS="$TEST_DIR/credentials"
SIM_ARGS="--accounts linkedin=3" start_sim 17 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$CONF" linkedin x

# cred_unrenewable NAME EXPIRES_AT: the credential keeps its access token only, ending then
cred_unrenewable() {
    sed -i "/^\[credential $1\]\$/,/^\[/{/^\(refresh_token\|client_id\|client_secret\|expires_at\) = /d}" "$CREDS"
    sed -i "/^\[credential $1\]\$/a expires_at = $2" "$CREDS"
}
now=$(date +%s)
cred_unrenewable linkedin-0 $((now + 10 * 86400))
cred_unrenewable linkedin-1 $((now - 3600))
# a token the platform would refuse: had it been sent, the refusal would show
sed -i "/^\[credential linkedin-1\]\$/,/^\[/s|^access_token = .*|access_token = never-sent-dead-token|" "$CREDS"

check_rc 1 "--once exits 1: one account needs re-authorization" run_once "$CONF"
n=$(grep -c 'tokens: access token expires in 10 days and cannot be refreshed credential=linkedin-0' "$TEST_DIR/daemon.log")
[ "$n" -eq 1 ] && ok "the 14-day warning is logged once" || not_ok "the 14-day warning is logged once" "$n lines"
check_grep "it says how to reconnect" 'credential=linkedin-0 account=linkedin-0: reconnect' "$TEST_DIR/daemon.log"
if grep -q 'expires in .*credential=linkedin-2' "$TEST_DIR/daemon.log"; then
    not_ok "a token with a refresh token is not announced"
else
    ok "a token with a refresh token is not announced"
fi

st=$(sql "SELECT state || '|' || state_reason FROM socialroi.account WHERE name = 'linkedin-1'")
case "$st" in
needs_reauth\|"access token expired on "*"cannot be refreshed"*) ok "the ended token's account is needs_reauth, saying why" ;;
*) not_ok "the ended token's account is needs_reauth, saying why" "$st" ;;
esac
check_grep "the log says how to reconnect" 'account needs re-authorization, polling stopped account=linkedin-1 .*put a new token in the credentials file and reload' "$TEST_DIR/daemon.log"
if grep -E 'account=linkedin-1 .*(status=40|HTTP 40|class=auth)' "$TEST_DIR/daemon.log" | grep -vq 'expired on'; then
    not_ok "the dead token was never sent" "$(grep 'linkedin-1' "$TEST_DIR/daemon.log" | head -3)"
else
    ok "the dead token was never sent"
fi
n=$(sql "SELECT count(*) FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id) WHERE a.name = 'linkedin-1' AND j.last_success IS NOT NULL")
[ "$n" -eq 0 ] && ok "no run of the ended account succeeded" || not_ok "no run of the ended account succeeded" "$n"
for acct in linkedin-0 linkedin-2 x-0; do
    n=$(sql "SELECT count(*) FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id) WHERE a.name = '$acct' AND j.enabled AND j.last_success IS NULL")
    st=$(sql "SELECT state FROM socialroi.account WHERE name = '$acct'")
    [ "$n" -eq 0 ] && [ "$st" = ok ] && ok "$acct flows" || not_ok "$acct flows" "state $st, $n jobs never succeeded"
done

w=$(sql "SELECT DISTINCT token_warning FROM dashboard.data_health WHERE account = 'linkedin-0'")
check_eq "data_health says expires in 10 days, reconnect" "expires in 10 days, reconnect" "$w"
w=$(sql "SELECT DISTINCT token_warning FROM dashboard.data_health WHERE account = 'linkedin-1'")
case "$w" in
"expired on "*", reconnect: "*) ok "data_health says linkedin-1 expired, how to reconnect" ;;
*) not_ok "data_health says linkedin-1 expired, how to reconnect" "$w" ;;
esac
n=$(sql "SELECT count(*) FROM dashboard.data_health WHERE account IN ('linkedin-2', 'x-0') AND token_warning IS NOT NULL")
check_eq "refreshable tokens carry no warning" 0 "$n"
socialroi status --dsn "$(conninfo)" >"$TEST_DIR/status.out" 2>&1
check_grep "socialroi status lists the token to renew" 'linkedin-0 +[0-9-]+ [0-9:]+Z +expires in 10 days, reconnect' "$TEST_DIR/status.out"
check_grep "and the ended one" 'linkedin-1 +[0-9-]+ [0-9:]+Z +expired on ' "$TEST_DIR/status.out"

# a daemon: three runs of every job (each reload picks up the due time), the warning said once
: >"$TEST_DIR/daemon.log"
runs() {
    sql "SELECT count(*) FROM socialroi.fetch_run f JOIN socialroi.poll_job j USING (job_id) JOIN socialroi.account a USING (account_id) WHERE a.name = 'linkedin-0'"
}
make_due
r0=$(runs)
start_daemon "$CONF"
wait_for 20 http_is 200 /healthz
wait_for 30 sh -c "[ \$(psql -XqAt -d $TEST_DB -c \"SELECT count(*) FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id) WHERE a.name = 'linkedin-0' AND j.enabled AND j.next_due <= now()\") -eq 0 ]"
for _ in 1 2; do
    make_due
    kill -HUP "$DAEMON_PID"
    sleep 1
    wait_for 30 sh -c "[ \$(psql -XqAt -d $TEST_DB -c \"SELECT count(*) FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id) WHERE a.name = 'linkedin-0' AND j.enabled AND j.next_due <= now()\") -eq 0 ]"
done
r1=$(runs)
jobs=$(sql "SELECT count(*) FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id) WHERE a.name = 'linkedin-0' AND j.enabled")
[ $((r1 - r0)) -ge $((3 * jobs)) ] && ok "the daemon ran each job of linkedin-0 three times" ||
    not_ok "the daemon ran each job of linkedin-0 three times" "$((r1 - r0)) runs of $jobs jobs"
n=$(grep -c 'tokens: access token expires in 10 days.*credential=linkedin-0' "$TEST_DIR/daemon.log")
[ "$n" -eq 1 ] && ok "a daemon polling and reloading warns once" || not_ok "a daemon polling and reloading warns once" "$n lines"
http_get /metrics >/dev/null
check_grep "/metrics has the seconds to expiry" \
    'socialroi_token_expiry_seconds\{account="linkedin-0",credential="linkedin-0",refreshable="false"\} 86[0-9]{4}' "$TEST_DIR/body"
check_grep "/metrics has the ended token's, negative" \
    'socialroi_token_expiry_seconds\{account="linkedin-1",credential="linkedin-1",refreshable="false"\} -[0-9]+' "$TEST_DIR/body"
check_grep "/metrics shows linkedin-1 needing re-authorization" \
    'socialroi_account_needs_reauth\{account="linkedin-1"\} 1' "$TEST_DIR/body"
stop_daemon TERM
[ "$DAEMON_RC" -eq 0 ] && ok "the daemon stops cleanly" || not_ok "the daemon stops cleanly" "rc=$DAEMON_RC"

stop_sim
done_testing
