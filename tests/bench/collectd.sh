#!/bin/sh
# collectd.sh SIM_URL CONNINFO [SECONDS [ROWS]] - collectd ingesting socialroi-sim into PostgreSQL.
#
# The peer of socialroid in `make bench` (tests/bench/collectd.md). Arguments:
#   SIM_URL   a running socialroi-sim, e.g. http://127.0.0.1:PORT (GET /_world gives the ids
#             and tokens);
#   CONNINFO  libpq key=value words without spaces inside values, e.g.
#             "host=/tmp/pg port=5432 user=postgres dbname=collectd_bench"; what is left out
#             comes from the PG* environment. A database of its own: every run drops and
#             recreates collectd's stock tables and functions in its public schema, so the
#             role needs CREATE there;
#   SECONDS   how long collectd runs at most (default 60, at most 300);
#   ROWS      stop as soon as that many rows are committed (default 0: no row target).
#
# It (1) drops and recreates collectd's stock schema by running the shipped
# /usr/share/doc/collectd-core/examples/postgresql/collectd_insert.sql as it is (tables
# identifiers and "values" with its daily partitions, collectd_insert()); (2) writes a collectd
# config from tests/bench/collectd/collectd.conf.in: curl_json polling Meta ads insights,
# LinkedIn adAnalytics and the X timeline of the simulator, the postgresql plugin writing with
# collectd_insert; (3) runs `collectd -f -C` on it and stops it with SIGTERM (which commits the
# open transaction) after SECONDS, at ROWS, or, when each URL is fetched only once, as soon as
# its database backend has stopped working; (4) prints one JSON line on stdout:
#
#   {"rows":N,"seconds":S,"rows_per_s":R,"cpu_s":C,"cpu_s_per_million_rows":X,"requests":K,
#    "pg_cpu_s":P,"pg_cpu_s_per_million_rows":Y,"backlog":B,"interval_s":I}
#
#   rows      rows stored in "values" from the three URLs (one per value);
#   seconds   collectd's wall time, start to exit;
#   cpu_s     collectd's user+sys CPU, all threads (from its wait status);
#   requests  fetches whose timing value was stored (curl_json's per-request statistics,
#             refused ones included; not counted in rows);
#   pg_cpu_s  user+sys CPU of the PostgreSQL backend serving collectd's connection (null when
#             that server is not on this machine or its /proc entry is unreadable);
#   backlog   value lists fetched but still queued when collectd stopped (collectd discards
#             them; fetching them is part of cpu_s);
#   rows_per_s and the per-million figures are null when rows is 0.
#
# Environment: WINDOW (days of history each Meta and LinkedIn fetch covers, 1-90, default 7,
# or "all": the whole history, fetched once), INTERVAL (seconds between fetches of each URL,
# default 0.1, or longer than the run with WINDOW=all), KEEP=1 keeps the run directory
# (config, collectd.log) and names it on stderr. Needs curl, jq, psql and collectd-core with
# libyajl2 (curl_json's JSON parser): `make bench` installs them (the Makefile names them).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TEMPLATE=$ROOT/tests/bench/collectd/collectd.conf.in
SHIPPED_SQL=/usr/share/doc/collectd-core/examples/postgresql/collectd_insert.sql

die() {
    echo "collectd.sh: $*" >&2
    exit 1
}

[ $# -ge 2 ] && [ $# -le 4 ] || die "usage: collectd.sh SIM_URL CONNINFO [SECONDS [ROWS]]"
SIM=${1%/}
CONNINFO=$2
LIMIT=${3:-60}
TARGET=${4:-0}
case $LIMIT$TARGET in *[!0-9]*) die "SECONDS and ROWS are whole numbers" ;; esac
[ "$LIMIT" -ge 1 ] && [ "$LIMIT" -le 300 ] || die "SECONDS must be 1 to 300"
WINDOW=${WINDOW:-7}
case $WINDOW in
all) # one fetch of the whole history gives more values than the writer stores in a minute
    INTERVAL=${INTERVAL:-$((LIMIT + 1))} ;;
