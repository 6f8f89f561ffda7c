# t_daemon.sh - socialroid's life cycle against the real database: config check, health and
# metrics endpoints, sd_notify messages, SIGHUP with a good and a broken config, SIGUSR1,
# SIGTERM, and refusing a database whose schema is older than the daemon expects.
. tests/integration/lib.sh

CONF="$TEST_DIR/socialroi.conf"
NOTIFY_SOCK="$TEST_DIR/notify.sock"
NOTIFY_OUT="$TEST_DIR/notify.out"

# ---- configuration check --------------------------------------------------------------------

check "-n accepts the example config" socialroid -n -c config/socialroi.conf.example

printf '[daemon]\nlog_levle = debug\n' >"$TEST_DIR/typo.conf"
check_rc 1 "-n exits 1 on a typo'd key" socialroid -n -c "$TEST_DIR/typo.conf"
check_grep "the typo error names file:line and key" "typo.conf:2: \[daemon\] log_levle: unknown key" \
    "$TEST_DIR/last.out"

printf '[daemon]\n\nshutdown_timeout = 10 minutes\n' >"$TEST_DIR/dur.conf"
check_rc 1 "-n exits 1 on a bad duration" socialroid -n -c "$TEST_DIR/dur.conf"
check_grep "the duration error names file:line" "dur.conf:3: \[daemon\] shutdown_timeout" \
    "$TEST_DIR/last.out"

printf '[credential c]\naccess_token = secret-value\n' >"$TEST_DIR/creds.world"
chmod 644 "$TEST_DIR/creds.world"
printf '[daemon]\ncredentials = %s\n[account a]\nplatform = x\nid = 1\ncredential = c\n' \
    "$TEST_DIR/creds.world" >"$TEST_DIR/world.conf"
check_rc 1 "-n exits 1 on a world-readable credentials file" socialroid -n -c "$TEST_DIR/world.conf"
check_grep "the credentials error names the file and its mode" "creds.world: .*mode 0644" \
    "$TEST_DIR/last.out"
if grep -q secret-value "$TEST_DIR/last.out"; then
    not_ok "the credentials error does not echo the secret"
else
    ok "the credentials error does not echo the secret"
fi

check_rc 2 "an unknown option exits 2" socialroid --bogus

# ---- a running daemon -----------------------------------------------------------------------

write_config "$CONF"
"$B/tests/tools/notify-recv" "$NOTIFY_SOCK" "$NOTIFY_OUT" 120 &
register_pid $!
NOTIFY_PID=$!
wait_for 5 test -S "$NOTIFY_SOCK"
NOTIFY_SOCKET=$NOTIFY_SOCK WATCHDOG_USEC=400000 start_daemon "$CONF"

if wait_for 30 http_is 200 /healthz; then
    ok "/healthz answers 200 once the database is connected"
else
    not_ok "/healthz answers 200 once the database is connected" "$(cat "$TEST_DIR/body" 2>/dev/null)"
fi
check_grep "/healthz body is JSON with the database state" '"database":"ok"' "$TEST_DIR/body"
check_grep "/healthz reports the schema version" '"schema_version":[1-9]' "$TEST_DIR/body"

code=$(http_get /metrics)
[ "$code" = 200 ] && ok "/metrics answers 200" || not_ok "/metrics answers 200" "code=$code"
check_grep "/metrics has process metrics" '^process_resident_memory_bytes [0-9]+' "$TEST_DIR/body"
check_grep "/metrics has database connection metrics" '^socialroi_db_up 1$' "$TEST_DIR/body"
check_grep "/metrics is Prometheus text with TYPE lines" '^# TYPE socialroi_db_connects_total counter$' \
    "$TEST_DIR/body"
