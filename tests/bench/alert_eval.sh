#!/bin/sh
# alert_eval.sh [ACCOUNTS...] - time one alert evaluation (socialroi.alert_evaluate, every
# detector of sql/032) at several sizes: a private PostgreSQL 15 (tests/pg.sh), a database
# migrated by the built socialroi, tests/bench/alert_eval.sql per size. Not part of make
# check or make bench: run it by hand after make. Default sizes: 334 10000 (1,000 and 30,000
# jobs). B=build directory (default build), KEEP=1 keeps the server's directory.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
B=${B:-$ROOT/build}
[ -x "$B/socialroi" ] || { echo "alert_eval: build first (make)" >&2; exit 1; }
. "$ROOT/tests/pg.sh"
DIR=$(mktemp -d /tmp/socialroi-bench.XXXXXX)
[ "$(id -u)" -eq 0 ] && chmod 755 "$DIR"
cleanup() {
    pg_stop
    [ "${KEEP:-0}" = 1 ] || rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
pg_start "$DIR" >/dev/null
[ $# -gt 0 ] || set -- 334 10000
psql -XqAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE bench_alerts" >/dev/null
"$B/socialroi" migrate --dsn "dbname=bench_alerts" >/dev/null
for n in "$@"; do
    echo "== $n accounts"
    psql -XqAt -v ON_ERROR_STOP=1 -v accounts="$n" -d bench_alerts \
        -f "$ROOT/tests/bench/alert_eval.sql"
done