*[!0-9]* | '') die "WINDOW is a number of days (1 to 90) or all" ;;
*)
    [ "$WINDOW" -ge 1 ] && [ "$WINDOW" -le 90 ] || die "WINDOW is 1 to 90 days or all"
    INTERVAL=${INTERVAL:-0.1} ;;
esac
# fetching once, the run ends when the writer has stored everything
ONCE=$(awk -v i="$INTERVAL" -v l="$LIMIT" 'BEGIN { print (i > l) ? 1 : 0 }')

# ---- collectd itself ---------------------------------------------------------------------------

plugins_load() {
    ! ldd /usr/lib/collectd/curl_json.so /usr/lib/collectd/postgresql.so 2>&1 |
        grep -q 'not found'
}

command -v collectd >/dev/null 2>&1 && plugins_load ||
    die "collectd with its curl_json and postgresql plugins is needed (make bench installs it)"
[ -f "$SHIPPED_SQL" ] || die "$SHIPPED_SQL is missing (collectd-core's example)"
for c in curl jq psql; do command -v $c >/dev/null 2>&1 || die "$c is needed"; done

DIR=$(mktemp -d /tmp/socialroi-collectd.XXXXXX)
CPID=""
RUNNER=""
cleanup() {
    [ -n "$CPID" ] && kill -TERM "$CPID" 2>/dev/null
    [ -n "$RUNNER" ] && wait "$RUNNER" 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then echo "collectd.sh: kept $DIR" >&2; else rm -rf "$DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

q() { psql "$CONNINFO" -XqAt -v ON_ERROR_STOP=1 "$@"; }

WORLD=$(curl -sf -m 10 "$SIM/_world") || die "no answer from $SIM/_world"
# a /_world field, escaped for a sed replacement
w() { printf '%s' "$WORLD" | jq -er "$1" | sed -e 's/[&|\\]/\\&/g'; }

# ---- the database ------------------------------------------------------------------------------

# Every run starts from the schema as shipped, empty: the stock collectd_insert looks an
# identifier up by scanning "identifiers", so what an earlier run left there would slow it.
q -c 'SET client_min_messages = warning' -c 'SET search_path = public' \
    -c 'DROP VIEW IF EXISTS collectd' \
    -c 'DROP TABLE IF EXISTS "values", identifiers CASCADE' \
    -c 'DROP FUNCTION IF EXISTS values_update_childs(integer), values_insert_trigger(),
            collectd_insert(timestamptz, varchar, varchar, varchar, varchar, varchar,
                            varchar[], varchar[], double precision)' \
    -f "$SHIPPED_SQL" >/dev/null
PG_DB=$(q -c 'SELECT current_database()')

# The <Database> block takes the connection fields one by one; the rest come from PG*.
for word in $CONNINFO; do
    key=${word%%=*}
    val=${word#*=}
    case $key in
    host | hostaddr) echo "    Host \"$val\"" ;;
    port) echo "    Port \"$val\"" ;;
    user) echo "    User \"$val\"" ;;
    password) echo "    Password \"$val\"" ;;
    sslmode) echo "    SSLMode \"$val\"" ;;
    esac
done >"$DIR/pgconn"

# ---- the config --------------------------------------------------------------------------------

TODAY=$(w .today)
LI_VERSION=$(echo "$TODAY" | cut -c1-4,6-7)
if [ "$WINDOW" = all ]; then
    FB_RANGE=date_preset=maximum
    LI_START="2000 1 1" # before any history
else
    FB_RANGE=date_preset=last_${WINDOW}d
    LI_START=$(date -u -d "$TODAY - $WINDOW days" '+%Y %-m %-d')
