#!/bin/sh
# table.sh RESULTS.json - the benchmark's table: each figure, its reference from the same run,
# the ratio, the target and whether it is met. Reads what bench.sh wrote; prints only.
set -eu
jq -r -f "$(dirname "$0")/table.jq" "$1" | column -t -s '	'
