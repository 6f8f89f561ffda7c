#!/bin/sh
# deps.sh [--check|--install] PACKAGE... - make sure the Debian packages the build needs are
# installed.
#
# Installed: says nothing. Missing: prints the exact apt-get line and fails, unless --install
# is given and we are root: then one apt-get update and one apt-get install. A plain build
# passes --check (the default), so it never changes the machine; `make deps` and the test goals
# pass --install. Not Debian: warns and leaves it to pkg-config to find the libraries.
set -eu

mode=--check
case "${1:-}" in
    --check | --install)
        mode=$1
        shift
        ;;
esac

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "deps: not a Debian system; make sure these (or your distribution's equivalents) are installed: $*" >&2
    exit 0
fi

missing=""
for pkg in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)
    case "$status" in
        ii*) ;;
        *) missing="$missing $pkg" ;;
    esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$mode" = --check ] || [ "$(id -u)" -ne 0 ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo "
    echo "deps: missing packages:$missing" >&2
    echo "deps: install them with (or run \`make deps\`):" >&2
    echo "    ${sudo}apt-get update && ${sudo}$cmd" >&2
    exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