code=$(http_get /nope)
[ "$code" = 404 ] && ok "unknown paths answer 404" || not_ok "unknown paths answer 404" "code=$code"
code=$(curl -s -m 5 -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$HTTP_PORT/healthz")
[ "$code" = 405 ] && ok "POST answers 405" || not_ok "POST answers 405" "code=$code"

# notify-recv writes what it receives on its own time: wait for it, as for any other process
wait_for 5 grep -q '^READY=1' "$NOTIFY_OUT"
check_grep "sd_notify READY=1 was sent" '^READY=1' "$NOTIFY_OUT"
wait_for 5 grep -q '^STATUS=database connected' "$NOTIFY_OUT"
check_grep "sd_notify STATUS= reports the database" '^STATUS=database connected' "$NOTIFY_OUT"
wait_for 5 grep -q '^WATCHDOG=1' "$NOTIFY_OUT"
check_grep "the watchdog pings when WATCHDOG_USEC is set" '^WATCHDOG=1' "$NOTIFY_OUT"

# SIGHUP with a broken config: still serving, old config kept, error logged.
cp "$CONF" "$CONF.good"
printf '\n[account broken]\nplatform = x\ninterval = soon\n' >>"$CONF"
kill -HUP "$DAEMON_PID"
wait_for 10 log_has 'reload failed, keeping the running configuration'
check_grep "a broken config on SIGHUP is logged with file:line" \
    "socialroi.conf:[0-9]+: \[account broken\] interval" "$TEST_DIR/daemon.log"
check_grep "a broken config on SIGHUP keeps the old one" 'reload failed, keeping the running' \
    "$TEST_DIR/daemon.log"
if http_is 200 /healthz; then ok "still serving after a bad reload"; else not_ok "still serving after a bad reload"; fi
wait_for 5 grep -q '^RELOADING=1' "$NOTIFY_OUT"
check_grep "sd_notify RELOADING=1 then READY=1 around a reload" '^RELOADING=1' "$NOTIFY_OUT"

# SIGHUP with a good config that changes the log level: applied.
sed -e 's/^log_level = info/log_level = debug/' "$CONF.good" >"$CONF"
kill -HUP "$DAEMON_PID"
wait_for 10 log_has 'config: reloaded'
check_grep "a good config on SIGHUP is applied" 'config: reloaded' "$TEST_DIR/daemon.log"
m=$(http_get /metrics)
check_grep "/metrics counts reloads by result" 'socialroi_config_reloads_total\{result="failed"\} 1' \
    "$TEST_DIR/body"

kill -USR1 "$DAEMON_PID"
wait_for 10 log_has 'stats: db_up=1'
check_grep "SIGUSR1 writes stats to the log" 'stats: db_up=1' "$TEST_DIR/daemon.log"

stop_daemon TERM
[ "$DAEMON_RC" -eq 0 ] && ok "SIGTERM stops the daemon with status 0" ||
    not_ok "SIGTERM stops the daemon with status 0" "rc=$DAEMON_RC"
check_grep "the stop is logged" 'daemon: stopped' "$TEST_DIR/daemon.log"
wait_for 5 grep -q '^STOPPING=1' "$NOTIFY_OUT"
check_grep "sd_notify STOPPING=1 was sent" '^STOPPING=1' "$NOTIFY_OUT"
kill "$NOTIFY_PID" 2>/dev/null

# ---- database problems ----------------------------------------------------------------------

# An unreachable database: the daemon stays up, reports 503 and keeps retrying.
HTTP_PORT=$(free_port)
write_config "$TEST_DIR/nodb.conf"
sed -i -e "s|^database = .*|database = \"host=$TEST_DIR/nowhere dbname=x\"|" "$TEST_DIR/nodb.conf"
: >"$TEST_DIR/daemon.log"
start_daemon "$TEST_DIR/nodb.conf"
wait_for 10 http_is 503 /healthz && ok "/healthz answers 503 while the database is unreachable" ||
    not_ok "/healthz answers 503 while the database is unreachable"
check_grep "the 503 body says why" '"database":"down"' "$TEST_DIR/body"
sleep 1.5
if kill -0 "$DAEMON_PID" 2>/dev/null; then ok "the daemon keeps running without a database"; else not_ok "the daemon keeps running without a database"; fi
check_grep "connection failures are logged" 'pgconn: cannot connect' "$TEST_DIR/daemon.log"
stop_daemon TERM

# A database that was never migrated: refuse to run.
psql -XqAt -c "CREATE DATABASE ${TEST_DB}_empty" >/dev/null
HTTP_PORT=$(free_port)
write_config "$TEST_DIR/old.conf"
sed -i -e "s|dbname=$TEST_DB|dbname=${TEST_DB}_empty|" "$TEST_DIR/old.conf"
: >"$TEST_DIR/daemon.log"
start_daemon "$TEST_DIR/old.conf"
i=0
while kill -0 "$DAEMON_PID" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
wait "$DAEMON_PID"
rc=$?
[ $rc -eq 1 ] && ok "an unmigrated database makes the daemon exit 1" ||
    not_ok "an unmigrated database makes the daemon exit 1" "rc=$rc"
check_grep "and says to run socialroi migrate" 'schema is at version 000 .* run socialroi migrate' \
    "$TEST_DIR/daemon.log"

done_testing
