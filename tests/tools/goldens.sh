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
# What depends on the moment of the run is masked, in both the goldens and the output they
# are compared with, and only within what the run allows: a time stamp (or epoch
# milliseconds) between the start and the end of the parse is "(now)" (a snapshot is
# observed now; LinkedIn's lead range ends now); a day up to 400 days before today (UTC) is
# "(today-N)", and one up to 400 days after the start of the window parse reads (today + 1 -
# 3660 days, cli/parsecmd.c) "(window start+N)" (the chunked streams' next cursors); a
# quota's wait of at most a day is "(until the quota's day ends)" (the platforms' quota days
# end at their midnights). Any other value stays as printed, so a wrong clock still shows as
# a difference. The fixtures' own days (2021..2024) are far from both ranges until about
# 2031, when they begin to fall out of that window anyway.
#
# Run from anywhere; uses $B/socialroi (B defaults to build) under $SR_WRAP when set.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
cd "$TOP" || exit 1
B=${B:-build}
SR_WRAP=${SR_WRAP:-}
MANIFEST=tests/fixtures/goldens.tsv
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

# mask T0 T1: the output on stdin with the run's own moment masked (T0, T1: epoch seconds
# before and after the parse).
mask() {
    awk -v s0="$(date -u -d "@$1" +%Y-%m-%dT%H:%M:%S)" \
        -v s1="$(date -u -d "@$2" +%Y-%m-%dT%H:%M:%S)" -v m0="$1" -v m1="$2" '
    function times(s, out, t) {
        out = ""
        while (match(s, /"[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9][.0-9]*Z"/)) {
            t = substr(s, RSTART + 1, 19)
            out = out substr(s, 1, RSTART - 1)
            out = out ((t >= s0 && t <= s1) ? "\"(now)\"" : substr(s, RSTART, RLENGTH))
            s = substr(s, RSTART + RLENGTH)
        }
        return out s
    }
    function millis(s, out, v) {
        out = ""
        while (match(s, /[^0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][^0-9]/)) {
            v = substr(s, RSTART + 1, 13) + 0
            out = out substr(s, 1, RSTART)
            out = out ((v >= m0 * 1000 && v <= (m1 + 1) * 1000) ? "(now)" : substr(s, RSTART + 1, 13))
            s = substr(s, RSTART + 14)
        }
        return out s
    }
    # days since 1970-01-01 of a civil date (H. Hinnant), for years after 1970
    function civil(y, m, d, era, yoe, doy) {
        y -= (m <= 2)
        era = int(y / 400)
        yoe = y - era * 400
        doy = int((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1
        return era * 146097 + yoe * 365 + int(yoe / 4) - int(yoe / 100) + doy - 719468
    }
    function rel(name, n) {
        return "(" name (n > 0 ? "+" n : n < 0 ? n : "") ")"
    }
    function days(s, out, t, v) {
        out = ""
        while (match(s, /[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][^T0-9]/)) {
            t = substr(s, RSTART, 10)
            v = civil(substr(t, 1, 4) + 0, substr(t, 6, 2) + 0, substr(t, 9, 2) + 0)
            out = out substr(s, 1, RSTART - 1)
            if (v >= today - 400 && v <= today + 1)
                out = out rel("today", v - today)
            else if (v >= from && v <= from + 400)
                out = out rel("window start", v - from)
            else
                out = out t
            s = substr(s, RSTART + 10)
        }
        return out s
    }
    BEGIN {
        today = int(m0 / 86400)
        from = today + 1 - 3660
    }
    {
        line = days(millis(times($0)))
        if (line ~ /^\{"type":"error","class":"quota"/ &&
            match(line, /"retry_after_ms":[0-9]+/)) {
            v = substr(line, RSTART + 17, RLENGTH - 17) + 0
            if (v > 0 && v <= 86400000)
                line = substr(line, 1, RSTART - 1) "\"retry_after_ms\":\"(until the quota'"'"'s day ends)\"" \
                    substr(line, RSTART + RLENGTH)
        }
        print line
    }'
}

# run FIXTURE STREAM ARGS OUT: parse the fixture as the manifest says, masked, into OUT;
# returns parse's exit status.
run() {
    r_fixture=$1 r_stream=$2 r_out=$4
    eval "set -- $3"
    t0=$(date +%s)
    # shellcheck disable=SC2086
    $SR_WRAP "$B/socialroi" parse "$r_stream" "$F/$r_fixture" "$@" >"$r_out.raw" 2>"$r_out.err"
    rc=$?
    t1=$(date +%s)
    cat "$r_out.raw" "$r_out.err" | mask "$t0" "$t1" >"$r_out"
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
