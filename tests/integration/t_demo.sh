# t_demo.sh - socialroi demo, the README's first command: its own PostgreSQL, the simulator,
# three poll cycles, a summary that matches the simulator's truth, and nothing left running;
# also from a directory the postgres user cannot enter.
. tests/integration/lib.sh

check_rc 0 "socialroi demo exits 0" socialroi demo --dir "$TEST_DIR/demo"
cp "$TEST_DIR/last.out" "$TEST_DIR/demo.out"
check_grep "it polls three cycles" '^poll cycle 3: socialroid --once exited 0' "$TEST_DIR/demo.out"
check_grep "it reports X" '^x +posts +[0-9]+ +[0-9]+ +ok$' "$TEST_DIR/demo.out"
check_grep "it reports Meta spend" '^facebook +spend_micros +[0-9]+ +[0-9]+ +ok$' "$TEST_DIR/demo.out"
check_grep "it ends with the ROI report" '^ROI by campaign, .*, model linear, currency USD$' "$TEST_DIR/demo.out"
check_grep "the ROI matches the truth" '^ROI per campaign \(first_touch and linear\) equals' "$TEST_DIR/demo.out"
check_grep "everything matches the truth" "every platform's data and the ROI match" "$TEST_DIR/demo.out"
check_grep "it writes the period's charts" "^The charts of this period: $TEST_DIR/demo/report.html" "$TEST_DIR/demo.out"
n=$(grep -c '<figure id=' "$TEST_DIR/demo/report.html" 2>/dev/null)
check_eq "the page has the seven charts" 7 "${n:-0}"
if pgrep -f "$TEST_DIR/demo" >/dev/null; then
    not_ok "nothing it started is left running" "$(pgrep -af "$TEST_DIR/demo")"
else
    ok "nothing it started is left running"
fi
check_rc 0 "a second demo reuses the directory" socialroi demo --dir "$TEST_DIR/demo"

# A directory the postgres user cannot enter, like a clone in /root: as root the server's files
# go under /tmp instead, and nothing of them is left there afterwards.
if [ "$(id -u)" -eq 0 ]; then
    mkdir -p "$TEST_DIR/private"
    chmod 700 "$TEST_DIR/private"
    ls -d /tmp/socialroi-demo.* 2>/dev/null | sort >"$TEST_DIR/tmp.before"
    check_rc 0 "the demo runs in a 0700 directory" socialroi demo --dir "$TEST_DIR/private/demo"
    ls -d /tmp/socialroi-demo.* 2>/dev/null | sort >"$TEST_DIR/tmp.after"
    check_eq "and removes its PostgreSQL directory from /tmp" "" \
        "$(comm -13 "$TEST_DIR/tmp.before" "$TEST_DIR/tmp.after")"
    check_grep "its logs stay in the demo directory" 'database system is shut down' \
        "$TEST_DIR/private/demo/pg/server.log"
fi
done_testing
