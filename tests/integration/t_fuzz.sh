# t_fuzz.sh - a bounded libFuzzer run of every parser target under ASan and UBSan: the
# configuration loader, and the adapters' stream parsers once per platform, seeded with that
# platform's fixtures; a few seconds each, so make check catches a crash a new fixture or
# parser change brings; `make fuzz` runs them longer.
. tests/integration/lib.sh

FUZZ_DIR="$TEST_DIR/fuzz" FUZZ_SECONDS=${FUZZ_SECONDS:-3} sh tests/fuzz/run.sh >"$TEST_DIR/fuzz.out" 2>&1
names="fuzz_config"
for d in tests/fixtures/*/; do
    ls "$d" | grep -q '\.json$' && names="$names fuzz_adapters:$(basename "$d")"
done
for n in $names; do
    name=$(echo "$n" | tr ':' ' ')
    if grep -q "^fuzz: $name ok" "$TEST_DIR/fuzz.out"; then
        ok "$name runs clean"
    else
        not_ok "$name runs clean"
        grep -A 30 "$name" "$TEST_DIR/fuzz.out" | tail -n 30 | sed -e 's/^/# /'
    fi
done
done_testing
