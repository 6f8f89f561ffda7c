#!/bin/sh
# deps.sh PACKAGE... - make sure the Debian packages the build needs are installed.
#
# Installed: says nothing. Missing and root: one apt-get update, then one apt-get install.
# Missing and not root: prints the exact command to run and fails. Not Debian: warns and
# leaves it to pkg-config to find the libraries.
set -eu

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
if [ "$(id -u)" -ne 0 ]; then
    echo "deps: missing packages:$missing" >&2
    echo "deps: install them with:" >&2
    echo "    sudo apt-get update && sudo $cmd" >&2
    exit 1
fi
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >&2
