# common.sh - shared pieces of the benchmark scripts (sourced by tests/bench/bench.sh).
#
# The benchmark runs what a deployment runs: a stock PostgreSQL 15 (fsync on), the database
# migrated by a non-superuser owner, socialroid connected as a role holding only
# socialroi_daemon, against the simulator. It reuses the integration tests' helpers
# (tests/integration/lib.sh) for the simulator and the daemon's configuration, so a figure here
# is measured on the path the tests prove correct.

# The tables the daemon fills from the platforms, in an order COPY can load them (each one's
# references first). socialroi.account is the accounts' rows, loaded before them untimed.
FACT_TABLES="content metric_daily metric_snapshot ad_campaign ad_daily lead touchpoint deal
deal_stage deal_contact mention"

now() { date +%s.%N; }

# q [PSQL ARGS...]: the superuser on the current benchmark database (the oracle, never the path
# being measured).
q() { psql -XqAt -v ON_ERROR_STOP=1 -d "$TEST_DB" "$@"; }

# json_add KEY JSON: one figure (a JSON value) under KEY in the run's results.
json_add() {
    printf '{"%s":%s}\n' "$1" "$2" >>"$RESULTS"
}

# pg_cpu: CPU seconds the PostgreSQL cluster has used so far: every live server process plus
# the postmaster's reaped children (backends that ended).
pg_cpu() {
    pm=$(head -n 1 "$PG_DIR/data/postmaster.pid")
    {
        cat "/proc/$pm/stat"
        for c in $(pgrep -P "$pm"); do cat "/proc/$c/stat" 2>/dev/null; done
    } | awk -v pm="$pm" -v tck="$(getconf CLK_TCK)" '
        { sub(/^.*\) /, ""); s += $12 + $13; if (NR == 1) s += $14 + $15 }
        END { printf "%.2f\n", s / tck }'
}

# fact_rows: rows in the fact tables of the current database.
fact_rows() {
    sel=""
    for t in $FACT_TABLES; do
        sel="$sel${sel:+ + }(SELECT count(*) FROM socialroi.$t)"
    done
    q -c "SELECT $sel"
}

# fresh_db NAME: a new database from the migrated template; sets TEST_DB.
fresh_db() {
    TEST_DB=$1
    pg_clone "$TEST_DB"
}

# copy_reference SRC_DB: what a plain COPY of exactly SRC_DB's fact rows into a fresh database of
# the same schema costs (one transaction, server-side files, as the superuser), as JSON: copy_s,
# copy_pg_cpu_s.
copy_reference() {
    src=$1
    dir=$DIR/copy
    rm -rf "$dir"
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    for t in account $FACT_TABLES; do
        psql -XqAt -v ON_ERROR_STOP=1 -d "$src" \
            -c "COPY socialroi.$t TO '$dir/$t.copy'" || return 1
    done
    fresh_db "${src}_copy"
    q -c "COPY socialroi.account FROM '$dir/account.copy'" || return 1
    load="BEGIN;"
    for t in $FACT_TABLES; do load="$load COPY socialroi.$t FROM '$dir/$t.copy';"; done
    c0=$(pg_cpu)
    t0=$(now)
    q -c "$load COMMIT;" || return 1
    t1=$(now)
    sleep 0.3 # the backend that served it exits: its CPU moves to the postmaster's children
    c1=$(pg_cpu)
    echo "$t0 $t1 $c0 $c1" | awk '{ printf "{\"copy_s\":%.3f,\"copy_pg_cpu_s\":%.2f}\n", $2 - $1, $4 - $3 }'
}

# run_daemon_once OUT CONFIG: socialroid --once under runstat (OUT gets wall, CPU, peak RSS)
# with PostgreSQL's CPU over the same time added as "pg_cpu_s".
run_daemon_once() {
    out=$1
    c0=$(pg_cpu)
    "$B/tests/tools/runstat" "$out.raw" -- "$B/socialroid" --once -c "$2" \
        >>"$TEST_DIR/daemon.log" 2>&1
    rc=$?
    sleep 0.3 # the backend that served it exits: its CPU moves to the postmaster's children
    c1=$(pg_cpu)
    jq -c --argjson pg "$(echo "$c0 $c1" | awk '{ printf "%.2f", $2 - $1 }')" \
        '. + {pg_cpu_s: $pg}' "$out.raw" >"$out"
    return $rc
}

# fetch_window_s: seconds from the first fetch run's start to the last one's end (the fetch and
# write phase of a --once run; the rest of the run is start-up and the rollup).
fetch_window_s() {
    q -c "SELECT COALESCE(round(extract(epoch FROM max(finished_at) - min(started_at))::numeric, 3), 0)
            FROM socialroi.fetch_run WHERE finished_at >= '$1'"
}
