# t_systemd.sh - the unit file passes systemd-analyze verify with no output at all, and its
# exposure score is printed for the record.
. tests/integration/lib.sh

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
case "$score" in
    *"exposure level"*) ok "systemd-analyze security scores the unit: ${score#*: }" ;;
    *) not_ok "systemd-analyze security scores the unit" "$score" ;;
esac
for f in systemd/socialroi.sysusers.conf systemd/socialroi.tmpfiles.conf; do
    [ -s "$f" ] && ok "$f exists" || not_ok "$f exists"
done
grep -q '^Type=notify' systemd/socialroid.service && ok "the unit is Type=notify" || not_ok "the unit is Type=notify"
grep -q '^ExecReload=.*socialroid -n' systemd/socialroid.service && ok "ExecReload checks the config first" ||
    not_ok "ExecReload checks the config first"
done_testing
