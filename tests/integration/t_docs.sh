# t_docs.sh - the manual pages against the code: each page renders without a warning (groff
# -ww and man -l); socialroi.conf(5) documents every section and every key of the key tables
# (lib/model/config_keys.c), each with the reload behaviour the table gives it, and its examples pass
# socialroid -n;
# socialroid(8) documents every long option of the daemon, socialroi(1) every command and every
# long option of the tool; the pages name every stream and carry the release's version.
. tests/integration/lib.sh

M="man"
PAGES="$M/socialroid.8 $M/socialroi.1 $M/socialroi.conf.5"

# ---- rendering -------------------------------------------------------------------------------

for p in $PAGES; do
    if [ ! -f "$p" ]; then
        not_ok "$p exists"
        continue
    fi
    if command -v groff >/dev/null 2>&1; then
        out=$(groff -man -Tutf8 -ww -z "$p" 2>&1)
        if [ -z "$out" ]; then
            ok "$p renders with groff -man -ww without a warning"
        else
            not_ok "$p renders with groff -man -ww without a warning"
            echo "$out" | sed -e 's/^/# /' | head -n 20
        fi
    else
        ok "$p renders with groff # SKIP groff is not installed (apt-get install groff-base)"
    fi
    if command -v man >/dev/null 2>&1; then
        LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" >"$TEST_DIR/man.out" 2>"$TEST_DIR/man.err"
        rc=$?
        if [ $rc -eq 0 ] && [ ! -s "$TEST_DIR/man.err" ] && [ -s "$TEST_DIR/man.out" ]; then
            ok "$p renders with man -l"
        else
            not_ok "$p renders with man -l" "exit $rc"
            head -n 20 "$TEST_DIR/man.err" | sed -e 's/^/# /'
        fi
    else
        ok "$p renders with man -l # SKIP man is not installed (apt-get install man-db)"
    fi
done

version=$(cat VERSION)
for p in $PAGES; do
    check_grep "$p names release $version" "^\\.TH .*\"socialroi $version\"" "$p"
done

# ---- socialroi.conf(5) against lib/model/config_keys.c ----------------------------------------------

# "section key reload" for every key of the key tables (an entry may span lines)
awk '
    /^static const struct key_def [a-z_]+\[\] = \{/ {
        t = $0; sub(/^static const struct key_def /, "", t); sub(/\[.*/, "", t); next
    }
    t != "" && /^\};/ { t = ""; next }
    t != "" && /^ *\{"/ { e = $0; open = 1 }
    t != "" && open && !/^ *\{"/ { e = e " " $0 }
    t != "" && open && /\},? *$/ {
        open = 0
        k = e; sub(/^ *\{"/, "", k); sub(/".*/, "", k)
        print t, k, (e ~ /F_RESTART/ ? "restart" : "reload")
    }
' lib/model/config_keys.c >"$TEST_DIR/keys.raw"
awk 'NR == FNR { if ($0 ~ /SEC\("/) { s = $0; sub(/.*SEC\("/, "", s); n = s; sub(/".*/, "", s);
                                       sub(/.*, /, "", n); sub(/\).*/, "", n); sec[n] = s }
                 next }
     { print (($1 in sec) ? sec[$1] : "?" $1), $2, $3 }' lib/model/config_keys.c "$TEST_DIR/keys.raw" |
    sort >"$TEST_DIR/keys.code"

nkeys=$(wc -l <"$TEST_DIR/keys.code")
if [ "$nkeys" -ge 40 ] && ! grep -q '^?' "$TEST_DIR/keys.code"; then
    ok "lib/model/config_keys.c's key tables read ($nkeys keys)"
else
    not_ok "lib/model/config_keys.c's key tables read ($nkeys keys)"
    head -n 5 "$TEST_DIR/keys.code" | sed -e 's/^/# /'
fi

