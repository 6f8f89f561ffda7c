# t_demo.sh - socialroi demo, the README's first command: its own PostgreSQL, the simulator,
# three poll cycles, a summary that matches the simulator's truth, and nothing left running.
. tests/integration/lib.sh

check_rc 0 "socialroi demo exits 0" socialroi demo --dir "$TEST_DIR/demo"
cp "$TEST_DIR/last.out" "$TEST_DIR/demo.out"
check_grep "it polls three cycles" '^poll cycle 3: socialroid --once exited 0' "$TEST_DIR/demo.out"
check_grep "it reports X" '^x +posts +[0-9]+ +[0-9]+ +ok$' "$TEST_DIR/demo.out"
check_grep "it reports Meta spend" '^facebook +spend_micros +[0-9]+ +[0-9]+ +ok$' "$TEST_DIR/demo.out"
check_grep "everything matches the truth" 'every platform.s data and the ROI match' "$TEST_DIR/demo.out"
if pgrep -f "$TEST_DIR/demo" >/dev/null; then
    not_ok "nothing it started is left running" "$(pgrep -af "$TEST_DIR/demo")"
else
    ok "nothing it started is left running"
fi
check_rc 0 "a second demo reuses the directory" socialroi demo --dir "$TEST_DIR/demo"
done_testing
