#!/usr/bin/env bash
# p1clean benchmark: a P1 folder of FILES envelopes (default 200,000) of
# 200-500 bytes, as real ones are (encoded text after a short header), half of
# them stale (3 days old), against what an administrator would otherwise run:
#   find P1 -type f -mtime +2 -delete           (no backup)
#   tar czf of the stale files, then rm them     (with backup, like p1clean)
# Each command gets its own copy of the same tree (cp -a keeps the mtimes).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$here/../../build}
files=${FILES:-200000}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/mspo-bench-p1.XXXXXX")
trap 'rm -rf "$work"' EXIT
RESULTS=$work/results; : >"$RESULTS"
source "$here/../lib.sh"

echo "p1clean benchmark: $files files in P1, half stale" >&2
mkdir -p "$work/template/P1"
python3 - "$work/template/P1" "$files" <<'PY'
import base64, os, sys, time
d, n = sys.argv[1], int(sys.argv[2]); now = time.time()
for i in range(n):
    p = os.path.join(d, "%08X.P1" % i)
    size = 200 + (i * 37) % 301
    head = b"FROM: SMTP:user%05d@example.com\r\nTO: MS:NET/PO/U%04d\r\n" % (i % 99991, i % 500)
    with open(p, "wb") as f: f.write((head + base64.b64encode(os.urandom(size)))[:size])
    age = 3 * 86400 if i % 2 == 0 else 3600
    os.utime(p, (now - age, now - age))
PY
: >"$work/template/P1/POPULATE.MSM"
# A postoffice (GLB/MASTER.GLB) with an empty queue: p1clean keeps every stale
# envelope when MBG/INQUEUE3.MBG is missing.
mkdir -p "$work/template/GLB" "$work/template/MBG"
: >"$work/template/GLB/MASTER.GLB"; : >"$work/template/MBG/INQUEUE3.MBG"
fresh() { rm -rf "$work/po" "$work/po.snapshots" "$work/stale.tar.gz"; cp -a "$work/template" "$work/po"; sync; }

fresh; measure "find -mtime +2 -delete" find "$work/po/P1" -type f -mtime +2 -delete
fresh
( cd "$work/po" && find P1 -type f -mtime +2 -print0 >"$work/stale.list" )
measure "tar czf stale + rm" bash -c "cd '$work/po' && tar czf '$work/stale.tar.gz' --null -T '$work/stale.list' && xargs -0 rm -f <'$work/stale.list'"
fresh; measure "p1clean (snapshot+verify+rm)" "$build/tools/p1clean/p1clean" -q "$work/po"
left=$(find "$work/po/P1" -type f | wc -l)
[ "$left" -eq $((files / 2 + 1)) ] || { echo "bench: p1clean left $left files" >&2; exit 1; }
fresh; measure "p1clean -n (dry run)" "$build/tools/p1clean/p1clean" -q -n "$work/po" || true
echo "== p1clean: $files files, $((files / 2)) stale"
table "tar czf stale + rm"
