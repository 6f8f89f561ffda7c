# t_systemd.sh - the unit file passes systemd-analyze verify with no output at all and keeps its
# exposure score; make install puts every file where the unit expects it; and reload and
# re-authorisation work the way the shipped unit runs them: ExecReload='s check as the service
# user (no root, no LoadCredential= copy) reads the credentials file, and after the reload the
# daemon uses the new token that was put in it.
. tests/integration/lib.sh

# The score the unit has today; a change to the unit may lower it, never raise it.
MAX_EXPOSURE=1.2

# verify needs ExecStart= to exist: check a copy that points at the build tree
unit="$TEST_DIR/socialroid.service"
sed -e "s|/usr/bin/socialroid|$(pwd)/$B/socialroid|g" -e "s|/usr/bin/kill|/bin/kill|g" \
    systemd/socialroid.service >"$unit"
out=$(systemd-analyze verify "$unit" 2>&1)
if [ -z "$out" ]; then
    ok "systemd-analyze verify is silent on socialroid.service"
else
    not_ok "systemd-analyze verify is silent on socialroid.service" "$out"
fi
score=$(systemd-analyze security --offline=true "$unit" 2>/dev/null | tail -n 1)
echo "# $score"
level=$(echo "$score" | sed -n 's/.*exposure level for [^:]*: \([0-9.]*\).*/\1/p')
if [ -n "$level" ] && awk -v l="$level" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(l <= m) }'; then
    ok "systemd-analyze security scores the unit $level (at most $MAX_EXPOSURE)"
else
    not_ok "systemd-analyze security scores the unit at most $MAX_EXPOSURE" "$score"
fi
for f in systemd/socialroi.sysusers.conf systemd/socialroi.tmpfiles.conf; do
    [ -s "$f" ] && ok "$f exists" || not_ok "$f exists"
done
grep -q '^Type=notify' systemd/socialroid.service && ok "the unit is Type=notify" || not_ok "the unit is Type=notify"
grep -q '^ExecReload=.*socialroid -n' systemd/socialroid.service && ok "ExecReload checks the config first" ||
    not_ok "ExecReload checks the config first"
# systemd makes a LoadCredential= copy once at start and gives ExecReload= none
if grep -q '^LoadCredential' systemd/socialroid.service; then
    not_ok "the shipped unit reads the credentials file itself (no LoadCredential=)"
else
    ok "the shipped unit reads the credentials file itself (no LoadCredential=)"
fi

# ---- make install ---------------------------------------------------------------------------

inst="$TEST_DIR/destdir"
check "make install DESTDIR=... PREFIX=/usr succeeds" \
    make --no-print-directory -s install B="$B" PREFIX=/usr DESTDIR="$inst"
missing=""
for f in bin/socialroid bin/socialroi lib/systemd/system/socialroid.service \
    lib/sysusers.d/socialroi.conf lib/tmpfiles.d/socialroi.conf share/doc/socialroi/README.md \
    share/doc/socialroi/examples/socialroi.conf.example \
    share/doc/socialroi/examples/credentials.example \
    share/doc/socialroi/examples/campaigns.conf.example; do
    [ -s "$inst/usr/$f" ] || missing="$missing $f"
done
[ -f LICENSE ] && { [ -s "$inst/usr/share/doc/socialroi/LICENSE" ] || missing="$missing LICENSE"; }
for m in man/*.[1-8]; do
    [ -f "$m" ] || continue
    [ -s "$inst/usr/share/man/man${m##*.}/${m##*/}" ] || missing="$missing $m"
done
check_eq "make install puts binaries, unit, snippets, docs and man pages in place" "" "$missing"
[ -x "$inst/usr/bin/socialroid" ] && ok "the installed daemon is executable" ||
    not_ok "the installed daemon is executable"

prefix="$TEST_DIR/prefix"
check "make install PREFIX=DIR succeeds" make --no-print-directory -s install B="$B" PREFIX="$prefix"
iunit="$prefix/lib/systemd/system/socialroid.service"
check_grep "the installed unit starts PREFIX/bin/socialroid" "^ExecStart=$prefix/bin/socialroid -f " "$iunit"
check_grep "and checks with it on reload" "^ExecReload=$prefix/bin/socialroid -n " "$iunit"
check_grep "and points at the installed README" "^Documentation=file://$prefix/share/doc/socialroi/README.md" "$iunit"
out=$(systemd-analyze verify "$iunit" 2>&1)
[ -z "$out" ] && ok "systemd-analyze verify is silent on the installed unit" ||
    not_ok "systemd-analyze verify is silent on the installed unit" "$out"

# ---- the shipped examples: refused with placeholders, accepted once filled in ----------------

ex="$TEST_DIR/examples"
mkdir -p "$ex"
cp config/credentials.example "$ex/credentials"
chmod 600 "$ex/credentials"
sed -e "s|^credentials = .*|credentials = $ex/credentials|" config/socialroi.conf.example \
    >"$ex/socialroi.conf"
check_rc 1 "-n refuses the examples as shipped" socialroid -n -c "$ex/socialroi.conf"
want=$(grep -c '= REPLACE-ME' config/credentials.example)
got=$(grep -c 'still a placeholder' "$TEST_DIR/last.out")
check_eq "-n names every placeholder ($want)" "$want" "$got"
check_grep "each with file:line and key" "credentials:[0-9]+: \[hashing\] email_salt: still a placeholder" \
    "$TEST_DIR/last.out"
sed -i -e 's/REPLACE-ME[-A-Z]*/a-real-value-0123456789/' "$ex/credentials"
check_rc 0 "-n accepts the examples once the placeholders are replaced" \
    socialroid -n -c "$ex/socialroi.conf"

# ---- reload and re-authorisation as the service user ------------------------------------------

