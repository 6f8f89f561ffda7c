# t_goldens.sh - every platform response body under tests/fixtures/ parses exactly into its
# golden output (tests/fixtures/P/NAME.json.expected.jsonl, written by tests/tools/goldens.sh
# --update from the stream and arguments of tests/fixtures/goldens.tsv): one line per
# fixture, with the difference when there is one. Also: every JSON fixture has a row (the
# token endpoints' answers excepted: no stream reads them) and every golden a fixture.
. tests/integration/lib.sh

F=tests/fixtures
M=$F/goldens.tsv
tab=$(printf '\t')

sh tests/tools/goldens.sh >"$TEST_DIR/goldens.out" 2>&1
rc=$?

rows=0
while IFS="$tab" read -r fixture stream args; do
    case "$fixture" in '' | '#'*) continue ;; esac
    rows=$((rows + 1))
    name="$fixture as $stream${args:+ $args}"
    if grep -qxF "ok $fixture" "$TEST_DIR/goldens.out"; then
        ok "$name"
    else
        not_ok "$name"
        # the block goldens.sh printed for it: its FAIL line and the diff under it
        awk -v f="FAIL $fixture:" 'index($0, f) == 1 { on = 1; print; next }
            /^(ok|FAIL) / { on = 0 } on' "$TEST_DIR/goldens.out" | head -n 40 | sed -e 's/^/# /'
    fi
done <"$M"
if [ $rc -eq 0 ] && [ "$rows" -gt 0 ]; then
    ok "goldens.sh passes ($rows fixtures)"
else
    not_ok "goldens.sh passes ($rows fixtures)" "exit $rc"
    grep -v '^ok ' "$TEST_DIR/goldens.out" | head -n 20 | sed -e 's/^/# /'
fi

# Every JSON fixture is in the manifest, and every golden belongs to a row of it
grep -v '^#' "$M" | cut -f 1 | sort >"$TEST_DIR/rows"
(cd "$F" && ls -- */*.json) | grep -v '/token[^/]*\.json$' | sort >"$TEST_DIR/fixtures"
missing=$(comm -13 "$TEST_DIR/rows" "$TEST_DIR/fixtures")
check_eq "every JSON fixture but the token answers has a row in goldens.tsv" "" "$missing"
(cd "$F" && ls -- */*.expected.jsonl) | sed -e 's/\.expected\.jsonl$//' | sort >"$TEST_DIR/goldens"
orphans=$(comm -13 "$TEST_DIR/rows" "$TEST_DIR/goldens")
check_eq "every golden output belongs to a row of goldens.tsv" "" "$orphans"
done_testing
