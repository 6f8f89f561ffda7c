#!/bin/sh
# mem_accounts.sh [N...] - socialroid's memory per configured account.
#
# For each N (default 1000 5000 10000) starts a private PostgreSQL 15 (tests/pg.sh) with a
# freshly migrated database and the platform simulator, writes a config with N Facebook
# accounts (each with its own credential section and three streams, facebook.page_insights,
# facebook.posts and facebook.ads_insights: 3N jobs, a two-day backfill) all pointing at the
# simulated page and ad account, runs socialroid in the foreground
# and reads its VmHWM (peak RSS) and VmRSS from /proc:
#   - after startup: once the jobs are synced with the database;
#   - after every job has run once: once every poll_job row has a last_attempt (a page
#     written, or a failure recorded). Facebook is used because its simulator reports usage
#     headers instead of refusing (the X simulator's one shared window would close a
#     credential's gate for 15 minutes after its first 429).
# Prints one row per N: accounts, jobs, seconds to sync, seconds until every job ran, VmHWM
# after startup, VmHWM after the runs, VmRSS then, and the peak per account (KB).
# Not part of make check. B=build directory (default build), KEEP=1 keeps the directory,
# WAIT=seconds to wait for every job to run (default 600), MAX_INFLIGHT (default 16),
# HTTP_LISTEN (default off; with 127.0.0.1:PORT one /metrics is fetched after the runs and
# the VmHWM after it is the last column), WRAP (a profiler
# command put before socialroid, e.g. "heaptrack -o FILE"; the RSS columns are then the
# wrapper's, not socialroid's).
#
# Results (two shared cores, max_inflight 16; kB of VmHWM after every job ran once):
#
#   accounts  before   after   after, one /metrics scrape
#      1,000  17,464  15,960
#      5,000  48,916  26,968
#     10,000 269,152  40,524   54,412 (64,704 while the body was copied)
#
# One account alone peaks at 12.6 MB (the libraries). Before, every due job could ask for its
# lease while fewer than max_inflight requests were in flight, so all of them then fetched at
# once (10,000 accounts: 29,000 concurrent transfers, 205 MB of libcurl buffers and 67 MB of
# easy handles), and the jobs' sync queued every account's statements in libpq at once (17 MB
# of output buffer). Now about 3 KB per account: three jobs (344 bytes each) with their
# scheduler entries, the config's section, credential and stream list, and the live token.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$ROOT/build}
[ -x "$B/socialroid" ] || { echo "mem_accounts: build first (make)" >&2; exit 1; }
. "$ROOT/tests/pg.sh"
DIR=$(mktemp -d /tmp/socialroi-mem.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$DIR"
SIM_PID="" DPID=""
cleanup() {
    if [ -n "$DPID" ]; then kill -KILL "$DPID" 2>/dev/null || :; fi
    if [ -n "$SIM_PID" ]; then kill -TERM "$SIM_PID" 2>/dev/null || :; fi
    pg_stop
    [ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
pg_start "$DIR" >/dev/null
[ $# -gt 0 ] || set -- 1000 5000 10000

q() { psql -XqAt -v ON_ERROR_STOP=1 -d "$DB" "$@"; }
kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$DPID/status"; }

: >"$DIR/sim.out"
"$B/socialroi-sim" --port 0 --seed 7 >"$DIR/sim.out" 2>"$DIR/sim.log" &
SIM_PID=$!
i=0
until grep -q 'listening port=' "$DIR/sim.out"; do
    i=$((i + 1))
    [ $i -gt 100 ] && { echo "mem_accounts: the simulator did not start" >&2; exit 1; }
    sleep 0.1
done
SIM_PORT=$(sed -n 's/.*listening port=\([0-9]*\).*/\1/p' "$DIR/sim.out" | head -n 1)
curl -sf "http://127.0.0.1:$SIM_PORT/_world" >"$DIR/world.json"
FB=$(jq -c '.facebook.accounts[0]' "$DIR/world.json")
FB_PAGE=$(echo "$FB" | jq -r .page_id)
FB_ADS=$(echo "$FB" | jq -r .ad_account)
FB_TOKEN=$(echo "$FB" | jq -r .access_token)

# write_config N: $DIR/N.conf and its credentials, N accounts and N credential sections.
write_config() {
    conf=$DIR/$1.conf
    cred=$DIR/$1.cred
    cat >"$conf" <<CONF
[daemon]
database = "host=$PGHOST port=$PGPORT user=postgres dbname=$DB"
http_listen = ${HTTP_LISTEN:-off}
log_level = info
credentials = $cred
state_dir = $DIR/state
shutdown_timeout = 10s
max_inflight = ${MAX_INFLIGHT:-16}

[platform facebook]
api_base = http://127.0.0.1:$SIM_PORT/facebook
token_url = http://127.0.0.1:$SIM_PORT/facebook/v24.0/oauth/access_token
timeout = 5s
connect_timeout = 2s
usage_pause = 2s
CONF
    printf '[hashing]\nemail_salt = bench-salt\n' >"$cred"
    N=$1 PAGE=$FB_PAGE ADS=$FB_ADS TOK=$FB_TOKEN CONF=$conf CRED=$cred awk 'BEGIN {
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
    chmod 600 "$cred"
}

printf '%8s %6s %7s %7s %12s %12s %12s %10s %13s\n' accounts jobs sync_s run_s hwm_start_kb \
    hwm_run_kb rss_run_kb kb_per_acct hwm_scrape_kb
for n in "$@"; do
    DB=mem_$n
    psql -XqAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" >/dev/null
    "$B/socialroi" migrate --dsn "dbname=$DB" >/dev/null
    mkdir -p "$DIR/state"
    write_config "$n"
    : >"$DIR/daemon_$n.log"
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086
    ${WRAP:-} "$B/socialroid" -f -c "$DIR/$n.conf" >"$DIR/daemon_$n.log" 2>&1 &
    DPID=$!
    jobs=$((n * 3))
    until grep -q 'jobs synced' "$DIR/daemon_$n.log"; do
        kill -0 "$DPID" 2>/dev/null || { echo "mem_accounts: socialroid died" >&2; tail "$DIR/daemon_$n.log" >&2; exit 1; }
        sleep 0.2
    done
    t1=$(date +%s.%N)
    hwm0=$(kb VmHWM)
    limit=$(($(date +%s) + ${WAIT:-600}))
    while :; do
        ran=$(q -c "SELECT count(*) FROM socialroi.poll_job WHERE last_attempt IS NOT NULL")
        [ "$ran" -ge "$jobs" ] && break
        [ "$(date +%s)" -ge "$limit" ] && { echo "mem_accounts: only $ran of $jobs jobs ran" >&2; break; }
        sleep 1
    done
    t2=$(date +%s.%N)
    hwm1=$(kb VmHWM)
    rss1=$(kb VmRSS)
    hwm2=-
    if [ -n "${HTTP_LISTEN:-}" ]; then
        curl -sf -m 60 -o "$DIR/metrics" "http://$HTTP_LISTEN/metrics" ||
            echo "mem_accounts: /metrics failed" >&2
        sleep 1
        hwm2=$(kb VmHWM)
    fi
    kill -TERM "$DPID"
    wait "$DPID" || echo "mem_accounts: socialroid exited with $?" >&2
    DPID=""
    printf '%8d %6d %7.1f %7.1f %12d %12d %12d %10.2f %13s\n' "$n" "$jobs" \
        "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" "$hwm0" "$hwm1" "$rss1" \
        "$(echo "scale=2; $hwm1 / $n" | bc)" "$hwm2"
    psql -XqAt -c "DROP DATABASE $DB" >/dev/null
done
