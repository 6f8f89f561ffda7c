# t_fuzz.sh - a bounded libFuzzer run of every parser target (config, each platform's stream
# parsers) under ASan and UBSan, seeded with the fixtures: a few seconds each, so make check
# catches a crash a new fixture or parser change brings; `make fuzz` runs them longer.
. tests/integration/lib.sh

FUZZ_DIR="$TEST_DIR/fuzz" FUZZ_SECONDS=${FUZZ_SECONDS:-3} sh tests/fuzz/run.sh >"$TEST_DIR/fuzz.out" 2>&1
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    if grep -q "^fuzz: $name ok" "$TEST_DIR/fuzz.out"; then
        ok "$name runs clean"
    else
        not_ok "$name runs clean"
        grep -A 30 "$name" "$TEST_DIR/fuzz.out" | tail -n 30 | sed -e 's/^/# /'
    fi
done
done_testing
