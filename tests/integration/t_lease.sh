# t_lease.sh - three daemons share one database while X throttles the second page of one
# account's timeline with a reset (12 s) four times longer than the lease (3 s): the daemon
# that was throttled keeps the job's lease across the whole wait (lease_expires keeps moving
# forward) and its page cursor, no other daemon fetches that job, no daemon loses a lease, and
# the data ends equal to the simulator's truth.
. tests/integration/lib.sh

LEASE=3
RESET=12
start_sim 29 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$TEST_DIR/base.conf" x
# debug: every fetch is logged with its account and stream; a long interval keeps a second run
# of any job out of the test
sed -i -e "s/^log_level = info\$/log_level = debug\\nlease = ${LEASE}s/" \
    -e 's/^platform = x$/platform = x\ninterval = 10m/' "$TEST_DIR/base.conf"

uid=$(jq -r '.x.accounts[0] | .id // .user_id' "$TEST_DIR/world.json")
ACC=x-0
JOB="SELECT job_id FROM socialroi.poll_job
      WHERE stream = 'x.tweets' AND account_id = socialroi.account_id('$ACC')"
TIMELINE="/users/$uid/tweets"
# the first page comes slowly (2 s): time to make the second one throttled
sim_fault "{\"platform\":\"x\",\"kind\":\"slow\",\"count\":1,\"seconds\":2,\"path\":\"$TIMELINE\"}"

# ---- three daemons, each with its own configuration file (so its own lease owner) -------------
host=$(hostname)
for i in 1 2 3; do
    conf="$TEST_DIR/d$i.conf"
    sed -e "s|^http_listen = .*|http_listen = 127.0.0.1:$(free_port)|" "$TEST_DIR/base.conf" >"$conf"
    path=$(realpath "$conf")
    eval "OWNER$i=\"$host:$(printf '%s' "$path" | sha256sum | cut -c1-12)\""
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroid" -f -c "$conf" >"$TEST_DIR/d$i.log" 2>&1 &
    eval "PID$i=$!"
    register_pid $!
done

fired() {
    sim_get /_faults | jq '[.faults[].fired] | add'
}
fired_is() {
    [ "$(fired)" = "$1" ]
}
wait_for 30 fired_is 1 || not_ok "a daemon asks for the timeline's first page" "fired: $(fired)"
sim_fault "{\"platform\":\"x\",\"kind\":\"throttle\",\"count\":1,\"seconds\":$RESET,
            \"path\":\"$TIMELINE\"}"
if wait_for 30 fired_is 2; then
    ok "the timeline's second page is throttled for ${RESET}s"
else
    not_ok "the timeline's second page is throttled for ${RESET}s" "fired: $(fired)"
fi
throttled_ms=$(date +%s%3N)

# ---- during the wait: the lease is held by one owner and renewed -------------------------------
# two samples a second from a second after the 429 to two seconds before the reset
sleep 1
: >"$TEST_DIR/samples"
while [ "$(date +%s%3N)" -lt $((throttled_ms + (RESET - 2) * 1000)) ]; do
    sql "SELECT COALESCE(lease_owner, '-'), COALESCE(date_part('epoch', lease_expires)::text, '-'),
                COALESCE(cursor::jsonb ? 'page', false), COALESCE(lease_expires > now(), false)
           FROM socialroi.poll_job WHERE job_id = ($JOB)" >>"$TEST_DIR/samples"
    sleep 0.5
done
holders=$(cut -d'|' -f1 "$TEST_DIR/samples" | sort -u)
HOLDER=$(echo "$holders" | head -n 1)
if [ "$(echo "$holders" | wc -l)" -eq 1 ] && [ "$HOLDER" != - ]; then
    ok "one daemon holds the lease through the wait ($(wc -l <"$TEST_DIR/samples") samples)"
else
    not_ok "one daemon holds the lease through the wait" "owners seen: $(echo "$holders" | tr '\n' ' ')"
    sed -e 's/^/# /' "$TEST_DIR/samples"
fi
if ! grep -q '|f$' "$TEST_DIR/samples"; then
    ok "the lease never runs out during the wait"
else
    not_ok "the lease never runs out during the wait" "$(grep -c '|f$' "$TEST_DIR/samples") samples without a live lease"
fi
if ! grep -q '|f|' "$TEST_DIR/samples"; then
    ok "the cursor keeps the next page through the wait"
else
    not_ok "the cursor keeps the next page through the wait" "$(grep -c '|f|' "$TEST_DIR/samples") samples without it"
fi
moves=$(cut -d'|' -f2 "$TEST_DIR/samples" | grep -v '^-$' | uniq | wc -l)
sorted=$(cut -d'|' -f2 "$TEST_DIR/samples" | grep -v '^-$' | sort -n -c 2>&1 && echo yes)
if [ "$moves" -ge 3 ] && [ "$sorted" = yes ]; then
    ok "lease_expires keeps moving forward ($moves values)"
else
    not_ok "lease_expires keeps moving forward" "$moves distinct values, sorted: $sorted"
fi

# ---- after the wait: the same daemon finishes the run ------------------------------------------
done_q="SELECT count(*) FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id)
         WHERE a.name LIKE 'x-%' AND j.enabled AND (j.last_success IS NULL OR j.lease_owner IS NOT NULL)"
if wait_for 40 sh -c "[ \$(psql -XqAt -d $TEST_DB -c \"$done_q\") -eq 0 ]"; then
    ok "every X job completes its run"
else
    not_ok "every X job completes its run" "$(sql "$done_q") left"
fi
sleep 1
fetchers=""
for i in 1 2 3; do
    grep -q "engine: fetch account=$ACC stream=x.tweets " "$TEST_DIR/d$i.log" && fetchers="$fetchers $i"
done
if [ "$(echo "$fetchers" | wc -w)" -eq 1 ]; then
    ok "exactly one daemon fetched the throttled job's pages (daemon$fetchers)"
else
    not_ok "exactly one daemon fetched the throttled job's pages" "daemons:$fetchers"
fi
f=$(echo "$fetchers" | awk '{ print $1 }')
eval "want=\${OWNER${f:-0}:-none}"
check_eq "it is the daemon that held the lease" "$want" "$HOLDER"
check_grep "that daemon logged the throttling" "account=$ACC stream=x.tweets class=throttled" \
    "$TEST_DIR/d${f:-0}.log"
lost=$(cat "$TEST_DIR"/d[123].log | grep -c 'lease lost')
check_eq "no daemon lost a lease" 0 "$lost"
check_eq "the faults fired once each" 2 "$(fired)"
fetches=$(cat "$TEST_DIR"/d[123].log | grep -c "engine: fetch account=$ACC stream=x.tweets ")
runs=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE job_id = ($JOB)")
okruns=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE job_id = ($JOB) AND outcome = 'ok'")
check_eq "each fetch of the job left one fetch record" "$fetches" "$runs"
check_eq "one throttled attempt, then every page once" "$((fetches - 1))" "$okruns"
pages=$(sql "SELECT count(*) FROM socialroi.fetch_run WHERE job_id = ($JOB) AND outcome = 'ok'
               AND run_id < (SELECT run_id FROM socialroi.fetch_run
                              WHERE job_id = ($JOB) AND error_class = 'throttled')")
check_eq "the first page was written before the wait" 1 "$pages"
truth_check "X equals the truth" x

for i in 1 2 3; do
    eval "DAEMON_PID=\$PID$i"
    stop_daemon TERM
    check_eq "daemon $i stops with status 0" 0 "$DAEMON_RC"
done
stop_sim
done_testing
