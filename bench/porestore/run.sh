#!/usr/bin/env bash
# porestore benchmark: is a restore no slower than the change it undoes?
#   p1clean removing FILES (default 10,000) small stale files from P1
#   porestore putting them back from p1clean's snapshot
#   porestore --verify of that snapshot
#   tar xzf of the same snapshot into the same state (no checks: the floor)
#   porestore restoring one BIG_MB (default 256) MiB file (memory must not follow it)
# Times are ratios to p1clean's removal; peak memory is /usr/bin/time's maximum RSS.
# Each restore starts SETTLE (default 65) seconds after the removal, as an
# administrator's would: ext4 skips inodes freed in the last 60 s when it
# allocates new ones (fs/ext4/ialloc.c, recently_deleted(): 60 s, 360 s while the
# inode table block is dirty, hence the sync), which makes any
# creation of 10,000 files right after 10,000 removals several times slower,
# for tar as for porestore.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$here/../../build}
files=${FILES:-10000}
big_mb=${BIG_MB:-256}
settle=${SETTLE:-65}
work=$(mktemp -d "${TMPDIR:-/var/tmp}/mspo-bench-restore.XXXXXX")
trap 'rm -rf "$work"' EXIT
RESULTS=$work/results; : >"$RESULTS"
source "$here/../lib.sh"
p1clean=$build/tools/p1clean/p1clean porestore=$build/tools/porestore/porestore

echo "porestore benchmark: $files small stale files in P1; one file of $big_mb MiB" >&2
mkdir -p "$work/template/P1" "$work/template/GLB" "$work/template/MBG"
: >"$work/template/GLB/MASTER.GLB"; : >"$work/template/MBG/INQUEUE3.MBG"  # an empty queue: p1clean trusts it
python3 - "$work/template/P1" "$files" <<'PY'
import os, sys, time
d, n = sys.argv[1], int(sys.argv[2]); now = time.time()
for i in range(n):
    p = os.path.join(d, "%08X.P1" % i)
    with open(p, "wb") as f: f.write(os.urandom(32) + b"E" * (200 + (i * 37) % 1800))
    os.utime(p, (now - 3 * 86400, now - 3 * 86400))
PY
: >"$work/template/P1/POPULATE.MSM"
# Two copies cleaned alike: porestore puts one back, tar the other.
rm -rf "$work/po" "$work/po.snapshots" "$work/tarpo" "$work/tarpo.snapshots"
cp -a "$work/template" "$work/po"; cp -a "$work/template" "$work/tarpo"; sync
measure "p1clean (remove $files files)" "$p1clean" -q "$work/po"
"$p1clean" -q "$work/tarpo" >/dev/null || true
snap=$(ls "$work/po.snapshots"/*-p1clean-*.tar.gz)
tarsnap=$(ls "$work/tarpo.snapshots"/*-p1clean-*.tar.gz)
sync; sleep "$settle"
measure "tar xzf (put them back, unchecked)" tar xzf "$tarsnap" -C "$work/tarpo" --exclude MSPO-MANIFEST.json
measure "porestore (put $files files back)" "$porestore" -q "$snap" "$work/po"
left=$(find "$work/po/P1" -type f | wc -l)
[ "$left" -eq $((files + 1)) ] || { echo "bench: porestore left $left files" >&2; exit 1; }
measure "porestore --verify ($files entries)" "$porestore" -q --verify "$snap"
rm -rf "$work/tarpo" "$work/tarpo.snapshots"

rm -rf "$work/po" "$work/po.snapshots"; mkdir -p "$work/po/P1" "$work/po/GLB" "$work/po/MBG"
: >"$work/po/GLB/MASTER.GLB"; : >"$work/po/MBG/INQUEUE3.MBG"
: >"$work/po/P1/POPULATE.MSM"
head -c $((big_mb * 1024 * 1024)) /dev/urandom >"$work/po/P1/BIG.P1"; touch -d '3 days ago' "$work/po/P1/BIG.P1"
"$p1clean" -q "$work/po" >/dev/null || true
snap=$(ls "$work/po.snapshots"/*-p1clean-*.tar.gz)
[ ! -e "$work/po/P1/BIG.P1" ] || { echo "bench: p1clean kept BIG.P1" >&2; exit 1; }
sync
measure "porestore (one $big_mb MiB file)" "$porestore" -q "$snap" "$work/po"
[ -e "$work/po/P1/BIG.P1" ] || { echo "bench: BIG.P1 not restored" >&2; exit 1; }
echo "== porestore: $files small files; one $big_mb MiB file"
table "p1clean (remove $files files)"
