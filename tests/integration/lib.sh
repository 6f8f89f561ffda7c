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

# check_eq NAME WANT GOT: ok when the two strings are equal.
check_eq() {
    if [ "$2" = "$3" ]; then
        ok "$1"
    else
        not_ok "$1" "want: $2" "got:  $3"
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

# conninfo [ROLE]: the test database as a deployment role (tests/pg.sh): it_daemon (the daemon,
# rollup, fx import), it_dashboard, it_finance (reports), it_admin (migrate). The superuser is
# only the tests' own oracle (`sql`).
conninfo() {
    echo "host=$PGHOST port=$PGPORT user=${1:-it_daemon} dbname=$TEST_DB"
}

free_port() {
    "$B/tests/tools/freeport"
}

# write_config FILE [EXTRA]: a minimal daemon config for this test (credentials 0600); the
# daemon connects as $DAEMON_ROLE (default it_daemon).
write_config() {
    file=$1
    extra=${2:-}
    HTTP_PORT=${HTTP_PORT:-$(free_port)}
    mkdir -p "$TEST_DIR/state"
    if [ ! -f "$TEST_DIR/credentials" ]; then
        printf '[hashing]\nemail_salt = socialroi-test-salt\n[credential none]\naccess_token = unused\n' \
            >"$TEST_DIR/credentials"
        chmod 600 "$TEST_DIR/credentials"
    fi
    cat >"$file" <<CONF
[daemon]
database = "$(conninfo "${DAEMON_ROLE:-it_daemon}")"
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

# ---- the platform simulator ----------------------------------------------------------------

# start_sim [SEED]: socialroi-sim on a free port; sets SIM_PORT and SIM_PID.
start_sim() {
    "$B/socialroi-sim" --port 0 --seed "${1:-7}" ${SIM_ARGS:-} >"$TEST_DIR/sim.out" \
        2>>"$TEST_DIR/sim.log" &
    SIM_PID=$!
    register_pid "$SIM_PID"
    wait_for 10 grep -q 'listening port=' "$TEST_DIR/sim.out" || return 1
    SIM_PORT=$(sed -n 's/.*listening port=\([0-9]*\).*/\1/p' "$TEST_DIR/sim.out" | head -n 1)
}

stop_sim() {
    kill -TERM "$SIM_PID" 2>/dev/null
    wait "$SIM_PID" 2>/dev/null
}

sim_get() {
    curl -sf -m 10 "http://127.0.0.1:$SIM_PORT$1"
}

# sim_post PATH [JSON]
sim_post() {
    curl -sf -m 10 -X POST -H 'Content-Type: application/json' --data "${2:-}" \
        "http://127.0.0.1:$SIM_PORT$1"
}

sim_fault() {
    sim_post /_faults "$1" >/dev/null
}

sim_clear_faults() {
    curl -sf -m 10 -X DELETE "http://127.0.0.1:$SIM_PORT/_faults" >/dev/null
}

# sim_config FILE PLATFORM...: a daemon config (plus 0600 credentials) for the simulated
# accounts of the given platforms, written independently of socialroi's own demo code.
# Search queries are written as one double-quoted value: they hold '"' and " #", which an
# unquoted value would end at (an inline comment).
sim_config() {
    file=$1
    shift
    sim_get /_world >"$TEST_DIR/world.json" || return 1
    write_config "$file"
    printf '[hashing]\nemail_salt = socialroi-test-salt\n' >"$TEST_DIR/credentials"
    chmod 600 "$TEST_DIR/credentials"
    for p in "$@"; do
        case $p in
            x) token=/x/2/oauth2/token ;;
            facebook) token=/facebook/v24.0/oauth/access_token ;;
            instagram) token=/instagram/refresh_access_token ;;
            linkedin) token=/linkedin/oauth/v2/accessToken ;;
            youtube) token=/youtube/token ;;
            pinterest) token=/pinterest/v5/oauth/token ;;
            hubspot) token=/hubspot/oauth/v1/token ;;
        esac
        printf '\n[platform %s]\napi_base = http://127.0.0.1:%s/%s\ntoken_url = http://127.0.0.1:%s%s\ntimeout = %s\nconnect_timeout = 2s\nusage_pause = 2s\n' \
            "$p" "$SIM_PORT" "$p" "$SIM_PORT" "$token" "${SIM_TIMEOUT:-5s}" >>"$file"
        [ "$p" = youtube ] && printf 'api_base2 = http://127.0.0.1:%s/youtube/analytics\n' "$SIM_PORT" >>"$file"
        jq -r --arg p "$p" '.[$p].accounts | to_entries[] |
            "\n[account \($p)-\(.key)]\nplatform = \($p)\nid = \(.value.id // .value.user_id // .value.page_id // .value.ig_user_id // .value.organization // .value.channel_id // .value.portal_id // .value.user)\ncredential = \($p)-\(.key)" +
            (if .value.ad_account then "\nad_account = \(.value.ad_account)" else "" end) +
            (if .value.currency then "\ncurrency = \(.value.currency)"
             elif $p == "hubspot" then "\ncurrency = USD" else "" end) +
            (if .value.timezone then "\ntimezone = \(.value.timezone)" else "" end) +
            (if .value.forms then "\nforms = \(.value.forms | join(", "))" else "" end) +
            (if .value.queries then "\nqueries = \"\(.value.queries | join(", ") | gsub("\\\\"; "\\\\") | gsub("\""; "\\\""))\"" else "" end)' \
            "$TEST_DIR/world.json" >>"$file"
        jq -r --arg p "$p" '.[$p].accounts | to_entries[] |
            "\n[credential \($p)-\(.key)]" +
            (if .value.token_expires_at then "\nexpires_at = \(.value.token_expires_at)" else "" end) +
            ([ "access_token", "refresh_token", "client_id", "client_secret" ] as $k
             | .value as $v | [ $k[] | select($v[.] != null) | "\n\(.) = \($v[.])" ] | join(""))' \
            "$TEST_DIR/world.json" >>"$TEST_DIR/credentials"
    done
}