# "section key reload" for every key entry of the page: ".B key" under ".SH [section ...]" or
# ".SS [section ...]", followed by its "\fItype; default; reload applies it|restart only\fP"
awk '
    /^\.S[HS] / { s = ""; if ($2 ~ /^\[/) { s = $2; gsub(/[][]/, "", s) } next }
    s != "" && /^\.B [a-z_0-9]+$/ { k = $2; next }
    s != "" && k != "" && /^\\fI.*(reload applies it|restart only)\\fP$/ {
        print s, k, (/restart only/ ? "restart" : "reload")
    }
    { k = "" }
' "$M/socialroi.conf.5" | sort >"$TEST_DIR/keys.man"

missing=$(comm -23 "$TEST_DIR/keys.code" "$TEST_DIR/keys.man")
extra=$(comm -13 "$TEST_DIR/keys.code" "$TEST_DIR/keys.man")
if [ -z "$missing" ]; then
    ok "socialroi.conf.5 documents every key of lib/model/config_keys.c with its reload behaviour"
else
    not_ok "socialroi.conf.5 documents every key of lib/model/config_keys.c with its reload behaviour" \
        "missing or with another reload behaviour (section key reload):"
    echo "$missing" | sed -e 's/^/# /'
fi
if [ -z "$extra" ]; then
    ok "socialroi.conf.5 documents no key lib/model/config_keys.c does not have"
else
    not_ok "socialroi.conf.5 documents no key lib/model/config_keys.c does not have"
    echo "$extra" | sed -e 's/^/# /'
fi

# every section kind, [fx] included
sed -n -e 's/.*\(SEC("\|\[SEC_[A-Z]*\] = {"\)\([a-z][a-z]*\)", \(true\|false\).*/\2 \3/p' lib/model/config_keys.c |
    sort -u >"$TEST_DIR/sections"
nsec=0
bad=""
while read -r kind named; do
    nsec=$((nsec + 1))
    if [ "$named" = true ]; then want="^\\.S[HS] \\[$kind NAME\\]\$"; else want="^\\.S[HS] \\[$kind\\]\$"; fi
    grep -q "$want" "$M/socialroi.conf.5" || bad="$bad [$kind]"
done <"$TEST_DIR/sections"
if [ "$nsec" -ge 7 ] && [ -z "$bad" ]; then
    ok "socialroi.conf.5 has a section for each of the $nsec section kinds"
else
    not_ok "socialroi.conf.5 has a section for each of the $nsec section kinds" "missing:$bad"
fi

# the examples, as a reader would copy them, pass socialroid -n
ex="$TEST_DIR/example"
mkdir -p "$ex/campaigns.d"
awk -v dir="$ex" '
    /^\.SH / { inex = ($2 == "EXAMPLES") }
    inex && /^\.nf$/ { n++; on = 1; next }
    inex && /^\.fi$/ { on = 0; next }
    inex && on {
        gsub(/\\-/, "-"); gsub(/\\e/, "\\")
        f = n == 1 ? "socialroi.conf" : n == 2 ? "campaigns.d/example.conf" : "credentials"
        print >> (dir "/" f)
    }
' "$M/socialroi.conf.5"
chmod 600 "$ex/credentials" 2>/dev/null
# the example's own paths point at /etc and /var: put this test's in front of them
sed -i -e "s|^\\[daemon\\]\$|[daemon]\\ncredentials = $ex/credentials\\nstate_dir = $ex|" \
    "$ex/socialroi.conf" 2>/dev/null
check_rc 0 "socialroi.conf.5's examples pass socialroid -n" socialroid -n -c "$ex/socialroi.conf"
check_grep "and hold accounts and a campaign" 'valid \([1-9][0-9]* accounts, [1-9][0-9]* campaigns[;)]' \
    "$TEST_DIR/last.out"

# ---- socialroid(8) and socialroi(1) against the code ------------------------------------------

# long options: {"name", required_argument|no_argument, ...}
longopts() {
    sed -n -e 's/.*{"\([a-z][a-z-]*\)", *\(required\|no\|optional\)_argument.*/\1/p' "$@" | sort -u
}

bad=""
for o in $(longopts daemon/main.c); do
    grep -q -- "\\\\-\\\\-$o\\b" "$M/socialroid.8" || bad="$bad --$o"
done
n=$(longopts daemon/main.c | wc -l)
if [ "$n" -ge 5 ] && [ -z "$bad" ]; then
    ok "socialroid.8 documents each of socialroid's $n long options"
else
    not_ok "socialroid.8 documents each of socialroid's $n long options" "missing:$bad"
fi

# the tool's sources: cli/, where its main and every command live
cli_src=""
for f in cli/*.c; do
    [ -f "$f" ] && cli_src="$cli_src $f"
done
bad=""
# shellcheck disable=SC2086 # cli_src is a list of plain file names
for o in $(longopts $cli_src); do
    grep -q -- "\\\\-\\\\-$o\\b" "$M/socialroi.1" || bad="$bad --$o"
done
# shellcheck disable=SC2086
n=$(longopts $cli_src | wc -l)
if [ "$n" -ge 10 ] && [ -z "$bad" ]; then
    ok "socialroi.1 documents each of socialroi's $n long options"
else
    not_ok "socialroi.1 documents each of socialroi's $n long options" "missing:$bad"
fi

# commands: the dispatch table's {"name", cmd_...} entries
# shellcheck disable=SC2086
cmds=$(sed -n -e 's/^ *{"\([a-z][a-z]*\)", *cmd_[a-z_]*.*/\1/p' $cli_src | sort -u)
bad=""
n=0
for c in $cmds; do
    n=$((n + 1))
    grep -q "^\\.B socialroi $c\\b" "$M/socialroi.1" || bad="$bad $c(synopsis)"
    grep -q "^\\.B $c\\b" "$M/socialroi.1" || bad="$bad $c(COMMANDS)"
done
if [ "$n" -ge 7 ] && [ -z "$bad" ]; then
    ok "socialroi.1 has each of socialroi's $n commands in SYNOPSIS and COMMANDS"
else
    not_ok "socialroi.1 has each of socialroi's $n commands in SYNOPSIS and COMMANDS" "missing:$bad"
fi

# the commands every release documents, whether or not this build has them yet
for c in migrate parse status streams poll backfill report fx rollup demo; do
    check_grep "socialroi.1 documents socialroi $c" "^\\.B socialroi $c\\b" "$M/socialroi.1"
done

# ---- streams ------------------------------------------------------------------------------------

# The adapters declare the streams; socialroi streams prints them. Each is named by both pages,
# and the README's table and socialroi.conf(5) give it the interval and lookback it has.
"$B/socialroi" streams | sed 1d >"$TEST_DIR/streams.txt"
bad=""
n=0
while read -r s platform interval lookback _; do
    n=$((n + 1))
    grep -q "^\\.BR\\? $s\\b" "$M/socialroi.1" || bad="$bad $s(socialroi.1)"
    grep -q "^\\.BR\\? $s\\b" "$M/socialroi.conf.5" || bad="$bad $s(socialroi.conf.5)"
    grep -qF "| \`$s\` | $platform | $interval | $lookback |" README.md || bad="$bad $s(README)"
    want="($interval, $lookback"
    [ "$lookback" = 0 ] && want="($interval)"
    grep -A1 "^\\.B $s\$" "$M/socialroi.conf.5" | sed -n 2p | grep -qF "$want" ||
        bad="$bad $s(socialroi.conf.5 says not $want)"
done <"$TEST_DIR/streams.txt"
if [ "$n" -ge 19 ] && [ -z "$bad" ]; then
    ok "socialroi.1, socialroi.conf.5 and the README name each of the $n streams, with its interval and lookback"
else
    not_ok "socialroi.1, socialroi.conf.5 and the README name each of the $n streams, with its interval and lookback" "wrong:$bad"
fi
readme=$(grep -c '^| `[a-z]*\.[a-z_]*` | [a-z]* | ' README.md)
if [ "$readme" -eq "$n" ]; then
    ok "the README's stream table has no stream socialroi streams does not list"
else
    not_ok "the README's stream table has no stream socialroi streams does not list" "$readme rows, $n streams"
fi

# a merge left half done shows in the text: no file of the source holds a conflict marker
marked=$(git ls-files -z 2>/dev/null | xargs -0 grep -lE '^(<<<<<<< |>>>>>>> )' 2>/dev/null)
[ -z "$marked" ] && ok "no file holds a merge conflict marker" ||
    not_ok "no file holds a merge conflict marker" "$marked"

done_testing
