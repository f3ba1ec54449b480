#!/usr/bin/env bash
# Snapshot speed: our snapshot (write + full read-back verify) against
# `tar czf` of the same files. Usage:
#   bench/snapshot/run.sh [BUILD_DIR [FILES [TOTAL_MB]]]  (or BUILD=, FILES= in the environment)
# (defaults 20000 files, 200 MB of mail-like data). Prints times, the ratio
# (ours / tar; below 1.0 is faster) and peak memory (from /usr/bin/time -v).
# Ours is write_snapshot() run by snapshot_bench.cpp (the CMake target
# mspo_bench_snapshot of BUILD_DIR, built here on demand): pax tar + parallel gzip, fsync, then the full
# read-back check of every CRC, exactly what every fixer runs. Run it on an
# otherwise idle machine: the point is the ratio.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-${BUILD:-$here/../../build}}
FILES=${2:-${FILES:-20000}}
TOTAL_MB=${3:-200}
PORESTORE=$BUILD/tools/porestore/porestore
BENCH=$BUILD/bench/mspo_bench_snapshot
W=$(mktemp -d "${TMPDIR:-/tmp}/mspo-bench.XXXXXX")
trap 'rm -rf "$W"' EXIT

echo "== generating $FILES files, ~$TOTAL_MB MB of mail-like text in $W/PO"
python3 - "$W/PO" "$FILES" "$TOTAL_MB" <<'PY'
import os, random, sys
root, n, total = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) * 1024 * 1024
random.seed(42)
words = ("the of and to in is for meeting budget quarter report attached please review "
         "thanks regards subject from sent monday friday office server postoffice mail "
         "external gateway queue message delivery schedule project update").split()
avg = total // n
for d in range(16):
    os.makedirs(f"{root}/MAI/MA{d:X}", exist_ok=True)
for i in range(n):
    size = max(64, int(random.expovariate(1 / avg)))
    hdr = bytes(random.getrandbits(8) for _ in range(64))     # binary header, as in a MAI
    text = []
    length = 0
    while length < size:
        w = random.choice(words)
        text.append(w)
        length += len(w) + 1
    body = (" ".join(text)).encode()[: size - 64]
    with open(f"{root}/MAI/MA{i % 16:X}/{i:08X}.MAI", "wb") as f:
        f.write(hdr + body)
PY
du -sh "$W/PO" | sed 's/^/   size on disk: /'

echo "== tar czf (GNU tar + gzip -6, one gzip process)"
/usr/bin/time -v -o "$W/tar.time" tar czf "$W/tar.tar.gz" -C "$W/PO" MAI
tar_s=$(awk -F': ' '/Elapsed/ {print $2}' "$W/tar.time")
tar_kb=$(awk -F': ' '/Maximum resident/ {print $2}' "$W/tar.time")

cmake --build "$BUILD" --target mspo_bench_snapshot >/dev/null
for threads in 1 2; do
  rm -rf "$W/PO.snapshots"
  /usr/bin/time -v -o "$W/ours$threads.time" "$BENCH" "$W/PO" "$threads" >"$W/ours$threads.out"
  eval "ours${threads}_s=\$(awk -F': ' '/Elapsed/ {print \$2}' \"\$W/ours$threads.time\")"
  eval "ours${threads}_kb=\$(awk -F': ' '/Maximum resident/ {print \$2}' \"\$W/ours$threads.time\")"
  cat "$W/ours$threads.out"
  ls -l "$W"/PO.snapshots/*.tar.gz | awk '{print "   archive bytes: " $5}'
done
ls -l "$W/tar.tar.gz" | awk '{print "   tar czf archive bytes: " $5}'

to_s() { awk -F: '{ if (NF == 3) print $1 * 3600 + $2 * 60 + $3; else print $1 * 60 + $2 }' <<<"$1"; }
t=$(to_s "$tar_s"); o1=$(to_s "$ours1_s"); o2=$(to_s "$ours2_s")
printf '\n%-38s %10s %10s %12s\n' "run" "seconds" "ratio" "peak RSS KB"
printf '%-38s %10s %10s %12s\n' "tar czf" "$t" "1.00" "$tar_kb"
printf '%-38s %10s %10.2f %12s\n' "snapshot write+verify, 1 thread" "$o1" "$(awk -v a="$o1" -v b="$t" 'BEGIN { print a / b }')" "$ours1_kb"
printf '%-38s %10s %10.2f %12s\n' "snapshot write+verify, 2 threads" "$o2" "$(awk -v a="$o2" -v b="$t" 'BEGIN { print a / b }')" "$ours2_kb"
