# t_build.sh - the Makefile: flags from the command line are honoured and do not break the
# build, and a plain `make` never installs packages (it prints the apt-get line and stops),
# while `make deps` does.
. tests/integration/lib.sh

# ---- CFLAGS, CPPFLAGS, LDFLAGS from the caller ------------------------------------------------

fb="$TEST_DIR/flags-build"
# the plain build's flags, whatever build this suite runs under (make asan passes SAN=1 down)
unset MAKEFLAGS MFLAGS MAKELEVEL SAN
check "make CFLAGS=-O1 CPPFLAGS=-DFOO LDFLAGS=-Wl,--as-needed builds the daemon" \
    make --no-print-directory -j2 V=1 B="$fb" CFLAGS=-O1 CPPFLAGS=-DFOO \
    LDFLAGS=-Wl,--as-needed "$fb/socialroid"
cp "$TEST_DIR/check.out" "$TEST_DIR/flags.out"
check_grep "the caller's flags come after ours on every compile" \
    '^cc .*-MP -DFOO -std=c11 -O2 .*-Werror .*-O1 -c -o .*/lib/model/config\.o lib/model/config\.c$' "$TEST_DIR/flags.out"
check_grep "and LDFLAGS on the link" '^cc .*-Wl,-z,relro,-z,now -Wl,--as-needed -o .*/socialroid ' \
    "$TEST_DIR/flags.out"
check "the daemon built that way runs" "$fb/socialroid" --version
check "a caller's own _FORTIFY_SOURCE is not redefined" \
    make --no-print-directory V=1 B="$fb" CPPFLAGS=-D_FORTIFY_SOURCE=3 "$fb/lib/base/buf.o" -W lib/base/buf.c
if grep -q -- '-D_FORTIFY_SOURCE=2' "$TEST_DIR/check.out"; then
    not_ok "only the caller's _FORTIFY_SOURCE is passed" "$(grep ' -c ' "$TEST_DIR/check.out")"
else
    ok "only the caller's _FORTIFY_SOURCE is passed"
fi
rm -rf "$fb"

# ---- packages: a plain make only checks ---------------------------------------------------------

# dpkg-query that knows no package, apt-get that records being called
shim="$TEST_DIR/shim"
mkdir -p "$shim"
printf '#!/bin/sh\nexit 1\n' >"$shim/dpkg-query"
printf '#!/bin/sh\necho "apt-get $*" >>"%s/apt.calls"\n' "$TEST_DIR" >"$shim/apt-get"
chmod 755 "$shim/dpkg-query" "$shim/apt-get"
: >"$TEST_DIR/apt.calls"

nb="$TEST_DIR/nodeps-build"
check_rc 2 "a plain make stops when packages are missing" \
    env PATH="$shim:$PATH" make --no-print-directory B="$nb"
check_grep "and prints the exact apt-get line" \
    'apt-get install -y --no-install-recommends build-essential pkgconf libcurl4-openssl-dev' \
    "$TEST_DIR/last.out"
check_eq "a plain make never runs apt-get" "" "$(cat "$TEST_DIR/apt.calls")"
[ -e "$nb/socialroid" ] && not_ok "and builds nothing" || ok "and builds nothing"

if [ "$(id -u)" -eq 0 ]; then
    check_rc 0 "make deps installs the missing packages" \
        env PATH="$shim:$PATH" make --no-print-directory B="$nb" deps
    check_grep "with one apt-get install of the build and test packages" \
        '^apt-get install .*libcurl4-openssl-dev.*postgresql-15-pgtap' "$TEST_DIR/apt.calls"
else
    ok "# SKIP make deps installs only as root"
fi
rm -rf "$nb"
done_testing
