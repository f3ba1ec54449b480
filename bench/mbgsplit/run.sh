#!/usr/bin/env bash
# mbgsplit benchmark: one mailbag of HEADERS (default 1,000,000) headers, 1,000 of
# them deleted slots spread among the first 4,096 (MBG of 116 bytes a header:
# 116 MB at 1,000,000), plus a few users with mail and freed slots (the KEY model
# test needs several decisive MAI counters). Measured:
#   mbgsplit --check            the survey (reads every MBG, KEY and MAI counter)
#   mbgsplit -n                 the dry run (the survey plus the plan)
#   mbgsplit                    the real split (default --max 4000), with its snapshot
#   mbgsplit --merge --max 4095 bringing back the 95 headers that fit
# against the floor a user would otherwise pay: cp of the mailbag and its KEY,
# gzip -1 -c MBG > /dev/null (reads and compresses every byte, as a snapshot
# does), and reading 13 bytes of every MAI file (what the KEY model test reads). Times are ratios to the cp; peak memory is /usr/bin/time's maximum RSS.
# pogen needs ~3 min and ~4 GB of disk (1,000,000 MAI files) at the default size;
# lower it for a quick look: HEADERS=100000 bench/mbgsplit/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$here/../../build}
headers=${HEADERS:-1000000}
freed=1000
[ "$headers" -gt "$freed" ] || { echo "bench: HEADERS must be over $freed" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/var/tmp}/mspo-bench-mbgsplit.XXXXXX")
trap 'rm -rf "$work"' EXIT
RESULTS=$work/results; : >"$RESULTS"
source "$here/../lib.sh"
pogen=$build/tools/pogen/pogen mbgsplit=$build/tools/mbgsplit/mbgsplit

echo "mbgsplit benchmark: one mailbag of $headers headers ($freed deleted slots spread)" >&2
printf '%s\n' "user ADMIN mail=3 freed=2" \
  "user ALICE mail=$((headers - freed)) freed=$freed freed-at=spread" \
  "user BOB mail=5 freed=3" "user CAROL mail=4 freed=2" >"$work/po.spec"
t0=$EPOCHREALTIME
"$pogen" --spec "$work/po.spec" "$work/po" >/dev/null
echo "pogen: $(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }') s;" \
  "MBG $(stat -c %s "$work/po/MBG/00000001.MBG") bytes" >&2
mkdir "$work/floor"; sync
measure "cp MBG + KEY (floor)" cp "$work/po/MBG/00000001.MBG" "$work/po/KEY/00000001.KEY" "$work/floor/"
measure "gzip -1 -c MBG >/dev/null" gzip -1 -c "$work/po/MBG/00000001.MBG"
# The KEY model test must read the counter (13 bytes) of every MAI a header names:
# its floor is reading that much of every MAI file.
measure "head -c 13 of every MAI | wc -c" bash -c \
  'find "$1/MAI" -type f -print0 | xargs -0 head -q -c 13 | wc -c' _ "$work/po"
rm -rf "$work/floor"
measure "mbgsplit --check" "$mbgsplit" -q --check "$work/po"
measure "mbgsplit -n" "$mbgsplit" -q -n "$work/po"
sync
measure "mbgsplit (split, snapshot)" "$mbgsplit" -q "$work/po"
over=$(find "$work/po/MBG" -name '*.MBG' -size +$((4000 * 116))c | wc -l)
[ "$over" -eq 0 ] || { echo "bench: $over mailbags still over 4000 records" >&2; exit 1; }
echo "after the split: $(find "$work/po/MBG" -name '*.MBG' | wc -l) mailbags," \
  "snapshot $(du -b "$work"/po.snapshots/*.tar.gz | cut -f1) bytes" >&2
sync
measure "mbgsplit --merge --max 4095" "$mbgsplit" -q --merge --max 4095 "$work/po"
echo "== mbgsplit: one mailbag of $headers headers"
table "cp MBG + KEY (floor)"
