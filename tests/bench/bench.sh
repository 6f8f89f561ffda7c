#!/bin/bash
# bench.sh - make bench: throughput, latency and memory of socialroi as ratios to a reference
# measured in the same run. Never pass/fail on time: it prints a table (figure, reference,
# ratio, target, met) and writes bench/results.json. See bench/README.md.
#
# Environment: B (build directory, default build), BENCH_ACCOUNTS (accounts per platform of the
# large world, default 48), BENCH_DAYS (its days of history, default 730), BENCH_RL_ACCOUNTS and
# BENCH_RL_DAYS (the world of the rate-limited run, default 1 and 400), BENCH_PEOPLE (CRM
# people of the rollup section, default 100000), BENCH_FACTS (fact rows there, default
# 10000000), BENCH_SCALE_ACCOUNTS (the many-accounts run, default 10000), BENCH_ONLY (a
# space-separated list of sections to run: ingest staging ratelimited scale rollup collectd),
# BENCH_STAGE_ACCOUNTS and BENCH_STAGE_BATCHES (the staging section, tests/bench/staging.sh), KEEP=1.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT" || exit 1
B=${B:-$ROOT/build}
export B
[ -x "$B/socialroid" ] && [ -x "$B/tests/tools/runstat" ] || {
    echo "bench: build first (make)" >&2
    exit 1
}
BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-48}
BENCH_DAYS=${BENCH_DAYS:-730}
BENCH_RL_ACCOUNTS=${BENCH_RL_ACCOUNTS:-1}
BENCH_RL_DAYS=${BENCH_RL_DAYS:-400}
BENCH_ONLY=${BENCH_ONLY:-ingest staging ratelimited scale rollup collectd}

# shellcheck source=tests/pg.sh
. "$ROOT/tests/pg.sh"
# shellcheck source=tests/integration/lib.sh
. "$ROOT/tests/integration/lib.sh"
# shellcheck source=tests/bench/common.sh
. "$ROOT/tests/bench/common.sh"
# shellcheck source=tests/bench/staging.sh
. "$ROOT/tests/bench/staging.sh"

DIR=$(mktemp -d /tmp/socialroi-bench.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$DIR"
WORK=$DIR
TEST_DIR=$DIR/run
mkdir -p "$TEST_DIR" "$ROOT/bench"
RESULTS=$DIR/results.jsonl
SR_WRAP=""
MAIN_PID=$BASHPID
: >"$RESULTS"
: >"$WORK/pids"
cleanup() {
    [ "$BASHPID" = "$MAIN_PID" ] || return 0 # a background job's shell leaves things alone
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
    say "ingest: $BENCH_ACCOUNTS accounts of each ad and social platform, one CRM portal, $BENCH_DAYS days, no rate limits"
    SIM_ARGS=${BENCH_SIM_ARGS-"--days $BENCH_DAYS --crm-contacts 10500 --accounts $BENCH_ACCOUNTS,hubspot=1 --no-rate-limits"}
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
        --argjson fetch "$fetch" '. + $copy + {rows: $rows, fetch_write_s: $fetch}' \
        "$TEST_DIR/first.json")"

    say "refetch: the same window again"
    q -c "UPDATE socialroi.poll_job SET next_due = now(), cursor = NULL"
    t=$(q -c "SELECT now()")
    run_daemon_once "$TEST_DIR/refetch.json" "$TEST_DIR/ingest.conf"
    json_add refetch "$(jq -c --argjson rows "$rows" --argjson copy "$copy" \
        --argjson fetch "$(fetch_window_s "$t")" \
        --argjson after "$(fact_rows)" \
        '. + $copy + {rows: $rows, rows_after: $after, fetch_write_s: $fetch}' \
        "$TEST_DIR/refetch.json")"

    say "idle: a normal poll with nothing new"
    q -c "UPDATE socialroi.poll_job SET next_due = now()"
    run_daemon_once "$TEST_DIR/idle.json" "$TEST_DIR/ingest.conf"
    json_add idle "$(cat "$TEST_DIR/idle.json")"

    say "ingest again with two writer connections"
    fresh_db bench_ingest2
    sed -e "s/dbname=bench_ingest\"/dbname=bench_ingest2\"/" \
        -e "/^\[daemon\]/a writers = 2" "$TEST_DIR/ingest.conf" >"$TEST_DIR/ingest2.conf"
    t=$(q -c "SELECT now()")
    run_daemon_once "$TEST_DIR/two.json" "$TEST_DIR/ingest2.conf" ||
        say "two-writer run exited $? (see $TEST_DIR/daemon.log)"
    json_add ingest2 "$(jq -c --argjson rows "$(fact_rows)" --argjson copy "$copy" \
        --argjson fetch "$(fetch_window_s "$t")" '. + $copy + {rows: $rows, fetch_write_s: $fetch}' \
        "$TEST_DIR/two.json")"
    stop_sim
}

