#!/bin/bash
# bench.sh - make bench: throughput, latency and memory of socialroi as ratios to a reference
# measured in the same run. Never pass/fail on time: it prints a table (figure, reference,
# ratio, target, met) and writes bench/results.json. See bench/README.md.
#
# Environment: B (build directory, default build), BENCH_ACCOUNTS (accounts per platform of the
# large world, default 40), BENCH_DAYS (its days of history, default 730), BENCH_PEOPLE (CRM
# people of the rollup section, default 100000), BENCH_FACTS (fact rows there, default
# 10000000), BENCH_SCALE_ACCOUNTS (the many-accounts run, default 10000), BENCH_ONLY (a
# space-separated list of sections to run: ingest ratelimited scale rollup collectd), KEEP=1.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
B=${B:-$ROOT/build}
export B
[ -x "$B/socialroid" ] && [ -x "$B/tests/tools/runstat" ] || {
    echo "bench: build first (make)" >&2
    exit 1
}
BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-40}
BENCH_DAYS=${BENCH_DAYS:-730}
BENCH_ONLY=${BENCH_ONLY:-ingest ratelimited scale rollup collectd}

# shellcheck source=tests/pg.sh
. "$ROOT/tests/pg.sh"
# shellcheck source=tests/integration/lib.sh
. "$ROOT/tests/integration/lib.sh"
# shellcheck source=tests/bench/common.sh
. "$ROOT/tests/bench/common.sh"

DIR=$(mktemp -d /tmp/socialroi-bench.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$DIR"
WORK=$DIR
TEST_DIR=$DIR/run
mkdir -p "$TEST_DIR" "$ROOT/bench"
RESULTS=$DIR/results.jsonl
: >"$RESULTS"
: >"$WORK/pids"
cleanup() {
    while read -r p; do kill -TERM "$p" 2>/dev/null; done <"$WORK/pids"
    pg_stop
    [ "${KEEP:-0}" = 1 ] && echo "bench: kept $DIR" >&2 || rm -rf "$DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() { printf 'bench: %s\n' "$*" >&2; }
wants() { case " $BENCH_ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

# A stock server: fsync and synchronous commit on, as a deployment runs it.
PG_SETTINGS=${BENCH_PG_SETTINGS-} pg_start "$DIR/pg" >/dev/null || exit 1
pg_make_template || exit 1

# ---- 1, 2, 3, 4: the large world without rate limits -----------------------------------------

# A config for every platform of the running simulator, its campaigns, every account reaching
# back over the whole world.
world_config() {
    sim_config "$1" x facebook instagram linkedin youtube pinterest hubspot || return 1
    sim_campaigns "$1"
    sed -i -e "/^\[account /a backfill = ${BENCH_DAYS}d" "$1"
    sed -i -e "s/^log_level = info/log_level = notice/" "$1"
}

# unpaced CONFIG: the daemon's own pacing off too (requests_per_second), for the runs where the
# simulator enforces no limits: what is measured is then the fetch and write path alone.
unpaced() {
    sed -i -e "/^\[platform /a requests_per_second = 0" "$1"
}

section_ingest() {
    say "ingest: simulator with $BENCH_ACCOUNTS accounts per platform, $BENCH_DAYS days, no rate limits"
    SIM_ARGS=${BENCH_SIM_ARGS-"--days $BENCH_DAYS --crm-contacts 10500 --accounts $BENCH_ACCOUNTS --no-rate-limits"}
    start_sim 11 || { say "simulator did not start"; return 1; }
    fresh_db bench_ingest
    world_config "$TEST_DIR/ingest.conf" || return 1
    unpaced "$TEST_DIR/ingest.conf"
    t=$(q -c "SELECT now()")
    run_daemon_once "$TEST_DIR/first.json" "$TEST_DIR/ingest.conf" ||
        say "first run exited $? (see $TEST_DIR/daemon.log)"
    rows=$(fact_rows)
    fetch=$(fetch_window_s "$t")
    say "ingest: $rows fact rows; copying the same rows"
    copy=$(copy_reference bench_ingest)
    TEST_DB=bench_ingest
    json_add ingest "$(jq -c --argjson rows "$rows" --argjson copy "$copy" \
        --argjson fetch "$fetch" '. + {rows: $rows, copy_s: $copy, fetch_write_s: $fetch}' \
        "$TEST_DIR/first.json")"

    say "refetch: the same window again"
    q -c "UPDATE socialroi.poll_job SET next_due = now(), cursor = NULL"
    t=$(q -c "SELECT now()")
    run_daemon_once "$TEST_DIR/refetch.json" "$TEST_DIR/ingest.conf"
    json_add refetch "$(jq -c --argjson rows "$rows" --argjson copy "$copy" \
        --argjson fetch "$(fetch_window_s "$t")" \
        --argjson after "$(fact_rows)" \
        '. + {rows: $rows, rows_after: $after, copy_s: $copy, fetch_write_s: $fetch}' \
        "$TEST_DIR/refetch.json")"

    say "idle: a normal poll with nothing new"
    q -c "UPDATE socialroi.poll_job SET next_due = now()"
    run_daemon_once "$TEST_DIR/idle.json" "$TEST_DIR/ingest.conf"
    json_add idle "$(cat "$TEST_DIR/idle.json")"
    stop_sim
}

wants ingest && section_ingest

# ---- report -----------------------------------------------------------------------------------
jq -s 'add' "$RESULTS" >"$ROOT/bench/results.json"
"$ROOT/tests/bench/table.sh" "$ROOT/bench/results.json"
