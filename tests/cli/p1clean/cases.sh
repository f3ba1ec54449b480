#!/usr/bin/env bash
# End-to-end cases for p1clean. Usage: cases.sh CASE P1CLEAN PORESTORE
# Each case builds a postoffice in a temporary folder, runs the tool and checks
# exit codes, the files left, and the report. Ages are exact: files get
# mtimes relative to NOW and the tool is run with --now NOW.
set -euo pipefail
case_name=$1 P1CLEAN=$2 PORESTORE=$3
# The real clock: the safety layer checks External locks against it too.
NOW=$(date +%s)
DAY=86400
T=$(mktemp -d "${TMPDIR:-/tmp}/p1clean-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
PO=$T/MAILDATA

fail() { echo "FAIL [$case_name]: $*" >&2; exit 1; }
mkpo() { mkdir -p "$PO/P1" "$PO/MBG" "$PO/KEY" "$PO/GLB"; : >"$PO/GLB/MASTER.GLB"; : >"$PO/P1/POPULATE.MSM"; touch -d "@$((NOW - 400 * DAY))" "$PO/P1/POPULATE.MSM"; }
# mkfile NAME AGE_SECONDS [CONTENT]
mkfile() { printf '%s' "${3:-envelope $1}" >"$PO/P1/$1"; touch -d "@$((NOW - $2))" "$PO/P1/$1"; }
# state: every file under a folder with size, mtime (ns) and checksum
state() { (cd "$1" && find . -printf '%y %p %s %T@\n' | sort && find . -type f -print0 | sort -z | xargs -0r md5sum); }
p1c() { "$P1CLEAN" --now "$NOW" "$@"; }
expect_rc() { local want=$1; shift; set +e; "$@" >"$T/out" 2>"$T/err"; local rc=$?; set -e
  [ "$rc" = "$want" ] || { cat "$T/out" "$T/err" >&2; fail "exit $rc, expected $want: $*"; }; }
exists() { [ -e "$PO/P1/$1" ] || fail "P1/$1 should still exist"; }
gone() { [ ! -e "$PO/P1/$1" ] || fail "P1/$1 should be removed"; }
# inqueue3 NUMBER...: writes MBG/INQUEUE3.MBG with one 116-byte header per number (KB Q108027 layout)
inqueue3() { python3 - "$PO/MBG/INQUEUE3.MBG" "$@" <<'PY'
import sys
out = bytearray()
for n in sys.argv[2:]:
    rec = bytearray(116)
    rec[0x02:0x02+5] = b"ALICE"
    rec[0x0D:0x0D+7] = b"queued!"
    rec[0x43:0x43+8] = n.encode()
    out += rec
open(sys.argv[1], "wb").write(out)
PY
}

case "$case_name" in
boundary)
  mkpo
  mkfile 00000001.P1 $((2 * DAY - 60))
  mkfile 00000002.P1 $((2 * DAY))
  mkfile 00000003.P1 $((2 * DAY + 60))
  mkfile 00000004.PBB $((30 * DAY))
  mkfile 00000005.MAX $((3 * DAY))
  expect_rc 1 p1c "$PO"
  exists 00000001.P1; exists 00000002.P1; gone 00000003.P1; gone 00000004.PBB; gone 00000005.MAX
  exists POPULATE.MSM
  grep -q "removed: *3" "$T/out" || fail "summary should say 3 removed"
  expect_rc 1 p1c --days 0.5 "$PO"
  gone 00000001.P1; gone 00000002.P1
  ;;
dry_run_writes_nothing)
  mkpo; mkfile 00000003.P1 $((5 * DAY))
  before=$(state "$PO")
  expect_rc 4 p1c -n "$PO"
  expect_rc 4 p1c --dry-run "$PO"
  [ "$(state "$PO")" = "$before" ] || fail "dry run changed something"
  [ ! -e "$T/MAILDATA.snapshots" ] || fail "dry run wrote a snapshot"
  grep -q "00000003.P1" "$T/out" || fail "dry run should name the file"
  ;;
populate_kept)
  mkpo; chmod 444 "$PO/P1/POPULATE.MSM"
  expect_rc 0 p1c --days 0 "$PO"
  exists POPULATE.MSM
  ;;
populate_recreated)
  mkpo; rm "$PO/P1/POPULATE.MSM"
  expect_rc 1 p1c "$PO"
  exists POPULATE.MSM
  grep -q "p1.populate-missing" "$T/out" || fail "finding p1.populate-missing expected"
  expect_rc 0 p1c "$PO"
  ;;