wants ingest && section_ingest

# ---- 1c: the same pages through staging tables and one merge per batch ------------------------

# the one section that checks what it measures: the two paths must write the same rows
STAGING_FAILED=0
if wants staging; then section_staging || STAGING_FAILED=1; fi

# ---- 1b: the same world with the platforms' rate limits --------------------------------------

# The floor the simulator's limits set: per account, its requests over the rate its platform
# allows, the largest of them. HubSpot allows 190 requests per 10 s outside the search (5 per
# second), and a first load lists; X's 15-minute windows, Meta's usage and the daily quotas of
# LinkedIn, Pinterest and YouTube are far from reached by one run, so they set no floor.
pacing_floor() {
    q -F ' ' -c "SELECT round(sum(f.pages) / 19.0, 3), a.name
                   FROM socialroi.fetch_run f
                   JOIN socialroi.poll_job j USING (job_id)
                   JOIN socialroi.account a USING (account_id)
                  WHERE a.platform = 'hubspot'
                  GROUP BY a.name ORDER BY sum(f.pages) DESC LIMIT 1"
}

section_ratelimited() {
    say "ratelimited: $BENCH_RL_ACCOUNTS accounts per platform, $BENCH_RL_DAYS days, the platforms' rate limits"
    SIM_ARGS="--days $BENCH_RL_DAYS --crm-contacts 10500 --accounts $BENCH_RL_ACCOUNTS"
    start_sim 11 || { say "simulator did not start"; return 1; }
    fresh_db bench_limited
    world_config "$TEST_DIR/limited.conf" || return 1
    run_daemon_once "$TEST_DIR/limited.json" "$TEST_DIR/limited.conf" ||
        say "rate-limited run exited $? (see $TEST_DIR/daemon.log)"
    read -r floor who <<EOF
$(pacing_floor)
EOF
    json_add ratelimited "$(jq -c --argjson floor "${floor:-null}" --arg who "${who:-}" \
        --argjson rows "$(fact_rows)" '. + {rows: $rows, floor_s: $floor, floor_platform: $who}' \
        "$TEST_DIR/limited.json")"
    say "idle: a normal poll with nothing new in the same world"
    q -c "UPDATE socialroi.poll_job SET next_due = now()"
    run_daemon_once "$TEST_DIR/idle_small.json" "$TEST_DIR/limited.conf"
    json_add idle_small "$(cat "$TEST_DIR/idle_small.json")"
    stop_sim
}

wants ratelimited && section_ratelimited

# ---- 5: many accounts on one daemon -----------------------------------------------------------

BENCH_SCALE_ACCOUNTS=${BENCH_SCALE_ACCOUNTS:-10000}
BENCH_SCALE_INTERVAL=${BENCH_SCALE_INTERVAL:-180}
BENCH_SCALE_WINDOW=${BENCH_SCALE_WINDOW:-270}

# peak_connections PORT SECONDS: the most established TCP connections to PORT seen in samples
# every half second.
peak_connections() {
    end=$(($(date +%s) + $2))
    peak=0
    while [ "$(date +%s)" -lt "$end" ]; do
        n=$(ss -Htn state established "( dport = :$1 )" 2>/dev/null | wc -l)
        [ "$n" -gt "$peak" ] && peak=$n
        sleep 0.5
    done
    echo "$peak"
}

