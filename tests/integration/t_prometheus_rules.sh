# t_prometheus_rules.sh - the shipped Prometheus rules (contrib/prometheus/socialroi.rules.yml):
# promtool accepts them (skipped when promtool is not installed: apt-get install prometheus);
# every rule has a severity and a runbook; every socialroi_* metric a rule reads is one the
# README's metrics list documents; make install puts the file where the README says.
. tests/integration/lib.sh

RULES=contrib/prometheus/socialroi.rules.yml

if command -v promtool >/dev/null 2>&1; then
    check "promtool check rules accepts $RULES" promtool check rules "$RULES"
else
    ok "promtool check rules # SKIP promtool is not installed (apt-get install prometheus)"
fi

# one line per rule: "name|has severity|has runbook|expr"
awk '
    function flush() { if (name != "") print name "|" sev "|" rb "|" expr; name = ""; sev = 0; rb = 0; expr = "" }
    /^ *- alert: / { flush(); name = $3; next }
    /^ *expr: / { sub(/^ *expr: /, ""); expr = $0; next }
    /^ *severity: (warning|critical)$/ { sev = 1; next }
    /^ *runbook: / { rb = 1; next }
    END { flush() }
' "$RULES" >"$TEST_DIR/rules.txt"

n=$(wc -l <"$TEST_DIR/rules.txt")
if [ "$n" -ge 10 ]; then ok "$n rules read"; else not_ok "$n rules read (10 or more expected)"; fi
bad=$(awk -F'|' '$2 != 1 || $3 != 1 || $4 == "" { print $1 }' "$TEST_DIR/rules.txt")
check_eq "every rule has an expression, a severity (warning or critical) and a runbook" "" "$bad"

# the README's metrics list: the "GET /metrics" item of "Health and metrics"
sed -n '/^- `GET \/metrics`/,/^$/p' README.md >"$TEST_DIR/metrics.md"
missing=""
for m in $(cut -d'|' -f4 "$TEST_DIR/rules.txt" | grep -o 'socialroi_[a-z_]*' | sort -u); do
    grep -q "\`$m[\`{]" "$TEST_DIR/metrics.md" || missing="$missing $m"
done
check_eq "every metric the rules read is in the README's metrics list" "" "$missing"
check_grep "the README names the rules file" 'contrib/prometheus/socialroi\.rules\.yml' README.md

dest="$TEST_DIR/install"
check_rc 0 "make install puts the rules in share/socialroi/prometheus" \
    make --no-print-directory -s install B="$B" DESTDIR="$dest" PREFIX=/usr
check "installed as share/socialroi/prometheus/socialroi.rules.yml" \
    cmp "$RULES" "$dest/usr/share/socialroi/prometheus/socialroi.rules.yml"
done_testing
