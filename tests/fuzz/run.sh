#!/bin/sh
# run.sh - build every tests/fuzz/fuzz_*.c with libFuzzer + ASan + UBSan and run each for
# FUZZ_SECONDS (default 20). Seeds come from tests/fuzz/seeds/TARGET/ (the fixtures each
# target was written from); new inputs go to a scratch corpus, so the repository stays clean.
# A crash leaves its reproducer in build-fuzz/TARGET/ and fails the run.
set -eu
B=${B:-build}
F=${FUZZ_DIR:-${B}-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-20}
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE"
CFLAGS="$CFLAGS -DSR_VERSION=\"fuzz\" -Ilib -I$B/gen $(pkg-config --cflags libcurl libpq libevent libcjson)"
LIBS="$(pkg-config --libs libcurl libpq libevent libcjson) -lm"
mkdir -p "$F/obj"
# The library is compiled once with the fuzzing instrumentation; each target then links it.
echo "fuzz: building the instrumented library"
objs=""
for src in $(find lib -name "*.c" | sort) "$B/gen/schema_files.c"; do
    obj="$F/obj/$(echo "$src" | tr '/' '_').o"
    # shellcheck disable=SC2086
    clang $CFLAGS -c -o "$obj" "$src" || exit 1
    objs="$objs $obj"
done
status=0
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    target=${name#fuzz_}
    # shellcheck disable=SC2086
    if ! clang $CFLAGS -o "$F/$name" "$src" $objs $LIBS; then
        echo "fuzz: $name did not build"
        status=1
        continue
    fi
    corpus="$F/$target.corpus"
    mkdir -p "$corpus" "$F/$target"
    [ -d "tests/fuzz/seeds/$target" ] && cp tests/fuzz/seeds/"$target"/* "$corpus"/ 2>/dev/null || true
    if ! (cd "$F/$target" && "../$name" -max_total_time="$SECONDS_EACH" -max_len=65536 \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 "../$target.corpus" \
        >"../$name.log" 2>&1); then
        echo "fuzz: $name FAILED, see $F/$name.log and the crash file in $F/$target/"
        tail -n 30 "$F/$name.log"
        status=1
    else
        echo "fuzz: $name ok for ${SECONDS_EACH}s ($(ls "$corpus" | wc -l) inputs in the corpus)"
    fi
done
exit $status