# Every X account polls x.user, x.tweets and x.mentions every BENCH_SCALE_INTERVAL seconds
# against a simulator answering each request after 200 ms. A job is on time when each of its
# runs in the window started within its interval (plus 10%) of the previous one, the first
# within one interval of the daemon's start.
section_scale() {
    say "scale: $BENCH_SCALE_ACCOUNTS X accounts x 3 streams, 200 ms per request"
    SIM_ARGS="--days 7 --accounts x=$BENCH_SCALE_ACCOUNTS --latency-ms 200"
    start_sim 13 || { say "simulator did not start"; return 1; }
    fresh_db bench_scale
    sim_config "$TEST_DIR/scale.conf" x || return 1
    sed -i -e "/^\[account /a interval = ${BENCH_SCALE_INTERVAL}s\nbackfill = 1d" \
        -e "s/^log_level = info/log_level = notice/" \
        -e "/^\[platform x\]/a max_inflight = 100" "$TEST_DIR/scale.conf"
    sed -i -e "/^\[daemon\]/a max_inflight = 100" "$TEST_DIR/scale.conf"
    t0=$(q -c "SELECT now()")
    start_daemon "$TEST_DIR/scale.conf"
    peak=$(peak_connections "$SIM_PORT" "$BENCH_SCALE_WINDOW")
    rss=$(awk '/^VmHWM/ { print $2 }' "/proc/$DAEMON_PID/status")
    stop_daemon
    stop_sim
    q -F ' ' -c "WITH runs AS (
                   SELECT j.job_id, f.started_at,
                          f.started_at - COALESCE(lag(f.started_at) OVER w, '$t0') AS gap
                     FROM socialroi.poll_job j
                     LEFT JOIN socialroi.fetch_run f
                       ON f.job_id = j.job_id AND f.started_at < '$t0'::timestamptz
                                                  + interval '$BENCH_SCALE_WINDOW seconds'
                    WINDOW w AS (PARTITION BY j.job_id ORDER BY f.started_at)),
                 jobs AS (
                   SELECT job_id, count(started_at) > 0
                              AND max(gap) <= interval '$BENCH_SCALE_INTERVAL seconds' * 1.1
                              AS on_time
                     FROM runs GROUP BY job_id)
                 SELECT count(*), count(*) FILTER (WHERE on_time) FROM jobs" >"$TEST_DIR/scale.out"
    read -r jobs on_time <"$TEST_DIR/scale.out"
    json_add scale "$(jq -n -c --argjson accounts "$BENCH_SCALE_ACCOUNTS" \
        --argjson jobs "${jobs:-0}" --argjson on_time "${on_time:-0}" \
        --argjson rss "${rss:-null}" --argjson peak "$peak" \
        --argjson interval "$BENCH_SCALE_INTERVAL" --argjson window "$BENCH_SCALE_WINDOW" \
        '{accounts: $accounts, jobs: $jobs, on_time: $on_time, maxrss_kb: $rss,
          peak_connections: $peak, interval_s: $interval, window_s: $window}')"
}

wants scale && section_scale

# ---- the peer: collectd against the same simulated world ---------------------------------------

section_collectd() {
    say "collectd: curl_json on the same world into PostgreSQL, ${BENCH_COLLECTD_SECONDS:-60} s"
    SIM_ARGS="--days $BENCH_DAYS --accounts $BENCH_ACCOUNTS --no-rate-limits"
    start_sim 11 || { say "simulator did not start"; return 1; }
    psql -XqAt -v ON_ERROR_STOP=1 -c 'CREATE DATABASE collectd_bench' >/dev/null
    tests/bench/collectd.sh "http://127.0.0.1:$SIM_PORT" \
        "host=$PGHOST port=$PGPORT user=postgres dbname=collectd_bench" \
        "${BENCH_COLLECTD_SECONDS:-60}" >"$TEST_DIR/collectd.json" ||
        say "collectd run failed"
    [ -s "$TEST_DIR/collectd.json" ] && json_add collectd "$(tail -n 1 "$TEST_DIR/collectd.json")"
    stop_sim
}

wants collectd && section_collectd

# ---- 6, 7: the rollup and the views at a large customer's size --------------------------------

BENCH_PEOPLE=${BENCH_PEOPLE:-100000}
BENCH_FACTS=${BENCH_FACTS:-10000000}
CUSTOMER_DAYS=730

# as ROLE SQL: psql as a deployment role on the current database.
as() {
    role=$1
    shift
    psql -XqAt -v ON_ERROR_STOP=1 -d "$(conninfo "$role")" "$@"
}

# customer DB PEOPLE OBJECTS: a database holding the synthetic customer.
customer() {
    fresh_db "$1"
    q -f tests/bench/customer.sql >/dev/null || return 1
    # the metrics' primary key is built once after the fill instead of row by row (a third
    # faster); the table ends up as the schema defines it
    q -c "ALTER TABLE socialroi.metric_daily DROP CONSTRAINT metric_daily_pkey" \
        -v off=0 -v days=$CUSTOMER_DAYS -v objects="$3" -f tests/bench/fill_facts.sql \
        -c "SET maintenance_work_mem = '256MB'" \
        -c "ALTER TABLE socialroi.metric_daily ADD CONSTRAINT metric_daily_pkey
                PRIMARY KEY (account_id, object_id, metric, day)" || return 1
    q -v n="$2" -v off=0 -v days=$CUSTOMER_DAYS -f tests/bench/fill_people.sql || return 1
    q -c 'VACUUM ANALYZE'
}

# timed ROLE SQL: seconds the statement takes as ROLE.
timed() {
    t0=$(now)
    as "$1" -c "$2" >/dev/null || return 1
    t1=$(now)
    echo "$t0 $t1" | awk '{ printf "%.3f\n", $2 - $1 }'
}

