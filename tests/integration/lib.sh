# lib.sh - helpers for integration tests (sourced by each tests/integration/t_*.sh).
#
# A test runs with: B (build dir), WORK (run directory), TEST_DIR (its own directory),
# TEST_DB (its own database, migrated), PGHOST/PGPORT/PGUSER, SR_WRAP (valgrind or empty).
# It prints TAP lines through ok/not_ok/check; every process it starts is registered so the
# runner can kill leftovers even when the test itself dies.

set -u
N=0

ok() {
    N=$((N + 1))
    echo "ok $N - $1"
}

not_ok() {
    N=$((N + 1))
    echo "not ok $N - $1"
    shift
    for line in "$@"; do echo "# $line"; done
}

# check NAME COMMAND...: ok when the command succeeds.
check() {
    name=$1
    shift
    if "$@" >"$TEST_DIR/check.out" 2>&1; then
        ok "$name"
    else
        not_ok "$name" "command: $*"
        sed -e 's/^/# /' "$TEST_DIR/check.out" | tail -n 20
    fi
}

# check_rc RC NAME COMMAND...: ok when the command exits with RC; output in $TEST_DIR/last.out.
check_rc() {
    want=$1
    name=$2
    shift 2
    "$@" >"$TEST_DIR/last.out" 2>&1
    got=$?
    if [ "$got" -eq "$want" ]; then
        ok "$name"
    else
        not_ok "$name" "exit status $got, expected $want: $*"
        tail -n 20 "$TEST_DIR/last.out" | sed -e 's/^/# /'
    fi
}

# check_grep NAME PATTERN FILE: ok when the file has a line matching the extended regex.
check_grep() {
    if grep -Eq -- "$2" "$3" 2>/dev/null; then
        ok "$1"
    else
        not_ok "$1" "no line matching /$2/ in $3:"
        [ -f "$3" ] && tail -n 15 "$3" | sed -e 's/^/# /'
    fi
}

done_testing() {
    echo "1..$N"
}

# Our binaries, under valgrind when the run asks for it.
socialroi() {
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroi" "$@"
}

socialroid() {
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroid" "$@"
}

register_pid() {
    echo "$1" >>"$WORK/pids"
}

sql() {
    psql -XqAt -v ON_ERROR_STOP=1 -d "$TEST_DB" -c "$1"
}

conninfo() {
    echo "host=$PGHOST port=$PGPORT user=$PGUSER dbname=$TEST_DB"
}

free_port() {
    "$B/tests/tools/freeport"
}

# write_config FILE [EXTRA]: a minimal daemon config for this test (credentials 0600).
write_config() {
    file=$1
    extra=${2:-}
    HTTP_PORT=${HTTP_PORT:-$(free_port)}
    mkdir -p "$TEST_DIR/state"
    if [ ! -f "$TEST_DIR/credentials" ]; then
        printf '[credential none]\naccess_token = unused\n' >"$TEST_DIR/credentials"
        chmod 600 "$TEST_DIR/credentials"
    fi
    cat >"$file" <<CONF
[daemon]
database = "$(conninfo)"
http_listen = 127.0.0.1:$HTTP_PORT
log_level = info
credentials = $TEST_DIR/credentials
state_dir = $TEST_DIR/state
shutdown_timeout = 10s
reconnect_max = 1s
$extra
CONF
}

# start_daemon CONFIG [ARGS...]: socialroid in the foreground, log in $TEST_DIR/daemon.log.
start_daemon() {
    conf=$1
    shift
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroid" -f -c "$conf" "$@" >>"$TEST_DIR/daemon.log" 2>&1 &
    DAEMON_PID=$!
    register_pid "$DAEMON_PID"
}

# wait_for SECONDS COMMAND...: retries the command every 0.1 s until it succeeds.
wait_for() {
    limit=$(($1 * 10))
    shift
    i=0
    until "$@" >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -ge $limit ] && return 1
        sleep 0.1
    done
    return 0
}

log_has() {
    grep -Eq -- "$1" "$TEST_DIR/daemon.log"
}

# http_get PATH: body to $TEST_DIR/body, prints the status code.
http_get() {
    curl -s -m 5 -o "$TEST_DIR/body" -w '%{http_code}' "http://127.0.0.1:$HTTP_PORT$1"
}

http_is() {
    [ "$(http_get "$2")" = "$1" ]
}

# stop_daemon [SIGNAL]: signal, wait (at most 30 s), set DAEMON_RC.
stop_daemon() {
    kill -"${1:-TERM}" "$DAEMON_PID" 2>/dev/null
    i=0
    while kill -0 "$DAEMON_PID" 2>/dev/null; do
        i=$((i + 1))
        if [ $i -gt 300 ]; then
            kill -KILL "$DAEMON_PID" 2>/dev/null
            break
        fi
        sleep 0.1
    done
    wait "$DAEMON_PID"
    DAEMON_RC=$?
}
