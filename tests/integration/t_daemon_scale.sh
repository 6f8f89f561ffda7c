# t_daemon_scale.sh - one daemon with thousands of accounts against the simulator: every job
# runs and is recorded in socialroi.poll_job, the peak RSS stays within the memory budget, and
# SIGTERM ends it cleanly.
#
# The budget: 10,000 accounts x 3 streams must fit in 64 MB. One account measures about 12.6 MB
# of VmHWM (the libraries: libcurl with its TLS stack, libpq, libevent, the code), so the bound
# is a 16 MB base plus 4.8 KB per account: 16 MB + 10,000 x 4.8 KB = 64 MB. The per-account part
# covers the config (section, credential, stream list), the live token, three jobs and their
# scheduler entries; per-run buffers must stay bounded by max_inflight, not by the number of
# jobs (before that bound, 10,000 accounts peaked at 269 MB). The bound holds after a scrape of
# /metrics too (about 1.4 KB per account while it is sent). Under valgrind the RSS is
# valgrind's, so the size and the bound are only checked without it.
. tests/integration/lib.sh

ACCOUNTS=${SCALE_ACCOUNTS:-3000}
[ -n "${SR_WRAP:-}" ] && ACCOUNTS=200
BASE_KB=16384
PER_ACCOUNT_KB=4.8
CONF="$TEST_DIR/socialroi.conf"
start_sim 31 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_get /_world >"$TEST_DIR/world.json"
FB=$(jq -c '.facebook.accounts[0]' "$TEST_DIR/world.json")

# Every account its own credential section, all of them the simulated page and ad account.
printf '[hashing]\nemail_salt = socialroi-test-salt\n' >"$TEST_DIR/credentials"
chmod 600 "$TEST_DIR/credentials"
write_config "$CONF" "max_inflight = 16"
sed -i -e 's/^log_level = info$/log_level = notice/' "$CONF"
cat >>"$CONF" <<CONF

[platform facebook]
api_base = http://127.0.0.1:$SIM_PORT/facebook
token_url = http://127.0.0.1:$SIM_PORT/facebook/v24.0/oauth/access_token
timeout = 5s
connect_timeout = 2s
usage_pause = 2s
CONF
N=$ACCOUNTS PAGE=$(echo "$FB" | jq -r .page_id) ADS=$(echo "$FB" | jq -r .ad_account) \
    TOK=$(echo "$FB" | jq -r .access_token) CONF=$CONF CRED=$TEST_DIR/credentials awk 'BEGIN {
    n = ENVIRON["N"]; conf = ENVIRON["CONF"]; cred = ENVIRON["CRED"]
    for (i = 1; i <= n; i++) {
        printf "\n[account fb-%d]\nplatform = facebook\nid = %s\nad_account = %s\n", i,
            ENVIRON["PAGE"], ENVIRON["ADS"] >> conf
        printf "credential = fb-%d\ncurrency = USD\ntimezone = America/Los_Angeles\n", i >> conf
        printf "streams = facebook.page_insights, facebook.posts, facebook.ads_insights\n" >> conf
        printf "backfill = 2d\n" >> conf
        printf "\n[credential fb-%d]\naccess_token = %s\n", i, ENVIRON["TOK"] >> cred
    }
}'
JOBS=$((ACCOUNTS * 3))

start_daemon "$CONF"
synced() {
    [ "$(sql "SELECT count(*) FROM socialroi.poll_job")" -eq "$JOBS" ]
}
if wait_for 30 synced; then
    ok "$ACCOUNTS accounts: $JOBS jobs synced"
else
    not_ok "$ACCOUNTS accounts: $JOBS jobs synced" "$(sql "SELECT count(*) FROM socialroi.poll_job")"
fi

# The first runs of overdue jobs are spread over a tenth of their jitter (at most 30 s).
all_ran() {
    [ "$(sql "SELECT count(*) FROM socialroi.poll_job WHERE last_success IS NOT NULL")" -eq "$JOBS" ]
}
if wait_for 75 all_ran; then
    ok "every job ran once and recorded its success in socialroi.poll_job"
else
    not_ok "every job ran once and recorded its success in socialroi.poll_job" \
        "$(sql "SELECT count(*) FILTER (WHERE last_attempt IS NOT NULL) || ' attempted, ' ||
                       count(*) FILTER (WHERE last_success IS NOT NULL) || ' succeeded'
                  FROM socialroi.poll_job")"
fi
check_eq "no job failed" 0 "$(sql "SELECT count(*) FROM socialroi.poll_job WHERE failures > 0")"
check_eq "one fetch run per job" "$JOBS" \
    "$(sql "SELECT count(DISTINCT job_id) FROM socialroi.fetch_run WHERE outcome = 'ok'")"

# A scrape renders a series per job; its body is handed to the connection, not copied.
check_eq "/metrics has a pages series per job" "$JOBS" \
    "$(curl -s -m 30 "http://127.0.0.1:$HTTP_PORT/metrics" | grep -c '^socialroi_job_pages_total{')"

# The budget is the daemon's own memory: under valgrind (SR_WRAP) or AddressSanitizer (make
# asan: its shadow memory and quarantine multiply the RSS) there is nothing to compare.
if [ -n "${SR_WRAP:-}" ]; then
    :
elif nm "$B/socialroid" 2>/dev/null | grep -q ' __asan_init'; then
    ok "peak RSS within the budget # SKIP AddressSanitizer's shadow memory is not the daemon's"
else
    hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$DAEMON_PID/status")
    bound=$(echo "$BASE_KB + $ACCOUNTS * $PER_ACCOUNT_KB" | bc | cut -d. -f1)
    if [ -n "$hwm" ] && [ "$hwm" -le "$bound" ]; then
        ok "peak RSS ${hwm} kB within ${bound} kB (16 MB + 4.8 KB x $ACCOUNTS accounts)"
    else
        not_ok "peak RSS within ${bound} kB (16 MB + 4.8 KB x $ACCOUNTS accounts)" "VmHWM: ${hwm:-?} kB"
    fi
fi

stop_daemon TERM
check_eq "SIGTERM: the daemon exits with status 0" 0 "$DAEMON_RC"
check_grep "and says it stopped" 'daemon: stopped' "$TEST_DIR/daemon.log"
check_eq "no lease is left behind" 0 \
    "$(sql "SELECT count(*) FROM socialroi.poll_job WHERE lease_owner IS NOT NULL AND lease_expires > now()")"
stop_sim
done_testing