DRAIN='DO $$ BEGIN WHILE socialroi.rollup_dirty(100000) > 0 LOOP END LOOP; END $$'
# The conversion half of a rebuild alone (every person and deal credited again, no spend), so
# its cost per person can be compared at two sizes: linear when the cost per person holds.
PEOPLE_ONLY="BEGIN; DELETE FROM socialroi.attribution;
INSERT INTO socialroi.dirty_conversion (kind, key)
SELECT DISTINCT 'person', socialroi.person_key(account_id, lead_id, email_hash) FROM socialroi.lead
ON CONFLICT DO NOTHING;
INSERT INTO socialroi.dirty_conversion (kind, key)
SELECT 'deal', account_id || ':' || deal_id FROM socialroi.deal ON CONFLICT DO NOTHING;
$DRAIN; COMMIT"

section_rollup() {
    objects=$(( (BENCH_FACTS + 10 * CUSTOMER_DAYS - 1) / (10 * CUSTOMER_DAYS) ))
    small=$((BENCH_PEOPLE / 10))
    say "rollup: linearity reference, $small people"
    customer bench_rollup_small "$small" 1 || return 1
    rebuild_small=$(timed it_daemon 'SELECT socialroi.rollup_rebuild()')
    people_small=$(timed it_daemon "$PEOPLE_ONLY")
    say "rollup: $BENCH_PEOPLE people, about $BENCH_FACTS fact rows"
    customer bench_rollup "$BENCH_PEOPLE" "$objects" || return 1
    rows=$(fact_rows)
    rebuild=$(timed it_daemon 'SELECT socialroi.rollup_rebuild()')
    people=$(timed it_daemon "$PEOPLE_ONLY")
    say "rollup: one new day"
    q -v n=$((BENCH_PEOPLE / 400)) -v off=$CUSTOMER_DAYS -v days=1 -f tests/bench/fill_people.sql
    q -v off=$CUSTOMER_DAYS -v days=1 -v objects="$objects" -f tests/bench/fill_facts.sql
    q -c ANALYZE
    incremental=$(timed it_daemon "$DRAIN")
    json_add rollup "$(jq -n -c --argjson rows "$rows" --argjson people "$BENCH_PEOPLE" \
        --argjson rebuild "$rebuild" --argjson incremental "$incremental" \
        --argjson small "$small" --argjson rebuild_small "$rebuild_small" \
        --argjson people_s "$people" --argjson people_small "$people_small" \
        '{rows: $rows, people: $people, rebuild_s: $rebuild, incremental_s: $incremental,
          people_s: $people_s, small_people: $small, small_rebuild_s: $rebuild_small,
          small_people_s: $people_small}')"
    say "views: one month and one year, median of 3"
    view_times
}

# view_times: every dashboard and finance view, as its reader role, for a one-month and a
# one-year range of its first date column (the whole view when it has none), median of 3 runs;
# a query over BENCH_VIEW_TIMEOUT (default 30 s) is cancelled and shows as no figure.
view_times() {
    q -F ' ' -c "SELECT v.table_schema || '.' || v.table_name,
                        COALESCE((SELECT c.column_name FROM information_schema.columns c
                                   WHERE c.table_schema = v.table_schema
                                     AND c.table_name = v.table_name
                                     AND c.data_type IN ('date', 'timestamp with time zone')
                                   ORDER BY c.ordinal_position LIMIT 1), '-')
                   FROM information_schema.views v
                  WHERE v.table_schema IN ('dashboard', 'finance') ORDER BY 1" |
        while read -r view col; do
            case $view in finance.*) role=it_finance ;; *) role=it_dashboard ;; esac
            for range in month year; do
                case $range in
                    month) from=2026-06-01 to=2026-07-01 ;;
                    year) from=2025-07-01 to=2026-07-01 ;;
                esac
                where=""
                [ "$col" != - ] && where="WHERE $col >= '$from' AND $col < '$to'"
                # three runs in one session, timed by psql: no connection set-up counted
                med=$(as "$role" -c "SET statement_timeout = '${BENCH_VIEW_TIMEOUT:-30s}'" \
                    -c '\o /dev/null' -c '\timing on' \
                    -c "SELECT * FROM $view $where" -c "SELECT * FROM $view $where" \
                    -c "SELECT * FROM $view $where" 2>/dev/null |
                    awk '/^Time:/ { print $2 / 1000 }' | sort -g | sed -n 2p)
                printf '{"view":"%s","range":"%s","column":"%s","median_s":%s}\n' \
                    "$view" "$range" "$col" "${med:-null}"
            done
        done | jq -s -c . >"$TEST_DIR/views.json"
    json_add views "$(cat "$TEST_DIR/views.json")"
}

wants rollup && section_rollup

# ---- report -----------------------------------------------------------------------------------
jq -s 'add' "$RESULTS" >"$ROOT/bench/results.json"
"$ROOT/tests/bench/table.sh" "$ROOT/bench/results.json"
[ "$STAGING_FAILED" = 0 ] || { say "the staging section failed (see above)"; exit 1; }