# sim_campaigns FILE: the world's business campaigns and FX rates for the config FILE (an
# [fx] section and campaigns.d/world.conf, included).
sim_campaigns() {
    mkdir -p "$TEST_DIR/campaigns.d"
    jq -r '.fx | "\n[fx]", (.rates | to_entries[] | "\(.key) = \(.value)")' \
        "$TEST_DIR/world.json" >>"$1"
    printf '\ninclude = campaigns.d/*.conf\n' >>"$1"
    jq -r '.campaigns[] | "\n[campaign \(.name)]\ntitle = \(.title)\nstart = \(.start)\nend = \(.end)\nbudget = \(.budget)",
            (.links[] | "link = \(.)"), (.utm_campaign[] | "utm_campaign = \(.)"),
            (.spend[] | "spend = \(.)")' "$TEST_DIR/world.json" >"$TEST_DIR/campaigns.d/world.conf"
}

# run_once CONFIG: socialroid --once; its exit status is returned, its log appended.
run_once() {
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroid" --once -c "$1" >>"$TEST_DIR/daemon.log" 2>&1
}

# make_due: every job due now, so the next --once polls everything again.
make_due() {
    sql "UPDATE socialroi.poll_job SET next_due = now()" >/dev/null
}

# truth_check NAME PLATFORM: the database equals the simulator's /_truth for the platform.
truth_check() {
    sim_get /_truth >"$TEST_DIR/truth.json"
    chmod 644 "$TEST_DIR/truth.json"
    sqlfile="tests/integration/truth/$2.sql"
    [ -f "$sqlfile" ] || sqlfile=tests/integration/truth/generic.sql
    psql -XqAt -v ON_ERROR_STOP=1 -d "$TEST_DB" -v truth_file="$TEST_DIR/truth.json" \
        -v platform="$2" -f "$sqlfile" >"$TEST_DIR/diff.out" 2>&1
    rc=$?
    if [ $rc -eq 0 ] && [ ! -s "$TEST_DIR/diff.out" ]; then
        ok "$1"
    else
        not_ok "$1" "$(wc -l <"$TEST_DIR/diff.out") differences (rc=$rc), first ones:"
        head -n 15 "$TEST_DIR/diff.out" | sed -e 's/^/# /'
    fi
}

ROI_FIELDS='{platform_spend_micros, configured_spend_micros, spend_micros, leads, customers,
         revenue_micros, roi, roas, cost_per_lead_micros, customer_acquisition_cost_micros}'

# roi_equal NAME [ROLE]: `socialroi report roi --format json`, run as ROLE (default it_finance),
# equals the simulator's own ROI per campaign under first_touch and linear, field by field.
roi_equal() {
    sim_get /_truth >"$TEST_DIR/truth.json"
    from=$(jq -r .roi.from "$TEST_DIR/truth.json")
    to=$(jq -r .roi.to "$TEST_DIR/truth.json")
    for m in first_touch linear; do
        socialroi report roi --dsn "$(conninfo "${2:-it_finance}")" --from "$from" --to "$to" \
            --by campaign --model "$m" --format json >"$TEST_DIR/roi_$m.json" \
            2>"$TEST_DIR/roi_$m.err"
        jq -S --arg m "$m" '.roi.models[$m]' "$TEST_DIR/truth.json" >"$TEST_DIR/want_$m.json"
        jq -S "[.rows[] | {key: .key, value: $ROI_FIELDS}] | from_entries" \
            "$TEST_DIR/roi_$m.json" >"$TEST_DIR/got_$m.json" 2>>"$TEST_DIR/roi_$m.err"
        if [ -s "$TEST_DIR/want_$m.json" ] && [ "$(cat "$TEST_DIR/want_$m.json")" != null ] &&
            diff -u "$TEST_DIR/want_$m.json" "$TEST_DIR/got_$m.json" >"$TEST_DIR/diff_$m.out"; then
            ok "$1 ($m)"
        else
            not_ok "$1 ($m)" "$(head -c 300 "$TEST_DIR/roi_$m.err")"
            head -n 30 "$TEST_DIR/diff_$m.out" | sed -e 's/^/# /'
        fi
    done
    n=$(jq '[.rows[]] | length' "$TEST_DIR/roi_linear.json")
    [ "${n:-0}" -ge 3 ] && ok "$1: the report has a row per campaign ($n)" ||
        not_ok "$1: the report has a row per campaign" "$n rows"
}
