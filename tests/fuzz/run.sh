#!/bin/sh
# run.sh - build the libFuzzer targets with ASan + UBSan and run each for FUZZ_SECONDS (default
# 20): fuzz_config, seeded with the example configuration files (config/), and fuzz_adapters
# once per platform (FUZZ_ADAPTER=NAME), seeded with that platform's fixtures as they are
# (tests/fixtures/NAME/). FUZZ_ADAPTERS="x hubspot" runs some platforms only; the default is
# every directory of tests/fixtures/ that holds JSON bodies. New inputs go to a scratch corpus,
# so the repository stays clean. A crash leaves its reproducer in build-fuzz/TARGET/ and fails
# the run; each run prints "fuzz: NAME ok" (NAME: fuzz_config, fuzz_adapters PLATFORM) or
# "fuzz: NAME FAILED".
set -eu
cd "$(dirname "$0")/../.."
TOP=$(pwd)
B=${B:-build}
F=${FUZZ_DIR:-${B}-fuzz}
SECONDS_EACH=${FUZZ_SECONDS:-20}
if [ -z "${FUZZ_ADAPTERS:-}" ]; then
    FUZZ_ADAPTERS=$(for d in tests/fixtures/*/; do
        ls "$d" | grep -q '\.json$' && basename "$d"
    done | tr '\n' ' ')
fi
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE"
CFLAGS="$CFLAGS -DSR_VERSION=\"fuzz\" $(for d in lib/*/; do printf -- "-I%s " "${d%/}"; done)-I$B/gen $(pkg-config --cflags libcurl libpq libevent libcjson)"
LIBS="$(pkg-config --libs libcurl libpq libevent libcjson) -lm"
mkdir -p "$F/obj"
# The library is compiled once with the fuzzing instrumentation; each target then links it.
echo "fuzz: building the instrumented library"
objs=""
for src in $(find lib -name "*.c" | sort) "$B/gen/schema_files.c" "$B/gen/sentiment_lexicon.c"; do
    obj="$F/obj/$(echo "$src" | tr '/' '_').o"
    # shellcheck disable=SC2086
    clang $CFLAGS -c -o "$obj" "$src" || exit 1
    objs="$objs $obj"
done
status=0

# fuzz NAME BINARY DIR SEEDS [PLATFORM]: run BINARY in $F/DIR on a scratch corpus plus the seed
# directory, with FUZZ_ADAPTER=PLATFORM.
fuzz() {
    name=$1 bin=$2 dir=$3 seeds=$4 platform=${5:-}
    corpus="$F/$dir.corpus"
    mkdir -p "$corpus" "$F/$dir"
    if ! (cd "$F/$dir" && FUZZ_ADAPTER=$platform "../$bin" -max_total_time="$SECONDS_EACH" -max_len=65536 \
        -timeout=10 -rss_limit_mb=2048 -print_final_stats=0 "../$dir.corpus" "$seeds" \
        >"../$dir.log" 2>&1); then
        echo "fuzz: $name FAILED, see $F/$dir.log and the crash file in $F/$dir/"
        tail -n 30 "$F/$dir.log"
        status=1
    else
        echo "fuzz: $name ok for ${SECONDS_EACH}s ($(ls "$corpus" | wc -l) new inputs in the corpus)"
    fi
}

for target in config adapters; do
    # shellcheck disable=SC2086
    if ! clang $CFLAGS -o "$F/fuzz_$target" "tests/fuzz/fuzz_$target.c" $objs $LIBS; then
        echo "fuzz: fuzz_$target did not build"
        status=1
    fi
done
[ -x "$F/fuzz_config" ] && fuzz fuzz_config fuzz_config config "$TOP/config"
if [ -x "$F/fuzz_adapters" ]; then
    for p in $FUZZ_ADAPTERS; do
        fuzz "fuzz_adapters $p" fuzz_adapters "$p" "$TOP/tests/fixtures/$p" "$p"
    done
fi
exit $status