p1_recreated)
  mkdir -p "$PO/GLB"; : >"$PO/GLB/MASTER.GLB"
  expect_rc 1 p1c "$PO"
  [ -d "$PO/P1" ] || fail "P1 not re-created"; exists POPULATE.MSM
  expect_rc 0 p1c "$PO"
  ;;
fresh_lock_refused)
  mkpo; mkfile 00000003.P1 $((5 * DAY)); mkfile 0000002A.0LK 120 lock
  before=$(state "$PO")
  expect_rc 8 p1c "$PO"
  grep -q "0000002A.0LK" "$T/err" || fail "refusal must name the lock"
  grep -q -- "--force" "$T/err" || fail "refusal must name --force"
  [ "$(wc -l <"$T/err")" = 1 ] || fail "refusal must be one line"
  [ "$(state "$PO")" = "$before" ] || fail "refusal changed something"
  [ ! -e "$T/MAILDATA.snapshots" ] || fail "a refusal must not write a snapshot"
  mkfile LOCKP1ID.PBC 120 lock; rm "$PO/P1/0000002A.0LK"
  expect_rc 8 p1c "$PO"
  grep -q "LOCKP1ID.PBC" "$T/err" || fail "refusal must name LOCKP1ID.PBC"
  ;;
fresh_lock_forced)
  mkpo; mkfile 00000003.P1 $((5 * DAY)); mkfile 0000002A.0LK 120 lock; mkfile 0000002B.0LK $((DAY)) lock
  expect_rc 1 p1c --force "$PO"
  gone 00000003.P1; exists 0000002A.0LK; gone 0000002B.0LK
  ;;
held_lock_refused)
  mkpo; mkfile 0000002B.0LK $((DAY)) lock
  command -v flock >/dev/null || { echo "flock(1) missing; case skipped"; exit 0; }
  flock "$PO/P1/0000002B.0LK" sleep 30 &
  holder=$!
  for _ in $(seq 50); do "$P1CLEAN" --now "$NOW" -n "$PO" >/dev/null 2>&1 && sleep 0.1 || break; done
  set +e; p1c "$PO" >"$T/out" 2>"$T/err"; rc=$?; set -e
  kill "$holder" 2>/dev/null || true; wait "$holder" 2>/dev/null || true
  [ "$rc" = 8 ] || { cat "$T/out" "$T/err"; fail "held lock: exit $rc, expected 8"; }
  exists 0000002B.0LK
  ;;
queued_kept)
  mkpo; mkfile 0000AB12.P1 $((5 * DAY)); mkfile 0000AB13.P1 $((5 * DAY)); inqueue3 0000AB12
  expect_rc 1 p1c "$PO"
  exists 0000AB12.P1; gone 0000AB13.P1
  grep -q "p1.queued" "$T/out" || fail "queued warning expected"
  expect_rc 0 p1c "$PO"   # a warning is not a problem: run 2 is clean
  ;;
queued_included)
  mkpo; mkfile 0000AB12.P1 $((5 * DAY)); inqueue3 0000AB12
  # a KEY marking slot 0 deleted makes the header dead: the envelope is not queued any more
  python3 -c "import sys; b=bytearray(560); b[0x30]=1; open(sys.argv[1],'wb').write(b)" "$PO/KEY/INQUEUE3.KEY"
  expect_rc 4 p1c -n "$PO"
  grep -q "p1.queued" "$T/out" && fail "a deleted INQUEUE3 slot does not queue"
  rm "$PO/KEY/INQUEUE3.KEY"
  expect_rc 0 p1c "$PO"; exists 0000AB12.P1
  expect_rc 1 p1c --include-queued "$PO"; gone 0000AB12.P1
  ;;
symlink_not_followed)
  mkpo; echo outside >"$T/outside.P1"; touch -d "@$((NOW - 9 * DAY))" "$T/outside.P1"
  ln -s "$T/outside.P1" "$PO/P1/0000FFFF.P1"; touch -h -d "@$((NOW - 9 * DAY))" "$PO/P1/0000FFFF.P1"
  mkdir "$PO/P1/SUB"; echo x >"$PO/P1/SUB/00000009.P1"; touch -d "@$((NOW - 9 * DAY))" "$PO/P1/SUB/00000009.P1"
  expect_rc 0 p1c "$PO"
  [ -L "$PO/P1/0000FFFF.P1" ] || fail "symlink removed"
  [ "$(cat "$T/outside.P1")" = outside ] || fail "outside file changed"
  [ -e "$PO/P1/SUB/00000009.P1" ] || fail "file in a subfolder touched"
  grep -q "p1.not-regular" "$T/out" || fail "links and folders must be reported"
  ;;
