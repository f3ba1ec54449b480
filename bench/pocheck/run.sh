#!/usr/bin/env bash
# pocheck benchmark (issue 12, "Scale"): a postoffice of ACCOUNTS accounts
# (default 500) holding MAIS message files in all (default 200,000; each account
# MAIS/ACCOUNTS messages, a few freed slots each so the KEY model test has
# evidence). Measured:
#   pocheck             the whole checklist: every step, every check, the model report
#   pocheck --fix -n    the same, then every fixer's dry run
# against the floor of the check: reading the 13 bytes of every MAI that hold its
# reference counter, `find MAI -type f | xargs head -c 13 | wc -c` (pocheck must
# read each counter once; the listing and the mailbags come on top). Times are
# ratios to that floor; peak memory is /usr/bin/time's maximum RSS. The fastest
# of RUNS (default 3) runs after one warm-up, page cache warm.
# pogen needs ~1 min and ~1 GB of disk at the default size; lower it for a
# quick look: MAIS=20000 bench/pocheck/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$here/../../build}
accounts=${ACCOUNTS:-500}
mais=${MAIS:-200000}
runs=${RUNS:-3}
per=$((mais / accounts))
[ "$per" -ge 1 ] || { echo "bench: MAIS must be at least ACCOUNTS" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/var/tmp}/mspo-bench-pocheck.XXXXXX")
trap 'rm -rf "$work"' EXIT
RESULTS=$work/results; : >"$RESULTS"
source "$here/../lib.sh"
pogen=$build/tools/pogen/pogen pocheck=$build/tools/pocheck/pocheck

echo "pocheck benchmark: $accounts accounts, $((per * accounts)) MAI files" >&2
for i in $(seq 1 "$accounts"); do printf 'user U%05d mail=%d freed=2\n' "$i" "$per"; done >"$work/po.spec"
t0=$EPOCHREALTIME
"$pogen" --spec "$work/po.spec" "$work/po" >/dev/null
echo "pogen: $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s;" \
  "$(find "$work/po/MAI" -type f | wc -l) MAI files" >&2
measure_best "head -c 13 of every MAI | wc -c" "$runs" bash -c \
  'find "$1/MAI" -type f -print0 | xargs -0 head -q -c 13 | wc -c' _ "$work/po"
measure_best "pocheck" "$runs" "$pocheck" -q "$work/po"
measure_best "pocheck --fix -n" "$runs" "$pocheck" -q --fix -n "$work/po"
echo "== pocheck: $accounts accounts, $((per * accounts)) MAI files"
table "head -c 13 of every MAI | wc -c"
