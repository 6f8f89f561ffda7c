#!/bin/sh
# goldens.sh [--update] [FIXTURE...] - the golden outputs of the fixtures.
#
# tests/fixtures/goldens.tsv names, for every platform response body under tests/fixtures/,
# the stream that reads it and the rest of its `socialroi parse` command line. The golden
# output of tests/fixtures/P/NAME.json is tests/fixtures/P/NAME.json.expected.jsonl: what
# `socialroi parse` prints for it, standard output then standard error (a body that is not
# valid for its stream prints only its message on standard error).
#
# Default (check): parse every fixture of the manifest (or those named, as in the manifest:
# x/user.json) and compare with its golden; print the difference and fail on any. The exit
# status must be the one the golden shows: 3 for an API error line, 2 for a refused body,
# else 0. --update rewrites the goldens from what parse prints now: review the diff.
#
# Every fixture is read as at one fixed moment (parse --now $NOW), so what depends on the
# moment (a snapshot observed now, LinkedIn's lead range ending now, the window parse reads,
# a quota's wait until its day ends) comes out the same on every run and is compared exactly.
#
# Run from anywhere; uses $B/socialroi (B defaults to build) under $SR_WRAP when set.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
B=${B:-build}
SR_WRAP=${SR_WRAP:-}
MANIFEST=tests/fixtures/goldens.tsv
# after every fixture's days (2021..2024) and within the 3660 days parse reads back from it
NOW=2026-12-01T12:00:00Z
F=tests/fixtures

update=0
if [ "${1:-}" = --update ]; then
    update=1
    shift
fi
if [ ! -x "$B/socialroi" ]; then
    echo "goldens: $B/socialroi is not built (make all)" >&2
    exit 2
fi

# run FIXTURE STREAM ARGS OUT: parse the fixture as the manifest says, at $NOW, into OUT;
# returns parse's exit status.
run() {
    r_fixture=$1 r_stream=$2 r_out=$4
    eval "set -- $3"
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroi" parse "$r_stream" "$F/$r_fixture" --now "$NOW" "$@" \
        >"$r_out.raw" 2>"$r_out.err"
    rc=$?
    cat "$r_out.raw" "$r_out.err" >"$r_out"
    rm -f "$r_out.raw" "$r_out.err"
    return $rc
}

# expected_rc GOLDEN: the exit status the golden output shows.
expected_rc() {
    if grep -q '^{"type":"error",' "$1"; then
        echo 3
    elif grep -q '^socialroi: parse: ' "$1"; then
        echo 2
    else
        echo 0
    fi
}

wanted() {
    [ $# -eq 0 ] && return 0
    for w in "$@"; do [ "$w" = "$fixture" ] && return 0; done
    return 1
}

tmp=$(mktemp -d /tmp/goldens.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
status=0
n=0
tab=$(printf '\t')
while IFS="$tab" read -r fixture stream args; do
    case "$fixture" in '' | '#'*) continue ;; esac
    wanted "$@" || continue
    n=$((n + 1))
    golden="$F/$fixture.expected.jsonl"
    run "$fixture" "$stream" "$args" "$tmp/out"
    rc=$?
    if [ $update = 1 ]; then
        case $rc in 0 | 2 | 3) ;; *)
            echo "goldens: $fixture: socialroi parse exited $rc; golden not written" >&2
            status=1
            continue
            ;;
        esac
        cmp -s "$tmp/out" "$golden" 2>/dev/null || { cp "$tmp/out" "$golden" && echo "updated $golden"; }
        continue
    fi
    if [ ! -f "$golden" ]; then
        echo "FAIL $fixture: no golden $golden (tests/tools/goldens.sh --update)"
        status=1
    elif ! diff -u --label "$golden" --label "socialroi parse $stream $F/$fixture${args:+ $args}" \
        "$golden" "$tmp/out" >"$tmp/diff"; then
        echo "FAIL $fixture: the output differs from its golden"
        cat "$tmp/diff"
        status=1
    elif [ "$rc" != "$(expected_rc "$golden")" ]; then
        echo "FAIL $fixture: socialroi parse exited $rc, the golden shows $(expected_rc "$golden")"
        status=1
    else
        echo "ok $fixture"
    fi
done <"$MANIFEST"

if [ $n -eq 0 ]; then
    echo "goldens: no fixture of $MANIFEST matches: $*" >&2
    exit 2
fi
exit $status
