#!/usr/bin/env bash
# listuser benchmark: a postoffice of ACCOUNTS accounts (default 50,000, a
# hundred times MS Mail's limit of 500) made by pogen. The floor is reading the
# same three ACCESS files (cat | wc -c: cat into /dev/null would skip the
# reading) plus listing the MBG and KEY folders that listuser checks.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$here/../../build}
accounts=${ACCOUNTS:-50000}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/mspo-bench-lu.XXXXXX")
trap 'rm -rf "$work"' EXIT
RESULTS=$work/results; : >"$RESULTS"
source "$here/../lib.sh"

echo "listuser benchmark: $accounts accounts" >&2
"$build/tools/pogen/pogen" --users "$accounts" "$work/PO" >/dev/null
po=$work/PO
sync
measure_best "cat ACCESS*.GLB | wc -c" 5 bash -c "cat '$po'/GLB/ACCESS.GLB '$po'/GLB/ACCESS2.GLB '$po'/GLB/ACCESS3.GLB | wc -c"
measure_best "cat + find MBG KEY | wc -l" 5 bash -c "cat '$po'/GLB/ACCESS*.GLB | wc -c; find '$po/MBG' '$po/KEY' -type f | wc -l"
measure_best "listuser" 5 "$build/tools/listuser/listuser" "$po"
measure_best "listuser -f -x" 5 "$build/tools/listuser/listuser" -f -x "$po"
measure_best "listuser -f -x --json" 5 "$build/tools/listuser/listuser" -f -x --json "$po"
measure_best "listuser --sort name --csv" 5 "$build/tools/listuser/listuser" --sort name --csv "$po"
echo "== listuser: $accounts accounts ($(du -sh "$po/GLB" | cut -f1) of GLB)"
table "cat ACCESS*.GLB | wc -c"