fi
# shellcheck disable=SC2086 # year, month and day as three words
set -- $LI_START
# the LinkedIn window starts before any history; insights take the whole history (maximum)
sed -e "s|@SIM@|$SIM|g" \
    -e "s|@DIR@|$DIR|g" \
    -e "s|@INTERVAL@|$INTERVAL|g" \
    -e "s|@X_INTERVAL@|$(awk -v i="$INTERVAL" 'BEGIN { print (i > 1) ? i : 1 }')|g" \
    -e "s|@TIMEOUT_MS@|30000|g" \
    -e "s|@QUEUE_HIGH@|2000000|g" \
    -e "s|@FB_ACT@|$(w '.facebook.accounts[0].ad_account')|g" \
    -e "s|@FB_TOKEN@|$(w '.facebook.accounts[0].access_token')|g" \
    -e "s|@FB_RANGE@|$FB_RANGE|g" \
    -e "s|@LI_ACT@|$(w '.linkedin.accounts[0].ad_account')|g" \
    -e "s|@LI_TOKEN@|$(w '.linkedin.accounts[0].access_token')|g" \
    -e "s|@LI_VERSION@|$LI_VERSION|g" \
    -e "s|@LI_Y@|$1|g; s|@LI_M@|$2|g; s|@LI_D@|$3|g" \
    -e "s|@X_USER@|$(w '.x.accounts[0].user_id')|g" \
    -e "s|@X_TOKEN@|$(w '.x.accounts[0].access_token')|g" \
    -e "s|@PG_DB@|$PG_DB|g" \
    -e "/@PG_CONN@/{r $DIR/pgconn" -e 'd}' \
    "$TEMPLATE" >"$DIR/collectd.conf"
chmod 600 "$DIR/collectd.conf"
collectd -t -C "$DIR/collectd.conf" >"$DIR/check.log" 2>&1 ||
    { cat "$DIR/check.log" >&2; die "collectd refuses the config"; }

# ---- the run -----------------------------------------------------------------------------------

now() { date +%s.%N; }
elapsed_at_least() { awk -v t="$(now)" -v t0="$T0" -v l="$1" 'BEGIN { exit !(t - t0 >= l) }'; }
TICK=$(getconf CLK_TCK)

# user+sys seconds of a local process, empty when it is gone or unreadable
proc_cpu() {
    sed -e 's/^.*) //' "/proc/$1/stat" 2>/dev/null |
        awk -v t="$TICK" '{ printf "%.3f", ($12 + $13) / t }'
}

# the pid of collectd's connection to the database, once it has connected
backend() {
    q -c "SELECT pid FROM pg_stat_activity
           WHERE application_name LIKE 'collectd%' AND datname = current_database()
           ORDER BY backend_start DESC LIMIT 1"
}

stored() { # rows and requests stored so far (committed)
    q -F ' ' -c "SELECT count(*) FILTER (WHERE i.type <> 'duration'),
                        count(*) FILTER (WHERE i.type = 'duration')
                   FROM public.\"values\" v JOIN public.identifiers i ON i.id = v.id
                  WHERE i.host = 'socialroi-bench' AND i.plugin = 'curl_json'"
}

# collectd runs in a subshell that waits for it: `times` then gives exactly its CPU.
T0=$(now)
(
    collectd -f -C "$DIR/collectd.conf" >"$DIR/stdout.log" 2>&1 &
    echo $! >"$DIR/cpid"
    wait $! || true
    times >"$DIR/times"
    now >"$DIR/t1"
) &
RUNNER=$!
i=0
until [ -s "$DIR/cpid" ]; do
    i=$((i + 1))
    [ $i -gt 100 ] && die "collectd did not start"
    sleep 0.05
done
CPID=$(cat "$DIR/cpid")