if [ "$(id -u)" -ne 0 ]; then
    ok "# SKIP reload as the service user needs root to switch users"
    done_testing
    exit 0
fi

# /etc/socialroi as tmpfiles.d makes it: root:GROUP 0750; the credentials file owned by the
# service user, 0600; its own state directory. "nobody" stands in for the socialroi user.
SVC_UID=$(id -u nobody)
SVC_GID=$(id -g nobody)
as_service() {
    setpriv --reuid="$SVC_UID" --regid="$SVC_GID" --clear-groups -- "$@"
}
etc="$TEST_DIR/etc"
mkdir -p "$etc" "$TEST_DIR/svcstate"
chown "root:$SVC_GID" "$etc"
chmod 750 "$etc"
chown "$SVC_UID:$SVC_GID" "$TEST_DIR/svcstate"
chmod 700 "$TEST_DIR/svcstate"

start_sim 11 || { not_ok "the simulator starts"; done_testing; exit 1; }
sim_config "$TEST_DIR/sim.conf" facebook
CONF="$etc/socialroi.conf"
sed -e "s|^credentials = .*|credentials = $etc/credentials|" \
    -e "s|^state_dir = .*|state_dir = $TEST_DIR/svcstate|" "$TEST_DIR/sim.conf" >"$CONF"
chmod 644 "$CONF"
install -m 0600 -o root -g root "$TEST_DIR/credentials" "$etc/credentials"

# the unit's own ExecReload= lines, with the build's binary and this config
reload_lines() {
    sed -n 's/^ExecReload=//p' systemd/socialroid.service |
        sed -e "s|/usr/bin/socialroid|$(pwd)/$B/socialroid|" -e "s|/etc/socialroi/socialroi.conf|$CONF|" \
            -e "s|\$MAINPID|$1|"
}
first_reload=$(reload_lines 0 | head -n 1)

# a root-owned file is what a LoadCredential= layout leaves behind: the service user's check fails
# shellcheck disable=SC2086
check_rc 1 "ExecReload's check as the service user fails on a credentials file it cannot read" \
    as_service $first_reload
check_grep "and says who must own it" 'credentials file: Permission denied; the user socialroid runs as' \
    "$TEST_DIR/last.out"

chown "$SVC_UID:$SVC_GID" "$etc/credentials"
# shellcheck disable=SC2086
check_rc 0 "ExecReload's check exits 0 as the service user owning a 0600 credentials file" \
    as_service $first_reload
check_grep "it read the credentials file itself" "credentials $etc/credentials\)" "$TEST_DIR/last.out"
check_rc 0 "a first poll as the service user exits 0" as_service "$B/socialroid" --once -c "$CONF"

# the platform revokes the token: the account needs re-authorisation
sim_fault '{"platform":"facebook","kind":"revoke_token","count":1}'
make_due
check_rc 1 "a revoked token makes the poll exit 1" as_service "$B/socialroid" --once -c "$CONF"
st=$(sql "SELECT state FROM socialroi.account WHERE platform = 'facebook'")
check_eq "the account is marked needs_reauth" needs_reauth "$st"

# setpriv as a simple command, so that $! is the daemon itself and not a subshell
setpriv --reuid="$SVC_UID" --regid="$SVC_GID" --clear-groups -- "$B/socialroid" -f -c "$CONF" \
    >>"$TEST_DIR/daemon.log" 2>&1 &
DAEMON_PID=$!
register_pid "$DAEMON_PID"
wait_for 30 http_is 200 /healthz && ok "the daemon runs as the service user" ||
    not_ok "the daemon runs as the service user" "$(tail -n 5 "$TEST_DIR/daemon.log")"

# the operator puts the re-authorised token in the file (in place: owner and mode stay), reloads
newtok=$(sim_get /_world | jq -r '.facebook.accounts[0].access_token')
sed -e "/\[credential facebook-0\]/,/^\[/s|^access_token = .*|access_token = $newtok|" \
    "$etc/credentials" >"$TEST_DIR/credentials.new"
cat "$TEST_DIR/credentials.new" >"$etc/credentials"
rm -f "$TEST_DIR/credentials.new"
rc=0
n=0
reload_lines "$DAEMON_PID" >"$TEST_DIR/reload.cmds"
while read -r line; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    as_service $line >>"$TEST_DIR/reload.out" 2>&1 || rc=$?
done <"$TEST_DIR/reload.cmds"
[ "$n" -eq 2 ] && [ "$rc" -eq 0 ] && ok "systemctl reload's ExecReload= lines succeed as the service user" ||
    not_ok "systemctl reload's ExecReload= lines succeed as the service user" "$n lines, rc=$rc" \
        "$(cat "$TEST_DIR/reload.out")"
wait_for 30 sh -c "psql -XqAt -d $TEST_DB -c \"SELECT state FROM socialroi.account WHERE platform = 'facebook'\" | grep -qx ok"
st=$(sql "SELECT state FROM socialroi.account WHERE platform = 'facebook'")
check_eq "after the reload the daemon uses the new token: the account is ok again" ok "$st"
wait_for 30 sh -c "[ \$(psql -XqAt -d $TEST_DB -c \"SELECT count(*) FROM socialroi.poll_job j JOIN socialroi.account a USING (account_id) WHERE a.platform = 'facebook' AND j.last_success > now() - interval '1 minute'\") -ge 1 ]" &&
    ok "and polls the account again" || not_ok "and polls the account again"
if grep -qF "$newtok" "$TEST_DIR/daemon.log" "$TEST_DIR/reload.out"; then
    not_ok "the new token is not logged"
else
    ok "the new token is not logged"
fi
stop_daemon TERM
check_eq "the daemon stops cleanly" 0 "$DAEMON_RC"
stop_sim
done_testing