p1_is_symlink)
  mkdir -p "$T/elsewhere" "$PO/GLB"; : >"$PO/GLB/MASTER.GLB"; mkfile_dir=$T/elsewhere
  echo old >"$mkfile_dir/00000001.P1"; touch -d "@$((NOW - 9 * DAY))" "$mkfile_dir/00000001.P1"
  ln -s "$T/elsewhere" "$PO/P1"
  expect_rc 8 p1c "$PO"
  [ -e "$T/elsewhere/00000001.P1" ] || fail "followed the P1 link"
  grep -q "P1" "$T/err" || fail "error must name P1"
  ;;
restore_round_trip)
  mkpo
  for i in 1 2 3 4 5 6 7 8 9; do mkfile 0000000$i.P1 $((i * DAY)) "envelope body $i $(head -c $((i * 100)) /dev/zero | tr '\0' x)"; done
  mkfile 0000002A.0LK $((DAY)) lock
  before=$(state "$PO")
  expect_rc 1 p1c "$PO"
  snap=$(ls "$T"/MAILDATA.snapshots/*.tar.gz)
  [ "$(echo "$snap" | wc -l)" = 1 ] || fail "one snapshot expected"
  grep -q "$(basename "$snap")" "$T/out" || fail "report must name the snapshot"
  tar tzf "$snap" >/dev/null || fail "GNU tar cannot list the snapshot"
  expect_rc 0 "$PORESTORE" --verify "$snap" "$PO"
  expect_rc 0 "$PORESTORE" "$snap" "$PO"
  after=$(state "$PO")
  [ "$after" = "$before" ] || { diff <(echo "$before") <(echo "$after") >&2; fail "restore is not byte- and mtime-identical"; }
  ;;
run2_clean)
  mkpo; mkfile 00000003.P1 $((5 * DAY)); mkfile LOCKP1ID.PBB $((DAY)) lock
  expect_rc 1 p1c "$PO"
  expect_rc 0 p1c "$PO"
  grep -q "no problems found" "$T/out" || fail "run 2 should report no problems"
  ;;
json_report)
  mkpo; mkfile 00000003.P1 $((5 * DAY))
  expect_rc 4 p1c -n --json "$PO"
  python3 - "$T/out" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d["tool"] == "p1clean", d
assert d["dry_run"] is True
f = [x for x in d["findings"] if x["check"] == "p1.stale"]
assert len(f) == 1 and f[0]["file"] == "P1/00000003.P1" and f[0]["fixed"] is False, f
PY
  [ ! -s "$T/err" ] || fail "unexpected stderr: $(cat "$T/err")"
  ;;
bad_arguments)
  mkpo
  expect_rc 16 "$P1CLEAN" --days -1 "$PO"
  expect_rc 16 "$P1CLEAN" --dry "$PO"
  expect_rc 16 "$P1CLEAN"
  expect_rc 16 "$P1CLEAN" "$PO" extra
  expect_rc 16 "$P1CLEAN" --days soon "$PO"
  expect_rc 0 "$P1CLEAN" --help
  grep -q "Exit codes" "$T/out" || fail "--help must show the exit codes"
  ;;
missing_postoffice)
  expect_rc 8 p1c "$T/nowhere"
  grep -q "nowhere" "$T/err" || fail "error must name the folder"
  ;;
snapshot_dir_unwritable)
  mkpo; mkfile 00000003.P1 $((5 * DAY))
  echo "not a folder" >"$T/snapfile"
  before=$(state "$PO")
  expect_rc 8 p1c --snapshot-dir "$T/snapfile/sub" "$PO"
  [ "$(state "$PO")" = "$before" ] || fail "a failed snapshot must change nothing"
  ;;
hundred_thousand_files)
  mkpo
  python3 - "$PO/P1" "$NOW" <<'PY'
import os, sys
d, now = sys.argv[1], int(sys.argv[2])
for i in range(100000):
    p = os.path.join(d, "%08X.P1" % i)
    with open(p, "wb") as f:
        f.write(b"E" * (64 + i % 200))
    age = 3 * 86400 if i % 2 == 0 else 3600
    os.utime(p, (now - age, now - age))
PY
  expect_rc 1 p1c -q "$PO"
  left=$(find "$PO/P1" -type f | wc -l)
  [ "$left" = 50001 ] || fail "expected 50,000 files + POPULATE.MSM left, found $left"
  expect_rc 0 p1c "$PO"
  ;;
*) fail "unknown case" ;;
esac
echo "ok [$case_name]"