BPID=""
PG_CPU=""
IDLE=0
n=0
while sleep 0.25; do
    kill -0 "$CPID" 2>/dev/null || break
    elapsed_at_least "$LIMIT" && break
    n=$((n + 1))
    if [ -z "$BPID" ]; then
        BPID=$(backend)
        # only the backend of a server on this machine can be measured
        [ -z "$BPID" ] || grep -q postgres "/proc/$BPID/cmdline" 2>/dev/null || BPID=none
    elif [ "$BPID" != none ]; then
        c=$(proc_cpu "$BPID")
        # fetching once, the run is over when the writer has stored everything: its backend
        # stops using CPU (the last transaction stays open until SIGTERM)
        if [ -n "$c" ] && [ "$c" = "$PG_CPU" ]; then IDLE=$((IDLE + 1)); else IDLE=0; fi
        [ -n "$c" ] && PG_CPU=$c
        [ "$ONCE" = 1 ] && [ $IDLE -ge 2 ] && break
    fi
    if [ "$TARGET" -gt 0 ] && [ $((n % 4)) -eq 0 ]; then
        # shellcheck disable=SC2046 # rows and requests as two words
        set -- $(stored)
        [ "$1" -ge "$TARGET" ] && break
    fi
done
kill -TERM "$CPID" 2>/dev/null || true
# the backend commits collectd's last transaction and exits: its last reading counts
while [ -n "$BPID" ] && [ "$BPID" != none ] && [ -e "/proc/$BPID" ]; do
    c=$(proc_cpu "$BPID")
    [ -n "$c" ] && PG_CPU=$c
    sleep 0.02
done
wait "$RUNNER" || true
CPID=""
RUNNER=""
grep -q 'Dropping' "$DIR/collectd.log" 2>/dev/null &&
    echo "collectd.sh: collectd dropped values (write queue full): raise INTERVAL" >&2
# trouble worth seeing (tokens in URLs masked); an interval shorter than a fetch is expected
grep -E '\[(error|warning)\]' "$DIR/collectd.log" 2>/dev/null |
    grep -v -e 'left after shutting' -e 'above its read interval' | head -n 5 |
    sed -e 's/access_token=[^&"'"'"' ]*/access_token=.../g' >&2 || true

# shellcheck disable=SC2046
set -- $(stored)
ROWS=$1
REQ=$2
# value lists fetched but still queued when collectd stopped (it logs how many it discards)
BACKLOG=$(sed -n 's/.* \([0-9][0-9]*\) value lists\{0,1\} w[ae][rs]e\{0,1\} left after.*/\1/p' \
    "$DIR/collectd.log" | tail -n 1)
T1=$(cat "$DIR/t1")
# `times`: the second line is the children's user and system time, as 0m1.234000s
CPU=$(sed -n 2p "$DIR/times" | awk '{ split($0, f, /[ms ]+/); print f[1] * 60 + f[2] + f[3] * 60 + f[4] }')
[ "$BPID" = none ] && PG_CPU=""
awk -v rows="$ROWS" -v t0="$T0" -v t1="$T1" -v cpu="$CPU" -v req="$REQ" -v pg="$PG_CPU" \
    -v iv="$INTERVAL" -v bl="${BACKLOG:-0}" 'BEGIN {
    s = t1 - t0
    per = rows > 0
    printf "{\"rows\":%d,\"seconds\":%.3f,\"rows_per_s\":%s,\"cpu_s\":%.3f,", rows, s,
        per ? sprintf("%.1f", rows / s) : "null", cpu
    printf "\"cpu_s_per_million_rows\":%s,\"requests\":%d,",
        per ? sprintf("%.2f", cpu * 1e6 / rows) : "null", req
    printf "\"pg_cpu_s\":%s,\"pg_cpu_s_per_million_rows\":%s,\"backlog\":%d,",
        pg != "" ? sprintf("%.3f", pg) : "null",
        per && pg != "" ? sprintf("%.2f", pg * 1e6 / rows) : "null", bl
    printf "\"interval_s\":%s}\n", iv
}'
