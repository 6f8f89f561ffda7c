#!/bin/sh
# rollup_scale.sh [PEOPLE...] - time the attribution rollup at several sizes.
#
# Starts a private PostgreSQL 15 (tests/pg.sh), migrates a database per size with the built
# socialroi, fills the real tables with a synthetic customer (PEOPLE leads over 400 days, 1-5
# touches each, one in ten sharing an e-mail hash with another lead, a deal per five people,
# half of them won, in USD and EUR) and times socialroi.rollup_rebuild() and then the
# incremental rollup (socialroi.rollup_dirty until nothing is left) after one more day of data.
# Prints one row per size. Not part of make check. Default sizes: 2000 20000.
# B=build directory (default build), KEEP=1 keeps the server's directory.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$ROOT/build}
[ -x "$B/socialroi" ] || { echo "rollup_scale: build first (make)" >&2; exit 1; }
. "$ROOT/tests/pg.sh"
DIR=$(mktemp -d /tmp/socialroi-bench.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$DIR"
cleanup() {
    pg_stop
    [ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
pg_start "$DIR" >/dev/null
[ $# -gt 0 ] || set -- 2000 20000

now() { date +%s.%N; }
q() { psql -XqAt -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

fill() { # $1 people, $2 first day offset (0 = the 400 days), $3 days
    q -v n="$1" -v off="$2" -v days="$3" -f "$ROOT/tests/bench/fill_people.sql"
}

printf '%8s %10s %14s %10s %12s\n' people rebuild_s s_per_1k incr_s incr/rebuild
for n in "$@"; do
    DB=bench_$n
    psql -XqAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB" >/dev/null
    "$B/socialroi" migrate --dsn "dbname=$DB" >/dev/null
    q -f "$ROOT/tests/bench/customer.sql" >/dev/null
    fill "$n" 0 400
    q -c 'VACUUM ANALYZE'
    t0=$(now)
    q -c 'SELECT socialroi.rollup_rebuild()' >/dev/null
    t1=$(now)
    fill $((n / 400 > 0 ? n / 400 : 1)) 400 1
    q -c 'ANALYZE'
    t2=$(now)
    q <<'SQL' >/dev/null
DO $$ BEGIN WHILE socialroi.rollup_dirty(100000) > 0 LOOP END LOOP; END $$;
SQL
    t3=$(now)
    echo "$n $t0 $t1 $t2 $t3" | awk '{ r = $3 - $2; i = $5 - $4;
        printf "%8d %10.2f %14.3f %10.2f %12.4f\n", $1, r, r * 1000 / $1, i, i / r }'
    if [ -n "${EXPLAIN:-}" ]; then
        q -c "$EXPLAIN"
    fi
done
