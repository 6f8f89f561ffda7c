#!/bin/sh
# run.sh [all|unit|sql|integration]... - run the test suites and print one summary line.
#
# Every suite speaks TAP; this script counts "ok" and "not ok" lines across all of them and
# ends with "N passed, N failed". One private PostgreSQL serves the whole run (initdb once);
# each SQL file and each integration test gets its own database cloned from a migrated
# template. Everything started here is stopped on exit, whatever happens.
#
# Environment: B (build dir, default build), VALGRIND=1 (run our binaries under memcheck),
# TESTS="pattern" (only integration/sql tests whose file name matches), KEEP=1 (keep the
# work directory for inspection).
set -u

B=${B:-build}
export B
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP" || exit 1
. tests/pg.sh

suites="$*"
[ -z "$suites" ] || [ "$suites" = all ] && suites="unit sql integration"

WORK=$(mktemp -d /tmp/srtest.XXXXXX)
chmod 755 "$WORK"
export WORK
RESULTS="$WORK/results.tap"
: >"$RESULTS"

cleanup() {
    # integration tests register the pids they start here; stop leftovers first
    if [ -f "$WORK/pids" ]; then
        while read -r pid; do kill -KILL "$pid" 2>/dev/null; done <"$WORK/pids"
    fi
    pg_stop
    if [ "${KEEP:-0}" = 1 ]; then
        echo "work directory kept: $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${VALGRIND:-0}" = 1 ]; then
    # memcheck for our own binaries; errors (leaks included) fail the test
    SR_WRAP="valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --track-origins=yes --suppressions=$TOP/tests/valgrind.supp"
else
    SR_WRAP=""
fi
export SR_WRAP

# Appends one test result; $1 = 0 for ok, $2 = name, $3 = optional diagnostic file.
record() {
    if [ "$1" -eq 0 ]; then
        echo "ok - $2" >>"$RESULTS"
        echo "ok - $2"
    else
        echo "not ok - $2" >>"$RESULTS"
        echo "not ok - $2"
        [ -n "${3:-}" ] && [ -s "$3" ] && sed -e 's/^/    # /' "$3" | tail -n 40
    fi
}

# Counts TAP lines of one suite output into the results; prints failures in full.
absorb() {
    name=$1
    file=$2
    rc=$3
    sed -n -e "s#^\(not ok\|ok\) [0-9]* *-* *#\1 - $name: #p" "$file" >>"$RESULTS"
    if grep -q '^not ok' "$file"; then
        echo "$name: FAILED"
        sed -e 's/^/    /' "$file" | grep -v '^    ok ' | tail -n 60
    elif [ "$rc" -ne 0 ]; then
        echo "not ok - $name: exited with status $rc" >>"$RESULTS"
        echo "$name: exited with status $rc"
        tail -n 40 "$file" | sed -e 's/^/    /'
    else
        echo "$name: $(grep -c '^ok' "$file") ok"
        # a figure a test measured and wants seen: "# measured: ..." lines
        sed -n -e 's/^# measured: /    measured: /p' "$file"
    fi
}

run_unit() {
    echo "== unit"
    for t in "$B"/tests/unit/test_*; do
        [ -x "$t" ] || continue
        name=$(basename "$t")
        out="$WORK/$name.out"
        # shellcheck disable=SC2086
        CMOCKA_MESSAGE_OUTPUT=TAP timeout 600 $SR_WRAP "$t" >"$out" 2>&1
        absorb "unit/$name" "$out" $?
    done
}

need_pg() {
    [ -n "$PG_PID" ] && return 0
    pg_start "$WORK/pg" || { record 1 "postgresql: start"; return 1; }
    pg_make_template || { record 1 "postgresql: migrated template"; return 1; }
}

run_sql() {
    echo "== sql"
    need_pg || return
    for f in tests/sql/*.sql; do
        [ -f "$f" ] || continue
        case "$f" in *${TESTS:-}*) ;; *) continue ;; esac
        name=$(basename "$f" .sql)
        db="sql_$(echo "$name" | tr -c 'a-z0-9_\n' '_')"
        pg_clone "$db" || { record 1 "sql/$name: createdb"; continue; }
        out="$WORK/sql_$name.out"
        timeout 300 pg_prove --verbose --dbname "$db" "$f" >"$out" 2>&1
        rc=$?
        grep -E '^(not )?ok [0-9]' "$out" >"$out.tap"
        grep -E '^(#|psql:)' "$out" | sed -e 's/^psql:/# psql:/' >>"$out.tap"
        absorb "sql/$name" "$out.tap" $rc
    done
}

run_integration() {
    echo "== integration"
    need_pg || return
    for f in tests/integration/t_*.sh; do
        [ -f "$f" ] || continue
        case "$f" in *${TESTS:-}*) ;; *) continue ;; esac
        name=$(basename "$f" .sh)
        db="it_$(echo "$name" | tr -c 'a-z0-9_\n' '_')"
        pg_clone "$db" || { record 1 "integration/$name: createdb"; continue; }
        dir="$WORK/$name"
        mkdir -p "$dir"
        chmod 755 "$dir"
        out="$dir/tap.out"
        TEST_DB=$db TEST_DIR=$dir timeout 900 sh "$f" >"$out" 2>"$dir/stderr.log"
        rc=$?
        [ -s "$dir/stderr.log" ] && [ $rc -ne 0 ] && sed -e 's/^/# /' "$dir/stderr.log" >>"$out"
        absorb "integration/$name" "$out" $rc
    done
}

for s in $suites; do
    case "$s" in
        unit) run_unit ;;
        sql) run_sql ;;
        integration) run_integration ;;
        *) echo "run.sh: unknown suite $s" >&2; exit 2 ;;
    esac
done

passed=$(grep -c '^ok' "$RESULTS")
failed=$(grep -c '^not ok' "$RESULTS")
if [ "$failed" -gt 0 ]; then
    echo
    echo "failures:"
    grep '^not ok' "$RESULTS" | sed -e 's/^/  /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
